"""What the user sees while building: one line per event, a summary at the end.

On a terminal, rich colours the lines and a progress bar counts the documents of a
long build; otherwise (a log, CI, a pipe) plain lines only, and rich is not even
imported, which keeps a build with nothing to do quick.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from plandocs.build.run import BuildReport

from plandocs.errors import printable

_STYLE = {
    "wrote": "green",
    "skip": "yellow",
    "error": "bold red",
    "warning": "yellow",
    "note": "dim",
    "removed": "cyan",
    "why": "dim",
}
_LABEL = {"wrote": "wrote", "skip": "skip ", "removed": "removed", "why": "why  ", "note": "note "}


class Reporter:
    """Prints build events; colours and a progress bar only on a terminal."""

    def __init__(self, explain: bool = False) -> None:
        self.explain = explain
        self.terminal = sys.stdout.isatty()
        self.out: Any = None
        self.err: Any = None
        if self.terminal:
            from rich.console import Console

            self.out = Console(highlight=False, soft_wrap=True)
            self.err = Console(stderr=True, highlight=False, soft_wrap=True)
        self.progress: Any = None
        self.task: Any = None

    def _print(self, text: str, style: str, stderr: bool = False) -> None:
        # Names and messages come from the project: never let them drive the terminal.
        text = "\n".join(printable(line) for line in text.split("\n"))
        console = self.err if stderr else self.out
        if console is not None:
            console.print(text, style=style, markup=False)
        else:
            print(text, file=sys.stderr if stderr else sys.stdout)

    def event(self, kind: str, message: str) -> None:
        if kind == "plan":
            total = int(message)
            if self.terminal and total > 1:
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
        if kind in ("error", "warning"):
            # Several located problems, one a line (each escaped where it was formatted).
            for line in message.split("\n"):
                self._print(line, _STYLE[kind], stderr=True)
            return
        # One line, whatever the names in it hold (a folder named "x\nplandocs: 0 …"
        # must not print a line of its own).
        self._print(f"{_LABEL[kind]} {printable(message)}", _STYLE[kind])

    def interrupted(self) -> None:
        if self.progress is not None:
            self.progress.stop()
        self._print(
            "plandocs: interrupted; files already written are complete, the others untouched",
            "bold red",
            stderr=True,
        )

    def finish(self, report: BuildReport) -> None:
        if self.progress is not None:
            self.progress.stop()
        self._print(f"plandocs: {report.summary()}", "bold green" if report.ok else "bold red")
        sys.stdout.flush()


def print_check(root: Any, result: Any, coverage: bool) -> None:
    """Every diagnostic as ``path:line:col: severity: message``, then a summary."""
    for diagnostic in sorted(result.diagnostics, key=lambda d: d.sort_key(root)):
        stream = sys.stderr if diagnostic.severity == "error" else sys.stdout
        print(printable(diagnostic.format(root)), file=stream)
    if coverage:
        rows = [("document", "languages", "parts id/en", "headings id/en", "problems")]
        for doc in result.documents:
            rows.append(
                (
                    printable(doc.name),
                    ", ".join(doc.languages) or "–",
                    f"{doc.parts.get('id', 0)}/{doc.parts.get('en', 0)}",
                    f"{doc.headings.get('id', 0)}/{doc.headings.get('en', 0)}",
                    str(doc.problems),
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for index, row in enumerate(rows):
            print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
            if index == 0:
                print("  ".join("-" * width for width in widths))
    print(
        f"plandocs check: {len(result.documents)} documents, "
        f"{result.errors} errors, {result.warnings} warnings"
    )
