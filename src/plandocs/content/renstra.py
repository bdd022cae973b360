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
from pathlib import Path
from typing import Any

from plandocs import LANGUAGES
from plandocs.content.prose import load_prose
from plandocs.content.tables import Row, read_table
from plandocs.content.validate import ContentErrors, validate
from plandocs.content.yamlfile import YamlDoc, load_yaml
from plandocs.errors import ContentError
from plandocs.model import Lang, Prose, localize
from plandocs.plan import Plan, check_plan, merge_tables, totals

PLAN_FILE = "plan.yaml"
CHAPTER_NAME = re.compile(r"^(\d{1,2})-[\w.-]+\.md$")


@dataclass(frozen=True)
class Chapter:
    number: int
    prose: Prose


@dataclass(frozen=True)
class Renstra:
    """A strategic plan: facts, data tables, and chapters per language."""

    slug: str
    folder: Path
    plan: Plan
    doc: YamlDoc
    data_files: tuple[Path, ...]
    chapters: dict[str, list[Chapter]] = field(default_factory=dict)
    chapter_errors: dict[str, ContentError] = field(default_factory=dict)

    def sources(self, lang: str) -> list[Path]:
        """The content files the ``lang`` version is made from."""
        chapters = [c.prose.path for c in self.chapters.get(lang, [])]
        return [self.doc.path, *self.data_files, *chapters]

    def languages(self) -> list[str]:
        return sorted({*self.chapters, *self.chapter_errors})

    def language_error(self, lang: str) -> ContentError | None:
        return self.chapter_errors.get(lang)

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


def _load_chapters(folder: Path, lang: Lang) -> list[Chapter]:
    chapters: list[Chapter] = []
    for path in sorted((folder / lang).glob("*.md")):
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


def _parity(chapters: dict[str, list[Chapter]], folder: Path) -> dict[str, ContentError]:
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


def load_renstra(root: Path, folder: Path) -> Renstra:
    """Load and check one plan; every problem in its facts and tables is reported at once."""
    path = folder / PLAN_FILE
    if not path.is_file():
        raise ContentError(f"no {PLAN_FILE} in this folder; add the plan's facts there", folder)
    doc = load_yaml(path)
    plan = validate(doc, Plan)
    years = plan.period.years
    errors: list[ContentError] = []
    tables: dict[str, list[Row] | None] = {"targets": None, "budgets": None}
    data_files: list[Path] = []
    if plan.data is not None:
        for name in ("targets", "budgets"):
            spec = getattr(plan.data, name)
            if spec is None:
                continue
            data_path = (folder / spec.partition("#")[0]).resolve()
            if not data_path.is_relative_to(root.resolve()):
                errors.append(
                    doc.error(
                        f"{spec} is outside the project; keep data files inside it", ("data", name)
                    )
                )
                continue
            if not data_path.is_file():
                errors.append(
                    doc.error(
                        f"data file {spec.partition('#')[0]} not found beside plan.yaml",
                        ("data", name),
                    )
                )
                continue
            data_files.append(data_path)
            try:
                tables[name] = read_table(root, spec, folder, years)
            except ContentError as exc:
                errors.append(exc)
    errors += merge_tables(plan, doc, tables["targets"], tables["budgets"])
    if not errors:
        # With a table unreadable, every value it holds would show up missing too.
        errors += check_plan(plan, doc)
    if errors:
        raise ContentErrors(errors)

    chapters: dict[str, list[Chapter]] = {}
    chapter_errors: dict[str, ContentError] = {}
    lang: Lang
    for lang in LANGUAGES:  # type: ignore[assignment]
        if not (folder / lang).is_dir():
            continue
        try:
            chapters[lang] = _load_chapters(folder, lang)
        except ContentError as exc:
            chapter_errors[lang] = exc
    if plan.single_language is None:
        chapter_errors.update(_parity(chapters, folder))
    return Renstra(
        slug=folder.name,
        folder=folder,
        plan=plan,
        doc=doc,
        data_files=tuple(data_files),
        chapters=chapters,
        chapter_errors=chapter_errors,
    )
