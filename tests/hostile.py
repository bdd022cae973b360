"""Hostile and careless files for the tests: broken images, bombs, links out."""

from __future__ import annotations

import contextlib
import struct
import zipfile
import zlib
from pathlib import Path


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png(path: Path, width: int = 40, height: int = 20, truncate: bool = False) -> Path:
    """A red PNG, written by hand so the tests need no imaging library."""
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + _chunk(b"IDAT", zlib.compress(raw))
        + _chunk(b"IEND", b"")
    )
    if truncate:
        data = data[: len(data) // 2]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def png_bomb(path: Path, side: int = 10_000) -> Path:
    """A small file that decodes to ``side``² grey pixels (100 million by default)."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (side + 1)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def bmp(path: Path) -> Path:
    """A 1×1 BMP: a real image, in a format the documents do not take."""
    pixels = b"\x00\x00\xff\x00"
    header = b"BM" + struct.pack("<IHHI", 14 + 40 + len(pixels), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, 1, 1, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    path.write_bytes(header + info + pixels)
    return path


def billion_laughs(levels: int = 9) -> str:
    """YAML whose aliases of aliases expand to 9**levels values in a few hundred bytes."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "city: Bekasi\ndate: 2024-02-08\n" + "\n".join(lines) + "\n"


def zip_without_word(path: Path) -> Path:
    """A ZIP file that is not a Word document."""
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("hello.txt", "hello")
    return path


# -- the effect of a hostile input: what lies outside the project stays as it was ---------
class Outside:
    """Files outside the project that a hostile project points at: each holds a token
    that must never reach an output or the terminal, and is dated long ago, so that
    reading it at all shows in its access time (``relatime`` updates an access time
    older than the modification time)."""

    def __init__(self, base: Path) -> None:
        import secrets

        self.folder = base / "outside"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.token = "CANARY" + secrets.token_hex(8)
        self.files: dict[Path, tuple[bytes, int, int]] = {}
        self.secret = self.file("secret.txt", f"city: {self.token}\ndate: 2024-02-08\n")
        self._atime_works = self._probe()

    def file(self, name: str, text: str) -> Path:
        """A canary file ``name`` in the outside folder (``{token}`` replaced)."""
        import os

        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.replace("{token}", self.token).encode("utf-8")
        path.write_bytes(data)
        os.utime(path, (1_000_000_000, 1_700_000_000))
        info = path.stat()
        self.files[path] = (data, info.st_mtime_ns, info.st_atime_ns)
        return path

    def _probe(self) -> bool:
        import os

        probe = self.folder.parent / ".atime-probe"
        probe.write_text("x")
        os.utime(probe, (1_000_000_000, 1_700_000_000))
        probe.read_text()
        works = probe.stat().st_atime_ns != 1_000_000_000 * 10**9
        probe.unlink()
        return works

    def listing(self) -> list[str]:
        """Every file and link under the outside folder (its folders are those of the
        files a case put there)."""
        return sorted(
            p.relative_to(self.folder).as_posix()
            for p in self.folder.rglob("*")
            if p.is_symlink() or not p.is_dir()
        )

    def untouched(self, *, roots: tuple[Path, ...] = (), output: str = "") -> None:
        """Nothing outside was read, written or made, and no token reached an output
        under ``roots`` or the terminal ``output``."""
        import os

        for path, (data, mtime, atime) in self.files.items():
            info = path.stat()
            assert info.st_mtime_ns == mtime, f"{path} was written"
            if self._atime_works:
                assert info.st_atime_ns == atime, f"{path} was read"
            assert path.read_bytes() == data, f"{path} was changed"
            os.utime(path, (1_000_000_000, 1_700_000_000))  # comparing it read it
        assert self.listing() == sorted(
            p.relative_to(self.folder).as_posix() for p in self.files
        ), f"files were made outside the project: {self.listing()}"
        assert self.token not in output, "the outside file's text reached the terminal"
        for root in roots:
            found = leaked(root, self.token)
            assert not found, f"the outside file's text is in {found}"


def leaked(root: Path, token: str) -> list[str]:
    """The files under ``root`` (not following links) holding ``token``: in their bytes,
    in any part of a Word or Excel package, or in a PDF's text."""
    import os

    found = []
    needle = token.encode()
    for top, _dirs, files in os.walk(root):
        for name in files:
            path = Path(top) / name
            if path.is_symlink() or not path.is_file() or path.stat().st_size > 64 * 1024**2:
                continue  # (a huge file a case planted is no output)
            data = path.read_bytes()
            texts = [data]
            if data[:2] == b"PK":
                with contextlib.suppress(zipfile.BadZipFile, OSError), zipfile.ZipFile(path) as z:
                    texts += [z.read(n) for n in z.namelist()]
            elif data[:5] == b"%PDF-":
                from inspect_docs import pdf_text

                with contextlib.suppress(Exception):  # not a PDF after all: bytes searched
                    texts.append(pdf_text(path).encode())
            if any(needle in text for text in texts):
                found.append(path.relative_to(root).as_posix())
    return found


def plandocs_process(root: Path | None, *args: str, timeout: float = 120) -> tuple[int, str]:
    """``plandocs ARGS --project ROOT`` in a process of its own that must end within
    ``timeout`` seconds (a hang fails the test, never stalls the suite): its exit code
    and its output (stdout and stderr)."""
    import os
    import subprocess
    import sys

    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    project = ["--project", str(root)] if root is not None else []
    done = subprocess.run(
        [sys.executable, "-m", "plandocs", *args, *project],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout,
        env=env,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


# -- plandocs in a process of its own, forked from one that has imported it already ------
# A fresh interpreter spends most of a hostile case's second importing plandocs and its
# libraries. ``plandocs_forked`` runs the command as ``plandocs_process`` does, in a
# process of its own under the same timeout (killed when it runs over, a crash or a hang
# contained in it), but forks that process from a server that has only imported plandocs
# and the libraries a command loads, compiled plandocs' own templates (the code a
# long-lived process keeps, plandocs.render.compiled, whatever the project) and styled
# the empty Word document of the repository's settings: the command itself starts from
# nothing else (no project read, none of its templates compiled), as in a fresh process.

_PRELOAD = ("weasyprint", "docx", "openpyxl", "jsonschema", "num2words", "PIL.Image", "difflib")
"""Libraries a command imports (besides every module of plandocs itself)."""


def _preload() -> None:  # pragma: no cover (runs in the server process)
    """Import what a command would: plandocs' modules (not ``__main__``, which runs the
    command) and the libraries of :data:`_PRELOAD`. Imports only: no command runs."""
    import importlib
    import pkgutil

    import plandocs

    for name in _PRELOAD:
        importlib.import_module(name)
    for module in pkgutil.walk_packages(plandocs.__path__, "plandocs."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    _compile_own_templates()
    _style_word_documents()


def _style_word_documents() -> None:  # pragma: no cover (runs in the server process)
    """Make the styled, empty Word document each language's DOCX starts from, for the
    repository's ``plandocs.yaml`` (what most cases' projects have): a process keeps it
    by settings and language (``DocxWriter._base``), a case whose settings differ makes
    its own."""
    import shutil
    import tempfile

    from plandocs.project import Project
    from plandocs.render.i18n import WORD_LANGS
    from plandocs.writers.docx.writer import DocxWriter

    with tempfile.TemporaryDirectory() as empty:
        repo = Path(__file__).resolve().parents[1]
        shutil.copy(repo / "plandocs.yaml", empty)
        shutil.copytree(repo / "assets", Path(empty) / "assets")  # the letterhead's logo
        writer = DocxWriter(Project.load(Path(empty)))
        for word_lang in sorted(set(WORD_LANGS.values())):
            writer._base(None, word_lang)


def _compile_own_templates() -> None:  # pragma: no cover (runs in the server process)
    """Compile every template plandocs ships, each under the name and file name a
    command loads it by, into the process's compiled code; no environment is kept."""
    import tempfile

    from plandocs.check.templates import SUFFIXES
    from plandocs.kinds.where import TEMPLATES, kind_folder, kind_names
    from plandocs.render import env as render_env
    from plandocs.render.loader import THEME_DIR

    with tempfile.TemporaryDirectory() as empty:
        kinds = {
            name: kind_folder(Path(empty), name) / TEMPLATES for name in kind_names(Path(empty))
        }
        for prefix, folder in [("", THEME_DIR), *((f"kinds/{k}/", f) for k, f in kinds.items())]:
            env = render_env.make_env(Path(empty), (folder,), kinds)
            for path in sorted(folder.rglob("*")):
                if path.suffix in SUFFIXES:
                    name = path.relative_to(folder).as_posix()
                    env.get_template(name)
                    if prefix:
                        env.get_template(prefix + name)
        render_env._ENVS.clear()


def _serve() -> None:  # pragma: no cover (runs in the server process)
    """The fork server: reads one JSON request a line on stdin (``args``, ``cwd``,
    ``out``, ``err``), forks a child that runs ``python -m plandocs ARGS`` with its
    stdout and stderr in those files, and writes ``pid N`` then ``exit CODE`` (the
    child's return code as :mod:`subprocess` gives it: minus the signal that ended it)."""
    import json
    import os
    import sys

    _preload()
    import gc

    gc.freeze()  # what was imported stays out of the children's collections (no copying)
    channel = os.fdopen(os.dup(1), "w")  # the replies; fd 1 is each child's stdout
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            channel.close()
            _child(request)
        channel.write(f"pid {pid}\n")
        channel.flush()
        _, status = os.waitpid(pid, 0)
        channel.write(f"exit {os.waitstatus_to_exitcode(status)}\n")
        channel.flush()


def _child(request: dict[str, object]) -> None:  # pragma: no cover (a forked child)
    """What ``python -m plandocs ARGS`` does, then the interpreter's own exit."""
    import atexit
    import os
    import sys
    import traceback

    code = 1
    try:
        os.chdir(str(request["cwd"]))
        for fd, path, flags in (
            (0, os.devnull, os.O_RDONLY),
            (1, str(request["out"]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
            (2, str(request["err"]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
        ):
            opened = os.open(path, flags, 0o600)
            os.dup2(opened, fd)
            os.close(opened)
        args = [str(a) for a in request["args"]]  # type: ignore[attr-defined]
        sys.argv = ["plandocs", *args]
        from plandocs.cli import main

        try:
            main(args=args, prog_name="python -m plandocs")
            code = 0
        except SystemExit as exc:
            if exc.code is None:
                code = 0
            elif isinstance(exc.code, int):
                code = exc.code
            else:
                print(exc.code, file=sys.stderr)
                code = 1
        except BaseException:  # as the interpreter does: the traceback, exit code 1
            traceback.print_exc()
            code = 1
        atexit._run_exitfuncs()
        import threading

        threading._shutdown()  # type: ignore[attr-defined]  # (as the interpreter's exit)
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


class _Forker:
    def __init__(self) -> None:
        import atexit
        import os
        import subprocess
        import sys

        tests = str(Path(__file__).resolve().parent)
        src = str(Path(__file__).resolve().parents[1] / "src")
        env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
        self.process = subprocess.Popen(
            [sys.executable, "-c", f"import sys; sys.path.insert(0, {tests!r}); "
             "import hostile; hostile._serve()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )  # fmt: skip
        self.pending = b""
        atexit.register(self.close)

    def close(self) -> None:
        """End the server and wait for it (its children's CPU time counts as ours)."""
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=60)

    def _line(self, timeout: float | None) -> str | None:
        """The server's next reply line, or None when none came within ``timeout``."""
        import os
        import select
        import time

        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        end = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self.pending:
            left = None if end is None else max(0.0, end - time.monotonic())
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                return None
            data = os.read(fd, 4096)
            assert data, "the fork server ended"
            self.pending += data
        line, _, self.pending = self.pending.partition(b"\n")
        return line.decode()

    def run(self, args: list[str], timeout: float) -> tuple[int, str]:
        import contextlib
        import json
        import os
        import signal
        import subprocess
        import tempfile

        stdin = self.process.stdin
        assert stdin is not None
        with tempfile.TemporaryDirectory(prefix="plandocs-forked-") as folder:
            out, err = Path(folder) / "out", Path(folder) / "err"
            request = {"args": args, "cwd": os.getcwd(), "out": str(out), "err": str(err)}
            stdin.write(json.dumps(request) + "\n")
            stdin.flush()
            reply = self._line(None)
            assert reply and reply.startswith("pid "), f"the fork server failed: {reply!r}"
            pid = int(reply.split()[1])
            reply = self._line(timeout)
            if reply is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)  # the server's child, not yet waited for
                self._line(None)
                raise subprocess.TimeoutExpired(["plandocs", *args], timeout)
            code = int(reply.split()[1])
            output = out.read_text(errors="replace") + err.read_text(errors="replace")
        return code, output


_forker: _Forker | None = None


def plandocs_forked(root: Path | None, *args: str, timeout: float = 120) -> tuple[int, str]:
    """As :func:`plandocs_process` (a process of its own, killed after ``timeout``
    seconds: its exit code and its stdout then stderr), started by a fork of a process
    that has imported plandocs already (see ``_serve``)."""
    import subprocess

    global _forker
    if _forker is None or _forker.process.poll() is not None:
        _forker = _Forker()
    project = ["--project", str(root)] if root is not None else []
    try:
        return _forker.run([*args, *project], timeout)
    except subprocess.TimeoutExpired:
        raise  # the child killed and its end read: the server is ready for the next
    except BaseException:  # interrupted mid-exchange: the next call starts a new server
        _forker.process.kill()
        _forker.process.wait()
        _forker = None
        raise
