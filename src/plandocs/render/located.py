"""Where a problem in template code happened: the template file and line of an error
raised while rendering, and words a content editor can act on."""

from __future__ import annotations

import re
import traceback
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from plandocs.errors import TemplateError, describe
from plandocs.safety.budget import BudgetExceeded

TEMPLATES_DIR = "templates"


def where_in(exc: BaseException, filename: str | None) -> int | None:
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
        return syntax_error(exc)
    found = template_frame(exc)
    if found is not None:
        return TemplateError(explain(exc), found[0], found[1])
    return TemplateError(explain(exc), fallback, line)


_INNERMOST = re.compile(r"The innermost block that needs to be closed is '(\w+)'")
_BLOCK_TAGS = frozenset(
    {"if", "for", "block", "macro", "call", "filter", "with", "set", "autoescape", "trans"}
)


def _opened_at(env: jinja2.Environment, source: str, tag: str, before: int) -> int | None:
    """The line of the innermost ``{% tag %}`` still open at line ``before``."""
    stack: list[tuple[str, int]] = []
    pending: tuple[str, int] | None = None  # a `set` whose kind (block or not) is not known yet
    expect_name = False
    try:
        for line, kind, value in env.lex(source):
            if line > before:
                break
            if kind == "whitespace":
                continue
            if kind == "block_begin":
                expect_name = True
                continue
            if expect_name and kind == "name":
                expect_name = False
                if value in _BLOCK_TAGS:
                    if value == "set":
                        pending = ("set", line)
                    else:
                        stack.append((value, line))
                elif value.startswith("end") and stack and stack[-1][0] == value[3:]:
                    stack.pop()
                continue
            expect_name = False
            if pending is not None:
                if kind == "operator" and value == "=":
                    pending = None  # `{% set x = … %}` closes itself
                elif kind == "block_end":
                    stack.append(pending)
                    pending = None
    except jinja2.TemplateSyntaxError:
        return None
    for name, line in reversed(stack):
        if name == tag:
            return line
    return None


def syntax_error(exc: jinja2.TemplateSyntaxError, source: str | None = None) -> TemplateError:
    """A template's syntax error at its file and line — for a block left open, at the line
    that opened it (Jinja notices only where the template, or an outer block, ends)."""
    text = source if source is not None else getattr(exc, "source", None)
    match = _INNERMOST.search(exc.message or "")
    if match and text and exc.lineno:
        tag = match.group(1)
        env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)
        line = _opened_at(env, text, tag, exc.lineno)
        if line is not None and line != exc.lineno:
            return TemplateError(
                f"template syntax: `{{% {tag} %}}` on this line is never closed (Jinja met "
                f"the end of an outer block or of the template on line {exc.lineno}); close "
                f"it with `{{% end{tag} %}}`",
                exc.filename,
                line,
            )
    return TemplateError(explain(exc), exc.filename, exc.lineno)
