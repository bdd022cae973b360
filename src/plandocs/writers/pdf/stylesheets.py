"""A document's own stylesheet parsed once per process, not once per layout.

Every document of a kind embeds the same ``<style>`` (the kind's stylesheet), and
WeasyPrint parses it again for every layout: tokenizing, validating every declaration
and compiling every selector, about a tenth of a regional sheet's layout time. A
Renstra is laid out many times over (its front matter, its measuring layout, each
chapter), and a build lays out 38 regional sheets per language.

:func:`install` makes WeasyPrint keep what that parse makes for a ``<style>`` text it
has parsed before, in this process, and hand the next document the same selectors and
declarations (read only during the cascade) together with what the parse added to the
document's own state: its ``@page`` rules and its ``@counter-style`` rules, in the
order the parse added them. A stylesheet that would read a file while it is parsed
(``@import``, ``@font-face``) or that names layers or colour profiles is parsed every
time, as before: what it reads is then recorded as an input of each document that
reads it, and nothing is carried over between documents.

The hook replaces the ``CSS`` name WeasyPrint's cascade constructs ``<style>``
elements with, and only when that name and its constructor's parameters are those it
was written for; otherwise WeasyPrint parses every time, as it always did.
"""

from __future__ import annotations

import copy
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

MAX_KEPT = 8
"""Stylesheets kept per process (a build lays out a handful of kinds)."""
MAX_KEPT_TEXT = 100_000
"""A longer stylesheet is parsed every time (the built-in kinds' are about 18,000
characters). A parse takes about 70 bytes of memory per character of text, so what is
kept stays under about 60 MB whatever a project's templates write (a preview runs for
hours over templates that change)."""

_KEEPS_NOTHING = frozenset({"import", "font-face", "layer", "color-profile"})
"""At-rules whose parse reads a file or depends on the document's other stylesheets."""

_EXPECTED = [
    "guess",
    "filename",
    "url",
    "file_obj",
    "string",
    "encoding",
    "base_url",
    "url_fetcher",
    "_check_mime_type",
    "media_type",
    "font_config",
    "counter_style",
    "color_profiles",
    "matcher",
    "page_rules",
    "layers",
    "layer",
]

_INSTALLED: bool | None = None


@dataclass(frozen=True)
class _Parsed:
    """What parsing a stylesheet made, and what it added to its document."""

    sheet: Any
    page_rules: tuple[Any, ...]
    counter_styles: tuple[tuple[str, Any], ...]


_KEPT: OrderedDict[tuple[str, str, str], _Parsed] = OrderedDict()
_NOT_KEPT: OrderedDict[tuple[str, str, str], None] = OrderedDict()
"""Stylesheets found not to be kept, so that they are not examined again."""
_LOCK = threading.Lock()
"""The preview lays out in its background build while its server's threads may too."""


def install() -> bool:
    """Hook WeasyPrint's parse of ``<style>`` elements (once). False when its internals
    are not the ones the hook was written for: then nothing is kept."""
    global _INSTALLED
    if _INSTALLED is not None:
        return _INSTALLED
    import inspect

    import weasyprint
    from weasyprint import css

    try:
        fits = (
            css.CSS is weasyprint.CSS
            and list(inspect.signature(weasyprint.CSS.__init__).parameters)[1:] == _EXPECTED
            and callable(getattr(css, "find_stylesheets", None))
        )
    except (AttributeError, TypeError, ValueError):
        fits = False
    _INSTALLED = fits
    if fits:
        css.CSS = _kept_css(weasyprint.CSS)
    return fits


def _kept_css(original: Any) -> Any:
    def make(*args: Any, **kwargs: Any) -> Any:
        text = kwargs.get("string")
        if args or not isinstance(text, str) or set(kwargs) - _CASCADE_ARGS:
            return original(*args, **kwargs)
        base_url, media_type = kwargs.get("base_url"), kwargs.get("media_type")
        if (
            not isinstance(base_url, str)
            or not isinstance(media_type, str)
            or len(text) > MAX_KEPT_TEXT
        ):
            return original(*args, **kwargs)
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        key = (digest, base_url, media_type)
        with _LOCK:
            parsed = _KEPT.get(key)
            refused = key in _NOT_KEPT
            if parsed is not None:
                _KEPT.move_to_end(key)
        if parsed is None:
            if refused or not _keepable(text):
                _remember(_NOT_KEPT, key, None)
                return original(*args, **kwargs)
            parsed = _parse(original, kwargs)
            _remember(_KEPT, key, parsed)
            return parsed.sheet  # this document's own parse
        return _replay(original, parsed, kwargs)

    make.plandocs = True  # type: ignore[attr-defined]
    return make


_CASCADE_ARGS = frozenset(
    {
        "string",
        "base_url",
        "url_fetcher",
        "media_type",
        "font_config",
        "counter_style",
        "page_rules",
        "color_profiles",
        "layers",
    }
)
"""The arguments WeasyPrint's cascade passes for a ``<style>`` element."""


def _remember(kept: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    with _LOCK:
        kept[key] = value
        kept.move_to_end(key)
        while len(kept) > MAX_KEPT:
            kept.popitem(last=False)


def _keepable(text: str) -> bool:
    """Whether parsing ``text`` touches nothing but its own rules, ``@page`` rules and
    ``@counter-style`` rules: no at-rule of :data:`_KEEPS_NOTHING` at any depth."""
    import tinycss2

    def clean(rules: Any) -> bool:
        for rule in rules:
            if getattr(rule, "type", None) != "at-rule":
                continue
            keyword = rule.lower_at_keyword
            if keyword in _KEEPS_NOTHING:
                return False
            if keyword in ("media", "supports") and rule.content is not None:
                nested = tinycss2.parse_rule_list(rule.content, skip_comments=True)
                if not clean(nested):
                    return False
        return True

    return clean(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True))


def _parse(original: Any, kwargs: dict[str, Any]) -> _Parsed:
    """Parse for this document, noting what the parse added to the document's state."""
    page_rules = kwargs.get("page_rules")
    counter_style = kwargs.get("counter_style")
    rules_before = len(page_rules) if isinstance(page_rules, list) else 0
    styles_before = dict(counter_style) if isinstance(counter_style, dict) else {}
    sheet = original(**kwargs)
    added_rules = tuple(sheet.page_rules[rules_before:])
    added_styles = tuple(
        (name, copy.deepcopy(value))
        for name, value in (counter_style or {}).items()
        if name not in styles_before or styles_before[name] is not value
    )
    return _Parsed(sheet, added_rules, added_styles)


def _replay(original: Any, parsed: _Parsed, kwargs: dict[str, Any]) -> Any:
    """A stylesheet object for this document that shares the kept parse, with what the
    parse added put into this document's state, in the same order."""
    sheet = original.__new__(original)
    sheet.__dict__.update(parsed.sheet.__dict__)
    page_rules = kwargs.get("page_rules")
    if page_rules is None:
        page_rules = []
    page_rules.extend(parsed.page_rules)
    sheet.page_rules = page_rules
    layers = kwargs.get("layers")
    sheet.layers = [] if layers is None else layers
    counter_style = kwargs.get("counter_style")
    if counter_style is not None:
        for name, value in parsed.counter_styles:
            counter_style[name] = copy.deepcopy(value)  # WeasyPrint may complete it
    return sheet
