"""PDF with WeasyPrint: page setup and page numbers come from the HTML's stylesheet.

Around WeasyPrint's layout the writer adds what CSS cannot say:

* front matter paged i, ii, iii and the body from 1 (a first layout of the cover and
  front matter counts their pages; the full layout starts its counter after them),
  with the front matter's own entries in the table of contents numbered i, ii …;
* hyphenation kept in check: a word is never split across two pages, and no more
  than two hyphenated lines follow each other (hooks in WeasyPrint's line and page
  breaking, and a check of the laid-out pages); a range (``2025–2029``) never breaks
  after its dash (:mod:`plandocs.writers.pdf.hyphens`);
* page labels (``/PageLabels``), so a viewer shows the printed numbers: the cover
  as "Sampul"/"Cover", the front matter i, ii …, the body 1, 2 …;
* tags for screen readers (PDF/UA-1) and, when asked, PDF/A-3b for the archive.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlparse

from plandocs.errors import WriterError
from plandocs.writers.base import Writer
from plandocs.writers.pdf.tables import render_with_continued_captions

if TYPE_CHECKING:
    from plandocs.render.page import RenderedDocument

# WeasyPrint and fontTools log layout and font-subsetting notes (for example the
# fallback to fontTools when HarfBuzz's subsetter is missing): library noise for
# our users. Real failures still surface as exceptions.
_NOISY_LOGGERS = ("weasyprint", "weasyprint.progress", "fontTools")


def _quiet_libraries() -> None:
    for name in _NOISY_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.CRITICAL)
        logger.propagate = False


PROJECT_URL = "file:///plandocs-project/"
"""The address of the project's folder while a PDF is laid out: the same in every
checkout and on every machine. WeasyPrint names an image after a hash of its URL, so
with the real path the PDF's bytes would depend on where the project lies (shards
built on different machines, a colleague's clone)."""


def real_url(root: Path, url: str) -> str:
    """``url`` with :data:`PROJECT_URL` replaced by the project folder's own address."""
    if url.startswith(PROJECT_URL):
        return root.resolve().as_uri() + "/" + url[len(PROJECT_URL) :]
    return url


def make_fetcher(root: Path) -> Any:
    """A URL fetcher that reads only files inside the project and ``data:`` URLs; what
    it reads is recorded as an input of the document."""
    import mimetypes

    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    from plandocs.errors import PlandocsError
    from plandocs.safety.paths import fetch_target
    from plandocs.safety.reader import read_bytes

    class ProjectFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            try:
                path = fetch_target(root, real_url(root, url))
            except ValueError as exc:
                raise FatalURLFetchingError(str(exc)) from None
            try:
                data = read_bytes(path)
            except PlandocsError as exc:
                raise FatalURLFetchingError(f"{url}: {exc.message}") from None
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=data, headers={"Content-Type": kind})

    return ProjectFetcher(allowed_protocols=("file", "data"))


_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)|@import\s+(['"])([^'"]*)\3""")


def check_urls(root: Path, html: str) -> None:
    """What the fetcher would refuse while laying out ``html``, found without laying it
    out (``plandocs check``): every stylesheet, image and ``url(…)`` the HTML names."""
    from plandocs.safety.paths import fetch_target

    for url in referenced_urls(root, html):
        try:
            fetch_target(root, url)
        except ValueError as exc:
            raise WriterError(str(exc)) from None


def referenced_urls(root: Path, html: str) -> list[str]:
    """The absolute URL of every stylesheet, image and ``url(…)`` the HTML names, but
    ``data:`` URLs, in order and once each."""
    from lxml import html as lxml_html

    base = root.resolve().as_uri() + "/"
    try:
        tree = lxml_html.document_fromstring(html)
    except Exception:  # an empty document: nothing to fetch
        return []
    urls: list[str] = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name in ("src", "data", "poster"):
            if element.get(name):
                urls.append(element.get(name))
        if element.tag in ("link", "image", "use") and element.get("href"):
            urls.append(element.get("href"))
        for text in (
            element.get("style") or "",
            element.text or "" if element.tag == "style" else "",
        ):
            for match in _CSS_URL.finditer(text):
                urls.append(match.group(2) or match.group(4) or "")
    found: dict[str, None] = {}
    for url in urls:
        absolute = urljoin(base, url.strip())
        if urlparse(absolute).scheme != "data":
            found.setdefault(absolute, None)
    return list(found)


class PdfWriter(Writer):
    """WeasyPrint, with the additions listed in the module's docstring."""

    name = "pdf"
    suffix = ".pdf"

    def write_to(self, doc: RenderedDocument, path: Path) -> None:
        doc.page_labels.clear()
        doc.page_labels.update(layout_pdf(self.root, doc.html, path, doc.pdf))


def roman(number: int) -> str:
    """Lower-case Roman numeral: 1 → i, 4 → iv, 14 → xiv."""
    parts = []
    for value, letters in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        count, number = divmod(number, value)
        parts.append(letters * count)
    return "".join(parts)


def layout_pdf(
    root: Path, html: str, path: Path, options: dict[str, Any] | None = None
) -> dict[str, str]:
    """Write ``html`` as a PDF at ``path``; return the printed page label of each anchor.

    ``options``: ``archive`` (PDF/A-3b), ``tagged`` (structure tags, PDF/UA-1),
    ``cover_label`` (the cover's page label), ``jobs`` (processes for the units).

    A document made of sections (a Renstra) is laid out chapter by chapter, each
    chapter kept for the next build (:mod:`plandocs.writers.pdf.units`); a PDF/A
    document, and a document without sections, in one pass.
    """
    _quiet_libraries()
    from weasyprint.urls import FatalURLFetchingError

    from plandocs.writers.pdf.units import layout_units, split_units

    options = options or {}
    units = None if options.get("archive") else split_units(html)
    try:
        if units is not None:
            return layout_units(root, html, units, path, options, front_rules)
        return _layout_whole(root, html, path, options)
    except FatalURLFetchingError as exc:
        raise WriterError(str(exc)) from None


def _layout_whole(root: Path, html: str, path: Path, options: dict[str, Any]) -> dict[str, str]:
    """The whole document in one pass."""
    import weasyprint

    labels: dict[str, str] = {}
    stylesheets = []
    front = _front_matter_only(html)
    before_body = 0
    if front is not None:
        pages = lay_out_html(root, front, [], checked=False).pages
        before_body = len(pages)
        front_labels = _labels(pages, 0)
        labels.update(front_labels)
        rules = f"@page :first {{ counter-reset: page {1 - before_body} }}\n"
        stylesheets.append(weasyprint.CSS(string=rules + front_rules(front_labels)))
    document = lay_out_html(root, html, stylesheets)
    for anchor, label in _labels(document.pages, before_body).items():
        labels.setdefault(anchor, label)
    kinds = [_page_kind(page) for page in document.pages]
    ranges = label_ranges(kinds, str(options.get("cover_label") or ""))
    document.write_pdf(path, finisher=_page_labels_finisher(ranges), **variant(options))
    return labels


def front_rules(labels: dict[str, str], prefixes: tuple[str, ...] = ("#",)) -> str:
    """Stylesheet rules printing ``labels`` as the page numbers of the table of
    contents' and the lists' entries, whose links are ``prefix`` + anchor
    (stylesheets given to WeasyPrint are the user's: !important to win)."""
    return "\n".join(
        ", ".join(f'nav.toc a[href="{prefix}{anchor}"]::after' for prefix in prefixes)
        + f' {{ content: leader(".") " {label}" !important; }}'
        for anchor, label in sorted(labels.items())
        if re.fullmatch(r"[\w-]+", anchor) and re.fullmatch(r"\w+", label)
    )


def lay_out_html(root: Path, html: str, stylesheets: list[Any], checked: bool = True) -> Any:
    """``html`` laid out by WeasyPrint with ``stylesheets``: number ranges kept whole,
    continued tables captioned and (``checked``) the hyphenation limits kept."""
    import weasyprint

    from plandocs.writers.pdf import leaders
    from plandocs.writers.pdf.hyphens import HyphenationFix, install, keep_ranges

    install()
    leaders.install()
    html = keep_ranges(html)
    fetcher = make_fetcher(root)
    base_url = PROJECT_URL

    def render(text: str) -> Any:
        parsed = weasyprint.HTML(string=text, base_url=base_url, url_fetcher=fetcher)
        return parsed.render(stylesheets=stylesheets)

    def lay_out(text: str) -> Any:
        return render_with_continued_captions(text, render)

    if not checked:
        return render(html)
    fix = HyphenationFix(html)
    document = lay_out(html)
    while fix.needed(document):
        document = lay_out(fix.html)
    return document


def variant(options: dict[str, Any]) -> dict[str, Any]:
    """WeasyPrint's options for PDF/A-3b and for tags (PDF/UA-1 when not archiving)."""
    tagged = bool(options.get("tagged", True))
    if options.get("archive"):
        return {"pdf_variant": "pdf/a-3b", "pdf_tags": tagged}
    if tagged:
        return {"pdf_variant": "pdf/ua-1"}
    return {}


def _page_kind(page: Any) -> str:
    """The named page (``cover``, ``front``, ``body``, ``landscape``) a page was laid
    out as; ``""`` for an unnamed page (a readout's)."""
    page_type = getattr(getattr(page, "_page_box", None), "page_type", None)
    return str(getattr(page_type, "name", "") or "")


def _labels(pages: list[Any], before_body: int) -> dict[str, str]:
    """Each anchor's printed page label (of WeasyPrint's laid-out pages)."""
    return page_labels([(_page_kind(page), list(page.anchors)) for page in pages], before_body)


def page_labels(pages: list[tuple[str, list[str]]], before_body: int) -> dict[str, str]:
    """Each anchor's printed page label: i, ii … in the front matter, 1, 2 … after it
    (``pages``: each page's kind and anchors)."""
    labels: dict[str, str] = {}
    front = 0
    for index, (kind, anchors) in enumerate(pages):
        if kind == "cover":
            continue
        if kind == "front":
            front += 1
            label = roman(front)
        else:
            number = index - before_body + 1
            if number < 1:
                continue
            label = str(number)
        for anchor in anchors:
            labels.setdefault(anchor, label)
    return labels


def label_ranges(kinds: list[str], cover_label: str) -> list[tuple[int, dict[str, Any]]]:
    """``/PageLabels`` ranges: (first page index, label dictionary) where the style changes."""
    ranges: list[tuple[int, dict[str, Any]]] = []
    previous = None
    for index, kind in enumerate(kinds):
        group = "cover" if kind == "cover" else "front" if kind == "front" else "body"
        if group == previous:
            continue
        previous = group
        if group == "cover":
            ranges.append((index, {"P": cover_label} if cover_label else {}))
        elif group == "front":
            ranges.append((index, {"S": "/r", "St": 1}))
        else:
            ranges.append((index, {"S": "/D", "St": 1}))
    return ranges


def _page_labels_finisher(ranges: list[tuple[int, dict[str, Any]]]) -> Any:
    """A WeasyPrint finisher writing ``/PageLabels`` into the catalog."""

    def finish(document: Any, pdf: Any) -> None:
        import pydyf

        if len(ranges) < 2 and not any(d for _, d in ranges):
            return  # one range of 1, 2, 3 …: what every viewer shows anyway
        nums = pydyf.Array()
        for start, spec in ranges:
            label = pydyf.Dictionary()
            if "S" in spec:
                label["S"] = spec["S"]
                label["St"] = spec["St"]
            if "P" in spec:
                label["P"] = pydyf.String(spec["P"])
            nums.extend([start, label])
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": nums})

    return finish


def _front_matter_only(html: str) -> str | None:
    """The document cut before its first body section, or None if it has no front matter."""
    body = _PAGE_KIND.search(html)
    if body is None or 'data-page="front"' not in html[: body.start()]:
        return None
    return html[: body.start()] + "</body></html>"


_PAGE_KIND = re.compile(r'<section\b[^>]*\sdata-page="(?:body|landscape)"')
