"""The one kind mechanism at work: a kind is its ``kind.yaml`` (:mod:`plandocs.kinds.spec`)
and the model it names, from a small registry of Python models
(:mod:`plandocs.kinds.models`). Every command reaches documents through :class:`Kind`,
whatever the kind, built-in or the project's."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from plandocs.content.prose import Prose
from plandocs.errors import ContentError
from plandocs.kinds.spec import SHAPES, KindError, KindSpec, load_spec
from plandocs.model.document import Origin
from plandocs.project import Project
from plandocs.render.page import RenderedDocument
from plandocs.safety.paths import resolve_inside


class Document(Protocol):
    """What the pipeline needs to know of a loaded document (or of one of its parts)."""

    slug: str
    folder: Path

    def sources(self, lang: str) -> list[Path]:
        """The content files the ``lang`` version is made from."""
        ...

    def languages(self) -> list[str]:
        """Languages this document has content for (readable or not)."""
        ...

    def language_error(self, lang: str) -> ContentError | None:
        """Why the ``lang`` version cannot be built, if it cannot."""
        ...

    def parts(self) -> list[str | None]:
        """The documents the folder yields: None (the folder's own, or the recap of its
        parts) and each part's code."""
        ...

    def select(self, part: str | None) -> Document:
        """The document of one part (None: the folder's own)."""
        ...

    def part_inputs(self, part: str, rel: Callable[[Path], str]) -> dict[str, str]:
        """What one part depends on instead of its whole table (its own rows)."""
        ...

    def prose_files(self) -> dict[str, list[Prose]]:
        """The Markdown files per language (for the bilingual checks)."""
        ...

    def single_language(self) -> str | None:
        """The one language it is published in, if it is published in one only."""
        ...

    def fact_expressions(self) -> dict[str, str]:
        """Its numeric facts (normal reading → the ``{{ … }}`` that writes them)."""
        ...

    def indicator_values(self) -> dict[str, set[str]]:
        """The values of each plan indicator it names (code → readings)."""
        ...


class Model(Protocol):
    """A model module: how the facts of a kind are loaded and rendered."""

    SHAPES: frozenset[str]

    def load(self, project: Project, spec: KindSpec, folder: Path) -> Any: ...

    def render(
        self, project: Project, spec: KindSpec, document: Any, lang: str, draft: bool
    ) -> RenderedDocument: ...


def model_named(name: str) -> Model:
    """The model module ``plandocs.kinds.models.<name>``."""
    module: Any = importlib.import_module(f"plandocs.kinds.models.{name}")
    return module  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Kind:
    """A kind as the pipeline uses it: load a content folder, render one language."""

    spec: KindSpec
    model: Model

    @property
    def name(self) -> str:
        """Also its folder under ``content/`` and under ``build/<lang>/``."""
        return self.spec.name

    def load(self, project: Project, folder: Path, facts_only: bool = False) -> Document:
        """The document in ``folder``; with ``facts_only`` (for a document that refers
        to it), only its facts and data, where its model can leave its prose unread."""
        resolve_inside(project.root, folder, "document folder")
        loader = getattr(self.model, "load_facts", None) if facts_only else None
        document: Document = (loader or self.model.load)(project, self.spec, folder)
        return document

    def render(
        self, project: Project, document: Document, lang: str, draft: bool = False
    ) -> RenderedDocument:
        return self.model.render(project, self.spec, document, lang, draft)

    @property
    def tells_origins(self) -> bool:
        """Whether its model says where each value its documents print is written (a
        model whose documents draw values from others: the PK's, the LKj's)."""
        return getattr(self.model, "origins", None) is not None

    def origins(self, document: Document, lang: str) -> list[Origin]:
        """Each value ``document`` prints in ``lang`` and where it is written, as its
        model says (:attr:`tells_origins`); none if it does not."""
        declared = getattr(self.model, "origins", None)
        return list(declared(document, lang)) if declared is not None else []


def kind_named(root: Path, name: str) -> Kind:
    """The kind ``name`` of the project: its own ``kinds/<name>/``, else the built-in one."""
    spec = load_spec(root, name)
    model = model_named(spec.model)
    if spec.shape not in model.SHAPES:
        shapes = ", ".join(s for s in SHAPES if s in model.SHAPES)
        raise KindError(
            f"the {spec.model} model makes no documents of the shape {spec.shape!r}; "
            f"use one of: {shapes}",
            spec.kind_file,
        )
    return Kind(spec, model)
