"""Text bound for the writers loses the characters XML cannot hold (:func:`xml_safe`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold (C0 controls but tab and line ends, lone surrogates,
U+FFFE/U+FFFF), and the C1 controls, which no document means to contain."""


@dataclass(frozen=True)
class Removed:
    """Characters taken out of a text: how many, which, and the line of the first."""

    count: int
    names: str
    line: int

    def message(self, where: str = "") -> str:
        what = "character" if self.count == 1 else "characters"
        return (
            f"removed {self.count} control {what} ({self.names}){where} that Word and PDF "
            "cannot hold; delete them from the text"
        )


def xml_safe(text: str) -> tuple[str, Removed | None]:
    """``text`` without the characters XML cannot hold, and what was removed."""
    first = _NOT_XML.search(text)
    if first is None:
        return text, None
    found = _NOT_XML.findall(text)
    names = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in found[:20]))
    line = text.count("\n", 0, first.start()) + 1
    return _NOT_XML.sub("", text), Removed(len(found), names, line)
