"""What the GUI cases share: gaps between timer ticks, waiting for a page, flushing its paint.

A *gap* is the time between two ticks of a 1 ms ``QTimer``: while the GUI thread is busy (or
waits for the GIL) no tick comes, so the longest gap is the longest the window was frozen.
Waiting and painting go through the event loop (``processEvents``), as a user's clicks do.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

#: one frame at 60 Hz, in milliseconds
FRAME_MS = 1000.0 / 60.0


class GapRecorder:
    """Ticks of a 1 ms timer on the GUI thread while started; ``gaps_ms`` between them."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(1)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def start(self) -> None:
        self.ticks.clear()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def gaps_ms(self) -> np.ndarray:
        return np.diff(np.asarray(self.ticks)) * 1e3 if len(self.ticks) > 1 else np.zeros(1)


def settle(app, busy: Callable[[], bool], timeout_s: float = 300.0, *, spin_s: float = 0.0) -> None:
    """Process events until ``busy()`` is false, then flush the paints it left (and spin
    ``spin_s`` more seconds of events, for a gap recorder).

    While busy, the GUI thread *waits* for events, as the app's event loop does: a loop that
    polls (``processEvents`` every 0.2 ms) took a good part of a core from the worker it
    waited for (new image -> mosaic: 1.3-1.6x a bare pass polling, 1.1-1.3x waiting, in the
    same runs). A 5 ms timer wakes the wait in case ``busy()`` turns false without an event.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.perf_counter() + timeout_s
    wake = QTimer()
    wake.start(5)
    try:
        while busy() and time.perf_counter() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    finally:
        wake.stop()
    app.processEvents()  # the result's repaints are posted as it is shown: paint them now
    app.processEvents()
    end = time.perf_counter() + spin_s
    while time.perf_counter() < end:
        app.processEvents()


def shown(widget, size: tuple[int, int] = (1400, 900)):
    """``widget`` as a shown top-level window of ``size``, painted once.

    What exists by now is frozen out of the cycle collector's sight, as the app does once its
    imports are done (``viewer.ui.main_window._import_backend``): a page measured alone then
    pays the collections the app pays, not full walks over torch's objects.
    """
    import gc

    from PySide6.QtWidgets import QApplication

    gc.freeze()
    widget.resize(*size)
    widget.show()
    QApplication.instance().processEvents()
    return widget


def close(page) -> None:
    """Close a measured page and let its workers finish: a job still running would take the
    cores from the cases measured after it (torch's threads then wait on each other)."""
    from PySide6.QtWidgets import QApplication

    from viewer.ui.app import drain_background_work

    page.close()
    page.deleteLater()
    drain_background_work(QApplication.instance())


class _PaintCounter:
    """Counts the paint events of a window and every widget in it while installed."""

    def __init__(self, widget) -> None:
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QWidget

        self.count = 0
        counter = self

        class Filter(QObject):
            def eventFilter(self, _watched, event) -> bool:  # noqa: N802 - Qt override
                if event.type() == QEvent.Type.Paint:
                    counter.count += 1
                return False

        self._filter = Filter()
        window = widget.window()
        self._widgets = [window, *window.findChildren(QWidget)]
        for each in self._widgets:
            each.installEventFilter(self._filter)

    def remove(self) -> None:
        for each in self._widgets:
            each.removeEventFilter(self._filter)


def settle_painted(app, busy: Callable[[], bool], widget, timeout_s: float = 300.0) -> float:
    """:func:`settle`, then process events until two passes in a row paint nothing in
    ``widget``'s window; returns the ``perf_counter`` time at which the last pass that painted
    ended (or settle did): a case timed up to it covers every paint the change caused, and
    none of the empty passes that found it done. The counter is installed only after settle,
    so that the measured path runs without it."""
    settle(app, busy, timeout_s)
    end = time.perf_counter()
    counter = _PaintCounter(widget)
    try:
        idle_passes = 0
        while idle_passes < 2:
            before = counter.count
            app.processEvents()
            if counter.count == before:
                idle_passes += 1
            else:
                idle_passes = 0
                end = time.perf_counter()
    finally:
        counter.remove()
    return end
