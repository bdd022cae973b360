"""A corpus of hostile projects for the commands beside ``check`` and ``build``'s own
reading — links in ``build/`` and the unit cache, planted manifests and shard parts,
kinds, examples for ``plandocs new``, region codes, names that would drive the terminal
— each case asserting the **effect**: the files outside the project unchanged and
unread (their access time), no text of theirs in any output or on the terminal,
outputs a user made kept, the command ending (a process with a ``timeout``), never a
traceback. The preview and ``--compare`` have theirs in ``test_hostile_serving.py``.

A case is (name, how to spoil the project, the command, what must hold after).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result

from conftest import BUILTIN, EN_BODY, ID_BODY, READOUT_FACTS, REPO, edit, run, write
from hostile import Outside, leaked, plandocs_forked
from test_kinds import REGIONAL, regional_project

# The cases that could hang run plandocs in a process of its own, under a timeout (a hang
# must not hang the suite), forked from one that has imported plandocs already; the
# corpus is part of the slow run.
pytestmark = pytest.mark.slow

R = "content/readouts/meeting"
SHEETS = "build/{lang}/regional/targets-2025-2029"
KIND = "kinds/regional"


@dataclass
class Ran:
    """What a command did: its exit code and everything it printed."""

    exit_code: int
    output: str


def _ran(result: Result) -> Ran:
    return Ran(result.exit_code, result.output)


@pytest.fixture
def base(tmp_path: Path) -> tuple[Path, Outside]:
    """A project with a readout and a regional batch of three regions (31, 32.10,
    32.16), and files outside it."""
    root = regional_project(tmp_path / "project")
    write(root, f"{R}/readout.yaml", READOUT_FACTS)
    write(root, f"{R}/id.md", ID_BODY)
    write(root, f"{R}/en.md", EN_BODY)
    return root, Outside(tmp_path)


def _fifo(path: Path) -> None:
    if path.exists() or path.is_symlink():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)


def _link(path: Path, target: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


def _wrote(output: str) -> set[str]:
    return {line.split(" ", 1)[1] for line in output.splitlines() if line.startswith("wrote ")}


def _sheet(lang: str, code: str, fmt: str = "html") -> str:
    return f"{SHEETS.format(lang=lang)}/{code}.{fmt}"


# -- build: links and things in build/ --------------------------------------------------
Case = tuple[str, Callable[[Path, Outside], object], tuple[str, ...], Callable[[Path, Ran], None]]


def _ok(root: Path, ran: Ran) -> None:
    assert ran.exit_code == 0, ran.output


def _built_anyway(*rels: str) -> Callable[[Path, Ran], None]:
    """The other documents are built, whatever one of them met."""

    def expect(root: Path, ran: Ran) -> None:
        for rel in rels:
            assert (root / rel).is_file() and not (root / rel).is_symlink(), (rel, ran.output)

    return expect


def _says(*texts: str, code: int | None = None) -> Callable[[Path, Ran], None]:
    def expect(root: Path, ran: Ran) -> None:
        for text in texts:
            assert text in ran.output, (text, ran.output)
        if code is not None:
            assert ran.exit_code == code, ran.output

    return expect


def _all(*checks: Callable[[Path, Ran], None]) -> Callable[[Path, Ran], None]:
    def expect(root: Path, ran: Ran) -> None:
        for check in checks:
            check(root, ran)

    return expect


def _prebuilt(spoil: Callable[[Path, Outside], object]) -> Callable[[Path, Outside], None]:
    """Build the project first (HTML), then spoil it."""

    def setup(root: Path, outside: Outside) -> None:
        first = run(root, "build", "--format", "html")
        assert first.exit_code == 0, first.output
        spoil(root, outside)

    return setup


def _manifest(root: Path, name: str = ".plandocs-manifest.json") -> dict[str, object]:
    data: dict[str, object] = json.loads((root / "build" / name).read_text())
    return data


def _plant_part(root: Path, name: str, change: Callable[[dict[str, object]], None]) -> None:
    """A shard's manifest part copied from the whole build's manifest, then changed."""
    data = _manifest(root)
    change(data)
    (root / "build" / name).write_text(json.dumps(data))


def _no_inputs_for(code: str) -> Callable[[dict[str, object]], None]:
    def change(data: dict[str, object]) -> None:
        outputs = data["outputs"]
        assert isinstance(outputs, dict)
        for record in outputs.values():
            if record.get("part") == code:
                record["inputs"] = {}

    return change


def _change_row(code: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        edit(
            root / REGIONAL / "data/targets.csv",
            f"{code},IKSS 1.2,9.5,11",
            f"{code},IKSS 1.2,9.5,12",
        )

    return change


def _plant_and_change_row(root: Path, outside: Outside) -> None:
    _plant_part(root, ".plandocs-manifest.shard-1-of-1.json", _no_inputs_for("32.16"))
    _change_row("32.16")(root)


def _forged_record(root: Path, outside: Outside) -> None:
    data = _manifest(root)
    outputs = data["outputs"]
    assert isinstance(outputs, dict)
    outputs["build/en/readouts/meeting.html"]["inputs"] = {}
    (root / "build/.plandocs-manifest.json").write_text(json.dumps(data))
    edit(root / f"{R}/en.md", "The meeting was held", "The forged meeting was held")


def _misnamed_record(root: Path, outside: Outside) -> None:
    data = _manifest(root)
    outputs = data["outputs"]
    assert isinstance(outputs, dict)
    record = outputs["build/en/readouts/meeting.html"]
    # Another document's record in this one's place, claiming only inputs that are current.
    record["document"] = "readouts/other"
    facts = "content/readouts/meeting/readout.yaml"
    record["inputs"] = {facts: record["inputs"][facts]}
    (root / "build/.plandocs-manifest.json").write_text(json.dumps(data))
    edit(root / f"{R}/en.md", "The meeting was held", "The renamed meeting was held")


def _rebuilt_with(text: str) -> Callable[[Path, Ran], None]:
    def expect(root: Path, ran: Ran) -> None:
        assert ran.exit_code == 0, ran.output
        assert text in (root / "build/en/readouts/meeting.html").read_text()

    return expect


def _sheet_rebuilt(root: Path, ran: Ran) -> None:
    assert ran.exit_code == 0, ran.output
    assert _sheet("id", "32.16") in _wrote(ran.output)
    assert _sheet("en", "32.16") in _wrote(ran.output)


def _output_is_link(root: Path, outside: Outside) -> None:
    _link(root / "build/id/readouts/meeting.html", outside.secret)


def _replaced_not_followed(root: Path, ran: Ran) -> None:
    assert ran.exit_code == 0, ran.output
    path = root / "build/id/readouts/meeting.html"
    assert path.is_file() and not path.is_symlink()


def _folder_in_place(root: Path, outside: Outside) -> None:
    write(root, "build/id/readouts/meeting.html/keep.txt", "a folder someone made")


def _folder_kept(root: Path, ran: Ran) -> None:
    assert ran.exit_code == 1
    assert "a folder stands where plandocs writes this output" in ran.output
    assert "please report" not in ran.output
    assert (root / "build/id/readouts/meeting.html/keep.txt").read_text() == "a folder someone made"
    _built_anyway("build/en/readouts/meeting.html", _sheet("id", "31"))(root, ran)


BUILD_LINKS: list[Case] = [
    (
        "build-folder-is-a-link-out",
        lambda root, out: _link(root / "build", out.folder),
        ("build", "--format", "html"),
        _says("build/ must be a folder inside the project, not a link", code=1),
    ),
    (
        "language-folder-is-a-link-out",
        lambda root, out: _link(root / "build/id", out.folder),
        ("build", "--format", "html"),
        _all(
            _says("build/id: error: this folder is a link out of build/", code=1),
            _built_anyway("build/en/readouts/meeting.html", _sheet("en", "32.10")),
        ),
    ),
    (
        "kind-output-folder-is-a-link-out",
        lambda root, out: _link(root / "build/en/readouts", out.folder),
        ("build", "--format", "html"),
        _all(
            _says("this folder is a link out of build/", code=1),
            _built_anyway("build/id/readouts/meeting.html", _sheet("en", "31")),
        ),
    ),
    (
        "parts-output-folder-is-a-link-out",
        lambda root, out: _link(root / SHEETS.format(lang="id"), out.folder),
        ("build", "--format", "html"),
        _all(
            _says("this folder is a link out of build/", code=1),
            _built_anyway("build/id/readouts/meeting.html", _sheet("en", "31")),
        ),
    ),
    (
        "output-is-a-link-out",
        _prebuilt(_output_is_link),
        ("build", "--format", "html", "--force"),
        _replaced_not_followed,
    ),
    (
        "folder-where-an-output-belongs",
        lambda root, out: _folder_in_place(root, out),
        ("build", "--format", "html"),
        _folder_kept,
    ),
    (
        "lock-file-is-a-link-out",
        lambda root, out: _link(root / "build/.plandocs.lock", out.folder / "made-by-plandocs"),
        ("build", "--format", "html"),
        _says("build/.plandocs.lock: error: the build's lock file is a link; remove it", code=1),
    ),
    (
        "manifest-is-a-link-out",
        lambda root, out: _link(root / "build/.plandocs-manifest.json", out.secret),
        ("build", "--format", "html"),
        _all(_ok, _built_anyway("build/id/readouts/meeting.html")),
    ),
    (
        "shard-part-is-a-link-out",
        lambda root, out: _link(root / "build/.plandocs-manifest.shard-1-of-2.json", out.secret),
        ("build", "--format", "html"),
        _all(_ok, _built_anyway(_sheet("id", "31"))),
    ),
    (
        "planted-shard-part-claims-no-inputs",
        _prebuilt(_plant_and_change_row),
        ("build", "--format", "html"),
        _sheet_rebuilt,
    ),
    (
        "planted-record-claims-no-inputs",
        _prebuilt(_forged_record),
        ("build", "--format", "html"),
        _rebuilt_with("The forged meeting was held"),
    ),
    (
        "record-of-another-document",
        _prebuilt(_misnamed_record),
        ("build", "--format", "html"),
        _rebuilt_with("The renamed meeting was held"),
    ),
]


# -- build: outputs a user made ---------------------------------------------------------
def _edit_output(rel: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        with open(root / rel, "ab") as f:
            f.write(b"\n<!-- a reviewer's note -->\n")

    return change


def _edited_then(then: Callable[[Path], object]) -> Callable[[Path, Outside], None]:
    def setup(root: Path, outside: Outside) -> None:
        first = run(root, "build", "--format", "html,docx")
        assert first.exit_code == 0, first.output
        _edit_output(_sheet("id", "32.10", "docx"))(root)
        then(root)

    return setup


def _edit_kept(root: Path, ran: Ran) -> None:
    kept = root / _sheet("id", "32.10.edited", "docx")
    assert kept.is_file(), ran.output
    assert kept.read_bytes().endswith(b"<!-- a reviewer's note -->\n")
    assert f"{_sheet('id', '32.10', 'docx')}: warning: edited since plandocs wrote it" in ran.output


def _drop_region(code: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        csv = root / REGIONAL / "data/targets.csv"
        lines = [line for line in csv.read_text().splitlines() if not line.startswith(f"{code},")]
        csv.write_text("\n".join(lines) + "\n")

    return change


def _reviewer_copy_and_folder(name: str) -> Callable[[Path, Outside], None]:
    def setup(root: Path, outside: Outside) -> None:
        write(root, "build/id/readouts/meeting.edited.docx", "a reviewer's kept copy")
        shutil.copytree(root / R, root / f"content/readouts/{name}")

    return setup


def _reviewer_copy_kept(name: str) -> Callable[[Path, Ran], None]:
    def expect(root: Path, ran: Ran) -> None:
        copy = root / "build/id/readouts/meeting.edited.docx"
        assert copy.read_text() == "a reviewer's kept copy"
        assert f"content/readouts/{name}: error: the folder name cannot name output files" in (
            ran.output
        )
        assert not (root / f"build/en/readouts/{name}.html").exists()
        _built_anyway("build/en/readouts/meeting.html")(root, ran)

    return expect


OUTPUTS_KEPT: list[Case] = [
    (
        "edited-sheet-then-its-row-changes",
        _edited_then(_change_row("32.10")),
        ("build", "--format", "html,docx"),
        _edit_kept,
    ),
    (
        "edited-sheet-then-force",
        _edited_then(lambda root: None),
        ("build", "--format", "html,docx", "--force"),
        _edit_kept,
    ),
    (
        "edited-sheet-then-its-region-goes",
        _edited_then(_drop_region("32.10")),
        ("build", "--format", "html,docx"),
        _edit_kept,
    ),
    (
        "folder-named-like-a-kept-edit",
        _reviewer_copy_and_folder("meeting.edited"),
        ("build", "--format", "html,docx"),
        _reviewer_copy_kept("meeting.edited"),
    ),
    (
        "folder-named-like-a-redline",
        _reviewer_copy_and_folder("meeting.changes"),
        ("build", "--format", "html,docx"),
        _reviewer_copy_kept("meeting.changes"),
    ),
]


# -- build: one bad region, names that would drive the terminal --------------------------
def _row(code: str) -> Callable[[Path, Outside], None]:
    """A region's rows added to the table (and not to the `regions` fact)."""

    def setup(root: Path, outside: Outside) -> None:
        csv = root / REGIONAL / "data/targets.csv"
        rows = [
            f"{code},IKSS 1.1,1,1,1,1,1,1",
            f"{code},IKSS 1.2,1,1,1,1,1,1",
            f"{code},IKSS 2.2,1,1,1,1,1,1",
            f"{code},IKSS 3.2,1,1,1,1,1,1",
        ]
        csv.write_text(csv.read_text() + "\n".join(rows) + "\n")

    return setup


def _one_region_fails(message: str) -> Callable[[Path, Ran], None]:
    def expect(root: Path, ran: Ran) -> None:
        assert ran.exit_code == 1
        assert f"{REGIONAL}/data/targets.csv:14:" in ran.output, ran.output
        assert f"error: {message}" in ran.output, ran.output
        for code in ("31", "32.10", "32.16"):
            assert (root / _sheet("id", code)).is_file(), ran.output
        assert "please report" not in ran.output
        # Nothing was written beside build/ (a code with ../ in it names no file there).
        assert not any(p.name.startswith("x.") for p in root.parent.rglob("x.*"))

    return expect


def _no_raw_line(forged: str) -> Callable[[Path, Ran], None]:
    def expect(root: Path, ran: Ran) -> None:
        assert not any(line.startswith(forged) for line in ran.output.splitlines()), ran.output
        assert "\\x0a" in ran.output or "\\n" in ran.output
        assert "\x1b" not in ran.output

    return expect


EVIL = "evil\nplandocs: 0 written, 0 failed"


def _evil_folder(root: Path, outside: Outside) -> None:
    shutil.copytree(root / R, root / "content/readouts" / EVIL)


NAMES: list[Case] = [
    (
        "region-code-not-listed",
        _row("99"),
        ("build", "--format", "html"),
        _one_region_fails("region '99' is not listed in `regions` of sheet.yaml"),
    ),
    (
        "region-code-leads-out-of-build",
        _row("../../../../x"),
        ("build", "--format", "html"),
        _one_region_fails("the region '../../../../x' cannot name output files"),
    ),
    (
        "region-code-like-a-kept-edit",
        _row("31.edited"),
        ("build", "--format", "html"),
        _one_region_fails("the region '31.edited' cannot name output files"),
    ),
    (
        "region-code-with-a-line-break",
        _row('"3\n1"'),
        ("build", "--format", "html"),
        _all(_no_raw_line("1' cannot name"), _says("the region '3\\n1' cannot name output files")),
    ),
    (
        "folder-name-forges-a-summary-line",
        _evil_folder,
        ("build", "--format", "html"),
        _no_raw_line("plandocs: 0 written, 0 failed"),
    ),
    (
        "folder-name-forges-a-line-explained",
        _evil_folder,
        ("build", "--format", "html", "--explain"),
        _no_raw_line("plandocs: 0 written, 0 failed"),
    ),
    (
        "folder-name-forges-a-line-in-check",
        _evil_folder,
        ("check",),
        _no_raw_line("plandocs: 0 written, 0 failed"),
    ),
    (
        "folder-name-with-a-backslash-fails-check-too",
        lambda root, out: shutil.copytree(root / R, root / "content/readouts/a\\b"),
        ("check",),
        _says("content/readouts/a\\b: error: the folder name cannot name output files", code=1),
    ),
]


# -- build and check: values, templates, kinds -------------------------------------------
def _binary(rel: str, old: str, new: str) -> Callable[[Path, Outside], None]:
    def setup(root: Path, outside: Outside) -> None:
        edit(root / rel, old, new)

    return setup


def _template_url(root: Path, outside: Outside) -> None:
    template = root / KIND / "templates/shared/regional.html"
    edit(
        template,
        "{% block content %}",
        f'{{% block content %}}<img src="{outside.secret.as_uri()}">',
    )


def _template_line(root: Path) -> int:
    lines = (root / KIND / "templates/shared/regional.html").read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if "<img src=" in line)


def _located_at_template(root: Path, ran: Ran) -> None:
    assert ran.exit_code == 1
    where = f"{KIND}/templates/shared/regional.html:{_template_line(root)}: error: "
    assert where in ran.output and "is outside the project" in ran.output, ran.output


def _outside_kind(root: Path, outside: Outside) -> Path:
    """A copy of the regional kind outside the project, its words holding the token."""
    copy = outside.folder / "regional"
    shutil.copytree(root / KIND, copy)
    edit(copy / "kind.yaml", "Lembar target daerah", f"Lembar {outside.token}")
    edit(copy / "templates/id/regional.html", "{%", f"{outside.token}{{%")
    for path in sorted(p for p in copy.rglob("*") if p.is_file()):
        outside.file(path.relative_to(outside.folder).as_posix(), path.read_text())
    return copy


def _kind_file_link(root: Path, outside: Outside) -> None:
    _link(root / KIND / "kind.yaml", _outside_kind(root, outside) / "kind.yaml")


def _kind_folder_link(root: Path, outside: Outside) -> None:
    _link(root / KIND, _outside_kind(root, outside))


def _kind_templates_link(root: Path, outside: Outside) -> None:
    _link(root / KIND / "templates", _outside_kind(root, outside) / "templates")


def _kind_schema_link(root: Path, outside: Outside) -> None:
    _link(root / KIND / "schema.yaml", _outside_kind(root, outside) / "schema.yaml")


def _readouts_still_build(root: Path, ran: Ran) -> None:
    assert ran.exit_code == 1, ran.output
    assert "please report" not in ran.output
    _built_anyway("build/id/readouts/meeting.html", "build/en/readouts/meeting.html")(root, ran)


def _schema_ref(url: Callable[[Outside], str]) -> Callable[[Path, Outside], None]:
    def setup(root: Path, outside: Outside) -> None:
        schema = root / KIND / "schema.yaml"
        schema.write_text(schema.read_text() + f"\n$defs:\n  remote:\n    $ref: '{url(outside)}'\n")

    return setup


def _broken_kind(root: Path, outside: Outside) -> None:
    (root / KIND / "kind.yaml").write_text("facts: sheet.yaml\ntitle: [unclosed\n")


VALUES: list[Case] = [
    (
        "binary-fact-in-a-readout",
        _binary(f"{R}/readout.yaml", "city: Bekasi", "city: !!binary QmVrYXNp"),
        ("build", "--format", "html"),
        _all(
            _says(f"{R}/readout.yaml:1:7: error: a `!!binary` value is not read here", code=1),
            _built_anyway(_sheet("id", "31")),
        ),
    ),
    (
        "binary-fact-in-check",
        _binary(f"{R}/readout.yaml", "city: Bekasi", "city: !!binary QmVrYXNp"),
        ("check",),
        _says(f"{R}/readout.yaml:1:7: error: a `!!binary` value is not read here", code=1),
    ),
    (
        "binary-fact-in-a-batch",
        _binary(f"{REGIONAL}/sheet.yaml", "city: Jakarta", "city: !!binary SmFrYXJ0YQ=="),
        ("build", "--format", "html"),
        _all(
            _says(f"{REGIONAL}/sheet.yaml:", "a `!!binary` value is not read here", code=1),
            _built_anyway("build/id/readouts/meeting.html"),
        ),
    ),
    (
        "set-fact",
        _binary(f"{R}/readout.yaml", "city: Bekasi", "city: !!set {Bekasi}"),
        ("check",),
        _says("a `!!set` value is not read here", code=1),
    ),
    (
        "template-writes-an-outside-image-build",
        _template_url,
        ("build", "--format", "pdf", "--lang", "id"),
        _located_at_template,
    ),
    (
        "template-writes-an-outside-image-check",
        _template_url,
        ("check",),
        _located_at_template,
    ),
    ("broken-kind-yaml", _broken_kind, ("build", "--format", "html"), _readouts_still_build),
    ("kind-yaml-links-out", _kind_file_link, ("build", "--format", "html"), _readouts_still_build),
    (
        "kind-folder-links-out",
        _kind_folder_link,
        ("build", "--format", "html"),
        _readouts_still_build,
    ),
    (
        "kind-templates-link-out",
        _kind_templates_link,
        ("build", "--format", "html"),
        _readouts_still_build,
    ),
    ("kind-schema-links-out", _kind_schema_link, ("check",), _says("schema", code=1)),
    (
        "schema-refers-to-a-file-outside",
        _schema_ref(lambda out: out.secret.as_uri()),
        ("build", "--format", "html"),
        _readouts_still_build,
    ),
    (
        "data-table-links-out",
        lambda root, out: _link(
            root / REGIONAL / "data/targets.csv",
            out.file("targets.csv", "region,code,2024\n{token},x,1\n"),
        ),
        ("build", "--format", "html"),
        _all(_says("outside the project", code=1), _readouts_still_build),
    ),
    (
        "huge-image",
        lambda root, out: (
            (root / R / "peta.png").write_bytes(b""),
            os.truncate(root / R / "peta.png", 3 * 1024**3),
            edit(root / f"{R}/id.md", "> “Kutipan,”", "![peta](peta.png)\n\n> “Kutipan,”"),
        ),
        ("check",),
        _says(f"{R}/id.md:6: error: image 'peta.png': this image is larger than 30 MiB", code=1),
    ),
    (
        "shard-in-superscript-digits",
        lambda r, o: None,
        ("build", "--shard", "²/³"),
        _says("I/N", code=2),
    ),
    ("shard-zero", lambda r, o: None, ("build", "--shard", "0/3"), _says("I/N", code=2)),
    ("shard-past-its-count", lambda r, o: None, ("build", "--shard", "4/3"), _says("I/N", code=2)),
]

IN_PROCESS = BUILD_LINKS + OUTPUTS_KEPT + NAMES + VALUES


@pytest.mark.parametrize(
    ("setup", "args", "expect"),
    [pytest.param(s, a, e, id=name) for name, s, a, e in IN_PROCESS],
)
def test_hostile_project(
    base: tuple[Path, Outside],
    setup: Callable[[Path, Outside], object],
    args: tuple[str, ...],
    expect: Callable[[Path, Ran], None],
) -> None:
    root, outside = base
    setup(root, outside)
    ran = _ran(run(root, *args))
    assert "Traceback" not in ran.output
    expect(root, ran)
    outside.untouched(roots=(root,), output=ran.output)


# -- what could hang: in a process of its own, which must end in time --------------------
def _huge_word(root: Path, outside: Outside) -> None:
    write(root, f"{R}/id.md", "---\ntitle: Rapat\n---\n" + "a" * 100_000 + "\n\nTeks.\n")


def _huge_fact(root: Path, outside: Outside) -> None:
    # A 1.9 MB fact without a space, through the Markdown filter (the sheet's note).
    edit(root / REGIONAL / "sheet.yaml", "note:\n", "note_old:\n")
    text = (root / REGIONAL / "sheet.yaml").read_text()
    (root / REGIONAL / "sheet.yaml").write_text(
        text.replace("note_old:", f"note: {'x' * 1_900_000}\nnote_old:")
    )
    edit(root / KIND / "schema.yaml", "  note:", "  note_old: {}\n  note:")


HANGS: list[tuple[str, Callable[[Path, Outside], object], tuple[str, ...], str]] = [
    (
        "data-table-is-a-fifo-build",
        lambda root, out: _fifo(root / REGIONAL / "data/targets.csv"),
        ("build", "--format", "html"),
        "data/targets.csv",
    ),
    (
        "data-table-is-a-fifo-check",
        lambda root, out: _fifo(root / REGIONAL / "data/targets.csv"),
        ("check",),
        "data/targets.csv",
    ),
    (
        "an-input-becomes-a-fifo-after-a-build",
        _prebuilt(lambda root, out: _fifo(root / REGIONAL / "data/targets.csv")),
        ("build", "--format", "html"),
        "data/targets.csv",
    ),
    (
        "manifest-is-a-fifo",
        lambda root, out: _fifo(root / "build/.plandocs-manifest.json"),
        ("build", "--format", "html"),
        "written",
    ),
    (
        "shard-part-is-a-fifo",
        lambda root, out: _fifo(root / "build/.plandocs-manifest.shard-2-of-3.json"),
        ("build", "--format", "html"),
        "written",
    ),
    (
        "schema-pattern-that-backtracks",
        lambda root, out: edit(
            root / KIND / "schema.yaml",
            "type: object",
            "type: object\npatternProperties: {'^(a+)+$': {}}",
        ),
        ("check",),
        "schema.yaml",
    ),
    (
        "schema-refers-to-the-network",
        _schema_ref(lambda out: "http://192.0.2.1/schema.json"),
        ("check",),
        "schema.yaml",
    ),
    (  # the document the word is in, in its language, into the writers that lay it out
        "word-of-100000-letters-build",
        _huge_word,
        ("build", "{root}/" + R, "--lang", "id", "--format", "pdf,docx", "-j", "1"),
        "written",
    ),
    ("word-of-100000-letters-check", _huge_word, ("check",), "plandocs check"),
    ("fact-of-1.9-mb-without-a-space", _huge_fact, ("check",), "plandocs check"),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("setup", "args", "needle"),
    [pytest.param(s, a, n, id=name) for name, s, a, n in HANGS],
)
def test_hostile_project_ends(
    base: tuple[Path, Outside],
    setup: Callable[[Path, Outside], object],
    args: tuple[str, ...],
    needle: str,
) -> None:
    root, outside = base
    setup(root, outside)
    code, output = plandocs_forked(root, *(a.format(root=root) for a in args), timeout=240)
    assert needle in output, output
    assert "Traceback" not in output and "please report" not in output, output
    assert code in (0, 1), output
    outside.untouched(roots=(root,), output=output)


# -- shards: a part speaks for its own shard only ----------------------------------------
def test_a_shard_part_speaks_for_its_own_shard_only(base: tuple[Path, Outside]) -> None:
    from plandocs.build.manifest import Manifest
    from plandocs.build.run import _merge_shards
    from plandocs.build.shards import in_shard

    root, outside = base
    assert run(root, "build", "--format", "html").exit_code == 0
    whole = Manifest.load(root / "build")
    # One part claims every output of the build, as shard 1 of 2.
    shutil.copy(
        root / "build/.plandocs-manifest.json", root / "build/.plandocs-manifest.shard-1-of-2.json"
    )
    merged = Manifest()
    _merge_shards(root / "build", merged)
    units = {
        rel: (r["document"] if r.get("part") is None else f"{r['document']}/{r['part']}", r["lang"])
        for rel, r in whole.outputs.items()
    }
    assert merged.outputs, "the part's own outputs are taken"
    assert set(merged.outputs) == {
        rel for rel, (u, lang) in units.items() if in_shard(u, lang, (1, 2))
    }
    outside.untouched(roots=(root,))


# -- plandocs new ---------------------------------------------------------------------------
def _example(root: Path) -> Path:
    example = root / "kinds/minutes/example"
    return example


def _outside_minutes(root: Path, outside: Outside) -> Path:
    copy = outside.folder / "minutes"
    shutil.copytree(root / "kinds/minutes", copy)
    edit(copy / "example/minutes.yaml", "\n", f"\n# {outside.token}\n")
    for path in sorted(p for p in copy.rglob("*") if p.is_file()):
        outside.file(path.relative_to(outside.folder).as_posix(), path.read_text())
    return copy


NewCase = tuple[str, Callable[[Path, Outside], object], tuple[str, ...], str]

NEW_CASES: list[NewCase] = [
    (
        "example-file-links-out",
        lambda root, out: _link(_example(root) / "minutes.yaml", out.secret),
        ("minutes", "rapat"),
        "the example holds a link",
    ),
    (
        "example-subfolder-links-out",
        lambda root, out: _link(_example(root) / "more", out.folder),
        ("minutes", "rapat"),
        "the example holds a link",
    ),
    (
        "example-folder-links-out",
        lambda root, out: _link(_example(root), _outside_minutes(root, out) / "example"),
        ("minutes", "rapat"),
        "no example folder",
    ),
    (
        "kind-folder-links-out",
        lambda root, out: _link(root / "kinds/minutes", _outside_minutes(root, out)),
        ("minutes", "rapat"),
        "outside the project",
    ),
    (
        "kinds-folder-links-out",
        lambda root, out: (
            _outside_minutes(root, out),
            shutil.rmtree(root / "kinds"),
            (root / "kinds").symlink_to(out.folder),
        ),
        ("minutes", "rapat"),
        "outside the project",
    ),
    (
        "content-folder-links-out",
        lambda root, out: _link(root / "content", out.folder),
        ("minutes", "rapat"),
        "must be a folder of the project, not a link",
    ),
    (
        "kind-content-folder-links-out",
        lambda root, out: _link(root / "content/minutes", out.folder),
        ("minutes", "rapat"),
        "must be a folder of the project, not a link",
    ),
    (
        "target-folder-is-a-link-out",
        lambda root, out: _link(root / "content/minutes/rapat", out.folder),
        ("minutes", "rapat"),
        "exists already",
    ),
    (
        "example-holds-a-fifo",
        lambda root, out: _fifo(_example(root) / "pipe.yaml"),
        ("minutes", "rapat"),
        "not a file",
    ),
    (
        "example-holds-dev-zero",
        lambda root, out: _link(_example(root) / "zero.yaml", Path("/dev/zero")),
        ("minutes", "rapat"),
        "the example holds a link",
    ),
    ("slug-ends-in-a-line-break", lambda root, out: None, ("minutes", "rapat\n"), "cannot name"),
    ("slug-leads-up", lambda root, out: None, ("minutes", "../../rapat"), "cannot name"),
    ("slug-like-a-kept-edit", lambda root, out: None, ("minutes", "rapat.edited"), "cannot name"),
]


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [pytest.param(s, a, m, id=name) for name, s, a, m in NEW_CASES],
)
def test_hostile_new(
    base: tuple[Path, Outside],
    setup: Callable[[Path, Outside], object],
    args: tuple[str, ...],
    message: str,
) -> None:
    root, outside = base
    setup(root, outside)
    made = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if not p.is_symlink())
    code, output = plandocs_forked(root, "new", *args, timeout=60)
    assert code == 1, output
    assert message in output, output
    assert "Traceback" not in output and "\x1b" not in output
    after = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if not p.is_symlink())
    assert after == made, "plandocs new made something"
    outside.untouched(roots=(root,), output=output)


def test_hostile_corpus_size() -> None:
    from test_hostile_serving import COMPARE_CASES, PREVIEW_CASES, UNIT_CASES

    cases = (
        len(IN_PROCESS)
        + len(HANGS)
        + 1  # a shard part speaks for its own shard
        + len(NEW_CASES)
        + len(UNIT_CASES)
        + len(PREVIEW_CASES)
        + len(COMPARE_CASES)
    )
    assert cases >= 60 + 20, cases
    assert leaked  # the helper every case's effect goes through
    assert BUILTIN.is_dir() and REPO.is_dir()
