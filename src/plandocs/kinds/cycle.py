"""What the Perjanjian Kinerja and the Laporan Kinerja share: reaching the documents they
refer to, and the PK as the plain data its pages (and the LKj's chapter II and annex)
show, in one language."""

from __future__ import annotations

from typing import Any

from plandocs import LANGUAGES
from plandocs.content.yamlfile import YamlDoc
from plandocs.errors import ContentError
from plandocs.model.agreement import Agreement
from plandocs.model.localize import localize
from plandocs.model.references import referenced
from plandocs.model.renstra import Renstra


def renstra_named(slug: str, doc: YamlDoc, key: str = "renstra") -> Renstra:
    """The Renstra ``content/renstra/<slug>/`` (its facts), through the pipeline."""
    where = doc.error("", (key,))
    found = referenced("renstra", slug, where)
    if not isinstance(found, Renstra):
        raise ContentError(
            f"content/renstra/{slug} is not a strategic plan that targets can be drawn from "
            "(its kind has no indicators); name a Renstra",
            where.path,
            where.line,
            where.column,
        )
    return found


def languages(single: str | None, project_languages: tuple[str, ...]) -> list[str]:
    """A facts-only document is made in every language of the project, or its one."""
    return [single] if single else [lang for lang in LANGUAGES if lang in project_languages]


def _local(text: Any, lang: str, doc: YamlDoc, loc: tuple[Any, ...]) -> Any:
    return localize(text, lang, doc, loc) if text is not None else None


def agreement_view(agreement: Agreement, renstra: Renstra, slug: str, lang: str) -> dict[str, Any]:
    """The PK in ``lang`` as plain data: the parties, the committed indicators grouped by
    the target they measure, the programs' budgets and their total, the revisions."""
    facts, doc = agreement.facts, agreement.doc
    plan_context = renstra.context(lang)
    plan = plan_context["plan"]
    indicators = plan_context["indicators"]
    groups: list[dict[str, Any]] = []
    by_code: dict[str, dict[str, Any]] = {}
    revisions: list[dict[str, Any]] = []
    for item in agreement.committed:
        group = item.group
        local = dict(indicators[item.code])
        local.update(
            target=item.target,
            renstra_target=item.renstra_target,
            revision=_local(item.revision, lang, doc, ("indicators",)),
            year=facts.year,
        )
        if item.revision is not None:
            revisions.append(local)
        by_code[item.code] = local
        if not groups or groups[-1]["code"] != group.code:
            groups.append(
                {
                    "level": group.level,
                    "code": group.code,
                    "text": localize(group.text, lang, renstra.doc, ()),
                    "name": _local(group.name, lang, renstra.doc, ()),
                    "indicators": [],
                }
            )
        groups[-1]["indicators"].append(local)
    programs = [
        {
            "code": a.code,
            "name": localize(a.name, lang, renstra.doc, ()),
            "budget": a.amount,
            "from_renstra": a.from_renstra,
        }
        for a in agreement.allocations
    ]
    return {
        "slug": slug,
        "year": facts.year,
        "date": facts.date,
        "place": facts.place,
        "number": facts.number,
        "signed": facts.signed,
        "unit": _local(facts.unit, lang, doc, ("unit",)),
        "level": "unit" if facts.unit is not None or facts.programs else "ministry",
        "organization": plan["organization"],
        "first_party": localize(facts.first_party.model_dump(), lang, doc, ("first_party",)),
        "second_party": localize(facts.second_party.model_dump(), lang, doc, ("second_party",)),
        "groups": groups,
        "indicators": by_code,
        "programs": programs,
        "total": agreement.total,
        "revisions": revisions,
        "renstra": {
            "slug": renstra.slug,
            "title": plan["title"],
            "short_title": plan["short_title"],
            "organization": plan["organization"],
            "period": plan["period"],
            "years": plan_context["years"],
        },
    }
