"""One font per face in an assembled PDF: the units' subsets of a font merged glyph by glyph.

Each unit (and the page-number stamp) embeds its own subset of every font it uses.
WeasyPrint's subsets keep the font's glyph ids, so the subsets of one font file can be
merged into one: the glyphs, their widths and their text mappings. The document then
carries each face once, as a document laid out in one pass would.
"""

from __future__ import annotations

import re
from typing import Any


def merge_fonts(out: Any) -> int:
    """One font where the units (and the page numbers) each embedded a subset of the
    same font file: WeasyPrint subsets keep the font's glyph ids, so the subsets are
    merged glyph by glyph, with their widths and their text mappings. Returns how many
    font objects were dropped."""
    import pikepdf

    groups: dict[str, list[Any]] = {}
    holders: list[Any] = []  # every /Font resource dictionary
    seen: set[Any] = set()
    for page in out.pages:
        _font_holders(page.obj.get("/Resources"), holders, seen)
    for holder in holders:
        for font in holder.values():
            if font.get("/Subtype") != "/Type0" or "/DescendantFonts" not in font:
                continue
            group = groups.setdefault(str(font.BaseFont), [])
            if all(font.objgen != other.objgen for other in group):
                group.append(font)
    merged: dict[Any, Any] = {}
    for fonts in groups.values():
        if len(fonts) > 1 and _merge_group(out, fonts):
            for font in fonts[1:]:
                merged[font.objgen] = fonts[0]
    for holder in holders:
        for name, font in list(holder.items()):
            if isinstance(font, pikepdf.Dictionary) and font.objgen in merged:
                holder[name] = merged[font.objgen]
    return len(merged)


def _font_holders(resources: Any, holders: list[Any], seen: set[Any]) -> None:
    """The /Font dictionaries of ``resources`` and of the forms it draws."""
    if resources is None:
        return
    fonts = resources.get("/Font")
    if fonts is not None and (fonts.objgen == (0, 0) or fonts.objgen not in seen):
        if fonts.objgen != (0, 0):
            seen.add(fonts.objgen)
        holders.append(fonts)
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            _font_holders(xobject.get("/Resources"), holders, seen)


def _merge_group(out: Any, fonts: list[Any]) -> bool:
    """Merge ``fonts`` (subsets of one TrueType font, glyph ids kept) into the first."""
    import io

    import pikepdf
    from fontTools.ttLib import TTFont

    faces = []
    for font in fonts:
        descendant = font.DescendantFonts[0]
        descriptor = descendant.get("/FontDescriptor")
        if descriptor is None or "/FontFile2" not in descriptor:
            return False
        if str(descendant.get("/CIDToGIDMap", "/Identity")) != "/Identity":
            return False
        try:
            face = TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()), recalcTimestamp=False)
        except Exception:
            return False
        if "glyf" not in face or "hmtx" not in face:
            return False
        faces.append(face)
    order = max(range(len(faces)), key=lambda n: len(faces[n].getGlyphOrder()))
    base = faces[order]
    names = base.getGlyphOrder()
    glyphs = base["glyf"].glyphs  # raw glyphs: a composite names its parts by glyph id
    metrics = base["hmtx"].metrics
    for face in faces:
        if face is base:
            continue
        theirs = face.getGlyphOrder()
        if len(theirs) > len(names):
            return False
        their_glyphs = face["glyf"].glyphs
        for gid, name in enumerate(theirs):
            glyph = their_glyphs[name]
            if _empty(glyph) or not _empty(glyphs[names[gid]]):
                continue
            glyphs[names[gid]] = glyph
            metrics[names[gid]] = face["hmtx"].metrics[name]
    data = io.BytesIO()
    base.save(data)
    first = fonts[0]
    descriptor = first.DescendantFonts[0].FontDescriptor
    stream = pikepdf.Stream(out, data.getvalue())
    stream.Length1 = len(data.getvalue())
    descriptor.FontFile2 = stream
    widths: dict[int, Any] = {}
    mapping: dict[str, str] = {}
    for font in fonts:
        widths.update(_widths(font.DescendantFonts[0].get("/W")))
        if "/ToUnicode" in font:
            mapping.update(_bfchars(font.ToUnicode.read_bytes()))
    run: list[Any] = []
    array = pikepdf.Array()
    for cid in sorted(widths):
        if run and cid == run[0] + len(run[1]):
            run[1].append(widths[cid])
            continue
        if run:
            array.append(run[0])
            array.append(pikepdf.Array(run[1]))
        run = [cid, [widths[cid]]]
    if run:
        array.append(run[0])
        array.append(pikepdf.Array(run[1]))
    first.DescendantFonts[0].W = array
    if mapping:
        first.ToUnicode = pikepdf.Stream(out, _cmap(mapping))
    return True


def _empty(glyph: Any) -> bool:
    data = getattr(glyph, "data", None)
    if data is not None:
        return not data
    return bool(glyph.numberOfContours == 0)


def _widths(array: Any) -> dict[int, Any]:
    """A CID font's /W array as CID → width."""
    import pikepdf

    found: dict[int, Any] = {}
    if array is None:
        return found
    items = list(array)
    i = 0
    while i < len(items):
        first = int(items[i])
        if i + 1 < len(items) and isinstance(items[i + 1], pikepdf.Array):
            for n, width in enumerate(items[i + 1]):
                found[first + n] = width
            i += 2
        elif i + 2 < len(items):
            for cid in range(first, int(items[i + 1]) + 1):
                found[cid] = items[i + 2]
            i += 3
        else:
            break
    return found


_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9a-fA-F]+)>")


def _bfchars(data: bytes) -> dict[str, str]:
    """A ToUnicode CMap's code → text (hex) pairs."""
    found: dict[str, str] = {}
    for block in _BFCHAR.findall(data):
        codes = _HEX.findall(block)
        for code, text in zip(codes[::2], codes[1::2], strict=False):
            found[code.decode().lower().zfill(4)] = text.decode().lower()
    for block in _BFRANGE.findall(data):
        codes = _HEX.findall(block)
        for low, high, start in zip(codes[::3], codes[1::3], codes[2::3], strict=False):
            base = int(start, 16)
            for n, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                found[f"{code:04x}"] = f"{base + n:0{len(start)}x}"
    return found


def _cmap(mapping: dict[str, str]) -> bytes:
    """A ToUnicode CMap of ``mapping`` (as WeasyPrint writes them)."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        "<< /Registry (Adobe)",
        "/Ordering (UCS)",
        "/Supplement 0",
        ">> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <ffff>",
        "endcodespacerange",
    ]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        chunk = items[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{code}> <{text}>" for code, text in chunk]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return ("\n".join(lines) + "\n").encode("ascii")
