"""The Convolution lab: a kernel sliding over the input, one step at a time, on numbers or a photo.

The page wires three widgets (settings form, the two pictures, the zoomed window) to a
:class:`~viewer.core.conv.ConvSteps` and a play head. Everything numeric comes from the core;
this module only decides what to show at which step.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from viewer.core import colormaps
from viewer.core.conv import ConvSetup, ConvSteps, conv_geometry, course_example, format_sum
from viewer.core.errors import UserError
from viewer.core.geometry import output_size, textbook_output_size
from viewer.core.images import DecodedImage
from viewer.core.kernels import PRESETS, make_kernel
from viewer.export.conv_frames import output_colormap
from viewer.export.files import checked_output_path, write_failure_reason
from viewer.ui.conv.canvas import ConvCanvas
from viewer.ui.conv.controls import ConvControls
from viewer.ui.conv.window_view import WindowView
from viewer.ui.page import Page
from viewer.ui.widgets.step_controls import StepControls, format_count
from viewer.ui.workers import LatestRunner

#: Above this many steps the lab starts in row-by-row stepping.
ROW_STEPPING_ABOVE = 4096
#: Inputs up to this many values (C * H * W) are computed at once on the GUI thread (the 5x5
#: example must answer instantly); larger ones in a worker, so the GUI never stalls.
SYNC_INPUT_VALUES = 128 * 128
#: At most this many frames in one exported GIF.
MAX_GIF_FRAMES = 400


@dataclass(frozen=True, eq=False)
class Computed:
    """One settings change's work: the steps and what the pictures need, made off the GUI thread."""

    steps: ConvSteps
    input_rgb: np.ndarray
    """(Hp, Wp, 3) uint8 picture of the padded input."""
    levels: tuple[float, float]
    """Output colour levels (low, high); centred on zero for a signed output."""
    rgb_channel: int
    """Input channel drawn (-1: the three colour channels)."""


@dataclass(frozen=True, eq=False)
class ImageInput:
    """A channel choice of an image, converted to (C, H, W) only in the worker.

    Converting a 2048x2048 photo (a 48 MB copy for all three channels) took up to 140 ms on
    the GUI thread; its shape is all the GUI needs to check the setting.
    """

    image: DecodedImage
    source: str
    """``gray``, ``red``, ``green``, ``blue`` or ``rgb``."""

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.image.planes_shape(self.source)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    def array(self) -> np.ndarray:
        return self.image.planes(self.source)


def compute(x: np.ndarray | ImageInput, kernel: np.ndarray, bias: float, stride, padding, dilation,
            padding_mode: str, rgb_channel: int, cancelled=None) -> Computed:
    """The steps of one setting and their pictures (a :class:`LatestRunner` job; ValueError if impossible)."""
    from viewer.export.conv_frames import input_rgb, output_levels

    if isinstance(x, ImageInput):
        x = x.array()
    steps = ConvSteps(x, kernel, bias, stride, padding, dilation, padding_mode)
    return Computed(steps, input_rgb(steps, rgb_channel), output_levels(steps.output), rgb_channel)


def _export_gif_job(steps: ConvSteps, indices: list[int], path: str, fps: float, channel: int, cancelled=None) -> int:
    from viewer.export.conv_frames import save_frames

    save_frames(steps, indices, Path(path), fps=fps, channel=channel)
    return len(indices)


def _resize_centered(kernel: np.ndarray, hw: tuple[int, int]) -> np.ndarray:
    """Crop or zero-pad a (C, kh, kw) kernel around its centre (keeps typed weights)."""
    out = np.zeros((kernel.shape[0], *hw), np.float32)
    rows, cols = min(hw[0], kernel.shape[1]), min(hw[1], kernel.shape[2])
    src_r, src_c = (kernel.shape[1] - rows) // 2, (kernel.shape[2] - cols) // 2
    dst_r, dst_c = (hw[0] - rows) // 2, (hw[1] - cols) // 2
    out[:, dst_r : dst_r + rows, dst_c : dst_c + cols] = kernel[:, src_r : src_r + rows, src_c : src_c + cols]
    return out


class _VerticalScroll(QScrollArea):
    """Scrolls its widget vertically only, and is always wide enough for it (no clipped fields)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.setWidget(widget)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        width = self.widget().minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        return QSize(width + 2 * self.frameWidth(), super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self.minimumSizeHint().width(), super().sizeHint().height())


class ConvLabPage(Page):
    """Animate cross-correlation step by step; see the module docstring."""

    page_id = "convolution"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: DecodedImage | None = None
        self._custom: ConvSetup | None = None
        self._kernel = make_kernel("sobel_x")[None]  # (C, kh, kw); C follows the input
        # Everything typed into the kernel, at the largest size and channel count it has had:
        # shrinking the kernel, or showing a 1-channel input, only crops what is shown, so
        # growing back (or returning to RGB) brings the typed weights back.
        self._kernel_memory = self._kernel.copy()
        self._steps: ConvSteps | None = None
        self._computed: Computed | None = None
        self._runner = LatestRunner(self)
        self._runner.finished.connect(self._on_computed)
        self._runner.failed.connect(self._on_compute_failed)
        self._runner.busy_changed.connect(self._on_busy_changed)
        self._exporter = LatestRunner(self)
        self._exporter.finished.connect(self._on_exported)
        self._exporter.failed.connect(self._on_export_failed)
        self._exporter.busy_changed.connect(self._on_busy_changed)
        self._export_path = ""
        self._channel = 0
        self._preset = "custom"
        self._big = False  # more than ROW_STEPPING_ABOVE steps

        self.controls = ConvControls()
        self.canvas = ConvCanvas()
        self.window_view = WindowView()
        self.custom_label = QLabel()
        self.custom_label.setStyleSheet("font-weight: bold; color: #1f4fa0;")
        self.custom_label.hide()
        self.use_image = QPushButton()
        self.use_image.setToolTip(self.tr("Slide the kernel over the current image instead"))
        self.use_image.hide()
        self._image_source = "luminance"  # the image channel last chosen, for the use_image button
        self.view_channel = QSpinBox()
        self.view_channel.setPrefix(self.tr("channel shown: "))
        self.view_channel.setRange(0, 0)

        self.step_controls = StepControls()
        self.step_controls.install_shortcuts(self)
        self.step_label = QLabel()
        self.step_label.setWordWrap(True)
        self.export_png = QPushButton(self.tr("Frame (PNG)\u2026"))
        self.export_png.setToolTip(self.tr("Save the lab as it is now, as a PNG"))
        self.export_gif = QPushButton(self.tr("Steps so far (GIF)\u2026"))
        self.export_gif.setToolTip(self.tr("Save the steps up to the current one as an animated GIF for slides"))

        status_row = QHBoxLayout()
        status_row.addWidget(self.step_label, 1)
        status_row.addWidget(self.export_png)
        status_row.addWidget(self.export_gif)
        detail = QHBoxLayout()
        detail.addWidget(self.window_view, 1)
        detail.addWidget(self.view_channel, 0, Qt.AlignmentFlag.AlignTop)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        banner = QHBoxLayout()
        banner.addWidget(self.custom_label, 1)
        banner.addWidget(self.use_image)
        centre_layout.addLayout(banner)
        centre_layout.addWidget(self.canvas, 1)
        centre_layout.addLayout(status_row)
        centre_layout.addLayout(detail)
        centre_layout.addWidget(self.step_controls)
        # The settings scroll vertically in a narrow column, so that the page fits a
        # 1280x800 laptop screen and the pictures get the width.
        self._settings_scroll = scroll = _VerticalScroll(self.controls)
        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(scroll)
        splitter.addWidget(centre)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([scroll.minimumSizeHint().width(), 1000])
        QVBoxLayout(self).addWidget(splitter)

        self.step_controls.step_changed.connect(self._show)
        self.use_image.clicked.connect(lambda: self.show_image_source(self._image_source))
        self.controls.changed.connect(self._on_settings_changed)
        self.controls.example_requested.connect(self.load_course_example)
        self.window_view.kernel_edited.connect(self._on_kernel_edited)
        self.window_view.kernel_rejected.connect(self.status_message)
        self.view_channel.valueChanged.connect(self._on_view_channel)
        self.canvas.output_hovered.connect(self._on_output_hovered)
        self.canvas.output_clicked.connect(self._on_output_hovered)
        self.canvas.input_hovered.connect(self._on_input_hovered)
        self.export_png.clicked.connect(self._export_png)
        self.export_gif.clicked.connect(self._export_gif)
        self.load_course_example(1)

    def page_title(self) -> str:
        return self.tr("Convolution")

    def is_busy(self) -> bool:
        return self._runner.is_busy() or self._exporter.is_busy()

    def _on_busy_changed(self, _busy: bool) -> None:
        self.busy_changed.emit(self.is_busy())

    # -- inputs ---------------------------------------------------------------------------
    def set_image(self, image: DecodedImage) -> None:
        """Take the new current image, without throwing away what the student is looking at.

        On an image source the new image shows at once. On the numeric matrix (a course
        example) or a custom input (a real ResNet kernel), the lab keeps that input, which may
        hold edits or have been sent on purpose, and the image waits one click away: a "Use the
        image" button beside the input's name switches to it, on the channel last chosen.
        """
        self._image = image
        if self.controls.values().source in ("matrix", "custom"):
            self._update_use_image()
            self.status_message.emit(self.tr("{0} is ready: \u201cUse the image\u201d slides the kernel over it.")
                                     .format(image.name))
            return
        self._rebuild()

    def show_image_source(self, source: str = "luminance") -> None:
        """Switch the input to the current image (``luminance``, ``red``, ``green``, ``blue``, ``rgb``)."""
        self.controls.source.setCurrentIndex(self.controls.source.findData(source))

    def load_setup(self, setup: ConvSetup) -> None:
        """Show a setup sent by another page (e.g. one kernel of a ResNet layer), labelled."""
        self._custom = setup
        self._set_new_kernel(setup.kernel)
        self.controls.apply(setup, "custom", "custom")
        self._preset = "custom"
        self.custom_label.setText(self.tr("Custom input: {0}").format(setup.label or self.tr("(unnamed)")))
        self.custom_label.show()
        self._rebuild()

    def load_course_example(self, number: int) -> None:
        """One of the syllabus's worked examples, as an editable numeric matrix."""
        setup = course_example(number)
        self._set_new_kernel(setup.kernel)
        self.controls.apply(setup, "matrix", "custom")
        self._preset = "custom"
        titles = {1: self.tr("Course example 1: 5x5, 3x3, stride 2, no padding"),
                  2: self.tr("Course example 2: 5x5, 3x3, stride 1, padding 1 per side (p = 2)")}
        self.custom_label.setText(titles[number])
        self.custom_label.show()
        self._rebuild()

    def _input(self, source: str) -> np.ndarray | ImageInput | None:
        if source == "custom" and self._custom is not None:
            return self._custom.x
        if source == "matrix":
            return self.controls.values().matrix[None]
        if self._image is None:
            return None
        return ImageInput(self._image, source)

    # -- settings -------------------------------------------------------------------------
    def _on_settings_changed(self) -> None:
        s = self.controls.values()
        if s.preset != self._preset:  # a new preset brings its own kernel (and size, if fixed)
            self._preset = s.preset
            if s.preset != "custom":
                kernel = make_kernel(s.preset, s.kernel_hw)
                self._set_kernel_size(kernel.shape)
                self._set_new_kernel(kernel[None])
        elif s.kernel_hw != self._kernel.shape[1:]:
            if PRESETS[s.preset].resizable and s.preset != "custom":
                self._set_new_kernel(make_kernel(s.preset, s.kernel_hw)[None])
            else:  # resizing a fixed or typed kernel keeps its weights, centred
                self._select_preset("custom")
                self._kernel = self._kernel_shown(self._kernel.shape[0], s.kernel_hw)
        self.custom_label.setVisible(s.source in ("matrix", "custom") and bool(self.custom_label.text()))
        if s.source not in ("matrix", "custom"):
            self._image_source = s.source
        self._rebuild()

    def _update_use_image(self) -> None:
        """The "Use the image" button: shown while a matrix or custom input hides an image."""
        image = self._image
        waiting = image is not None and self.controls.values().source in ("matrix", "custom")
        if waiting:
            self.use_image.setText(self.tr("Use the image: {0} ({1}\u00d7{2})").format(image.name, image.width, image.height))
        self.use_image.setVisible(waiting)

    def _select_preset(self, name: str) -> None:
        self._preset = name
        blocked = self.controls.preset.blockSignals(True)
        self.controls.preset.setCurrentIndex(list(PRESETS).index(name))
        self.controls.preset.blockSignals(blocked)

    def _set_kernel_size(self, hw: tuple[int, int]) -> None:
        for box, value in ((self.controls.kh, hw[0]), (self.controls.kw, hw[1])):
            blocked = box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(blocked)

    # -- the kernel and its memory ------------------------------------------------------------
    def _set_new_kernel(self, kernel: np.ndarray) -> None:
        """A kernel from a preset, an example or a setup: what was typed before is replaced."""
        self._kernel = np.array(kernel, np.float32, ndmin=3)
        self._kernel_memory = self._kernel.copy()

    def _kernel_shown(self, channels: int, hw: tuple[int, int]) -> np.ndarray:
        """The kernel at ``channels`` x ``hw``, cut from the memory (which grows, never shrinks)."""
        memory = self._kernel_memory
        grown = (max(memory.shape[1], hw[0]), max(memory.shape[2], hw[1]))
        if grown != memory.shape[1:]:
            memory = _resize_centered(memory, grown)
        if memory.shape[0] < channels:  # a new channel starts as a copy of the first
            memory = np.concatenate([memory, np.repeat(memory[:1], channels - memory.shape[0], axis=0)])
        self._kernel_memory = memory
        return _resize_centered(memory[:channels], hw)

    def kernel(self) -> np.ndarray:
        """The (C, kh, kw) kernel the lab slides (a copy)."""
        return self._kernel.copy()

    def _on_kernel_edited(self, channel: int, row: int, col: int, value: float) -> None:
        self._select_preset("custom")
        self._kernel = self._kernel.copy()
        self._kernel[channel, row, col] = value
        kh, kw = self._kernel.shape[1:]
        memory = self._kernel_memory
        memory[channel, row + (memory.shape[1] - kh) // 2, col + (memory.shape[2] - kw) // 2] = value
        self._rebuild()

    def _on_view_channel(self, channel: int) -> None:
        """Another channel in the grids and the input picture: nothing is recomputed."""
        self._channel = channel
        computed = self._computed
        if computed is None or self._steps is None:
            return
        steps = computed.steps
        if computed.rgb_channel >= 0:  # one plane drawn: draw the new one (O(one plane))
            from viewer.export.conv_frames import input_rgb

            computed = Computed(steps, input_rgb(steps, channel), computed.levels, channel)
            self._computed = computed
            self.canvas.set_input_channel(channel, computed.input_rgb)
        else:
            self.canvas.set_input_channel(channel)
        channels = steps.kernel.shape[0]
        self.window_view.set_channel_note(self.tr("channel {0} of {1}").format(channel, channels))
        self.window_view.set_kernel(self._kernel, channel)
        self._show(self.step_controls.step())

    def _rebuild(self) -> None:
        """Recompute the steps for the current settings; an impossible one is explained inline.

        The setting is checked at once (cheap); the work itself runs on the GUI thread only for
        small inputs, in a worker otherwise, and the newest result wins.
        """
        s = self.controls.values()
        x = self._input(s.source)
        self._update_use_image()
        self._formula(s, x)
        if x is None:
            return
        channels = x.shape[0]
        self._kernel = self._kernel_shown(channels, s.kernel_hw)
        try:
            conv_geometry(x.shape[1:], s.kernel_hw, s.stride, s.padding, s.dilation, s.padding_mode)
        except ValueError as exc:
            self._show_impossible(str(exc))
            return
        self.controls.set_error("")
        self._channel = min(self._channel, channels - 1)
        rgb_channel = -1 if s.source == "rgb" else self._channel
        args = (x, self._kernel, s.bias, s.stride, s.padding, s.dilation, s.padding_mode, rgb_channel)
        if x.size <= SYNC_INPUT_VALUES:
            self._runner.cancel()  # a slower, older job must not overwrite this result
            try:
                computed = compute(*args)
            except ValueError as exc:
                self._show_impossible(str(exc))
                return
            self._present(computed)
        else:
            self._runner.submit(compute, *args)
            self.status_message.emit(self.tr("Computing the {0}×{1} feature map…").format(*x.shape[1:]))

    def _show_impossible(self, message: str) -> None:
        self._runner.cancel()
        self._steps = self._computed = None
        self.pause()
        self.canvas.clear_steps()
        self.window_view.clear_step()
        self.controls.set_error(message)
        self._set_enabled(False)
        self.step_label.setText(self.tr("No steps: see the explanation on the left."))

    def _on_computed(self, _generation: int, computed: Computed) -> None:
        self._present(computed)
        self.status_message.emit("")

    def _on_compute_failed(self, _generation: int, error: BaseException) -> None:
        if isinstance(error, ValueError):
            self._show_impossible(str(error))
        else:
            self.error_occurred.emit(self.tr("The convolution failed: {0}").format(f"{type(error).__name__}: {error}"))

    def _present(self, computed: Computed) -> None:
        """Show a finished computation: O(image) once, then each step is O(kernel area)."""
        steps = computed.steps
        channels = steps.kernel.shape[0]
        self._computed, self._steps = computed, steps
        self._set_enabled(True)
        self._channel = min(self._channel, channels - 1)
        blocked = self.view_channel.blockSignals(True)
        self.view_channel.setRange(0, channels - 1)
        self.view_channel.setValue(self._channel)
        self.view_channel.setVisible(channels > 1)
        self.view_channel.blockSignals(blocked)
        low, high = computed.levels
        lut = colormaps.lookup_table(output_colormap(computed.levels))
        number_channel = self._channel if computed.rgb_channel < 0 else computed.rgb_channel
        self.canvas.set_steps(steps, computed.input_rgb, number_channel, lut, (low, high))
        (hp, wp), (ho, wo) = steps.geometry.padded_hw, steps.geometry.output_hw
        self.canvas.set_titles(self.tr("Padded input {0}x{1} (padding tinted blue)").format(hp, wp),
                               self.tr("Output feature map {0}x{1}").format(ho, wo))
        self.window_view.set_channel_note(self.tr("channel {0} of {1}").format(self._channel, channels)
                                          if channels > 1 else "")
        self.window_view.set_kernel(steps.kernel, self._channel)
        self.step_controls.set_row_length(wo)
        big = len(steps) > ROW_STEPPING_ABOVE
        if big != self._big:  # suggest a granularity only when the size class changes
            self._big = big
            self.step_controls.set_granularity("row" if big else "cell")
        self.step_controls.set_enabled_playback(True)
        self.step_controls.set_count(len(steps))
        self._show(self.step_controls.step())

    def _formula(self, s, x: np.ndarray | ImageInput | None) -> None:
        """Both output-size conventions with the live numbers, one line per axis each.

        A small table that never wraps mid-expression: a convention's general form on its own
        line, then its two instances (rows, columns) in aligned cells.
        """
        if x is None:
            self.controls.formula.setText(self.tr("Open an image, or pick the numeric matrix."))
            return
        torch_lines, course_lines = [], []
        for axis, name in ((0, self.tr("rows")), (1, self.tr("cols"))):
            n, k, st, p, d = x.shape[1 + axis], s.kernel_hw[axis], s.stride[axis], s.padding[axis], s.dilation[axis]
            k_eff = d * (k - 1) + 1
            try:
                value = str(output_size(n, k, st, p, d))
            except ValueError:
                value = "<b>&lt; 1</b>"
            book = textbook_output_size(n, k_eff, st, 2 * p)
            torch_lines.append((name, f"\u230a({n} + 2\u00b7{p} \u2212 {d}\u00b7({k}\u22121) \u2212 1)/{st}\u230b + 1 = {value}"))
            course_lines.append((name, f"({n} \u2212 {k_eff} + {2 * p})/{st} + 1 = {book:g}"))
        rows = []
        for title, general, lines in (
            (self.tr("PyTorch, p per side"), "\u230a(n + 2p \u2212 d(k\u22121) \u2212 1)/s\u230b + 1", torch_lines),
            (self.tr("Course, p = 2 \u00d7 p per side"), "(n \u2212 k + p)/s + 1", course_lines),
        ):
            rows.append(f'<tr><td></td><td><b>{title}</b><br><span style="color:#555">{general}</span></td></tr>')
            rows.extend(f'<tr><td style="color:#555">{name}&nbsp;</td><td style="white-space:pre">{line}</td></tr>'
                        for name, line in lines)
        self.controls.formula.setText(
            f'<table cellspacing="0" cellpadding="1" style="font-size:9pt">{"".join(rows)}</table>')
        self._settings_scroll.updateGeometry()  # a longer number may need a few more pixels

    def _set_enabled(self, enabled: bool) -> None:
        self.step_controls.set_enabled_playback(enabled)
        for widget in (self.export_png, self.export_gif):
            widget.setEnabled(enabled)

    # -- play head (counting is StepControls' job; these delegate for scripts and tests) ---
    def current_step(self) -> int:
        return self.step_controls.step()

    def go_to(self, index: int) -> None:
        self.step_controls.set_step(index)

    def step_by(self, direction: int) -> None:
        """One step, or row by row one output row, back (-1) or forward (+1)."""
        self.step_controls.step_by(direction)

    def is_playing(self) -> bool:
        return self.step_controls.is_playing()

    def toggle_play(self) -> None:
        self.step_controls.toggle_playing()

    def pause(self) -> None:
        self.step_controls.pause()

    def _show(self, index: int) -> None:
        if self._steps is None:
            return
        step = self._steps[index]
        self.canvas.show_step(step)
        channels = step.patch.shape[0]
        prefix = self.tr("sum over {0} channels").format(channels) if channels > 1 else "\u03a3(x\u00b7k)"
        self.window_view.show_step(step, f"{prefix} + b = y:  {format_sum(step)}")
        self.step_label.setText(self.tr("Step {0} of {1}: output cell (row {2}, col {3}), window at ({4}, {5})").format(
            format_count(index + 1), format_count(len(self._steps)), *step.out_pos, *step.window))

    # -- hover ----------------------------------------------------------------------------
    def _on_output_hovered(self, row: int, col: int) -> None:
        if row < 0 or self._steps is None:
            return
        self.pause()
        self.go_to(self._steps.geometry.step_of(row, col))

    def _on_input_hovered(self, row: int, col: int) -> None:
        if self._steps is None:
            return
        cells = self._steps.geometry.outputs_fed_by(row, col) if row >= 0 else []
        self.canvas.show_fed_cells((row, col), cells)
        if row >= 0:
            self.status_message.emit(self.tr("Input cell ({0}, {1}) feeds {2} output cell(s).").format(row, col, len(cells)))

    # -- export ---------------------------------------------------------------------------
    def save_frame_png(self, path: str) -> Path:
        """Save the lab as it is now; returns the file written. UserError with a clear sentence."""
        out = checked_output_path(path, (".png",), add_suffix=True)
        if not self.grab().save(str(out), "PNG"):
            raise UserError(self.tr("Could not write {0}: check that the folder can be written to.").format(out))
        self.status_message.emit(self.tr("Wrote {0}.").format(out))
        return out

    def save_steps_gif(self, path: str) -> Path:
        """Start writing the steps so far (at most the last 400 frames) as a GIF, in a worker.

        Returns the file that will be written; the result arrives as a status message, a failure
        as :attr:`error_occurred`. UserError at once for a bad path or when there are no steps.
        """
        if self._steps is None:
            raise UserError(self.tr("Nothing to export: the current settings give no output."))
        out = checked_output_path(path, (".gif",), add_suffix=True)
        stride = self.step_controls.stride()
        indices = list(range(stride - 1 if stride > 1 else 0, self.current_step() + 1, stride))[-MAX_GIF_FRAMES:]
        channel = -1 if self._computed is not None and self._computed.rgb_channel < 0 else self._channel
        self._export_path = str(out)
        self._exporter.submit(_export_gif_job, self._steps, indices, str(out), min(25.0, self.step_controls.speed()),
                              channel)
        self.status_message.emit(self.tr("Writing {0} ({1} frames)…").format(out, len(indices)))
        return out

    def _on_exported(self, _generation: int, frames: int) -> None:
        self.status_message.emit(self.tr("Wrote {0} ({1} frames).").format(self._export_path, frames))

    def _on_export_failed(self, _generation: int, error: BaseException) -> None:
        self.error_occurred.emit(
            self.tr("Could not write {0}: {1}").format(self._export_path, write_failure_reason(error))
        )

    def _ask_and_export(self, export, title: str, name: str, pattern: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, title, name, pattern)
        if not path:
            return
        try:
            export(path)
        except UserError as exc:
            self.error_occurred.emit(str(exc))

    def _export_png(self) -> None:
        self._ask_and_export(self.save_frame_png, self.tr("Export frame"), "conv_frame.png", self.tr("PNG images (*.png)"))

    def _export_gif(self) -> None:
        self._ask_and_export(self.save_steps_gif, self.tr("Export GIF"), "conv_steps.gif", self.tr("GIF animations (*.gif)"))
