"""The one style source: named block and character styles.

Each :class:`Style` says which HTML element (tag, class) it is for, which Word
style it becomes, and how it looks. :func:`css` turns the list into CSS rules for
the PDF and preview; the DOCX writer turns the same list into Word styles and uses
:func:`word_style_for` to pick the style of each element. Changing a size, font or
spacing here changes both formats.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from plandocs.settings import Settings

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
    outline: int | None = None
    """Outline level (0 = top): what the PDF bookmarks and the Word TOC field list."""
    tab_leader: bool = False
    """A right tab with dot leader at the text's edge, for the page number of a TOC entry."""
    builtin: bool = True
    """Word ships a style of this name (Title, Heading 1, Quote …); else we create it."""

    @property
    def selector(self) -> str:
        own = self.tag + (f".{self.cls}" if self.cls else "")
        return f"{self.inside} {own}" if self.inside else own


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
    Style("Normal", "p", align="justify", space_after=8),
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
        scale=1.05,
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
        scale=1.0,
        bold=True,
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
        bold=True,
        italic=True,
        align="left",
        space_before=10,
        space_after=4,
        keep_with_next=True,
        outline=3,
    ),
    Style("Quote", "p", inside="blockquote", italic=True, indent_cm=1.0, space_after=8),
    Style("List Bullet", "li", inside="ul", align="left", space_after=4),
    Style("List Number", "li", inside="ol", align="left", space_after=4),
    Style("Credits", "p", cls="credits", scale=0.9, space_after=0, builtin=False),
    Style("Signature", "p", cls="signature", bold=True, align="left", space_after=0, builtin=False),
    Style("Dateline", "span", cls="dateline", kind="character", bold=True, builtin=False),
    # Strategic plan: cover, front matter, captions, tables, annexes.
    Style(
        "Cover Title",
        "p",
        cls="cover-title",
        scale=1.6,
        bold=True,
        upper=True,
        align="center",
        space_before=120,
        space_after=18,
        builtin=False,
    ),
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
    Style(
        "TOC Heading",
        "h1",
        cls="front",
        scale=1.2,
        bold=True,
        upper=True,
        align="center",
        space_after=18,
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
    Style(
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
    ),
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


def table_css() -> str:
    """The table rules that both formats share."""
    vertical, horizontal = CELL_PADDING_PT
    above, below = CAPTION.space_before or 0, CAPTION.space_after or 0
    return (
        f"table {{ margin: {TABLE_SPACE_BEFORE_PT:g}pt 0 {TABLE_SPACE_AFTER_PT:g}pt; }}\n"
        f"th, td {{ padding: {vertical:g}pt {horizontal:g}pt; }}\n"
        # A caption standing in a header row (the PDF writer's measuring layout).
        f"th.caprow {{ padding: {above:g}pt 0 {below:g}pt; border: none; vertical-align: top; }}\n"
    )


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


def font_stack(settings: Settings) -> str:
    """The CSS font-family list: the body font, then its fallbacks."""
    names = (settings.fonts.body, *settings.fonts.fallback)
    return ", ".join(f'"{name}"' for name in names) + ", sans-serif"


def css(settings: Settings) -> str:
    """CSS rules for every style, sized from the settings' base font size."""
    base = settings.fonts.size_pt
    family = font_stack(settings)
    rules = [
        f"body {{ font-family: {family}; font-size: {base:g}pt; }}",
        f"@page {{ @bottom-center {{ font-family: {family}; }} }}",
    ]
    for style in STYLES:
        decl = []
        if style.scale != 1.0:
            decl.append(f"font-size: {size_pt(style, base):g}pt")
        decl.append(f"font-weight: {'bold' if style.bold else 'normal'}")
        # Every property is set, so a more specific style never inherits a
        # general one's look (h1.title must not take h1's page break).
        decl.append(f"font-style: {'italic' if style.italic else 'normal'}")
        decl.append(f"text-transform: {'uppercase' if style.upper else 'none'}")
        if style.align:
            decl.append(f"text-align: {style.align}")
        if style.kind == "paragraph":
            decl.append(f"margin-top: {style.space_before or 0:g}pt")
            decl.append(f"margin-bottom: {style.space_after or 0:g}pt")
            decl.append(f"margin-left: {style.indent_cm:g}cm")
            decl.append(f"break-after: {'avoid' if style.keep_with_next else 'auto'}")
            decl.append(f"break-before: {'page' if style.page_break else 'auto'}")
        if style.kind == "paragraph" and style.tag.startswith("h"):
            decl.append(
                f"bookmark-level: {style.outline + 1}"
                if style.outline is not None
                else "bookmark-level: none"
            )
        rules.append(f"{style.selector} {{ {'; '.join(decl)}; }}")
    rules.append(table_css())
    return "\n".join(rules)
