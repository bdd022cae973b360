"""What ``plandocs check`` (and the template check of a build) collects: problems with
their severity, and a translation report per document. A floor below both
:mod:`plandocs.check.project` and :mod:`plandocs.check.parity`, which fill it in."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from plandocs.errors import PlandocsError

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
