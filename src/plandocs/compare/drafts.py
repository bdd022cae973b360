"""``plandocs build --compare REV``: redlines between an earlier draft and this one.

The earlier draft is a git revision of the project (exported with ``git archive``
into a temporary folder: the working tree is never touched), a folder holding an
earlier copy of the project, or a folder holding an earlier build (its HTML
previews are used). Each document is rendered again, the earlier one too, both only
as HTML in memory; :mod:`plandocs.compare.redline` marks the changes, and the usual writers
make ``<slug>.changes.pdf`` (a summary of changes per chapter and section first,
insertions underlined in colour, deletions struck through, changed cells shaded)
and ``<slug>.changes.docx`` (Word's own tracked changes by "plandocs", dated with
the content's date or ``SOURCE_DATE_EPOCH``) beside the outputs.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plandocs import pipeline
from plandocs.build.outputs import output_rel
from plandocs.build.plan import selected
from plandocs.compare.redline import Change, Redline, redline
from plandocs.compare.revisions import CompareError, git_export
from plandocs.errors import PlandocsError
from plandocs.render.columns import NOMINAL, with_colgroup
from plandocs.safety.outputs import BUILD_DIR, output_path

if TYPE_CHECKING:
    from plandocs.project import Project
    from plandocs.render.page import RenderedDocument

AUTHOR = "plandocs"
CHANGES_PDF = "changes.pdf"
CHANGES_DOCX = "changes.docx"
"""The redlines' suffixes: ``build/<lang>/<kind>/<slug>.changes.pdf``."""

REDLINE_CSS = """
ins.pd-rev { color: #0b5394; text-decoration: underline; text-decoration-color: #0b5394; }
del.pd-rev { color: #a61c00; text-decoration: line-through; text-decoration-color: #a61c00; }
[data-change] { border-left: 2pt solid #0b5394; padding-left: 5pt; margin-left: -7pt; }
[data-change="deleted"] { border-left-color: #a61c00; }
tr[data-change] { border-left: none; }
td.pd-changed, th.pd-changed { background: #fff2cc; }
span.pd-arrow { color: #555; }
section.pd-summary { break-after: page; }
section.pd-summary p, section.pd-summary li { text-align: left; hyphens: manual; }
section.pd-summary table { width: 100%; border-collapse: collapse; font-size: 9pt; }
section.pd-summary th, section.pd-summary td { border: 0.5pt solid #888; padding: 2pt 4pt; }
section.pd-summary th { background: #eee; }
section.pd-summary td.n { text-align: right; width: 11%; }
section.pd-summary tr.part td { background: #f4f4f4; font-weight: bold; }
section.pd-summary p.pd-legend, section.pd-summary ul { font-size: 9pt; }
section.pd-summary ul { margin-top: 0; }
"""
"""How the redline PDF shows changes (Word shows ``w:ins``/``w:del`` its own way)."""

WORDS = {
    "id": {
        "changes_title": "Ringkasan Perubahan",
        "changes_compared": "Dibandingkan dengan",
        "changes_legend": "Teks sisipan bergaris bawah biru, teks hapusan dicoret merah, "
        "sel tabel yang berubah diarsir kuning.",
        "changes_part": "Bagian",
        "changes_start": "Awal dokumen",
        "changes_total": "Jumlah",
        "changes_words_in": "Kata disisipkan",
        "changes_words_out": "Kata dihapus",
        "changes_cells": "Sel tabel diubah",
        "changes_blocks_in": "Paragraf/baris baru",
        "changes_blocks_out": "Paragraf/baris dihapus",
        "changes_details": "Rincian",
    },
    "en": {
        "changes_title": "Summary of Changes",
        "changes_compared": "Compared with",
        "changes_legend": "Inserted text is underlined in blue, deleted text struck through "
        "in red, changed table cells are shaded yellow.",
        "changes_part": "Part",
        "changes_start": "Start of the document",
        "changes_total": "Total",
        "changes_words_in": "Words inserted",
        "changes_words_out": "Words deleted",
        "changes_cells": "Table cells changed",
        "changes_blocks_in": "Paragraphs/rows added",
        "changes_blocks_out": "Paragraphs/rows removed",
        "changes_details": "Details",
    },
}
"""The summary's words when a project's ``labels.html`` predates ``--compare``; the
labels of the project's templates come first."""

Event = Callable[[str, str], None]


@dataclass
class CompareReport:
    written: list[Path] = field(default_factory=list)
    failed: list[PlandocsError] = field(default_factory=list)


# -- the earlier version ----------------------------------------------------------------
@dataclass
class Earlier:
    """An earlier version: a project (from git or a folder), or a build folder."""

    label: str
    project: Project | None = None
    build: Path | None = None

    def html(self, kind: str, slug: str, part: str | None, lang: str, draft: bool) -> str | None:
        """The earlier HTML of a document (or part) in a language, or None if it had none."""
        if self.build is not None:
            rel = output_rel(lang, kind, slug, "html", part).partition("/")[2]
            return _read_inside(self.build, rel)
        assert self.project is not None
        folder = self.project.root / "content" / kind / slug
        if not folder.is_dir() or folder.is_symlink():
            return None
        source = pipeline.Source(kind, folder)
        document = pipeline.load(self.project, source)
        if part not in document.parts():
            return None
        document = document.select(part)
        if lang not in document.languages():
            return None
        error = document.language_error(lang)
        if error is not None:
            raise error  # there, but it cannot be read (a link out of the earlier project)
        return pipeline.render(self.project, source, document, lang, draft).html


MAX_EARLIER_HTML = 64 * 1024 * 1024


def _read_inside(base: Path, rel: str) -> str | None:
    """The text of ``base/rel`` if it is a regular file really inside ``base`` (no link
    leading out of the earlier build, no FIFO, nothing past a sane size)."""
    from plandocs.safety.paths import read_regular

    path = base / rel
    real_base = Path(os.path.realpath(base))
    if not Path(os.path.realpath(path)).is_relative_to(real_base) or path.is_symlink():
        return None
    raw = read_regular(path, MAX_EARLIER_HTML)
    return raw.decode("utf-8", "replace") if raw is not None else None


@contextlib.contextmanager
def open_earlier(root: Path, rev: str) -> Iterator[Earlier]:
    """The earlier version named by ``rev``: a folder, else a git revision."""
    from plandocs.project import Project

    for candidate in (Path(rev), root / rev):
        if candidate.is_dir():
            folder = candidate.resolve()
            if (folder / "plandocs.yaml").is_file():
                yield Earlier(rev, project=Project.load(folder))
                return
            for base in (folder, folder / BUILD_DIR):
                if base.is_symlink():
                    continue  # a build/ that leads out of the folder named is not read
                if any((base / lang).is_dir() for lang in ("id", "en")):
                    yield Earlier(rev, build=base)
                    return
            raise CompareError(
                "this folder holds neither a project (plandocs.yaml) nor a build "
                "(id/…, en/…); name an earlier project, build folder or git revision",
                folder,
            )
    with tempfile.TemporaryDirectory(prefix="plandocs-compare-") as tmp:
        label, project_root = git_export(root, rev, Path(tmp))
        yield Earlier(label, project=Project.load(project_root))


# -- comparing and writing --------------------------------------------------------------
def compare_outputs(
    root: Path,
    rev: str,
    langs: Sequence[str],
    formats: Sequence[str],
    paths: Sequence[Path] = (),
    *,
    draft: bool = False,
    on_event: Event = lambda kind, message: None,
) -> CompareReport:
    """Write ``<slug>.changes.pdf``/``.docx`` for each document whose text changed."""
    from plandocs.kinds.loads import new_run
    from plandocs.project import Project

    new_run()
    report = CompareReport()
    wanted = [f for f in ("pdf", "docx") if f in formats]
    try:
        if not wanted:
            raise CompareError(
                "--compare writes PDF and DOCX redlines; add pdf or docx to --format"
            )
        project = Project.load(root)
        with open_earlier(project.root, rev) as earlier:
            for source in pipeline.sources(project.root):
                if not selected(source.folder, paths):
                    continue
                try:
                    document = pipeline.load(project, source)
                except Exception as exc:
                    failed = pipeline.failure(exc, source.folder)
                    report.failed.append(failed)
                    on_event("error", failed.format(project.root))
                    continue
                for part, lang in [(p, lang) for p in document.parts() for lang in langs]:
                    try:
                        written = _compare_one(
                            project, earlier, source, document, part, lang, wanted, draft
                        )
                    except Exception as exc:
                        failed = pipeline.failure(exc, source.folder)
                        report.failed.append(failed)
                        on_event("error", failed.format(project.root))
                        continue
                    unit = source.key if part is None else f"{source.key}/{part}"
                    if written is None:
                        continue
                    if not written:
                        on_event("skip", f"{unit} [{lang}]: no text changed since {earlier.label}")
                    for path in written:
                        report.written.append(path)
                        on_event("wrote", project.rel(path))
    except PlandocsError as exc:
        report.failed.append(exc)
        on_event("error", exc.format(root.resolve()))
    return report


def _compare_one(
    project: Project,
    earlier: Earlier,
    source: pipeline.Source,
    document: Any,
    part: str | None,
    lang: str,
    formats: list[str],
    draft: bool,
) -> list[Path] | None:
    """The changes files of one document (or part) in one language; None when it has
    no such version now or had none then."""
    from plandocs.render.page import created_at

    document = document.select(part)
    if lang not in document.languages():
        return None
    rendered = pipeline.render(project, source, document, lang, draft)
    try:
        old_html = earlier.html(source.kind, source.folder.name, part, lang, draft)
    except PlandocsError as exc:
        raise CompareError(
            f"the version in {earlier.label} cannot be rendered: {exc.format(project.root)}",
            source.folder,
        ) from None
    if old_html is None:
        return None
    date = created_at(rendered.date).strftime("%Y-%m-%dT%H:%M:%SZ")
    marked = redline(old_html, rendered.html, AUTHOR, date)
    if not marked.changed:
        return []
    written: list[Path] = []
    labels: dict[str, str] = {}
    slug = document.slug
    if "pdf" in formats:
        target = output_path(project.root, output_rel(lang, source.kind, slug, CHANGES_PDF, part))
        labels = _write_pdf(project, rendered, marked, earlier.label, target)
        written.append(target)
    if "docx" in formats:
        target = output_path(project.root, output_rel(lang, source.kind, slug, CHANGES_DOCX, part))
        _write_docx(project, rendered, marked, labels, target)
        written.append(target)
    return written


def _html(tree: Any) -> str:
    from lxml import html as lxml_html

    text: str = lxml_html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")
    return text


def _write_pdf(
    project: Project, rendered: RenderedDocument, marked: Redline, label: str, target: Path
) -> dict[str, str]:
    """The redline PDF, the summary first; returns its page labels (for the DOCX TOC)."""
    import copy

    from lxml import etree
    from lxml import html as lxml_html

    from plandocs.render.page import load_labels
    from plandocs.writers.base import atomic_path
    from plandocs.writers.pdf.labels import without_front_pages
    from plandocs.writers.pdf.writer import layout_pdf

    tree = copy.deepcopy(marked.tree)
    for deleted in tree.xpath('//td[contains(@class, "pd-changed")]/del[@class="pd-rev"]'):
        following = deleted.getnext()
        if following is not None and following.tag == "ins" and not (deleted.tail or "").strip():
            arrow = etree.Element("span")
            arrow.set("class", "pd-arrow")
            arrow.text = " → "
            deleted.addnext(arrow)
    labels, _ = load_labels(project.env, rendered.lang)
    words = {**WORDS.get(rendered.lang, WORDS["en"]), **labels}
    summary = lxml_html.fragment_fromstring(summary_html(marked.changes, words, label))
    etree.SubElement(summary, "span", id=SUMMARY_END)
    body = tree.find("body")
    # After what every page shows (the running header, the draft stamp and line), which
    # must stay before the first section for every chapter to show it too.
    first = next((el for el in body if el.tag == "section" and el.get("data-page")), None)
    if first is not None:
        first.addprevious(summary)
    else:
        body.append(summary)
    style = etree.SubElement(tree.find("head"), "style")
    style.text = REDLINE_CSS
    with atomic_path(target) as tmp:
        labels = layout_pdf(project.root, _html(tree), tmp)
    return without_front_pages(labels, SUMMARY_END)


SUMMARY_END = "pd-summary-end"
"""An anchor at the end of the summary: the page it ends on says how many pages of
front matter the summary takes."""


def _write_docx(
    project: Project,
    rendered: RenderedDocument,
    marked: Redline,
    page_labels: dict[str, str],
    target: Path,
) -> None:
    from plandocs.writers import writer_class
    from plandocs.writers.base import WriteOptions

    doc = replace(rendered, html=_html(marked.tree))
    options = WriteOptions(page_labels=page_labels, anchors=False)
    writer_class("docx")(project, options).write(doc, target)


def summary_html(changes: list[Change], words: dict[str, Any], label: str) -> str:
    """The opening page of the redline PDF: counts per chapter and section, then the
    changes themselves in short."""
    parts: dict[str, dict[str, list[Change]]] = {}
    for change in changes:
        parts.setdefault(change.part, {}).setdefault(change.section, []).append(change)
    w = {k: escape(str(v)) for k, v in words.items()}
    rows = []
    totals = [0] * 5
    details = []
    for part, sections in parts.items():
        name = escape(part) if part else w["changes_start"]
        counted = [(section, _counts(items)) for section, items in sections.items()]
        if len(counted) > 1 or counted[0][0]:
            whole = [sum(c[i] for _, c in counted) for i in range(5)]
            rows.append(f'<tr class="part"><td>{name}</td>{_number_cells(whole)}</tr>')
        for section, counts in counted:
            title = escape(section) if section else name
            rows.append(f"<tr><td>{title}</td>{_number_cells(counts)}</tr>")
            totals = [a + b for a, b in zip(totals, counts, strict=True)]
        details.append(f'<p class="pd-part"><strong>{name}</strong></p>')
        for section, items in sections.items():
            shown = [c for c in items if c.excerpt][:6]
            lines = "".join(f"<li>{_excerpt(c)}</li>" for c in shown)
            if len(items) > len(shown):
                lines += f"<li>… (+{len(items) - len(shown)})</li>"
            heading = f"<p>{escape(section)}</p>" if section else ""
            details.append(f"{heading}<ul>{lines}</ul>")
    head = "".join(
        f"<th>{w[k]}</th>"
        for k in (
            "changes_part",
            "changes_words_in",
            "changes_words_out",
            "changes_cells",
            "changes_blocks_in",
            "changes_blocks_out",
        )
    )
    total = f'<tr class="part"><td>{w["changes_total"]}</td>{_number_cells(totals)}</tr>'
    table = with_colgroup(
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}{total}</tbody></table>",
        [1, "fit", "fit", "fit", "fit", "fit"],  # the part's name, then five counts
        *NOMINAL,
    )
    return (
        '<section class="pd-summary" data-page="front">'
        f'<h1 class="front">{w["changes_title"]}</h1>'
        f"<p>{w['changes_compared']} {escape(label)}.</p>"
        f'<p class="pd-legend">{w["changes_legend"]}</p>'
        f"{table}"
        f'<h2 class="pd-details">{w["changes_details"]}</h2>{"".join(details)}'
        "</section>"
    )


def _counts(items: list[Change]) -> list[int]:
    """Words inserted, words deleted, cells changed, blocks added, blocks removed."""
    return [
        sum(c.words for c in items if c.kind == "inserted"),
        sum(c.words for c in items if c.kind == "deleted"),
        sum(1 for c in items if c.kind == "cell"),
        sum(1 for c in items if c.kind in ("block+", "row+")),
        sum(1 for c in items if c.kind in ("block-", "row-")),
    ]


def _number_cells(counts: list[int]) -> str:
    return "".join(f'<td class="n">{n or ""}</td>' for n in counts)


def _excerpt(change: Change) -> str:
    text = change.excerpt if len(change.excerpt) <= 120 else change.excerpt[:119] + "…"
    text = escape(text)
    sign = {"inserted": "+", "block+": "+", "row+": "+", "deleted": "−", "block-": "−"}
    sign["row-"] = "−"
    mark = sign.get(change.kind, "")
    if change.kind in ("inserted", "block+", "row+"):
        return f'{mark} <ins class="pd-rev">{text}</ins>'
    if change.kind in ("deleted", "block-", "row-"):
        return f'{mark} <del class="pd-rev">{text}</del>'
    return text
