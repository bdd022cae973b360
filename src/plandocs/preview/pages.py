"""The HTML the preview serves: a document's own HTML with the preview's bar, error box,
screen stylesheet and script added, and the index of documents per language.

The document's HTML is the one every writer starts from, untouched but for three
insertions: a stylesheet link and a script before ``</head>``, the bar (and the error
box) after ``<body>``. Everything the preview writes itself is escaped.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from urllib.parse import quote, urlencode

from plandocs.build.outputs import output_rel
from plandocs.preview.state import INDEX, Page

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
DOWNLOADS = ("pdf", "docx")
"""The outputs a page links to, when the build makes them."""

_HEAD = (
    '<link rel="stylesheet" href="/_preview/screen.css">\n'
    '<script src="/_preview/preview.js" defer></script>\n'
)
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)


def view_url(lang: str, kind: str, slug: str, part: str | None = None) -> str:
    """The preview address of one document in one language.

    A top-level path, so that the document's project-relative image addresses
    (``content/…/photo.png``) resolve against the server root, as they do against
    the project folder in the PDF.
    """
    doc = f"{kind}/{slug}" if part is None else f"{kind}/{slug}/{part}"
    return "/view?" + urlencode({"lang": lang, "doc": doc})


def kind_label(root: Path, kind: str) -> str:
    """What the index calls a kind's documents: its ``description`` in English (the
    preview speaks English), else its name."""
    from plandocs.kinds.spec import load_spec
    from plandocs.safety.reader import recording

    try:
        with recording(root):  # a kind.yaml that links out of the project is not read
            description = load_spec(root, kind).description
    except Exception:  # a broken kind: its documents show the problem
        return kind
    if isinstance(description, dict):
        description = description.get("en") or next(iter(description.values()), None)
    return description.lower() if description else kind


def _attr(text: str) -> str:
    return escape(text, quote=True)


def _downloads(root: Path, page: Page, formats: tuple[str, ...]) -> str:
    links = []
    for fmt in formats:
        rel = output_rel(page.lang, page.kind, page.slug, fmt, page.part)
        if (root / rel).is_file():
            links.append(
                f'<a class="plandocs-file" href="{_attr("/" + quote(rel))}">{fmt.upper()}</a>'
            )
        else:
            # preview.js makes it a link once the background build has written it.
            links.append(
                f'<span class="plandocs-file" data-href="{_attr("/" + quote(rel))}"'
                f' title="not built yet">{fmt.upper()}</span>'
            )
    return " ".join(links)


def _bar(
    root: Path, page: Page, languages: list[str], build_status: str, formats: tuple[str, ...]
) -> str:
    others = " ".join(
        (
            f'<a href="{_attr(view_url(lang, page.kind, page.slug, page.part))}" hreflang="{lang}">'
            f"{lang}</a>"
            if lang != page.lang
            else f'<strong aria-current="page">{lang}</strong>'
        )
        for lang in languages
    )
    title = page.title or page.slug
    return (
        f'<div class="plandocs-ui" id="plandocs-preview" data-target="{_attr(page.target)}"'
        f' data-version="{_attr(page.version)}" data-view="document">'
        '<a href="/" class="plandocs-home">plandocs preview</a>'
        f'<span class="plandocs-title">{escape(title)}</span>'
        f'<span class="plandocs-langs">{others}</span>'
        f'<span class="plandocs-files">{_downloads(root, page, formats)}</span>'
        f"{_problem(page)}"
        f'<span id="plandocs-build">{escape(build_status)}</span>'
        "</div>\n"
    )


def _problem(page: Page) -> str:
    """What is wrong and where, in the bar that stays at the top of the window wherever
    the author has scrolled: the first problem, its place written from the document's
    folder (``id/1-pendahuluan.md:12``), a link to all of them in the error box."""
    if page.error is None:
        return ""
    lines = [line for line in page.error.splitlines() if line.strip()]
    first = lines[0] if lines else "this document has a problem"
    folder = f"content/{page.kind}/{page.slug}/"
    if first.startswith(folder):
        first = first[len(folder) :]
    first = first.replace(": error: ", ": ", 1)
    more = f" (+{len(lines) - 1} more)" if len(lines) > 1 else ""
    return (
        f'<a class="plandocs-problem-brief" href="#plandocs-error" role="alert"'
        f' title="{_attr(page.error)}">⚠ {escape(first)}{more}</a>'
    )


def _error_box(page: Page) -> str:
    if page.error is None:
        return ""
    note = (
        "The last good version is shown below; it updates when the file is saved again."
        if page.html is not None
        else "No version of this document could be rendered yet."
    )
    return (
        '<div class="plandocs-ui" id="plandocs-error" role="alert">'
        f"<p>This document has a problem. {note}</p>"
        f"<pre>{escape(page.error)}</pre></div>\n"
    )


def document_page(
    root: Path,
    page: Page,
    languages: list[str],
    build_status: str,
    formats: tuple[str, ...] = DOWNLOADS,
) -> str:
    """The document's HTML with the preview's additions; links to its ``formats``."""
    additions = _bar(root, page, languages, build_status, formats) + _error_box(page)
    html = page.html
    if html is None:
        return _skeleton(page.lang, page.title or page.slug, additions)
    head = _HEAD_END.search(html)
    at = head.start() if head else 0
    html = html[:at] + _HEAD + html[at:]
    body = _BODY.search(html)
    if body is None:
        return html + additions
    return html[: body.end()] + "\n" + additions + html[body.end() :]


def missing_page(target: str, version: str | None) -> str:
    """The page at an address whose document (or language) does not exist (now)."""
    bar = (
        f'<div class="plandocs-ui" id="plandocs-preview" data-target="{_attr(target)}"'
        f' data-version="{_attr(version or "")}" data-view="missing">'
        '<a href="/" class="plandocs-home">plandocs preview</a></div>\n'
        '<main class="plandocs-index"><p>There is no such document in this language (yet). '
        'See the <a href="/">list of documents</a>; this page reloads when it appears.</p></main>'
    )
    return _skeleton("en", "Not found", bar)


def index_page(
    root: Path,
    pages: list[Page],
    langs: tuple[str, ...],
    version: str,
    formats: tuple[str, ...] = DOWNLOADS,
) -> str:
    """The documents per language, with their state and files."""
    sections = []
    labels = {kind: kind_label(root, kind) for kind in sorted({p.kind for p in pages})}
    for lang in langs:
        rows = []
        for page in (p for p in pages if p.lang == lang):
            state = (
                f'<pre class="plandocs-problem">{escape(page.error)}</pre>' if page.error else ""
            )
            rows.append(
                f'<li data-target="{_attr(page.target)}">'
                f'<a href="{_attr(view_url(page.lang, page.kind, page.slug, page.part))}">'
                f"{escape(page.title or page.slug)}</a>"
                f' <span class="plandocs-kind">{escape(labels[page.kind])}'
                f" · {escape(page.doc.partition('/')[2])}</span>"
                f' <span class="plandocs-files">{_downloads(root, page, formats)}</span>'
                f"{state}</li>"
            )
        listing = "\n".join(rows) if rows else "<li>No documents in this language.</li>"
        sections.append(
            f'<section lang="{lang}"><h2>{escape(LANGUAGE_NAMES.get(lang, lang))} ({lang})</h2>'
            f'<ul class="plandocs-documents">\n{listing}\n</ul></section>'
        )
    body = (
        f'<div class="plandocs-ui" id="plandocs-preview" data-target="{INDEX}"'
        f' data-version="{_attr(version)}" data-view="index">'
        '<a href="/" class="plandocs-home">plandocs preview</a>'
        f'<span class="plandocs-title">{escape(root.name)}</span>'
        '<span id="plandocs-build"></span></div>\n'
        f'<main class="plandocs-index">{"".join(sections)}</main>'
    )
    return _skeleton("en", f"plandocs preview — {root.name}", body)


def _skeleton(lang: str, title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{_attr(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n{_HEAD}</head>\n"
        f'<body class="plandocs-preview-page">\n{body}\n</body>\n</html>\n'
    )
