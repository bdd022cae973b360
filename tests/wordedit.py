"""Editing a DOCX the way Word records a reviewer's work: tracked insertions and
deletions (``w:ins``, ``w:del`` with ``w:delText``), comments (``word/comments.xml``
with its relationship and content type, ``w:commentRangeStart``/``End`` and a
``w:commentReference`` run), and plain untracked typing.
"""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
COMMENTS_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
DATE = "2024-12-02T09:30:00Z"


class WordEdit:
    """A DOCX opened for editing; :meth:`save` writes it back."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with zipfile.ZipFile(path) as archive:
            self.parts = {name: archive.read(name) for name in archive.namelist()}
        self.doc = etree.fromstring(self.parts["word/document.xml"])
        self.comments: list[Any] = []
        self.next_id = 9000

    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def _run_with(self, text: str, nth: int = 0) -> tuple[Any, int]:
        """The ``nth`` run whose text holds ``text``, and where in it."""
        seen = 0
        for t in self.doc.iter(f"{W}t"):
            at = (t.text or "").find(text)
            if at >= 0:
                if seen == nth:
                    return t.getparent(), at
                seen += 1
        raise AssertionError(f"no run holds {text!r}")

    def _split(self, run: Any, start: int, end: int) -> Any:
        """Split ``run`` so that characters [start, end) are a run of their own."""
        t = run.find(f"{W}t")
        text = t.text or ""
        pieces = [text[:start], text[start:end], text[end:]]
        middle = None
        for index, piece in enumerate(pieces):
            if not piece and index != 1:
                continue
            new = copy.deepcopy(run)
            nt = new.find(f"{W}t")
            nt.text = piece
            nt.set(XML_SPACE, "preserve")
            run.addprevious(new)
            if index == 1:
                middle = new
        run.getparent().remove(run)
        return middle

    def _revision(self, tag: str, author: str) -> Any:
        el = etree.Element(f"{W}{tag}")
        el.set(f"{W}id", self._id())
        el.set(f"{W}author", author)
        el.set(f"{W}date", DATE)
        return el

    def insert(self, after: str, text: str, author: str = "Budi Santoso", nth: int = 0) -> None:
        """Type ``text`` right after ``after``, with track changes on."""
        run, at = self._run_with(after, nth)
        middle = self._split(run, at, at + len(after))
        ins = self._revision("ins", author)
        new = copy.deepcopy(middle)
        new.find(f"{W}t").text = text
        ins.append(new)
        middle.addnext(ins)

    def delete(self, text: str, author: str = "Budi Santoso", nth: int = 0) -> None:
        """Delete ``text`` with track changes on."""
        run, at = self._run_with(text, nth)
        middle = self._split(run, at, at + len(text))
        t = middle.find(f"{W}t")
        t.tag = f"{W}delText"
        wrapper = self._revision("del", author)
        middle.addprevious(wrapper)
        wrapper.append(middle)

    def replace(self, old: str, new: str, author: str = "Budi Santoso", nth: int = 0) -> None:
        """Select ``old`` and type ``new`` over it, tracked: a deletion then an insertion."""
        run, at = self._run_with(old, nth)
        middle = self._split(run, at, at + len(old))
        inserted = copy.deepcopy(middle)
        inserted.find(f"{W}t").text = new
        ins = self._revision("ins", author)
        ins.append(inserted)
        middle.addnext(ins)
        middle.find(f"{W}t").tag = f"{W}delText"
        wrapper = self._revision("del", author)
        middle.addprevious(wrapper)
        wrapper.append(middle)

    def anchor_of(self, fact: str) -> str:
        """The bookmark plandocs put around the cell showing ``fact`` (``IKP 2.1/2027``)."""
        for name, data in self.parts.items():
            if name.startswith("customXml/item") and b"urn:plandocs:anchors" in data:
                for el in etree.fromstring(data):
                    if el.get("fact") == fact:
                        return str(el.get("n"))
        raise AssertionError(f"no anchor for {fact}")

    def replace_value(self, fact: str, new: str, author: str = "Budi Santoso") -> str:
        """Type ``new`` over the value in the cell showing ``fact``, tracked; returns
        the old value."""
        name = self.anchor_of(fact)
        start = next(b for b in self.doc.iter(f"{W}bookmarkStart") if b.get(f"{W}name") == name)
        run = start.getnext()
        while run.tag != f"{W}r":
            run = run.getnext()
        old = run.find(f"{W}t").text
        inserted = copy.deepcopy(run)
        inserted.find(f"{W}t").text = new
        ins = self._revision("ins", author)
        ins.append(inserted)
        run.addnext(ins)
        run.find(f"{W}t").tag = f"{W}delText"
        wrapper = self._revision("del", author)
        run.addprevious(wrapper)
        wrapper.append(run)
        return str(old)

    def untracked(self, old: str, new: str, nth: int = 0) -> None:
        """Type over ``old`` with track changes off."""
        run, at = self._run_with(old, nth)
        t = run.find(f"{W}t")
        t.text = (t.text or "")[:at] + new + (t.text or "")[at + len(old) :]

    def comment(self, on: str, text: str, author: str = "Siti Aminah", nth: int = 0) -> None:
        """Select ``on`` and add a comment to it."""
        run, at = self._run_with(on, nth)
        middle = self._split(run, at, at + len(on))
        ident = str(len(self.comments))
        start = etree.Element(f"{W}commentRangeStart")
        start.set(f"{W}id", ident)
        end = etree.Element(f"{W}commentRangeEnd")
        end.set(f"{W}id", ident)
        reference = etree.Element(f"{W}r")
        r_pr = etree.SubElement(reference, f"{W}rPr")
        etree.SubElement(r_pr, f"{W}rStyle").set(f"{W}val", "CommentReference")
        etree.SubElement(reference, f"{W}commentReference").set(f"{W}id", ident)
        middle.addprevious(start)
        middle.addnext(end)
        end.addnext(reference)
        body = etree.Element(f"{W}comment", nsmap={"w": W_NS})
        body.set(f"{W}id", ident)
        body.set(f"{W}author", author)
        body.set(f"{W}date", DATE)
        body.set(f"{W}initials", "".join(part[0] for part in author.split()))
        p = etree.SubElement(body, f"{W}p")
        etree.SubElement(etree.SubElement(p, f"{W}r"), f"{W}t").text = text
        self.comments.append(body)

    def save(self, target: Path | None = None) -> Path:
        target = target or self.path
        parts = dict(self.parts)
        parts["word/document.xml"] = etree.tostring(
            self.doc, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        if self.comments:
            root = etree.Element(f"{W}comments", nsmap={"w": W_NS})
            root.extend(self.comments)
            parts["word/comments.xml"] = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )
            rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
            ns = rels.nsmap[None]
            rel = etree.SubElement(rels, f"{{{ns}}}Relationship")
            rel.set("Id", "rIdPlandocsTestComments")
            rel.set("Type", COMMENTS_RT)
            rel.set("Target", "comments.xml")
            parts["word/_rels/document.xml.rels"] = etree.tostring(
                rels, xml_declaration=True, encoding="UTF-8", standalone=True
            )
            types = etree.fromstring(parts["[Content_Types].xml"])
            ns = types.nsmap[None]
            override = etree.SubElement(types, f"{{{ns}}}Override")
            override.set("PartName", "/word/comments.xml")
            override.set("ContentType", COMMENTS_CT)
            parts["[Content_Types].xml"] = etree.tostring(
                types, xml_declaration=True, encoding="UTF-8", standalone=True
            )
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
        return target


def libreoffice() -> str:
    """The LibreOffice program, or skip the test saying why."""
    import shutil

    import pytest

    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice is not installed (./dev test installs it where it can)")
    return found


def libreoffice_save(path: Path, out_dir: Path, to: str = 'docx:"MS Word 2007 XML"') -> Path:
    """Open ``path`` in LibreOffice (headless) and save it again; the saved file."""
    import subprocess

    program = libreoffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            program,
            "--headless",
            f"-env:UserInstallation=file://{out_dir}/profile",
            "--convert-to",
            to.replace('"', ""),
            "--outdir",
            str(out_dir),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    saved = out_dir / (path.stem + "." + to.split(":")[0])
    assert saved.exists(), result.stderr
    return saved
