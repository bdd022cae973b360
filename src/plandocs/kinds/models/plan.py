"""The ``plan`` model: a strategic plan (the Renstra, ``content/renstra/<slug>/``, or any
kind shaped like it — a Renja is a ``kind.yaml`` with ``model: plan``).

The facts are a plan's (:class:`plandocs.model.plan.Plan`: period, vision, missions,
goals, strategic targets, programs and activities with their indicators, yearly targets
and budgets from CSV or XLSX tables); the prose is one Markdown file per chapter and
language (``shape: chapters``).

Chapters are rendered before the page template (:mod:`plandocs.kinds.chapters`): the
front matter needs what is in them. Their ``{table} …`` blocks come from the macros in
``templates/shared/renstra_tables.html``; a ``{chart} bar`` block draws a figure from a
fact. Chapter 0 (``0-kata-pengantar.md``) is the foreword: unnumbered, signed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plandocs.kinds.chapters import blocks_module, front_matter, render_chapter
from plandocs.kinds.letterhead import logo, logo_files
from plandocs.kinds.spec import KindSpec
from plandocs.kinds.templates import kind_env
from plandocs.model.plan import plan_text
from plandocs.model.renstra import Renstra, load_renstra
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

SHAPES = frozenset({"chapters"})
TABLES_TEMPLATE = "shared/renstra_tables.html"
"""The template whose macros a chapter's ``{table} name`` blocks place, unless the
kind names another (``blocks:``)."""
TABLE_PARTS = frozenset(
    {
        "caption", "continued_caption", "breakable", "code", "num", "millions",
        "money_digits", "year_header",
        "target_cell", "indicator_row", "group_row", "matrix_item",
    }
)  # fmt: skip
"""Macros of the tables template that are pieces of a table, not tables a chapter may place."""


def load(project: Project, spec: KindSpec, folder: Path) -> Renstra:
    """The plan in ``folder``: its facts, data tables and chapters per language."""
    return load_renstra(project.root, folder, project.settings.number_style, spec.facts)


def load_facts(project: Project, spec: KindSpec, folder: Path) -> Renstra:
    """The plan's facts and data tables, its chapters unread: what a Perjanjian Kinerja,
    a Laporan Kinerja or a press release that cites the plan is made from."""
    return load_renstra(
        project.root, folder, project.settings.number_style, spec.facts, chapters=False
    )


def render(
    project: Project, spec: KindSpec, renstra: Renstra, lang: str, draft: bool = False
) -> RenderedDocument:
    """The HTML of the whole plan in one language: cover, contents, chapters, annexes."""
    with document_scope(project.settings, lang, renstra.doc.path):
        return _render(project, spec, renstra, lang, draft)


def _render(
    project: Project, spec: KindSpec, renstra: Renstra, lang: str, draft: bool
) -> RenderedDocument:
    env, settings = kind_env(project, spec), project.settings
    context: dict[str, Any] = dict(freeze(renstra.context(lang)))
    stamp = draft_stamp(settings, renstra.plan.status, renstra.plan.version, draft)
    used = document_context(env, context, settings, lang, stamp, renstra.plan.date)
    tables = blocks_module(project, env, spec.blocks or TABLES_TEMPLATE, context, "the plan")
    rendered = [
        render_chapter(project, env, ch.number, ch.prose, context, tables, TABLE_PARTS)
        for ch in renstra.chapters[lang]
    ]
    context["foreword"] = freeze(next((ch for ch in rendered if ch["number"] == 0), None))
    glossary_file = front_matter(
        project,
        context,
        rendered,
        lang,
        plan_text(renstra.doc.data, lang),  # the tables and annexes
    )
    plan = dict(context["plan"])
    if plan["signature"] is not None and plan["signature"]["date"] is None:
        # The plan is signed on its own date unless the signature says otherwise.
        plan["signature"] = {**plan["signature"], "date": renstra.plan.date}
        context["plan"] = freeze(plan)
    context["title"] = plan["title"]
    context["author"] = (
        f"{plan['unit']}, {plan['organization']}" if plan["unit"] else plan["organization"]
    )
    context["logo"] = freeze(logo(project))
    title = f"{plan['title']} {renstra.plan.period.start}–{renstra.plan.period.end}"
    if spec.title is not None:
        pattern = spec.title_pattern(lang)
        title = render_text(env, pattern, context, spec.kind_file, spec.title_line).strip()
    html, templates = render_page(env, spec.template_name(lang), context)
    return RenderedDocument(
        html=html,
        title=title,
        lang=lang,
        author=context["author"],
        source=renstra.doc.path,
        templates=(
            *templates,
            *used,
            *logo_files(project),
            *([glossary_file] if glossary_file else []),
        ),
        date=renstra.plan.date,
        today=stamp.date if stamp and stamp.today else None,
        pdf={"cover_label": context["labels"].get("cover", "")},
    )
