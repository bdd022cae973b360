"""The kinds of document plandocs builds, each as a small module:

* where its content lives and how to load it (``find``, ``load``);
* how one loaded document becomes HTML in one language (``render``).

Built in: readouts and the Renstra (Python loaders). Any other kind is defined by
files in the project, ``kinds/<name>/`` (:mod:`plandocs.kinds.spec`), with no Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from plandocs.errors import ContentError
from plandocs.project import Project
from plandocs.render.page import RenderedDocument


class Document(Protocol):
    """What the build needs to know of a loaded document."""

    slug: str

    def sources(self, lang: str) -> list[Path]:
        """The content files the ``lang`` version is made from."""
        ...

    def languages(self) -> list[str]:
        """Languages this document has content for (readable or not)."""
        ...

    def language_error(self, lang: str) -> ContentError | None:
        """Why the ``lang`` version cannot be built, if it cannot."""
        ...


@dataclass(frozen=True)
class Kind:
    name: str
    """Also the folder under ``content/`` and under ``build/<lang>/``."""
    load: Callable[[Project, Path], Any]
    """(project, document folder) → the loaded document."""
    render: Callable[[Project, Any, str, bool], RenderedDocument]
    """(project, document, language, draft) → its HTML in that language."""


def _kinds() -> tuple[Kind, ...]:
    from plandocs.kinds import readout, renstra

    return (readout.KIND, renstra.KIND)


KINDS: dict[str, Kind] = {kind.name: kind for kind in _kinds()}


def kind_named(root: Path, name: str) -> Kind:
    """The built-in kind of that name, else the project's file-defined kind."""
    if name in KINDS:
        return KINDS[name]
    from plandocs.kinds.filekind import make_kind

    return make_kind(root, name)
