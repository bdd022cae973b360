"""Markdown prose → HTML, with the document structure plandocs adds on top.

CommonMark (plus tables) with raw HTML disabled, so text from content is always
text. On top of that:

* a ``#`` heading becomes ``<h2>`` (``<h1>`` is the document's or chapter's own title);
* inside a chapter, headings are numbered ``1.1``, ``1.1.1`` and get anchors, and are
  returned for the table of contents;
* a fenced block whose info string is ``{table} name`` is replaced by a table that a
  template renders from the facts (see ``directive``);
* ``lead`` (a dateline) opens the first paragraph;
* a table gets column widths from its content (see :mod:`plandocs.render.columns`);
* when the text carries source markers (:mod:`plandocs.render.sourcelines`), every
  paragraph, heading, list item and table cell gets ``data-src="file:line"``: where
  it was written, for redlines and for mapping reviewers' changes back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from plandocs.render.columns import markdown_tables
from plandocs.render.sourcelines import SourceLines, strip_marks

_md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
# markdown-it quietly turns links it distrusts (file:, javascript:) into plain text;
# let every URL through to the URL policy instead, which names the file and line.
_md.validateLink = lambda url: True  # type: ignore[method-assign]

# A date range comes glued (no-break spaces, word joiners round its en dash: see
# i18n.date_range); hyphenation would still split its month names, so it is set apart.
GLUE = "\u2060\u2013\u2060"
_SPACE = frozenset(" \t\n")


def set_apart_ranges(text: str) -> str:
    """Each word holding a glued range (``5\u2060–\u20607 Februari``, its no-break
    spaces included) wrapped in a span that is never hyphenated. Linear in the text:
    found by the glue, then widened to the white space on each side — a pattern that
    tried every start of a 2 MB word ran for minutes."""
    at = text.find(GLUE)
    if at < 0:
        return text
    out: list[str] = []
    done = 0
    while at >= 0:
        start = at
        while start > done and text[start - 1] not in _SPACE:
            start -= 1
        end = at + len(GLUE)
        while end < len(text) and text[end] not in _SPACE:
            end += 1
        out.append(text[done:start])
        out.append(f'<span style="hyphens: manual">{text[start:end]}</span>')
        done = end
        at = text.find(GLUE, end)
    out.append(text[done:])
    return "".join(out)


def _text(renderer: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return set_apart_ranges(escape(tokens[idx].content, quote=False))


_md.add_render_rule("text", _text)

MAX_NUMBERED_LEVEL = 3
"""``#``, ``##`` and ``###`` are numbered (``1.1``, ``1.1.1``, ``1.1.1.1``)."""

Directive = Callable[[str, str, int], str]
"""(name, arguments, 1-based line in the Markdown) → HTML."""
ChartBlock = Callable[[str, str, int, str], str]
"""(name, arguments, 1-based line in the Markdown, figure number ``3.1``) → HTML."""
UrlCheck = Callable[[str, str, int], str]
"""(``image`` or ``link``, URL, 1-based line in the Markdown) → the URL to use."""


@dataclass(frozen=True)
class Heading:
    level: int
    """HTML heading level: 2 for ``#``, 3 for ``##`` …"""
    number: str
    title: str
    anchor: str


@dataclass
class Rendered:
    html: Markup
    headings: list[Heading] = field(default_factory=list)


def anchor_for(number: str, prefix: str = "sec") -> str:
    """An id usable both as an HTML anchor and as a Word bookmark name."""
    return f"{prefix}_{number.replace('.', '_')}"


def render_markdown(
    text: str,
    lead: str | None = None,
    chapter: int | None = None,
    directive: Directive | None = None,
    urls: UrlCheck | None = None,
    figure_label: str = "",
    chart: ChartBlock | None = None,
) -> Rendered:
    """Render Markdown; see the module docstring for what is added.

    ``urls`` checks (and may rewrite) every link and image URL; without it, links
    and images are refused.
    """
    from plandocs.safety.urls import refuse_files

    check = urls or refuse_files
    text, source = strip_marks(text)
    tokens = _md.parse(text)
    headings: list[Heading] = []
    counters = [0] * MAX_NUMBERED_LEVEL
    figures = 0
    lead_done = lead is None
    for index, token in enumerate(tokens):
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1])
            token.tag = f"h{min(level + 1, 6)}"
            if token.type == "heading_open" and chapter is not None and level <= len(counters):
                counters[level - 1] += 1
                for deeper in range(level, len(counters)):
                    counters[deeper] = 0
                number = ".".join(str(n) for n in [chapter, *counters[:level]])
                inline = tokens[index + 1]
                anchor = anchor_for(number)
                token.attrSet("id", anchor)
                headings.append(Heading(level + 1, number, inline.content, anchor))
                _prepend(inline, f'<span class="secnum">{number}</span> ')
        elif token.type == "fence" and token.info.strip().startswith("{"):
            line = (token.map[0] + 1) if token.map else 1
            kind, _, name = token.info.strip()[1:].partition("}")
            if kind == "chart" and chart is not None and chapter is not None:
                # A chart is a figure: numbered in the same sequence as the pictures.
                figures += 1
                token.type = "html_block"
                token.content = chart(name.strip(), token.content, line, f"{chapter}.{figures}")
                continue
            if kind != "table" or directive is None:
                also = " and `{chart} <name>`" if chart is not None else ""
                raise BlockError(
                    f"unknown block `{{{kind}}}` here; chapters may use `{{table}} <name>`{also}",
                    line,
                )
            token.type = "html_block"
            token.content = directive(name.strip(), token.content, line)
        elif not lead_done and token.type == "paragraph_open" and token.level == 0:
            _prepend(tokens[index + 1], str(lead))
            lead_done = True
        if token.type == "inline":
            line = (token.map[0] + 1) if token.map else 1
            for child in token.children or []:
                if child.type == "image":
                    child.attrSet("src", check("image", str(child.attrGet("src") or ""), line))
                elif child.type == "link_open":
                    child.attrSet("href", check("link", str(child.attrGet("href") or ""), line))
            children = [c for c in token.children or [] if c.type != "softbreak"]
            alone = len(children) == 1 and children[0].type == "image"
            in_paragraph = index > 0 and tokens[index - 1].type == "paragraph_open"
            if chapter is not None and figure_label and alone and in_paragraph:
                figures += 1
                _figure(tokens, index, children[0], figure_label, chapter, figures)
    if source is not None:
        _mark_sources(tokens, source)
    html = markdown_tables(_md.renderer.render(tokens, _md.options, {}))
    if not lead_done:
        html = f"<p>{lead}</p>\n{html}"
    return Rendered(Markup(html), headings)


def _figure(
    tokens: list[Token], index: int, image: Token, label: str, chapter: int, number: int
) -> None:
    """Turn a paragraph holding only an image into a numbered figure with its caption."""
    src = escape(str(image.attrGet("src") or ""))
    alt = escape(image.content)
    tokens[index - 1].type = "html_block"
    tokens[index - 1].content = (
        f'<figure id="gambar_{chapter}_{number}"><img src="{src}" alt="{alt}">'
        f'<figcaption><span class="capnum" data-label="{escape(label)}" data-chapter="{chapter}"'
        f' data-seq="{number}">{escape(label)} {chapter}.{number}</span> {alt}</figcaption>'
        "</figure>\n"
    )
    tokens[index].children = []
    tokens[index].content = ""
    tokens[index + 1].type = "html_block"
    tokens[index + 1].content = ""


_SOURCED = frozenset({"paragraph_open", "heading_open", "list_item_open", "th_open", "td_open"})


def _mark_sources(tokens: list[Token], source: SourceLines) -> None:
    """``data-src="file:line"`` on each block that holds text, from the token's lines."""
    for index, token in enumerate(tokens):
        if token.type not in _SOURCED or token.hidden:
            continue
        # Table cells have no lines of their own; their text (the next token) has the row's.
        lines = token.map or (tokens[index + 1].map if index + 1 < len(tokens) else None)
        if lines:
            token.attrSet("data-src", f"{source.path}:{source.line(lines[0])}")


class BlockError(ValueError):
    """A ``{…}`` block that cannot be rendered; ``line`` is 1-based in the Markdown."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def _prepend(inline: Token, html: str) -> None:
    raw = Token("html_inline", "", 0)
    raw.content = html
    inline.children = [raw, *(inline.children or [])]


def markdown(text: str, lead: str | None = None, urls: UrlCheck | None = None) -> Markup:
    """Prose with an optional lead (dateline), its URLs checked by ``urls``."""
    return render_markdown(text, lead=lead, urls=urls).html
