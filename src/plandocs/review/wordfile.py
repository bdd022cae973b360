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
"""Largest part read (uncompressed bytes): a real document.xml is far smaller."""

_INSERTED = {f"{_W}ins", f"{_W}moveTo"}
_DELETED = {f"{_W}del", f"{_W}moveFrom"}


class ReviewError(PlandocsError):
    """A reviewer's file that cannot be read."""


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
    walker.walk(document)
    texts = {
        name: ("".join(t.old), "".join(t.new))
        for name, t in walker.texts.items()
        if name in anchor_map.anchors
    }
    return WordFile(path, anchor_map, texts, walker.revisions, list(comments.values()))


def _parts(path: Path) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(path) as archive:
            wanted = [
                info
                for info in archive.infolist()
                if info.filename == "word/document.xml"
                or info.filename.startswith(("customXml/", "word/_rels/", "word/comments"))
            ]
            for info in wanted:
                if info.file_size > MAX_PART:
                    raise ReviewError(f"{info.filename} is too large to be a document", path)
            return {info.filename: archive.read(info) for info in wanted}
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReviewError(f"not a Word (.docx) file: {exc}", path) from None


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
        root = etree.fromstring(rels, parser=_PARSER)
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


class _Walker:
    """One pass over the body in document order, keeping the open source anchors."""

    def __init__(self, comments: dict[str, Comment]) -> None:
        self.comments = comments
        self.open: dict[str, str] = {}
        """Bookmark id → name, for the open source anchors."""
        self.texts: dict[str, AnchorText] = {}
        self.revisions: list[Revision] = []
        self.last: str | None = None
        self.inserted = 0
        self.deleted = 0
        self.current: Revision | None = None
        self.quoting: dict[str, list[str]] = {}
        self.mark: str | None = None
        """How the paragraph being read ends: its mark inserted, deleted, or neither."""

    def anchor(self) -> str | None:
        return next(reversed(self.open.values()), None)

    def text(self, value: str) -> None:
        for name in self.open.values():
            target = self.texts[name]
            if not self.inserted:
                target.old.append(value)
            if not self.deleted:
                target.new.append(value)
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
        if tag == f"{_W}bookmarkStart":
            name = el.get(f"{_W}name") or ""
            if name.startswith(PREFIX):
                self.open[el.get(f"{_W}id") or ""] = name
                self.texts.setdefault(name, AnchorText())
                self.last = name
        elif tag == f"{_W}bookmarkEnd":
            self.open.pop(el.get(f"{_W}id") or "", None)
        elif tag in _INSERTED or tag in _DELETED:
            inserted = tag in _INSERTED
            if el.getparent() is not None and el.getparent().tag == f"{_W}rPr":
                # The mark of a paragraph (under w:pPr/w:rPr) or of a table row.
                if el.getparent().getparent().tag == f"{_W}pPr":
                    self.mark = "inserted" if inserted else "deleted"
                return
            if inserted:
                self.inserted += 1
            else:
                self.deleted += 1
            self.current = self.revision(el, inserted)
        elif tag == f"{_W}p":
            self.mark = None
        elif tag == f"{_W}t" or tag == f"{_W}delText":
            self.text(el.text or "")
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
        elif tag == f"{_W}p" and self.open:
            # A paragraph ends inside an anchor: the reviewer split it in two.
            for name in self.open.values():
                if self.mark != "inserted":
                    self.texts[name].old.append("\n")
                if self.mark != "deleted":
                    self.texts[name].new.append("\n")

    def revision(self, el: Any, inserted: bool) -> Revision:
        anchor = self.anchor()
        kind = "inserted" if inserted else "deleted"
        found = Revision(
            kind,
            "",
            el.get(f"{_W}author") or "",
            el.get(f"{_W}date") or "",
            anchor,
            None if anchor else self.last,
            paragraph=self.mark == kind,
        )
        self.revisions.append(found)
        return found

    def place(self, ident: str) -> None:
        comment = self.comments.get(ident)
        if comment is None or comment.anchor or comment.after:
            return
        comment.anchor = self.anchor()
        comment.after = None if comment.anchor else self.last
