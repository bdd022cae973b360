"""Where each value a PK and an LKj print is written (:class:`Origin`), for
``plandocs review`` to list a reviewer's change there — or to say why it cannot be
changed in this document.

A PK writes its parties, place and date, and any revised target or program ceiling, in
its own ``pk.yaml``; the indicators, their names, units and targets, the targets they
measure and the programs' names are drawn from its Renstra's ``plan.yaml`` and tables.
An LKj adds its realisations (its own data tables) and the achievements it computes, and
prints its PK's values as the PK does.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from plandocs.content.numbers import Style
from plandocs.content.yamlfile import Loc, YamlDoc
from plandocs.errors import ContentError
from plandocs.model.achievement import Achievement, Spending
from plandocs.model.agreement import Agreement
from plandocs.model.document import Origin
from plandocs.model.plan import plan_texts
from plandocs.model.renstra import Renstra


def _codes(data: Any, loc: Loc = (), found: dict[str, Loc] | None = None) -> dict[str, Loc]:
    """Every entry of plan.yaml that has a ``code`` (targets, programs, activities,
    indicators) → where it stands."""
    found = {} if found is None else found
    if isinstance(data, dict):
        code = data.get("code")
        if isinstance(code, str):
            found.setdefault(code, loc)
        for key, value in data.items():
            if isinstance(value, list | dict) and key != "targets":
                _codes(value, (*loc, key), found)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _codes(value, (*loc, index), found)
    return found


def _text(doc: YamlDoc, loc: Loc, lang: str, label: str) -> Origin | None:
    """The text at ``loc`` of ``doc`` in ``lang`` (``{id: …, en: …}`` or one text)."""
    value = doc.value(loc)
    if isinstance(value, dict):
        value, loc = value.get(lang), (*loc, lang)
    if not isinstance(value, str):
        return None
    line, column = doc.position(loc)
    return Origin(value, ContentError("", doc.path, line, column), label)


def _texts(doc: YamlDoc, loc: Loc, keys: tuple[str, ...], lang: str, code: str) -> list[Origin]:
    found = []
    for key in keys:
        if doc.value((*loc, key)) is not None:
            origin = _text(doc, (*loc, key), lang, f"{code}, {key}")
            if origin is not None:
                found.append(origin)
    return found


def agreement_origins(agreement: Agreement, renstra: Renstra, lang: str) -> list[Origin]:
    """What a PK prints from its own pk.yaml (its texts, revised targets, program
    ceilings), from its Renstra (texts and targets), and what it computes (the total)."""
    plan, pk, year = renstra.doc, agreement.doc, agreement.facts.year
    renstra_name = "/".join(renstra.folder.parts[-3:])  # content/renstra/<slug>
    codes = _codes(plan.data)
    own = "/".join(pk.path.parts[-4:])  # content/pk/<slug>/pk.yaml
    found: list[Origin] = []
    for loc, text in plan_texts(pk.data, lang):
        line, column = pk.position(loc)
        found.append(Origin(text, ContentError("", pk.path, line, column), ".".join(map(str, loc))))
    found.append(Origin(agreement.facts.date, pk.error("", ("date",)), "date"))
    for key in ("organization", "title", "short_title"):
        origin = _text(plan, (key,), lang, key)
        if origin is not None:
            found.append(origin)
    names: dict[str, str] = {}
    for item in agreement.committed:
        entry = codes.get(item.code)
        group = codes.get(item.group.code)
        if group is not None:
            found += _texts(plan, group, ("text", "target", "name"), lang, item.group.code)
        if entry is None:
            continue
        texts = _texts(plan, entry, ("name", "unit"), lang, item.code)
        found += texts
        names[item.code] = str(texts[0].value) if texts else ""
        found.append(
            Origin(
                item.target,
                item.target_at,
                f"{item.code}, {year}",
                near=names[item.code],
                instead=(
                    f"or record the revised target and its reason in {own} "
                    f"(`indicators: - {{code: {item.code}, target: …, revision: …}}`)"
                ),
            )
        )
        if item.revision is not None:
            found.append(
                Origin(
                    item.renstra_target,
                    renstra.target_at.get((item.code, year)),
                    f"{item.code}, {year} in the Renstra",
                    near=names[item.code],
                )
            )
    for allocation in agreement.allocations:
        entry = codes.get(allocation.code)
        texts = _texts(plan, entry, ("name",), lang, allocation.code) if entry is not None else []
        found += texts
        near = str(texts[0].value) if texts else ""
        label = f"{allocation.code}, budget {year}"
        if allocation.from_renstra:
            found.append(
                Origin(
                    allocation.amount,
                    None,
                    label,
                    near=near,
                    made=(
                        f"computed: the sum of the program's activities' budgets for {year} "
                        f"in {renstra_name}; change those, or give the year's ceiling in "
                        f"{own} (`budget: programs: {allocation.code}: …`)"
                    ),
                )
            )
        else:
            where = pk.error("", ("budget", "programs", allocation.code))
            found.append(Origin(allocation.amount, where, label, near=near))
    stated = f" ({own} states it as `budget: total`)" if agreement.facts.budget.total else ""
    found.append(
        Origin(
            agreement.total,
            None,
            f"budget {year}, total",
            made=f"computed: the sum of the programs' budgets{stated}; change those",
        )
    )
    return found


def report_origins(
    pk: list[Origin],
    renstra: Renstra,
    found: list[Achievement],
    spent: list[Spending],
    year: int,
    styles: tuple[Style | None, Style | None] = (None, None),
) -> list[Origin]:
    """What an LKj prints: its PK's values (``pk``), each realisation (its own data
    tables, which write numbers in ``styles``: the realisations', the budgets') and the
    Renstra's yearly targets beside them, and what it computes."""
    names = {o.label.rpartition(",")[0]: str(o.value) for o in pk if o.label.endswith(", name")}
    origins = list(pk)
    for item in found:
        code = item.committed.code
        near = names.get(code, "")
        label = f"{code}, {year} realisation"
        origins.append(Origin(item.realisation, item.realisation_at, label, near, style=styles[0]))
        for earlier, at in item.earlier_at.items():
            label = f"{code}, {earlier} realisation"
            origins.append(Origin(item.earlier[earlier], at, label, near, style=styles[0]))
        for (each, when), at in renstra.target_at.items():
            if each == code and when != year:
                value = item.committed.indicator.targets.get(when)
                if value is not None:
                    origins.append(Origin(value, at, f"{code}, {when}", near))
        origins.append(
            Origin(
                item.capaian,
                None,
                f"{code}, {year} achievement",
                near,
                made="computed from the realisation and the target; change those",
            )
        )
    for spending in spent:
        code = spending.allocation.code
        near = names.get(code, "")
        label = f"{code}, {year} spent"
        spent_at = spending.realisation_at
        origins.append(Origin(spending.realisation, spent_at, label, near, style=styles[1]))
        origins.append(
            Origin(
                spending.percent,
                None,
                f"{code}, {year} spent (%)",
                near,
                made="computed from the realisation and the ceiling; change those",
            )
        )
    if spent:
        ceiling = sum((s.allocation.amount for s in spent), Decimal(0))
        realised = sum((s.realisation for s in spent), Decimal(0))
        made = "computed: the sum of the programs'; change those"
        origins.append(Origin(realised, None, f"{year} spent, total", made=made))
        if ceiling:
            origins.append(
                Origin(
                    (realised * 100 / ceiling).quantize(Decimal("0.01")),
                    None,
                    f"{year} spent (%), total",
                    made="computed from the totals; change the programs' realisations",
                )
            )
    return origins
