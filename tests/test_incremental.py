"""Rebuilding after edits: exactly the outputs whose inputs changed, nothing else.

In the manner of Sphinx's test_incremental_reading: edit, add and delete sources,
templates, data files and settings, then assert which outputs were written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from conftest import REPO, run
from inspect_docs import pdf_pages
from plandocs.build.manifest import FORMAT

PLAN = "content/renstra/kemensos-2025-2029"


def written(output: str) -> set[str]:
    return set(re.findall(r"^wrote (\S+)$", output, re.M))


def removed(output: str) -> set[str]:
    return set(re.findall(r"^removed (\S+)$", output, re.M))


def html(lang: str, name: str) -> str:
    return f"build/{lang}/readouts/{name}.html"


@pytest.fixture
def two(project: Path, add_readout: Callable[..., Path]) -> Path:
    """A project with two readouts, built once as HTML."""
    add_readout(project, slug="alpha")
    add_readout(project, slug="beta")
    result = run(project, "build", "--format", "html", "-j", "1")
    assert written(result.output) == {
        html(lang, name) for lang in ("id", "en") for name in ("alpha", "beta")
    }
    return project


def build(root: Path, *args: str) -> str:
    result = run(root, "build", "--format", "html", "-j", "1", *args)
    assert result.exit_code == 0, result.output
    return result.output


def test_nothing_changed_nothing_rebuilt(two: Path) -> None:
    output = build(two)
    assert written(output) == set()
    assert "0 written, 4 unchanged" in output


def test_edit_one_language_rebuilds_that_language(two: Path) -> None:
    path = two / "content/readouts/alpha/en.md"
    path.write_text(path.read_text() + "\nOne more paragraph.\n")
    assert written(build(two)) == {html("en", "alpha")}
    assert "One more paragraph." in (two / html("en", "alpha")).read_text()


def test_touch_without_change_rebuilds_nothing(two: Path) -> None:
    path = two / "content/readouts/alpha/en.md"
    path.write_text(path.read_text())
    assert written(build(two)) == set()


def test_edit_facts_rebuilds_both_languages(two: Path) -> None:
    path = two / "content/readouts/beta/readout.yaml"
    path.write_text(path.read_text().replace("city: Bekasi", "city: Bandung"))
    assert written(build(two)) == {html("id", "beta"), html("en", "beta")}


def test_edit_shared_template_rebuilds_everything(two: Path) -> None:
    path = two / "templates/shared/base.html"
    path.write_text(path.read_text().replace("<head>", "<head>\n<!-- edited -->"))
    assert len(written(build(two))) == 4


def test_edit_language_template_rebuilds_that_language(two: Path) -> None:
    path = two / "templates/en/labels.html"
    path.write_text(path.read_text().replace('"Writer"', '"Author"'))
    assert written(build(two)) == {html("en", "alpha"), html("en", "beta")}


def test_edit_settings_rebuilds_everything(two: Path) -> None:
    path = two / "plandocs.yaml"
    path.write_text(path.read_text().replace("size_pt: 12", "size_pt: 11"))
    assert len(written(build(two))) == 4


def test_add_and_delete_documents(two: Path, add_readout: Callable[..., Path]) -> None:
    add_readout(two, slug="gamma")
    assert written(build(two)) == {html("id", "gamma"), html("en", "gamma")}
    shutil.rmtree(two / "content/readouts/alpha")
    output = build(two)
    assert written(output) == set()
    assert removed(output) == {html("id", "alpha"), html("en", "alpha")}
    assert not (two / html("id", "alpha")).exists()
    assert (two / html("id", "beta")).exists()


def test_delete_one_language(two: Path) -> None:
    (two / "content/readouts/beta/en.md").unlink()
    output = build(two)
    assert removed(output) == {html("en", "beta")}
    assert written(output) == {html("id", "beta")}  # its folder changed: rebuilt to be sure
    assert written(build(two)) == set()


def test_explain_and_force(two: Path) -> None:
    path = two / "content/readouts/alpha/id.md"
    path.write_text(path.read_text() + "\nx\n")
    output = build(two, "--explain")
    assert f"why   {html('id', 'alpha')}: content/readouts/alpha/id.md changed" in output
    output = build(two, "--force", "--explain")
    assert len(written(output)) == 4
    assert f"{html('en', 'beta')}: --force" in output


def test_missing_output_is_rebuilt(two: Path) -> None:
    (two / html("id", "beta")).unlink()
    assert written(build(two)) == {html("id", "beta")}


@pytest.mark.parametrize("garbage", ["", "{not json", '{"format": 999}', "[]"])
def test_unreadable_manifest_counts_as_empty(two: Path, garbage: str) -> None:
    (two / "build/.plandocs-manifest.json").write_text(garbage)
    assert len(written(build(two))) == 4
    data = json.loads((two / "build/.plandocs-manifest.json").read_text())
    assert data["format"] == FORMAT


@pytest.mark.slow
def test_data_file_and_reference_docx(project: Path) -> None:
    shutil.copytree(REPO / PLAN, project / PLAN)
    for lang in ("id", "en"):
        for chapter in (project / PLAN / lang).glob("[2-5]-*.md"):
            chapter.unlink()  # one chapter is enough here
    result = run(project, "build", "--format", "html,docx", "-j", "1")
    assert result.exit_code == 0, result.output
    csv = project / PLAN / "data/targets.csv"
    csv.write_text(csv.read_text().replace("IKP 1.1,90,", "IKP 1.1,91,"))
    output = run(project, "build", "--format", "html,docx", "-j", "1").output
    assert written(output) == {
        f"build/{lang}/renstra/kemensos-2025-2029.{ext}"
        for lang in ("id", "en")
        for ext in ("html", "docx")
    }
    docx.Document().save(str(project / "reference.docx"))
    settings = project / "plandocs.yaml"
    settings.write_text(settings.read_text() + "reference_docx: reference.docx\n")
    run(project, "build", "--format", "html,docx", "-j", "1")
    reference = docx.Document(str(project / "reference.docx"))
    reference.styles["Normal"].font.name = "Bookman Old Style"
    reference.save(str(project / "reference.docx"))
    output = run(project, "build", "--format", "html,docx", "-j", "1", "--explain").output
    assert written(output) == {
        f"build/{lang}/renstra/kemensos-2025-2029.docx" for lang in ("id", "en")
    }
    assert "reference.docx changed" in output


@pytest.mark.slow
def test_force_twice_is_byte_identical(two: Path) -> None:
    run(two, "build", "--force", "--format", "pdf,docx", "-j", "1")
    first = {p: p.read_bytes() for p in (two / "build").glob("*/readouts/*.*")}
    run(two, "build", "--force", "--format", "pdf,docx", "-j", "2")
    second = {p: p.read_bytes() for p in (two / "build").glob("*/readouts/*.*")}
    assert len(first) == 12
    assert first == second


@pytest.mark.slow
def test_the_same_project_elsewhere_gives_the_same_bytes(two: Path, tmp_path: Path) -> None:
    """A clone in another folder (a colleague's, a shard's machine) writes the same PDF
    and DOCX, images (the letterhead's logo) included."""
    elsewhere = tmp_path / "another" / "checkout"
    shutil.copytree(two, elsewhere, ignore=shutil.ignore_patterns("build"))
    outputs = []
    for root in (two, elsewhere):
        result = run(root, "build", "--force", "--format", "pdf,docx", "-j", "1")
        assert result.exit_code == 0, result.output
        outputs.append(
            {
                p.relative_to(root): p.read_bytes()
                for suffix in ("pdf", "docx")
                for p in (root / "build").glob(f"*/readouts/*.{suffix}")
            }
        )
    assert len(outputs[0]) == 8
    # The letterhead's logo is in the PDF: its name must not carry the folder.
    assert PdfReader(str(two / "build/id/readouts/alpha.pdf")).pages[0].images
    assert outputs[0] == outputs[1]


def test_source_date_epoch(two: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    when = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(when.timestamp())))
    # (The Indonesian outputs, those read.)
    output = run(
        two, "build", "--lang", "id", "--format", "pdf,docx", "-j", "1", "--explain"
    ).output
    assert "options changed (epoch)" in output or "new output" in output
    props = docx.Document(str(two / "build/id/readouts/alpha.docx")).core_properties
    assert props.created == when
    meta = PdfReader(str(two / "build/id/readouts/alpha.pdf")).metadata
    assert meta is not None and str(meta["/CreationDate"]).startswith("D:20261123")


def test_parallel_build_reports_like_a_serial_one(
    two: Path, add_readout: Callable[..., Path]
) -> None:
    add_readout(two, slug="broken", facts="city: X\n")
    result = run(two, "build", "--force", "--format", "html", "-j", "2")
    assert result.exit_code == 1
    assert "4 written" in result.output and "1 failed" in result.output
    assert result.output.count("`date` is required") == 1


def test_interrupted_build_keeps_previous_outputs(
    two: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plandocs.writers.html import HtmlWriter

    before = {p: p.read_bytes() for p in (two / "build").glob("*/readouts/*.html")}
    calls = []

    def interrupted(self: HtmlWriter, doc: object, path: Path) -> None:
        calls.append(path)
        path.write_text("<html>half")
        if len(calls) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(HtmlWriter, "write_to", interrupted)
    result = run(two, "build", "--force", "--format", "html", "-j", "1")
    assert result.exit_code == 130
    assert "interrupted" in result.output
    after = {p: p.read_bytes() for p in (two / "build").glob("*/readouts/*.html")}
    assert sorted(after) == sorted(before)
    changed = [p for p in after if after[p] != before[p]]
    assert len(changed) == 1 and after[changed[0]] == b"<html>half"  # the one finished
    assert not list((two / "build").rglob("*.tmp"))
    manifest = json.loads((two / "build/.plandocs-manifest.json").read_text())
    assert manifest["format"] == FORMAT
    monkeypatch.undo()
    # The manifest still describes the files on disk: nothing is stale.
    assert written(build(two)) == set()


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["id", "en"])
def test_draft_stamp(two: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    when = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(when.timestamp())))
    settings = two / "plandocs.yaml"
    settings.write_text(settings.read_text() + "version: 3\n")
    result = run(two, "build", "--draft", "--lang", lang, "--format", "pdf,docx", "-j", "1")
    assert result.exit_code == 0, result.output
    mark, line = {
        "id": ("RANCANGAN", "Rancangan v3 · 23 November 2026"),
        "en": ("DRAFT", "Draft v3 · November 23rd, 2026"),
    }[lang]
    pages = pdf_pages(two / f"build/{lang}/readouts/alpha.pdf")
    assert pages and all(mark in page and line in page for page in pages)
    document = docx.Document(str(two / f"build/{lang}/readouts/alpha.docx"))
    header = document.sections[0].header._element
    paths = [e for e in header.iter() if e.tag.endswith("}textpath")]
    assert [p.get("string") for p in paths] == [mark]
    footer = "\n".join(p.text for p in document.sections[0].footer.paragraphs)
    assert line in footer
    # The final build carries neither.
    result = run(two, "build", "--lang", lang, "--format", "pdf,docx", "-j", "1")
    assert result.exit_code == 0, result.output
    pages = pdf_pages(two / f"build/{lang}/readouts/alpha.pdf")
    assert not any(mark in page or line in page for page in pages)
    document = docx.Document(str(two / f"build/{lang}/readouts/alpha.docx"))
    assert not [
        e for e in document.sections[0].header._element.iter() if e.tag.endswith("}textpath")
    ]
    assert qn("w:fldChar") in {e.tag for e in document.sections[0].footer._element.iter()}


def test_noop_build_imports_no_heavy_library(two: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from plandocs.cli import main\n"
        "try:\n    main(['build', '--project', sys.argv[1]])\n"
        "except SystemExit: pass\n"
        "heavy = ('weasyprint', 'docx', 'jinja2', 'pydantic', 'yaml', 'markdown_it', 'babel')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    build(two, "--format", "pdf,docx,html")
    out = subprocess.run(
        [sys.executable, "-c", code, str(two)], capture_output=True, text=True, check=True
    )
    assert "0 written" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "[]"


# -- what was read is what is recorded --------------------------------------------------------


def test_a_file_saved_during_the_build_is_rebuilt_next_time(
    two: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The manifest records the bytes the build read, not the file as it is at the end."""
    from plandocs.writers.html import HtmlWriter

    source = two / "content/readouts/alpha/id.md"
    original = HtmlWriter.write_to

    def save_meanwhile(self: HtmlWriter, doc: object, path: Path) -> None:
        original(self, doc, path)  # type: ignore[arg-type]
        if "Teks versi kedua" not in source.read_text():
            source.write_text(source.read_text() + "\nTeks versi kedua.\n")

    source.write_text(source.read_text() + "\nTeks versi pertama.\n")
    monkeypatch.setattr(HtmlWriter, "write_to", save_meanwhile)
    assert html("id", "alpha") in written(build(two))
    assert "versi kedua" not in (two / html("id", "alpha")).read_text()
    monkeypatch.setattr(HtmlWriter, "write_to", original)
    output = build(two, "--explain")
    assert written(output) == {html("id", "alpha")}
    assert "content/readouts/alpha/id.md changed" in output
    assert "versi kedua" in (two / html("id", "alpha")).read_text()


def test_images_and_included_templates_are_inputs(project: Path) -> None:
    from conftest import write
    from hostile import png

    folder = "content/readouts/meeting"
    write(project, f"{folder}/readout.yaml", "city: Bekasi\ndate: 2024-02-08\n")
    write(
        project,
        f"{folder}/id.md",
        "---\ntitle: Rapat\n---\nTeks.\n\n![Peta](peta.png)\n\n"
        '{% include "shared/extra.html" %}\n\n'
        '{% set name = "shared/" ~ "dyn" ~ ".html" %}{% include name %}\n',
    )
    png(project / folder / "peta.png")
    write(project, "templates/shared/extra.html", "Tambahan satu.")
    write(project, "templates/shared/dyn.html", "Dinamis satu.")
    target = "build/id/readouts/meeting.html"
    assert written(build(project, "--lang", "id")) == {target}
    manifest = json.loads((project / "build/.plandocs-manifest.json").read_text())
    inputs = manifest["outputs"][target]["inputs"]
    assert {
        f"{folder}/peta.png",
        "templates/shared/extra.html",
        "templates/shared/dyn.html",
    } <= set(inputs)
    for path, change in (
        (project / folder / "peta.png", lambda p: png(p, 41, 20)),
        (project / "templates/shared/extra.html", lambda p: p.write_text("Tambahan dua.")),
        (project / "templates/shared/dyn.html", lambda p: p.write_text("Dinamis dua.")),
    ):
        change(path)
        output = build(project, "--lang", "id", "--explain")
        assert written(output) == {target}, path
        assert f"{project.name}" not in output.split("why", 1)[0]
        assert written(build(project, "--lang", "id")) == set()
    assert "Dinamis dua." in (project / target).read_text()


# -- no stale output passes as current ------------------------------------------------------------


def test_an_output_changed_behind_the_manifest_is_rebuilt(two: Path) -> None:
    """What was written over an output without being recorded never passes as current
    (and, not being plandocs' own bytes, is kept aside: see test_protected)."""
    target = two / html("id", "alpha")
    target.write_text("<html>a draft from a build that was killed</html>")
    output = build(two, "--explain")
    assert written(output) == {html("id", "alpha")}
    assert "edited since it was written: moved to build/id/readouts/alpha.edited.html" in output
    assert "killed" not in target.read_text()


def test_an_output_recorded_without_its_hash_is_rebuilt(two: Path) -> None:
    """A manifest of an earlier plandocs has no hashes: a changed output is rebuilt."""
    path = two / "build/.plandocs-manifest.json"
    data = json.loads(path.read_text())
    for record in data["outputs"].values():
        del record["sha256"]
    path.write_text(json.dumps(data))
    target = two / html("id", "alpha")
    target.write_text("<html>changed</html>")
    output = build(two, "--explain")
    assert written(output) == {html("id", "alpha")}
    assert "the output file changed since it was built" in output


def test_temporary_files_of_a_killed_build_are_removed(two: Path) -> None:
    leftovers = [
        two / "build/id/readouts/.alpha.html.x1y2z3.tmp",
        two / "build/.manifest.abc123",
    ]
    for path in leftovers:
        path.write_text("half")
    keep = two / "build/id/readouts/notes.tmp"
    keep.write_text("not ours")
    build(two)
    assert not any(path.exists() for path in leftovers)
    assert keep.exists()


@pytest.mark.slow
def test_builds_of_one_project_take_turns(two: Path) -> None:
    """A second build waits while another holds build/.plandocs.lock."""
    import fcntl
    import subprocess
    import sys
    import time

    with open(two / "build/.plandocs.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        process = subprocess.Popen(
            [sys.executable, "-m", "plandocs", "build", "--format", "html", "--force",
             "--project", str(two)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        time.sleep(1.5)
        assert process.poll() is None  # waiting for the lock
        before = (two / html("id", "alpha")).stat().st_mtime_ns
    out, _ = process.communicate(timeout=120)
    assert process.returncode == 0, out
    assert "another build of this project is running; waiting" in out
    assert (two / html("id", "alpha")).stat().st_mtime_ns != before


@pytest.mark.slow
def test_a_draft_and_a_final_build_at_once_leave_no_draft_recorded_as_final(two: Path) -> None:
    import subprocess
    import sys

    def start(*args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "plandocs", "build", "--format", "html", "-j", "1",
             "--project", str(two), *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip

    draft, final = start("--draft"), start()
    for process in (draft, final):
        out, _ = process.communicate(timeout=120)
        assert process.returncode == 0, out
    build(two)  # a final build: whatever is on disk must now be final
    for name in ("alpha", "beta"):
        for lang in ("id", "en"):
            assert 'class="draft-mark"' not in (two / html(lang, name)).read_text()


def test_workers_die_with_a_killed_build(project: Path, add_readout: Callable[..., Path]) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    for index in range(6):
        add_readout(project, slug=f"r{index}")
    process = subprocess.Popen(
        [sys.executable, "-m", "plandocs", "build", "--format", "pdf", "-j", "2",
         "--project", str(project)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip

    def stat(pid: int | str) -> list[str]:
        """The fields of /proc/<pid>/stat after the command name (state, parent …)."""
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return []

    def children() -> set[int]:
        return {
            int(entry)
            for entry in os.listdir("/proc")
            if entry.isdigit() and stat(entry)[1:2] == [str(process.pid)]
        }

    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2:
        workers |= children()
        time.sleep(0.05)
    assert len(workers) >= 2, "the build started no workers"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    alive = list(workers)
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [pid for pid in workers if stat(pid)[:1] not in ([], ["Z"])]
    assert not alive, f"workers {alive} outlived the build"
    assert written(build(project, "--format", "html"))  # and the next build is fine
