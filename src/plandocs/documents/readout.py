"""Meeting readouts (press releases): ``content/readouts/<slug>/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plandocs.content.readouts import load_readout
from plandocs.documents import Kind
from plandocs.model import Readout
from plandocs.project import Project
from plandocs.render import (
    RenderedDocument,
    document_context,
    document_scope,
    draft_stamp,
    render_page,
    render_text,
)
from plandocs.safety import UrlPolicy, resolve_inside
from plandocs.sandbox import freeze
from plandocs.sourcelines import mark_lines


def render(project: Project, readout: Readout, lang: str, draft: bool = False) -> RenderedDocument:
    """The HTML of one readout in one language, within the document's budget."""
    with document_scope(project.settings, lang, readout.prose[lang].path) as state:
        return _render(project, readout, lang, draft, state)


def _render(
    project: Project, readout: Readout, lang: str, draft: bool, state: Any
) -> RenderedDocument:
    env, settings = project.env, project.settings
    prose = readout.prose[lang]
    context: dict[str, Any] = freeze(readout.context(lang))
    context = dict(context)
    stamp = draft_stamp(settings, readout.facts.status, readout.facts.version, draft)
    used = document_context(env, context, settings, lang, stamp, readout.facts.date)
    title = render_text(env, prose.front.title, context, prose.path, prose.title_line)
    subtitle = prose.front.subtitle
    context["title"] = title
    context["subtitle"] = (
        render_text(env, subtitle, context, prose.path, prose.subtitle_line) if subtitle else None
    )
    marked = mark_lines(prose.body, project.rel(prose.path), prose.body_line)
    context["body"] = render_text(env, marked, context, prose.path, prose.body_line)
    state.urls = UrlPolicy(project.root, prose.path, prose.body_line)
    html, templates = render_page(env, f"{lang}/readout.html", context)
    org = settings.org(lang)
    return RenderedDocument(
        html=html,
        title=title,
        lang=lang,
        author=f"{org.unit}, {org.name}",
        source=prose.path,
        templates=(*templates, *used),
        date=readout.facts.date,
        today=stamp.date if stamp and stamp.today else None,
    )


def _load(project: Project, folder: Path) -> Readout:
    resolve_inside(project.root, folder, "document folder")
    return load_readout(folder)


KIND = Kind(name="readouts", load=_load, render=render)
