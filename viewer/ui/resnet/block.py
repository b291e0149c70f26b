"""A residual block taken apart for one channel, drawn as the textbook diagram.

Top row: the block's input x, then the residual branch F step by step (conv, BN, ReLU ...) up
to F(x). Bottom row: the shortcut (identity or 1x1 projection) under x, the sum F(x) + shortcut
where both paths meet, and the output after ReLU. The maps are painted as pixel-exact images
(nearest neighbour, aspect kept) as large as the widget allows; the three maps of the bottom
row, where the block's message is, get the space the short top row leaves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QSpinBox, QVBoxLayout, QWidget
from superqt.utils import signals_blocked

from viewer.core import colormaps
from viewer.core.dissect import BlockData, Panel

MARGIN = 6
ARROW_GAP = 18
"""Horizontal space between two maps of the top row (holds an arrow)."""
ROW_GAP = 30
"""Vertical space between the rows (holds the paths down to the bottom row)."""
MIDDLE_MIN = 170
"""Least width between the shortcut and the sum (holds the norm ratio)."""
RELU_GAP = 64


@dataclass(frozen=True)
class Tile:
    """One map ready to paint: its caption lines, the image and the values for the read-out."""

    title: str
    shape_text: str
    range_text: str
    """Colour scale: "±m" for signed maps (symmetric), "low to high" otherwise."""
    image: QImage
    values: np.ndarray


@dataclass(frozen=True)
class DiagramGeometry:
    """Where everything goes; rectangles are the maps themselves, captions sit above them."""

    top: tuple[QRectF, ...]
    bottom: tuple[QRectF, QRectF, QRectF]
    """Shortcut, sum, output."""
    plus: QPointF
    caption_height: float


def diagram_geometry(width: float, height: float, top_count: int, aspect: float, caption_height: float) -> DiagramGeometry:
    """Lay out ``top_count`` maps in the top row and three in the bottom row, each of height / width ``aspect``."""
    usable_w = max(width - 2 * MARGIN, 10.0)
    usable_h = max(height - 2 * MARGIN, 10.0)
    tile_w = (usable_w - (top_count - 1) * ARROW_GAP) / top_count
    tile_w = max(8.0, min(tile_w, 0.4 * (usable_h - 2 * caption_height - ROW_GAP) / aspect))
    tile_h = tile_w * aspect
    row_w = top_count * tile_w + (top_count - 1) * ARROW_GAP
    left = MARGIN + (usable_w - row_w) / 2
    big_guess = min((row_w - MIDDLE_MIN - RELU_GAP) / 3, (usable_h - 2 * caption_height - ROW_GAP - tile_h) / aspect)
    used_h = 2 * caption_height + tile_h + ROW_GAP + max(big_guess, 8.0) * aspect
    top_y = MARGIN + max(0.0, (usable_h - used_h) / 2) + caption_height
    top = tuple(QRectF(left + i * (tile_w + ARROW_GAP), top_y, tile_w, tile_h) for i in range(top_count))
    bottom_y = top_y + tile_h + ROW_GAP + caption_height
    by_height = (MARGIN + usable_h - bottom_y) / aspect
    by_width = (row_w - MIDDLE_MIN - RELU_GAP) / 3
    big_w = max(8.0, min(by_height, by_width))
    big_h = big_w * aspect
    right = left + row_w
    output = QRectF(right - big_w, bottom_y, big_w, big_h)
    total = QRectF(output.left() - RELU_GAP - big_w, bottom_y, big_w, big_h)
    x_centre = top[0].center().x()
    shortcut = QRectF(max(left, x_centre - big_w / 2), bottom_y, big_w, big_h)
    plus = QPointF(total.left() - 26, bottom_y + big_h / 2)
    return DiagramGeometry(top, (shortcut, total, output), plus, caption_height)


def panel_title(title: str) -> str:
    """A dissection panel's title (English, from core.dissect) in the user's language: the fixed
    ones are marked there; "x = input (name)" names its input; layer names stay."""
    if title.startswith("x = input (") and title.endswith(")"):
        return QCoreApplication.translate("BlockDissection", "x = input ({0})").format(title[len("x = input ("):-1])
    return QCoreApplication.translate("BlockDissection", title)


def _tile(panel: Panel, channel: int) -> Tile:
    count = panel.maps.shape[0]
    shown = channel % count
    values = np.ascontiguousarray(panel.maps[shown])
    low, high = colormaps.levels(values)
    name = colormaps.DIVERGING if low < 0 else colormaps.SEQUENTIAL
    rgb = np.ascontiguousarray(colormaps.colorize(values, (low, high), name))
    h, w = values.shape
    image = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
    title = panel_title(panel.title)
    if shown != channel:
        title = QCoreApplication.translate("BlockDissection", "{0} (ch {1} of {2})").format(title, shown, count)
    range_text = (f"\u00b1{high:.3g}" if low < 0 else QCoreApplication.translate("BlockDissection", "{0} to {1}")
                  .format(f"{float(values.min()):.3g}", f"{float(values.max()):.3g}"))
    return Tile(title, f"{h}x{w}", range_text, image, values)


class BlockCanvas(QWidget):
    """Paints the diagram; reports the value under the cursor."""

    #: text describing the map value under the cursor ("" when none)
    hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.top: list[Tile] = []
        self.bottom: list[Tile] = []
        self.ratio_lines: tuple[str, str] = ("", "")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(800, 520)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(400, 260)

    def set_tiles(self, top: list[Tile], bottom: list[Tile], ratio_lines: tuple[str, str]) -> None:
        self.top, self.bottom, self.ratio_lines = top, bottom, ratio_lines
        self.update()

    def _fonts(self) -> tuple[QFont, QFont]:
        bold = QFont(self.font())
        bold.setBold(True)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.85))
        return bold, small

    def geometry_now(self) -> DiagramGeometry | None:
        """The current layout, or None with nothing to show."""
        if not self.top or len(self.bottom) != 3:
            return None
        bold, small = self._fonts()
        caption = 2 * QFontMetrics(bold).height() + 2 * QFontMetrics(small).height() + 4
        h, w = self.top[-1].values.shape
        return diagram_geometry(self.width(), self.height(), len(self.top), h / max(w, 1), caption)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        geometry = self.geometry_now()
        text_colour = self.palette().text().color()
        if geometry is None:
            painter.setPen(text_colour)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Select a residual block or one of its layers in the tree."))
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bold, small = self._fonts()
        rects = [*geometry.top, *geometry.bottom]
        for tile, rect in zip([*self.top, *self.bottom], rects, strict=True):
            self._paint_tile(painter, tile, rect, geometry.caption_height, bold, small, text_colour)
        pen = QPen(text_colour, 1.5)
        painter.setPen(pen)
        top, (shortcut, total, output) = geometry.top, geometry.bottom
        for a, b in zip(top, top[1:], strict=False):
            y = a.center().y()
            _arrow(painter, [QPointF(a.right() + 2, y), QPointF(b.left() - 2, y)])
        # x feeds the shortcut; F(x) comes down to the sum
        x_bottom = QPointF(top[0].center().x(), top[0].bottom() + 2)
        _arrow(painter, [x_bottom, QPointF(x_bottom.x(), shortcut.top() - geometry.caption_height - 2)])
        plus, radius = geometry.plus, 11.0
        lane = top[0].bottom() + ROW_GAP / 2
        f_bottom = QPointF(top[-1].center().x(), top[-1].bottom() + 2)
        _arrow(painter, [f_bottom, QPointF(f_bottom.x(), lane), QPointF(plus.x(), lane), QPointF(plus.x(), plus.y() - radius - 2)])
        painter.drawEllipse(plus, radius, radius)
        painter.drawLine(QPointF(plus.x() - 6, plus.y()), QPointF(plus.x() + 6, plus.y()))
        painter.drawLine(QPointF(plus.x(), plus.y() - 6), QPointF(plus.x(), plus.y() + 6))
        _arrow(painter, [QPointF(shortcut.right() + 2, plus.y()), QPointF(plus.x() - radius - 2, plus.y())])
        _arrow(painter, [QPointF(plus.x() + radius + 2, plus.y()), QPointF(total.left() - 2, plus.y())])
        _arrow(painter, [QPointF(total.right() + 2, plus.y()), QPointF(output.left() - 2, plus.y())])
        painter.setFont(bold)
        painter.drawText(QRectF(total.right(), plus.y() - 22, output.left() - total.right(), 18), Qt.AlignmentFlag.AlignCenter, "ReLU")
        painter.drawText(QRectF(f_bottom.x() + 4, top[-1].bottom() + 2, 80, ROW_GAP / 2), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, "F(x)")
        middle = QRectF(shortcut.right() + 4, plus.y() - 60, plus.x() - radius - shortcut.right() - 8, 56)
        painter.drawText(middle, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom | Qt.TextFlag.TextWordWrap, self.ratio_lines[0])
        painter.setFont(small)
        painter.drawText(middle.translated(0, 64), Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap, self.ratio_lines[1])

    @staticmethod
    def _paint_tile(painter: QPainter, tile: Tile, rect: QRectF, caption: float, bold: QFont, small: QFont, colour: QColor) -> None:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(rect, tile.image)
        painter.setPen(QPen(QColor("#606060"), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))
        # captions may spill into the arrow gaps: short maps still get readable titles
        text_rect = QRectF(rect.left() - ARROW_GAP / 2 + 1, rect.top() - caption, rect.width() + ARROW_GAP - 2, caption)
        small_h = QFontMetrics(small).height()
        painter.setPen(colour)
        painter.setFont(bold)
        painter.drawText(text_rect.adjusted(0, 0, 0, -2 * small_h - 2), Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom | Qt.TextFlag.TextWordWrap, tile.title)
        painter.setFont(small)
        for line, text in enumerate((tile.shape_text, tile.range_text)):
            painter.drawText(QRectF(text_rect.left(), rect.top() - (2 - line) * small_h - 2, text_rect.width(), small_h), Qt.AlignmentFlag.AlignCenter, text)

    def tile_at(self, point: QPointF) -> tuple[Tile, int, int] | None:
        """(tile, row, col) of the map pixel under a widget position."""
        geometry = self.geometry_now()
        if geometry is None:
            return None
        for tile, rect in zip([*self.top, *self.bottom], [*geometry.top, *geometry.bottom], strict=True):
            if rect.contains(point):
                h, w = tile.values.shape
                row = min(h - 1, int((point.y() - rect.top()) / rect.height() * h))
                col = min(w - 1, int((point.x() - rect.left()) / rect.width() * w))
                return tile, row, col
        return None

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt override
        hit = self.tile_at(event.position())
        if hit is None:
            self.hovered.emit("")
            return
        tile, row, col = hit
        self.hovered.emit(self.tr("{0}: row {1}, column {2} = {3:.4g}").format(tile.title, row, col, float(tile.values[row, col])))


def _arrow(painter: QPainter, points: list[QPointF]) -> None:
    """A polyline ending in an arrowhead."""
    if len(points) < 2 or _length(points[-2], points[-1]) < 4:
        return
    path = QPainterPath(points[0])
    for point in points[1:]:
        path.lineTo(point)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    a, b = points[-2], points[-1]
    angle = math.atan2(b.y() - a.y(), b.x() - a.x())
    head = [QPointF(b.x() - 7 * math.cos(angle + s), b.y() - 7 * math.sin(angle + s)) for s in (0.45, -0.45)]
    painter.setBrush(painter.pen().color())
    painter.drawPolygon([b, *head])
    painter.setBrush(Qt.BrushStyle.NoBrush)


def _length(a: QPointF, b: QPointF) -> float:
    return math.hypot(b.x() - a.x(), b.y() - a.y())


class BlockDissection(QWidget):
    """The channel choice, the norm ratio, the diagram and a read-out of the value under the cursor.

    The channel box only reports a choice (:attr:`channel_changed`); the page shows the channel
    it settles on with :meth:`set_channel`.
    """

    #: the channel the user picked in the box
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
        self.canvas = BlockCanvas()
        self.readout = QLabel(" ")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(bar)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.readout)
        self.data: BlockData | None = None
        self.channel.valueChanged.connect(self.channel_changed)
        self.canvas.hovered.connect(lambda text: self.readout.setText(text or " "))

    def set_data(self, data: BlockData | None) -> None:
        """Show a residual block (None: none); its channel comes with :meth:`set_channel`."""
        self.data = data
        if data is None:
            self.ratio.setText("")
            self.canvas.set_tiles([], [], ("", ""))
            return
        self.title.setText(self.tr("<b>{0}</b>: output = ReLU(F(x) + shortcut(x)), one channel. Top: x and the residual "
                                   "branch F step by step; bottom: the shortcut and the sum.").format(data.name))
        with signals_blocked(self.channel):
            self.channel.setRange(0, data.output.maps.shape[0] - 1)

    def set_channel(self, channel: int) -> None:
        """Show a channel (wrapped around the block's output channels) without reporting it back."""
        if self.data is None:
            return
        with signals_blocked(self.channel):
            self.channel.setValue(channel % self.data.output.maps.shape[0])
        self._refresh()

    def panels(self) -> list[Panel]:
        return [] if self.data is None else list(self.data.panels())

    def _refresh(self) -> None:
        d = self.data
        if d is None:
            return
        c = self.channel.value()
        top = [_tile(panel, c) for panel in (d.x, *d.steps, d.residual)]
        bottom = [_tile(panel, c) for panel in (d.shortcut, d.total, d.output)]
        channel_ratio = d.channel_norm_ratio(c)
        self.canvas.set_tiles(top, bottom, (
            self.tr("\u2016F(x)\u2016 / \u2016shortcut\u2016\n= {0:.3f}").format(channel_ratio),
            self.tr("channel {0}; {1:.3f} over all channels").format(c, d.norm_ratio),
        ))
        self.ratio.setText(
            self.tr("||F(x)|| / ||shortcut(x)|| = <b>{0:.3f}</b> over all channels, {1:.3f} for channel {2}. "
                    "Small: the block stays close to the identity.").format(d.norm_ratio, channel_ratio, c)
        )
