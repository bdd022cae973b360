"""Localized rendering: the one Jinja environment, and one HTML document per (document, language).

Templates and the expressions inside content run in plandocs' sandbox
(:mod:`plandocs.render.sandbox`: immutable, plain data only, a time and size budget per
document) with autoescaping on for HTML. A Markdown body is first rendered as a
(non-HTML) template over the facts, then converted to HTML by markdown-it with raw
HTML disabled, so text from content can never become markup.

What a filter needs besides its arguments — the document's localizer, the URL policy
of the Markdown it converts — travels in a context variable (:func:`document_scope`),
out of the templates' reach.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import traceback
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from plandocs import __version__
from plandocs.errors import PlandocsError, TemplateError, describe
from plandocs.render.i18n import WORD_LANGS, Localizer
from plandocs.render.markdown import markdown
from plandocs.render.sandbox import (
    MAX_PAGE,
    freeze,
    freeze_context,
    generate,
    make_environment,
    page_size_error,
)
from plandocs.render.styles import css
from plandocs.safety.budget import BudgetExceeded, budget, tick
from plandocs.safety.paths import UrlCheck, xml_safe
from plandocs.safety.reader import clean_text, current, warn
from plandocs.settings import Settings

TEMPLATES_DIR = "templates"
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


@dataclass
class RenderState:
    """What the filters of one document's rendering use, out of the templates' reach."""

    l10n: Localizer
    settings: Settings
    urls: UrlCheck | None = None
    """The URL policy of the Markdown body the ``markdown`` filter converts."""


_STATE: ContextVar[RenderState | None] = ContextVar("plandocs_render_state", default=None)


@contextlib.contextmanager
def document_scope(settings: Settings, lang: str, source: Path) -> Iterator[RenderState]:
    """Render one document in one language: its localizer for the filters, and its
    budget of time, size and memory (:func:`plandocs.render.sandbox.budget`). A breach the
    template code did not report itself is reported at ``source``."""
    state = RenderState(Localizer(lang, settings.english_dates, settings.number_style), settings)
    token = _STATE.set(state)
    try:
        with budget():
            yield state
    except (BudgetExceeded, RecursionError, MemoryError) as exc:
        raise TemplateError(explain(exc), source) from None
    finally:
        _STATE.reset(token)


def _l10n(ctx: jinja2.runtime.Context) -> Localizer:
    state = _STATE.get()
    if state is not None:
        return state.l10n
    lang = ctx.get("lang")
    return Localizer(lang if lang in WORD_LANGS else "id")


@jinja2.pass_context
def _markdown(ctx: jinja2.runtime.Context, text: str, lead: str | None = None) -> Markup:
    state = _STATE.get()
    return markdown(str(text), lead, state.urls if state is not None else None)


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
def _rupiah(
    ctx: jinja2.runtime.Context, value: Any, form: str = "full", digits: int | None = None
) -> str:
    return _l10n(ctx).rupiah(value, form, digits)


@jinja2.pass_context
def _words(ctx: jinja2.runtime.Context, value: Any) -> str:
    return _l10n(ctx).words(value)


@jinja2.pass_context
def _unit(ctx: jinja2.runtime.Context, value: Any, unit: Any, digits: int | None = None) -> str:
    return _l10n(ctx).unit(value, unit, digits)


def _balance(text: Any, style: str = "Title") -> Markup:
    """``text | balance("Cover Title")`` in templates: the text in the fewest lines the
    page's width allows for that style, broken (``<br>``) where its lines come out most
    even, so no word stands alone on the last line."""
    from markupsafe import escape

    from plandocs.render.columns import balanced_lines
    from plandocs.render.styles import size_pt, style_named

    state = _STATE.get()
    if state is None:
        raise RuntimeError("balance is called outside a document's rendering")
    try:
        found = style_named(str(style))
    except StopIteration:
        raise ValueError(f"balance: no style is named {style!r}") from None
    settings = state.settings
    short, _long = sorted(settings.page.size_mm)
    margins = settings.page.margins_cm
    width_pt = (short - 10 * (margins.left + margins.right)) * 72 / 25.4
    if found.half_indent:  # the right half of the page (a signature block)
        width_pt /= 2
    width_pt -= 72 / 2.54 * (found.indent_cm + found.hanging_cm)
    value = str(text)
    shown = value.upper() if found.upper else value
    lines = balanced_lines(shown, width_pt / size_pt(found, settings.fonts.size_pt), found.bold)
    # The text keeps its own case (the style may set it in capitals).
    words = value.split()
    out, at = [], 0
    for line in lines:
        count = len(line.split())
        out.append(escape(" ".join(words[at : at + count])))
        at += count
    return Markup("<br>").join(out)


def _fit_columns(html: str, spec: Any, landscape: bool = False) -> Markup:
    """``fit_columns(table, spec)`` in templates: the table with its column widths, for
    the page of the document being rendered (see :mod:`plandocs.render.columns`)."""
    from plandocs.render.columns import TableFitter

    state = _STATE.get()
    if state is None:
        raise RuntimeError("fit_columns is called outside a document's rendering")
    return TableFitter(state.settings)(str(html), list(spec), bool(landscape))


_ENVS: dict[Path, SandboxedEnvironment] = {}
MAX_TEMPLATE_NESTING = 64
"""Elements nested in one document's HTML: the writers lay out deeper trees by
recursion, which Python bounds."""


def make_env(root: Path) -> SandboxedEnvironment:
    """The one Jinja environment of a project: sandboxed, autoescaping, strict about names.

    One per process and project, so its compiled templates serve every document of
    a build (Jinja checks each template file for changes before reusing it).
    """
    key = Path(os.path.realpath(root))
    if key not in _ENVS:
        _ENVS[key] = _new_env(key)
    return _ENVS[key]


def _new_env(root: Path) -> SandboxedEnvironment:
    env = make_environment(
        root,
        root / TEMPLATES_DIR,
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
        words=_words,
        unit=_unit,
        markdown=_markdown,
        balance=_balance,
    )
    env.guard_filters()
    # Table helpers (column widths, one precision per indicator) for the table templates.
    from plandocs.render.columns import decimals, indicator_digits

    env.globals.update(
        fit_columns=_fit_columns, indicator_digits=indicator_digits, decimals=decimals
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
_UNSAFE = re.compile(r"^access to attribute '([^']+)' of '([^']+)' object is unsafe\.$")


def explain(exc: BaseException) -> str:
    if isinstance(exc, BudgetExceeded):
        return str(exc)
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"template {exc.name!r} not found; add it under {TEMPLATES_DIR}/ or fix the name"
    if isinstance(exc, jinja2.UndefinedError) and not isinstance(exc, SecurityError):
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
        return f"{describe(exc)}; check the name against the document's YAML facts"
    if isinstance(exc, SecurityError):
        message = exc.message or ""
        if match := _UNSAFE.match(message):
            attribute, kind = match.group(1), _KINDS.get(match.group(2), match.group(2))
            if attribute in _CHANGING:
                return (
                    f"not allowed in a template: `.{attribute}` would change a {kind}; the "
                    "facts and words are read-only (make a new value with `{% set … %}`)"
                )
            return f"not allowed in a template: `.{attribute}` of a {kind} value"
        return f"not allowed in a template: {describe(exc)}"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return (
            f"template syntax: {describe(exc)}"
            if not exc.message
            else (f"template syntax: {describe(jinja2.TemplateError(exc.message))}")
        )
    if isinstance(exc, SyntaxError):
        return "the expression nests too deeply (too many brackets or blocks); simplify it"
    return describe(exc)


_TEMPLATE_SUFFIXES = (".html", ".css", ".xml")
_KINDS = {"FrozenDict": "mapping", "dict": "mapping", "FrozenList": "list", "type": "Python type"}
_CHANGING = frozenset(
    {
        "update", "setdefault", "pop", "popitem", "clear", "append", "extend", "insert",
        "remove", "sort", "reverse", "add", "discard", "difference_update",
        "intersection_update", "symmetric_difference_update", "appendleft", "extendleft",
        "popleft", "rotate",
    }
)  # fmt: skip


def template_frame(exc: BaseException) -> tuple[str, int] | None:
    """The innermost template file (not content) in whose code the error happened."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(_TEMPLATE_SUFFIXES) and frame.lineno:
            return frame.filename, frame.lineno
        if frame.filename == "<template>":
            return None
    return None


def template_call(env: SandboxedEnvironment, func: Any, *args: Any) -> Any:
    """Call template code outside ``render`` (a macro, a module's body) so that an error
    in it carries the template's own line numbers, as errors during ``render`` do."""
    try:
        return func(*args)
    except Exception:
        env.handle_exception()


def located(exc: Exception, fallback: Path | str | None, line: int | None = None) -> TemplateError:
    """A TemplateError for an exception from template code: at the template file and
    line where it happened, else at ``fallback``."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return TemplateError(explain(exc), exc.filename, exc.lineno)
    found = template_frame(exc)
    if found is not None:
        return TemplateError(explain(exc), found[0], found[1])
    return TemplateError(explain(exc), fallback, line)


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
        template = env.from_string(source)
        text = generate(template, freeze_context(context))
    except PlandocsError:
        raise
    except jinja2.TemplateSyntaxError as exc:
        if exc.filename and exc.filename != "<template>":
            raise TemplateError(explain(exc), exc.filename, exc.lineno) from None
        line = first_line + (exc.lineno or 1) - 1
        raise TemplateError(explain(exc), path, line) from None
    except Exception as exc:
        inner = template_frame(exc)
        if inner is not None and not isinstance(exc, BudgetExceeded):
            raise TemplateError(explain(exc), inner[0], inner[1]) from None
        offset = _where(exc, "<template>")
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
    page_labels: dict[str, str] = field(default_factory=dict)
    """Anchor → printed page number, filled in by the PDF writer once it has laid out
    the pages; the DOCX writer shows them in its table of contents."""
    pdf: dict[str, Any] = field(default_factory=dict)
    """The PDF writer's options: ``archive`` (PDF/A-3b), ``tagged``, ``cover_label``."""

    def __post_init__(self) -> None:
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
        raise TemplateError(explain(exc), exc.filename, exc.lineno) from None
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
