"""Finding and loading a strategic plan: ``content/renstra/<slug>/``.

::

    plan.yaml              facts: period, vision, missions, goals, targets, programs …
    data/targets.csv       optional tables named in plan.yaml (`data:`)
    id/1-pendahuluan.md    one Markdown file per chapter and language,
    en/1-introduction.md   numbered by the prefix of the file name
    id/0-kata-pengantar.md the foreword (KATA PENGANTAR / FOREWORD), optional
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from plandocs import LANGUAGES
from plandocs.content.folders import warn_ignored
from plandocs.content.numbers import Style
from plandocs.content.prose import Lang, Prose, load_prose
from plandocs.content.tables import Row, read_table
from plandocs.content.validate import validate
from plandocs.content.yamlfile import YamlDoc, parse_yaml
from plandocs.errors import ContentError, ContentErrors, describe
from plandocs.model.document import SingleDocument, fact_expressions
from plandocs.model.localize import localize
from plandocs.model.plan import Plan, check_plan, merge_tables, plan_texts, totals
from plandocs.safety.paths import is_dir, is_file, present, resolve_inside
from plandocs.safety.reader import read_text, warn

PLAN_FILE = "plan.yaml"
CHAPTER_NAME = re.compile(r"^(\d{1,2})-[\w.-]+\.md$")


@dataclass(frozen=True)
class Chapter:
    number: int
    prose: Prose


@dataclass(frozen=True)
class Renstra(SingleDocument):
    """A strategic plan: facts, data tables, and chapters per language."""

    slug: str
    folder: Path
    plan: Plan
    doc: YamlDoc
    data_files: tuple[Path, ...]
    chapters: dict[str, list[Chapter]] = field(default_factory=dict)
    chapter_errors: dict[str, ContentError] = field(default_factory=dict)
    target_at: dict[tuple[str, int], ContentError] = field(default_factory=dict)
    """Where each indicator's target for a year is written (plan.yaml or a table's
    cell), for the documents that use it to point there."""

    def fact_files(self) -> list[Path]:
        """The files its facts come from (not its prose): what a document that refers
        to the plan is made from."""
        return [self.doc.path, *self.data_files]

    def sources(self, lang: str) -> list[Path]:
        """The content files the ``lang`` version is made from."""
        chapters = [c.prose.path for c in self.chapters.get(lang, [])]
        return [self.doc.path, *self.data_files, *chapters]

    def languages(self) -> list[str]:
        return sorted({*self.chapters, *self.chapter_errors})

    def language_error(self, lang: str) -> ContentError | None:
        return self.chapter_errors.get(lang)

    def shown_texts(self, lang: str) -> list[tuple[ContentError, str]]:
        """The texts of plan.yaml the ``lang`` document shows (its tables and annexes),
        each with its place: what ``check`` reads for abbreviations the list lacks."""
        found = []
        for loc, text in plan_texts(self.doc.data, lang):
            line, column = self.doc.position(loc)
            found.append((ContentError("", self.doc.path, line, column), text))
        return found

    def prose_files(self) -> dict[str, list[Prose]]:
        """The chapter files per language, for the bilingual checks."""
        return {lang: [c.prose for c in chapters] for lang, chapters in self.chapters.items()}

    def single_language(self) -> str | None:
        return self.plan.single_language

    def fact_expressions(self) -> dict[str, str]:
        """The plan's numbers (period, named facts, targets, baselines) → expressions."""
        plan = self.plan
        pairs: list[tuple[Any, str]] = [
            (plan.period.start, "{{ plan.period.start }}"),
            (plan.period.end, "{{ plan.period.end }}"),
        ]
        pairs += [(value, f"{{{{ plan.facts.{name} }}}}") for name, value in plan.facts.items()]
        for _, indicator in plan.indicators():
            code = indicator.code
            for year, value in indicator.targets.items():
                pairs.append((value, f'{{{{ indicators["{code}"].targets[{year}] | number }}}}'))
            if indicator.baseline:
                pairs.append(
                    (
                        indicator.baseline.value,
                        f'{{{{ indicators["{code}"].baseline.value | number }}}}',
                    )
                )
        return fact_expressions(pairs)

    def indicator_values(self) -> dict[str, set[str]]:
        """Each indicator's baseline and targets, as normal readings."""
        values: dict[str, set[str]] = {}
        for _, indicator in self.plan.indicators():
            numbers = {*indicator.targets.values()}
            if indicator.baseline:
                numbers.add(indicator.baseline.value)
            values[indicator.code] = {str(Decimal(str(n)).normalize()) for n in numbers}
        return values

    def context(self, lang: str) -> dict[str, Any]:
        """Template variables: ``plan`` (text in ``lang``), ``indicators`` by code, ``totals``."""
        data = self.plan.model_dump(mode="python")
        plan = localize(data, lang, self.doc, ())
        indicators: dict[str, Any] = {}
        for target in plan["strategic_targets"]:
            indicators.update({i["code"]: i for i in target["indicators"]})
        for program in plan["programs"]:
            indicators.update({i["code"]: i for i in program["indicators"]})
            for activity in program["activities"]:
                indicators.update({i["code"]: i for i in activity["indicators"]})
        return {
            "plan": plan,
            "years": list(self.plan.period.years),
            "indicators": indicators,
            "totals": totals(self.plan),
        }


def load_chapters(folder: Path, lang: Lang) -> list[Chapter]:
    """The chapter files of one language, in order; 0 is the front chapter (a foreword)."""
    chapters: list[Chapter] = []
    names = sorted(p.name for p in (folder / lang).glob("*.md"))
    warn_ignored(folder / lang, names, "chapters are `<number>-<name>.md` files")
    for path in (folder / lang / name for name in names):
        match = CHAPTER_NAME.match(path.name)
        if not match:
            raise ContentError(
                "a chapter file is named `<number>-<name>.md`, e.g. `1-pendahuluan.md`", path
            )
        chapters.append(Chapter(int(match.group(1)), load_prose(path, lang)))
    chapters.sort(key=lambda c: c.number)
    numbered = [c for c in chapters if c.number != 0]  # 0 is the foreword
    for expected, chapter in enumerate(numbered, start=1):
        if chapter.number != expected:
            raise ContentError(
                f"chapter {expected} is missing before this one; number the chapter files "
                "1, 2, 3 … without gaps",
                chapter.prose.path,
            )
    if not numbered:
        raise ContentError("no chapter files here; add `1-<name>.md`", folder / lang)
    return chapters


def chapter_parity(chapters: dict[str, list[Chapter]], folder: Path) -> dict[str, ContentError]:
    """A chapter present in one language and missing in the other fails the other."""
    errors: dict[str, ContentError] = {}
    if len(chapters) < 2:
        return errors
    numbers = {lang: {c.number for c in items} for lang, items in chapters.items()}
    for lang, have in numbers.items():
        for other, items in chapters.items():
            missing = [c for c in items if c.number not in have]
            if other == lang or not missing:
                continue
            first = missing[0]
            what = "the foreword" if first.number == 0 else f"chapter {first.number}"
            errors[lang] = ContentError(
                f"{what} has no {lang} version; add {lang}/{first.number}-<name>.md "
                f"beside the other chapters (the {other} one is {first.prose.path.name})",
                folder / lang,
            )
            break
    return errors


def _read_data(
    root: Path, spec: str, folder: Path, years: range, path: Path, numbers: Style | None
) -> list[Row]:
    """Read a data table (through the project's reader: the digest recorded is that of
    the bytes the table was read from)."""
    try:
        return read_table(root, spec, folder, years, numbers)
    except ContentError:
        raise
    except Exception as exc:  # a damaged workbook can fail deep inside openpyxl
        raise ContentError(
            f"cannot read this table ({describe(exc)}); save it again as .xlsx or .csv", path
        ) from None


def _warn_strays(folder: Path, facts_file: str) -> None:
    warn_ignored(
        folder,
        (facts_file,),
        f"a plan reads `{facts_file}`, the data files it names and the chapters in id/ and en/",
    )
    for entry in sorted(folder.iterdir()) if is_dir(folder) else []:
        lowered = entry.name.lower()
        if lowered in LANGUAGES and entry.name != lowered and is_dir(entry):
            warn(
                ContentError(
                    f"ignored: the chapter folder must be named `{lowered}` (lower case)", entry
                )
            )


def load_renstra(
    root: Path,
    folder: Path,
    number_style: Style | None = None,
    facts_file: str = PLAN_FILE,
    chapters: bool = True,
) -> Renstra:
    """Load and check one plan; every problem in its facts and tables is reported at once.

    ``number_style`` (the project's) reads numbers written as text in the facts and,
    unless a data file declares its own, in the data files. Without ``chapters``, the
    facts alone (what another document refers to).
    """
    path = folder / facts_file
    if not present(path):
        raise ContentError(f"no {facts_file} in this folder; add the plan's facts there", folder)
    _warn_strays(folder, facts_file)
    doc = parse_yaml(read_text(path, "YAML file"), path)
    plan = validate(doc, Plan, {"number_style": number_style})
    years = plan.period.years
    errors: list[ContentError] = []
    tables: dict[str, list[Row] | None] = {"targets": None, "budgets": None}
    data_files: list[Path] = []
    if plan.data is not None:
        for name in ("targets", "budgets"):
            spec = getattr(plan.data, name)
            if spec is None:
                continue
            at = ("data", name, "path")
            name_in_spec = spec.path.partition("#")[0]
            try:
                data_path = resolve_inside(root, folder / name_in_spec, "data file")
            except ContentError as exc:
                message = (
                    f"{spec.path} is outside the project; keep data files inside it"
                    if "outside the project folder" in exc.message
                    else f"{spec.path}: {exc.message}"
                )
                errors.append(doc.error(message, at))
                continue
            if not is_file(data_path):
                errors.append(doc.error(f"data file {name_in_spec} not found beside plan.yaml", at))
                continue
            data_files.append(data_path)
            try:
                numbers = spec.numbers or number_style
                tables[name] = _read_data(root, spec.path, folder, years, data_path, numbers)
            except ContentError as exc:
                errors.extend(getattr(exc, "errors", None) or [exc])
    errors += merge_tables(plan, doc, tables["targets"], tables["budgets"])
    if not errors:
        # With a table unreadable, every value it holds would show up missing too.
        errors += check_plan(plan, doc)
    if errors:
        raise ContentErrors(errors)
    target_at = _target_places(plan, doc, tables["targets"])
    if not chapters:
        return Renstra(folder.name, folder, plan, doc, tuple(data_files), target_at=target_at)

    prose: dict[str, list[Chapter]] = {}
    chapter_errors: dict[str, ContentError] = {}
    lang: Lang
    for lang in LANGUAGES:  # type: ignore[assignment]
        if not (folder / lang).is_dir():
            if present(folder / lang):
                chapter_errors[lang] = ContentError(
                    f"`{lang}` must be a folder holding the {lang} chapter files", folder / lang
                )
            continue
        try:
            prose[lang] = load_chapters(folder, lang)
        except ContentError as exc:
            chapter_errors[lang] = exc
    if plan.single_language is None:
        chapter_errors.update(chapter_parity(prose, folder))
    return Renstra(
        slug=folder.name,
        folder=folder,
        plan=plan,
        doc=doc,
        data_files=tuple(data_files),
        chapters=prose,
        chapter_errors=chapter_errors,
        target_at=target_at,
    )


def _target_places(
    plan: Plan, doc: YamlDoc, table: list[Row] | None
) -> dict[tuple[str, int], ContentError]:
    """Where each indicator's yearly target is written: its cell of the targets table,
    else its line of plan.yaml."""
    cells = {
        (row.code, year): cell.error_at for row in table or [] for year, cell in row.values.items()
    }
    places: dict[tuple[str, int], ContentError] = {}
    for loc, indicator in plan.indicators():
        for year in indicator.targets:
            key = (indicator.code, year)
            places[key] = cells.get(key) or doc.error("", (*loc, "targets", year))
    return places
