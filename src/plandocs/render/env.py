"""The one Jinja environment of a kind's templates, and the filters plandocs adds to it.

Templates and the expressions inside content run in plandocs' sandbox
(:mod:`plandocs.render.sandbox`: immutable, plain data only, a time and size budget per
document) with autoescaping on for HTML. What a filter needs besides its arguments —
the document's localizer, the URL policy of the Markdown it converts — travels in a
context variable (:func:`document_scope`), out of the templates' reach.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from plandocs.errors import TemplateError
from plandocs.render.i18n import WORD_LANGS, Localizer
from plandocs.render.loader import make_environment
from plandocs.render.located import explain
from plandocs.render.markdown import markdown
from plandocs.safety.budget import BudgetExceeded, budget
from plandocs.safety.urls import UrlCheck
from plandocs.settings import Settings


@dataclass
class RenderState:
    """What the filters of one document's rendering use, out of the templates' reach."""

    l10n: Localizer
    settings: Settings
    urls: UrlCheck | None = None
    """The URL policy of the Markdown body the ``markdown`` filter converts."""
    plans: dict[str, Any] = field(default_factory=dict)
    """The plans cited with ``plan(slug)``, as plain data, once each."""


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

    from plandocs.render.styles import size_pt, style_named
    from plandocs.render.textwidth import balanced_lines

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


_INDEXES: dict[tuple[int, str], tuple[Any, Any]] = {}
"""The last indexes made of read-only lists (a folder's table, shared by its parts)."""


def _index_by(rows: Any, key: str) -> Any:
    """``rows | index_by("region")`` in templates: the rows (mappings) grouped by their
    ``key``, as a mapping from each value to the list of its rows, in order. A part's
    sheet finds its rows in a table of any size at once; an index of a folder's table is
    made once per process and shared by every part."""
    from plandocs.render.sandbox import FrozenList, freeze

    if not isinstance(rows, list | tuple):
        raise TypeError("index_by takes a list of rows, such as tables.<name>")
    memo = (id(rows), str(key))
    found = _INDEXES.get(memo) if isinstance(rows, FrozenList) else None
    if found is not None and found[0] is rows:
        return found[1]
    groups: dict[Any, list[Any]] = {}
    for row in rows:
        if not isinstance(row, Mapping):
            raise TypeError(f"index_by takes rows that are mappings, not {type(row).__name__}")
        value = row.get(key)
        try:
            groups.setdefault(value, []).append(row)
        except TypeError:
            raise TypeError(f"index_by: the {key!r} of a row is not a single value") from None
    index = freeze(groups)
    if isinstance(rows, FrozenList):
        if len(_INDEXES) >= 16:
            _INDEXES.pop(next(iter(_INDEXES)))
        _INDEXES[memo] = (rows, index)  # the list kept alive: its id is not reused
    return index


def _chart(spec: Any, caption: str = "", number: str | None = None, label: str = "") -> Markup:
    """``chart(spec, caption, number, label)`` in templates: a chart drawn from the facts
    (:mod:`plandocs.render.charts`), numbered as a figure when ``number`` is given."""
    from plandocs.render.chartdraw import figure
    from plandocs.render.charts import chart_from, drawable
    from plandocs.render.columns import TableFitter

    state = _STATE.get()
    if state is None:
        raise RuntimeError("chart is called outside a document's rendering")
    fonts = (state.settings.fonts.body, *state.settings.fonts.fallback)
    fit = TableFitter(state.settings)
    return figure(
        chart_from(spec),
        state.l10n,
        fit,
        fonts,
        drawable(str(caption), "the caption"),
        None if number is None else drawable(str(number), "the number"),
        drawable(str(label), "the label"),
    )


def _plan(slug: Any) -> Any:
    """``plan(slug)`` in templates and content: the facts of the strategic plan
    ``content/renstra/<slug>/`` in the document's language, as its own chapters see them
    (``plan``, ``indicators``, ``years``, ``totals``). The plan is loaded through the
    pipeline, so its files become inputs of the document that cites it."""
    from plandocs.model.references import referenced
    from plandocs.model.renstra import Renstra
    from plandocs.render.sandbox import freeze

    state = _STATE.get()
    if state is None:
        raise RuntimeError("plan is called outside a document's rendering")
    name = str(slug)
    if name not in state.plans:
        document = referenced("renstra", name)
        if not isinstance(document, Renstra):
            raise LookupError(f"content/renstra/{name} is not a strategic plan")
        state.plans[name] = freeze(document.context(state.l10n.lang))
    return state.plans[name]


MAX_TEMPLATE_NESTING = 64
"""Elements nested in one document's HTML: the writers lay out deeper trees by
recursion, which Python bounds."""


_ENVS: dict[tuple[Path, tuple[Path, ...], tuple[tuple[str, Path], ...]], SandboxedEnvironment] = {}


def make_env(
    root: Path, layers: tuple[Path, ...], kinds: Mapping[str, Path] | None = None
) -> SandboxedEnvironment:
    """The one Jinja environment over a kind's template ``layers`` (see
    :mod:`plandocs.render.loader`): sandboxed, autoescaping, strict about names.

    One per process, project and layers, so its compiled templates serve every document
    of a build (Jinja checks each template file for changes before reusing it).
    """
    real = Path(os.path.realpath(root))
    named = tuple(sorted((kinds or {}).items()))
    key = (real, layers, named)
    if key not in _ENVS:
        _ENVS[key] = _new_env(real, layers, dict(named))
    return _ENVS[key]


_AUTOESCAPE = jinja2.select_autoescape(("html", "xml"), default_for_string=False)
"""One function for every environment, so that their compiled templates are shared
(:meth:`PlandocsEnvironment.compile`)."""


def _new_env(
    root: Path, layers: tuple[Path, ...], kinds: Mapping[str, Path]
) -> SandboxedEnvironment:
    env = make_environment(
        root,
        layers,
        kinds,
        autoescape=_AUTOESCAPE,
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
        index_by=_index_by,
        balance=_balance,
    )
    env.guard_filters()
    # Table helpers (column widths, one precision per indicator) for the table templates.
    from plandocs.render.columns import decimals, indicator_digits

    env.globals.update(
        fit_columns=_fit_columns,
        indicator_digits=indicator_digits,
        decimals=decimals,
        chart=_chart,
        plan=_plan,
    )
    return env
