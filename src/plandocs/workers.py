"""How plandocs starts worker processes: the one kind of process pool every part uses.

Three things run in other processes: the documents of a build (``--jobs``), the PDF of
a one-document build (a helper on a spare core) and the units of a long PDF. They all
start their workers here, so every worker is forked the same way and exits with the
process that started it, a wait can be cut short by a budget's deadline, and a pool can
be stopped at once when something fails.

Standard library only: the lowest layer, usable from the writers and the build alike.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")

WorkerDied = BrokenProcessPool
"""What a future's ``result()`` raises when its worker process died (killed, out of
memory) rather than returned or raised."""

WAIT_STEP = 0.2
"""Seconds between looks at a future in :func:`wait_for`."""


def die_with_parent() -> None:
    """In a worker process: exit as soon as the process that started it is gone
    (``kill -9`` included), rather than linger as an orphan."""
    parent = os.getppid()
    with contextlib.suppress(Exception):
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="plandocs-parent-watch").start()


def _start_worker(then: Callable[[], None] | None) -> None:
    die_with_parent()
    if then is not None:
        then()


def start_pool(workers: int, initializer: Callable[[], None] | None = None) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes forked from this one (so they start without
    importing plandocs again and share what it has loaded), each exiting with this
    process; ``initializer`` runs in each worker after that."""
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(initializer,),
    )


def wait_for(future: Future[T]) -> T:
    """The future's result, waited for in short steps: a budget's deadline (a signal
    whose handler raises in this thread) then stops the wait within a step."""
    while not future.done():
        wait([future], timeout=WAIT_STEP)
    return future.result()


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now, and drop the work not started: after a failure or an
    interruption, rather than wait for what they are still doing."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


__all__ = ["WorkerDied", "die_with_parent", "start_pool", "stop_pool", "wait_for"]
