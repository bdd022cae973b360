"""The ``plan`` model: a strategic plan (the Renstra, ``content/renstra/<slug>/``, or any
kind shaped like it — a Renja is a ``kind.yaml`` with ``model: plan``).

The facts are a plan's (:class:`plandocs.model.plan.Plan`: period, vision, missions,
goals, strategic targets, programs and activities with their indicators, yearly targets
and budgets from CSV or XLSX tables); the prose is one Markdown file per chapter and
language (``shape: chapters``).

Chapters are rendered here, before the page template, because the front matter
needs what is in them: the table of contents their numbered headings, the lists of
tables and figures their captions, the list of abbreviations the glossary terms
they use. Each chapter's Markdown gets numbered sections and the ``{table} …``
blocks, whose tables come from the macros in ``templates/shared/renstra_tables.html``.
Chapter 0 (``0-kata-pengantar.md``) is the foreword: unnumbered, signed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2

from plandocs.content.glossary import GLOSSARY_FILE, abbreviations, load_glossary
from plandocs.errors import PlandocsError, Problems, TemplateError
from plandocs.kinds.letterhead import logo, logo_files
from plandocs.kinds.spec import KindSpec
from plandocs.kinds.templates import kind_env
from plandocs.model.renstra import Chapter, Renstra, load_renstra
from plandocs.project import Project
from plandocs.render.env import document_scope
from plandocs.render.located import TEMPLATES_DIR, explain, located, template_call, template_frame
from plandocs.render.markdown import BlockError, render_markdown
from plandocs.render.page import (
    RenderedDocument,
    document_context,
    draft_stamp,
    render_page,
    render_text,
)
from plandocs.render.sandbox import freeze, freeze_context
from plandocs.render.sourcelines import mark_lines
from plandocs.safety.urls import UrlPolicy

SHAPES = frozenset({"chapters"})
TABLES_TEMPLATE = "shared/renstra_tables.html"
"""The template whose macros a chapter's ``{table} name`` blocks place, unless the
kind names another (``blocks:``)."""
TABLE_PARTS = frozenset(
    {
        "caption", "breakable", "code", "num", "millions", "money_digits", "year_header",
        "target_cell", "indicator_row", "group_row", "matrix_item",
    }
)  # fmt: skip
"""Macros of the tables template that are pieces of a table, not tables a chapter may place."""


def roman(number: int) -> str:
    """Upper-case Roman numeral: 1 → I, 4 → IV, 14 → XIV."""
    parts = []
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        count, number = divmod(number, value)
        parts.append(letters * count)
    return "".join(parts)


def _chapter(
    project: Project, env: Any, chapter: Chapter, context: dict[str, Any], tables: Any
) -> dict[str, Any]:
    prose = chapter.prose
    title = render_text(env, prose.front.title, context, prose.path, prose.title_line)
    marked = mark_lines(prose.body, project.rel(prose.path), prose.body_line)
    body = render_text(env, marked, context, prose.path, prose.body_line)
    count = 0

    def table(name: str, options: str, line: int) -> str:
        nonlocal count
        macro = getattr(tables, name.replace("-", "_"), None)
        if name.startswith("_") or not isinstance(macro, jinja2.runtime.Macro):
            known = sorted(
                n.replace("_", "-")
                for n in dir(tables)
                if isinstance(getattr(tables, n), jinja2.runtime.Macro) and n not in TABLE_PARTS
            )
            raise BlockError(f"no table named {name!r}; the tables are: {', '.join(known)}", line)
        count += 1
        try:
            html = str(template_call(env, macro, f"{chapter.number}.{count}"))
        except PlandocsError:
            raise
        except Exception as exc:
            if template_frame(exc) is None:
                raise BlockError(f"the table {name!r} failed: {explain(exc)}", line) from None
            raise located(exc, prose.path) from None
        # The caption is the target of its entry in the list of tables.
        return html.replace("<caption", f'<caption id="tabel_{chapter.number}_{count}"', 1)

    try:
        urls = UrlPolicy(project.root, prose.path, prose.body_line)
        rendered = render_markdown(
            body,
            chapter=chapter.number or None,
            directive=table,
            urls=urls,
            figure_label=str(context["labels"].get("figure", "")) if chapter.number else "",
        )
    except BlockError as exc:
        raise TemplateError(str(exc), prose.path, prose.body_line + exc.line - 1) from None
    return {
        "number": chapter.number,
        "roman": roman(chapter.number),
        "title": title,
        "anchor": f"bab_{chapter.number}",
        "html": rendered.html,
        "headings": rendered.headings,
        "captions": _captions(rendered.html),
    }


_CAPTION = re.compile(
    r'<(caption|figure)\b[^>]*\bid="([^"]+)"[^>]*>.*?<span class="capnum"[^>]*>(.*?)</span>'
    r"(.*?)</(?:caption|figcaption)>",
    re.S,
)
_TAG = re.compile(r"<[^>]+>")


def _captions(html: str) -> list[dict[str, str]]:
    """The numbered tables and figures of a chapter: kind, anchor, label (``Tabel 2.1``)
    and caption."""
    import html as html_lib

    found = []
    for kind, anchor, number, text in _CAPTION.findall(html):
        found.append(
            {
                "kind": "table" if kind == "caption" else "figure",
                "anchor": anchor,
                "label": html_lib.unescape(_TAG.sub("", number)).strip(),
                "title": " ".join(html_lib.unescape(_TAG.sub("", text)).split()),
            }
        )
    return found


def _glossary(project: Project) -> tuple[list[Any], Path | None]:
    """The glossary's terms, and its file (an input of the document) if there is one."""
    result = Problems()
    terms = load_glossary(project.root, result)
    for diagnostic in result.diagnostics:
        if diagnostic.severity == "error":
            raise diagnostic.problem
    path = project.root / GLOSSARY_FILE
    return terms, path if path.is_file() else None


def _plain(html: str) -> str:
    import html as html_lib

    return html_lib.unescape(_TAG.sub(" ", html))


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
    blocks = spec.blocks or TABLES_TEMPLATE
    tables_path = project.root / TEMPLATES_DIR / blocks
    try:
        template = env.get_template(blocks)
        tables_path = Path(template.filename or tables_path)
        tables = template_call(env, template.make_module, freeze_context(context))
    except PlandocsError:
        raise
    except jinja2.TemplateNotFound:
        raise TemplateError(
            f"template {blocks!r} not found; it holds the tables of the plan",
            tables_path,
        ) from None
    except Exception as exc:
        raise located(exc, tables_path) from None
    rendered = [_chapter(project, env, ch, context, tables) for ch in renstra.chapters[lang]]
    context["foreword"] = freeze(next((ch for ch in rendered if ch["number"] == 0), None))
    chapters = [ch for ch in rendered if ch["number"] != 0]
    context["chapters"] = freeze(chapters)
    captions = [c for ch in chapters for c in ch["captions"]]
    context["list_of_tables"] = freeze([c for c in captions if c["kind"] == "table"])
    context["list_of_figures"] = freeze([c for c in captions if c["kind"] == "figure"])
    terms, glossary = _glossary(project)
    text = " ".join(_plain(str(ch["html"])) + " " + str(ch["title"]) for ch in rendered)
    context["abbreviations"] = freeze(abbreviations(terms, lang, text))
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
        pattern = spec.title if isinstance(spec.title, str) else spec.title.get(lang, "")
        title = render_text(env, pattern, context, spec.kind_file, spec.title_line).strip()
    html, templates = render_page(env, spec.template_name(lang), context)
    return RenderedDocument(
        html=html,
        title=title,
        lang=lang,
        author=context["author"],
        source=renstra.doc.path,
        templates=(*templates, *used, *logo_files(project), *([glossary] if glossary else [])),
        date=renstra.plan.date,
        today=stamp.date if stamp and stamp.today else None,
        pdf={"cover_label": context["labels"].get("cover", "")},
    )
