"""Document kinds defined by files: ``kinds/<name>/`` in the project, no Python.

A kind folder holds

* ``kind.yaml`` — which file of a content folder holds the facts, the schema, the
  entry template, the document's title (a per-language expression), optionally the
  prose files per language, data tables and the parts (one document per value of a
  table's column, plus the recap);
* ``schema.yaml`` — a JSON Schema (draft 2020-12) of the facts, written as YAML;
  ``format: date`` and ``format: time`` (``"HH:MM"``) values reach the templates as
  dates and times; per-language text is ``{id: …, en: …}`` and reaches them resolved;
* ``templates/{shared,id,en}/`` — the structure and each language's words; the
  templates are named ``kinds/<name>/<lang>/<file>`` and may extend or include the
  project's own (``shared/base.html``);
* ``example/`` — a content folder that ``plandocs new`` copies.

Documents of such a kind live in ``content/<name>/<slug>/`` and build to
``build/<lang>/<name>/<slug>.<fmt>`` (with parts, also ``…/<slug>/<part>.<fmt>``).
Everything is read through :mod:`plandocs.safety.reader`, so the kind's files are inputs of
its outputs in the manifest, and rendered in the same sandbox as every document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from plandocs import LANGUAGES
from plandocs.content.yamlfile import YamlDoc, parse_yaml
from plandocs.errors import ContentError
from plandocs.kinds.discover import KIND_FILE, KINDS_DIR, kind_names
from plandocs.safety.reader import read_text

__all__ = ["KINDS_DIR", "KindSpec", "kind_names", "load_spec"]

TEMPLATES = "templates"
EXAMPLE = "example"
BUILT_IN = ("readouts", "renstra")
_NAME = re.compile(r"^[a-z][a-z0-9-]{0,40}$")


class KindError(ContentError):
    """A kind's definition (kind.yaml, its schema, its templates) is not valid."""


_TEXT = {"type": "string", "minLength": 1}
_LOCAL = {
    "oneOf": [
        _TEXT,
        {
            "type": "object",
            "properties": {lang: {"type": "string"} for lang in LANGUAGES},
            "additionalProperties": False,
            "minProperties": 1,
        },
    ]
}
KIND_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["facts", "title"],
    "additionalProperties": False,
    "properties": {
        "description": _LOCAL,
        "facts": {
            "type": "string",
            "pattern": r"^[A-Za-z0-9_-]+\.ya?ml$",
            "description": "the facts file's name in a content folder, e.g. minutes.yaml",
        },
        "schema": {"type": "string", "pattern": r"^[A-Za-z0-9_-]+\.ya?ml$"},
        "template": {"type": "string", "pattern": r"^[A-Za-z0-9_-]+\.html$"},
        "title": _LOCAL,
        "date": {"type": "string", "pattern": r"^[A-Za-z_][A-Za-z0-9_.]*$"},
        "prose": {"type": "boolean", "description": "id.md and en.md beside the facts"},
        "tables": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["file", "keys", "years"],
                "additionalProperties": False,
                "properties": {
                    "file": {"type": "string", "minLength": 1},
                    "keys": {"type": "array", "items": _TEXT, "minItems": 1},
                    "years": {
                        "type": "array",
                        "items": _TEXT,
                        "minItems": 2,
                        "maxItems": 2,
                        "description": "two facts naming the first and last year",
                    },
                    "numbers": {"enum": ["id", "en"]},
                },
            },
        },
        "parts": {
            "type": "object",
            "required": ["table", "key"],
            "additionalProperties": False,
            "properties": {
                "table": _TEXT,
                "key": _TEXT,
                "names": {
                    "type": "string",
                    "description": "a fact listing {code, name} of every part",
                },
            },
        },
    },
}


# -- validation against a JSON Schema, every problem at its line -------------------------
def _jsonable(value: Any) -> Any:
    """The facts as JSON Schema sees them: dates and times as ISO text."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def _dotted(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path) or "(top level)"


def _message(error: Any) -> tuple[str, tuple[Any, ...], bool]:
    """Words a content editor can act on, the location, and whether it is a key."""
    path = tuple(error.absolute_path)
    name = _dotted(path)
    value = error.instance
    validator = error.validator
    hint = error.schema.get("description") if isinstance(error.schema, dict) else None
    at_key = False
    if validator == "required":
        missing = [k for k in error.validator_value if k not in (value or {})]
        text = f"`{_dotted((*path, missing[0]))}` is required; add it"
    elif validator == "additionalProperties" and isinstance(value, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(k for k in value if k not in allowed)
        path, at_key = (*path, extra[0]), True
        text = f"unknown key `{_dotted(path)}`; check its spelling or remove it"
    elif validator == "type":
        wanted = {
            "string": "text",
            "object": "a mapping of keys to values",
            "array": "a list",
            "integer": "a whole number",
            "number": "a number",
            "boolean": "true or false",
        }
        given = error.validator_value
        types = [str(t) for t in (given if isinstance(given, list) else [given])]
        text = f"`{name}` should be {' or '.join(wanted.get(t, t) for t in types)}, not {value!r}"
    elif validator == "enum":
        choices = ", ".join(repr(c) for c in error.validator_value)
        text = f"`{name}`: {value!r} is not allowed; use one of {choices}"
    elif validator == "format" and error.validator_value == "date":
        text = f"`{name}`: {value!r} is not a date; write it as YYYY-MM-DD (e.g. 2020-03-19)"
    elif validator == "pattern":
        text = f"`{name}`: {value!r} is not in the expected form"
    elif validator in ("oneOf", "anyOf") and isinstance(value, dict):
        text = f"`{name}`: {value!r} is not valid here"
    else:
        text = f"`{name}`: {error.message}"
    if hint:
        text += f" ({hint})"
    return text, path, at_key


def validate_facts(doc: YamlDoc, schema: dict[str, Any], schema_path: Path) -> None:
    """Validate ``doc.data`` against a JSON Schema; every problem located in ``doc``."""
    import jsonschema
    import referencing.exceptions

    from plandocs.content.validate import ContentErrors

    validator_class = jsonschema.validators.validator_for(schema, jsonschema.Draft202012Validator)
    validator = validator_class(schema, format_checker=jsonschema.FormatChecker(["date"]))
    try:
        found = sorted(
            validator.iter_errors(_jsonable(doc.data)),
            key=lambda e: [str(p) for p in e.absolute_path],
        )
    except referencing.exceptions.Unresolvable as exc:
        raise KindError(
            f"the schema refers to {exc.ref!r}, which it does not define; define it "
            "under `$defs:` or fix the reference",
            schema_path,
        ) from None
    if not found:
        return
    errors: list[ContentError] = []
    for error in found:
        text, path, at_key = _message(error)
        errors.append(doc.error(text, path, at_key))
    errors.sort(key=lambda e: (e.line or 0, e.column or 0))
    raise ContentErrors(errors)


def check_schema(doc: YamlDoc) -> dict[str, Any]:
    """The schema in ``doc``, itself checked against the JSON Schema meta-schema."""
    import jsonschema

    schema = doc.data
    if not isinstance(schema, dict):
        raise KindError(
            "a schema is a mapping (`type: object`, `properties: …`)", doc.path, *doc.position(())
        )
    validator_class = jsonschema.validators.validator_for(schema, jsonschema.Draft202012Validator)
    problems = sorted(
        validator_class(validator_class.META_SCHEMA).iter_errors(_jsonable(schema)),
        key=lambda e: [str(p) for p in e.absolute_path],
    )
    if problems:
        first = problems[0]
        where = tuple(first.absolute_path)
        line, column = doc.position(where)
        raise KindError(
            f"the schema is not valid JSON Schema at `{_dotted(where)}`: {first.message}",
            doc.path,
            line,
            column,
        )
    return schema


# -- the kind's definition ---------------------------------------------------------------
@dataclass(frozen=True)
class TableSpec:
    name: str
    file: str
    keys: tuple[str, ...]
    years: tuple[str, str]
    numbers: str | None = None


@dataclass(frozen=True)
class PartSpec:
    table: str
    key: str
    names: str | None = None


@dataclass(frozen=True)
class KindSpec:
    name: str
    folder: Path
    facts: str
    schema: dict[str, Any]
    schema_path: Path
    template: str
    title: str | dict[str, str]
    title_line: int
    date: str | None
    prose: bool
    tables: tuple[TableSpec, ...] = ()
    parts: PartSpec | None = None

    @property
    def kind_file(self) -> Path:
        return self.folder / KIND_FILE

    def template_name(self, lang: str) -> str:
        return f"{KINDS_DIR}/{self.name}/{lang}/{self.template}"


def kind_folder(root: Path, name: str) -> Path:
    return root / KINDS_DIR / name


def load_spec(root: Path, name: str) -> KindSpec:
    """Read and check ``kinds/<name>/kind.yaml`` and its schema; located errors."""
    from plandocs.content.validate import ContentErrors

    folder = kind_folder(root, name)
    path = folder / KIND_FILE
    if not _NAME.match(name):
        raise KindError(
            "a kind's folder name is its content and output folder: use lower-case letters, "
            "digits and hyphens",
            folder,
        )
    doc = parse_yaml(read_text(path, "kind file"), path)
    if not isinstance(doc.data, dict):
        raise KindError("kind.yaml holds a mapping (`facts: …`, `title: …`)", path, 1)
    try:
        validate_facts(doc, KIND_SCHEMA, path)
    except ContentErrors as exc:
        raise ContentErrors(
            [KindError(e.message, e.path, e.line, e.column) for e in exc.errors]
        ) from None
    data = doc.data
    schema_path = folder / data.get("schema", "schema.yaml")
    schema_doc = parse_yaml(read_text(schema_path, "schema file"), schema_path)
    schema = check_schema(schema_doc)
    tables = tuple(
        TableSpec(
            name=table,
            file=spec["file"],
            keys=tuple(spec["keys"]),
            years=(spec["years"][0], spec["years"][1]),
            numbers=spec.get("numbers"),
        )
        for table, spec in (data.get("tables") or {}).items()
    )
    parts = data.get("parts")
    part_spec = None
    if parts:
        part_spec = PartSpec(parts["table"], parts["key"], parts.get("names"))
        table = next((t for t in tables if t.name == part_spec.table), None)
        if table is None or part_spec.key not in table.keys:
            raise doc.error(
                "`parts` must name a table under `tables:` and one of its `keys`", ("parts",)
            )
    return KindSpec(
        name=name,
        folder=folder,
        facts=data["facts"],
        schema=schema,
        schema_path=schema_path,
        template=data.get("template", f"{name}.html"),
        title=data["title"],
        title_line=doc.position(("title",))[0],
        date=data.get("date"),
        prose=bool(data.get("prose", False)),
        tables=tables,
        parts=part_spec,
    )


# -- documents of a file-defined kind ----------------------------------------------------
def typed(value: Any, schema: Any, root: dict[str, Any], depth: int = 0) -> Any:
    """``value`` with the text at ``format: date`` / ``format: time`` made a date or a
    time, following the schema (its ``properties``, ``items`` and local ``$ref``), and
    every declared property present (its ``default``, else none)."""
    if not isinstance(schema, dict) or depth > 30:
        return value
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target: Any = root
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        return typed(value, target, root, depth + 1)
    kind = schema.get("format")
    if isinstance(value, str) and kind == "date":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, str) and kind == "time":
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dict):
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        out = {k: typed(v, props.get(k, extra), root, depth + 1) for k, v in value.items()}
        for key, sub in props.items():
            # Every property the schema declares is there for the templates: its
            # `default`, else none.
            if key not in out:
                default = sub.get("default") if isinstance(sub, dict) else None
                out[key] = typed(default, sub, root, depth + 1) if default is not None else None
        return out
    if isinstance(value, list):
        return [typed(v, schema.get("items"), root, depth + 1) for v in value]
    return value


def fact(data: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


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

    def sources(self, lang: str) -> list[Path]:
        """The files the ``lang`` version is made from: the facts, the prose, the data
        tables (a part: all but the parts' table, whose rows it records instead) and
        the kind's own definition."""
        found = [self.facts_doc.path, self.spec.kind_file, self.spec.schema_path]
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

    def select(self, part: str | None) -> FileDocument:
        if part is not None and part not in self.part_digests:
            raise ContentError(f"no part {part!r} in this document", self.folder)
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
    from plandocs.content.prose import load_prose
    from plandocs.kinds.discover import warn_ignored
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
    validate_facts(doc, spec.schema, spec.schema_path)
    facts = typed(data, spec.schema, spec.schema)
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
        if spec.parts.names:
            names = fact(facts, spec.parts.names)
            listed = {str(entry.get("code")) for entry in names or [] if isinstance(entry, dict)}
            rows = document.tables[spec.parts.table]
            for row, where in zip(rows, document.where[spec.parts.table], strict=True):
                code = row[spec.parts.key]
                if code not in listed:
                    raise ContentError(
                        f"{spec.parts.key} {code!r} is not listed in `{spec.parts.names}` of "
                        f"{spec.facts}; add it there with its name, or fix the code",
                        where.path,
                        where.line,
                        where.column,
                        where.cell,
                    )
    return document


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


def part_digests(raw: bytes, suffix: str, column: str) -> dict[str, str]:
    """Per value of ``column`` in a CSV table: a digest of the header and of the rows
    holding that value, so a change to one region's rows is a change to its document
    only. Empty for a workbook or a table this quick reading cannot split."""
    import csv
    import io

    from plandocs.content.tables import detect_delimiter

    if suffix.lower() != ".csv":
        return {}
    try:
        text = raw.decode("utf-8-sig")
        header_line = text.split("\n", 1)[0]
        reader = csv.reader(io.StringIO(text), delimiter=detect_delimiter(header_line))
        header = next(reader)
        names = [h.strip().lower() for h in header]
        at = names.index(column.lower())
        groups: dict[str, list[list[str]]] = {}
        for row in reader:
            if not any(cell.strip() for cell in row) or at >= len(row):
                continue
            groups.setdefault(row[at].strip(), []).append(row)
    except (ValueError, csv.Error, UnicodeDecodeError, StopIteration):
        return {}
    out = {}
    for code, rows in groups.items():
        digest = hashlib.sha256(repr((header, rows)).encode("utf-8", "surrogatepass"))
        out[code] = digest.hexdigest()[:20]
    return out


PART_MARK = "::"
"""``<data file>::<column>=<value>``: an input that is one part's rows of a table."""


def part_input(rel: str, column: str, value: str) -> str:
    return f"{rel}{PART_MARK}{column}={value}"


def digest_part_input(root: Path, rel: str) -> str | None:
    """The current digest of a part input (for the build's staleness check)."""
    file_rel, _, selector = rel.partition(PART_MARK)
    column, _, value = selector.partition("=")
    from plandocs.build.manifest import safe_rel

    if not safe_rel(file_rel):
        return None
    real = Path(os.path.realpath(root / file_rel))
    if not real.is_relative_to(Path(os.path.realpath(root))):
        return None
    try:
        raw = real.read_bytes()
    except OSError:
        return None
    found = part_digests(raw, real.suffix, column)
    if not found:
        return hashlib.sha256(raw).hexdigest()[:20]
    return found.get(value)


def current_parts(root: Path, name: str, folder: Path) -> list[str] | None:
    """The parts a content folder yields now: the values of the parts' key column in
    its table, read quickly (no validation: the build reports what is wrong). None
    for a kind without parts; an empty list when the table cannot be read."""
    import yaml

    try:
        with open(kind_folder(root, name) / KIND_FILE, "rb") as f:
            data = yaml.safe_load(f.read(256 * 1024))
        spec = data["parts"]
        if not spec:
            return None
        table = data["tables"][spec["table"]]
        key = str(spec["key"])
        file_name, _, sheet = str(table["file"]).partition("#")
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return None
    path = folder / file_name
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(Path(os.path.realpath(root))):
        return []
    try:
        raw = real.read_bytes()
    except OSError:
        return []
    if real.suffix.lower() == ".csv":
        return sorted(part_digests(raw, ".csv", key))
    try:
        from plandocs.content.tables import MAX_COLUMNS, MAX_ROWS
        from plandocs.content.workbooks import read_sheet

        _, rows = read_sheet(real, sheet or None, MAX_ROWS, MAX_COLUMNS)
        names = [str(h).strip().lower() for h in rows[0]]
        at = names.index(key.lower())
        return sorted({str(r[at]).strip() for r in rows[1:] if at < len(r) and r[at] is not None})
    except Exception:
        return []
