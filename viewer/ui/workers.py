"""Background work where the newest request wins.

One job runs at a time in a superqt worker. A new request gets the next generation number;
if a job is already running, the request waits as the single *pending* one (an even newer
request replaces it). When a job ends, its result is delivered only if no newer request was
made meanwhile, so an old result never overwrites a new one. Jobs receive a ``cancelled()``
callable so that long ones can stop early once they are superseded.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Signal
from superqt.utils import create_worker


class LatestRunner(QObject):
    """Runs ``job(*args, cancelled=...)`` in a worker thread; only the newest result is delivered."""

    #: (generation, value) of the newest request
    finished = Signal(int, object)
    #: (generation, exception) of the newest request
    failed = Signal(int, object)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._pending: tuple[int, Callable, tuple] | None = None
        self._worker = None
        self._busy = False

    @property
    def generation(self) -> int:
        """Generation of the newest request."""
        return self._generation

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

        def cancelled(generation=generation) -> bool:
            return generation != self._generation

        worker = create_worker(job, *args, cancelled=cancelled, _start_thread=False, _ignore_errors=True)
        worker.returned.connect(lambda value: self._done(generation, value, None))
        worker.errored.connect(lambda error: self._done(generation, None, error))
        self._worker = worker
        worker.start()

    def _done(self, generation: int, value, error) -> None:
        if not shiboken6.isValid(self):
            return  # the page was closed while the job ran: nobody is left to tell
        self._worker = None
        if self._pending is not None:
            self._start_pending()
            return
        if generation != self._generation:
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
