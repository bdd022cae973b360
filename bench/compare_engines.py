"""Redline engines weighed on the sample Renstra: fidelity and speed.

    .venv/bin/python bench/compare_engines.py [--python PYTHON_WITH_PYTHON_REDLINES]

Two drafts of the sample Renstra (v3 inserts and deletes words, deletes and adds a
paragraph, changes one target in the CSV, which two tables show) are built; then
their redline is made three ways:

* plandocs: the HTML trees diffed before the writers (``plandocs.compare.redline``), the DOCX
  written by our own writer with ``w:ins``/``w:del``;
* python-redlines' DocxodusEngine and XmlPowerToolsEngine (Open-XML-PowerTools'
  WmlComparer), comparing the two DOCX files plandocs wrote. They are not plandocs
  dependencies; pass ``--python`` an interpreter that has
  ``python-redlines[docxodus,ooxmlpowertools]`` installed.

For each: seconds (median of 3), the tracked changes found, whether they are whole
words, and what of the document survives (sections, fields, bookmarks, hyperlinks,
tables, repeating header rows), counted against the DOCX plandocs writes for v3.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RENSTRA = "content/renstra/kemensos-2025-2029"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EXPECTED_INSERTED = {"dan strategis", "Regulasi diharmonisasikan bersama pemerintah daerah.", "79"}
EXPECTED_DELETED = {"untuk", "78"}

ENGINE_SCRIPT = """
import json, sys, time, warnings
warnings.simplefilter("ignore")
from python_redlines import engines
old, new, out, name = sys.argv[1:5]
engine = getattr(engines, name)()
times = []
for _ in range(3):
    start = time.perf_counter()
    data, _, _ = engine.run_redline("plandocs", open(old, "rb").read(), open(new, "rb").read())
    times.append(time.perf_counter() - start)
open(out, "wb").write(data)
print(json.dumps(sorted(times)[1]))
"""


def sh(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(args, cwd=cwd, check=True, capture_output=True, text=True).stdout


def project(work: Path) -> Path:
    root = work / "drafts"
    root.mkdir()
    for name in ("plandocs.yaml", "templates", "content"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / name)
    shutil.rmtree(root / "content" / "readouts")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    sh("git", "init", "-q", cwd=root)
    sh("git", "add", "-A", cwd=root)
    sh(*git, "commit", "-qm", "v2", cwd=root)
    ch3 = root / RENSTRA / "id/3-arah-kebijakan.md"
    text = ch3.read_text()
    text = text.replace("berperan langsung pada", "berperan langsung dan strategis pada")
    text = text.replace("dilatih untuk menghadapi", "dilatih menghadapi")
    text = text.replace(
        "Sejalan dengan arah kebijakan nasional, Kementerian Sosial menetapkan arah "
        "kebijakan berikut.\n\n",
        "",
    )
    text = text.replace(
        "# Kerangka Regulasi\n",
        "# Kerangka Regulasi\n\nRegulasi diharmonisasikan bersama pemerintah daerah.\n",
    )
    ch3.write_text(text)
    csv = root / RENSTRA / "data/targets.csv"
    csv.write_text(csv.read_text().replace("IKP 2.1,75,78,80", "IKP 2.1,75,79,80"))
    sh(*git, "commit", "-qam", "v3", cwd=root)
    return root


def structure(path: Path) -> dict[str, int]:
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    count = {
        "sections": "sectPr",
        "fields": "instrText",
        "bookmarks": "bookmarkStart",
        "hyperlinks": "hyperlink",
        "tables": "tbl",
        "header rows": "tblHeader",
        "merged cells": "vMerge",
    }
    found = {name: len(list(root.iter(f"{W}{tag}"))) for name, tag in count.items()}
    styles = {el.get(f"{W}val") for el in root.iter(f"{W}pStyle")}
    found["paragraph styles"] = len(styles)
    return found


def changes(path: Path) -> tuple[set[str], set[str]]:
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    out: dict[str, set[str]] = {"ins": set(), "del": set()}
    for kind, text_tag in (("ins", "t"), ("del", "delText")):
        for el in root.iter(f"{W}{kind}"):
            text = "".join(t.text or "" for t in el.iter(f"{W}{text_tag}")).strip()
            if text:
                out[kind].add(text)
    return out["ins"], out["del"]


def report(name: str, seconds: float, path: Path, reference: dict[str, int]) -> None:
    inserted, deleted = changes(path)
    whole = inserted >= EXPECTED_INSERTED and deleted >= EXPECTED_DELETED
    kept = structure(path)
    lost = {k: f"{kept[k]}/{v}" for k, v in reference.items() if kept[k] != v}
    print(f"{name:<34} {seconds:6.2f} s  ins {len(inserted):>2}  del {len(deleted):>2}  ", end="")
    print(f"words exact: {'yes' if whole else 'no'}  changed vs. plandocs DOCX: {lost or 'none'}")


def main() -> None:
    python = sys.argv[sys.argv.index("--python") + 1] if "--python" in sys.argv else None
    runs = 5
    work = Path(tempfile.mkdtemp(prefix="plandocs-engines-"))
    root = project(work)
    os.environ["SOURCE_DATE_EPOCH"] = "1732060800"
    from plandocs.build.run import build
    from plandocs.compare.drafts import compare_outputs

    out = root / "build/id/renstra/kemensos-2025-2029"
    build(root, ["id"], ["docx"])
    reference = structure(Path(f"{out}.docx"))
    new_docx = work / "v3.docx"
    shutil.copy(f"{out}.docx", new_docx)
    sh("git", "worktree", "add", "-q", str(work / "v2"), "HEAD~1", cwd=root)
    build(work / "v2", ["id"], ["docx"])
    old_docx = work / "v2" / "build/id/renstra/kemensos-2025-2029.docx"
    compare_outputs(root, "HEAD~1", ["id"], ["docx"])  # warm up imports and caches

    # Interleaved, so that a busy machine slows every engine alike.
    timings: dict[str, list[float]] = {}
    for _ in range(runs):
        start = time.perf_counter()
        compare_outputs(root, "HEAD~1", ["id"], ["docx"])
        timings.setdefault("plandocs", []).append(time.perf_counter() - start)
        start = time.perf_counter()
        build(work / "v2", ["id"], ["docx"], force=True)
        timings.setdefault("old docx", []).append(time.perf_counter() - start)
        for engine in ("DocxodusEngine", "XmlPowerToolsEngine") if python else ():
            target = work / f"{engine}.docx"
            done = subprocess.run(
                [python, "-c", ENGINE_SCRIPT, str(old_docx), str(new_docx), str(target), engine],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            if done.returncode != 0:
                print(f"{engine}: failed: {done.stderr.strip().splitlines()[-1:]}")
                return
            timings.setdefault(engine, []).append(json.loads(done.stdout))
    median = {name: statistics.median(values) for name, values in timings.items()}
    print(f"{'engine':<40} {'time':>8}  (median of {runs}, interleaved)")
    report("plandocs: HTML diff, our DOCX writer", median["plandocs"], Path(f"{out}.changes.docx"),
           reference)  # fmt: skip
    if python is None:
        print("python-redlines: pass --python with an interpreter that has it installed")
    for engine in ("DocxodusEngine", "XmlPowerToolsEngine") if python else ():
        report(f"python-redlines {engine}", median[engine], work / f"{engine}.docx", reference)
    print(f"{'  (the earlier DOCX they compare, made in':<40} {median['old docx']:6.2f} s)")

    start = time.perf_counter()
    compare_outputs(root, "HEAD~1", ["id"], ["pdf"])
    print(f"{'redline PDF: plandocs (WeasyPrint)':<40} {time.perf_counter() - start:6.2f} s")
    soffice = shutil.which("soffice")
    if soffice and python:
        start = time.perf_counter()
        sh(soffice, f"-env:UserInstallation=file://{work}/lo", "--headless", "--convert-to",
           "pdf", "--outdir", str(work), str(work / "DocxodusEngine.docx"))  # fmt: skip
        took = time.perf_counter() - start
        print(f"{'redline PDF: Docxodus DOCX → LibreOffice':<40} {took:6.2f} s")


def _time(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
