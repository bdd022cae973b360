"""What the user sees while building: one line per event, a summary at the end."""

from __future__ import annotations

import sys

from rich.console import Console

from plandocs.build import BuildReport

_STYLE = {"wrote": "green", "skip": "yellow", "error": "bold red"}
_LABEL = {"wrote": "wrote", "skip": "skip ", "error": "error"}


class Reporter:
    """Prints build events; colours only when writing to a terminal."""

    def __init__(self) -> None:
        self.out = Console(highlight=False, soft_wrap=True)
        self.err = Console(stderr=True, highlight=False, soft_wrap=True)

    def event(self, kind: str, message: str) -> None:
        if kind == "error":
            for line in message.splitlines():
                self.err.print(line, style=_STYLE[kind], markup=False)
        else:
            self.out.print(f"{_LABEL[kind]} ", style=_STYLE[kind], end="", markup=False)
            self.out.print(message, markup=False)

    def finish(self, report: BuildReport) -> None:
        style = "bold green" if report.ok else "bold red"
        self.out.print(f"plandocs: {report.summary()}", style=style, markup=False)
        sys.stdout.flush()
