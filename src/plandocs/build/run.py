"""Rebuild exactly the stale outputs of a project (:mod:`plandocs.build.plan`), record
what they used.

The work — one item per (document or part, language) — runs in this process or, with
``jobs > 1``, in worker processes; the manifest is written at the end, also when the
build is interrupted, so it always describes the files on disk. An output edited since
plandocs wrote it is set aside before anything replaces or removes it.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from plandocs import code_fingerprint
from plandocs.build.item import Item, ItemResult, run_item
from plandocs.build.manifest import Hasher, Manifest
from plandocs.build.outputs import (
    build_dir_of,
    build_lock,
    remove_output,
    set_aside,
    sweep_temporaries,
)
from plandocs.build.plan import build_options, check_paths, plan
from plandocs.build.shards import SHARD_MANIFEST, in_shard, shard_names
from plandocs.build.work import PdfHelper, set_pdf_jobs
from plandocs.errors import (
    REPORT_HINT,
    BuildDirError,
    InternalError,
    OutputError,
    PlandocsError,
    SettingsError,
)
from plandocs.kinds.discover import stray_entries
from plandocs.safety.paths import is_dir

if TYPE_CHECKING:
    from plandocs.project import Project


@dataclass
class BuildReport:
    """What a build did: files written, documents skipped, problems met."""

    root: Path
    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[PlandocsError] = field(default_factory=list)
    warnings: list[PlandocsError] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    set_aside: list[tuple[Path, Path]] = field(default_factory=list)
    """Outputs edited since they were written, and where they were moved."""
    unchanged: int = 0
    seconds: float = 0.0
    messages: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        parts = [f"{len(self.written)} written"]
        if self.unchanged:
            parts.append(f"{self.unchanged} unchanged")
        if self.removed:
            parts.append(f"{len(self.removed)} removed")
        if self.set_aside:
            parts.append(f"{len(self.set_aside)} edited kept aside")
        parts += [f"{len(self.skipped)} skipped", f"{len(self.failed)} failed"]
        if self.warnings:
            parts.append(f"{len(self.warnings)} warnings")
        return ", ".join(parts) + f" in {self.seconds:.1f} s"


@dataclass(frozen=True)
class Request:
    """What a build was asked to do, as given on the command line."""

    langs: tuple[str, ...]
    formats: tuple[str, ...]
    paths: tuple[Path, ...] = ()
    force: bool = False
    jobs: int = 1
    draft: bool = False
    pdfa: bool = False
    shard: tuple[int, int] | None = None
    """``(I, N)``: only the I-th of N fixed parts of the documents."""


Event = Callable[[str, str], None]
"""A callback for progress: (kind, message); kinds: wrote, skip, error, warning, note,
why, removed, plan (the number of items to build), done (one item finished)."""


def _silent(kind: str, message: str) -> None:
    pass


def _merge_shards(build_dir: Path, manifest: Manifest) -> list[str]:
    """Take the manifest parts that shards of a batch wrote (in this build/, or copied
    into it from other machines) into the whole build's manifest: their outputs are
    disjoint, each recorded by the shard that wrote it. Returns the parts' names."""
    names = sorted(n for n in os.listdir(build_dir) if SHARD_MANIFEST.match(n))
    for name in names:
        part = Manifest.load(build_dir, name)
        if not manifest.outputs:
            manifest.code, manifest.settings = part.code, part.settings
        elif part.code != manifest.code:
            continue  # made by another plandocs: its outputs are rebuilt anyway
        manifest.outputs.update(part.outputs)
        manifest.documents.update(part.documents)
        manifest.page_labels.update(part.page_labels)
    return names


def _report_problem(report: BuildReport, error: PlandocsError, on_event: Event) -> None:
    text = format_error(error, report.root)
    if text in report.messages:
        return  # a document's facts fail each of its languages the same way
    report.messages.add(text)
    report.failed.append(error)
    on_event("error", text)


def _report_warning(report: BuildReport, warning: PlandocsError, on_event: Event) -> None:
    text = warning.format(report.root, "warning")
    if text in report.messages:
        return
    report.messages.add(text)
    report.warnings.append(warning)
    on_event("warning", text)


def _apply(
    result: ItemResult,
    manifest: Manifest,
    root: Path,
    report: BuildReport,
    on_event: Event,
    listing: str,
) -> None:
    item = result.item
    for warning in result.warnings:
        _report_warning(report, warning, on_event)
    for error in result.errors:
        _report_problem(report, error, on_event)
    if result.skipped:
        report.skipped.append(result.skipped)
        on_event("skip", result.skipped)
    if result.languages is not None and not result.errors:
        manifest.documents[item.key] = {"listing": listing, "languages": result.languages}
    for rel in result.written:
        report.written.append(root / rel)
        manifest.outputs[rel] = result.records[rel]
        on_event("wrote", rel)
    if result.page_labels is not None:
        manifest.page_labels[f"{item.unit}/{item.lang}"] = result.page_labels
    # Outputs of a language the document no longer has.
    if result.languages is not None and item.lang not in result.languages:
        for rel, record in list(manifest.outputs.items()):
            if record["document"] == item.key and record["lang"] == item.lang:
                _remove(root, rel, manifest, report, on_event)


def _remove(root: Path, rel: str, manifest: Manifest, report: BuildReport, on_event: Event) -> None:
    """Remove an output of a document that is gone — only ever a file inside build/,
    and never one edited since it was written (that one is set aside)."""
    if _protect(root, rel, manifest, report, on_event, "its document is gone") is not None:
        manifest.outputs.pop(rel, None)
        return
    manifest.outputs.pop(rel, None)
    try:
        if not remove_output(root, rel):
            return
    except OSError as exc:
        from plandocs.safety.paths import os_reason

        _report_problem(
            report, OutputError(f"cannot remove it: {os_reason(exc)}", root / rel), on_event
        )
        return
    report.removed.append(root / rel)
    on_event("removed", rel)


def _protect(
    root: Path, rel: str, manifest: Manifest, report: BuildReport, on_event: Event, then: str
) -> str | None:
    """If ``rel`` was edited since plandocs wrote it, move it aside (``x.edited.docx``)
    with a warning naming both files, and return the new name."""
    if not manifest.edited(rel, root):
        return None
    try:
        aside = set_aside(root, rel)
    except OutputError as exc:
        # Never overwrite an edit: this output is not written in this build.
        _report_problem(report, exc, on_event)
        return ""
    report.set_aside.append((root / rel, root / aside))
    _report_warning(
        report,
        OutputError(
            f"edited since plandocs wrote it; moved to {aside} so that the edit is kept "
            f"({then}); compare the two, or carry the change into the content "
            f"(plandocs review {aside})",
            root / rel,
        ),
        on_event,
    )
    return aside


def build(
    root: Path,
    langs: Iterable[str],
    formats: Iterable[str],
    paths: Sequence[Path] = (),
    on_event: Event = _silent,
    *,
    force: bool = False,
    jobs: int = 1,
    draft: bool = False,
    pdfa: bool = False,
    shard: tuple[int, int] | None = None,
) -> BuildReport:
    """Build what is stale among the selected documents; one failure stops no other.

    With ``shard=(I, N)``, only the documents of the I-th of N fixed parts (see
    :func:`plandocs.build.manifest.in_shard`), recorded in that shard's own manifest part."""
    started = time.perf_counter()
    report = BuildReport(root)
    try:
        request = Request(
            tuple(langs), tuple(formats), tuple(paths), force, jobs, draft, pdfa, shard
        )
        _build(root, request, on_event, report)
    except PlandocsError as exc:
        _report_problem(report, exc, on_event)
    except Exception as exc:  # a bug in plandocs: one line, never a traceback
        _report_problem(report, InternalError.from_exception(exc, root / "plandocs.yaml"), on_event)
    report.seconds = time.perf_counter() - started
    return report


def _build(root: Path, request: Request, on_event: Event, report: BuildReport) -> None:
    from plandocs.safety.paths import is_file, resolve_inside

    if not is_file(root / "plandocs.yaml"):
        raise SettingsError(
            "no plandocs.yaml here; run plandocs in a project folder or pass --project DIR",
            root / "plandocs.yaml",
        )
    resolve_inside(root, root / "plandocs.yaml", "settings file", SettingsError)
    problems = check_paths(root, request.paths)
    if problems:
        for problem in problems:
            _report_problem(report, problem, on_event)
        return
    build_dir = build_dir_of(root)
    manifest_name, lock_name = shard_names(request.shard)
    with build_lock(
        build_dir,
        lambda: on_event(
            "note", "another build of this project is running; waiting for it to finish"
        ),
        lock_name,
    ):
        # Shards of a batch may share build/: each touches only its own files.
        merged: list[str] = []
        if request.shard is None:
            sweep_temporaries(build_dir)
        manifest = Manifest.load(build_dir, manifest_name)
        if request.shard is None:
            merged = _merge_shards(build_dir, manifest)
        try:
            _build_locked(root, build_dir, manifest, request, on_event, report)
        finally:
            try:
                manifest.save(build_dir, manifest_name)
                for name in merged:  # now part of the whole build's manifest
                    with contextlib.suppress(OSError):
                        os.unlink(build_dir / name)
            except OutputError as exc:
                _report_problem(report, exc, on_event)


def _build_locked(
    root: Path,
    build_dir: Path,
    manifest: Manifest,
    request: Request,
    on_event: Event,
    report: BuildReport,
) -> None:
    for warning in stray_entries(root):
        _report_warning(report, warning, on_event)
    settings_hash = Hasher(root).file("plandocs.yaml") or ""
    options = build_options(request.draft, request.pdfa)
    # PDF first: the DOCX takes its page labels.
    order = [f for f in ("pdf", "docx", "html") if f in request.formats]
    items, report.unchanged, removed = plan(
        root, manifest, request.langs, order, request.paths, options, request.force
    )
    items = [item for item in items if in_shard(item.unit, item.lang, request.shard)]
    # Fewer documents than cores: build them here, and their PDFs on a spare core in a
    # helper process, started first so that its WeasyPrint import overlaps all the rest.
    jobs = request.jobs
    serial = jobs <= 1 or len(items) < jobs
    wants_pdf = any("pdf" in i.formats for i in items)
    helper = PdfHelper() if serial and jobs > 1 and wants_pdf else None
    set_pdf_jobs(jobs if serial else 1)
    try:
        project: Project | None = None
        common: dict[str, str] = {}
        if items or settings_hash != manifest.settings:
            # The settings are read once per build, and only when there is work to do
            # or they changed since they were last found valid.
            from plandocs.project import Project
            from plandocs.safety.reader import recording

            with recording(root) as recorder:
                try:
                    project = Project.load(root)
                except PlandocsError as exc:
                    _report_problem(report, exc, on_event)
                    return
                finally:
                    for problem in recorder.warnings:
                        _report_warning(report, problem, on_event)
            common = {"plandocs.yaml": recorder.reads.get("plandocs.yaml", settings_hash)}
            manifest.settings = settings_hash
        manifest.code = code_fingerprint()
        for rel in removed:
            _remove(root, rel, manifest, report, on_event)
        for key in [
            k
            for k in manifest.documents
            if not any(r["document"] == k for r in manifest.outputs.values())
            and not is_dir(root / "content" / k)
        ]:
            del manifest.documents[key]
        items = _protect_items(root, items, manifest, report, on_event)
        hasher = Hasher(root)
        listings = {item.key: hasher.listing(item.folder) for item in items}
        for item in items:
            for name, why in zip(item.formats, item.reasons, strict=True):
                on_event("why", f"{item.output(name)}: {why}")
        if project is None or not items:
            return
        # A broken kind (its kind.yaml, its schema, a template) fails its own documents,
        # each at the file and line of the problem; the others build.
        items = [replace(item, inputs=common) for item in items]
        on_event("plan", str(len(items)))
        results = (
            (run_item(project, i, helper) for i in items) if serial else _pool(project, items, jobs)
        )
        for result in results:
            _apply(result, manifest, root, report, on_event, listings[result.item.key])
            on_event("done", result.item.key)
            if any(isinstance(e, BuildDirError) for e in result.errors):
                # build/ cannot be written (full disk, read-only): every other document
                # would fail the same way.
                break
    finally:
        if helper is not None:
            helper.close()


def _protect_items(
    root: Path, items: list[Item], manifest: Manifest, report: BuildReport, on_event: Event
) -> list[Item]:
    """Set aside every output about to be written that was edited since it was written;
    an output that cannot be set aside is not written in this build."""
    kept: list[Item] = []
    for item in items:
        formats: list[str] = []
        reasons: list[str] = []
        for name, why in zip(item.formats, item.reasons, strict=True):
            rel = item.output(name)
            aside = _protect(root, rel, manifest, report, on_event, "a new one is written")
            if aside == "":
                continue
            formats.append(name)
            reasons.append(f"edited since it was written: moved to {aside}" if aside else why)
        if formats:
            kept.append(replace(item, formats=tuple(formats), reasons=tuple(reasons)))
    return kept


def _pool(project: Project, items: list[Item], jobs: int) -> Iterable[ItemResult]:
    """Results in completion order, from ``jobs`` worker processes. A worker that dies
    (killed, out of memory) fails only its own document: the documents not finished
    then are built again, each in a process of its own, to find which one it was."""
    # Largest first: a long document started last would leave the other workers idle.
    ordered = sorted(items, key=lambda i: (-i.weight, i.key))
    rest = yield from _pool_round(project, ordered, jobs)
    for item in rest:
        again = yield from _pool_round(project, [item], 1)
        if again:
            yield ItemResult(
                item,
                errors=[
                    InternalError(
                        "the process building this document stopped unexpectedly (killed, or "
                        "out of memory); " + REPORT_HINT,
                        item.folder,
                    )
                ],
            )


def _pool_round(
    project: Project, items: list[Item], jobs: int
) -> Generator[ItemResult, None, list[Item]]:
    """Build ``items`` in a pool; returns those left unfinished if a worker died."""
    from concurrent.futures import Future, as_completed

    from plandocs.workers import WorkerDied, start_pool

    finished: set[Future[ItemResult]] = set()
    with start_pool(min(jobs, len(items))) as pool:
        futures = {pool.submit(run_item, project, item): item for item in items}
        try:
            for future in as_completed(futures):
                item = futures[future]
                try:
                    result = future.result()
                except WorkerDied:
                    return [i for f, i in futures.items() if f not in finished]
                except Exception as exc:
                    result = ItemResult(
                        item, errors=[InternalError.from_exception(exc, item.folder)]
                    )
                finished.add(future)
                yield result
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return []


def format_error(exc: PlandocsError, root: Path) -> str:
    errors = getattr(exc, "errors", None)
    if errors:
        return "\n".join(e.format(root) for e in errors)
    return exc.format(root)
