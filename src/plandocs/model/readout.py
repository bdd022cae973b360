"""Typed content: the language-neutral facts of a document and its prose per language.

Facts are validated once here; every date, number and name used in either language
comes from the same object, so the Indonesian and English versions cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from plandocs.content.prose import LocalText, Prose
from plandocs.content.yamlfile import YamlDoc
from plandocs.errors import ContentError
from plandocs.model.document import SingleDocument, top_level_facts
from plandocs.model.localize import localize
from plandocs.settings import Contact

RESERVED_NAMES = frozenset(
    {
        "lang", "l10n", "org", "settings", "title", "doc", "draft", "labels", "url_policy",
        "letterhead", "author", "logo",
    }
)  # fmt: skip


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Event(_Strict):
    """When and where the meeting took place."""

    start: dt.date | None = None
    end: dt.date | None = None
    time: dt.time | None = None
    timezone: Literal["WIB", "WITA", "WIT"] | None = None
    venue: str | LocalText | None = None

    @model_validator(mode="after")
    def _check_order(self) -> Event:
        if self.end is not None and self.start is None:
            raise ValueError("`end` is given without `start`; add the first day as `start`")
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"`end` ({self.end}) is before `start` ({self.start})")
        if self.time is not None and self.timezone is None:
            raise ValueError("`time` needs a `timezone`: WIB, WITA or WIT")
        return self


class Person(_Strict):
    """Someone quoted or named in the prose."""

    name: str = Field(min_length=1)
    position: str | LocalText | None = None


class Credits(_Strict):
    writer: str | None = None
    editor: str | None = None
    translator: str | None = None


class ReadoutFacts(BaseModel):
    """``readout.yaml``: the facts of a meeting readout, shared by both languages."""

    model_config = ConfigDict(extra="allow", frozen=True, defer_build=True)

    city: str = Field(min_length=1)
    date: dt.date
    event: Event | None = None
    people: dict[str, Person] = Field(default_factory=dict)
    times: dict[str, dt.time] = Field(default_factory=dict)
    """More times of day than the event's, by name (``closing: "14:30"``), for the
    ``time`` filter: ``{{ times.closing | time(event.timezone) }}``."""
    credits: Credits | None = None
    number: str | None = Field(None, min_length=1, max_length=60)
    """The press release's number, e.g. ``12/HUMAS/II/2024``."""
    contact: Contact | None = None
    """The press contact; without it, ``letterhead.contact`` from plandocs.yaml."""
    status: Literal["final", "draft"] = "final"
    version: int | None = Field(None, ge=1)
    single_language: Literal["id", "en"] | None = None
    """Set when the readout is published in one language only (no parity warning)."""

    @model_validator(mode="before")
    @classmethod
    def _no_reserved(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name in data:
                if name in RESERVED_NAMES:
                    raise ValueError(f"`{name}` is a name plandocs uses itself; rename this fact")
        return data


@dataclass(frozen=True)
class Readout(SingleDocument):
    """A meeting readout (press release): facts plus prose in one or both languages."""

    slug: str
    folder: Path
    facts: ReadoutFacts
    facts_doc: YamlDoc
    prose: dict[str, Prose] = field(default_factory=dict)
    prose_errors: dict[str, ContentError] = field(default_factory=dict)
    """Languages whose Markdown file exists but could not be read."""

    def languages(self) -> list[str]:
        return sorted({*self.prose, *self.prose_errors})

    def language_error(self, lang: str) -> ContentError | None:
        return self.prose_errors.get(lang)

    def sources(self, lang: str) -> list[Path]:
        """The content files that the ``lang`` version is made from."""
        return [self.facts_doc.path, self.prose[lang].path]

    def prose_files(self) -> dict[str, list[Prose]]:
        """The Markdown files per language, for the bilingual checks."""
        return {lang: [prose] for lang, prose in self.prose.items()}

    def single_language(self) -> str | None:
        """The language it is published in alone, if it is."""
        return self.facts.single_language

    def fact_expressions(self) -> dict[str, str]:
        return top_level_facts(self.facts.model_dump())

    def indicator_values(self) -> dict[str, set[str]]:
        """A readout names no plan indicators of its own."""
        return {}

    def context(self, lang: str) -> dict[str, Any]:
        """The facts as template variables, with per-language text resolved to ``lang``;
        a person's name never broken over two lines (no-break spaces in it)."""
        data = self.facts.model_dump(mode="python")
        resolved = localize(data, lang, self.facts_doc, ())
        assert isinstance(resolved, dict)
        for person in (resolved.get("people") or {}).values():
            if isinstance(person, dict) and isinstance(person.get("name"), str):
                person["name"] = person["name"].replace(" ", "\u00a0")
        return resolved


__all__ = [
    "ContentError",
    "Credits",
    "Event",
    "Person",
    "Readout",
    "ReadoutFacts",
]
