"""What every loaded document offers the pipeline, whatever its kind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from plandocs.content.numbers import Style
from plandocs.errors import ContentError


@dataclass(frozen=True)
class Origin:
    """A value a document prints from facts, and where that value is written: what
    ``plandocs review`` asks of a document whose values come from other documents (a PK
    from its Renstra, an LKj from its PK).

    ``value`` is a text, a number or a date; ``at`` the YAML value or table cell holding it, in
    the document's own folder or in one it draws from — or None for a value the document
    computes, ``made`` saying from what.
    """

    value: str | Decimal | dt.date
    at: ContentError | None
    label: str = ""
    """Which value, for a person: ``IKSS 1.2, 2025``."""
    near: str = ""
    """Words printed beside it (its indicator's name) that tell it from an equal value of
    another row."""
    made: str = ""
    """How a computed value is made, and what to change instead."""
    instead: str = ""
    """Another way to change a value drawn from elsewhere (a PK's target: record a
    revision in pk.yaml)."""
    style: Style | None = None
    """How the table holding it writes numbers, if it says (``id``: ``10,8``)."""


class SingleDocument:
    """A document that is its folder's only one: it has no parts."""

    folder: Path

    def parts(self) -> list[str | None]:
        """None: the folder's own document, and nothing else."""
        return [None]

    def part_inputs(self, part: str, rel: Callable[[Path], str]) -> dict[str, str]:
        """A part's own inputs: none, there are no parts."""
        return {}

    def select(self, part: str | None) -> Any:
        if part is not None:
            raise ContentError(f"no part {part!r} in this document; it has no parts", self.folder)
        return self


def fact_expressions(facts: Iterable[tuple[Any, str]]) -> dict[str, str]:
    """Numeric facts by their normal reading → the expression that gives them, for
    ``check`` to suggest in place of a number written by hand. Small whole numbers are
    too common to suggest anything."""
    found: dict[str, str] = {}
    for value, expression in facts:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            continue
        number = Decimal(str(value))
        if number == number.to_integral() and abs(number) < 100:
            continue
        found.setdefault(str(number.normalize()), expression)
    return found


def top_level_facts(facts: dict[str, Any]) -> dict[str, str]:
    """:func:`fact_expressions` of a document whose facts are named at the top level."""
    return fact_expressions((value, f"{{{{ {name} }}}}") for name, value in facts.items())
