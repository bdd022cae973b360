"""Localized rendering: the one Jinja environment, and one HTML document per (document, language).

Templates and the expressions inside content run in Jinja's sandbox with
autoescaping on for HTML. A Markdown body is first rendered as a (non-HTML)
template over the facts, then converted to HTML by markdown-it with raw HTML
disabled, so text from content can never become markup.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from plandocs import __version__
from plandocs.errors import TemplateError
from plandocs.i18n import WORD_LANGS, Localizer
from plandocs.markdown import markdown
from plandocs.safety import UrlPolicy
from plandocs.settings import Organization, Settings
from plandocs.styles import css

TEMPLATES_DIR = "templates"
BODY_TEMPLATE_NAME = "<body>"


class PageContext(TypedDict, total=False):
    """What every document template can use besides the document's own facts."""

    lang: str
    word_lang: str
    l10n: Localizer
    org: Organization
    settings: Settings
    title: str
    subtitle: str | None
    body: str
    style_rules: Markup
    generator: str


def _l10n(ctx: jinja2.runtime.Context) -> Localizer:
    l10n = ctx.get("l10n")
    if not isinstance(l10n, Localizer):
        raise RuntimeError("plandocs rendered a template without a localizer")
    return l10n


@jinja2.pass_context
def _markdown(ctx: jinja2.runtime.Context, text: str, lead: str | None = None) -> Markup:
    policy = ctx.get("url_policy")
    return markdown(text, lead, policy if isinstance(policy, UrlPolicy) else None)


@jinja2.pass_context
def _date(ctx: jinja2.runtime.Context, value: Any, style: str = "long") -> str:
    return _l10n(ctx).date(value, "full" if style == "full" else "long")


@jinja2.pass_context
def _date_range(ctx: jinja2.runtime.Context, start: Any, end: Any = None) -> str:
    if isinstance(start, dict) and end is None:
        start, end = start.get("start"), start.get("end")
    return _l10n(ctx).date_range(start, end)


@jinja2.pass_context
def _time(ctx: jinja2.runtime.Context, value: Any, zone: str | None = None) -> str:
    return _l10n(ctx).time(value, zone)


@jinja2.pass_context
def _number(ctx: jinja2.runtime.Context, value: Any, digits: int | None = None) -> str:
    return _l10n(ctx).number(value, digits)


@jinja2.pass_context
def _percent(ctx: jinja2.runtime.Context, value: Any, digits: int | None = None) -> str:
    return _l10n(ctx).percent(value, digits)


@jinja2.pass_context
def _rupiah(ctx: jinja2.runtime.Context, value: Any, form: str = "full") -> str:
    return _l10n(ctx).rupiah(value, "large" if form == "large" else "full")


_ENVS: dict[Path, SandboxedEnvironment] = {}


def make_env(root: Path) -> SandboxedEnvironment:
    """The one Jinja environment of a project: sandboxed, autoescaping, strict about names.

    One per process and project, so its compiled templates serve every document of
    a build (Jinja checks each template file for changes before reusing it).
    """
    key = root.resolve()
    if key not in _ENVS:
        _ENVS[key] = _new_env(key)
    return _ENVS[key]


def _new_env(root: Path) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(root / TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        date=_date,
        date_range=_date_range,
        time=_time,
        number=_number,
        percent=_percent,
        rupiah=_rupiah,
        markdown=_markdown,
    )
    return env


def _where(exc: BaseException, filename: str | None) -> int | None:
    """The template line at which a runtime error happened, from Jinja's rewritten traceback."""
    line = getattr(exc, "lineno", None)
    if isinstance(line, int):
        return line
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == filename or (
            filename is None and frame.filename.endswith((".html", ".css", "<template>"))
        ):
            return frame.lineno
    return None


_UNDEFINED = re.compile(r"^'([^']+)' is undefined$")
_NO_ATTRIBUTE = re.compile(r"^'.+' has no attribute '([^']+)'$")


def _explain(exc: BaseException) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        message = exc.message or ""
        if match := _UNDEFINED.match(message):
            return (
                f"unknown fact `{match.group(1)}` in an expression; "
                "use a name from the document's YAML facts, or add it there"
            )
        if match := _NO_ATTRIBUTE.match(message):
            return (
                f"unknown fact `.{match.group(1)}` in an expression; "
                "check its spelling against the document's YAML facts"
            )
        return f"{message}; check the name against the document's YAML facts"
    if isinstance(exc, SecurityError):
        return f"not allowed in a template: {exc}"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"template syntax: {exc.message}"
    return str(exc)


def render_text(
    env: SandboxedEnvironment, source: str, context: dict[str, Any], path: Path, first_line: int
) -> str:
    """Render the ``{{ … }}`` expressions of content text; errors point into its file.

    ``first_line`` is the line of ``path`` on which ``source`` starts, so a problem on
    the third line of a Markdown body is reported at its real line in the file.
    """
    try:
        template = env.from_string(source)
        return template.render(context)
    except jinja2.TemplateSyntaxError as exc:
        line = first_line + (exc.lineno or 1) - 1
        raise TemplateError(_explain(exc), path, line) from None
    except (jinja2.TemplateError, ValueError, TypeError, ArithmeticError) as exc:
        offset = _where(exc, "<template>")
        line = first_line + (offset or 1) - 1
        raise TemplateError(_explain(exc), path, line) from None


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
    page_labels: dict[str, str] = field(default_factory=dict)
    """Anchor → printed page number, filled in by the PDF writer once it has laid out
    the pages; the DOCX writer shows them in its table of contents."""
    pdf: dict[str, Any] = field(default_factory=dict)
    """The PDF writer's options: ``archive`` (PDF/A-3b), ``tagged``, ``cover_label``."""


def page_context(settings: Settings, lang: str) -> PageContext:
    """The variables every page template gets for one language."""
    return PageContext(
        lang=lang,
        word_lang=WORD_LANGS[lang],
        l10n=Localizer(lang, settings.english_dates),
        org=settings.org(lang),
        settings=settings,
        style_rules=Markup(css(settings)),
        generator=f"plandocs {__version__}",
    )


def load_labels(env: SandboxedEnvironment, lang: str) -> tuple[dict[str, str], Path | None]:
    """The fixed words of one language, from ``templates/<lang>/labels.html``."""
    name = f"{lang}/labels.html"
    try:
        template = env.get_template(name)
        labels = getattr(template.module, "labels", None)
    except jinja2.TemplateNotFound:
        raise TemplateError(
            f"template {name!r} not found; it holds the document words in that language",
            Path(TEMPLATES_DIR) / name,
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(_explain(exc), exc.filename, exc.lineno) from None
    if not isinstance(labels, dict):
        raise TemplateError("it must set `labels` to a mapping of words", template.filename)
    return labels, Path(template.filename) if template.filename else None


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
    context["draft"] = draft
    context["created"] = created_at(day)
    return (path,) if path else ()


def render_page(
    env: SandboxedEnvironment, template_name: str, context: dict[str, Any]
) -> tuple[str, tuple[Path, ...]]:
    """Render a page template; return the HTML and the template files it used."""
    loader = env.loader
    root = Path(loader.searchpath[0]) if isinstance(loader, jinja2.FileSystemLoader) else None
    try:
        template = env.get_template(template_name)
        html = template.render(context)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(
            f"template {exc.name!r} not found; add it under {TEMPLATES_DIR}/",
            (root / str(exc.name)) if root else None,
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(_explain(exc), exc.filename, exc.lineno) from None
    except (jinja2.TemplateError, ValueError, TypeError, ArithmeticError) as exc:
        filename = _template_file(exc)
        raise TemplateError(_explain(exc), filename, _where(exc, filename)) from None
    return html, _used_templates(env, template_name)


def _template_file(exc: BaseException) -> str | None:
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".css", ".xml")):
            return frame.filename
    return None


_REFERENCES: dict[tuple[str, int], tuple[str, ...]] = {}


def _used_templates(env: SandboxedEnvironment, name: str) -> tuple[Path, ...]:
    """Every template file reachable from ``name`` through extends/include/import."""
    from jinja2 import meta

    seen: dict[str, Path] = {}
    pending = [name]
    assert env.loader is not None
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        source, filename, _ = env.loader.get_source(env, current)
        path = Path(filename) if filename else Path(current)
        seen[current] = path
        # Parsing a template to find what it references is cached per file version.
        key = (str(path), hash(source))
        if key not in _REFERENCES:
            refs = meta.find_referenced_templates(env.parse(source))
            _REFERENCES[key] = tuple(ref for ref in refs if ref is not None)
        pending.extend(_REFERENCES[key])
    return tuple(sorted(seen.values()))
