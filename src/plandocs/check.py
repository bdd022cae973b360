"""``plandocs check``: validate the whole project without writing a document.

Every problem is collected — settings, templates, every content and data file, every
expression (each document is rendered to HTML in memory) — and reported at its
place, then the bilingual parity checks (:mod:`plandocs.parity`) add their warnings.
``plandocs build`` uses the same loaders and validators on what it rebuilds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from plandocs.diagnostics import CheckResult, DocumentReport
from plandocs.discover import find_documents
from plandocs.errors import PlandocsError, TemplateError

if TYPE_CHECKING:
    from pathlib import Path

    from plandocs.project import Project


def check_templates(project: Project, kinds: set[str], result: CheckResult) -> None:
    """Every template parses, and every language has the templates the kinds need."""
    import jinja2

    from plandocs.render import TEMPLATES_DIR

    env = project.env
    langs = project.settings.languages
    base = project.root / TEMPLATES_DIR
    for path in sorted(base.rglob("*")) if base.is_dir() else []:
        if not path.is_file() or path.suffix not in (".html", ".css", ".xml"):
            continue
        try:
            env.parse(path.read_text(encoding="utf-8"), path.name, str(path))
        except jinja2.TemplateSyntaxError as exc:
            result.add("error", TemplateError(f"template syntax: {exc.message}", path, exc.lineno))
        except UnicodeDecodeError:
            result.add("error", TemplateError("not UTF-8 text; save it as UTF-8", path))
    needed = {"labels.html"} | {f"{'readout' if k == 'readouts' else k}.html" for k in kinds}
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


def check_project(root: Path) -> CheckResult:
    """Validate everything; never raises for a problem in the project."""
    from plandocs import parity
    from plandocs.documents import KINDS
    from plandocs.project import Project

    result = CheckResult()
    try:
        project = Project.load(root)
    except PlandocsError as exc:
        result.add("error", exc)
        return result
    root = project.root
    documents = find_documents(root)
    check_templates(project, {k for k, _ in documents}, result)
    glossary = parity.load_glossary(root, result)
    if result.errors:
        return result  # broken templates would fail every document the same way
    for kind_name, folder in documents:
        kind = KINDS[kind_name]
        report = DocumentReport(f"{kind_name}/{folder.name}", [])
        result.documents.append(report)
        before = len(result.diagnostics)
        try:
            document = kind.load(project, folder)
        except PlandocsError as exc:
            result.add("error", exc)
            report.problems = len(result.diagnostics) - before
            continue
        report.languages = document.languages()
        rendered: dict[str, bool] = {}
        for lang in report.languages:
            error = document.language_error(lang)
            if error is not None:
                result.add("error", error)
                continue
            try:
                kind.render(project, document, lang, False)
                rendered[lang] = True
            except PlandocsError as exc:
                if exc.path is None:
                    exc.path = folder
                result.add("error", exc)
        parity.check_document(document, project.settings, glossary, report, result)
        report.problems = len(result.diagnostics) - before
    return result
