"""One channel large (read-out, histogram, statistics, overlay) and the input with a receptive field."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.core import colormaps, render
from viewer.core.receptive_field import Region
from viewer.ui.widgets.images import image_item, image_view_box


class HaloRect(pg.QtWidgets.QGraphicsRectItem):
    """A red outline over a white halo, so it stands out on red, blue and dark pictures alike."""

    def __init__(self) -> None:
        super().__init__()
        pen = QPen(pg.mkColor("#ffffff"), 4)
        pen.setCosmetic(True)
        self.setPen(pen)  # the widest stroke: keeps the bounding rectangle large enough

    def paint(self, painter, _option, _widget=None) -> None:  # noqa: D102 - Qt override
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for colour, width in (("#ffffff", 4), ("#ff2020", 2)):
            pen = QPen(pg.mkColor(colour), width)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.drawRect(self.rect())


class InputView(pg.GraphicsLayoutWidget):
    """The image the network was fed, an optional channel overlay and a receptive-field outline."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = image_view_box()
        self.addItem(self.box)
        self.image = image_item()
        self.overlay = image_item()
        self.overlay.setOpacity(0.6)
        self.overlay.hide()
        self.box.addItem(self.image)
        self.box.addItem(self.overlay)
        self.outline = HaloRect()
        self.outline.setZValue(10)
        self.outline.hide()
        self.box.addItem(self.outline)
        self.region: Region | None = None

    def set_pixels(self, pixels: np.ndarray) -> None:
        """(H, W, 3) float32 in [0, 1]."""
        self.image.setImage(np.ascontiguousarray(pixels, np.float32), autoLevels=False, levels=(0.0, 1.0))
        self.box.autoRange(padding=0.01)

    def set_overlay(self, indices: np.ndarray | None, lut: np.ndarray | None = None) -> None:
        if indices is None:
            self.overlay.hide()
            return
        self.overlay.setImage(indices, autoLevels=False, levels=(0, 255), lut=lut)
        self.overlay.show()

    def set_region(self, region: Region | None) -> None:
        self.region = region
        if region is None:
            self.outline.hide()
            return
        self.outline.setRect(QRectF(region.left, region.top, region.width, region.height))
        self.outline.show()


class ChannelView(QWidget):
    """A channel large with read-out, histogram and statistics; buttons to send it on."""

    pixel_clicked = Signal(int, int)
    send_to_pooling_requested = Signal()
    step_kernel_requested = Signal()
    export_requested = Signal()
    #: the whole node's tensor as NumPy
    export_npy_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.graphics = pg.GraphicsLayoutWidget()
        self.box = image_view_box()
        self.graphics.addItem(self.box)
        self.item = image_item()
        self.box.addItem(self.item)
        self.marker = HaloRect()
        self.marker.setZValue(10)
        self.marker.hide()
        self.box.addItem(self.marker)
        self.input_view = InputView()
        self.overlay_check = QCheckBox(self.tr("Overlay on the input (upsampled)"))
        self.histogram = pg.PlotWidget()
        self.histogram.setLabel("bottom", self.tr("value"))
        # plain numbers on the axis: "value (x0.001)" with ticks of -500 confuses more than it helps
        self.histogram.getAxis("bottom").enableAutoSIPrefix(False)
        self.histogram.setLabel("left", self.tr("pixels"))
        self.histogram.setMinimumHeight(140)
        self.hist_curve = self.histogram.plot(stepMode="center", fillLevel=0, brush=(80, 130, 220, 160), pen=pg.mkPen("#3060c0"))
        self.title = QLabel()
        self.stats_label = QLabel()
        self.readout = QLabel(" ")
        self.pool_button = QPushButton(self.tr("Send to pooling lab"))
        self.step_button = QPushButton(self.tr("Step this kernel"))
        self.step_button.setToolTip(self.tr("Open the convolution lab with this layer's real kernel over its real input"))
        self.export_button = QPushButton(self.tr("Export PNG..."))
        self.export_npy_button = QPushButton(self.tr("Export as NumPy (.npy)..."))
        self.export_npy_button.setToolTip(self.tr("Save the node's tensor: every channel, the exact values, "
                                                  "batch dimension included"))
        buttons = QHBoxLayout()
        for widget in (self.overlay_check, self.pool_button, self.step_button, self.export_button,
                       self.export_npy_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        self.stats_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.field_label = QLabel(self.tr("Click a pixel of the map to outline, on the input, the region that can influence it."))
        self.field_label.setWordWrap(True)
        self.field_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        side = QVBoxLayout()
        side.addWidget(self.stats_label)
        side.addWidget(self.field_label)
        side.addStretch(1)
        grid = QGridLayout()
        grid.addWidget(self.graphics, 0, 0)
        grid.addWidget(self.input_view, 0, 1)
        grid.addWidget(self.histogram, 1, 0)
        grid.addLayout(side, 1, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(buttons)
        layout.addLayout(grid, 1)
        layout.addWidget(self.readout)
        self.values: np.ndarray | None = None
        self.indices: np.ndarray | None = None
        self.lut: np.ndarray | None = None
        self.graphics.scene().sigMouseMoved.connect(self._hover)
        self.graphics.scene().sigMouseClicked.connect(self._click)
        self.overlay_check.toggled.connect(lambda _on: self._update_overlay())
        self.pool_button.clicked.connect(self.send_to_pooling_requested)
        self.step_button.clicked.connect(self.step_kernel_requested)
        self.export_button.clicked.connect(self.export_requested)
        self.export_npy_button.clicked.connect(self.export_npy_requested)

    def set_channel(self, values: np.ndarray, low: float, high: float, colormap: str, title: str, can_step: bool) -> None:
        """Show an (H, W) channel scaled from ``low`` to ``high`` with a named colormap."""
        self.values = np.ascontiguousarray(values, np.float32)
        self.indices = colormaps.to_indices(self.values, low, high)
        self.lut = colormaps.display_table(colormap)
        shape_changed = self.item.image is None or self.item.image.shape != self.indices.shape
        self.item.setImage(self.indices, autoLevels=False, levels=(0, 255), lut=self.lut)
        if shape_changed:
            self.box.autoRange(padding=0.01)
        self.title.setText(title)
        self.step_button.setEnabled(can_step)
        stats = render.channel_stats(self.values[None])
        counts, edges = render.histogram(self.values, bins=64)
        self.hist_curve.setData(edges, counts.astype(np.float64))
        self.stats_label.setText(
            self.tr("<b>Statistics of this channel</b><table><tr><td>min</td><td align=right>{0:.4g}</td></tr><tr><td>max</td><td align=right>{1:.4g}</td></tr>"
                    "<tr><td>mean</td><td align=right>{2:.4g}</td></tr><tr><td>std</td><td align=right>{3:.4g}</td></tr>"
                    "<tr><td>zeros (&le; 0)</td><td align=right>{4:.1%}</td></tr><tr><td>size</td><td align=right>{5} x {6}</td></tr></table>").format(
                float(stats.minimum[0]), float(stats.maximum[0]), float(stats.mean[0]), float(stats.std[0]),
                float(stats.zero_fraction[0]), self.values.shape[0], self.values.shape[1]
            )
        )
        self._update_overlay()

    def _update_overlay(self) -> None:
        if not self.overlay_check.isChecked() or self.indices is None or self.input_view.image.image is None:
            self.input_view.set_overlay(None)
            return
        h, w = self.input_view.image.image.shape[:2]
        self.input_view.set_overlay(render.upsample_nearest(self.indices, (h, w)), self.lut)

    def picture(self, target_side: int) -> np.ndarray | None:
        """The channel in its colours, (H, W, 3) uint8, its pixels repeated as often as its longer
        side fits into ``target_side`` (a slide needs more than a 7x7 map); None before one is shown."""
        if self.indices is None:
            return None
        indices = self.indices
        scale = max(1, target_side // max(indices.shape))
        if scale > 1:
            indices = render.upsample_nearest(indices, (indices.shape[0] * scale, indices.shape[1] * scale))
        return self.lut[indices]

    def mark(self, row: int, col: int) -> None:
        self.marker.setRect(QRectF(col, row, 1, 1))
        self.marker.show()

    def _pixel(self, scene_pos) -> tuple[int, int] | None:
        if self.values is None:
            return None
        point = self.item.mapFromScene(scene_pos)
        row, col = int(np.floor(point.y())), int(np.floor(point.x()))
        h, w = self.values.shape
        return (row, col) if 0 <= row < h and 0 <= col < w else None

    def _hover(self, scene_pos) -> None:
        hit = self._pixel(scene_pos)
        if hit is None:
            self.readout.setText(" ")
            return
        self.readout.setText(self.tr("row {0}, column {1}: {2:.5g}").format(hit[0], hit[1], float(self.values[hit])))

    def _click(self, event) -> None:
        hit = self._pixel(event.scenePos())
        if hit is not None:
            self.pixel_clicked.emit(*hit)
