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
        fix_unlabelled_axes(self.grid_plot)
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
        fix_unlabelled_axes(self.bar_plot)
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
        """Show ``step``'s window; ``probabilities`` / ``drawn_index`` from the stochastic steps.

        Only what this step needs is changed (clearing everything first and drawing it again
        cost as much as the rest), and both views take their new ranges now, not when they are
        painted: a range applied during the paint moves the value labels, which takes a second
        paint of both plots.
        """
        if step is None:
            self.clear()
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
        for item in self._texts[kh * kw:]:
            item.hide()
        mr, mc = step.max_index
        self.max_box.setRect(QRectF(mc + 0.06, mr + 0.06, 0.88, 0.88))
        self.max_box.show()
        if drawn_index is not None:
            dr, dc = drawn_index
            self.drawn_box.setRect(QRectF(dc + 0.16, dr + 0.16, 0.68, 0.68))
            self.drawn_box.show()
        else:
            self.drawn_box.hide()
        self.grid_plot.setRange(xRange=(0, kw), yRange=(0, kh), padding=0.02)
        if probabilities is None:
            _set_bars(self.bars, [], [])
            _set_bars(self.drawn_bar, [], [])
            self.bar_note.setText(note)
            self.bar_note.setPos(0, 0.5)
            self.bar_plot.setXRange(-1, 1)
            self.bar_plot.setYRange(0, 1, padding=0)  # else the note may sit outside the last range
        else:
            flat = probabilities.ravel()
            if not flat.any():
                note = note or QCoreApplication.translate("PoolWindowView", "all zero: nothing to draw, the output is 0")
            _set_bars(self.bars, np.arange(flat.size), flat)
            if drawn_index is not None:
                k = drawn_index[0] * kw + drawn_index[1]
                _set_bars(self.drawn_bar, [k], [flat[k]])
            else:
                _set_bars(self.drawn_bar, [], [])
            top = max(0.05, float(flat.max()) * 1.1)
            self.bar_plot.setRange(xRange=(-0.6, flat.size - 0.4), yRange=(0, top), padding=0)
            self.bar_note.setText(note)
            if note:
                self.bar_note.setPos((flat.size - 1) / 2, 0.5 * top)
        for plot in (self.grid_plot, self.bar_plot):
            plot.vb.updateMatrix()


def _set_bars(bars: pg.BarGraphItem, x, height) -> None:
    """Give ``bars`` these bars, unless it has no bars and gets none again (no repaint then)."""
    if len(x) or len(bars.opts["x"]):
        bars.setOpts(x=x, height=height)
