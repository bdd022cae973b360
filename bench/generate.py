"""Generate a large plandocs project for the benchmark.

A Renstra of about 100 pages per language (long chapters, a 200-row performance and
funding matrix) and 50 readouts, all made from the repository's own sample content
and templates. The prose is filler built from a fixed word list, so runs compare.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE_READOUT = REPO / "content/readouts/bekasi-rakortekrenbang-2024"
YEARS = range(2025, 2030)

WORDS = {
    "id": (
        "perlindungan sosial keluarga penerima manfaat program kegiatan pemberdayaan "
        "rehabilitasi lanjut usia penyandang disabilitas anak bencana daerah pusat data "
        "terpadu kesejahteraan pendamping layanan sentra target indikator capaian anggaran "
        "perencanaan evaluasi koordinasi kebijakan strategi masyarakat desa kabupaten kota"
    ).split(),
    "en": (
        "social protection beneficiary families program activity empowerment rehabilitation "
        "older persons disabilities children disaster regions central integrated data welfare "
        "facilitators services centers targets indicators results budget planning evaluation "
        "coordination policy strategy communities villages districts cities"
    ).split(),
}


def sentence(rng: random.Random, lang: str) -> str:
    words = [rng.choice(WORDS[lang]) for _ in range(rng.randint(12, 22))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, lang: str) -> str:
    return " ".join(sentence(rng, lang) for _ in range(rng.randint(4, 7)))


def local(text_id: str, text_en: str) -> str:
    return f"{{id: {text_id!r}, en: {text_en!r}}}".replace("'", '"')


def indicator(code: str, rng: random.Random, targets: bool) -> str:
    base = rng.randint(10, 80)
    lines = [
        f"      - code: {code}",
        f"        name: {local('Indikator ' + code, 'Indicator ' + code)}",
        f"        unit: {local('persen', 'percent')}",
        f"        baseline: {{year: 2024, value: {base}}}",
    ]
    if targets:
        values = ", ".join(f"{y}: {base + 2 * (y - 2024)}" for y in YEARS)
        lines.append(f"        targets: {{{values}}}")
    return "\n".join(lines)


def plan_yaml(rng: random.Random, programs: int, activities: int) -> tuple[str, str, str]:
    out = [
        "title: " + local("Rencana Strategis Kementerian Sosial", "Strategic Plan of the Ministry"),
        f"short_title: {local('Renstra Uji 2025–2029', 'Test Strategic Plan 2025–2029')}",
        f"organization: {local('Kementerian Sosial', 'Ministry of Social Affairs')}",
        "date: 2024-11-20",
        "period: {start: 2025, end: 2029}",
        f"vision: {local('Visi', 'Vision')}",
        f"missions: [{local('Misi satu', 'Mission one')}]",
        f"goals: [{{code: T1, text: {local('Tujuan', 'Goal')}}}]",
        "strategic_targets:",
    ]
    for s in range(1, 5):
        out += [
            f"  - code: SS{s}",
            "    goal: T1",
            f"    text: {local(f'Sasaran {s}', f'Target {s}')}",
            "    indicators:",
        ]
        out += [indicator(f"IKSS {s}.{i}", rng, True) for i in (1, 2)]
    out.append("programs:")
    targets = ["code," + ",".join(map(str, YEARS))]
    budgets = ["code," + ",".join(map(str, YEARS))]
    for p in range(1, programs + 1):
        out += [
            f"  - code: P{p}",
            f"    name: {local(f'Program {p}', f'Program {p}')}",
            f"    target: {local(f'Sasaran program {p}', f'Program target {p}')}",
            f"    unit: {local(f'Direktorat {p}', f'Directorate {p}')}",
            "    indicators:",
        ]
        for i in (1, 2):
            out.append(indicator(f"IKP {p}.{i}", rng, False).replace("\n      ", "\n      "))
            targets.append(f"IKP {p}.{i}," + ",".join(str(rng.randint(50, 99)) for _ in YEARS))
        out.append("    activities:")
        for a in range(1, activities + 1):
            code = f"K{p}.{a}"
            out += [
                f"      - code: {code}",
                f"        name: {local(f'Kegiatan {code}', f'Activity {code}')}",
                f"        target: {local(f'Sasaran kegiatan {code}', f'Activity target {code}')}",
                f"        unit: {local(f'Subdirektorat {code}', f'Subdirectorate {code}')}",
                "        indicators:",
            ]
            for i in (1, 2):
                out.append(
                    indicator(f"IKK {code}.{i}", rng, False)
                    .replace("      - ", "          - ")
                    .replace("\n        ", "\n            ")
                )
                targets.append(
                    f"IKK {code}.{i}," + ",".join(str(rng.randint(1, 99)) for _ in YEARS)
                )
            budgets.append(
                code + "," + ",".join(str(rng.randint(100, 9000) * 100_000_000) for _ in YEARS)
            )
    out += [
        "regulations:",
        f"  - {{title: {local('Peraturan', 'Regulation')}, urgency: {local('Perlu', 'Needed')}, "
        f"unit: {local('Biro Hukum', 'Legal Bureau')}, year: 2026}}",
        "data: {targets: targets.csv, budgets: budgets.csv}",
    ]
    return "\n".join(out) + "\n", "\n".join(targets) + "\n", "\n".join(budgets) + "\n"


def chapter(rng: random.Random, lang: str, number: int, sections: int, tables: list[str]) -> str:
    title = {"id": f"Bab Uji {number}", "en": f"Test Chapter {number}"}[lang]
    parts = [f"---\ntitle: {title}\n---\n"]
    for s in range(1, sections + 1):
        parts.append(f"# {'Bagian' if lang == 'id' else 'Section'} {s}\n")
        for sub in range(1, 3):
            parts.append(f"## {'Subbagian' if lang == 'id' else 'Subsection'} {sub}\n")
            parts += [paragraph(rng, lang) + "\n" for _ in range(4)]
    for name in tables:
        parts.append(f"```{{table}} {name}\n```\n")
    return "\n".join(parts)


def generate(
    dest: Path, readouts: int = 50, programs: int = 10, activities: int = 6, sections: int = 6
) -> Path:
    """Write the project into ``dest`` and return it."""
    rng = random.Random(2025)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy(REPO / "plandocs.yaml", dest / "plandocs.yaml")
    shutil.copytree(REPO / "assets", dest / "assets")
    for n in range(readouts):
        shutil.copytree(SAMPLE_READOUT, dest / f"content/readouts/readout-{n:02d}")
    plan = dest / "content/renstra/large"
    plan.mkdir(parents=True)
    yaml_text, targets, budgets = plan_yaml(rng, programs, activities)
    (plan / "plan.yaml").write_text(yaml_text, encoding="utf-8")
    (plan / "targets.csv").write_text(targets, encoding="utf-8")
    (plan / "budgets.csv").write_text(budgets, encoding="utf-8")
    tables = {
        1: [],
        2: ["strategic-targets"],
        3: [],
        4: ["program-targets", "activity-targets", "funding"],
        5: [],
    }
    for lang in ("id", "en"):
        (plan / lang).mkdir()
        for number in range(1, 6):
            text = chapter(rng, lang, number, sections, tables[number])
            (plan / lang / f"{number}-bab.md").write_text(text, encoding="utf-8")
    return dest


if __name__ == "__main__":
    import sys

    print(generate(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/plandocs-large")))
