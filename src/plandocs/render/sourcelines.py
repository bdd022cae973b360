"""Source lines through Jinja: which line of a content file each rendered line came from.

Prose is rendered twice — first its ``{{ … }}`` expressions and ``{% … %}`` statements
by Jinja, then the result as Markdown — and a loop or a multi-line value shifts the
lines in between. To say where a rendered paragraph was written (``data-src`` in the
HTML, source anchors in the DOCX, ``plandocs review``), :func:`mark_lines` puts an
invisible marker at the start of every line of the source that is plain text, Jinja
carries the markers through to its output like any other text, and
:func:`strip_marks` takes them out again, noting the source line of each output line.

The markers are characters of Unicode's private use area, which content never holds;
they are gone before Markdown or any writer sees the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN = "\ue000"
_SEP = "\ue001"
_CLOSE = "\ue002"
_MARK = re.compile(f"{_OPEN}([^{_SEP}]*){_SEP}(\\d+){_CLOSE}")
_TAG = re.compile(r"\{\{|\{%|\{#")
_ENDS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_WHITESPACE_CONTROL = re.compile(r"\{[{%#]-|-[}%#]\}")


@dataclass(frozen=True)
class SourceLines:
    """Where rendered text came from: a project-relative file and, per output line
    (0-based), the 1-based line of that file."""

    path: str
    lines: tuple[int, ...]

    def line(self, index: int) -> int:
        """The source line of output line ``index`` (the last known one past the end)."""
        if not self.lines:
            return 1
        return self.lines[min(max(index, 0), len(self.lines) - 1)]


def mark_lines(source: str, path: str, first_line: int) -> str:
    """``source`` with a marker naming ``path`` and the line at every plain-text line start.

    Lines that start inside a Jinja tag or with a statement (``{% … %}``) or comment
    get none: a marker there would change what the statement's whitespace control
    trims. A template using ``{%-`` style whitespace control is left unmarked.
    """
    if _WHITESPACE_CONTROL.search(source):
        return source
    inside = _tag_spans(source)
    out: list[str] = []
    line = first_line
    start = 0
    span = 0
    while start <= len(source):
        end = source.find("\n", start)
        stop = len(source) if end < 0 else end + 1
        while span < len(inside) and inside[span][1] <= start:
            span += 1
        in_tag = span < len(inside) and inside[span][0] < start < inside[span][1]
        text = source[start:stop]
        if not in_tag and not text.lstrip().startswith(("{%", "{#")) and text.strip():
            out.append(f"{_OPEN}{path}{_SEP}{line}{_CLOSE}")
        out.append(text)
        if end < 0:
            break
        start = stop
        line += 1
    return "".join(out)


def _tag_spans(source: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of every ``{{ }}``, ``{% %}`` and ``{# #}``."""
    spans: list[tuple[int, int]] = []
    at = 0
    while match := _TAG.search(source, at):
        close = source.find(_ENDS[match.group()], match.end())
        end = len(source) if close < 0 else close + 2
        spans.append((match.start(), end))
        at = end
    return spans


def strip_marks(text: str) -> tuple[str, SourceLines | None]:
    """Remove the markers; return the clean text and the source of each of its lines."""
    if _OPEN not in text:
        return text, None
    path = ""
    lines: list[int] = []
    current = 0
    clean: list[str] = []
    for raw in text.split("\n"):
        marks = _MARK.findall(raw)
        if marks:
            path, number = marks[-1]
            current = int(number)
        # A line without a marker (a value that broke in two) belongs to the one before.
        lines.append(current or 1)
        clean.append(_MARK.sub("", raw) if marks else raw)
    return "\n".join(clean), SourceLines(path, tuple(lines))
