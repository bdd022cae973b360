"""PDF with WeasyPrint: page setup and page numbers come from the HTML's stylesheet."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

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
    """A URL fetcher that reads only files inside the project and ``data:`` URLs."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    project = root.resolve()

    class ProjectFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if path.is_relative_to(project):
                    return super().fetch(url, headers)
            raise FatalURLFetchingError(
                f"{url} is outside the project; only files inside the project folder may be used"
            )

    return ProjectFetcher(allowed_protocols=("file", "data"))


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
