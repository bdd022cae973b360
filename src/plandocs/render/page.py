"""One HTML document per (document, language): the page template rendered over the
document's context, and the content's own ``{{ … }}`` expressions.

A Markdown body is first rendered as a (non-HTML) template over the facts, then
converted to HTML by markdown-it with raw HTML disabled, so text from content can never
become markup. Every text bound for the writers passes :class:`RenderedDocument`, which
holds it to what XML can carry and to the size and nesting the writers can lay out.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypedDict

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from plandocs import __version__
from plandocs.errors import PlandocsError, TemplateError
from plandocs.render.css import css
from plandocs.render.env import MAX_TEMPLATE_NESTING
from plandocs.render.i18n import WORD_LANGS
from plandocs.render.located import (
    TEMPLATES_DIR,
    explain,
    located,
    syntax_error,
    template_call,
    template_frame,
    where_in,
)
from plandocs.render.sandbox import MAX_PAGE, freeze, freeze_context, generate, page_size_error
from plandocs.safety.budget import BudgetExceeded, tick
from plandocs.safety.paths import read_regular
from plandocs.safety.reader import clean_text, current, warn
from plandocs.safety.text import xml_safe
from plandocs.settings import Settings

BODY_TEMPLATE_NAME = "<body>"


class PageContext(TypedDict, total=False):
    """What every document template can use besides the document's own facts: plain,
    read-only data only (see :func:`plandocs.render.sandbox.freeze`)."""

    lang: str
    word_lang: str
    org: dict[str, str]
    settings: dict[str, Any]
    title: str
    subtitle: str | None
    body: str
    style_rules: Markup
    generator: str


def render_text(
    env: SandboxedEnvironment, source: str, context: dict[str, Any], path: Path, first_line: int
) -> str:
    """Render the ``{{ … }}`` expressions of content text; errors point into its file.

    ``first_line`` is the line of ``path`` on which ``source`` starts, so a problem on
    the third line of a Markdown body is reported at its real line in the file. An
    error inside a template the content included is blamed on that template.
    """
    try:
        tick()
        template = _compiled(env, source)
        text = generate(template, freeze_context(context))
    except PlandocsError:
        raise
    except jinja2.TemplateSyntaxError as exc:
        if exc.filename and exc.filename != "<template>":
            raise syntax_error(exc, _source_of(exc.filename)) from None
        line = first_line + (exc.lineno or 1) - 1
        raise TemplateError(explain(exc), path, line) from None
    except Exception as exc:
        inner = template_frame(exc)
        if inner is not None and not isinstance(exc, BudgetExceeded):
            raise TemplateError(explain(exc), inner[0], inner[1]) from None
        offset = where_in(exc, "<template>")
        line = first_line + (offset or 1) - 1
        raise TemplateError(explain(exc), path, line) from None
    if len(text) > MAX_PAGE:
        raise TemplateError(str(page_size_error(len(text))), path, first_line)
    return clean_text(text, path, first_line, " made by an expression")


@dataclass(frozen=True)
class RenderedDocument:
    """One document in one language, as the HTML every writer starts from."""

    html: str
    title: str
    lang: str
    author: str
    source: Path
    """The content file a problem in this document is reported against."""
    templates: tuple[Path, ...]
    date: dt.date | None = None
    today: dt.date | None = None
    """Set when the document shows today's date (a draft stamp): it changes tomorrow."""
    pdf: Mapping[str, Any] = field(default_factory=dict)
    """What the kind asks of the PDF: ``cover_label`` (the cover's page label). Read-only:
    the build passes it on in the writers' options
    (:class:`plandocs.writers.base.WriteOptions`); no writer changes this document."""
    part: str | None = None
    """The part of its folder this document is (a region's sheet), or None."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "pdf", MappingProxyType(dict(self.pdf)))
        # The one place every text bound for the writers passes: what XML cannot hold
        # goes, with a warning (the loaders and the expressions have cleaned what they
        # read and made, so this catches only what slipped past them), and the HTML
        # is held to the size and nesting the writers can lay out.
        for name in ("html", "title", "author"):
            value, removed = xml_safe(getattr(self, name))
            if removed is not None:
                object.__setattr__(self, name, value)
                warn(TemplateError(removed.message(f" in the document's {name}"), self.source))
        if len(self.html) > MAX_PAGE:
            raise TemplateError(str(page_size_error(len(self.html))), self.source)
        depth = _nesting(self.html)
        if depth > MAX_TEMPLATE_NESTING:
            raise TemplateError(
                f"the document's HTML nests elements {depth} deep (at most "
                f"{MAX_TEMPLATE_NESTING}); flatten the lists, quotes or template blocks",
                self.source,
            )


def _nesting(html: str) -> int:
    """How deeply the elements of ``html`` nest."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.document_fromstring(html)
    except Exception:  # lxml refuses an empty or garbled document; the writers will say
        return 0
    depth = {tree: 0}
    deepest = 0
    for element in tree.iterdescendants():
        parent = element.getparent()
        here = depth[parent] + 1 if parent is not None else 0
        depth[element] = here
        deepest = max(deepest, here)
    return deepest


def settings_view(settings: Settings) -> dict[str, Any]:
    """The settings as plain data for templates (with the page size in millimetres)."""
    data = settings.model_dump(mode="python", exclude={"reference_docx"})
    data["page"]["size_mm"] = list(settings.page.size_mm)
    return data


def page_context(settings: Settings, lang: str) -> PageContext:
    """The variables every page template gets for one language, as read-only data."""
    org = settings.org(lang)
    return PageContext(
        lang=lang,
        word_lang=WORD_LANGS[lang],
        org=freeze({"unit": org.unit, "name": org.name}),
        settings=freeze(settings_view(settings)),
        style_rules=Markup(css(settings)),
        generator=f"plandocs {__version__}",
    )


def load_labels(env: SandboxedEnvironment, lang: str) -> tuple[dict[str, str], Path | None]:
    """The fixed words of one language, from ``templates/<lang>/labels.html`` (a read-only
    copy: the template module, and so its dict, is shared by every document)."""
    name = f"{lang}/labels.html"
    try:
        template = env.get_template(name)
        labels = getattr(template_call(env, lambda: template.module), "labels", None)
    except PlandocsError:
        raise
    except jinja2.TemplateNotFound:
        raise TemplateError(
            f"template {name!r} not found; it holds the document words in that language",
            Path(TEMPLATES_DIR) / name,
        ) from None
    except Exception as exc:
        raise located(exc, Path(TEMPLATES_DIR) / name) from None
    if not isinstance(labels, dict):
        raise TemplateError("it must set `labels` to a mapping of words", template.filename)
    return freeze(labels), Path(template.filename) if template.filename else None


@dataclass(frozen=True)
class DraftStamp:
    """What a draft's pages show: ``RANCANGAN`` across them, ``Rancangan v3 · <date>`` below."""

    version: int | None
    date: dt.date
    today: bool
    """The date is today's (no ``SOURCE_DATE_EPOCH``), so tomorrow it is another."""


def created_at(day: dt.date | None) -> dt.datetime:
    """The time a document says it was made: ``SOURCE_DATE_EPOCH`` when set, else the
    date the content gives. Never the clock, so the same inputs give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.combine(day or dt.date(2000, 1, 1), dt.time(0, 0), tzinfo=dt.UTC)


def draft_stamp(
    settings: Settings, status: str, version: int | None, asked: bool
) -> DraftStamp | None:
    """The stamp, if ``--draft`` was asked or the settings or the document say ``draft``."""
    if not (asked or status == "draft" or settings.status == "draft"):
        return None
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit():
        return DraftStamp(version or settings.version, created_at(None).date(), today=False)
    return DraftStamp(version or settings.version, dt.date.today(), today=True)


def document_context(
    env: SandboxedEnvironment,
    context: dict[str, Any],
    settings: Settings,
    lang: str,
    draft: DraftStamp | None = None,
    day: dt.date | None = None,
) -> tuple[Path, ...]:
    """Add what every page template gets (language, labels, styles, draft stamp …).

    Returns the template files read for it, for the build's record of inputs.
    """
    context.update(page_context(settings, lang))
    labels, path = load_labels(env, lang)
    context["labels"] = labels
    context["draft"] = freeze(draft)
    context["created"] = created_at(day)
    return (path,) if path else ()


def render_page(
    env: SandboxedEnvironment, template_name: str, context: dict[str, Any]
) -> tuple[str, tuple[Path, ...]]:
    """Render a page template; return the HTML and the template files it used.

    The page is generated piece by piece and held to :data:`plandocs.render.sandbox.MAX_PAGE`
    characters; any failure is a :class:`TemplateError` at the template's line.
    """
    loader = env.loader
    root = Path(loader.searchpath[0]) if isinstance(loader, jinja2.FileSystemLoader) else None
    recorder = current()
    before = set(recorder.reads) if recorder is not None else set()
    try:
        template = env.get_template(template_name)
        html = generate(template, freeze_context(context))
    except PlandocsError:
        raise
    except jinja2.TemplateNotFound as exc:
        name = str(exc.name)
        pieces = name.split("/")
        if root is not None and len(pieces) > 2 and pieces[0] == "kinds":
            # A file-defined kind's template (plandocs.kinds.spec): kinds/<kind>/templates/…
            where = root.parent / "kinds" / pieces[1] / "templates" / "/".join(pieces[2:])
            raise TemplateError(f"template {name!r} not found; add it", where) from None
        raise TemplateError(
            f"template {name!r} not found; add it under {TEMPLATES_DIR}/",
            (root / name) if root else None,
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise syntax_error(exc, _source_of(exc.filename)) from None
    except Exception as exc:
        found = template_frame(exc)
        if found is None:
            filename = (root / template_name) if root else None
            raise TemplateError(explain(exc), filename) from None
        raise TemplateError(explain(exc), found[0], found[1]) from None
    used: tuple[Path, ...] = ()
    if recorder is not None:
        used = tuple(sorted(recorder.root / rel for rel in recorder.reads if rel not in before))
    return html, used


_COMPILED: dict[tuple[int, str], jinja2.Template] = {}
_COMPILED_MAX = 512


def _compiled(env: SandboxedEnvironment, source: str) -> jinja2.Template:
    """The compiled template of a content text: a kind's title pattern, rendered for each
    of its documents and parts, is compiled once per process and environment."""
    if len(source) > 65536:
        return env.from_string(source)
    key = (id(env), source)
    template = _COMPILED.get(key)
    if template is None:
        template = env.from_string(source)
        if len(_COMPILED) >= _COMPILED_MAX:
            _COMPILED.pop(next(iter(_COMPILED)))
        _COMPILED[key] = template
    return template


def _source_of(filename: str | None) -> str | None:
    """The text of the template file a syntax error names (already read once, so it is
    a project file checked by the loader, or plandocs' own)."""
    raw = read_regular(Path(filename), 8 * 1024 * 1024) if filename else None
    return raw.decode("utf-8", "replace") if raw is not None else None
