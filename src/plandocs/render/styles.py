"""The one style source: named block and character styles.

Each :class:`Style` says which HTML element (tag, class) it is for, which Word
style it becomes, and how it looks. :func:`plandocs.render.css.css` turns the list into CSS
rules for the PDF and preview; the DOCX writer turns the same list into Word styles and uses
:func:`word_style_for` to pick the style of each element. Changing a size, font or
spacing here changes both formats.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Align = Literal["left", "center", "right", "justify"]


@dataclass(frozen=True)
class Style:
    """One named style. Sizes are factors of the base font size; spaces in points."""

    word: str
    tag: str
    cls: str | None = None
    inside: str | None = None
    kind: Literal["paragraph", "character"] = "paragraph"
    scale: float = 1.0
    bold: bool = False
    italic: bool = False
    upper: bool = False
    align: Align | None = None
    space_before: float | None = None
    space_after: float | None = None
    indent_cm: float = 0.0
    keep_with_next: bool = False
    page_break: bool = False
    """Starts on a new page (a chapter opening)."""
    keep_with_previous: bool = False
    """Stays on the page of what comes before it (a signature block with the end of the
    text it signs): CSS ``break-before: avoid``; in Word, what comes before it keeps
    with the next paragraph."""
    outline: int | None = None
    """Outline level (0 = top): what the PDF bookmarks and the Word TOC field list."""
    tab_leader: bool = False
    """A right tab with dot leader at the text's edge, for the page number of a TOC entry."""
    hanging_cm: float = 0.0
    """A hanging indent: the first line starts this far left of the others (which are
    indented by ``indent_cm + hanging_cm``); a tab stop there lines up what follows
    the hanging part (a term and its explanation, an abbreviation and its long form)."""
    half_indent: bool = False
    """Indented by half the text width: the right half of the page (a signature block)."""
    hyphenate: bool = False
    """Body text is hyphenated; titles, headings, names, captions, tables never are."""
    builtin: bool = True
    """Word ships a style of this name (Title, Heading 1, Quote …); else we create it."""

    @property
    def selector(self) -> str:
        own = self.tag + (f".{self.cls}" if self.cls else "")
        return f"{self.inside} {own}" if self.inside else own


HYPHENATION = (
    "hyphens: auto; hyphenate-limit-chars: 6 3 3; hyphenate-limit-zone: 8%; "
    'hyphenate-character: "-"'
)
"""Body text is hyphenated in words of six letters or more, keeping three on each side,
and only when a line would otherwise end more than 8 % of its width short: justified
lines stay even with few hyphens. The hyphen is the plain hyphen-minus, which a PDF
reader's search and copy join across the line (WeasyPrint's own, U+2010, they do not).
(The PDF writer also keeps a word from being split across pages, more than two
hyphenated lines from following each other, and proper names whole.)"""

LINE_HEIGHT = 1.4
"""Line height as a factor of each style's font size, in both formats (CSS
``line-height: 1.4``; Word: at least 1.4 × the size, so larger inline content
still fits)."""

ANNEX = Style(
    "Annex Heading",
    "h1",
    cls="annex",
    scale=1.1,
    bold=True,
    upper=True,
    align="center",
    space_after=12,
    keep_with_next=True,
    page_break=True,
    outline=0,
    builtin=False,
)
"""An annex's heading: LAMPIRAN I on a new page, in the outline and the contents."""

CAPTION = Style(
    "Caption",
    "caption",
    scale=0.95,
    bold=True,
    align="center",
    space_before=6,
    space_after=6,
    keep_with_next=True,
)

STYLES: tuple[Style, ...] = (
    Style("Normal", "p", align="justify", space_after=8, hyphenate=True),
    Style(
        "Title",
        "h1",
        cls="title",
        scale=1.3,
        bold=True,
        align="center",
        space_after=14,
        keep_with_next=True,
    ),
    Style("Subtitle", "p", cls="subtitle", scale=1.05, italic=True, align="center", space_after=14),
    # Chapter openings: "BAB I" / "PENDAHULUAN", centred capitals on a new page.
    # Heading sizes strictly decrease by level: 14.5, 13.5, 12.5 and 12 pt at 12 pt; and
    # each level looks unlike the next: bold, bold, bold italic, italic.
    Style(
        "Heading 1",
        "h1",
        scale=1.2,
        bold=True,
        upper=True,
        align="center",
        space_before=0,
        space_after=18,
        keep_with_next=True,
        page_break=True,
        outline=0,
    ),
    Style(
        "Heading 2",
        "h2",
        scale=1.125,
        bold=True,
        align="left",
        space_before=14,
        space_after=6,
        keep_with_next=True,
        outline=1,
    ),
    Style(
        "Heading 3",
        "h3",
        scale=1.04,
        bold=True,
        italic=True,
        align="left",
        space_before=12,
        space_after=6,
        keep_with_next=True,
        outline=2,
    ),
    Style(
        "Heading 4",
        "h4",
        scale=1.0,
        italic=True,
        align="left",
        space_before=10,
        space_after=4,
        keep_with_next=True,
        outline=3,
    ),
    # A quotation in a press release is set upright, like the rest of an official
    # text: the quotation marks and the indent set it off, and the attribution
    # ("kata Arif") inside it reads as plain prose.
    Style("Quote", "p", inside="blockquote", indent_cm=1.0, space_after=8, hyphenate=True),
    Style("List Bullet", "li", inside="ul", align="left", space_after=4, hyphenate=True),
    Style("List Number", "li", inside="ol", align="left", space_after=4, hyphenate=True),
    Style("Credits", "p", cls="credits", scale=0.9, space_after=0, builtin=False),
    Style("Signature", "p", cls="signature", bold=True, align="left", space_after=0, builtin=False),
    Style("Dateline", "span", cls="dateline", kind="character", bold=True, builtin=False),
    Style("Abbreviation Term", "span", cls="abbr", kind="character", bold=True, builtin=False),
    # The running header and the footer (page number, draft line) of every page.
    Style("Header", "div", cls="running-header", scale=0.75, italic=True, align="center"),
    Style("Footer", "div", cls="draft-line", scale=0.75, align="left"),
    # Letterhead (kop) of a press release: logo, the ministry and unit in capitals,
    # address lines in small type, a rule under it.
    Style("Letterhead Logo", "p", cls="kop-logo", align="center", space_after=4, builtin=False),
    Style(
        "Letterhead",
        "p",
        cls="kop",
        scale=1.1,
        bold=True,
        upper=True,
        align="center",
        space_after=0,
        builtin=False,
    ),
    Style(
        "Letterhead Detail",
        "p",
        cls="kop-detail",
        scale=0.75,
        align="center",
        space_after=0,
        builtin=False,
    ),
    Style(
        "Document Kind",
        "p",
        cls="doc-kind",
        scale=1.2,
        bold=True,
        upper=True,
        align="center",
        space_before=12,
        space_after=0,
        keep_with_next=True,
        builtin=False,
    ),
    Style(
        "Document Number",
        "p",
        cls="doc-number",
        align="center",
        space_after=12,
        keep_with_next=True,
        builtin=False,
    ),
    Style("Contact", "p", cls="contact", scale=0.9, align="left", space_after=0, builtin=False),
    # Minutes (notulen rapat): the particulars as label–value lines (the label, a tab,
    # ": value"), each agenda item and its parts, and tables without rules that only
    # place text side by side (the signatures).
    Style(
        "Minutes Field",
        "p",
        cls="field",
        align="left",
        space_after=2,
        hanging_cm=4.0,
        builtin=False,
    ),
    Style(
        "Agenda Item",
        "p",
        cls="agenda-item",
        bold=True,
        align="left",
        space_before=14,
        space_after=4,
        keep_with_next=True,
        builtin=False,
    ),
    Style(
        "Minutes Heading",
        "p",
        cls="minutes-head",
        bold=True,
        italic=True,
        align="left",
        space_before=8,
        space_after=4,
        keep_with_next=True,
        builtin=False,
    ),
    # Renstra apparatus: the decree frame at the top right of the first body page,
    # the signature block on the right half, the list of abbreviations.
    Style(
        "Decree Frame",
        "p",
        cls="decree",
        upper=True,
        align="left",
        space_after=0,
        half_indent=True,
        keep_with_next=True,
        builtin=False,
    ),
    Style(
        "Decree Frame Last",
        "p",
        cls="decree-last",
        upper=True,
        align="left",
        space_after=30,
        half_indent=True,
        keep_with_next=True,
        builtin=False,
    ),
    Style(
        "Signature Place",
        "p",
        cls="sign-place",
        align="left",
        space_before=16,
        space_after=0,
        half_indent=True,
        keep_with_next=True,
        keep_with_previous=True,
        builtin=False,
    ),
    Style(
        "Signature Block",
        "p",
        cls="sign",
        align="left",
        space_after=0,
        half_indent=True,
        keep_with_next=True,
        builtin=False,
    ),
    Style(
        "Signature Mark",
        "p",
        cls="sign-mark",
        align="left",
        space_before=10,
        space_after=10,
        half_indent=True,
        keep_with_next=True,
        builtin=False,
    ),
    Style(
        "Signature Name",
        "p",
        cls="sign-name",
        bold=True,
        align="left",
        space_after=0,
        half_indent=True,
        builtin=False,
    ),
    Style(
        "Abbreviation",
        "p",
        cls="abbrev",
        align="left",
        space_after=3,
        hanging_cm=4.0,
        builtin=False,
    ),
    Style(
        "Cover Title",
        "p",
        cls="cover-title",
        scale=1.6,
        bold=True,
        upper=True,
        align="center",
        space_before=40,
        space_after=18,
        builtin=False,
    ),
    # The cover's content stands in the upper middle of the page.
    Style("Cover Logo", "p", cls="cover-logo", align="center", space_before=110, builtin=False),
    Style(
        "Cover Text",
        "p",
        cls="cover-text",
        scale=1.15,
        bold=True,
        align="center",
        space_after=12,
        builtin=False,
    ),
    # Front-matter headings (KATA PENGANTAR, DAFTAR ISI …): each on a new page,
    # unnumbered, and listed in the table of contents.
    Style(
        "TOC Heading",
        "h1",
        cls="front",
        scale=1.2,
        bold=True,
        upper=True,
        align="center",
        space_after=18,
        keep_with_next=True,
        page_break=True,
        outline=0,
    ),
    Style(
        "TOC 1",
        "p",
        cls="toc1",
        bold=True,
        align="left",
        space_before=6,
        space_after=2,
        tab_leader=True,
        builtin=False,
    ),
    Style(
        "TOC 2",
        "p",
        cls="toc2",
        align="left",
        indent_cm=0.8,
        space_after=2,
        tab_leader=True,
        builtin=False,
    ),
    # An entry of the list of tables or figures (Word's own style for them).
    Style(
        "Table of Figures",
        "p",
        cls="tof",
        align="left",
        space_after=2,
        tab_leader=True,
        builtin=False,
    ),
    # An annex's own heading inside an annex (the PK as signed, in the LKj's annex) looks
    # like one but is no bookmark nor contents entry; first, as the first of equal rank wins.
    replace(ANNEX, word="Annex Title", cls="annex-title", outline=None),
    ANNEX,
    CAPTION,
    replace(CAPTION, tag="figcaption"),  # figures take the same Word style as tables
    # A caption set in a table's first header row: how the PDF writer finds where a
    # table's pages break with its continued caption on each (writers/pdf_tables.py).
    replace(CAPTION, tag="th", cls="caprow", inside="table"),
    Style(
        "Figure",
        "figure",
        align="center",
        space_before=6,
        space_after=0,
        keep_with_next=True,
        builtin=False,
    ),
    # Tables: text and header cells alike left-aligned unless a cell says otherwise
    # (figures are right-aligned by the templates); the annex matrices a size smaller.
    Style("Table Text", "td", scale=0.75, align="left", space_after=0, builtin=False),
    Style("Table Heading", "th", scale=0.75, bold=True, align="left", space_after=0, builtin=False),
    Style(
        "Layout Text",
        "td",
        inside="table.layout",
        align="left",
        space_after=0,
        builtin=False,
    ),
    Style(
        "Matrix Text",
        "td",
        inside="table.matrix",
        scale=2 / 3,
        align="left",
        space_after=0,
        builtin=False,
    ),
    Style(
        "Matrix Heading",
        "th",
        inside="table.matrix",
        scale=2 / 3,
        bold=True,
        align="left",
        space_after=0,
        builtin=False,
    ),
)


# -- tables ------------------------------------------------------------------------------
TABLE_SPACE_BEFORE_PT = 6.0
TABLE_SPACE_AFTER_PT = 10.0
"""Space above and below a table: its margins in the PDF; in Word, the space before the
paragraph that follows it."""
CELL_PADDING_PT = (2.0, 4.0)
"""Cell padding (top and bottom, left and right): CSS padding and Word's cell margins."""


BLOCK_SPACE: dict[str, float] = {"credits": 18, "signature": 18, "contact": 14}
"""Space in points above a block of paragraphs (``<div class="credits">`` …): its margin
in the PDF, its first paragraph's space before in Word."""


def word_style_for(tag: str, classes: frozenset[str], inside: frozenset[str]) -> Style | None:
    """The most specific style for an element: tag + class, then tag inside a parent, then tag."""
    best: Style | None = None
    best_rank = -1
    for style in STYLES:
        if style.tag != tag:
            continue
        if style.cls is not None and style.cls not in classes:
            continue
        if style.inside is not None and style.inside not in inside:
            continue
        rank = (2 if style.cls else 0) + (1 if style.inside else 0)
        if rank > best_rank:
            best, best_rank = style, rank
    return best


def size_pt(style: Style, base: float) -> float:
    """The style's font size in points, on Word's half-point grid so both formats agree."""
    return round(base * style.scale * 2) / 2


def style_named(word: str) -> Style:
    """The style of a Word name (``Footer``, ``Header`` …)."""
    return next(style for style in STYLES if style.word == word)
