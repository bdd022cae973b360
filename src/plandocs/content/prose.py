"""Markdown files with YAML front matter, one per language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from plandocs.content.validate import validate
from plandocs.content.yamlfile import YamlDoc, parse_yaml
from plandocs.errors import ContentError
from plandocs.safety.reader import read_text

FENCE = "---"


Lang = Literal["id", "en"]
LocalText = dict[Lang, str]
"""Text given once per language: ``{id: Plt. Kepala Biro Perencanaan, en: Acting Head …}``."""


class FrontMatter(BaseModel):
    """The YAML block at the top of a language's Markdown file."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    title: str = Field(min_length=1)
    subtitle: str | None = None


@dataclass(frozen=True)
class Prose:
    """One language's Markdown file: its front matter and its body."""

    path: Path
    lang: Lang
    front: FrontMatter
    body: str
    body_line: int
    """1-based line of the file on which ``body`` starts."""
    title_line: int = 2
    """1-based line of ``title:`` (its value) in the front matter."""
    subtitle_line: int = 2


def load_prose(path: Path, lang: Lang) -> Prose:
    """Read ``id.md`` / ``en.md``: front matter between ``---`` lines, then the body."""
    text = read_text(path, "Markdown file")
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
        title_line=_value_line(front_doc, "title"),
        subtitle_line=_value_line(front_doc, "subtitle"),
    )


def _value_line(doc: YamlDoc, key: str) -> int:
    """The line a front-matter value starts on (a block scalar's text: the next line)."""
    line, _ = doc.position((key,))
    node = doc.node
    if isinstance(node, yaml.MappingNode):
        for knode, vnode in node.value:
            if (
                isinstance(knode, yaml.ScalarNode)
                and knode.value == key
                and isinstance(vnode, yaml.ScalarNode)
                and vnode.style in ("|", ">")
            ):
                return line + 1
    return line
