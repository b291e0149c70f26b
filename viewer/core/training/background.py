"""Training's own thread, at a lower scheduling priority than the window's.

A training step keeps both cores busy: PyTorch runs on the calling thread and on the OpenMP
threads that thread starts. A GUI thread competing with them gets about half a core, so a plot
that paints in 10 ms idle takes 40-60 ms while a run trains. Run on a thread whose nice value is
raised, training yields a core whenever the window has work and takes it back at once otherwise:
it costs a run nothing while the window is idle.

Linux keeps a nice value per thread, and a thread inherits its creator's, so the OpenMP threads
that PyTorch starts from this thread are lowered with it. An unprivileged process cannot lower a
nice value again, so this is one dedicated thread for the process's lifetime, never a pool
thread that other work reuses. Where the priority cannot be changed (another system, a
container that forbids it), the steps run on the same thread at the normal priority.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

#: how much the training thread's nice value is raised (0 normal, 19 the lowest priority)
NICENESS = 10

_Result = TypeVar("_Result")
_executor: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def _lower_priority() -> None:
    try:
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + NICENESS))
    except (AttributeError, OSError):
        pass  # no per-thread priority here: the steps still run, at the normal priority


def run_in_background(function: Callable[..., _Result], *args) -> _Result:
    """``function(*args)`` on the low-priority training thread; returns its result or raises its error.

    The calling thread waits without holding the GIL, so the call behaves like a direct one.
    """
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="training", initializer=_lower_priority)
    return _executor.submit(function, *args).result()


def training_thread_niceness() -> int | None:
    """The nice value of the training thread (None before it exists or where it cannot be read)."""
    if _executor is None:
        return None
    try:
        return run_in_background(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
    except (AttributeError, OSError):
        return None
