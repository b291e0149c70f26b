"""Background work where the newest request wins, with its progress carried the same way.

One job runs at a time in a superqt worker. A new request gets the next generation number;
if a job is already running, the request waits as the single *pending* one (an even newer
request replaces it). When a job ends, its result is delivered only if no newer request was
made meanwhile, so an old result never overwrites a new one. Progress a job reports travels
through the same runner and is dropped by the same generation check.

A job is any callable; it is given the keywords its signature names:

* ``cancelled``: a callable that turns true once the job is superseded (long jobs ask it, and
  stop by raising :class:`~viewer.core.errors.Cancelled`, which is never reported);
* ``progress``: a callable taking one value (a fraction, a pair of counts...) that reaches
  :attr:`LatestRunner.progressed` on the GUI thread.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Signal
from superqt.utils import create_worker

from viewer.core.errors import Cancelled


@functools.lru_cache(maxsize=256)
def _keywords_of(job: Callable) -> frozenset[str]:
    try:
        parameters = inspect.signature(job).parameters
    except (TypeError, ValueError):
        return frozenset()
    return frozenset(name for name in ("cancelled", "progress") if name in parameters)


class LatestRunner(QObject):
    """Runs ``job(*args)`` in a worker thread; only the newest request's result and progress arrive."""

    #: (generation, value) of the newest request
    finished = Signal(int, object)
    #: (generation, exception) of the newest request (never a Cancelled)
    failed = Signal(int, object)
    #: (generation, value) reported by the newest request while it runs
    progressed = Signal(int, object)
    busy_changed = Signal(bool)
    #: emitted from the worker thread; queued to this object's (the GUI) thread
    _reported = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._pending: tuple[int, Callable, tuple] | None = None
        self._worker = None
        self._busy = False
        self._reported.connect(self._on_reported)

    def is_busy(self) -> bool:
        return self._busy

    def submit(self, job: Callable, *args) -> int:
        """Queue ``job``; returns its generation. Supersedes every earlier request."""
        self._generation += 1
        self._pending = (self._generation, job, args)
        self._set_busy(True)
        if self._worker is None:
            self._start_pending()
        return self._generation

    def cancel(self) -> None:
        """Forget every request: nothing more is delivered until the next ``submit``."""
        self._generation += 1
        self._pending = None
        if self._worker is None:
            self._set_busy(False)

    def _start_pending(self) -> None:
        generation, job, args = self._pending
        self._pending = None
        keywords = {}
        wanted = _keywords_of(job)
        if "cancelled" in wanted:
            keywords["cancelled"] = lambda: generation != self._generation
        if "progress" in wanted:
            keywords["progress"] = functools.partial(self._report_from_worker, generation)
        worker = create_worker(job, *args, **keywords, _start_thread=False, _ignore_errors=True)
        worker.returned.connect(lambda value: self._done(generation, value, None))
        worker.errored.connect(lambda error: self._done(generation, None, error))
        self._worker = worker
        worker.start()

    def _report_from_worker(self, generation: int, value) -> None:
        if shiboken6.isValid(self):  # a page closed while its job ran is not told anything
            self._reported.emit(generation, value)

    def _on_reported(self, generation: int, value) -> None:
        if generation == self._generation:
            self.progressed.emit(generation, value)

    def _done(self, generation: int, value, error) -> None:
        if not shiboken6.isValid(self):
            return  # the page was closed while the job ran: nobody is left to tell
        self._worker = None
        if self._pending is not None:
            self._start_pending()
            return
        if generation != self._generation or isinstance(error, Cancelled):
            self._set_busy(False)
            return
        # Deliver first, then report idle: a listener that checks is_busy() after the result
        # sees the final state.
        if error is None:
            self.finished.emit(generation, value)
        else:
            self.failed.emit(generation, error)
        if self._pending is None and self._worker is None:
            self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)
