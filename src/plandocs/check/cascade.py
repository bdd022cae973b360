"""The performance cascade across documents: what no single document can check alone.

Each Perjanjian Kinerja is checked against its Renstra as it is loaded (an indicator the
Renstra lacks, a target that differs without a revision, budgets that do not add up —
:func:`plandocs.model.agreement.resolve`), and each Laporan Kinerja against its PK
(:mod:`plandocs.model.achievement`): ``build`` refuses them as ``check`` reports them.
What ``check`` adds here, seeing every document at once:

* the PKs of one Renstra and year agree with each other: an echelon-I unit's program
  budget is the ministry's for that program, and an indicator committed at two levels
  has one target;
* one PK per level and year (a second one for the same unit is a mistake, not a revision:
  a revision is recorded in the PK itself);
* one LKj per PK.

Every problem is reported at the line of the document that disagrees.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from plandocs.errors import ContentError, Problems
from plandocs.kinds.models.agreement import AgreementDocument
from plandocs.kinds.models.report import ReportDocument


def _name(document: AgreementDocument) -> str:
    """The level a PK is of: its unit's name, or the ministry."""
    unit, programs = document.facts.unit, document.facts.programs
    if unit:
        return next(iter(unit.values()))
    return f"the unit of {', '.join(programs)}" if programs else "the ministry"


def _amount(value: Decimal) -> str:
    number = value.normalize()
    return f"{int(number):,}" if number == number.to_integral() else f"{number:,f}"


def in_cascade(document: Any) -> bool:
    """Whether ``document`` takes part in the checks across documents (a PK or LKj)."""
    return isinstance(document, (AgreementDocument, ReportDocument))


def check_cascade(documents: list[Any], result: Problems, settled: Sequence[Any] = ()) -> None:
    """Report, at file:line, where the PKs and LKjs of the project disagree.

    ``settled`` are documents that stand (those outside a ``check PATHS`` selection):
    where two documents clash, they are the first, and the problem is reported at the
    other one, the document being checked."""
    standing = {id(d) for d in settled}
    agreements = [d for d in documents if isinstance(d, AgreementDocument)]
    reports = [d for d in documents if isinstance(d, ReportDocument)]
    by_year: dict[tuple[str, int], list[AgreementDocument]] = defaultdict(list)
    for document in agreements:
        by_year[(document.facts.renstra, document.facts.year)].append(document)
    for group in by_year.values():
        group.sort(key=lambda d: (d.facts.unit is not None, id(d) not in standing, d.slug))
        for problem in _levels(group) + _budgets(group) + _targets(group):
            result.add("error", problem)
    seen: dict[str, ReportDocument] = {}
    for report in sorted(reports, key=lambda r: (id(r) not in standing, r.slug)):
        first = seen.setdefault(report.facts.pk, report)
        if first is not report:
            result.add(
                "warning",
                report.doc.error(
                    f"content/lkj/{first.slug} already reports on the PK {report.facts.pk}; "
                    "keep one report per agreement (for another year's report, name that "
                    "year's PK in `pk`)",
                    ("pk",),
                ),
            )


def _levels(group: list[AgreementDocument]) -> list[ContentError]:
    """One PK per level (the ministry, or one unit) for a Renstra and year."""
    problems: list[ContentError] = []
    seen: dict[str, AgreementDocument] = {}
    for document in group:
        level = _name(document)
        first = seen.setdefault(level, document)
        if first is not document:
            problems.append(
                document.doc.error(
                    f"content/pk/{first.slug} is already the {document.facts.year} PK of "
                    f"{level}; record a revision in that PK instead of a second one (for "
                    "another year's PK, change `year`)",
                    ("unit",) if document.facts.unit else ("year",),
                )
            )
    return problems


def _budgets(group: list[AgreementDocument]) -> list[ContentError]:
    """A unit's program budget is the one the ministry's PK gives that program."""
    ministry = next((d for d in group if d.facts.unit is None and not d.facts.programs), None)
    if ministry is None:
        return []
    theirs = {a.code: a.amount for a in ministry.agreement.allocations}
    problems: list[ContentError] = []
    for document in group:
        if document is ministry:
            continue
        for allocation in document.agreement.allocations:
            expected = theirs.get(allocation.code)
            if expected is None or expected == allocation.amount:
                continue
            given = allocation.code in document.facts.budget.programs
            where = ("budget", "programs", allocation.code) if given else ("programs",)
            problems.append(
                document.doc.error(
                    f"{allocation.code}: the budget {_amount(allocation.amount)} differs from "
                    f"the {_amount(expected)} of the ministry's PK (content/pk/{ministry.slug}); "
                    "the two agreements must give a program one budget",
                    where,
                )
            )
    return problems


def _targets(group: list[AgreementDocument]) -> list[ContentError]:
    """An indicator committed in two PKs of one year has one target in both."""
    problems: list[ContentError] = []
    first: dict[str, tuple[AgreementDocument, Decimal]] = {}
    for document in group:
        for item in document.agreement.committed:
            known = first.setdefault(item.code, (document, item.target))
            if known[0] is document or known[1] == item.target:
                continue
            written = [
                i
                for i, entry in enumerate(document.facts.indicators)
                if (entry if isinstance(entry, str) else entry.code) == item.code
            ]
            where: tuple[Any, ...] = ("indicators", written[0]) if written else ("renstra",)
            problems.append(
                document.doc.error(
                    f"{item.code}: the target {_amount(item.target)} differs from the "
                    f"{_amount(known[1])} of content/pk/{known[0].slug} for the same year; "
                    "revise it in both agreements, or in neither",
                    where,
                )
            )
    return problems
