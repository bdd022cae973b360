"""``plandocs review`` on a received DOCX written to harm: it chooses nothing that is
written, it ends, and it ends in a located message.

Each case starts from a readout's DOCX that plandocs wrote, changes its source map or
its parts as a crafted file from another agency would, and asserts the effect — files
outside the project and outside the document untouched, nothing applied — besides the
message.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import edit, run

SLUG = "meeting"
DOCX = f"build/id/readouts/{SLUG}.docx"
ID_MD = f"content/readouts/{SLUG}/id.md"


@pytest.fixture
def received(project: Path, add_readout: Callable[..., Path]) -> Path:
    """The project with one readout built as DOCX; returns the project."""
    add_readout(project, SLUG)
    result = run(project, "build", "--lang", "id", "--format", "docx")
    assert result.exit_code == 0, result.output
    return project


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def map_name(parts: dict[str, bytes]) -> str:
    return next(n for n, d in parts.items() if n.startswith("customXml/item") and b"anchors:1" in d)


def craft(
    root: Path,
    target: Path,
    anchors: Callable[[str], str] | None = None,
    document: Callable[[str], str] | None = None,
    extra: dict[str, bytes] | None = None,
    docx: str = DOCX,
) -> Path:
    """The project's DOCX with its map (``anchors``) and body (``document``) rewritten."""
    parts = parts_of(root / docx)
    name = map_name(parts)
    if anchors is not None:
        parts[name] = anchors(parts[name].decode()).encode()
    if document is not None:
        parts["word/document.xml"] = document(parts["word/document.xml"].decode()).encode()
    parts.update(extra or {})
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    return target


def retype(document: str, old: str, new: str) -> str:
    """An untracked edit: ``old`` typed over in the first text run holding it."""
    assert old in document
    return document.replace(old, new, 1)


def outside_file(tmp_path: Path, name: str = "victim.md") -> Path:
    victim = tmp_path / "outside" / name
    victim.parent.mkdir(parents=True, exist_ok=True)
    victim.write_text("Rapat berlangsung pada hari itu.\n", encoding="utf-8")
    return victim


def snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in (root / "content").rglob("*") if p.is_file()}


def assert_clean_failure(result: object, file: Path, words: str) -> None:
    output = result.output  # type: ignore[attr-defined]
    assert result.exit_code == 1, output  # type: ignore[attr-defined]
    assert "Traceback" not in output and "please report" not in output, output
    assert f"{file.name}: error: " in output and words in output, output


# -- a received file never chooses what is written ------------------------------------
@pytest.mark.parametrize(
    "source",
    [
        "/etc/passwd",
        "../outside/plan.yaml",
        "content/readouts/../../../outside/id.md",
        "content/readouts/elsewhere/id.md",
        "content/renstra/x/plan.yaml",
    ],
)
def test_a_map_naming_a_document_not_in_the_project_is_refused(
    received: Path, tmp_path: Path, source: str
) -> None:
    victim = outside_file(tmp_path)
    before = snapshot(received)
    crafted = craft(
        received,
        tmp_path / "crafted.docx",
        anchors=lambda m: re.sub(r'source="[^"]*"', f'source="{source}"', m),
        document=lambda d: retype(d, "Rapat berlangsung", "Rapat dibatalkan"),
    )
    result = run(received, "review", "--apply", str(crafted))
    assert_clean_failure(result, crafted, "content")
    assert victim.read_text() == "Rapat berlangsung pada hari itu.\n"
    assert snapshot(received) == before


@pytest.mark.parametrize("kind", ["absolute", "dotdot", "other-document", "symlink", "not-md"])
def test_an_anchor_leading_out_of_its_document_is_listed_never_written(
    received: Path, tmp_path: Path, add_readout: Callable[..., Path], kind: str
) -> None:
    victim = outside_file(tmp_path)
    other = add_readout(received, "other") / "id.md"
    other_before = other.read_bytes()
    folder = received / "content/readouts" / SLUG
    if kind == "symlink":
        (folder / "linked.md").symlink_to(victim)
    src = {
        "absolute": f"{victim}:1",
        "dotdot": f"content/readouts/{SLUG}/../../../../outside/victim.md:1",
        "other-document": "content/readouts/other/id.md:4",
        "symlink": f"content/readouts/{SLUG}/linked.md:1",
        "not-md": f"content/readouts/{SLUG}/readout.yaml:1",
    }[kind]
    crafted = craft(
        received,
        tmp_path / "crafted.docx",
        anchors=lambda m: re.sub(r'src="[^"]*id\.md:4"', f'src="{src}"', m),
        document=lambda d: retype(d, "Rapat berlangsung", "Rapat dibatalkan"),
    )
    facts_before = (folder / "readout.yaml").read_bytes()
    result = run(received, "review", "--apply", str(crafted))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    line = next(x for x in result.output.splitlines() if "dibatalkan" in x)
    assert line.startswith("crafted.docx: changed"), line
    assert "by hand" in line and "0 applied" in result.output
    assert victim.read_text() == "Rapat berlangsung pada hari itu.\n"
    assert other.read_bytes() == other_before
    assert (folder / "readout.yaml").read_bytes() == facts_before


def test_a_part_name_that_is_a_path_is_refused(received: Path, tmp_path: Path) -> None:
    crafted = craft(
        received,
        tmp_path / "crafted.docx",
        anchors=lambda m: m.replace(' lang="id"', ' lang="id" part="../../outside"'),
    )
    before = snapshot(received)
    assert_clean_failure(
        run(received, "review", "--apply", str(crafted)), crafted, "no part's name"
    )
    assert snapshot(received) == before


# -- tracebacks ------------------------------------------------------------------------
def test_a_broken_relationships_part(received: Path, tmp_path: Path) -> None:
    crafted = craft(
        received,
        tmp_path / "crafted.docx",
        extra={"word/_rels/document.xml.rels": b"<Relationships><broken"},
    )
    assert_clean_failure(
        run(received, "review", str(crafted)), crafted, "document.xml.rels is not well-formed"
    )


def test_an_unknown_language(received: Path, tmp_path: Path) -> None:
    crafted = craft(
        received, tmp_path / "crafted.docx", anchors=lambda m: m.replace('lang="id"', 'lang="xx"')
    )
    assert_clean_failure(run(received, "review", str(crafted)), crafted, "the language 'xx'")


@pytest.mark.parametrize("src", ["id.md", "id.md:", "id.md:x", "id.md:²", "id.md:" + "9" * 5000])
def test_an_anchor_without_a_line_number(received: Path, tmp_path: Path, src: str) -> None:
    before = snapshot(received)
    crafted = craft(
        received,
        tmp_path / "crafted.docx",
        anchors=lambda m: re.sub(r'src="[^"]*id\.md:4"', f'src="{ID_MD[: -len("id.md")]}{src}"', m),
        document=lambda d: retype(d, "Rapat berlangsung", "Rapat dibatalkan"),
    )
    result = run(received, "review", "--apply", str(crafted))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert 'crafted.docx: changed "berlangsung" → "dibatalkan" (untracked) — by hand' in (
        result.output
    )
    assert snapshot(received) == before


def test_anchor_names_that_are_not_numbers(received: Path, tmp_path: Path) -> None:
    """Names are put in reading order by their number; a name of a million digits or
    of superscript digits is no number and no traceback."""
    crafted = craft(
        received,
        tmp_path / "crafted.docx",
        anchors=lambda m: m.replace('n="_pd1"', 'n="_pd²"').replace(
            'n="_pd2"', 'n="_pd' + "7" * 100_000 + '"'
        ),
        document=lambda d: (
            d.replace('w:name="_pd1"', 'w:name="_pd²"')
            .replace('w:name="_pd2"', 'w:name="_pd' + "7" * 100_000 + '"')
            .replace("Rapat berlangsung", "Rapat dibatalkan", 1)
        ),
    )
    result = run(received, "review", str(crafted))
    assert result.exit_code == 0, result.output
    assert "dibatalkan" in result.output and "Traceback" not in result.output


@pytest.mark.slow  # unpacks a gigabyte of zeros, as far as its limit: seconds
def test_a_custom_xml_part_that_unpacks_to_gigabytes(received: Path, tmp_path: Path) -> None:
    """1 GiB of zeros packed into about a megabyte: not unpacked past the limit."""
    crafted = tmp_path / "bomb.docx"
    with zipfile.ZipFile(received / DOCX) as original, zipfile.ZipFile(crafted, "w") as out:
        for info in original.infolist():
            out.writestr(info, original.read(info))
        entry = zipfile.ZipInfo("customXml/item9.xml")
        entry.compress_type = zipfile.ZIP_DEFLATED
        block = b"\0" * (1 << 20)
        with out.open(entry, "w", force_zip64=True) as bomb:
            for _ in range(1024):
                bomb.write(block)
    assert crafted.stat().st_size < 8 << 20
    result = run(received, "review", str(crafted))
    assert_clean_failure(result, crafted, "customXml/item9.xml is too large to be a document")


def test_a_part_whose_stated_size_lies(received: Path, tmp_path: Path) -> None:
    crafted = tmp_path / "liar.docx"
    parts = parts_of(received / DOCX)
    name = map_name(parts)
    big = parts[name] + b"<!--" + b"x" * (40 << 20) + b"-->"
    with zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as out:
        for part, data in parts.items():
            out.writestr(part, big if part == name else data)
    # Rewrite the stated sizes of the map in both headers to 100 bytes.
    data = bytearray(crafted.read_bytes())
    with zipfile.ZipFile(crafted) as archive:
        info = archive.getinfo(name)
    for header, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(header + b"", 0)
        while at >= 0:
            name_at = at + (30 if header == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name.encode():
                data[at + offset : at + offset + 4] = (100).to_bytes(4, "little")
            at = data.find(header, at + 4)
    crafted.write_bytes(bytes(data))
    assert info.file_size > 40 << 20
    result = run(received, "review", str(crafted))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "liar.docx: error: " in result.output


# -- hangs -----------------------------------------------------------------------------
def test_thousands_of_anchors_in_one_paragraph(received: Path, tmp_path: Path) -> None:
    count = 20_000
    anchors = "".join(f'<a n="_pd{i}" src="{ID_MD}:{i}">x</a>' for i in range(1, count))
    starts = "".join(
        f'<w:bookmarkStart w:id="{i + 5000}" w:name="_pd{i}"/><w:r><w:t>y{i} </w:t></w:r>'
        for i in range(1, count)
    )
    ends = "".join(f'<w:bookmarkEnd w:id="{i + 5000}"/>' for i in range(1, count))
    crafted = craft(
        received,
        tmp_path / "crafted.docx",
        anchors=lambda m: m[: m.index("<a ")] + anchors + "</anchors>",
        document=lambda d: d.replace("<w:body>", f"<w:body><w:p>{starts}{ends}</w:p>", 1),
    )
    assert_clean_failure(run(received, "review", str(crafted)), crafted, "anchors span")


def test_a_rewritten_paragraph_of_thousands_of_words(received: Path, tmp_path: Path) -> None:
    """Compared word by word, a wholly rewritten long paragraph took minutes; it is
    one change."""
    words = 20_000
    old = " ".join(f"w{i % 7}" for i in range(words))
    new = " ".join(f"w{i % 5}" for i in range(words))
    crafted = craft(
        received,
        tmp_path / "crafted.docx",
        anchors=lambda m: m[: m.index("<a ")] + f'<a n="_pd1" src="{ID_MD}:4">{old}</a></anchors>',
        document=lambda d: d.replace(
            "<w:body>",
            '<w:body><w:p><w:bookmarkStart w:id="9001" w:name="_pd1"/>'
            f'<w:r><w:t>{new}</w:t></w:r><w:bookmarkEnd w:id="9001"/></w:p>',
            1,
        ),
    )
    before = snapshot(received)
    result = run(received, "review", "--apply", str(crafted))
    assert result.exit_code == 0, result.output
    assert "1 change, 0 comments: 0 applied, 1 left to do by hand" in result.output
    assert snapshot(received) == before


def test_too_many_anchors(received: Path, tmp_path: Path) -> None:
    anchors = "".join(f'<a n="_pd{i}" src="{ID_MD}:4">x</a>' for i in range(1, 200_002))
    crafted = craft(
        received,
        tmp_path / "crafted.docx",
        anchors=lambda m: m[: m.index("<a ")] + anchors + "</anchors>",
    )
    assert_clean_failure(run(received, "review", str(crafted)), crafted, "source anchors")


# -- a PK's, an LKj's and a Renstra's values: what is written is what the content holds --
RENSTRA_DOCX = "build/id/renstra/kemensos-2025-2029.docx"
PLAN = "content/renstra/kemensos-2025-2029/plan.yaml"
UNIT = "content/pk/ditjen-linjamsos-2025"
UNIT_DOCX = "build/id/pk/ditjen-linjamsos-2025.docx"
LKJ = "content/lkj/kemensos-2025"
LKJ_DOCX = "build/id/lkj/kemensos-2025.docx"
REALISATIONS = f"{LKJ}/data/realisasi.csv"


@pytest.fixture(scope="module")
def cycle_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's Renstra, PKs and LKj, built as Indonesian DOCX."""
    from conftest import make_project

    root = make_project(tmp_path_factory.mktemp("cycle"), with_content=True)
    for other in (root / "content").iterdir():
        if other.name not in ("renstra", "pk", "lkj"):
            shutil.rmtree(other)
    result = run(root, "build", "--lang", "id", "--format", "docx")
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def cycle(cycle_built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(cycle_built, root)
    return root


def typed_over(root: Path, docx: str, target: Path, old: str, new: str, nth: int = 0) -> Path:
    """The DOCX with the ``nth`` cell or paragraph text ``old`` typed over (untracked)."""
    parts = parts_of(root / docx)
    document = parts["word/document.xml"].decode()
    at = -1
    for _ in range(nth + 1):
        at = document.index(f">{old}<", at + 1)
    new = new.replace("&", "&amp;").replace("<", "&lt;")
    parts["word/document.xml"] = (
        document[:at] + f">{new}<" + document[at + len(old) + 2 :]
    ).encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    return target


def assert_left(result: object, words: str) -> None:
    """Exit 0, no traceback, the change left to do by hand with ``words`` as why."""
    output = result.output  # type: ignore[attr-defined]
    assert result.exit_code == 0, output  # type: ignore[attr-defined]
    assert "Traceback" not in output and "please report" not in output, output
    assert "0 applied, 1 left to do by hand" in output, output
    assert words in output, output


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("NaN", "is not a number"),
        ("sNaN", "is not a number"),  # was: InvalidOperation, please report this
        ("Infinity", "is not a number"),
        ("1e999", "larger than plandocs handles"),
        ("1.000.000.000.000.000.000.000", "larger than plandocs handles"),
        ("9" * 3000, "more digits than plandocs handles"),
        ("39,000000000000000000000000001", "a document prints at most 10"),  # was 39
        ("0,0000000000000000000000000001", "a document prints at most 10"),
    ],
)
def test_a_number_no_content_can_hold_is_never_written(
    cycle: Path, tmp_path: Path, typed: str, why: str
) -> None:
    """A PK's revised target typed over with what no pk.yaml may hold: it was written
    (``target: NaN``, 10^21, 39 for 39,000…001) and said applied, or a traceback."""
    before = snapshot(cycle)
    crafted = typed_over(cycle, UNIT_DOCX, tmp_path / "pk.docx", "38 persen", f"{typed} persen")
    assert_left(run(cycle, "review", "--apply", str(crafted)), why)
    assert snapshot(cycle) == before


def test_a_realisation_no_table_can_hold_is_never_written(cycle: Path, tmp_path: Path) -> None:
    before = snapshot(cycle)
    crafted = typed_over(cycle, LKJ_DOCX, tmp_path / "lkj.docx", "0,71", "NaN", nth=1)
    assert_left(run(cycle, "review", "--apply", str(crafted)), "is not a number")
    assert snapshot(cycle) == before


@pytest.mark.parametrize("shown", ["sNaN", "NaN", "0," + "0" * 35 + "1", "1e999"])
def test_a_value_the_map_says_was_printed_that_is_no_number(
    cycle: Path, tmp_path: Path, shown: str
) -> None:
    """The map's text of a value cell (what plandocs printed) crafted: was a ValueError
    or an InvalidOperation, 'please report this'."""
    before = snapshot(cycle)
    crafted = craft(
        cycle,
        tmp_path / "crafted.docx",
        anchors=lambda m: m.replace('fact="IKSS 1.1/2025">0,60<', f'fact="IKSS 1.1/2025">{shown}<'),
        document=lambda d: d.replace(">0,60<", ">0,65<", 1),
        docx=RENSTRA_DOCX,
    )
    assert_left(run(cycle, "review", "--apply", str(crafted)), "by hand")
    assert snapshot(cycle) == before


# -- a file saved meanwhile: never written at a place that has moved, never lost ----------
def _saved_before_apply(
    monkeypatch: pytest.MonkeyPatch, path: Path, edit: Callable[[str], str]
) -> None:
    """``path`` saved again (by a person, another review) between the review's reading
    and its writing."""
    from plandocs.review.apply import Applying

    original = Applying.apply

    def apply(self: Applying) -> None:
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
        original(self)

    monkeypatch.setattr(Applying, "apply", apply)


def test_a_plan_yaml_saved_between_review_and_apply_is_not_written_where_it_was(
    cycle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line added at its top moved every value: the new target was written at the
    old offsets, into the line before (``baseline: 0.65ar: 2024, …``), and applied."""
    from plandocs.review import review

    plan = cycle / PLAN
    comment = "# a line added while the review ran, longer than the value\n"
    _saved_before_apply(monkeypatch, plan, lambda text: comment + text)
    saved = comment + plan.read_text(encoding="utf-8")
    crafted = typed_over(cycle, RENSTRA_DOCX, tmp_path / "renstra.docx", "0,60", "0,65")
    report = review(cycle, crafted, apply=True)
    assert [i.status for i in report.items] == [
        f"by hand: {PLAN} has changed since it was read; review again"
    ]
    assert plan.read_text(encoding="utf-8") == saved


def test_a_table_sorted_between_review_and_apply_keeps_its_rows(
    cycle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The realisations' rows sorted the other way meanwhile: IKSS 1.1's new
    realisation was written into IKSS 4.2's row, and applied."""
    from plandocs.review import review

    table = cycle / REALISATIONS

    def resort(text: str) -> str:
        header, *rows = text.splitlines(keepends=True)
        return header + "".join(reversed(rows))

    _saved_before_apply(monkeypatch, table, resort)
    saved = resort(table.read_text(encoding="utf-8"))
    crafted = typed_over(cycle, LKJ_DOCX, tmp_path / "lkj.docx", "0,71", "0,75", nth=1)
    report = review(cycle, crafted, apply=True)
    assert [i.status for i in report.items] == [
        f"by hand: {REALISATIONS} has changed since it was read; review again"
    ]
    assert table.read_text(encoding="utf-8") == saved


def test_a_markdown_file_saved_while_the_apply_renders_keeps_that_save(
    received: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saved while --apply checked its edit by rendering (seconds, for a long chapter):
    the file was written over with the review's version, and that save was lost."""
    from plandocs.review import review, verify

    md = received / ID_MD
    renders = verify.rendered_texts
    calls: list[int] = []

    def rendered_texts(*args: object, **kwargs: object) -> dict[str, str]:
        calls.append(1)
        if len(calls) == 2:  # the check of the edited file
            md.write_text(md.read_text(encoding="utf-8") + "\nSaved meanwhile.\n", "utf-8")
        return renders(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(verify, "rendered_texts", rendered_texts)
    crafted = craft(
        received,
        tmp_path / "crafted.docx",
        document=lambda d: retype(d, "Rapat berlangsung", "Rapat dibatalkan"),
    )
    saved_before = md.read_text(encoding="utf-8")
    report = review(received, crafted, apply=True)
    assert len(calls) == 2
    assert [i.status for i in report.items if i.kind == "change"] == [
        f"by hand: {ID_MD} was saved while the review ran; review again"
    ]
    assert md.read_text(encoding="utf-8") == saved_before + "\nSaved meanwhile.\n"


# -- files as editors save them ----------------------------------------------------------
def test_a_pk_yaml_with_a_byte_order_mark_is_written_at_its_value(
    cycle: Path, tmp_path: Path
) -> None:
    """Notepad's UTF-8 starts with a byte-order mark, which the reader drops: the value
    was written one character early (``target:398``) and said applied."""
    pk_yaml = cycle / UNIT / "pk.yaml"
    text = pk_yaml.read_text(encoding="utf-8")
    pk_yaml.write_bytes(b"\xef\xbb\xbf" + text.encode())
    crafted = typed_over(cycle, UNIT_DOCX, tmp_path / "pk.docx", "38 persen", "39 persen")
    result = run(cycle, "review", "--apply", str(crafted))
    assert result.exit_code == 0, result.output
    assert "1 applied" in result.output, result.output
    assert (
        pk_yaml.read_bytes() == b"\xef\xbb\xbf" + text.replace("target: 38", "target: 39").encode()
    )
    assert run(cycle, "check", str(cycle / UNIT)).exit_code == 0


def test_a_table_cell_holding_a_line_separator_leaves_the_rows_as_they_are(
    cycle: Path, tmp_path: Path
) -> None:
    """A note pasted from Word holds U+2028, which is no line end to the CSV reader but
    was one to the writer: the realisation on the next row was written into the note."""
    table = cycle / REALISATIONS
    text = table.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lines[0] = lines[0].rstrip("\n") + ";catatan\n"
    lines[1] = lines[1].rstrip("\n") + ';"dua\u2028x;1;2;3\u2028baris"\n'
    lines[2:] = [line.rstrip("\n") + ";\n" for line in lines[2:]]
    table.write_text("".join(lines), encoding="utf-8")
    assert run(cycle, "check", str(cycle / LKJ)).exit_code == 0
    crafted = typed_over(cycle, LKJ_DOCX, tmp_path / "lkj.docx", "10,8", "11,0", nth=1)
    result = run(cycle, "review", "--apply", str(crafted))
    assert result.exit_code == 0, result.output
    assert "1 applied" in result.output, result.output
    lines[2] = lines[2].replace(";10,8;", ";11;")
    assert table.read_text(encoding="utf-8") == "".join(lines)


def test_a_realisation_in_a_workbook_is_said_to_be_changed_in_excel(
    cycle: Path, tmp_path: Path
) -> None:
    """The LKj's realisations in a workbook of its own folder: the change was said to be
    'not written in this document's folder', where it is; it is the cell to change."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Realisasi"
    for row in (cycle / REALISATIONS).read_text(encoding="utf-8").splitlines():
        code, *values = row.split(";")
        if code == "code":
            sheet.append([code, *(int(v) for v in values)])
        else:
            sheet.append([code, *(float(v.replace(".", "").replace(",", ".")) for v in values)])
    book.save(cycle / LKJ / "data/realisasi.xlsx")
    edit(
        cycle / LKJ / "lkj.yaml",
        "realisations: {path: data/realisasi.csv, numbers: id}",
        "realisations: data/realisasi.xlsx",
    )
    assert run(cycle, "check", str(cycle / LKJ)).exit_code == 0
    before = snapshot(cycle)
    crafted = typed_over(cycle, LKJ_DOCX, tmp_path / "lkj.docx", "0,71", "0,75", nth=1)
    result = run(cycle, "review", "--apply", str(crafted))
    assert_left(result, "plandocs does not write workbooks; change the cell in Excel")
    assert f"{LKJ}/data/realisasi.xlsx:Realisasi!D2 (IKSS 1.1, 2025 realisation)" in result.output
    assert snapshot(cycle) == before


@pytest.mark.parametrize("broken", ["pk", "its-pk"])
def test_a_change_in_a_document_that_does_not_load_says_so(
    cycle: Path, tmp_path: Path, broken: str
) -> None:
    """A PK with an error of its own, an LKj whose PK has one: the changed target and
    realisation were said to be 'written by a template, not by the content' — the
    reviewer was sent to the templates for a value of pk.yaml or of the LKj's table."""
    if broken == "pk":
        edit(cycle / UNIT / "pk.yaml", "year: 2025\n", "year: 2025\nbogus: 1\n")
        docx, old, new, nth = UNIT_DOCX, "38 persen", "39 persen", 0
        at = f"{UNIT}/pk.yaml:7:1"
    else:
        edit(cycle / "content/pk/kemensos-2025/pk.yaml", "year: 2025\n", "year: 2025\nbogus: 1\n")
        docx, old, new, nth = LKJ_DOCX, "0,71", "0,75", 1
        at = f"{LKJ}/lkj.yaml:5:5"  # its `pk:`, which says where the PK's error is
    before = snapshot(cycle)
    crafted = typed_over(cycle, docx, tmp_path / "reviewed.docx", old, new, nth)
    result = run(cycle, "review", "--apply", str(crafted))
    assert_left(result, f"the document does not load: an error at {at}; fix it, then review")
    assert "written by a template" not in result.output
    assert snapshot(cycle) == before


def test_a_part_the_document_does_not_have_is_the_files_claim(cycle: Path, tmp_path: Path) -> None:
    """A PK's map naming a part (as a regional sheet's does): its numbers were said to
    be a template's; the part is the file's claim, and nothing is written."""
    before = snapshot(cycle)
    crafted = craft(
        cycle,
        tmp_path / "crafted.docx",
        anchors=lambda m: m.replace(' lang="id"', ' lang="id" part="11"'),
        document=lambda d: d.replace(">38 persen<", ">39 persen<", 1),
        docx=UNIT_DOCX,
    )
    result = run(cycle, "review", "--apply", str(crafted))
    assert_left(result, "the reviewed file names no part '11' in this document")
    assert "written by a template" not in result.output
    assert snapshot(cycle) == before
