"""One path from content to HTML, for every command: (document, part, language) → load
within its budget → render.

``build`` and ``watch`` write what it renders; ``check`` renders everything and runs
the writers dry; the preview shows it; ``--compare`` renders an earlier draft through
it; ``review`` renders the content again to find where a reviewer's change belongs.
Whatever the kind — built-in or the project's, with parts or chapters — a document is
reached the same way, so each command meets the same limits and the same messages.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from plandocs.errors import ContentError, PlandocsError, describe
from plandocs.kinds.discover import find_documents
from plandocs.kinds.registry import Document, Kind, kind_named
from plandocs.model.references import (
    BrokenReference,
    Loader,
    MissingReference,
    ReferenceChainError,
    lending,
)
from plandocs.project import Project
from plandocs.render.page import RenderedDocument
from plandocs.safety.paths import root_of
from plandocs.safety.reader import Recorder, current, recording


@dataclass(frozen=True)
class Source:
    """A document folder of the project: ``content/<kind>/<slug>/``."""

    kind: str
    folder: Path

    @property
    def key(self) -> str:
        return f"{self.kind}/{self.folder.name}"


def sources(root: Path) -> list[Source]:
    """Every document folder of the project, kind by kind, in a stable order."""
    return [Source(kind, folder) for kind, folder in find_documents(root)]


def kind_of(project: Project, name: str) -> Kind:
    """The kind ``name`` (its ``kind.yaml`` checked): a broken one is a located error for
    its own documents only."""
    return kind_named(project.root, name)


@contextlib.contextmanager
def within(project: Project) -> Iterator[Recorder]:
    """Every file read in the block is a file of ``project``, links followed and kept
    inside it: the recorder of the command's own reading if it has one for this
    project, else one for the block (an earlier draft is another project)."""
    recorder = current()
    if recorder is not None and root_of(recorder.root) == root_of(project.root):
        yield recorder
        return
    with recording(project.root) as fresh:
        yield fresh


def load(project: Project, source: Source, facts_only: bool = False) -> Document:
    """Load one document folder within a budget of time and memory: a data file far too
    large is a located error, not a command that never ends. With ``facts_only``, what
    another document refers to: its facts and data, not its prose.

    A folder is loaded once per process while what it was made from stays the same
    (:mod:`plandocs.kinds.loads`): the parts of a folder — each region's sheet, each language —
    are made from one loading, so a batch costs per part what one part costs."""
    from plandocs.kinds.loads import load_once

    with within(project) as recorder, lending(_referrer(project)):
        kind = kind_of(project, source.kind)

        def fresh(project: Project, kind: Kind, folder: Path) -> Document:
            return _load_fresh(project, kind, folder, facts_only)

        return load_once(project, kind, source.folder, recorder, fresh, facts_only)


def _load_fresh(project: Project, kind: Kind, folder: Path, facts_only: bool) -> Document:
    from plandocs.safety.budget import BudgetExceeded, budget

    try:
        with budget(what="reading this document"):
            document = kind.load(project, folder, facts_only)
    except (BudgetExceeded, MemoryError, RecursionError) as exc:
        error = ContentError(describe(exc), folder)
        setattr(error, "transient", True)  # noqa: B010 - the machine's load, not the content
        raise error from None
    check_slug(document.slug, folder)
    return document


def _referrer(project: Project) -> Loader:
    """How a document (or a template global) reaches another that it names: through
    :func:`load`, so the files it is made from are recorded as inputs of this one."""

    def load_referenced(kind: str, slug: str) -> Document:
        from plandocs.kinds.discover import CONTENT_DIR, find_folders
        from plandocs.kinds.where import kind_names

        if kind not in kind_names(project.root):
            raise MissingReference(f"no kind {kind!r} in this project")
        folders = {folder.name: folder for folder in find_folders(project.root, kind)}
        if slug not in folders:
            known = ", ".join(sorted(folders)) or "none"
            raise MissingReference(
                f"no {kind} document {slug!r} (no folder {CONTENT_DIR}/{kind}/{slug}/); "
                f"the {kind} documents here: {known}"
            )
        try:
            return load(project, Source(kind, folders[slug]), facts_only=True)
        except PlandocsError as exc:
            if isinstance(exc, ReferenceChainError) or getattr(exc, "transient", False):
                raise  # the chain's own problem, or the machine's load: as it is
            raise BrokenReference(broken(project, f"{CONTENT_DIR}/{kind}/{slug}", exc)) from None

    return load_referenced


def broken(project: Project, name: str, exc: PlandocsError) -> str:
    """What a document that refers to ``name`` says when ``name`` cannot be loaded: that
    it has errors and where the first is; the errors themselves are ``name``'s to report
    (a build or ``check`` of the whole project shows them once, with that document)."""
    errors = getattr(exc, "errors", None) or [exc]
    where = errors[0].location(project.root) or name
    one = len(errors) == 1
    found = f"an error (at {where})" if one else f"errors (the first at {where})"
    return (
        f"{name} has {found}, so this document, which refers to it, cannot be made; "
        f"fix {'that' if one else 'them'} first"
    )


def render(
    project: Project, source: Source, document: Document, lang: str, draft: bool = False
) -> RenderedDocument:
    """One language of a loaded document (or of one of its parts); its own budget."""
    error = document.language_error(lang)
    if error is not None:
        raise error
    with within(project), lending(_referrer(project)):
        return kind_of(project, source.kind).render(project, document, lang, draft)


def units(document: Document) -> list[str | None]:
    """The documents a loaded folder yields: None (its own, or the recap) and its parts."""
    return document.parts()


def check_slug(slug: str, folder: Path) -> None:
    """The folder name must make valid output file names, on every system a build goes
    to and beside the files plandocs keeps there: not too long, no backslash, no control
    character, not ending like an edited copy or a redline."""
    from plandocs.safety.outputs import name_problem

    problem = name_problem(slug)
    if problem is not None:
        raise ContentError(f"the folder name {problem}", folder)


def dry_run(project: Project, rendered: RenderedDocument) -> None:
    """What writing the document would meet, without writing it: the Word converter
    runs over every element (into a document in memory), and every file the PDF writer
    would fetch goes through its URL policy."""
    from plandocs.errors import WriterError
    from plandocs.writers.docx.writer import DocxWriter
    from plandocs.writers.pdf.writer import check_urls

    try:
        check_urls(project.root, rendered.html, lambda url: written_where(rendered, url))
    except WriterError as exc:
        exc.path = exc.path or rendered.source
        raise
    DocxWriter(project).dry_run(rendered)


def located_url_error(project: Project, rendered: RenderedDocument, exc: PlandocsError) -> None:
    """A writer refused a URL (an image or stylesheet outside the project) and did not
    say where it was written: raise the error at the template file and line that wrote
    it, if one did (content's URLs are checked, at their line, as the prose renders)."""
    from plandocs.errors import WriterError
    from plandocs.writers.pdf.writer import check_urls

    if not isinstance(exc, WriterError) or exc.line is not None:
        return
    check_urls(project.root, rendered.html, lambda url: written_where(rendered, url))


def written_where(rendered: RenderedDocument, url: str) -> tuple[Path, int] | None:
    """The project template (or stylesheet) that holds ``url`` as written, and the line:
    among the files the document's rendering read."""
    import html

    recorder = current()
    names = [*rendered.templates]
    if recorder is not None:
        base = root_of(recorder.root)
        names += [base / rel for rel in recorder.reads if rel.endswith((".html", ".css"))]
    forms = {url, html.escape(url), html.escape(url, quote=False)}
    for path in dict.fromkeys(names):
        from plandocs.safety.paths import read_regular

        raw = read_regular(path, 8 * 1024 * 1024)
        if raw is None:
            continue
        text = raw.decode("utf-8", "replace")
        at = min((i for i in (text.find(form) for form in forms) if i >= 0), default=-1)
        if at >= 0:
            return path, text.count("\n", 0, at) + 1
    return None


def failure(exc: BaseException, where: Path) -> PlandocsError:
    """Any exception met on the pipeline as the located problem it reports: a located
    error as it is, a bug in plandocs as one "please report this" line."""
    from plandocs.errors import InternalError, TemplateError

    if isinstance(exc, PlandocsError):
        if exc.path is None:
            exc.path = where
        return exc
    if isinstance(exc, RecursionError | MemoryError):
        return TemplateError(describe(exc), where)
    return InternalError.from_exception(exc, where)
