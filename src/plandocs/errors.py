"""Errors a person can act on.

A :class:`PlandocsError` is a problem in the user's project (content, settings,
templates): the CLI prints its one-line message and no traceback. Any other
exception is a bug in plandocs and keeps its traceback.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any


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
            with contextlib.suppress(ValueError):
                path = path.resolve().relative_to(root.resolve())
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
        where = self.location(root)
        return f"{where}: {severity}: {self.message}" if where else f"{severity}: {self.message}"

    def __str__(self) -> str:
        return self.format()


class ContentError(PlandocsError):
    """Content (facts, prose, data) that cannot be read or is not valid."""


class SettingsError(PlandocsError):
    """The project settings file ``plandocs.yaml`` is missing or not valid."""


class TemplateError(PlandocsError):
    """A template or an expression inside content failed to render."""


class WriterError(PlandocsError):
    """A writer met something in the rendered document it cannot represent."""
