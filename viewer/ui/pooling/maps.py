"""The Pooling lab's grid of maps: input, max, average, stochastic, their differences, the window.

One ``pg.GraphicsLayoutWidget`` holds every plot (one scene, one hover handler). Its
minimum size is the grid's real one: a plain GraphicsLayoutWidget reports a token 68 px, so a
narrow window used to squeeze the scene below what its titles and bar chart need and the right
column was cut off instead of the page getting a scroll bar. Titles use a smaller font than
pyqtgraph's 11 pt so that four columns fit beside the controls at 1200 px.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QWidget

from viewer.ui.pooling.window_view import TITLE_SIZE, PoolWindowView

WINDOW_COLOR = QColor(255, 60, 60)
#: The map plots, in grid order (four to a row); the window view fills the last two cells.
MAP_KEYS = ("input", "max", "avg", "stochastic", "max_diff", "stochastic_diff")
#: Plots that show an output map; they pan and zoom together.
OUTPUT_KEYS = MAP_KEYS[1:]


def _tr(text: str) -> str:
    return QCoreApplication.translate("PoolMaps", text)


def _image_plot(title: str) -> pg.PlotItem:
    plot = pg.PlotItem()
    plot.setTitle(title, size=TITLE_SIZE)  # the size sticks for later setTitle calls
    for axis in ("left", "bottom"):
        plot.hideAxis(axis)
    plot.invertY(True)
    plot.setAspectLocked(True)
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

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plots: dict[str, pg.PlotItem] = {}
        self.images: dict[str, pg.ImageItem] = {}
        self.cells: dict[str, QGraphicsRectItem] = {}
        titles = {"input": _tr("input"), "max": _tr("max"), "avg": _tr("average"), "stochastic": _tr("stochastic"),
                  "max_diff": _tr("max \u2212 avg"), "stochastic_diff": _tr("stochastic \u2212 avg")}
        for i, key in enumerate(MAP_KEYS):
            plot = _image_plot(titles[key])
            image = pg.ImageItem(axisOrder="row-major")
            plot.addItem(image)
            box = _outline()
            plot.addItem(box)
            self.addItem(plot, row=i // 4, col=i % 4)
            self.plots[key], self.images[key], self.cells[key] = plot, image, box
        for key in OUTPUT_KEYS:
            self.plots[key].setXLink(self.plots["max"])
            self.plots[key].setYLink(self.plots["max"])
        self.window_view = PoolWindowView()
        self.addItem(self.window_view.grid_plot, row=1, col=2)
        self.addItem(self.window_view.bar_plot, row=1, col=3)
        self.ci.layout.setRowStretchFactor(0, 5)
        self.ci.layout.setRowStretchFactor(1, 4)

    def set_title(self, key: str, text: str) -> None:
        """Retitle a map; the widget's minimum width follows the new title."""
        plot = self.plots[key]
        plot.setTitle(text)
        plot.updateGeometry()  # now, not at the next LayoutRequest: the grid's minimum is read below
        self.updateGeometry()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        grid = self.ci.effectiveSizeHint(Qt.SizeHint.MinimumSize)
        frame = 2 * self.frameWidth()
        base = super().minimumSizeHint()
        return QSize(max(base.width(), math.ceil(grid.width()) + frame), max(base.height(), math.ceil(grid.height()) + frame))
