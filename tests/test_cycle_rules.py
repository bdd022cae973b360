"""The rules of the performance cycle on a small project of its own: the cascade checks
each fire at their file and line, a target edit rebuilds exactly the documents that
show it, a press release cites the plan, achievements follow the declared formula, and
chart data from templates is checked as untrusted."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import REPO, edit, line_of, make_project, run, write
from plandocs.model.achievement import capaian, predicate
from plandocs.render.charts import ChartError, chart_from
from plandocs.settings import Performance

PLAN = "content/renstra/uji-2025-2026"
PK = "content/pk/kementerian-2025"
UNIT = "content/pk/ditjen-satu-2025"
LKJ = "content/lkj/kementerian-2025"


def small(root: Path) -> Path:
    """A Renstra of two years (one indicator where less is better, program targets in a
    CSV table), the ministry's PK and a unit's, an LKj, and a readout that cites nothing."""
    write(root, f"{PLAN}/plan.yaml", """
        title: {id: Rencana Strategis Uji, en: Test Strategic Plan}
        short_title: {id: Renstra Uji, en: Test Plan}
        organization: {id: Kementerian Uji, en: Ministry of Tests}
        date: 2024-11-20
        period: {start: 2025, end: 2026}
        vision: {id: Visi, en: Vision}
        missions: [{id: Misi, en: Mission}]
        goals: [{code: T1, text: {id: Tujuan, en: Goal}}]
        strategic_targets:
          - code: SS1
            goal: T1
            text: {id: Sasaran satu, en: Target one}
            indicators:
              - code: IKSS 1
                name: {id: Cakupan layanan, en: Service coverage}
                unit: {id: persen, en: percent}
                baseline: {year: 2024, value: 50}
                targets: {2025: 60, 2026: 70}
              - code: IKSS 2
                name: {id: Tingkat kemiskinan, en: Poverty rate}
                unit: {id: persen, en: percent}
                baseline: {year: 2024, value: 9}
                targets: {2025: 8, 2026: 7}
                polarity: minimize
        programs:
          - code: P1
            name: {id: Program Satu, en: Program One}
            target: {id: Sasaran program satu, en: Program target one}
            unit: {id: Direktorat Jenderal Satu, en: Directorate General One}
            indicators:
              - code: IKP 1
                name: {id: Keluarga terlayani, en: Families served}
                unit: {id: keluarga, en: families}
            budget: {2025: 1000000000, 2026: 1100000000}
          - code: P2
            name: {id: Program Dua, en: Program Two}
            target: {id: Sasaran program dua, en: Program target two}
            unit: {id: Sekretariat Jenderal, en: Secretariat General}
            indicators:
              - code: IKP 2
                name: {id: Nilai tata kelola, en: Governance score}
                unit: {id: nilai, en: score}
            budget: {2025: 500000000, 2026: 550000000}
        data:
          targets: data/targets.csv
        """)  # fmt: skip
    write(root, f"{PLAN}/data/targets.csv", "code,2025,2026\nIKP 1,1000,1200\nIKP 2,80,82\n")
    write(root, f"{PLAN}/id/1-pendahuluan.md", "---\ntitle: Pendahuluan\n---\nTeks.\n")
    write(root, f"{PLAN}/en/1-introduction.md", "---\ntitle: Introduction\n---\nText.\n")
    parties = """
        first_party: {name: Menteri Uji, office: {id: Menteri Uji, en: Minister of Tests}}
        second_party: {name: Presiden Uji, office: {id: Presiden, en: President}}
        """
    write(root, f"{PK}/pk.yaml", f"""
        renstra: uji-2025-2026
        year: 2025
        date: 2025-01-31
        place: Jakarta
        budget:
          total: 1500000000
        {parties.strip()}
        """)  # fmt: skip
    write(root, f"{UNIT}/pk.yaml", f"""
        renstra: uji-2025-2026
        year: 2025
        date: 2025-02-03
        place: Jakarta
        unit: {{id: Direktorat Jenderal Satu, en: Directorate General One}}
        programs: [P1]
        {parties.strip()}
        """)  # fmt: skip
    write(root, f"{LKJ}/lkj.yaml", """
        pk: kementerian-2025
        date: 2026-02-20
        data:
          realisations: data/realisasi.csv
          budgets: data/anggaran.csv
        """)  # fmt: skip
    write(root, f"{LKJ}/data/realisasi.csv", "code,2024,2025\nIKSS 1,50,63\nIKSS 2,9,8.4\n")
    write(root, f"{LKJ}/data/anggaran.csv", "code,2025\nP1,950000000\nP2,480000000\n")
    body = (
        "{{ achievements['IKSS 1'].capaian | percent(2) }}\n\n```{table} achievement-table\n```\n"
    )
    write(root, f"{LKJ}/id/1-pendahuluan.md", f"---\ntitle: Pendahuluan\n---\n{body}")
    write(root, f"{LKJ}/en/1-introduction.md", f"---\ntitle: Introduction\n---\n{body}")
    return root


@pytest.fixture
def cycle(tmp_path: Path) -> Path:
    return small(make_project(tmp_path, own_templates=False))


def check(root: Path) -> str:
    return run(root, "check").output


@pytest.mark.slow
def test_a_consistent_cycle_checks_clean(cycle: Path) -> None:
    result = run(cycle, "check")
    assert result.exit_code == 0, result.output
    html = run(cycle, "build", "--format", "html", "-j", "1")
    assert html.exit_code == 0, html.output
    text = (cycle / "build/en/lkj/kementerian-2025.html").read_text(encoding="utf-8")
    # 63 ÷ 60 and, less being better, (2 × 8 − 8.4) ÷ 8: computed, never typed.
    assert "105.00%" in text and "95.00%" in text


# Each problem: the file edited (old → new), the file and the line the message names,
# and what it says.
CASES: dict[str, tuple[str, str, str, str, str, str]] = {
    "unknown indicator": (
        f"{PK}/pk.yaml", "budget:", "indicators: [IKSS 1, IKSS 9]\nbudget:",
        f"{PK}/pk.yaml", "indicators:", "no indicator 'IKSS 9' in content/renstra/uji-2025-2026",
    ),
    "target differs without a revision": (
        f"{PK}/pk.yaml", "budget:", "indicators:\n  - {code: IKSS 1, target: 65}\nbudget:",
        f"{PK}/pk.yaml", "target: 65", "differs from the Renstra's 60 for 2025",
    ),
    "revision that revises nothing": (
        f"{PK}/pk.yaml", "budget:",
        "indicators:\n  - {code: IKSS 1, target: 60, revision: {id: a, en: b}}\nbudget:",
        f"{PK}/pk.yaml", "revision:", "keeps the Renstra's target",
    ),
    "budgets that do not add up": (
        f"{PK}/pk.yaml", "total: 1500000000", "total: 1600000000",
        f"{PK}/pk.yaml", "total:", "add up to 1,500,000,000, not 1,600,000,000",
    ),
    "year outside the period": (
        f"{PK}/pk.yaml", "year: 2025", "year: 2027",
        f"{PK}/pk.yaml", "year:", "outside the period",
    ),
    "unknown program": (
        f"{UNIT}/pk.yaml", "programs: [P1]", "programs: [P9]",
        f"{UNIT}/pk.yaml", "programs:", "no program 'P9'",
    ),
    "realisation for an unknown indicator": (
        f"{LKJ}/data/realisasi.csv", "IKSS 2,9,8.4", "IKSS 2,9,8.4\nIKSS 7,1,2",
        f"{LKJ}/data/realisasi.csv", "IKSS 7", "no indicator 'IKSS 7'",
    ),
    "missing realisation": (
        f"{LKJ}/data/realisasi.csv", "IKSS 2,9,8.4\n", "",
        f"{LKJ}/data/realisasi.csv", "code,", "IKSS 2 has no realisation for 2025",
    ),
    "empty realisation": (
        f"{LKJ}/data/realisasi.csv", "IKSS 2,9,8.4", "IKSS 2,9,",
        f"{LKJ}/data/realisasi.csv", "IKSS 2", "the value for 2025 is empty",
    ),
    "zero target in the Renstra": (
        f"{PLAN}/plan.yaml", "targets: {2025: 60,", "targets: {2025: 0,",
        f"{PLAN}/plan.yaml", "targets: {2025: 0,", "the target for 2025 is zero",
    ),
    "realisation that contradicts the Renstra's baseline": (
        f"{LKJ}/data/realisasi.csv", "IKSS 1,50,63", "IKSS 1,51,63",
        f"{LKJ}/data/realisasi.csv", "IKSS 1", "differs from the Renstra's baseline 50",
    ),
    "unknown budget program": (
        f"{LKJ}/data/anggaran.csv", "P2,480000000", "P2,480000000\nP7,1",
        f"{LKJ}/data/anggaran.csv", "P7", "'P7' is not a program of the PK",
    ),
    "a unit's budget that is not the ministry's": (
        f"{UNIT}/pk.yaml", "programs: [P1]", "programs: [P1]\nbudget: {programs: {P1: 900000000}}",
        f"{UNIT}/pk.yaml", "budget:", "differs from the 1,000,000,000 of the ministry's PK",
    ),
    "one indicator, two targets at two levels": (
        f"{UNIT}/pk.yaml", "programs: [P1]",
        "programs: [P1]\nindicators:\n  - {code: IKSS 1, target: 62, revision: {id: a, en: b}}",
        f"{UNIT}/pk.yaml", "- {code: IKSS 1", "differs from the 60 of content/pk/kementerian-2025",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_each_cascade_rule_fires_at_its_line(cycle: Path, case: str) -> None:
    changed, old, new, where, needle, message = CASES[case]
    edit(cycle / changed, old, new)
    output = check(cycle)
    line = line_of(cycle / where, needle)
    found = [
        text
        for text in output.splitlines()
        if text.startswith(f"{where}:{line}:") and message in text
    ]
    assert found, output
    assert "error:" in found[0]
    assert "Traceback" not in output


def test_a_block_for_an_indicator_the_report_lacks_is_an_error_at_its_line(cycle: Path) -> None:
    chapter = cycle / f"{LKJ}/en/1-introduction.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + "\n```{chart} trend\nIKSS 9\n```\n", encoding="utf-8"
    )
    output = check(cycle)
    line = line_of(chapter, "{chart} trend")
    assert f"{LKJ}/en/1-introduction.md:{line}: error: the chart 'trend' with `IKSS 9`" in output


def test_a_second_pk_for_the_same_level_is_an_error_at_its_line(cycle: Path) -> None:
    again = cycle / "content/pk/kementerian-2025-b/pk.yaml"
    again.parent.mkdir()
    again.write_bytes((cycle / PK / "pk.yaml").read_bytes())
    output = check(cycle)
    line = line_of(again, "year:")
    assert (
        f"content/pk/kementerian-2025-b/pk.yaml:{line}:7: error: content/pk/kementerian-2025 "
        "is already the 2025 PK of the ministry" in output
    ), output


def test_a_check_of_one_folder_finds_a_second_pk_outside_it(cycle: Path) -> None:
    """`check PATH` reads the other PKs too: the folder named is the one that clashes,
    whatever its name sorts as, and the PK that was there stays unreported."""
    for slug in ("kementerian-2025-b", "a-kementerian-2025"):
        again = cycle / f"content/pk/{slug}/pk.yaml"
        again.parent.mkdir()
        again.write_bytes((cycle / PK / "pk.yaml").read_bytes())
        result = run(cycle, "check", str(again.parent))
        assert result.exit_code == 1, result.output
        assert (
            f"content/pk/{slug}/pk.yaml:{line_of(again, 'year:')}:7: error: "
            "content/pk/kementerian-2025 is already the 2025 PK of the ministry; record a "
            "revision in that PK instead of a second one (for another year's PK, change "
            "`year`)" in result.output
        ), result.output
        assert f"{PK}/pk.yaml" not in result.output
        assert "plandocs check: 1 documents, 1 errors, 0 warnings" in result.output
        shutil.rmtree(again.parent)
    # a folder of another kind reads no PK it does not need
    alone = run(cycle, "check", str(cycle / LKJ))
    assert alone.exit_code == 0, alone.output


@pytest.mark.slow
def test_new_pk_says_at_once_what_to_edit(tmp_path: Path) -> None:
    root = make_project(tmp_path, own_templates=False)
    for sample in ("renstra/kemensos-2025-2029", "pk/kemensos-2025"):
        shutil.copytree(REPO / "content" / sample, root / "content" / sample)
    shutil.copy(REPO / "glossary.yaml", root / "glossary.yaml")
    made = run(root, "new", "pk", "kemensos-2026")
    assert made.exit_code == 0, made.output
    pk = root / "content/pk/kemensos-2026/pk.yaml"
    assert pk.read_bytes() == (REPO / "content/pk/kemensos-2025/pk.yaml").read_bytes()
    assert made.output.splitlines() == [
        "made content/pk/kemensos-2026/ from the pk kind's example",
        f"content/pk/kemensos-2026/pk.yaml:{line_of(pk, 'year:')}:7: error: "
        "content/pk/kemensos-2025 is already the 2025 PK of the ministry; record a revision "
        "in that PK instead of a second one (for another year's PK, change `year`)",
        f"edit these, then check again: plandocs check --project {root} {pk.parent}",
    ]
    # Doing what it says: the year, and the total the DIPA of that year states.
    edit(pk, "year: 2025", "year: 2026")
    told = run(root, "check", str(pk.parent))
    assert told.exit_code == 1
    assert "the programs' budgets add up to 75,901,800,000,000" in told.output, told.output
    edit(pk, "total: 74.904.700.000.000", "total: 75.901.800.000.000")
    assert run(root, "check").exit_code == 0
    # A document that checks clean is made without a word more.
    clean = run(root, "new", "renstra", "renstra-2030-2034")
    assert clean.exit_code == 0
    assert clean.output == (
        "made content/renstra/renstra-2030-2034/ from the renstra kind's example\n"
    )


# A mistake in a document others refer to: the edit (file, old → new), the document with
# the mistake (its file and the line its message names, and what the message says), and
# the documents that refer to it, each with the file, its line naming the reference and
# the document it names.
BROKEN: dict[str, tuple[str, str, str, str, str, list[tuple[str, str, str]]]] = {
    "a PK naming an indicator its Renstra lacks": (
        f"{PK}/pk.yaml", "budget:", "indicators: [IKSS 9]\nbudget:",
        f"{PK}/pk.yaml", "no indicator 'IKSS 9' in content/renstra/uji-2025-2026",
        [(f"{LKJ}/lkj.yaml", "pk:", PK)],
    ),
    "a PK that is not YAML": (
        f"{PK}/pk.yaml", "year: 2025", "year: [2025",
        f"{PK}/pk.yaml", "invalid YAML",
        [(f"{LKJ}/lkj.yaml", "pk:", PK)],
    ),
    "a Renstra with a target that is not a number": (
        f"{PLAN}/plan.yaml", "targets: {2025: 60,", "targets: {2025: enam puluh,",
        f"{PLAN}/plan.yaml", "'enam puluh' is not a number",
        [(f"{PK}/pk.yaml", "renstra:", PLAN), (f"{UNIT}/pk.yaml", "renstra:", PLAN),
         (f"{LKJ}/lkj.yaml", "pk:", PK)],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_document_that_refers_to_a_broken_one_fails_and_is_counted(
    cycle: Path, case: str
) -> None:
    """Each document that cannot be made is named and counted, by ``check`` and by
    ``build``: the broken one with its own message, once; each that refers to it with a
    line of its own at its reference, pointing at the first error of what it names."""
    changed, old, new, broken, message, referrers = BROKEN[case]
    edit(cycle / changed, old, new)
    checked, built = run(cycle, "check"), run(cycle, "build", "--format", "html")
    own = [line for line in checked.output.splitlines() if message in line]
    assert len(own) == 1 and own[0].startswith(f"{broken}:"), checked.output
    # Where the first error of each document that cannot be made is: path:line:column.
    first = {broken.rsplit("/", 1)[0]: own[0].split(": error: ")[0]}
    expected = [own[0]]
    for path, key, name in referrers:
        line = line_of(cycle / path, key)
        column = len(key) + 2
        expected.append(
            f"{path}:{line}:{column}: error: {name} has an error (at {first[name]}), so this "
            "document, which refers to it, cannot be made; fix that first"
        )
        first[path.rsplit("/", 1)[0]] = f"{path}:{line}:{column}"
    failed = len(expected)
    assert checked.exit_code == 1
    assert sorted(checked.stderr.splitlines()) == sorted(expected), checked.output
    assert checked.stdout.splitlines() == [
        f"plandocs check: 4 documents, {failed} errors, 0 warnings"
    ]
    assert built.exit_code == 1
    assert sorted(built.stderr.splitlines()) == sorted(expected), built.output
    assert f", 0 skipped, {failed} failed in " in built.stdout.splitlines()[-1], built.output


@pytest.mark.slow
def test_a_revised_target_is_shown_with_its_reason(cycle: Path) -> None:
    edit(
        cycle / f"{UNIT}/pk.yaml",
        "programs: [P1]",
        "programs: [P1]\nindicators:\n  - code: IKP 1\n    target: 900\n"
        "    revision: {id: Pagu dipotong., en: The ceiling was cut.}",
    )
    result = run(cycle, "build", "--format", "html", "-j", "1", str(cycle / UNIT))
    assert result.exit_code == 0, result.output
    text = (cycle / "build/en/pk/ditjen-satu-2025.html").read_text(encoding="utf-8")
    assert "900 families</span> *)" in text
    assert "Target revised from 1,000 families to 900 families. The ceiling was cut." in text


def written(output: str) -> set[str]:
    return set(re.findall(r"^wrote (\S+)$", output, re.M))


@pytest.mark.slow
def test_a_target_edit_rebuilds_exactly_the_documents_that_show_it(
    cycle: Path, add_readout: Callable[..., Path]
) -> None:
    add_readout(cycle, slug="rapat")
    write(
        cycle,
        "content/readouts/kutipan/readout.yaml",
        "city: Jakarta\ndate: 2025-03-01\n",
    )
    cite = '{{ plan("uji-2025-2026").indicators["IKSS 1"].targets[2026] | percent }}'
    write(cycle, "content/readouts/kutipan/id.md", f"---\ntitle: Kutipan\n---\nTarget {cite}.\n")
    first = run(cycle, "build", "--format", "html", "-j", "1")
    assert first.exit_code == 0, first.output
    assert "Target 70%." in (cycle / "build/id/readouts/kutipan.html").read_text()

    def html(kind: str, slug: str) -> set[str]:
        return {f"build/{lang}/{kind}/{slug}.html" for lang in ("id", "en")}

    # A program indicator's row of the targets table: the Renstra and the unit's PK (and
    # the press release that cites the plan, which may show any of its facts).
    citing = {"build/id/readouts/kutipan.html"}
    edit(cycle / f"{PLAN}/data/targets.csv", "IKP 1,1000,1200", "IKP 1,1050,1200")
    output = run(cycle, "build", "--format", "html", "-j", "1").output
    assert (
        written(output)
        == html("renstra", "uji-2025-2026") | html("pk", "ditjen-satu-2025") | citing
    )
    # Another row: no PK shows IKP 2.
    edit(cycle / f"{PLAN}/data/targets.csv", "IKP 2,80,82", "IKP 2,80,83")
    output = run(cycle, "build", "--format", "html", "-j", "1").output
    assert written(output) == html("renstra", "uji-2025-2026") | citing
    # A strategic target in plan.yaml: every document drawn from plan.yaml, and the
    # press release that cites the plan — never the one that does not.
    edit(
        cycle / f"{PLAN}/plan.yaml",
        "targets: {2025: 60, 2026: 70}",
        "targets: {2025: 60, 2026: 75}",
    )
    output = run(cycle, "build", "--format", "html", "-j", "1").output
    assert written(output) == (
        html("renstra", "uji-2025-2026")
        | html("pk", "kementerian-2025")
        | html("pk", "ditjen-satu-2025")
        | html("lkj", "kementerian-2025")
        | citing
    )
    assert "Target 75%." in (cycle / "build/id/readouts/kutipan.html").read_text()
    # The LKj's own data: the LKj only.
    edit(cycle / f"{LKJ}/data/realisasi.csv", "IKSS 1,50,63", "IKSS 1,50,64")
    output = run(cycle, "build", "--format", "html", "-j", "1").output
    assert written(output) == html("lkj", "kementerian-2025")


def test_citing_a_plan_that_is_not_there_is_an_error_at_its_line(cycle: Path) -> None:
    write(cycle, "content/readouts/kutipan/readout.yaml", "city: Jakarta\ndate: 2025-03-01\n")
    write(
        cycle,
        "content/readouts/kutipan/id.md",
        '---\ntitle: Kutipan\n---\nSatu.\n\nTarget {{ plan("tidak-ada").years }}.\n',
    )
    output = check(cycle)
    assert "content/readouts/kutipan/id.md:6: error: no renstra document 'tidak-ada'" in output


def test_citing_a_plan_that_has_an_error_fails_at_the_line_that_cites_it(cycle: Path) -> None:
    write(cycle, "content/readouts/kutipan/readout.yaml", "city: Jakarta\ndate: 2025-03-01\n")
    write(
        cycle,
        "content/readouts/kutipan/id.md",
        '---\ntitle: Kutipan\n---\nSatu.\n\nTarget {{ plan("uji-2025-2026").years }}.\n',
    )
    edit(cycle / PLAN / "plan.yaml", "period: {start: 2025,", "period: {start: dua ribu,")
    at = f"{PLAN}/plan.yaml:{line_of(cycle / PLAN / 'plan.yaml', 'period:')}"
    output = run(cycle, "check", str(cycle / "content/readouts/kutipan")).output
    cited = f"content/readouts/kutipan/id.md:6: error: {PLAN} has an error (at {at}:"
    assert cited in output, output
    assert "so this document, which refers to it, cannot be made; fix that first" in output
    assert "1 documents, 1 errors" in output


@pytest.mark.parametrize(
    ("target", "real", "polarity", "formula", "cap", "expected"),
    [
        ("60", "63", "maximize", "difference", None, "105.00"),
        ("8", "8.4", "minimize", "difference", None, "95.00"),
        ("8", "8.4", "minimize", "ratio", None, "95.24"),
        ("8", "6", "minimize", "difference", 120, "120.00"),
        ("0.6", "0.71", "minimize", "difference", None, "81.67"),
        ("3", "1", "maximize", "difference", None, "33.33"),
    ],
)
def test_achievement_formulas(
    target: str, real: str, polarity: str, formula: str, cap: float | None, expected: str
) -> None:
    performance = Performance(less_is_better=formula, cap_percent=cap)  # type: ignore[arg-type]
    value, _ = capaian(Decimal(target), Decimal(real), polarity, performance)
    assert value == Decimal(expected)


def test_predicate_bands_from_the_top_and_below_the_last() -> None:
    performance = Performance()
    names = [predicate(Decimal(v), performance).label["id"] for v in ("91", "90.99", "51", "-5")]
    assert names == ["Sangat Baik", "Baik", "Kurang", "Sangat Kurang"]
    with pytest.raises(ZeroDivisionError):
        capaian(Decimal(0), Decimal(1), "maximize", performance)


@pytest.mark.slow
def test_bands_of_the_project_and_a_bad_order_at_its_line(cycle: Path) -> None:
    settings = cycle / "plandocs.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text
        + "performance:\n  predicates:\n"
        + "    - {at_least: 100, label: {id: Tercapai, en: Met}}\n"
        + "    - {at_least: 0, label: {id: Belum, en: Not met}}\n",
        encoding="utf-8",
    )
    assert run(cycle, "build", "--format", "html", "-j", "1", str(cycle / LKJ)).exit_code == 0
    html = (cycle / "build/id/lkj/kementerian-2025.html").read_text(encoding="utf-8")
    assert "Tercapai" in html and "Belum" in html and "Sangat Baik" not in html
    settings.write_text(
        text
        + "performance:\n  predicates:\n"
        + "    - {at_least: 50, label: {id: A, en: A}}\n"
        + "    - {at_least: 60, label: {id: B, en: B}}\n",
        encoding="utf-8",
    )
    output = check(cycle)
    assert f"plandocs.yaml:{line_of(settings, 'at_least: 50')}:" in output
    assert "the bands go from the highest down" in output


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"categories": [], "series": []}, "needs `categories`"),
        ({"categories": ["a"] * 41, "series": [{"values": [1] * 41}]}, "at most 40"),
        ({"categories": ["a"], "series": [{"values": ["nan"]}]}, "finite"),
        ({"categories": ["a"], "series": [{"values": [10**16]}]}, "finite"),
        ({"categories": ["a"], "series": [{"values": [1, 2]}]}, "2 values for 1"),
        ({"categories": ["a"], "series": [{"values": [None]}]}, "at least one value"),
        ({"categories": ["a" * 201], "series": [{"values": [1]}]}, "longer than 200"),
        ({"categories": ["a"], "series": [{"values": [1]}], "kind": "pie"}, "`bar` or `line`"),
        ({"categories": ["a"], "series": [{"values": [1]}], "onclick": "x"}, "unknown chart key"),
        ({"categories": [{"x": 1}], "series": [{"values": [1]}]}, "must be text"),
    ],
)
def test_chart_data_is_checked(data: dict[str, object], message: str) -> None:
    with pytest.raises(ChartError, match=re.escape(message)):
        chart_from(data)
