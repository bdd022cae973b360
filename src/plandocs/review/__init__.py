"""``plandocs review FILE.docx``: a reviewer's changes and comments, at their source.

The DOCX plandocs writes carries source anchors (:mod:`plandocs.writers.docx.anchors`):
a hidden bookmark around each paragraph and data cell, and a map from bookmark to the
Markdown line or plan value it shows, with its text as written. Review reads the
reviewer's file (:mod:`.wordfile`), and for each anchor compares three texts: as
plandocs wrote it, as it stands before the reviewer's tracked changes (a difference
there is an untracked edit), and after them. Each tracked change, untracked edit and
comment is listed at its source line or value; ``--apply`` writes the changes that map
unambiguously onto Markdown prose (:mod:`.prose`, checked by rendering again,
:mod:`.verify`) and plan values (:mod:`.facts`), and lists the rest.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

from plandocs import LANGUAGES
from plandocs.compare.textdiff import Hunk, normalize
from plandocs.review.apply import Applying
from plandocs.review.document import Reviewed
from plandocs.review.facts import FactError, FactPlace, PlanFacts
from plandocs.review.numbers import Numbers
from plandocs.review.printed import Printed, Value
from plandocs.review.prose import changes, in_new
from plandocs.review.report import Item, ReviewReport
from plandocs.review.texts import TextSources
from plandocs.review.wordfile import Comment, ReviewError, Revision, WordFile, read_word_file
from plandocs.safety.paths import safe_rel
from plandocs.writers.docx.anchors import PREFIX, Anchor

__all__ = ["Item", "ReviewError", "ReviewReport", "review"]

MAX_ANCHORS = 200_000
"""Source anchors in one file: a paragraph or cell each (the sample Renstra has about
700; a 600-page one some 20,000)."""
REVIEW_SECONDS = 120.0
"""Reading and comparing a reviewed file (the sample Renstra takes a fraction of a
second); the rendering that checks what --apply writes has its own budget."""


def _by(author: str, date: str) -> str:
    who = author or "unknown"
    return f" ({who}, {date[:10]})" if date else f" ({who})"


def _order(anchor: str | None, after: str | None) -> float:
    """An anchor's number (``_pd12`` → 12); just past it for what comes after it."""
    for name, past in ((anchor, 0.0), (after, 0.5)):
        number = name[len(PREFIX) :] if name else ""
        if re.fullmatch(r"[0-9]{1,9}", number):
            return int(number) + past
    return 0.0


def _quote(text: str, limit: int = 80) -> str:
    text = normalize(text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f'"{text}"'


class _Review(Applying):
    def __init__(self, root: Path, word: WordFile) -> None:
        self.root = root
        self.word = word
        # A received file must never choose what is written: its map names a document,
        # and every source it names must be a file of that document, in this project.
        self.folder = self._document_folder(word)
        self.document = f"{self.folder.parent.name}/{self.folder.name}"
        part = word.map.part
        if part is not None:
            if not safe_rel(part) or "/" in part:
                raise ReviewError(f"it names the part {part!r}, which is no part's name", word.path)
            self.document += f"/{part}"  # one region's sheet of a regional batch
        if word.map.lang not in LANGUAGES:
            raise ReviewError(
                f"it names the language {word.map.lang!r}, which plandocs does not write; "
                "review a DOCX plandocs wrote",
                word.path,
            )
        if len(word.map.anchors) > MAX_ANCHORS:
            raise ReviewError(
                f"it names {len(word.map.anchors)} source anchors, more than any document "
                f"plandocs writes ({MAX_ANCHORS})",
                word.path,
            )
        self.foreign: set[str] = set()
        """Anchors whose source is no Markdown file of this document: listed at the
        file, never written."""
        self.anchors = {name: self._own(anchor) for name, anchor in word.map.anchors.items()}
        from plandocs.settings import load_settings

        self.facts = PlanFacts(root, self.folder, load_settings(root).number_style)
        self.places: dict[str, FactPlace | str] = {}
        self.reviewed = Reviewed(root, self.folder, part, word.map.lang)
        self.numbers = Numbers(self.reviewed, self.anchors, word.map.lang)
        self.printed = Printed(root, self.reviewed, self.numbers)
        self.texts = TextSources(
            root,
            self.folder,
            self.folder.parent.name,
            word.map.lang,
            self.reviewed.drawn,
        )
        self.report = ReviewReport(word.path)

    def place(self, anchor: Anchor) -> FactPlace | str:
        """Where a value cell's fact is written, or why it cannot be found."""
        fact = anchor.fact or ""
        if fact not in self.places:
            try:
                self.places[fact] = self.facts.locate(fact)
            except FactError as exc:
                self.places[fact] = str(exc)
        return self.places[fact]

    def where(self, name: str | None, after: str | None = None) -> str:
        anchor = self.anchors.get(name or "")
        if anchor is not None:
            if anchor.src:
                return anchor.src
            if anchor.fact:
                place = self.place(anchor)
                if isinstance(place, FactPlace):
                    return place.where
                return f"{self.word.path.name} ({anchor.fact})"
            if anchor.name in self.foreign:
                return self.word.path.name
            return self.text_where(anchor)
        previous = self.anchors.get(after or "")
        if previous is not None and previous.src:
            return f"{self.word.path.name} (after {previous.src})"
        return self.word.path.name

    def text_where(self, anchor: Anchor, hunk: Hunk | None = None) -> str:
        """Where the words a template wrote stand: a YAML value (``id.md:2``, a line of
        ``plan.yaml``), else the template line that writes them, else the file, each
        with the words around the change."""
        old = normalize(anchor.text)
        new = normalize(self.word.texts.get(anchor.name, ("", ""))[1])
        if hunk is None:
            found = changes(old, new)
            if not found:
                return self.word.path.name
            hunk = found[0]
        place = self.texts.find(old, hunk)
        if place.place is None:
            moved = in_new(changes(old, new), hunk)
            if moved is not None:
                again = self.texts.find(new, moved)
                if again.place is not None:
                    place = again
        if place.place is not None:
            where = place.place.where
            if place.others:
                where += f" (or {place.others} other places with these words)"
            return where
        number = self.numbers.find(anchor, hunk)
        moved = in_new(changes(old, new), hunk) if number is None else None
        if moved is not None:
            number = self.numbers.find(anchor, moved)  # a value the content holds now
        if number is not None:
            return self.numbers.where(number, self.word.path.name)
        date = self.reviewed.date(old, hunk)
        if date is not None and self.reviewed.date_where(date):
            return self.reviewed.date_where(date)
        near = _quote(old[max(0, hunk.start - 30) : hunk.end + 30], 70)
        if self.reviewed.failure:  # the document does not load: no telling where
            return f"{self.word.path.name} (near {near})"
        if place.template:
            return f"{place.template} (a template; near {near})"
        return f"{self.word.path.name} (written by a template, near {near})"

    # -- listing --------------------------------------------------------------------
    def collect(self) -> None:
        values: dict[str, list[Revision]] = {}
        for rev in self.word.revisions:
            if not rev.text:
                continue
            anchor = self.anchors.get(rev.anchor or "")
            if anchor is not None and anchor.fact:
                values.setdefault(anchor.name, []).append(rev)
                continue
            what = "paragraph" if rev.paragraph else ""
            message = f"{rev.kind} {what + ' ' if what else ''}{_quote(rev.text)}"
            where = self.where(rev.anchor, rev.after)
            value = self.revised_value(anchor, rev) if anchor is not None else None
            item = Item(value.where if value else where, message + _by(rev.author, rev.date))
            if anchor is None:
                item.status = "by hand"
                item.message += ": written by a template, not by the content"
                item.order = _order(None, rev.after)
            item.anchor = rev.anchor
            self.report.items.append(item)
        for name, anchor in self.anchors.items():
            texts = self.word.texts.get(name)
            if anchor.fact:
                self.value_item(anchor, texts, values.get(name, []))
            elif texts is None:
                self.report.items.append(
                    Item(
                        self.where(name),
                        f"deleted {_quote(anchor.text)} (untracked)",
                        anchor=name,
                    )
                )
            elif normalize(texts[0]) != normalize(anchor.text):
                for hunk in changes(normalize(anchor.text), normalize(texts[0])):
                    if hunk.kind == "changed":
                        message = f"changed {_quote(hunk.old)} → {_quote(hunk.new)}"
                    else:
                        message = f"{hunk.kind} {_quote(hunk.old or hunk.new)}"
                    templated = not anchor.src and name not in self.foreign
                    where = self.text_where(anchor, hunk) if templated else self.where(name)
                    value = self.printed.value(anchor, texts[1], hunk) if anchor.src else None
                    where = value.where if value else where
                    self.report.items.append(Item(where, message + " (untracked)", anchor=name))
        for comment in self.word.comments:
            item = self.comment_item(comment)
            item.order = _order(comment.anchor, comment.after)
            self.report.items.append(item)
        for item in self.report.items:
            if item.kind == "change" and item.anchor:
                item.order = _order(item.anchor, None)
        self.report.items.sort(key=lambda i: (i.order, i.kind == "comment"))

    def revised_value(self, anchor: Anchor, rev: Revision) -> Value | None:
        """The value an expression prints in a Markdown paragraph that a tracked change
        touches, if it touches one (:mod:`.printed`)."""
        texts = self.word.texts.get(anchor.name)
        if not anchor.src or texts is None:
            return None
        text = normalize(rev.text)
        for hunk in changes(normalize(anchor.text), normalize(texts[1])):
            words = hunk.old if rev.kind == "deleted" else hunk.new
            if words.strip() and words in text:
                return self.printed.value(anchor, texts[1], hunk)
        return None

    def value_item(
        self, anchor: Anchor, texts: tuple[str, str] | None, revisions: list[Revision]
    ) -> None:
        new = normalize(texts[1]) if texts else ""
        old = normalize(anchor.text)
        if new == old:
            return
        authors = sorted({r.author for r in revisions if r.author})
        who = f" ({', '.join(authors)})" if authors else ""
        if revisions and texts and normalize(texts[0]) != old:
            who += " (partly untracked)"
        elif not revisions:
            who = " (untracked)"
        self.report.items.append(
            Item(self.where(anchor.name), f"{old} → {new or '(empty)'}{who}", anchor=anchor.name)
        )

    def comment_item(self, comment: Comment) -> Item:
        message = f"comment by {comment.author or 'unknown'}: {_quote(comment.text, 200)}"
        if comment.quoted:
            message += f" on {_quote(comment.quoted)}"
        return Item(self.where(comment.anchor, comment.after), message, kind="comment")

    def _document_folder(self, word: WordFile) -> Path:
        """The document folder the file says it was written from — one of this project's
        own document folders, or the review stops."""
        from plandocs.pipeline import sources

        source = word.map.source
        parts = source.split("/")
        if len(parts) < 3 or parts[0] != "content" or not safe_rel(source):
            raise ReviewError(f"its source {source!r} is not a content file", word.path)
        known = {s.key: s.folder for s in sources(self.root)}
        key = f"{parts[1]}/{parts[2]}"
        if key not in known or known[key].is_symlink():
            raise ReviewError(
                f"it was written from content/{key}, which is not in this project; "
                "run review in that project (or pass --project DIR)",
                word.path,
            )
        return known[key]

    def _own(self, anchor: Anchor) -> Anchor:
        """The anchor, or the anchor without its source when that is not a Markdown file
        of this document (a crafted map must not lead writing elsewhere)."""
        if anchor.src is None:
            return anchor
        rel, _, line = anchor.src.rpartition(":")
        path = self.root / rel
        if (
            safe_rel(rel)
            and line.isdecimal()
            and len(line) < 9
            and rel.endswith(".md")
            and Path(os.path.realpath(path)).is_relative_to(os.path.realpath(self.folder))
            and not path.is_symlink()
        ):
            return anchor
        self.foreign.add(anchor.name)
        return replace(anchor, src=None)


def review(root: Path, file: Path, apply: bool = False) -> ReviewReport:
    """List (and with ``apply``, write back) the reviewer's changes in ``file``."""
    from plandocs.safety.budget import BudgetExceeded, budget

    try:
        with budget(REVIEW_SECONDS, what="reading the reviewed file"):
            word = read_word_file(file)
            job = _Review(root.resolve(), word)
            job.collect()
    except (BudgetExceeded, MemoryError, RecursionError) as exc:
        from plandocs.errors import describe

        raise ReviewError(f"cannot review this file: {describe(exc)}", file) from None
    if apply:
        job.apply()
    return job.report
