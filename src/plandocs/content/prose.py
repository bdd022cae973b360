"""Markdown files with YAML front matter, one per language."""

from __future__ import annotations

from pathlib import Path

from plandocs.content.validate import validate
from plandocs.content.yamlfile import parse_yaml, read_text
from plandocs.errors import ContentError
from plandocs.model import FrontMatter, Lang, Prose

FENCE = "---"


def load_prose(path: Path, lang: Lang) -> Prose:
    """Read ``id.md`` / ``en.md``: front matter between ``---`` lines, then the body."""
    text = read_text(path)
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        raise ContentError(
            "the file must start with front matter: a `---` line, `title: …`, and `---`",
            path,
            1,
        )
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            end = index
            break
    else:
        raise ContentError(
            "the front matter is not closed; add a `---` line after `title: …`", path, 1
        )
    front_doc = parse_yaml("".join(lines[1:end]), path, line_offset=1)
    front = validate(front_doc, FrontMatter)
    return Prose(
        path=path,
        lang=lang,
        front=front,
        body="".join(lines[end + 1 :]),
        body_line=end + 2,
    )
