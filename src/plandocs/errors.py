"""Errors a person can act on.

A :class:`PlandocsError` is a problem in the user's project (content, settings,
templates): the CLI prints its one-line message and no traceback. Any other
exception is a bug in plandocs and keeps its traceback.
"""

from __future__ import annotations

import decimal
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

REPORT_HINT = "please report this: it is a bug in plandocs, not a mistake in the content"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
MAX_MESSAGE = 400
MAX_LINE = 1000
"""A message longer than this (a huge value quoted back) is cut: it is one line."""


def printable(text: str) -> str:
    """``text`` with control characters (ANSI escapes, newlines, lone surrogates) shown as
    ``\\x1b``-style escapes, so a file name or value can never drive the terminal."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _CONTROL.sub(escape, text)


def describe(exc: BaseException) -> str:
    """A plain sentence for an exception from Python or a library: never a class repr
    such as ``[<class 'decimal.InvalidOperation'>]``."""
    if isinstance(exc, RecursionError):
        return (
            "nested too deeply, or a template or macro calls itself without end; "
            "simplify the structure"
        )
    if isinstance(exc, MemoryError):
        return "needs more memory than a document may use; make the expression smaller"
    if isinstance(exc, decimal.DivisionByZero | ZeroDivisionError):
        return "division by zero"
    if isinstance(exc, decimal.Overflow | OverflowError):
        return "a number is too large"
    if isinstance(exc, decimal.InvalidOperation):
        return "not a valid operation on numbers (a value is not a number, or too large)"
    if isinstance(exc, decimal.DecimalException):
        return "not a valid operation on numbers"
    text = str(exc).strip()
    if isinstance(exc, KeyError) and exc.args:
        text = f"no entry {exc.args[0]!r}"
    if not text or text.startswith(("[<", "<")):
        text = type(exc).__name__
    text = printable(" ".join(text.split()))
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 1] + "…"
    return text


class PlandocsError(Exception):
    """A problem in the project, located as precisely as we can (path, line, column)."""

    def __init__(
        self,
        message: str,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
        cell: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        self.cell = cell
        """A workbook location, ``Sheet!B7``, shown instead of line and column."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep the location when the error crosses from a build worker process.
        return (self.__class__, (self.message, self.path, self.line, self.column, self.cell))

    def location(self, root: Path | None = None) -> str:
        """``path:line:column`` with the path relative to ``root`` where possible."""
        if self.path is None:
            return ""
        path = self.path
        if root is not None:
            # The name as written in the project; links are not followed (one may loop).
            absolute = Path(os.path.normpath(os.path.abspath(path)))
            for base in (Path(os.path.abspath(root)), Path(os.path.realpath(root))):
                if absolute.is_relative_to(base):
                    path = absolute.relative_to(base)
                    break
        parts = [path.as_posix()]
        if self.cell is not None:
            parts.append(self.cell)
        elif self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def format(self, root: Path | None = None, severity: str = "error") -> str:
        """The one line shown to the user: ``path:line:col: error: message``."""
        where = printable(self.location(root))
        message = printable(self.message)
        if len(message) > MAX_LINE:
            message = message[: MAX_LINE - 1] + "…"
        return f"{where}: {severity}: {message}" if where else f"{severity}: {message}"

    def __str__(self) -> str:
        return self.format()


class ContentError(PlandocsError):
    """Content (facts, prose, data) that cannot be read or is not valid."""


MAX_LISTED = 200
"""The most problems of one pass over one document that are listed one by one."""


class ContentErrors(ContentError):
    """Several located problems found in one pass; the first one is the headline."""

    def __init__(self, errors: list[ContentError]) -> None:
        first = errors[0]
        super().__init__(first.message, first.path, first.line, first.column, first.cell)
        if len(errors) > MAX_LISTED + 1:
            # A table of 19,000 bad rows is one mistake made 19,000 times: list enough to
            # see it, then say how many more there are, where the next one is.
            rest, nxt = len(errors) - MAX_LISTED, errors[MAX_LISTED]
            errors = [
                *errors[:MAX_LISTED],
                ContentError(
                    f"… and {rest:,} more problems not listed; fix those above and run again",
                    nxt.path,
                    nxt.line,
                    nxt.column,
                    nxt.cell,
                ),
            ]
        self.errors = errors

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, (self.errors,))


class SettingsError(PlandocsError):
    """The project settings file ``plandocs.yaml`` is missing or not valid."""


class TemplateError(PlandocsError):
    """A template or an expression inside content failed to render."""


class WriterError(PlandocsError):
    """A writer met something in the rendered document it cannot represent."""


class OutputError(PlandocsError):
    """An output file or ``build/`` itself cannot be written (read-only, full disk …)."""


class BuildDirError(OutputError):
    """``build/`` itself cannot be written — the disk is full or read-only, permission is
    denied: every other document would fail the same way, so a build stops there."""


class InternalError(PlandocsError):
    """An unexpected failure in plandocs itself while making one document."""

    @classmethod
    def from_exception(cls, exc: BaseException, path: Path | str | None) -> InternalError:
        return cls(
            f"plandocs could not make this document ({type(exc).__name__}: {describe(exc)}); "
            + REPORT_HINT,
            path,
        )


# -- the one collector -------------------------------------------------------------------

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One problem found, with its severity."""

    severity: Severity
    problem: PlandocsError

    def format(self, root: Path) -> str:
        return self.problem.format(root, self.severity)

    def sort_key(self, root: Path) -> tuple[str, int, int]:
        return (self.problem.location(root), self.problem.line or 0, self.problem.column or 0)


@dataclass
class Problems:
    """Every problem found in one pass (``check``, a kind's templates, the glossary):
    check everything, report everything, then stop once."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(self, severity: Severity, problem: PlandocsError) -> None:
        for one in getattr(problem, "errors", None) or [problem]:
            self.diagnostics.append(Diagnostic(severity, one))

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity == "warning" for d in self.diagnostics)
