"""The package reads as the pipeline: its imports point only down the layers, with no
circle, and no module grows past what one idea needs.

Every import counts, also one inside a function: hiding a circle behind a late import
is still a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "plandocs"
MAX_LINES = 500

LAYERS: list[tuple[str, ...]] = [
    ("plandocs",),
    ("plandocs.errors",),
    ("plandocs.safety",),
    ("plandocs.workers",),
    ("plandocs.content",),
    ("plandocs.settings",),
    ("plandocs.model",),
    ("plandocs.render",),
    ("plandocs.project",),
    ("plandocs.kinds", "plandocs.writers"),
    ("plandocs.pipeline",),
    ("plandocs.build",),
    ("plandocs.check",),
    (
        "plandocs.compare",
        "plandocs.review",
        "plandocs.preview",
        "plandocs.watch",
        "plandocs.scaffold",
        "plandocs.report",
    ),
    ("plandocs.cli",),
    ("plandocs.__main__",),
]
"""Lowest first. A module may import from its own layer's package (never a peer
package of the same layer: kinds and writers do not know each other) and from the
layers below; commands on the top layer may use each other's pieces."""
COMMANDS = LAYERS[-3]


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The plandocs modules ``name`` imports, at any depth of its code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, *([node.module] if node.module else [])])
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name and target.startswith("plandocs"):
                found.add(target)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(name: str) -> tuple[int, str]:
    """The layer of a module and the package of that layer it belongs to."""
    best: tuple[int, str] | None = None
    for number, packages in enumerate(LAYERS):
        for package in packages:
            if (name == package or name.startswith(package + ".")) and (
                best is None or len(package) > len(best[1])
            ):
                best = (number, package)
    assert best is not None, f"{name} is in no layer; add it to LAYERS"
    return best


def test_every_module_has_a_layer() -> None:
    for name in MODULES:
        _layer(name)


def test_imports_point_down_the_layers() -> None:
    wrong = []
    for name, targets in GRAPH.items():
        layer, package = _layer(name)
        for target in targets:
            other, other_package = _layer(target)
            if other > layer:
                wrong.append(f"{name} imports {target}, a higher layer")
            elif other == layer and other_package != package and package not in COMMANDS:
                wrong.append(f"{name} imports {target}, a peer of its layer")
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_circles() -> None:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in GRAPH[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    assert not circles, circles


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_stay_small(name: str) -> None:
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name}: {lines} lines; split it by subject"


def test_the_test_sees_what_it_should() -> None:
    """A check of the checker: a known downward import and a known peer are read."""
    assert "plandocs.kinds.spec" in GRAPH["plandocs.kinds.registry"]
    assert _layer("plandocs.kinds.registry")[0] > _layer("plandocs.render.page")[0]
    assert _layer("plandocs.kinds.spec")[0] == _layer("plandocs.writers.base")[0]
