"""What a review found: its items (changes and comments, each where it belongs) and the
counts of its summary line."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ALREADY = "already in the content"


@dataclass
class Item:
    """One line of the review: a change or a comment, where it belongs."""

    where: str
    message: str
    anchor: str | None = None
    kind: str = "change"
    """``change`` or ``comment``."""
    status: str = ""
    """After ``--apply``: ``applied``, or why not."""
    order: float = 0.0
    """Its place in the document, for listing in reading order."""

    def format(self) -> str:
        line = f"{self.where}: {self.message}"
        if self.status:
            line += f" — {self.status}"
        return line


@dataclass
class ReviewReport:
    file: Path
    items: list[Item] = field(default_factory=list)
    applied: int = 0
    already: int = 0
    by_hand: int = 0
    written: list[str] = field(default_factory=list)

    def summary(self, applying: bool) -> str:
        counts = Counter(item.kind for item in self.items)
        changes, comments = counts["change"], counts["comment"]
        head = f"{_n(changes, 'change')}, {_n(comments, 'comment')}"
        if not applying:
            can = any(i.kind == "change" and i.status != "by hand" for i in self.items)
            return head + ("; --apply writes those that map onto the content" if can else "")
        already = f", {self.already} already in the content" if self.already else ""
        return f"{head}: {self.applied} applied{already}, {self.by_hand} left to do by hand"


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
