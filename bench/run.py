"""plandocs benchmark: every figure beside a baseline measured in the same run.

    ./dev bench [--quick] [--renstra]   (or: .venv/bin/python bench/run.py …)

``--renstra``: only the generated Renstra in one language (from scratch with one and
two processes, a one-chapter edit, the 300-page variant per page).

Baselines: the bare interpreter start (``python -c pass``); WeasyPrint plus a naive
python-docx build of the same HTML, one after another (bench/bare.py); pandoc's
Markdown → DOCX on the same content (from the ``pypandoc-binary`` package); for the
preview, the browser reloading the page with nothing changed (bench/preview.py). The
targets are those of the project's speed issue; the ratios are what to compare.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from preview import preview_reload  # noqa: E402

PYTHON = sys.executable
PLANDOCS = [PYTHON, "-m", "plandocs"]


def timed(cmd: list[str], cwd: Path | None = None, runs: int = 1) -> float:
    """Median wall time of ``cmd`` over ``runs`` runs; a failure stops the benchmark."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def row(name: str, value: float, baseline: float, target: str) -> None:
    print(f"{name:<46} {value:7.2f} s  {baseline:7.2f} s  {value / baseline:6.2f}×  {target}")


def main() -> None:
    quick = "--quick" in sys.argv
    work = Path(tempfile.mkdtemp(prefix="plandocs-bench-"))
    env_jobs = ["-j", "1"]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {sys.platform}")
    print(f"{'figure':<46} {'plandocs':>9}  {'baseline':>9}  {'ratio':>7}  target")
    renstra_figures(work)
    if "--renstra" in sys.argv:
        shutil.rmtree(work, ignore_errors=True)
        return
    start = timed([PYTHON, "-c", "pass"], runs=7)

    project = generate(work / "large", readouts=10 if quick else 50)
    build = [*PLANDOCS, "build", "--project", str(project)]
    full1 = timed([*build, "--force", *env_jobs])  # a fresh project: no chapter cache yet
    htmls = sorted(str(p) for p in (project / "build").glob("*/*/*.html"))
    bare_out = work / "bare"
    bare_out.mkdir()
    bare = timed([PYTHON, str(HERE / "bare.py"), str(bare_out), *htmls])
    row("full build, --jobs 1", full1, bare, "≤ 1.10× bare WeasyPrint + DOCX")
    shutil.rmtree(project / "build/.plandocs", ignore_errors=True)  # the chapters laid out too
    full2 = timed([*build, "--force", "-j", "2"])
    row("full build, --jobs 2", full2, bare, "≤ 0.65× (on 2 cores)")
    noop = timed(build, runs=3)
    row("no-op rebuild", noop, start, "≤ 20× python -c pass")

    prose = project / "content/readouts/readout-00/en.md"
    edits = []
    for n in range(5):  # a short figure: the median of five edits
        prose.write_text(prose.read_text() + f"\nOne more paragraph, number {n}.\n")
        edits.append(timed(build))
    edit = statistics.median(edits)
    one = [str(project / "build/en/readouts/readout-00.html")]
    bare_one = timed([PYTHON, str(HERE / "bare.py"), str(bare_out), *one], runs=5)
    row("one-readout edit rebuild", edit, bare_one, "≤ 1.30× bare for that document")

    docx_time, pandoc = docx_against_pandoc(project, work)
    if pandoc is not None:
        row("DOCX writer, 100-page Renstra", docx_time, pandoc, "≤ 1.00× pandoc Markdown → DOCX")
    else:
        print(f"{'DOCX writer, 100-page Renstra':<46} {docx_time:7.2f} s  (pandoc not installed)")

    reload = preview_reload(project)  # save → new text in the browser's DOM
    if isinstance(reload, str):
        print(f"{'preview reload after a save':<46} skipped: {reload}")
    else:
        row("preview reload after a save (median of 5)", *reload, "≤ 1 s (baseline: plain reload)")
    shutil.rmtree(work, ignore_errors=True)


def pdf_pages(path: Path) -> int:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def renstra_figures(work: Path) -> None:
    """The generated Renstra in one language (PDF, DOCX, HTML): a full build from
    scratch with one and two processes, a one-sentence edit to one chapter (chapters
    are laid out and kept one by one), and a 300-page variant's cost per page."""
    project = generate(work / "renstra", readouts=0)
    build = [*PLANDOCS, "build", "--lang", "id", "--project", str(project)]
    print("load average before: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    pdf = project / "build/id/renstra/large.pdf"

    import resource

    cpu: dict[str, list[float]] = {"1": [], "2": []}

    def cold(jobs: str) -> float:
        shutil.rmtree(project / "build", ignore_errors=True)  # the unit cache too
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = timed([*build, "-j", jobs])
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        cpu[jobs].append(used / wall)
        return wall

    ones, twos = [], []
    for _ in range(3):  # interleaved, so that a burst of load on the machine hits both
        ones.append(cold("1"))
        twos.append(cold("2"))
    full1, full2 = statistics.median(ones), statistics.median(twos)
    pages = pdf_pages(pdf)
    row(f"Renstra ({pages} pages, id) from scratch, -j 2", full2, full1, "≤ 0.60× -j 1")
    print(
        f"  cores the build got (CPU time / wall time): -j 1 {statistics.median(cpu['1']):.2f},"
        f" -j 2 {statistics.median(cpu['2']):.2f} (other processes share the machine)"
    )
    chapter = project / "content/renstra/large/id/3-bab.md"
    edits = []
    for n in range(3):  # a one-sentence edit of one chapter, median of three
        text = chapter.read_text(encoding="utf-8")
        chapter.write_text(text.replace(".", f" ({n}).", 1), encoding="utf-8")
        edits.append(timed([*build, "-j", "1"]))
    row("Renstra one-chapter edit, -j 1", statistics.median(edits), full1, "≤ 0.25× full -j 1")
    edits2 = []
    for n in range(3):
        text = chapter.read_text(encoding="utf-8")
        chapter.write_text(text.replace(".", f" ({n + 3}).", 1), encoding="utf-8")
        edits2.append(timed(build))
    row("Renstra one-chapter edit, -j default", statistics.median(edits2), full1, "")
    long = generate(work / "renstra300", readouts=0, sections=23)
    shutil.rmtree(long / "build", ignore_errors=True)
    full300 = timed([*PLANDOCS, "build", "--lang", "id", "--project", str(long), "-j", "1"])
    pages300 = pdf_pages(long / "build/id/renstra/large.pdf")
    row(
        f"{pages300}-page Renstra per page (vs {pages})",
        full300 / pages300,
        full1 / pages,
        "≤ 1.10× per page",
    )
    print("load average after: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


def docx_against_pandoc(project: Path, work: Path) -> tuple[float, float | None]:
    """Our DOCX writer on the large Renstra vs pandoc on the same content as Markdown."""
    from plandocs.kinds.registry import KINDS
    from plandocs.project import Project
    from plandocs.writers.docx.writer import DocxWriter

    loaded = Project.load(project)
    kind = KINDS["renstra"]
    document = kind.load(loaded, project / "content/renstra/large")
    rendered = kind.render(loaded, document, "id", False)
    writer = DocxWriter(loaded)
    writer.write(rendered, work / "warm.docx")
    times = []
    for _ in range(3):
        start = time.perf_counter()
        writer.write(rendered, work / "plandocs.docx")
        times.append(time.perf_counter() - start)
    ours = statistics.median(times)
    try:
        import pypandoc
    except ImportError:
        return ours, None
    pandoc = pypandoc.get_pandoc_path()
    html = work / "renstra.html"
    html.write_text(rendered.html, encoding="utf-8")
    markdown = work / "renstra.md"
    subprocess.run(
        [pandoc, "-f", "html", "-t", "markdown", "-o", str(markdown), str(html)], check=True
    )
    theirs = timed(
        [pandoc, "-f", "markdown", "-t", "docx", "-o", str(work / "pandoc.docx"), str(markdown)],
        runs=3,
    )
    return ours, theirs


if __name__ == "__main__":
    main()
