"""Chapter-granular PDF: a long document laid out unit by unit, each unit cached.

A document whose HTML is made of ``<section data-page=…>`` parts (a Renstra) is cut
into units — the cover and front matter together, then each chapter and each annex —
and each unit is laid out by WeasyPrint on its own, as a document made of the page's
``<head>`` (the one stylesheet), what the body holds before its first section (the
running header, the draft stamp) and the unit's sections. Each unit's PDF is kept in
``build/.plandocs/units/`` under the SHA-256 of everything that changes its layout:
its HTML, the stylesheet rules the writer adds, the PDF options, the files it shows
(their bytes), plandocs' own code and WeasyPrint's version. A unit whose key is found
(and whose PDF still has the digest recorded beside it) is not laid out again; stale
units are laid out in parallel (``--jobs``).

Units do not depend on each other's length:

* the page numbers are not laid out with the units (their footer is left empty) but
  stamped on the assembled pages from one small WeasyPrint document of empty pages of
  the same kinds and sizes with the same ``@page`` rules (so in the same font, at the
  same place), drawn as an artifact, outside the structure tree;
* the body's units know nothing of the front matter; the front matter (its table of
  contents and lists of tables and figures) gets every entry's page number as a
  stylesheet rule: it is laid out beside the chapters with the numbers it printed last
  time, and again after them only when one of those numbers changed.

Then pikepdf assembles the document: the units' pages, one structure tree (the units'
elements under one ``Document`` element, the parent tree renumbered), the named
destinations the links point to (across units), the outline, the page labels, the
metadata of the first unit, and one font per face (the units' subsets merged), saved
with a deterministic id: the same inputs give the same bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plandocs.errors import WriterError

UNIT_DIR = ".plandocs/units"
"""Where the units' PDFs are kept, under ``build/``."""
MAX_FRONT_ROUNDS = 3
MAX_ENTRIES = 400
"""Units kept (the least recently used go first): some twenty Renstras' worth."""
_ENTRY = re.compile(r"[0-9a-f]{64}\.json")

_SECTION = re.compile(r'<section\b[^>]*\sdata-page="([\w-]*)"[^>]*>')
_BODY_OPEN = re.compile(r"<body\b[^>]*>")
NO_FOOTER = "@page { @bottom-right { content: none !important; } }"
"""The units are laid out without page numbers: the assembly stamps them."""

FOREIGN = "plandocs-anchor:"
"""A link to an anchor in another unit is written ``plandocs-anchor:name`` while the
unit is laid out (WeasyPrint drops a link to an anchor it does not have)."""
_ID = re.compile(r'\sid="([^"<>]+)"')
_LOCAL_HREF = re.compile(r'(\shref=")#([\w.-]+)"')

laid_out: list[str] = []
"""The name of every unit laid out (not taken from the cache) in this process, in
order: what tests observe of the cache."""

Page = tuple[str, list[str]]
"""A laid-out page: its kind (cover, front, body, landscape) and the anchors on it."""


@dataclass(frozen=True)
class Unit:
    name: str
    """``front``, ``unit-1`` … (in order)."""
    html: str
    front: bool


def split_units(html: str) -> list[Unit] | None:
    """The units of ``html``: everything up to the first body section (cover and front
    matter), then each section after it; None when the document has no such sections."""
    sections = list(_SECTION.finditer(html))
    body_open = _BODY_OPEN.search(html)
    end = html.rfind("</body>")
    if len(sections) < 2 or body_open is None or end < sections[-1].start():
        return None
    head = html[: sections[0].start()]
    # What the body holds before its first section is repeated in every unit when it is
    # only what every page shows (the running header, the draft stamp); anything else
    # there (a redline's summary) belongs to the first unit alone.
    shared = html[: body_open.end()] + _running_only(html[body_open.end() : sections[0].start()])
    tail = html[end:]
    starts: list[tuple[int, bool]] = []
    for match in sections:
        front = match.group(1) not in ("body", "landscape")
        if starts and front and starts[-1][1]:
            continue  # the cover and the front matter: one unit
        starts.append((match.start(), front))
    if len(starts) < 2:
        return None
    units = []
    for index, (start, front) in enumerate(starts):
        stop = starts[index + 1][0] if index + 1 < len(starts) else end
        name = "front" if front and index == 0 else f"unit-{index}"
        opening = head if index == 0 else shared
        units.append(Unit(name, opening + html[start:stop] + tail, front and index == 0))
    return [Unit(unit.name, _mark_foreign(unit.html), unit.front) for unit in units]


RUNNING = ("running-header", "draft-mark", "draft-line")
"""The classes of the elements every page shows, placed out of the flow by the
stylesheet (``position: running(…)`` or ``fixed``)."""


def _running_only(prefix: str) -> str:
    """Of what comes before the first section, only the elements every page shows."""
    from lxml import html as lxml_html

    if not prefix.strip():
        return prefix
    try:
        parts = lxml_html.fragments_fromstring(prefix)
    except Exception:
        return ""
    kept = [
        part
        for part in parts
        if not isinstance(part, str)
        and any(name in (part.get("class") or "").split() for name in RUNNING)
    ]
    if all((isinstance(p, str) and not p.strip()) or any(p is k for k in kept) for p in parts):
        return prefix
    return "".join(
        str(lxml_html.tostring(part, encoding="unicode", with_tail=False)) + "\n" for part in kept
    )


def _mark_foreign(html: str) -> str:
    """``html`` with its links to anchors it does not hold written as FOREIGN URIs."""
    ids = set(_ID.findall(html))

    def mark(match: re.Match[str]) -> str:
        if match.group(2) in ids:
            return match.group(0)
        return f'{match.group(1)}{FOREIGN}{match.group(2)}"'

    return _LOCAL_HREF.sub(mark, html)


def head_of(html: str) -> str:
    """The document up to and including its ``<body>`` tag."""
    match = _BODY_OPEN.search(html)
    return html[: match.end()] if match else html


# --- the cache -------------------------------------------------------------------


class UnitCache:
    """Unit PDFs under ``build/.plandocs/units/``: ``<key>.pdf`` and ``<key>.json``
    (its pages and the PDF's digest). An entry that does not read back whole is laid
    out again."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data: dict[str, bytes] = {}
        """The PDF of each entry read or written, as checked."""

    def path(self, name: str) -> Path:
        from plandocs.build.manifest import BUILD_DIR, output_path

        return output_path(self.root, f"{BUILD_DIR}/{UNIT_DIR}/{name}")

    def get(self, key: str) -> list[Page] | None:
        try:
            meta = json.loads(_read(self.path(f"{key}.json")).decode("utf-8"))
            data = _read(self.path(f"{key}.pdf"))
        except (OSError, ValueError, WriterError):
            return None
        except Exception:  # an OutputError (a link out of build/): not trusted
            return None
        if not isinstance(meta, dict) or meta.get("sha256") != hashlib.sha256(data).hexdigest():
            return None
        pages = meta.get("pages")
        if not isinstance(pages, list) or not pages:
            return None
        with contextlib.suppress(OSError):
            os.utime(self.path(f"{key}.json"), follow_symlinks=False)  # kept longest
        self.data[key] = data
        try:
            return [(str(kind), [str(a) for a in anchors]) for kind, anchors in pages]
        except (TypeError, ValueError):
            return None

    def put(self, key: str, pdf: Path, pages: list[Page]) -> None:
        from plandocs.writers.base import atomic_path

        data = pdf.read_bytes()
        self.data[key] = data
        meta = {"sha256": hashlib.sha256(data).hexdigest(), "pages": pages}
        with atomic_path(self.path(f"{key}.pdf")) as tmp:
            tmp.write_bytes(data)
        with atomic_path(self.path(f"{key}.json")) as tmp:
            tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    def prune(self, limit: int = MAX_ENTRIES) -> None:
        """Remove the least recently used entries beyond ``limit``."""
        try:
            folder = self.path("x").parent
            entries = [
                (entry.stat().st_mtime, entry.name[:64])
                for entry in os.scandir(folder)
                if _ENTRY.fullmatch(entry.name) and entry.is_file(follow_symlinks=False)
            ]
        except (OSError, WriterError):
            return
        except Exception:
            return
        for _time, key in sorted(entries, reverse=True)[limit:]:
            for suffix in (".json", ".pdf"):
                with contextlib.suppress(OSError):
                    os.unlink(folder / f"{key}{suffix}")

    def note(self, name: str) -> dict[str, str]:
        try:
            value = json.loads(_read(self.path(name)).decode("utf-8"))
        except Exception:
            return {}
        if isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            return value
        return {}

    def write_note(self, name: str, value: dict[str, str]) -> None:
        from plandocs.writers.base import atomic_path

        with contextlib.suppress(OSError), atomic_path(self.path(name)) as tmp:
            tmp.write_text(json.dumps(value, sort_keys=True), encoding="utf-8")


def _read(path: Path) -> bytes:
    """A regular file's bytes — never through a link, never waiting on a FIFO."""
    import stat

    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)


def unit_key(root: Path, html: str, css: str, options: dict[str, Any]) -> str:
    """The SHA-256 of what decides a unit's pages."""
    import weasyprint

    from plandocs.build.manifest import code_fingerprint

    digest = hashlib.sha256()
    parts = [
        code_fingerprint(),
        str(weasyprint.__version__),
        json.dumps(_layout_options(options), sort_keys=True),
        css,
        html,
    ]
    parts += [f"{rel}={value}" for rel, value in sorted(_shown_files(root, html).items())]
    for part in parts:
        data = part.encode("utf-8", "surrogateescape")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _layout_options(options: dict[str, Any]) -> dict[str, Any]:
    return {
        "tagged": bool(options.get("tagged", True)),
        "archive": bool(options.get("archive")),
        "cover_label": str(options.get("cover_label") or ""),
    }


def _shown_files(root: Path, html: str) -> dict[str, str]:
    """The digest of every project file the HTML shows (images, stylesheets); read
    through the project's reader, so they count as the document's inputs too."""
    from plandocs.errors import PlandocsError
    from plandocs.safety.paths import fetch_target
    from plandocs.safety.reader import digest, read_bytes
    from plandocs.writers.pdf.writer import referenced_urls

    shown: dict[str, str] = {}
    for url in referenced_urls(root, html):
        try:
            path = fetch_target(root, url)
            shown[url] = digest(read_bytes(path))
        except (ValueError, PlandocsError) as exc:
            raise WriterError(str(getattr(exc, "message", exc))) from None
    return shown


# --- laying the units out ------------------------------------------------------


def lay_out_unit(
    root: Path, html: str, css: str, options: dict[str, Any], target: Path
) -> list[Page]:
    """Lay one unit out into ``target``: its pages' kinds and anchors."""
    import weasyprint

    from plandocs.writers.pdf.writer import lay_out_html, variant

    document = lay_out_html(root, html, [weasyprint.CSS(string=css)] if css else [])
    pages = [(_kind(page), list(page.anchors)) for page in document.pages]
    document.write_pdf(target, **variant(options))
    return pages


def _kind(page: Any) -> str:
    from plandocs.writers.pdf.writer import _page_kind

    return _page_kind(page)


def _unit_job(
    root: Path, html: str, css: str, options: dict[str, Any], target: Path
) -> tuple[list[Page], dict[str, str]]:
    """In a worker process: one unit, and the files its layout read."""
    from plandocs.safety.reader import recording

    with recording(root) as recorder:
        pages = lay_out_unit(root, html, css, options, target)
    return pages, dict(recorder.reads)


@dataclass
class Job:
    name: str
    key: str
    html: str
    css: str
    options: dict[str, Any] | None = None
    """The PDF options of this job, when not the document's."""


def run_jobs(
    root: Path, jobs: list[Job], options: dict[str, Any], cache: UnitCache, workers: int
) -> dict[str, list[Page]]:
    """Lay out ``jobs`` (in parallel when there are workers to spare), each into the
    cache; their pages by key."""
    import tempfile

    from plandocs.safety.reader import current

    results: dict[str, list[Page]] = {}
    if not jobs:
        return results
    with tempfile.TemporaryDirectory(prefix="plandocs-units-") as scratch:
        targets = {job.key: Path(scratch) / f"{job.key}.pdf" for job in jobs}
        done: list[tuple[Job, list[Page], dict[str, str]]] = []
        if workers > 1 and len(jobs) > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor, wait

            from plandocs.build.work import die_with_parent

            ordered = sorted(jobs, key=lambda job: -len(job.html))  # longest first
            context = multiprocessing.get_context("fork")
            pool = ProcessPoolExecutor(
                min(workers, len(jobs)), mp_context=context, initializer=die_with_parent
            )
            try:
                futures = [
                    (
                        job,
                        pool.submit(
                            _unit_job,
                            root,
                            job.html,
                            job.css,
                            job.options or options,
                            targets[job.key],
                        ),
                    )
                    for job in ordered
                ]
                for job, future in futures:
                    while not future.done():  # short waits: a budget's deadline can stop us
                        wait([future], timeout=0.2)
                    pages, reads = future.result()
                    done.append((job, pages, reads))
            except BaseException:
                # Stop the workers now rather than wait for the units still being laid out.
                for process in list(getattr(pool, "_processes", {}).values()):
                    with contextlib.suppress(Exception):
                        process.terminate()
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            pool.shutdown(wait=True)
        else:
            for job in jobs:
                pages = lay_out_unit(
                    root, job.html, job.css, job.options or options, targets[job.key]
                )
                done.append((job, pages, {}))
        recorder = current()
        for job, pages, reads in done:
            laid_out.append(job.name)
            del laid_out[:-1000]  # a watch runs for days
            if recorder is not None:
                recorder.reads.update(reads)
            cache.put(job.key, targets[job.key], pages)
            results[job.key] = pages
    return results


# --- the whole document -----------------------------------------------------------


def layout_units(
    root: Path,
    html: str,
    units: list[Unit],
    path: Path,
    options: dict[str, Any],
    front_rules: Callable[[dict[str, str], tuple[str, ...]], str],
) -> dict[str, str]:
    """Write the document ``units`` make at ``path``; the printed page label of each
    anchor. ``front_rules`` gives the stylesheet rules that print the given labels in
    the front matter's contents and lists."""
    from plandocs.writers.pdf.writer import label_ranges, page_labels

    cache = UnitCache(root)
    workers = max(1, int(options.get("jobs") or 1))
    body = [unit for unit in units if not unit.front]
    front = next((unit for unit in units if unit.front), None)
    keys = {unit.name: unit_key(root, unit.html, NO_FOOTER, options) for unit in body}
    wanted = [Job(unit.name, keys[unit.name], unit.html, NO_FOOTER) for unit in body]
    # The front matter is laid out with the page numbers it printed last time (its
    # note), beside the chapters; again after them only if those numbers changed.
    note = ""
    guess: dict[str, str] = {}
    if front is not None:
        note = "front-" + hashlib.sha256(front.html.encode("utf-8", "surrogateescape")).hexdigest()
        guess = cache.note(f"{note}.json")
        wanted.append(_front_job(root, front, guess, options, front_rules))
    pages: dict[str, list[Page]] = {}
    stale: list[Job] = []
    for job in wanted:
        found = cache.get(job.key)
        if found is None:
            stale.append(job)
        else:
            pages[job.key] = found
    pages.update(run_jobs(root, stale, options, cache, workers))
    body_pages = [page for unit in body for page in pages[keys[unit.name]]]
    body_labels = page_labels([("body", anchors) for _kind, anchors in body_pages], 0)

    front_pages: list[Page] = []
    order = [keys[unit.name] for unit in body]
    if front is not None:
        job = wanted[-1]
        for _round in range(MAX_FRONT_ROUNDS):
            front_pages = pages[job.key]
            own = page_labels(front_pages, len(front_pages))
            printed = {**body_labels, **{a: v for a, v in own.items() if a not in body_labels}}
            if printed == guess:
                break
            guess = printed
            job = _front_job(root, front, guess, options, front_rules)
            found = cache.get(job.key)
            if found is None:
                found = run_jobs(root, [job], options, cache, 1)[job.key]
            pages[job.key] = found
        front_pages = pages[job.key]
        cache.write_note(f"{note}.json", guess)
        order.insert(0, job.key)

    all_pages = front_pages + body_pages
    labels = page_labels(all_pages, len(front_pages))
    kinds = [kind for kind, _anchors in all_pages]
    stamp = _stamp(root, html, kinds, len(front_pages), cache)
    ranges = label_ranges(kinds, str(options.get("cover_label") or ""))
    assemble([cache.data[key] for key in order], stamp, ranges, path)
    cache.prune()
    return labels


def _front_job(
    root: Path,
    front: Unit,
    labels: dict[str, str],
    options: dict[str, Any],
    front_rules: Callable[[dict[str, str], tuple[str, ...]], str],
) -> Job:
    """The front matter laid out with ``labels`` in its contents and lists."""
    css = NO_FOOTER + "\n" + front_rules(labels, ("#", FOREIGN))
    return Job(front.name, unit_key(root, front.html, css, options), front.html, css)


def _stamp(root: Path, html: str, kinds: list[str], before_body: int, cache: UnitCache) -> bytes:
    """A PDF of empty pages of ``kinds`` with only their page numbers: the document's
    own ``@page`` rules, in its fonts."""
    job = _stamp_job(root, html, kinds, before_body)
    if cache.get(job.key) is None:
        run_jobs(root, [job], STAMP_OPTIONS, cache, 1)
    return cache.data[job.key]


STAMP_OPTIONS = {"tagged": False}
"""The page numbers are drawn as artifacts: their own PDF needs no tags."""


def _stamp_job(root: Path, html: str, kinds: list[str], before_body: int) -> Job:
    divs = "".join(
        f'<div style="page: {kind or "auto"}; break-before: page; height: 1px"></div>'
        for kind in kinds
    )
    text = head_of(html) + divs + "</body></html>"
    css = (
        "@page { @top-center { content: none !important; } "
        "@bottom-left { content: none !important; } }\n"
        f"@page :first {{ counter-reset: page {1 - before_body} }}"
    )
    key = unit_key(root, text, css, STAMP_OPTIONS)
    return Job("page numbers", key, text, css, STAMP_OPTIONS)


# --- assembly -----------------------------------------------------------------------


def assemble(
    units: Sequence[bytes], stamp: bytes, ranges: list[tuple[int, dict[str, Any]]], path: Path
) -> None:
    """One PDF of the ``units``' pages, numbered from ``stamp``, at ``path``."""
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


# --- fonts ----------------------------------------------------------------------------


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


def _page_labels(out: Any, ranges: list[tuple[int, dict[str, Any]]]) -> None:
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


__all__ = ["Unit", "assemble", "laid_out", "layout_units", "split_units"]
