"""The ``report`` model: a Laporan Kinerja (LKj), ``content/lkj/<slug>/``.

::

    lkj.yaml                 the PK it reports on, the date, the data tables, who signs
    data/realisasi.csv       a row per indicator: code, then a column per year
    data/anggaran.csv        a row per program: code, the year's budget realisation
    id/0-ikhtisar-eksekutif.md, id/1-pendahuluan.md … and en/… : the chapters

Its PK is loaded through the pipeline, and with it the PK's Renstra: every target shown
is the PK's, every indicator's name, unit and polarity the Renstra's. Realisations are
read with the same number rules as the Renstra's targets; the achievement of each
indicator is computed (:mod:`plandocs.model.achievement`), never typed. The chapters are
written as a Renstra's (:mod:`plandocs.kinds.chapters`); their blocks come from the
kind's ``shared/lkj_blocks.html``: the tables of chapters II and III and the charts.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from plandocs import LANGUAGES
from plandocs.content.folders import warn_ignored
from plandocs.content.numbers import Style
from plandocs.content.prose import Lang, Prose
from plandocs.content.tables import Row, read_table
from plandocs.content.validate import validate
from plandocs.content.yamlfile import YamlDoc, parse_yaml
from plandocs.errors import ContentError, ContentErrors, describe
from plandocs.kinds.chapters import blocks_module, front_matter, render_chapter
from plandocs.kinds.letterhead import logo, logo_files
from plandocs.kinds.models.agreement import AgreementDocument
from plandocs.kinds.origins import agreement_origins, report_origins
from plandocs.kinds.spec import KindSpec
from plandocs.kinds.templates import kind_env
from plandocs.model.achievement import Achievement, ReportFacts, Spending, achievements, spending
from plandocs.model.document import Origin, SingleDocument, fact_expressions
from plandocs.model.localize import localize
from plandocs.model.plan import DataFile
from plandocs.model.references import referenced
from plandocs.model.renstra import Chapter, chapter_parity, load_chapters
from plandocs.project import Project
from plandocs.render.env import document_scope
from plandocs.render.page import (
    RenderedDocument,
    document_context,
    draft_stamp,
    render_page,
    render_text,
)
from plandocs.render.sandbox import freeze
from plandocs.safety.paths import is_dir, is_file, present, resolve_inside
from plandocs.safety.reader import read_text

SHAPES = frozenset({"chapters"})
BLOCKS = "shared/lkj_blocks.html"


@dataclass
class ReportDocument(SingleDocument):
    """An LKj: its facts, its PK (and the PK's Renstra), the achievements and budget
    realisation computed, the chapters per language."""

    slug: str
    folder: Path
    doc: YamlDoc
    facts: ReportFacts
    pk: AgreementDocument
    achievements: list[Achievement]
    spending: list[Spending]
    data_files: tuple[Path, ...]
    chapters: dict[str, list[Chapter]] = field(default_factory=dict)
    chapter_errors: dict[str, ContentError] = field(default_factory=dict)
    kind_files: tuple[Path, ...] = ()
    number_style: Style | None = None
    """The project's, for a data table that does not say how it writes numbers."""

    def sources(self, lang: str) -> list[Path]:
        chapters = [c.prose.path for c in self.chapters.get(lang, [])]
        own = [self.doc.path, *self.data_files, *chapters]
        return [*own, *self.pk.fact_files(), *self.kind_files]

    def row_inputs(self, rel: Callable[[Path], str]) -> dict[str, str]:
        """The rows of the Renstra's targets its PK shows (so this report shows too)."""
        return self.pk.row_inputs(rel)

    def languages(self) -> list[str]:
        return sorted({*self.chapters, *self.chapter_errors})

    def language_error(self, lang: str) -> ContentError | None:
        return self.chapter_errors.get(lang)

    def prose_files(self) -> dict[str, list[Prose]]:
        return {lang: [c.prose for c in chapters] for lang, chapters in self.chapters.items()}

    def single_language(self) -> str | None:
        return self.facts.single_language

    def fact_expressions(self) -> dict[str, str]:
        """Realisations and achievements → the expressions that write them."""
        pairs: list[tuple[Any, str]] = []
        for item in self.achievements:
            code = item.committed.code
            pairs.append(
                (item.realisation, f'{{{{ achievements["{code}"].realisation | number }}}}')
            )
            pairs.append((item.capaian, f'{{{{ achievements["{code}"].capaian | percent }}}}'))
            pairs.append(
                (item.committed.target, f'{{{{ achievements["{code}"].target | number }}}}')
            )
        return fact_expressions(pairs)

    def indicator_values(self) -> dict[str, set[str]]:
        return {}


def _data(
    root: Path, folder: Path, doc: YamlDoc, key: str, spec: DataFile, year: int, numbers: Any
) -> tuple[list[Row], Path]:
    """One data table of the report, its year's column required; a file that is not
    there is an error at its line of lkj.yaml."""
    at = ("data", key)
    name = spec.path.partition("#")[0]
    try:
        path = resolve_inside(root, folder / name, "data file")
    except ContentError as exc:
        raise doc.error(f"{spec.path}: {exc.message}", at) from None
    if not is_file(path):
        if os.path.lexists(path):
            raise doc.error(
                f"data file {name} is not a regular file (a folder, a pipe or a device); "
                "save the table there as a .csv or .xlsx file",
                at,
            )
        raise doc.error(f"data file {name} not found beside {doc.path.name}", at)
    try:
        return read_table(
            root, spec.path, folder, range(year, year + 1), spec.numbers or numbers
        ), path
    except ContentError:
        raise
    except Exception as exc:  # a damaged workbook can fail deep inside openpyxl
        raise ContentError(
            f"cannot read this table ({describe(exc)}); save it again as .xlsx or .csv", path
        ) from None


def load(project: Project, spec: KindSpec, folder: Path) -> ReportDocument:
    """The LKj in ``folder``: its PK through the pipeline, the realisations set against
    the PK's targets, the chapters per language. Every problem at its file and line."""
    path = folder / spec.facts
    if not present(path):
        raise ContentError(
            f"no {spec.facts} in this folder; a performance report starts from it "
            f"(`plandocs new {spec.name} <name>` makes one from the kind's example)",
            folder,
        )
    warn_ignored(
        folder, (spec.facts,), f"a performance report reads {spec.facts}, its data and id/, en/"
    )
    doc = parse_yaml(read_text(path, "YAML file"), path)
    numbers = project.settings.number_style
    facts = validate(doc, ReportFacts, {"number_style": numbers})
    where = doc.error("", ("pk",))
    pk = referenced("pk", facts.pk, where)
    if not isinstance(pk, AgreementDocument):
        raise ContentError(
            f"content/pk/{facts.pk} is not a performance agreement; name the PK this report "
            "reports on",
            where.path,
            where.line,
            where.column,
        )
    agreement = pk.agreement
    year, renstra = agreement.facts.year, f"content/renstra/{agreement.facts.renstra}"
    errors: list[ContentError] = []
    found: list[Achievement] = []
    spent: list[Spending] = []
    files: list[Path] = []
    for key, data in (("realisations", facts.data.realisations), ("budgets", facts.data.budgets)):
        if data is None:
            continue
        try:
            rows, table = _data(project.root, folder, doc, key, data, year, numbers)
        except ContentError as exc:
            errors.extend(getattr(exc, "errors", None) or [exc])
            continue
        files.append(table)
        if key == "realisations":
            found, problems = achievements(
                agreement, rows, table, project.settings.performance, renstra
            )
        else:
            spent, problems = spending(agreement, rows, table)
        errors += problems
    if errors:
        raise ContentErrors(errors)
    chapters: dict[str, list[Chapter]] = {}
    chapter_errors: dict[str, ContentError] = {}
    lang: Lang
    for lang in LANGUAGES:  # type: ignore[assignment]
        if not is_dir(folder / lang):
            continue
        try:
            chapters[lang] = load_chapters(folder, lang)
        except ContentError as exc:
            chapter_errors[lang] = exc
    if facts.single_language is None:
        chapter_errors.update(chapter_parity(chapters, folder))
    if not chapters and not chapter_errors:
        raise ContentError("no chapters here; add id/1-pendahuluan.md (and en/…)", folder)
    return ReportDocument(
        folder.name, folder, doc, facts, pk, found, spent, tuple(files), chapters,
        chapter_errors, spec.files, numbers,
    )  # fmt: skip


def load_facts(project: Project, spec: KindSpec, folder: Path) -> ReportDocument:
    """Nothing refers to a report's facts alone: the whole report."""
    return load(project, spec, folder)


def origins(document: ReportDocument, lang: str) -> list[Origin]:
    """Where each value the report prints in ``lang`` is written (for ``plandocs
    review``): its PK's as the PK says, and its own data's."""
    data, style = document.facts.data, document.number_style
    budgets = data.budgets.numbers if data.budgets else None
    styles = (data.realisations.numbers or style, budgets or style)
    pk, doc = document.pk, document.doc
    found = agreement_origins(pk.agreement, pk.renstra, lang)
    signature = document.facts.signature
    dated = ("signature", "date") if signature and signature.date else ("date",)
    found.append(Origin(document.facts.date, doc.error("", ("date",)), "date"))
    if signature is not None:
        found.append(Origin(signature.date or document.facts.date, doc.error("", dated), "date"))
    return report_origins(
        found, pk.renstra, document.achievements, document.spending, pk.facts.year, styles
    )


def report_view(document: ReportDocument, lang: str) -> dict[str, Any]:
    """What the report's templates and chapters get besides the PK: ``achievements`` by
    code (and ``achievement_list`` in the PK's order), ``budget``, ``summary``."""
    pk = document.pk.view(lang)
    renstra = pk["renstra"]
    end = renstra["period"]["end"]
    items = []
    for item in document.achievements:
        shown = dict(pk["indicators"][item.committed.code])
        shown.update(
            realisation=item.realisation,
            capaian=item.capaian,
            uncapped=item.uncapped,
            capped=item.capaian != item.uncapped,
            predicate=localize(item.predicate.label, lang, document.doc, ()),
            earlier=item.earlier,
            end_year=end,
            end_target=shown["targets"].get(end),
        )
        items.append(shown)
    counts: dict[str, int] = {}
    # The ratings met, from the highest band down.
    for item in sorted(document.achievements, key=lambda a: -a.predicate.at_least):
        label = localize(item.predicate.label, lang, document.doc, ())
        counts[label] = counts.get(label, 0) + 1
    ceiling = sum((s.allocation.amount for s in document.spending), Decimal(0))
    realised = sum((s.realisation for s in document.spending), Decimal(0))
    programs = {p["code"]: p for p in pk["programs"]}
    budget = {
        "programs": [
            {
                "code": s.allocation.code,
                "name": programs[s.allocation.code]["name"],
                "ceiling": s.allocation.amount,
                "realisation": s.realisation,
                "percent": s.percent,
            }
            for s in document.spending
        ],
        "ceiling": ceiling,
        "realisation": realised,
        "percent": (realised * 100 / ceiling).quantize(Decimal("0.01")) if ceiling else None,
    }
    return {
        "pk": pk,
        "achievements": {shown["code"]: shown for shown in items},
        "achievement_list": items,
        "budget": budget,
        "summary": {
            "count": len(items),
            "predicates": [{"label": label, "count": n} for label, n in counts.items()],
            "met": sum(1 for shown in items if shown["capaian"] >= 100),
        },
        "years": renstra["years"],
    }


def render(
    project: Project, spec: KindSpec, document: ReportDocument, lang: str, draft: bool = False
) -> RenderedDocument:
    """The whole report in ``lang``: cover, executive summary, contents, chapters, annex."""
    with document_scope(project.settings, lang, document.doc.path):
        return _render(project, spec, document, lang, draft)


def _render(
    project: Project, spec: KindSpec, document: ReportDocument, lang: str, draft: bool
) -> RenderedDocument:
    env, settings, facts = kind_env(project, spec), project.settings, document.facts
    context: dict[str, Any] = dict(freeze(report_view(document, lang)))
    local = localize(facts.model_dump(mode="python"), lang, document.doc, ())
    signature = local["signature"]
    if signature is not None and signature["date"] is None:
        signature["date"] = facts.date
    context["lkj"] = freeze(local)
    context["performance"] = freeze(
        {
            "less_is_better": settings.performance.less_is_better,
            "cap_percent": settings.performance.cap_percent,
            "predicates": [
                {"at_least": band.at_least, "label": band.label.get(lang)}  # type: ignore[call-overload]
                for band in settings.performance.predicates
            ],
        }
    )
    stamp = draft_stamp(settings, facts.status, facts.version, draft)
    used = document_context(env, context, settings, lang, stamp, facts.date)
    blocks = blocks_module(project, env, spec.blocks or BLOCKS, context, "the report")
    rendered = [
        render_chapter(project, env, ch.number, ch.prose, context, blocks)
        for ch in document.chapters[lang]
    ]
    context["summary_chapter"] = freeze(next((ch for ch in rendered if ch["number"] == 0), None))
    glossary_file = front_matter(project, context, rendered, lang)
    unit = local["unit"]
    org = settings.org(lang)
    organization = context["pk"]["organization"]
    context["author"] = f"{unit}, {organization}" if unit else f"{org.unit}, {org.name}"
    context["logo"] = freeze(logo(project))
    pattern = spec.title_pattern(lang)
    title = render_text(env, pattern, context, spec.kind_file, spec.title_line).strip()
    context["title"] = context["document_title"] = title
    html, templates = render_page(env, spec.template_name(lang), context)
    return RenderedDocument(
        html=html,
        title=title,
        lang=lang,
        author=context["author"],
        source=document.doc.path,
        templates=(
            *templates,
            *used,
            *logo_files(project),
            *([glossary_file] if glossary_file else []),
        ),
        date=facts.date,
        today=stamp.date if stamp and stamp.today else None,
    )
