"""The training lab's live plots: training loss (log scale) and test error of every network on
shared axes with one legend, and the gradient norm of each weighted layer at the latest step.

The page redraws them from the model's record on a timer, one plot per turn of the event loop
(each plot at most ten times a second), so that no turn paints all three and a fast run never
floods the event loop. The step axes span the whole run from its start, so a new step moves no
axis. Values are drawn as measured; missing ones (a diverged network's steps) leave a gap, never
a NaN on screen.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from viewer.core.colormaps import series_rgb
from viewer.core.training.record import TrainingRecord
from viewer.ui.page import build_whole


def _plot(title: str, x_label: str, y_label: str, log_y: bool) -> pg.PlotWidget:
    widget = pg.PlotWidget(background="w")
    item = widget.getPlotItem()
    item.setTitle(title, color="#202020", size="10pt")
    item.setLabel("bottom", x_label)
    item.setLabel("left", y_label)
    item.showGrid(x=True, y=True, alpha=0.25)
    item.setLogMode(y=log_y)
    item.getAxis("left").enableAutoSIPrefix(False)  # a log axis labels powers of ten, not "x0.001"
    return widget


#: the plots one :meth:`CurvesView.show_part` call draws: loss, test error, gradient norms
PARTS = 3


class CurvesView(QWidget):
    """Three plots over one record (see the module's docstring)."""

    def __init__(self, parent: QWidget | None = None, *, build: bool = True) -> None:
        """``build=False`` leaves the plots to :meth:`build`, a piece at a time."""
        super().__init__(parent)
        self._curves: list[tuple[pg.PlotDataItem, pg.PlotDataItem, pg.PlotDataItem]] = []
        self._names: tuple[str, ...] = ()
        self._steps = 0  # the run's planned steps: the step axes' span
        self._layers = 0  # the most weighted layers of a network: the gradient plot's span
        if build:
            build_whole(self.build())

    def build(self) -> Iterator[None]:
        """Make the plots, yielding after each (about 12 ms apiece)."""
        self.loss_plot = _plot(self.tr("Training loss (log scale)"), self.tr("step"), self.tr("loss"), True)
        yield
        self.error_plot = _plot(self.tr("Test error"), self.tr("step"), self.tr("error"), False)
        self.error_plot.setYRange(0, 1, padding=0.02)
        yield
        self.gradient_plot = _plot(self.tr("Gradient norm per layer, latest step (log scale)"),
                                   self.tr("weighted layer, input → output"), self.tr("gradient norm"), True)
        self.legend = self.loss_plot.getPlotItem().addLegend(offset=(-10, 10), brush=(255, 255, 255, 220),
                                                             pen=(190, 190, 190), labelTextColor=(30, 30, 30))
        self.legend.setZValue(1000)  # above the curves, which are added after it
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.loss_plot, 3)
        layout.addWidget(self.error_plot, 2)
        layout.addWidget(self.gradient_plot, 3)

    def set_networks(self, names: tuple[str, ...]) -> None:
        """One curve per network in each plot, coloured alike, named in the legend."""
        for plot in (self.loss_plot, self.error_plot, self.gradient_plot):
            plot.getPlotItem().clear()
        self.legend.clear()
        self._curves = []
        self._names = tuple(names)
        self._layers = 0
        for index, name in enumerate(names):
            colour = series_rgb(index)
            pen = pg.mkPen(colour, width=2)
            loss = self.loss_plot.plot([], [], pen=pen, name=name, connect="finite")
            error = self.error_plot.plot([], [], pen=pen, symbol="o", symbolSize=5, symbolBrush=colour, symbolPen=None,
                                         connect="finite")
            gradient = self.gradient_plot.plot([], [], pen=pen, symbol="o", symbolSize=3, symbolBrush=colour,
                                               symbolPen=None, connect="finite")
            self._curves.append((loss, error, gradient))

    def set_steps(self, steps: int) -> None:
        """Span the step axes over a run of ``steps`` steps."""
        if steps != self._steps:
            self._steps = steps
            for plot in (self.loss_plot, self.error_plot):
                plot.setXRange(0, max(1, steps), padding=0.02)

    def show_record(self, record: TrainingRecord | None) -> None:
        """Draw the record's curves as they are now, all plots at once."""
        for part in range(PARTS):
            self.show_part(record, part)

    def show_part(self, record: TrainingRecord | None, part: int) -> None:
        """Draw one plot (0 loss, 1 test error, 2 gradient norms) of the record as it is now."""
        if record is not None and record.names != self._names:
            self.set_networks(record.names)
        steps = None if record is None or part == 2 else np.asarray(record.steps if part == 0 else record.test_steps, np.float64)
        for index, curves in enumerate(self._curves):
            curve = curves[part]
            if record is None:
                curve.setData([], [])
            elif part == 0:
                losses = record.losses(index)
                keep = np.isfinite(losses) & (losses > 0)
                curve.setData(steps[keep], losses[keep])
            elif part == 1:
                errors = 1.0 - record.test_accuracies(index)
                shown = np.isfinite(errors)
                curve.setData(steps[shown], errors[shown])
            else:
                norms = np.asarray(record.gradient_norms[index], np.float64)
                positive = np.isfinite(norms) & (norms > 0)
                curve.setData(np.arange(1, len(norms) + 1, dtype=np.float64)[positive], norms[positive])
        if part == 2 and record is not None:
            self._show_gradient_axes(record)

    def _show_gradient_axes(self, record: TrainingRecord) -> None:
        """The gradient plot's span over the layers, and its title (the step, what diverged)."""
        layers = max((len(norms) for norms in record.gradient_norms), default=0)
        if layers != self._layers:
            self._layers = layers
            self.gradient_plot.setXRange(0.5, max(1, layers) + 0.5, padding=0.02)
        diverged = [name for name, step in zip(record.names, record.diverged_at, strict=True) if step is not None]
        title = self.tr("Gradient norm per layer at step {0} (log scale)").format(record.step)
        if diverged:
            title += self.tr("; diverged (their last finite step): {0}").format(", ".join(diverged))
        self.gradient_plot.getPlotItem().setTitle(title, color="#202020", size="10pt")
