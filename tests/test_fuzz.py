"""Random and mutated content through ``check`` and ``build``: the result is always
documents or located errors — never a traceback, never a partial file."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EN_BODY, ID_BODY, READOUT_FACTS, REPO, make_project, write
from plandocs.cli import main

R = "content/readouts/meeting"
P = "content/renstra/kemensos-2025-2029"
LOCATED = re.compile(r"^(content|templates|plandocs\.yaml|glossary\.yaml)\S*: (error|warning): ")

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

edits = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=1),
        st.sampled_from(["delete", "insert", "duplicate-line", "drop-line"]),
        st.sampled_from(list(":-{}[]'\"#\n\t ,.%&*!|>@`0123456789aZ{{}}{%")),
    ),
    min_size=1,
    max_size=5,
)


def mutate(text: str, operations: list[tuple[float, str, str]]) -> str:
    for where, op, char in operations:
        at = int(where * len(text))
        lines = text.split("\n")
        row = int(where * (len(lines) - 1)) if lines else 0
        if op == "delete" and text:
            text = text[:at] + text[at + 1 :]
        elif op == "insert":
            text = text[:at] + char + text[at:]
        elif op == "duplicate-line" and lines:
            lines.insert(row, lines[row])
            text = "\n".join(lines)
        elif op == "drop-line" and len(lines) > 1:
            del lines[row]
            text = "\n".join(lines)
    return text


@contextmanager
def readout_project() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp))
        write(root, f"{R}/readout.yaml", READOUT_FACTS)
        write(root, f"{R}/id.md", ID_BODY)
        write(root, f"{R}/en.md", EN_BODY)
        yield root


def invoke(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--project", str(root)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: the defect this test is looking for
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, result.output


def assert_located(output: str) -> None:
    for line in output.splitlines():
        if ": error: " in line or ": warning: " in line:
            assert LOCATED.match(line), line


def assert_whole_outputs(root: Path, before: dict[Path, bytes]) -> None:
    assert not list((root / "build").rglob("*.tmp"))
    for path, content in before.items():
        now = path.read_bytes()
        complete = now.startswith(b"<!DOCTYPE html>") and now.rstrip().endswith(b"</html>")
        assert now == content or complete


@FUZZ
@given(operations=edits, name=st.sampled_from(["readout.yaml", "id.md", "en.md"]))
def test_mutated_readout(operations: list[tuple[float, str, str]], name: str) -> None:
    with readout_project() as root:
        code, _ = invoke(root, "build", "--format", "html", "-j", "1")
        assert code == 0
        before = {p: p.read_bytes() for p in (root / "build").glob("*/readouts/*.html")}
        path = root / R / name
        path.write_text(mutate(path.read_text(), operations), encoding="utf-8")
        _, output = invoke(root, "check")
        assert_located(output)
        code, output = invoke(root, "build", "--format", "html", "-j", "1")
        assert_located(output)
        if code == 1:
            assert ": error: " in output
        assert_whole_outputs(root, before)


@FUZZ
@given(body=st.text(max_size=300))
def test_random_markdown(body: str) -> None:
    with readout_project() as root:
        write(root, f"{R}/id.md", "---\ntitle: Rapat\n---\n")
        (root / R / "id.md").write_text("---\ntitle: Rapat\n---\n" + body, encoding="utf-8")
        code, output = invoke(root, "build", "--format", "html", "--lang", "id", "-j", "1")
        assert_located(output)
        if code == 0:
            html = (root / "build/id/readouts/meeting.html").read_text(encoding="utf-8")
            assert "<script" not in html.lower()


@FUZZ
@given(text=st.text(max_size=200))
def test_random_yaml(text: str) -> None:
    with readout_project() as root:
        (root / R / "readout.yaml").write_text(text, encoding="utf-8")
        code, output = invoke(root, "check")
        assert code == 1  # random text is never a valid readout
        assert_located(output)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations=edits)
def test_mutated_csv(operations: list[tuple[float, str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp))
        shutil.copytree(REPO / P, root / P)
        for lang in ("id", "en"):
            for chapter in (root / P / lang).glob("[2-5]-*.md"):
                chapter.unlink()
        path = root / P / "data/targets.csv"
        path.write_text(mutate(path.read_text(), operations), encoding="utf-8")
        _, output = invoke(root, "check")
        assert_located(output)
