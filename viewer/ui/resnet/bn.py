"""Batch norm taken apart: one channel's input and output, gamma/beta, running vs this image's statistics."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import signals_blocked

from viewer.core import render
from viewer.core.dissect import BatchNormData
from viewer.ui.page import build_whole


class BatchNormView(QWidget):
    """Per-channel histograms of a BN layer's input and output, with a train/eval toggle.

    The channel box only reports a choice (:attr:`channel_changed`); the page shows the channel
    it settles on with :meth:`set_channel`.
    """

    #: the channel the user picked in the box
    channel_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, build: bool = True) -> None:
        """``build=False`` leaves the view to :meth:`build`, a piece at a time."""
        super().__init__(parent)
        self.data: BatchNormData | None = None
        if build:
            build_whole(self.build())

    def build(self) -> Iterator[None]:
        """Make the view's controls and four plots, yielding between plots (about 12 ms apiece)."""
        self.title = QLabel(self.tr("Select a batch-norm layer (bn1, bn2, downsample.1 ...) in the tree."))
        self.title.setWordWrap(True)
        self.channel = QSpinBox()
        self.channel.setPrefix(self.tr("channel "))
        self.eval_button = QRadioButton(self.tr("eval (running statistics)"))
        self.train_button = QRadioButton(self.tr("train (this image's statistics)"))
        self.eval_button.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.eval_button)
        group.addButton(self.train_button)
        bar = QHBoxLayout()
        bar.addWidget(self.channel)
        bar.addWidget(QLabel(self.tr("Mode:")))
        bar.addWidget(self.eval_button)
        bar.addWidget(self.train_button)
        bar.addStretch(1)
        # Short plot titles: a pyqtgraph title wider than its plot is cut off, not wrapped.
        self.hist = pg.PlotWidget()
        self.hist.setTitle(self.tr("Distribution of one channel"), size="10pt")
        self.hist.addLegend(offset=(10, 10), brush=(0, 0, 0, 170))  # top left: the tails are low
        self.hist.setLabel("bottom", self.tr("value"))
        # input filled, output as a line: both stay visible where they coincide (eval mode, untrained)
        self.in_curve = self.hist.plot(stepMode="center", fillLevel=0, brush=(150, 150, 150, 110), pen=pg.mkPen("#a0a0a0", width=1),
                                       name=self.tr("input (conv output)"))
        self.out_curve = self.hist.plot(stepMode="center", pen=pg.mkPen("#e04040", width=2), name=self.tr("output"))
        yield
        self.params = self._channel_plot(self.tr("Learned gamma and beta"))
        self.gamma_curve = self.params.plot(pen=pg.mkPen("#5080e0", width=1.5), name="gamma")
        self.beta_curve = self.params.plot(pen=pg.mkPen("#e09030", width=1.5), name="beta")
        yield
        self.stats = self._channel_plot(self.tr("Mean: running vs this image"))
        self.running_curve = self.stats.plot(pen=pg.mkPen("#5080e0", width=1.5), name=self.tr("running"))
        self.image_curve = self.stats.plot(pen=pg.mkPen("#e04040", width=1.5), name=self.tr("this image"))
        yield
        self.variance = self._channel_plot(self.tr("Variance: running vs this image"))
        self.running_var_curve = self.variance.plot(pen=pg.mkPen("#5080e0", width=1.5), name=self.tr("running"))
        self.image_var_curve = self.variance.plot(pen=pg.mkPen("#e04040", width=1.5), name=self.tr("this image"))
        self.markers = []
        for plot in (self.params, self.stats, self.variance):
            marker = pg.InfiniteLine(angle=90, pen=pg.mkPen("#20c020", style=pg.QtCore.Qt.PenStyle.DashLine))
            plot.addItem(marker)
            self.markers.append(marker)
        self.marker = self.markers[1]
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setMinimumWidth(260)
        grid = QGridLayout()
        grid.addWidget(self.hist, 0, 0, 1, 2)
        grid.addWidget(self.summary, 0, 2)
        grid.addWidget(self.params, 1, 0)
        grid.addWidget(self.stats, 1, 1)
        grid.addWidget(self.variance, 1, 2)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(bar)
        layout.addLayout(grid, 1)
        self.channel.valueChanged.connect(self.channel_changed)
        self.train_button.toggled.connect(lambda _on: self._refresh())

    def _channel_plot(self, title: str) -> pg.PlotWidget:
        plot = pg.PlotWidget()
        plot.setTitle(title, size="10pt")
        plot.addLegend(offset=(-10, 10), brush=(0, 0, 0, 170))
        plot.setLabel("bottom", self.tr("channel"))
        return plot

    def training(self) -> bool:
        return self.train_button.isChecked()

    def set_training(self, on: bool) -> None:
        (self.train_button if on else self.eval_button).setChecked(True)

    def set_data(self, data: BatchNormData | None) -> None:
        """Show a batch-norm layer (None: none is selected); its channel comes with :meth:`set_channel`."""
        self.data = data
        if data is None:
            self.title.setText(self.tr("Select a batch-norm layer (bn1, bn2, downsample.1 ...) in the tree."))
            for curve in (self.in_curve, self.out_curve, self.gamma_curve, self.beta_curve, self.running_curve, self.image_curve,
                          self.running_var_curve, self.image_var_curve):
                curve.setData([], [])
            self.summary.setText("")
            return
        self.title.setText(self.tr("<b>{0}</b>: y = gamma (x - mean) / sqrt(var + eps) + beta, {1} channels").format(data.name, data.gamma.size))
        channels = np.arange(data.gamma.size)
        self.gamma_curve.setData(channels, data.gamma)
        self.beta_curve.setData(channels, data.beta)
        self.running_curve.setData(channels, data.running_mean)
        self.image_curve.setData(channels, data.image_mean)
        self.running_var_curve.setData(channels, data.running_var)
        self.image_var_curve.setData(channels, data.image_var)
        with signals_blocked(self.channel):
            self.channel.setRange(0, data.gamma.size - 1)

    def set_channel(self, channel: int) -> None:
        """Show a channel (wrapped around this layer's channel count) without reporting it back."""
        if self.data is None:
            return
        with signals_blocked(self.channel):
            self.channel.setValue(channel % self.data.gamma.size)
        self._refresh()

    def output_channel(self) -> np.ndarray | None:
        """The selected channel's output in the selected mode."""
        if self.data is None:
            return None
        return self.data.output(self.channel.value(), self.training())

    def _refresh(self) -> None:
        if self.data is None:
            return
        d, c = self.data, self.channel.value()
        x = d.inputs[c]
        y = self.output_channel()
        lo = float(min(x.min(), y.min()))
        hi = float(max(x.max(), y.max()))
        counts, edges = render.histogram(x, 60, (lo, hi))
        self.in_curve.setData(edges, counts.astype(float))
        counts, edges = render.histogram(y, 60, (lo, hi))
        self.out_curve.setData(edges, counts.astype(float))
        for marker in self.markers:
            marker.setValue(c)
        mode = self.tr("train") if self.training() else self.tr("eval")
        self.summary.setText(
            self.tr(
                "<h3>channel {0}</h3><table cellspacing=4>"
                "<tr><td></td><td><b>running</b></td><td><b>this image</b></td></tr>"
                "<tr><td>mean</td><td>{1:.4g}</td><td>{2:.4g}</td></tr>"
                "<tr><td>variance</td><td>{3:.4g}</td><td>{4:.4g}</td></tr></table>"
                "<p>gamma = {5:.4g}, beta = {6:.4g}, eps = {7:g}</p>"
                "<p>Output in <b>{8}</b> mode: mean {9:.3f}, std {10:.3f}.</p>"
                "<p>In train mode batch norm uses this image's own statistics, so every channel "
                "comes out with mean beta and standard deviation gamma; in eval mode it uses the "
                "running statistics gathered during training.</p>"
            ).format(
                c, float(d.running_mean[c]), float(d.image_mean[c]), float(d.running_var[c]), float(d.image_var[c]),
                float(d.gamma[c]), float(d.beta[c]), d.eps, mode, float(y.mean()), float(y.std()),
            )
        )
