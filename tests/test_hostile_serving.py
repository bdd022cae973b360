"""The hostile corpus, continued: the preview (what it serves and renders, how many
connections it takes), ``build --compare`` (an earlier project, build folder or git
revision that links out, a paragraph too long to match word by word) and the unit
cache of long PDFs (planted, damaged, linked out). As in ``test_hostile_commands.py``,
each case asserts the effect — files outside the project unchanged and unread, none of
their text served or written, the command ending in time, no traceback.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import (
    EN_BODY,
    ID_BODY,
    READOUT_FACTS,
    REPO,
    edit,
    make_project,
    run,
    seed_units,
    shared_renstra,
    write,
)
from hostile import Outside, plandocs_forked
from previewing import TIMEOUT, RunningPreview, view

R = "content/readouts/meeting"
RENSTRA = "content/renstra/kemensos-2025-2029"


def _link(path: Path, target: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


def _fifo(path: Path) -> None:
    if path.exists() or path.is_symlink():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)


def _readout(root: Path) -> Path:
    write(root, f"{R}/readout.yaml", READOUT_FACTS)
    write(root, f"{R}/id.md", ID_BODY)
    write(root, f"{R}/en.md", EN_BODY)
    return root


# -- the preview --------------------------------------------------------------------------
@pytest.fixture
def previewed(tmp_path: Path) -> tuple[Path, Outside]:
    (tmp_path / "project").mkdir()
    return _readout(make_project(tmp_path / "project")), Outside(tmp_path)


def _served_nothing(path: str) -> Callable[[RunningPreview, Path, Outside], str]:
    def ask(preview: RunningPreview, root: Path, outside: Outside) -> str:
        status, _, body = preview.get(path)
        assert status == 404, (path, status)
        return body.decode("utf-8", "replace")

    return ask


def _page_shows(message: str) -> Callable[[RunningPreview, Path, Outside], str]:
    def ask(preview: RunningPreview, root: Path, outside: Outside) -> str:
        status, _, body = preview.get(view("id", "readouts/meeting"))
        text = body.decode("utf-8", "replace")
        assert status == 200, status
        assert message in text, text[:3000]
        assert preview.get("/")[0] == 200  # the preview goes on
        return text

    return ask


def _outside_build(root: Path, outside: Outside) -> None:
    outside.file("x.pdf", "%PDF-1.4 {token}")
    _link(root / "build", outside.folder)


def _outside_language(root: Path, outside: Outside) -> None:
    outside.file("readouts/meeting.pdf", "%PDF-1.4 {token}")
    (root / "build").mkdir(exist_ok=True)
    _link(root / "build/id", outside.folder)


def _flood(preview: RunningPreview, root: Path, outside: Outside) -> str:
    """Two thousand connections held open, sending nothing: a request meanwhile is
    answered or refused at once (never left hanging), the preview says nothing of them
    and answers pages again as soon as they are gone."""
    import http.client
    import time

    sockets = []
    try:
        for n in range(2000):
            connection = socket.create_connection(("127.0.0.1", preview.port), timeout=TIMEOUT)
            sockets.append(connection)
            if n % 16 == 15:
                # The preview serves in a thread of this process: let it take the GIL
                # and accept what is queued. Opened in a tight loop, the connections
                # overflow the listen queue while it waits, and each overflow stalls
                # the next connect a second (SYN retried): 13 s of 14 idle.
                time.sleep(0.005)
        started = time.monotonic()
        try:
            status = preview.get("/")[0]
            assert status == 200
        except (http.client.RemoteDisconnected, ConnectionError):
            pass  # refused while the flood holds every place
        assert time.monotonic() - started < TIMEOUT / 2
    finally:
        for connection in sockets:
            connection.close()
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            status, _, body = preview.get("/")
            assert status == 200
            return body.decode()
        except (http.client.RemoteDisconnected, ConnectionError):
            assert time.monotonic() < deadline, "the preview did not answer again"
            time.sleep(0.5)


def _huge_image(root: Path, outside: Outside) -> None:
    image = root / R / "peta.png"
    image.write_bytes(b"")
    os.truncate(image, 3 * 1024**3)
    edit(root / f"{R}/id.md", "> “Kutipan,”", "![peta](peta.png)\n\n> “Kutipan,”")


def _huge_image_answered(preview: RunningPreview, root: Path, outside: Outside) -> str:
    text = _page_shows("this image is larger than 30 MiB")(preview, root, outside)
    status, headers, body = preview.get("/content/readouts/meeting/peta.png", method="HEAD")
    assert status == 200 and headers["Content-Length"] == str(3 * 1024**3) and body == b""
    return text


def _renamed(preview: RunningPreview, root: Path, outside: Outside) -> str:
    write(root, f"{R}/evil\nplandocs preview: forged.md", "x")
    lines = preview.expect_line("changed")
    assert not any(line.startswith("plandocs preview: forged") for line in lines), lines
    assert any("\\x0aplandocs preview: forged" in line for line in lines), lines
    return "\n".join(lines)


PreviewCase = tuple[
    str, Callable[[Path, Outside], object], Callable[[RunningPreview, Path, Outside], str]
]

PREVIEW_CASES: list[PreviewCase] = [
    ("build-folder-links-out", _outside_build, _served_nothing("/build/x.pdf")),
    (
        "language-folder-links-out",
        _outside_language,
        _served_nothing("/build/id/readouts/meeting.pdf"),
    ),
    (
        "image-links-out",
        lambda root, out: _link(root / R / "x.png", out.file("x.png", "{token}")),
        _served_nothing("/content/readouts/meeting/x.png"),
    ),
    (
        "image-is-a-fifo",
        lambda root, out: _fifo(root / R / "x.png"),
        _served_nothing("/content/readouts/meeting/x.png"),
    ),
    ("view-leads-up", lambda root, out: None, _served_nothing(view("id", "../../../outside"))),
    (
        "prose-links-out",
        lambda root, out: _link(
            root / f"{R}/id.md", out.file("id.md", "---\ntitle: {token}\n---\n{token}\n")
        ),
        _page_shows("outside the project"),
    ),
    (
        "facts-link-out",
        lambda root, out: _link(root / f"{R}/readout.yaml", out.secret),
        _page_shows("outside the project"),
    ),
    (
        "binary-fact",
        lambda root, out: edit(root / f"{R}/readout.yaml", "city: Bekasi", "city: !!binary eA=="),
        _page_shows("a `!!binary` value is not read here"),
    ),
    ("thousands-of-connections", lambda root, out: None, _flood),
    ("huge-image", _huge_image, _huge_image_answered),
    ("file-name-forges-a-line", lambda root, out: None, _renamed),
]
SLOW_CASES = {"thousands-of-connections"}  # opens thousands of connections: seconds


@pytest.mark.parametrize(
    ("setup", "ask"),
    [
        pytest.param(s, a, id=name, marks=[pytest.mark.slow] if name in SLOW_CASES else [])
        for name, s, a in PREVIEW_CASES
    ],
)
def test_hostile_preview(
    previewed: tuple[Path, Outside],
    setup: Callable[[Path, Outside], object],
    ask: Callable[[RunningPreview, Path, Outside], str],
    capfd: pytest.CaptureFixture[str],
) -> None:
    root, outside = previewed
    setup(root, outside)
    preview = RunningPreview(root).start()
    try:
        seen = ask(preview, root, outside)
    finally:
        preview.close()
    lines = []
    while not preview.lines.empty():
        lines.append(preview.lines.get())
    printed = capfd.readouterr()
    terminal = "\n".join(lines) + printed.out + printed.err
    assert "Traceback" not in terminal and "please report" not in terminal, terminal
    assert "Traceback" not in seen
    outside.untouched(roots=(root,), output=seen + terminal)


# -- build --compare ----------------------------------------------------------------------
@pytest.fixture
def drafts(tmp_path: Path) -> tuple[Path, Path, Outside]:
    """This project (built) and an earlier copy of it, and files outside both."""
    (tmp_path / "project").mkdir()
    root = _readout(make_project(tmp_path / "project"))
    earlier = tmp_path / "earlier"
    shutil.copytree(root, earlier, symlinks=True)
    edit(root / f"{R}/en.md", "The meeting was held", "The meeting was finally held")
    return root, earlier, Outside(tmp_path)


def _earlier_build(root: Path, earlier: Path, outside: Outside) -> None:
    """The earlier version as a build folder (its HTML), the meeting's a link out."""
    shutil.rmtree(earlier)
    assert run(root, "build", "--format", "html").exit_code == 0
    shutil.copytree(root / "build", earlier)
    page = outside.file("meeting.html", "<html><body><p>{token}</p></body></html>")
    _link(earlier / "en/readouts/meeting.html", page)


def _earlier_build_link(root: Path, earlier: Path, outside: Outside) -> None:
    """An earlier folder whose build/ leads out of it."""
    outside.file("en/readouts/meeting.html", "<html><body><p>{token}</p></body></html>")
    shutil.rmtree(earlier)
    earlier.mkdir()
    (earlier / "build").symlink_to(outside.folder)


def _earlier_templates(root: Path, earlier: Path, outside: Outside) -> None:
    copy = outside.folder / "templates"
    shutil.copytree(earlier / "templates", copy)
    edit(copy / "shared/readout.html", "{% block content %}", "{% block content %}{token}")
    for path in sorted(p for p in copy.rglob("*") if p.is_file()):
        outside.file(path.relative_to(outside.folder).as_posix(), path.read_text())
    _link(earlier / "templates", copy)


def _git_link(root: Path, earlier: Path, outside: Outside) -> str:
    """A git revision in which the meeting's facts are a link out of the repository."""

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
            cwd=root,
            check=True,
            capture_output=True,
        )

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    facts = root / f"{R}/readout.yaml"
    kept = facts.read_text()
    git("init", "-q")
    _link(facts, outside.secret)
    git("add", "-A")
    git("commit", "-qm", "v1")
    facts.unlink()
    facts.write_text(kept)
    git("add", "-A")
    git("commit", "-qm", "v2")
    return "HEAD~1"


CompareCase = tuple[str, Callable[[Path, Path, Outside], object], str, int]

COMPARE_CASES: list[CompareCase] = [
    (
        "earlier-facts-link-out",
        lambda root, earlier, out: _link(earlier / f"{R}/readout.yaml", out.secret),
        "outside the project",
        1,
    ),
    (
        "earlier-prose-links-out",
        lambda root, earlier, out: _link(
            earlier / f"{R}/en.md", out.file("en.md", "---\ntitle: {token}\n---\n{token}\n")
        ),
        "outside the project",
        1,
    ),
    (
        "earlier-settings-link-out",
        lambda root, earlier, out: _link(
            earlier / "plandocs.yaml",
            out.file("plandocs.yaml", (earlier / "plandocs.yaml").read_text() + "# {token}\n"),
        ),
        "outside the project",
        1,
    ),
    ("earlier-templates-link-out", _earlier_templates, "outside the project", 1),
    ("earlier-build-page-links-out", _earlier_build, "plandocs:", 0),
    ("earlier-build-folder-links-out", _earlier_build_link, "holds neither a project", 1),
    ("earlier-git-revision-links-out", _git_link, "cannot be rendered", 1),
]


@pytest.mark.parametrize(
    ("setup", "message", "code"),
    [pytest.param(s, m, c, id=name) for name, s, m, c in COMPARE_CASES],
)
def test_hostile_compare(
    drafts: tuple[Path, Path, Outside],
    setup: Callable[[Path, Path, Outside], object],
    message: str,
    code: int,
) -> None:
    root, earlier, outside = drafts
    revision = setup(root, earlier, outside)
    rev = revision if isinstance(revision, str) else str(earlier)
    result = run(root, "build", "--compare", rev, "--format", "docx", "--lang", "en")
    assert "Traceback" not in result.output and "please report" not in result.output
    assert message in result.output, result.output
    assert result.exit_code == code, result.output
    assert (root / "build/en/readouts/meeting.docx").is_file()  # the build itself stands
    outside.untouched(roots=(root,), output=result.output)


@pytest.mark.slow
def test_compare_ends_on_a_page_of_a_fifo(drafts: tuple[Path, Path, Outside]) -> None:
    root, earlier, outside = drafts
    shutil.rmtree(earlier)
    assert run(root, "build", "--format", "html").exit_code == 0
    shutil.copytree(root / "build", earlier)
    _fifo(earlier / "en/readouts/meeting.html")
    code, output = plandocs_forked(
        root, "build", "--compare", str(earlier), "--format", "docx", "--lang", "en", timeout=180
    )
    assert code == 0 and "Traceback" not in output, output
    outside.untouched(roots=(root,), output=output)


@pytest.mark.slow
def test_compare_ends_on_a_paragraph_of_100000_words(drafts: tuple[Path, Path, Outside]) -> None:
    root, earlier, outside = drafts
    words = " ".join(f"kata{i % 50}" for i in range(100_000))
    for folder, word in ((earlier, "lama"), (root, "baru")):
        write(folder, f"{R}/en.md", f"---\ntitle: Meeting\n---\n{words} {word} {words}\n")
    code, output = plandocs_forked(
        root, "build", "--compare", str(earlier), "--format", "docx", "--lang", "en", timeout=300
    )
    assert code == 0, output
    assert (root / "build/en/readouts/meeting.changes.docx").is_file()
    outside.untouched(roots=(root,), output=output)


# -- the unit cache of long PDFs ----------------------------------------------------------
@pytest.fixture(scope="module")
def renstra_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample Renstra built once as an Indonesian PDF: its units in the cache. Cut
    to its foreword, first chapter and annexes (the cover and front matter, two units of
    the body, the page numbers): each case has every unit laid out again, and what it
    checks does not depend on how many there are. Its units are those of the session's
    short Renstra (:func:`conftest.shared_renstra`, the same HTML): none is laid out
    here, and the cache holds what this build would have put in it."""
    root = tmp_path_factory.mktemp("renstra") / "project"
    root.mkdir()
    make_project(root, own_templates=False)
    shutil.copytree(REPO / RENSTRA, root / RENSTRA)
    for chapter in (root / RENSTRA).glob("*/[2-5]-*.md"):
        chapter.unlink()
    shutil.copy(REPO / "glossary.yaml", root / "glossary.yaml")
    seed_units(root, shared_renstra(tmp_path_factory, short=True) / "project")
    result = run(root, "build", "--lang", "id", "--format", "pdf", "-j", "1")
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def renstra(renstra_built: Path, tmp_path: Path) -> Iterator[tuple[Path, Outside]]:
    root = tmp_path / "project"
    shutil.copytree(renstra_built, root, symlinks=True)
    yield root, Outside(tmp_path)


UNITS = "build/.plandocs/units"
PDF = "build/id/renstra/kemensos-2025-2029.pdf"


def _entries(root: Path) -> list[tuple[Path, dict[str, object]]]:
    """Each kept unit: its PDF's path and its record."""
    found = []
    for meta in sorted((root / UNITS).glob("*.json")):
        if len(meta.stem) == 64:
            found.append((meta.with_suffix(".pdf"), json.loads(meta.read_text())))
    assert found
    return found


def _replace_units(root: Path, make: Callable[[int], bytes], pages: int = 0) -> None:
    """Every kept unit's PDF replaced by ``make(its page count)``, its record made to
    match it (the digest; ``pages`` more pages claimed)."""
    for pdf, meta in _entries(root):
        count = len(meta["pages"])  # type: ignore[arg-type]
        data = make(count)
        pdf.write_bytes(data)
        meta["sha256"] = hashlib.sha256(data).hexdigest()
        meta["pages"] = list(meta["pages"]) + [["", []]] * pages  # type: ignore[call-overload]
        pdf.with_suffix(".json").write_text(json.dumps(meta))


def _poison(count: int) -> bytes:
    import weasyprint

    pages = "".join('<p style="break-after: page">POISONED UNIT</p>' for _ in range(count))
    return bytes(weasyprint.HTML(string=f"<html><body>{pages}</body></html>").write_pdf())


def _gone(root: Path) -> None:
    (root / PDF).unlink()  # rebuilt without --force: the cache is asked


def _units_link_out(root: Path, outside: Outside) -> None:
    for pdf, _ in _entries(root):
        _link(pdf, outside.file(f"units/{pdf.name}", "%PDF-1.7 {token}"))
    _gone(root)


UnitCase = tuple[str, Callable[[Path, Outside], object], tuple[str, ...], str]

UNIT_CASES: list[UnitCase] = [
    (
        "planted-units-and-force",
        lambda root, out: _replace_units(root, _poison),
        ("--force",),
        "clean",
    ),
    (
        "garbled-units",
        lambda root, out: (_replace_units(root, lambda n: os.urandom(4096)), _gone(root)),
        (),
        "clean",
    ),
    (
        "units-of-another-page-count",
        lambda root, out: (_replace_units(root, _poison, pages=1), _gone(root)),
        (),
        "clean",
    ),
    ("units-link-out", _units_link_out, (), "clean"),
    (
        "unit-cache-folder-links-out",
        lambda root, out: (_link(root / "build/.plandocs", out.folder), _gone(root)),
        (),
        "this folder is a link out of build/",
    ),
    (
        "units-folder-links-out",
        lambda root, out: (_link(root / UNITS, out.folder), _gone(root)),
        (),
        "this folder is a link out of build/",
    ),
    (
        "unit-records-are-fifos",
        lambda root, out: (
            [_fifo(pdf.with_suffix(".json")) for pdf, _ in _entries(root)],
            _gone(root),
        ),
        (),
        "clean",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("setup", "args", "expect"),
    [pytest.param(s, a, e, id=name) for name, s, a, e in UNIT_CASES],
)
def test_hostile_unit_cache(
    renstra: tuple[Path, Outside],
    setup: Callable[[Path, Outside], object],
    args: tuple[str, ...],
    expect: str,
) -> None:
    from inspect_docs import pdf_text

    root, outside = renstra
    setup(root, outside)
    code, output = plandocs_forked(
        root, "build", "--lang", "id", "--format", "pdf", "-j", "1", *args, timeout=600
    )
    assert "Traceback" not in output and "please report" not in output, output
    if expect == "clean":
        assert code == 0, output
        text = pdf_text(root / PDF)
        assert "POISONED" not in text and "KATA PENGANTAR" in text.upper(), output
    else:
        assert code == 1 and expect in output, output
    outside.untouched(roots=(root,), output=output)
