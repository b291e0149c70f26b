"""Play / step / scrub controls for any step-by-step animation (pooling lab, convolution lab).

The widget only counts: it knows how many steps there are and which one is current, and emits
:attr:`StepControls.step_changed` whenever the current step changes, whether by a button, the
slider, the keyboard or the play timer. What a step *means* is the page's business.

Steps are in raster order (left to right, top to bottom). A page that tells the controls how
many steps make one output row (:meth:`StepControls.set_row_length`) gets a "cell by cell /
row by row" choice: row by row, back / forward / play move a whole row at a time, which is the
only way to watch a 512x512 photo fill in.

Keyboard (Space play/pause, Left/Right one step or row, Home/End first/last): a page installs
them with :meth:`StepControls.install_shortcuts`. They work in the whole window while the page
is shown, wherever the focus is (on the tab bar after start-up or a tab switch too, where Right
would otherwise switch tabs); text fields keep their own editing keys, and a hidden page's keys
are inactive (Qt matches no shortcut of a hidden widget).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSlider, QStyle, QToolButton, QWidget
from superqt.utils import signals_blocked

#: Steps per second offered by the speed box.
SPEEDS: tuple[float, ...] = (1, 2, 5, 10, 30, 60, 240, 1000)
DEFAULT_SPEED = 5
#: The timer never ticks faster than this (ms); faster speeds advance several steps per tick.
MIN_TICK_MS = 16


def format_count(n: int) -> str:
    """A step number in full, with thousands separators ("262,144", never "2e+05")."""
    return f"{int(n):,}"


class StepControls(QWidget):
    """Play/pause, first/back/forward/last, a scrub slider, a position label and a speed box."""

    #: The current step changed (0-based).
    step_changed = Signal(int)
    #: Playback started (True) or stopped (False).
    playing_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._count = 0
        self._step = 0
        self._row_length = 1
        self._icon_shows_pause = False
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
        self.slider.setMinimumWidth(80)
        self.position_label = QLabel()
        self.position_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.speed_box = QComboBox()
        self.speed_box.setToolTip(self.tr("Playback speed"))
        for speed in SPEEDS:
            self.speed_box.addItem(self.tr("%1 steps/s").replace("%1", f"{speed:g}"), speed)
        self.speed_box.setCurrentIndex(SPEEDS.index(DEFAULT_SPEED))
        self.granularity_box = QComboBox()
        self.granularity_box.setToolTip(self.tr("Move one output cell at a time, or one whole row"))
        self.granularity_box.addItem(self.tr("cell by cell"), "cell")
        self.granularity_box.addItem(self.tr("row by row"), "row")
        self.granularity_box.hide()

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.first_button, self.back_button, self.play_button, self.forward_button, self.last_button):
            layout.addWidget(widget)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.position_label)
        layout.addWidget(self.speed_box)
        layout.addWidget(self.granularity_box)

        self.first_button.clicked.connect(lambda: self.set_step(0))
        self.back_button.clicked.connect(lambda: self.step_by(-1))
        self.forward_button.clicked.connect(lambda: self.step_by(1))
        self.last_button.clicked.connect(lambda: self.set_step(self._count - 1))
        self.play_button.clicked.connect(self.toggle_playing)
        self.slider.valueChanged.connect(self.set_step)
        self.speed_box.currentIndexChanged.connect(self._apply_speed)
        self.granularity_box.currentIndexChanged.connect(self._apply_speed)
        self._apply_speed()
        self._update_label_width()
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
        """Steps (or rows, row by row) per second."""
        return float(self.speed_box.currentData())

    def set_speed(self, steps_per_second: float) -> None:
        """Pick the offered speed closest to ``steps_per_second``."""
        best = min(SPEEDS, key=lambda s: abs(s - steps_per_second))
        self.speed_box.setCurrentIndex(SPEEDS.index(best))

    def granularity(self) -> str:
        """``"cell"`` or ``"row"`` (row by row is only offered once a row length is set)."""
        return self.granularity_box.currentData() if self._row_length > 1 else "cell"

    def set_granularity(self, granularity: str) -> None:
        self.granularity_box.setCurrentIndex(max(0, self.granularity_box.findData(granularity)))

    def set_row_length(self, n: int) -> None:
        """Steps per output row; above 1 the "cell by cell / row by row" choice appears."""
        self._row_length = max(1, int(n))
        self.granularity_box.setVisible(self._row_length > 1)
        self._apply_speed()

    def stride(self) -> int:
        """How many steps one move (button, key, play tick) covers: 1, or a row row by row."""
        return self._row_length if self.granularity() == "row" else 1

    def set_count(self, n: int) -> None:
        """Number of steps (0 disables everything); the current step is clamped, not reset."""
        self._count = max(0, int(n))
        if self._count == 0:
            self.pause()
        clamped = min(self._step, max(0, self._count - 1))
        changed = clamped != self._step
        self._step = clamped
        self._update_label_width()
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

    def step_by(self, direction: int) -> None:
        """One move back (-1) or forward (+1): a step, or row by row the end of a row.

        Row by row, forward lands on the last cell of the current row (the whole row computed),
        or of the next row when already there; back lands on the last cell of the previous row.
        """
        stride = self.stride()
        if stride == 1:
            self.set_step(self._step + direction)
            return
        row = self._step // stride
        at_row_end = (self._step + 1) % stride == 0
        if direction > 0:
            target = (row + (1 if at_row_end else 0)) * stride + stride - 1
        else:
            target = row * stride - 1
        self.set_step(max(0, target))

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
        if self.stride() > 1:
            self.step_by(1)
        else:  # above ~60 steps/s one tick advances several steps instead of ticking faster
            self.set_step(self._step + max(1, round(self.speed() * self._timer.interval() / 1000)))
        if self._step >= self._count - 1:
            self.pause()

    def _apply_speed(self) -> None:
        self._timer.setInterval(max(MIN_TICK_MS, round(1000 / self.speed())))

    # -- keyboard ----------------------------------------------------------------------------
    def _key_actions(self) -> dict[Qt.Key, Callable[[], None]]:
        return {
            Qt.Key.Key_Space: self.toggle_playing,
            Qt.Key.Key_Left: lambda: self.step_by(-1),
            Qt.Key.Key_Right: lambda: self.step_by(1),
            Qt.Key.Key_Home: lambda: self.set_step(0),
            Qt.Key.Key_End: lambda: self.set_step(self._count - 1),
        }

    def install_shortcuts(self, page: QWidget) -> None:
        """Make the keys work in ``page``'s window while ``page`` is shown, whatever has the focus."""
        for key, action in self._key_actions().items():
            shortcut = QShortcut(QKeySequence(key), page, context=Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(action)

    # -- view --------------------------------------------------------------------------------
    def _position_text(self, step: int) -> str:
        return self.tr("step %1 / %2").replace("%1", format_count(step)).replace("%2", format_count(self._count))

    def _update_label_width(self) -> None:
        """Room for the widest position, so the controls do not jump while playing."""
        widest = self._position_text(self._count) if self._count else self.tr("no steps")
        self.position_label.setMinimumWidth(self.position_label.fontMetrics().horizontalAdvance(widest) + 6)

    def _sync(self) -> None:
        """Model -> view, with the slider's signal blocked so it does not echo back."""
        has_steps = self._count > 0
        with signals_blocked(self.slider):
            self.slider.setRange(0, max(0, self._count - 1))
            self.slider.setValue(self._step)
        for widget in (self.first_button, self.back_button, self.play_button, self.forward_button, self.last_button, self.slider):
            widget.setEnabled(has_steps)
        playing = self.is_playing()
        if playing != self._icon_shows_pause:  # once per play / pause, not per step
            self._icon_shows_pause = playing
            icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
            self.play_button.setIcon(self.style().standardIcon(icon))
        self.position_label.setText(self._position_text(self._step + 1) if has_steps else self.tr("no steps"))
