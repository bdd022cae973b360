"""Page numbers as printed: i, ii … in the front matter, 1, 2 … after it, none on the cover.

Shared by the one-pass layout (:mod:`plandocs.writers.pdf.writer`) and the chapter by
chapter one (:mod:`plandocs.writers.pdf.chapters`), which must print the same labels:
each anchor's printed label (the DOCX contents list and the front matter's entries show
them), the ``/PageLabels`` ranges a viewer shows, and the stylesheet rules that print
the labels in the table of contents.
"""

from __future__ import annotations

import re
from typing import Any

Page = tuple[str, list[str]]
"""A laid-out page: its kind (cover, front, body, landscape; ``""`` unnamed) and the
anchors on it."""

LabelRanges = list[tuple[int, dict[str, Any]]]
"""``/PageLabels`` ranges: (first page index, label dictionary: ``S``, ``St``, ``P``)."""


def roman(number: int) -> str:
    """Lower-case Roman numeral: 1 → i, 4 → iv, 14 → xiv."""
    parts = []
    for value, letters in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        count, number = divmod(number, value)
        parts.append(letters * count)
    return "".join(parts)


def page_labels(pages: list[Page], before_body: int) -> dict[str, str]:
    """Each anchor's printed page label: i, ii … in the front matter, 1, 2 … after it
    (``pages``: each page's kind and anchors)."""
    labels: dict[str, str] = {}
    front = 0
    for index, (kind, anchors) in enumerate(pages):
        if kind == "cover":
            continue
        if kind == "front":
            front += 1
            label = roman(front)
        else:
            number = index - before_body + 1
            if number < 1:
                continue
            label = str(number)
        for anchor in anchors:
            labels.setdefault(anchor, label)
    return labels


def label_ranges(kinds: list[str], cover_label: str) -> LabelRanges:
    """``/PageLabels`` ranges: (first page index, label dictionary) where the style changes."""
    ranges: LabelRanges = []
    previous = None
    for index, kind in enumerate(kinds):
        group = "cover" if kind == "cover" else "front" if kind == "front" else "body"
        if group == previous:
            continue
        previous = group
        if group == "cover":
            ranges.append((index, {"P": cover_label} if cover_label else {}))
        elif group == "front":
            ranges.append((index, {"S": "/r", "St": 1}))
        else:
            ranges.append((index, {"S": "/D", "St": 1}))
    return ranges


def front_rules(labels: dict[str, str], prefixes: tuple[str, ...] = ("#",)) -> str:
    """Stylesheet rules printing ``labels`` as the page numbers of the table of
    contents' and the lists' entries, whose links are ``prefix`` + anchor
    (stylesheets given to WeasyPrint are the user's: !important to win)."""
    return "\n".join(
        ", ".join(f'nav.toc a[href="{prefix}{anchor}"]::after' for prefix in prefixes)
        + f' {{ content: leader(".") " {label}" !important; }}'
        for anchor, label in sorted(labels.items())
        if re.fullmatch(r"[\w-]+", anchor) and re.fullmatch(r"\w+", label)
    )


def without_front_pages(labels: dict[str, str], end: str) -> dict[str, str]:
    """``labels`` as printed without the front-matter pages up to the one holding the
    anchor ``end`` (a redline's summary, which its Word file does not have): the front
    matter counted from i again."""
    numbers = {roman(n): n for n in range(1, 200)}
    labels = dict(labels)
    pages = numbers.get(labels.pop(end, ""), 0)
    return {
        anchor: roman(numbers[label] - pages) if label in numbers else label
        for anchor, label in labels.items()
    }
