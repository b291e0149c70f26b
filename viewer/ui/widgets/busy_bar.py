"""An indeterminate progress bar that appears only once the work has lasted a moment."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressBar, QWidget

#: how long work runs before the bar appears: a forward pass of ResNet50 at 224x224 (~0.1 s)
#: is done before it, a switch to ResNet152 (~1.5 s) shows it
SHOW_AFTER_MS = 250


class BusyBar(QProgressBar):
    """A busy bar (range 0..0, Qt's moving indicator) shown :data:`SHOW_AFTER_MS` after
    :meth:`set_busy` ``(True)`` and hidden at once by ``set_busy(False)``.

    Why the delay: the moving indicator repaints itself many times a second, and while a
    forward pass of a tenth of a second runs, those repaints took ~5 % of its time from the
    worker (the page's status line says what is being computed from the start anyway).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, 0)
        self.hide()
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.setInterval(SHOW_AFTER_MS)
        self._show_timer.timeout.connect(self.show)

    def set_busy(self, busy: bool) -> None:
        """Work started (the bar appears if it is still going on after the delay) or ended."""
        if not busy:
            self._show_timer.stop()
            self.hide()
        elif not self.isVisible() and not self._show_timer.isActive():
            self._show_timer.start()
