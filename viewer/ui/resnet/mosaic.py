"""All channels of a layer as one pyqtgraph ImageItem, with colormap, normalisation, sort and search;
the feature-maps tab puts it beside the input as the network sees it."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QPen
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from viewer.core import colormaps, render
from viewer.ui.resnet.channel import InputView
from viewer.ui.widgets.images import image_item, image_view_box

AUTO = "auto"


class MosaicView(QWidget):
    """Toolbar + mosaic. Emits the view settings and the feature-map pixel the user clicks."""

    #: (scope, sort) when the user changes normalisation or sort order
    settings_changed = Signal(str, str)
    #: (channel, row, col) of a click on a tile
    pixel_clicked = Signal(int, int, int)
    export_requested = Signal()
    #: the visible area's shape changed enough that the tiles should be laid out again
    aspect_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Short item texts keep the toolbar narrow enough for a 1200-pixel window; the
        # labels before the boxes and the tooltips say the rest.
        self.colormap_box = QComboBox()
        self.colormap_box.addItem(self.tr("auto"), AUTO)
        self.colormap_box.setItemData(0, self.tr("Diverging colours for signed values, sequential after a ReLU"), Qt.ItemDataRole.ToolTipRole)
        for name in colormaps.CHOICES:
            self.colormap_box.addItem(name, name)
        self.colormap_box.setToolTip(self.tr("Colormap; auto: diverging for signed values (before ReLU), sequential after ReLU"))
        self.scope_box = QComboBox()
        for scope, text in (("layer", self.tr("layer")), ("channel", self.tr("channel")), ("global", self.tr("all layers"))):
            self.scope_box.addItem(text, scope)
        self.scope_box.setToolTip(self.tr("Which tiles share one colour scale: the whole layer, each channel on its own, "
                                          "or every layer of the network"))
        self.sort_box = QComboBox()
        for key, text in (
            ("index", self.tr("channel #")),
            ("mean", self.tr("mean")),
            ("max", self.tr("max")),
            ("sparsity", self.tr("zeros")),
        ):
            self.sort_box.addItem(text, key)
        self.sort_box.setToolTip(self.tr("Tile order: channel number, or largest mean / max activation / fraction of zeros first"))
        self.search = QSpinBox()
        self.search.setRange(-1, 4095)
        self.search.setSpecialValueText(self.tr("find..."))
        self.search.setValue(-1)
        self.search.setToolTip(self.tr("Channel number to find in the mosaic"))
        self.export_button = QPushButton(self.tr("Export PNG..."))
        self.export_button.setToolTip(self.tr("Save the mosaic as a PNG image"))
        bar = QHBoxLayout()
        bar.setSpacing(4)
        for text, widget in ((self.tr("Colours"), self.colormap_box), (self.tr("Scale per"), self.scope_box), (self.tr("Sort by"), self.sort_box), (self.tr("Find"), self.search)):
            label = QLabel(text)
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget)
            bar.addSpacing(6)
        bar.addStretch(1)
        bar.addWidget(self.export_button)

        self.graphics = pg.GraphicsLayoutWidget()
        self.box = image_view_box()
        self.graphics.addItem(self.box)
        self.item = image_item()
        self.box.addItem(self.item)
        self.highlight = pg.QtWidgets.QGraphicsRectItem()
        self.highlight.setPen(QPen(pg.mkColor("#ff3030"), 0))
        self.highlight.setZValue(10)
        self.highlight.hide()
        self.box.addItem(self.highlight)
        self.title = QLabel()
        self.readout = QLabel(" ")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.title)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.readout)

        self.mosaic: render.Mosaic | None = None
        self.values: np.ndarray | None = None
        self.signed = False
        self._shape: tuple[int, int] | None = None
        self._requested_aspect: float | None = None
        # A mosaic laid out while the page was hidden (or during a resize drag) has the wrong
        # grid: once the size settles, ask for a new layout and refit the view.
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(150)
        self._relayout.timeout.connect(self._check_layout)
        self.graphics.installEventFilter(self)
        self.scope_box.currentIndexChanged.connect(self._emit_settings)
        self.sort_box.currentIndexChanged.connect(self._emit_settings)
        self.colormap_box.currentIndexChanged.connect(lambda _i: self._apply_colormap())
        self.search.valueChanged.connect(self.find_channel)
        self.export_button.clicked.connect(self.export_requested)
        self.graphics.scene().sigMouseMoved.connect(self._hover)
        self.graphics.scene().sigMouseClicked.connect(self._click)

    def scope(self) -> str:
        return str(self.scope_box.currentData())

    def sort(self) -> str:
        return str(self.sort_box.currentData())

    def set_scope(self, scope: str) -> None:
        self.scope_box.setCurrentIndex(self.scope_box.findData(scope))

    def set_sort(self, key: str) -> None:
        self.sort_box.setCurrentIndex(self.sort_box.findData(key))

    def grid_aspect(self) -> float:
        """Width / height of the visible area, in steps of 0.25 (1.5 before the widget is laid out).

        The value is remembered as the one the next mosaic is laid out for.
        """
        self._requested_aspect = self._visible_aspect()
        return self._requested_aspect

    def _visible_aspect(self) -> float:
        width, height = self.graphics.width(), self.graphics.height()
        if width < 50 or height < 50 or not self.isVisible():
            return 1.5
        return max(0.5, min(4.0, round(width / height * 4) / 4))

    def eventFilter(self, watched, event) -> bool:
        if watched is self.graphics and event.type() in (event.Type.Resize, event.Type.Show):
            self._relayout.start()
        return super().eventFilter(watched, event)

    def _check_layout(self) -> None:
        if self.mosaic is None or not self.isVisible():
            return
        self.box.autoRange(padding=0.01)
        if self._requested_aspect is not None and self._visible_aspect() != self._requested_aspect:
            self.aspect_changed.emit()

    def colormap_name(self) -> str:
        chosen = str(self.colormap_box.currentData())
        if chosen == AUTO:
            return colormaps.DIVERGING if self.signed else colormaps.SEQUENTIAL
        return chosen

    def lookup(self) -> np.ndarray:
        return colormaps.display_table(self.colormap_name())

    def picture(self) -> np.ndarray | None:
        """The mosaic in its colours, (H, W, 3) uint8; None before one is shown."""
        return None if self.mosaic is None else self.lookup()[self.mosaic.indices]

    def set_mosaic(self, mosaic: render.Mosaic, values: np.ndarray, title: str) -> None:
        """Show a rendered mosaic; ``values`` is the (C, H, W) data for the read-out."""
        self.mosaic, self.values = mosaic, values
        self.signed = mosaic.stats.signed
        self.item.setImage(mosaic.indices, autoLevels=False, levels=(0, 255), lut=self.lookup())
        self.title.setText(title)
        if mosaic.indices.shape != self._shape:
            self._shape = mosaic.indices.shape
            self.box.autoRange(padding=0.01)
        if self.isVisible() and self._requested_aspect is not None and self._visible_aspect() != self._requested_aspect:
            # laid out for another shape (asked for while the page was hidden or not yet laid
            # out): ask for the right layout now, not after the resize timer
            self.aspect_changed.emit()
        self.find_channel(self.search.value())

    def _apply_colormap(self) -> None:
        if self.mosaic is not None:
            self.item.setLookupTable(self.lookup())

    def _emit_settings(self) -> None:
        self.settings_changed.emit(self.scope(), self.sort())

    def find_channel(self, channel: int) -> None:
        """Outline a channel's tile (and scroll to it); -1 hides the outline."""
        if self.mosaic is None or channel < 0 or channel >= len(self.mosaic.layout.order):
            self.highlight.hide()
            return
        layout = self.mosaic.layout
        y, x = layout.slot_origin(layout.slot_of(channel))
        rect = QRectF(x - 0.5, y - 0.5, layout.tile_w + 1, layout.tile_h + 1)
        self.highlight.setRect(rect)
        self.highlight.show()
        if not self.box.viewRect().contains(rect):
            self.box.setRange(rect.adjusted(-layout.tile_w * 3, -layout.tile_h * 3, layout.tile_w * 3, layout.tile_h * 3), padding=0)

    def locate(self, scene_pos) -> tuple[int, int, int] | None:
        if self.mosaic is None:
            return None
        point = self.item.mapFromScene(scene_pos)
        return self.mosaic.layout.locate(point.y(), point.x())

    def _hover(self, scene_pos) -> None:
        hit = self.locate(scene_pos)
        if hit is None or self.values is None:
            self.readout.setText(" ")
            return
        channel, row, col = hit
        value = float(self.values[channel, row, col])
        self.readout.setText(self.tr("channel {0}, row {1}, column {2}: {3:.4g}").format(channel, row, col, value))

    def _click(self, event) -> None:
        hit = self.locate(event.scenePos())
        if hit is not None:
            self.pixel_clicked.emit(*hit)


class MosaicTab(QSplitter):
    """The mosaic beside the input as the network sees it, with the receptive-field statement below it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.mosaic = MosaicView()
        self.input_view = InputView()
        self.input_view.setMinimumWidth(160)
        self.field_label = QLabel(self.tr("Click a feature-map pixel to outline its receptive field on the input."))
        self.field_label.setWordWrap(True)
        self.field_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # room for the longest statement (about six lines in the narrow panel): a wrapped label
        # inside a splitter is otherwise given one line's height and cut off
        self.field_label.setMinimumHeight(6 * self.field_label.fontMetrics().lineSpacing())
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(QLabel(self.tr("<b>Input as the network sees it</b>")))
        side_layout.addWidget(self.input_view, 1)
        side_layout.addWidget(self.field_label)
        self.addWidget(self.mosaic)
        self.addWidget(side)
        # The input panel gives way first: drag it shut for a wider mosaic on a small screen.
        self.setCollapsible(0, False)
        self.setStretchFactor(0, 1)
        self.setSizes([900, 260])
