"""Random and mutated content through ``check`` and ``build``: the result is always
documents or located errors — never a traceback, never a partial file."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BUILTIN, EN_BODY, ID_BODY, PACKAGE, READOUT_FACTS, REPO, make_project, write
from plandocs.cli import main

pytestmark = pytest.mark.slow  # generated inputs, built and checked by the hundred

R = "content/readouts/meeting"
P = "content/renstra/kemensos-2025-2029"
LOCATED = re.compile(r"^(content|templates|plandocs\.yaml|glossary\.yaml)\S*: (error|warning): ")

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

edits = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=1),
        st.sampled_from(["delete", "insert", "duplicate-line", "drop-line"]),
        st.sampled_from(list(":-{}[]'\"#\n\t ,.%&*!|>@`0123456789aZ{{}}{%")),
    ),
    min_size=1,
    max_size=5,
)


def mutate(text: str, operations: list[tuple[float, str, str]]) -> str:
    for where, op, char in operations:
        at = int(where * len(text))
        lines = text.split("\n")
        row = int(where * (len(lines) - 1)) if lines else 0
        if op == "delete" and text:
            text = text[:at] + text[at + 1 :]
        elif op == "insert":
            text = text[:at] + char + text[at:]
        elif op == "duplicate-line" and lines:
            lines.insert(row, lines[row])
            text = "\n".join(lines)
        elif op == "drop-line" and len(lines) > 1:
            del lines[row]
            text = "\n".join(lines)
    return text


def fuzz_project(dest: Path, *kinds: str) -> Path:
    """A project with its own copy of plandocs' shared templates and of ``kinds``'
    templates: those its documents render with (an error in one is located in the
    project's ``templates/``), not every kind's, which ``check`` would compile too (two
    thirds of an example's time)."""
    root = make_project(dest, own_templates=False)
    shutil.copytree(PACKAGE / "templates", root / "templates")
    for kind in kinds:
        shutil.copytree(BUILTIN / kind / "templates", root / "templates", dirs_exist_ok=True)
    return root


@contextmanager
def readout_project(*kinds: str) -> Iterator[Path]:
    """A readout in a project with its own templates of the readouts and ``kinds``."""
    with tempfile.TemporaryDirectory() as tmp:
        root = fuzz_project(Path(tmp), "readouts", *kinds)
        write(root, f"{R}/readout.yaml", READOUT_FACTS)
        write(root, f"{R}/id.md", ID_BODY)
        write(root, f"{R}/en.md", EN_BODY)
        yield root


def invoke(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--project", str(root)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: the defect this test is looking for
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, result.output


def assert_located(output: str) -> None:
    for line in output.splitlines():
        if ": error: " in line or ": warning: " in line:
            assert LOCATED.match(line), line


def assert_whole_outputs(root: Path, before: dict[Path, bytes]) -> None:
    assert not list((root / "build").rglob("*.tmp"))
    for path, content in before.items():
        now = path.read_bytes()
        complete = now.startswith(b"<!DOCTYPE html>") and now.rstrip().endswith(b"</html>")
        assert now == content or complete


@FUZZ
@given(operations=edits, name=st.sampled_from(["readout.yaml", "id.md", "en.md"]))
def test_mutated_readout(operations: list[tuple[float, str, str]], name: str) -> None:
    with readout_project() as root:
        code, _ = invoke(root, "build", "--format", "html", "-j", "1")
        assert code == 0
        before = {p: p.read_bytes() for p in (root / "build").glob("*/readouts/*.html")}
        path = root / R / name
        path.write_text(mutate(path.read_text(), operations), encoding="utf-8")
        _, output = invoke(root, "check")
        assert_located(output)
        code, output = invoke(root, "build", "--format", "html", "-j", "1")
        assert_located(output)
        if code == 1:
            assert ": error: " in output
        assert_whole_outputs(root, before)


@FUZZ
@given(body=st.text(max_size=300))
def test_random_markdown(body: str) -> None:
    with readout_project() as root:
        write(root, f"{R}/id.md", "---\ntitle: Rapat\n---\n")
        (root / R / "id.md").write_text("---\ntitle: Rapat\n---\n" + body, encoding="utf-8")
        code, output = invoke(root, "build", "--format", "html", "--lang", "id", "-j", "1")
        assert_located(output)
        if code == 0:
            html = (root / "build/id/readouts/meeting.html").read_text(encoding="utf-8")
            assert "<script" not in html.lower()


@FUZZ
@given(text=st.text(max_size=200))
def test_random_yaml(text: str) -> None:
    with readout_project() as root:
        (root / R / "readout.yaml").write_text(text, encoding="utf-8")
        code, output = invoke(root, "check")
        assert code == 1  # random text is never a valid readout
        assert_located(output)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations=edits)
def test_mutated_csv(operations: list[tuple[float, str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = fuzz_project(Path(tmp), "renstra")
        shutil.copytree(REPO / P, root / P)
        for lang in ("id", "en"):
            for chapter in (root / P / lang).glob("[2-5]-*.md"):
                chapter.unlink()
        path = root / P / "data/targets.csv"
        path.write_text(mutate(path.read_text(), operations), encoding="utf-8")
        _, output = invoke(root, "check")
        assert_located(output)


# -- generated structures: check passes ⇒ build passes --------------------------------------------

FUZZ_FEW = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

INLINE = st.sampled_from(
    [
        "teks biasa",
        "**tebal**",
        "*miring*",
        "`kode`",
        "[situs](https://kemensos.go.id)",
        "[bagian](#bagian)",
        "![peta](peta.png)",
        "{{ city }}",
        "{{ date | date }}",
        "{{ people.arif.name }}",
        "baris  \nbaru",
        "<b>mentah</b>",
        "&amp; &#x1F600;",
        "1.250,5",
        "a\\\\b",
    ]
)
LINE = st.lists(INLINE, min_size=1, max_size=3).map(" ".join)


def _indent(text: str, first: str, rest: str) -> str:
    lines = text.split("\n")
    return "\n".join([first + lines[0], *(rest + line if line else line for line in lines[1:])])


LEAF_BLOCKS = st.one_of(
    LINE,
    st.tuples(st.integers(1, 6), LINE).map(lambda t: "#" * t[0] + " " + t[1]),
    st.just("```\nkode\n\tberindentasi\n```"),
    st.just("---"),
    st.just("![peta](peta.png)"),
    st.lists(st.lists(INLINE, min_size=2, max_size=2), min_size=1, max_size=3).map(
        lambda rows: "| a | b |\n|---|---|\n" + "\n".join(f"| {x} | {y} |" for x, y in rows)
    ),
)


def _container(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    items = st.lists(children, min_size=1, max_size=3)
    return st.one_of(
        items.map(lambda xs: "\n".join(_indent(x, "- ", "  ") for x in xs)),
        items.map(lambda xs: "\n".join(_indent(x, f"{i + 1}. ", "   ") for i, x in enumerate(xs))),
        items.map(lambda xs: "\n\n".join(_indent(x, "> ", "> ") for x in xs)),
    )


MARKDOWN = st.lists(
    st.recursive(LEAF_BLOCKS, _container, max_leaves=6), min_size=1, max_size=5
).map("\n\n".join)


def check_then_build(root: Path, formats: str) -> None:
    """The property: whatever check says, build agrees — a passing check means a build
    that writes every file; a failing one gives located errors."""
    code, output = invoke(root, "check")
    assert_located(output)
    built, output = invoke(root, "build", "--format", formats, "-j", "1")
    assert_located(output)
    if code == 0:
        assert built == 0, output
        for lang in ("id", "en"):
            for name in formats.split(","):
                assert (root / f"build/{lang}/readouts/meeting.{name}").is_file()
    assert not list((root / "build").rglob("*.tmp"))


@FUZZ_FEW
@given(body=MARKDOWN)
def test_generated_markdown_structures(body: str) -> None:
    from hostile import png

    with readout_project() as root:
        png(root / R / "peta.png")
        (root / R / "id.md").write_text("---\ntitle: Rapat\n---\n" + body + "\n", encoding="utf-8")
        check_then_build(root, "docx,html")


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=MARKDOWN)
def test_generated_markdown_into_pdf(body: str) -> None:
    from hostile import png

    with readout_project() as root:
        png(root / R / "peta.png")
        (root / R / "id.md").write_text("---\ntitle: Rapat\n---\n" + body + "\n", encoding="utf-8")
        check_then_build(root, "pdf,docx")


ATOMS = st.sampled_from(
    [
        "city", "date", "event", "event.start", "people.arif.name", "labels.writer", "org.unit",
        "settings.page.size", "created", "range(3)", "'x'", "'\\\\x0b'", "10", "10**3", "10**9",
        "[1, 2]", "{'a': 1}", "none", "people", "lipsum", "self", "cycler",
    ]
)  # fmt: skip
FILTERS = st.sampled_from(
    [
        "upper", "center(5)", "center(10**9)", "indent(2)", "indent(10**9)", "replace('a', 'b')",
        "join(',')", "number", "number(2)", "number(10**9)", "percent", "rupiah", "date",
        "date_range", "time('WIB')", "length", "list", "first", "string", "e", "tojson", "int",
        "float", "round(2)", "truncate(3)", "wordwrap(5)", "batch(2) | list", "dictsort", "sum",
        "default('x')", "format(1)", "trim", "title", "markdown", "attr('__class__')",
    ]
)  # fmt: skip
OPERATORS = st.sampled_from(["*", "~", "+", "%", "**", "//", "-", "==", "in"])


def _expressions() -> st.SearchStrategy[str]:
    return st.recursive(
        ATOMS,
        lambda inner: st.one_of(
            st.tuples(inner, FILTERS).map(lambda t: f"({t[0]}) | {t[1]}"),
            st.tuples(inner, OPERATORS, inner).map(lambda t: f"({t[0]}) {t[1]} ({t[2]})"),
            st.tuples(inner, st.sampled_from(["items()", "keys()", "upper()", "update({})"])).map(
                lambda t: f"({t[0]}).{t[1]}"
            ),
        ),
        max_leaves=4,
    )


STATEMENTS = st.one_of(
    _expressions().map(lambda e: "{{ " + e + " }}"),
    _expressions().map(lambda e: "{% for x in " + e + " %}[{{ x }}]{% endfor %}"),
    _expressions().map(lambda e: "{% set y = " + e + " %}{{ y }}"),
    _expressions().map(lambda e: "{% if " + e + " %}ya{% else %}tidak{% endif %}"),
    _expressions().map(lambda e: "{% macro m(v) %}<{{ v }}>{% endmacro %}{{ m(" + e + ") }}"),
    st.sampled_from(
        [
            "{% include 'shared/style.css' %}",
            "{% include 'id/labels.html' %}",
            "{% import 'shared/renstra_tables.html' as t %}{{ t }}",
            "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
            "{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}",
        ]
    ),
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(statements=st.lists(STATEMENTS, min_size=1, max_size=3))
def test_generated_template_code(statements: list[str]) -> None:
    """Expressions and statements from a grammar of Jinja: a document or a located error,
    within the time budget, whatever they try (the project holds the Renstra's templates
    too, which a statement imports)."""
    import os

    previous = os.environ.get("PLANDOCS_RENDER_SECONDS")
    os.environ["PLANDOCS_RENDER_SECONDS"] = "2"
    try:
        with readout_project("renstra") as root:
            body = "---\ntitle: Rapat\n---\nTeks.\n\n" + "\n\n".join(statements) + "\n"
            (root / R / "id.md").write_text(body, encoding="utf-8")
            check_then_build(root, "docx,html")
    finally:
        if previous is None:
            del os.environ["PLANDOCS_RENDER_SECONDS"]
        else:
            os.environ["PLANDOCS_RENDER_SECONDS"] = previous


CELLS = st.one_of(
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "banyak", "1.250", "=1/0", "#DIV/0!", "1e999999999", None, True]),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=5),
)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(st.lists(CELLS, min_size=5, max_size=5), min_size=1, max_size=3),
    stray=st.tuples(st.integers(1, 200), st.integers(1, 60), CELLS),
    header=st.booleans(),
)
def test_generated_workbooks(
    values: list[list[object]], stray: tuple[int, int, object], header: bool
) -> None:
    """Budget workbooks with whatever cells: located errors at ``file.xlsx:Sheet!B7``, or a
    plan that builds."""
    import openpyxl

    with tempfile.TemporaryDirectory() as tmp:
        root = fuzz_project(Path(tmp), "renstra")
        shutil.copytree(REPO / P, root / P)
        for lang in ("id", "en"):
            for chapter in (root / P / lang).glob("[2-5]-*.md"):
                chapter.unlink()
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "Anggaran"
        sheet.append(["code", 2025, 2026, 2027, 2028, 2029] if header else ["kode"])
        codes = ["K1.1", "K1.2", "K1.3", "K2.1", "K2.2", "K2.3", "K3.1", "K3.2"]
        for index, code in enumerate(codes):
            row = values[index % len(values)] if index < len(values) else [1000] * 5
            sheet.append([code, *row])
        row_no, column, value = stray
        sheet.cell(row=len(codes) + 1 + row_no, column=column, value=value)  # type: ignore[arg-type]
        book.save(root / P / "data/budgets.xlsx")
        code, output = invoke(root, "check")
        assert_located(output)
        built, output = invoke(root, "build", "--format", "html", "-j", "1")
        assert_located(output)
        if code == 0:
            assert built == 0, output
