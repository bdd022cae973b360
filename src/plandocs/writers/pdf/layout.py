"""WeasyPrint over a project's HTML: the one way plandocs lays a page out.

Both the one-pass layout and every unit of a long document go through
:func:`lay_out_html`, so they read files the same way (only project files, each recorded
as an input of the document, under an address that is the same on every machine), keep
number ranges whole, caption continued tables and hold hyphenation to its limits.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

from plandocs.writers.base import WriteOptions
from plandocs.writers.pdf.tables import render_with_continued_captions

# WeasyPrint and fontTools log layout and font-subsetting notes (for example the
# fallback to fontTools when HarfBuzz's subsetter is missing): library noise for
# our users. Real failures still surface as exceptions.
_NOISY_LOGGERS = ("weasyprint", "weasyprint.progress", "fontTools")


def quiet_libraries() -> None:
    """Silence the layout libraries' own logging (see ``_NOISY_LOGGERS``)."""
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


MAX_FETCHED_BYTES = 64 * 1024 * 1024
"""A file the PDF shows (an image, a stylesheet, a font) larger than this is refused:
images are at most 30 MiB (:data:`plandocs.safety.images.MAX_IMAGE_BYTES`)."""


def make_fetcher(root: Path) -> Any:
    """A URL fetcher that reads only files inside the project and ``data:`` URLs; what
    it reads is recorded as an input of the document."""
    import mimetypes

    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    from plandocs.errors import PlandocsError
    from plandocs.safety.reader import read_bytes
    from plandocs.safety.urls import fetch_target

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
                data = read_bytes(path, "file", MAX_FETCHED_BYTES)
            except PlandocsError as exc:
                raise FatalURLFetchingError(f"{url}: {exc.message}") from None
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=data, headers={"Content-Type": kind})

    return ProjectFetcher(allowed_protocols=("file", "data"))


_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)|@import\s+(['"])([^'"]*)\3""")


def referenced_urls(root: Path, html: str) -> list[str]:
    """The absolute URL of every stylesheet, image and ``url(…)`` the HTML names, but
    ``data:`` URLs, in order and once each."""
    return list(dict.fromkeys(absolute for _, absolute in referenced(root, html)))


def referenced(root: Path, html: str) -> list[tuple[str, str]]:
    """Every stylesheet, image and ``url(…)`` the HTML names, but ``data:`` URLs: the
    URL as written and as an absolute URL, in order and once each."""
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
    found: dict[str, str] = {}
    for url in urls:
        absolute = urljoin(base, url.strip())
        if urlparse(absolute).scheme != "data":
            found.setdefault(absolute, url)
    return [(url, absolute) for absolute, url in found.items()]


def lay_out_html(root: Path, html: str, stylesheets: list[Any], checked: bool = True) -> Any:
    """``html`` laid out by WeasyPrint with ``stylesheets``: number ranges kept whole,
    continued tables captioned and (``checked``) the hyphenation limits kept."""
    import weasyprint

    from plandocs.writers.pdf import finish, leaders
    from plandocs.writers.pdf.hyphens import HyphenationFix, install, keep_ranges
    from plandocs.writers.pdf.stylesheets import install as keep_parsed_styles

    install()
    leaders.install()
    finish.install()
    keep_parsed_styles()
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


def variant(options: WriteOptions) -> dict[str, Any]:
    """WeasyPrint's options for PDF/A-3b and for tags (PDF/UA-1 when not archiving)."""
    if options.archive:
        return {"pdf_variant": "pdf/a-3b", "pdf_tags": options.tagged}
    if options.tagged:
        return {"pdf_variant": "pdf/ua-1"}
    return {}


def page_kind(page: Any) -> str:
    """The named page (``cover``, ``front``, ``body``, ``landscape``) a page was laid
    out as; ``""`` for an unnamed page (a readout's)."""
    page_type = getattr(getattr(page, "_page_box", None), "page_type", None)
    return str(getattr(page_type, "name", "") or "")
