"""Where a table may break across pages: its rows regrouped so both writers keep them.

A row never splits (each writer sees to that); on top of it, every table follows two
rules, written into its HTML as ``<tbody class="keep">`` groups, which the PDF keeps on
one page (``break-inside: avoid``) and Word too (keep-with-next on their rows):

* a table of up to :data:`SHORT` body rows never splits;
* a longer one never leaves fewer than :data:`AT_LEAST` rows on either side of a break:
  its first rows are one group, and its last rows another.

Rows that already belong together stay together: the rows of a ``<tbody class="keep">``,
a ``<tr class="group">`` (a heading row) and the row after it, and the rows a cell spans.
"""

from __future__ import annotations

import re
from typing import Any

SHORT = 6
"""A table of this many body rows or fewer is never split."""
AT_LEAST = 3
"""A longer table leaves at least this many rows on each side of a page break."""

_TABLE = re.compile(r"<table\b.*</table>", re.S)


def _classes(element: Any) -> list[str]:
    return (element.get("class") or "").split()


def units(table: Any) -> list[list[tuple[Any, Any]]]:
    """The body rows of ``table`` (each with the element holding it) in runs that must
    stay together."""
    found: list[list[tuple[Any, Any]]] = []
    covered = 0  # rows still covered by a cell spanning rows from above
    previous: tuple[Any, Any] | None = None
    for part in table:
        if not isinstance(part.tag, str) or part.tag not in ("tbody", "tr"):
            continue
        rows = (
            [(tr, part) for tr in part if tr.tag == "tr"]
            if part.tag == "tbody"
            else [(part, table)]
        )
        for tr, holder in rows:
            joined = previous is not None and (
                (holder is previous[1] and holder is not table and covered > 0)
                or (holder is previous[1] and "keep" in _classes(holder))
                or "group" in _classes(previous[0])
            )
            if joined:
                found[-1].append((tr, holder))
            else:
                found.append([(tr, holder)])
            spans = [_span(cell.get("rowspan")) for cell in tr if cell.tag in ("td", "th")]
            covered = max(covered - 1, max(spans, default=1) - 1)
            previous = (tr, holder)
        if part.tag == "tbody":
            covered = 0  # a cell never spans out of its row group
    return found


def _span(value: str | None) -> int:
    return int(value) if value and value.strip().isdigit() else 1


def keep_rows(html: str) -> str:
    """``html`` holding one ``<table>``, its rows grouped by the rules above."""
    from lxml import etree
    from lxml import html as lxml_html

    match = _TABLE.search(html)
    if match is None:
        return html
    table = lxml_html.fragment_fromstring(match.group(0))
    if table.tag != "table":
        return html
    runs = units(table)
    count = sum(len(run) for run in runs)
    if count < 2:
        return html
    if count <= SHORT:
        plan = [(runs, True)]
    else:
        head = _enough(runs)
        tail = _enough(runs[::-1])
        if head + tail >= len(runs):
            plan = [(runs, True)]
        else:
            middle = runs[head : len(runs) - tail]
            plan = [(runs[:head], True), (middle, False), (runs[len(runs) - tail :], True)]
    groups: list[tuple[list[tuple[Any, Any]], Any]] = []  # rows, and the tbody they go in
    for chosen, keep in plan:
        rows = [row for run in chosen for row in run]
        if keep:
            holders = {id(h): h for _, h in rows if h is not table}
            classes = {c for h in holders.values() for c in _classes(h)} | {"keep"}
            groups.append((rows, etree.Element("tbody", {"class": " ".join(sorted(classes))})))
            continue
        for tr, holder in rows:  # the middle rows keep the row groups they had
            if groups and groups[-1][1].get("data-from") == str(id(holder)):
                groups[-1][0].append((tr, holder))
                continue
            attributes = dict(holder.attrib) if holder is not table else {}
            tbody = etree.Element("tbody", attributes)
            tbody.set("data-from", str(id(holder)))
            groups.append(([(tr, holder)], tbody))
    before = [(tuple(id(tr) for tr, _ in rows), tbody.get("class")) for rows, tbody in groups]
    now = [
        (tuple(id(tr) for tr in part if tr.tag == "tr"), part.get("class"))
        for part in table
        if part.tag == "tbody"
    ]
    if before == now and not any(part.tag == "tr" for part in table):
        return html  # already grouped so
    anchor = next(
        (p for p in table if isinstance(p.tag, str) and p.tag in ("tbody", "tr", "tfoot")), None
    )
    for rows, tbody in groups:
        tbody.attrib.pop("data-from", None)
        tbody.text = "\n"
        for tr, _holder in rows:
            tbody.append(tr)  # moves the row out of where it was
        if anchor is not None:
            anchor.addprevious(tbody)
        else:
            table.append(tbody)
    placed = {id(tbody) for _, tbody in groups}
    for part in list(table):
        # What is left of the old row groups (emptied), and no row outside a group.
        emptied = part.tag == "tbody" and id(part) not in placed and len(part) == 0
        if isinstance(part.tag, str) and (emptied or part.tag == "tr"):
            table.remove(part)
    text = str(lxml_html.tostring(table, encoding="unicode"))
    return html[: match.start()] + text + html[match.end() :]


def _enough(runs: list[list[tuple[Any, Any]]]) -> int:
    """How many runs, from the start, hold at least :data:`AT_LEAST` rows."""
    total = 0
    for index, run in enumerate(runs):
        total += len(run)
        if total >= AT_LEAST:
            return index + 1
    return len(runs)
