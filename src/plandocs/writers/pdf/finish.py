"""What a tagged PDF needs for screen readers (PDF/UA-1) and an archived one for PDF/A-3b,
done on the written file with pikepdf, the same for a one-pass and an assembled PDF.

* **Artifacts.** What every page repeats is no content: the running header and the
  draft line (WeasyPrint lays margin boxes out with tags no element of the structure
  tree holds) and the draft watermark (a fixed element, which :func:`install` keeps out
  of the tree the same way) are marked ``/Artifact`` (pagination), and the marked
  content left is numbered again from 0 on each page.
* **Table headers.** Every ``TH`` gets a ``/Scope`` (``Column`` in a header row, ``Row``
  at the start of a body row) and every ``TD`` the ``/Headers`` of all the header cells
  above it and at the start of its row — a header spanning columns (``Target``,
  ``Alokasi (Rp juta)``) included, which WeasyPrint gives its first column only.
* **Links.** A link's description (``/Contents``) is the link's text, not its anchor
  (``tabel_4_3``); a link annotation WeasyPrint files under a ``Span`` inside the link
  is filed under the ``Link``.
* **PDF/A.** No image asks to be interpolated (``/Interpolate`` is forbidden), the XMP
  metadata is not compressed, and it declares PDF/UA-1 as well, with the extension
  schema PDF/A asks for a property outside its own schemas.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_SPACE = re.compile(r"\s+")
ARTIFACT_CLASSES = ("draft-mark",)
"""Elements in the flow of a page that are artifacts (the watermark): kept out of the
structure tree like WeasyPrint's margin boxes (the running header, the draft line)."""


def install() -> None:
    """Make WeasyPrint lay the elements of :data:`ARTIFACT_CLASSES` out with tags that
    no element of the structure tree holds, as it does for margin boxes; :func:`finish`
    then marks them as artifacts."""
    from weasyprint.pdf import tags

    if getattr(tags._build_box_tree, "plandocs", False):
        return
    original = tags._build_box_tree

    def build(box: Any, parent: Any, *args: Any) -> Iterator[Any]:
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        generated = original(box, parent, *args)
        if any(name in classes for name in ARTIFACT_CLASSES):
            for _ in generated:  # its content is mapped, to elements left out of the tree
                pass
            return
        yield from generated

    build.plandocs = True  # type: ignore[attr-defined]
    tags._build_box_tree = build


def link_texts(html: str) -> dict[str, str]:
    """Each link target of ``html`` (an anchor without ``#``, or a URL) and the text of
    its first link: the description a screen reader gives."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.document_fromstring(html)
    except Exception:  # an empty document has no links
        return {}
    found: dict[str, str] = {}
    for link in tree.iter("a"):
        href = (link.get("href") or "").strip()
        text = _SPACE.sub(" ", link.text_content()).strip()
        if href and text:
            found.setdefault(href[1:] if href.startswith("#") else href, text)
    return found


def finish(pdf: Any, links: dict[str, str], archive: bool) -> None:
    """Everything in the module's docstring, on an open pikepdf ``pdf``."""
    if "/StructTreeRoot" in pdf.Root:
        _artifacts(pdf)
        _table_headers(pdf)
        _link_parents(pdf)
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") == "/Link" and "/Contents" in annot:
                text = links.get(str(annot.Contents))
                if text:
                    annot.Contents = _string(text)
    if archive:
        _no_interpolation(pdf)
        _archive_metadata(pdf)


def _string(text: str) -> Any:
    import pikepdf

    return pikepdf.String(text)


# -- structure tree helpers ----------------------------------------------------------
def _kids(element: Any) -> list[Any]:
    """The structure elements among an element's kids."""
    import pikepdf

    kids = element.get("/K")
    if kids is None:
        return []
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [k for k in items if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _reachable(pdf: Any) -> set[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    stack = list(_kids(pdf.Root.StructTreeRoot))
    while stack:
        element = stack.pop()
        if element.objgen in found:
            continue
        found.add(element.objgen)
        stack.extend(_kids(element))
    return found


def _parent_tree(pdf: Any) -> Any:
    import pikepdf

    return pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)


# -- artifacts -------------------------------------------------------------------------
def _artifacts(pdf: Any) -> None:
    """Marked content no element of the tree holds becomes an artifact; the rest is
    numbered 0, 1 … again on each page, its elements and the parent tree with it."""
    import pikepdf

    reachable = _reachable(pdf)
    tree = _parent_tree(pdf)
    for page in pdf.pages:
        key = page.obj.get("/StructParents")
        if key is None or int(key) not in tree:
            continue
        holders = list(tree[int(key)])
        operations = pikepdf.parse_content_stream(page)
        renumber: dict[int, int] = {}
        kept: list[Any] = []
        changed = False
        out: list[Any] = []
        for instruction in operations:
            operands, operator = instruction.operands, instruction.operator
            if str(operator) == "BDC" and len(operands) == 2:
                properties = operands[1]
                mcid = (
                    properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
                )
                if mcid is not None:
                    old = int(mcid)
                    holder = holders[old] if 0 <= old < len(holders) else None
                    if not isinstance(holder, pikepdf.Dictionary) or holder.objgen not in reachable:
                        out.append(
                            pikepdf.ContentStreamInstruction(
                                [
                                    pikepdf.Name.Artifact,
                                    pikepdf.Dictionary(Type=pikepdf.Name.Pagination),
                                ],
                                pikepdf.Operator("BDC"),
                            )
                        )
                        changed = True
                        continue
                    new = renumber.setdefault(old, len(kept))
                    if new == len(kept):
                        kept.append(holder)
                    if new != old:
                        properties = pikepdf.Dictionary(dict(properties.items()))
                        properties.MCID = new
                        out.append(
                            pikepdf.ContentStreamInstruction(
                                [operands[0], properties], pikepdf.Operator("BDC")
                            )
                        )
                        changed = True
                        continue
            out.append(instruction)
        if not changed:
            continue
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))
        for old, new in renumber.items():
            if old != new:
                _renumber_kid(holders[old], page.obj, old, new)
        tree[int(key)] = pikepdf.Array(kept)


def _renumber_kid(element: Any, page: Any, old: int, new: int) -> None:
    """In ``element``'s kids, marked content ``old`` of ``page`` is now ``new``."""
    import pikepdf

    on_page = "/Pg" in element and element.Pg.objgen == page.objgen
    kids = element.get("/K")
    if isinstance(kids, int):
        if on_page and kids == old:
            element.K = new
        return
    items = kids if isinstance(kids, pikepdf.Array) else [kids]
    for index, kid in enumerate(items):
        if isinstance(kid, pikepdf.Dictionary):
            if kid.get("/Type") == "/MCR" and int(kid.get("/MCID", -1)) == old:
                kid_page = kid.get("/Pg")
                if (kid_page is not None and kid_page.objgen == page.objgen) or (
                    kid_page is None and on_page
                ):
                    kid.MCID = new
        elif on_page and isinstance(kid, int) and kid == old and isinstance(items, pikepdf.Array):
            items[index] = new


# -- tables ------------------------------------------------------------------------------
def _table_headers(pdf: Any) -> None:
    import pikepdf

    stack = list(_kids(pdf.Root.StructTreeRoot))
    while stack:
        element = stack.pop()
        if element.S == "/Table":
            _one_table(element)
        stack.extend(_kids(element))
    del pikepdf


def _cell_attributes(cell: Any) -> Any:
    import pikepdf

    attributes = cell.get("/A")
    if not isinstance(attributes, pikepdf.Dictionary):
        attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
        cell.A = attributes
    return attributes


def _one_table(table: Any) -> None:
    """Scopes and headers from the table's grid (row and column spans followed)."""
    import pikepdf

    rows: list[tuple[bool, Any]] = []
    for part in _kids(table):
        if part.S == "/TR":
            rows.append((False, part))
        elif part.S in ("/THead", "/TBody", "/TFoot"):
            rows.extend((part.S == "/THead", row) for row in _kids(part) if row.S == "/TR")
    taken: dict[tuple[int, int], Any] = {}
    placed: list[tuple[Any, int, int, int, int, bool]] = []
    for r, (in_head, row) in enumerate(rows):
        c = 0
        for cell in _kids(row):
            if cell.S not in ("/TH", "/TD"):
                continue
            while (r, c) in taken:
                c += 1
            attributes = _cell_attributes(cell)
            colspan = max(1, int(attributes.get("/ColSpan", 1)))
            rowspan = max(1, int(attributes.get("/RowSpan", 1)))
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken[(r + dr, c + dc)] = cell
            placed.append((cell, r, c, rowspan, colspan, in_head))
            c += colspan
    column_headers: dict[int, list[Any]] = {}
    row_headers: dict[int, list[Any]] = {}
    for number, (cell, r, c, rowspan, colspan, in_head) in enumerate(placed):
        if cell.S != "/TH":
            continue
        attributes = _cell_attributes(cell)
        if "/ID" not in cell:
            cell.ID = pikepdf.String(f"th-{table.objgen[0]}-{number}")
        head_of_column = in_head or all(other.S == "/TH" for other, rr, *_ in placed if rr == r)
        attributes.Scope = pikepdf.Name.Column if head_of_column else pikepdf.Name.Row
        if head_of_column:
            for dc in range(colspan):
                column_headers.setdefault(c + dc, []).append(cell.ID)
        else:
            for dr in range(rowspan):
                row_headers.setdefault(r + dr, []).append(cell.ID)
    for cell, r, c, rowspan, colspan, _ in placed:
        if cell.S != "/TD":
            continue
        ids: list[Any] = []
        for dr in range(rowspan):
            ids.extend(row_headers.get(r + dr, []))
        for dc in range(colspan):
            ids.extend(column_headers.get(c + dc, []))
        unique = list({bytes(i): i for i in ids}.values())
        _cell_attributes(cell).Headers = pikepdf.Array(unique)


# -- links -------------------------------------------------------------------------------
def _link_parents(pdf: Any) -> None:
    """A link annotation held by an element that is not a ``Link`` is moved to the
    nearest ``Link`` above it (or its holder becomes one)."""
    import pikepdf

    tree = _parent_tree(pdf)
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            key = annot.get("/StructParent")
            if annot.get("/Subtype") != "/Link" or key is None or int(key) not in tree:
                continue
            holder = tree[int(key)]
            if not isinstance(holder, pikepdf.Dictionary) or holder.get("/S") == "/Link":
                continue
            link = holder.get("/P")
            while isinstance(link, pikepdf.Dictionary) and link.get("/S") not in ("/Link", None):
                link = link.get("/P")
            if not isinstance(link, pikepdf.Dictionary) or link.get("/S") != "/Link":
                holder.S = pikepdf.Name.Link
                continue
            kids = holder.K if isinstance(holder.K, pikepdf.Array) else pikepdf.Array([holder.K])
            moved = [
                k
                for k in kids
                if isinstance(k, pikepdf.Dictionary)
                and k.get("/Type") == "/OBJR"
                and k.Obj.objgen == annot.objgen
            ]
            holder.K = pikepdf.Array([k for k in kids if k not in moved])
            link_kids = link.K if isinstance(link.K, pikepdf.Array) else pikepdf.Array([link.K])
            link_kids.extend(moved)
            link.K = link_kids
            tree[int(key)] = link


# -- PDF/A -------------------------------------------------------------------------------
def _no_interpolation(pdf: Any) -> None:
    import pikepdf

    for item in pdf.objects:
        image = isinstance(item, pikepdf.Stream) and item.get("/Subtype") == "/Image"
        if image and "/Interpolate" in item:
            del item.Interpolate


_XMP_EXTENSION = """<rdf:Description rdf:about=""
  xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
  xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
  xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
 <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
  <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
  <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
  <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
  <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
   <pdfaProperty:name>part</pdfaProperty:name>
   <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
   <pdfaProperty:category>internal</pdfaProperty:category>
   <pdfaProperty:description>The part of ISO 14289 followed</pdfaProperty:description>
  </rdf:li></rdf:Seq></pdfaSchema:property>
 </rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"/>
"""


def _archive_metadata(pdf: Any) -> None:
    """The XMP packet uncompressed, declaring PDF/UA-1 besides PDF/A (a tagged archive
    is still for screen readers)."""
    import pikepdf

    if "/Metadata" not in pdf.Root:
        return
    data = pdf.Root.Metadata.read_bytes()
    tagged = "/StructTreeRoot" in pdf.Root
    if tagged and b"http://www.aiim.org/pdfua/ns/id/" not in data and b"</rdf:RDF>" in data:
        data = data.replace(b"</rdf:RDF>", _XMP_EXTENSION.encode() + b"</rdf:RDF>", 1)
    stream = pikepdf.Stream(pdf, data)
    stream.Type = pikepdf.Name.Metadata
    stream.Subtype = pikepdf.Name.XML
    pdf.Root.Metadata = pdf.make_indirect(stream)
