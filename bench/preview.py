"""The preview figure: from writing a file to its new text in the browser's DOM.

``plandocs preview`` runs as the user runs it (its own process, the background build
on); Debian's chromium, driven by Playwright, holds the 100-page Renstra open while
one of its chapters is saved five times. Each figure is the time from the write to
the new sentence in the page's DOM; the median is printed. The baseline is the
browser reloading the same page with nothing changed.

    .venv/bin/python bench/preview.py      (alone, on a freshly generated project)
"""

from __future__ import annotations

import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
READY = "document.documentElement.classList.contains('plandocs-ready')"


def preview_reload(project: Path, saves: int = 5) -> tuple[float, float] | str:
    """(median save → DOM seconds, median plain reload seconds), or why it was skipped."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        return "Playwright is not installed (pip install playwright)"
    if not Path(CHROMIUM).is_file():
        return "chromium is not installed (apt-get install chromium)"
    folder = project / "content/renstra/large"
    chapter = sorted((folder / "id").glob("*.md"))[0]
    command = [sys.executable, "-m", "plandocs", "preview", "--project", str(project)]
    server = subprocess.Popen(
        [*command, "--lang", "id", "--port", "0", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    original = chapter.read_text(encoding="utf-8")
    try:
        url = _address(server)
        with sync_playwright() as playwright:
            try:
                context = playwright.chromium.launch_persistent_context(
                    str(project.parent / "chromium-profile"),
                    executable_path=CHROMIUM,
                    headless=True,
                    args=CHROMIUM_ARGS,
                )
            except Error as exc:
                return f"chromium could not be started: {str(exc).splitlines()[0]}"
            try:
                page = context.new_page()
                page.goto(f"{url}view?lang=id&doc=renstra/large")
                page.wait_for_function(READY)
                return _saves(page, chapter, saves), _reloads(page)
            finally:
                context.close()
    finally:
        chapter.write_text(original, encoding="utf-8")
        server.send_signal(signal.SIGINT)
        try:
            server.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()


def _address(server: subprocess.Popen[str]) -> str:
    assert server.stdout is not None
    for line in server.stdout:
        match = re.match(r"preview: (http://\S+) ", line)
        if match:
            return match.group(1)
    raise RuntimeError("plandocs preview stopped before it served")


def _saves(page: Any, chapter: Path, saves: int) -> float:
    times = []
    for n in range(saves):
        sentence = f"Kalimat tolok ukur nomor {n} pada {time.time():.0f}."
        text = chapter.read_text(encoding="utf-8") + f"\n{sentence}\n"
        started = time.perf_counter()
        chapter.write_text(text, encoding="utf-8")
        page.get_by_text(sentence).wait_for(timeout=60_000)
        times.append(time.perf_counter() - started)
        time.sleep(1.5)  # a pause between saves; the background build goes on meanwhile
    return statistics.median(times)


def _reloads(page: Any, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        page.reload()
        page.wait_for_function(READY)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate import generate

    work = Path(tempfile.mkdtemp(prefix="plandocs-bench-preview-"))
    project = generate(work / "large", readouts=1)
    folder = project / "content/renstra/large"
    build = [sys.executable, "-m", "plandocs", "build", "--project", str(project)]
    subprocess.run([*build, "--lang", "id", str(folder)], check=True, stdout=subprocess.DEVNULL)
    result = preview_reload(project)
    if isinstance(result, str):
        print(f"preview reload after a save: skipped: {result}")
    else:
        print(f"preview reload after a save: {result[0]:.2f} s (browser reload {result[1]:.2f} s)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
