"""The style source as CSS: one rule per named style (:mod:`plandocs.render.styles`), sized
from the settings, for the PDF and the preview; the DOCX writer makes Word styles from
the same list."""

from __future__ import annotations

from plandocs.render.styles import (
    BLOCK_SPACE,
    CAPTION,
    CELL_PADDING_PT,
    HYPHENATION,
    LINE_HEIGHT,
    STYLES,
    TABLE_SPACE_AFTER_PT,
    TABLE_SPACE_BEFORE_PT,
    size_pt,
    style_named,
)
from plandocs.settings import Settings


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


def font_stack(settings: Settings) -> str:
    """The CSS font-family list: the body font, then its fallbacks."""
    names = (settings.fonts.body, *settings.fonts.fallback)
    return ", ".join(f'"{name}"' for name in names) + ", sans-serif"


def css(settings: Settings) -> str:
    """CSS rules for every style, sized from the settings' base font size."""
    base = settings.fonts.size_pt
    family = font_stack(settings)
    footer = size_pt(style_named("Footer"), base)
    margin_boxes = " ".join(
        f"@{box} {{ font-family: {family}; font-size: {footer:g}pt; }}"
        for box in ("top-center", "bottom-right", "bottom-left")
    )
    rules = [
        f"html {{ line-height: {LINE_HEIGHT:g}; }}",
        f"body {{ font-family: {family}; font-size: {base:g}pt; }}",
        f"@page {{ {margin_boxes} }}",
    ]
    for style in STYLES:
        decl = []
        # Always written: an element without it takes the user agent's size (h3 at 1.17em).
        decl.append(f"font-size: {size_pt(style, base):g}pt")
        decl.append(f"font-weight: {'bold' if style.bold else 'normal'}")
        # Every property is set, so a more specific style never inherits a
        # general one's look (h1.title must not take h1's page break).
        decl.append(f"font-style: {'italic' if style.italic else 'normal'}")
        decl.append(f"text-transform: {'uppercase' if style.upper else 'none'}")
        decl.append(HYPHENATION if style.hyphenate else "hyphens: manual")
        if style.align:
            decl.append(f"text-align: {style.align}")
        if style.kind == "paragraph":
            decl.append(f"margin-top: {style.space_before or 0:g}pt")
            decl.append(f"margin-bottom: {style.space_after or 0:g}pt")
            indent = style.indent_cm + style.hanging_cm
            left = f"{indent:g}cm"
            if style.half_indent:
                left = f"calc(50% + {indent:g}cm)" if indent else "50%"
            decl.append(f"margin-left: {left}")
            decl.append(f"text-indent: {-style.hanging_cm:g}cm")
            decl.append(f"break-after: {'avoid' if style.keep_with_next else 'auto'}")
            before = "page" if style.page_break else "avoid" if style.keep_with_previous else "auto"
            decl.append(f"break-before: {before}")
        if style.kind == "paragraph" and style.tag.startswith("h"):
            decl.append(
                f"bookmark-level: {style.outline + 1}"
                if style.outline is not None
                else "bookmark-level: none"
            )
        rules.append(f"{style.selector} {{ {'; '.join(decl)}; }}")
    rules.append(table_css())
    rules += [f"div.{name} {{ margin-top: {space:g}pt; }}" for name, space in BLOCK_SPACE.items()]
    return "\n".join(rules) + "\n"
