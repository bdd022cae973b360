"""Values an expression prints in a PK's or an LKj's Markdown prose.

A chapter of an LKj writes ``mencapai {{ achievements["IKSS 1.2"].realisation | percent
}}``: the paragraph in Word shows ``mencapai 10,8%``, and ``10,8`` stands nowhere in the
Markdown. When a reviewer changes such words, review asks the document where the value
is written — the same lookup as for a number in a table a template wrote
(:class:`plandocs.review.numbers.Numbers`), or the date the document prints — and lists
the change there. Words that stand in the paragraph's Markdown are prose, whatever
value they equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from plandocs.compare.textdiff import Hunk, normalize
from plandocs.errors import PlandocsError
from plandocs.model.document import Origin
from plandocs.review.document import Reviewed
from plandocs.review.facts import PlanFacts
from plandocs.review.numbers import Match, Numbers
from plandocs.review.prose import NotApplicable, block_region, changes, in_new
from plandocs.writers.docx.anchors import Anchor


@dataclass(frozen=True)
class Value:
    """The value a change inside a paragraph touches, and where it is written."""

    hunk: Hunk
    where: str
    """For a person: ``content/lkj/…/data/realisasi.csv:3:4 (IKSS 1.2, 2025 realisation)``."""
    match: Match | None = None
    """A number's (:meth:`Numbers.find`)."""
    date: Origin | None = None
    """A date's."""
    rounded: bool = False
    """A number printed rounded (``Rp74,9 triliun``): never written from what it shows."""


class Printed:
    """The values expressions print in one reviewed document's Markdown paragraphs."""

    def __init__(self, root: Path, reviewed: Reviewed, numbers: Numbers) -> None:
        self.root = root
        self.reviewed = reviewed
        self.numbers = numbers
        self._lines: dict[str, list[str] | None] = {}
        self.starts: dict[str, set[int]] = {}
        """The lines of each Markdown file where a paragraph of the document starts."""
        for anchor in numbers.anchors.values():
            rel, _, line = (anchor.src or "").rpartition(":")
            if rel and line.isdecimal():
                self.starts.setdefault(rel, set()).add(int(line))

    def block(self, anchor: Anchor) -> str | None:
        """The Markdown block the paragraph is written in, or None if it cannot be read."""
        rel, _, line = (anchor.src or "").rpartition(":")
        if not rel or not line.isdecimal():
            return None
        if rel not in self._lines:
            from plandocs.safety.reader import MAX_TEXT_BYTES, read_bytes

            try:
                text = read_bytes(self.root / rel, "file", MAX_TEXT_BYTES).decode("utf-8")
                self._lines[rel] = text.splitlines(keepends=True)
            except (PlandocsError, UnicodeDecodeError, OSError):
                self._lines[rel] = None
        lines = self._lines[rel]
        if lines is None:
            return None
        try:
            first, stop = block_region(lines, int(line), self.starts.get(rel, set()))
        except NotApplicable:
            return None
        return "".join(lines[first:stop])

    def value(self, anchor: Anchor, new: str, hunk: Hunk) -> Value | None:
        """The value ``hunk`` (a change of the paragraph from its text as written to
        ``new``) changes, if an expression prints it: a date that covers it, a number the
        document says where it is written, or an amount it prints rounded (``Rp74,9
        triliun``); None for words of the Markdown."""
        if not anchor.src or anchor.fact or not hunk.old:
            return None  # an insertion is words of the Markdown
        block = self.block(anchor)
        if block is None or _stands_in(hunk.old, block):
            return None
        old = normalize(anchor.text)
        date = self.reviewed.date(old, hunk)
        if date is not None:
            where = self.reviewed.date_where(date)
            return Value(hunk, where, date=date) if where else None
        match = self.numbers.find(anchor, hunk)
        if match is None:  # a second --apply: the new value is the content's now
            moved = in_new(changes(old, normalize(new)), hunk)
            if moved is not None and not _stands_in(moved.old, block):
                match = self.numbers.find(anchor, moved)
        rounded = False
        if match is None:  # an amount printed rounded: ``Rp74,9 triliun``
            match, rounded = self.numbers.among(anchor, self.reviewed.amounts(old, hunk)), True
        if match is None:
            return None
        return Value(hunk, self.numbers.where(match, anchor.src), match=match, rounded=rounded)

    def values(self, anchor: Anchor, new: str) -> list[Value | None]:
        """:meth:`value` for each change of the paragraph, in order."""
        hunks = changes(normalize(anchor.text), normalize(new))
        return [self.value(anchor, new, h) for h in hunks]

    def reason(self, value: Value, facts: PlanFacts) -> str:
        """Why a paragraph with this printed value is left for a person, and how."""
        if value.date is not None:
            at = value.date.at
            owner = self.reviewed.owner(at.path) if at is not None and at.path else ""
            date = f"a date drawn from {owner}" if owner else "a date"
            where = value.where.removesuffix(" (date)")
            return f"{date}; write the new one at {where} as YYYY-MM-DD"
        assert value.match is not None
        rounded = " rounded" if value.rounded else ""
        what = f"{_quote(value.hunk.old)} is printed{rounded} by an expression"
        origin = value.match.origin
        if origin is not None and origin.at is not None and origin.at.path is not None:
            what += f" from {value.where}"
        elif origin is not None:
            what += f" ({origin.label})"
        place = self.numbers.place(value.match, facts)
        if isinstance(place, str):
            return f"{what}: {place}"
        if value.rounded:
            return f"{what}; write the new amount there in full"
        return f"{what}; change it there, and the paragraph's other words in the Markdown"


def _stands_in(text: str, block: str) -> bool:
    """Whether ``text`` is written in the Markdown block as such (a number not as part
    of a longer one)."""
    text = normalize(text).strip()
    if not text:
        return False
    pattern = r"\s+".join(re.escape(part) for part in text.split())
    return re.search(rf"(?<![0-9]){pattern}(?![0-9]|[.,][0-9])", block) is not None


def _quote(text: str) -> str:
    return f'"{normalize(text)}"'
