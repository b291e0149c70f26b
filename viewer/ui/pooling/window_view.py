"""The current pooling window up close: its values, the max cell, the drawn cell, the p_i bars.

One item of the Pooling lab's ``pg.GraphicsLayout``, two grid cells wide: on the left the window
as a grid of coloured cells with every value written in its cell (padding cells greyed and
labelled), the max cell and the drawn cell outlined; on the right a bar chart of the
stochastic-pooling probabilities in raster order. The numbers come from a
:class:`~viewer.core.pooling.PoolStep`; nothing is computed here.

It paints itself instead of being two pyqtgraph plots: at 512x512 a window change spent 7 ms
in them (a text item per cell moved and written again, two views taking new ranges, the bar
chart's axes working out their ticks during the paint) for a picture of a few dozen rectangles
and labels, which this item stores in ``show_step`` and paints in well under a millisecond.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QTextDocument
from PySide6.QtWidgets import QSizePolicy

from viewer.core.colormaps import colorize
from viewer.core.pooling import PoolStep

MAX_COLOR = QColor(255, 200, 0)
DRAWN_COLOR = QColor(255, 60, 60)
PADDING_COLOR = QColor(110, 110, 110)
BAR_COLOR = QColor(90, 160, 255)
NOTE_COLOR = QColor(200, 200, 200)
_TEXT_BACKGROUND = QColor(0, 0, 0, 150)
#: Title font size of the Pooling lab's plots (pyqtgraph's 11 pt leaves four columns no room at 1200 px).
TITLE_POINTS = 10
#: Cells smaller than this on screen (pixels) get no number: it could not be read.
MIN_NUMBER_CELL_PX = 14
_TICK_PX = 5
_GAP_PX = 12


def nice_step(span: float, count: int) -> float:
    """The tick step of 1, 2 or 5 times a power of ten nearest to ``span / count`` (by ratio)."""
    if not math.isfinite(span) or span <= 0:
        return 1.0
    raw = span / max(1, count)
    power = 10.0 ** math.floor(math.log10(raw))
    return min((factor * power for factor in (1.0, 2.0, 5.0, 10.0)), key=lambda step: abs(math.log(step / raw)))


def _tick_label(value: float, step: float) -> str:
    if value == 0:
        return "0"
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    return f"{value:.{decimals}f}"


class PoolWindowView(pg.GraphicsWidget):
    """The window grid and the probability bars; call :meth:`show_step`."""

    def __init__(self) -> None:
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(QSizeF(220, 140))
        self._foreground = pg.mkColor(pg.getConfigOption("foreground"))
        self._title_font = QFont()
        self._title_font.setPointSizeF(TITLE_POINTS)
        self._font = QFont()  # the cells' numbers, sized to the cells
        self._axis_font = QFont()
        # the titles' row, high enough for them to line up with the maps' titles
        self._title_height = QFontMetricsF(self._title_font).height() + 16
        self._grid_title = self._title(QCoreApplication.translate("PoolWindowView", "current window"))
        self._bar_title = self._title(QCoreApplication.translate("PoolWindowView", "p<sub>i</sub> = a<sub>i</sub> / \u03a3a (stochastic)"))
        self._axis_label = QCoreApplication.translate("PoolWindowView", "cell (raster order)")
        self._pad_text = QCoreApplication.translate("PoolWindowView", "pad")
        self._shape = (0, 0)
        self._colors: list[QColor] = []
        self._texts: list[str] = []
        self._padding: list[bool] = []
        self._max_index: tuple[int, int] | None = None
        self._drawn_index: tuple[int, int] | None = None
        self._probabilities = np.zeros(0)
        self._drawn_bar: int | None = None
        self._top = 1.0
        self._note = ""

    def _title(self, html: str) -> QTextDocument:
        """A title laid out once (rich text: the bar chart's has subscripts), in the maps' colour."""
        title = QTextDocument()
        title.setDocumentMargin(0)
        title.setDefaultFont(self._title_font)
        title.setHtml(f"<span style='color: {self._foreground.name()}'>{html}</span>")
        return title

    # -- what is shown ---------------------------------------------------------------------------
    def note(self) -> str:
        """The sentence shown over the bar chart ("" when none)."""
        return self._note

    def cell_texts(self) -> list[str]:
        """The text written in each cell of the window, in raster order."""
        return list(self._texts)

    def bars(self) -> np.ndarray:
        """The probabilities drawn as bars, in raster order (none without a stochastic step)."""
        return self._probabilities.copy()

    def bar_range(self) -> tuple[float, float]:
        """The chart's value axis, bottom to top."""
        return 0.0, self._top

    def clear(self) -> None:
        """Show no window and no bars."""
        self._shape, self._colors, self._texts, self._padding = (0, 0), [], [], []
        self._max_index = self._drawn_index = self._drawn_bar = None
        self._probabilities, self._top, self._note = np.zeros(0), 1.0, ""
        self.update()

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
        if step is None:
            self.clear()
            return
        patch = np.asarray(step.patch, np.float32)
        kh, kw = patch.shape
        self._shape = (kh, kw)
        rgb = colorize(patch, levels, colormap).reshape(-1, 3).tolist()
        self._colors = [QColor(r, g, b) for r, g, b in rgb]
        digits = 2 if kh * kw <= 25 else 1
        self._padding = [bool(p) for p in np.asarray(step.padding_mask).ravel()]
        self._texts = [self._pad_text if pad else f"{value:.{digits}f}" for value, pad in zip(patch.ravel().tolist(), self._padding, strict=True)]
        self._max_index = tuple(step.max_index)
        self._drawn_index = drawn_index
        if probabilities is None:
            self._probabilities, self._drawn_bar, self._top = np.zeros(0), None, 1.0
        else:
            flat = np.asarray(probabilities, np.float64).ravel()
            if not flat.any():
                note = note or QCoreApplication.translate("PoolWindowView", "all zero: nothing to draw, the output is 0")
            self._probabilities = flat
            self._drawn_bar = None if drawn_index is None else drawn_index[0] * kw + drawn_index[1]
            self._top = max(0.05, float(flat.max()) * 1.1)
        self._note = note
        self.update()

    # -- painting --------------------------------------------------------------------------------
    def paint(self, painter: QPainter, *_args) -> None:
        rect = self.rect()
        if rect.width() < 2 * _GAP_PX or rect.height() < 2 * _GAP_PX:
            return
        half = (rect.width() - _GAP_PX) / 2
        title_h = self._title_height
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        left = QRectF(rect.left(), rect.top(), half, rect.height())
        right = QRectF(rect.left() + half + _GAP_PX, rect.top(), half, rect.height())
        for area, title in ((left, self._grid_title), (right, self._bar_title)):
            size = title.size()
            painter.save()
            painter.translate(area.center().x() - size.width() / 2, area.top() + (title_h - size.height()) / 2)
            title.drawContents(painter)
            painter.restore()
        self._paint_grid(painter, left.adjusted(4, title_h, -4, -4))
        self._paint_bars(painter, right.adjusted(0, title_h, -4, -4))

    def _paint_grid(self, painter: QPainter, area: QRectF) -> None:
        kh, kw = self._shape
        if not kh or area.width() <= 0 or area.height() <= 0:
            return
        cell = min(area.width() / kw, area.height() / kh)
        x0 = area.center().x() - cell * kw / 2
        y0 = area.center().y() - cell * kh / 2

        def cell_rect(r: int, c: int, inset: float = 0.0) -> QRectF:
            return QRectF(x0 + (c + inset) * cell, y0 + (r + inset) * cell, cell * (1 - 2 * inset), cell * (1 - 2 * inset))

        painter.setPen(Qt.PenStyle.NoPen)
        for index, color in enumerate(self._colors):
            painter.fillRect(cell_rect(*divmod(index, kw)), color)
        if cell >= MIN_NUMBER_CELL_PX:
            self._font.setPixelSize(max(7, min(13, round(cell / 4.2))))
            painter.setFont(self._font)
            metrics = QFontMetricsF(self._font)
            for index, text in enumerate(self._texts):
                centre = cell_rect(*divmod(index, kw)).center()
                w, h = metrics.horizontalAdvance(text) + 8, metrics.height() + 4
                box = QRectF(centre.x() - w / 2, centre.y() - h / 2, w, h)
                painter.fillRect(box, _TEXT_BACKGROUND)
                painter.setPen(PADDING_COLOR if self._padding[index] else QColor(255, 255, 255))
                painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for index, color, inset in ((self._max_index, MAX_COLOR, 0.06), (self._drawn_index, DRAWN_COLOR, 0.16)):
            if index is not None:
                pen = QPen(color, 3)
                pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
                painter.setPen(pen)
                painter.drawRect(cell_rect(index[0], index[1], inset))

    def _paint_bars(self, painter: QPainter, area: QRectF) -> None:
        painter.setFont(self._axis_font)
        metrics = QFontMetricsF(self._axis_font)
        step = nice_step(self._top, 4)
        ticks = [i * step for i in range(int(self._top / step + 1e-9) + 1)]
        labels = [_tick_label(value, step) for value in ticks]
        axis_w = max(metrics.horizontalAdvance(text) for text in labels) + _TICK_PX + 6
        line_h = metrics.height()
        chart = area.adjusted(axis_w, 4, -2, -(2 * line_h + _TICK_PX + 4))
        if chart.width() <= 0 or chart.height() <= 0:
            return
        bars = self._probabilities
        low, high = (-0.6, bars.size - 0.4) if bars.size else (-1.0, 1.0)

        def x_at(value: float) -> float:
            return chart.left() + (value - low) / (high - low) * chart.width()

        def y_at(value: float) -> float:
            return chart.bottom() - value / self._top * chart.height()

        for index, p in enumerate(bars.tolist()):
            if p > 0:
                color = DRAWN_COLOR if index == self._drawn_bar else BAR_COLOR
                painter.fillRect(QRectF(QPointF(x_at(index - 0.4), y_at(min(p, self._top))), QPointF(x_at(index + 0.4), chart.bottom())), color)
        painter.setPen(self._foreground)
        painter.drawLine(QPointF(chart.left(), chart.top()), QPointF(chart.left(), chart.bottom()))
        painter.drawLine(QPointF(chart.left(), chart.bottom()), QPointF(chart.right(), chart.bottom()))
        for value, text in zip(ticks, labels, strict=True):
            y = y_at(value)
            painter.drawLine(QPointF(chart.left() - _TICK_PX, y), QPointF(chart.left(), y))
            painter.drawText(QRectF(area.left(), y - line_h / 2, axis_w - _TICK_PX - 3, line_h),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
        if bars.size:
            cell_step = max(1, round(nice_step(bars.size - 1, 3)))  # one bar: nice_step(0) is 1
            for index in range(0, bars.size, cell_step):
                x = x_at(index)
                painter.drawLine(QPointF(x, chart.bottom()), QPointF(x, chart.bottom() + _TICK_PX))
                painter.drawText(QRectF(x - 20, chart.bottom() + _TICK_PX, 40, line_h), Qt.AlignmentFlag.AlignCenter, str(index))
        painter.drawText(QRectF(chart.left(), chart.bottom() + _TICK_PX + line_h, chart.width(), line_h + 4),
                         Qt.AlignmentFlag.AlignCenter, self._axis_label)
        if self._note:
            painter.setPen(NOTE_COLOR)
            painter.drawText(QRectF(chart.left(), y_at(0.5 * self._top) - line_h, chart.width(), 2 * line_h),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._note)

