"""Test projects are folders built by the tests, like Sphinx's ``tests/roots``.

``project`` is a fresh project with the repository's settings, its own copy of
plandocs' templates and no content; ``sample`` is a one-time build of the repository's
own sample content, with plandocs' built-in kinds and templates.
"""

from __future__ import annotations

import fcntl
import os
import shutil
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


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample project, built once per test session — also when the
    tests run in several processes (pytest-xdist): the first to need it builds it under a
    lock in the session's shared temporary folder, the others wait and read it. Tests
    only read it."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # one folder for the whole session, above each worker's
    root = shared / "sample-project"
    with open(shared / "sample-project.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / ".built").is_file():
            if root.exists():
                shutil.rmtree(root)  # a build that did not finish
            root.mkdir()
            make_project(root, with_content=True, own_templates=False)
            result = run(root, "build")
            assert result.exit_code == 0, result.output
            (root / ".built").write_text("ok\n")
    return root


SLOW_FIXTURES = frozenset(
    {
        "sample",
        "sample_project",
        "long_plan",
        "drafts",
        "libreoffice_pdfs",
        "built",
        "browser",
        "regional",
        "minutes",
    }
)
"""Fixtures that build a whole project (or start a browser): a test that uses one is
slow, and ``-m "not slow"`` leaves it out."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def run(root: Path, *args: str) -> Result:
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


@pytest.fixture
def add_readout() -> Callable[..., Path]:
    def add(
        root: Path,
        slug: str = "meeting",
        facts: str = READOUT_FACTS,
        id_md: str | None = ID_BODY,
        en_md: str | None = EN_BODY,
    ) -> Path:
        folder = root / "content" / "readouts" / slug
        write(root, f"content/readouts/{slug}/readout.yaml", facts)
        if id_md is not None:
            write(root, f"content/readouts/{slug}/id.md", id_md)
        if en_md is not None:
            write(root, f"content/readouts/{slug}/en.md", en_md)
        return folder

    return add
