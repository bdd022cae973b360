"""What every loaded document offers the pipeline, whatever its kind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from plandocs.errors import ContentError


class SingleDocument:
    """A document that is its folder's only one: it has no parts."""

    folder: Path

    def parts(self) -> list[str | None]:
        """None: the folder's own document, and nothing else."""
        return [None]

    def part_inputs(self, part: str, rel: Callable[[Path], str]) -> dict[str, str]:
        """A part's own inputs: none, there are no parts."""
        return {}

    def select(self, part: str | None) -> Any:
        if part is not None:
            raise ContentError(f"no part {part!r} in this document; it has no parts", self.folder)
        return self
