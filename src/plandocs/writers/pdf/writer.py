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

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plandocs.errors import WriterError
from plandocs.writers.base import WriteOptions, Writer, Written
from plandocs.writers.pdf.chapters import layout_units, split_units
from plandocs.writers.pdf.labels import LabelRanges, front_rules, label_ranges, page_labels
from plandocs.writers.pdf.layout import (
    lay_out_html,
    page_kind,
    quiet_libraries,
    referenced,
    variant,
)

if TYPE_CHECKING:
    from plandocs.render.page import RenderedDocument


def check_urls(
    root: Path, html: str, where: Callable[[str], tuple[Path, int] | None] | None = None
) -> None:
    """What the fetcher would refuse while laying out ``html``, found without laying it
    out (``plandocs check``): every stylesheet, image and ``url(…)`` the HTML names.
    ``where`` finds the file and line that wrote a URL (a template), if it can."""
    from plandocs.safety.urls import fetch_target

    for url, absolute in referenced(root, html):
        try:
            fetch_target(root, absolute)
        except ValueError as exc:
            found = where(url) if where is not None else None
            if found is not None:
                raise WriterError(str(exc), found[0], found[1]) from None
            raise WriterError(str(exc)) from None


class PdfWriter(Writer):
    """WeasyPrint, with the additions listed in the module's docstring."""

    name = "pdf"
    suffix = ".pdf"

    def write_to(self, doc: RenderedDocument, path: Path) -> Written:
        return Written(page_labels=layout_pdf(self.root, doc.html, path, self.options))


def layout_pdf(
    root: Path, html: str, path: Path, options: WriteOptions | None = None
) -> dict[str, str]:
    """Write ``html`` as a PDF at ``path``; return the printed page label of each anchor.

    Of the ``options``: ``archive`` (PDF/A-3b), ``tagged`` (structure tags, PDF/UA-1),
    ``cover_label`` (the cover's page label), ``jobs`` (processes for the units).

    A document made of sections (a Renstra) is laid out chapter by chapter, each
    chapter kept for the next build (:mod:`plandocs.writers.pdf.chapters`); a PDF/A
    document, and a document without sections, in one pass.
    """
    quiet_libraries()
    from weasyprint.urls import FatalURLFetchingError

    options = options if options is not None else WriteOptions()
    units = None if options.archive else split_units(html)
    try:
        if units is not None:
            return layout_units(root, html, units, path, options)
        return _layout_whole(root, html, path, options)
    except FatalURLFetchingError as exc:
        raise WriterError(str(exc)) from None


def _layout_whole(
    root: Path, html: str, path: Path, options: WriteOptions | Mapping[str, Any]
) -> dict[str, str]:
    """The whole document in one pass. ``options`` may also be a mapping of the
    fields of :class:`WriteOptions` (the tests lay a document out this way, to compare
    it with its units)."""
    import weasyprint

    if not isinstance(options, WriteOptions):
        options = WriteOptions(**options)

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
    kinds = [page_kind(page) for page in document.pages]
    ranges = label_ranges(kinds, options.cover_label)
    document.write_pdf(path, finisher=_page_labels_finisher(ranges), **variant(options))
    _finish_file(path, html, options)
    return labels


def _finish_file(path: Path, html: str, options: WriteOptions) -> None:
    """The written PDF finished for screen readers and the archive
    (:mod:`plandocs.writers.pdf.finish`), saved again with a deterministic id."""
    import io

    import pikepdf

    from plandocs.writers.pdf.finish import finish, link_texts

    with pikepdf.open(io.BytesIO(path.read_bytes())) as pdf:
        finish(pdf, link_texts(html), archive=options.archive)
        pdf.save(path, deterministic_id=True)


def _labels(pages: list[Any], before_body: int) -> dict[str, str]:
    """Each anchor's printed page label (of WeasyPrint's laid-out pages)."""
    return page_labels([(page_kind(page), list(page.anchors)) for page in pages], before_body)


def _page_labels_finisher(ranges: LabelRanges) -> Any:
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
