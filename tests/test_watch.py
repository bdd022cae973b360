"""Watch mode, driven by the test and bounded in time."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from plandocs.watch import watch_project
from previewing import lines_until

TIMEOUT = 30.0


class Watcher:
    def __init__(self, root: Path) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=watch_project,
            args=(root, ("id", "en"), ("html",)),
            kwargs={"echo": self.lines.put, "stop_event": self.stop, "debounce_ms": 300},
            daemon=True,
        )

    def expect(self, needle: str) -> list[str]:
        """Lines up to and including the first that contains ``needle``."""
        return lines_until(self.lines, needle, TIMEOUT)

    def quiet(self, seconds: float) -> list[str]:
        time.sleep(seconds)
        out = []
        while not self.lines.empty():
            out.append(self.lines.get())
        return out


@pytest.fixture
def watcher(project: Path, add_readout: Callable[..., Path]) -> Iterator[Watcher]:
    add_readout(project, slug="alpha")
    watcher = Watcher(project)
    watcher.thread.start()
    yield watcher
    watcher.stop.set()
    watcher.thread.join(timeout=10)
    assert not watcher.thread.is_alive()


def test_rebuilds_on_change_and_survives_broken_content(watcher: Watcher, project: Path) -> None:
    first = watcher.expect("watching for changes")
    assert first[0].startswith("build: 2 written, 0 failed")
    output = project / "build/en/readouts/alpha.html"
    prose = project / "content/readouts/alpha/en.md"

    prose.write_text(prose.read_text() + "\nA new paragraph.\n")
    line = watcher.expect("changed")[-1]
    assert line.startswith("content/readouts/alpha/en.md changed: 1 written, 0 failed")
    assert "A new paragraph." in output.read_text()
    good = output.read_bytes()

    prose.write_text(prose.read_text() + "\n{{ nope }}\n")
    lines = watcher.expect("content/readouts/alpha/en.md:")
    assert "failed" in lines[-2]
    assert "unknown fact `nope`" in lines[-1]
    assert output.read_bytes() == good  # the last good output stays

    prose.write_text(prose.read_text().replace("{{ nope }}", "Fixed."))
    line = watcher.expect("changed")[-1]
    assert "1 written, 0 failed" in line and line.endswith("ok")
    assert "Fixed." in output.read_text()


def test_a_burst_of_saves_is_one_rebuild(watcher: Watcher, project: Path) -> None:
    watcher.expect("watching for changes")
    prose = project / "content/readouts/alpha/id.md"
    for n in range(4):
        prose.write_text(prose.read_text() + f"\nParagraf {n}.\n")
        time.sleep(0.02)
    watcher.expect("changed")
    assert [line for line in watcher.quiet(1.5) if "changed" in line] == []


def test_outputs_do_not_trigger_rebuilds(watcher: Watcher, project: Path) -> None:
    watcher.expect("watching for changes")
    (project / "build/notes.txt").write_text("written by hand")
    assert watcher.quiet(1.2) == []
