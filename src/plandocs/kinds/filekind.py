"""Documents of a kind defined by files (``kinds/<name>/``, see :mod:`plandocs.kinds.spec`).

The templates get the facts resolved to the document's language (``{id, en}`` text),
dates and times as such, the data tables as plain records, and — for a kind with
parts — ``part`` (the code of this document, or none for the recap) and ``parts``
(every code with its name). Also what every document gets: ``labels``, ``org``,
``letterhead``, ``settings``, ``draft``, ``title``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plandocs.kinds.registry import Kind
from plandocs.kinds.spec import FileDocument, KindSpec, fact, load_document, load_spec
from plandocs.model.readout import localize
from plandocs.project import Project
from plandocs.render.page import (
    RenderedDocument,
    document_context,
    document_scope,
    draft_stamp,
    render_page,
    render_text,
)
from plandocs.render.sandbox import freeze
from plandocs.render.sourcelines import mark_lines
from plandocs.safety.paths import UrlPolicy, resolve_inside


def render(
    project: Project, document: FileDocument, lang: str, draft: bool = False
) -> RenderedDocument:
    """The HTML of one document (or one part) of a file-defined kind in ``lang``."""
    source = document.prose[lang].path if lang in document.prose else document.facts_doc.path
    with document_scope(project.settings, lang, source) as state:
        return _render(project, document, lang, draft, state, source)


def _render(
    project: Project, document: FileDocument, lang: str, draft: bool, state: Any, source: Path
) -> RenderedDocument:
    from plandocs.kinds.readout import _logo_file, letterhead

    env, settings, spec = project.env, project.settings, document.spec
    facts = document.facts
    context: dict[str, Any] = dict(freeze(localize(facts, lang, document.facts_doc, ())))
    status = facts.get("status") if isinstance(facts.get("status"), str) else "final"
    version = facts.get("version") if isinstance(facts.get("version"), int) else None
    stamp = draft_stamp(settings, str(status), version, draft)
    day = fact(facts, spec.date) if spec.date else None
    used = document_context(env, context, settings, lang, stamp, day)
    context["tables"] = freeze(document.tables)
    if spec.parts is not None:
        where = spec.parts.names or ""
        names = fact(facts, where) if where else None
        named: dict[str | None, Any] = {
            str(entry.get("code")): entry
            for entry in localize(names or [], lang, document.facts_doc, (where,))
            if isinstance(entry, dict)
        }
        codes = sorted(document.part_digests)
        context["parts"] = freeze([named.get(c, {"code": c, "name": c}) for c in codes])
        context["part"] = freeze(named.get(document.part, {"code": document.part}))
        if document.part is None:
            context["part"] = None
    org = settings.org(lang)
    context["author"] = f"{org.unit}, {org.name}"
    context["letterhead"] = letterhead(project, lang)
    if lang in document.prose:
        prose = document.prose[lang]
        context["title"] = render_text(
            env, prose.front.title, context, prose.path, prose.title_line
        )
        marked = mark_lines(prose.body, project.rel(prose.path), prose.body_line)
        context["body"] = render_text(env, marked, context, prose.path, prose.body_line)
        state.urls = UrlPolicy(project.root, prose.path, prose.body_line)
        title = context["title"]
    else:
        state.urls = UrlPolicy(project.root, document.facts_doc.path, 1)
        pattern = spec.title
        if isinstance(pattern, dict):
            pattern = pattern.get(lang) or next(iter(pattern.values()))
        title = render_text(env, pattern, context, spec.kind_file, spec.title_line).strip()
        context.setdefault("title", title)
        context["document_title"] = title
    html, templates = render_page(env, spec.template_name(lang), context)
    return RenderedDocument(
        html=html,
        title=title,
        lang=lang,
        author=context["author"],
        source=source,
        templates=(*templates, *used, *_logo_file(project)),
        date=day if day is not None and hasattr(day, "isoformat") else None,
        today=stamp.date if stamp and stamp.today else None,
    )


def make_kind(project_root: Path, name: str) -> Kind:
    """The :class:`Kind` the build uses for ``kinds/<name>/``."""

    def load(project: Project, folder: Path) -> FileDocument:
        resolve_inside(project.root, folder, "document folder")
        spec: KindSpec = load_spec(project.root, name)
        settings = project.settings
        return load_document(
            project.root, spec, folder, tuple(settings.languages), settings.number_style
        )

    return Kind(name=name, load=load, render=render)
