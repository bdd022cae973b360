"""``plandocs check``: validate the whole project without writing a document.

Every problem is collected — settings, templates, every content and data file, every
expression (each document is rendered to HTML in memory) — and reported at its
place, then the bilingual parity checks (:mod:`plandocs.check.parity`) add their warnings.
``plandocs build`` uses the same loaders and validators on what it rebuilds.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plandocs.check.diagnostics import CheckResult, DocumentReport
from plandocs.errors import InternalError, PlandocsError, SettingsError, TemplateError
from plandocs.kinds.discover import find_documents

if TYPE_CHECKING:
    from plandocs.project import Project


def check_templates(
    project: Project, kinds: set[str], result: CheckResult, compile_all: bool = True
) -> None:
    """Every template parses (and compiles, with ``compile_all``: what ``check`` does; a
    build compiles only the templates it renders), and every language has the
    templates the kinds need."""
    import jinja2

    from plandocs.render.page import TEMPLATES_DIR, explain
    from plandocs.safety.paths import os_reason, resolve_inside, xml_safe
    from plandocs.safety.reader import MAX_TEXT_BYTES

    env = project.env
    langs = project.settings.languages
    base = project.root / TEMPLATES_DIR
    try:
        resolve_inside(project.root, base, "templates folder", TemplateError)
    except TemplateError as exc:
        result.add("error", exc)
        return
    from plandocs.kinds.spec import TEMPLATES, kind_folder, kind_names

    files = sorted(base.rglob("*")) if base.is_dir() else []
    file_kinds = [k for k in kind_names(project.root) if k in kinds or compile_all]
    for name in file_kinds:
        folder = kind_folder(project.root, name) / TEMPLATES
        try:
            resolve_inside(project.root, folder, "templates folder", TemplateError)
        except TemplateError as exc:
            result.add("error", exc)
            continue
        files += sorted(folder.rglob("*")) if folder.is_dir() else []
    for path in files:
        if path.suffix not in (".html", ".css", ".xml"):
            continue
        try:
            real = resolve_inside(project.root, path, "template", TemplateError)
            if not real.is_file():
                continue
            raw = real.read_bytes()
            if len(raw) > MAX_TEXT_BYTES:
                raise TemplateError("this template is too large; split it", path)
            text, removed = xml_safe(raw.decode("utf-8"))
            if removed is not None:
                result.add("warning", TemplateError(removed.message(), path, removed.line))
            if compile_all:
                env.compile(text, path.name, str(path))
            else:
                env.parse(text, path.name, str(path))
        except PlandocsError as exc:
            result.add("error", exc)
        except jinja2.TemplateSyntaxError as exc:
            result.add("error", TemplateError(explain(exc), path, exc.lineno))
        except UnicodeDecodeError:
            result.add("error", TemplateError("not UTF-8 text; save it as UTF-8", path))
        except (SyntaxError, RecursionError, MemoryError) as exc:
            result.add("error", TemplateError(explain(exc), path))
        except OSError as exc:
            result.add("error", TemplateError(f"cannot read this template: {os_reason(exc)}", path))
    for name in file_kinds:
        _check_kind(project, name, langs, result)
    needed = {"labels.html"} | {
        f"{'readout' if k == 'readouts' else k}.html" for k in kinds if k in ("readouts", "renstra")
    }
    for lang in langs:
        for name in sorted(needed):
            if not (base / lang / name).is_file():
                result.add(
                    "error",
                    TemplateError(
                        f"template {lang}/{name} is missing; every language needs one "
                        "(copy the other language's and translate its words)",
                        base / lang / name,
                    ),
                )


def _check_kind(project: Project, name: str, langs: Any, result: CheckResult) -> None:
    """A file-defined kind: kind.yaml and its schema valid, the entry template there in
    every language."""
    from plandocs.kinds.spec import TEMPLATES, load_spec

    try:
        spec = load_spec(project.root, name)
    except PlandocsError as exc:
        for error in getattr(exc, "errors", None) or [exc]:
            result.add("error", error)
        return
    for lang in langs:
        path = spec.folder / TEMPLATES / lang / spec.template
        if not path.is_file():
            result.add(
                "error",
                TemplateError(
                    f"template {lang}/{spec.template} of the kind {name} is missing; every "
                    "language needs one (copy the other language's and translate its words)",
                    path,
                ),
            )


def check_project(root: Path) -> CheckResult:
    """Validate everything; never raises for a problem in the project.

    Each document goes through what ``build`` does short of writing files: loading,
    rendering in every language, the Word converter over every element and the PDF
    writer's URL policy. So a project that passes ``check`` builds.
    """
    from plandocs.safety.reader import recording

    result = CheckResult()
    try:
        with recording(Path(os.path.realpath(root))) as recorder:
            _check(root, result)
        for warning in recorder.warnings:
            result.add("warning", warning)
    except PlandocsError as exc:
        result.add("error", exc)
    except Exception as exc:  # a bug in plandocs: one line, never a traceback
        result.add("error", InternalError.from_exception(exc, root / "plandocs.yaml"))
    return result


def _check(root: Path, result: CheckResult) -> None:
    from plandocs.check import parity
    from plandocs.kinds.discover import stray_entries
    from plandocs.project import Project
    from plandocs.safety.paths import present, resolve_inside
    from plandocs.settings import SETTINGS_FILE

    try:
        for name in (SETTINGS_FILE, parity.GLOSSARY_FILE):
            if present(root / name):
                resolve_inside(root, root / name, "file", SettingsError)
        project = Project.load(root)
    except PlandocsError as exc:
        result.add("error", exc)
        return
    root = project.root
    try:
        project.reference_docx  # noqa: B018 - checked when first used
    except PlandocsError as exc:
        result.add("error", exc)
    for warning in stray_entries(root):
        result.add("warning", warning)
    documents = find_documents(root)
    check_templates(project, {k for k, _ in documents}, result)
    glossary = parity.load_glossary(root, result)
    if result.errors:
        return  # broken templates would fail every document the same way
    for kind_name, folder in documents:
        _check_document(project, kind_name, folder, glossary, result)
    check_outputs(root, result)


def check_outputs(root: Path, result: CheckResult) -> None:
    """Outputs edited since plandocs wrote them (the next build sets them aside), and
    the edited copies earlier builds set aside: a reviewer's work waiting to be carried
    into the content."""
    from plandocs.build.manifest import BUILD_DIR, Manifest, edited_name, is_set_aside
    from plandocs.errors import OutputError

    build_dir = root / BUILD_DIR
    if build_dir.is_symlink() or not build_dir.is_dir():
        return
    manifest = Manifest.load(build_dir)
    for rel in sorted(manifest.outputs):
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
            if is_set_aside(name):
                result.add(
                    "warning",
                    OutputError(
                        "an edited output a build kept aside; carry its changes into the "
                        "content (plandocs review) and remove it",
                        Path(top) / name,
                    ),
                )


def _check_document(
    project: Project, kind_name: str, folder: Path, glossary: Any, result: CheckResult
) -> None:
    from plandocs.build.work import check_slug, dry_run, load_document
    from plandocs.check import parity
    from plandocs.kinds.registry import kind_named
    from plandocs.safety.reader import recording

    kind = kind_named(project.root, kind_name)
    report = DocumentReport(f"{kind_name}/{folder.name}", [])
    result.documents.append(report)
    before = len(result.diagnostics)
    with recording(project.root) as recorder:
        try:
            document = load_document(project, kind, folder)
            check_slug(document.slug, folder)
        except PlandocsError as exc:
            result.add("error", exc)
            document = None
        except Exception as exc:
            result.add("error", InternalError.from_exception(exc, folder))
            document = None
        if document is not None:
            report.languages = document.languages()
            parts = document.parts() if hasattr(document, "parts") else [None]
            for lang, part in [(lang, p) for lang in report.languages for p in parts]:
                error = document.language_error(lang)
                if error is not None:
                    if part is None:
                        result.add("error", error)
                    continue
                try:
                    one = document.select(part) if part is not None else document
                    rendered = kind.render(project, one, lang, False)
                    dry_run(project, rendered)
                except PlandocsError as exc:
                    if exc.path is None:
                        exc.path = folder
                    result.add("error", exc)
                except Exception as exc:
                    result.add("error", InternalError.from_exception(exc, folder))
            parity.check_document(document, project.settings, glossary, report, result)
    for warning in recorder.warnings:
        result.add("warning", warning)
    report.problems = len(result.diagnostics) - before
