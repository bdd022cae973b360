"""Dot leaders that end at the page number, in the contents and the lists.

WeasyPrint sets a leader's dots on a grid counted from the line's right edge, so the
gap between the last dot and the number varies with the number's width: the dots touch
"i" and "iii" but stop short of "iv", "v" or "12". :func:`install` hooks its leader
handling (once, and only on the internals it was written for) so that the dots are
moved up to what follows them: every entry's number stands one space after its dots.
"""

from __future__ import annotations

from typing import Any

_INSTALLED: bool | None = None


def install() -> bool:
    """Hook WeasyPrint's leaders; False when its internals are not the ones expected."""
    global _INSTALLED
    if _INSTALLED is not None:
        return _INSTALLED
    import inspect

    from weasyprint.layout import inline, leader

    try:
        fits = inline.handle_leader is leader.handle_leader and list(
            inspect.signature(leader.handle_leader).parameters
        ) == ["context", "line", "containing_block"]
    except (AttributeError, TypeError, ValueError):
        fits = False
    _INSTALLED = fits
    if fits:
        inline.handle_leader = _to_the_number(leader.handle_leader, leader.leader_index)
    return fits


def _to_the_number(original: Any, leader_index: Any) -> Any:
    def handle_leader(context: Any, line: Any, containing_block: Any) -> None:
        original(context, line, containing_block)
        index, box = leader_index(line)
        if index is None or not box.children or line.style["direction"] != "ltr":
            return
        # The leader box now reaches what follows it; its dots end up to a dot short.
        dots = list(box.children)
        end = box.position_x + box.width
        last = max(dot.position_x + dot.width for dot in dots)
        shift = end - last
        if shift <= 0:
            return
        for dot in dots:
            dot.translate(dx=shift)
        # Moved right, the dots may leave room for one more before the first. In
        # reading order, so that a reader's text extraction sees one run of dots.
        dots.sort(key=lambda dot: dot.position_x)
        if dots[0].position_x - box.position_x >= dots[0].width:
            extra = dots[0].copy()
            extra.position_x = dots[0].position_x - dots[0].width
            dots.insert(0, extra)
        box.children = tuple(dots)

    return handle_leader
