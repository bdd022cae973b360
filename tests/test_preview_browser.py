"""``plandocs preview`` end to end in a real headless browser: Debian's chromium, driven by
Playwright (its Python package only; the browser is the system's, never downloaded).

Skipped, with the reason, where Playwright or chromium is missing or cannot start.
Every page a test opens must reach nothing but the preview server and raise no
script error.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import EN_BODY, ID_BODY, READOUT_FACTS, edit, line_of, make_project, write
from previewing import TIMEOUT, RunningPreview, png, view

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = TIMEOUT * 1000
MM = 96 / 25.4  # CSS pixels per millimetre

PNG = png(3, 2)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A chromium with a fresh profile; skips the module if it cannot be had."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed (pip install playwright)"
    )
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    manager = sync_api.sync_playwright().start()
    try:
        context = manager.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1100, "height": 800},
        )
    except sync_api.Error as exc:
        manager.stop()
        pytest.skip(f"chromium could not be started: {str(exc).splitlines()[0]}")
    yield context
    context.close()
    manager.stop()


@pytest.fixture(scope="module")
def readouts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPreview]:
    """A project of two readouts, previewed with the background build on."""
    root = make_project(tmp_path_factory.mktemp("browser"))
    for slug in ("alpha", "beta"):
        write(root, f"content/readouts/{slug}/readout.yaml", READOUT_FACTS)
        write(root, f"content/readouts/{slug}/id.md", ID_BODY)
        write(root, f"content/readouts/{slug}/en.md", EN_BODY)
    (root / "content/readouts/alpha/photo.png").write_bytes(PNG)
    edit(
        root / "content/readouts/alpha/en.md",
        "\n> “A quote",
        "\n![A photo](photo.png)\n\n> “A quote",
    )
    preview = RunningPreview(root, build=True).start()
    yield preview
    preview.close()


class Tab:
    """A browser tab on a preview, recording every request and script error."""

    def __init__(self, browser: Any, preview: RunningPreview) -> None:
        self.preview = preview
        self.page = browser.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, path: str) -> Any:
        response = self.page.goto(self.preview.url.rstrip("/") + path)
        self.page.wait_for_function("document.documentElement.classList.contains('plandocs-ready')")
        return response

    def close(self) -> None:
        self.page.close()
        origin = self.preview.url
        assert [url for url in self.requests if not url.startswith(origin)] == []
        assert self.errors == []


@pytest.fixture
def tab(browser: Any, readouts: RunningPreview) -> Iterator[Tab]:
    opened = Tab(browser, readouts)
    yield opened
    opened.close()


def test_the_index_lists_the_documents_per_language(tab: Tab) -> None:
    tab.open("/")
    page = tab.page
    assert page.locator("section[lang=id] h2").inner_text() == "Bahasa Indonesia (id)"
    assert page.locator("section[lang=id] li > a").all_inner_texts() == ["Rapat Koordinasi"] * 2
    assert page.locator("section[lang=en] li > a").all_inner_texts() == ["Coordination Meeting"] * 2
    page.locator("section[lang=en] li[data-target='en/readouts/beta'] > a").click()
    page.wait_for_url("**/view?lang=en&doc=readouts%2Fbeta")
    assert (
        "The meeting was held on February\u00a05th\u2060–\u20607th,\u00a02024"
        in page.inner_text("body")
    )


def test_a_document_page_shows_the_rendered_text_on_a_sheet_of_the_paper(tab: Tab) -> None:
    tab.open(view("en", "readouts/alpha"))
    page = tab.page
    sheets = page.locator(".plandocs-sheet")
    assert sheets.count() == 1
    text = sheets.inner_text()
    # The letterhead, then the heading of the release and its title.
    assert text.startswith("MINISTRY OF SOCIAL AFFAIRS")
    assert "\nCoordination Meeting\n" in text
    assert "BEKASI (February 8th, 2024) – The meeting was held" in text
    # A4 with the margins of plandocs.yaml: 210 mm wide, 3 cm on the left, 2 cm on top.
    box = page.evaluate(
        """() => { const s = document.querySelector('.plandocs-sheet'), c = getComputedStyle(s);
                   return [s.getBoundingClientRect().width, s.getBoundingClientRect().height,
                           parseFloat(c.paddingLeft), parseFloat(c.paddingTop)]; }"""
    )
    assert box[0] == pytest.approx(210 * MM, abs=1)
    assert box[1] >= 297 * MM - 1
    assert box[2:] == [pytest.approx(30 * MM, abs=1), pytest.approx(20 * MM, abs=1)]
    # The project's image, at its project-relative address.
    # (the first image is the letterhead's logo, the second the readout's own)
    widths = page.evaluate(
        "[...document.querySelectorAll('.plandocs-sheet img')].map(i => i.naturalWidth)"
    )
    assert widths[0] > 0 and widths[1:] == [3]
    assert page.locator("#plandocs-preview a[hreflang=id]").get_attribute("href") == (
        "/view?lang=id&doc=readouts%2Falpha"
    )


def test_a_save_changes_the_open_page_without_a_manual_reload(
    tab: Tab, readouts: RunningPreview, record_property: Callable[[str, object], None]
) -> None:
    tab.open(view("en", "readouts/alpha"))
    page = tab.page
    page.evaluate("window.scrollTo(0, 300)")
    prose = readouts.root / "content/readouts/alpha/en.md"
    sentence = f"A sentence saved at {time.time()}."
    saved = time.perf_counter()
    prose.write_text(prose.read_text() + f"\n{sentence}\n")
    page.get_by_text(sentence).wait_for(timeout=WAIT_MS)
    seconds = time.perf_counter() - saved
    record_property("preview_reload_seconds", round(seconds, 3))
    print(f"save → new text in the page: {seconds:.3f} s")
    # The page reloaded itself (the test never navigated again) and kept its place.
    assert page.evaluate("performance.getEntriesByType('navigation')[0].type") == "reload"
    assert page.evaluate("window.scrollY") == 300


def test_a_broken_file_shows_its_location_in_the_page_and_a_fix_clears_it(
    tab: Tab, readouts: RunningPreview
) -> None:
    tab.open(view("id", "readouts/beta"))
    page = tab.page
    prose = readouts.root / "content/readouts/beta/id.md"
    edit(prose, "Rapat berlangsung", "Rapat {{ ruang }} berlangsung")
    error = page.locator("#plandocs-error pre")
    error.wait_for(timeout=WAIT_MS)
    line = line_of(prose, "{{ ruang }}")
    assert error.inner_text() == (
        f"content/readouts/beta/id.md:{line}: error: unknown fact `ruang` in an expression; "
        "use a name from the document's YAML facts, or add it there"
    )
    # The last good version stays beneath the message.
    assert (
        "Rapat berlangsung pada 5\u2060–\u20607\u00a0Februari\u00a02024"
        in page.locator(".plandocs-sheet").inner_text()
    )

    edit(prose, "Rapat {{ ruang }} berlangsung", "Rapat pleno berlangsung")
    page.get_by_text("Rapat pleno berlangsung").wait_for(timeout=WAIT_MS)
    assert page.locator("#plandocs-error").count() == 0


def test_the_links_to_the_pdf_and_docx_resolve(tab: Tab) -> None:
    tab.open(view("en", "readouts/beta"))
    page = tab.page
    # Links appear once the background build has written the files.
    pdf = page.locator("#plandocs-preview a.plandocs-file", has_text="PDF")
    pdf.wait_for(timeout=WAIT_MS)
    assert pdf.get_attribute("href") == "/build/en/readouts/beta.pdf"
    response = page.request.get(tab.preview.url + "build/en/readouts/beta.pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    docx = page.locator("#plandocs-preview a.plandocs-file", has_text="DOCX")
    docx.wait_for(timeout=WAIT_MS)
    response = page.request.get(tab.preview.url + docx.get_attribute("href").lstrip("/"))
    assert response.status == 200 and response.body().startswith(b"PK")
    # The files can land a moment before the status line says the build is over.
    page.get_by_text("up to date").wait_for(timeout=WAIT_MS)
    assert "up to date" in page.locator("#plandocs-build").inner_text()


@pytest.mark.parametrize(
    "path",
    [
        "build/%2e%2e/plandocs.yaml",
        "build/..%2fplandocs.yaml",
        "build/%252e%252e/plandocs.yaml",
        "build/..%5cplandocs.yaml",
        "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "build/%2fetc%2fpasswd",
        "content/readouts/alpha/en.md",
        "build/.plandocs-manifest.json",
        "plandocs.yaml",
    ],
)
def test_traversal_attempts_are_refused(tab: Tab, path: str) -> None:
    response = tab.page.goto(tab.preview.url + path)
    assert response.status in (403, 404)
    assert "organization" not in tab.page.content()


@pytest.fixture(scope="module")
def renstra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPreview]:
    """The sample project (a Renstra with chapters and landscape annexes), no build."""
    root = make_project(tmp_path_factory.mktemp("renstra"), with_content=True)
    preview = RunningPreview(root, langs=("en",)).start()
    yield preview
    preview.close()


def test_the_renstra_is_laid_out_as_the_pdf_breaks_its_pages(
    browser: Any, renstra: RunningPreview
) -> None:
    tab = Tab(browser, renstra)
    try:
        tab.open(view("en", "renstra/kemensos-2025-2029"))
        sheets = tab.page.evaluate(
            """() => [...document.querySelectorAll('.plandocs-sheet')].map(s => [
                   s.dataset.page, Math.round(s.getBoundingClientRect().width),
                   (s.querySelector('.chapnum, .annexnum') || s.querySelector('h1, p'))
                       .textContent.trim().toUpperCase()])"""
        )
        folder = renstra.root / "content/renstra/kemensos-2025-2029/en"
        chapters = [p for p in sorted(folder.glob("*.md")) if not p.name.startswith("0-")]
        portrait, landscape = round(210 * MM), round(297 * MM)
        kinds = [s[0] for s in sheets]
        fronts = kinds.count("front")
        # The foreword, the contents and the lists of tables, figures and abbreviations.
        assert fronts >= 2
        assert kinds == [
            "cover",
            *["front"] * fronts,
            *["body"] * len(chapters),
            "landscape",
            "landscape",
        ]
        assert [s[1] for s in sheets] == [portrait] * (1 + fronts + len(chapters)) + [landscape] * 2
        assert "TABLE OF CONTENTS" in [s[2] for s in sheets[1 : 1 + fronts]]
        assert [s[2] for s in sheets[1 + fronts : -2]] == [
            f"CHAPTER {n}" for n in ("I", "II", "III", "IV", "V")
        ]
        assert [s[2] for s in sheets[-2:]] == ["ANNEX I", "ANNEX II"]
        # The running header belongs to the page margins, not to the text.
        assert not tab.page.locator("div.running-header").is_visible()
        # A table-of-contents entry still leads to its chapter.
        tab.page.locator("nav.toc a[href='#bab_3']").click()
        top, bar = tab.page.evaluate(
            """[document.getElementById('bab_3').getBoundingClientRect().top,
                document.getElementById('plandocs-preview').getBoundingClientRect().bottom]"""
        )
        assert bar <= top < 800  # in view, and not under the preview's bar
    finally:
        tab.close()


def test_a_reload_keeps_the_reader_where_they_were(browser: Any, renstra: RunningPreview) -> None:
    tab = Tab(browser, renstra)
    try:
        tab.open(view("en", "renstra/kemensos-2025-2029"))
        page = tab.page
        page.locator("nav.toc a[href='#bab_3']").click()
        page.evaluate("window.scrollBy(0, 120)")
        where = "document.getElementById('bab_3').getBoundingClientRect().top"
        before = page.evaluate(where)
        chapter = sorted((renstra.root / "content/renstra/kemensos-2025-2029/en").glob("*.md"))[2]
        chapter.write_text(chapter.read_text() + "\nA closing sentence for chapter three.\n")
        page.get_by_text("A closing sentence for chapter three.").wait_for(timeout=WAIT_MS)
        assert page.evaluate("performance.getEntriesByType('navigation')[0].type") == "reload"
        assert page.evaluate(where) == pytest.approx(before, abs=2)
    finally:
        tab.close()


def test_the_bar_says_what_is_wrong_and_where_wherever_the_author_is(
    browser: Any, renstra: RunningPreview
) -> None:
    """An author deep in chapter 1 saves a mistake: the bar at the top of the window —
    not only the box above the document — names the file and line, and a fix clears it."""
    tab = Tab(browser, renstra)
    chapter = renstra.root / "content/renstra/kemensos-2025-2029/en/1-introduction.md"
    good = chapter.read_text()
    try:
        tab.open(view("en", "renstra/kemensos-2025-2029"))
        page = tab.page
        page.locator("nav.toc a[href='#bab_1']").click()
        page.evaluate("window.scrollBy(0, 1500)")
        scrolled = page.evaluate("window.scrollY")
        assert scrolled > 3000
        lines = good.splitlines()
        number = next(i for i, line in enumerate(lines) if i > 8 and line.strip()) + 1
        lines[number - 1] = "The {{ unknown_fact }} " + lines[number - 1]
        chapter.write_text("\n".join(lines) + "\n")
        brief = page.locator("#plandocs-preview .plandocs-problem-brief")
        brief.wait_for(timeout=WAIT_MS)
        text = brief.inner_text()
        assert f"en/1-introduction.md:{number}" in text and "unknown fact" in text, text
        assert "content/renstra" not in text
        box = brief.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 60
        # The reader stays in chapter 1, far below the error box, which is out of view;
        # the bar is on top of the text there.
        assert page.evaluate("window.scrollY") >= scrolled
        assert (
            page.evaluate(
                "document.getElementById('plandocs-error').getBoundingClientRect().bottom"
            )
            < 0
        )
        on_top = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('.plandocs-problem-brief') "
            "!== null",
            [box["x"] + 5, box["y"] + box["height"] / 2],
        )
        assert on_top
        chapter.write_text(good)
        brief.wait_for(state="detached", timeout=WAIT_MS)
    finally:
        chapter.write_text(good)
        tab.close()
