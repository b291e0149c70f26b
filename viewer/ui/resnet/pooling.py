"""Pooling outputs: the stem's max pool before/after, the global average pool's bars, fc's top 5."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from viewer.core import colormaps
from viewer.ui.widgets.images import image_item, image_view_box


class PoolingOutputs(QWidget):
    """Max pool before/after for one channel, 2,048 average-pool bars, top-5 predictions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.channel = QSpinBox()
        self.channel.setPrefix(self.tr("stem channel "))
        self.channel.setRange(0, 63)
        self.before = pg.GraphicsLayoutWidget()
        self.after = pg.GraphicsLayoutWidget()
        self.before_item, self.after_item = image_item(), image_item()
        self.before_label, self.after_label = QLabel(), QLabel()
        for widget, item in ((self.before, self.before_item), (self.after, self.after_item)):
            box = image_view_box()
            widget.addItem(box)
            box.addItem(item)
        self.bars = pg.PlotWidget()
        self.bars.setTitle(self.tr("Global average pool: one number per channel"), size="10pt")
        self.bars.setLabel("bottom", self.tr("channel"))
        self.bars.setLabel("left", self.tr("mean activation"))
        self.bar_item = pg.BarGraphItem(x=[], height=[], width=1.0, brush="#3060c0", pen=None)
        self.bars.addItem(self.bar_item)
        self.predictions = QLabel()
        self.predictions.setWordWrap(True)
        self.predictions.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        grid = QGridLayout()
        grid.addWidget(self.before_label, 0, 0)
        grid.addWidget(self.after_label, 0, 1)
        grid.addWidget(self.before, 1, 0)
        grid.addWidget(self.after, 1, 1)
        grid.addWidget(self.bars, 2, 0)
        grid.addWidget(self.predictions, 2, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.channel)
        bar.addStretch(1)
        layout.addLayout(bar)
        layout.addLayout(grid, 1)
        self._before: np.ndarray | None = None
        self._after: np.ndarray | None = None
        self.channel.valueChanged.connect(lambda _v: self._show_channel())

    def set_data(self, before: np.ndarray, after: np.ndarray, pooled: np.ndarray, top5, names_known: bool, trained: bool,
                 classes: int) -> None:
        """``before``/``after``: (C, H, W) around the stem max pool; ``pooled``: (C,) averages;
        ``classes``: how many outputs fc has.

        The note under the top 5 says what is known: untrained weights (the numbers mean
        nothing), trained weights whose class names nobody gave (the numbers are real, the names
        unknown), or nothing at all when the classes are named.
        """
        self._before, self._after = before, after
        self.channel.setRange(0, before.shape[0] - 1)
        self._show_channel()
        self.bar_item.setOpts(x=np.arange(pooled.size), height=pooled, width=1.0)
        self.bars.setXRange(0, pooled.size, padding=0.01)
        header = self.tr("<tr><th align=right>probability</th><th align=right>class</th><th align=left>{0}</th></tr>").format(
            self.tr("name") if names_known else "")
        rows = header + "".join(
            f"<tr><td align=right>{p.probability * 100:.1f} %</td><td align=right>{p.index}</td><td>{p.name if names_known else ''}</td></tr>"
            for p in top5
        )
        if not trained:
            note = self.tr(
                "<p style='color:#b35900'><b>The weights are untrained (random):</b> these are raw class "
                "indices and the probabilities mean nothing. Load or download trained weights to see real "
                "predictions.</p>"
            )
        elif not names_known:
            note = self.tr(
                "<p style='color:#1f4fa0'><b>Trained weights, classes not named:</b> fc has {0} outputs and "
                "nothing says which class each one is, so the table shows their indices.</p>"
            ).format(classes)
        else:
            note = ""
        self.predictions.setText(self.tr("<h3>fc: top 5</h3>") + f"<table cellspacing=6>{rows}</table>" + note)

    def _show_channel(self) -> None:
        if self._before is None:
            return
        c = self.channel.value()
        for item, label, maps, what in ((self.before_item, self.before_label, self._before, self.tr("before max pool (after ReLU)")), (self.after_item, self.after_label, self._after, self.tr("after 3x3 max pool, stride 2"))):
            values = maps[c]
            hi = float(max(self._before[c].max(), 1e-12))
            lut = colormaps.display_table(colormaps.SEQUENTIAL)
            item.setImage(colormaps.to_indices(values, 0.0, hi), autoLevels=False, levels=(0, 255), lut=lut)
            item.getViewBox().autoRange(padding=0.01)
            label.setText(f"{what}: {values.shape[0]} x {values.shape[1]}")
