"""The project settings file ``plandocs.yaml`` → a frozen, typed :class:`Settings`."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from plandocs.content.validate import validate
from plandocs.content.yamlfile import YamlDoc, load_yaml
from plandocs.errors import SettingsError

SETTINGS_FILE = "plandocs.yaml"

Lang = Literal["id", "en"]

# Font names end up inside CSS and Word XML: letters, digits, spaces and dashes only.
FontName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9 \-]*$", max_length=60)]

PAPER_MM: dict[str, tuple[float, float]] = {
    "A4": (210.0, 297.0),
    "F4": (215.0, 330.0),
    "Letter": (215.9, 279.4),
}


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Organization(_Frozen):
    """The publishing organization as it signs in one language."""

    unit: str = Field(min_length=1)
    name: str = Field(min_length=1)


class Margins(_Frozen):
    top: float = Field(2.0, ge=0, le=10)
    bottom: float = Field(2.5, ge=0, le=10)
    left: float = Field(3.0, ge=0, le=10)
    right: float = Field(2.0, ge=0, le=10)


class Page(_Frozen):
    size: Literal["A4", "F4", "Letter"] = "A4"
    margins_cm: Margins = Margins()

    @property
    def size_mm(self) -> tuple[float, float]:
        return PAPER_MM[self.size]


class Fonts(_Frozen):
    body: FontName = "Arial"
    fallback: tuple[FontName, ...] = ("Liberation Sans", "DejaVu Sans")
    size_pt: float = Field(12, ge=6, le=24)


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif")

LocalLines = dict[Lang, tuple[str, ...]]


class Contact(_Frozen):
    """Who the press may call: a person or an office, with a phone and an e-mail."""

    name: str | dict[Lang, str]
    position: str | dict[Lang, str] | None = None
    phone: str | None = None
    email: str | None = None


class Letterhead(_Frozen):
    """The ministry's letterhead (kop): a logo and lines, on the first page of a press
    release; the logo also goes on the cover of a strategic plan."""

    logo: str | None = None
    """A PNG, JPEG or GIF file inside the project, e.g. ``assets/logo.png``."""
    logo_height_cm: float = Field(2.2, gt=0, le=8)
    lines: LocalLines = Field(default_factory=dict)
    """In capitals: the ministry, then the unit."""
    address: LocalLines = Field(default_factory=dict)
    """In small type under them: address, telephone, website."""
    contact: Contact | None = None
    """The press contact at the end of every press release (a readout's own
    ``contact:`` replaces it)."""


class PdfOptions(_Frozen):
    archive: bool = False
    """Write PDF/A-3b (for the archive) instead of plain PDF; ``build --pdfa`` too."""
    tagged: bool = True
    """Tag the PDF's structure (headings, lists, tables) for screen readers (PDF/UA-1)."""


class Predicate(_Frozen):
    """One band of achievement (capaian) and its name per language: an achievement of
    at least ``at_least`` percent, and below the band above it, gets this name."""

    at_least: float = Field(ge=-1000, le=1000)
    label: dict[Lang, str]


DEFAULT_PREDICATES = (
    Predicate(at_least=91, label={"id": "Sangat Baik", "en": "Very Good"}),
    Predicate(at_least=76, label={"id": "Baik", "en": "Good"}),
    Predicate(at_least=66, label={"id": "Cukup", "en": "Fair"}),
    Predicate(at_least=51, label={"id": "Kurang", "en": "Poor"}),
    Predicate(at_least=0, label={"id": "Sangat Kurang", "en": "Very Poor"}),
)


class Performance(_Frozen):
    """How the performance cycle (SAKIP) measures achievement: the formula where less
    is better, an optional cap, the predicate bands."""

    less_is_better: Literal["difference", "ratio"] = "difference"
    """``difference``: (2 × target − realisation) ÷ target; ``ratio``: target ÷ realisation."""
    cap_percent: float | None = Field(None, ge=100, le=1000)
    """No achievement is shown above this (e.g. 120); unset, none is capped."""
    predicates: tuple[Predicate, ...] = Field(DEFAULT_PREDICATES, min_length=1, max_length=10)
    """From the highest band down; an achievement below the last band's ``at_least``
    takes the last band."""

    @field_validator("predicates")
    @classmethod
    def _descending(cls, bands: tuple[Predicate, ...]) -> tuple[Predicate, ...]:
        for upper, lower in itertools.pairwise(bands):
            if lower.at_least >= upper.at_least:
                raise ValueError(
                    f"the bands go from the highest down: {lower.at_least:g} follows "
                    f"{upper.at_least:g}"
                )
        return bands


class Settings(_Frozen):
    """Everything a project sets once: names, page, fonts, conventions."""

    organization: dict[Lang, Organization]
    page: Page = Page()
    fonts: Fonts = Fonts()
    english_dates: Literal["ordinal", "plain"] = "ordinal"
    number_style: Literal["id", "en"] | None = None
    """How numbers written as text in facts and data files are read (``"412.500"``:
    ``id`` 412500, ``en`` 412.5); unset, only numbers one style alone can read."""
    languages: tuple[Lang, ...] = ("id", "en")
    status: Literal["final", "draft"] = "final"
    """``draft`` stamps every document (a document's own ``status`` can also say so)."""
    version: int | None = Field(None, ge=1)
    """The draft's version number, shown in the draft footer line."""
    reference_docx: str | None = None
    """A Word file (e.g. with the ministry's letterhead) whose styles, headers and page
    setup the DOCX output uses instead of plandocs' own."""
    letterhead: Letterhead | None = None
    pdf: PdfOptions = PdfOptions()
    performance: Performance = Performance()

    def logo_path(self, root: Path) -> Path | None:
        """The letterhead's logo, checked to be an image file inside the project."""
        logo = self.letterhead.logo if self.letterhead else None
        if logo is None:
            return None
        path = (root / logo).resolve()
        if (
            not path.is_relative_to(root.resolve())
            or not path.is_file()
            or path.suffix.lower() not in IMAGE_SUFFIXES
        ):
            raise SettingsError(
                f"letterhead.logo {logo!r} is not a PNG, JPEG or GIF file inside the project",
                root / SETTINGS_FILE,
            )
        return path

    def reference_path(self, root: Path) -> Path | None:
        """The reference document, checked to be a Word file inside the project."""
        if self.reference_docx is None:
            return None
        from plandocs.safety.paths import is_file, resolve_inside, word_file_problem

        try:
            path = resolve_inside(root, root / self.reference_docx, "file", SettingsError)
        except SettingsError:
            path = None
        if path is None or not is_file(path):
            raise SettingsError(
                f"reference_docx {self.reference_docx!r} is not a file inside the project",
                root / SETTINGS_FILE,
            )
        problem = word_file_problem(path)
        if problem is not None:
            raise SettingsError(
                f"reference_docx {self.reference_docx!r} {problem}; save it from Word as .docx",
                root / SETTINGS_FILE,
            )
        return path

    def org(self, lang: str) -> Organization:
        """The organization's names in ``lang``."""
        try:
            return self.organization[lang]  # type: ignore[index]
        except KeyError:
            raise SettingsError(
                f"`organization.{lang}` is missing; add the unit and name in that language",
                SETTINGS_FILE,
            ) from None


def load_settings(root: Path) -> Settings:
    """Load ``plandocs.yaml`` from the project root."""
    path = root / SETTINGS_FILE
    if not path.is_file():
        raise SettingsError(
            f"no {SETTINGS_FILE} here; run plandocs in a project folder or pass --project DIR",
            path,
        )
    doc = load_yaml(path)
    settings = validate(doc, Settings)
    try:
        settings.reference_path(root)
    except SettingsError as exc:
        raise doc.error(exc.message, ("reference_docx",)) from None
    try:
        settings.logo_path(root)
    except SettingsError as exc:
        raise doc.error(exc.message, ("letterhead", "logo")) from None
    _check_bands(doc, settings)
    return settings


def _check_bands(doc: YamlDoc, settings: Settings) -> None:
    """Each predicate band is named in every language of the project, and not blank: a
    report's rating column is never empty, nor the error found there instead of here."""
    if "predicates" not in ((doc.data or {}).get("performance") or {}):
        return
    for index, band in enumerate(settings.performance.predicates):
        for lang in settings.languages:
            if not band.label.get(lang, "").strip():
                state = "is blank" if lang in band.label else "is missing"
                raise doc.error(
                    f"the band from {band.at_least:g} has no name in `{lang}`: `label.{lang}` "
                    f"{state}; write it, e.g. `label: {{id: Baik, en: Good}}`",
                    ("performance", "predicates", index, "label"),
                )
