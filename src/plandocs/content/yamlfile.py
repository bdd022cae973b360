"""Safe YAML loading that remembers where every value stands in the file.

PyYAML's composed node tree carries line and column marks; we keep it beside the
plain data so a validation problem found later can still point at ``path:line``.
Dates and ``HH:MM`` times are left as strings here (YAML 1.1 would turn ``10:00``
into the integer 600 and fail with no location on ``2024-02-30``): the model
parses them and reports a bad one at its line.

Numbers are read so that none can be silently misread (:func:`number_problems`):
``412.500`` — a point followed by exactly three digits — is an error, since an
Indonesian writer means 412500 where YAML reads 412.5; so are ``0217`` (YAML 1.1
octal), hexadecimal and binary integers, ``.nan`` and ``.inf``, a float with more
digits than a float keeps, ``85,5`` inside ``[…]`` or ``{…}`` (read as two entries),
and magnitudes beyond 10^18. Quoted numbers stay text; where a number is expected
they are read in the project's ``number_style`` (:mod:`plandocs.content.numbers`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from plandocs.content.numbers import MAX_MAGNITUDE, plain
from plandocs.content.yamlshape import MAX_DEPTH, MAX_VALUES, flow_depth, foreign_tag, measure
from plandocs.errors import ContentError

MAX_YAML_BYTES = 2 * 1024 * 1024

_INT = re.compile(
    r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0[0-7_]+
    |[-+]?(?:0|[1-9][0-9_]*)
    |[-+]?0x[0-9a-fA-F_]+)$""",
    re.X,
)
_FLOAT = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)


# libyaml's parser when PyYAML has it (it keeps the same line and column marks).
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """A safe loader without timestamps and without base-60 numbers."""


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag
        not in (
            "tag:yaml.org,2002:timestamp",
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float",
        )
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))

Loc = tuple[int | str, ...]

INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
_AMBIGUOUS = re.compile(r"[-+]?[1-9][0-9]{0,2}\.[0-9]{3}")
_NOT_DECIMAL = re.compile(r"[-+]?0(?:[0-9_]+|[xXbBoO].*)")


@dataclass(frozen=True)
class YamlDoc:
    """Loaded YAML data plus the node tree used to locate any value in it."""

    path: Path
    data: Any
    node: yaml.Node | None
    line_offset: int = 0

    def position(self, loc: Loc, at_key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at ``loc``, or of its nearest parent.

        With ``at_key``, the position of the mapping key itself (for an unknown key).
        """
        node = self.node
        if node is None:
            return (1 + self.line_offset, 1)
        best = node
        for index, key in enumerate(loc):
            last = index == len(loc) - 1
            child = _child(node, key, want_key=at_key and last)
            if child is None:
                break
            best = node = child
        mark = best.start_mark
        return (mark.line + 1 + self.line_offset, mark.column + 1)

    def value(self, loc: Loc) -> Any:
        """The data at ``loc`` (keys of mappings, indexes of lists); None where there is
        none."""
        return value_at(self.data, loc)

    def error(self, message: str, loc: Loc = (), at_key: bool = False) -> ContentError:
        """A :class:`ContentError` pointing at the value (or the key) at ``loc``."""
        line, column = self.position(loc, at_key)
        return ContentError(message, self.path, line, column)


def value_at(data: Any, loc: Loc) -> Any:
    """The part of ``data`` at ``loc`` (keys of mappings, indexes of lists); None where
    there is none."""
    for key in loc:
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data):
            data = data[key]
        else:
            return None
    return data


def _child(node: yaml.Node, key: int | str, want_key: bool = False) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for knode, vnode in node.value:
            if isinstance(knode, yaml.ScalarNode) and knode.value == str(key):
                found: yaml.Node = knode if want_key else vnode
                return found
    elif (
        isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value)
    ):
        return node.value[key]  # type: ignore[no-any-return]
    return None


def _duplicate_key(node: yaml.Node) -> tuple[yaml.Node, yaml.Node] | None:
    """The first key that a mapping repeats (YAML would silently keep the last)."""
    stack = [node]
    seen_nodes: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen_nodes:
            continue
        seen_nodes.add(id(current))
        if isinstance(current, yaml.MappingNode):
            keys: dict[str, yaml.Node] = {}
            for knode, vnode in current.value:
                if isinstance(knode, yaml.ScalarNode):
                    if knode.value in keys:
                        return keys[knode.value], knode
                    keys[knode.value] = knode
                stack.append(vnode)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return None


def _check_nesting(text: str, path: Path, line_offset: int) -> None:
    """Refuse YAML nested deeper than :data:`MAX_DEPTH` from its events alone, before the
    node tree is composed: libyaml composes by recursion in C, and 100,000 ``[`` in a row
    would crash the process rather than raise. Flow collections are measured first by
    :func:`plandocs.content.yamlshape.flow_depth`, whatever the YAML library would do with them."""
    deep = flow_depth(text)
    if deep is not None:
        raise ContentError(
            f"YAML nests deeper than {MAX_DEPTH} levels", path, deep[0] + 1 + line_offset
        )
    scanner = _Loader(text)
    depth = 0
    try:
        while scanner.check_event():
            event = scanner.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1 + line_offset if event.start_mark else None
                    raise ContentError(f"YAML nests deeper than {MAX_DEPTH} levels", path, line)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        scanner.dispose()


def _number_problem(node: yaml.ScalarNode) -> str | None:
    """Why a number in YAML could be misread, if it could."""
    text = node.value.strip()
    if node.tag == FLOAT_TAG:
        if _AMBIGUOUS.fullmatch(text):
            whole = text.replace(".", "").lstrip("+")
            grouped = f"{whole[: len(whole) - 3]}_{whole[-3:]}"
            return (
                f"{text} could be {whole} (a point groups thousands in Indonesian) "
                f"or {plain(Decimal(text))}; write {whole} or {grouped} for the "
                f'whole number, "{text}" in quotes to read it in the Indonesian style '
                f"(`number_style: id` in plandocs.yaml), or {plain(Decimal(text))}"
            )
        lowered = text.lower()
        if "nan" in lowered or "inf" in lowered:
            return f"{text} is not a number; write the value in digits"
        try:
            value = Decimal(text.replace("_", ""))
        except ArithmeticError:
            return f"{text} is not a number"
        if value.copy_abs() > MAX_MAGNITUDE:
            return f"{text} is larger than plandocs handles (at most 10^18 in magnitude)"
        if Decimal(repr(float(value))) != value:
            return (
                f"{text} has more digits than a YAML number keeps (about 15); write "
                f'fewer digits, or quote it ("{text}") to have it read exactly'
            )
    elif node.tag == INT_TAG:
        if _NOT_DECIMAL.fullmatch(text):
            # YAML 1.1 reads 0217 as octal (143), 0x1F as hexadecimal (31).
            try:
                read = str(yaml.constructor.SafeConstructor().construct_yaml_int(node))
            except (ValueError, yaml.YAMLError):
                read = "something else"
            return (
                f"{text} would be read as {read}; write the number in decimal digits without a "
                f'leading zero, or quote "{text}" if it is a code'
            )
        digits = text.lstrip("+-").replace("_", "")
        if not digits.isdigit():
            return f"{text} is not a whole number"
        if len(digits) > 19 or int(digits) > MAX_MAGNITUDE:
            return (
                f"{text[:24]}{'…' if len(text) > 24 else ''} is larger than plandocs handles "
                f'(at most 10^18 in magnitude); quote it ("…") if it is a code or identifier'
            )
    return None


def _flow_items(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def number_problems(node: yaml.Node, text: str) -> list[tuple[yaml.Node, str]]:
    """Every number in the tree that YAML would read otherwise than its writer meant."""
    problems: list[tuple[yaml.Node, str]] = []
    stack = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.ScalarNode):
            problem = _number_problem(current)
            if problem:
                problems.append((current, problem))
            continue
        items = _flow_items(current)
        stack.extend(items)
        if not getattr(current, "flow_style", False):
            continue
        for before, after in itertools.pairwise(items):
            # `{2025: 85,5}` is {2025: 85, 5: null} and `[85,5]` is [85, 5] to YAML.
            at = after.start_mark.index
            if (
                isinstance(before, yaml.ScalarNode)
                and isinstance(after, yaml.ScalarNode)
                and before.tag in (INT_TAG, FLOAT_TAG)
                and after.tag in (INT_TAG, FLOAT_TAG)
                and not before.style  # plain: None in PyYAML, '' in libyaml
                and not after.style
                and 0 < at < len(text)
                and text[at - 1] == ","
            ):
                written = f"{before.value},{after.value}"
                problems.append(
                    (
                        before,
                        f"{written} is read as two entries ({before.value} and {after.value}); "
                        f'write a decimal as {before.value}.{after.value} or "{written}" in '
                        "quotes, and put a space after a comma that separates entries",
                    )
                )
    problems.sort(key=lambda item: (item[0].start_mark.line, item[0].start_mark.column))
    return problems


def parse_yaml(text: str, path: Path, line_offset: int = 0) -> YamlDoc:
    """Parse YAML text safely; problems become a located :class:`ContentError`."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_YAML_BYTES:
        raise ContentError(
            f"file is larger than {MAX_YAML_BYTES // 1024 // 1024} MiB; split it", path
        )
    loader = _Loader(text)
    try:
        _check_nesting(text, path, line_offset)
        node = loader.get_single_node()
        depth, size, distinct = measure(node) if node is not None else (0, 0, 0)
        if depth > MAX_DEPTH:
            raise ContentError(f"YAML nests deeper than {MAX_DEPTH} levels", path, 1 + line_offset)
        if size > MAX_VALUES:
            raise ContentError(
                f"YAML aliases (`*name`) expand this file to more than {MAX_VALUES:,} values; "
                "write the values out instead of repeating aliases of aliases"
                if distinct <= MAX_VALUES
                else f"the file holds more than {MAX_VALUES:,} values; split it",
                path,
                1 + line_offset,
            )
        duplicate = _duplicate_key(node) if node is not None else None
        if duplicate is not None:
            first, again = duplicate
            raise ContentError(
                f"`{again.value}` is given twice (first on line "
                f"{first.start_mark.line + 1 + line_offset}); keep one",
                path,
                again.start_mark.line + 1 + line_offset,
                again.start_mark.column + 1,
            )
        foreign = foreign_tag(node) if node is not None else None
        if foreign is not None:
            tag = foreign.tag.replace("tag:yaml.org,2002:", "!!")
            raise ContentError(
                f"a `{tag}` value is not read here: facts are text, numbers, dates, true or "
                "false, lists and mappings; remove the tag and write the value as text",
                path,
                foreign.start_mark.line + 1 + line_offset,
                foreign.start_mark.column + 1,
            )
        problems = number_problems(node, text) if node is not None else []
        if problems:
            from plandocs.errors import ContentErrors

            raise ContentErrors(
                [
                    ContentError(
                        message,
                        path,
                        where.start_mark.line + 1 + line_offset,
                        where.start_mark.column + 1,
                    )
                    for where, message in problems
                ]
            )
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line = mark.line + 1 + line_offset if mark else None
        col = mark.column + 1 if mark else None
        raise ContentError(
            f"invalid YAML: {problem}; check indentation, colons and quotes", path, line, col
        ) from None
    except yaml.YAMLError as exc:
        raise ContentError(f"invalid YAML: {exc}", path, 1 + line_offset) from None
    except (ValueError, LookupError, TypeError, AttributeError, ArithmeticError):
        # A value under an explicit tag its constructor cannot read (`!!bool 7`).
        raise ContentError(
            "invalid YAML: a value cannot be read as the type its `!!` tag names; remove the tag",
            path,
            1 + line_offset,
        ) from None
    finally:
        loader.dispose()
    return YamlDoc(path, data, node, line_offset)


def load_yaml(path: Path, what: str = "YAML file") -> YamlDoc:
    """Read (through the project's reader, which records it) and parse a YAML file."""
    from plandocs.safety.reader import read_text

    return parse_yaml(read_text(path, what), path)
