"""A residual block taken apart for one channel: x, shortcut, F(x) step by step, the sum, the output."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from viewer.core import render
from viewer.core.explorer import BlockData, Panel
from viewer.ui import colormaps
from viewer.ui.widgets.resnet_mosaic import image_item, image_view_box


class _PanelView(QWidget):
    """A title, the value range and one small image."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground(None)
        self.graphics.setMinimumSize(60, 60)
        box = image_view_box()
        box.setBackgroundColor(None)
        self.graphics.addItem(box)
        self.item = image_item()
        box.addItem(self.item)
        self.box = box
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.label)
        layout.addWidget(self.graphics, 1)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)


class BlockDissection(QWidget):
    """Top row: x, then every step of F, then F(x). Bottom row: the shortcut, the sum, the output."""

    channel_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("Select a residual block (layer1.0 ...) or one of its layers in the tree."))
        self.title.setWordWrap(True)
        self.channel = QSpinBox()
        self.channel.setPrefix(self.tr("channel "))
        self.ratio = QLabel()
        self.ratio.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.channel)
        bar.addWidget(self.ratio, 1)
        self.grid = QGridLayout()
        self.grid.setSpacing(4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(bar)
        layout.addLayout(self.grid, 1)
        self.data: BlockData | None = None
        self.views: list[_PanelView] = []
        self._extras: list[QWidget] = []
        self.channel.valueChanged.connect(self._channel_changed)

    def set_data(self, data: BlockData | None, channel: int = 0) -> None:
        self.data = data
        for view in [*self.views, *self._extras]:
            self.grid.removeWidget(view)
            view.deleteLater()
        self.views = []
        self._extras = []
        if data is None:
            self.ratio.setText("")
            return
        self.title.setText(self.tr("<b>{0}</b>: output = ReLU(F(x) + shortcut(x)). Top: the residual branch F, step by step; "
                                   "bottom: the shortcut, the sum and the output.").format(data.name))
        top = [data.x, *data.steps, data.residual]
        n = len(top)
        places = [(0, col) for col in range(n)] + [(1, 0), (1, n - 2), (1, n - 1)]
        for row, col in places:
            view = _PanelView()
            self.grid.addWidget(view, row, col)
            self.views.append(view)
        for col in range(n):
            self.grid.setColumnStretch(col, 1)
        if n > 3:
            arrow = QLabel(self.tr("shortcut(x) is added to F(x)  \u2192"))
            arrow.setAlignment(Qt.AlignmentFlag.AlignCenter)
            arrow.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.grid.addWidget(arrow, 1, 1, 1, n - 3)
            self._extras.append(arrow)
        self.channel.blockSignals(True)
        self.channel.setRange(0, data.output.maps.shape[0] - 1)
        self.channel.setValue(min(channel, data.output.maps.shape[0] - 1))
        self.channel.blockSignals(False)
        self._refresh()

    def panels(self) -> list[Panel]:
        return [] if self.data is None else list(self.data.panels())

    def _channel_changed(self, value: int) -> None:
        self._refresh()
        self.channel_changed.emit(value)

    def _refresh(self) -> None:
        if self.data is None:
            return
        c = self.channel.value()
        for view, panel in zip(self.views, self.panels(), strict=True):
            count = panel.maps.shape[0]
            shown = c % count
            values = panel.maps[shown]
            lo, hi = render.display_range(values)
            name = colormaps.DIVERGING if lo < 0 else colormaps.SEQUENTIAL
            lut = render.mosaic_lookup_table(colormaps.lookup_table(name))
            view.item.setImage(render.to_indices(values, lo, hi), autoLevels=False, levels=(0, 255), lut=lut)
            view.box.autoRange(padding=0.02)
            suffix = "" if shown == c else self.tr(" (ch {0} of {1})").format(shown, count)
            view.label.setText(f"<b>{panel.title}</b>{suffix}<br><small>[{lo:.3g}, {hi:.3g}]</small>")
        d = self.data
        channel_ratio = d.channel_norm_ratio(c)
        self.ratio.setText(
            self.tr("||F(x)|| / ||shortcut(x)|| = <b>{0:.3f}</b> over all channels, {1:.3f} for channel {2}. "
                    "Small: the block stays close to the identity.").format(d.norm_ratio, channel_ratio, c)
        )
