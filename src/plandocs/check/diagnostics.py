"""What ``plandocs check`` collects beyond the problems (:class:`plandocs.errors.Problems`):
a translation report per document, which ``check --report`` shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from plandocs.errors import Diagnostic, Problems, Severity

__all__ = ["CheckResult", "Diagnostic", "DocumentReport", "Severity"]


@dataclass
class DocumentReport:
    """What ``check --report`` shows of one document's translation."""

    name: str
    languages: list[str]
    parts: dict[str, int] = field(default_factory=dict)
    headings: dict[str, int] = field(default_factory=dict)
    problems: int = 0


@dataclass
class CheckResult(Problems):
    """The problems of a whole project, and the documents checked."""

    documents: list[DocumentReport] = field(default_factory=list)
