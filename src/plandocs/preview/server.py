"""The preview's HTTP server: the standard library's ThreadingHTTPServer on 127.0.0.1.

Addresses:

* ``/`` — the index; ``/view?lang=id&doc=<kind>/<slug>`` — one document;
* ``/_preview/screen.css``, ``/_preview/preview.js`` — the preview's own files;
* ``/_preview/events?target=…&version=…`` — server-sent events: ``reload`` when the
  page's version is not the one the page has, ``build`` with the background build's
  state;
* ``/build/…`` — the PDF, DOCX and HTML outputs; any other path ending in an image
  suffix — an image of the project.

Nothing else is served. A file path is decoded once, must be made of plain names (no
``..``, ``.``, empty, hidden or backslashed parts, no ``%`` left after decoding) and
must resolve — symlinks followed — to a file inside its folder; else 404. Requests
must name this server as their host (no DNS rebinding), and every HTML page gets a
content security policy that lets it reach this server only.
"""

from __future__ import annotations

import contextlib
import socketserver
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from plandocs.errors import PlandocsError
from plandocs.preview.pages import DOWNLOADS, document_page, index_page, missing_page
from plandocs.preview.state import INDEX, Documents
from plandocs.safety.images import IMAGE_TYPES
from plandocs.safety.outputs import BUILD_DIR

HOST = "127.0.0.1"
STOP_POLL_S = 0.05
"""How often the server's loop looks whether it is asked to stop."""
KEEPALIVE = 15.0
"""Seconds between comments that keep an idle event stream open."""

BUILD_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".html": "text/html; charset=utf-8",
}
IMAGE_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}
STATIC = {
    "/_preview/screen.css": ("screen.css", "text/css; charset=utf-8"),
    "/_preview/preview.js": ("preview.js", "text/javascript; charset=utf-8"),
}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self'; connect-src 'self'; font-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


def inside(base: Path, url_path: str, root: Path | None = None) -> Path | None:
    """The file ``url_path`` (still percent-encoded, relative) names inside ``base``, or None.

    Decoded once; refused when anything is left to decode or any part is empty,
    ``.``, ``..``, hidden or has a backslash or NUL; followed through symlinks and
    refused unless it ends at a regular file inside ``base`` — and inside the project
    ``root``: a ``base`` (``build/``) that is itself a link out of it serves nothing.
    """
    try:
        text = unquote(url_path, errors="strict")
    except UnicodeDecodeError:
        return None
    if any(c in text for c in "%\\\x00"):
        return None
    parts = text.split("/")
    if any(not part or part.startswith(".") for part in parts):
        return None
    try:
        if base.is_symlink():
            return None
        real = base.joinpath(*parts).resolve(strict=True)
        within = real.is_relative_to(base.resolve())
        if root is not None:
            within = within and real.is_relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):
        return None
    if not within or not real.is_file():
        return None
    return real


MAX_CONNECTIONS = 128
"""Connections served at once (each open page holds one for its events); past that, a
new connection is closed at once rather than given a thread of its own — thousands of
them exhausted the process's threads. A browser's page reconnects by itself."""
REQUEST_SECONDS = 10.0
"""How long a connection may take to send its request or to take a reply: one that
sends nothing gives its place up after that."""


class PreviewServer(ThreadingHTTPServer):
    """The server with the documents it shows."""

    daemon_threads = True
    request_queue_size = 64

    def __init__(
        self, documents: Documents, port: int, downloads: tuple[str, ...] = DOWNLOADS
    ) -> None:
        self.documents = documents
        self.root = documents.root
        self.downloads = downloads
        """The formats whose files the pages link to."""
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        try:
            super().__init__((HOST, port), Handler)
        except OSError as exc:
            raise PlandocsError(
                f"cannot listen on {HOST}:{port} ({exc.strerror or exc}); "
                "pass another --port, or --port 0 for a free one"
            ) from None

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def server_bind(self) -> None:
        # HTTPServer's own looks the host name up (getfqdn), which can stall on DNS.
        socketserver.TCPServer.server_bind(self)
        self.server_name = HOST
        self.server_port = self.port

    def process_request(self, request: Any, client_address: Any) -> None:
        """A thread per connection, at most :data:`MAX_CONNECTIONS` at once."""
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except Exception:  # no thread to be had: this connection only is dropped
            self.slots.release()
            self.shutdown_request(request)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A connection that fails (reset, timed out, a bug) ends quietly: the terminal
        shows what changed, never a traceback from a browser tab."""

    def start(self) -> threading.Thread:
        # The loop looks for a stop every 50 ms (the standard library's 0.5 s made every
        # Ctrl-C, and every preview a test closes, wait that long); requests are served
        # at once either way.
        thread = threading.Thread(
            target=self.serve_forever,
            kwargs={"poll_interval": STOP_POLL_S},
            name="preview-http",
            daemon=True,
        )
        thread.start()
        return thread

    def stop(self) -> None:
        self.documents.close()
        self.shutdown()
        self.server_close()


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "plandocs-preview"
    sys_version = ""
    timeout = REQUEST_SECONDS

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows what changed, not every request

    def do_GET(self) -> None:
        self._handle(body=True)

    def do_HEAD(self) -> None:
        self._handle(body=False)

    def _handle(self, body: bool) -> None:
        if not self._host_ok():
            self._send(HTTPStatus.FORBIDDEN, b"wrong host\n", "text/plain", body)
            return
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query)
        documents = self.server.documents
        if path == "/":
            pages = documents.all_pages()
            version = documents.version_of(INDEX) or ""
            html = index_page(
                self.server.root, pages, documents.langs, version, self.server.downloads
            )
            self._send_html(html, body)
        elif path == "/view":
            self._document(query, body)
        elif path in STATIC:
            name, mime = STATIC[path]
            data = resources.files("plandocs.preview").joinpath("static", name).read_bytes()
            self._send(HTTPStatus.OK, data, mime, body)
        elif path == "/favicon.ico":
            self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon", body)
        elif path == "/_preview/events":
            self._events(query)
        elif path.startswith(f"/{BUILD_DIR}/"):
            base = self.server.root / BUILD_DIR
            found = inside(base, path[len(BUILD_DIR) + 2 :], self.server.root)
            self._file(found, BUILD_TYPES, body)
        elif Path(unquote(path)).suffix.lower() in IMAGE_TYPES:
            self._file(inside(self.server.root, path[1:], self.server.root), IMAGE_MIME, body)
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", body)

    def _host_ok(self) -> bool:
        port = self.server.port
        return self.headers.get("Host", "") in (f"{HOST}:{port}", f"localhost:{port}")

    def _document(self, query: dict[str, list[str]], body: bool) -> None:
        documents = self.server.documents
        lang = query.get("lang", [""])[0]
        doc = query.get("doc", [""])[0]
        target = f"{lang}/{doc}"
        page = documents.page(target) if lang in documents.langs else None
        if page is None:
            html = missing_page(target, documents.version_of(target))
            self._send_html(html, body, HTTPStatus.NOT_FOUND)
            return
        languages = documents.languages_of(page.kind, page.slug)
        html = document_page(
            self.server.root, page, languages, documents.build_status, self.server.downloads
        )
        self._send_html(html, body)

    def _file(self, path: Path | None, types: dict[str, str], body: bool) -> None:
        """A file sent as it is read, a block at a time (an image of gigabytes takes no
        more memory than a small one); only a regular file, never a FIFO that waits."""
        import os
        import stat

        if path is None or path.suffix.lower() not in types:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", body)
            return
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", body)
            return
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode):
                self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", body)
                return
            headers = {}
            if path.suffix == ".docx":
                name = path.name
                plain = name.isascii() and name.isprintable() and not set(name) & set('"\\')
                headers["Content-Disposition"] = (
                    f'attachment; filename="{name}"'
                    if plain
                    else f"attachment; filename*=UTF-8''{quote(name)}"
                )
            if path.suffix == ".html":
                headers["Content-Security-Policy"] = CSP
            mime = types[path.suffix.lower()]
            with contextlib.suppress(OSError):
                self._head(HTTPStatus.OK, mime, info.st_size, headers)
                left = info.st_size
                while body and left > 0:
                    block = f.read(min(left, 1 << 20))
                    if not block:
                        break
                    self.wfile.write(block)
                    left -= len(block)

    def _send_html(self, html: str, body: bool, status: HTTPStatus = HTTPStatus.OK) -> None:
        headers = {"Content-Security-Policy": CSP}
        self._send(status, html.encode("utf-8"), "text/html; charset=utf-8", body, headers)

    def _send(
        self,
        status: HTTPStatus,
        data: bytes,
        mime: str,
        body: bool,
        headers: dict[str, str] | None = None,
    ) -> None:
        with contextlib.suppress(OSError):
            self._head(status, mime, len(data), headers)
            if body:
                self.wfile.write(data)

    def _head(
        self, status: HTTPStatus, mime: str, length: int, headers: dict[str, str] | None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()

    def _events(self, query: dict[str, list[str]]) -> None:
        """Server-sent events until the page must reload, the client leaves or we stop."""
        documents = self.server.documents
        target = query.get("target", [INDEX])[0]
        version = query.get("version", [""])[0]
        try:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self._event("retry: 500")
        except ConnectionError:
            return
        status: str | None = None
        with documents.watching(target):
            try:
                while True:
                    closing, current, build = documents.wait(target, version, status, KEEPALIVE)
                    if closing:
                        return
                    if current != version:
                        self._event(f"event: reload\ndata: {current or ''}")
                        return
                    if build != status:
                        status = build
                        done = "done" if documents.build_done else "running"
                        text = " ".join(build.split())
                        self._event(f"event: build\nid: {done}\ndata: {text}")
                    else:
                        self._event(": still here")
            except OSError:  # the page went away
                return

    def _event(self, text: str) -> None:
        self.wfile.write(f"{text}\n\n".encode())
        self.wfile.flush()
