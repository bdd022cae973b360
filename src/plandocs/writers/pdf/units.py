"""A long document's HTML cut into units, each a document WeasyPrint can lay out alone.

A document whose HTML is made of ``<section data-page=…>`` parts (a Renstra) is cut
into units — the cover and front matter together, then each chapter and each annex —
each made of the page's ``<head>`` (the one stylesheet), what the body holds before its
first section when that is only what every page shows (the running header, the draft
stamp) and the unit's sections. A link to an anchor in another unit is marked so that
it survives the unit's layout (:data:`FOREIGN`); the assembly makes it a link again
(:mod:`plandocs.writers.pdf.assemble`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SECTION = re.compile(r'<section\b[^>]*\sdata-page="([\w-]*)"[^>]*>')
_BODY_OPEN = re.compile(r"<body\b[^>]*>")

FOREIGN = "plandocs-anchor:"
"""A link to an anchor in another unit is written ``plandocs-anchor:name`` while the
unit is laid out (WeasyPrint drops a link to an anchor it does not have)."""
_ID = re.compile(r'\sid="([^"<>]+)"')
_LOCAL_HREF = re.compile(r'(\shref=")#([\w.-]+)"')


@dataclass(frozen=True)
class Unit:
    name: str
    """``front``, ``unit-1`` … (in order)."""
    html: str
    front: bool


def split_units(html: str) -> list[Unit] | None:
    """The units of ``html``: everything up to the first body section (cover and front
    matter), then each section after it; None when the document has no such sections."""
    sections = list(_SECTION.finditer(html))
    body_open = _BODY_OPEN.search(html)
    end = html.rfind("</body>")
    if len(sections) < 2 or body_open is None or end < sections[-1].start():
        return None
    head = html[: sections[0].start()]
    # What the body holds before its first section is repeated in every unit when it is
    # only what every page shows (the running header, the draft stamp); anything else
    # there (a redline's summary) belongs to the first unit alone.
    shared = html[: body_open.end()] + _running_only(html[body_open.end() : sections[0].start()])
    tail = html[end:]
    starts: list[tuple[int, bool]] = []
    for match in sections:
        front = match.group(1) not in ("body", "landscape")
        if starts and front and starts[-1][1]:
            continue  # the cover and the front matter: one unit
        starts.append((match.start(), front))
    if len(starts) < 2:
        return None
    units = []
    for index, (start, front) in enumerate(starts):
        stop = starts[index + 1][0] if index + 1 < len(starts) else end
        name = "front" if front and index == 0 else f"unit-{index}"
        opening = head if index == 0 else shared
        units.append(Unit(name, opening + html[start:stop] + tail, front and index == 0))
    return [Unit(unit.name, _mark_foreign(unit.html), unit.front) for unit in units]


RUNNING = ("running-header", "draft-mark", "draft-line")
"""The classes of the elements every page shows, placed out of the flow by the
stylesheet (``position: running(…)`` or ``fixed``)."""


def _running_only(prefix: str) -> str:
    """Of what comes before the first section, only the elements every page shows."""
    from lxml import html as lxml_html

    if not prefix.strip():
        return prefix
    try:
        parts = lxml_html.fragments_fromstring(prefix)
    except Exception:
        return ""
    kept = [
        part
        for part in parts
        if not isinstance(part, str)
        and any(name in (part.get("class") or "").split() for name in RUNNING)
    ]
    if all((isinstance(p, str) and not p.strip()) or any(p is k for k in kept) for p in parts):
        return prefix
    return "".join(
        str(lxml_html.tostring(part, encoding="unicode", with_tail=False)) + "\n" for part in kept
    )


def _mark_foreign(html: str) -> str:
    """``html`` with its links to anchors it does not hold written as FOREIGN URIs."""
    ids = set(_ID.findall(html))

    def mark(match: re.Match[str]) -> str:
        if match.group(2) in ids:
            return match.group(0)
        return f'{match.group(1)}{FOREIGN}{match.group(2)}"'

    return _LOCAL_HREF.sub(mark, html)


def head_of(html: str) -> str:
    """The document up to and including its ``<body>`` tag."""
    match = _BODY_OPEN.search(html)
    return html[: match.end()] if match else html


__all__ = ["FOREIGN", "Unit", "head_of", "split_units"]
