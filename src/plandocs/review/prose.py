"""Carrying a reviewer's change of a paragraph back into its Markdown.

The paragraph in Word is the Markdown block after Jinja and Markdown: expressions
became numbers and dates, ``**bold**`` became bold, line breaks became spaces. A
change is carried back only where the words it touches, with some of the words
around them, stand in the block literally and once; a change to a number an
expression wrote, or across formatting, is left for a person. What is written is
then checked by rendering the document again (see :mod:`plandocs.review.verify`).
"""

from __future__ import annotations

import itertools
import re

from plandocs.compare.textdiff import Hunk, hunks, tokens

MAX_COMPARED = 400
"""Words and spaces of a paragraph's changed middle compared word by word: a longer
middle (a paragraph rewritten, or a crafted file) is one change, as the word-by-word
comparison takes time growing faster than the square of its length."""

_TEMPLATE = re.compile(r"\{[{%#]|[}%#]\}")
_CONTEXTS = ((4, 4), (3, 3), (2, 2), (1, 1), (3, 0), (0, 3), (2, 0), (0, 2), (1, 0), (0, 1))
"""Words of context tried around a change, most first: the first that occurs once wins.
A change with no words around it (the whole text replaced: a place, a name) is found by
its own words alone."""
MARKDOWN = "the Markdown (an expression, formatting or a link makes them)"
"""Where :func:`edit_block` says the words were looked for, by default."""


class NotApplicable(Exception):
    """Why a change cannot be carried back (shown beside it)."""


def block_region(lines: list[str], line: int, starts: set[int]) -> tuple[int, int]:
    """Line indexes [first, stop) of the Markdown block that starts on ``line`` (1-based):
    up to a blank line or the next line another paragraph starts on."""
    first = line - 1
    if not 0 <= first < len(lines):
        raise NotApplicable("the source file is shorter than when the document was written")
    stop = first + 1
    while stop < len(lines) and lines[stop].strip() and (stop + 1) not in starts:
        stop += 1
    return first, stop


def changes(old: str, new: str) -> list[Hunk]:
    """The word-level changes that turn ``old`` into ``new``, compared word by word only
    between the first and the last word that differ, and only up to
    :data:`MAX_COMPARED` tokens; a longer changed middle is one change."""
    a, b = tokens(old), tokens(new)
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    start = sum(map(len, a[:head]))
    middle_a, middle_b = a[head : len(a) - tail], b[head : len(b) - tail]
    old_mid, new_mid = "".join(middle_a), "".join(middle_b)
    if not old_mid and not new_mid:
        return []
    if len(middle_a) > MAX_COMPARED or len(middle_b) > MAX_COMPARED:
        return [Hunk(start, start + len(old_mid), old_mid, new_mid)]
    return [Hunk(start + h.start, start + h.end, h.old, h.new) for h in hunks(old_mid, new_mid)]


def edit_block(
    block: str,
    old: str,
    new: str,
    skip: frozenset[tuple[int, int, str]] = frozenset(),
    within: str = MARKDOWN,
) -> str:
    """``block`` (Markdown, or a YAML value) with the changes that turn ``old`` into
    ``new`` (its rendered text) made where they are written; NotApplicable if any is not
    clear, saying the words are not written as such in ``within``. Changes in ``skip``
    (start, end, new text) are already in the content."""
    changes_ = [h for h in changes(old, new) if (h.start, h.end, h.new) not in skip]
    if not changes_:
        return block
    spans: list[tuple[int, int, str]] = []
    for hunk in changes_:
        if "\n" in hunk.old or "\n" in hunk.new:
            raise NotApplicable("a paragraph was split or joined; do it in the Markdown by hand")
        if _TEMPLATE.search(hunk.new):
            raise NotApplicable("the new text holds template braces; write it by hand")
        start, end = _find(block, old, hunk, within)
        spans.append((start, end, hunk.new))
    spans.sort()
    for (_, end1, _), (start2, _, _) in itertools.pairwise(spans):
        if start2 < end1:
            raise NotApplicable("changes overlap in the Markdown")
    for start, end, text in reversed(spans):
        block = block[:start] + text + block[end:]
    return block


def _find(block: str, old: str, hunk: Hunk, within: str) -> tuple[int, int]:
    """Where ``hunk.old`` (or, for an insertion, the point) stands in ``block``."""
    before = tokens(old[: hunk.start])
    after = tokens(old[hunk.end :])
    alone = ((0, 0),) if hunk.old and not "".join(before + after).strip() else ()
    for left_words, right_words in _CONTEXTS + alone:
        if not hunk.old and not (left_words or right_words):
            continue
        left = "".join(_last_words(before, left_words))
        right = "".join(_first_words(after, right_words))
        if (left_words and not left.strip()) or (right_words and not right.strip()):
            continue  # not that much context on this side
        pattern = re.compile(_flexible(left) + "(" + _flexible(hunk.old) + ")" + _flexible(right))
        found = list(pattern.finditer(block))
        if len(found) == 1:
            return found[0].span(1)
    raise NotApplicable(
        f"the changed words are not written as such in {within}; change it there by hand"
    )


def _last_words(items: list[str], count: int) -> list[str]:
    taken: list[str] = []
    words = 0
    for item in reversed(items):
        if words >= count:
            break
        taken.insert(0, item)
        if item.strip():
            words += 1
    return taken


def _first_words(items: list[str], count: int) -> list[str]:
    taken: list[str] = []
    words = 0
    for item in items:
        if words >= count:
            break
        taken.append(item)
        if item.strip():
            words += 1
    return taken


def _flexible(text: str) -> str:
    """A pattern for ``text`` in Markdown: any white space (a line break too) for space."""
    return r"\s+".join(re.escape(part) for part in re.split(r"\s+", text))


def in_new(hunks: list[Hunk], hunk: Hunk) -> Hunk | None:
    """``hunk`` in the new text's offsets (its new words where they now stand)."""
    shift = 0
    for each in sorted(hunks, key=lambda h: h.start):
        if each == hunk:
            start = each.start + shift
            return Hunk(start, start + len(each.new), each.new, each.new)
        shift += len(each.new) - len(each.old)
    return None
