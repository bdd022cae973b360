"""``plandocs check``: every problem at its place; bilingual parity; the sample passes."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EN_BODY, ID_BODY, READOUT_FACTS, REPO, edit, line_of, make_project, run, write

PLAN = "content/renstra/kemensos-2025-2029"
BEKASI = "content/readouts/bekasi-rakortekrenbang-2024"


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    root = make_project(tmp_path, with_content=True)
    shutil.copy(REPO / "glossary.yaml", root / "glossary.yaml")
    return root


def check(root: Path, *args: str) -> tuple[int, str]:
    result = run(root, "check", *args)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def whole_check(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path]:
    """``plandocs check --strict --report`` of the whole sample, once for the tests that
    read what it printed and what it left: its exit status, its output, the project."""
    root = make_project(tmp_path_factory.mktemp("whole"), with_content=True)
    code, output = check(root, "--strict", "--report")
    return code, output, root


@pytest.mark.slow  # a whole-project check, as with sample_project
def test_sample_project_passes(whole_check: tuple[int, str, Path]) -> None:
    code, output, _ = whole_check
    assert code == 0, output
    assert "8 documents, 0 errors, 0 warnings" in output
    assert "renstra/kemensos-2025-2029" in output and "6/6" in output  # foreword + 5


@pytest.mark.slow  # a whole-project check, as with sample_project
def test_check_writes_nothing(whole_check: tuple[int, str, Path]) -> None:
    _, _, root = whole_check  # checked the whole project (--strict and --report only print)
    assert not (root / "build").exists()
    assert sorted(p.name for p in root.iterdir()) == sorted(
        ["assets", "content", "glossary.yaml", "kinds", "plandocs.yaml", "templates"]
    )


def test_check_paths_select_documents_as_build_does(sample_project: Path) -> None:
    """``check PATHS`` checks the documents under them (and only their outputs); a path
    that selects none is the error ``build PATHS`` gives. The tests below that edit one
    document check that one."""
    (sample_project / PLAN / "en/5-closing.md").unlink()  # broken, but not selected
    for rel in (BEKASI, PLAN):
        aside = sample_project / "build/id" / f"{rel.removeprefix('content/')}.edited.docx"
        aside.parent.mkdir(parents=True, exist_ok=True)
        aside.write_bytes(b"")
    code, output = check(sample_project, "--report", str(sample_project / BEKASI / "id.md"))
    assert code == 0, output
    assert "plandocs check: 1 documents, 0 errors, 1 warnings" in output
    assert "readouts/bekasi-rakortekrenbang-2024 " in output and "renstra/" not in output
    assert (
        "build/id/readouts/bekasi-rakortekrenbang-2024.edited.docx: warning: an edited output"
    ) in output
    code, output = check(sample_project, "--strict", str(sample_project / BEKASI))
    assert code == 1, output  # the kept-aside copy is a warning
    for path, message in (
        (sample_project / "assets", "assets: error: no document here; give a document folder"),
        (sample_project / "content/nope", "content/nope: error: no such file or folder"),
        (REPO / "content", f"{REPO / 'content'}: error: this is not inside the project folder"),
    ):
        code, output = check(sample_project, str(path))
        assert code == 1 and message in output, output
        assert "Traceback" not in output and "0 documents" in output
    # Several paths: the documents any of them selects.
    technocratic = sample_project / "content/readouts/renstra-2025-2029-technocratic-draft"
    code, output = check(sample_project, str(sample_project / BEKASI), str(technocratic))
    assert code == 0 and "2 documents, 0 errors, 1 warnings" in output, output


def test_removed_english_chapter(sample_project: Path) -> None:
    (sample_project / PLAN / "en/5-closing.md").unlink()
    code, output = check(sample_project, str(sample_project / PLAN))
    assert code == 1
    assert f"{PLAN}/en: error: chapter 5 has no en version; add en/5-<name>.md" in output


def test_mismatched_hand_written_number(sample_project: Path) -> None:
    en = sample_project / PLAN / "en/1-introduction.md"
    edit(en, "No. 10 of 2023", "No. 11 of 2023")
    line = line_of(en, "No. 11 of 2023")
    id_line = line_of(sample_project / PLAN / "id/1-pendahuluan.md", "Nomor 10 Tahun 2023")
    code, output = check(sample_project, str(sample_project / PLAN))
    assert code == 0  # a warning
    assert (
        f"{PLAN}/en/1-introduction.md:{line}: warning: the numbers written here differ from "
        f"the Indonesian paragraph at 1-pendahuluan.md:{id_line} (here: 11; there: 10)"
    ) in output
    code, output = check(sample_project, "--strict", str(sample_project / PLAN))
    assert code == 1


def test_numbers_in_each_language_format_match(sample_project: Path) -> None:
    id_md = sample_project / BEKASI / "id.md"
    en_md = sample_project / BEKASI / "en.md"
    edit(id_md, "selama tiga hari", "selama 1.250,5 jam")
    edit(en_md, "for three days", "for 1,250.5 hours")
    code, output = check(sample_project, "--strict", str(sample_project / BEKASI))
    assert code == 0, output


def test_missing_glossary_term(sample_project: Path) -> None:
    en = sample_project / BEKASI / "en.md"
    en.write_text(
        en.read_text()
        .replace("(MoSA)", "")
        .replace("MoSA's", "the ministry's")
        .replace("MoSA", "the ministry")
    )
    id_md = sample_project / BEKASI / "id.md"
    line = line_of(id_md, "Bagi Kemensos")
    code, output = check(sample_project, str(sample_project / BEKASI))
    assert code == 0, output  # warnings only
    assert (
        f"{BEKASI}/id.md:{line}: warning: `Kemensos` is used here but en.md never says `MoSA`"
    ) in output


def test_number_that_is_a_fact(sample_project: Path) -> None:
    en = sample_project / BEKASI / "en.md"
    edit(en, "for {{ plan_year }}, in support", "for 2024, in support")
    line = line_of(en, "for 2024, in support")
    code, output = check(sample_project, str(sample_project / BEKASI))
    assert code == 0, output  # warnings only
    assert (
        f"{BEKASI}/en.md:{line}: warning: 2024 is written by hand and is a fact; "
        "write {{ plan_year }}"
    ) in output


def test_number_that_disagrees_with_the_indicator(sample_project: Path) -> None:
    for lang, name, text in (
        ("id", "5-penutup.md", "Target IKSS 1.2 adalah 25% pada akhir periode."),
        ("en", "5-closing.md", "The IKSS 1.2 target is 25% by the end of the period."),
    ):
        path = sample_project / PLAN / lang / name
        path.write_text(path.read_text() + f"\n{text}\n")
    code, output = check(sample_project, str(sample_project / PLAN))
    assert code == 0, output  # warnings only
    assert "warning: 25% disagrees with the facts of IKSS 1.2" in output


def test_section_structure_differs(sample_project: Path) -> None:
    path = sample_project / PLAN / "id/5-penutup.md"
    path.write_text(path.read_text() + "\n# Lampiran Tambahan\n\nIsi.\n")
    code, output = check(sample_project, str(sample_project / PLAN))
    assert code == 0, output  # warnings only
    assert (
        f"{PLAN}/en/5-closing.md:1: warning: the sections differ from 5-penutup.md (#: id 3, en 2)"
    ) in output


def test_single_language_document(project: Path, add_readout: Callable[..., Path]) -> None:
    add_readout(project, en_md=None)
    code, output = check(project)
    assert code == 0
    assert (
        "content/readouts/meeting/id.md:1: warning: there is no en version of this document; "
        "add it, or mark the facts `single_language: id`"
    ) in output
    facts = project / "content/readouts/meeting/readout.yaml"
    facts.write_text(facts.read_text() + "single_language: id\n")
    assert check(project, "--strict")[0] == 0


def test_raw_html_in_prose(project: Path, add_readout: Callable[..., Path]) -> None:
    add_readout(project, id_md="---\ntitle: T\n---\nTeks <b>tebal</b>.\n")
    code, output = check(project)
    assert code == 0, output  # warnings only
    assert (
        "content/readouts/meeting/id.md:4: warning: raw HTML '<b>' is shown as text, not as "
        "markup; use Markdown instead"
    ) in output


def test_every_problem_in_every_file(project: Path, add_readout: Callable[..., Path]) -> None:
    add_readout(project, slug="one", facts="city: X\ndate: 2024-13-01\n")
    add_readout(project, slug="two", en_md="---\ntitle: T\n---\n{{ nope }}\n")
    add_readout(project, slug="three", facts=READOUT_FACTS.replace("WIB", "CET"))
    write(project, "templates/shared/broken.html", "{% if %}\n")
    code, output = check(project)
    assert code == 1
    assert "templates/shared/broken.html:1: error: template syntax" in output
    # With a template broken, documents are not rendered; fix it and see the rest.
    (project / "templates/shared/broken.html").unlink()
    code, output = check(project)
    assert code == 1
    assert (
        "content/readouts/one/readout.yaml:2:7: error: `date`: '2024-13-01' is not a date" in output
    )
    assert "content/readouts/two/en.md:4: error: unknown fact `nope`" in output
    assert "content/readouts/three/readout.yaml:7:13: error: `event.timezone`: 'CET'" in output
    assert "3 documents, 3 errors" in output


def test_missing_language_template(project: Path, add_readout: Callable[..., Path]) -> None:
    add_readout(project)
    (project / "templates/en/labels.html").unlink()
    code, output = check(project)
    assert code == 1
    assert "templates/en/labels.html: error: template en/labels.html is missing" in output


def test_bad_glossary(project: Path) -> None:
    write(project, "glossary.yaml", "- {id: Kemensos}\n- {id: Renstra, en: Strategic Plan}\n")
    code, output = check(project)
    assert code == 1
    assert "glossary.yaml:1:3: error: each glossary entry needs exactly `id:` and `en:`" in output


def test_body_bodies_are_unchanged(project: Path, add_readout: Callable[..., Path]) -> None:
    add_readout(project, id_md=ID_BODY, en_md=EN_BODY)
    assert check(project)[0] == 0
