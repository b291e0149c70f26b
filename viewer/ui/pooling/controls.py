"""The pooling lab's controls column: the map, the window, stochastic pooling, presets, export.

The column reads its widgets into :class:`~viewer.models.pooling_lab.PoolingLabSettings`
(:meth:`PoolingControls.values`) and writes a model's settings back into them without a
signal (:meth:`PoolingControls.show_settings`); what the settings mean is the model's business.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import signals_blocked

from viewer.core import colormaps
from viewer.core.geometry import OutputSizeTerms
from viewer.core.images import PLANES
from viewer.models.pooling_lab import FEATURE_SOURCE, LIMITS, PoolingLabSettings

#: Width of the controls column: with the four map columns it fits a 1200 px window.
SIDE_WIDTH = 300


class PoolingControls(QWidget):
    """Every control of the lab, and the labels that explain the current settings."""

    #: A setting's control was changed by the user: read :meth:`values`.
    settings_edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedWidth(SIDE_WIDTH)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        for group in (self._input_group(), self._window_group(), self._stochastic_group(), self._presets_group()):
            column.addWidget(group)
        self.png_button = QPushButton(self.tr("Export PNG\u2026"))
        self.gif_button = QPushButton(self.tr("Export GIF\u2026"))
        row = QHBoxLayout()
        row.addWidget(self.png_button)
        row.addWidget(self.gif_button)
        column.addLayout(row)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #d04040; font-weight: bold;")
        self.message_label.hide()
        column.addWidget(self.message_label)
        column.addStretch(1)
        for spin in (self.kernel_spin, self.stride_spin, self.padding_spin, self.seed_spin, self.samples_spin):
            spin.valueChanged.connect(self._edited)
        # train_radio alone: its partner's toggle is the same change
        for check in (self.relu_check, self.average_check, self.train_radio):
            check.toggled.connect(self._edited)
        for box in (self.source_box, self.colormap_box):
            box.currentIndexChanged.connect(self._edited)

    def _edited(self, _value: object) -> None:
        self.settings_edited.emit()

    # -- construction ------------------------------------------------------------------------
    def _input_group(self) -> QGroupBox:
        self.source_box = QComboBox()
        titles = (self.tr("Luminance"), self.tr("Red"), self.tr("Green"), self.tr("Blue"))
        for name, title in zip(PLANES, titles, strict=True):
            self.source_box.addItem(title, name)
        self.relu_check = QCheckBox(self.tr("ReLU it: max(0, x)"))
        self.relu_check.setToolTip(self.tr("The map has negative values; stochastic pooling needs ReLU first."))
        self.relu_check.hide()
        self.colormap_box = QComboBox()
        self.colormap_box.addItems(list(colormaps.CHOICES))
        self.colormap_box.setCurrentText(colormaps.GRAY)
        group = QGroupBox(self.tr("Input"))
        form = QFormLayout(group)
        form.addRow(self.tr("Map"), self.source_box)
        form.addRow(self.relu_check)
        form.addRow(self.tr("Colormap"), self.colormap_box)
        return group

    def _window_group(self) -> QGroupBox:
        self.kernel_spin, self.stride_spin, self.padding_spin = QSpinBox(), QSpinBox(), QSpinBox()
        for spin, name in ((self.kernel_spin, "kernel"), (self.stride_spin, "stride"), (self.padding_spin, "padding")):
            spin.setRange(*LIMITS[name])
        self.plain_button = QPushButton(self.tr("2x2, stride 2"))
        self.overlap_button = QPushButton(self.tr("3x3, stride 2, pad 1 (ResNet stem)"))
        self.overlap_button.setToolTip(self.tr("Overlapping windows, as in ResNet's max pool after conv1"))
        self.formula_label = QLabel()
        self.formula_label.setTextFormat(Qt.TextFormat.RichText)
        self.formula_label.setWordWrap(True)
        average_note = QLabel(self.tr("Average counts zero padding in its divisor (PyTorch's default, count_include_pad=True)."))
        average_note.setWordWrap(True)
        group = QGroupBox(self.tr("Window"))
        form = QFormLayout(group)
        form.addRow(self.tr("Size k"), self.kernel_spin)
        form.addRow(self.tr("Stride s"), self.stride_spin)
        form.addRow(self.tr("Padding p (per side)"), self.padding_spin)
        row = QHBoxLayout()
        row.addWidget(self.plain_button)
        form.addRow(row)
        form.addRow(self.overlap_button)
        form.addRow(self.formula_label)
        form.addRow(average_note)
        return group

    def _stochastic_group(self) -> QGroupBox:
        self.train_radio = QRadioButton(self.tr("Train: draw one value per window"))
        self.test_radio = QRadioButton(self.tr("Test: weighted mean"))
        # Rich text: the fonts have no subscript i (U+1D62 drew as a dotless "pıaı").
        self.test_formula = QLabel(self.tr("\u03a3 p<sub>i</sub>a<sub>i</sub>"))
        self.test_formula.setTextFormat(Qt.TextFormat.RichText)
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(*LIMITS["seed"])
        self.resample_button = QPushButton(self.tr("Re-sample"))
        self.average_check = QCheckBox(self.tr("Average of N samples"))
        self.samples_spin = QSpinBox()
        self.samples_spin.setRange(*LIMITS["samples"])
        self.samples_spin.setValue(100)
        for spin in (self.kernel_spin, self.stride_spin, self.padding_spin, self.seed_spin, self.samples_spin):
            spin.setKeyboardTracking(False)  # typing "16" is one change, not "1" then "16"
        self.convergence_label = QLabel()
        self.convergence_label.setWordWrap(True)
        # Two lines reserved: a form layout squeezes a word-wrapped label set after layout.
        self.convergence_label.setMinimumHeight(2 * self.convergence_label.fontMetrics().lineSpacing() + 4)
        group = QGroupBox(self.tr("Stochastic pooling"))
        form = QFormLayout(group)
        form.addRow(self.train_radio)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_radio)
        test_row.addWidget(self.test_formula, 1)
        form.addRow(test_row)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Seed")))
        row.addWidget(self.seed_spin, 1)
        row.addWidget(self.resample_button)
        form.addRow(row)
        form.addRow(self.average_check, self.samples_spin)
        form.addRow(self.convergence_label)
        self.convergence_label.hide()  # shown with "Average of N samples": height for a 760 px window
        return group

    def _presets_group(self) -> QGroupBox:
        self.texture_button = QPushButton(self.tr("Texture patch"))
        self.stripes_button = QPushButton(self.tr("Stripes"))
        self.preset_label = QLabel()
        self.preset_label.setWordWrap(True)
        self.preset_label.hide()  # until a preset explains itself
        group = QGroupBox(self.tr("Teaching presets"))
        box = QVBoxLayout(group)
        row = QHBoxLayout()
        row.addWidget(self.texture_button)
        row.addWidget(self.stripes_button)
        box.addLayout(row)
        box.addWidget(self.preset_label)
        return group

    def _setting_widgets(self) -> tuple[QWidget, ...]:
        """The widgets whose value is a setting (blocked while the settings are written back)."""
        return (
            self.source_box, self.relu_check, self.colormap_box, self.kernel_spin, self.stride_spin,
            self.padding_spin, self.train_radio, self.test_radio, self.seed_spin, self.average_check,
            self.samples_spin,
        )

    # -- controls <-> settings ---------------------------------------------------------------
    def values(self) -> PoolingLabSettings:
        """The settings the controls show."""
        return PoolingLabSettings(
            source=self.source_box.currentData(),
            relu=self.relu_check.isChecked(),
            colormap=self.colormap_box.currentText(),
            kernel=self.kernel_spin.value(),
            stride=self.stride_spin.value(),
            padding=self.padding_spin.value(),
            training=self.train_radio.isChecked(),
            seed=self.seed_spin.value(),
            samples=self.samples_spin.value() if self.average_check.isChecked() else 0,
        )

    def show_settings(self, settings: PoolingLabSettings, feature_label: str | None, offer_relu: bool) -> None:
        """Show ``settings`` without emitting a change; list the feature map once there is one."""
        with signals_blocked(*self._setting_widgets()):
            if feature_label is not None:
                self._list_feature_map(feature_label)
            self.source_box.setCurrentIndex(self.source_box.findData(settings.source))
            self.relu_check.setChecked(settings.relu)
            self.colormap_box.setCurrentText(settings.colormap)
            self.kernel_spin.setValue(settings.kernel)
            self.stride_spin.setValue(settings.stride)
            self.padding_spin.setValue(settings.padding)
            (self.train_radio if settings.training else self.test_radio).setChecked(True)
            self.seed_spin.setValue(settings.seed)
            self.average_check.setChecked(settings.samples > 0)
            if settings.samples:
                self.samples_spin.setValue(settings.samples)
        self.relu_check.setVisible(offer_relu)
        self.convergence_label.setVisible(settings.samples > 0)

    def _list_feature_map(self, label: str) -> None:
        text = self.tr("Feature map: %1").replace("%1", label)
        index = self.source_box.findData(FEATURE_SOURCE)
        if index < 0:
            self.source_box.addItem(text, FEATURE_SOURCE)
        else:
            self.source_box.setItemText(index, text)

    # -- explanations ------------------------------------------------------------------------
    def show_formula(self, axes: tuple[OutputSizeTerms, ...]) -> None:
        """``out = floor((n + 2p - k) / s) + 1`` with the numbers of each axis (H, then W); a
        setting that cannot run is marked impossible, never given a size."""
        impossible = "\u2192 <b style='color:#d04040'>" + self.tr("impossible") + "</b>"
        numbers = "<br>".join(
            f"{name}<sub>out</sub> = \u230a({a.n} + 2\u00b7{a.padding} \u2212 {a.kernel}) / "
            f"{a.stride}\u230b + 1 {impossible if a.size is None else f'= <b>{a.size}</b>'}"
            for name, a in zip(("H", "W"), axes, strict=False)
        )
        self.formula_label.setText(self.tr("out = \u230a(n + 2p \u2212 k) / s\u230b + 1") + "<br>" + numbers)

    def show_preset(self, stem: str | None) -> None:
        """What to look at in the preset ``stem`` (nothing before the first preset)."""
        if stem is None:
            return
        explanations = {
            "texture_patch": self.tr("Look at the patch: max keeps the texture (it turns bright), average keeps the background (the patch fades into it); stochastic sits in between."),
            "stripes": self.tr("Look at the finest stripes: average turns them into flat grey background, max keeps them as bright texture."),
        }
        self.preset_label.setText(explanations[stem])
        self.preset_label.show()

    def show_message(self, text: str) -> None:
        """A sentence in red under the controls ("" hides it)."""
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def message(self) -> str:
        """The sentence on show ("" when none)."""
        return self.message_label.text() if not self.message_label.isHidden() else ""

    def show_convergence(self, gap: float | None) -> None:
        """How far the mean of N draws still is from the weighted mean (None: say nothing)."""
        text = "" if gap is None else self.tr(
            "largest |mean of draws \u2212 weighted mean| = %1 (shrinks like 1/\u221aN)"
        ).replace("%1", f"{gap:.4f}")
        self.convergence_label.setText(text)
