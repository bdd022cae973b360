"""The shape a YAML file may have, found before or without building its values: how
deep it nests (its flow collections from the characters, before libyaml, which
composes by recursion in C), how many values its aliases expand to (a "billion laughs"
measured in microseconds), and no value of a type no document shows (``!!binary`` …).
Used by :mod:`plandocs.content.yamlfile`."""

from __future__ import annotations

import re

import yaml

MAX_DEPTH = 30
MAX_VALUES = 250_000
"""Values in one file once aliases are expanded: far above any plan, far below a
"billion laughs" that would make every later step run for minutes."""


def nodes_in(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def measure(root: yaml.Node) -> tuple[int, int, int]:
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
            kids = nodes_in(node)
            depth = 1 + max((memo[id(c)][0] for c in kids), default=0)
            size = 1 + sum(memo[id(c)][1] for c in kids)
            memo[key] = (min(depth, MAX_DEPTH + 1), min(size, MAX_VALUES + 1))
            active.discard(key)
            continue
        if key in memo:
            continue
        if key in active:
            return infinite
        active.add(key)
        stack.append((node, True))
        for child in nodes_in(node):
            if id(child) in active:
                return infinite
            if id(child) not in memo:
                stack.append((child, False))
    depth, size = memo[id(root)]
    return depth, size, len(memo)


_BLOCK_SCALAR = re.compile(r"(?:^|[\s:-])[|>][-+0-9]*\s*(?:#.*)?$")


def flow_depth(text: str) -> tuple[int, int] | None:
    """The line (0-based) and column where flow collections (``[…]``, ``{…}``) first nest
    deeper than :data:`MAX_DEPTH`, or None.

    plandocs' own scan of the characters, so that the limit and its message do not
    depend on the YAML library: libyaml scans ahead in flow context and stops deep
    nesting with its own error (at a depth of its own choosing) before any event of
    the first thirty levels reaches :func:`_check_nesting`. It knows just enough YAML
    to tell a collection from text: quoted scalars, comments, block scalars (``|``,
    ``>``), and that outside a flow collection ``[`` or ``{`` opens one only where a
    value starts."""
    depth = 0
    quote = ""
    at_start = True  # where a value may start: a bracket or a quote opens one here
    block_indent = -1  # inside a block scalar: lines more indented than this are text
    for number, line in enumerate(text.split("\n")):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block_indent >= 0:
            if not stripped.strip() or indent > block_indent:
                continue
            block_indent = -1
        if depth == 0 and not quote:
            at_start = True
        column = indent if not quote else 0
        previous = ""
        while column < len(line):
            char = line[column]
            if quote:
                if quote == '"' and char == "\\":
                    column += 2
                    continue
                if char == quote:
                    if quote == "'" and line[column + 1 : column + 2] == "'":
                        column += 2
                        continue
                    quote = ""
                    at_start = False
            elif char == "#" and (column == 0 or line[column - 1] in " \t"):
                break
            elif char in "[{" and (depth > 0 or at_start):
                depth += 1
                if depth > MAX_DEPTH:
                    return number, column
                at_start = True
            elif char in "]}" and depth > 0:
                depth -= 1
                at_start = False
            elif char in "'\"" and at_start:
                quote = char
            elif char in " \t":
                pass
            elif (char in ",?" and depth > 0) or (
                char in "-?:" and line[column + 1 : column + 2] in ("", " ", "\t")
            ):
                at_start = True
            elif char in "&!" and at_start and previous in ("", " ", "\t", "[", "{", ","):
                # an anchor or a tag: the value still starts after it
                end = column
                while end < len(line) and line[end] not in " \t,[]{}":
                    end += 1
                column = end
                continue
            else:
                at_start = False
            previous = char
            column += 1
        if depth == 0 and not quote and _BLOCK_SCALAR.search(line.split(" #")[0]):
            block_indent = indent
    return None


_OTHER_TYPES = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("binary", "set", "omap", "pairs", "timestamp")
)
"""Tags the safe loader would read into values no document shows: a ``!!binary`` value
would reach the templates as bytes, a ``!!set`` as a set, a ``!!timestamp`` as a time
with a zone. A value is text, a number, true/false, nothing, a list or a mapping."""


def foreign_tag(node: yaml.Node) -> yaml.Node | None:
    """The first node tagged with one of :data:`_OTHER_TYPES`."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if current.tag in _OTHER_TYPES:
            return current
        stack.extend(reversed(nodes_in(current)))
    return None
