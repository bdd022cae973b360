"""Word-level differences between two texts, shared by redlines and review.

A change is reported in whole words (a number, a word, a punctuation mark, the
space between), as a reader marks a draft: ``berperan langsung`` → ``berperan
langsung dan strategis`` is one insertion of `` dan strategis``, not of scattered
letters.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\w+(?:[.,]\w+)*|\s+|[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"\s+")


Opcode = tuple[str, int, int, int, int]
"""(``equal``/``insert``/``delete``/``replace``, old start, old end, new start, new end),
in characters (or items)."""


MAX_PAIRS = 4_000_000
"""Above this many (old × new) items, two sequences are not matched item by item: their
common start and end are kept, and what lies between is one change. Matching is
quadratic at worst (a paragraph of 100,000 words, its spaces all alike, ran for hours);
an edit in a paragraph that long is still found exactly, as it lies between the two."""


def matching(a: Sequence[Hashable], b: Sequence[Hashable], exact: bool = True) -> list[Opcode]:
    """``SequenceMatcher(None, a, b, autojunk=False).get_opcodes()``, bounded: past
    :data:`MAX_PAIRS` (or with ``exact`` off), only the common start and end are
    matched item by item, and what lies between is matched only if it is small."""
    if exact and len(a) * len(b) <= MAX_PAIRS:
        return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()  # type: ignore[return-value]
    n, m = len(a), len(b)
    start = 0
    while start < min(n, m) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(n, m) - start and a[n - 1 - end] == b[m - 1 - end]:
        end += 1
    ops: list[Opcode] = [("equal", 0, start, 0, start)] if start else []
    middle_a, middle_b = a[start : n - end], b[start : m - end]
    if exact and len(middle_a) * len(middle_b) <= MAX_PAIRS:
        matcher = SequenceMatcher(None, middle_a, middle_b, autojunk=False)
        ops += [
            (tag, i1 + start, i2 + start, j1 + start, j2 + start)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        ]
    elif middle_a or middle_b:
        tag = "replace" if middle_a and middle_b else ("delete" if middle_a else "insert")
        ops.append((tag, start, n - end, start, m - end))
    if end:
        ops.append(("equal", n - end, n, m - end, m))
    return ops


def tokens(text: str) -> list[str]:
    """Words (``1.250,5`` is one), runs of white space, and single other characters."""
    return _TOKEN.findall(text)


@dataclass(frozen=True)
class Hunk:
    """One change: ``old`` (at ``start``..``end`` of the old text) becomes ``new``."""

    start: int
    end: int
    old: str
    new: str

    @property
    def kind(self) -> str:
        """``inserted``, ``deleted`` or ``changed``."""
        if not self.old:
            return "inserted"
        if not self.new:
            return "deleted"
        return "changed"


def hunks(old: str, new: str) -> list[Hunk]:
    """The changes that turn ``old`` into ``new``, word by word, in order."""
    a, b = tokens(old), tokens(new)
    offsets = [0]
    for token in a:
        offsets.append(offsets[-1] + len(token))
    found: list[Hunk] = []
    for tag, i1, i2, j1, j2 in matching(a, b):
        if tag != "equal":
            found.append(Hunk(offsets[i1], offsets[i2], "".join(a[i1:i2]), "".join(b[j1:j2])))
    return found


def normalize(text: str) -> str:
    """White space collapsed to single spaces, ends trimmed: how two texts are compared."""
    return _SPACE.sub(" ", text).strip()


def similarity(old: str, new: str, exact: bool = True) -> float:
    """0 (nothing shared) … 1 (the same words). Without ``exact``, or for texts too long
    to match word by word, from the common start and end only (linear)."""
    if old == new:
        return 1.0
    a, b = tokens(old), tokens(new)
    if not a and not b:
        return 1.0
    if exact and len(a) * len(b) <= MAX_PAIRS:
        return SequenceMatcher(None, a, b, autojunk=False).ratio()
    same = sum(i2 - i1 for tag, i1, i2, _, _ in matching(a, b, exact=False) if tag == "equal")
    return 2.0 * same / (len(a) + len(b))


def opcodes(old: str, new: str, exact: bool = True) -> list[Opcode]:
    """Word-level opcodes in character offsets. White space counts as equal whatever it
    is (a line break in the HTML is a space on the page), and a lone space or
    punctuation mark between two changes joins them, so a reader sees one change."""
    a, b = tokens(old), tokens(new)
    keys_a = [" " if t.isspace() else t for t in a]
    keys_b = [" " if t.isspace() else t for t in b]
    at_a, at_b = _offsets(a), _offsets(b)
    ops = matching(keys_a, keys_b, exact)
    merged: list[tuple[str, int, int, int, int]] = []
    for index, (op, i1, i2, j1, j2) in enumerate(ops):
        small = i2 - i1 == 1 and j2 - j1 == 1 and not keys_a[i1].isalnum()
        joins = op == "equal" and small and 0 < index < len(ops) - 1
        if merged and merged[-1][0] != "equal" and (op != "equal" or joins):
            _, k1, _, l1, _ = merged[-1]
            merged[-1] = ("replace", k1, i2, l1, j2)
        else:
            merged.append((op, i1, i2, j1, j2))
    result: list[Opcode] = []
    for tag, i1, i2, j1, j2 in merged:
        if tag == "replace" and i1 == i2:
            tag = "insert"
        elif tag == "replace" and j1 == j2:
            tag = "delete"
        result.append((tag, at_a[i1], at_a[i2], at_b[j1], at_b[j2]))
    return result


def _offsets(items: list[str]) -> list[int]:
    offsets = [0]
    for item in items:
        offsets.append(offsets[-1] + len(item))
    return offsets
