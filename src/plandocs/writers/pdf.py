"""PDF with WeasyPrint: page setup and page numbers come from the HTML's stylesheet."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlparse

from plandocs.errors import WriterError
from plandocs.writers.base import Writer
from plandocs.writers.pdf_tables import render_with_continued_captions

if TYPE_CHECKING:
    from plandocs.render import RenderedDocument

# WeasyPrint and fontTools log layout and font-subsetting notes (for example the
# fallback to fontTools when HarfBuzz's subsetter is missing): library noise for
# our users. Real failures still surface as exceptions.
_NOISY_LOGGERS = ("weasyprint", "weasyprint.progress", "fontTools")


def _quiet_libraries() -> None:
    for name in _NOISY_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.CRITICAL)
        logger.propagate = False


def make_fetcher(root: Path) -> Any:
    """A URL fetcher that reads only files inside the project and ``data:`` URLs; what
    it reads is recorded as an input of the document."""
    import mimetypes

    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    from plandocs.errors import PlandocsError
    from plandocs.inputs import read_bytes
    from plandocs.safety import fetch_target

    class ProjectFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            try:
                path = fetch_target(root, url)
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
    from lxml import html as lxml_html

    from plandocs.safety import fetch_target

    base = root.resolve().as_uri() + "/"
    try:
        tree = lxml_html.document_fromstring(html)
    except Exception:  # an empty document: nothing to fetch
        return
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
    for url in urls:
        absolute = urljoin(base, url.strip())
        if urlparse(absolute).scheme == "data":
            continue
        try:
            fetch_target(root, absolute)
        except ValueError as exc:
            raise WriterError(str(exc)) from None


class PdfWriter(Writer):
    """WeasyPrint, with one addition: front matter paged i, ii, iii and the body from 1.

    CSS can reset the page counter only on the first page, so the writer first lays
    out the cover and front matter alone to count their pages, then starts the
    counter at ``1 - count`` so that the body's first page is page 1. Front-matter
    pages show their own counter (see the stylesheet), in Roman numerals.
    """

    name = "pdf"
    suffix = ".pdf"

    def write_to(self, doc: RenderedDocument, path: Path) -> None:
        doc.page_labels.clear()
        doc.page_labels.update(layout_pdf(self.root, doc.html, path))


def layout_pdf(root: Path, html: str, path: Path) -> dict[str, str]:
    """Write ``html`` as a PDF at ``path``; return the printed page number of each anchor."""
    _quiet_libraries()
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    fetcher = make_fetcher(root)
    base_url = root.resolve().as_uri() + "/"

    def parse(text: str) -> Any:
        return weasyprint.HTML(string=text, base_url=base_url, url_fetcher=fetcher)

    labels: dict[str, str] = {}
    try:
        stylesheets = []
        front = _front_matter_only(html)
        before_body = 0
        if front is not None:
            before_body = len(parse(front).render().pages)
            stylesheets.append(
                weasyprint.CSS(string=f"@page :first {{ counter-reset: page {1 - before_body} }}")
            )
        document = render_with_continued_captions(
            html, lambda text: parse(text).render(stylesheets=stylesheets)
        )
        for index, page in enumerate(document.pages):
            number = index - before_body + 1
            for anchor in page.anchors:
                if number >= 1:
                    labels.setdefault(anchor, str(number))
        document.write_pdf(path)
    except FatalURLFetchingError as exc:
        raise WriterError(str(exc)) from None
    return labels


def _front_matter_only(html: str) -> str | None:
    """The document cut before its first body section, or None if it has no front matter."""
    body = _PAGE_KIND.search(html)
    if body is None or 'data-page="front"' not in html[: body.start()]:
        return None
    return html[: body.start()] + "</body></html>"


_PAGE_KIND = re.compile(r'<section\b[^>]*\sdata-page="(?:body|landscape)"')
