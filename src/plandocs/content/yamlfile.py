"""Safe YAML loading that remembers where every value stands in the file.

PyYAML's composed node tree carries line and column marks; we keep it beside the
plain data so a validation problem found later can still point at ``path:line``.
Dates and ``HH:MM`` times are left as strings here (YAML 1.1 would turn ``10:00``
into the integer 600 and fail with no location on ``2024-02-30``): the model
parses them and reports a bad one at its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from plandocs.errors import ContentError

MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 30
MAX_VALUES = 250_000
"""Values in one file once aliases are expanded: far above any plan, far below a
"billion laughs" that would make every later step run for minutes."""

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

    def error(self, message: str, loc: Loc = (), at_key: bool = False) -> ContentError:
        """A :class:`ContentError` pointing at the value (or the key) at ``loc``."""
        line, column = self.position(loc, at_key)
        return ContentError(message, self.path, line, column)


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


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _measure(root: yaml.Node) -> tuple[int, int, int]:
    """Depth, number of values once aliases are expanded, and distinct nodes.

    Each node is measured once, however many aliases point at it, so a "billion
    laughs" file (aliases of aliases, 600 bytes for 10⁹ values) is measured in
    microseconds; an alias cycle counts as infinitely deep.
    """
    infinite = MAX_DEPTH + 1, MAX_VALUES + 1, 0
    memo: dict[int, tuple[int, int]] = {}
    active: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            children = _children(node)
            depth = 1 + max((memo[id(c)][0] for c in children), default=0)
            size = 1 + sum(memo[id(c)][1] for c in children)
            memo[key] = (min(depth, MAX_DEPTH + 1), min(size, MAX_VALUES + 1))
            active.discard(key)
            continue
        if key in memo:
            continue
        if key in active:
            return infinite
        active.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in active:
                return infinite
            if id(child) not in memo:
                stack.append((child, False))
    depth, size = memo[id(root)]
    return depth, size, len(memo)


def _check_nesting(text: str, path: Path, line_offset: int) -> None:
    """Refuse YAML nested deeper than :data:`MAX_DEPTH` from its events alone, before the
    node tree is composed: libyaml composes by recursion in C, and 100,000 ``[`` in a row
    would crash the process rather than raise."""
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
        depth, size, distinct = _measure(node) if node is not None else (0, 0, 0)
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
    finally:
        loader.dispose()
    return YamlDoc(path, data, node, line_offset)


def read_text(path: Path) -> str:
    """Read a UTF-8 text file; a missing or undecodable file is a :class:`ContentError`."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError(f"cannot read file: {exc.strerror}", path) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError("file is not UTF-8 text; save it as UTF-8", path, line) from None


def load_yaml(path: Path) -> YamlDoc:
    """Read and parse a YAML file."""
    return parse_yaml(read_text(path), path)
