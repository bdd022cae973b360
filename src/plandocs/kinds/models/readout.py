"""The ``readout`` model: meeting readouts (press releases), ``content/readouts/<slug>/``.

The facts are a readout's (:class:`plandocs.model.readout.ReadoutFacts`: city, date,
event, people, credits, number, contact), checked with plandocs' own messages; the prose
is ``id.md`` / ``en.md``, each with its title. A press release opens with the ministry's
letterhead (``letterhead:`` in plandocs.yaml), the heading SIARAN PERS / PRESS RELEASE
and its number, and closes with the credits, the signature and the press contact.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plandocs.kinds.letterhead import contact as local_contact
from plandocs.kinds.letterhead import letterhead, logo_files
from plandocs.kinds.spec import KindSpec
from plandocs.kinds.templates import kind_env
from plandocs.model.readout import Readout
from plandocs.model.readouts import load_readout
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
from plandocs.render.sourcelines import mark_lines
from plandocs.safety.urls import UrlPolicy
from plandocs.settings import SETTINGS_FILE

SHAPES = frozenset({"single"})


def load(project: Project, spec: KindSpec, folder: Path) -> Readout:
    """The readout in ``folder``: its facts and whichever language files it has."""
    return load_readout(folder, spec.facts)


def render(
    project: Project, spec: KindSpec, readout: Readout, lang: str, draft: bool = False
) -> RenderedDocument:
    """The HTML of one readout in one language, within the document's budget."""
    with document_scope(project.settings, lang, readout.prose[lang].path) as state:
        return _render(project, spec, readout, lang, draft, state)


def _render(
    project: Project, spec: KindSpec, readout: Readout, lang: str, draft: bool, state: Any
) -> RenderedDocument:
    env, settings = kind_env(project, spec), project.settings
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
    org = settings.org(lang)
    context["author"] = f"{org.unit}, {org.name}"
    context["letterhead"] = freeze(letterhead(project, lang))
    contact, where = readout.facts.contact, readout.facts_doc.path
    if contact is None and settings.letterhead is not None:
        contact, where = settings.letterhead.contact, project.root / SETTINGS_FILE
    context["contact"] = freeze(local_contact(contact, lang, where)) if contact else None
    html, templates = render_page(env, spec.template_name(lang), context)
    return RenderedDocument(
        html=html,
        title=title,
        lang=lang,
        author=context["author"],
        source=prose.path,
        templates=(*templates, *used, *logo_files(project)),
        date=readout.facts.date,
        today=stamp.date if stamp and stamp.today else None,
    )
