"""Which value a number a template printed shows, in a document whose kind says where
each value it prints is written (:class:`plandocs.model.document.Origin`): a PK's target,
an LKj's realisation, an achievement it computes.

The DOCX knows only that a template wrote the cell (``10 persen``); the document knows
the values it prints. A changed number is matched with the values equal to it (``10,0`` is 10: a
value is printed at its indicator's precision, never rounded); when several places hold
such a value, the words printed before
it tell them apart — the nearest anchor before the cell that holds one of their
indicators' or programs' names (its row, or its table's caption). Found, it is listed
at its file and line; a value of the document's own folder is written there, as a
Renstra's plan value is; one drawn from another document, or computed, is left with
the reason.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from plandocs.compare.textdiff import Hunk, normalize
from plandocs.model.document import Origin
from plandocs.review.document import Reviewed
from plandocs.review.facts import FactError, FactPlace, PlanFacts
from plandocs.writers.docx.anchors import PREFIX, Anchor

_NUMBER = re.compile(r"[+-]?[0-9][0-9.,]{0,40}")
WRITTEN = (".yaml", ".yml", ".csv")
"""The files a review writes values into (a workbook is never written)."""


@dataclass(frozen=True)
class Match:
    """The value a changed number shows (``origin``), or the several it may show."""

    origin: Origin | None
    others: tuple[Origin, ...] = ()


def shown(text: str, lang: str) -> tuple[Decimal, int] | None:
    """A number as the document printed it (``1.150``, ``0,6``), and its decimals; None
    for anything else."""
    from babel.numbers import NumberFormatError, parse_decimal

    text = normalize(text)
    if not _NUMBER.fullmatch(text):
        return None
    try:
        value = Decimal(parse_decimal(text, locale=lang, strict=True))
    except (NumberFormatError, InvalidOperation, ValueError):
        return None
    exponent = value.as_tuple().exponent
    return value, max(0, -exponent) if isinstance(exponent, int) else 0


def _key(origin: Origin) -> tuple[object, ...]:
    at = origin.at
    if at is None or at.path is None:
        return ("computed", origin.label)
    return (str(at.path), at.line, at.column, at.cell)


class Numbers:
    """The numbers one reviewed document prints, matched with the cells that show them."""

    def __init__(self, reviewed: Reviewed, anchors: dict[str, Anchor], lang: str) -> None:
        self.reviewed = reviewed
        self.lang = lang
        self.anchors = anchors
        self.ordered = sorted(anchors, key=_number)
        self.index = {name: i for i, name in enumerate(self.ordered)}

    def find(self, anchor: Anchor, hunk: Hunk) -> Match | None:
        """The value the number ``hunk`` changes in ``anchor``'s cell shows, if the
        document says; None if the changed words are no number it prints."""
        number = shown(hunk.old, self.lang)
        if number is None:
            return None
        value = number[0]
        return self.among(anchor, [o for o in self.reviewed.numbers() if o.value == value])

    def among(self, anchor: Anchor, candidates: list[Origin]) -> Match | None:
        """Which of ``candidates`` (values the document prints as the words changed in
        ``anchor``) they show: the one, else told apart by the names printed before
        them; None if there are none."""
        if not candidates:
            return None
        if len({_key(o) for o in candidates}) == 1:
            return Match(candidates[0])
        for name in reversed(self.ordered[: self.index.get(anchor.name, 0)]):
            text = normalize(self.anchors[name].text)
            hits = [o for o in candidates if o.near and normalize(o.near) in text]
            if hits:
                longest = max(len(o.near) for o in hits)
                hits = [o for o in hits if len(o.near) == longest]
                if len({_key(o) for o in hits}) == 1:
                    return Match(hits[0])
                return Match(None, tuple(hits))
        return Match(None, tuple(candidates))

    def where(self, match: Match, file: str) -> str:
        """Where a person finds the value: its file and line, or what computes it."""
        origin = match.origin
        if origin is None:
            return f"{file} (a number of several values: {_labels(match)})"
        at = origin.at
        if at is None or at.path is None:
            return f"{file} ({origin.label}, computed)"
        rel = self._rel(at.path)
        if at.cell:
            return f"{rel}:{at.cell} ({origin.label})"
        if at.path.suffix.lower() == ".csv":
            return f"{rel}:{at.line}:{at.column} ({origin.label})"
        return f"{rel}:{at.line} ({origin.label})"

    def place(self, match: Match, facts: PlanFacts) -> FactPlace | str:
        """Where review may write the value — a YAML scalar or a CSV cell of this
        document's own folder — or why not, for a person."""
        origin = match.origin
        if origin is None:
            return f"this number stands for several values ({_labels(match)}); change the right one"
        at = origin.at
        if at is None or at.path is None:
            return origin.made or "computed by plandocs"
        owner = self.reviewed.owner(at.path)
        if owner:
            instead = f", {origin.instead}" if origin.instead else ""
            return f"drawn from {owner}; change it there{instead}"
        if at.cell and self._own(at.path, (".xlsx",)):
            return "plandocs does not write workbooks; change the cell in Excel"
        if not self._own(at.path):
            return "not written in this document's folder"
        try:
            return facts.place_at(at.path, at.line or 0, at.column or 0, origin)
        except FactError as exc:
            return str(exc)

    def _own(self, path: Path, suffixes: tuple[str, ...] = WRITTEN) -> bool:
        """A file of the reviewed document's own folder, no link, of a kind review writes
        (or of ``suffixes``)."""
        real = Path(os.path.realpath(path))
        return (
            real.is_relative_to(os.path.realpath(self.reviewed.folder))
            and not path.is_symlink()
            and path.suffix.lower() in suffixes
        )

    def _rel(self, path: Path) -> str:
        try:
            return Path(os.path.realpath(path)).relative_to(self.reviewed.root).as_posix()
        except ValueError:
            return path.name


def _labels(match: Match) -> str:
    """The values a number may stand for, for a person (at most four)."""
    return "; ".join(sorted({o.label for o in match.others})[:4])


def _number(name: str) -> int:
    digits = name[len(PREFIX) :]
    return int(digits) if digits.isdecimal() and len(digits) < 10 else 0
