"""Word-level differences between two texts, shared by redlines and review.

A change is reported in whole words (a number, a word, a punctuation mark, the
space between), as a reader marks a draft: ``berperan langsung`` → ``berperan
langsung dan strategis`` is one insertion of `` dan strategis``, not of scattered
letters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\w+(?:[.,]\w+)*|\s+|[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"\s+")


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
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            found.append(Hunk(offsets[i1], offsets[i2], "".join(a[i1:i2]), "".join(b[j1:j2])))
    return found


def normalize(text: str) -> str:
    """White space collapsed to single spaces, ends trimmed: how two texts are compared."""
    return _SPACE.sub(" ", text).strip()


def similarity(old: str, new: str) -> float:
    """0 (nothing shared) … 1 (the same words)."""
    if old == new:
        return 1.0
    return SequenceMatcher(None, tokens(old), tokens(new), autojunk=False).ratio()


Opcode = tuple[str, int, int, int, int]
"""(``equal``/``insert``/``delete``/``replace``, old start, old end, new start, new end),
in characters."""


def opcodes(old: str, new: str) -> list[Opcode]:
    """Word-level opcodes in character offsets. White space counts as equal whatever it
    is (a line break in the HTML is a space on the page), and a lone space or
    punctuation mark between two changes joins them, so a reader sees one change."""
    a, b = tokens(old), tokens(new)
    keys_a = [" " if t.isspace() else t for t in a]
    keys_b = [" " if t.isspace() else t for t in b]
    at_a, at_b = _offsets(a), _offsets(b)
    ops = SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes()
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
