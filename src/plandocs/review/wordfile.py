"""Reading a Word file a reviewer edited: the text of each source anchor before and
after the reviewer's tracked changes, the tracked changes themselves, and comments.

Only lxml and zipfile: the reviewer's file is untrusted XML (no entities, no
network), and python-docx has no API for revisions or comments anyway.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from plandocs.errors import PlandocsError
from plandocs.writers.docx.anchors import PREFIX, W_NS, AnchorMap, read_map

_W = f"{{{W_NS}}}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_COMMENTS_TYPE = "/comments"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
MAX_PART = 200 * 1024 * 1024
"""Largest document part read (unpacked bytes): a real document.xml is far smaller."""
MAX_SMALL_PART = 32 * 1024 * 1024
"""Largest custom XML, comments or relationships part read (the source map of a
600-page Renstra is a few megabytes)."""
MAX_TOTAL = 256 * 1024 * 1024
MAX_PARTS = 2000
MAX_TEXT = 64 * 1024 * 1024
"""Characters the anchors may hold in all, their paragraphs counted once per anchor: a
file whose anchors each span the whole document would otherwise take time and memory
growing with the square of its size."""

_INSERTED = {f"{_W}ins", f"{_W}moveTo"}
_DELETED = {f"{_W}del", f"{_W}moveFrom"}


class ReviewError(PlandocsError):
    """A reviewer's file that cannot be read."""


class _TooMuch(Exception):
    """The anchors hold more text than :data:`MAX_TEXT`."""


@dataclass
class Revision:
    """One tracked insertion or deletion, with who made it and where it stands."""

    kind: str
    """``inserted`` or ``deleted``."""
    text: str
    author: str
    date: str
    anchor: str | None
    """The source anchor it is inside, if any."""
    after: str | None
    """Outside every anchor: the last anchor before it."""
    paragraph: bool = False
    """In a paragraph that was itself inserted or deleted."""


@dataclass
class Comment:
    ident: str
    author: str
    date: str
    text: str
    anchor: str | None = None
    after: str | None = None
    quoted: str = ""
    """The text the comment is attached to."""


@dataclass
class AnchorText:
    """An anchor's text in the reviewer's file: ``old`` as it stood before the
    tracked changes (what plandocs wrote, unless edited untracked), ``new`` after them."""

    old: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)


@dataclass
class WordFile:
    """What ``plandocs review`` needs from one DOCX."""

    path: Path
    map: AnchorMap
    texts: dict[str, tuple[str, str]]
    """Anchor name → (old, new) text; an anchor the reviewer deleted is absent."""
    revisions: list[Revision]
    comments: list[Comment]


def read_word_file(path: Path) -> WordFile:
    """Read ``path``; a file that is not a DOCX written by plandocs is a ReviewError."""
    parts = _parts(path)
    anchor_map = read_map({k: v for k, v in parts.items() if k.startswith("customXml/")})
    if anchor_map is None:
        raise ReviewError(
            "this Word file has no plandocs source anchors; review reads a DOCX that "
            "plandocs build wrote (and a reviewer edited), not one made another way",
            path,
        )
    document = _xml(parts, "word/document.xml", path)
    comments = _comments(parts, path)
    walker = _Walker(comments)
    try:
        walker.walk(document)
    except _TooMuch:
        raise ReviewError(
            "its source anchors span far more text than the document holds; review a "
            "DOCX plandocs wrote",
            path,
        ) from None
    texts = {
        name: ("".join(t.old), "".join(t.new))
        for name, t in walker.texts.items()
        if name in anchor_map.anchors
    }
    return WordFile(path, anchor_map, texts, walker.revisions, list(comments.values()))


def _parts(path: Path) -> dict[str, bytes]:
    """The parts review reads, each read no further than its limit: a part's stated
    size is not trusted (a crafted package states a small size and unpacks to
    gigabytes)."""
    try:
        with zipfile.ZipFile(path) as archive:
            wanted = [
                info
                for info in archive.infolist()
                if info.filename == "word/document.xml"
                or info.filename.startswith(("customXml/", "word/_rels/", "word/comments"))
            ]
            if len(wanted) > MAX_PARTS:
                raise ReviewError(
                    f"it holds {len(wanted)} custom XML, comment and relationship parts; "
                    "a Word document has a handful",
                    path,
                )
            parts: dict[str, bytes] = {}
            total = 0
            for info in wanted:
                limit = MAX_PART if info.filename == "word/document.xml" else MAX_SMALL_PART
                with archive.open(info) as stream:
                    data = stream.read(limit + 1)
                total += len(data)
                if len(data) > limit or total > MAX_TOTAL:
                    raise ReviewError(f"{info.filename} is too large to be a document", path)
                parts[info.filename] = data
            return parts
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as exc:
        raise ReviewError(f"not a Word (.docx) file: {exc}", path) from None
    except (EOFError, ValueError, RuntimeError) as exc:
        # A damaged compressed stream, an encrypted entry.
        raise ReviewError(f"not a readable Word (.docx) file: {exc}", path) from None


def _xml(parts: dict[str, bytes], name: str, path: Path) -> Any:
    if name not in parts:
        raise ReviewError(f"no {name} inside; is this a Word document?", path)
    try:
        return etree.fromstring(parts[name], parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ReviewError(f"{name} is not well-formed XML: {exc}", path) from None


def _comments(parts: dict[str, bytes], path: Path) -> dict[str, Comment]:
    """The comments part, found through the document's relationships as Word does."""
    name = "word/comments.xml"
    rels = parts.get("word/_rels/document.xml.rels")
    if rels is not None:
        try:
            root = etree.fromstring(rels, parser=_PARSER)
        except etree.XMLSyntaxError as exc:
            raise ReviewError(
                f"word/_rels/document.xml.rels is not well-formed XML: {exc}", path
            ) from None
        for rel in root.iter(f"{_REL_NS}Relationship"):
            if (rel.get("Type") or "").endswith(_COMMENTS_TYPE):
                target = rel.get("Target") or ""
                name = posixpath.normpath(posixpath.join("word", target)).lstrip("/")
                break
    if name not in parts:
        return {}
    root = _xml(parts, name, path)
    found: dict[str, Comment] = {}
    for el in root.iter(f"{_W}comment"):
        paragraphs = ["".join(t.text or "" for t in p.iter(f"{_W}t")) for p in el.iter(f"{_W}p")]
        ident = el.get(f"{_W}id") or ""
        found[ident] = Comment(
            ident,
            el.get(f"{_W}author") or "",
            el.get(f"{_W}date") or "",
            "\n".join(paragraphs).strip(),
        )
    return found


@dataclass
class _Paragraph:
    """What one paragraph holds, settled when it ends."""

    anchors: dict[str, None]
    """The source anchors it belongs to, in order (a dict: a crafted file may open
    thousands in one paragraph)."""
    old: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    mark: str | None = None
    """The paragraph's own mark: ``inserted`` or ``deleted`` by the reviewer."""


class _Walker:
    """One pass over the body in document order, keeping the open source anchors.

    An anchor holds whole paragraphs: plandocs writes each around one paragraph's
    text, and a word processor may move a bookmark's ends within the paragraph
    (LibreOffice moves the start into a deleted run, and the end back by one
    character per comment), so every paragraph an anchor starts, spans or ends in
    counts in full.
    """

    def __init__(self, comments: dict[str, Comment]) -> None:
        self.comments = comments
        self.open: dict[str, str] = {}
        """Bookmark id → name, for the open source anchors."""
        self.closing: list[str] = []
        self.texts: dict[str, AnchorText] = {}
        self.revisions: list[Revision] = []
        self.last: str | None = None
        self.inserted = 0
        self.deleted = 0
        self.current: Revision | None = None
        self.quoting: dict[str, list[str]] = {}
        self.paragraphs: list[_Paragraph] = []
        self.size = 0
        """Characters handed to anchors so far."""
        self.field_result = 0
        """Inside what a field shows (between ``separate`` and ``end``)."""
        self.placed: set[str] = set()
        """Comments already placed (at their range's start, else at their mark)."""

    def text(self, value: str) -> None:
        if self.paragraphs:
            paragraph = self.paragraphs[-1]
            if not self.inserted:
                paragraph.old.append(value)
            if not self.deleted:
                paragraph.new.append(value)
        if self.current is not None:
            self.current.text += value
        if not self.deleted:
            for quote in self.quoting.values():
                quote.append(value)

    def walk(self, root: Any) -> None:
        body = root.find(f"{_W}body")
        if body is None:
            return
        for event, el in etree.iterwalk(body, events=("start", "end")):
            tag = el.tag
            if not isinstance(tag, str):
                continue
            if event == "start":
                self.start(el, tag)
            else:
                self.end(el, tag)

    def start(self, el: Any, tag: str) -> None:
        if tag == f"{_W}p":
            self.paragraphs.append(_Paragraph(dict.fromkeys(self.open.values())))
        elif tag == f"{_W}bookmarkStart":
            name = el.get(f"{_W}name") or ""
            if name.startswith(PREFIX):
                self.open[el.get(f"{_W}id") or ""] = name
                self.texts.setdefault(name, AnchorText())
                if self.paragraphs:
                    self.paragraphs[-1].anchors[name] = None
                self.last = name
        elif tag == f"{_W}bookmarkEnd":
            ident = el.get(f"{_W}id") or ""
            if ident in self.open:
                self.closing.append(ident)
                if not self.paragraphs:
                    self.close()
        elif tag in _INSERTED or tag in _DELETED:
            inserted = tag in _INSERTED
            parent = el.getparent()
            if parent is not None and parent.tag == f"{_W}rPr":
                # The mark of a paragraph (under w:pPr/w:rPr) or of a table row.
                if parent.getparent().tag == f"{_W}pPr" and self.paragraphs:
                    self.paragraphs[-1].mark = "inserted" if inserted else "deleted"
                return
            if inserted:
                self.inserted += 1
            else:
                self.deleted += 1
            self.current = self.revision(el, inserted)
        elif tag == f"{_W}fldChar":
            kind = el.get(f"{_W}fldCharType")
            if kind == "separate":
                self.field_result += 1
            elif kind == "end" and self.field_result:
                self.field_result -= 1
        elif tag == f"{_W}t" or tag == f"{_W}delText":
            if not self.field_result:
                self.text(el.text or "")
            elif self.current is not None:
                # What a field shows is computed again by the word processor: no
                # anchor's text, but a tracked change there is still the reviewer's.
                self.current.text += el.text or ""
        elif tag == f"{_W}tab" and el.getparent().tag == f"{_W}r":
            self.text("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            self.text("\n")
        elif tag == f"{_W}commentRangeStart":
            ident = el.get(f"{_W}id") or ""
            self.quoting[ident] = []
            self.place(ident)
        elif tag == f"{_W}commentRangeEnd":
            ident = el.get(f"{_W}id") or ""
            quote = self.quoting.pop(ident, None)
            if quote is not None and ident in self.comments:
                self.comments[ident].quoted = "".join(quote).strip()
        elif tag == f"{_W}commentReference":
            self.place(el.get(f"{_W}id") or "")

    def end(self, el: Any, tag: str) -> None:
        if tag in _INSERTED or tag in _DELETED:
            parent = el.getparent()
            if parent is not None and parent.tag == f"{_W}rPr":
                return
            if tag in _INSERTED:
                self.inserted -= 1
            else:
                self.deleted -= 1
            self.current = None
        elif tag == f"{_W}p" and self.paragraphs:
            self.settle(self.paragraphs.pop())

    def settle(self, paragraph: _Paragraph) -> None:
        """A paragraph ended: its text goes to its anchors, its changes and comments
        belong to its (last) anchor, or come after the last anchor seen."""
        closing = {self.open[i] for i in self.closing if i in self.open}
        size = sum(map(len, paragraph.old)) + sum(map(len, paragraph.new)) + 2
        self.size += size * len(paragraph.anchors)
        if self.size > MAX_TEXT:
            raise _TooMuch
        for name in paragraph.anchors:
            target = self.texts[name]
            target.old.extend(paragraph.old)
            target.new.extend(paragraph.new)
            if name not in closing:
                # The anchor goes on past this paragraph: the reviewer split it.
                if paragraph.mark != "inserted":
                    target.old.append("\n")
                if paragraph.mark != "deleted":
                    target.new.append("\n")
        anchor = next(reversed(paragraph.anchors)) if paragraph.anchors else None
        items: list[Revision | Comment] = [*paragraph.revisions, *paragraph.comments]
        for item in items:
            if item.anchor is None:
                item.anchor = anchor
                item.after = None if anchor else self.last
        for revision in paragraph.revisions:
            revision.paragraph = paragraph.mark == revision.kind
        self.close()

    def close(self) -> None:
        for ident in self.closing:
            self.open.pop(ident, None)
        self.closing.clear()

    def revision(self, el: Any, inserted: bool) -> Revision:
        found = Revision(
            "inserted" if inserted else "deleted",
            "",
            el.get(f"{_W}author") or "",
            el.get(f"{_W}date") or "",
            None,
            None,
        )
        self.revisions.append(found)
        if self.paragraphs:
            self.paragraphs[-1].revisions.append(found)
        return found

    def place(self, ident: str) -> None:
        comment = self.comments.get(ident)
        if comment is None or ident in self.placed:
            return
        if self.paragraphs:
            self.placed.add(ident)
            self.paragraphs[-1].comments.append(comment)
