"""Validate loaded YAML against a pydantic model; report every problem at its line."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from plandocs.content.yamlfile import YamlDoc
from plandocs.errors import ContentError, ContentErrors

M = TypeVar("M", bound=BaseModel)


def clean_loc(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """The location without pydantic's union and key markers (``str``, ``dict[…]``)."""
    return tuple(
        part
        for part in loc
        if not (isinstance(part, str) and ("[" in part or part in ("str", "int", "float")))
    )


def _dotted(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in clean_loc(loc)) or "(top level)"


def plain_message(error: dict[str, Any]) -> str:
    """Turn one pydantic error into words a content editor can act on."""
    loc: tuple[int | str, ...] = tuple(error["loc"])
    name = _dotted(loc)
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return f"`{name}` is required; add it"
    if kind == "extra_forbidden":
        return f"unknown key `{name}`; check its spelling or remove it"
    if kind.startswith("date"):
        return f"`{name}`: {value!r} is not a date; write it as YYYY-MM-DD (e.g. 2024-02-08)"
    if kind.startswith("time"):
        return f"`{name}`: {value!r} is not a time; write it as HH:MM (e.g. 10:00)"
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        return f"`{name}`: {value!r} is not allowed; use one of {expected}"
    if kind in ("int_parsing", "float_parsing", "decimal_parsing", "int_from_float"):
        return f"`{name}`: {value!r} is not a number"
    if kind in ("string_type", "dict_type", "list_type", "model_type", "model_attributes_type"):
        wanted = {
            "string_type": "text",
            "dict_type": "a mapping of keys to values",
            "list_type": "a list",
        }.get(kind, "a mapping of keys to values")
        return f"`{name}` should be {wanted}, not {value!r}"
    message = str(error.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ")
    return f"`{name}`: {message}"


def _clean(value: Any, doc: YamlDoc, loc: tuple[int | str, ...], memo: dict[int, Any]) -> Any:
    """``value`` with text cleaned of what XML cannot hold (a YAML escape such as ``"\\x0b"``
    can still make it), each with a warning at its line."""
    from plandocs.safety.reader import warn
    from plandocs.safety.text import xml_safe

    if isinstance(value, str):
        cleaned, removed = xml_safe(value)
        if removed is not None:
            line, column = doc.position(loc)
            warn(ContentError(removed.message(), doc.path, line, column))
        return cleaned
    if id(value) in memo:
        return memo[id(value)]
    result: Any = value
    if isinstance(value, dict):
        result = memo[id(value)] = {}
        for key, item in value.items():
            name = key
            if isinstance(key, str):
                name, removed = xml_safe(key)
                if removed is not None:
                    line, column = doc.position((*loc, key))
                    warn(ContentError(removed.message(" from a key"), doc.path, line, column))
                    if name in value or name in result:
                        line, column = doc.position((*loc, key))
                        raise ContentError(
                            f"the key {name!r} is written twice once its control characters "
                            "are removed; delete them, or rename one of the keys",
                            doc.path,
                            line,
                            column,
                        )
            result[name] = _clean(item, doc, (*loc, key), memo)
    elif isinstance(value, list):
        result = memo[id(value)] = []
        result.extend(_clean(item, doc, (*loc, index), memo) for index, item in enumerate(value))
    return result


def validate(doc: YamlDoc, model: type[M], context: dict[str, Any] | None = None) -> M:
    """Validate ``doc.data`` as ``model``; raise :class:`ContentErrors` naming every problem."""
    data = _clean(doc.data, doc, (), {}) if doc.data is not None else {}
    if not isinstance(data, dict):
        raise doc.error("the file should hold a mapping of keys to values (`key: value` lines)")
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        errors = [
            doc.error(
                plain_message(dict(err)),
                clean_loc(tuple(err["loc"])),
                err["type"] == "extra_forbidden",
            )
            for err in exc.errors(include_url=False)
        ]
        errors.sort(key=lambda e: (e.line or 0, e.column or 0))
        raise ContentErrors(errors) from None
