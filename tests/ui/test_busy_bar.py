"""BusyBar: appears only once work has lasted a moment, goes at once when it ends."""

import time

from PySide6.QtWidgets import QVBoxLayout, QWidget

from viewer.ui.widgets.busy_bar import SHOW_AFTER_MS, BusyBar


def _shown_bar(qtbot) -> tuple[QWidget, BusyBar]:
    """A bar in a shown window (returned too: the window owns the bar)."""
    window = QWidget()
    qtbot.addWidget(window)
    bar = BusyBar()
    QVBoxLayout(window).addWidget(bar)
    window.show()
    return window, bar


def test_long_work_shows_the_bar_after_the_delay_and_its_end_hides_it_at_once(qtbot):
    _window, bar = _shown_bar(qtbot)
    assert not bar.isVisible()
    started = time.perf_counter()
    bar.set_busy(True)
    assert not bar.isVisible()
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert (time.perf_counter() - started) * 1e3 >= SHOW_AFTER_MS * 0.9
    assert bar.minimum() == bar.maximum() == 0  # Qt's moving "busy" indicator
    bar.set_busy(True)  # still busy: stays
    assert bar.isVisible()
    bar.set_busy(False)
    assert not bar.isVisible()


def test_work_shorter_than_the_delay_never_shows_the_bar(qtbot):
    _window, bar = _shown_bar(qtbot)
    bar.set_busy(True)
    bar.set_busy(False)
    qtbot.wait(SHOW_AFTER_MS + 150)
    assert not bar.isVisible()
