"""The outputs in other people's tools: pandoc (Debian's 2.17 and the 3.x that
``pypandoc-binary`` ships), LibreOffice driven through UNO (Debian's ``python3-uno``,
which runs in the system's Python, so it is driven from a helper script in a process of
its own) and the PDF rule checkers. Each finder skips the test with its reason when the
tool is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

UNO_SCRIPT = Path(__file__).with_name("uno_office.py")
SYSTEM_PYTHON = "/usr/bin/python3"


def pandocs() -> list[tuple[str, str]]:
    """Every pandoc at hand, as (name with version, program)."""
    found: list[tuple[str, str]] = []
    system = shutil.which("pandoc")
    if system is not None:
        found.append(("pandoc " + _version(system), system))
    try:
        import pypandoc  # type: ignore[import-untyped]

        bundled = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        bundled = None
    if bundled and (system is None or Path(bundled).resolve() != Path(system).resolve()):
        found.append(("pandoc " + _version(bundled), bundled))
    if not found:
        pytest.skip("pandoc is not installed (./dev test installs Debian's; pypandoc-binary a 3.x)")
    return found


def _version(program: str) -> str:
    out = subprocess.run([program, "--version"], capture_output=True, text=True, check=False)
    return out.stdout.split("\n", 1)[0].split()[-1] if out.stdout else "?"


def pandoc_json(program: str, path: Path, *options: str) -> dict[str, Any]:
    out = subprocess.run(
        [program, *options, "-t", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    data: dict[str, Any] = json.loads(out.stdout)
    return data


def inline_text(inlines: list[dict[str, Any]]) -> str:
    """The text of pandoc's inline elements."""
    parts: list[str] = []
    for item in inlines:
        kind, content = item["t"], item.get("c")
        if kind == "Str":
            parts.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "SmallCaps", "Superscript"):
            parts.append(inline_text(content))
        elif kind in ("Span", "Quoted", "Link", "Image"):
            parts.append(inline_text(content[1]))
    return "".join(parts)


def blocks_of(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Every heading and list item pandoc read, in order, as (kind, text): kind is
    ``header`` or ``item``; an item's text is its first paragraph's."""
    found: list[tuple[str, str]] = []

    def walk(blocks: list[dict[str, Any]]) -> None:
        for block in blocks:
            kind, content = block["t"], block.get("c")
            if kind == "Header":
                found.append(("header", " ".join(inline_text(content[2]).split())))
            elif kind in ("BulletList", "OrderedList"):
                items = content if kind == "BulletList" else content[1]
                for item in items:
                    if item and item[0]["t"] == "Header":
                        # pandoc 2.x reads a heading numbered by Word's numbering as a
                        # list item holding the heading: no list item of the document.
                        walk(item)
                        continue
                    first = next((b for b in item if b["t"] in ("Para", "Plain")), None)
                    text = inline_text(first["c"]) if first else ""
                    found.append(("item", " ".join(text.split())))
                    walk([b for b in item if b is not first])
            elif kind == "BlockQuote":
                walk(content)
            elif kind == "Div":
                walk(content[1])
            elif kind == "Table":
                pass

    walk(data["blocks"])
    return found


def office() -> list[str]:
    """The command that runs :data:`UNO_SCRIPT` in the Python that has LibreOffice's
    UNO bridge, or skip saying what is missing."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed (./dev test installs libreoffice-writer-nogui)")
    bridge = (
        Path(SYSTEM_PYTHON).exists()
        and (
            subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False)
        ).returncode
        == 0
    )
    if not bridge:
        pytest.skip("LibreOffice's UNO bridge is missing (./dev test installs python3-uno)")
    return [SYSTEM_PYTHON, str(UNO_SCRIPT)]


def run_office(work: Path, *args: str, timeout: float = 600) -> dict[str, Any]:
    """Run one UNO job (see :mod:`uno_office`) with its own LibreOffice profile in
    ``work``; its JSON answer."""
    work.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [*office(), "--profile", str(work / "lo-profile"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def page_checker() -> Any:
    """``page`` (page-validation): PDF/A-1…3 and PDF/UA-1 rules."""
    try:
        import page  # type: ignore[import-untyped]
    except ImportError:
        pytest.skip("the PDF rule checker page-validation is not installed (in the lock)")
    return page


def failed_rules(pdf: Path, profile: str) -> dict[str, str]:
    """Each rule of ``profile`` (``ua1``, ``3b``) ``pdf`` fails, with one message."""
    report = page_checker().validate_pdf(str(pdf), profile=profile)
    failed: dict[str, str] = {}
    for failure in report.failures:
        failed.setdefault(failure.rule_id, failure.message)
    assert report.is_compliant == (not failed)
    return failed


__all__ = [
    "blocks_of",
    "failed_rules",
    "pandoc_json",
    "pandocs",
    "run_office",
]
