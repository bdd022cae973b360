"""``plandocs watch``: build, then rebuild what changed after every burst of saves.

watchfiles does the watching and the debouncing (a burst of saves within the
debounce window is one rebuild). Each rebuild is the ordinary incremental build,
so a broken file fails only its own document and the last good outputs stay.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from plandocs.build import build, format_error
from plandocs.errors import PlandocsError
from plandocs.work import BUILD_DIR

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
    """One build, reported as one line (plus one line per problem). True when it succeeded."""
    report = build(root, langs, formats, jobs=jobs, draft=draft, pdfa=pdfa)
    echo(f"{what}: {_describe(len(report.written), report.failed, report.seconds)}")
    for error in report.failed:
        for line in format_error(error, root).splitlines():
            echo(f"  {line}")
    return report.ok


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
    from watchfiles import Change, DefaultFilter, watch

    root = root.resolve()
    output = (root / BUILD_DIR).resolve()

    class ProjectFilter(DefaultFilter):
        def __call__(self, change: Change, path: str) -> bool:
            resolved = Path(path)
            if resolved == output or output in resolved.parents:
                return False
            if any(part.startswith(".") for part in resolved.relative_to(root).parts):
                return False
            return bool(super().__call__(change, path))

    rebuild(root, langs, formats, "build", echo, jobs, draft, pdfa)
    echo("watching for changes (Ctrl-C to stop)")
    for changes in watch(
        root,
        watch_filter=ProjectFilter(),
        debounce=debounce_ms,
        stop_event=stop_event,
        raise_interrupt=False,
    ):
        names = sorted({Path(path).relative_to(root).as_posix() for _, path in changes})
        more = f" and {len(names) - 1} more" if len(names) > 1 else ""
        rebuild(root, langs, formats, f"{names[0]}{more} changed", echo, jobs, draft, pdfa)
