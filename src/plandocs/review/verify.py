"""Checking edits before they are written: render the document again from a copy of
the project with the edited files, and read each paragraph's text by its source line.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from plandocs.compare.textdiff import normalize

_NUMBERS = {"secnum", "chapnum"}


def rendered_texts(root: Path, document: str, lang: str, edited: dict[str, str]) -> dict[str, str]:
    """``data-src`` → the block's text, for the document in ``content/<document>`` of a
    copy of the project in which each ``edited`` file (relative path → text) is replaced.

    A block whose source line renders several paragraphs (a loop) maps to them joined.
    """
    return rendered_document(root, document, lang, edited)[0]


def rendered_document(
    root: Path, document: str, lang: str, edited: dict[str, str]
) -> tuple[dict[str, str], str]:
    """:func:`rendered_texts`, and the text of every element (normalized, one element's
    text apart from the next): where a value a template prints can be looked for."""
    from lxml import html as lxml_html

    from plandocs import pipeline
    from plandocs.project import Project

    kind_name, _, rest = document.partition("/")
    slug, _, part = rest.partition("/")
    with tempfile.TemporaryDirectory(prefix="plandocs-review-") as tmp:
        copy = Path(tmp) / "project"

        def outputs(folder: str, names: list[str]) -> set[str]:
            # The project as it builds: everything but its outputs and hidden entries
            # (the logo, the glossary and any image or data file come along).
            if Path(folder) != root:
                return set()
            return {n for n in names if n == "build" or n.startswith(".")}

        shutil.copytree(root, copy, symlinks=True, ignore=outputs)
        for rel, text in edited.items():
            (copy / rel).write_text(text, encoding="utf-8")
        project = Project.load(copy)
        source = pipeline.Source(kind_name, copy / "content" / kind_name / slug)
        loaded = pipeline.load(project, source).select(part or None)
        html = pipeline.render(project, source, loaded, lang, False).html
    tree = lxml_html.document_fromstring(html)
    found: dict[str, list[str]] = {}
    for el in tree.iter():
        src = el.get("data-src") if isinstance(el.tag, str) else None
        if src:
            found.setdefault(src, []).append(block_text(el))
    blocks = {src: " ".join(texts) for src, texts in found.items()}
    leaves = (
        block_text(el)
        for el in tree.body.iter()
        if isinstance(el.tag, str) and el.tag in _TEXT_BLOCKS
    )
    return blocks, "\n".join(leaves)


_TEXT_BLOCKS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "caption", "figcaption"}
)


def block_text(el: object) -> str:
    """An HTML block's text as the DOCX shows it: without the heading numbers Word
    makes itself and without nested lists (their items are paragraphs of their own)."""
    parts: list[str] = []

    def walk(node: object, top: bool) -> None:
        tag = getattr(node, "tag", None)
        if not isinstance(tag, str):
            return
        classes = set((node.get("class") or "").split())  # type: ignore[attr-defined]
        skip = (not top and tag in ("ul", "ol")) or (tag == "span" and classes & _NUMBERS)
        if not skip:
            parts.append(node.text or "")  # type: ignore[attr-defined]
            for child in node:  # type: ignore[attr-defined]
                walk(child, False)
            if node.get("data-tab") == "after":  # type: ignore[attr-defined]
                parts.append("\t")  # the DOCX writer's tab after a field's label
        if not top:
            parts.append(node.tail or "")  # type: ignore[attr-defined]

    walk(el, True)
    return normalize("".join(parts))
