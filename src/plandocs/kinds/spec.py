"""What a kind of document is: a folder with a ``kind.yaml``, the one way to define one.

Every kind — press releases, the Renstra, minutes, regional target sheets — is such a
folder. The built-in kinds ship inside plandocs (``plandocs/kinds/builtin/<name>/``); a
project's ``kinds/<name>/`` adds a kind, or replaces the built-in kind of that name
whole. A kind folder holds

* ``kind.yaml`` — the facts file of a content folder, the model that loads the facts
  (``facts``: validated against ``schema.yaml``, no Python; ``readout`` and ``plan``:
  plandocs' own models, for what a schema cannot express), the shape (one document per
  folder; one per ``parts:`` value beside a recap; or ``chapters`` per language), the
  entry template, the title (an expression per language) and the date;
* ``schema.yaml`` — for the ``facts`` model, a JSON Schema (draft 2020-12) of the facts;
* ``templates/{shared,id,en}/`` — the structure and each language's words;
* ``example/`` — a content folder that ``plandocs new`` copies.

``extends: <kind>`` takes every setting the file does not give, and the templates it
does not have, from another kind: a Renja shaped like the Renstra is a ``kind.yaml``
and the templates that differ. ``kind.yaml`` is read once per process and content
(:func:`read_kind`): the build's quick look at a kind's parts and its full check share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plandocs import LANGUAGES
from plandocs.content.yamlfile import YamlDoc, parse_yaml
from plandocs.errors import ContentErrors, PlandocsError
from plandocs.kinds.schema import KindError, check_schema, validate_facts
from plandocs.kinds.where import (
    BUILTIN_DIR,
    KIND_FILE,
    KINDS_DIR,
    NAME,
    TEMPLATES,
    builtin_names,
    is_builtin,
    kind_folder,
    kind_names,
)
from plandocs.safety.reader import digest, read_bytes

__all__ = ["KindError", "KindSpec", "load_spec", "read_kind"]

MODELS = ("facts", "readout", "plan", "agreement", "report")
SHAPES = ("single", "parts", "chapters")
_FILE = r"^[A-Za-z0-9_-]+\.ya?ml$"

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
        "extends": {
            "type": "string",
            "pattern": NAME.pattern,
            "description": "the kind whose settings and templates this one starts from",
        },
        "facts": {
            "type": "string",
            "pattern": _FILE,
            "description": "the facts file's name in a content folder, e.g. minutes.yaml",
        },
        "model": {
            "enum": list(MODELS),
            "description": (
                "facts: validated by schema.yaml; readout, plan, agreement (a PK) or report "
                "(an LKj): plandocs' own"
            ),
        },
        "shape": {
            "enum": list(SHAPES),
            "description": "single: one document per folder; chapters: id/ and en/ chapters",
        },
        "schema": {"type": "string", "pattern": _FILE},
        "template": {"type": "string", "pattern": r"^[A-Za-z0-9_-]+\.html$"},
        "blocks": {
            "type": "string",
            "pattern": r"^[A-Za-z0-9_/-]+\.html$",
            "description": "the template whose macros a chapter's `{table} name` blocks place",
        },
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


# -- kind.yaml ---------------------------------------------------------------------------


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
    """A kind's ``kind.yaml``, checked, with what it extends already taken in."""

    name: str
    folder: Path
    facts: str
    model: str
    shape: str
    schema: dict[str, Any] | None
    schema_path: Path | None
    template: str
    title: str | dict[str, str] | None
    title_line: int
    date: str | None
    prose: bool
    tables: tuple[TableSpec, ...] = ()
    parts: PartSpec | None = None
    blocks: str | None = None
    template_folders: tuple[Path, ...] = ()
    """The kind's own templates folder, then those of the kinds it extends."""
    files: tuple[Path, ...] = ()
    """The project files defining it (kind.yaml, its schema, those of what it extends)."""
    description: str | dict[str, str] | None = None
    """What its documents are, per language (``Siaran pers`` / ``Press release``)."""

    @property
    def kind_file(self) -> Path:
        return self.folder / KIND_FILE

    @property
    def builtin(self) -> bool:
        return is_builtin(self.folder)

    def template_name(self, lang: str) -> str:
        """The entry template of the ``lang`` version."""
        return f"{lang}/{self.template}"

    def title_pattern(self, lang: str) -> str:
        """The title expression of the ``lang`` version (a kind may give one for all
        languages, or one per language; a language it lacks takes the first given)."""
        pattern = self.title or ""
        if isinstance(pattern, dict):
            pattern = pattern.get(lang) or next(iter(pattern.values()))
        return pattern


@dataclass(frozen=True)
class KindFile:
    """``kind.yaml`` as read: its located document, parsed once per content."""

    path: Path
    doc: YamlDoc
    data: dict[str, Any]
    digest: str


_READ: dict[tuple[str, str], KindFile] = {}
_CHECKED: set[tuple[str, str, tuple[str, ...]]] = set()
"""kind.yaml files (path, digest, required keys) already found valid in this process:
every document of a kind names it, and checking it again costs a JSON Schema pass."""
_SCHEMAS: dict[tuple[str, str], dict[str, Any]] = {}
"""Schemas (path, digest) already checked against the meta-schema, which is slow."""


def read_kind(root: Path, name: str, builtin: bool = False) -> KindFile:
    """Read and parse ``kind.yaml`` of ``name`` (through the one reader: a project kind's
    file is an input of its documents). Parsed once per process and content. With
    ``builtin``, the built-in kind of that name even where the project replaces it."""
    if not NAME.match(name):
        raise KindError(
            "a kind's folder name is its content and output folder: use lower-case letters, "
            "digits and hyphens",
            root / KINDS_DIR / name,
        )
    folder = BUILTIN_DIR / name if builtin else kind_folder(root, name)
    path = folder / KIND_FILE
    raw = read_bytes(path, "kind file") if not is_builtin(folder) else path.read_bytes()
    key = (str(path), digest(raw))
    found = _READ.get(key)
    if found is None:
        from plandocs.safety.reader import decode_text

        doc = parse_yaml(decode_text(raw, path), path)
        if not isinstance(doc.data, dict):
            raise KindError("kind.yaml holds a mapping (`facts: …`, `title: …`)", path, 1)
        found = _READ[key] = KindFile(path, doc, doc.data, key[1])
        if len(_READ) > 256:
            _READ.pop(next(iter(_READ)))
    return found


_SPECS: dict[tuple[object, ...], tuple[KindSpec, tuple[str, ...]]] = {}


def load_spec(
    root: Path, name: str, _seen: tuple[tuple[str, bool], ...] = (), builtin: bool = False
) -> KindSpec:
    """Read and check ``kind.yaml`` of ``name`` (and what it extends); located errors.

    A project kind may extend the built-in kind it replaces (``extends:`` its own name).
    Checked once per process while its files hold the same bytes (each document of a
    500-region batch asks for its kind): they are read again through the project's
    reader, which records them as inputs of the document, as a first reading would."""
    folder = BUILTIN_DIR / name if builtin else kind_folder(root, name)
    key = (str(root), name, builtin, _seen, str(folder), tuple(kind_names(root)))
    found = _SPECS.get(key)
    if found is not None:
        spec, digests = found
        try:
            if tuple(digest(read_bytes(f, "kind file")) for f in spec.files) == digests:
                return spec
        except PlandocsError:
            pass  # read again below, to report the problem where it is
    spec = _load_spec(root, name, _seen, builtin)
    try:
        digests = tuple(digest(read_bytes(f, "kind file")) for f in spec.files)
    except PlandocsError:
        return spec
    if len(_SPECS) > 64:
        _SPECS.pop(next(iter(_SPECS)))
    _SPECS[key] = (spec, digests)
    return spec


def _load_spec(
    root: Path, name: str, _seen: tuple[tuple[str, bool], ...], builtin: bool
) -> KindSpec:
    kind = read_kind(root, name, builtin)
    doc, data, path = kind.doc, kind.data, kind.path
    folder = path.parent
    schema = dict(KIND_SCHEMA)
    if data.get("extends") or data.get("prose") is True:
        # What it extends gives the rest; prose gives the title (each file's front matter).
        schema["required"] = [] if data.get("extends") else ["facts"]
    checked = (str(path), kind.digest, tuple(schema["required"]))
    if checked not in _CHECKED:
        try:
            validate_facts(doc, schema, path)
        except ContentErrors as exc:
            raise ContentErrors(
                [KindError(e.message, e.path, e.line, e.column) for e in exc.errors]
            ) from None
        _CHECKED.add(checked)
    base: KindSpec | None = None
    parent = data.get("extends")
    if parent is not None:
        own_builtin = parent == name and not is_builtin(folder) and name in builtin_names()
        if (parent, own_builtin) in [(n, b) for n, b in _seen] or (
            parent == name and not own_builtin
        ):
            raise doc.error(f"`extends: {parent}` goes round in a circle; break it", ("extends",))
        if parent not in kind_names(root):
            raise doc.error(
                f"no kind {parent!r} to extend (kinds here: {', '.join(kind_names(root))})",
                ("extends",),
            )
        base = load_spec(root, parent, (*_seen, (name, builtin)), own_builtin)

    def setting(key: str, default: Any = None) -> Any:
        if key in data:
            return data[key]
        return getattr(base, key) if base is not None else default

    model = setting("model", "facts")
    tables = _tables(data) if "tables" in data else (base.tables if base else ())
    parts = _parts(doc, data, tables) if "parts" in data else (base.parts if base else None)
    shape = setting("shape", "parts" if parts is not None else "single")
    if shape == "parts" and parts is None:
        raise doc.error("`shape: parts` needs `parts:` (the table and key column)", ("shape",))
    schema_dict: dict[str, Any] | None = base.schema if base else None
    schema_path: Path | None = base.schema_path if base else None
    files: tuple[Path, ...] = ((path,) if not is_builtin(folder) else ()) + (
        base.files if base else ()
    )
    if model == "facts" and ("schema" in data or base is None or base.schema is None):
        schema_path = folder / data.get("schema", "schema.yaml")
        schema_raw = (
            read_bytes(schema_path, "schema file")
            if not is_builtin(folder)
            else schema_path.read_bytes()
        )
        from plandocs.safety.reader import decode_text

        schema_key = (str(schema_path), digest(schema_raw))
        if schema_key not in _SCHEMAS:
            text = decode_text(schema_raw, schema_path)
            _SCHEMAS[schema_key] = check_schema(parse_yaml(text, schema_path))
        schema_dict = _SCHEMAS[schema_key]
        if not is_builtin(folder):
            files = (schema_path, *files)
    title = setting("title")
    title_line = (
        doc.position(("title",))[0] if "title" in data else (base.title_line if base else 1)
    )
    own = folder / TEMPLATES
    return KindSpec(
        name=name,
        folder=folder,
        facts=setting("facts"),
        model=model,
        shape=shape,
        schema=schema_dict,
        schema_path=schema_path,
        template=setting("template", f"{name}.html"),
        title=title,
        title_line=title_line,
        date=setting("date"),
        prose=bool(setting("prose", False)),
        tables=tables,
        parts=parts,
        blocks=setting("blocks"),
        template_folders=(own, *(base.template_folders if base else ())),
        files=files,
        description=setting("description"),
    )


def _tables(data: dict[str, Any]) -> tuple[TableSpec, ...]:
    return tuple(
        TableSpec(
            name=table,
            file=spec["file"],
            keys=tuple(spec["keys"]),
            years=(spec["years"][0], spec["years"][1]),
            numbers=spec.get("numbers"),
        )
        for table, spec in (data.get("tables") or {}).items()
    )


def _parts(doc: YamlDoc, data: dict[str, Any], tables: tuple[TableSpec, ...]) -> PartSpec | None:
    parts = data.get("parts")
    if not parts:
        return None
    spec = PartSpec(parts["table"], parts["key"], parts.get("names"))
    table = next((t for t in tables if t.name == spec.table), None)
    if table is None or spec.key not in table.keys:
        raise doc.error(
            "`parts` must name a table under `tables:` and one of its `keys`", ("parts",)
        )
    return spec
