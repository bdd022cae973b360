"""A corpus of the mistakes people make and the attacks they try, each with the message
``plandocs check`` gives.

Each case writes one file (or edits the sample plan, links a file, plants a broken
image …) in an otherwise good project and expects ``path:line[:column]: error: …`` (or
a warning) naming what to do — never a traceback, never a hang. The classes:
careless content (facts, prose, tables), expressions that try to leave the sandbox,
change shared data or exhaust time and memory, files that link out of the project,
loop or are not what their name says, control characters, ignored files, settings.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import (
    EN_BODY,
    ID_BODY,
    READOUT_FACTS,
    REPO,
    make_project,
    run,
    template_file,
    write,
)
from hostile import billion_laughs, bmp, png, png_bomb, zip_without_word

# 132 hostile projects, each checked and built: about a minute in all, so the corpus is
# part of the slow run (CI runs everything).
pytestmark = pytest.mark.slow

R = "content/readouts/meeting"
P = "content/renstra/kemensos-2025-2029"


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    """A project without templates of its own (plandocs' are the same text): for the
    cases whose mistake is in the content. ``check`` compiles every template a project
    has of its own, two thirds of a case's time; the cases that spoil a template, or
    whose message names one, take ``project``, which has them."""
    return make_project(tmp_path, own_templates=False)


def _own_templates(tmp_path: Path, needed: bool) -> Path:
    return make_project(tmp_path, own_templates=needed)


def _plan_line(text: str) -> int:
    """The line of the sample plan.yaml holding ``text``: the corpus survives new facts."""
    lines = (REPO / P / "plan.yaml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


TARGETS_LINE = _plan_line("targets: data/targets.csv")


def _template_line(rel: str, text: str) -> int:
    """The line of a sample template holding ``text`` first."""
    lines = template_file(rel).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


READOUT_HTML = "templates/shared/readout.html"
REFERENCE_LINE = len((REPO / "plandocs.yaml").read_text(encoding="utf-8").splitlines()) + 1
"""The line ``reference_docx:`` takes, appended to the sample settings."""
BUDGETS_LINE = _plan_line("budgets.xlsx#Anggaran")

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
def test_readout_mistakes(bare: Path, name: str, content: str, expected: str) -> None:
    project = bare
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
        f"plan.yaml:{BUDGETS_LINE}:12: error: data file data/anggaran.xlsx not found",
    ),
    (
        "plan.yaml",
        "targets: data/targets.csv",
        "targets: ../../../../targets.csv",
        f"plan.yaml:{TARGETS_LINE}:12: error: ../../../../targets.csv is outside the project",
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


@pytest.mark.slow
@pytest.mark.parametrize(("name", "old", "new", "expected"), PLAN_CASES)
def test_plan_mistakes(bare: Path, name: str, old: str, new: str, expected: str) -> None:
    project = bare
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


FRONT = "---\ntitle: Rapat\n---\n"
ID = f"{R}/id.md"
LIMIT = "; no document needs a value that large"

# (expression in id.md, which starts on line 4, expected message). All must be errors.
EXPRESSION_CASES = [
    ('{{ "a" * 10**10 }}', f"{ID}:4: error: not allowed in a template: repeating a value 10,000,"),
    ('{{ ["a"] * 10**9 }}', f"{ID}:4: error: not allowed in a template: repeating a value 1,000,"),
    ('{{ "x" | center(10**9) }}', f"`center` with width 1,000,000,000{LIMIT}"),
    ('{{ "x" | indent(10**9) }}', f"`indent` with width 1,000,000,000{LIMIT}"),
    ('{{ "x".ljust(10**9) }}', f"`ljust` with 1,000,000,000{LIMIT}"),
    ('{{ "x".zfill(10**9) }}', f"`zfill` with 1,000,000,000{LIMIT}"),
    ('{{ "%*d" % (10**9, 1) }}', "a width or precision of 1,000,000,000 in a format"),
    ('{{ "%.999999f" % 1 }}', "a width or precision of 999,999 in a format"),
    ('{{ "%*d" | format(10**9, 1) }}', "a width or precision of 1,000,000,000 in a format"),
    ('{{ "{:>999999999}".format(1) }}', "a width or precision of 999999999 in a format"),
    ('{{ "{:{}}".format(1, 10**9) }}', "a format width given by another field is not allowed"),
    ('{{ (1).to_bytes(10**9, "big") }}', f"`to_bytes` with 1,000,000,000{LIMIT}"),
    ("{{ 9 ** 999999 }}", f"9 to the power 999999{LIMIT}"),
    (
        '{% set ns = namespace(s="x") %}{% for i in range(40) %}'
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
        f"{ID}:4: error: not allowed in a template: this expression makes a value of 16,777,216",
    ),
    (
        '{% set ns = namespace(s="x") %}{% for i in range(40) %}'
        "{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s }}",
        "this expression makes a value of 16,777,216 items or characters",
    ),
    ('{{ ("a" * 1000) | replace("", "x" * 100000) }}', f"this replacement{LIMIT}"),
    ('{{ ("\\t" * 1000).expandtabs(100000) }}', f"expanding the tabs{LIMIT}"),
    ('{{ range(100000) | map("string") | join("x" * 10000) }}', f"joining these values{LIMIT}"),
    ('{{ {"a": 1} | tojson(indent=10**9) }}', f"`tojson` with indent 1,000,000,000{LIMIT}"),
    ('{{ "a" | batch(10**9) | list }}', f"`batch` with linecount 1,000,000,000{LIMIT}"),
    ("{{ people.arif.name | round(10**9) }}", "`round` with precision 1,000,000,000"),
    ("{{ 5 | number(10**9) }}", f"`number` with digits 1,000,000,000{LIMIT}"),
    ("{{ 5 | percent(10**9) }}", f"`percent` with digits 1,000,000,000{LIMIT}"),
    ("{{ range(10**9) }}", "a range of 1,000,000,000 numbers (at most 100,000)"),
    ("{{ lipsum(10**7) }}", f"{ID}:4: error: unknown fact `lipsum` in an expression"),
    (
        "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
        f"{ID}:4: error: nested too deeply, or a template or macro calls itself without end",
    ),
    ("{{ " + "(" * 500 + "1" + ")" * 500 + " }}", f"{ID}:4: error: nested too deeply"),
    ("{{ " * 30_000, f"{ID}:4: error: nested too deeply"),  # and parity in linear time
    (
        "{% if 1 %}" * 200 + "x" + "{% endif %}" * 200,
        "error: the expression nests too deeply (too many brackets or blocks); simplify it",
    ),
    (
        '{% for i in range(100000) %}{{ "x" * 1000 }}{% endfor %}',
        "error: the document's HTML grew past 4 million characters",
    ),
    (
        '{{ labels.update({"writer": "X"}) }}',
        f"{ID}:4: error: not allowed in a template: `.update` would change a mapping; the facts "
        "and words are read-only",
    ),
    ("{{ people.update(x=1) }}", "`.update` would change a mapping"),
    ('{{ people.arif.setdefault("x", 1) }}', "`.setdefault` would change a mapping"),
    ('{{ event.pop("start") }}', "`.pop` would change a mapping"),
    ("{{ dict(a=1).update(b=2) }}", "`.update` would change a mapping"),
    ("{{ [1, 2].append(3) }}", "`.append` would change a list"),
    ("{{ url_policy.root }}", f"{ID}:4: error: unknown fact `url_policy` in an expression"),
    ("{{ l10n.locale }}", f"{ID}:4: error: unknown fact `l10n` in an expression"),
    ("{{ settings.reference_path }}", f"{ID}:4: error: unknown fact `.reference_path`"),
    ("{{ org.model_dump() }}", f"{ID}:4: error: unknown fact `.model_dump`"),
    ("{{ settings.page.__class__ }}", "not allowed in a template: `.__class__` of a mapping"),
    ("{{ created.tzinfo.utcoffset(none) }}", "not allowed in a template: `.utcoffset` of a"),
    ("{{ cycler.__init__ }}", "not allowed in a template: `.__init__` of a Python type value"),
    ('{{ "{0.__class__}".format(city) }}', "not allowed in a template: `.__class__` of a str"),
    ("{{ (1 | float) / 0 }}", f"{ID}:4: error: division by zero"),
    ('{{ "1" | float | round(2) | string * 10**8 }}', "repeating a value 100,000,000 times"),
    (
        '{% include "id/readout.html" %}',
        "templates/shared/base.html:7: error: unknown fact `author` in an expression",
    ),
    ("{% include 'nothing.html' %}", "error: template 'nothing.html' not found"),
]


@pytest.mark.parametrize(("expression", "expected"), EXPRESSION_CASES)
def test_hostile_expressions(tmp_path: Path, expression: str, expected: str) -> None:
    project = _own_templates(tmp_path, "templates/" in expected)
    write(project, f"{R}/readout.yaml", FACTS)
    write(project, f"{R}/en.md", EN_BODY)
    (project / ID).write_text(FRONT + expression + "\n", encoding="utf-8")
    result = run(project, "check")
    assert result.exit_code == 1, result.output
    assert expected in result.output
    assert "Traceback" not in result.output


# Loops that call nothing and build nothing: only the clock stops them.
BUDGET_CASES = [
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% set x = range(100000) | list %}{% for a in x %}{% for b in x %}{% endfor %}{% endfor %}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{{ '' }}{% endfor %}{% endfor %}",
]


@pytest.mark.parametrize("expression", BUDGET_CASES)
def test_time_budget(bare: Path, monkeypatch: pytest.MonkeyPatch, expression: str) -> None:
    project = bare
    monkeypatch.setenv("PLANDOCS_RENDER_SECONDS", "0.5")
    write(project, f"{R}/readout.yaml", FACTS)
    write(project, f"{R}/en.md", EN_BODY)
    (project / ID).write_text(FRONT + expression + "\n", encoding="utf-8")
    result = run(project, "check")
    assert result.exit_code == 1, result.output
    assert f"{ID}:4: error: rendering took longer than 0.5 s; look for a loop" in result.output


def _link(rel: str, target: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        path = root / rel
        path.unlink(missing_ok=True)
        path.symlink_to(target)

    return setup


def _write(rel: str, text: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        write(root, rel, text)

    return setup


def _body(text: str) -> Callable[[Path], None]:
    return _write(ID, FRONT + text + "\n")


def _image(make: Callable[[Path], object]) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        make(root / R / "peta.png")
        write(root, ID, FRONT + "Peta:\n\n![Peta](peta.png)\n")

    return setup


def _template(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        path = root / "templates" / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return setup


def _fifo(root: Path) -> None:
    (root / ID).unlink()
    os.mkfifo(root / ID)


def _folder(root: Path) -> None:
    (root / ID).unlink()
    (root / ID).mkdir()


def _long_folder(root: Path) -> None:
    (root / R).rename(root / "content/readouts" / ("m" * 230))


def _outside_folder(root: Path) -> None:
    (root / "content/readouts/etc").symlink_to("/etc")


def _template_dir_link(root: Path) -> None:
    (root / "templates/etc").symlink_to("/etc")
    write(root, ID, FRONT + "{% include 'etc/hostname' %}\n")


def _reference(make: Callable[[Path], object]) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        make(root / "ref.docx")
        settings = root / "plandocs.yaml"
        settings.write_text(settings.read_text() + "reference_docx: ref.docx\n")

    return setup


def _big_markdown(root: Path) -> None:
    (root / ID).write_text(FRONT + ("Teks panjang. " * 100 + "\n") * 6500, encoding="utf-8")


# (setup of an otherwise good readout, expected line, exit code)
FILE_CASES: list[tuple[str, Callable[[Path], None], str, int]] = [
    (
        "facts-link-out",
        _link(f"{R}/readout.yaml", "/etc/passwd"),
        f"{R}/readout.yaml: error: this YAML file is a link to '/etc/passwd', outside the "
        "project; copy it into the project instead",
        1,
    ),
    (
        "prose-link-out",
        _link(ID, "/etc/hostname"),
        f"{ID}: error: this Markdown file is a link to '/etc/hostname', outside the project",
        1,
    ),
    (
        "prose-link-loop",
        _link(ID, "id.md"),
        f"{ID}: error: this Markdown file is a symbolic link that loops; replace it",
        1,
    ),
    (
        "prose-link-nowhere",
        _link(ID, "gone.md"),
        f"{ID}: error: cannot read this Markdown file: No such file or directory",
        1,
    ),
    ("prose-fifo", _fifo, f"{ID}: error: this Markdown file is not a regular file; use a file", 1),
    ("prose-folder", _folder, f"{ID}: error: this Markdown file is a folder; use a file", 1),
    ("prose-too-big", _big_markdown, f"{ID}: error: this Markdown file is larger than 8 MiB", 1),
    (
        "document-link-out",
        _outside_folder,
        "content/readouts/etc: error: this document folder is a link to '/etc', outside the "
        "project",
        1,
    ),
    (
        "template-link-out",
        _link("templates/id/labels.html", "/etc/passwd"),
        "templates/id/labels.html: error: this template is a link to '/etc/passwd', outside "
        "the project",
        1,
    ),
    (
        "template-folder-link-out",
        _template_dir_link,
        "templates/etc/hostname: error: this template is a link to '/etc/hostname', outside",
        1,
    ),
    (
        "image-link-out",
        _image(lambda p: p.symlink_to("/etc/passwd")),
        f"{ID}:6: error: 'peta.png': this image is a link to '/etc/passwd', outside the project",
        1,
    ),
    (
        "image-link-loop",
        _image(lambda p: p.symlink_to("peta.png")),
        f"{ID}:6: error: 'peta.png': this image is a symbolic link that loops; replace it",
        1,
    ),
    (
        "image-name-too-long",
        _body("![x](" + "a" * 300 + ".png)"),
        "cannot use this image: the name is too long; shorten it",
        1,
    ),
    (
        "link-name-too-long",
        _body("[x](" + "a" * 300 + ".pdf)"),
        "cannot use this file: the name is too long; shorten it",
        1,
    ),
    (
        "image-is-text",
        _image(lambda p: p.write_text("not an image")),
        f"{ID}:6: error: image 'peta.png': it is not a readable PNG, JPEG or GIF image",
        1,
    ),
    (
        "image-is-svg",
        _image(lambda p: p.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')),
        f"{ID}:6: error: image 'peta.png': it is an SVG drawing; save it as PNG",
        1,
    ),
    (
        "image-truncated",
        _image(lambda p: png(p, truncate=True)),
        "image 'peta.png': it is not a readable PNG, JPEG or GIF image (damaged or truncated?)",
        1,
    ),
    (
        "image-bomb",
        _image(png_bomb),
        "image 'peta.png': it is far too large once decoded (a decompression bomb?)",
        1,
    ),
    (
        "image-too-many-pixels",
        _image(lambda p: png_bomb(p, 8_000)),
        "image 'peta.png': it is 8000 × 8000 pixels; use at most 50 million pixels",
        1,
    ),
    ("image-bmp", _image(bmp), "image 'peta.png': it is a BMP file, not PNG, JPEG or GIF", 1),
    (
        "folder-name-too-long",
        _long_folder,
        "error: the folder name is too long for its output files; shorten it to at most 200",
        1,
    ),
    (
        "control-characters-in-prose",
        _body("Teks \x0b dengan \x1b[1m kontrol \x01."),
        f"{ID}:4: warning: removed 3 control characters (U+000B, U+001B, U+0001) that Word and "
        "PDF cannot hold; delete them from the text",
        0,
    ),
    (
        "control-character-in-yaml-escape",
        _write(f"{R}/readout.yaml", FACTS.replace("city: Bekasi", 'city: "Bek\\x0basi"')),
        f"{R}/readout.yaml:1:7: warning: removed 1 control character (U+000B)",
        0,
    ),
    (
        "control-character-raw-in-yaml",
        _write(f"{R}/readout.yaml", FACTS.replace("city: Bekasi", "city: Bek\x0basi")),
        f"{R}/readout.yaml:1: warning: removed 1 control character (U+000B)",
        0,
    ),
    (
        "control-character-made-by-expression",
        _body('Teks.\n\n{{ "\\x1b[31m" }}merah'),
        f"{ID}:6: warning: removed 1 control character (U+001B) made by an expression",
        0,
    ),
    (
        "control-character-in-template",
        _template("shared/readout.html", "<h1", "\x0b<h1"),
        f"{READOUT_HTML}:{_template_line('shared/readout.html', '<h1')}: warning: "
        "removed 1 control character (U+000B)",
        0,
    ),
    (
        "upper-case-markdown-name",
        _write(f"{R}/ID.md", "x"),
        f"{R}/ID.md: warning: ignored: the name must be `id.md` exactly (letter case matters)",
        0,
    ),
    (
        "yml-instead-of-yaml",
        _write(f"{R}/readout.yml", "x"),
        f"{R}/readout.yml: warning: ignored: a readout reads `readout.yaml`, `id.md` and `en.md`",
        0,
    ),
    (
        "singular-kind-folder",
        _write("content/readout/x/readout.yaml", "x"),
        "content/readout: warning: ignored: documents live in content/lkj/, "
        "content/minutes/, content/pk/, content/readouts/, content/regional/ and "
        "content/renstra/; did you mean content/readouts/?",
        0,
    ),
    (
        "file-among-documents",
        _write("content/readouts/notes.md", "x"),
        "content/readouts/notes.md: warning: ignored: a file here is not a document",
        0,
    ),
    (
        "billion-laughs",
        _write(f"{R}/readout.yaml", billion_laughs()),
        f"{R}/readout.yaml:1: error: YAML aliases (`*name`) expand this file to more than "
        "250,000 values",
        1,
    ),
    (
        "yaml-flow-nesting-bomb",
        _write(f"{R}/readout.yaml", "city: " + "[" * 100_000 + "]" * 100_000 + "\n"),
        f"{R}/readout.yaml:1: error: YAML nests deeper than 30 levels",
        1,
    ),
    (
        "yaml-block-nesting-bomb",
        _write(
            f"{R}/readout.yaml", "city: Bekasi\ndate: 2024-02-08\nx:\n  " + "- " * 50_000 + "x\n"
        ),
        f"{R}/readout.yaml:4: error: YAML nests deeper than 30 levels",
        1,
    ),
    (
        "front-matter-nesting-bomb",
        _write(
            ID, "---\ntitle: Rapat\nx: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n---\nTeks.\n"
        ),
        f"{ID}:3: error: YAML nests deeper than 30 levels",
        1,
    ),
    (
        "title-error-at-its-line",
        _write(ID, "---\n# judul\n\ntitle: Rapat {{ kota }}\n---\nTeks.\n"),
        f"{ID}:4: error: unknown fact `kota` in an expression",
        1,
    ),
    (
        "subtitle-error-at-its-line",
        _write(ID, "---\ntitle: Rapat\nsubtitle: >\n  Hari {{ hari }}\n---\nTeks.\n"),
        f"{ID}:4: error: unknown fact `hari` in an expression",
        1,
    ),
    (
        "template-error-blamed-on-template",
        _template("shared/readout.html", "{{ org.unit }}</p>", "{{ org.unit | number }}</p>"),
        f"{READOUT_HTML}:{_template_line('shared/readout.html', '{{ org.unit }}</p>')}: error: ",
        1,
    ),
    (
        "labels-error-blamed-on-labels",
        _template("id/labels.html", '"writer": "Penulis"', '"writer": 1 // 0'),
        "templates/id/labels.html:2: error: division by zero",
        1,
    ),
    (
        "template-time-bomb",
        _template(
            "shared/readout.html",
            "{% block content %}",
            "{% block content %}{{ 'x' * 10**9 }}",
        ),
        f"{READOUT_HTML}:{_template_line('shared/readout.html', '{% block content %}')}: error: "
        "not allowed in a template: repeating a value",
        1,
    ),
    (
        "template-includes-itself",
        lambda root: (
            write(root, "templates/shared/loop.html", "x {% include 'shared/loop.html' %}"),
            write(root, ID, FRONT + "{% include 'shared/loop.html' %}\n"),
        ),
        "templates/shared/loop.html:1: error: nested too deeply, or a template or macro calls "
        "itself without end",
        1,
    ),
    (
        "templates-extend-each-other",
        lambda root: (
            write(root, "templates/shared/a.html", "{% extends 'shared/b.html' %}"),
            write(root, "templates/shared/b.html", "{% extends 'shared/a.html' %}"),
            write(root, ID, FRONT + "{% include 'shared/a.html' %}\n"),
        ),
        "error: nested too deeply, or a template or macro calls itself without end",
        1,
    ),
    (
        "template-nests-too-deep",
        _template(
            "shared/readout.html",
            "{% block content %}",
            "{% block content %}{% for i in range(70) %}<div>{% endfor %}",
        ),
        f"{ID}: error: the document's HTML nests elements",
        1,
    ),
    (
        "template-image-outside",
        _template(
            "shared/readout.html",
            "{% block content %}",
            '{% block content %}<img src="file:///etc/hostname">',
        ),
        "error: file:///etc/hostname is outside the project; only files inside the project",
        1,
    ),
    (
        "template-stylesheet-on-the-web",
        _template(
            "shared/base.html", "</head>", '<link rel="stylesheet" href="http://x.y/a.css"></head>'
        ),
        "error: http://x.y/a.css is outside the project; only files inside the project",
        1,
    ),
    (
        "template-element-word-cannot-hold",
        _template(
            "shared/readout.html",
            "{% block content %}",
            "{% block content %}<marquee>Halo</marquee>",
        ),
        "error: <marquee> inside the document body (near “Halo”) has no Word mapping",
        1,
    ),
    (
        "reference-docx-not-word",
        _reference(lambda p: p.write_text("not a word file")),
        f"plandocs.yaml:{REFERENCE_LINE}:17: error: "
        "reference_docx 'ref.docx' is not a Word file (.docx)",
        1,
    ),
    (
        "reference-docx-other-zip",
        _reference(zip_without_word),
        f"plandocs.yaml:{REFERENCE_LINE}:17: error: "
        "reference_docx 'ref.docx' is a ZIP file but not a Word",
        1,
    ),
    (
        "reference-docx-link-out",
        _reference(lambda p: p.symlink_to("/etc/passwd")),
        f"plandocs.yaml:{REFERENCE_LINE}:17: error: "
        "reference_docx 'ref.docx' is not a file inside the project",
        1,
    ),
]


SPOIL_A_TEMPLATE = frozenset(
    name for name, *_ in FILE_CASES if "template" in name or name.startswith("labels-")
)
"""The file cases that spoil one of the project's own templates."""


@pytest.mark.parametrize(
    ("setup", "expected", "code", "own"),
    [
        pytest.param(setup, expected, code, name in SPOIL_A_TEMPLATE, id=name)
        for name, setup, expected, code in FILE_CASES
    ],
)
def test_hostile_files(
    tmp_path: Path, setup: Callable[[Path], None], expected: str, code: int, own: bool
) -> None:
    project = _own_templates(tmp_path, own)
    write(project, f"{R}/readout.yaml", FACTS)
    write(project, f"{R}/id.md", ID_BODY)
    write(project, f"{R}/en.md", EN_BODY)
    setup(project)
    result = run(project, "check")
    assert result.exit_code == code, result.output
    assert expected in result.output
    assert "Traceback" not in result.output


def test_names_are_printed_escaped(project: Path) -> None:
    folder = "content/readouts/evil\x1b[31mred\nx"
    write(project, f"{folder}/readout.yaml", "city: [Bekasi]\ndate: 2024-02-08\n")
    write(project, f"{folder}/id.md", ID_BODY)
    result = run(project, "check")
    assert result.exit_code == 1
    assert "content/readouts/evil\\x1b[31mred\\x0ax/readout.yaml:1:7: error:" in result.output
    assert "\x1b" not in result.output
    result = run(project, "build", "--format", "html")
    assert "evil\\x1b[31mred\\x0ax" in result.output and "\x1b" not in result.output


def _relink(path: Path, target: str) -> None:
    path.unlink()
    path.symlink_to(target)


# (file in the plan, how to spoil it, expected)
PLAN_FILE_CASES: list[tuple[str, Callable[[Path], None], str]] = [
    (
        "upper-case-chapter-suffix",
        lambda plan: (plan / "id/6-extra.MD").write_text("x"),
        f"{P}/id/6-extra.MD: warning: ignored: chapters are `<number>-<name>.md` files",
    ),
    (
        "upper-case-language-folder",
        lambda plan: (plan / "EN").mkdir(),
        f"{P}/EN: warning: ignored: the chapter folder must be named `en` (lower case)",
    ),
    (
        "data-file-link-out",
        lambda plan: _relink(plan / "data/targets.csv", "/etc/passwd"),
        f"{P}/plan.yaml:{TARGETS_LINE}:12: error: data/targets.csv: this data file is a link to "
        "'/etc/passwd', outside the project",
    ),
    (
        "chapter-folder-is-a-file",
        lambda plan: (shutil.rmtree(plan / "id"), (plan / "id").write_text("x")),
        f"{P}/id: error: `id` must be a folder holding the id chapter files",
    ),
    (
        "data-folder-loops",
        lambda plan: (shutil.rmtree(plan / "data"), (plan / "data").symlink_to("data")),
        f"{P}/plan.yaml:{TARGETS_LINE}:12: error: data/targets.csv: this data file is a "
        "symbolic link that loops; replace it",
    ),
    (
        "templates-folder-link-out",
        lambda plan: (
            shutil.rmtree(plan.parents[2] / "templates"),
            (plan.parents[2] / "templates").symlink_to("/etc"),
        ),
        "templates: error: this templates folder is a link to '/etc', outside the project",
    ),
    (
        "table-macro-error-blamed-on-template",
        lambda plan: (plan.parents[2] / "templates/shared/renstra_tables.html").write_text(
            (plan.parents[2] / "templates/shared/renstra_tables.html").read_text().replace(
                "{% macro funding(number) %}", "{% macro funding(number) %}{{ 1 // 0 }}", 1
            )
        ),
        "templates/shared/renstra_tables.html:",
    ),
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(
    ("spoil", "expected"),
    [pytest.param(spoil, expected, id=name) for name, spoil, expected in PLAN_FILE_CASES],
)
def test_plan_files(tmp_path: Path, spoil: Callable[[Path], object], expected: str) -> None:
    project = _own_templates(tmp_path, "templates" in expected)
    shutil.copytree(REPO / P, project / P)
    spoil(project / P)
    result = run(project, "check")
    assert expected in result.output
    assert "Traceback" not in result.output


def test_corpus_size() -> None:
    hand_written = (
        len(READOUT_CASES)
        + len(PLAN_CASES)
        + len(EXPRESSION_CASES)
        + len(BUDGET_CASES)
        + len(FILE_CASES)
        + len(PLAN_FILE_CASES)
    )
    assert hand_written >= 100
