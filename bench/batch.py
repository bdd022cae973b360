"""The batch: regional target sheets for N provinces × 2 languages × PDF and DOCX.

Times a full build with ``--jobs 1`` and ``--jobs 2`` of the 38 provinces, and the peak
resident memory (RSS) of the build process and of its largest worker for 10 and for
38 provinces: memory must stay flat as the batch grows (each worker holds one document
at a time). Run: ``.venv/bin/python bench/batch.py``.
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


def build(root: Path, jobs: int) -> tuple[float, float, float]:
    """Seconds, and peak RSS (MiB) of the build process and of its largest worker."""
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
        [sys.executable, "-c", script, "build", "--project", str(root), "--format", "pdf,docx",
         "--jobs", str(jobs), "--force"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(done.stdout + done.stderr)
    line = next(x for x in done.stderr.splitlines() if x.startswith("RSS "))
    own, kids = (int(v) / 1024 for v in line.split()[1:])
    return seconds, own, kids


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="plandocs-batch-") as tmp:
        big = project(Path(tmp) / "38", 38)
        small = project(Path(tmp) / "10", 10)
        build(small, 2)  # warm the caches (fonts, imports)
        one, own1, _ = build(big, 1)
        two, own2, kids2 = build(big, 2)
        _, own_s, kids_s = build(small, 2)
        docs = 2 * 2 * 39
        print(f"batch: 38 provinces + recap × 2 languages × PDF, DOCX = {docs} files")
        print(f"--jobs 1: {one:.1f} s   --jobs 2: {two:.1f} s   ratio {two / one:.2f} (≤ 0.55)")
        print(
            f"peak RSS, build process / largest worker: 10 regions {own_s:.0f} / {kids_s:.0f} "
            f"MiB, 38 regions {own2:.0f} / {kids2:.0f} MiB (--jobs 2); "
            f"38 regions --jobs 1: {own1:.0f} MiB"
        )


if __name__ == "__main__":
    main()
