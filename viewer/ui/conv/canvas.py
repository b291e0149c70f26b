"""The lab's two pictures: the padded input with its sliding window, and the output filling in.

Drawing one step must cost O(kernel area), not O(image), so that a 512x512 photo animates as
smoothly as the 5x5 example. Both images are therefore set once per settings change; a step
only moves a few overlay items: the window's and the current output cell's highlights (see
:class:`Highlight`), the dilated taps, and two grey "not computed yet" rectangles that cover
the rest of the current output row and every row below it (raster order makes the pending
cells exactly that union).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QStyleOptionGraphicsItem,
)

from viewer.core.conv import ConvStep, ConvSteps, format_number

#: Grids up to this many cells per side get their numbers written in the cells.
NUMBERS_UP_TO = 16
_PENDING = QColor(232, 232, 232)
_WINDOW = QColor(230, 30, 30)
_FED = QColor(255, 170, 0)


#: Below this many screen pixels a highlighted rectangle also gets a ring of this diameter.
RING_PX = 28
#: Below this many screen pixels it also gets guide lines (above, they would only cross numbers).
GUIDES_PX = 48


def _cosmetic(color: QColor, width: float) -> QPen:
    pen = QPen(color, width)
    pen.setCosmetic(True)  # width in screen pixels, whatever the zoom
    return pen


def _rect_item(pen: QPen, brush: QBrush | None = None, z: float = 10) -> QGraphicsRectItem:
    item = QGraphicsRectItem()
    pen.setCosmetic(True)
    item.setPen(pen)
    item.setBrush(brush or QBrush(Qt.BrushStyle.NoBrush))
    item.setZValue(z)
    return item


#: Cells smaller than this on screen (pixels) get no number: it could not be read.
MIN_NUMBER_CELL_PX = 14
_NUMBER_BACKGROUND = QColor(255, 255, 255, 190)


class NumberLayer(QGraphicsItem):
    """Every cell's value written in the cell, as ONE scene item.

    One ``pg.TextItem`` per cell cost ~1 ms each to create and to remove, so a 16x16 grid (a
    ResNet feature map with padding) stalled the GUI for half a second at every change. This
    item keeps the strings and draws only the exposed cells, in screen pixels (the text keeps
    its size whatever the zoom, like TextItem).
    """

    def __init__(self, z: float) -> None:
        super().__init__()
        self.setZValue(z)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self._texts: list[list[str]] = []
        self._rect = QRectF()
        self._font = QFont()

    def set_values(self, values: np.ndarray | None) -> None:
        """Write ``values`` (rows, cols), or nothing with None."""
        self.prepareGeometryChange()
        if values is None:
            self._texts, self._rect = [], QRectF()
        else:
            self._texts = [[format_number(float(v), 2) for v in row] for row in values.tolist()]
            self._rect = QRectF(0, 0, values.shape[1], values.shape[0])
        self.update()

    def texts(self) -> list[list[str]]:
        return self._texts

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._rect

    def paint(self, painter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        if not self._texts:
            return
        transform = painter.transform()
        cell_w = math.hypot(transform.m11(), transform.m12())
        cell_h = math.hypot(transform.m21(), transform.m22())
        if min(cell_w, cell_h) < MIN_NUMBER_CELL_PX:
            return
        exposed = option.exposedRect if option is not None else self._rect
        rows, cols = len(self._texts), len(self._texts[0])
        r0, r1 = max(0, math.floor(exposed.top())), min(rows, math.ceil(exposed.bottom()))
        c0, c1 = max(0, math.floor(exposed.left())), min(cols, math.ceil(exposed.right()))
        self._font.setPixelSize(max(7, min(13, round(min(cell_w / 3.2, cell_h / 2)))))
        metrics = QFontMetricsF(self._font)
        painter.save()
        painter.resetTransform()
        painter.setFont(self._font)
        painter.setPen(QColor(0, 0, 0))
        for r in range(r0, r1):
            for c in range(c0, c1):
                text = self._texts[r][c]
                centre = transform.map(QPointF(c + 0.5, r + 0.5))
                w, h = metrics.horizontalAdvance(text) + 4, metrics.height()
                box = QRectF(centre.x() - w / 2, centre.y() - h / 2, w, h)
                painter.fillRect(box, _NUMBER_BACKGROUND)
                painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()


class Highlight:
    """One rectangle of a view (the window, the output cell) made impossible to miss at any zoom.

    On a 512x512 photo a 3x3 window is a dot smaller than its own outline. So, besides a thick
    red outline over a white halo (visible on dark and on red pixels), thin guide lines run
    from the picture's four edges to the rectangle, and while the rectangle is smaller on screen
    than :data:`RING_PX` a ring of that size circles it. Both only appear while the rectangle is
    small on screen: on the 5x5 example they would just cross the numbers. Moving it costs O(1).
    """

    def __init__(self, view: pg.ViewBox) -> None:
        self._view = view
        self._shown = False
        self._rect = QRectF()
        self.halo = _rect_item(QPen(QColor(255, 255, 255, 230), 7), z=19)
        self.outline = _rect_item(QPen(_WINDOW, 3), z=20)
        self.guides = QGraphicsPathItem()
        self.guides.setPen(_cosmetic(QColor(_WINDOW.red(), _WINDOW.green(), _WINDOW.blue(), 190), 1.5))
        self.guides.setZValue(17)
        self.ring = QGraphicsEllipseItem(-RING_PX / 2, -RING_PX / 2, RING_PX, RING_PX)
        self.ring.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)  # always RING_PX on screen
        self.ring.setPen(QPen(_WINDOW, 3))
        self.ring.setZValue(21)
        for item in (self.halo, self.outline, self.guides, self.ring):
            view.addItem(item)
        self.hide()
        view.sigTransformChanged.connect(self._update_ring)

    def show(self, rect: QRectF, bounds: QRectF) -> None:
        """Highlight ``rect`` (view coordinates) inside the picture ``bounds``."""
        self._shown, self._rect = True, rect
        self.halo.setRect(rect)
        self.outline.setRect(rect)
        centre = rect.center()
        path = QPainterPath()
        for start, end in (((bounds.left(), centre.y()), (rect.left(), centre.y())),
                           ((rect.right(), centre.y()), (bounds.right(), centre.y())),
                           ((centre.x(), bounds.top()), (centre.x(), rect.top())),
                           ((centre.x(), rect.bottom()), (centre.x(), bounds.bottom()))):
            path.moveTo(*start)
            path.lineTo(*end)
        self.guides.setPath(path)
        self.ring.setPos(centre)
        self.halo.setVisible(True)
        self.outline.setVisible(True)
        self._update_ring()

    def hide(self) -> None:
        self._shown = False
        for item in (self.halo, self.outline, self.guides, self.ring):
            item.setVisible(False)

    def ring_shown(self) -> bool:
        return self.ring.isVisible()

    def guides_shown(self) -> bool:
        return self.guides.isVisible()

    def _update_ring(self, *_args) -> None:
        """Ring and guides follow the on-screen size (a zoom changes it too)."""
        pixel_w, pixel_h = self._view.viewPixelSize()  # view units per screen pixel
        on_screen = min(self._rect.width() / pixel_w if pixel_w > 0 else 0.0,
                        self._rect.height() / pixel_h if pixel_h > 0 else 0.0)
        self.ring.setVisible(self._shown and on_screen < RING_PX)
        self.guides.setVisible(self._shown and on_screen < GUIDES_PX)


class ConvCanvas(pg.GraphicsLayoutWidget):
    """Input (left) and output (right) views; emits the cell under the mouse."""

    #: Output cell (row, col) under the mouse; (-1, -1) when it leaves the output.
    output_hovered = Signal(int, int)
    output_clicked = Signal(int, int)
    #: Padded-input cell (row, col) under the mouse; (-1, -1) when it leaves the input.
    input_hovered = Signal(int, int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setBackground("w")
        self._titles = (self.addLabel("", row=0, col=0), self.addLabel("", row=0, col=1))
        self.input_view = self.addViewBox(row=1, col=0, lockAspect=True, invertY=True, enableMenu=False)
        self.output_view = self.addViewBox(row=1, col=1, lockAspect=True, invertY=True, enableMenu=False)
        self.input_image = pg.ImageItem(axisOrder="row-major")
        self.output_image = pg.ImageItem(axisOrder="row-major")
        self.input_view.addItem(self.input_image)
        self.output_view.addItem(self.output_image)

        self._inner = _rect_item(QPen(QColor(40, 80, 190), 2), z=5)
        self._pending = [_rect_item(QPen(Qt.PenStyle.NoPen), QBrush(_PENDING), z=15) for _ in range(2)]
        self._fed = QGraphicsPathItem()
        self._fed.setPen(QPen(QColor(0, 0, 0, 0)))
        self._fed.setBrush(QBrush(QColor(_FED.red(), _FED.green(), _FED.blue(), 150)))
        self._fed.setZValue(18)
        self._hover_input = _rect_item(QPen(_FED, 2), z=19)
        self._taps = pg.ScatterPlotItem(pen=pg.mkPen(_WINDOW, width=2), brush=None, symbol="o", size=9)
        self._taps.setZValue(21)
        self.input_view.addItem(self._inner)
        self.input_view.addItem(self._hover_input)
        self.input_view.addItem(self._taps)
        self.output_view.addItem(self._fed)
        for item in self._pending:
            self.output_view.addItem(item)
        self.window_highlight = Highlight(self.input_view)
        self.cell_highlight = Highlight(self.output_view)
        self.input_numbers, self.output_numbers = NumberLayer(z=8), NumberLayer(z=12)
        self.input_view.addItem(self.input_numbers, ignoreBounds=True)
        self.output_view.addItem(self.output_numbers, ignoreBounds=True)
        self._steps: ConvSteps | None = None
        self._last_hover: tuple[str, int, int] | None = None
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)

    # -- settings change: O(image), once -------------------------------------------------
    def set_titles(self, input_title: str, output_title: str) -> None:
        self._titles[0].setText(input_title, size="11pt")
        self._titles[1].setText(output_title, size="11pt")

    def set_steps(self, steps: ConvSteps, input_rgb: np.ndarray, channel: int, lut: np.ndarray,
                  levels: tuple[float, float]) -> None:
        """Show a new computation: the padded input, the full output (covered until computed)."""
        self._steps = steps
        g = steps.geometry
        self.input_image.setImage(np.ascontiguousarray(input_rgb), autoLevels=False, levels=(0, 255))
        self.output_image.setImage(np.ascontiguousarray(steps.output, dtype=np.float32), autoLevels=False,
                                   levels=levels, lut=lut)
        (ph, pw), (h, w) = g.padding, g.input_hw
        self._inner.setRect(QRectF(pw, ph, w, h))
        hp, wp = g.padded_hw
        self._inner.setVisible((hp, wp) != (h, w))  # padding on any side (bottom/right only, too)
        self.set_input_channel(channel)
        ho, wo = g.output_hw
        self.output_numbers.set_values(steps.output if max(ho, wo) <= NUMBERS_UP_TO else None)
        self.input_view.setRange(QRectF(0, 0, wp, hp), padding=0.02)
        self.output_view.setRange(QRectF(0, 0, wo, ho), padding=0.02)
        self._fed.setPath(QPainterPath())
        self._hover_input.setVisible(False)

    def clear_steps(self) -> None:
        """Hide every overlay (an impossible setting has no steps to show).

        Not named ``clear``: GraphicsLayoutWidget sets ``self.clear`` to its layout's clear()
        on every instance, which would remove both views for good.
        """
        self._steps = None
        for item in (self._fed, self._hover_input, self._inner, *self._pending):
            item.setVisible(False)
        for image in (self.input_image, self.output_image):
            image.clear()
        for numbers in (self.input_numbers, self.output_numbers):
            numbers.set_values(None)
        self.set_titles("", "")
        self.window_highlight.hide()
        self.cell_highlight.hide()
        self._taps.setData([], [])

    def set_input_channel(self, channel: int, input_rgb: np.ndarray | None = None) -> None:
        """Numbers of another input channel (and its picture, when given): no recomputation."""
        if self._steps is None:
            return
        if input_rgb is not None:
            self.input_image.setImage(np.ascontiguousarray(input_rgb), autoLevels=False, levels=(0, 255))
        hp, wp = self._steps.geometry.padded_hw
        small = max(hp, wp) <= NUMBERS_UP_TO
        self.input_numbers.set_values(self._steps.padded_input[max(channel, 0)] if small else None)

    # -- one step: O(kernel area) ---------------------------------------------------------
    def show_step(self, step: ConvStep) -> None:
        """Move the window, the current cell and the pending covers to ``step``."""
        if self._steps is None:
            return
        g = self._steps.geometry
        top, left = step.window
        sh, sw = g.span_hw
        (hp, wp), (ho, wo) = g.padded_hw, g.output_hw
        self.window_highlight.show(QRectF(left, top, sw, sh), QRectF(0, 0, wp, hp))
        if g.dilation != (1, 1):
            rows, cols = g.tap_rows(step.out_pos[0]), g.tap_cols(step.out_pos[1])
            self._taps.setData([c + 0.5 for _ in rows for c in cols], [r + 0.5 for r in rows for _ in cols])
        elif self._taps.points().size:
            self._taps.setData([], [])
        row, col = step.out_pos
        self.cell_highlight.show(QRectF(col, row, 1, 1), QRectF(0, 0, wo, ho))
        rest_of_row, rows_below = self._pending
        rest_of_row.setRect(QRectF(col + 1, row, wo - col - 1, 1))
        rest_of_row.setVisible(col + 1 < wo)
        rows_below.setRect(QRectF(0, row + 1, wo, ho - row - 1))
        rows_below.setVisible(row + 1 < ho)

    def show_fed_cells(self, padded_cell: tuple[int, int], cells: list[tuple[int, int]]) -> None:
        """Outline an input cell and fill every output cell it feeds (one path item)."""
        path = QPainterPath()
        for r, c in cells:
            path.addRect(QRectF(c, r, 1, 1))
        self._fed.setPath(path)
        self._fed.setVisible(bool(cells))
        r, c = padded_cell
        self._hover_input.setRect(QRectF(c, r, 1, 1))
        self._hover_input.setVisible(r >= 0)

    # -- mouse ----------------------------------------------------------------------------
    def cell_at(self, view: pg.ViewBox, scene_pos: QPointF) -> tuple[int, int] | None:
        """(row, col) of the image cell under a scene position, or None outside the image."""
        if self._steps is None or not view.sceneBoundingRect().contains(scene_pos):
            return None
        point = view.mapSceneToView(scene_pos)
        row, col = math.floor(point.y()), math.floor(point.x())
        g = self._steps.geometry
        rows, cols = g.output_hw if view is self.output_view else g.padded_hw
        return (row, col) if 0 <= row < rows and 0 <= col < cols else None

    def scene_pos_of(self, view: pg.ViewBox, row: int, col: int) -> QPointF:
        """Centre of a cell in scene coordinates (tests use it to hover)."""
        return view.mapViewToScene(QPointF(col + 0.5, row + 0.5))

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        out = self.cell_at(self.output_view, scene_pos)
        inp = self.cell_at(self.input_view, scene_pos)
        key = ("out", *out) if out else ("in", *inp) if inp else None
        if key == self._last_hover:
            return
        previous, self._last_hover = self._last_hover, key
        if previous and previous[0] == "out" and not out:
            self.output_hovered.emit(-1, -1)
        if previous and previous[0] == "in" and not inp:
            self.input_hovered.emit(-1, -1)
        if out:
            self.output_hovered.emit(*out)
        elif inp:
            self.input_hovered.emit(*inp)

    def _on_mouse_clicked(self, event) -> None:
        out = self.cell_at(self.output_view, event.scenePos())
        if out:
            self.output_clicked.emit(*out)
