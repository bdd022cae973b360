"""Text measured as the documents set it: Arial's (Liberation Sans') advance widths,
where a line may break, how many lines a text takes in a width, and a title's lines
balanced (:func:`balanced_lines`). The table columns (:mod:`plandocs.render.columns`)
and the ``balance`` filter are made from these."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# Advance widths of Arial / Liberation Sans in thousandths of an em, for " " to "~".
_REGULAR = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip
_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
)  # fmt: skip
_OTHER = {"\u00a0": 278, "–": 556, "—": 1000, "‘": 222, "’": 222, "“": 333, "”": 333}
_SPACE = re.compile(r"[ \t\r\n\f]+")
ZWSP = "\u200b"
"""A zero-width space: a place a line may break (``<wbr>``)."""
SAFETY = 1.03
"""Measured text is taken 3 % wider: kerning, rounding, another font of the family."""


def char_width(char: str, bold: bool = False) -> float:
    """The advance width of one character in ems (an average one if not known)."""
    code = ord(char) - 32
    if 0 <= code < len(_REGULAR):
        return (_BOLD if bold else _REGULAR)[code] / 1000
    return _OTHER.get(char, 556) / 1000 * (1.05 if bold else 1.0)


def text_width(text: str, bold: bool = False) -> float:
    """The width of ``text`` in ems."""
    return sum(char_width(c, bold) for c in text)


def balanced_lines(text: str, width_em: float, bold: bool = False) -> list[str]:
    """``text`` broken into the fewest lines ``width_em`` wide, the breaks chosen so its
    longest line is as short as it can be: a title never leaves one word alone on its
    last line (``STRATEGIC PLAN OF THE`` / ``MINISTRY OF SOCIAL AFFAIRS``)."""
    words = text.split()
    if not words:
        return []
    space = char_width(" ", bold)
    sizes = [text_width(w, bold) * SAFETY for w in words]

    def width(i: int, j: int) -> float:  # words i … j-1 on one line
        return sum(sizes[i:j]) + space * (j - i - 1)

    count, at = 1, 0.0
    for k, size in enumerate(sizes):  # the fewest lines: fill greedily
        if k and at + space + size > width_em:
            count, at = count + 1, size
        else:
            at += (space if k else 0.0) + size
    # best[n][i]: the least longest line setting words i … in n lines, and the break.
    n_words = len(words)
    best: dict[tuple[int, int], tuple[float, int]] = {}
    for i in range(n_words, -1, -1):
        best[(0, i)] = (0.0 if i == n_words else float("inf"), n_words)
    for n in range(1, count + 1):
        for i in range(n_words):
            options = [
                (max(width(i, j), best[(n - 1, j)][0]), j) for j in range(i + 1, n_words + 1)
            ]
            best[(n, i)] = min(options)
        best[(n, n_words)] = (float("inf"), n_words)
    lines, i = [], 0
    for n in range(count, 0, -1):
        j = best[(n, i)][1]
        lines.append(" ".join(words[i:j]))
        i = j
        if i >= n_words:
            break
    return lines


def text_pieces(el: Any, bold: bool) -> Iterator[tuple[str, bool]]:
    bold = bold or el.tag in ("strong", "b", "th")
    if el.tag == "wbr":
        yield ZWSP, bold
    if el.text:
        yield el.text, bold
    for child in el:
        if isinstance(child.tag, str):
            yield from text_pieces(child, bold)
        if child.tail:
            yield child.tail, bold


def pieces(cell: Any, bold: bool = False) -> list[tuple[float, float]]:
    """The unbreakable pieces of a cell's text, as (space before it, its width) in ems:
    lines break at spaces, after a hyphen or a dash, and at ``<wbr>``. Not after a slash:
    LibreOffice does not break ``kabupaten/kota`` there (Word and WeasyPrint do)."""
    found: list[tuple[float, float]] = []
    space = word = 0.0
    pending = 0.0
    for text, heavy in text_pieces(cell, bold):
        for char in _SPACE.sub(" ", text):
            if char == " ":
                if word:
                    found.append((space, word))
                    space, word = 0.0, 0.0
                pending = char_width(" ", heavy) if found else 0.0
                continue
            if char == ZWSP:
                if word:
                    found.append((space, word))
                    space, word = 0.0, 0.0
                continue
            if not word:
                space, pending = pending, 0.0
            word += char_width(char, heavy)
            if char in "-–":
                found.append((space, word))
                space, word = 0.0, 0.0
    if word:
        found.append((space, word))
    return found


def measure(cell: Any, bold: bool = False) -> tuple[float, float]:
    """A cell's longest word and its whole text on one line, in ems."""
    found = pieces(cell, bold)
    longest = max((w for _, w in found), default=0.0)
    line = sum(s + w for s, w in found) - (found[0][0] if found else 0.0)
    return longest, line


def lines(cell: Any, width_em: float, bold: bool = False) -> int:
    """How many lines a cell's text takes in a column ``width_em`` wide (inside padding)."""
    count, current = 1, 0.0
    for space, word in pieces(cell, bold):
        if current and current + space + word > width_em:
            count, current = count + 1, word
        else:
            current += (space if current else 0.0) + word
    return count


def lines_of(found: list[tuple[float, float]], width_em: float) -> int:
    """How many lines pieces (from :func:`pieces`) take in a column ``width_em`` wide."""
    count, current = 1, 0.0
    for space, word in found:
        if current and current + space + word > width_em:
            count, current = count + 1, word
        else:
            current += (space if current else 0.0) + word
    return count
