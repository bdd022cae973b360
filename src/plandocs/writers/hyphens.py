"""Hyphenation limits WeasyPrint does not have, checked on its laid-out pages.

CSS has no ``hyphenate-limit-lines`` or ``hyphenate-limit-last`` in WeasyPrint, so
after a layout :class:`HyphenationFix` looks at every line: a word split across two
pages (the last line of a page ends hyphenated), or a third hyphenated line in a row,
gets its word protected — set in a span that is never hyphenated — and the document
is laid out again, until no such line is left (or a few rounds have passed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

HYPHEN = "\u2010"
"""What WeasyPrint puts at the end of a line it hyphenated (its hyphenate-character)."""
MAX_RUN = 2
"""At most two hyphenated lines in a row."""
MAX_ROUNDS = 3

_WORD_END = re.compile(r"(\w+)$")
_WORD_START = re.compile(r"^(\w+)")
_TAG = re.compile(r"(<[^>]*>)")


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
