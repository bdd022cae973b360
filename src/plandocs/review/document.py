"""The reviewed document as its kind loads it: where the values it prints come from.

A Renstra or a readout prints what its own folder holds (review finds its texts there);
a PK prints values drawn from its Renstra, and an LKj from its PK and the PK's Renstra.
Review does not guess which: when the document's kind says where its values are written
(:meth:`plandocs.kinds.registry.Kind.origins`), review loads the document through the
pipeline, as a build does, and asks it. A value written in another document's files is
listed there and never written by a review of this one.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

from plandocs.compare.textdiff import Hunk, normalize
from plandocs.errors import PlandocsError, printable
from plandocs.model.document import Origin
from plandocs.render.i18n import Localizer

YAML = (".yaml", ".yml")


class Reviewed:
    """One document folder of the project (and part, for a regional sheet), loaded once
    when review first needs it; a document that does not load gives nothing."""

    def __init__(self, root: Path, folder: Path, part: str | None, lang: str) -> None:
        self.root = root
        self.folder = folder
        self.part = part
        self.lang = lang
        self._loaded = False
        self.failure = ""
        """Why the document did not load (its own error, or one of a document it refers
        to), for a person: a change review cannot place is not said to be a template's."""
        self._origins: list[Origin] = []
        self._dates: list[tuple[str, Origin]] = []
        self._amounts: list[tuple[str, Origin]] = []

    def _load(self) -> None:
        """Load the document, if its kind says where its values come from (a PK, an
        LKj: those of other kinds are all in their own folder, found there)."""
        from plandocs import pipeline
        from plandocs.project import Project

        self._loaded = True
        try:
            project = Project.load(self.root)
            kind = pipeline.kind_of(project, self.folder.parent.name)
            if not kind.tells_origins:
                return
            source = pipeline.Source(kind.name, self.folder)
            document = pipeline.load(project, source)
            try:
                document = document.select(self.part)
            except PlandocsError as exc:  # the file's own claim, not the document's error
                self.failure = (
                    f"the reviewed file names {printable(exc.message)}; review a DOCX "
                    "plandocs wrote"
                )
                return
            self._origins = kind.origins(document, self.lang)
            localizer = Localizer(self.lang, project.settings.english_dates)
            self._dates = [
                (normalize(localizer.date(o.value)), o)
                for o in self._origins
                if isinstance(o.value, dt.date)
            ]
            self._amounts = [
                (normalize(localizer.rupiah(o.value, "large")), o)
                for o in self._origins
                if isinstance(o.value, Decimal) and o.value.is_finite() and abs(o.value) >= 10**6
            ]
        except PlandocsError as exc:
            self._origins, self._dates, self._amounts = [], [], []
            first = (getattr(exc, "errors", None) or [exc])[0]
            where = first.location(self.root)
            why = f"an error at {where}" if where else printable(first.message)
            self.failure = f"the document does not load: {why}; fix it, then review again"

    def owner(self, path: Path) -> str:
        """``content/<kind>/<slug>``: the document folder ``path`` belongs to ("" for this
        document's own, or for a file outside the project's content)."""
        real = Path(os.path.realpath(path))
        if real.is_relative_to(os.path.realpath(self.folder)):
            return ""
        try:
            parts = real.relative_to(os.path.realpath(self.root)).parts
        except ValueError:
            return ""
        return "/".join(parts[:3]) if len(parts) > 3 and parts[0] == "content" else ""

    def origins(self) -> list[Origin]:
        """The values the document prints, each where it is written — if its kind says
        (:meth:`plandocs.kinds.registry.Kind.origins`); else none."""
        if not self._loaded:
            self._load()
        return self._origins

    def drawn(self) -> dict[Path, tuple[str, set[tuple[int, str]]]]:
        """The texts it prints from other documents' YAML files (a PK's Renstra's
        plan.yaml, an LKj's pk.yaml): per file, the document it belongs to and each
        text's (line, value)."""
        found: dict[Path, tuple[str, set[tuple[int, str]]]] = {}
        for origin in self.origins():
            at = origin.at
            if not isinstance(origin.value, str) or at is None or at.path is None:
                continue
            owner = self.owner(at.path)
            if owner and at.path.suffix in YAML and not at.path.is_symlink():
                found.setdefault(at.path, (owner, set()))[1].add((at.line or 0, origin.value))
        return found

    def date(self, paragraph: str, hunk: Hunk) -> Origin | None:
        """The date (as the document prints it: ``31 Januari 2025``) whose words in
        ``paragraph`` cover ``hunk``, if one does."""
        self.origins()
        found = _covering(self._dates, paragraph, hunk)
        return found[0] if found else None

    def amounts(self, paragraph: str, hunk: Hunk) -> list[Origin]:
        """The amounts printed rounded as large rupiah (``Rp74,9 triliun``) whose words in
        ``paragraph`` cover ``hunk``: one, or several that print alike."""
        self.origins()
        return _covering(self._amounts, paragraph, hunk)

    def date_where(self, origin: Origin) -> str:
        at = origin.at
        if at is None or at.path is None:
            return ""
        try:
            rel = Path(os.path.realpath(at.path)).relative_to(self.root).as_posix()
        except ValueError:
            return ""
        return f"{rel}:{at.line} (date)"

    def numbers(self) -> list[Origin]:
        """The numbers it prints, with where each is written or how it is computed."""
        return [o for o in self.origins() if isinstance(o.value, Decimal)]


def _covering(printed: list[tuple[str, Origin]], paragraph: str, hunk: Hunk) -> list[Origin]:
    """The values whose printed words in ``paragraph`` cover ``hunk``."""
    found = []
    for words, origin in printed:
        at = paragraph.find(words)
        while at >= 0:
            if at <= hunk.start and hunk.end <= at + len(words):
                found.append(origin)
                break
            at = paragraph.find(words, at + 1)
    return found
