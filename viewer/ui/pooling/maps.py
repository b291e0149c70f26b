"""The Pooling lab's grid of maps: input, max, average, stochastic, their differences, the window.

One ``pg.GraphicsLayoutWidget`` holds every plot (one scene, one hover handler that reports
the cell under the pointer). Its
minimum size is the grid's real one: a plain GraphicsLayoutWidget reports a token 68 px, so a
narrow window used to squeeze the scene below what its titles and bar chart need and the right
column was cut off instead of the page getting a scroll bar. Titles use a smaller font than
pyqtgraph's 11 pt so that four columns fit beside the controls at 1200 px.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QWidget

from viewer.core import colormaps
from viewer.core.geometry import SlidingWindow
from viewer.core.pooling import PoolStep
from viewer.ui.page import build_whole
from viewer.ui.pooling.window_view import TITLE_POINTS, PoolWindowView
from viewer.ui.widgets.images import image_item

WINDOW_COLOR = QColor(255, 60, 60)
#: The map plots, in grid order (four to a row); the window view fills the last two cells.
MAP_KEYS = ("input", "max", "avg", "stochastic", "max_diff", "stochastic_diff")
#: Plots that show an output map.
OUTPUT_KEYS = MAP_KEYS[1:]
#: Plot titles of the Pooling lab (pyqtgraph's 11 pt leaves four columns no room at 1200 px).
TITLE_SIZE = f"{TITLE_POINTS}pt"


def fix_unlabelled_axes(plot: pg.PlotItem) -> None:
    """Stop ``plot``'s axes without a shown label from rewriting that label at every range change.

    pyqtgraph sets an axis label's HTML again whenever the range changes, to update its SI
    prefix; an axis whose label is hidden always gets the scale 1 (no prefix), so for it that
    is work (0.07 ms an axis, four hidden axes per plot) that never changes a pixel.
    """
    for name in ("left", "bottom", "top", "right"):
        axis = plot.getAxis(name)
        if not axis.label.isVisible():
            axis.enableAutoSIPrefix(False)


def _image_plot(title: str) -> pg.PlotItem:
    plot = pg.PlotItem()
    plot.setTitle(title, size=TITLE_SIZE)  # the size sticks for later setTitle calls
    for axis in ("left", "bottom"):
        plot.hideAxis(axis)
    plot.invertY(True)
    plot.setAspectLocked(True)
    fix_unlabelled_axes(plot)
    return plot


def _outline() -> QGraphicsRectItem:
    item = QGraphicsRectItem()
    pen = QPen(WINDOW_COLOR)
    pen.setWidthF(2)
    pen.setCosmetic(True)
    item.setPen(pen)
    item.setZValue(10)
    return item


class PoolMaps(pg.GraphicsLayoutWidget):
    """``plots``, ``images`` and ``cells`` (the red outline) by key, and ``window_view``."""

    #: (on the input?, row, column) of the map cell under the pointer
    cell_hovered = Signal(bool, int, int)

    def __init__(self, parent: QWidget | None = None, *, build: bool = True) -> None:
        """``build=False`` leaves the plots to :meth:`build`, a piece at a time."""
        super().__init__(parent)
        self.plots: dict[str, pg.PlotItem] = {}
        self.images: dict[str, pg.ImageItem] = {}
        self.cells: dict[str, QGraphicsRectItem] = {}
        # One scale for all: each output cell is drawn stride input pixels wide (show_maps), and
        # every view shows the same number of screen pixels per input pixel around the same
        # centre (linking the ranges would not: the maps' plots differ in size).
        self._cell = 1.0  # input pixels per output cell
        self._shown_input: tuple[np.ndarray, tuple[float, float], str] | None = None  # values, levels, colormap
        self._matching = False
        if build:
            build_whole(self.build())

    def build(self) -> Iterator[None]:
        """Make the six map plots and the window view, yielding after each plot (10-15 ms apiece)."""
        titles = {"input": QCoreApplication.translate("PoolMaps", "input"), "max": QCoreApplication.translate("PoolMaps", "max"), "avg": QCoreApplication.translate("PoolMaps", "average"), "stochastic": QCoreApplication.translate("PoolMaps", "stochastic"),
                  "max_diff": QCoreApplication.translate("PoolMaps", "max \u2212 avg"), "stochastic_diff": QCoreApplication.translate("PoolMaps", "stochastic \u2212 avg")}
        for i, key in enumerate(MAP_KEYS):
            plot = _image_plot(titles[key])
            image = image_item()
            plot.addItem(image)
            box = _outline()
            plot.addItem(box)
            self.addItem(plot, row=i // 4, col=i % 4)
            self.plots[key], self.images[key], self.cells[key] = plot, image, box
            yield
        for plot in self.plots.values():
            plot.vb.sigRangeChanged.connect(lambda vb, *_: self._match_scale(vb))
            plot.vb.sigResized.connect(lambda _vb: self._fit())
        self.window_view = PoolWindowView()
        yield
        self.addItem(self.window_view, row=1, col=2, colspan=2)
        # Rows of one height: the six maps are then the same size, and their linked views the same scale.
        self.ci.layout.setRowStretchFactor(0, 1)
        self.ci.layout.setRowStretchFactor(1, 1)
        self.scene().sigMouseMoved.connect(self._hover)

    def _fit(self) -> None:
        """The input fills its view again (the others follow): after a resize, the old range's
        scale belongs to the old size."""
        if self.images["input"].image is not None:
            self.plots["input"].autoRange(padding=0.02)

    def _match_scale(self, source: pg.ViewBox) -> None:
        """Give every other map the scale and centre of ``source``'s view."""
        if self._matching:
            return
        (x0, x1), (y0, y1) = source.viewRange()
        if source.width() <= 0 or x1 <= x0:
            return
        scale = source.width() / (x1 - x0)  # screen pixels per input pixel (aspect locked)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        self._matching = True
        try:
            for plot in self.plots.values():
                vb = plot.vb
                if vb is not source and vb.width() > 0:
                    w, h = vb.width() / scale / 2, vb.height() / scale / 2
                    vb.setRange(xRange=(cx - w, cx + w), yRange=(cy - h, cy + h), padding=0)
        finally:
            self._matching = False

    def set_title(self, key: str, text: str) -> None:
        """Retitle a map; the widget's minimum width follows the new title (an unchanged title
        is left alone: setting it lays the grid out again)."""
        plot = self.plots[key]
        if plot.titleLabel.text == text:
            return
        plot.setTitle(text)
        plot.updateGeometry()  # now, not at the next LayoutRequest: the grid's minimum is read below
        self.updateGeometry()

    def clear_maps(self) -> None:
        """Show no map, no outline and no window (``clear`` is pyqtgraph's: it empties the grid)."""
        self._shown_input = None
        for key, image in self.images.items():
            image.clear()
            self.cells[key].hide()
        self.window_view.clear()

    def show_maps(
        self,
        maps: dict[str, np.ndarray],
        levels: tuple[float, float],
        colormap: str,
        differences: dict[str, np.ndarray],
        difference_levels: tuple[float, float],
        cell: float = 1.0,
    ) -> None:
        """The input and outputs in ``maps`` on one colour scale, the differences on a diverging
        one; each output cell drawn ``cell`` (the stride) input pixels wide, so that every map
        shows at the input's scale."""
        self._cell = float(cell)
        # The input stays as it is when only the window changed: no new picture, no new range
        # (the outputs keep the scale and centre the input's view gives them).
        shown = self._shown_input
        same_input = (
            shown is not None and shown[1] == tuple(levels) and shown[2] == colormap
            and shown[0].shape == maps["input"].shape and np.array_equal(shown[0], maps["input"])
        )
        for key in set(self.images) - set(maps) - set(differences):
            self.images[key].clear()
            self.cells[key].hide()
        for values, value_levels, table in (
            (maps, levels, colormaps.lookup_table(colormap)),
            (differences, difference_levels, colormaps.lookup_table(colormaps.DIVERGING)),
        ):
            for key, picture in values.items():
                if key == "input" and same_input:
                    continue
                image = self.images[key]
                image.setLookupTable(table)
                image.setImage(np.ascontiguousarray(picture, np.float32), levels=value_levels, autoLevels=False)
                scale = 1.0 if key == "input" else self._cell
                image.setRect(QRectF(0, 0, picture.shape[1] * scale, picture.shape[0] * scale))
        self._shown_input = (maps["input"], tuple(levels), colormap)
        if not same_input:
            self._fit()

    def outline_step(self, step: PoolStep, geometry: SlidingWindow) -> None:
        """Outline the step's window on the input and the cell it fills on every output."""
        kh, kw = geometry.kernel_hw
        ph, pw = geometry.padding
        top, left = step.window
        self.cells["input"].setRect(QRectF(left - pw, top - ph, kw, kh))
        row, col = step.out_pos
        cell = self._cell
        for key in OUTPUT_KEYS:
            self.cells[key].setRect(QRectF(col * cell, row * cell, cell, cell))
        for box in self.cells.values():
            box.show()

    def _hover(self, scene_pos: QPointF) -> None:
        for key, plot in self.plots.items():
            if plot.sceneBoundingRect().contains(scene_pos):
                point = plot.vb.mapSceneToView(scene_pos)
                cell = 1.0 if key == "input" else self._cell
                self.cell_hovered.emit(key == "input", int(np.floor(point.y() / cell)), int(np.floor(point.x() / cell)))
                return

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        grid = self.ci.effectiveSizeHint(Qt.SizeHint.MinimumSize)
        frame = 2 * self.frameWidth()
        base = super().minimumSizeHint()
        return QSize(max(base.width(), math.ceil(grid.width()) + frame), max(base.height(), math.ceil(grid.height()) + frame))
