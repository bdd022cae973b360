"""A corpus of the mistakes people make, each with the message ``plandocs check`` gives.

Each case writes one file (or edits the sample plan) in an otherwise good project and
expects ``path:line[:column]: error: …`` (or a warning) naming what to do.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EN_BODY, ID_BODY, READOUT_FACTS, REPO, run, write

R = "content/readouts/meeting"
P = "content/renstra/kemensos-2025-2029"

FACTS = READOUT_FACTS

# (file, new content, expected line in the output)
READOUT_CASES = [
    (
        "readout.yaml",
        "city: Bekasi\ndate: 2024-02-08\n  people: x\n",
        f"{R}/readout.yaml:3:9: error: invalid YAML",
    ),
    (
        "readout.yaml",
        "city: Bekasi\ndate: 2024-02-08\ncity: Bandung\n",
        f"{R}/readout.yaml:3:1: error: `city` is given twice (first on line 1); keep one",
    ),
    (
        "readout.yaml",
        "city Bekasi\ndate: 2024-02-08\n",
        f"{R}/readout.yaml:2:5: error: invalid YAML",
    ),
    ("readout.yaml", "date: 2024-02-08\n", f"{R}/readout.yaml:1:1: error: `city` is required"),
    ("readout.yaml", "city: Bekasi\n", f"{R}/readout.yaml:1:1: error: `date` is required"),
    (
        "readout.yaml",
        "city: Bekasi\ndate: 08-02-2024\n",
        f"{R}/readout.yaml:2:7: error: `date`: '08-02-2024' is not a date; write it as YYYY-MM-DD",
    ),
    (
        "readout.yaml",
        "city: Bekasi\ndate: 2024-02-30\n",
        f"{R}/readout.yaml:2:7: error: `date`: '2024-02-30' is not a date",
    ),
    ("readout.yaml", "city: ''\ndate: 2024-02-08\n", f"{R}/readout.yaml:1:7: error: `city`:"),
    (
        "readout.yaml",
        "city: Bekasi\ndate: 2024-02-08\nevent: {time: '10:00'}\n",
        f"{R}/readout.yaml:3:8: error: `event`: `time` needs a `timezone`",
    ),
    (
        "readout.yaml",
        "city: Bekasi\ndate: 2024-02-08\nevent: {time: '10:00', timezone: wib}\n",
        f"{R}/readout.yaml:3:34: error: `event.timezone`: 'wib' is not allowed",
    ),
    (
        "readout.yaml",
        "city: Bekasi\ndate: 2024-02-08\nevent: {time: '25:61', timezone: WIB}\n",
        f"{R}/readout.yaml:3:15: error: `event.time`: '25:61' is not a time",
    ),
    (
        "readout.yaml",
        "city: Bekasi\ndate: 2024-02-08\nevent: {end: 2024-02-07}\n",
        f"{R}/readout.yaml:3:8: error: `event`: `end` is given without `start`",
    ),
    (
        "readout.yaml",
        "city: Bekasi\ndate: 2024-02-08\nevent: {start: 2024-02-07, end: 2024-02-05}\n",
        "is before `start`",
    ),
    (
        "readout.yaml",
        "city: Bekasi\ndate: 2024-02-08\nevent: {venu: X}\n",
        f"{R}/readout.yaml:3:9: error: unknown key `event.venu`",
    ),
    (
        "readout.yaml",
        "city: Bekasi\ndate: 2024-02-08\npeople: {arif: {nama: Arif}}\n",
        f"{R}/readout.yaml:3:16: error: `people.arif.name` is required",
    ),
    (
        "readout.yaml",
        "city: Bekasi\ndate: 2024-02-08\npeople: [Arif]\n",
        f"{R}/readout.yaml:3:9: error: `people` should be a mapping",
    ),
    (
        "readout.yaml",
        "city: Bekasi\ndate: 2024-02-08\ncredits: {penulis: Ana}\n",
        f"{R}/readout.yaml:3:11: error: unknown key `credits.penulis`",
    ),
    (
        "readout.yaml",
        "city: Bekasi\ndate: 2024-02-08\nstatus: rancangan\n",
        f"{R}/readout.yaml:3:9: error: `status`: 'rancangan' is not allowed; "
        "use one of 'final' or 'draft'",
    ),
    (
        "readout.yaml",
        "city: Bekasi\ndate: 2024-02-08\ntitle: Rapat\n",
        "`title` is a name plandocs uses itself; rename this fact",
    ),
    (
        "readout.yaml",
        "- city: Bekasi\n",
        f"{R}/readout.yaml:1:1: error: the file should hold a mapping",
    ),
    ("id.md", "Rapat\n", f"{R}/id.md:1: error: the file must start with front matter"),
    (
        "id.md",
        "---\ntitle: Rapat\n\nTeks.\n",
        f"{R}/id.md:1: error: the front matter is not closed",
    ),
    ("id.md", "---\njudul: Rapat\n---\nTeks.\n", f"{R}/id.md:2:1: error: `title` is required"),
    ("id.md", "---\ntitle: [Rapat\n---\nTeks.\n", f"{R}/id.md:3:1: error: invalid YAML"),
    (
        "id.md",
        "---\ntitle: Rapat\n---\nTeks {{ kota }}.\n",
        f"{R}/id.md:4: error: unknown fact `kota` in an expression",
    ),
    (
        "id.md",
        "---\ntitle: Rapat\n---\n\nTeks {{ event.start | date }.\n",
        f"{R}/id.md:5: error: template syntax",
    ),
    (
        "id.md",
        "---\ntitle: Rapat\n---\n\n\n{{ city | rupiah }}\n",
        f"{R}/id.md:6: error: 'Bekasi' is not a number",
    ),
    (
        "id.md",
        "---\ntitle: Rapat\n---\n{% for x in people %}\n{{ x }}\n",
        f"{R}/id.md:5: error: template syntax: Unexpected end of template",
    ),
    (
        "id.md",
        "---\ntitle: Rapat\n---\n{{ people.arif.__dict__ }}\n",
        f"{R}/id.md:4: error: unknown fact `.__dict__`",
    ),
    (
        "en.md",
        "---\ntitle: Meeting\n---\n{{ people.arif.position }} {{ people.budi.name }}\n",
        f"{R}/en.md:4: error: unknown fact `.budi`",
    ),
    (
        "readout.yaml",
        FACTS.replace("en: Acting Head of the Planning Bureau", "x: y"),
        "readout.yaml:12:57: error: `people.arif.position.x`: 'x' is not allowed",
    ),
]


@pytest.mark.parametrize(("name", "content", "expected"), READOUT_CASES)
def test_readout_mistakes(project: Path, name: str, content: str, expected: str) -> None:
    write(project, f"{R}/readout.yaml", FACTS)
    write(project, f"{R}/id.md", ID_BODY)
    write(project, f"{R}/en.md", EN_BODY)
    (project / R / name).write_text(content, encoding="utf-8")
    result = run(project, "check")
    assert result.exit_code == 1, result.output
    assert expected in result.output
    assert "Traceback" not in result.output


# (file in the plan, old text, new text, expected)
PLAN_CASES = [
    (
        "plan.yaml",
        "period: {start: 2025, end: 2029}",
        "period: {start: 2029, end: 2025}",
        "the period ends (2025) before it starts (2029)",
    ),
    ("plan.yaml", "2028: 0.1, 2029: 0.0}", "2028: 0.1}", "IKSS 1.1: target for 2029 is missing"),
    ("plan.yaml", "2026: 12, 2027: 14", "2026: dua belas, 2027: 14", "'dua belas' is not a number"),
    ("plan.yaml", "  - code: SS2\n", "  - kode: SS2\n", "unknown key `strategic_targets.1.kode`"),
    (
        "plan.yaml",
        "budgets.xlsx#Anggaran",
        "anggaran.xlsx",
        "plan.yaml:311:12: error: data file data/anggaran.xlsx not found",
    ),
    (
        "plan.yaml",
        "targets: data/targets.csv",
        "targets: ../../../../targets.csv",
        "plan.yaml:310:12: error: ../../../../targets.csv is outside the project",
    ),
    (
        "data/targets.csv",
        "IKP 1.2,40,45,",
        "IKP 1.2,40,45%,",
        "data/targets.csv:3:3: error: '45%' is not a number",
    ),
    ("data/targets.csv", "IKP 1.1,90", "IKP 1.1x,90", "no indicator has the code 'IKP 1.1x'"),
    ("data/targets.csv", "IKP 1.3,", "IKP 1.2,", "code 'IKP 1.2' appears twice"),
    (
        "data/targets.csv",
        "code,",
        "kode,",
        "data/targets.csv:1:1: error: the first row must name the columns",
    ),
    ("id/4-target-pendanaan.md", "```{table} funding", "```{table} dana", "no table named 'dana'"),
    (
        "id/4-target-pendanaan.md",
        "```{table} funding",
        "```{figure} funding",
        "unknown block `{figure}`",
    ),
    (
        "en/5-closing.md",
        "{{ plan.facts.vision_year }}",
        "{{ plan.facts.year }}",
        "unknown fact `.year`",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "expected"), PLAN_CASES)
def test_plan_mistakes(project: Path, name: str, old: str, new: str, expected: str) -> None:
    shutil.copytree(REPO / P, project / P)
    path = project / P / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run(project, "check")
    assert result.exit_code == 1, result.output
    assert expected in result.output
    assert f"{P}/" in result.output
    assert "Traceback" not in result.output


def test_corpus_size() -> None:
    assert len(READOUT_CASES) + len(PLAN_CASES) >= 30
