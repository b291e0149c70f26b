"""The lab's settings form: input source, kernel preset and size, stride, padding (per side, or the
bottom/right sides apart), dilation, bias.

The form only collects values (:meth:`ConvControls.values`) and says when they change; the page
hands them to its :class:`~viewer.models.conv_lab.ConvLabModel`, and shows the model's settings
back with :meth:`ConvControls.show_settings`. Every pair (rows, columns) has its own spin boxes,
so non-square kernels, strides, paddings and dilations are one click away.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import signals_blocked

from viewer.core.conv import COURSE_INPUT, FLOAT32_MAX, PADDING_MODES, format_number
from viewer.core.kernels import MAX_KERNEL_SIDE, PRESETS
from viewer.models.conv_lab import SOURCES, LabSettings
from viewer.ui.language import translated_sentence

#: Largest numeric matrix side the form offers.
MAX_MATRIX_SIDE = 12


def _cell_value(text: str) -> float | None:
    """The number typed in a matrix cell; None for text that is not a number float32 can hold
    (NaN, infinities, and 1e40, which float32 would turn into an infinity)."""
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value if abs(value) <= FLOAT32_MAX else None


def _spin(low: int, high: int, value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setKeyboardTracking(False)
    box.setMinimumWidth(52)
    return box


class ConvControls(QWidget):
    """Hyperparameters and input choice; emits :attr:`changed` after any edit."""

    changed = Signal()
    #: A course example (1 or 2) was asked for.
    example_requested = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.source = QComboBox()
        titles = (self.tr("Image: luminance"), self.tr("Image: red"), self.tr("Image: green"), self.tr("Image: blue"),
                  self.tr("Image: all three channels"), self.tr("Numeric matrix"), self.tr("Custom input"))
        for key, title in zip(SOURCES, titles, strict=True):
            self.source.addItem(title, key)
        self._custom_index = SOURCES.index("custom")
        self._set_custom_enabled(False)

        self.matrix_rows, self.matrix_cols = _spin(1, MAX_MATRIX_SIDE, 5), _spin(1, MAX_MATRIX_SIDE, 5)
        self.matrix = QTableWidget(5, 5)
        self.matrix.horizontalHeader().setDefaultSectionSize(34)
        self.matrix.horizontalHeader().setMinimumSectionSize(20)
        self.matrix.verticalHeader().setDefaultSectionSize(24)
        self.matrix.setMinimumHeight(150)
        self.matrix.setMinimumWidth(120)
        # Every cell ever typed, by (row, col): shrinking the matrix hides cells, growing it back
        # shows what was typed there again.
        self._typed: dict[tuple[int, int], str] = {}
        self._fill_matrix(COURSE_INPUT)
        self.example1 = QPushButton(self.tr("Course example 1 (stride 2 \u2192 2x2)"))
        self.example2 = QPushButton(self.tr("Course example 2 (padding \u2192 5x5)"))

        self.preset = QComboBox()
        for name, preset in PRESETS.items():
            self.preset.addItem(self.tr(preset.title), name)
            self.preset.setItemData(self.preset.count() - 1, self.tr(preset.description), Qt.ItemDataRole.ToolTipRole)
        self.preset.setCurrentIndex(list(PRESETS).index("sobel_x"))
        self.kh, self.kw = _spin(1, MAX_KERNEL_SIDE, 3), _spin(1, MAX_KERNEL_SIDE, 3)
        self.sh, self.sw = _spin(1, 16, 1), _spin(1, 16, 1)
        self.ph, self.pw = _spin(0, 16, 0), _spin(0, 16, 0)
        # Padding given per side: MindSpore's "same" padding puts the odd cell bottom/right.
        self.asymmetric = QCheckBox(self.tr("Other padding bottom/right"))
        self.asymmetric.setToolTip(self.tr("Pad the bottom and right sides by other amounts than the top and left, "
                                      "as MindSpore's pad_mode=\"same\" does when the padding is odd"))
        self.eh, self.ew = _spin(0, 16, 0), _spin(0, 16, 0)
        self.dh, self.dw = _spin(1, 8, 1), _spin(1, 8, 1)
        self.padding_mode = QComboBox()
        mode_titles = {"zeros": self.tr("zeros"), "reflect": self.tr("reflect"), "replicate": self.tr("replicate"),
                       "circular": self.tr("circular")}
        for mode in PADDING_MODES:
            self.padding_mode.addItem(mode_titles[mode], mode)
        self.bias = QDoubleSpinBox()
        self.bias.setRange(-1000, 1000)
        self.bias.setDecimals(2)
        self.bias.setSingleStep(0.1)
        self.bias.setKeyboardTracking(False)

        # One grid for the whole form: labels in column 0, the (rows, columns) pairs side by side
        # in columns 1 and 2 under one header, so the panel stays ~300 px wide.
        form = QGridLayout()
        form.setColumnStretch(1, 1)
        form.setColumnStretch(2, 1)
        self._add_row(form, self.tr("Input"), self.source)
        self.matrix_box = QWidget()
        matrix_layout = QGridLayout(self.matrix_box)
        matrix_layout.setContentsMargins(0, 0, 0, 0)
        for col, (text, box) in enumerate(((self.tr("rows"), self.matrix_rows), (self.tr("cols"), self.matrix_cols))):
            matrix_layout.addWidget(QLabel(text), 0, 2 * col)
            matrix_layout.addWidget(box, 0, 2 * col + 1)
        matrix_layout.addWidget(self.matrix, 1, 0, 1, 4)
        self._add_row(form, None, self.matrix_box)
        self._add_row(form, None, self.example1)
        self._add_row(form, None, self.example2)
        self._add_row(form, self.tr("Kernel"), self.preset)
        row = form.rowCount()
        for col, text in ((1, self.tr("rows (h)")), (2, self.tr("columns (w)"))):
            header = QLabel(text)
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            header.setStyleSheet("color: #555;")
            form.addWidget(header, row, col)
        self.padding_label = QLabel(self.tr("Padding per side"))
        self.padding_end_label = QLabel(self.tr("Padding bottom, right"))
        for title, a, b in ((self.tr("Kernel size"), self.kh, self.kw), (self.tr("Stride"), self.sh, self.sw),
                            (self.padding_label, self.ph, self.pw), (None, None, None),
                            (self.padding_end_label, self.eh, self.ew), (self.tr("Dilation"), self.dh, self.dw)):
            if title is None:
                self._add_row(form, None, self.asymmetric)
                continue
            row = form.rowCount()
            form.addWidget(title if isinstance(title, QLabel) else QLabel(title), row, 0)
            form.addWidget(a, row, 1)
            form.addWidget(b, row, 2)
        self._add_row(form, self.tr("Padding mode"), self.padding_mode)
        self._add_row(form, self.tr("Bias"), self.bias)
        self.formula = QLabel()
        self.formula.setTextFormat(Qt.TextFormat.RichText)
        self.formula.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.formula)
        layout.addWidget(self.error)
        layout.addStretch(1)

        for box in (self.kh, self.kw, self.sh, self.sw, self.ph, self.pw, self.eh, self.ew, self.dh, self.dw):
            box.valueChanged.connect(self.changed)
        self.asymmetric.toggled.connect(self._on_asymmetric)
        self.bias.valueChanged.connect(self.changed)
        for combo in (self.source, self.preset, self.padding_mode):
            combo.currentIndexChanged.connect(self.changed)
        self.matrix.itemChanged.connect(self._on_matrix_item)
        self.matrix_rows.valueChanged.connect(self._resize_matrix)
        self.matrix_cols.valueChanged.connect(self._resize_matrix)
        self.example1.clicked.connect(lambda: self.example_requested.emit(1))
        self.example2.clicked.connect(lambda: self.example_requested.emit(2))
        self.source.currentIndexChanged.connect(self._update_visibility)
        self._update_visibility()

    @staticmethod
    def _add_row(form: QGridLayout, label: str | None, field: QWidget) -> None:
        """A labelled field spanning both value columns (or the whole width without a label)."""
        row = form.rowCount()
        if label is None:
            form.addWidget(field, row, 0, 1, 3)
        else:
            form.addWidget(QLabel(label), row, 0)
            form.addWidget(field, row, 1, 1, 2)

    def _set_custom_enabled(self, enabled: bool) -> None:
        self.source.model().item(self._custom_index).setEnabled(enabled)

    def _update_visibility(self) -> None:
        self.matrix_box.setVisible(self.source.currentData() == "matrix")
        asymmetric = self.asymmetric.isChecked()
        for widget in (self.padding_end_label, self.eh, self.ew):
            widget.setVisible(asymmetric)
        self.padding_label.setText(self.tr("Padding top, left") if asymmetric else self.tr("Padding per side"))

    def _on_asymmetric(self, checked: bool) -> None:
        if checked:  # start from the symmetric padding: the student then edits one side
            with signals_blocked(self.eh, self.ew):
                self.eh.setValue(self.ph.value())
                self.ew.setValue(self.pw.value())
        self._update_visibility()
        self.changed.emit()

    def _fill_matrix(self, values: np.ndarray) -> None:
        """A new matrix (an example): replaces everything typed before."""
        self._typed = {(r, c): format_number(float(v), 3) for (r, c), v in np.ndenumerate(values)}
        self._show_typed(*values.shape)

    def _show_typed(self, rows: int, cols: int) -> None:
        with signals_blocked(self.matrix):
            self.matrix.setRowCount(rows)
            self.matrix.setColumnCount(cols)
            for r in range(rows):
                for c in range(cols):
                    item = QTableWidgetItem(self._typed.get((r, c), "0"))
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    self.matrix.setItem(r, c, item)
                    self._mark(item)

    def _mark(self, item: QTableWidgetItem) -> None:
        """Unreadable cells in red with a tooltip (they count as 0)."""
        if _cell_value(item.text()) is not None:
            item.setForeground(self.palette().text())
            item.setToolTip("")
        else:
            item.setForeground(Qt.GlobalColor.red)
            item.setToolTip(self.tr("Not a number float32 can hold (at most about ±3.4e38): counted as 0."))

    def matrix_values(self) -> np.ndarray:
        """The numeric matrix; unreadable cells count as 0 (they are shown in red)."""
        values = np.zeros((self.matrix.rowCount(), self.matrix.columnCount()), np.float32)
        for (r, c), _ in np.ndenumerate(values):
            item = self.matrix.item(r, c)
            values[r, c] = (_cell_value(item.text()) if item else None) or 0.0
        return values

    def _on_matrix_item(self, item: QTableWidgetItem) -> None:
        self._typed[(item.row(), item.column())] = item.text()
        with signals_blocked(self.matrix):  # the colour change would call us again
            self._mark(item)
        self.changed.emit()

    def _resize_matrix(self) -> None:
        self._show_typed(self.matrix_rows.value(), self.matrix_cols.value())
        self.changed.emit()

    def values(self) -> LabSettings:
        return LabSettings(
            source=self.source.currentData(), matrix=self.matrix_values(), preset=self.preset.currentData(),
            kernel_hw=(self.kh.value(), self.kw.value()), stride=(self.sh.value(), self.sw.value()),
            padding=(self.ph.value(), self.pw.value()), dilation=(self.dh.value(), self.dw.value()),
            padding_mode=self.padding_mode.currentData(), bias=self.bias.value(),
            padding_end=(self.eh.value(), self.ew.value()) if self.asymmetric.isChecked() else None,
        )

    def show_settings(self, settings: LabSettings, custom_available: bool) -> None:
        """Show the model's settings without emitting :attr:`changed` (model -> view, no echo).

        The matrix is refilled only when the model holds other numbers than the table (a course
        example was loaded): the text typed in it, unreadable cells included, stays as it is.
        ``custom_available`` enables the "Custom input" source (a setup was sent by another page).
        """
        with signals_blocked(self.source, self.preset, self.padding_mode, self.bias, self.kh, self.kw, self.sh,
                             self.sw, self.ph, self.pw, self.eh, self.ew, self.asymmetric, self.dh, self.dw,
                             self.matrix_rows, self.matrix_cols):
            self._set_custom_enabled(custom_available)
            self.source.setCurrentIndex(SOURCES.index(settings.source))
            self.preset.setCurrentIndex(list(PRESETS).index(settings.preset))
            if not np.array_equal(settings.matrix, self.matrix_values()):
                self.matrix_rows.setValue(settings.matrix.shape[0])
                self.matrix_cols.setValue(settings.matrix.shape[1])
                self._fill_matrix(settings.matrix)
            self.padding_mode.setCurrentIndex(PADDING_MODES.index(settings.padding_mode))
            self.bias.setValue(settings.bias)
            end = settings.padding_end
            self.asymmetric.setChecked(end is not None)
            for (a, b), pair in (((self.kh, self.kw), settings.kernel_hw), ((self.sh, self.sw), settings.stride),
                                 ((self.ph, self.pw), settings.padding), ((self.eh, self.ew), end or settings.padding),
                                 ((self.dh, self.dw), settings.dilation)):
                a.setValue(int(pair[0]))
                b.setValue(int(pair[1]))
        self._update_visibility()

    def set_error(self, text: str) -> None:
        """An inline explanation of an impossible setting ("" hides it), in the UI's language."""
        self.error.setText(translated_sentence(text))
        self.error.setVisible(bool(text))
