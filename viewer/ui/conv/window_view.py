"""The zoomed window: input values under the kernel, the kernel (editable), their products, the sum.

Three small grids with real numbers, however large the image is: this is where a student reads
``x * k`` cell by cell and then the sum ``sum(x*k) + b = y``. Only the kernel grid is editable;
an edit is forwarded as :attr:`WindowView.kernel_edited`, for the page's model.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import signals_blocked

from viewer.core.conv import FLOAT32_MAX, ConvStep, format_number


def _cell_size(k: int) -> int:
    """Pixels per grid cell: roomy for 3x3, small enough that three 11x11 grids fit ~800 px."""
    return max(22, min(48, 200 // max(k, 1)))


@lru_cache(maxsize=512)
def _tint(positive: bool, level: int) -> QBrush:
    """Red for positive, blue for negative; paler when ``level`` is near 255 (one brush each)."""
    return QBrush(QColor(255, level, level) if positive else QColor(level, level, 255))


class NumberGrid(QTableWidget):
    """A kh x kw grid of numbers, each cell tinted by its sign and size."""

    def __init__(self, editable: bool, parent=None) -> None:
        super().__init__(parent)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection if editable
                              else QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers if editable
                             else QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if editable else Qt.FocusPolicy.NoFocus)
        for header in (self.horizontalHeader(), self.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            header.setMinimumSectionSize(1)  # the style's minimum (~24 px) would clip 11x11 grids

    def set_shape(self, rows: int, cols: int) -> None:
        if (rows, cols) == (self.rowCount(), self.columnCount()):
            return
        size = _cell_size(max(rows, cols))
        with signals_blocked(self):
            self.setRowCount(rows)
            self.setColumnCount(cols)
            font = QFont(self.font())
            font.setPointSizeF(10 if size >= 44 else 8 if size >= 34 else 7)
            for r in range(rows):
                self.setRowHeight(r, size)
            for c in range(cols):
                self.setColumnWidth(c, size)
            for r in range(rows):
                for c in range(cols):
                    item = QTableWidgetItem()
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    item.setFont(font)
                    self.setItem(r, c, item)
        self.setFixedSize(cols * size + 2 * self.frameWidth(), rows * size + 2 * self.frameWidth())

    def set_values(self, values: np.ndarray, scale: float) -> None:
        """Write the numbers; tint red for positive, blue for negative (strength ~ |v| / scale)."""
        self.set_shape(*values.shape)
        digits = 2 if _cell_size(max(values.shape)) >= 34 else 1
        cols = values.shape[1]
        flat = values.ravel().tolist()
        strengths = np.minimum(1.0, np.abs(values.ravel()) / scale).tolist() if scale > 0 else [0.0] * len(flat)
        with signals_blocked(self):
            for i, (v, strength) in enumerate(zip(flat, strengths, strict=True)):
                item = self.item(i // cols, i % cols)
                item.setText(format_number(v, digits))
                item.setBackground(_tint(v > 0, int(255 - 110 * strength)))


class WindowView(QWidget):
    """Window values, kernel and products side by side, and the sum written out."""

    #: (channel, row, col, new value) typed into the kernel grid.
    kernel_edited = Signal(int, int, int, float)
    #: Text typed into the kernel grid that is not a number.
    kernel_rejected = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.patch_grid = NumberGrid(False)
        self.kernel_grid = NumberGrid(True)
        self.products_grid = NumberGrid(False)
        self._titles = [QLabel() for _ in range(3)]
        grids = QGridLayout()
        for col, (title, grid) in enumerate(zip(self._titles, (self.patch_grid, self.kernel_grid, self.products_grid),
                                                strict=True)):
            title.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grids.addWidget(title, 0, 2 * col)
            grids.addWidget(grid, 1, 2 * col, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
            if col < 2:
                sign = QLabel("\u00d7" if col == 0 else "=")
                sign.setStyleSheet("font-size: 18pt;")
                grids.addWidget(sign, 1, 2 * col + 1, Qt.AlignmentFlag.AlignCenter)
        grids.setColumnStretch(6, 1)
        self.sum_label = QLabel()
        self.sum_label.setWordWrap(True)
        self.sum_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sum_label.setStyleSheet("font-size: 12pt;")
        self.sum_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # As tall as the grids and the sum need, never more: the pictures above take the rest.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grids)
        layout.addWidget(self.sum_label)
        self._channel = 0
        self._kernel = np.zeros((1, 1, 1), np.float32)
        self.set_channel_note("")
        self.kernel_grid.itemChanged.connect(self._on_kernel_item_changed)

    def set_channel_note(self, note: str) -> None:
        """Titles, with e.g. "channel 3 of 64" when the input has several channels."""
        suffix = f" ({note})" if note else ""
        self._titles[0].setText(self.tr("Window x") + suffix)
        self._titles[1].setText(self.tr("Kernel k (editable)") + suffix)
        self._titles[2].setText(self.tr("Products x\u00b7k") + suffix)

    def set_kernel(self, kernel: np.ndarray, channel: int) -> None:
        """Show channel ``channel`` of a (C, kh, kw) kernel in the editable grid."""
        self._kernel, self._channel = kernel, channel
        self.kernel_grid.set_values(kernel[channel], float(np.abs(kernel[channel]).max()))

    def show_step(self, step: ConvStep, sum_text: str) -> None:
        """The window's values and products for the displayed channel, and the sum."""
        patch, products = step.patch[self._channel], step.products[self._channel]
        self.patch_grid.set_values(patch, float(np.abs(patch).max()) or 1.0)
        self.products_grid.set_values(products, float(np.abs(products).max()) or 1.0)
        self.sum_label.setText(sum_text)

    def clear_step(self) -> None:
        for grid in (self.patch_grid, self.products_grid):
            grid.setRowCount(0)
            grid.setColumnCount(0)
        self.sum_label.setText("")

    def _on_kernel_item_changed(self, item: QTableWidgetItem) -> None:
        text = item.text().strip().replace(",", ".")
        try:
            value = float(text)
            if not abs(value) <= FLOAT32_MAX:  # NaN, infinities, and what float32 cannot hold
                raise ValueError
        except ValueError:
            self.kernel_rejected.emit(self.tr("'{0}' is not a number; the kernel keeps its old value.").format(text))
            self.set_kernel(self._kernel, self._channel)
            return
        self.kernel_edited.emit(self._channel, item.row(), item.column(), value)
