"""What several kinds print the same way: the ministry's letterhead, its logo, and the
press contact, in one language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plandocs.errors import SettingsError
from plandocs.model.localize import typographic_quotes
from plandocs.project import Project
from plandocs.settings import SETTINGS_FILE, Contact, Settings


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


def logo_files(project: Project) -> tuple[Path, ...]:
    """The logo file, an input of every document that shows it."""
    logo = project.settings.logo_path(project.root)
    return (logo,) if logo else ()


def logo(project: Project) -> dict[str, Any] | None:
    """The letterhead's logo for a cover: its path in the project and its height."""
    head = project.settings.letterhead
    path = project.settings.logo_path(project.root)
    if head is None or path is None:
        return None
    return {"src": project.rel(path), "height_cm": head.logo_height_cm}


def contact(contact: Contact, lang: str, where: Path) -> dict[str, str | None]:
    """The press contact in ``lang``; a text missing in that language is an error at
    ``where`` (the file that gave the contact)."""

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
