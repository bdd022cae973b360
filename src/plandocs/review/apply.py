"""``plandocs review --apply``: the changes that map onto the content written there —
values first (a paragraph may print one the review also changes), then the text values
templates print (titles, names), then prose against the content as it renders after
them — each checked by rendering the document again, and an item already in the
content said to be so.
"""

from __future__ import annotations

import os
from collections import Counter
from decimal import Context, Decimal, InvalidOperation, localcontext
from pathlib import Path

from plandocs.compare.textdiff import Hunk, normalize
from plandocs.errors import PlandocsError
from plandocs.review.document import Reviewed
from plandocs.review.facts import FactError, FactPlace, PlanFacts, writable
from plandocs.review.numbers import Match, Numbers
from plandocs.review.numbers import shown as printed
from plandocs.review.printed import Printed
from plandocs.review.prose import NotApplicable, block_region, changes, edit_block, in_new
from plandocs.review.report import ALREADY, ReviewReport
from plandocs.review.texts import TextSources, edited_value, write_value
from plandocs.review.wordfile import WordFile
from plandocs.writers.docx.anchors import Anchor


class Applying:
    """The applying half of a review (see :mod:`plandocs.review`)."""

    root: Path
    word: WordFile
    document: str
    anchors: dict[str, Anchor]
    facts: PlanFacts
    places: dict[str, FactPlace | str]
    numbers: Numbers
    printed: Printed
    reviewed: Reviewed
    texts: TextSources
    report: ReviewReport
    foreign: set[str]

    def place(self, anchor: Anchor) -> FactPlace | str:
        raise NotImplementedError

    def apply(self) -> None:
        changed = {
            name: texts[1]
            for name, texts in self.word.texts.items()
            if normalize(texts[1]) != normalize(self.anchors[name].text)
        }
        outcome: dict[str, str] = {}
        for name in self.anchors:
            if name not in self.word.texts:
                outcome[name] = "by hand: the whole paragraph was removed"
        # Values first (a paragraph may print one the review also changes), then the
        # text values templates print (titles, names), then prose against the content
        # as it renders after them.
        for name, new in changed.items():
            anchor = self.anchors[name]
            if anchor.fact:
                outcome[name] = self.apply_value(anchor, new)
        templated = {
            n: t
            for n, t in changed.items()
            if not (self.anchors[n].src or self.anchors[n].fact or n in self.foreign)
        }
        numbers = self.apply_numbers(templated)
        outcome.update(numbers)
        # A paragraph of the Markdown whose every change is to a number an expression
        # prints there: that value, where it is written; the Markdown is left as it is.
        prose = {n: t for n, t in changed.items() if self.anchors[n].src}
        values = self.apply_numbers({n: t for n, t in prose.items() if self._prints(n, t)})
        outcome.update(values)
        outcome.update(self.apply_texts({n: t for n, t in templated.items() if n not in numbers}))
        outcome.update(self.apply_prose({n: t for n, t in prose.items() if n not in values}))
        for item in self.report.items:
            if item.kind != "change":
                continue
            status = outcome.get(item.anchor or "", item.status or "by hand")
            if item.status == "by hand" and item.anchor not in outcome:
                status = "by hand"
            item.status = status
            if status == "applied":
                self.report.applied += 1
            elif status == ALREADY:
                self.report.already += 1
            else:
                self.report.by_hand += 1

    def _prints(self, name: str, new: str) -> bool:
        """Whether each change of a Markdown paragraph is a number an expression prints."""
        found = self.printed.values(self.anchors[name], new)
        return bool(found) and all(
            v is not None and v.match is not None and not v.rounded for v in found
        )

    def apply_value(self, anchor: Anchor, new: str) -> str:
        place = self.place(anchor)
        if not isinstance(place, FactPlace):
            return f"by hand: {place}"
        return self.write_number(place, anchor.text, new)

    def apply_numbers(self, changed: dict[str, str]) -> dict[str, str]:
        """The paragraphs a template wrote whose every change is to a number the
        document says where it is written (a PK's revised target, an LKj's realisation):
        written there as :meth:`apply_value` writes a plan value, or left with why."""
        outcome: dict[str, str] = {}
        for name, new_text in changed.items():
            anchor = self.anchors[name]
            hunks = changes(normalize(anchor.text), normalize(new_text))
            # Each changed number, or — a second --apply — its new value where it now is.
            pairs: list[tuple[Match, str]] = []
            for hunk in hunks:
                match, shown = self.numbers.find(anchor, hunk), hunk.old
                moved = in_new(hunks, hunk) if match is None else None
                if moved is not None:
                    match, shown = self.numbers.find(anchor, moved), hunk.new
                if match is not None:
                    pairs.append((match, shown))
            if not hunks or len(pairs) != len(hunks):
                continue
            places = [self.numbers.place(m, self.facts) for m, _ in pairs]
            reason = next((p for p in places if isinstance(p, str)), None)
            if reason is not None:
                outcome[name] = f"by hand: {reason}"
                continue
            results = []
            for hunk, (match, shown) in zip(hunks, pairs, strict=True):
                # Located again before each write: an earlier one may have moved it.
                place = self.numbers.place(match, self.facts)
                if isinstance(place, str):
                    results.append(f"by hand: {place}")
                    break
                results.append(self.write_number(place, shown, hunk.new))
            done = [r for r in results if r not in ("applied", ALREADY)]
            outcome[name] = done[0] if done else ("applied" if "applied" in results else ALREADY)
        return outcome

    def write_number(self, place: FactPlace, old: str, new: str) -> str:
        """Write the number ``new`` (as the document writes numbers) where ``place``
        says, if the file still holds ``old`` there."""
        from babel.numbers import NumberFormatError, parse_decimal

        lang = self.word.map.lang or "id"
        was = printed(old, lang)  # as plandocs wrote it: the map's, a received file's
        if was is None:
            return f"by hand: {normalize(old)!r} is not a number plandocs writes"
        try:
            value = Decimal(parse_decimal(normalize(new), locale=lang, strict=True))
        except (NumberFormatError, InvalidOperation, ValueError):
            return f"by hand: {normalize(new)!r} is not a number as written in {lang}"
        if place.kind == "xlsx":
            return "by hand: plandocs does not write workbooks; change the cell in Excel"
        try:
            # What the content can hold (never NaN, 10^19, 28 decimals), exactly.
            new_value = writable(value, place.scale)
        except FactError as exc:
            return f"by hand: {exc}"
        if new_value == place.value:
            return ALREADY
        with localcontext(Context(prec=100)):
            now = round(place.value / place.scale, was[1])
        if now != was[0]:
            return f"by hand: {place.rel} now holds {place.value}, not {normalize(old)}"
        try:
            self.facts.write(place, new_value)
        except (FactError, OSError) as exc:
            return f"by hand: {exc}"
        self.places.clear()
        if place.rel not in self.report.written:
            self.report.written.append(place.rel)
        return "applied"

    def apply_texts(self, changed: dict[str, str]) -> dict[str, str]:
        """Write the changes of paragraphs a template wrote into the YAML values they
        print, where the changed words stand in one value literally, if the document
        renders with the reviewer's text once they are made; else leave them. Nothing
        is written before that check (a copy of the project is rendered), nor over a
        file saved meanwhile."""
        outcome: dict[str, str] = {}
        originals: dict[str, str] = {}
        mine: dict[str, str] = {}
        """What this review means to write into each file."""
        written: dict[str, str] = {}
        files: dict[str, str] = {}
        """The file each change is written into."""
        for name, new_text in changed.items():
            anchor = self.anchors[name]
            old, new = normalize(anchor.text), normalize(new_text)
            hunks = changes(old, new)
            self.texts.forget()
            found = [self.texts.find(old, hunk) for hunk in hunks]
            if not hunks or any(f.place is None or f.others for f in found):
                if hunks and all(self._already(old, new, hunks, h) for h in hunks):
                    outcome[name] = ALREADY
                elif any(f.others for f in found):
                    outcome[name] = "by hand: these words stand in several places of the content"
                else:
                    loose = [h for h, f in zip(hunks, found, strict=True) if f.place is None]
                    outcome[name] = self._dated(old, loose)
                continue
            places = {(f.place.rel, f.place.start) for f in found if f.place is not None}
            if len(places) != 1:
                outcome[name] = "by hand: the change spans several values of the content"
                continue
            reason = next((f.by_hand() for f in found if f.by_hand()), "")
            if reason:
                outcome[name] = reason
                continue
            first = found[0]
            assert first.place is not None
            place = first.place
            value = edited_value(first, hunks)
            try:
                if place.rel not in originals:
                    originals[place.rel] = self._read(place.rel)
                current = mine.get(place.rel, originals[place.rel])
                text = write_value(self.root, place, value, current)
            except NotApplicable as exc:
                outcome[name] = f"by hand: {exc}"
                continue
            except (PlandocsError, UnicodeDecodeError):
                outcome[name] = f"by hand: cannot read {place.rel} as UTF-8 text"
                continue
            mine[place.rel] = text
            self.texts.pending[os.path.realpath(self.root / place.rel)] = text
            written[name] = new
            files[name] = place.rel
            outcome[name] = "applied"
        self.texts.pending.clear()
        self.texts.forget()
        if not written:
            return outcome
        from plandocs.review.verify import rendered_document

        try:
            _, text = rendered_document(self.root, self.document, self.word.map.lang, mine)
        except PlandocsError as exc:
            text, failure = "", exc.message
        else:
            failure = ""
        if any(failure or new not in text for new in written.values()):
            # The values go together or not at all: nothing was written.
            for name in written:
                outcome[name] = (
                    f"by hand: the edited content does not render: {failure}"
                    if failure
                    else "by hand: the content does not render as edited"
                )
            return outcome
        for rel, text in mine.items():
            # A file saved meanwhile (by a person, another review) is theirs.
            if not self._unchanged(rel, originals[rel]):
                for name in (n for n, r in files.items() if r == rel):
                    outcome[name] = f"by hand: {rel} has changed since it was read; review again"
                continue
            self._write(rel, text)
            if rel not in self.report.written:
                self.report.written.append(rel)
        self.texts.forget()
        return outcome

    def _dated(self, old: str, hunks: list[Hunk]) -> str:
        """Why changes no text value covers are left: they are in a date the facts hold
        (written as ``2025-01-31``, printed ``31 Januari 2025``), or only a template
        writes them (the paragraph's other changes are left with them)."""
        dates = [self.reviewed.date(old, hunk) for hunk in hunks]
        wheres = {self.reviewed.date_where(d) for d in dates if d is not None}
        if hunks and None not in dates and len(wheres) == 1 and "" not in wheres:
            where = wheres.pop().removesuffix(" (date)")
            return f"by hand: a date; write the new one at {where} as YYYY-MM-DD"
        self.reviewed.origins()
        if self.reviewed.failure:
            return f"by hand: {self.reviewed.failure}"
        return "by hand: written by a template, not by the content"

    def _already(self, old: str, new: str, hunks: list[Hunk], hunk: Hunk) -> bool:
        """Whether ``hunk``'s new words stand in the content already (a second apply)."""
        moved = in_new(hunks, hunk)
        if moved is None:
            return False
        found = self.texts.find(new, moved)
        return found.place is not None and not found.others

    def _read(self, rel: str) -> str:
        """A content file's text as it stands now (a link, a pipe, a file too large or
        not UTF-8 is a PlandocsError or a UnicodeDecodeError)."""
        from plandocs.errors import ContentError
        from plandocs.safety.reader import MAX_TEXT_BYTES, read_bytes

        path = self.root / rel
        if path.is_symlink():
            raise ContentError("this file is a link; review does not write through one", path)
        return read_bytes(path, "file", MAX_TEXT_BYTES).decode("utf-8")

    def _unchanged(self, rel: str, text: str) -> bool:
        """Whether ``rel`` holds ``text`` still: no one saved it meanwhile."""
        try:
            return self._read(rel) == text
        except (PlandocsError, UnicodeDecodeError):
            return False

    def _write(self, rel: str, text: str) -> None:
        from plandocs.writers.base import atomic_path

        with atomic_path(self.root / rel) as tmp:
            tmp.write_text(text, encoding="utf-8")

    def apply_prose(self, changed: dict[str, str]) -> dict[str, str]:
        """Edit the Markdown files, check the result renders as the reviewer's text,
        and write the files; return each anchor's outcome."""
        outcome: dict[str, str] = {}
        by_src = Counter(a.src for a in self.anchors.values() if a.src)
        starts = self.printed.starts
        files: dict[str, list[str]] = {}
        read: dict[str, str] = {}
        """Each file as it was read, before its edits."""
        planned: dict[str, str] = {}
        current: dict[str, str] = {}
        if changed:
            from plandocs.review.verify import rendered_texts

            try:
                current = rendered_texts(self.root, self.document, self.word.map.lang, {})
            except PlandocsError:
                current = {}
        for name, new in changed.items():
            anchor = self.anchors[name]
            assert anchor.src is not None
            rel, _, number = anchor.src.rpartition(":")
            if by_src[anchor.src] > 1:
                outcome[name] = "by hand: this line makes several paragraphs (a loop)"
                continue
            old = normalize(anchor.text)
            now = normalize(current.get(anchor.src, anchor.text))
            reviewer = {(h.start, h.end, h.new) for h in changes(old, normalize(new))}
            drift = frozenset((h.start, h.end, h.new) for h in changes(old, now))
            if now == normalize(new):
                outcome[name] = ALREADY
                continue
            if not drift <= reviewer:
                outcome[name] = (
                    "by hand: the paragraph has changed in the content since the document "
                    "was written"
                )
                continue
            if rel not in files:
                try:
                    read[rel] = self._read(rel)
                except (PlandocsError, UnicodeDecodeError):
                    outcome[name] = f"by hand: cannot read {rel} as UTF-8 text"
                    continue
                files[rel] = read[rel].splitlines(keepends=True)
            lines = files[rel]
            try:
                first, stop = block_region(lines, int(number), starts[rel])
                block = "".join(lines[first:stop])
                edited = edit_block(block, old, normalize(new), skip=drift)
            except NotApplicable as exc:
                value = next((v for v in self.printed.values(anchor, new) if v), None)
                why = self.printed.reason(value, self.facts) if value else str(exc)
                outcome[name] = f"by hand: {why}"
                continue
            lines[first:stop] = [edited]
            planned[name] = new
        if not planned:
            return outcome
        texts = {rel: "".join(lines) for rel, lines in files.items()}
        try:
            from plandocs.review.verify import rendered_texts

            rendered = rendered_texts(self.root, self.document, self.word.map.lang, texts)
        except PlandocsError as exc:
            for name in planned:
                outcome[name] = f"by hand: the edited content does not render: {exc.message}"
            return outcome
        wrong = {
            name
            for name, new in planned.items()
            if rendered.get(self.anchors[name].src or "") != normalize(new)
        }
        for name in wrong:
            outcome[name] = "by hand: the Markdown around it does not render as edited"
        if wrong:
            return {**outcome, **self._retry(changed, wrong)}
        # A file saved since it was read (by a person, by another review) is not
        # overwritten: its changes would be lost.
        moved = {rel for rel in texts if not self._unchanged(rel, read[rel])}
        for rel, text in texts.items():
            if rel not in moved and text != read[rel]:
                self._write(rel, text)
                self.report.written.append(rel)
        for name in planned:
            rel = (self.anchors[name].src or "").rpartition(":")[0]
            outcome[name] = (
                f"by hand: {rel} was saved while the review ran; review again"
                if rel in moved
                else "applied"
            )
        return outcome

    def _retry(self, changed: dict[str, str], wrong: set[str]) -> dict[str, str]:
        """Apply again without the paragraphs that did not render as edited."""
        rest = {n: t for n, t in changed.items() if n not in wrong}
        return self.apply_prose(rest) if rest else {}
