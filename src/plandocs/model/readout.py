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

from plandocs.content.yamlfile import Loc, YamlDoc
from plandocs.errors import ContentError
from plandocs.settings import Contact

Lang = Literal["id", "en"]
LocalText = dict[Lang, str]
"""Text given once per language: ``{id: Plt. Kepala Biro Perencanaan, en: Acting Head …}``."""

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


class FrontMatter(_Strict):
    """The YAML block at the top of a language's Markdown file."""

    title: str = Field(min_length=1)
    subtitle: str | None = None


@dataclass(frozen=True)
class Prose:
    """One language's Markdown file: its front matter and its body."""

    path: Path
    lang: Lang
    front: FrontMatter
    body: str
    body_line: int
    """1-based line of the file on which ``body`` starts."""
    title_line: int = 2
    """1-based line of ``title:`` (its value) in the front matter."""
    subtitle_line: int = 2


@dataclass(frozen=True)
class Readout:
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


_OPENING = frozenset(" \t\n([{\u2013\u2014/-")


def typographic_quotes(text: str) -> str:
    """Straight quotes as the documents print them: ``"x"`` → “x”, ``'x'`` → ‘x’, and an
    apostrophe (``Ma'ruf``) → ’. Indonesian and English both use these marks, as the
    prose does; a fact typed with straight quotes must not stand out beside it."""
    if '"' not in text and "'" not in text:
        return text
    out: list[str] = []
    for index, char in enumerate(text):
        before = text[index - 1] if index else " "
        opening = before in _OPENING
        if char == '"':
            out.append("\u201c" if opening else "\u201d")
        elif char == "'":
            out.append("\u2018" if opening else "\u2019")
        else:
            out.append(char)
    return "".join(out)


def _is_local_text(value: object) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and set(value) <= {"id", "en"}
        and all(isinstance(v, str) for v in value.values())
    )


def localize(value: Any, lang: str, doc: YamlDoc, loc: Loc) -> Any:
    """Replace every ``{id: …, en: …}`` text in ``value`` by its ``lang`` text, with
    typographic quotes."""
    if isinstance(value, str):
        return typographic_quotes(value)
    if _is_local_text(value):
        if lang not in value:
            other = next(iter(value))
            raise doc.error(
                f"`{'.'.join(map(str, loc))}` has no `{lang}` text (only `{other}`); "
                f"add `{lang}: …` beside it",
                loc,
            )
        return typographic_quotes(value[lang])
    if isinstance(value, dict):
        return {k: localize(v, lang, doc, (*loc, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [localize(v, lang, doc, (*loc, i)) for i, v in enumerate(value)]
    return value


__all__ = [
    "ContentError",
    "Credits",
    "Event",
    "FrontMatter",
    "Lang",
    "LocalText",
    "Person",
    "Prose",
    "Readout",
    "ReadoutFacts",
]
