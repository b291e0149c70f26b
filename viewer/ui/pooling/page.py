"""The Pooling lab: max, average and stochastic pooling side by side, and step by step.

The page shows one map (a channel of the current image, or a feature map sent from the ResNet
explorer) next to its three pooled versions with one colormap and one set of levels, the
differences max - avg and stochastic - avg, and the current window up close. All numbers come
from :mod:`viewer.core.pooling`; every recompute runs in a superqt worker with a generation
counter, so a slow 512x512 update never blocks the GUI and a stale result never wins.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
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

from viewer.core import colormaps
from viewer.core.errors import UserError
from viewer.core.images import PLANES, DecodedImage
from viewer.core.pooling import PoolSteps, average_of_samples, pool2d, pooling_geometry
from viewer.core.samples import load_sample
from viewer.export.files import checked_output_path, write_failure_reason
from viewer.ui.page import Page
from viewer.ui.pooling.maps import OUTPUT_KEYS, PoolMaps
from viewer.ui.widgets.step_controls import StepControls
from viewer.ui.workers import LatestRunner

#: Width of the controls column: with the four map columns it fits a 1200 px window.
SIDE_WIDTH = 300


@dataclass(frozen=True)
class PoolSettings:
    """What the controls ask for."""

    kernel: int = 2
    stride: int = 2
    padding: int = 0
    training: bool = True
    seed: int = 0
    samples: int = 0  # 0: show one draw; N > 0: the mean of N draws


@dataclass(frozen=True, eq=False)
class PoolResult:
    """Everything one recompute produced (read by the GUI thread only)."""

    x: np.ndarray
    settings: PoolSettings
    outputs: dict
    max_steps: PoolSteps
    stochastic_steps: PoolSteps | None
    convergence_gap: float | None = None
    """With N samples: the largest |mean of draws - weighted mean| over the output."""


def _compute_job(x: np.ndarray, s: PoolSettings, cancelled=None) -> PoolResult:
    """:func:`compute` as a :class:`LatestRunner` job: N samples of a photo stop once superseded."""
    return compute(x, s, cancelled)


def compute(x: np.ndarray, s: PoolSettings, cancelled=None) -> PoolResult:
    """Runs in a worker: the three outputs and the step sequences (UserError if impossible).

    ``cancelled()`` is asked between the batches of the "average of N samples" (minutes on a
    photo with N = 2,000), which then raises :class:`~viewer.core.pooling.Cancelled`.
    """
    import torch

    max_steps = PoolSteps(x, "max", s.kernel, s.stride, s.padding)
    outputs = {"max": max_steps.output}
    outputs["avg"] = pool2d(torch.from_numpy(x)[None], "avg", s.kernel, s.stride, s.padding)[0].numpy()
    stochastic_steps = gap = None
    if float(x.min()) >= 0:
        stochastic_steps = PoolSteps(x, "stochastic", s.kernel, s.stride, s.padding, training=s.training, seed=s.seed)
        outputs["stochastic"] = stochastic_steps.output
        if s.training and s.samples > 0:
            outputs["stochastic"] = average_of_samples(x, s.kernel, s.stride, s.padding, n=s.samples, seed=s.seed,
                                                       cancelled=cancelled)
            test = pool2d(torch.from_numpy(x)[None], "stochastic", s.kernel, s.stride, s.padding)[0].numpy()
            gap = float(np.abs(outputs["stochastic"] - test).max())
    else:
        outputs["stochastic"] = None
    return PoolResult(x, s, outputs, max_steps, stochastic_steps, gap)


def _png_job(result: PoolResult, colormap: str, path: str, cancelled=None) -> str:
    """Write the comparison sheet (a worker job; the lab's state was read on the GUI thread)."""
    from viewer.export.files import save_png
    from viewer.export.pool_sheets import comparison_image, settings_footer

    s = result.settings
    footer = settings_footer(s.kernel, s.stride, s.padding, s.training, s.seed)
    save_png(comparison_image(result.x, dict(result.outputs), colormap=colormap, footer=footer), path)
    return path


def _gif_job(result: PoolResult, start: int, frames: int, colormap: str, fps: float, path: str, cancelled=None) -> str:
    """Write ``frames`` steps from ``start`` as a GIF (a worker job)."""
    from viewer.export.files import save_gif
    from viewer.export.pool_sheets import step_frames

    s = result.settings
    steps = {"max": result.max_steps, "avg": PoolSteps(result.x, "avg", s.kernel, s.stride, s.padding)}
    if result.stochastic_steps is not None:
        steps["stochastic"] = result.stochastic_steps
    selection = range(start, min(len(result.max_steps), start + frames))
    save_gif(step_frames(steps, selection, colormap=colormap), path, fps)
    return path


def _levels_for(x: np.ndarray, colormap: str) -> tuple[float, float]:
    """One set of levels for every map: from 0 (or the minimum) to the maximum; centred on 0
    for a diverging colormap, whose middle colour means zero."""
    lo, hi = min(0.0, float(x.min())), float(x.max())
    if colormap.startswith("CET-D"):
        bound = max(-lo, hi) or 1.0
        return (-bound, bound)
    return (lo, hi if hi > lo else lo + 1.0)


class PoolingLabPage(Page):
    """Max vs average vs stochastic pooling on the user's image or a ResNet feature map."""

    page_id = "pooling"

    def __init__(self) -> None:
        super().__init__()
        self._image: DecodedImage | None = None
        self._feature: tuple[np.ndarray, str] | None = None
        self._result: PoolResult | None = None
        self._busy = False
        # One pooling job at a time; a newer setting supersedes a running one.
        self._runner = LatestRunner(self)
        self._runner.finished.connect(self._finished)
        self._runner.failed.connect(self._failed)
        self._runner.busy_changed.connect(self._set_busy)
        self._exporter = LatestRunner(self)
        self._exporter.finished.connect(lambda _g, path: self.status_message.emit(self.tr("Saved %1").replace("%1", path)))
        self._exporter.failed.connect(self._export_failed)
        self._exporter.busy_changed.connect(self._set_busy)
        self._export_path = ""
        self._build()
        self.set_image(load_sample("texture_patch"))

    def page_title(self) -> str:
        return self.tr("Pooling")

    # -- construction ------------------------------------------------------------------------
    def _build(self) -> None:
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
        source = QGroupBox(self.tr("Input"))
        form = QFormLayout(source)
        form.addRow(self.tr("Map"), self.source_box)
        form.addRow(self.relu_check)
        form.addRow(self.tr("Colormap"), self.colormap_box)

        self.kernel_spin, self.stride_spin, self.padding_spin = QSpinBox(), QSpinBox(), QSpinBox()
        for spin, (lo, hi, value) in zip((self.kernel_spin, self.stride_spin, self.padding_spin), ((1, 16, 2), (1, 16, 2), (0, 8, 0)), strict=True):
            spin.setRange(lo, hi)
            spin.setValue(value)
            spin.setKeyboardTracking(False)  # typing "16" is one change, not "1" then "16"
        self.plain_button = QPushButton(self.tr("2x2, stride 2"))
        self.overlap_button = QPushButton(self.tr("3x3, stride 2, pad 1 (ResNet stem)"))
        self.overlap_button.setToolTip(self.tr("Overlapping windows, as in ResNet's max pool after conv1"))
        self.formula_label = QLabel()
        self.formula_label.setTextFormat(Qt.TextFormat.RichText)
        self.formula_label.setWordWrap(True)
        avg_note = QLabel(self.tr("Average counts zero padding in its divisor (PyTorch's default, count_include_pad=True)."))
        avg_note.setWordWrap(True)
        window = QGroupBox(self.tr("Window"))
        form = QFormLayout(window)
        form.addRow(self.tr("Size k"), self.kernel_spin)
        form.addRow(self.tr("Stride s"), self.stride_spin)
        form.addRow(self.tr("Padding p (per side)"), self.padding_spin)
        row = QHBoxLayout()
        row.addWidget(self.plain_button)
        form.addRow(row)
        form.addRow(self.overlap_button)
        form.addRow(self.formula_label)
        form.addRow(avg_note)

        self.train_radio = QRadioButton(self.tr("Train: draw one value per window"))
        self.test_radio = QRadioButton(self.tr("Test: weighted mean \u03a3 p\u1d62a\u1d62"))
        self.train_radio.setChecked(True)
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 2**31 - 1)
        self.resample_button = QPushButton(self.tr("Re-sample"))
        self.average_check = QCheckBox(self.tr("Average of N samples"))
        self.samples_spin = QSpinBox()
        self.samples_spin.setRange(2, 2000)
        self.samples_spin.setValue(100)
        for spin in (self.seed_spin, self.samples_spin):
            spin.setKeyboardTracking(False)
        self.convergence_label = QLabel()
        self.convergence_label.setWordWrap(True)
        # Two lines reserved: a form layout squeezes a word-wrapped label set after layout.
        self.convergence_label.setMinimumHeight(2 * self.convergence_label.fontMetrics().lineSpacing() + 4)
        stochastic = QGroupBox(self.tr("Stochastic pooling"))
        form = QFormLayout(stochastic)
        form.addRow(self.train_radio)
        form.addRow(self.test_radio)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Seed")))
        row.addWidget(self.seed_spin, 1)
        row.addWidget(self.resample_button)
        form.addRow(row)
        form.addRow(self.average_check, self.samples_spin)
        form.addRow(self.convergence_label)
        self.convergence_label.hide()  # shown with "Average of N samples": height for a 760 px window

        self.texture_button = QPushButton(self.tr("Texture patch"))
        self.stripes_button = QPushButton(self.tr("Stripes"))
        self.preset_label = QLabel()
        self.preset_label.setWordWrap(True)
        self.preset_label.hide()  # until a preset explains itself
        presets = QGroupBox(self.tr("Teaching presets"))
        box = QVBoxLayout(presets)
        row = QHBoxLayout()
        row.addWidget(self.texture_button)
        row.addWidget(self.stripes_button)
        box.addLayout(row)
        box.addWidget(self.preset_label)

        self.png_button = QPushButton(self.tr("Export PNG\u2026"))
        self.gif_button = QPushButton(self.tr("Export GIF\u2026"))
        row = QHBoxLayout()
        row.addWidget(self.png_button)
        row.addWidget(self.gif_button)

        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #d04040; font-weight: bold;")
        self.message_label.hide()

        side = QWidget()
        side.setFixedWidth(SIDE_WIDTH)
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        for widget in (source, window, stochastic, presets):
            column.addWidget(widget)
        column.addLayout(row)
        column.addWidget(self.message_label)
        column.addStretch(1)

        self.maps = PoolMaps()
        self.plots, self.images, self.cells = self.maps.plots, self.maps.images, self.maps.cells
        self.window_view = self.maps.window_view

        self.step_controls = StepControls()
        self.step_label = QLabel()
        self.step_label.setWordWrap(True)
        self.step_label.setTextFormat(Qt.TextFormat.RichText)
        self.step_label.setMinimumHeight(40)
        right = QVBoxLayout()
        right.addWidget(self.maps, 1)
        right.addWidget(self.step_label)
        right.addWidget(self.step_controls)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(side)
        layout.addLayout(right, 1)

        for spin in (self.kernel_spin, self.stride_spin, self.padding_spin, self.seed_spin, self.samples_spin):
            spin.valueChanged.connect(self._recompute)
        self.average_check.toggled.connect(self.convergence_label.setVisible)
        for check in (self.relu_check, self.average_check, self.train_radio):
            check.toggled.connect(self._recompute)
        self.source_box.currentIndexChanged.connect(self._recompute)
        self.colormap_box.currentIndexChanged.connect(self._redraw)
        self.plain_button.clicked.connect(lambda: self.set_window(2, 2, 0))
        self.overlap_button.clicked.connect(lambda: self.set_window(3, 2, 1))
        self.resample_button.clicked.connect(lambda: self.seed_spin.setValue(self.seed_spin.value() + 1))
        self.texture_button.clicked.connect(lambda: self.apply_preset("texture_patch"))
        self.stripes_button.clicked.connect(lambda: self.apply_preset("stripes"))
        self.png_button.clicked.connect(self._ask_png)
        self.gif_button.clicked.connect(self._ask_gif)
        self.step_controls.step_changed.connect(self._show_step)
        self.maps.scene().sigMouseMoved.connect(self._hover)

    # -- public API --------------------------------------------------------------------------
    def set_image(self, image: DecodedImage) -> None:
        self._image = image
        self._recompute()

    def show_feature_map(self, values: np.ndarray, label: str) -> None:
        """Pool a feature map (H, W) sent by the ResNet explorer; negatives are never hidden."""
        values = np.ascontiguousarray(values, dtype=np.float32)
        if values.ndim != 2 or 0 in values.shape or not np.isfinite(values).all():
            self.error_occurred.emit(self.tr("A feature map must be a finite (H, W) array."))
            return
        self._feature = (values, label)
        index = self.source_box.findData("feature")
        text = self.tr("Feature map: %1").replace("%1", label)
        if index < 0:
            self.source_box.addItem(text, "feature")
            index = self.source_box.count() - 1
        self.source_box.setItemText(index, text)
        self.colormap_box.setCurrentText(colormaps.default_for(values))
        self.relu_check.setChecked(False)
        self.source_box.blockSignals(True)
        self.source_box.setCurrentIndex(index)
        self.source_box.blockSignals(False)
        self._recompute()

    def set_window(self, kernel: int, stride: int, padding: int) -> None:
        for spin, value in ((self.kernel_spin, kernel), (self.stride_spin, stride), (self.padding_spin, padding)):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)
        self._recompute()

    def apply_preset(self, stem: str) -> None:
        """A synthetic sample with settings that make the lesson visible, and what to look at."""
        self._image = load_sample(stem)
        self.source_box.setCurrentIndex(0)
        self.colormap_box.setCurrentText(colormaps.GRAY)
        self.test_radio.setChecked(True)
        self.set_window(4, 4, 0)
        self.preset_label.show()
        self.preset_label.setText(
            self.tr("Look at the patch: max keeps the texture (it turns bright), average keeps the background (the patch fades into it); stochastic sits in between.")
            if stem == "texture_patch"
            else self.tr("Look at the finest stripes: average turns them into flat grey background, max keeps them as bright texture.")
        )

    def settings(self) -> PoolSettings:
        return PoolSettings(
            self.kernel_spin.value(), self.stride_spin.value(), self.padding_spin.value(), self.train_radio.isChecked(),
            self.seed_spin.value(), self.samples_spin.value() if self.average_check.isChecked() else 0,
        )

    def current_map(self) -> np.ndarray | None:
        """The map being pooled (after the optional ReLU)."""
        source = self.source_box.currentData()
        if source == "feature" and self._feature is not None:
            values = self._feature[0]
        elif self._image is not None:
            values = self._image.plane(source)
        else:
            return None
        has_negatives = bool((values < 0).any())
        self.relu_check.setVisible(has_negatives)
        return np.maximum(values, 0) if has_negatives and self.relu_check.isChecked() else values

    def result(self) -> PoolResult | None:
        return self._result

    def is_busy(self) -> bool:
        return self._busy

    def message(self) -> str:
        return self.message_label.text() if not self.message_label.isHidden() else ""

    # -- computing ---------------------------------------------------------------------------
    def _set_busy(self, _busy: bool = False) -> None:
        busy = self._runner.is_busy() or self._exporter.is_busy()
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)

    def _recompute(self) -> None:
        x, s = self.current_map(), self.settings()
        if x is None:
            return
        self._show_formula(x.shape, s)
        try:
            pooling_geometry(x.shape, s.kernel, s.stride, s.padding)
        except UserError as exc:
            self._runner.cancel()  # a running job's result would no longer match the settings
            self._show_message(str(exc))
            self._result = None
            self._redraw()
            return
        self._show_message("")
        self._runner.submit(_compute_job, np.array(x), s)

    def _finished(self, _generation: int, result: PoolResult) -> None:
        self._result = result
        self._redraw()

    def _failed(self, _generation: int, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self._show_message(str(exc))
        else:
            self.error_occurred.emit(self.tr("Pooling failed: %1").replace("%1", f"{type(exc).__name__}: {exc}"))

    # -- drawing -----------------------------------------------------------------------------
    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def _show_formula(self, hw: tuple[int, int], s: PoolSettings) -> None:
        lines = []
        for axis, n in zip(("H", "W"), hw, strict=True):
            value = (n + 2 * s.padding - s.kernel) // s.stride + 1
            lines.append(f"{axis}<sub>out</sub> = \u230a({n} + 2\u00b7{s.padding} \u2212 {s.kernel}) / {s.stride}\u230b + 1 = <b>{value}</b>")
        text = lines[0] if hw[0] == hw[1] else "<br>".join(lines)
        self.formula_label.setText(self.tr("out = \u230a(n + 2p \u2212 k) / s\u230b + 1") + "<br>" + text)

    def _levels(self) -> tuple[float, float]:
        return _levels_for(self._result.x, self.colormap_box.currentText())

    def _redraw(self) -> None:
        result = self._result
        for key, image in self.images.items():
            image.clear()
            self.cells[key].hide()
        self.window_view.clear()
        self.convergence_label.setText("")
        if result is None:
            self.step_controls.set_count(0)
            self.step_controls.set_enabled_playback(False)
            self.step_label.setText("")
            return
        cmap, levels = self.colormap_box.currentText(), self._levels()
        table, diverging = colormaps.lookup_table(cmap), colormaps.lookup_table(colormaps.DIVERGING)
        maps = {"input": result.x, **{k: v for k, v in result.outputs.items() if v is not None}}
        for key, values in maps.items():
            self.images[key].setLookupTable(table)
            self.images[key].setImage(np.ascontiguousarray(values, np.float32), levels=levels, autoLevels=False)
        avg = result.outputs["avg"]
        diffs = {f"{k}_diff": result.outputs[k] - avg for k in ("max", "stochastic") if result.outputs[k] is not None}
        bound = max((float(np.abs(d).max()) for d in diffs.values()), default=0.0) or 1.0
        for key, values in diffs.items():
            self.images[key].setLookupTable(diverging)
            self.images[key].setImage(np.ascontiguousarray(values, np.float32), levels=(-bound, bound), autoLevels=False)
        self.maps.set_title("max_diff", self.tr("max \u2212 avg (\u00b1%1)").replace("%1", f"{bound:.3g}"))
        self.maps.set_title("stochastic_diff", self.tr("stochastic \u2212 avg (\u00b1%1)").replace("%1", f"{bound:.3g}"))
        self._title_stochastic(result)
        for key in ("input", "max"):
            self.plots[key].autoRange(padding=0.02)
        self.step_controls.set_enabled_playback(True)
        self.step_controls.set_count(len(result.max_steps))
        self._show_step(self.step_controls.step())

    def _title_stochastic(self, result: PoolResult) -> None:
        s = result.settings
        if result.outputs["stochastic"] is None:
            title = self.tr("stochastic: needs ReLU first")
            self.maps.set_title("stochastic_diff", self.tr("stochastic \u2212 avg: needs ReLU"))
            self._show_message(self.tr("This map has negative values. Stochastic pooling draws with p = a / \u03a3a, which is not a probability for negative a: apply ReLU first (tick \u201cReLU it\u201d)."))
        elif not s.training:
            title = self.tr("stochastic (test: \u03a3 p\u1d62a\u1d62)")
        elif s.samples:
            title = self.tr("stochastic (mean of %1 draws)").replace("%1", str(s.samples))
            self.convergence_label.setText(
                self.tr("largest |mean of draws \u2212 weighted mean| = %1 (shrinks like 1/\u221aN)").replace("%1", f"{result.convergence_gap:.4f}")
            )
        else:
            title = self.tr("stochastic (train draw, seed %1)").replace("%1", str(s.seed))
        self.maps.set_title("stochastic", title)

    def _show_step(self, index: int) -> None:
        result = self._result
        if result is None or not 0 <= index < len(result.max_steps):
            return
        step = result.max_steps[index]
        kh, kw = result.max_steps.geometry.kernel_hw
        ph, pw = result.max_steps.geometry.padding
        top, left = step.window
        self.cells["input"].setRect(QRectF(left - pw, top - ph, kw, kh))
        r, c = step.out_pos
        for key in OUTPUT_KEYS:
            self.cells[key].setRect(QRectF(c, r, 1, 1))
        for box in self.cells.values():
            box.show()
        probabilities = drawn = None
        values = [self.tr("max = <b>%1</b>").replace("%1", f"{step.patch[step.max_index]:.3f}"),
                  self.tr("average = <b>%1</b> (\u00f7 %2, padding included)").replace("%1", f"{step.mean:.3f}").replace("%2", str(kh * kw))]
        note = self.tr("needs ReLU first")
        if result.stochastic_steps is not None:
            stochastic = result.stochastic_steps[index]
            probabilities, drawn, note = stochastic.probabilities, stochastic.drawn_index, ""
            if result.settings.training:
                drew = self.tr("nothing (all zero)") if drawn is None else f"({drawn[0]}, {drawn[1]}) = {stochastic.value:.3f}"
                values.append(self.tr("stochastic drew <b>%1</b>").replace("%1", drew))
            else:
                values.append(self.tr("stochastic \u03a3 p\u1d62a\u1d62 = <b>%1</b>").replace("%1", f"{stochastic.value:.3f}"))
        self.window_view.show_step(step, self._levels(), self.colormap_box.currentText(), probabilities, drawn, note)
        head = self.tr("Window at (%1, %2) \u2192 output (%3, %4):").replace("%1", str(top)).replace("%2", str(left)).replace("%3", str(r)).replace("%4", str(c))
        legend = self.tr("<span style='color:#ffc800'>\u25a0</span> max cell, <span style='color:#ff3c3c'>\u25a0</span> drawn cell")
        self.step_label.setText(f"{head} {'; '.join(values)}.  {legend}")

    def _hover(self, scene_pos) -> None:
        result = self._result
        if result is None:
            return
        g = result.max_steps.geometry
        for key, plot in self.plots.items():
            if not plot.sceneBoundingRect().contains(scene_pos):
                continue
            point = plot.vb.mapSceneToView(scene_pos)
            row, col = int(np.floor(point.y())), int(np.floor(point.x()))
            if key == "input":
                inside = 0 <= row < g.input_hw[0] and 0 <= col < g.input_hw[1]
                step = result.max_steps.step_at_input(row + g.padding[0], col + g.padding[1]) if inside else None
            else:
                inside = 0 <= row < g.output_hw[0] and 0 <= col < g.output_hw[1]
                step = g.step_of(row, col) if inside else None
            if step is not None:
                self.step_controls.set_step(step)
            return

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if not self.step_controls.handle_key(event):
            super().keyPressEvent(event)

    # -- export ------------------------------------------------------------------------------
    def _export_args(self, path: str, suffix: str) -> tuple[PoolResult, str]:
        if self._result is None:
            raise UserError(self.tr("Nothing to export: the current settings give no output."))
        return self._result, str(checked_output_path(path, (suffix,), add_suffix=True))

    def export_png(self, path: str) -> None:
        """Write the comparison now (scripts and tests); UserError with one clear sentence."""
        result, path = self._export_args(path, ".png")
        self._write(lambda: _png_job(result, self.colormap_box.currentText(), path), path)

    def export_gif(self, path: str, frames: int = 60) -> None:
        """Write ``frames`` steps from the current one now; UserError with one clear sentence."""
        result, path = self._export_args(path, ".gif")
        self._write(lambda: _gif_job(result, self.step_controls.step(), frames, self.colormap_box.currentText(),
                                     self.step_controls.speed(), path), path)

    def _write(self, save, path: str) -> None:
        try:
            save()
        except OSError as exc:
            raise UserError(self.tr("Could not write %1: %2").replace("%1", path).replace("%2", write_failure_reason(exc))) from None
        self.status_message.emit(self.tr("Saved %1").replace("%1", path))

    def _export_failed(self, _generation: int, exc: BaseException) -> None:
        self.error_occurred.emit(
            self.tr("Could not write %1: %2").replace("%1", self._export_path).replace("%2", write_failure_reason(exc))
        )

    def _ask(self, suffix: str, title: str, pattern: str) -> None:
        """Ask for a file, then write it in a worker (a photo's GIF takes seconds)."""
        path, _ = QFileDialog.getSaveFileName(self, title, "", pattern)
        if not path:
            return
        try:
            result, path = self._export_args(path, suffix)
        except UserError as exc:
            self.error_occurred.emit(str(exc))
            return
        self._export_path = path
        colormap = self.colormap_box.currentText()
        if suffix == ".png":
            self._exporter.submit(_png_job, result, colormap, path)
        else:
            self._exporter.submit(_gif_job, result, self.step_controls.step(), 60, colormap, self.step_controls.speed(), path)
        self.status_message.emit(self.tr("Writing %1\u2026").replace("%1", path))

    def _ask_png(self) -> None:
        self._ask(".png", self.tr("Export the comparison"), self.tr("PNG images (*.png)"))

    def _ask_gif(self) -> None:
        self._ask(".gif", self.tr("Export the stepping (from the current step)"), self.tr("GIF animations (*.gif)"))
