"""Test projects are folders built by the tests, like Sphinx's ``tests/roots``.

``project`` is a fresh project with the repository's settings, its own copy of
plandocs' templates and no content; ``sample`` is a one-time build of the repository's
own sample content, with plandocs' built-in kinds and templates.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from plandocs.cli import main

REPO = Path(__file__).resolve().parents[1]


PACKAGE = REPO / "src/plandocs"
BUILTIN = PACKAGE / "kinds/builtin"


def project_templates(dest: Path) -> None:
    """Give a project its own copy of plandocs' templates, as a project that changes
    them has: the shared ones and the readouts' and the Renstra's in ``templates/``,
    the minutes and regional sheets as kinds of its own in ``kinds/``. Tests that edit
    a template edit these copies, which win over plandocs' own."""
    shutil.copytree(PACKAGE / "templates", dest / "templates")
    for kind in ("readouts", "renstra"):
        shutil.copytree(BUILTIN / kind / "templates", dest / "templates", dirs_exist_ok=True)
    for kind in ("minutes", "regional"):
        shutil.copytree(BUILTIN / kind, dest / "kinds" / kind)


def template_file(rel: str) -> Path:
    """plandocs' own template that a project's ``templates/<rel>`` copies."""
    for folder in (
        PACKAGE / "templates",
        *(BUILTIN / k / "templates" for k in ("readouts", "renstra")),
    ):
        if (folder / rel).is_file():
            return folder / rel
    raise FileNotFoundError(rel)


def make_project(dest: Path, with_content: bool = False, own_templates: bool = True) -> Path:
    shutil.copy(REPO / "plandocs.yaml", dest / "plandocs.yaml")
    shutil.copytree(REPO / "assets", dest / "assets")  # the letterhead's logo
    if own_templates:
        project_templates(dest)
    if with_content:
        shutil.copytree(REPO / "content", dest / "content")
        shutil.copy(REPO / "glossary.yaml", dest / "glossary.yaml")
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


def session_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's temporary folder that every pytest-xdist worker shares."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # one folder for the whole session, above each worker's
    return shared


def shared_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]
) -> Path:
    """The folder ``name`` made by ``make`` once per test session, also when the tests
    run in several processes (pytest-xdist): the first to need it makes it under a lock
    in the session's shared temporary folder, the others wait and read it. Tests only
    read it (a test that edits copies it first)."""
    shared = session_folder(tmp_path_factory)
    root = shared / name
    done = shared / f"{name}.done"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.is_file():
            if root.exists():
                shutil.rmtree(root)  # made by a run that did not finish
            root.mkdir()
            make(root)
            done.write_text("ok\n")
    return root


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample project, built once per test session (see
    :func:`shared_once`). Tests only read it. Its Indonesian Renstra's units are those
    of the session's Renstra (:func:`shared_renstra`): the same HTML, the same bytes,
    laid out once for both."""

    def build(root: Path) -> None:
        make_project(root, with_content=True, own_templates=False)
        seed_units(root, shared_renstra(tmp_path_factory, short=False) / "project")
        result = run(root, "build")
        assert result.exit_code == 0, result.output

    return shared_once(tmp_path_factory, "sample-project", build)


RENSTRA_DOC = "renstra/kemensos-2025-2029"
UNITS = "build/.plandocs/units"
"""The unit cache of a project's long PDFs (``plandocs.writers.pdf.unitcache``)."""


def renstra_project(root: Path, short: bool = False) -> Path:
    """The sample Renstra in a project of its own; ``short``: its foreword, first
    chapter and annexes only (chapters 2–5 cut, in both languages)."""
    root.mkdir()
    make_project(root)
    shutil.copytree(REPO / "content" / "renstra", root / "content" / "renstra")
    shutil.copy(REPO / "glossary.yaml", root / "glossary.yaml")
    if short:
        for chapter in (root / "content" / RENSTRA_DOC).glob("*/[2-5]-*.md"):
            chapter.unlink()
    return root


def build_laying_out(root: Path, *args: str) -> list[str]:
    """Build the Indonesian PDF (and HTML); the units laid out (not taken from the cache)."""
    from plandocs.writers.pdf import chapters

    chapters.laid_out.clear()
    result = run(root, "build", "--lang", "id", "--format", "pdf,html", "-j", "1", *args)
    assert result.exit_code == 0, result.output
    return list(chapters.laid_out)


def shared_renstra(tmp_path_factory: pytest.TempPathFactory, short: bool) -> Path:
    """The Renstra (:func:`renstra_project`) built once per session (see
    :func:`shared_once`) by :func:`build_laying_out`, read only: ``project/`` as that
    build left it and ``laid-out.json`` the units it laid out (all of them: its cache
    was empty)."""

    def make(folder: Path) -> None:
        root = renstra_project(folder / "project", short)
        laid = build_laying_out(root)
        (folder / "laid-out.json").write_text(json.dumps(laid), encoding="utf-8")

    return shared_once(tmp_path_factory, "renstra" + "-short" * short, make)


def seed_units(root: Path, built: Path) -> None:
    """Give ``root`` the unit cache of ``built`` (a built project), for a test that
    reads what a build of ``root`` writes, not what it lays out: a unit whose key
    (its HTML and the files it shows, not where the project lies) is in it is taken
    from it, not laid out again, and gives the same bytes (test_chapters)."""
    shutil.copytree(built / UNITS, root / UNITS, dirs_exist_ok=True)


def libreoffice_convert(sources: dict[str, Path], work: Path, fmt: str = "pdf") -> dict[str, Path]:
    """Each of ``sources`` (by a key of the caller's) converted by LibreOffice, all in one
    ``soffice`` run (its start is the slow part): the files are copied under unique
    names first, so that two of the same name (a document in each language) do not
    overwrite each other's conversion."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (./dev setup installs it where it can)")
    inbox, outdir = work / "in", work / "out"
    inbox.mkdir(parents=True)
    named: dict[str, Path] = {}
    for n, (key, source) in enumerate(sources.items()):
        copy = inbox / f"{n:03d}-{source.name}"
        shutil.copy(source, copy)
        named[key] = copy
    done = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{work}/profile",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            *(str(copy) for copy in named.values()),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    converted = {}
    for key, copy in named.items():
        found = outdir / f"{copy.stem}.{fmt.split(':')[0]}"
        assert found.exists(), f"LibreOffice did not convert {sources[key]}: {done.stderr}"
        converted[key] = found
    return converted


SAMPLE_DOCX = (
    "renstra/kemensos-2025-2029",
    "readouts/bekasi-rakortekrenbang-2024",
    "readouts/renstra-2025-2029-technocratic-draft",
    "regional/targets-2025-2029",
    "lkj/kemensos-2025",
    *(f"regional/targets-2025-2029/{code}" for code in ("11", "34", "96")),
)
"""The sample's documents whose DOCX the tests read as LibreOffice lays it out."""


@pytest.fixture(scope="session")
def sample_libreoffice(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """LibreOffice's PDF of each of the sample's DOCX in :data:`SAMPLE_DOCX`, by
    ``"<lang>/<document>"``: converted once per session, in one ``soffice`` run."""
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice is not installed (./dev setup installs it where it can)")
    sources = {
        f"{lang}/{doc}": sample / "build" / lang / f"{doc}.docx"
        for lang in ("id", "en")
        for doc in SAMPLE_DOCX
    }
    folder = shared_once(
        tmp_path_factory,
        "sample-libreoffice",
        lambda work: (work / "map.json").write_text(
            json.dumps({k: str(v) for k, v in libreoffice_convert(sources, work).items()})
        ),
    )
    return {k: Path(v) for k, v in json.loads((folder / "map.json").read_text()).items()}


SLOW_FIXTURES = frozenset(
    {
        "sample",
        "sample_project",
        "long_plan",
        "drafts",
        "libreoffice_pdfs",
        "sample_libreoffice",
        "libreoffice",
        "built",
        "browser",
        "regional",
        "minutes",
    }
)
"""Fixtures that build a whole project (or start a browser): a test that uses one is
slow, and ``-m "not slow"`` leaves it out."""


HEAVIEST_FIRST = (
    "test_official.py",
    "test_hostile_cycle.py",
    "test_compare.py",
    "test_chapters.py",
    "test_hostile_serving.py",
    "test_tables.py",
    "test_interop.py",
    "test_kinds.py",
    "test_hostile_commands.py",
    "test_circulate.py",
    "test_corpus.py",
    "test_check.py",
    "test_pdf_access.py",
    "test_incremental.py",
    "test_preview_browser.py",
    "test_preview.py",
    "test_fuzz.py",
)
"""The test files that take longest, longest first (measured with ``--durations=0`` on
a whole run, summed per file). pytest-xdist hands whole files to its processes in
collection order (``--dist loadfile --no-loadscope-reorder``, pyproject.toml): started
first, the long files run while the many short ones fill the gaps, rather than one long
file running alone at the end while the other process waits. The other files follow in
their usual order; the list only orders, so a stale one costs time, never a test.
``test_official.py`` goes first because it makes the session's shared builds (the
Renstra's units, then the sample, which takes them); the file beside it needs none, so
that neither process waits for the other's build at the start."""


GC_THRESHOLD = (10_000, 10, 10)
"""The collector's first threshold, 700 allocations by default, raised in the tests'
processes: a layout makes millions of short-lived objects, and collecting every 700
of them took a tenth of the suite's time. It changes when garbage is collected, never
what a test sees. plandocs' own processes keep Python's default, which holds their
memory lower (a build of hundreds of regional sheets)."""


def pytest_configure(config: pytest.Config) -> None:
    import gc

    gc.set_threshold(*GC_THRESHOLD)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    rank = {name: n for n, name in enumerate(HEAVIEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: files keep order


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def run(root: Path, *args: str) -> Result:
    """``plandocs ARGS --project ROOT`` in this process. A build without ``-j`` runs with
    ``-j 1``: the suite's own processes already hold every core, and a pool of workers
    beside them costs CPU (starting them, each compiling the templates again) for no
    gain. The tests of parallel builds say ``-j 2``."""
    if args[:1] == ("build",) and not any(
        a in ("-j", "--jobs") or a.startswith(("-j", "--jobs=")) for a in args
    ):
        args = (*args, "-j", "1")
    return CliRunner().invoke(main, [*args, "--project", str(root)], catch_exceptions=False)


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a file, which must contain it."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """The 1-based number of the first line of ``path`` that contains ``needle``."""
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


READOUT_FACTS = """
    city: Bekasi
    date: 2024-02-08
    event:
      start: 2024-02-05
      end: 2024-02-07
      time: "10:00"
      timezone: WIB
    people:
      arif:
        name: Arif Rohman
        position: {id: Plt. Kepala Biro Perencanaan, en: Acting Head of the Planning Bureau}
    """

ID_BODY = """
    ---
    title: Rapat Koordinasi
    ---
    Rapat berlangsung pada {{ event | date_range }} pukul {{ event.time | time(event.timezone) }}.

    > “Kutipan,” kata {{ people.arif.name }}, {{ people.arif.position }}.
    """

EN_BODY = """
    ---
    title: Coordination Meeting
    ---
    The meeting was held on {{ event | date_range }} at {{ event.time | time(event.timezone) }}.

    > “A quote,” said {{ people.arif.name }}, {{ people.arif.position }}.
    """


def readout_in(
    root: Path,
    slug: str = "meeting",
    facts: str = READOUT_FACTS,
    id_md: str | None = ID_BODY,
    en_md: str | None = EN_BODY,
) -> Path:
    """Write a readout into ``root``'s content; returns its folder."""
    folder = root / "content" / "readouts" / slug
    write(root, f"content/readouts/{slug}/readout.yaml", facts)
    if id_md is not None:
        write(root, f"content/readouts/{slug}/id.md", id_md)
    if en_md is not None:
        write(root, f"content/readouts/{slug}/en.md", en_md)
    return folder


@pytest.fixture
def add_readout() -> Callable[..., Path]:
    return readout_in
