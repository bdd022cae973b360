"""Documents that refer to another document's facts: a Perjanjian Kinerja names its
Renstra (``renstra: kemensos-2025-2029``), a Laporan Kinerja its PK, a press release may
cite the plan (``plan("kemensos-2025-2029")``).

The referred document is loaded through the same pipeline as any other (its kind, its
budget, the project's one reader), so every file it is made from is recorded as an
input of the document that refers to it: editing a target in the Renstra rebuilds the
PK that shows it. The pipeline, which sits above the models, lends its loader for the
length of one command's loading or rendering (:func:`lending`); a model or a template
global asks for a document with :func:`referenced`. A reference that goes round in a
circle, or names a folder that is not there, is an error at the line that names it; so
is one to a document that has errors of its own: the document that refers to it fails
too, with a line of its own that points at them (they are that document's to report).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from plandocs.errors import ContentError, PlandocsError

Loader = Callable[[str, str], Any]
"""(kind, slug) → the loaded document's facts (its prose is not read)."""

MAX_DEPTH = 8
"""References followed from one document (an LKj → its PK → its Renstra is three)."""


class MissingReference(LookupError):
    """A reference that names no document: raised bare (no location) so that a template
    expression is blamed at its own line, and a model can locate it at its fact."""


class BrokenReference(MissingReference):
    """A reference to a document that cannot be loaded (its own errors): raised bare and
    located like a missing one, at the line that names it. Its message points at the
    referred document's errors and never repeats them: they are reported with that
    document, and each document that cannot be made is a failure of its own."""


class ReferenceChainError(ContentError):
    """The references themselves go wrong (a circle, a chain too deep): reported as they
    are by every document on the chain, never as a broken reference."""


@dataclass
class _Lender:
    load: Loader
    cache: dict[tuple[str, str], Any] = field(default_factory=dict)
    loading: list[tuple[str, str]] = field(default_factory=list)


_LENDER: ContextVar[_Lender | None] = ContextVar("plandocs_references", default=None)


@contextlib.contextmanager
def lending(load: Loader) -> Iterator[None]:
    """Let the documents loaded or rendered in the block refer to others, loaded with
    ``load``. Nested blocks keep the outer loader (and what it has loaded)."""
    if _LENDER.get() is not None:
        yield
        return
    token = _LENDER.set(_Lender(load))
    try:
        yield
    finally:
        _LENDER.reset(token)


def referenced(kind: str, slug: str, where: PlandocsError | None = None) -> Any:
    """The facts of the document ``content/<kind>/<slug>/``, loaded once per command's
    document. ``where`` locates the problems of the reference itself (a circle, no such
    folder); a problem inside the referred document keeps its own location."""
    lender = _LENDER.get()
    if lender is None:
        raise RuntimeError("a document refers to another outside the pipeline")
    key = (kind, slug)
    if key in lender.cache:
        return lender.cache[key]
    if key in lender.loading:
        start = lender.loading.index(key)
        chain = " → ".join(f"{k}/{s}" for k, s in (*lender.loading[start:], key))
        raise _located(
            f"the documents refer to each other in a circle ({chain}); break it", where, chain=True
        )
    if len(lender.loading) >= MAX_DEPTH:
        chain = " → ".join(f"{k}/{s}" for k, s in (*lender.loading, key))
        raise _located(
            f"the references go more than {MAX_DEPTH} documents deep ({chain}); "
            "refer to the document that holds the facts",
            where,
            chain=True,
        )
    lender.loading.append(key)
    try:
        document = lender.load(kind, slug)
    except MissingReference as exc:
        raise _located(str(exc), where) from None
    finally:
        lender.loading.pop()
    lender.cache[key] = document
    return document


def _located(message: str, where: PlandocsError | None, chain: bool = False) -> Exception:
    if where is None:
        return MissingReference(message)
    kind = ReferenceChainError if chain else ContentError
    return kind(message, where.path, where.line, where.column, where.cell)
