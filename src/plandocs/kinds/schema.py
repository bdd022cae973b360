"""Facts validated against a kind's JSON Schema (draft 2020-12), every problem at its line.

A kind whose facts need no Python (``model: facts``, the default) describes them in
``schema.yaml``; the facts reach the templates typed by that schema (``format: date`` and
``format: time`` values as dates and times, every declared property present).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from plandocs.content.yamlfile import YamlDoc
from plandocs.errors import ContentError


class KindError(ContentError):
    """A kind's definition (kind.yaml, its schema, its templates) is not valid."""


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
    from jsonschema_specifications import REGISTRY  # type: ignore[import-untyped]

    from plandocs.errors import ContentErrors

    validator_class = jsonschema.validators.validator_for(schema, jsonschema.Draft202012Validator)
    # The published meta-schemas only, bundled with jsonschema: a `$ref` to anything else
    # (http://…, file:///…) is unresolvable, never fetched.
    validator = validator_class(
        schema, format_checker=jsonschema.FormatChecker(["date"]), registry=REGISTRY
    )
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
    for where, pattern in _patterns(schema, ()):
        problem = pattern_problem(pattern)
        if problem is not None:
            line, column = doc.position(where)
            raise KindError(f"`{_dotted(where)}`: {problem}", doc.path, line, column)
    return schema


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
    """The fact at a dotted name (``period.start``), or None."""
    for part in dotted.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _patterns(schema: Any, where: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
    """Every regular expression in a schema (``pattern``, ``patternProperties``), with
    where it is."""
    found: list[tuple[tuple[Any, ...], str]] = []
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "pattern" and isinstance(value, str):
                found.append(((*where, key), value))
            elif key == "patternProperties" and isinstance(value, dict):
                found += [((*where, key, name), name) for name in value if isinstance(name, str)]
            found += _patterns(value, (*where, key))
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            found += _patterns(value, (*where, index))
    return found


MAX_PATTERN = 500


def pattern_problem(pattern: str) -> str | None:
    """Why a schema's regular expression may not be used, or None.

    Python's regular expressions run in C, where no time limit reaches: a repetition
    inside a repetition (``(a+)+``, ``(\\w*)*``) can take longer than the universe on
    a text of forty letters. Such patterns are refused before any fact meets them."""
    import re

    if len(pattern) > MAX_PATTERN:
        return f"the pattern is longer than {MAX_PATTERN} characters; simplify it"
    try:
        from re import _parser as parser  # type: ignore[attr-defined]

        tree = parser.parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"the pattern is not a valid regular expression ({exc}); fix it"
    if _nested_repeat(list(tree), False):
        return (
            "the pattern repeats a part that repeats itself (such as `(a+)+`), which can "
            "take forever on a long text; write it without the outer repetition"
        )
    return None


def _nested_repeat(items: list[Any], inside: bool) -> bool:
    """Whether a parsed pattern has an unbounded repetition inside another repetition."""
    for op, value in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            _low, high, sub = value
            unbounded = high > 16  # `{2,5}` is harmless; `+`, `*`, `{1,1000}` are not
            if unbounded and inside:
                return True
            if _nested_repeat(list(sub), inside or unbounded):
                return True
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            sub = value[-1] if name == "SUBPATTERN" else value
            if _nested_repeat(list(sub), inside):
                return True
        elif name == "BRANCH":
            for branch in value[1]:
                if _nested_repeat(list(branch), inside):
                    return True
        elif name in ("ASSERT", "ASSERT_NOT") and _nested_repeat(list(value[1]), inside):
            return True
    return False
