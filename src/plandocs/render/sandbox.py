"""The sandbox in which templates and content expressions run.

Content and templates are untrusted. On top of Jinja's sandbox (no ``__class__``,
``__globals__`` …) this one

* refuses to change shared objects: the immutable sandbox's rules (no ``update``,
  ``append``, ``pop`` … on dicts, lists and sets), and every value a template gets is
  first made plain, read-only data (:func:`freeze`): dicts, lists, text, numbers and
  dates — never a path, a settings object or a policy with a ``root``;
* refuses attribute access on anything that is not such plain data;
* reads templates only from inside the project, following links, or from plandocs' own
  (:mod:`plandocs.render.loader`), recording the digest of each project template it compiled;
* holds every value an expression makes, and each page, to a size: expressions that
  would build huge values (``"a" * 10**10``, ``center(10**9)``, ``"%*d"``,
  ``{:>999999999}``, ``10**10**10``) are refused before they run. Time and memory are
  :mod:`plandocs.safety.budget`'s; deep recursion (a macro or template that calls itself) is
  Python's ``RecursionError``. Each breach becomes a located error.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import inspect
import math
import os
import re
import types
from collections.abc import Callable, Mapping
from dataclasses import fields, is_dataclass
from string import Formatter
from typing import Any, NoReturn

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context, LoopContext, Macro, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import Markup

from plandocs.render.compiled import kept
from plandocs.safety.budget import BudgetExceeded, tick

MAX_TEXT = 10_000_000
"""Characters in any one value an expression makes."""
MAX_PAGE = 4_000_000
"""Characters of one document's HTML (about 1,500 pages: far beyond a Renstra, and what
the PDF writer lays out in minutes rather than hours)."""
MAX_SIZE_ARG = 10_000
"""A width, a number of digits, a count of slices: larger is never meant."""
MAX_INT_BITS = 100_000
"""About 30,000 decimal digits."""
MAX_RANGE = 100_000
# -- plain, read-only data ------------------------------------------------------------------


class FrozenDict(dict[Any, Any]):
    """A dict that cannot be changed: what templates get instead of a mapping."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("the facts are read-only; templates cannot change them")

    __setitem__ = __delitem__ = update = setdefault = pop = popitem = clear = _refuse
    __ior__ = _refuse

    def __reduce__(self) -> Any:
        return (FrozenDict, (dict(self),))


class FrozenList(list[Any]):
    """A list that cannot be changed."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("the facts are read-only; templates cannot change them")

    __setitem__ = __delitem__ = append = extend = insert = remove = pop = clear = _refuse
    sort = reverse = __iadd__ = __imul__ = _refuse

    def __reduce__(self) -> Any:
        return (FrozenList, (list(self),))


_ATOMS = (
    str,
    int,
    float,
    bool,
    decimal.Decimal,
    dt.date,
    dt.time,
    dt.timedelta,
    type(None),
)


def freeze(value: Any, _memo: dict[int, Any] | None = None) -> Any:
    """``value`` as plain, read-only data (a fresh copy: nothing shared with the caller).

    Mappings become :class:`FrozenDict`, sequences :class:`FrozenList`, pydantic models
    and dataclasses their fields, paths their project-relative text. Anything else
    is a bug in plandocs and raises ``TypeError``.
    """
    memo = {} if _memo is None else _memo
    known = memo.get(id(value))
    if known is not None:
        return known
    result: Any
    if isinstance(value, (*_ATOMS, Macro, Undefined, FrozenDict, FrozenList)):
        return value  # (frozen containers are made by this function, all the way down)
    if isinstance(value, Mapping):
        result = FrozenDict((k, freeze(v, memo)) for k, v in value.items())
    elif isinstance(value, list | tuple | set | frozenset | range):
        result = FrozenList(freeze(v, memo) for v in value)
    elif hasattr(value, "model_dump"):
        result = freeze(value.model_dump(mode="python"), memo)
    elif is_dataclass(value) and not isinstance(value, type):
        result = FrozenDict((f.name, freeze(getattr(value, f.name), memo)) for f in fields(value))
    elif isinstance(value, os.PathLike):
        result = os.fspath(value)
    else:
        raise TypeError(f"plandocs put a {type(value).__name__} into a template's context")
    memo[id(value)] = result
    return result


# -- checks on what expressions build ---------------------------------------------------------


def freeze_context(context: dict[str, Any]) -> dict[str, Any]:
    """A template context whose every value is plain, read-only data (cheap for values
    already frozen): the last guard before any template sees it."""
    memo: dict[int, Any] = {}
    return {name: freeze(value, memo) for name, value in context.items()}


def _too_big(what: str) -> NoReturn:
    raise SecurityError(f"{what}; no document needs a value that large")


def _check_size(value: Any) -> Any:
    if isinstance(value, str | bytes | list | tuple | dict) and len(value) > MAX_TEXT:
        _too_big(f"this expression makes a value of {len(value):,} items or characters")
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        _too_big("this expression makes a number with too many digits")
    return value


def _check_repeat(count: Any, size: int) -> None:
    if isinstance(count, int) and count > 0 and count * max(size, 1) > MAX_TEXT:
        _too_big(f"repeating a value {count:,} times")


_PERCENT_SPEC = re.compile(
    r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])"
)


def check_percent_format(template: str, args: Any) -> None:
    """Refuse ``%``-formatting whose widths or precisions would build huge text."""
    values = list(args) if isinstance(args, tuple) else [args]
    position = 0
    for match in _PERCENT_SPEC.finditer(template):
        for part in match.group(1), match.group(2):
            if part == "*":
                width = values[position] if position < len(values) else 0
                position += 1
            elif part:
                width = int(part)
            else:
                continue
            if isinstance(width, int) and abs(width) > MAX_SIZE_ARG:
                _too_big(f"a width or precision of {width:,} in a format")
        if match.group(3) != "%":
            position += 1


def check_brace_format(template: str) -> None:
    """Refuse ``str.format`` fields whose width or precision would build huge text."""
    try:
        parsed = list(Formatter().parse(template))
    except ValueError:
        return  # str.format reports it
    for _, _, spec, _ in parsed:
        if not spec:
            continue
        if "{" in spec:
            raise SecurityError("a format width given by another field is not allowed here")
        for number in re.findall(r"\d+", spec):
            if len(number) > 5 or int(number) > MAX_SIZE_ARG:
                _too_big(f"a width or precision of {number} in a format")


_SIZE_PARAMS = frozenset({"width", "linecount", "slices", "digits", "indent", "precision"})
_STR_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill"})


def _check_str_method(obj: Any, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Pre-check a method of a text; returns arguments to use (``join`` materialized)."""
    text: str | bytes = obj
    if name in _STR_WIDTH_METHODS and args and isinstance(args[0], int) and args[0] > MAX_TEXT:
        _too_big(f"a width of {args[0]:,}")
    elif name == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        tabs = text.count("\t") if isinstance(text, str) else text.count(b"\t")
        if isinstance(size, int) and len(text) + tabs * size > MAX_TEXT:
            _too_big("expanding the tabs")
    elif name == "replace" and len(args) >= 2:
        _check_replace(text, args[0], args[1])
    elif name == "join" and args:
        items = list(args[0])
        total = sum(len(i) for i in items if isinstance(i, str | bytes))
        if total + len(text) * max(len(items) - 1, 0) > MAX_TEXT:
            _too_big("joining these values")
        return (items, *args[1:])
    return args


def _check_replace(text: Any, old: Any, new: Any) -> None:
    if not isinstance(text, str | bytes) or not isinstance(new, str | bytes):
        return
    if not isinstance(old, str | bytes):
        return
    count = text.count(old) if old else len(text) + 1  # type: ignore[arg-type]
    if len(text) + count * max(len(new) - len(old), 0) > MAX_TEXT:
        _too_big("this replacement")


def _guard_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    try:
        signature: inspect.Signature | None = inspect.signature(func)
    except (TypeError, ValueError):
        signature = None

    # Most calls pass only the piped value: nothing to check before the call then.
    passed = 1 + (getattr(func, "jinja_pass_arg", None) is not None)
    plain = name not in ("join", "int")

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        tick()
        if signature is None or (plain and not kwargs and len(args) <= passed):
            return _check_size(func(*args, **kwargs))
        try:
            binding = signature.bind_partial(*args, **kwargs)
        except TypeError:
            return _check_size(func(*args, **kwargs))
        bound = binding.arguments
        for key, value in bound.items():
            if (
                key in _SIZE_PARAMS
                and isinstance(value, int | float)
                and not isinstance(value, bool)
                and abs(value) > MAX_SIZE_ARG
            ):
                _too_big(f"`{name}` with {key} {value:,}")
        value = bound.get("value", bound.get("s"))
        if name == "format" and isinstance(value, str):
            check_percent_format(value, tuple(bound.get("args", ())))
        elif name == "replace":
            _check_replace(value, bound.get("old"), bound.get("new"))
        elif name == "indent" and isinstance(value, str):
            width = bound.get("width", 4)
            prefix = len(width) if isinstance(width, str) else width
            lines = value.count("\n") + 1
            if isinstance(prefix, int) and len(value) + lines * prefix > MAX_TEXT:
                _too_big("this indentation")
        elif name == "join" and value is not None and not isinstance(value, str):
            items = list(value)
            separator = str(bound.get("d", ""))
            total = sum(len(str(item)) for item in items[: MAX_TEXT // 8])
            if total + len(separator) * max(len(items) - 1, 0) > MAX_TEXT:
                _too_big("joining these values")
            bound["value"] = items
            return _check_size(func(*binding.args, **binding.kwargs))
        elif (
            name == "int"
            and isinstance(value, decimal.Decimal)
            and (not value.is_finite() or value.adjusted() > 4000)
        ):
            raise ValueError(f"{value} is too large for a whole number")
        return _check_size(func(*args, **kwargs))

    return guarded


def _capped_range(*args: int) -> range:
    tick()
    for arg in args:
        if not isinstance(arg, int) or isinstance(arg, bool):
            raise TypeError(f"range() takes whole numbers, not {arg!r}")
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        _too_big(f"a range of {len(numbers):,} numbers (at most {MAX_RANGE:,})")
    return numbers


# -- the environment ---------------------------------------------------------------------------

_PLAIN_TYPES: tuple[type, ...] = (
    *_ATOMS,
    bytes,
    Markup,
    dict,
    list,
    tuple,
    set,
    frozenset,
    range,
    LoopContext,
    Macro,
    Namespace,
    Cycler,
    Joiner,
    Undefined,
    types.GeneratorType,
    map,
    filter,
    zip,
    type({}.items()),
    type({}.keys()),
    type({}.values()),
    jinja2.runtime.TemplateReference,
    jinja2.runtime.BlockReference,
    jinja2.environment.TemplateModule,
)


class _CodeGenerator(CodeGenerator):
    """Routes ``a ~ b`` through a size check, so doubling a text in a loop is stopped."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.checked_concat(")
        super().visit_Concat(node, frame)
        self.write(")")


_FUNCTIONS = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.BuiltinMethodType,
    type,
)


def _printable(value: Any) -> Any:
    """What ``{{ … }}`` writes: a function is an error, not its ``repr`` (``<function
    _plan at 0x7f…>`` differs on every run, and says where plandocs is in memory)."""
    if isinstance(value, _FUNCTIONS):
        name = getattr(value, "__name__", "this").lstrip("_")
        raise SecurityError(
            f"`{name}` is a function, which cannot be written; call it: `{name}(…)`"
        )
    return value


class PlandocsEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with plain data only and a budget for every document."""

    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("finalize", _printable)
        super().__init__(*args, **kwargs)
        self.globals.pop("lipsum", None)
        self.globals["range"] = _capped_range

    def compile(
        self,
        source: str | nodes.Template,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        """Jinja's compile, kept for this process (:mod:`plandocs.render.compiled`)."""

        def compile_now() -> Any:
            return ImmutableSandboxedEnvironment.compile(  # type: ignore[call-overload]
                self, source, name, filename, raw, defer_init
            )

        if not isinstance(source, str):
            return compile_now()
        return kept(self, (source, name, filename, raw, defer_init), compile_now)

    def guard_filters(self) -> None:
        """Wrap every filter: arguments that would build huge values are refused, and
        what a filter returns is held to the size budget."""
        for name, func in list(self.filters.items()):
            if not getattr(func, "__plandocs_guarded__", False):
                guarded = _guard_filter(name, func)
                guarded.__plandocs_guarded__ = True  # type: ignore[attr-defined]
                self.filters[name] = guarded

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not isinstance(obj, _PLAIN_TYPES):
            return False
        return bool(super().is_safe_attribute(obj, attr, value))

    def getattr(self, obj: Any, attribute: str) -> Any:
        tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        tick()
        return super().getitem(obj, argument)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        tick()
        owner = getattr(__obj, "__self__", None)
        if isinstance(__obj, types.BuiltinMethodType) and owner is not None:
            for arg in (*args, *kwargs.values()):
                if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_TEXT:
                    _too_big(f"`{__obj.__name__}` with {arg:,}")
            if isinstance(owner, str | bytes):
                args = _check_str_method(owner, __obj.__name__, args, kwargs)
        return _check_size(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        tick()
        if operator == "*":
            if isinstance(left, str | bytes | list | tuple):
                _check_repeat(right, len(left))
            elif isinstance(right, str | bytes | list | tuple):
                _check_repeat(left, len(right))
            elif (
                isinstance(left, int)
                and isinstance(right, int)
                and left.bit_length() + right.bit_length() > MAX_INT_BITS
            ):
                _too_big("multiplying these numbers")
        elif operator == "**":
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and right > 0
                and abs(left) > 1
                and right * math.log2(abs(left)) > MAX_INT_BITS
            ):
                _too_big(f"{left} to the power {right}")
        elif operator == "%" and isinstance(left, str):
            check_percent_format(left, right)
        return _check_size(super().call_binop(context, operator, left, right))

    def checked_concat(self, value: Any) -> Any:
        tick()
        return _check_size(value)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        check_brace_format(value.__self__)

        @functools.wraps(wrapper)
        def checked(*args: Any, **kwargs: Any) -> str:
            tick()
            return str(_check_size(wrapper(*args, **kwargs)))

        return checked


def generate(template: jinja2.Template, context: dict[str, Any]) -> str:
    """Render ``template`` piece by piece, held to :data:`MAX_PAGE` characters."""
    parts: list[str] = []
    size = 0
    for part in template.generate(context):
        size += len(part)
        if size > MAX_PAGE:
            raise page_size_error(size)
        parts.append(part)
        tick()
    return "".join(parts)


def page_size_error(size: int) -> BudgetExceeded:
    return BudgetExceeded(
        f"the document's HTML grew past {MAX_PAGE // 1_000_000} million characters; "
        "look for a loop that repeats too much"
    )
