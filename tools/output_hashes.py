"""Record, or compare with the record, the SHA-256 of every output of the sample project
and of the bench's generated project.

A refactor must leave every output byte for byte as it was: record before moving code,
compare after. Both projects are copied into a scratch folder and built from scratch
with ``--force`` (outputs do not depend on where the project lies), with a fixed
``SOURCE_DATE_EPOCH`` so that a draft's date does not follow the calendar.

    python tools/output_hashes.py record   # writes tools/output-hashes.json
    python tools/output_hashes.py check    # builds again and lists every difference
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RECORD = REPO / "tools/output-hashes.json"
PLANDOCS = [sys.executable, "-m", "plandocs"]
SAMPLE = (
    "plandocs.yaml",
    "glossary.yaml",
    "assets",
    "content",
    "kinds",
    "templates",
)


def _sample(into: Path) -> Path:
    into.mkdir(parents=True)
    for name in SAMPLE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, into / name)
        elif source.exists():
            shutil.copy2(source, into / name)
    return into


def _generated(into: Path) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    from generate import generate  # type: ignore[import-not-found]

    return Path(generate(into, readouts=5))


def _build(project: Path) -> dict[str, str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1732060800"}
    subprocess.run(
        [*PLANDOCS, "build", "--force", "--lang", "all", "--project", str(project)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    build = project / "build"
    return {
        str(path.relative_to(build)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(build.rglob("*"))
        if path.is_file() and ".plandocs" not in path.relative_to(build).parts[0]
    }


def measure() -> dict[str, dict[str, str]]:
    with tempfile.TemporaryDirectory(prefix="plandocs-hashes-") as scratch:
        root = Path(scratch)
        return {
            "sample": _build(_sample(root / "sample")),
            "generated": _build(_generated(root / "generated")),
        }


def main() -> int:
    mode = sys.argv[1] if len(sys.argv) > 1 else "check"
    now = measure()
    if mode == "record":
        RECORD.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n")
        print(f"recorded {sum(len(v) for v in now.values())} outputs in {RECORD}")
        return 0
    then = json.loads(RECORD.read_text())
    differ = 0
    for project in sorted(set(then) | set(now)):
        old, new = then.get(project, {}), now.get(project, {})
        for name in sorted(set(old) | set(new)):
            if old.get(name) != new.get(name):
                differ += 1
                state = "new" if name not in old else "gone" if name not in new else "differs"
                print(f"{project}: {name}: {state}")
    total = sum(len(v) for v in now.values())
    print(f"{total} outputs, {differ} differ from the record")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
