"""The batch: regional target sheets for N regions × 2 languages × PDF and DOCX.

Times a full build with ``--jobs 1`` and ``--jobs 2`` of the 38 provinces, and the peak
resident memory (RSS) of the build process and of its largest worker for 10 and for
38 provinces: memory must stay flat as the batch grows (each worker holds one document
at a time). Then the real batch — 514 regencies and cities — with ``--jobs 2``: its
cost per sheet against the 38 provinces' in the same run (a batch must cost per region
what one region costs), its peak memory, and its no-op rebuild against starting
Python. ``--check`` adds ``plandocs check`` on a table of 10,000 rows (2,500 regions).
Run: ``.venv/bin/python bench/batch.py [--check]``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FOLDER = "content/regional/targets-2025-2029"
sys.path.insert(0, str(REPO / "tools"))

import regional_sample  # noqa: E402


def project(dest: Path, regions: int) -> Path:
    dest.mkdir(parents=True)
    for name in ("plandocs.yaml", "assets"):  # the kinds and templates are plandocs' own
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, dest / name)
    folder = dest / FOLDER
    shutil.copytree(REPO / FOLDER, folder)
    text = (folder / "sheet.yaml").read_text(encoding="utf-8")
    text = text[: text.index("regions:\n")] + "regions:\n" + regional_sample.regions_yaml(regions)
    (folder / "sheet.yaml").write_text(text, encoding="utf-8")
    rows = regional_sample.rows(regions)
    (folder / "data/targets.csv").write_text("".join(",".join(r) + "\n" for r in rows))
    return dest


def build(root: Path, jobs: int, *args: str) -> tuple[float, float, float]:
    """Seconds, and peak RSS (MiB) of the build process and of its largest worker."""
    return _measured(root, "build", "--format", "pdf,docx", "--jobs", str(jobs), *args)


def _measured(root: Path, *command: str) -> tuple[float, float, float]:
    script = (
        "import resource, sys\n"
        "from plandocs.cli import main\n"
        "try:\n    main()\n"
        "finally:\n"
        "    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "    print(f'RSS {own} {kids}', file=sys.stderr)\n"
    )
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script, *command, "--project", str(root)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(done.stdout[-3000:] + done.stderr[-3000:])
    line = next(x for x in done.stderr.splitlines() if x.startswith("RSS "))
    own, kids = (int(v) / 1024 for v in line.split()[1:])
    return seconds, own, kids


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="plandocs-batch-") as tmp:
        big = project(Path(tmp) / "38", 38)
        small = project(Path(tmp) / "10", 10)
        build(small, 2, "--force")  # warm the caches (fonts, imports)
        one, own1, _ = build(big, 1, "--force")
        two, own2, kids2 = build(big, 2, "--force")
        _, own_s, kids_s = build(small, 2, "--force")
        files = 2 * 2 * 39
        print(f"batch: 38 provinces + recap × 2 languages × PDF, DOCX = {files} files")
        print(f"--jobs 1: {one:.1f} s   --jobs 2: {two:.1f} s   ratio {two / one:.2f} (≤ 0.55)")
        print(
            f"peak RSS, build process / largest worker: 10 regions {own_s:.0f} / {kids_s:.0f} "
            f"MiB, 38 regions {own2:.0f} / {kids2:.0f} MiB (--jobs 2); "
            f"38 regions --jobs 1: {own1:.0f} MiB"
        )
        real = project(Path(tmp) / "514", 514)
        full, own514, kids514 = build(real, 2)
        noop = min(build(real, 2)[0] for _ in range(3))
        start = min(_python_start() for _ in range(5))
        per_sheet, per_sheet_38 = full / (2 * 2 * 515), two / files
        print(
            f"batch: 514 regencies and cities + recap × 2 languages × PDF, DOCX = {4 * 515} files"
        )
        print(
            f"--jobs 2: {full:.1f} s, {per_sheet * 1000:.0f} ms a file against "
            f"{per_sheet_38 * 1000:.0f} ms for 38 provinces: ratio {per_sheet / per_sheet_38:.2f} "
            "(≤ 1.15: a region costs what it costs in a small batch)"
        )
        print(
            f"peak RSS, build process / largest worker: {own514:.0f} / {kids514:.0f} MiB "
            f"(38 provinces: {own2:.0f} / {kids2:.0f} MiB; ratio {kids514 / kids2:.2f}, ≤ 1.5)"
        )
        print(
            f"no-op rebuild: {noop:.2f} s against {start:.3f} s for python -c pass: "
            f"ratio {noop / start:.0f}× (well under a second)"
        )
        if "--check" in sys.argv:
            rows = project(Path(tmp) / "2500", 2500)
            seconds, own_c, _ = _measured(rows, "check")
            print(
                f"check, 10,000 rows (2,500 regions × 4 indicators, 5,002 documents): "
                f"{seconds:.0f} s, {seconds / 5002 * 1000:.0f} ms a document, peak RSS "
                f"{own_c:.0f} MiB"
            )


def _python_start() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
