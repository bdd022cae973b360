"""``plandocs check``: validate the whole project without writing a document.

Every problem is collected — settings, templates, every content and data file, every
expression (each document is rendered to HTML in memory) — and reported at its
place, then the bilingual parity checks (:mod:`plandocs.parity`) add their warnings.
``plandocs build`` uses the same loaders and validators on what it rebuilds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from plandocs.discover import find_documents
from plandocs.errors import PlandocsError, TemplateError

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    problem: PlandocsError

    def format(self, root: Path) -> str:
        return self.problem.format(root, self.severity)

    def sort_key(self, root: Path) -> tuple[str, int, int]:
        return (self.problem.location(root), self.problem.line or 0, self.problem.column or 0)


@dataclass
class DocumentReport:
    """What ``check --report`` shows of one document's translation."""

    name: str
    languages: list[str]
    parts: dict[str, int] = field(default_factory=dict)
    headings: dict[str, int] = field(default_factory=dict)
    problems: int = 0


@dataclass
class CheckResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    documents: list[DocumentReport] = field(default_factory=list)

    def add(self, severity: Severity, problem: PlandocsError) -> None:
        for one in getattr(problem, "errors", None) or [problem]:
            self.diagnostics.append(Diagnostic(severity, one))

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity == "warning" for d in self.diagnostics)


def check_templates(
    root: Path, env: Any, langs: tuple[str, ...], kinds: set[str], result: CheckResult
) -> None:
    import jinja2

    from plandocs.render import TEMPLATES_DIR

    base = root / TEMPLATES_DIR
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
    from plandocs.render import make_env
    from plandocs.settings import load_settings

    result = CheckResult()
    try:
        settings = load_settings(root)
    except PlandocsError as exc:
        result.add("error", exc)
        return result
    env = make_env(root)
    documents = find_documents(root)
    check_templates(root, env, settings.languages, {k for k, _ in documents}, result)
    glossary = parity.load_glossary(root, result)
    if result.errors:
        return result  # broken templates would fail every document the same way
    for kind_name, folder in documents:
        kind = KINDS[kind_name]
        report = DocumentReport(f"{kind_name}/{folder.name}", [])
        result.documents.append(report)
        before = len(result.diagnostics)
        try:
            document = kind.load(root, folder)
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
                kind.render(env, settings, document, lang, False)
                rendered[lang] = True
            except PlandocsError as exc:
                if exc.path is None:
                    exc.path = folder
                result.add("error", exc)
        parity.check_document(root, document, settings, glossary, report, result)
        report.problems = len(result.diagnostics) - before
    return result
