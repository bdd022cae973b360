"""The performance cycle attacked: documents that refer to others (a PK's `renstra:`, an
LKj's `pk:`, the `plan()` global), the realisation tables an LKj reads, the predicate
bands of plandocs.yaml, charts, and the per-process cache of loaded folders.

Each case runs `plandocs check` in a process of its own that must end within 60 s and
asserts the effect: the line it must print (file and line, what to do), no traceback,
nothing outside the project read (a canary's access time) or shown; the cases that pass
`check` are built, and every file is written (check ⇒ build)."""

# ruff: noqa: E501  (a table of cases, one a line)
from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from conftest import edit, line_of, make_project, write
from hostile import Outside, plandocs_forked
from test_cycle_rules import LKJ, PK, PLAN, UNIT, small

# Each case runs plandocs in a process of its own, under a timeout (a hang must not hang
# the suite), forked from one that has imported plandocs already (the import was most of
# a fresh process's second): about half a second each, still part of the slow run.
pytestmark = pytest.mark.slow

TIMEOUT = 60
Mutate = Callable[[Path, Outside], None]


def _set(root: Path, rel: str, key: str, value: str) -> None:
    path = root / rel
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [f"{key}: {value}" if line.startswith(f"{key}:") else line for line in lines]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def renstra(value: str) -> Mutate:
    return lambda root, _outside: _set(root, f"{PK}/pk.yaml", "renstra", value)


def pk(value: str) -> Mutate:
    return lambda root, _outside: _set(root, f"{LKJ}/lkj.yaml", "pk", value)


def realisations(text: str) -> Mutate:
    return lambda root, _outside: (root / LKJ / "data/realisasi.csv").write_text(text)


def settings(text: str) -> Mutate:
    def mutate(root: Path, _outside: Outside) -> None:
        path = root / "plandocs.yaml"
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return mutate


def cite(expression: str) -> Mutate:
    """A press release whose prose calls the plan global."""

    def mutate(root: Path, _outside: Outside) -> None:
        write(root, "content/readouts/kutipan/readout.yaml", "city: Jakarta\ndate: 2025-03-01\n")
        write(
            root,
            "content/readouts/kutipan/id.md",
            f"---\ntitle: Kutipan\n---\nSatu.\n\nX {expression} Y.\n",
        )
        edit(root / "content/readouts/kutipan/readout.yaml", "city:", "single_language: id\ncity:")

    return mutate


def plan_chart(facts: str, block: str) -> Mutate:
    """A chart in the Renstra's chapters over a fact of plan.yaml."""

    def mutate(root: Path, _outside: Outside) -> None:
        edit(root / PLAN / "plan.yaml", "data:\n  targets:", f"{facts}data:\n  targets:")
        for rel in ("id/1-pendahuluan.md", "en/1-introduction.md"):
            path = root / PLAN / rel
            path.write_text(path.read_text() + f"\n```{{chart}} bar\n{block}\n```\n")

    return mutate


BLOCK = "caption: Uji\ndata: plan.facts.series1\nseries: S\nunit: persen\ncategory_title: Tahun"
KIND_AS_PK = (
    "description: {id: x, en: x}\nfacts: pk.yaml\nmodel: agreement\n"
    "template: pk.html\ndate: date\nextends: pk\n"
)


def chain(length: int, circle: bool) -> Mutate:
    """The project's own `renstra` kind made a PK: each refers to the next (or back)."""

    def mutate(root: Path, _outside: Outside) -> None:
        write(root, "kinds/renstra/kind.yaml", KIND_AS_PK)
        shutil.rmtree(root / "content/pk")
        shutil.rmtree(root / "content/lkj")
        for i in range(length):
            to = f"a{(i + 1) % length}" if circle else f"a{i + 1}"
            write(
                root,
                f"content/renstra/a{i}/pk.yaml",
                f"renstra: {to}\nyear: 2025\ndate: 2025-01-31\nplace: Jakarta\n"
                "first_party: {name: A, office: {id: A, en: A}}\n"
                "second_party: {name: B, office: {id: B, en: B}}\n",
            )

    return mutate


def folder_linked_out(root: Path, outside: Outside) -> None:
    for path in sorted((root / PLAN).rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8").replace("Rencana Strategis Uji", "{token}")
            outside.file(f"plan/{path.relative_to(root / PLAN).as_posix()}", text)
    os.symlink(outside.folder / "plan", root / "content/renstra/luar")
    _set(root, f"{PK}/pk.yaml", "renstra", "luar")


def table_linked_out(root: Path, outside: Outside) -> None:
    target = outside.file("real.csv", "code,2024,2025\nIKSS 1,50,{token}\n")
    (root / LKJ / "data/realisasi.csv").unlink()
    os.symlink(target, root / LKJ / "data/realisasi.csv")


def table_fifo(root: Path, _outside: Outside) -> None:
    (root / LKJ / "data/realisasi.csv").unlink()
    os.mkfifo(root / LKJ / "data/realisasi.csv")


def workbook(rows: list[list[object]]) -> Mutate:
    def mutate(root: Path, _outside: Outside) -> None:
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "Realisasi"
        for row in rows:
            sheet.append(row)
        book.save(root / LKJ / "data/realisasi.xlsx")
        edit(
            root / LKJ / "lkj.yaml",
            "realisations: data/realisasi.csv",
            "realisations: 'data/realisasi.xlsx#Realisasi'",
        )

    return mutate


def names_a_report(root: Path, _outside: Outside) -> None:
    shutil.copytree(root / LKJ, root / "content/pk/laporan")
    _set(root, f"{LKJ}/lkj.yaml", "pk", "laporan")


def table_folder(root: Path, _outside: Outside) -> None:
    (root / LKJ / "data/realisasi.csv").unlink()
    (root / LKJ / "data/realisasi.csv").mkdir()


def zero_with_ratio(root: Path, outside: Outside) -> None:
    realisations("code,2024,2025\nIKSS 1,50,63\nIKSS 2,9,0\n")(root, outside)
    settings("performance:\n  less_is_better: ratio\n")(root, outside)


def template_chart(root: Path, _outside: Outside) -> None:
    cite("{{ chart({'categories': ['a\\x01b'], 'series': [{'values': [1]}]}) }}")(root, _outside)


NOT_A_NAME = "a document is named by its folder name alone"
HEADER = "code,2024,2025\n"
GOOD = "IKSS 1,50,63\nIKSS 2,9,8.4\n"
READOUT = "content/readouts/kutipan/id.md"
REAL = f"{LKJ}/data/realisasi.csv"

# name: (what the case does, the file the message names, the text of its line (None: the
# file alone, or "" for the line's number not checked), what the message says).
CASES: dict[str, tuple[Mutate, str, str | None, str]] = {
    # -- a PK's `renstra:` and an LKj's `pk:` -------------------------------------------
    "renstra-up-the-tree": (renstra('"../../etc"'), f"{PK}/pk.yaml", "renstra:", NOT_A_NAME),
    "renstra-absolute": (renstra('"/etc"'), f"{PK}/pk.yaml", "renstra:", NOT_A_NAME),
    "renstra-with-a-slash": (renstra('"uji-2025-2026/../x"'), f"{PK}/pk.yaml", "renstra:", NOT_A_NAME),
    "renstra-with-a-backslash": (renstra('"uji\\\\x"'), f"{PK}/pk.yaml", "renstra:", NOT_A_NAME),
    "renstra-with-a-line-break": (
        renstra('"uji-2025-2026\\nerror: forged"'), f"{PK}/pk.yaml", "renstra:", NOT_A_NAME,
    ),
    "renstra-with-a-nul": (renstra('"uji\\0x"'), f"{PK}/pk.yaml", "renstra:", "no renstra document 'ujix'"),
    "renstra-a-list": (renstra("[1, 2]"), f"{PK}/pk.yaml", "renstra:", "`renstra` should be text"),
    "renstra-a-number": (renstra("2025"), f"{PK}/pk.yaml", "renstra:", "`renstra` should be text"),
    "renstra-empty": (renstra('""'), f"{PK}/pk.yaml", "renstra:", NOT_A_NAME),
    "renstra-of-200000-letters": (renstra("x" * 200_000), f"{PK}/pk.yaml", "renstra:", NOT_A_NAME),
    "renstra-missing": (
        renstra("tidak-ada"), f"{PK}/pk.yaml", "renstra:",
        "no renstra document 'tidak-ada' (no folder content/renstra/tidak-ada/)",
    ),
    "renstra-names-the-pk-itself": (
        renstra("kementerian-2025"), f"{PK}/pk.yaml", "renstra:", "no renstra document 'kementerian-2025'",
    ),
    "renstra-folder-linked-out": (
        folder_linked_out, "content/renstra/luar", None, "this document folder is a link to",
    ),
    "pk-missing": (pk("tidak-ada"), f"{LKJ}/lkj.yaml", "pk:", "no pk document 'tidak-ada'"),
    "pk-a-path": (pk('"../renstra/uji-2025-2026"'), f"{LKJ}/lkj.yaml", "pk:", NOT_A_NAME),
    "pk-names-a-report": (names_a_report, "content/pk/laporan", None, "no pk.yaml in this folder"),
    "refers-to-itself": (
        chain(1, circle=True), "content/renstra/a0/pk.yaml", "renstra:",
        "in a circle (renstra/a0 → renstra/a0)",
    ),
    "circle-of-two": (
        chain(2, circle=True), "content/renstra/a0/pk.yaml", "renstra:",
        "in a circle (renstra/a1 → renstra/a0 → renstra/a1)",
    ),
    "chain-of-twenty": (
        chain(20, circle=False), "content/renstra/a10/pk.yaml", "renstra:",
        "the references go more than 8 documents deep",
    ),
    # -- plan() ----------------------------------------------------------------------
    "plan-of-a-number": (cite("{{ plan(2025) }}"), READOUT, "X ", "no renstra document '2025'"),
    "plan-of-none": (cite("{{ plan(none) }}"), READOUT, "X ", "no renstra document 'None'"),
    "plan-up-the-tree": (
        cite("{{ plan('../renstra/uji-2025-2026') }}"), READOUT, "X ", "no renstra document '../renstra",
    ),
    "plan-absolute": (cite("{{ plan('/etc') }}"), READOUT, "X ", "no renstra document '/etc'"),
    "plan-of-5-million-letters": (cite("{{ plan('x' * 5000000) }}"), READOUT, "X ", "no renstra document"),
    "plan-with-a-line-break": (
        cite("{{ plan('a\\nerror: forged') }}"), READOUT, "X ", "no renstra document 'a\\nerror: forged'",
    ),
    "plan-not-called": (cite("{{ plan }}"), READOUT, "X ", "`plan` is a function, which cannot be written"),
    "plan-changed": (
        cite("{{ plan('uji-2025-2026').indicators.update({'x': 1}) }}"), READOUT, "X ",
        "would change a mapping",
    ),
    # -- realisations ------------------------------------------------------------------
    "realisation-nan": (realisations(HEADER + "IKSS 1,50,NaN\nIKSS 2,9,8.4\n"), REAL, "NaN", "is not a number"),
    "realisation-inf": (realisations(HEADER + "IKSS 1,50,inf\nIKSS 2,9,8.4\n"), REAL, "inf", "is not a number"),
    "realisation-1e309": (
        realisations(HEADER + "IKSS 1,50,1e309\nIKSS 2,9,8.4\n"), REAL, "1e309", "scientific notation",
    ),
    "realisation-of-5000-digits": (
        realisations(HEADER + "IKSS 1,50," + "9" * 5000 + "\nIKSS 2,9,8.4\n"), REAL, "99999",
        "larger than plandocs handles",
    ),
    "realisation-words": (
        realisations(HEADER + "IKSS 1,50,banyak\nIKSS 2,9,8.4\n"), REAL, "banyak", "is not a number",
    ),
    "realisation-formula-text": (
        realisations(HEADER + "IKSS 1,50,=cmd|' /C calc'!A0\nIKSS 2,9,8.4\n"), REAL, "=cmd",
        "is not a number",
    ),
    "realisation-twice": (
        realisations(HEADER + "IKSS 1,50,63\nIKSS 1,50,10\nIKSS 2,9,8.4\n"), REAL, "IKSS 1,50,10",
        "code 'IKSS 1' appears twice",
    ),
    "realisation-without-the-year": (
        realisations("code,2024\nIKSS 1,50\nIKSS 2,9\n"), REAL, "code,", "no column for 2025",
    ),
    "realisation-without-code": (
        realisations("kode,2024,2025\n" + GOOD), REAL, "kode,", "the first row must name the columns",
    ),
    "realisation-empty-file": (realisations(""), REAL, "", "the file is empty"),
    "realisation-not-text": (
        lambda root, _o: (root / REAL).write_bytes(b"\xff\xfe\x00garbage\x00\x01"), REAL, "",
        "not UTF-8 text",
    ),
    "realisation-unknown-indicator": (
        realisations(HEADER + GOOD + "<script>x</script>,1,2\n"), REAL, "<script>",
        "no indicator '<script>x</script>'",
    ),
    "realisation-missing": (
        realisations(HEADER + "IKSS 1,50,63\n"), REAL, "code,", "IKSS 2 has no realisation for 2025",
    ),
    "realisation-of-30000-rows": (
        realisations(HEADER + "".join(f"IKSS {i},1,2\n" for i in range(30_000))), REAL, None,
        "more than 20000 rows",
    ),
    "realisation-a-fifo": (table_fifo, f"{LKJ}/lkj.yaml", "realisations:", "is not a regular file"),
    "realisation-a-folder": (table_folder, f"{LKJ}/lkj.yaml", "realisations:", "is not a regular file"),
    "realisation-linked-out": (
        table_linked_out, f"{LKJ}/lkj.yaml", "realisations:", "is a link to",
    ),
    "realisation-zero-with-ratio": (
        zero_with_ratio, REAL, "IKSS 2,9,0", "a realisation of zero cannot be set against the target",
    ),
    "target-revised-to-zero": (
        lambda root, _o: edit(
            root / PK / "pk.yaml", "budget:",
            "indicators:\n  - IKSS 2\n  - {code: IKSS 1, target: 0, revision: {id: a, en: b}}\nbudget:",
        ),
        f"{PK}/pk.yaml", "target: 0", "the target for 2025 is zero",
    ),
    "workbook-without-the-year": (
        workbook([["code", 2024], ["IKSS 1", 50], ["IKSS 2", 9]]),
        f"{LKJ}/data/realisasi.xlsx", "Realisasi!C1", "no column for 2025",
    ),
    "workbook-text-value": (
        workbook([["code", 2024, 2025], ["IKSS 1", 50, "banyak"], ["IKSS 2", 9, 8.4]]),
        f"{LKJ}/data/realisasi.xlsx", "Realisasi!C2", "is not a number",
    ),
    "workbook-twice": (
        workbook([["code", 2024, 2025], ["IKSS 1", 50, 63], ["IKSS 1", 50, 63], ["IKSS 2", 9, 8.4]]),
        f"{LKJ}/data/realisasi.xlsx", "Realisasi!A3", "appears twice",
    ),
    "workbook-huge-number": (
        workbook([["code", 2024, 2025], ["IKSS 1", 50, 1e300], ["IKSS 2", 9, 8.4]]),
        f"{LKJ}/data/realisasi.xlsx", "Realisasi!C2", "larger than plandocs handles",
    ),
    # -- predicate bands ----------------------------------------------------------------
    "bands-overlap": (
        settings(
            "performance:\n  predicates:\n    - {at_least: 50, label: {id: A, en: A}}\n"
            "    - {at_least: 50, label: {id: B, en: B}}\n"
        ),
        "plandocs.yaml", "at_least: 50", "the bands go from the highest down: 50 follows 50",
    ),
    "bands-unordered": (
        settings(
            "performance:\n  predicates:\n    - {at_least: 50, label: {id: A, en: A}}\n"
            "    - {at_least: 60, label: {id: B, en: B}}\n"
        ),
        "plandocs.yaml", "at_least: 50", "the bands go from the highest down",
    ),
    "bands-not-a-number": (
        settings("performance:\n  predicates:\n    - {at_least: banyak, label: {id: A, en: A}}\n"),
        "plandocs.yaml", "banyak", "'banyak' is not a number",
    ),
    "bands-nan": (
        settings("performance:\n  predicates:\n    - {at_least: .nan, label: {id: A, en: A}}\n"),
        "plandocs.yaml", ".nan", "is not a number",
    ),
    "bands-empty": (
        settings("performance:\n  predicates: []\n"), "plandocs.yaml", "predicates:", "at least 1 item",
    ),
    "band-without-english": (
        settings("performance:\n  predicates:\n    - {at_least: 0, label: {id: A}}\n"),
        "plandocs.yaml", "label:", "has no name in `en`: `label.en` is missing",
    ),
    "band-blank": (
        settings("performance:\n  predicates:\n    - {at_least: 0, label: {id: '', en: ' '}}\n"),
        "plandocs.yaml", "label:", "has no name in `id`: `label.id` is blank",
    ),
    # -- charts ------------------------------------------------------------------------
    "chart-of-10000-categories": (
        plan_chart(
            "facts:\n  series1: {" + ", ".join(f"k{i}: {i}" for i in range(10_000)) + "}\n", BLOCK
        ),
        f"{PLAN}/id/1-pendahuluan.md", "{chart}", "a chart shows at most 40 categories",
    ),
    "chart-of-words": (
        plan_chart("facts:\n  series1: {a: banyak, b: 2}\n", BLOCK),
        f"{PLAN}/id/1-pendahuluan.md", "{chart}", "a value 'banyak' is not a number",
    ),
    "chart-of-1e300": (
        plan_chart("facts:\n  series1: {a: 1e300, b: 1}\n", BLOCK),
        f"{PLAN}/id/1-pendahuluan.md", "{chart}", "finite number of at most 10^15",
    ),
    "chart-label-with-a-control-character-from-a-template": (
        template_chart, READOUT, "X ", "holds a control character (U+0001)",
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small(make_project(tmp_path_factory.mktemp("cycle"), own_templates=False))


def project(pristine: Path, base: Path) -> Path:
    root = base / "project"
    shutil.copytree(pristine, root, symlinks=True)
    return root


def test_hostile_cycle_corpus_size() -> None:
    assert len(CASES) + len(PASSING) >= 60


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_cycle(pristine: Path, tmp_path: Path, case: str) -> None:
    mutate, rel, needle, message = CASES[case]
    outside = Outside(tmp_path)
    root = project(pristine, tmp_path)
    mutate(root, outside)
    code, output = plandocs_forked(root, "check", timeout=TIMEOUT)
    assert code == 1, output
    assert "Traceback" not in output and "please report this" not in output, output
    if needle is None:
        prefix = f"{rel}: error: " if "csv" not in rel else f"{rel}:"
    elif needle.startswith("Realisasi!"):
        prefix = f"{rel}:{needle}: error: "
    elif needle == "":
        prefix = f"{rel}:"
    else:
        prefix = f"{rel}:{line_of(root / rel, needle)}:"
    found = [line for line in output.splitlines() if line.startswith(prefix) and message in line]
    assert found, f"no line {prefix}… {message!r} in:\n{output[:3000]}"
    assert "error" in found[0]
    # The message is one line: a value with a line break cannot forge another.
    assert not any(line.startswith("error: forged") for line in output.splitlines())
    outside.untouched(roots=(root,), output=output)


# -- cases that check clean: built, every file written, the effect in the output ---------
def nasty_chart(root: Path, outside: Outside) -> None:
    facts = (
        "facts:\n  series1:\n    '<script>alert(1)</script>': 1\n    ']]><x/>': 2\n"
        "    '=cmd|'' /C calc''!A0': 3\n    '@SUM(1+1)': 4\n    \"a\\x01b\\x1b[31m\": 5\n"
    )
    plan_chart(facts, BLOCK)(root, outside)


def many_plan_calls(root: Path, outside: Outside) -> None:
    cite("{% for i in range(20000) %}{{ plan('uji-2025-2026').years[0] }}{% endfor %}")(
        root, outside
    )


def script_band(root: Path, outside: Outside) -> None:
    settings(
        "performance:\n  predicates:\n"
        "    - {at_least: 0, label: {id: '<script>x</script>', en: '<b>]]></b>'}}\n"
    )(root, outside)


PASSING: dict[str, Mutate] = {
    "chart-labels-of-markup-formulas-and-controls": nasty_chart,
    "plan-called-20000-times": many_plan_calls,
    "band-named-in-markup": script_band,
}


def chart_parts(docx: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(docx) as package:
        return [(n, package.read(n)) for n in package.namelist() if "chart" in n or "embed" in n]


@pytest.mark.slow
@pytest.mark.parametrize("case", list(PASSING))
def test_what_checks_clean_builds_and_escapes(pristine: Path, tmp_path: Path, case: str) -> None:
    outside = Outside(tmp_path)
    root = project(pristine, tmp_path)
    PASSING[case](root, outside)
    code, output = plandocs_forked(root, "check", timeout=TIMEOUT)
    assert code == 0, output
    code, output = plandocs_forked(
        root, "build", "--format", "html,docx", "-j", "1", timeout=4 * TIMEOUT
    )
    assert code == 0, output
    assert "Traceback" not in output
    for kind, slug in (("renstra", "uji-2025-2026"), ("pk", "kementerian-2025"), (
        "pk", "ditjen-satu-2025"), ("lkj", "kementerian-2025")):  # fmt: skip
        for lang in ("id", "en"):
            for suffix in ("html", "docx"):
                assert (root / f"build/{lang}/{kind}/{slug}.{suffix}").is_file()
    outside.untouched(roots=(root,), output=output)
    html = "".join(p.read_text(encoding="utf-8") for p in (root / "build").rglob("*.html"))
    assert "<script>" not in html and "]]><x/>" not in html
    if case.startswith("chart"):
        assert "removed 2 control characters" in output  # the key, with a warning
        parts = chart_parts(root / "build/id/renstra/uji-2025-2026.docx")
        assert parts
        for name, data in parts:
            if name.endswith(".xlsx"):
                with zipfile.ZipFile(io.BytesIO(data)) as book:
                    for inner in book.namelist():
                        text = book.read(inner)
                        assert b"<f>" not in text and b"<f " not in text, "a cell became a formula"
                        if inner.endswith("sharedStrings.xml"):
                            assert b"=cmd|" in text and b"&lt;script&gt;" in text
            elif name.endswith(".xml"):
                etree.fromstring(data)  # well-formed: every label escaped
    if case.startswith("plan"):
        text = (root / "build/id/readouts/kutipan.html").read_text(encoding="utf-8")
        assert "2025" * 1000 in text
    if case.startswith("band"):
        assert "&lt;script&gt;x&lt;/script&gt;" in html


# -- the cache of loaded folders: one process, edits between builds (as watch does) -----
@pytest.mark.slow
def test_an_edit_of_the_renstra_between_two_builds_of_one_process_is_shown(
    pristine: Path, tmp_path: Path
) -> None:
    from plandocs.watch import rebuild

    root = project(pristine, tmp_path)

    def step() -> str:
        said: list[str] = []
        rebuild(root, ("id", "en"), ("html",), "test", said.append, 1, False, False)
        return "\n".join(map(str, said))

    def html(kind: str, slug: str) -> str:
        return (root / f"build/en/{kind}/{slug}.html").read_text(encoding="utf-8")

    def save(path: Path, old: str, new: str, keep_time: bool = False) -> None:
        info = path.stat()
        edit(path, old, new)
        if keep_time:  # the same size and time: only the bytes tell
            os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))

    assert "— ok" in step()
    save(root / PLAN / "data/targets.csv", "IKP 1,1000,1200", "IKP 1,1077,1200")
    assert "— ok" in step()
    assert "1,077" in html("pk", "ditjen-satu-2025")
    save(
        root / PLAN / "plan.yaml", "targets: {2025: 60, 2026: 70}", "targets: {2025: 61, 2026: 70}"
    )
    assert "— ok" in step()
    assert "103.28%" in html("lkj", "kementerian-2025")  # 63 ÷ 61
    save(root / PLAN / "plan.yaml", "targets: {2025: 61,", "targets: {2025: 62,", keep_time=True)
    assert "— ok" in step()
    assert "101.61%" in html("lkj", "kementerian-2025")  # 63 ÷ 62
    (root / PLAN / "data/targets2.csv").write_text("code,2025,2026\nIKP 1,1111,1200\nIKP 2,80,82\n")
    save(root / PLAN / "plan.yaml", "targets: data/targets.csv", "targets: data/targets2.csv")
    assert "— ok" in step()
    assert "1,111" in html("pk", "ditjen-satu-2025")
    gone = tmp_path / "gone"
    shutil.move(root / PLAN, gone)
    said = step()
    assert f"{PK}/pk.yaml:1:10: error: no renstra document 'uji-2025-2026'" in said
    assert f"{UNIT}/pk.yaml:1:10: error: no renstra document" in said
    shutil.move(gone, root / PLAN)
    settings("performance:\n  less_is_better: ratio\n")(root, Outside(tmp_path))
    assert "— ok" in step()
    assert "95.24%" in html("lkj", "kementerian-2025")  # 8 ÷ 8.4
    assert not re.search(r"Traceback", said)
