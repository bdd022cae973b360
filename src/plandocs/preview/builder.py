"""The ordinary incremental build, run in the background after each change.

It is ``plandocs build`` in a child process, so its PDF layout neither holds this
process's interpreter lock (the preview keeps answering and rendering) nor can be
left half-done: the build writes every file atomically and, on Ctrl-C (which the
terminal sends to the child too) or when asked to stop, writes its manifest and
exits. The child runs at a lower priority, so that rendering the next save and the
browser's reload are not kept waiting behind WeasyPrint. Saves during a build
make one more build when it ends.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from plandocs.preview.state import Documents

Echo = Callable[[str], None]
NICENESS = 10
GRACE_SECONDS = 3.0


class Builder:
    """Runs ``plandocs build`` whenever asked, one build at a time."""

    def __init__(
        self,
        documents: Documents,
        formats: Sequence[str],
        paths: Sequence[Path],
        jobs: int,
        echo: Echo,
        pdfa: bool = False,
    ) -> None:
        self.documents = documents
        langs = documents.langs
        self.command = [
            sys.executable,
            "-m",
            "plandocs",
            "build",
            "--project",
            str(documents.root),
            "--lang",
            langs[0] if len(langs) == 1 else "all",
            "--format",
            ",".join(formats),
            "--jobs",
            str(jobs),
            *(["--draft"] if documents.draft else []),
            *(["--pdfa"] if pdfa else []),
            *(str(p) for p in paths),
        ]
        self.label = ", ".join(f.upper() for f in formats if f != "html") or "HTML"
        self.echo = echo
        self.wanted = threading.Event()
        self.stopping = threading.Event()
        self.process: subprocess.Popen[str] | None = None
        self.builds = 0
        """Builds finished, for tests and the bench."""
        self.thread = threading.Thread(target=self._loop, name="preview-build", daemon=True)
        self.thread.start()

    def request(self) -> None:
        """Build (again) as soon as the current build, if any, ends."""
        self.wanted.set()

    def _loop(self) -> None:
        while True:
            self.wanted.wait()
            if self.stopping.is_set():
                return
            self.wanted.clear()
            self._build()

    def _build(self) -> None:
        self.documents.set_build_status(f"{self.label}: building…", done=False)
        started = time.perf_counter()
        self.process = subprocess.Popen(
            self.command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        if hasattr(os, "setpriority"):
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, self.process.pid, NICENESS)
        output, _ = self.process.communicate()
        code = self.process.returncode
        self.process = None
        if self.stopping.is_set():
            return
        self.builds += 1
        lines = output.splitlines()
        summary = next((line for line in reversed(lines) if line.startswith("plandocs: ")), "")
        problems = [line for line in lines if ": error: " in line or line.startswith("error: ")]
        took = time.perf_counter() - started
        self.echo(f"build: {summary.removeprefix('plandocs: ') or f'exit status {code}'}")
        for line in problems:
            self.echo(f"  {line}")
        if code == 0:
            stamp = time.strftime("%H:%M:%S")
            self.documents.set_build_status(
                f"{self.label}: up to date ({stamp}, {took:.1f} s)", done=True
            )
        else:
            self.documents.set_build_status(
                f"{self.label}: the build failed; the last good files stay (see the terminal)",
                done=True,
            )

    def stop(self, interrupted: bool = False) -> None:
        """Stop waiting; interrupt a running build (it keeps what it finished) and wait.

        After Ctrl-C on a terminal the build has had its own SIGINT and is saving its
        manifest: it gets a moment to end by itself before it is sent one (a second
        interrupt could cut that short).
        """
        self.stopping.set()
        self.wanted.set()
        process = self.process
        if process is not None:
            try:
                process.wait(timeout=GRACE_SECONDS if interrupted else 0)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.thread.join(timeout=35)
