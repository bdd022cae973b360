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
