"""Hyphenation limits WeasyPrint does not have: no word split across two pages, no
more than two hyphenated lines in a row (CSS ``hyphenate-limit-last`` and
``hyphenate-limit-lines``, which WeasyPrint does not support), no name hyphenated.

Two small hooks into WeasyPrint's layout (:func:`install`) keep the rules as the
lines are made, at no extra cost: the third line in a row is broken without
hyphenation, and a page never ends on a hyphenated line (it goes to the next page, as
TeX's broken-page penalty would do, when the paragraph's orphans allow). They hook
private functions, so they are installed only when those look as expected. Then,
whatever the version, :class:`HyphenationFix` checks the laid-out pages: a word that
still breaks a rule is kept whole (set in a span that is never hyphenated) and the
document laid out again — with the hooks, rarely (a paragraph too short to give a
line to the next page).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

HYPHEN = "-"
"""What WeasyPrint puts at the end of a line it hyphenated: the stylesheet's
``hyphenate-character``, the hyphen-minus (a line that breaks after a word's own hyphen
counts as hyphenated too, as in TeX)."""
MAX_RUN = 2
"""At most two hyphenated lines in a row."""
MAX_ROUNDS = 2

_WORD_END = re.compile(r"(\w+)$")
_WORD_START = re.compile(r"^(\w+)")
_TAG = re.compile(r"(<[^>]*>)")


def install() -> bool:
    """Hook WeasyPrint's line and page breaking (once). False when its internals are not
    the ones the hooks were written for; the check after layout still applies."""
    global _INSTALLED
    if _INSTALLED is not None:
        return _INSTALLED
    import inspect

    from weasyprint.layout import block, inline

    line_args = ["context", "linebox", "position_y", "bottom_space", "skip_stack"]
    break_args = ["context", "box", "line", "new_children", "needed", "page_is_empty"]
    earlier_args = ["context", "children", "absolute_boxes", "fixed_boxes"]
    try:
        fits = (
            list(inspect.signature(inline.get_next_linebox).parameters)[:5] == line_args
            and list(inspect.signature(block._break_line).parameters)[:6] == break_args
            and list(inspect.signature(block.find_earlier_page_break).parameters) == earlier_args
            and callable(getattr(block, "remove_placeholders", None))
        )
    except (AttributeError, TypeError, ValueError):
        fits = False
    _INSTALLED = fits
    if fits:
        _keep_names()
        inline.get_next_linebox = _limit_runs(inline.get_next_linebox)
        block._break_line = _keep_last_word(block._break_line)
        block.find_earlier_page_break = _earlier_break(
            block.find_earlier_page_break, block.remove_placeholders
        )
    return fits


_INSTALLED: bool | None = None


def _keep_names() -> None:
    """WeasyPrint's line breaking, with a pyphen that never hyphenates a capitalised word:
    a name (``Universitas Pembangunan Nasional``, ``Direktorat Jenderal Perlindungan``)
    stays whole. (A word set apart in a span of its own would do too, but a space between
    two such spans leaves the PDF's text layer, and its words run together.)"""
    import inspect
    import types

    import pyphen  # type: ignore[import-untyped]
    from weasyprint.text import line_break

    if getattr(line_break, "pyphen", None) is not pyphen:
        return
    if "dictionary.iterate(next_word)" not in inspect.getsource(line_break):
        return

    class Pyphen(pyphen.Pyphen):  # type: ignore[misc]  # (untyped)
        def iterate(self, word: str) -> Any:
            first = next((char for char in word if char.isalpha()), "")
            if first.isupper():
                return iter(())
            return super().iterate(word)

    proxy = types.ModuleType("pyphen")
    proxy.__dict__.update(pyphen.__dict__)
    proxy.Pyphen = Pyphen  # type: ignore[attr-defined]
    line_break.pyphen = proxy


def _hyphenated(line: Any) -> bool:
    texts = list(_texts(line))
    return bool(texts) and str(texts[-1].text).endswith(HYPHEN)


LONG_WORD = 100
"""A "word" longer than this (a pasted string, a line of symbols) is not hyphenated:
WeasyPrint tries each of its hyphenation points with a layout of the whole word, so a
100,000-letter word took hours; no word of either language comes near."""


def _long_word(linebox: Any) -> bool:
    """Whether the paragraph of ``linebox`` holds a word longer than :data:`LONG_WORD`
    (found once per paragraph, in one pass over its text)."""
    found = getattr(linebox, "_plandocs_long", None)
    if found is None:
        found = any(
            len(word) > LONG_WORD
            for box in linebox.descendants()
            for word in str(getattr(box, "text", "") or "").split()
        )
        linebox._plandocs_long = found
    return bool(found)


def _limit_runs(original: Any) -> Any:
    """``get_next_linebox`` that breaks a line without hyphenation after two in a row."""

    def get_next_linebox(
        context: Any, linebox: Any, position_y: Any, bottom_space: Any, skip_stack: Any, *rest: Any
    ) -> Any:
        previous = getattr(linebox, "_plandocs_run", None)
        run = previous[1] if previous is not None and previous[0] == skip_stack else 0
        if run < MAX_RUN and not _long_word(linebox):
            line, resume_at = original(
                context, linebox, position_y, bottom_space, skip_stack, *rest
            )
        else:
            # The computed styles of the paragraph's text say "manual" for this line only.
            styles = {
                id(box.style): box.style
                for box in linebox.descendants()
                if getattr(box, "style", None) is not None and box.style["hyphens"] == "auto"
            }
            for style in styles.values():
                style["hyphens"] = "manual"
            try:
                line, resume_at = original(
                    context, linebox, position_y, bottom_space, skip_stack, *rest
                )
            finally:
                for style in styles.values():
                    style["hyphens"] = "auto"
        hyphenated = line is not None and _hyphenated(line)
        linebox._plandocs_run = (resume_at, run + 1 if hyphenated else 0)
        return line, resume_at

    return get_next_linebox


def _keep_last_word(original: Any) -> Any:
    """``_break_line`` that sends a hyphenated last line to the next page, with the lines
    widows already send there; if too few lines would be left for orphans, the whole
    paragraph goes to the next page."""

    def _break_line(
        context: Any,
        box: Any,
        line: Any,
        new_children: list[Any],
        needed: int,
        page_is_empty: bool,
        *rest: Any,
    ) -> Any:
        kept = len(new_children) - needed
        while kept > 0 and _hyphenated(new_children[kept - 1]):
            needed += 1
            kept -= 1
        if kept < box.style["orphans"] and not page_is_empty:
            needed = len(new_children)  # too few lines left: the paragraph moves on
        return original(context, box, line, new_children, needed, page_is_empty, *rest)

    return _break_line


def _earlier_break(original: Any, remove_placeholders: Any) -> Any:
    """``find_earlier_page_break`` (a page break moved up, to keep a heading with what
    follows it) that does not leave a hyphenated line at the foot of the page either.
    For lines it does what WeasyPrint does, one hyphenated line earlier if need be."""
    from weasyprint.formatting_structure import boxes

    def find_earlier_page_break(
        context: Any, children: list[Any], absolute_boxes: Any, fixed_boxes: Any
    ) -> Any:
        if not children or not isinstance(children[0], boxes.LineBox):
            return original(context, children, absolute_boxes, fixed_boxes)
        orphans = children[0].style["orphans"]
        index = len(children) - children[0].style["widows"]  # how many lines stay
        while index > 0 and _hyphenated(children[index - 1]):
            index -= 1
        if index < orphans:
            return None
        new_children = children[:index]
        remove_placeholders(context, children[index:], absolute_boxes, fixed_boxes)
        return new_children, {0: new_children[-1].resume_at}

    return find_earlier_page_break


class HyphenationFix:
    """The HTML, with the words that broke the rules kept whole."""

    def __init__(self, html: str) -> None:
        self.html = html
        self.protected: set[str] = set()
        self.rounds = 0

    def needed(self, document: Any) -> bool:
        """Whether ``document`` (laid out from :attr:`html`) broke a rule; if it did,
        :attr:`html` now protects the words concerned and must be laid out again."""
        if self.rounds >= MAX_ROUNDS:
            return False
        words = {w for w in offending_words(document) if w not in self.protected}
        if not words:
            return False
        self.rounds += 1
        self.protected |= words
        self.html = protect(self.html, words)
        return True


def offending_words(document: Any) -> list[str]:
    """The words split across a page, or hyphenated as the third line in a row."""
    found: list[str] = []
    carried = ""  # the first part of a word the previous page's last line broke
    for page in document.pages:
        paragraphs = list(_paragraphs(_flow(page._page_box)))
        if carried:
            first = list(_texts(paragraphs[0][0])) if paragraphs else []
            found.append(_split_word(carried, first[0].text if first else ""))
            carried = ""
        for number, lines in enumerate(paragraphs):
            run = 0
            for index, line in enumerate(lines):
                texts = list(_texts(line))
                if not texts or not texts[-1].text.endswith(HYPHEN):
                    run = 0
                    continue
                run += 1
                if index == len(lines) - 1:
                    if number == len(paragraphs) - 1:
                        carried = texts[-1].text  # split across pages
                    continue
                if run > MAX_RUN:
                    found.append(_split_word(texts[-1].text, _first_text(lines[index + 1])))
                    run = 0
    return [word for word in found if word]


def _first_text(line: Any) -> str:
    texts = list(_texts(line))
    return str(texts[0].text) if texts else ""


def _split_word(end: str, start: str) -> str:
    """The word a hyphenated line broke: its first part ends the line, the rest starts
    the next line."""
    head = _WORD_END.search(end[: -len(HYPHEN)])
    if head is None:
        return ""
    tail = _WORD_START.match(start)
    return head.group(1) + (tail.group(1) if tail else "")


def protect(html: str, words: set[str]) -> str:
    """Wrap every occurrence of ``words`` in the body's text (never inside a tag) in a
    span that is not hyphenated."""
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(w) for w in sorted(words, key=len)[::-1]) + r")(?!\w)"
    )
    return in_text(html, pattern, r'<span style="hyphens: manual">\1</span>')


RANGE = re.compile(r"(?<![\w.,])(\d[\d.,]*\u2013\d[\d.,]*)(?![\w])")
"""A range of numbers or years, ``2025–2029``: a line never breaks after its dash."""


def keep_ranges(html: str) -> str:
    """Keep every number range of the body's text on one line."""
    return in_text(html, RANGE, r'<span style="white-space: nowrap">\1</span>')


def in_text(html: str, pattern: re.Pattern[str], replacement: str) -> str:
    """``pattern`` replaced in the text of the body only: never inside a tag, a style or
    a script."""
    head, sep, body = html.partition("<body")
    if not sep:
        return html
    parts = _TAG.split(body)
    for index in range(2, len(parts), 2):  # text between tags (parts[0] is "<body"'s rest)
        if parts[index - 1].startswith(("<style", "<script")):
            continue
        parts[index] = pattern.sub(replacement, parts[index])
    return head + sep + "".join(parts)


def _flow(page_box: Any) -> Any:
    """The page's content, without its margin boxes (running header, page number)."""
    from weasyprint.formatting_structure import boxes

    for child in page_box.children:
        if not isinstance(child, boxes.MarginBox):
            return child
    return None


def _paragraphs(box: Any) -> Iterator[list[Any]]:
    """The line boxes of every block on a page, block by block."""
    from weasyprint.formatting_structure import boxes

    if box is None or _out_of_flow(box):
        return
    children = getattr(box, "children", [])
    lines = [c for c in children if isinstance(c, boxes.LineBox)]
    if lines:
        yield lines
    for child in children:
        if not isinstance(child, boxes.LineBox):
            yield from _paragraphs(child)


def _out_of_flow(box: Any) -> bool:
    """A box placed apart from the text (the draft stamp across every page)."""
    style = getattr(box, "style", None)
    return style is not None and style["position"] in ("fixed", "absolute")


def _texts(box: Any) -> Iterator[Any]:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box
    for child in getattr(box, "children", []):
        yield from _texts(child)
