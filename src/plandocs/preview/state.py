"""What the preview shows: the HTML of every (document, language), kept in memory.

Each page holds its last good rendering and, when the last attempt failed, the
located messages of that failure, so a broken save shows its ``path:line`` above
the last good version. A page's ``version`` changes only when what it shows
changes; the open pages compare it to theirs to know when to reload.

Rendering is the pipeline's own (:mod:`plandocs.pipeline`: load within the budget,
then render) without any writer, so it takes milliseconds for a readout and a
fraction of a second for a long plan. A folder that yields many documents (a region's
sheet per part, beside the recap) has a page per part and language.

A save makes stale only the languages the saved file feeds (a chapter
or ``en.md`` one language; the facts, templates or settings every one). One lock
serializes rendering; it is released between pages, which are rendered open pages
first, so those reload while the others render.
"""

from __future__ import annotations

import contextlib
import itertools
import secrets
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plandocs import pipeline
from plandocs.build.plan import selected
from plandocs.build.run import format_error
from plandocs.errors import PlandocsError
from plandocs.kinds.discover import kind_dirs
from plandocs.settings import SETTINGS_FILE

INDEX = "index"
"""The target name of the index page (documents are ``<lang>/<kind>/<slug>``)."""


@dataclass
class Page:
    """One document in one language, as the preview shows it."""

    kind: str
    slug: str
    lang: str
    part: str | None = None
    """One of the documents its folder yields (a region's sheet); None: the folder's own."""
    html: str | None = None
    """The last good rendering."""
    title: str | None = None
    error: str | None = None
    """The located messages of the last attempt, if it failed."""
    version: str = ""

    @property
    def target(self) -> str:
        return target_of(self.lang, self.kind, self.slug, self.part)

    @property
    def doc(self) -> str:
        """``kind/slug`` or ``kind/slug/part``: the document, whatever the language."""
        return self.target.partition("/")[2]


def target_of(lang: str, kind: str, slug: str, part: str | None = None) -> str:
    """The page of a document in a language: ``<lang>/<kind>/<slug>[/<part>]``."""
    base = f"{lang}/{kind}/{slug}"
    return base if part is None else f"{base}/{part}"


@dataclass
class Entry:
    """One document folder and what is known of it."""

    kind: str
    folder: Path
    languages: list[str] = field(default_factory=list)
    """The languages it has (the last known, while it cannot be loaded)."""
    document: Any = None
    """The loaded document, shared by its languages' renderings."""
    parts: list[str | None] = field(default_factory=lambda: [None])
    """The documents the folder yields: None (its own, or the recap) and each part."""
    load_error: str | None = None
    loaded: bool = False
    """``document`` or ``load_error`` is current."""
    stale: set[str] = field(default_factory=set)
    """Languages to render again."""
    stale_parts: dict[str, set[str | None]] = field(default_factory=dict)
    """Per stale language, the parts still to render in it."""

    @property
    def key(self) -> str:
        return f"{self.kind}/{self.folder.name}"

    def mark(self, langs: Iterable[str]) -> None:
        """Every part of these languages is to be rendered again."""
        for lang in langs:
            self.stale.add(lang)
            self.stale_parts[lang] = set(self.parts)

    def rendered(self, lang: str, part: str | None) -> None:
        """One part of a language is current; the language once all its parts are."""
        left = self.stale_parts.get(lang)
        if left is not None:
            left.discard(part)
            if not left:
                del self.stale_parts[lang]
        if lang not in self.stale_parts:
            self.stale.discard(lang)


@dataclass(frozen=True)
class Refresh:
    """What one refresh did, for the terminal line."""

    pages: int
    failed: list[str]
    seconds: float


class Documents:
    """The documents under preview and their renderings; safe to use from many threads."""

    def __init__(
        self, root: Path, langs: Sequence[str], paths: Sequence[Path] = (), draft: bool = False
    ) -> None:
        self.root = root.resolve()
        self.langs = tuple(langs)
        self.paths = tuple(p.resolve() for p in paths)
        self.draft = draft
        self.changed = threading.Condition(threading.RLock())
        """Notified whenever a version or the build status changes, or on close."""
        self.closing = False
        self.entries: dict[str, Entry] = {}
        self.pages: dict[str, Page] = {}
        self.viewers: Counter[str] = Counter()
        self.index_version = ""
        self.build_status = ""
        self.build_done = False
        self._instance = secrets.token_hex(4)
        self._counter = itertools.count(1)
        self._project: Any = None
        self._project_error: str | None = None
        self._load_project()
        self._discover()

    # -- versions ---------------------------------------------------------------------

    def _next_version(self) -> str:
        # A new server never reuses an old one's versions, so a page left open across
        # a restart reloads once.
        return f"{self._instance}.{next(self._counter)}"

    def version_of(self, target: str) -> str | None:
        """The current version of a page (or of the index); None if it is gone."""
        with self.changed:
            if target == INDEX:
                return self.index_version
            page = self.pages.get(target)
            return page.version if page else None

    @contextlib.contextmanager
    def watching(self, target: str) -> Iterator[None]:
        """Count an open page of ``target``: its document is rendered first on a change."""
        with self.changed:
            self.viewers[target] += 1
        try:
            yield
        finally:
            with self.changed:
                self.viewers[target] -= 1
                if self.viewers[target] <= 0:
                    del self.viewers[target]

    def wait(
        self, target: str, version: str, status: str | None, timeout: float
    ) -> tuple[bool, str | None, str]:
        """Wait until the page's version is not ``version``, the build status is not
        ``status``, the preview closes, or ``timeout`` seconds pass; then return
        (closing, the page's version, the build status)."""
        with self.changed:
            self.changed.wait_for(
                lambda: (
                    self.closing
                    or self.version_of(target) != version
                    or self.build_status != status
                ),
                timeout=timeout,
            )
            return self.closing, self.version_of(target), self.build_status

    def set_build_status(self, text: str, done: bool) -> None:
        """What the background build is doing; ``done`` once it has finished."""
        with self.changed:
            self.build_status = text
            self.build_done = done
            self.changed.notify_all()

    def close(self) -> None:
        with self.changed:
            self.closing = True
            self.changed.notify_all()

    # -- what there is ----------------------------------------------------------------

    def _load_project(self) -> None:
        from plandocs.project import Project

        try:
            self._project = Project.load(self.root)
            self._project_error = None
        except Exception as exc:  # a bug in plandocs too: shown, never a traceback
            self._project_error = format_error(
                pipeline.failure(exc, self.root / SETTINGS_FILE), self.root
            )

    def _selected(self, folder: Path) -> bool:
        """Whether the paths the preview was given select this document, as build's."""
        return selected(folder, self.paths)

    def _discover(self) -> bool:
        """Find document folders that came or went; True if any did."""
        found = {
            source.key: source
            for source in pipeline.sources(self.root)
            if self._selected(source.folder)
        }
        changed = False
        for key in [k for k in self.entries if k not in found]:
            del self.entries[key]
            for target in [t for t, p in self.pages.items() if f"{p.kind}/{p.slug}" == key]:
                del self.pages[target]
            changed = True
        for key, source in found.items():
            if key not in self.entries:
                entry = self.entries[key] = Entry(source.kind, source.folder)
                entry.mark(self.langs)
                changed = True
        if changed:
            self.index_version = self._next_version()
        return changed

    def invalidate(self, paths: Iterable[Path]) -> set[str]:
        """Mark stale what the changed ``paths`` feed; return the documents' keys."""
        with self.changed:
            self._discover()
            touched: set[str] = set()
            for path in paths:
                path = path.resolve()
                owner = next(
                    (k for k, e in self.entries.items() if path.is_relative_to(e.folder)), None
                )
                if owner is not None:
                    self._stale(owner, self._languages_fed(self.entries[owner], path))
                    touched.add(owner)
                elif path.parent in {self.root / d for d in kind_dirs(self.root).values()}:
                    continue  # a document folder came or went: discovery saw to it
                else:
                    # Settings, templates, a glossary, an image: anything may use them.
                    if path == self.root / SETTINGS_FILE:
                        self._load_project()
                    for key in self.entries:
                        self._stale(key, set(self.langs))
                    touched.update(self.entries)
            return touched

    def _stale(self, key: str, langs: set[str]) -> None:
        entry = self.entries[key]
        entry.loaded = False
        entry.mark(langs & set(self.langs))

    def _languages_fed(self, entry: Entry, path: Path) -> set[str]:
        """The languages whose version ``path`` is made from (a chapter, ``en.md``), or all
        of them (the facts, a file new to the document)."""
        if entry.document is None:
            return set(self.langs)
        fed = set()
        for lang in entry.languages:
            try:
                sources = {p.resolve() for p in entry.document.sources(lang)}
            except (KeyError, AttributeError):  # that language did not load
                return set(self.langs)
            if path in sources:
                fed.add(lang)
        return fed or set(self.langs)

    # -- rendering --------------------------------------------------------------------

    def refresh(self, first: Iterable[str] = ()) -> Refresh:
        """Render every stale page: open pages first, then the documents in ``first``."""
        from plandocs.kinds.loads import new_run

        new_run()
        started = time.perf_counter()
        pages = 0
        failed: list[str] = []
        wanted = set(first)
        while True:
            with self.changed:
                target = self._next_stale(wanted)
                if target is None:
                    break
                rendered, error = self._render(target)
                pages += rendered
                if error is not None and error not in failed:
                    failed.append(error)
                self.changed.notify_all()
        return Refresh(pages, failed, time.perf_counter() - started)

    def _next_stale(self, wanted: set[str]) -> str | None:
        stale = [
            target_of(lang, entry.kind, entry.folder.name, part)
            for entry in self.entries.values()
            for lang in sorted(entry.stale)
            for part in sorted(
                entry.stale_parts.get(lang, {None}), key=lambda p: (p is not None, p)
            )
        ]
        if not stale:
            return None
        stale.sort(key=lambda t: (t not in self.viewers, _key_of(t) not in wanted, t))
        return stale[0]

    def page(self, target: str) -> Page | None:
        """A fresh copy of one page (rendered now if stale), or None if there is none."""
        with self.changed:
            lang, key, part = _split(target)
            entry = self.entries.get(key)
            if entry is not None and lang in entry.stale:
                if not entry.loaded:
                    self._load(entry)
                if part in entry.stale_parts.get(lang, set()):
                    self._render(target)
                    self.changed.notify_all()
            page = self.pages.get(target)
            return Page(**vars(page)) if page else None

    def all_pages(self) -> list[Page]:
        """Every page, fresh, in language then document order (a folder's recap before
        its parts)."""
        self.refresh()
        with self.changed:
            pages = [Page(**vars(p)) for p in self.pages.values()]
        order = {lang: n for n, lang in enumerate(self.langs)}
        return sorted(
            pages,
            key=lambda p: (order.get(p.lang, 99), p.kind, p.slug, p.part is not None, p.part or ""),
        )

    def languages_of(self, kind: str, slug: str) -> list[str]:
        with self.changed:
            entry = self.entries.get(f"{kind}/{slug}")
            return [lang for lang in entry.languages if lang in self.langs] if entry else []

    def _load(self, entry: Entry) -> None:
        """Load the document again; what changes for its languages and parts marks them
        stale, and the pages of a language or part it no longer has go."""
        before = (entry.load_error, set(entry.languages), list(entry.parts))
        try:
            if self._project_error is not None:
                raise _Failed(self._project_error)
            entry.document = pipeline.load(self._project, pipeline.Source(entry.kind, entry.folder))
            entry.load_error = None
            entry.languages = entry.document.languages()
            entry.parts = entry.document.parts()
        except Exception as exc:  # a bug in plandocs too: one line on the page, no traceback
            entry.document = None
            failed = exc if isinstance(exc, _Failed) else pipeline.failure(exc, entry.folder)
            entry.load_error = self._message(failed, entry.folder)
            # The languages it had, or every language while none is known.
            entry.languages = entry.languages or list(self.langs)
        entry.loaded = True
        now = set(entry.languages) & set(self.langs)
        if entry.load_error != before[0]:
            entry.mark(now)  # every page shows the error, or no longer does
        entry.mark(now - before[1])
        new_parts = [p for p in entry.parts if p not in before[2]]
        for lang in entry.stale:
            entry.stale_parts.setdefault(lang, set()).update(new_parts)
        gone = []
        for lang in (before[1] | entry.stale) - now:
            entry.stale.discard(lang)
            entry.stale_parts.pop(lang, None)
            gone.append(lang)
        for target, page in list(self.pages.items()):
            if f"{page.kind}/{page.slug}" == entry.key and (
                page.lang in gone or page.part not in entry.parts
            ):
                del self.pages[target]  # a language or part it no longer has
                self.index_version = self._next_version()
        for lang in list(entry.stale):
            entry.stale_parts[lang] &= set(entry.parts)
            if not entry.stale_parts[lang]:
                entry.stale.discard(lang)
                del entry.stale_parts[lang]

    def _render(self, target: str) -> tuple[bool, str | None]:
        """Render one page (loading its document first if need be): whether there was a
        page to render, and its error, if any."""
        lang, key, part = _split(target)
        entry = self.entries[key]
        if not entry.loaded:
            self._load(entry)
        if lang not in entry.stale or part not in entry.stale_parts.get(lang, set()):
            return False, None  # the document turned out not to have this page (now)
        entry.rendered(lang, part)
        if entry.load_error is not None:
            self._store(target, entry, part, None, None, entry.load_error)
            return True, entry.load_error
        try:
            source = pipeline.Source(entry.kind, entry.folder)
            document = entry.document.select(part)
            rendered = pipeline.render(self._project, source, document, lang, self.draft)
        except Exception as exc:
            message = self._message(pipeline.failure(exc, entry.folder), entry.folder)
            self._store(target, entry, part, None, None, message)
            return True, message
        self._store(target, entry, part, rendered.html, rendered.title, None)
        return True, None

    def _message(self, exc: Exception, folder: Path) -> str:
        if isinstance(exc, _Failed):
            return str(exc)
        assert isinstance(exc, PlandocsError)
        if exc.path is None:
            exc.path = folder
        return format_error(exc, self.root)

    def _store(
        self,
        target: str,
        entry: Entry,
        part: str | None,
        html: str | None,
        title: str | None,
        error: str | None,
    ) -> None:
        """Keep a rendering (``html``) or a failure (``error``, with the last good html)."""
        lang = target.partition("/")[0]
        page = self.pages.get(target)
        index_changed = page is None
        if page is None:
            page = self.pages[target] = Page(entry.kind, entry.folder.name, lang, part)
        before = (page.html, page.title, page.error)
        if html is not None:
            page.html, page.title = html, title
        page.error = error
        if (page.html, page.title, page.error) != before or not page.version:
            page.version = self._next_version()
            index_changed = index_changed or before[1:] != (page.title, page.error)
        if index_changed:
            self.index_version = self._next_version()


def _split(target: str) -> tuple[str, str, str | None]:
    """``<lang>/<kind>/<slug>[/<part>]`` → (lang, ``kind/slug``, part or None)."""
    lang, _, doc = target.partition("/")
    kind, _, rest = doc.partition("/")
    slug, _, part = rest.partition("/")
    return lang, f"{kind}/{slug}", part or None


def _part_order(part: str | None) -> tuple[bool, str]:
    return part is not None, part or ""


def _key_of(target: str) -> str:
    return _split(target)[1]


class _Failed(Exception):
    """The project itself cannot be loaded (its settings); the message is located."""
