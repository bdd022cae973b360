"""Bad input: one clear line naming path:line and what to do; nothing built is lost."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import (
    EN_BODY,
    ID_BODY,
    READOUT_FACTS,
    make_project,
    readout_in,
    run,
    shared_once,
    write,
)

FACTS = "content/readouts/meeting/readout.yaml"
ID_MD = "content/readouts/meeting/id.md"


@pytest.fixture(scope="session")
def built_readout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with one good readout, built once per session (tests copy it)."""

    def build(root: Path) -> None:
        make_project(root)
        readout_in(root)
        result = run(root, "build")
        assert result.exit_code == 0, result.output

    return shared_once(tmp_path_factory, "bad-input-built", build)


@pytest.fixture
def built(project: Path, built_readout: Path) -> dict[Path, bytes]:
    """A project with one good readout already built (a copy of the session's, times
    kept); returns the outputs' bytes."""
    shutil.copytree(built_readout, project, symlinks=True, dirs_exist_ok=True)
    outputs = sorted((project / "build").glob("*/*/*.*"))
    assert len(outputs) == 6
    return {path: path.read_bytes() for path in outputs}


def assert_untouched(outputs: dict[Path, bytes]) -> None:
    for path, content in outputs.items():
        assert path.read_bytes() == content, f"{path} was replaced"
    assert not [p for p in next(iter(outputs)).parents[2].rglob("*") if p.suffix == ".tmp"]


BAD_FACTS = [
    pytest.param(
        "city: Bekasi\ndate: 2024-02-08\nevent: {start: 2024-02-05\n",
        f"{FACTS}:4:1: error: invalid YAML",
        id="invalid-yaml",
    ),
    pytest.param(
        "city: Bekasi\ndate: 2024-02-08\n  people: x\n",
        f"{FACTS}:3:9: error: invalid YAML",
        id="bad-indentation",
    ),
    pytest.param(
        "date: 2024-02-08\n",
        f"{FACTS}:1:1: error: `city` is required; add it",
        id="missing-city",
    ),
    pytest.param(
        "city: Bekasi\n",
        f"{FACTS}:1:1: error: `date` is required; add it",
        id="missing-date",
    ),
    pytest.param(
        "city: Bekasi\ndate: 2024-02-30\n",
        f"{FACTS}:2:7: error: `date`: '2024-02-30' is not a date; write it as YYYY-MM-DD",
        id="impossible-date",
    ),
    pytest.param(
        "city: Bekasi\ndate: 8 Februari 2024\n",
        f"{FACTS}:2:7: error: `date`: '8 Februari 2024' is not a date",
        id="date-in-words",
    ),
    pytest.param(
        "city: Bekasi\ndate: 2024-02-08\nevent:\n  start: 2024-13-01\n",
        f"{FACTS}:4:10: error: `event.start`: '2024-13-01' is not a date",
        id="event-date",
    ),
    pytest.param(
        "city: Bekasi\ndate: 2024-02-08\nevent:\n  time: '10:00'\n  timezone: CET\n",
        f"{FACTS}:5:13: error: `event.timezone`: 'CET' is not allowed; use one of 'WIB', "
        "'WITA' or 'WIT'",
        id="unknown-timezone",
    ),
    pytest.param(
        "city: Bekasi\ndate: 2024-02-08\nevent:\n  time: 25:00\n  timezone: WIB\n",
        f"{FACTS}:4:9: error: `event.time`: '25:00' is not a time; write it as HH:MM",
        id="bad-time",
    ),
    pytest.param(
        "city: Bekasi\ndate: 2024-02-08\nevent:\n  start: 2024-02-07\n  end: 2024-02-05\n",
        "is before `start`",
        id="range-backwards",
    ),
    pytest.param(
        "city: Bekasi\ndate: 2024-02-08\nevent:\n  venu: Bekasi\n",
        f"{FACTS}:4:3: error: unknown key `event.venu`; check its spelling or remove it",
        id="misspelt-key",
    ),
    pytest.param(
        "- city: Bekasi\n",
        f"{FACTS}:1:1: error: the file should hold a mapping",
        id="not-a-mapping",
    ),
    pytest.param(
        "city: Bekasi\ndate: 2024-02-08\nlang: id\n",
        "`lang` is a name plandocs uses itself; rename this fact",
        id="reserved-name",
    ),
]


@pytest.mark.parametrize(("facts", "expected"), BAD_FACTS)
def test_bad_facts(built: dict[Path, bytes], project: Path, facts: str, expected: str) -> None:
    (project / FACTS).write_text(facts, encoding="utf-8")
    result = run(project, "build")
    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output
    assert "0 written, 0 skipped, 1 failed" in result.output
    assert_untouched(built)


BAD_PROSE = [
    pytest.param(
        "---\ntitle: Rapat\n---\nSatu.\n\nDi {{ venue }} kita.\n",
        f"{ID_MD}:6: error: unknown fact `venue` in an expression",
        id="unknown-fact",
    ),
    pytest.param(
        "---\ntitle: Rapat\n---\nSatu.\n\n{{ people.budi.name }}\n",
        f"{ID_MD}:6: error: unknown fact `.budi` in an expression",
        id="unknown-person",
    ),
    pytest.param(
        "---\ntitle: Rapat\n---\nSatu.\nDua {{ date | date }.\n",
        f"{ID_MD}:5: error: template syntax",
        id="unclosed-expression",
    ),
    pytest.param(
        "---\ntitle: Rapat {{ nama }}\n---\nSatu.\n",
        f"{ID_MD}:2: error: unknown fact `nama`",
        id="unknown-fact-in-title",
    ),
    pytest.param(
        "---\ntitle: Rapat\n---\n\n{{ city | rupiah }}\n",
        f"{ID_MD}:5: error: 'Bekasi' is not a number",
        id="filter-on-wrong-type",
    ),
    pytest.param(
        "title: Rapat\n\nSatu.\n",
        f"{ID_MD}:1: error: the file must start with front matter",
        id="no-front-matter",
    ),
    pytest.param(
        "---\ntitle: Rapat\nSatu.\n",
        f"{ID_MD}:1: error: the front matter is not closed",
        id="front-matter-unclosed",
    ),
    pytest.param(
        "---\ntitel: Rapat\n---\nSatu.\n",
        f"{ID_MD}:2:1: error: `title` is required; add it\n"
        f"{ID_MD}:2:1: error: unknown key `titel`; check its spelling or remove it",
        id="front-matter-typo",
    ),
    pytest.param(
        "---\ntitle: Rapat\n---\n{{ date.__class__.__mro__ }}\n",
        f"{ID_MD}:4: error: not allowed in a template",
        id="sandbox-escape",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BAD_PROSE)
def test_bad_prose(built: dict[Path, bytes], project: Path, text: str, expected: str) -> None:
    (project / ID_MD).write_text(text, encoding="utf-8")
    result = run(project, "build")
    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output
    # The English version does not depend on id.md: it is left as it was.
    assert "0 written, 3 unchanged, 0 skipped, 1 failed" in result.output
    assert_untouched({p: b for p, b in built.items() if "/id/" in p.as_posix()})


def test_every_problem_of_a_file_is_reported(
    project: Path, add_readout: Callable[..., Path]
) -> None:
    add_readout(project, facts="city: ''\ndate: 2024-02-30\nevent: {timezone: CET}\n")
    result = run(project, "build")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if ": error: " in line]
    assert [line.split(": error:")[0] for line in lines] == [
        f"{FACTS}:1:7",
        f"{FACTS}:2:7",
        f"{FACTS}:3:19",
    ]


def test_one_bad_readout_does_not_stop_the_others(
    project: Path, add_readout: Callable[..., Path]
) -> None:
    add_readout(project, slug="good")
    add_readout(project, slug="bad", facts="city: X\n")
    result = run(project, "build", "--format", "html")
    assert result.exit_code == 1
    assert "2 written, 0 skipped, 1 failed" in result.output
    assert (project / "build/en/readouts/good.html").exists()


def test_missing_settings(tmp_path: Path) -> None:
    result = run(tmp_path, "build")
    assert result.exit_code == 1
    assert "plandocs.yaml: error: no plandocs.yaml here" in result.output


def test_bad_settings(project: Path) -> None:
    settings = project / "plandocs.yaml"
    settings.write_text(settings.read_text().replace("size: A4", "size: A3"))
    result = run(project, "build")
    assert result.exit_code == 1
    assert "plandocs.yaml:11:9: error: `page.size`: 'A3' is not allowed" in result.output


def test_missing_translation_of_a_fact(project: Path, add_readout: Callable[..., Path]) -> None:
    facts = READOUT_FACTS.replace(
        "position: {id: Plt. Kepala Biro Perencanaan, en: Acting Head of the Planning Bureau}",
        "position: {id: Plt. Kepala Biro Perencanaan}",
    )
    add_readout(project, facts=facts, id_md=ID_BODY, en_md=EN_BODY)
    result = run(project, "build", "--format", "html")
    assert result.exit_code == 1
    assert "`people.arif.position` has no `en` text (only `id`); add `en: …`" in result.output
    assert (project / "build/id/readouts/meeting.html").exists()


def test_not_utf8(project: Path, add_readout: Callable[..., Path]) -> None:
    add_readout(project)
    (project / FACTS).write_bytes(
        "city: Bekasi\ndate: 2024-02-08\nvenue: caf\xe9\n".encode("latin-1")
    )
    result = run(project, "build")
    assert f"{FACTS}:3: error: file is not UTF-8 text" in result.output


def test_readout_without_prose(project: Path) -> None:
    write(project, FACTS, "city: Bekasi\ndate: 2024-02-08\n")
    result = run(project, "build")
    assert result.exit_code == 1
    assert "error: this readout has no prose; add id.md and/or en.md" in result.output


@pytest.mark.parametrize(
    ("template", "edit", "expected"),
    [
        (
            "templates/shared/readout.html",
            ("{{ org.unit }}</p>", "{{ org.unitt }}</p>"),
            "templates/shared/readout.html:{line}: error: unknown fact `.unitt`",
        ),
        (
            "templates/id/readout.html",
            ("{% extends", "{% if %}\n{% extends"),
            "templates/id/readout.html:{line}: error: template syntax",
        ),
    ],
)
def test_template_errors_name_the_template_and_line(
    built: dict[Path, bytes], project: Path, template: str, edit: tuple[str, str], expected: str
) -> None:
    path = project / template
    path.write_text(path.read_text().replace(*edit, 1))
    first = edit[1].splitlines()[0]
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if first in text)
    expected = expected.format(line=line)
    result = run(project, "build", "--lang", "id")
    assert result.exit_code == 1
    assert expected in result.output
    assert_untouched(built)


def test_no_heavy_imports_for_html(project: Path, add_readout: Callable[..., Path]) -> None:
    import subprocess
    import sys

    add_readout(project)
    code = (
        "import sys; from plandocs.cli import main\n"
        "try:\n    main(['build', '--format', 'html', '--project', sys.argv[1]])\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in ('weasyprint', 'docx') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(project)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"


# -- failures of plandocs itself, of the disk, of the command line -------------------------------


def test_a_document_outputs_are_replaced_together_or_not_at_all(
    built: dict[Path, bytes], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plandocs.errors import WriterError
    from plandocs.writers.docx.writer import DocxWriter

    def refuse(self: DocxWriter, doc: object, path: Path) -> None:
        path.write_bytes(b"half a document")
        raise WriterError("cannot map this", project / ID_MD)

    monkeypatch.setattr(DocxWriter, "write_to", refuse)
    write(project, ID_MD, ID_BODY.replace("Rapat berlangsung", "Rapat diadakan"))
    result = run(project, "build", "--lang", "id", "-j", "1")
    assert result.exit_code == 1
    assert f"{ID_MD}: error: cannot map this" in result.output
    assert_untouched(built)  # the PDF and HTML were complete, but are not put in place alone


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bug_fails_one_document_with_a_line_to_report(
    project: Path, add_readout: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    from plandocs.writers.html import HtmlWriter

    original = HtmlWriter.write_to

    def flaky(self: HtmlWriter, doc: Any, path: Path) -> None:
        if "bad" in str(doc.source):
            raise KeyError("surprise")
        original(self, doc, path)

    monkeypatch.setattr(HtmlWriter, "write_to", flaky)
    add_readout(project, slug="good")
    add_readout(project, slug="bad")
    result = run(project, "build", "--format", "html", "-j", jobs)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if ": error: " in line]
    assert lines == [
        "content/readouts/bad: error: plandocs could not make this document (KeyError: no "
        "entry 'surprise'); please report this: it is a bug in plandocs, not a mistake in the "
        "content"
    ]
    assert (project / "build/id/readouts/good.html").exists()
    assert (project / "build/en/readouts/good.html").exists()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (28, "cannot write here: the disk is full; free some space"),
        (30, "cannot write here: the file system is read-only; build on a writable disk"),
        (13, "cannot write here: permission denied; make build/ writable"),
    ],
)
def test_a_full_or_read_only_build_folder_is_one_clear_error(
    built: dict[Path, bytes],
    project: Path,
    add_readout: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    code: int,
    message: str,
) -> None:
    import os

    import plandocs.build.item

    def fail(*args: object) -> None:
        raise OSError(code, os.strerror(code))

    add_readout(project, slug="second")
    write(project, ID_MD, ID_BODY + "\n    Baru.\n")
    monkeypatch.setattr(plandocs.build.item.os, "replace", fail)
    result = run(project, "build", "-j", "1")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    # The first failure, and the build stops there: the second readout is not tried
    # (the manifest cannot be saved either, which is said after).
    assert errors[0].startswith("build/id/readouts/meeting.")
    assert all(message in line for line in errors)
    assert not any("second" in line for line in errors)
    assert_untouched(built)


def test_an_unwritable_manifest_does_not_hide_the_first_error(
    project: Path, add_readout: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import plandocs.build.manifest

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    add_readout(project, facts="city: X\n")
    monkeypatch.setattr(plandocs.build.manifest.tempfile, "mkstemp", fail)
    result = run(project, "build", "--format", "html")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if ": error: " in line]
    assert lines[0].startswith(f"{FACTS}:1:1: error: `date` is required")
    assert lines[1] == (
        "build/.plandocs-manifest.json: error: cannot write here: the disk is full; free some space"
    )


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("content/readouts/meetnig", "content/readouts/meetnig: error: no such file or folder"),
        ("templates", "templates: error: no document here; give a document folder"),
    ],
)
def test_a_mistyped_path_is_an_error(
    project: Path, add_readout: Callable[..., Path], path: str, message: str
) -> None:
    add_readout(project)
    result = run(project, "build", "--format", "html", str(project / path))
    assert result.exit_code == 1
    assert message in result.output
    assert "0 written" in result.output
    assert not (project / "build/id").exists()


def test_watch_goes_on_after_anything(
    project: Path, add_readout: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import plandocs.watch

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk vanished")

    lines: list[str] = []
    monkeypatch.setattr(plandocs.watch, "build", broken)
    assert plandocs.watch.rebuild(project, ["id"], ["html"], "x.md changed", lines.append) is False
    assert lines == [
        "x.md changed: failed — RuntimeError: the disk vanished; please report this: it is a "
        "bug in plandocs, not a mistake in the content"
    ]


def test_a_flood_of_problems_is_listed_up_to_a_limit_then_counted() -> None:
    """19,000 rows naming unknown indicators are one mistake: the first 200 are listed,
    then one line says how many more there are and where the next one is; the count
    survives the trip from a worker process."""
    import pickle

    from plandocs.errors import MAX_LISTED, ContentError, ContentErrors

    path = Path("content/lkj/x/data/realisasi.csv")
    found = [ContentError(f"no indicator 'X{n}'", path, n + 2) for n in range(19_000)]
    errors = ContentErrors(found)
    assert len(errors.errors) == MAX_LISTED + 1
    assert [e.line for e in errors.errors[:MAX_LISTED]] == list(range(2, MAX_LISTED + 2))
    last = errors.errors[-1]
    assert last.message.startswith(f"… and {19_000 - MAX_LISTED:,} more problems")
    assert (last.path, last.line) == (path, MAX_LISTED + 2)
    again = pickle.loads(pickle.dumps(errors))
    assert [(e.message, e.line) for e in again.errors] == [
        (e.message, e.line) for e in errors.errors
    ]
    few = ContentErrors(found[: MAX_LISTED + 1])  # one more than the limit: all listed
    assert [e.line for e in few.errors] == [e.line for e in found[: MAX_LISTED + 1]]
