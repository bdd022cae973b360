"""Content is untrusted: sandboxed expressions, escaped text, no network, no stray files."""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from conftest import run, write

ID_MD = "content/readouts/meeting/id.md"


def png(path: Path, width: int = 40, height: int = 20) -> Path:
    """A small red PNG, written by hand so the test needs no imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def prose(body: str) -> str:
    return f"---\ntitle: Rapat\n---\n{body}\n"


@pytest.fixture
def meeting(project: Path, add_readout: Callable[..., Path]) -> Path:
    add_readout(project)
    return project


ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ date.__class__.__mro__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ range.__self__ }}",
    "{{ people.arif.__class__ }}",
    "{{ (city|attr('__class__')) }}",
    "{{ self._TemplateReference__context }}",
]


@pytest.mark.parametrize("expression", ESCAPES)
def test_sandbox_refuses_python_internals(meeting: Path, expression: str) -> None:
    write(meeting, ID_MD, prose(f"Teks.\n\n{expression}"))
    result = run(meeting, "build", "--lang", "id", "--format", "html")
    assert result.exit_code == 1
    assert f"{ID_MD}:6: error:" in result.output
    assert "Traceback" not in result.output
    assert not (meeting / "build/id/readouts/meeting.html").exists()


@pytest.mark.parametrize(
    "statement",
    [
        "{% include '../../../../etc/passwd' %}",
        "{% include '/etc/passwd' %}",
        "{% import 'shared/../../plandocs.yaml' as x %}",
    ],
)
def test_content_cannot_read_files(meeting: Path, statement: str) -> None:
    write(meeting, ID_MD, prose(statement))
    result = run(meeting, "build", "--lang", "id", "--format", "html")
    assert result.exit_code == 1
    assert f"{ID_MD}:4: error:" in result.output
    assert "root:" not in result.output


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        (
            "![peta](file:///etc/passwd)",
            "an image to 'file:///etc/passwd' points outside the project",
        ),
        (
            "![peta](http://example.com/a.png)",
            "an image to 'http://example.com/a.png' points outside",
        ),
        ("![peta](../../../../x.png)", "'../../../../x.png' is outside the project folder"),
        ("![peta](/etc/hosts.png)", "points outside the project"),
        ("![peta](peta.bmp)", "image 'peta.bmp': use a PNG, JPEG or GIF file"),
        ("![peta](hilang.png)", "image 'hilang.png' not found"),
        ("[berkas](file:///etc/passwd)", "a link to 'file:///etc/passwd' points outside"),
        ("[berkas](../../../../secret.pdf)", "'../../../../secret.pdf' is outside the project"),
        ("[x](javascript:alert(1))", "points outside the project"),
    ],
)
def test_links_and_images_must_stay_in_the_project(
    meeting: Path, markdown: str, message: str
) -> None:
    write(meeting, ID_MD, prose(f"Satu.\n\nDua {markdown}."))
    result = run(meeting, "check")
    assert result.exit_code == 1
    assert f"{ID_MD}:6: error: " in result.output
    assert message in result.output


@pytest.mark.slow
def test_image_inside_the_project_goes_into_pdf_and_docx(meeting: Path) -> None:
    png(meeting / "content/readouts/meeting/peta.png")
    write(
        meeting,
        ID_MD,
        prose("Lihat peta.\n\n![Peta lokasi](peta.png)\n\n[Situs](https://kemensos.go.id)"),
    )
    result = run(meeting, "build", "--lang", "id", "--format", "pdf,docx,html")
    assert result.exit_code == 0, result.output
    html = (meeting / "build/id/readouts/meeting.html").read_text()
    assert 'src="content/readouts/meeting/peta.png"' in html
    document = docx.Document(str(meeting / "build/id/readouts/meeting.docx"))
    assert len(document.inline_shapes) == 2  # the letterhead's logo, then the map
    from pypdf import PdfReader

    page = PdfReader(str(meeting / "build/id/readouts/meeting.pdf")).pages[0]
    assert page["/Resources"]["/XObject"]


@pytest.mark.slow
def test_weasyprint_fetches_nothing_outside(meeting: Path) -> None:
    base = meeting / "templates/shared/base.html"
    text = base.read_text()
    base.write_text(
        text.replace("</head>", '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">\n</head>')
    )
    result = run(meeting, "build", "--lang", "id", "--format", "pdf")
    assert result.exit_code == 1
    assert "http://127.0.0.1:9/x.css is outside the project" in result.output
    base.write_text(
        text.replace("</head>", '<link rel="stylesheet" href="file:///etc/hostname">\n</head>')
    )
    result = run(meeting, "build", "--lang", "id", "--format", "pdf")
    assert "file:///etc/hostname is outside the project" in result.output


def test_raw_html_is_text(meeting: Path) -> None:
    write(meeting, ID_MD, prose("<script>alert(1)</script>\n\nTeks <img src=x onerror=alert(1)>."))
    assert run(meeting, "build", "--lang", "id", "--format", "html").exit_code == 0
    html = (meeting / "build/id/readouts/meeting.html").read_text()
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        (
            "city: !!python/object/apply:os.system ['true']\ndate: 2024-02-08\n",
            "readout.yaml:1:7: error: invalid YAML: could not determine a constructor",
        ),
        ("city: &a [*a]\ndate: 2024-02-08\n", "readout.yaml:1: error: YAML nests deeper than 30"),
        ("city: [Bekasi]\ndate: 2024-02-08\n", "readout.yaml:1:7: error: `city` should be text"),
        (
            "x: " + "[" * 40 + "]" * 40 + "\ncity: X\ndate: 2024-02-08\n",
            "readout.yaml:1: error: YAML nests deeper than 30 levels",
        ),
    ],
)
def test_yaml_is_loaded_safely(meeting: Path, facts: str, message: str) -> None:
    write(meeting, "content/readouts/meeting/readout.yaml", facts)
    result = run(meeting, "check")
    assert result.exit_code == 1
    assert message in result.output


def test_huge_yaml_is_refused(meeting: Path) -> None:
    facts = meeting / "content/readouts/meeting/readout.yaml"
    facts.write_text("city: X\ndate: 2024-02-08\nnote: '" + "x" * (3 * 1024 * 1024) + "'\n")
    result = run(meeting, "check")
    assert "readout.yaml: error: file is larger than 2 MiB; split it" in result.output


@pytest.mark.slow
def test_numbered_figures_in_chapters(project: Path) -> None:
    import shutil

    from conftest import REPO
    from inspect_docs import pdf_text

    plan = "content/renstra/kemensos-2025-2029"
    shutil.copytree(REPO / plan, project / plan)
    for lang in ("id", "en"):  # chapter 1 (its chart is figure 1.1) and none after it
        for chapter in (project / plan / lang).glob("[2-5]-*.md"):
            chapter.unlink()
    png(project / plan / "gambar/peta.png", 300, 120)
    for lang, name, caption in (
        ("id", "1-pendahuluan.md", "Peta sebaran sentra"),
        ("en", "1-introduction.md", "Map of the centers"),
    ):
        path = project / plan / lang / name
        path.write_text(path.read_text() + f"\n![{caption}](../gambar/peta.png)\n")
    # What is read below: the Indonesian HTML and PDF, the English DOCX.
    result = run(project, "build", "--lang", "id", "--format", "pdf,html", str(project / plan))
    assert result.exit_code == 0, result.output
    result = run(project, "build", "--lang", "en", "--format", "docx", str(project / plan))
    assert result.exit_code == 0, result.output
    html = (project / "build/id/renstra/kemensos-2025-2029.html").read_text()
    # The sample's chapter already has a figure (1.1): the map is the second.
    assert '<span class="capnum" data-label="Gambar" data-chapter="1" data-seq="2">' in html
    assert "Gambar 1.2 Peta sebaran sentra" in pdf_text(
        project / "build/id/renstra/kemensos-2025-2029.pdf"
    )
    document = docx.Document(str(project / "build/en/renstra/kemensos-2025-2029.docx"))
    captions = [p for p in document.paragraphs if p.text.startswith("Figure 1.2")]
    # Its entry in the list of figures, then the caption itself.
    assert [p.style.name for p in captions] == ["Table of Figures", "Caption"]
    captions = captions[1:]
    assert "SEQ Figure" in "".join(
        t.text for t in captions[0]._p.iter() if t.tag.endswith("instrText")
    )
    assert len(document.inline_shapes) == 3  # the cover's logo, the chart, the map


# -- the manifest is trusted for nothing outside build/ ----------------------------------------


def _plant(root: Path, outputs: dict[str, dict[str, object]]) -> None:
    path = root / "build/.plandocs-manifest.json"
    manifest = json.loads(path.read_text())
    record = next(iter(manifest["outputs"].values()))
    for rel, change in outputs.items():
        manifest["outputs"][rel] = {**record, "document": "readouts/gone", **change}
    path.write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    "name",
    ["{victim}", "../../victim.html", "build/../../victim.html", "build/../plandocs.yaml"],
)
def test_planted_manifest_deletes_nothing_outside_build(
    meeting: Path, tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    victim = tmp_path_factory.mktemp("outside") / "victim.html"
    victim.write_text("keep me")
    assert run(meeting, "build", "--format", "html").exit_code == 0
    _plant(meeting, {name.format(victim=victim): {}})
    result = run(meeting, "build", "--format", "html")
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "keep me"
    assert (meeting / "plandocs.yaml").is_file()
    assert "removed" not in result.output


def test_planted_manifest_cannot_follow_a_link_out_of_build(
    meeting: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / "victim.html").write_text("keep me")
    assert run(meeting, "build", "--format", "html").exit_code == 0
    (meeting / "build/evil").symlink_to(outside)
    _plant(meeting, {"build/evil/victim.html": {}})
    result = run(meeting, "build", "--format", "html")
    assert result.exit_code == 0, result.output
    assert (outside / "victim.html").read_text() == "keep me"


@pytest.mark.parametrize(
    "garbage",
    [
        {"format": 2, "code": 1},
        {"format": 2, "code": "x", "settings": "y", "documents": {"a": 1}, "outputs": {},
         "page_labels": {}},
        {"format": 2, "code": "x", "settings": "y", "documents": {},
         "outputs": {"build/x.html": {"document": 1}}, "page_labels": {}},
        {"format": 2, "code": "x", "settings": "y", "documents": {}, "outputs": [],
         "page_labels": {}},
        {"format": 2, "code": "x", "settings": "y", "documents": {}, "page_labels": {"a": []},
         "outputs": {}},
    ],
)  # fmt: skip
def test_manifest_of_the_wrong_shape_counts_as_empty(
    meeting: Path, garbage: dict[str, object]
) -> None:
    assert run(meeting, "build", "--format", "html").exit_code == 0
    (meeting / "build/.plandocs-manifest.json").write_text(json.dumps(garbage))
    result = run(meeting, "build", "--format", "html")
    assert result.exit_code == 0, result.output
    assert "2 written" in result.output


def test_build_folder_must_not_lead_out_of_the_project(
    meeting: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (meeting / "build").symlink_to(outside)
    result = run(meeting, "build", "--format", "html")
    assert result.exit_code == 1
    assert "build: error: build/ must be a folder inside the project, not a link" in result.output
    assert not list(outside.iterdir())
    (meeting / "build").unlink()
    (meeting / "build/id").mkdir(parents=True)
    (meeting / "build/id/readouts").symlink_to(outside)
    result = run(meeting, "build", "--format", "html")
    assert "build/id/readouts: error: this folder is a link out of build/" in result.output
    assert not list(outside.iterdir())


# -- templates get plain, read-only data ----------------------------------------------------------


def test_templates_see_only_plain_read_only_data(
    meeting: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt
    from decimal import Decimal

    from markupsafe import Markup

    import plandocs.kinds.models.readout as readout
    from plandocs.render.sandbox import FrozenDict, FrozenList

    seen: list[dict[str, object]] = []
    original = readout.render_page

    def spy(env: object, name: str, context: dict[str, object]) -> object:
        seen.append(context)
        return original(env, name, context)  # type: ignore[arg-type]

    monkeypatch.setattr(readout, "render_page", spy)
    assert run(meeting, "build", "--format", "html", "-j", "1").exit_code == 0
    assert seen
    plain = (str, int, float, bool, Decimal, dt.date, dt.time, type(None), Markup)

    def walk(value: object, where: str) -> None:
        if isinstance(value, dict):
            assert isinstance(value, FrozenDict), where
            for key, item in value.items():
                walk(item, f"{where}.{key}")
        elif isinstance(value, list):
            assert isinstance(value, FrozenList), where
            for index, item in enumerate(value):
                walk(item, f"{where}[{index}]")
        else:
            assert isinstance(value, plain), f"{where} is a {type(value).__name__}"

    for context in seen:
        assert not {"l10n", "url_policy"} & set(context)
        for key, value in context.items():
            walk(value, key)


def test_a_document_cannot_change_what_the_next_one_sees(
    project: Path, add_readout: Callable[..., Path]
) -> None:
    add_readout(project, slug="a-first", id_md=prose("{{ labels.update({'writer': 'X'}) }}"))
    add_readout(project, slug="b-second", id_md=prose("Teks."))
    result = run(project, "build", "--format", "html", "-j", "1", "--lang", "id")
    assert result.exit_code == 1
    assert "a-first/id.md:4: error: not allowed in a template: `.update` would change" in (
        result.output
    )
    html = (project / "build/id/readouts/b-second.html").read_text()
    assert "Biro Hubungan Masyarakat" in html
