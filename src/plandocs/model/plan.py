"""The strategic plan (Renstra) as typed, validated facts.

``plan.yaml`` holds the hierarchy — vision, missions, goals, strategic targets with
their indicators (IKSS), programs (IKP) and activities (IKK), the regulatory
framework — with text per language and numbers once. Yearly targets and budgets may
instead come from a CSV or Excel table; :func:`merge_tables` puts them in place and
:func:`check_plan` reports every gap at its line or cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from plandocs.content.numbers import FactNumber
from plandocs.content.prose import LocalText
from plandocs.content.tables import Row
from plandocs.content.yamlfile import Loc, YamlDoc
from plandocs.errors import ContentError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Period(_Strict):
    start: int = Field(ge=2000, le=2100)
    end: int = Field(ge=2000, le=2100)

    @model_validator(mode="after")
    def _order(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")
        return self

    @property
    def years(self) -> range:
        return range(self.start, self.end + 1)


class Baseline(_Strict):
    year: int
    value: FactNumber


class Indicator(_Strict):
    """A performance indicator (IKSS, IKP or IKK) with a target for every year."""

    code: str = Field(min_length=1)
    name: LocalText
    unit: LocalText
    baseline: Baseline | None = None
    targets: dict[int, FactNumber] = Field(default_factory=dict)
    responsible: LocalText | None = None
    polarity: Literal["maximize", "minimize"] = "maximize"
    """``minimize`` where less is better (a poverty rate, a response time): its
    achievement (capaian) is computed by the project's formula for such indicators."""


class Goal(_Strict):
    code: str = Field(min_length=1)
    text: LocalText


class StrategicTarget(_Strict):
    """Sasaran Strategis (SS) with its indicators (IKSS)."""

    code: str = Field(min_length=1)
    goal: str | None = None
    text: LocalText
    indicators: list[Indicator] = Field(min_length=1)


class Activity(_Strict):
    """Kegiatan, with its target (Sasaran Kegiatan) and indicators (IKK)."""

    code: str = Field(min_length=1)
    name: LocalText
    target: LocalText
    unit: LocalText
    location: LocalText | str | None = None
    indicators: list[Indicator] = Field(default_factory=list)
    budget: dict[int, FactNumber] = Field(default_factory=dict)


class Program(_Strict):
    """A program with its target (Sasaran Program), indicators (IKP) and activities."""

    code: str = Field(min_length=1)
    name: LocalText
    target: LocalText
    unit: LocalText
    indicators: list[Indicator] = Field(default_factory=list)
    activities: list[Activity] = Field(default_factory=list)
    budget: dict[int, FactNumber] = Field(default_factory=dict)


class Regulation(_Strict):
    """One item of the regulatory framework (Kerangka Regulasi)."""

    title: LocalText
    urgency: LocalText
    unit: LocalText
    related: LocalText | None = None
    year: int


class Signature(_Strict):
    """Who signs the plan (and its foreword): ``Jakarta, 20 November 2024`` /
    ``MENTERI SOSIAL REPUBLIK INDONESIA,`` / ``ttd.`` / the name."""

    place: str = Field(min_length=1)
    date: dt.date | None = None
    """The date under which it is signed; the plan's ``date`` when not given."""
    office: LocalText
    """The office in capitals, e.g. ``{id: MENTERI SOSIAL REPUBLIK INDONESIA, en: …}``."""
    name: str = Field(min_length=1)
    signed: bool = False
    """``true`` prints ``ttd.`` (signed) in place of the signature, as the circulated copy
    of a signed plan does; otherwise room is left to sign."""


class Decree(_Strict):
    """The regulation that enacts the plan; its frame heads the plan's first page:
    ``LAMPIRAN PERATURAN MENTERI SOSIAL … NOMOR 5 TAHUN 2025 TENTANG …``."""

    regulation: LocalText
    """``{id: PERATURAN MENTERI SOSIAL REPUBLIK INDONESIA, en: REGULATION OF …}``."""
    number: str | None = Field(None, min_length=1, max_length=20)
    """Left out (printed ``…``) while the regulation is a draft."""
    year: int | None = Field(None, ge=2000, le=2100)
    about: LocalText
    """What it is about: ``RENCANA STRATEGIS KEMENTERIAN SOSIAL TAHUN 2025–2029``."""


class DataFile(_Strict):
    """``{path: data/targets.csv, numbers: id}``: a table and how it writes numbers."""

    path: str = Field(min_length=1)
    """``file.csv`` or ``file.xlsx#Sheet``, beside plan.yaml."""
    numbers: Literal["id", "en"] | None = None
    """``id`` reads ``40.000`` as 40000, ``en`` as 40; unset, the project's
    ``number_style``, else only numbers one style alone can read."""


class DataFiles(_Strict):
    """Tables kept in spreadsheets: ``file.csv``, ``file.xlsx#Sheet`` or a :class:`DataFile`."""

    targets: DataFile | None = None
    budgets: DataFile | None = None

    @field_validator("targets", "budgets", mode="before")
    @classmethod
    def _path_alone(cls, value: Any) -> Any:
        return {"path": value} if isinstance(value, str) else value


class Plan(_Strict):
    """``plan.yaml``: everything in the Renstra that is not prose."""

    title: LocalText
    short_title: LocalText
    organization: LocalText
    unit: LocalText | None = None
    """The unit that prepares the plan (e.g. the Planning Bureau): the PDF's author
    with the organization."""
    date: dt.date
    status: Literal["final", "draft"] = "final"
    version: int | None = Field(None, ge=1)
    period: Period
    vision: LocalText
    missions: list[LocalText] = Field(min_length=1)
    goals: list[Goal] = Field(min_length=1)
    strategic_targets: list[StrategicTarget] = Field(min_length=1)
    programs: list[Program] = Field(min_length=1)
    regulations: list[Regulation] = Field(default_factory=list)
    data: DataFiles | None = None
    signature: Signature | None = None
    decree: Decree | None = None
    facts: dict[str, Any] = Field(default_factory=dict)
    """Anything else the chapters may use, as ``plan.facts.<name>``."""
    single_language: Literal["id", "en"] | None = None

    def indicators(self) -> list[tuple[Loc, Indicator]]:
        """Every indicator with its location in the YAML, in document order."""
        found: list[tuple[Loc, Indicator]] = []
        for i, target in enumerate(self.strategic_targets):
            found += [
                (("strategic_targets", i, "indicators", j), x)
                for j, x in enumerate(target.indicators)
            ]
        for i, program in enumerate(self.programs):
            found += [
                (("programs", i, "indicators", j), x) for j, x in enumerate(program.indicators)
            ]
            for k, activity in enumerate(program.activities):
                found += [
                    (("programs", i, "activities", k, "indicators", j), x)
                    for j, x in enumerate(activity.indicators)
                ]
        return found

    def budget_holders(self) -> list[tuple[Loc, Program | Activity]]:
        """The programs without activities and every activity: where money is given."""
        found: list[tuple[Loc, Program | Activity]] = []
        for i, program in enumerate(self.programs):
            if program.activities:
                found += [
                    (("programs", i, "activities", k), a) for k, a in enumerate(program.activities)
                ]
            else:
                found.append((("programs", i), program))
        return found


def merge_tables(
    plan: Plan, doc: YamlDoc, targets: list[Row] | None, budgets: list[Row] | None
) -> list[ContentError]:
    """Fill targets and budgets from spreadsheet rows; return every problem found."""
    errors: list[ContentError] = []
    if targets is not None:
        by_code = {ind.code: (loc, ind) for loc, ind in plan.indicators()}
        for row in targets:
            if row.code not in by_code:
                errors.append(
                    _at(
                        row.where,
                        f"no indicator has the code {row.code!r}; check it against plan.yaml",
                    )
                )
                continue
            _, indicator = by_code[row.code]
            if indicator.targets:
                errors.append(
                    _at(
                        row.where,
                        f"{row.code}: targets are given both here and in "
                        "plan.yaml; keep them in one place",
                    )
                )
                continue
            indicator.targets = {year: cell.value for year, cell in row.values.items()}
            errors += [
                cell.error(message)
                for cell in row.values.values()
                if (message := _not_a_count(indicator, cell.value))
            ]
    if budgets is not None:
        holders = {item.code: item for _, item in plan.budget_holders()}
        programs = {p.code for p in plan.programs}
        for row in budgets:
            item = holders.get(row.code)
            if item is None:
                hint = (
                    " is a program with activities; give the budget per activity"
                    if row.code in programs
                    else " is not a program or activity in plan.yaml"
                )
                errors.append(_at(row.where, f"budget row for {row.code!r}: it{hint}"))
                continue
            if item.budget:
                errors.append(
                    _at(
                        row.where,
                        f"{row.code}: the budget is given both here and in "
                        "plan.yaml; keep it in one place",
                    )
                )
                continue
            item.budget = {year: cell.value for year, cell in row.values.items()}
    return errors


def check_plan(plan: Plan, doc: YamlDoc) -> list[ContentError]:
    """Every indicator needs a target, and every budget holder a budget, for each year;
    a final plan's decree has its number and year."""
    years = plan.period.years
    span = f"{years.start}–{years.stop - 1}"
    errors: list[ContentError] = []
    decree = plan.decree
    if plan.status == "final" and decree is not None and (not decree.number or not decree.year):
        missing = " and ".join(
            f"`{key}:`" for key in ("number", "year") if not getattr(decree, key)
        )
        said = (
            f"`status: final` (line {doc.position(('status',))[0]})"
            if isinstance(doc.data, dict) and "status" in doc.data
            else "final (no `status:` means final)"
        )
        errors.append(
            doc.error(
                f"the plan is {said} but its decree has no {missing}: a final plan "
                "prints them (NOMOR … TAHUN …); give them, or write `status: draft` until "
                "the regulation is enacted",
                ("decree",),
                at_key=True,
            )
        )
    codes: dict[str, Loc] = {}
    for loc, indicator in plan.indicators():
        if indicator.code in codes:
            errors.append(
                doc.error(f"indicator code {indicator.code!r} is used twice", (*loc, "code"))
            )
        codes[indicator.code] = loc
        for year in years:
            if year not in indicator.targets:
                where = (*loc, "targets") if indicator.targets else loc
                errors.append(
                    doc.error(
                        f"{indicator.code}: target for {year} is missing; every year {span} needs "
                        "a target",
                        where,
                    )
                )
        errors += _fractional_counts(indicator, loc, doc)
    for loc, item in plan.budget_holders():
        for year in years:
            if year not in item.budget:
                where = (*loc, "budget") if item.budget else loc
                errors.append(
                    doc.error(
                        f"{item.code}: budget for {year} is missing; every year {span} needs one",
                        where,
                    )
                )
    return errors


_COUNTS = """orang jiwa unit sentra kampung desa kelurahan keluarga kpm lembaga dokumen laporan
    paket kabupaten/kota kabupaten kota provinsi lokasi kali people persons units
    centers centres villages families households institutions documents reports
    packages districts cities provinces locations times"""
COUNT_UNITS = frozenset(_COUNTS.split())
"""Units that count things (a unit in one word, or ``kabupaten/kota``): an indicator
counted in them never has a fraction. ``juta KPM`` or ``ribu jiwa`` are not counts."""


def _not_a_count(indicator: Indicator, value: Any) -> str | None:
    """Why ``value`` cannot be one of the indicator's figures, if it counts things."""
    units = {text.strip().casefold() for text in indicator.unit.values()}
    number = Decimal(str(value))
    if not units & COUNT_UNITS or number == number.to_integral_value():
        return None
    unit = indicator.unit.get("id") or next(iter(indicator.unit.values()))
    return (
        f"{indicator.code} counts {unit}: {number.normalize():f} is not a whole number; "
        "a count never has a fraction"
    )


def _fractional_counts(indicator: Indicator, loc: Loc, doc: YamlDoc) -> list[ContentError]:
    """A count (kampung, orang, unit …) written in plan.yaml is a whole number: 1024.5
    kampung is a typo. (Targets read from a data file are checked at their cells.)"""
    values: list[tuple[Loc, Any]] = []
    if indicator.baseline is not None:
        values.append(((*loc, "baseline", "value"), indicator.baseline.value))
    node = doc.value(loc)
    if isinstance(node, dict) and "targets" in node:
        values += [((*loc, "targets", y), v) for y, v in indicator.targets.items()]
    found = []
    for where, value in values:
        message = _not_a_count(indicator, value)
        if message:
            found.append(doc.error(message, where))
    return found


_NOT_SHOWN = frozenset({"code", "goal", "facts", "data", "status", "version", "date"})
"""Keys of plan.yaml whose values are codes, settings or facts the chapters may quote
(those are checked where the chapters use them), not text the document shows."""


def plan_texts(data: Any, lang: str, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every text of plan.yaml (its data as read) that the ``lang`` document shows in its
    tables and annexes, with its location."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        if data and set(data) <= {"id", "en"} and all(isinstance(v, str) for v in data.values()):
            if isinstance(data.get(lang), str):
                yield (*loc, lang), data[lang]
            return
        for key, value in data.items():
            if key not in _NOT_SHOWN:
                yield from plan_texts(value, lang, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from plan_texts(value, lang, (*loc, index))


def plan_text(data: Any, lang: str) -> str:
    """The texts of plan.yaml that the ``lang`` document shows, in one string."""
    return "\n".join(text for _, text in plan_texts(data, lang))


def _at(where: ContentError, message: str) -> ContentError:
    return ContentError(message, where.path, where.line, where.column, where.cell)


def totals(plan: Plan) -> dict[str, Any]:
    """Budgets added up from the data: per program and for the whole plan, per year."""
    years = list(plan.period.years)
    per_program: dict[str, dict[int, Decimal]] = {}
    for program in plan.programs:
        if program.activities:
            per_program[program.code] = {
                y: sum((a.budget.get(y, Decimal(0)) for a in program.activities), Decimal(0))
                for y in years
            }
        else:
            per_program[program.code] = {y: program.budget.get(y, Decimal(0)) for y in years}
    overall = {y: sum((b[y] for b in per_program.values()), Decimal(0)) for y in years}
    return {"programs": per_program, "plan": overall, "plan_sum": sum(overall.values(), Decimal(0))}
