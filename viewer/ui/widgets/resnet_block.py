"""A residual block taken apart for one channel: x, shortcut, F(x) step by step, the sum, the output."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from viewer.core import render
from viewer.ui import colormaps
from viewer.ui.widgets.resnet_mosaic import image_item, image_view_box
from viewer.ui.widgets.resnet_session import BlockData, Panel


class BlockDissection(QWidget):
    """Two rows of small images: x and the steps of F; then shortcut, F(x), sum, ReLU output."""

    channel_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("Select a residual block (layer1.0 ...) or one of its layers in the tree."))
        self.title.setWordWrap(True)
        self.channel = QSpinBox()
        self.channel.setPrefix(self.tr("channel "))
        self.ratio = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.channel)
        bar.addWidget(self.ratio, 1)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground("#f4f4f4")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(bar)
        layout.addWidget(self.graphics, 1)
        self.data: BlockData | None = None
        self.items: list[tuple[pg.ImageItem, pg.LabelItem]] = []
        self.channel.valueChanged.connect(self._channel_changed)

    def set_data(self, data: BlockData | None, channel: int = 0) -> None:
        self.data = data
        self.graphics.clear()
        self.items = []
        if data is None:
            self.ratio.setText("")
            return
        self.title.setText(self.tr("<b>{0}</b>: output = ReLU(F(x) + shortcut(x))").format(data.name))
        top = (data.x, *data.steps)
        bottom = (data.shortcut, data.residual, data.total, data.output)
        for row, panels in enumerate((top, bottom)):
            for col, panel in enumerate(panels):
                cell = self.graphics.addLayout(row=row, col=col)
                label = cell.addLabel(panel.title, row=0, col=0, color="#222", size="9pt")
                box = image_view_box()
                cell.addItem(box, row=1, col=0)
                item = image_item()
                box.addItem(item)
                self.items.append((item, label))
        self.channel.blockSignals(True)
        self.channel.setRange(0, data.output.maps.shape[0] - 1)
        self.channel.setValue(min(channel, data.output.maps.shape[0] - 1))
        self.channel.blockSignals(False)
        self._refresh()

    def panels(self) -> list[Panel]:
        d = self.data
        return [] if d is None else [d.x, *d.steps, d.shortcut, d.residual, d.total, d.output]

    def _channel_changed(self, value: int) -> None:
        self._refresh()
        self.channel_changed.emit(value)

    def _refresh(self) -> None:
        if self.data is None:
            return
        c = self.channel.value()
        for (item, label), panel in zip(self.items, self.panels(), strict=False):
            count = panel.maps.shape[0]
            values = panel.maps[c % count]
            lo, hi = float(values.min()), float(values.max())
            signed = lo < 0
            if signed:
                hi = max(-lo, hi)
                lo = -hi
            name = colormaps.DIVERGING if signed else colormaps.SEQUENTIAL
            lut = render.mosaic_lookup_table(colormaps.lookup_table(name))
            item.setImage(render.to_indices(values, lo, hi), autoLevels=False, levels=(0, 255), lut=lut)
            item.getViewBox().autoRange(padding=0.02)
            shown = c % count
            suffix = "" if shown == c else self.tr(" (ch {0} of {1})").format(shown, count)
            label.setText(f"{panel.title}{suffix}<br><span style='font-size:8pt'>[{lo:.3g}, {hi:.3g}]</span>")
        d = self.data
        f = d.residual.maps[c]
        s = d.shortcut.maps[c]
        channel_ratio = float(np.linalg.norm(f) / max(np.linalg.norm(s), 1e-12))
        self.ratio.setText(
            self.tr("||F(x)|| / ||shortcut(x)|| = <b>{0:.3f}</b> over all channels, {1:.3f} for channel {2}. "
                    "Small: the block stays close to the identity.").format(d.norm_ratio, channel_ratio, c)
        )
