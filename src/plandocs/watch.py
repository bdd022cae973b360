"""``plandocs watch``: build, then rebuild what changed after every burst of saves.

watchfiles does the watching and the debouncing (a burst of saves within the
debounce window is one rebuild). Each rebuild is the ordinary incremental build,
so a broken file fails only its own document and the last good outputs stay.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from plandocs.build.run import build, format_error
from plandocs.errors import REPORT_HINT, PlandocsError, describe, printable
from plandocs.safety.outputs import BUILD_DIR

Echo = Callable[[str], None]


def _describe(report_written: int, report_failed: list[PlandocsError], seconds: float) -> str:
    status = "failed" if report_failed else "ok"
    return f"{report_written} written, {len(report_failed)} failed, {seconds:.1f} s — {status}"


def rebuild(
    root: Path,
    langs: Sequence[str],
    formats: Sequence[str],
    what: str,
    echo: Echo,
    jobs: int = 1,
    draft: bool = False,
    pdfa: bool = False,
) -> bool:
    """One build, reported as one line (plus one line per problem). True when it succeeded.

    Never raises for a problem: watching goes on whatever a build meets."""
    try:
        report = build(root, langs, formats, jobs=jobs, draft=draft, pdfa=pdfa)
    except Exception as exc:  # build() reports its own problems; this is a last resort
        echo(f"{printable(what)}: failed — {type(exc).__name__}: {describe(exc)}; {REPORT_HINT}")
        return False
    echo(f"{printable(what)}: {_describe(len(report.written), report.failed, report.seconds)}")
    for problem in report.warnings:
        echo(f"  {problem.format(root, 'warning')}")
    for error in report.failed:
        for line in format_error(error, root).split("\n"):
            echo(f"  {printable(line)}")
    return report.ok


def project_filter(root: Path) -> Callable[[Any, str], bool]:
    """The watchfiles filter of a project: its sources, not ``build/`` nor hidden files."""
    from watchfiles import Change, DefaultFilter

    root = Path(os.path.realpath(root))
    output = Path(os.path.realpath(root / BUILD_DIR))

    class ProjectFilter(DefaultFilter):
        def __call__(self, change: Change, path: str) -> bool:
            resolved = Path(path)
            if resolved == output or output in resolved.parents:
                return False
            if not resolved.is_relative_to(root):
                return False
            if any(part.startswith(".") for part in resolved.relative_to(root).parts):
                return False
            return bool(super().__call__(change, path))

    return ProjectFilter()


def watch_project(
    root: Path,
    langs: Sequence[str],
    formats: Sequence[str],
    *,
    jobs: int = 1,
    draft: bool = False,
    pdfa: bool = False,
    echo: Echo = print,
    stop_event: threading.Event | None = None,
    debounce_ms: int = 400,
) -> None:
    """Build once, then after every change, until ``stop_event`` is set or Ctrl-C."""
    from watchfiles import watch

    root = root.resolve()
    watch_filter = project_filter(root)
    rebuild(root, langs, formats, "build", echo, jobs, draft, pdfa)
    echo("watching for changes (Ctrl-C to stop)")
    for changes in watch(
        root,
        watch_filter=watch_filter,
        debounce=debounce_ms,
        stop_event=stop_event,
        raise_interrupt=False,
    ):
        names = sorted(
            Path(path).relative_to(root).as_posix() if Path(path).is_relative_to(root) else path
            for _, path in changes
        ) or ["a file"]
        more = f" and {len(names) - 1} more" if len(names) > 1 else ""
        rebuild(root, langs, formats, f"{names[0]}{more} changed", echo, jobs, draft, pdfa)
