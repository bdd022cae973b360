"""The units' PDFs assembled into one document with pikepdf.

The units' pages in order; one structure tree (the units' elements under one
``Document`` element, the parent tree renumbered); the named destinations the links
point to, across units (a link marked :data:`~plandocs.writers.pdf.units.FOREIGN` made
a link again); the outline; the page labels; the metadata of the first unit; the page
numbers drawn over every page as an artifact; and one font per face
(:mod:`plandocs.writers.pdf.fonts`). Saved with a deterministic id: the same inputs
give the same bytes.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from plandocs.errors import WriterError
from plandocs.writers.pdf.finish import finish
from plandocs.writers.pdf.fonts import merge_fonts
from plandocs.writers.pdf.labels import LabelRanges
from plandocs.writers.pdf.units import FOREIGN


def assemble(
    units: Sequence[bytes],
    stamp: bytes,
    ranges: LabelRanges,
    path: Path,
    links: dict[str, str] | None = None,
) -> None:
    """One PDF of the ``units``' pages, numbered from ``stamp``, at ``path`` (``links``:
    each link target's text, for the links' descriptions)."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    out = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(data)) for data in units]
    try:
        first = sources[0]
        version = max(src.pdf_version for src in sources)
        tagged = all("/StructTreeRoot" in src.Root for src in sources)
        offsets: list[int] = []
        dests: dict[str, Any] = {}
        outline_items: list[Any] = []
        document = None
        root = None
        nums: list[Any] = []
        next_key = 0
        if tagged:
            root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot))
            document = out.make_indirect(
                Dictionary(Type=Name.StructElem, S=Name.Document, P=root, K=Array())
            )
            root.K = Array([document])
        for src in sources:
            offset = len(out.pages)
            offsets.append(offset)
            index = {page.obj.objgen: n for n, page in enumerate(src.pages)}
            key_offset = next_key
            if tagged:
                next_key = _renumber_tags(src, key_offset)
            _foreign_links(src)
            with warnings.catch_warnings():
                # Named destinations are carried over below, for the whole document.
                warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                out.pages.extend(src.pages)

            def target(dest: Any, offset: int = offset, index: dict[Any, int] = index) -> Any:
                if not isinstance(dest, pikepdf.Array) or len(dest) < 1:
                    return None
                number = index.get(dest[0].objgen)
                if number is None:
                    return None
                return Array([out.pages[offset + number].obj, *list(dest)[1:]])

            if "/Names" in src.Root and "/Dests" in src.Root.Names:
                for name, dest in pikepdf.NameTree(src.Root.Names.Dests).items():
                    new = target(dest)
                    if new is not None:
                        dests.setdefault(name, new)
            with src.open_outline() as outline:
                outline_items.extend(_copy_outline(item, target) for item in outline.root)
            if tagged and document is not None:
                _merge_tags(out, src, document, nums, key_offset)
        if tagged and root is not None:
            root.ParentTree = out.make_indirect(Dictionary(Nums=Array(nums)))
            root.ParentTreeNextKey = next_key
            role_map = Dictionary()
            for src in sources:
                for name, value in dict(src.Root.StructTreeRoot.get("/RoleMap", {})).items():
                    role_map[name] = _copy(out, value)
            if len(role_map):
                root.RoleMap = role_map
            out.Root.StructTreeRoot = root
        for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata"):
            if key in first.Root:
                out.Root[key] = _copy(out, first.Root[key])
        if "/Info" in first.trailer:
            out.trailer.Info = _copy(out, first.trailer.Info)
        if dests:
            tree = pikepdf.NameTree.new(out)
            for name in sorted(dests):
                tree[name] = dests[name]
            out.Root.Names = Dictionary(Dests=tree.obj)
        if outline_items:
            with out.open_outline() as outline:
                outline.root.extend(outline_items)
        _page_labels(out, ranges)
        _overlay(out, stamp)
        finish(out, links or {}, archive=False)
        merge_fonts(out)
        out.save(
            path,
            deterministic_id=True,
            min_version=version,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
    finally:
        for src in sources:
            src.close()


def _foreign_links(src: Any) -> None:
    """Links to another unit's anchor (written as ``plandocs-anchor:`` URIs) made
    links to the named destination, as WeasyPrint writes those within a unit."""
    import pikepdf

    for page in src.pages:
        for annot in page.obj.get("/Annots", []):
            action = annot.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if uri.startswith(FOREIGN):
                name = uri[len(FOREIGN) :]
                del annot.A
                annot.Dest = pikepdf.String(name)
                if "/Contents" in annot:
                    annot.Contents = pikepdf.String(name)


def _copy_outline(item: Any, target: Callable[[Any], Any]) -> Any:
    import pikepdf

    copy = pikepdf.OutlineItem(item.title, destination=target(item.destination))
    copy.is_closed = item.is_closed
    copy.children.extend(_copy_outline(child, target) for child in item.children)
    return copy


def _renumber_tags(src: Any, offset: int) -> int:
    """Move the unit's parent-tree keys (in its pages and annotations) up by
    ``offset``; the next free key."""
    top = offset
    for page in src.pages:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
            top = max(top, int(page.obj.StructParents) + 1)
        for annot in page.obj.get("/Annots", []):
            if "/StructParent" in annot:
                annot.StructParent = int(annot.StructParent) + offset
                top = max(top, int(annot.StructParent) + 1)
    for key, _value in _number_tree(src.Root.StructTreeRoot.get("/ParentTree")):
        top = max(top, key + offset + 1)
    return top


def _number_tree(node: Any) -> list[tuple[int, Any]]:
    """The (key, value) pairs of a PDF number tree."""
    if node is None:
        return []
    found: list[tuple[int, Any]] = []
    nums = node.get("/Nums")
    if nums is not None:
        items = list(nums)
        found += [(int(items[i]), items[i + 1]) for i in range(0, len(items) - 1, 2)]
    for kid in node.get("/Kids", []):
        found += _number_tree(kid)
    return found


def _merge_tags(out: Any, src: Any, document: Any, nums: list[Any], offset: int) -> None:
    """The unit's structure elements under ``document``; its parent tree's entries,
    renumbered, into ``nums``."""
    import pikepdf

    tree = src.Root.StructTreeRoot
    tops = tree.K if isinstance(tree.K, pikepdf.Array) else [tree.K]
    own_documents = {top.objgen for top in tops if top.get("/S") == "/Document"}
    kids: list[Any] = []
    for top in tops:
        if top.objgen in own_documents:
            inner = top.get("/K", pikepdf.Array())
            kids += list(inner) if isinstance(inner, pikepdf.Array) else [inner]
        else:
            kids.append(top)
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/P" in kid:
            del kid.P  # set to the one document below (not a copy of the unit's)
    copied = [_copy(out, kid) for kid in kids]
    for kid in copied:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type", pikepdf.Name.StructElem) in (
            pikepdf.Name.StructElem,
        ):
            kid.P = document
        document.K.append(kid)
    for key, value in _number_tree(tree.get("/ParentTree")):
        value = _copy(out, value)
        if isinstance(value, pikepdf.Array):
            for n, element in enumerate(list(value)):
                if isinstance(element, pikepdf.Dictionary) and element.get("/S") == "/Document":
                    value[n] = document
        elif isinstance(value, pikepdf.Dictionary) and value.get("/S") == "/Document":
            value = document
        nums.extend([key + offset, value])


def _copy(out: Any, value: Any) -> Any:
    """``value`` from a unit into ``out`` (an indirect object is copied once per unit,
    a direct one is rebuilt around its copied parts)."""
    import pikepdf

    if not isinstance(value, pikepdf.Object):
        return value
    if value.is_indirect:
        return out.copy_foreign(value)
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([_copy(out, item) for item in value])
    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copy(out, item) for key, item in value.items()})
    return value


def _page_labels(out: Any, ranges: LabelRanges) -> None:
    """The ``/PageLabels`` of the assembled document (WeasyPrint writes them for a
    document laid out in one pass; a unit knows only its own pages)."""
    import pikepdf

    if len(ranges) < 2 and not any(d for _, d in ranges):
        return
    nums = pikepdf.Array()
    for start, spec in ranges:
        label = pikepdf.Dictionary()
        if "S" in spec:
            label.S = pikepdf.Name(spec["S"])
            label.St = spec["St"]
        if "P" in spec:
            label.P = pikepdf.String(spec["P"])
        nums.append(start)
        nums.append(label)
    out.Root.PageLabels = pikepdf.Dictionary(Nums=nums)


def _overlay(out: Any, stamp: bytes) -> None:
    """Draw each page of ``stamp`` over the page of the same number, as an artifact."""
    import pikepdf

    with pikepdf.open(io.BytesIO(stamp)) as numbers:
        if len(numbers.pages) != len(out.pages):
            raise WriterError(
                f"the page numbers took {len(numbers.pages)} pages for "
                f"{len(out.pages)}; please report this"
            )
        for number, (page, source) in enumerate(zip(out.pages, numbers.pages, strict=True)):
            form = out.copy_foreign(source.as_form_xobject())
            # Pages of a unit may share their resources: a name of its own for each.
            name = page.add_resource(
                form, pikepdf.Name.XObject, name=pikepdf.Name(f"/PdNum{number}")
            )
            page.contents_add(pikepdf.Stream(out, b"q\n"), prepend=True)
            page.contents_add(
                pikepdf.Stream(out, b"Q\n/Artifact BMC q " + bytes(name) + b" Do Q EMC\n")
            )
