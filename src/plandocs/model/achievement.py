"""The Laporan Kinerja (LKj, performance report) of one year: realisations set against
the targets of its PK, the achievement (capaian) computed, never typed.

``lkj.yaml`` names its PK (``pk: kemensos-2025``); the PK names the Renstra and the year,
so every target the report shows is the one the PK committed. Realisations come from a
table (CSV or workbook, ``code`` and a column per year, read with the same number rules
as the Renstra's targets); the budget's realisation per program from another (``code``
and the year's column), set against the PK's ceilings.

Capaian is realisation ÷ target where more is better, and where less is better the
project's formula (``performance.less_is_better`` in plandocs.yaml): ``difference``,
(2 × target − realisation) ÷ target, or ``ratio``, target ÷ realisation — in percent,
rounded half up to two decimals, then held to ``performance.cap_percent`` if set. Its
predicate is the first band of ``performance.predicates`` it reaches. A target of zero, a
missing realisation, a realisation for an indicator the Renstra does not know: each an
error at its file and line, never a blank or a division by zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from plandocs.content.prose import LocalText
from plandocs.content.tables import Row
from plandocs.errors import ContentError
from plandocs.model.agreement import (
    Agreement,
    Allocation,
    Committed,
    FolderName,
    indicator_index,
)
from plandocs.model.plan import DataFile, Signature
from plandocs.settings import Performance, Predicate

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class ReportData(_Strict):
    """``realisations`` (indicators) and ``budgets`` (programs): ``file.csv``,
    ``file.xlsx#Sheet`` or ``{path: …, numbers: id}``, beside lkj.yaml."""

    realisations: DataFile
    budgets: DataFile | None = None

    @field_validator("realisations", "budgets", mode="before")
    @classmethod
    def _path_alone(cls, value: Any) -> Any:
        return {"path": value} if isinstance(value, str) else value


class ReportFacts(_Strict):
    """``lkj.yaml``."""

    pk: FolderName
    """The PK it reports on: its folder name under ``content/pk/``."""
    date: dt.date
    unit: LocalText | None = None
    """The unit that prepares the report (the Planning Bureau): the PDF's author."""
    data: ReportData
    signature: Signature | None = None
    facts: dict[str, Any] = Field(default_factory=dict)
    status: Literal["final", "draft"] = "final"
    version: int | None = Field(None, ge=1)
    single_language: Literal["id", "en"] | None = None


@dataclass(frozen=True)
class Achievement:
    """One indicator of the report: target, realisation, capaian and predicate."""

    committed: Committed
    realisation: Decimal
    realisation_at: ContentError
    capaian: Decimal
    """In percent, two decimals, capped."""
    uncapped: Decimal
    predicate: Predicate
    earlier: dict[int, Decimal]
    """Realisations of the years before, as the table gives them."""
    earlier_at: dict[int, ContentError] = field(default_factory=dict)
    """Where each of them is written."""


@dataclass(frozen=True)
class Spending:
    """One program's budget: the PK's ceiling and the year's realisation."""

    allocation: Allocation
    realisation: Decimal
    percent: Decimal
    realisation_at: ContentError | None = None
    """Where the realisation is written."""


def capaian(
    target: Decimal, realisation: Decimal, polarity: str, performance: Performance
) -> tuple[Decimal, Decimal]:
    """The achievement in percent (capped, uncapped), or ``ZeroDivisionError`` /
    ``ValueError`` with what is wrong: the caller locates it."""
    if target == 0:
        raise ZeroDivisionError("target")
    if polarity == "minimize":
        if performance.less_is_better == "ratio":
            if realisation == 0:
                raise ZeroDivisionError("realisation")
            value = target / realisation * HUNDRED
        else:
            value = (2 * target - realisation) / target * HUNDRED
    else:
        value = realisation / target * HUNDRED
    value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    cap = performance.cap_percent
    capped = min(value, Decimal(str(cap)).quantize(CENT)) if cap is not None else value
    return capped, value


def predicate(value: Decimal, performance: Performance) -> Predicate:
    """The first band (from the top) whose ``at_least`` the achievement reaches; below
    them all, the last band."""
    for band in performance.predicates:
        if value >= Decimal(str(band.at_least)):
            return band
    return performance.predicates[-1]


def _at(where: ContentError, message: str) -> ContentError:
    return ContentError(message, where.path, where.line, where.column, where.cell)


def _header(path: Path, rows: list[Row]) -> ContentError:
    """The table's header row (a workbook's first row), for what is missing from it."""
    if rows and rows[0].where.cell:
        sheet = rows[0].where.cell.partition("!")[0]
        return ContentError("", path, cell=f"{sheet}!A1")
    return ContentError("", path, 1)


def achievements(
    agreement: Agreement,
    rows: list[Row],
    path: Path,
    performance: Performance,
    renstra_name: str,
) -> tuple[list[Achievement], list[ContentError]]:
    """Each indicator of the PK with its realisation and capaian; every problem found."""
    year = agreement.facts.year
    errors: list[ContentError] = []
    known = indicator_index(agreement.plan)
    by_code: dict[str, Row] = {}
    for row in rows:
        if row.code not in known:
            errors.append(
                _at(
                    row.where,
                    f"no indicator {row.code!r} in {renstra_name}; fix the code, or remove the row",
                )
            )
        by_code[row.code] = row
    found: list[Achievement] = []
    for item in agreement.committed:
        found_row = by_code.get(item.code)
        if found_row is None or year not in found_row.values:
            errors.append(
                _at(
                    _header(path, rows),
                    f"{item.code} has no realisation for {year} here; add its row "
                    f"(`{item.code}` and the {year} column)",
                )
            )
            continue
        row, cell = found_row, found_row.values[year]
        baseline = item.indicator.baseline
        if (
            baseline is not None
            and baseline.year in row.values
            and row.values[baseline.year].value != baseline.value
        ):
            errors.append(
                row.values[baseline.year].error(
                    f"{item.code}: {row.values[baseline.year].value.normalize():f} for "
                    f"{baseline.year} differs from the Renstra's baseline "
                    f"{baseline.value.normalize():f}; one of them is wrong"
                )
            )
        try:
            value, uncapped = capaian(item.target, cell.value, item.indicator.polarity, performance)
        except ZeroDivisionError as exc:
            if str(exc) == "target":
                errors.append(
                    _at(
                        item.target_at,
                        f"{item.code}: the target for {year} is zero, so its achievement "
                        "cannot be computed (it would divide by zero); state the target as "
                        "a number above zero",
                    )
                )
            else:
                errors.append(
                    cell.error(
                        f"{item.code}: a realisation of zero cannot be set against the target "
                        "by the `ratio` formula (target ÷ realisation); use `less_is_better: "
                        "difference` in plandocs.yaml, or check the value"
                    )
                )
            continue
        earlier = {y: c.value for y, c in sorted(row.values.items()) if y < year}
        earlier_at = {y: row.values[y].error_at for y in earlier}
        found.append(
            Achievement(
                item, cell.value, cell.error_at, value, uncapped, predicate(value, performance),
                earlier, earlier_at,
            )
        )  # fmt: skip
    return found, errors


def spending(
    agreement: Agreement, rows: list[Row], path: Path
) -> tuple[list[Spending], list[ContentError]]:
    """Each program's ceiling (the PK's budget) and the year's realisation."""
    year = agreement.facts.year
    errors: list[ContentError] = []
    ceilings = {a.code: a for a in agreement.allocations}
    by_code: dict[str, Row] = {}
    for row in rows:
        if row.code not in ceilings:
            errors.append(
                _at(
                    row.where,
                    f"{row.code!r} is not a program of the PK ({', '.join(ceilings)}); fix the "
                    "code, or remove the row",
                )
            )
        by_code[row.code] = row
    found: list[Spending] = []
    for code, allocation in ceilings.items():
        spent_row = by_code.get(code)
        if spent_row is None or year not in spent_row.values:
            errors.append(
                _at(
                    _header(path, rows), f"{code} has no budget realisation for {year} here; add it"
                )
            )
            continue
        if allocation.amount == 0:
            errors.append(
                _at(
                    spent_row.where,
                    f"{code}: the PK's ceiling is zero, so no percentage can be shown",
                )
            )
            continue
        cell = spent_row.values[year]
        spent = cell.value
        percent = (spent / allocation.amount * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
        found.append(Spending(allocation, spent, percent, cell.error_at))
    return found, errors
