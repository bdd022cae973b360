"""Where the words of a paragraph a template wrote stand in the content, if anywhere.

A template prints facts: a readout's title (the front matter of ``id.md``), an
indicator's name (``plan.yaml``), a program's target. The DOCX knows only that a
template wrote the paragraph; review finds the words a reviewer changed among the text
values of the document's own YAML — its facts files and the front matter of its
Markdown files — each with its line, then among those of the other documents it is
made from (a PK's Renstra: its indicators' names), which are listed there and never
written. A value a template prints in capitals (a signatory's name) is found in its
own case. A change covered by one such value is listed at it and, with ``--apply``,
written there when the words stand in it literally. A change no value covers is looked
for in the templates (a caption's words in ``labels.html``) and listed there, with the
words around it, never applied.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from plandocs.compare.textdiff import Hunk, normalize
from plandocs.errors import PlandocsError

MAX_FACTS_BYTES = 2 * 1024 * 1024
"""As any YAML plandocs reads."""
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*$", re.S | re.M)
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


@dataclass(frozen=True)
class TextPlace:
    """A text value in a YAML file (or a Markdown file's front matter)."""

    rel: str
    line: int
    start: int
    end: int
    """The value's offsets in the file's text."""
    value: str
    owner: str = ""
    """``content/<kind>/<slug>`` when the value is another document's (drawn from it):
    listed there, never written by this review."""

    @property
    def where(self) -> str:
        return f"{self.rel}:{self.line}"


@dataclass(frozen=True)
class Found:
    """Where a change stands: one value (``place``), several (ambiguous), or a template
    line (``template``); ``start`` is the value's offset in the paragraph."""

    place: TextPlace | None = None
    start: int = 0
    others: int = 0
    template: str = ""
    piece: str = ""
    """The literal stretch of the value that holds the change (a value may hold
    expressions: ``Rakortekrenbang {{ plan_year }}``)."""
    capitals: bool = False
    """The document prints the value in capitals (``SAIFULLAH YUSUF``)."""

    def by_hand(self) -> str:
        """Why the change cannot be written into its value, or "" if it can."""
        place = self.place
        if place is not None and place.owner:
            return f"by hand: drawn from {place.owner}; change it there"
        if place is not None and self.capitals:
            return (
                f"by hand: printed in capitals from {place.where}; change the value there "
                "in its own case"
            )
        return ""


class TextSources:
    """The text values of one document folder, read once."""

    def __init__(
        self,
        root: Path,
        folder: Path,
        kind: str,
        lang: str,
        drawn: Callable[[], dict[Path, tuple[str, set[tuple[int, str]]]]] | None = None,
    ) -> None:
        self.root = root
        self.folder = folder
        self.kind = kind
        self.lang = lang
        self.drawn = drawn
        """The texts this document prints from others' YAML files: per file, the
        document it belongs to (``content/renstra/<slug>``) and each text's (line,
        value)."""
        self._places: list[TextPlace] | None = None
        self.pending: dict[str, str] = {}
        """Texts an apply means to write, by real path: read in place of the files', so
        that each change is found in the content as the changes before it leave it."""

    def forget(self) -> None:
        self._places = None

    def places(self) -> list[TextPlace]:
        if self._places is None:
            self._places = []
            for path in sorted(self.folder.rglob("*")):
                if path.is_symlink() or not path.is_file():
                    continue
                if path.suffix in (".yaml", ".yml") and path.parent == self.folder:
                    self._places += self._scalars(path, 0)
                elif path.suffix == ".md":
                    self._places += self._scalars(path, None)
            for path, (owner, shown) in (self.drawn() if self.drawn else {}).items():
                found = self._scalars(path, 0, owner)
                self._places += [p for p in found if (p.line, p.value) in shown]
        return self._places

    def _read(self, path: Path) -> str | None:
        from plandocs.safety.reader import read_bytes

        pending = self.pending.get(os.path.realpath(path))
        if pending is not None:
            return pending
        try:
            return read_bytes(path, "file", MAX_FACTS_BYTES).decode("utf-8")
        except (PlandocsError, UnicodeDecodeError):
            return None

    def _scalars(self, path: Path, offset: int | None, owner: str = "") -> list[TextPlace]:
        """The text scalars of a YAML file (``offset`` 0), or of a Markdown file's front
        matter (``offset`` None: found here); ``owner``: the document they belong to."""
        text = self._read(path)
        if text is None:
            return []
        source = text
        if offset is None:
            match = _FRONT.match(text)
            if match is None:
                return []
            source, offset = match.group(1), match.start(1)
        try:
            node = yaml.compose(source, Loader=yaml.SafeLoader)
        except (yaml.YAMLError, RecursionError):
            return []
        rel = path.relative_to(self.root).as_posix()
        line_base = text.count("\n", 0, offset)
        found: list[TextPlace] = []
        seen: set[int] = set()
        stack = [node] if node is not None else []
        while stack:
            item = stack.pop()
            if id(item) in seen:
                continue
            seen.add(id(item))
            if isinstance(item, yaml.ScalarNode):
                if item.tag == "tag:yaml.org,2002:str" and _LETTER.search(item.value):
                    found.append(
                        TextPlace(
                            rel,
                            line_base + item.start_mark.line + 1,
                            offset + item.start_mark.index,
                            offset + item.end_mark.index,
                            item.value,
                            owner,
                        )
                    )
            elif isinstance(item, yaml.MappingNode):
                stack.extend(value for _, value in item.value)
            elif isinstance(item, yaml.SequenceNode):
                stack.extend(item.value)
        found.sort(key=lambda p: p.start)
        return found

    def find(self, paragraph: str, hunk: Hunk) -> Found:
        """The value whose words in ``paragraph`` (normalized) cover ``hunk``: the
        longest such; several places of that value make it ambiguous. The document's own
        values and those it draws from others are looked at alike; failing them, values
        printed in capitals."""
        found = self._find(paragraph, hunk, False)
        if found is None:
            found = self._find(paragraph, hunk, True)
        return found or Found(template=self.template_line(paragraph, hunk))

    def _find(self, paragraph: str, hunk: Hunk, capitals: bool) -> Found | None:
        best: list[tuple[TextPlace, int, str]] = []
        length = 0
        for place in self.places():
            for piece in literal_pieces(place.value):
                if len(piece) < length:
                    continue
                shown = piece.upper() if capitals else piece
                if len(shown) != len(piece) or (capitals and shown == piece):
                    continue  # (a letter whose capital is two, or no letters to raise)
                at = paragraph.find(shown)
                while at >= 0:
                    if at <= hunk.start and hunk.end <= at + len(piece):
                        if len(piece) > length:
                            best, length = [], len(piece)
                        best.append((place, at, piece))
                        break
                    at = paragraph.find(shown, at + 1)
        if not best:
            return None
        distinct = {(p.rel, p.start) for p, _, _ in best}
        place, at, piece = best[0]
        return Found(place, at, others=len(distinct) - 1, piece=piece, capitals=capitals)

    def template_line(self, paragraph: str, hunk: Hunk) -> str:
        """``templates/id/labels.html:40``: the template line holding the most of the
        paragraph's words around the change (the project's templates first, then
        plandocs' own), or ""."""
        tried: list[str] = [paragraph, paragraph[hunk.start :], paragraph[: hunk.end]]
        for width in (40, 20, 10, 0):
            tried.append(paragraph[max(0, hunk.start - width) : hunk.end + width].strip())
        for words in tried:
            if len(words) >= 3:
                found = self._template_line(words)
                if found:
                    return found
        return ""

    def _template_line(self, words: str) -> str:
        words = normalize(words)
        package = Path(__file__).resolve().parents[1]
        folders = [
            (self.root / "templates", self.root),
            (self.root / "kinds" / self.kind / "templates", self.root),
            (package / "kinds" / "builtin" / self.kind / "templates", package.parent),
            (package / "templates", package.parent),
        ]
        for folder, base in folders:
            if not folder.is_dir() or folder.is_symlink():
                continue
            files = sorted(folder.rglob("*.html"), key=lambda p: (self.lang not in p.parts, p))
            for path in files:
                if path.is_symlink() or not path.is_file():
                    continue
                try:
                    lines = path.read_text(encoding="utf-8").splitlines()
                except (OSError, UnicodeDecodeError):
                    continue
                for number, line in enumerate(lines, 1):
                    if words in normalize(line):
                        try:
                            name = path.relative_to(base).as_posix()
                        except ValueError:
                            name = path.name
                        return f"{name}:{number}"
        return ""


_EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def literal_pieces(value: str) -> list[str]:
    """The stretches of a value written as words, between its expressions (normalized;
    those too short to say where a change is left out)."""
    pieces = [normalize(piece) for piece in _EXPRESSION.split(value)]
    return [p for p in pieces if len(p) >= 3 and _LETTER.search(p)]


def edited_value(found: Found, hunks: list[Hunk]) -> str:
    """The value of ``found`` (normalized) with the ``hunks`` (in the paragraph's
    offsets) made in its literal stretch."""
    assert found.place is not None
    piece = found.piece
    for hunk in sorted(hunks, key=lambda h: h.start, reverse=True):
        piece = piece[: hunk.start - found.start] + hunk.new + piece[hunk.end - found.start :]
    return normalize(found.place.value).replace(found.piece, piece, 1)


def write_value(root: Path, place: TextPlace, new: str, text: str) -> str:
    """The file's ``text`` with the value at ``place`` changed to ``new`` where its words
    stand literally (checked by reading the YAML again); NotApplicable otherwise."""
    from plandocs.review.prose import NotApplicable, edit_block

    path = root / place.rel
    raw = text[place.start : place.end]
    edited = edit_block(raw, normalize(place.value), normalize(new), within=place.rel)
    changed = text[: place.start] + edited + text[place.end :]
    source, offset = changed, 0
    if path.suffix == ".md":
        match = _FRONT.match(changed)
        if match is None:
            raise NotApplicable("the front matter no longer reads as YAML")
        source, offset = match.group(1), match.start(1)
    try:
        node = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        raise NotApplicable(
            f"the new words would break {place.rel} (quote the value there by hand)"
        ) from None
    stack = [node] if node is not None else []
    while stack:
        item = stack.pop()
        if isinstance(item, yaml.ScalarNode):
            if offset + item.start_mark.index == place.start:
                if normalize(item.value) != normalize(new):
                    break
                return changed
        elif isinstance(item, yaml.MappingNode):
            stack.extend(value for _, value in item.value)
        elif isinstance(item, yaml.SequenceNode):
            stack.extend(item.value)
    raise NotApplicable(
        f"the new words do not read back as written in {place.rel}; edit it by hand"
    )
