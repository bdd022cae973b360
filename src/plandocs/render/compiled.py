"""Compiled templates kept for the process.

Jinja compiles a template's text to Python code for each environment that loads it,
and plandocs makes an environment per project and kind's layers. So ``check``, which
compiles each template to find its mistakes and then renders with it, compiled every
template twice; a build's worker, the preview and the tests, which build many
projects in one process, compiled the same built-in templates again and again. That
was a third of a ``check``'s time.

:func:`kept` keeps the code, in memory only, under everything Jinja's compiler reads:
the text, its name, and the environment's syntax, options, filters and tests (by the
function each runs and what it is passed: the optimizer calls a filter on constants
while compiling). The same text compiled by an environment that differs in any of them
is compiled again. The file name is only written into the code (where an error's
traceback points, and ``Template.filename``), so a project's copy of a built-in
template takes the kept code with its own file name put in. Nothing is kept across
processes or written anywhere.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from types import CodeType
from typing import Any

import jinja2

MAX_COMPILED = 512
"""Compiled templates a process keeps (all the built-in kinds' are about 60)."""
MAX_KEPT_CHARS = 8_000_000
"""The characters of template text whose code a process keeps, at most (the built-in
kinds' are about 300,000): a long-lived process (the preview) over templates of
megabytes keeps a few, not hundreds."""

_COMPILED: OrderedDict[tuple[Any, ...], tuple[Any, int]] = OrderedDict()
_kept_chars = 0
_LOCK = threading.Lock()
"""The preview renders in its server's threads and its background build at once."""


def kept(env: jinja2.Environment, call: tuple[Any, ...], compile_now: Callable[[], Any]) -> Any:
    """The code ``compile_now`` makes of ``call`` (``compile``'s arguments) in ``env``,
    compiled once per process."""
    global _kept_chars
    source, name, filename, raw, defer_init = call
    size = len(source) if isinstance(source, str) else 0
    digest = hashlib.sha256(str(source).encode("utf-8", "surrogatepass")).digest()
    # Raw code (Python source) is kept by file name; code objects are moved to theirs.
    key = (digest, name, filename if raw else None, raw, defer_init, compiles_as(env))
    with _LOCK:
        found = _COMPILED.get(key)
        if found is not None:
            _COMPILED.move_to_end(key)
    if found is not None:
        code = found[0]
        if isinstance(code, CodeType):
            return relocated(code, filename or "<template>")
        return code
    code = compile_now()  # a mistake raises, and nothing is kept
    if size <= MAX_KEPT_CHARS:
        with _LOCK:
            if key not in _COMPILED:
                _COMPILED[key] = (code, size)
                _kept_chars += size
            while len(_COMPILED) > MAX_COMPILED or _kept_chars > MAX_KEPT_CHARS:
                _, (_, dropped) = _COMPILED.popitem(last=False)
                _kept_chars -= dropped
    return code


def relocated(code: CodeType, filename: str) -> CodeType:
    """``code`` with ``filename`` as the file of it and of every function in it."""
    if code.co_filename == filename:
        return code
    consts = tuple(
        relocated(const, filename) if isinstance(const, CodeType) else const
        for const in code.co_consts
    )
    return code.replace(co_filename=filename, co_consts=consts)


def compiles_as(env: jinja2.Environment) -> tuple[Any, ...]:
    """Everything of ``env`` that Jinja's compiler reads."""

    def functions(mapping: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(
            (name, getattr(func, "__wrapped__", func), getattr(func, "jinja_pass_arg", None))
            for name, func in sorted(mapping.items(), key=lambda item: item[0])
        )

    return (
        type(env),
        env.code_generator_class,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        tuple(sorted(type(ext).__qualname__ for ext in env.extensions.values())),
        env.optimized,
        env.autoescape,
        env.finalize,
        env.is_async,
        getattr(env, "intercepted_binops", None),
        getattr(env, "intercepted_unops", None),
        repr(sorted(env.policies.items())),
        functions(env.filters),
        functions(env.tests),
    )
