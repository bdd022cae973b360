"""The ``facts`` model: a kind defined by files alone, its facts validated against the
kind's ``schema.yaml`` (no Python).

The templates get the facts resolved to the document's language (``{id, en}`` text),
dates and times as such, the data tables as plain records, and — for a kind with
parts — ``part`` (the code of this document, or none for the recap) and ``parts``
(every code with its name). Also what every document gets: ``labels``, ``org``,
``letterhead``, ``settings``, ``draft``, ``title``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from plandocs import LANGUAGES
from plandocs.content.yamlfile import YamlDoc, parse_yaml
from plandocs.errors import ContentError
from plandocs.kinds.letterhead import letterhead, logo_files
from plandocs.kinds.parts import part_digests, part_input
from plandocs.kinds.schema import fact, typed, validate_facts
from plandocs.kinds.spec import KindSpec, TableSpec
from plandocs.kinds.templates import kind_env
from plandocs.model.document import top_level_facts
from plandocs.model.localize import localize
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
from plandocs.safety.reader import read_text
from plandocs.safety.urls import UrlPolicy

SHAPES = frozenset({"single", "parts"})


def load(project: Project, spec: KindSpec, folder: Path) -> FileDocument:
    """Load ``content/<kind>/<slug>/``: facts validated against the kind's schema, the
    prose per language, the data tables."""
    settings = project.settings
    return load_document(
        project.root, spec, folder, tuple(settings.languages), settings.number_style
    )


@dataclass
class FileDocument:
    """A loaded document of a file-defined kind (or one part of it)."""

    slug: str
    folder: Path
    spec: KindSpec
    facts: dict[str, Any]
    facts_doc: YamlDoc
    prose: dict[str, Any] = field(default_factory=dict)
    prose_errors: dict[str, ContentError] = field(default_factory=dict)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    table_files: dict[str, Path] = field(default_factory=dict)
    where: dict[str, list[ContentError]] = field(default_factory=dict)
    """Per table, per row: where the row's key is (for errors)."""
    part_digests: dict[str, str] = field(default_factory=dict)
    """Per part: the digest of its rows of the parts' table (its own input)."""
    part: str | None = None
    project_languages: tuple[str, ...] = LANGUAGES
    part_errors: dict[str, ContentError] = field(default_factory=dict)
    """Per part that cannot be made: why (a region code not listed, or not a name an
    output file can have). Only that part fails, and the recap, which shows it."""
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    """What rendering derives from the facts and tables, made once and shared by every
    part and language of this loading (each is read-only data for the templates)."""

    def frozen(self, what: Any, make: Callable[[], Any]) -> Any:
        """``freeze(make())``, made once per loading under the name ``what``."""
        if what not in self.memo:
            self.memo[what] = freeze(make())
        return self.memo[what]

    def sources(self, lang: str) -> list[Path]:
        """The files the ``lang`` version is made from: the facts, the prose, the data
        tables (a part: all but the parts' table, whose rows it records instead) and
        the kind's own definition."""
        found = [self.facts_doc.path, *self.spec.files]
        if lang in self.prose:
            found.append(self.prose[lang].path)
        for name, path in self.table_files.items():
            if self.part is None or self.spec.parts is None or name != self.spec.parts.table:
                found.append(path)
        return found

    def languages(self) -> list[str]:
        if self.spec.prose:
            return [lang for lang in LANGUAGES if lang in self.prose or lang in self.prose_errors]
        only = self.facts.get("single_language")
        return [only] if isinstance(only, str) else list(self.project_languages)

    def language_error(self, lang: str) -> ContentError | None:
        return self.prose_errors.get(lang)

    def parts(self) -> list[str | None]:
        """None (the whole document, or the recap) and every part."""
        return [None, *sorted(self.part_digests)]

    def prose_files(self) -> dict[str, list[Any]]:
        """The Markdown files per language, for the bilingual checks."""
        return {lang: [prose] for lang, prose in self.prose.items()}

    def single_language(self) -> str | None:
        only = self.facts.get("single_language")
        return only if isinstance(only, str) else None

    def fact_expressions(self) -> dict[str, str]:
        return top_level_facts(self.facts)

    def indicator_values(self) -> dict[str, set[str]]:
        return {}

    def part_inputs(self, part: str, rel: Callable[[Path], str]) -> dict[str, str]:
        """The input of one part: its rows of the parts' table, in place of the file."""
        spec = self.spec.parts
        if spec is None:
            return {}
        path = Path(os.path.realpath(self.table_files[spec.table]))
        return {part_input(rel(path), spec.key, part): self.part_digests[part]}

    def select(self, part: str | None) -> FileDocument:
        """The document of one part (None: the recap, or the folder's only document).
        A part that cannot be made is its error; the recap, which shows every part,
        fails with the first of them."""
        if part is not None and part not in self.part_digests:
            raise ContentError(f"no part {part!r} in this document", self.folder)
        error = self.part_errors.get(part) if part is not None else None
        if error is None and part is None and self.part_errors:
            error = next(iter(self.part_errors.values()))
        if error is not None:
            raise ContentError(error.message, error.path, error.line, error.column, error.cell)
        return replace(self, part=part)


def load_document(
    root: Path,
    spec: KindSpec,
    folder: Path,
    languages: tuple[str, ...] = LANGUAGES,
    numbers: str | None = None,
) -> FileDocument:
    """Load ``content/<kind>/<slug>/``: facts validated against the kind's schema,
    the prose per language, the data tables."""
    from plandocs.content.folders import warn_ignored
    from plandocs.content.prose import load_prose
    from plandocs.safety.paths import present

    facts_path = folder / spec.facts
    if not present(facts_path):
        raise ContentError(
            f"no {spec.facts} in this folder; a {spec.name} document starts from its facts "
            f"(`plandocs new {spec.name} <name>` makes one from the kind's example)",
            folder,
        )
    known = [spec.facts, *(f"{lang}.md" for lang in LANGUAGES if spec.prose)]
    warn_ignored(folder, known, f"a {spec.name} document reads {', '.join(known)}")
    doc = parse_yaml(read_text(facts_path, "YAML file"), facts_path)
    from plandocs.content.validate import _clean

    data = _clean(doc.data, doc, (), {}) if doc.data is not None else {}
    if not isinstance(data, dict):
        raise doc.error("the file should hold a mapping of keys to values (`key: value` lines)")
    doc = replace(doc, data=data)
    schema = spec.schema or {}
    validate_facts(doc, schema, spec.schema_path or spec.kind_file)
    facts = typed(data, schema, schema)
    document = FileDocument(slug=folder.name, folder=folder, spec=spec, facts=facts, facts_doc=doc)
    document.project_languages = languages
    if spec.prose:
        for lang in LANGUAGES:
            path = folder / f"{lang}.md"
            if present(path):
                try:
                    document.prose[lang] = load_prose(path, lang)  # type: ignore[arg-type]
                except ContentError as exc:
                    document.prose_errors[lang] = exc
        if not document.prose and not document.prose_errors:
            raise ContentError("this document has no prose; add id.md and/or en.md", folder)
    for table in spec.tables:
        rows, wheres, path = _read_table(root, folder, doc, facts, table, numbers)
        document.tables[table.name], document.where[table.name] = rows, wheres
        document.table_files[table.name] = path
    if spec.parts is not None:
        path = document.table_files[spec.parts.table]
        raw = _read_again(path)
        document.part_digests = part_digests(raw, path.suffix, spec.parts.key)
        codes = {row[spec.parts.key] for row in document.tables[spec.parts.table]}
        if not document.part_digests or set(document.part_digests) != codes:
            # A workbook, or a table whose rows the quick reading could not split:
            # every part depends on the whole file.
            whole = hashlib.sha256(raw).hexdigest()[:20]
            document.part_digests = {code: whole for code in codes}
        document.part_errors = _part_errors(document, spec, facts)
    return document


def _part_errors(
    document: FileDocument, spec: KindSpec, facts: dict[str, Any]
) -> dict[str, ContentError]:
    """Why each part that cannot be made cannot: its code names no output file, or is
    not listed in the fact naming the parts. The first row of the part is blamed."""
    from plandocs.safety.outputs import name_problem

    assert spec.parts is not None
    listed: set[str] | None = None
    if spec.parts.names:
        names = fact(facts, spec.parts.names)
        listed = {str(entry.get("code")) for entry in names or [] if isinstance(entry, dict)}
    problems: dict[str, ContentError] = {}
    rows = document.tables[spec.parts.table]
    for row, where in zip(rows, document.where[spec.parts.table], strict=True):
        code = row[spec.parts.key]
        if code in problems:
            continue
        problem = name_problem(code)
        if problem is not None:
            message = f"the {spec.parts.key} {code!r} {problem}"
        elif listed is not None and code not in listed:
            message = (
                f"{spec.parts.key} {code!r} is not listed in `{spec.parts.names}` of "
                f"{spec.facts}; add it there with its name, or fix the code"
            )
        else:
            continue
        problems[code] = ContentError(message, where.path, where.line, where.column, where.cell)
    return problems


def _read_again(path: Path) -> bytes:
    from plandocs.safety.reader import read_bytes

    return read_bytes(path, "data file")


def _read_table(
    root: Path,
    folder: Path,
    doc: YamlDoc,
    facts: dict[str, Any],
    table: TableSpec,
    numbers: str | None,
) -> tuple[list[dict[str, Any]], list[ContentError], Path]:
    from plandocs.content.tables import read_keyed_table

    first, last = fact(facts, table.years[0]), fact(facts, table.years[1])
    if not (isinstance(first, int) and isinstance(last, int) and first <= last):
        raise doc.error(
            f"the table {table.name} needs the years from `{table.years[0]}` to "
            f"`{table.years[1]}` as whole numbers, the first not after the last"
        )
    years = range(first, last + 1)
    name = table.file
    style: Any = table.numbers or numbers
    return read_keyed_table(root, name, folder, years, table.keys, style)


def _named(
    document: FileDocument, spec: KindSpec, facts: dict[str, Any], lang: str
) -> dict[str, Any]:
    """Each part's entry in the fact naming the parts (``{code, name}``), in ``lang``."""
    assert spec.parts is not None
    where = spec.parts.names or ""
    names = fact(facts, where) if where else None
    return {
        str(entry.get("code")): entry
        for entry in localize(names or [], lang, document.facts_doc, (where,))
        if isinstance(entry, dict)
    }


def render(
    project: Project, spec: KindSpec, document: FileDocument, lang: str, draft: bool = False
) -> RenderedDocument:
    """The HTML of one document (or one part) of a file-defined kind in ``lang``."""
    source = document.prose[lang].path if lang in document.prose else document.facts_doc.path
    with document_scope(project.settings, lang, source) as state:
        return _render(project, document, lang, draft, state, source)


def _render(
    project: Project, document: FileDocument, lang: str, draft: bool, state: Any, source: Path
) -> RenderedDocument:
    env, settings, spec = kind_env(project, document.spec), project.settings, document.spec
    facts = document.facts
    context: dict[str, Any] = dict(
        document.frozen(("facts", lang), lambda: localize(facts, lang, document.facts_doc, ()))
    )
    status = facts.get("status") if isinstance(facts.get("status"), str) else "final"
    version = facts.get("version") if isinstance(facts.get("version"), int) else None
    stamp = draft_stamp(settings, str(status), version, draft)
    day = fact(facts, spec.date) if spec.date else None
    used = document_context(env, context, settings, lang, stamp, day)
    context["tables"] = document.frozen("tables", lambda: document.tables)
    if spec.parts is not None:
        named = document.frozen(("named", lang), lambda: _named(document, spec, facts, lang))
        codes = sorted(document.part_digests)
        context["parts"] = document.frozen(
            ("parts", lang), lambda: [named.get(c, {"code": c, "name": c}) for c in codes]
        )
        context["part"] = named.get(document.part, freeze({"code": document.part}))
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
        pattern = spec.title_pattern(lang)
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
        templates=(*templates, *used, *logo_files(project)),
        date=day if day is not None and hasattr(day, "isoformat") else None,
        today=stamp.date if stamp and stamp.today else None,
        part=document.part,
    )
