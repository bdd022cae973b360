"""Plan the outputs of a project, rebuild exactly the stale ones, record what they used.

The plan needs only the manifest, file hashes and folder listings: a build with
nothing to do parses no YAML, renders nothing and imports no writer library. The
work — one item per (document, language) — runs in this process or, with
``jobs > 1``, in worker processes; the manifest is written at the end, also when the
build is interrupted, so it always describes the files on disk.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from plandocs.cache import Hasher, Manifest, code_fingerprint
from plandocs.discover import find_documents
from plandocs.errors import PlandocsError
from plandocs.work import BUILD_DIR, Item, ItemResult, PdfHelper, output_rel, run_item

if TYPE_CHECKING:
    from plandocs.project import Project


@dataclass
class BuildReport:
    """What a build did: files written, documents skipped, problems met."""

    root: Path
    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[PlandocsError] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
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
        parts += [f"{len(self.skipped)} skipped", f"{len(self.failed)} failed"]
        return ", ".join(parts) + f" in {self.seconds:.1f} s"


Event = Callable[[str, str], None]
"""A callback for progress: (kind, message); kinds: wrote, skip, error, why, removed,
plan (the number of items to build), done (one item finished)."""


def _silent(kind: str, message: str) -> None:
    pass


def _selected(folder: Path, paths: Sequence[Path]) -> bool:
    if not paths:
        return True
    folder = folder.resolve()
    for path in paths:
        path = path.resolve()
        if path == folder or path.is_relative_to(folder) or folder.is_relative_to(path):
            return True
    return False


def build_options(draft: bool, pdfa: bool = False) -> dict[str, object]:
    return {"draft": draft, "pdfa": pdfa, "epoch": os.environ.get("SOURCE_DATE_EPOCH") or None}


def plan(
    root: Path,
    manifest: Manifest,
    langs: Sequence[str],
    formats: Sequence[str],
    paths: Sequence[Path],
    options: dict[str, object],
    force: bool,
) -> tuple[list[Item], int, list[str]]:
    """The items to build, how many outputs are up to date, and outputs to remove."""
    hasher = Hasher(root)
    code = code_fingerprint()
    everything = force or manifest.code != code
    why_all = "--force" if force else ("plandocs changed" if manifest.outputs else "")
    today = dt.date.today().isoformat()
    items: list[Item] = []
    unchanged = 0
    present: set[str] = set()
    for kind, folder in find_documents(root):
        key = f"{kind}/{folder.name}"
        present.add(key)
        if not _selected(folder, paths):
            continue
        known = manifest.documents.get(key)
        listing = hasher.listing(folder)
        fresh_doc = known is not None and known.get("listing") == listing
        for lang in langs:
            if fresh_doc and lang not in known["languages"]:  # type: ignore[index]
                continue  # skipped before, and no file came or went since
            stale: list[str] = []
            reasons: list[str] = []
            for name in formats:
                rel = output_rel(lang, kind, folder.name, name)
                if everything:
                    why: str | None = why_all or "new output"
                elif not fresh_doc:
                    why = (
                        "new document"
                        if known is None
                        else f"files added or removed in {hasher.rel(folder)}"
                    )
                else:
                    why = manifest.why_stale(rel, hasher, options, root)
                    record = manifest.outputs.get(rel, {})
                    if why is None and record.get("today") not in (None, today):
                        why = "the draft date changed"
                if why is None:
                    unchanged += 1
                else:
                    stale.append(name)
                    reasons.append(why)
            if stale:
                labels = manifest.page_labels.get(f"{key}/{lang}", {})
                items.append(
                    Item(kind, folder, lang, tuple(stale), tuple(reasons), options, labels)
                )
    removed = [rel for rel, record in manifest.outputs.items() if record["document"] not in present]
    return items, unchanged, removed


def _apply(
    result: ItemResult,
    manifest: Manifest,
    root: Path,
    report: BuildReport,
    on_event: Event,
    listing: str,
) -> None:
    item = result.item
    for error in result.errors:
        text = format_error(error, root)
        if text in report.messages:
            continue  # a document's facts fail each of its languages the same way
        report.messages.add(text)
        report.failed.append(error)
        on_event("error", text)
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
        manifest.page_labels[f"{item.key}/{item.lang}"] = result.page_labels
    # Outputs of a language the document no longer has.
    if result.languages is not None and item.lang not in result.languages:
        for rel, record in list(manifest.outputs.items()):
            if record["document"] == item.key and record["lang"] == item.lang:
                _remove(root, rel, manifest, report, on_event)


def _remove(root: Path, rel: str, manifest: Manifest, report: BuildReport, on_event: Event) -> None:
    with contextlib.suppress(FileNotFoundError):
        (root / rel).unlink()
    manifest.outputs.pop(rel, None)
    report.removed.append(root / rel)
    on_event("removed", rel)


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
) -> BuildReport:
    """Build what is stale among the selected documents; one failure stops no other."""
    started = time.perf_counter()
    report = BuildReport(root)
    build_dir = root / BUILD_DIR
    if not (root / "plandocs.yaml").is_file():
        from plandocs.errors import SettingsError

        error = SettingsError(
            "no plandocs.yaml here; run plandocs in a project folder or pass --project DIR",
            root / "plandocs.yaml",
        )
        report.failed.append(error)
        on_event("error", error.format(root))
        return report
    manifest = Manifest.load(build_dir)
    settings_hash = Hasher(root).file("plandocs.yaml") or ""
    options = build_options(draft, pdfa)
    order = [f for f in ("pdf", "docx", "html") if f in set(formats)]  # PDF first: page labels
    items, report.unchanged, removed = plan(
        root, manifest, list(langs), order, paths, options, force
    )
    # Fewer documents than cores: build them here, and their PDFs on a spare core in a
    # helper process, started first so that its WeasyPrint import overlaps all the rest.
    serial = jobs <= 1 or len(items) < jobs
    wants_pdf = any("pdf" in i.formats for i in items)
    helper = PdfHelper() if serial and jobs > 1 and wants_pdf else None
    try:
        project: Project | None = None
        if items or settings_hash != manifest.settings:
            # The settings are read once per build, and only when there is work to do
            # or they changed since they were last found valid.
            from plandocs.project import Project

            try:
                project = Project.load(root)
            except PlandocsError as exc:
                report.failed.append(exc)
                on_event("error", format_error(exc, root))
                return report
            manifest.settings = settings_hash
        manifest.code = code_fingerprint()
        for rel in removed:
            _remove(root, rel, manifest, report, on_event)
        for key in [
            k
            for k in manifest.documents
            if not any(r["document"] == k for r in manifest.outputs.values())
            and not (root / "content" / k).is_dir()
        ]:
            del manifest.documents[key]
        hasher = Hasher(root)
        listings = {item.key: hasher.listing(item.folder) for item in items}
        for item in items:
            for name, why in zip(item.formats, item.reasons, strict=True):
                on_event(
                    "why",
                    f"{output_rel(item.lang, item.kind, item.folder.name, name)}: {why}",
                )
        if project is None or not items:
            return report
        if not _templates_valid(project, {i.kind for i in items}, report, on_event):
            return report
        on_event("plan", str(len(items)))
        results = (
            (run_item(project, i, helper) for i in items) if serial else _pool(project, items, jobs)
        )
        for result in results:
            _apply(result, manifest, root, report, on_event, listings[result.item.key])
            on_event("done", result.item.key)
    finally:
        if helper is not None:
            helper.close()
        manifest.save(build_dir)
        report.seconds = time.perf_counter() - started
    return report


def _templates_valid(
    project: Project, kinds: set[str], report: BuildReport, on_event: Event
) -> bool:
    """The template checks of ``plandocs check``, before anything is rendered: a broken
    template is reported once, not once per document that uses it."""
    from plandocs.check import check_templates
    from plandocs.diagnostics import CheckResult

    result = CheckResult()
    check_templates(project, kinds, result)
    for diagnostic in result.diagnostics:
        report.failed.append(diagnostic.problem)
        on_event("error", diagnostic.format(report.root))
    return not result.diagnostics


def _pool(project: Project, items: list[Item], jobs: int) -> Iterable[ItemResult]:
    """Results in completion order, from ``jobs`` worker processes."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # Largest first: a long document started last would leave the other workers idle.
    ordered = sorted(items, key=lambda i: (i.kind != "renstra", i.key))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(items)), mp_context=context) as pool:
        futures = [pool.submit(run_item, project, item) for item in ordered]
        try:
            for future in as_completed(futures):
                yield future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def format_error(exc: PlandocsError, root: Path) -> str:
    errors = getattr(exc, "errors", None)
    if errors:
        return "\n".join(e.format(root) for e in errors)
    return exc.format(root)
