"""Documents written as chapters — the Renstra, the Laporan Kinerja: one Markdown file per
chapter and language, rendered before the page template, because the front matter needs
what is in them (the table of contents their numbered headings, the lists of tables and
figures their captions, the list of abbreviations the glossary terms they use).

Each chapter's Markdown gets numbered sections and two kinds of blocks a kind's blocks
template (``blocks:`` in kind.yaml) provides:

* ```` ```{table} name ```` places the table the macro ``name`` makes, numbered
  ``Tabel 3.1``; text inside the block is passed to the macro as its second argument
  (``IKSS 1.1``: which indicator);
* ```` ```{chart} name ```` places a chart, numbered as a figure (``Gambar 3.1``): the
  macro ``name`` of the blocks template (which calls the ``chart`` global), or — for
  ``bar`` and ``line`` — a chart declared in the block itself over the facts::

      ```{chart} bar
      caption: Tingkat kemiskinan (persen penduduk), Maret 2019–2024
      data: plan.facts.poverty_rate
      unit: persen
      highlight: last
      ```
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from plandocs.content.glossary import GLOSSARY_FILE, abbreviations, load_glossary
from plandocs.content.prose import Prose
from plandocs.errors import PlandocsError, Problems, TemplateError
from plandocs.project import Project
from plandocs.render.located import (
    TEMPLATES_DIR,
    explain,
    located,
    template_call,
    template_frame,
)
from plandocs.render.markdown import BlockError, render_markdown
from plandocs.render.page import render_text
from plandocs.render.sandbox import freeze, freeze_context
from plandocs.render.sourcelines import mark_lines
from plandocs.safety.urls import UrlPolicy

CHART_KEYS = frozenset(
    {"caption", "data", "series", "unit", "digits", "highlight", "reference",
     "reference_label", "category_title"}
)  # fmt: skip
"""What a chart declared in a chapter (```` ```{chart} bar ````) may say."""


def roman(number: int) -> str:
    """Upper-case Roman numeral: 1 → I, 4 → IV, 14 → XIV."""
    parts = []
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        count, number = divmod(number, value)
        parts.append(letters * count)
    return "".join(parts)


def _macros(blocks: Any, pieces: frozenset[str]) -> list[str]:
    return sorted(
        n.replace("_", "-")
        for n in dir(blocks)
        if isinstance(getattr(blocks, n), jinja2.runtime.Macro) and n not in pieces
    )


def render_chapter(
    project: Project,
    env: Any,
    number: int,
    prose: Prose,
    context: dict[str, Any],
    blocks: Any,
    pieces: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """One chapter as the page template places it: number, title, HTML, headings,
    captions. ``blocks`` is the blocks template's module; ``pieces`` the names of its
    macros that are parts of a table, not tables a chapter may place."""
    title = render_text(env, prose.front.title, context, prose.path, prose.title_line)
    marked = mark_lines(prose.body, project.rel(prose.path), prose.body_line)
    body = render_text(env, marked, context, prose.path, prose.body_line)
    count = 0

    def call(what: str, macro: Any, name: str, line: int, *args: Any) -> str:
        try:
            return str(template_call(env, macro, *args))
        except PlandocsError:
            raise
        except Exception as exc:
            frame = template_frame(exc)
            if frame is None or _own(frame[0]):
                # plandocs' own template failed on what the block gave it (an indicator
                # code no table knows): the content's line is where to fix it.
                given = f" with `{' '.join(map(str, args[1:]))}`" if args[1:] else ""
                raise BlockError(
                    f"the {what} {name!r}{given} failed: {explain(exc)}", line
                ) from None
            raise located(exc, prose.path) from None

    def arguments(options: str) -> tuple[str, ...]:
        text = options.strip()
        return (text,) if text else ()

    def table(name: str, options: str, line: int) -> str:
        nonlocal count
        macro = getattr(blocks, name.replace("-", "_"), None)
        if name.startswith("_") or name in pieces or not isinstance(macro, jinja2.runtime.Macro):
            known = ", ".join(_macros(blocks, pieces))
            raise BlockError(f"no table named {name!r}; the tables are: {known}", line)
        count += 1
        html = call("table", macro, name, line, f"{number}.{count}", *arguments(options))
        # The caption is the target of its entry in the list of tables.
        return html.replace("<caption", f'<caption id="tabel_{number}_{count}"', 1)

    def chart(name: str, options: str, line: int, figure: str) -> str:
        macro = getattr(blocks, name.replace("-", "_"), None)
        if not name.startswith("_") and isinstance(macro, jinja2.runtime.Macro):
            return call("chart", macro, name, line, figure, *arguments(options))
        if name in ("bar", "line"):
            spec, caption = declared_chart(name, options, context, line)
            label = str(context["labels"].get("figure", ""))
            return call("chart", env.globals["chart"], name, line, spec, caption, figure, label)
        known = ", ".join(["bar", "line", *_macros(blocks, pieces)])
        raise BlockError(f"no chart named {name!r}; the charts are: {known}", line)

    try:
        urls = UrlPolicy(project.root, prose.path, prose.body_line)
        rendered = render_markdown(
            body,
            chapter=number or None,
            directive=table,
            urls=urls,
            figure_label=str(context["labels"].get("figure", "")) if number else "",
            chart=chart,
        )
    except BlockError as exc:
        raise TemplateError(str(exc), prose.path, prose.body_line + exc.line - 1) from None
    return {
        "number": number,
        "roman": roman(number),
        "title": title,
        "anchor": f"bab_{number}",
        "html": rendered.html,
        "headings": rendered.headings,
        "captions": captions(rendered.html),
    }


def blocks_module(project: Project, env: Any, name: str, context: dict[str, Any], what: str) -> Any:
    """The blocks template's module (its macros are the tables and charts a chapter
    places), made over the document's context; a problem in it is located there."""
    path = project.root / TEMPLATES_DIR / name
    try:
        template = env.get_template(name)
        path = Path(template.filename or path)
        return template_call(env, template.make_module, freeze_context(context))
    except PlandocsError:
        raise
    except jinja2.TemplateNotFound:
        raise TemplateError(
            f"template {name!r} not found; it holds the tables of {what}", path
        ) from None
    except Exception as exc:
        raise located(exc, path) from None


def front_matter(
    project: Project,
    context: dict[str, Any],
    rendered: list[dict[str, Any]],
    lang: str,
    tables_text: str = "",
) -> Path | None:
    """What the front matter lists, from the rendered chapters (chapter 0 aside):
    ``chapters``, ``list_of_tables``, ``list_of_figures``, ``abbreviations`` (the terms the
    chapters or ``tables_text``, the text of the annexes and tables, use). Returns the
    glossary file read for the abbreviations (an input of the document), if any."""
    chapters = [ch for ch in rendered if ch["number"] != 0]
    context["chapters"] = freeze(chapters)
    found = [c for ch in chapters for c in ch["captions"]]
    context["list_of_tables"] = freeze([c for c in found if c["kind"] == "table"])
    context["list_of_figures"] = freeze([c for c in found if c["kind"] == "figure"])
    terms, glossary_file = glossary(project)
    text = " ".join(plain(str(ch["html"])) + " " + str(ch["title"]) for ch in rendered)
    text += " " + tables_text
    context["abbreviations"] = freeze(abbreviations(terms, lang, text))
    return glossary_file


def _own(path: Path | str) -> bool:
    """Whether a template file is plandocs' own (not one the project can edit)."""
    return Path(path).resolve().is_relative_to(Path(__file__).resolve().parents[1])


def declared_chart(
    kind: str, options: str, context: Mapping[str, Any], line: int
) -> tuple[dict[str, Any], str]:
    """A chart declared in a chapter's block, over a fact of the document: ``key:
    value`` lines (:data:`CHART_KEYS`); ``data`` names a mapping of category → number
    (``plan.facts.poverty_rate``). Returns the chart's data and its caption."""
    given: dict[str, str] = {}
    for offset, raw in enumerate(options.splitlines(), start=1):
        if not raw.strip():
            continue
        key, colon, value = raw.partition(":")
        key = key.strip()
        if not colon or key not in CHART_KEYS:
            raise BlockError(
                f"a chart's lines are `key: value`, the keys {', '.join(sorted(CHART_KEYS))}",
                line + offset,
            )
        given[key] = value.strip()
    for needed in ("caption", "data"):
        if needed not in given:
            raise BlockError(f"this chart needs `{needed}: …`", line)
    data = _fact(context, given["data"], line)
    if not isinstance(data, Mapping) or not data:
        raise BlockError(
            f"`{given['data']}` is not a mapping of categories to numbers "
            "(e.g. `{2019: 9.41, 2020: 9.78}` in the facts)",
            line,
        )
    categories = [str(key) for key in data]
    highlight = given.get("highlight")
    spec: dict[str, Any] = {
        "kind": kind,
        "categories": categories,
        "series": [{"name": given.get("series", ""), "values": list(data.values())}],
        "title": given["caption"],
        "unit": given.get("unit", ""),
        "category_title": given.get("category_title", ""),
    }
    if highlight:
        if highlight == "last":
            spec["highlight"] = len(categories) - 1
        elif highlight in categories:
            spec["highlight"] = categories.index(highlight)
        else:
            raise BlockError(f"`highlight: {highlight}` is not one of the categories", line)
    if "digits" in given:
        if not given["digits"].isdigit():
            raise BlockError("`digits` is a whole number", line)
        spec["digits"] = int(given["digits"])
    if "reference" in given:
        spec["reference"] = given["reference"]
        spec["reference_label"] = given.get("reference_label", "")
    return spec, given["caption"]


def _fact(context: Mapping[str, Any], dotted: str, line: int) -> Any:
    """The value of a dotted name (``plan.facts.poverty_rate``) in the context."""
    value: Any = context
    for part in dotted.split("."):
        if not isinstance(value, Mapping) or part not in value:
            raise BlockError(f"unknown fact `{dotted}`; name one of the document's facts", line)
        value = value[part]
    return value


_CAPTION = re.compile(
    r'<(caption|figure)\b[^>]*\bid="([^"]+)"[^>]*>.*?<span class="capnum"[^>]*>(.*?)</span>'
    r"(.*?)</(?:caption|figcaption)>",
    re.S,
)
TAG = re.compile(r"<[^>]+>")


def captions(html: str) -> list[dict[str, str]]:
    """The numbered tables and figures of a chapter: kind, anchor, label (``Tabel 2.1``)
    and caption."""
    found = []
    for kind, anchor, number, text in _CAPTION.findall(html):
        found.append(
            {
                "kind": "table" if kind == "caption" else "figure",
                "anchor": anchor,
                "label": html_lib.unescape(TAG.sub("", number)).strip(),
                "title": " ".join(html_lib.unescape(TAG.sub("", text)).split()),
            }
        )
    return found


def glossary(project: Project) -> tuple[list[Any], Path | None]:
    """The glossary's terms, and its file (an input of the document) if there is one."""
    result = Problems()
    terms = load_glossary(project.root, result)
    for diagnostic in result.diagnostics:
        if diagnostic.severity == "error":
            raise diagnostic.problem
    path = project.root / GLOSSARY_FILE
    return terms, path if path.is_file() else None


def plain(html: str) -> str:
    """The text of an HTML fragment (for the abbreviations a chapter uses)."""
    return html_lib.unescape(TAG.sub(" ", html))
