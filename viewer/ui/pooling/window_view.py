"""The current pooling window up close: its values, the max cell, the drawn cell, the p_i bars.

Two plot items for a ``pg.GraphicsLayout``: a heat grid of the window with every value written
in its cell (padding cells greyed and labelled), and a bar chart of the stochastic-pooling
probabilities in raster order. The numbers come from a :class:`~viewer.core.pooling.PoolStep`;
nothing is computed here.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QRectF
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from viewer.core.colormaps import lookup_table
from viewer.core.pooling import PoolStep
from viewer.ui.widgets.images import image_item

MAX_COLOR = QColor(255, 200, 0)
DRAWN_COLOR = QColor(255, 60, 60)
PADDING_COLOR = QColor(110, 110, 110)
#: Plot titles of the Pooling lab (pyqtgraph's 11 pt leaves four columns no room at 1200 px).
TITLE_SIZE = "10pt"


def _outline(color: QColor, width: float) -> QGraphicsRectItem:
    item = QGraphicsRectItem()
    pen = QPen(color)
    pen.setWidthF(width)
    pen.setCosmetic(True)
    item.setPen(pen)
    item.setZValue(10)
    item.hide()
    return item


class PoolWindowView:
    """Owns the window grid plot and the probability bar plot; call :meth:`show_step`."""

    def __init__(self) -> None:
        self.grid_plot = pg.PlotItem()
        self.grid_plot.setTitle(QCoreApplication.translate("PoolWindowView", "current window"), size=TITLE_SIZE)
        for axis in ("left", "bottom"):
            self.grid_plot.hideAxis(axis)
        self.grid_plot.invertY(True)
        self.grid_plot.setAspectLocked(True)
        self.grid_plot.setMouseEnabled(False, False)
        self.grid_image = image_item()
        self.grid_plot.addItem(self.grid_image)
        self.max_box = _outline(MAX_COLOR, 3)
        self.drawn_box = _outline(DRAWN_COLOR, 3)
        self.grid_plot.addItem(self.max_box)
        self.grid_plot.addItem(self.drawn_box)
        self._texts: list[pg.TextItem] = []

        self.bar_plot = pg.PlotItem()
        self.bar_plot.setTitle(QCoreApplication.translate("PoolWindowView", "p<sub>i</sub> = a<sub>i</sub> / \u03a3a (stochastic)"), size=TITLE_SIZE)
        self.bar_plot.setMouseEnabled(False, False)
        self.bar_plot.setLabel("bottom", QCoreApplication.translate("PoolWindowView", "cell (raster order)"))
        self.bar_plot.setYRange(0, 1)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.8, brush=pg.mkBrush(90, 160, 255))
        self.bar_plot.addItem(self.bars)
        self.drawn_bar = pg.BarGraphItem(x=[], height=[], width=0.8, brush=pg.mkBrush(DRAWN_COLOR))
        self.bar_plot.addItem(self.drawn_bar)
        self.bar_note = pg.TextItem(anchor=(0.5, 0.5), color=(200, 200, 200))
        self.bar_plot.addItem(self.bar_note)

    def note(self) -> str:
        """The sentence shown over the bar chart ("" when none)."""
        return self.bar_note.textItem.toPlainText()

    def clear(self) -> None:
        """Show no window and no bars."""
        self.grid_image.clear()
        for item in self._texts:  # kept for the next step: making them anew costs a frame's time
            item.hide()
        self.max_box.hide()
        self.drawn_box.hide()
        self.bars.setOpts(x=[], height=[])
        self.drawn_bar.setOpts(x=[], height=[])
        self.bar_note.setText("")

    def show_step(
        self,
        step: PoolStep | None,
        levels: tuple[float, float],
        colormap: str,
        probabilities: np.ndarray | None = None,
        drawn_index: tuple[int, int] | None = None,
        note: str = "",
    ) -> None:
        """Show ``step``'s window; ``probabilities`` / ``drawn_index`` from the stochastic steps."""
        self.clear()
        if step is None:
            return
        kh, kw = step.patch.shape
        self.grid_image.setLookupTable(lookup_table(colormap))
        self.grid_image.setImage(np.ascontiguousarray(step.patch, np.float32), levels=levels, autoLevels=False)
        self.grid_image.setRect(QRectF(0, 0, kw, kh))
        digits = 2 if kh * kw <= 25 else 1
        while len(self._texts) < kh * kw:
            item = pg.TextItem(anchor=(0.5, 0.5), fill=pg.mkBrush(0, 0, 0, 150))
            self.grid_plot.addItem(item)
            self._texts.append(item)
        for item, ((r, c), value) in zip(self._texts, np.ndenumerate(step.patch), strict=False):
            padding = bool(step.padding_mask[r, c])
            text = QCoreApplication.translate("PoolWindowView", "pad") if padding else f"{value:.{digits}f}"
            item.setText(text, color=PADDING_COLOR if padding else (255, 255, 255))
            item.setPos(c + 0.5, r + 0.5)
            item.show()
        mr, mc = step.max_index
        self.max_box.setRect(QRectF(mc + 0.06, mr + 0.06, 0.88, 0.88))
        self.max_box.show()
        if drawn_index is not None:
            dr, dc = drawn_index
            self.drawn_box.setRect(QRectF(dc + 0.16, dr + 0.16, 0.68, 0.68))
            self.drawn_box.show()
        self.grid_plot.setRange(xRange=(0, kw), yRange=(0, kh), padding=0.02)
        if probabilities is None:
            self.bar_note.setText(note)
            self.bar_note.setPos(0, 0.5)
            self.bar_plot.setXRange(-1, 1)
            self.bar_plot.setYRange(0, 1, padding=0)  # else the note may sit outside the last range
            return
        flat = probabilities.ravel()
        if not flat.any():
            note = note or QCoreApplication.translate("PoolWindowView", "all zero: nothing to draw, the output is 0")
        cells = np.arange(flat.size)
        self.bars.setOpts(x=cells, height=flat)
        if drawn_index is not None:
            k = drawn_index[0] * kw + drawn_index[1]
            self.drawn_bar.setOpts(x=[k], height=[flat[k]])
        self.bar_plot.setXRange(-0.6, flat.size - 0.4, padding=0)
        self.bar_plot.setYRange(0, max(0.05, float(flat.max()) * 1.1), padding=0)
        if note:
            self.bar_note.setText(note)
            self.bar_note.setPos((flat.size - 1) / 2, 0.5 * max(0.05, float(flat.max()) * 1.1))
