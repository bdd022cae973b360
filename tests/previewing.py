"""A preview server run by a test: in a thread, on a free port, stopped at the end."""

from __future__ import annotations

import http.client
import queue
import struct
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

from plandocs.preview import preview_project

TIMEOUT = 60.0


def lines_until(lines: queue.Queue[str], needle: str, timeout: float) -> list[str]:
    """Lines printed (into ``lines``) up to and including the first containing
    ``needle``; an AssertionError listing them if none does within ``timeout``."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        seen.append(line)
        if needle in line:
            return seen
    raise AssertionError(f"no line with {needle!r} in {timeout} s; saw {seen}")


class RunningPreview:
    """``plandocs preview`` in a thread, with its terminal lines in a queue."""

    def __init__(
        self, root: Path, langs: Sequence[str] = ("id", "en"), build: bool = False
    ) -> None:
        self.root = root
        self.lines: queue.Queue[str] = queue.Queue()
        self.stop = threading.Event()
        self._ready: queue.Queue[str] = queue.Queue()
        self._failure: BaseException | None = None
        self.thread = threading.Thread(
            target=self._run, args=(root, tuple(langs), build), daemon=True
        )
        self.url = ""
        self.port = 0

    def _run(self, root: Path, langs: tuple[str, ...], build: bool) -> None:
        try:
            preview_project(
                root,
                langs,
                port=0,
                jobs=1,
                build=build,
                echo=self.lines.put,
                stop_event=self.stop,
                on_ready=self._ready.put,
            )
        except BaseException as exc:  # reported by start() or close()
            self._failure = exc
            self._ready.put("")

    def start(self) -> RunningPreview:
        self.thread.start()
        self.url = self._ready.get(timeout=TIMEOUT)
        if self._failure is not None:
            raise self._failure
        self.port = int(self.url.rstrip("/").rsplit(":", 1)[1])
        return self

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=TIMEOUT)
        assert not self.thread.is_alive(), "the preview did not stop"
        if self._failure is not None:
            raise self._failure

    def get(
        self, path: str, host: str | None = None, method: str = "GET"
    ) -> tuple[int, dict[str, str], bytes]:
        """One request with ``path`` sent exactly as given (no normalizing)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            connection.putheader("Host", host or f"127.0.0.1:{self.port}")
            connection.endheaders()
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def text(self, path: str) -> str:
        status, _, body = self.get(path)
        assert status == 200, (path, status)
        return body.decode("utf-8")

    def expect_line(self, needle: str) -> list[str]:
        """Terminal lines up to the first one containing ``needle``."""
        return lines_until(self.lines, needle, TIMEOUT)


def view(lang: str, doc: str) -> str:
    """The preview address of a document: ``view("en", "readouts/alpha")``."""
    return f"/view?lang={lang}&doc={doc}"


def eventually(check: Callable[[], bool], what: str) -> None:
    """Wait until ``check()`` holds: saves reach the preview in one burst or several."""
    deadline = time.monotonic() + TIMEOUT
    while not check():
        assert time.monotonic() < deadline, f"not within {TIMEOUT} s: {what}"
        time.sleep(0.05)


def png(width: int = 1, height: int = 1) -> bytes:
    """A valid opaque white PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff" * 3 * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
