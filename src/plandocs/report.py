"""What the user sees while building: one line per event, a summary at the end.

On a terminal, a progress bar counts the documents of a long build; otherwise (a
log, CI) plain lines only.
"""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console

from plandocs.build import BuildReport

_STYLE = {"wrote": "green", "skip": "yellow", "error": "bold red", "removed": "cyan", "why": "dim"}
_LABEL = {"wrote": "wrote", "skip": "skip ", "removed": "removed", "why": "why  "}


class Reporter:
    """Prints build events; colours and a progress bar only on a terminal."""

    def __init__(self, explain: bool = False) -> None:
        self.out = Console(highlight=False, soft_wrap=True)
        self.err = Console(stderr=True, highlight=False, soft_wrap=True)
        self.explain = explain
        self.progress: Any = None
        self.task: Any = None

    def event(self, kind: str, message: str) -> None:
        if kind == "plan":
            total = int(message)
            if self.out.is_terminal and total > 1:
                from rich.progress import Progress

                self.progress = Progress(console=self.out, transient=True)
                self.progress.start()
                self.task = self.progress.add_task("building", total=total)
            return
        if kind == "done":
            if self.progress is not None:
                self.progress.advance(self.task)
            return
        if kind == "why" and not self.explain:
            return
        if kind == "error":
            for line in message.splitlines():
                self.err.print(line, style=_STYLE[kind], markup=False)
            return
        self.out.print(f"{_LABEL[kind]} ", style=_STYLE[kind], end="", markup=False)
        self.out.print(message, markup=False)

    def interrupted(self) -> None:
        if self.progress is not None:
            self.progress.stop()
        self.err.print(
            "plandocs: interrupted; files already written are complete, the others untouched",
            style="bold red",
            markup=False,
        )

    def finish(self, report: BuildReport) -> None:
        if self.progress is not None:
            self.progress.stop()
        style = "bold green" if report.ok else "bold red"
        self.out.print(f"plandocs: {report.summary()}", style=style, markup=False)
        sys.stdout.flush()
