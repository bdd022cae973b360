"""Meeting readouts (press releases): ``content/readouts/<slug>/``.

A press release opens with the ministry's letterhead (``letterhead:`` in
plandocs.yaml), the heading SIARAN PERS / PRESS RELEASE and its number, and closes
with the credits, the signature and the press contact.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plandocs.errors import SettingsError
from plandocs.kinds.registry import Kind
from plandocs.model.readout import Readout, typographic_quotes
from plandocs.model.readouts import load_readout
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
from plandocs.settings import SETTINGS_FILE, Contact, Settings


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
    org = settings.org(lang)
    context["author"] = f"{org.unit}, {org.name}"
    context["letterhead"] = freeze(letterhead(project, lang))
    contact, where = readout.facts.contact, readout.facts_doc.path
    if contact is None and settings.letterhead is not None:
        contact, where = settings.letterhead.contact, project.root / SETTINGS_FILE
    context["contact"] = freeze(_contact(contact, lang, where)) if contact else None
    html, templates = render_page(env, f"{lang}/readout.html", context)
    return RenderedDocument(
        html=html,
        title=title,
        lang=lang,
        author=context["author"],
        source=prose.path,
        templates=(*templates, *used, *_logo_file(project)),
        date=readout.facts.date,
        today=stamp.date if stamp and stamp.today else None,
    )


def letterhead(project: Project, lang: str) -> dict[str, Any] | None:
    """The letterhead in ``lang``: the logo (path, height) and its lines."""
    settings: Settings = project.settings
    head = settings.letterhead
    if head is None:
        return None
    for name, lines in (("lines", head.lines), ("address", head.address)):
        if lines and lang not in lines:
            raise SettingsError(
                f"`letterhead.{name}` has no `{lang}` lines; add `{lang}: [...]` beside the others",
                SETTINGS_FILE,
            )
    logo = settings.logo_path(project.root)
    return {
        "logo": {"src": project.rel(logo), "height_cm": head.logo_height_cm} if logo else None,
        "lines": [typographic_quotes(x) for x in head.lines.get(lang, ())],  # type: ignore[call-overload]
        "address": [typographic_quotes(x) for x in head.address.get(lang, ())],  # type: ignore[call-overload]
    }


def _logo_file(project: Project) -> tuple[Path, ...]:
    """The logo file, an input of every document that shows it."""
    logo = project.settings.logo_path(project.root)
    return (logo,) if logo else ()


def _contact(contact: Contact, lang: str, where: Path) -> dict[str, str | None]:
    def local(value: str | dict[str, str] | None, field: str) -> str | None:
        if not isinstance(value, dict):
            return value
        if lang not in value:
            raise SettingsError(
                f"the press contact's `{field}` has no `{lang}` text; add `{lang}: …` beside it",
                where,
            )
        return value[lang]

    return {
        "name": local(contact.name, "name"),  # type: ignore[arg-type]
        "position": local(contact.position, "position"),  # type: ignore[arg-type]
        "phone": contact.phone,
        "email": contact.email,
    }


def _load(project: Project, folder: Path) -> Readout:
    resolve_inside(project.root, folder, "document folder")
    return load_readout(folder)


KIND = Kind(name="readouts", load=_load, render=render)
