"""``plandocs preview``: the documents in a browser, reloaded within a second of a save.

The flow after each burst of saves (watchfiles, as ``plandocs watch``):

1. the documents the changed files feed are rendered to HTML in memory (no writer,
   no WeasyPrint) — :mod:`plandocs.preview.state`;
2. the open pages of those documents are told to reload over server-sent events —
   :mod:`plandocs.preview.server`; in the browser, ``static/preview.js`` lays the
   document out as sheets of its printed pages, from the document's own ``@page``
   rules and page breaks;
3. the ordinary incremental build writes the PDF and DOCX in the background —
   :mod:`plandocs.preview.builder` — so the pages' links to them stay current.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from plandocs.errors import SettingsError, printable
from plandocs.settings import SETTINGS_FILE
from plandocs.writers import FORMATS

if TYPE_CHECKING:
    from plandocs.preview.state import Refresh

Echo = Callable[[str], None]
DEBOUNCE_MS = 300
"""The longest a burst of saves is gathered before the preview renders."""


def preview_project(
    root: Path,
    langs: Sequence[str],
    paths: Sequence[Path] = (),
    *,
    port: int = 8000,
    formats: Sequence[str] = FORMATS,
    jobs: int = 1,
    draft: bool = False,
    pdfa: bool = False,
    build: bool = True,
    echo: Echo = print,
    stop_event: threading.Event | None = None,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the documents on 127.0.0.1 until ``stop_event`` is set or Ctrl-C.

    ``on_ready`` gets the server's address once it answers and the watch is on.
    A project problem at the start (no settings file, a port in use) is raised as a
    :class:`~plandocs.errors.PlandocsError`; problems in the content are shown in
    the pages.
    """
    from watchfiles import watch

    from plandocs.preview.builder import Builder
    from plandocs.preview.pages import DOWNLOADS
    from plandocs.preview.server import PreviewServer
    from plandocs.preview.state import Documents
    from plandocs.watch import project_filter

    # Ctrl-C ends the watch, which watchfiles would also log; "preview stopped" says it.
    logging.getLogger("watchfiles.main").setLevel(logging.ERROR)
    root = root.resolve()
    if not (root / SETTINGS_FILE).is_file():
        raise SettingsError(
            "no plandocs.yaml here; run plandocs in a project folder or pass --project DIR",
            root / SETTINGS_FILE,
        )
    documents = Documents(root, langs, paths, draft)
    server = PreviewServer(documents, port, tuple(f for f in DOWNLOADS if f in formats))
    builder: Builder | None = None
    try:
        _report(documents.refresh(), "rendered", echo)
        server.start()
        if build:
            builder = Builder(documents, formats, paths, jobs, echo, pdfa)
            builder.request()
        ready = False
        for changes in watch(
            root,
            watch_filter=project_filter(root),
            debounce=DEBOUNCE_MS,
            stop_event=stop_event,
            rust_timeout=200,
            yield_on_timeout=True,
            raise_interrupt=False,
        ):
            if not ready:
                # The first (empty) yield: the watch is on, saves from now on are seen.
                ready = True
                echo(f"preview: {server.url} (Ctrl-C to stop)")
                if on_ready is not None:
                    on_ready(server.url)
            if not changes:
                continue
            changed = sorted({Path(path) for _, path in changes})
            keys = documents.invalidate(changed)
            # A file's name comes from the project: never let it drive the terminal.
            names = [printable(p.relative_to(root).as_posix()) for p in changed]
            more = f" and {len(names) - 1} more" if len(names) > 1 else ""
            _report(documents.refresh(keys), f"{names[0]}{more} changed:", echo)
            if builder is not None:
                builder.request()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        if builder is not None:
            builder.stop(interrupted=not (stop_event is not None and stop_event.is_set()))
        echo("preview stopped")


def _report(refresh: Refresh, what: str, echo: Echo) -> None:
    status = f"{len(refresh.failed)} failed" if refresh.failed else "ok"
    pages = f"{refresh.pages} page{'' if refresh.pages == 1 else 's'}"
    echo(f"{what} {pages} in {refresh.seconds:.2f} s — {status}")
    for message in refresh.failed:
        for line in message.splitlines():
            echo(f"  {line}")


__all__ = ["preview_project"]
