"""PDF with WeasyPrint: page setup and page numbers come from the HTML's stylesheet."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from plandocs.errors import WriterError
from plandocs.render import RenderedDocument
from plandocs.writers.base import Writer

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
    name = "pdf"
    suffix = ".pdf"

    def write_to(self, doc: RenderedDocument, path: Path) -> None:
        _quiet_libraries()
        import weasyprint
        from weasyprint.urls import FatalURLFetchingError

        try:
            html = weasyprint.HTML(
                string=doc.html,
                base_url=self.root.resolve().as_uri() + "/",
                url_fetcher=make_fetcher(self.root),
            )
            html.write_pdf(path)
        except FatalURLFetchingError as exc:
            raise WriterError(str(exc)) from None
