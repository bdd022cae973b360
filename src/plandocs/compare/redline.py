"""Redlines: the changes between two renderings of a document, marked in the newer HTML.

Both versions are the HTML the writers start from. Their text blocks (paragraphs,
headings, list items) and tables are lined up in reading order; a block found in
both but with other words gets its changes marked word by word with
``<ins class="pd-rev">`` and ``<del class="pd-rev">``; a block only in the newer
version is marked inserted, one only in the older version is put back, struck
through, where it stood. Tables are lined up row by row (rows keep their place by
their text, numbers aside), and a changed cell gets ``class="pd-changed"`` besides
its ``<del>``/``<ins>``. Numbers the document generates (``BAB III``, ``3.2``,
``Tabel 4.1``) are not compared: they follow from the other changes.

The same marked-up HTML then goes through the usual writers: WeasyPrint shows the
marks with the stylesheet in :data:`REDLINE_CSS`; the DOCX writer turns them into
Word's own tracked changes (``w:ins``/``w:del``) by author and date.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from plandocs.compare.textdiff import matching, normalize, opcodes, similarity, tokens

NUMBERS = frozenset({"secnum", "chapnum", "capnum", "annexnum"})
"""Numbers the document makes itself; they change when something is added before them."""
TEXT_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "dt", "dd"})
NESTED_BLOCKS = frozenset({"p", "ul", "ol", "table", "pre", "blockquote", "div", "figure"})
SKIPPED = ("nav.toc", "div.running-header", "div.draft-mark", "div.draft-line")
_PAIR_LIMIT = 20_000
"""Above this many (old × new) blocks in one changed stretch, blocks are not paired."""
WORK = 50_000_000
"""Pairs of words a redline may match one by one (a few seconds), estimated from the
texts' lengths; past it, texts are matched by their common start and end only."""


@dataclass
class Change:
    """One change, for the summary: where it is and what it is."""

    part: str
    """The chapter (or the document's title) it is in."""
    section: str
    kind: str
    """``inserted``, ``deleted`` (words), ``cell``, ``block+``/``block-`` (paragraphs),
    ``row+``/``row-`` (table rows)."""
    words: int = 0
    excerpt: str = ""


@dataclass
class Unit:
    el: Any
    table: bool
    key: str


@dataclass
class Redline:
    """The newer HTML tree with the changes marked, and the list of changes."""

    tree: Any
    changes: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def redline(old_html: str, new_html: str, author: str, date: str) -> Redline:
    """Mark in ``new_html`` what changed since ``old_html``; ``date`` is ISO 8601."""
    from lxml import html as lxml_html

    old = lxml_html.document_fromstring(old_html)
    new = lxml_html.document_fromstring(new_html)
    marker = _Marker(author, date)
    marker.compare(list(_units(old.body)), list(_units(new.body)))
    for el in new.iter():
        if isinstance(el.tag, str):
            for name in ("data-src", "data-fact"):
                el.attrib.pop(name, None)
    return Redline(new, marker.changes)


# -- the blocks of a document ---------------------------------------------------------
def _classes(el: Any) -> frozenset[str]:
    return frozenset((el.get("class") or "").split())


def _skipped(el: Any) -> bool:
    return any(
        el.tag == tag and cls in _classes(el) for tag, cls in (item.split(".") for item in SKIPPED)
    )


def _units(el: Any) -> Iterator[Unit]:
    for child in el:
        if not isinstance(child.tag, str) or _skipped(child):
            continue
        if child.tag == "table":
            yield Unit(child, True, _table_key(child))
            continue
        if child.tag in TEXT_BLOCKS:
            text = normalize(own_text(child))
            if text:
                yield Unit(child, False, f"{child.tag}:{text}")
        yield from _units(child)


def _table_key(table: Any) -> str:
    caption = table.find("caption")
    head = _row_texts(table)[:2]
    words = normalize(own_text(caption)) if caption is not None else ""
    return f"table.{table.get('class') or ''}:{words}:{head}"


def slots(el: Any) -> list[tuple[Any, str, str]]:
    """The text nodes of a block's own text: (node, ``text`` or ``tail``, the text).
    Nested blocks and generated numbers are not its own text (their tails are)."""
    found: list[tuple[Any, str, str]] = []

    def walk(node: Any) -> None:
        if node.text:
            found.append((node, "text", node.text))
        for child in node:
            if isinstance(child.tag, str) and not (
                child.tag in NESTED_BLOCKS or _classes(child) & NUMBERS
            ):
                walk(child)
            if child.tail:
                found.append((child, "tail", child.tail))

    walk(el)
    return found


def own_text(el: Any) -> str:
    return "".join(text for _, _, text in slots(el))


def _rows(table: Any) -> list[Any]:
    rows: list[Any] = []
    for part in table:
        if not isinstance(part.tag, str):
            continue
        if part.tag in ("thead", "tbody", "tfoot"):
            rows.extend(tr for tr in part if isinstance(tr.tag, str) and tr.tag == "tr")
        elif part.tag == "tr":
            rows.append(part)
    return rows


def _cells(tr: Any) -> list[Any]:
    return [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]


def _row_texts(table: Any) -> list[str]:
    return [normalize(" ".join(own_text(c) for c in _cells(tr))) for tr in _rows(table)]


def _row_key(tr: Any) -> str:
    """A row's identity: its text with the numbers left out, so a changed value keeps
    the row in place and a changed name does not."""
    parts = []
    for cell in _cells(tr):
        text = normalize(own_text(cell))
        parts.append("#" if _numeric(text) else text)
    return "|".join(parts)


def _numeric(text: str) -> bool:
    stripped = text.replace(".", "").replace(",", "").replace("%", "").replace("-", "")
    return bool(stripped) and stripped.isdigit()


def _has_spans(table: Any) -> bool:
    return any(c.get("rowspan") not in (None, "1") for tr in _rows(table) for c in _cells(tr))


# -- marking ----------------------------------------------------------------------------
class _Marker:
    def __init__(self, author: str, date: str) -> None:
        self.author = author
        self.date = date
        self.changes: list[Change] = []
        self.part = ""
        self.section = ""
        self.spent = 0

    def mark(self, tag: str, text: str) -> Any:
        from lxml import etree

        el = etree.Element(tag)
        el.set("class", "pd-rev")
        el.set("data-author", self.author)
        el.set("datetime", self.date)
        el.text = text
        return el

    def note(self, kind: str, words: int = 0, excerpt: str = "") -> None:
        self.changes.append(Change(self.part, self.section, kind, words, normalize(excerpt)))

    def where(self, el: Any) -> None:
        """Follow the headings: the summary groups changes by chapter and section."""
        if el.tag == "h1":
            self.part, self.section = normalize(el.text_content()), ""
        elif el.tag == "h2":
            self.section = normalize(el.text_content())

    # Lining up blocks.
    def compare(self, old: list[Unit], new: list[Unit]) -> None:
        for tag, i1, i2, j1, j2 in matching([u.key for u in old], [u.key for u in new]):
            if tag == "equal":
                for a, b in zip(old[i1:i2], new[j1:j2], strict=True):
                    self.where(b.el)
                    if a.table:
                        self.table(a.el, b.el)
                continue
            anchor = new[j1 - 1].el if j1 > 0 else None
            for was, now in self.pair(old[i1:i2], new[j1:j2]):
                if now is not None:
                    self.where(now.el)
                    anchor = now.el
                if was is not None and now is not None:
                    if was.table:
                        self.table(was.el, now.el)
                    else:
                        self.words(now.el, own_text(was.el))
                elif now is not None:
                    self.inserted_block(now)
                elif was is not None:
                    following = new[j1].el if j1 < len(new) else None
                    anchor = self.deleted_block(was, anchor, following)

    def pair(self, old: list[Unit], new: list[Unit]) -> list[tuple[Unit | None, Unit | None]]:
        """Old and new blocks of one changed stretch, paired where they are alike,
        in document order; the unpaired ones were deleted or inserted."""
        pairs: list[tuple[Unit | None, Unit | None]] = []
        i = 0
        if len(old) * len(new) > _PAIR_LIMIT:
            return [(a, None) for a in old] + [(None, b) for b in new]
        for b in new:
            best, best_score = None, 0.5
            for k in range(i, len(old)):
                a = old[k]
                if a.table != b.table or a.el.tag != b.el.tag:
                    continue
                score = 0.6 if a.table else self.similarity(own_text(a.el), own_text(b.el))
                if score > best_score:
                    best, best_score = k, score
            if best is None:
                pairs.append((None, b))
                continue
            pairs.extend((a, None) for a in old[i:best])
            pairs.append((old[best], b))
            i = best + 1
        pairs.extend((a, None) for a in old[i:])
        return pairs

    def spend(self, old: str, new: str) -> bool:
        """Whether two texts may still be matched word by word: the whole redline matches
        at most :data:`WORK` pairs of words so; past that, only each block's common start
        and end (linear), so that no document takes more than seconds."""
        self.spent += (len(old) // 4 + 1) * (len(new) // 4 + 1)
        return self.spent <= WORK

    def similarity(self, old: str, new: str) -> float:
        return similarity(old, new, exact=self.spend(old, new))

    # Words inside a block.
    def words(self, el: Any, old_text: str, count: bool = True) -> None:
        """Mark in ``el`` the words that changed since ``old_text`` (and, with
        ``count``, note them for the summary)."""
        pieces = slots(el)
        new_text = "".join(text for _, _, text in pieces)
        exact = self.spend(old_text, new_text)
        ops = [op for op in opcodes(old_text, new_text, exact) if op[0] != "equal"]
        if not ops:
            return
        for _, i1, i2, j1, j2 in ops if count else ():
            if i2 > i1:
                self.note("deleted", _count(old_text[i1:i2]), old_text[i1:i2])
            if j2 > j1:
                self.note("inserted", _count(new_text[j1:j2]), new_text[j1:j2])
        if not pieces:
            # Nothing left of the block's text: put the old words back, struck through.
            el.insert(0, self.mark("del", old_text))
            return
        starts = []
        at = 0
        for _, _, text in pieces:
            starts.append(at)
            at += len(text)
        for index in reversed(range(len(pieces))):
            node, which, text = pieces[index]
            begin, end = starts[index], starts[index] + len(text)
            last = index == len(pieces) - 1
            parts = _split(text, begin, end, last, ops, old_text)
            if parts != [("", text)]:
                self.rebuild(node, which, parts)

    def rebuild(self, node: Any, which: str, parts: list[tuple[str, str]]) -> None:
        """Replace one text node by plain text and ``<ins>``/``<del>`` elements."""
        first = parts[0][1] if parts and parts[0][0] == "" else ""
        rest = parts[1:] if parts and parts[0][0] == "" else parts
        made: list[Any] = []
        for kind, text in rest:
            if kind == "":
                made[-1].tail = (made[-1].tail or "") + text
            else:
                made.append(self.mark(kind, text))
        if which == "text":
            node.text = first
            for index, el in enumerate(made):
                node.insert(index, el)
        else:
            node.tail = first
            previous = node
            for el in made:
                previous.addnext(el)
                previous = el

    def wrap(self, el: Any, kind: str) -> str:
        """Mark all of a block's own text inserted or deleted; return the text."""
        pieces = slots(el)
        for node, which, text in reversed(pieces):
            if text.strip():
                self.rebuild(node, which, [(kind, text)])
        return "".join(text for _, _, text in pieces)

    def inserted_block(self, unit: Unit) -> None:
        if unit.table:
            for tr in _rows(unit.el):
                self.row(tr, "ins")
            self.note("block+", excerpt=_caption(unit.el))
            return
        text = self.wrap(unit.el, "ins")
        unit.el.set("data-change", "inserted")
        self.note("block+", _count(text), text)

    def deleted_block(self, unit: Unit, after: Any, before: Any) -> Any:
        """Put a copy of a deleted block back, struck through, where it stood."""
        from lxml import etree

        el = copy.deepcopy(unit.el)
        el.tail = None
        for nested in [c for c in el if isinstance(c.tag, str) and c.tag in ("ul", "ol")]:
            el.remove(nested)  # nested items are blocks of their own
        for node in el.iter():
            if isinstance(node.tag, str):
                node.attrib.pop("id", None)
        if unit.table:
            for tr in _rows(el):
                self.row(tr, "del")
            self.note("block-", excerpt=_caption(el))
        else:
            text = self.wrap(el, "del")
            self.note("block-", _count(text), text)
        el.set("data-change", "deleted")
        neighbour = after if after is not None else before
        if el.tag == "li" and (neighbour is None or neighbour.tag != "li"):
            holder = etree.Element(unit.el.getparent().tag)
            holder.append(el)
            el = holder
        if after is not None:
            after.addnext(el)
        elif before is not None:
            before.addprevious(el)
        return el

    # Tables.
    def row(self, tr: Any, kind: str) -> None:
        for cell in _cells(tr):
            self.wrap(cell, kind)
        tr.set("data-change", "inserted" if kind == "ins" else "deleted")

    def table(self, old: Any, new: Any) -> None:
        old_caption, new_caption = old.find("caption"), new.find("caption")
        if old_caption is not None and new_caption is not None:
            before = normalize(own_text(old_caption))
            if before != normalize(own_text(new_caption)):
                self.words(new_caption, own_text(old_caption))
        label = _caption(new)
        old_rows, new_rows = _rows(old), _rows(new)
        spans = _has_spans(old) or _has_spans(new)
        keys = [_row_key(r) for r in old_rows], [_row_key(r) for r in new_rows]
        for tag, i1, i2, j1, j2 in matching(*keys):
            olds, news = old_rows[i1:i2], new_rows[j1:j2]
            if tag == "equal" or (tag == "replace" and len(olds) == len(news)):
                for a, b in zip(olds, news, strict=True):
                    self.cells(a, b, label)
                continue
            for b in news:
                self.row(b, "ins")
                self.note("row+", excerpt=_in(label, _row_name(b)))
            for a in olds:
                self.note("row-", excerpt=_in(label, _row_name(a)))
                if not spans:
                    copied = copy.deepcopy(a)
                    self.row(copied, "del")
                    if j1 > 0:
                        new_rows[j1 - 1].addnext(copied)
                    elif new_rows:
                        new_rows[0].addprevious(copied)

    def cells(self, old_tr: Any, new_tr: Any, label: str) -> None:
        olds, news = _cells(old_tr), _cells(new_tr)
        if len(olds) != len(news):
            self.row(new_tr, "ins")
            self.note("row+", excerpt=_in(label, _row_name(new_tr)))
            return
        for a, b in zip(olds, news, strict=True):
            before, after = normalize(own_text(a)), normalize(own_text(b))
            if before == after:
                continue
            b.set("class", " ".join(sorted(_classes(b) | {"pd-changed"})))
            self.words(b, own_text(a), count=False)
            self.note("cell", excerpt=f"{_row_name(new_tr)}: {before or '–'} → {after or '–'}")


def _split(
    text: str, begin: int, end: int, last: bool, ops: list[Any], old_text: str
) -> list[tuple[str, str]]:
    """One text node (new offsets ``begin``..``end``) cut into plain, ``ins`` and
    ``del`` parts by the opcodes. A deletion goes to the node its position falls in
    (the last node when it is at the very end)."""
    parts: list[tuple[str, str]] = []
    at = begin
    for _, i1, i2, j1, j2 in ops:
        owns_deletion = i2 > i1 and (begin <= j1 < end or (last and j1 == end))
        ins_start, ins_stop = max(j1, begin), min(j2, end)
        inserts = ins_stop > ins_start
        if not (owns_deletion or inserts):
            continue
        first = j1 if owns_deletion else ins_start
        if first > at:
            parts.append(("", text[at - begin : first - begin]))
            at = first
        if owns_deletion:
            parts.append(("del", old_text[i1:i2]))
        if inserts:
            parts.append(("ins", text[ins_start - begin : ins_stop - begin]))
            at = ins_stop
    if at < end:
        parts.append(("", text[at - begin :]))
    return _joined(parts)


def _joined(parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for kind, text in parts:
        if not text:
            continue
        if out and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1] + text)
        else:
            out.append((kind, text))
    return out or [("", "")]


def _count(text: str) -> int:
    return sum(1 for t in tokens(text) if t.strip() and t[0].isalnum())


def _caption(table: Any) -> str:
    caption = table.find("caption")
    return normalize(caption.text_content()) if caption is not None else ""


def _in(label: str, name: str) -> str:
    return f"{label}: {name}" if label else name


def _row_name(tr: Any) -> str:
    """What a reader calls a row: its code and the start of its name."""
    texts = [normalize(own_text(c)) for c in _cells(tr)]
    names = [t for t in texts if t and not _numeric(t)][:2]
    if len(names) == 2 and len(names[1]) > 40:
        names[1] = names[1][:40].rsplit(" ", 1)[0] + "…"
    return " ".join(names)
