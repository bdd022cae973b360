"""Source anchors: where each paragraph and data cell of a DOCX was written.

The DOCX writer puts a hidden bookmark (``_pd12``) around every paragraph whose HTML
element says where its text came from (``data-src="content/…/3-arah.md:42"``) or which
value it shows (``data-fact="IKP 2.1/2027"``), and stores a map from bookmark names to
those sources, with the text as written, in a custom XML part of the package
(``customXml/itemN.xml``, namespace :data:`NAMESPACE`). ``plandocs review`` reads them
back to put a reviewer's changes and comments at their source.

Why these two: Word keeps bookmarks and custom XML parts through editing and saving,
and LibreOffice 7.4 keeps both when it opens and saves a DOCX (it drops the tags of
content controls and rewrites custom document properties). Names starting with an
underscore are Word's hidden bookmarks (like its own ``_Toc…``): they do not crowd the
Insert › Bookmark list. Names stay within Word's 40 characters.

This module needs only lxml, so reading a reviewer's file does not load python-docx.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lxml import etree

NAMESPACE = "urn:plandocs:anchors:1"
PREFIX = "_pd"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
_A = f"{{{NAMESPACE}}}"
RT_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
RT_CUSTOM_XML_PROPS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
)
CT_CUSTOM_XML_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"


@dataclass(frozen=True)
class Anchor:
    """One anchored paragraph: its bookmark, where it was written, its text then."""

    name: str
    src: str | None
    """``path:line`` of the Markdown it was rendered from."""
    fact: str | None
    """``<code>/<year>`` or ``<code>/baseline``: the plan value a table cell shows."""
    text: str


@dataclass(frozen=True)
class AnchorMap:
    """The map stored in a DOCX: which document and language, and its anchors."""

    source: str
    """The document's main content file, relative to the project (plan.yaml, id.md …)."""
    lang: str
    anchors: dict[str, Anchor]
    part: str | None = None
    """The part of its folder the document is (a region's sheet), if it is one."""


def paragraph_text(p: Any) -> str:
    """A paragraph's text as a reader sees it — text, tabs and line breaks — but what
    fields show (a caption's ``Tabel 4.1``, a page number): a word processor computes
    those again (LibreOffice renumbers captions on saving), and no reviewer types them."""
    parts: list[str] = []
    shown = 0
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}fldChar"):
        if el.tag == f"{_W}fldChar":
            kind = el.get(f"{_W}fldCharType")
            shown = (
                shown + 1 if kind == "separate" else max(0, shown - 1) if kind == "end" else shown
            )
            continue
        if shown:
            continue
        if el.tag == f"{_W}t":
            parts.append(el.text or "")
        elif el.tag == f"{_W}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def wrap(p: Any, name: str, ident: int) -> None:
    """A bookmark around a paragraph's content, written directly (the writer makes
    thousands: python-docx's element helpers would cost a tenth of its time)."""
    start = p.makeelement(f"{_W}bookmarkStart", {f"{_W}id": str(ident), f"{_W}name": name})
    if len(p) and p[0].tag == f"{_W}pPr":
        p[0].addnext(start)
    else:
        p.insert(0, start)
    p.append(p.makeelement(f"{_W}bookmarkEnd", {f"{_W}id": str(ident)}))


def map_xml(source: str, lang: str, anchors: Iterable[Anchor], part: str | None = None) -> bytes:
    """The custom XML part holding the map."""
    root = etree.Element(f"{_A}anchors", nsmap={None: NAMESPACE})
    root.set("source", source)
    root.set("lang", lang)
    if part is not None:
        root.set("part", part)
    for anchor in anchors:
        el = etree.SubElement(root, f"{_A}a", n=anchor.name)
        if anchor.src:
            el.set("src", anchor.src)
        if anchor.fact:
            el.set("fact", anchor.fact)
        el.text = anchor.text
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def props_xml(source: str) -> bytes:
    """The part's properties: an id (stable for a document) and the map's namespace."""
    item_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"plandocs:{source}")).upper() + "}"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        '<ds:datastoreItem xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'customXml" ds:itemID="{item_id}"><ds:schemaRefs><ds:schemaRef ds:uri="{NAMESPACE}"/>'
        "</ds:schemaRefs></ds:datastoreItem>"
    ).encode()


def add_part(
    document: Any, source: str, lang: str, anchors: list[Anchor], part: str | None = None
) -> None:
    """Store the map in a python-docx ``document`` as a custom XML part."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = document.part.package
    item_uri = package.next_partname("/customXml/item%d.xml")
    number = item_uri.idx
    item = Part(item_uri, "application/xml", map_xml(source, lang, anchors, part), package)
    props_uri = PackURI(f"/customXml/itemProps{number}.xml")
    props = Part(props_uri, CT_CUSTOM_XML_PROPS, props_xml(source), package)
    item.relate_to(props, RT_CUSTOM_XML_PROPS)
    document.part.relate_to(item, RT_CUSTOM_XML)


def read_map(parts: dict[str, bytes]) -> AnchorMap | None:
    """The map among a package's parts (name → bytes), or None if it has none."""
    for name, data in sorted(parts.items()):
        if not (name.startswith("customXml/") and name.endswith(".xml")):
            continue
        if NAMESPACE.encode() not in data:
            continue
        try:
            root = etree.fromstring(data, parser=_SAFE)
        except etree.XMLSyntaxError:
            continue
        if root.tag != f"{_A}anchors":
            continue
        anchors = {}
        for el in root.iter(f"{_A}a"):
            name_ = el.get("n") or ""
            anchors[name_] = Anchor(name_, el.get("src"), el.get("fact"), el.text or "")
        return AnchorMap(
            root.get("source") or "", root.get("lang") or "", anchors, root.get("part")
        )
    return None


_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
"""Reviewers' files are untrusted: no entities, no network."""
