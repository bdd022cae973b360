"""``plandocs check``: validate the whole project (or the documents under PATHS)
without writing a document.

Every problem is collected — settings, templates, every content and data file, every
expression (each document is rendered to HTML in memory) — and reported at its
place, then the bilingual parity checks (:mod:`plandocs.check.parity`) add their warnings.
``plandocs build`` uses the same loaders and validators on what it rebuilds.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plandocs import pipeline
from plandocs.check.cascade import check_cascade
from plandocs.check.diagnostics import CheckResult, DocumentReport
from plandocs.errors import InternalError, PlandocsError, SettingsError, Severity
from plandocs.pipeline import Source

if TYPE_CHECKING:
    from plandocs.project import Project


def check_project(root: Path, paths: Sequence[Path] = ()) -> CheckResult:
    """Validate everything; never raises for a problem in the project.

    Each document goes through what ``build`` does short of writing files: loading,
    rendering in every language, the Word converter over every element and the PDF
    writer's URL policy. So a project that passes ``check`` builds.

    With ``paths``, only the documents under them (as ``build PATHS`` selects them) are
    checked, with the checks across documents among them and their outputs; the
    settings, templates, kinds and glossary, which every document uses, are checked
    all the same. A path that selects no document is an error, as in ``build``.
    """
    from plandocs.kinds.loads import new_run
    from plandocs.safety.reader import recording

    new_run()
    result = CheckResult()
    try:
        with recording(Path(os.path.realpath(root))) as recorder:
            _check(root, result, tuple(paths))
        for warning in recorder.warnings:
            result.add("warning", warning)
    except PlandocsError as exc:
        result.add("error", exc)
    except Exception as exc:  # a bug in plandocs: one line, never a traceback
        result.add("error", InternalError.from_exception(exc, root / "plandocs.yaml"))
    return result


def _check(root: Path, result: CheckResult, paths: tuple[Path, ...] = ()) -> None:
    from plandocs.build.plan import check_paths, selected
    from plandocs.check.templates import check_kinds
    from plandocs.content.glossary import GLOSSARY_FILE, load_glossary
    from plandocs.kinds.discover import stray_entries
    from plandocs.project import Project
    from plandocs.safety.paths import present, resolve_inside
    from plandocs.settings import SETTINGS_FILE

    try:
        for name in (SETTINGS_FILE, GLOSSARY_FILE):
            if present(root / name):
                resolve_inside(root, root / name, "file", SettingsError)
        project = Project.load(root)
    except PlandocsError as exc:
        result.add("error", exc)
        return
    problems = check_paths(root, paths)
    for problem in problems:
        result.add("error", problem)
    if problems:
        return
    root = project.root
    try:
        project.reference_docx  # noqa: B018 - checked when first used
    except PlandocsError as exc:
        result.add("error", exc)
    for warning in stray_entries(root):
        result.add("warning", warning)
    broken = check_kinds(project, result)
    glossary = load_glossary(root, result)
    documents = []
    chosen = [source for source in pipeline.sources(root) if selected(source.folder, paths)]
    for source in chosen:
        # A broken kind's documents are still read (their facts checked), not rendered.
        documents.append(
            _check_document(project, source, glossary, result, source.kind not in broken)
        )
    if not paths:
        check_cascade(documents, result)
    else:
        _check_cascade_of(project, chosen, documents, result)
    check_outputs(root, result, {source.key for source in chosen} if paths else None)


def _check_cascade_of(
    project: Project, chosen: list[Source], documents: list[Any], result: CheckResult
) -> None:
    """The checks across documents for a selection: the documents of the same kinds
    outside it are read too (not rendered; their own problems are theirs), so a second
    PK of a year is found whichever folder is named, and only what the selection's
    documents disagree in is reported."""
    from plandocs.check.cascade import in_cascade
    from plandocs.errors import Problems
    from plandocs.safety.reader import recording

    if not any(in_cascade(document) for document in documents):
        return
    kinds = {source.kind for source in chosen}
    folders = {source.folder for source in chosen}
    settled = []
    for source in pipeline.sources(project.root):
        if source.kind in kinds and source.folder not in folders:
            with recording(project.root):
                try:
                    settled.append(pipeline.load(project, source))
                except Exception:  # that document's own check reports it
                    continue
    found = Problems()
    check_cascade([d for d in documents if d is not None] + settled, found, settled)
    for diagnostic in found.diagnostics:
        where = diagnostic.problem.path
        if where is not None and any(where.is_relative_to(f) for f in folders):
            result.diagnostics.append(diagnostic)


def check_outputs(root: Path, result: CheckResult, documents: set[str] | None = None) -> None:
    """Outputs edited since plandocs wrote them (the next build sets them aside), and
    the edited copies earlier builds set aside: a reviewer's work waiting to be carried
    into the content. With ``documents`` (``kind/slug`` keys), only theirs."""
    from plandocs.build.manifest import Manifest
    from plandocs.build.outputs import edited_name, is_set_aside, set_aside_document
    from plandocs.errors import OutputError
    from plandocs.safety.outputs import BUILD_DIR

    build_dir = root / BUILD_DIR
    if build_dir.is_symlink() or not build_dir.is_dir():
        return
    manifest = Manifest.load(build_dir)
    for rel in sorted(manifest.outputs):
        if documents is not None and manifest.outputs[rel].get("document") not in documents:
            continue
        if manifest.edited(rel, root):
            number = 1
            while os.path.lexists(root / edited_name(rel, number)):
                number += 1
            result.add(
                "warning",
                OutputError(
                    "edited since plandocs wrote it; the next build moves it to "
                    f"{edited_name(rel, number)} and writes a new one",
                    root / rel,
                ),
            )
    for top, dirs, files in os.walk(build_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not is_set_aside(name):
                continue
            inside = (Path(top) / name).relative_to(build_dir).as_posix()
            if documents is None or set_aside_document(inside) in documents:
                result.add(
                    "warning",
                    OutputError(
                        "an edited output a build kept aside; carry its changes into the "
                        "content (plandocs review) and remove it",
                        Path(top) / name,
                    ),
                )


def _check_document(
    project: Project, source: Source, glossary: Any, result: CheckResult, render: bool
) -> Any:
    """Load one document folder and render every language of it and of each of its
    parts, as a build would, short of writing; then the parity checks. Returns the
    loaded document (None if it could not be loaded), for the checks across documents."""
    from plandocs.check import parity
    from plandocs.safety.reader import recording

    report = DocumentReport(source.key, [])
    result.documents.append(report)
    before = len(result.diagnostics)
    seen = {d.format(project.root) for d in result.diagnostics}

    def add(severity: Severity, problem: PlandocsError) -> None:
        for one in getattr(problem, "errors", None) or [problem]:
            text = one.format(project.root, severity)
            if text not in seen:  # a kind's problem, already reported with the kind
                seen.add(text)
                result.add(severity, one)

    with recording(project.root) as recorder:
        try:
            document = pipeline.load(project, source)
        except Exception as exc:
            add("error", pipeline.failure(exc, source.folder))
            document = None
        if document is not None:
            report.languages = document.languages()
            parts = document.parts()
            for lang, part in [(lang, p) for lang in report.languages for p in parts]:
                error = document.language_error(lang)
                if error is not None:
                    if part is None:
                        add("error", error)
                    continue
                if not render:
                    continue
                try:
                    rendered = pipeline.render(
                        project, source, document.select(part), lang, draft=False
                    )
                    pipeline.dry_run(project, rendered)
                except Exception as exc:
                    add("error", pipeline.failure(exc, source.folder))
            parity.check_document(document, project.settings, glossary, report, result)
    for warning in recorder.warnings:
        add("warning", warning)
    report.problems = len(result.diagnostics) - before
    return document
