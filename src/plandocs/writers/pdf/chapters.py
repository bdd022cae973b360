"""Chapter-granular PDF: a long document laid out unit by unit, each unit cached.

The document is cut into units (:mod:`plandocs.writers.pdf.units`); each unit is laid
out by WeasyPrint on its own and kept in the unit cache
(:mod:`plandocs.writers.pdf.unitcache`); stale units are laid out in parallel
(``--jobs``, in worker processes); then the units are assembled into one PDF
(:mod:`plandocs.writers.pdf.assemble`).

Units do not depend on each other's length:

* the page numbers are not laid out with the units (their footer is left empty) but
  stamped on the assembled pages from one small WeasyPrint document of empty pages of
  the same kinds and sizes with the same ``@page`` rules (so in the same font, at the
  same place), drawn as an artifact, outside the structure tree;
* the body's units know nothing of the front matter; the front matter (its table of
  contents and lists of tables and figures) gets every entry's page number as a
  stylesheet rule: it is laid out beside the chapters with the numbers it printed last
  time, and again after them only when one of those numbers changed.

This module is also the face of chapter-granular layout for its callers and tests: it
names the cutting and the cache it uses (``split_units``, ``Unit``, ``UnitCache``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from plandocs.workers import start_pool, stop_pool, wait_for
from plandocs.writers.base import WriteOptions
from plandocs.writers.pdf.assemble import assemble
from plandocs.writers.pdf.finish import link_texts
from plandocs.writers.pdf.labels import Page, front_rules, label_ranges, page_labels
from plandocs.writers.pdf.layout import lay_out_html, page_kind, variant
from plandocs.writers.pdf.unitcache import UnitCache, unit_key
from plandocs.writers.pdf.units import FOREIGN, Unit, head_of, split_units

MAX_FRONT_ROUNDS = 3
NO_FOOTER = "@page { @bottom-right { content: none !important; } }"
"""The units are laid out without page numbers: the assembly stamps them."""

laid_out: list[str] = []
"""The name of every unit laid out (not taken from the cache) in this process, in
order: what tests observe of the cache."""


def lay_out_unit(
    root: Path, html: str, css: str, options: WriteOptions, target: Path
) -> list[Page]:
    """Lay one unit out into ``target``: its pages' kinds and anchors."""
    import weasyprint

    document = lay_out_html(root, html, [weasyprint.CSS(string=css)] if css else [])
    pages = [(page_kind(page), list(page.anchors)) for page in document.pages]
    document.write_pdf(target, **variant(options))
    return pages


def _unit_job(
    root: Path, html: str, css: str, options: WriteOptions, target: Path
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
    options: WriteOptions | None = None
    """The PDF options of this job, when not the document's."""


def run_jobs(
    root: Path, jobs: list[Job], options: WriteOptions, cache: UnitCache, workers: int
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
            ordered = sorted(jobs, key=lambda job: -len(job.html))  # longest first
            pool = start_pool(min(workers, len(jobs)))
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
                    pages, reads = wait_for(future)  # a budget's deadline can stop us
                    done.append((job, pages, reads))
            except BaseException:
                # Stop the workers now rather than wait for the units still being laid out.
                stop_pool(pool)
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


def layout_units(
    root: Path,
    html: str,
    units: list[Unit],
    path: Path,
    options: WriteOptions,
) -> dict[str, str]:
    """Write the document ``units`` make at ``path``; the printed page label of each
    anchor.

    The unit cache is trusted only so far: with ``options.fresh`` (``--force``) it is
    not read at all, and when units taken from it cannot be assembled (a damaged or
    planted entry that still looked whole), every unit is laid out again, once."""
    from plandocs.safety.budget import BudgetExceeded

    cache = UnitCache(root, trust=not options.fresh)
    try:
        return _layout_units(root, html, units, path, options, cache)
    except BudgetExceeded:
        raise
    except Exception:
        if not cache.used:
            raise
    return _layout_units(root, html, units, path, options, UnitCache(root, trust=False))


def _layout_units(
    root: Path, html: str, units: list[Unit], path: Path, options: WriteOptions, cache: UnitCache
) -> dict[str, str]:
    workers = max(1, options.jobs)
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
        wanted.append(_front_job(root, front, guess, options))
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
            job = _front_job(root, front, guess, options)
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
    ranges = label_ranges(kinds, options.cover_label)
    assemble([cache.data[key] for key in order], stamp, ranges, path, link_texts(html))
    cache.prune()
    return labels


def _front_job(root: Path, front: Unit, labels: dict[str, str], options: WriteOptions) -> Job:
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


STAMP_OPTIONS = WriteOptions(tagged=False)
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


__all__ = ["Unit", "UnitCache", "laid_out", "layout_units", "split_units"]
