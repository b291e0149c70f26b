"""The translation-invariance view shared by the convolution and pooling labs: a (dy, dx) shift
of the input, and three maps side by side (before, after, and their difference) with a line of
numbers under them.

The view holds the :class:`~viewer.models.shift.ShiftModel` and the worker that compares; each
lab's subclass says what it compares (:meth:`ShiftView.job_for`) and what the three maps are
(:meth:`ShiftView.show_result`): the convolution lab the feature map, the shifted input's
feature map and their aligned difference; the pooling lab max pooling of the map and of the
shifted map, cell by cell.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import signals_blocked

from viewer.core import colormaps
from viewer.core.shift import MAX_SHIFT
from viewer.models.jobs import Job
from viewer.models.shift import ShiftModel
from viewer.ui.widgets.images import image_item, image_view_box
from viewer.ui.workers import LatestRunner

#: titles' point size in the three plots
TITLE_SIZE = "9pt"
#: height of the three plots, in pixels
PLOTS_HEIGHT = 160


class ShiftView(QGroupBox):
    """A checkable box: ticked, it shows the shift control, the three maps and the summary.

    ``model`` is its :class:`~viewer.models.shift.ShiftModel`; ``runner`` the worker the page tracks.
    """

    #: the box was ticked (True) or unticked
    shown_changed = Signal(bool)
    #: (dy, dx) typed
    shift_changed = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(QCoreApplication.translate("ShiftView", "Shift the input (translation invariance)"))
        self.setCheckable(True)
        self.setChecked(False)
        self.dy, self.dx = QSpinBox(), QSpinBox()
        # An explicit context: self.tr would look the words up under each subclass's name.
        down, right = (QCoreApplication.translate("ShiftView", "down (dy): "),
                       QCoreApplication.translate("ShiftView", "right (dx): "))
        for box, prefix in ((self.dy, down), (self.dx, right)):
            box.setRange(-MAX_SHIFT, MAX_SHIFT)
            box.setPrefix(prefix)
            box.setSuffix(QCoreApplication.translate("ShiftView", " px"))
            box.valueChanged.connect(lambda _value: self.shift_changed.emit(self.dy.value(), self.dx.value()))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setFixedHeight(PLOTS_HEIGHT)  # the lab's own pictures keep the rest of the height
        self.images: list[pg.ImageItem] = []
        self.titles: list[pg.LabelItem] = []
        for column in range(3):
            title = self.plots.addLabel("", row=0, col=column, size=TITLE_SIZE)
            # A long title must not widen its column: the three maps are the same size, shown alike.
            title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            box = image_view_box()
            image = image_item()
            box.addItem(image)
            self.plots.addItem(box, row=1, col=column)
            self.plots.ci.layout.setColumnStretchFactor(column, 1)  # three equal columns
            box.setMinimumWidth(60)
            if column:
                box.setXLink(self.images[0].getViewBox())  # one scale for the three maps
                box.setYLink(self.images[0].getViewBox())
            self.images.append(image)
            self.titles.append(title)
        self.body = QWidget()
        controls = QHBoxLayout()
        controls.addWidget(self.dy)
        controls.addWidget(self.dx)
        controls.addWidget(self.summary, 1)
        body_layout = QVBoxLayout(self.body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addLayout(controls)
        body_layout.addWidget(self.plots, 1)
        QVBoxLayout(self).addWidget(self.body)
        self.body.setVisible(False)
        self.toggled.connect(self._toggled)
        self.model = ShiftModel()
        self.runner = LatestRunner(self)
        self.runner.finished.connect(self._computed)
        self.runner.failed.connect(lambda _generation, error: self.clear_maps(str(error)))
        self._source = None
        self.shift_changed.connect(self._shift_changed)

    def _toggled(self, shown: bool) -> None:
        self.body.setVisible(shown)
        self.model.shown = shown
        self.refresh()
        self.shown_changed.emit(shown)

    def _shift_changed(self, dy: int, dx: int) -> None:
        self.model.set_shift(dy, dx)
        self.refresh()

    def show_source(self, source) -> None:
        """The lab's latest result (None: nothing to shift, an impossible setting): compared if shown."""
        self._source = source
        self.refresh()

    def refresh(self) -> None:
        """Write the model into the controls and compute what it asks for."""
        self.show_state(self.model.shown, self.model.shift)
        job = self.job_for(self._source)
        if job is None:
            self.runner.cancel()
            if self.model.shown:
                self.clear_maps(QCoreApplication.translate("ShiftView", "Nothing to shift: the lab has no result for its current settings."))
            return
        self.runner.submit(job.function, *job.args)

    def _computed(self, _generation: int, result) -> None:
        if self.model.accept(result):
            self.show_result(result, self._source)

    def job_for(self, source) -> Job | None:
        """The comparison to compute for the lab's ``source`` (None: nothing)."""
        raise NotImplementedError

    def show_result(self, result, source) -> None:
        """Draw a finished comparison (:meth:`show_maps` and the summary)."""
        raise NotImplementedError

    def show_state(self, shown: bool, shift: tuple[int, int]) -> None:
        """Model -> view, without echo."""
        with signals_blocked(self, self.dy, self.dx):
            self.setChecked(shown)
            self.dy.setValue(shift[0])
            self.dx.setValue(shift[1])
        self.body.setVisible(shown)

    def show_maps(self, maps: list[tuple[str, np.ndarray, tuple[float, float], str, np.ndarray | None]]) -> None:
        """Three (title, values, levels, colormap, mask) maps; cells where ``mask`` is False are grey."""
        for (title, values, value_levels, colormap, mask), image, label in zip(maps, self.images, self.titles,
                                                                              strict=True):
            rgb = colormaps.colorize(values, value_levels, colormap)
            if mask is not None:
                rgb[~mask] = colormaps.GAP_RGB
            image.setImage(np.ascontiguousarray(rgb), autoLevels=False)
            image.getViewBox().autoRange(padding=0.02)
            label.setText(title, size=TITLE_SIZE)

    def clear_maps(self, text: str) -> None:
        """No comparison to show (nothing slid yet, or an impossible setting): ``text`` says why."""
        for image, label in zip(self.images, self.titles, strict=True):
            image.clear()
            label.setText("", size=TITLE_SIZE)
        self.summary.setText(text)
