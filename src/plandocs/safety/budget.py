"""A budget of time and memory for one document's reading, rendering and writing.

A timer thread raises :class:`BudgetExceeded` in the working thread at the deadline
(``PyThreadState_SetAsyncExc``, delivered between two bytecodes like a signal, but in
any thread), so even a template loop that calls nothing is stopped; the sandbox's
calls check the clock too (:func:`tick`). While a document is read and rendered, the
process's address space may grow by :data:`MEMORY_HEADROOM` only (``RLIMIT_AS``), so
a value too large for memory is a ``MemoryError`` rather than the machine swapping.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import os
import threading
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

DEFAULT_SECONDS = 15.0
"""Time to render one document (templates, expressions, Markdown); the sample Renstra
takes a fraction of a second. ``PLANDOCS_RENDER_SECONDS`` sets another budget."""
DEFAULT_WRITE_SECONDS = 300.0
"""Time for one document's writers (``PLANDOCS_WRITE_SECONDS``); a 100-page Renstra's
PDF takes seconds."""
MEMORY_HEADROOM = 2 * 1024**3
"""How much the process may grow while a document renders."""


class BudgetExceeded(Exception):
    """A document's rendering went over its budget of time or size.

    Raised without a message by the timer (asynchronously), it says the time ran out.
    """

    def __init__(self, message: str | None = None) -> None:
        if message is None:
            current = _BUDGET.get()
            message = (
                current.message() if current is not None else _time_message(_seconds(), "rendering")
            )
        super().__init__(message)


def _time_message(seconds: float, what: str) -> str:
    if what == "rendering":
        return (
            f"rendering took longer than {seconds:g} s; look for a loop that runs too long "
            "(nested `for` over large ranges) or a macro that calls itself"
        )
    return f"{what} took longer than {seconds:g} s; look for a file or a table far too large"


@dataclass
class Budget:
    deadline: float
    seconds: float
    what: str = "rendering"
    expired: bool = False
    alarm: _Alarm | None = None

    def message(self) -> str:
        return _time_message(self.seconds, self.what)

    def check(self) -> None:
        if self.expired or time.monotonic() > self.deadline:
            self.expired = True
            if self.alarm is not None:
                self.alarm.stop()  # one exception is enough: drop the timer's if pending
            raise BudgetExceeded(self.message())


_BUDGET: ContextVar[Budget | None] = ContextVar("plandocs_budget", default=None)


def tick() -> None:
    """Stop here if the current document is over its time budget."""
    current = _BUDGET.get()
    if current is not None:
        current.check()


def _seconds(variable: str = "PLANDOCS_RENDER_SECONDS", default: float = DEFAULT_SECONDS) -> float:
    try:
        value = float(os.environ.get(variable, "") or default)
    except ValueError:
        value = default
    return value if math.isfinite(value) and value > 0 else default


def write_seconds() -> float:
    """The time a writer may take for one document (``PLANDOCS_WRITE_SECONDS``)."""
    return _seconds("PLANDOCS_WRITE_SECONDS", DEFAULT_WRITE_SECONDS)


@contextlib.contextmanager
def budget(
    seconds: float | None = None, what: str = "rendering", memory: bool = True
) -> Iterator[Budget]:
    """Run the block with a time and memory budget (nested budgets keep the outer one).

    A timer thread raises :class:`BudgetExceeded` in this thread at the deadline, so
    even a loop that calls nothing is stopped; the checks in the sandbox's calls catch
    the rest. With ``memory``, the process's address space may grow by
    :data:`MEMORY_HEADROOM` only, so a value too large for memory is a ``MemoryError``
    rather than the machine swapping (not for the writers: their C libraries do not
    all survive a failed allocation).
    """
    outer = _BUDGET.get()
    if outer is not None:
        yield outer
        return
    limit = seconds if seconds is not None else _seconds()
    state = Budget(time.monotonic() + limit, limit, what)
    token = _BUDGET.set(state)
    alarm = state.alarm = _Alarm(threading.get_ident(), limit, state)
    try:
        with _memory_limit() if memory else contextlib.nullcontext():
            alarm.start()
            try:
                yield state
            finally:
                alarm.stop()
    finally:
        _BUDGET.reset(token)


class _Alarm:
    """Raises :class:`BudgetExceeded` asynchronously in one thread at a deadline."""

    def __init__(self, thread_id: int, seconds: float, state: Budget) -> None:
        self.thread_id = thread_id
        self.state = state
        self.lock = threading.Lock()
        self.active = True
        self.fired = False
        self.timer = threading.Timer(seconds, self.fire)
        self.timer.daemon = True

    def start(self) -> None:
        self.timer.start()

    def fire(self) -> None:
        with self.lock:
            if self.active:
                self.fired = True
                self.state.expired = True
                _async_raise(self.thread_id, BudgetExceeded)

    def stop(self) -> None:
        self.timer.cancel()
        with self.lock:
            if self.active and self.fired:
                _async_raise(self.thread_id, None)  # drop it if not yet delivered
            self.active = False


def _async_raise(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else None
    )


@contextlib.contextmanager
def _memory_limit() -> Iterator[None]:
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        with open("/proc/self/statm") as f:
            size = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError, IndexError):
        yield
        return
    wanted = size + MEMORY_HEADROOM
    if soft != resource.RLIM_INFINITY:
        wanted = min(wanted, soft)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (OSError, ValueError):
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
