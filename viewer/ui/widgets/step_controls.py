"""Play / step / scrub controls for any step-by-step animation (pooling lab, convolution lab).

The widget only counts: it knows how many steps there are and which one is current, and emits
:attr:`StepControls.step_changed` whenever the current step changes, whether by a button, the
slider, the keyboard or the play timer. What a step *means* is the page's business.

Keyboard: a page forwards its key presses to :meth:`StepControls.handle_key` (Space play/pause,
Left/Right one step, Home/End first/last), so the keys work wherever the focus is on the page.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSlider, QStyle, QToolButton, QWidget

#: Steps per second offered by the speed box.
SPEEDS: tuple[float, ...] = (1, 2, 5, 10, 30, 60)
DEFAULT_SPEED = 5


class StepControls(QWidget):
    """Play/pause, first/back/forward/last, a scrub slider and a speed box, driven by a QTimer."""

    #: The current step changed (0-based).
    step_changed = Signal(int)
    #: Playback started (True) or stopped (False).
    playing_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._count = 0
        self._step = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._advance)

        style = self.style()
        self.first_button = self._button(style.standardIcon(QStyle.StandardPixmap.SP_MediaSkipBackward), self.tr("First step (Home)"))
        self.back_button = self._button(style.standardIcon(QStyle.StandardPixmap.SP_MediaSeekBackward), self.tr("Previous step (Left)"))
        self.play_button = self._button(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay), self.tr("Play / pause (Space)"))
        self.forward_button = self._button(style.standardIcon(QStyle.StandardPixmap.SP_MediaSeekForward), self.tr("Next step (Right)"))
        self.last_button = self._button(style.standardIcon(QStyle.StandardPixmap.SP_MediaSkipForward), self.tr("Last step (End)"))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setToolTip(self.tr("Scrub through the steps"))
        self.position_label = QLabel()
        self.position_label.setMinimumWidth(110)
        self.speed_box = QComboBox()
        self.speed_box.setToolTip(self.tr("Playback speed"))
        for speed in SPEEDS:
            self.speed_box.addItem(self.tr("%1 steps/s").replace("%1", f"{speed:g}"), speed)
        self.speed_box.setCurrentIndex(SPEEDS.index(DEFAULT_SPEED))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.first_button, self.back_button, self.play_button, self.forward_button, self.last_button):
            layout.addWidget(widget)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.position_label)
        layout.addWidget(self.speed_box)

        self.first_button.clicked.connect(lambda: self.set_step(0))
        self.back_button.clicked.connect(lambda: self.set_step(self._step - 1))
        self.forward_button.clicked.connect(lambda: self.set_step(self._step + 1))
        self.last_button.clicked.connect(lambda: self.set_step(self._count - 1))
        self.play_button.clicked.connect(self.toggle_playing)
        self.slider.valueChanged.connect(self.set_step)
        self.speed_box.currentIndexChanged.connect(self._apply_speed)
        self._apply_speed()
        self._sync()

    def _button(self, icon, tooltip: str) -> QToolButton:
        button = QToolButton()
        button.setIcon(icon)
        button.setToolTip(tooltip)
        button.setAutoRaise(True)
        return button

    # -- state -------------------------------------------------------------------------------
    def count(self) -> int:
        return self._count

    def step(self) -> int:
        return self._step

    def is_playing(self) -> bool:
        return self._timer.isActive()

    def speed(self) -> float:
        """Steps per second."""
        return float(self.speed_box.currentData())

    def set_count(self, n: int) -> None:
        """Number of steps (0 disables everything); the current step is clamped, not reset."""
        self._count = max(0, int(n))
        if self._count == 0:
            self.pause()
        clamped = min(self._step, max(0, self._count - 1))
        changed = clamped != self._step
        self._step = clamped
        self._sync()
        if changed:
            self.step_changed.emit(self._step)

    def set_step(self, i: int) -> None:
        """Go to step ``i`` (clamped to the range); emits :attr:`step_changed` if it moved."""
        if self._count == 0:
            return
        i = min(max(0, int(i)), self._count - 1)
        if i == self._step:
            self._sync()
            return
        self._step = i
        self._sync()
        self.step_changed.emit(i)

    def set_enabled_playback(self, enabled: bool) -> None:
        """Enable or disable the controls (e.g. while there is nothing valid to step through)."""
        if not enabled:
            self.pause()
        self.setEnabled(bool(enabled))

    # -- playback ----------------------------------------------------------------------------
    def play(self) -> None:
        if self._count <= 1 or not self.isEnabled():
            return
        if self._step >= self._count - 1:
            self.set_step(0)
        self._timer.start()
        self._sync()
        self.playing_changed.emit(True)

    def pause(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self._sync()
            self.playing_changed.emit(False)

    def toggle_playing(self) -> None:
        self.pause() if self.is_playing() else self.play()

    def _advance(self) -> None:
        if self._step >= self._count - 1:
            self.pause()
            return
        self.set_step(self._step + 1)
        if self._step >= self._count - 1:
            self.pause()

    def _apply_speed(self) -> None:
        self._timer.setInterval(max(1, round(1000 / self.speed())))

    def handle_key(self, event: QKeyEvent) -> bool:
        """Act on Space / Left / Right / Home / End; returns whether the key was used."""
        key = event.key()
        if key == Qt.Key.Key_Space:
            self.toggle_playing()
        elif key == Qt.Key.Key_Left:
            self.set_step(self._step - 1)
        elif key == Qt.Key.Key_Right:
            self.set_step(self._step + 1)
        elif key == Qt.Key.Key_Home:
            self.set_step(0)
        elif key == Qt.Key.Key_End:
            self.set_step(self._count - 1)
        else:
            return False
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if not self.handle_key(event):
            super().keyPressEvent(event)

    def _sync(self) -> None:
        """Model -> view, with the slider's signal blocked so it does not echo back."""
        has_steps = self._count > 0
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, self._count - 1))
        self.slider.setValue(self._step)
        self.slider.blockSignals(False)
        for widget in (self.first_button, self.back_button, self.play_button, self.forward_button, self.last_button, self.slider):
            widget.setEnabled(has_steps)
        icon = QStyle.StandardPixmap.SP_MediaPause if self.is_playing() else QStyle.StandardPixmap.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))
        if has_steps:
            self.position_label.setText(self.tr("step %1 / %2").replace("%1", str(self._step + 1)).replace("%2", str(self._count)))
        else:
            self.position_label.setText(self.tr("no steps"))
