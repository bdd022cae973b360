"""The Perjanjian Kinerja (PK, performance agreement) of one year, drawn from its Renstra.

``pk.yaml`` names the Renstra (``renstra: kemensos-2025-2029``) and the year; every
indicator's code, name, unit, polarity and the year's target come from the Renstra,
never copied. What the PK adds: the two parties and their signatures, the level (the
ministry's, or an echelon-I unit's with its ``programs``), the year's program budgets
where the DIPA's ceilings differ from the Renstra's allocation, and — as the regulation
allows after a budget revision — a revised target with its reason.

The cascade checks (:func:`resolve`) report every problem at its line: an indicator or
program the Renstra does not have, a year outside its period, a target written here that
differs from the Renstra's without a recorded revision, budgets that do not add up to the
stated total.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from plandocs.content.numbers import FactNumber
from plandocs.content.prose import LocalText
from plandocs.content.yamlfile import Loc, YamlDoc
from plandocs.errors import ContentError
from plandocs.model.plan import Indicator, Plan, totals

SLUG = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$"
_SLUG = re.compile(SLUG)


def _folder_name(value: str) -> str:
    if not _SLUG.fullmatch(value):
        raise ValueError(
            "a document is named by its folder name alone (letters, digits, `-`, `_`, `.`; "
            "at most 200 characters), not a path: e.g. `kemensos-2025-2029` for "
            "content/renstra/kemensos-2025-2029/"
        )
    return value


FolderName = Annotated[str, AfterValidator(_folder_name)]
"""The name of another document's folder, as a PK names its Renstra and an LKj its PK:
never a path (``../x``, ``/etc``, ``a/b``), a line break or a NUL."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Party(_Strict):
    """One party of the agreement: the name, and the office in the document's language."""

    name: str = Field(min_length=1, max_length=200)
    office: LocalText


class Commitment(_Strict):
    """An indicator of the PK written out: its code, and the target when the PK states
    it (checked against the Renstra's) or revises it (with the reason)."""

    code: str = Field(min_length=1, max_length=60)
    target: FactNumber | None = None
    revision: LocalText | None = None
    """Why the target differs from the Renstra's (a budget revision, a new policy)."""


class Budget(_Strict):
    """The year's budgets per program (the DIPA's ceilings) and their stated total."""

    programs: dict[str, FactNumber] = Field(default_factory=dict)
    """Per program code, in rupiah; a program not given takes the Renstra's allocation."""
    total: FactNumber | None = None
    """The total as stated (e.g. in the DIPA): checked to equal the programs' sum."""


class AgreementFacts(_Strict):
    """``pk.yaml``."""

    renstra: FolderName
    """The Renstra's folder name under ``content/renstra/``."""
    year: int = Field(ge=2000, le=2100)
    date: dt.date
    place: str = Field(min_length=1, max_length=100)
    unit: LocalText | None = None
    """An echelon-I unit's PK: the unit's name (without it, the ministry's PK)."""
    programs: list[str] = Field(default_factory=list, max_length=50)
    """An echelon-I unit's programs: its indicators are their IKP, its budget theirs."""
    indicators: list[str | Commitment] = Field(default_factory=list, max_length=200)
    """The indicators committed, in order; by default the ministry's IKSS, or the IKP of
    the unit's programs."""
    first_party: Party
    second_party: Party
    budget: Budget = Budget()
    number: str | None = Field(None, max_length=60)
    signed: bool = True
    """Print ``ttd.`` (signed) in place of the signatures, as circulated copies do."""
    status: Literal["final", "draft"] = "final"
    version: int | None = Field(None, ge=1)
    single_language: Literal["id", "en"] | None = None


@dataclass(frozen=True)
class Group:
    """The target an indicator measures: a strategic target (SS), a program's (SP) or an
    activity's (SK)."""

    level: Literal["strategic", "program", "activity"]
    code: str
    text: LocalText
    name: LocalText | None = None
    """The program's or activity's name."""


@dataclass(frozen=True)
class Committed:
    """One indicator of the PK, resolved against the Renstra."""

    indicator: Indicator
    group: Group
    target: Decimal
    """The year's target: the Renstra's, or the revised one."""
    renstra_target: Decimal
    revision: LocalText | None
    target_at: ContentError
    """Where the target is written (the Renstra's line or cell, or the revision's)."""

    @property
    def code(self) -> str:
        return self.indicator.code


@dataclass(frozen=True)
class Allocation:
    code: str
    name: LocalText
    amount: Decimal
    from_renstra: bool


@dataclass(frozen=True)
class Agreement:
    """A PK resolved against its Renstra: what its pages show."""

    facts: AgreementFacts
    doc: YamlDoc
    plan: Plan
    committed: list[Committed]
    allocations: list[Allocation]

    @property
    def total(self) -> Decimal:
        return sum((a.amount for a in self.allocations), Decimal(0))

    def by_code(self) -> dict[str, Committed]:
        return {c.code: c for c in self.committed}


def indicator_index(plan: Plan) -> dict[str, tuple[Indicator, Group]]:
    """Every indicator of the plan by its code, with the target it measures."""
    found: dict[str, tuple[Indicator, Group]] = {}
    for target in plan.strategic_targets:
        group = Group("strategic", target.code, target.text)
        found.update({i.code: (i, group) for i in target.indicators})
    for program in plan.programs:
        group = Group("program", program.code, program.target, program.name)
        found.update({i.code: (i, group) for i in program.indicators})
        for activity in program.activities:
            group = Group("activity", activity.code, activity.target, activity.name)
            found.update({i.code: (i, group) for i in activity.indicators})
    return found


def _listing(codes: list[str], limit: int = 12) -> str:
    shown = ", ".join(codes[:limit])
    return shown + (f" … ({len(codes)} in all)" if len(codes) > limit else "")


def resolve(
    facts: AgreementFacts,
    doc: YamlDoc,
    plan: Plan,
    target_at: dict[tuple[str, int], ContentError],
    renstra_name: str,
    renstra_folder: Path | None = None,
) -> tuple[Agreement, list[ContentError]]:
    """The PK against its Renstra (``renstra_name``, the project's ``content/renstra/<slug>``
    in ``renstra_folder``), and every problem found (each at its line)."""
    errors: list[ContentError] = []
    year = facts.year
    if year not in plan.period.years:
        errors.append(
            doc.error(
                f"{year} is outside the period of {renstra_name} "
                f"({plan.period.start}–{plan.period.end}); give a year of that period",
                ("year",),
            )
        )
        return Agreement(facts, doc, plan, [], []), errors
    programs = {p.code: p for p in plan.programs}
    for i, code in enumerate(facts.programs):
        if code not in programs:
            errors.append(
                doc.error(
                    f"no program {code!r} in {renstra_name}; its programs are: "
                    f"{_listing(list(programs))}",
                    ("programs", i),
                )
            )
    index = indicator_index(plan)
    # (where the entry is, where its code is, the entry)
    entries: list[tuple[Loc, Loc, Commitment]] = [
        (("indicators", i), ("indicators", i, "code"), entry)
        if isinstance(entry, Commitment)
        else (("indicators", i), ("indicators", i), Commitment(code=entry))
        for i, entry in enumerate(facts.indicators)
    ]
    if not entries:
        chosen = (
            [i.code for p in facts.programs if p in programs for i in programs[p].indicators]
            if facts.programs
            else [i.code for t in plan.strategic_targets for i in t.indicators]
        )
        entries = [(("renstra",), ("renstra",), Commitment(code=code)) for code in chosen]
    committed: list[Committed] = []
    seen: set[str] = set()
    for loc, at, entry in entries:
        found = index.get(entry.code)
        if found is None:
            errors.append(
                doc.error(
                    f"no indicator {entry.code!r} in {renstra_name}; its indicators are: "
                    f"{_listing(list(index))}",
                    at,
                )
            )
            continue
        if entry.code in seen:
            errors.append(doc.error(f"{entry.code} is committed twice; keep it once", at))
            continue
        seen.add(entry.code)
        indicator, group = found
        renstra_target = indicator.targets[year]
        target, revision = renstra_target, entry.revision
        place = target_at.get((entry.code, year)) or doc.error("", ("renstra",))
        if entry.target is not None and entry.target != renstra_target and revision is None:
            where = target_at.get((entry.code, year))
            origin = f" ({where.location(renstra_folder)})" if where and where.path else ""
            if renstra_folder is not None and origin:
                origin = f" ({renstra_name}/{origin[2:]}"
            errors.append(
                doc.error(
                    f"{entry.code}: the target {_plain(entry.target)} differs from the Renstra's "
                    f"{_plain(renstra_target)} for {year}{origin}; write the Renstra's target, or "
                    "record why it was revised: `revision: {id: …, en: …}`",
                    (*loc, "target"),
                )
            )
        elif revision is not None and (entry.target is None or entry.target == renstra_target):
            what = "states no `target`" if entry.target is None else "keeps the Renstra's target"
            errors.append(
                doc.error(
                    f"{entry.code}: the revision {what}; give the revised `target`, or remove "
                    "`revision`",
                    (*loc, "revision"),
                )
            )
        elif revision is not None and entry.target is not None:
            target = entry.target
            place = doc.error("", (*loc, "target"))
        committed.append(Committed(indicator, group, target, renstra_target, revision, place))
    allocations, budget_errors = _allocations(facts, doc, plan, renstra_name)
    errors += budget_errors
    return Agreement(facts, doc, plan, committed, allocations), errors


def _allocations(
    facts: AgreementFacts, doc: YamlDoc, plan: Plan, renstra_name: str
) -> tuple[list[Allocation], list[ContentError]]:
    """The programs' budgets for the year (the PK's own, else the Renstra's), checked to
    add up to the stated total."""
    errors: list[ContentError] = []
    programs = [p for p in plan.programs if not facts.programs or p.code in facts.programs]
    mine = {p.code for p in programs}
    for code in facts.budget.programs:
        if code not in mine:
            which = (
                "the programs of this PK" if facts.programs else f"the programs of {renstra_name}"
            )
            errors.append(
                doc.error(
                    f"{code!r} is not one of {which} ({_listing(sorted(mine))}); fix the code",
                    ("budget", "programs", code),
                    at_key=True,
                )
            )
    per_program = totals(plan)["programs"]
    allocations = [
        Allocation(
            p.code,
            p.name,
            facts.budget.programs.get(p.code, per_program[p.code][facts.year]),
            p.code not in facts.budget.programs,
        )
        for p in programs
    ]
    total = sum((a.amount for a in allocations), Decimal(0))
    stated = facts.budget.total
    if stated is not None and stated != total:
        errors.append(
            doc.error(
                f"the programs' budgets add up to {_plain(total)}, not {_plain(stated)}; "
                "correct the total or the programs' budgets",
                ("budget", "total"),
            )
        )
    return allocations, errors


def _plain(value: Decimal) -> str:
    """A number as a message shows it: grouped by thousands, no exponent."""
    number = value.normalize()
    if number == number.to_integral():
        return f"{int(number):,}"
    return f"{number:,f}"
