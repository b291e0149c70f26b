"""The Convolution lab: a kernel sliding over the input, one step at a time, on numbers or a photo.

A view over :class:`~viewer.models.conv_lab.ConvLabModel`: a widget signal calls one model
method; the page does what the model answers (a slide to show, a job for its worker, a refusal
to explain), then draws what the model holds and writes the model's settings back into the
form. The page only decides how things look at which step; every rule lives in the model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
from superqt.utils import signals_blocked

from viewer.core import colormaps
from viewer.core.conv import ConvSetup, format_sum, output_colormap
from viewer.core.errors import UserError
from viewer.core.images import DecodedImage
from viewer.export.conv_frames import save_frames
from viewer.export.files import checked_output_path, write_failure_reason
from viewer.models.conv_lab import ConvLabModel, GifExport, KernelSlide, LoadedInput, Outcome
from viewer.models.jobs import Job, Refusal
from viewer.ui.conv.canvas import ConvCanvas
from viewer.ui.conv.controls import ConvControls
from viewer.ui.conv.shift import ConvShiftPanel
from viewer.ui.conv.window_view import WindowView
from viewer.ui.page import Page
from viewer.ui.widgets.name_label import elided_name
from viewer.ui.widgets.step_controls import StepControls, format_count
from viewer.ui.workers import LatestRunner


def _write_gif(export: GifExport) -> int:
    """Write an exported GIF (a :class:`LatestRunner` job); returns its number of frames."""
    save_frames(export.steps, export.frames, Path(export.path), fps=export.fps, channel=export.channel)
    return len(export.frames)


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
        self.build_in_pieces(self._build())

    def _build(self) -> Iterator[None]:
        """The page in pieces of about a frame each (see :meth:`Page.build_in_pieces`)."""
        self.model = ConvLabModel()
        self._runner = LatestRunner(self)
        self._runner.finished.connect(self._on_slide_computed)
        self._runner.failed.connect(self._on_compute_failed)
        self._exporter = LatestRunner(self)
        self._exporter.finished.connect(self._on_exported)
        self._exporter.failed.connect(self._on_export_failed)
        self.shift_panel = ConvShiftPanel()
        self.track(self._runner, self._exporter, self.shift_panel.runner)
        yield

        self.controls = ConvControls()
        self.canvas = ConvCanvas()
        # The pictures stay readable when the shift view and a dock take room (the page scrolls instead).
        self.canvas.setMinimumHeight(170)
        yield
        self.window_view = WindowView()
        self.custom_label = QLabel()
        self.custom_label.setStyleSheet("font-weight: bold; color: #1f4fa0;")
        self.custom_label.hide()
        self.use_image = QPushButton()
        self.use_image.setToolTip(self.tr("Slide the kernel over the current image instead"))
        self.use_image.hide()
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
        centre_layout.addWidget(self.shift_panel)
        # The settings scroll vertically in a narrow column, so that the page fits a
        # 1280x800 laptop screen and the pictures get the width.
        self.settings_scroll = scroll = _VerticalScroll(self.controls)
        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(scroll)
        splitter.addWidget(centre)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([scroll.minimumSizeHint().width(), 1000])
        QVBoxLayout(self).addWidget(splitter)

        self.step_controls.step_changed.connect(self._show_step)
        self.use_image.clicked.connect(lambda: self._carry_out(self.model.use_image()))
        self.controls.changed.connect(lambda: self._carry_out(self.model.set_settings(self.controls.values())))
        self.controls.example_requested.connect(self.load_course_example)
        self.window_view.kernel_edited.connect(
            lambda channel, row, col, value: self._carry_out(self.model.edit_kernel(channel, row, col, value)))
        self.window_view.kernel_rejected.connect(self.status_message)
        self.view_channel.valueChanged.connect(self._on_view_channel)
        self.canvas.output_hovered.connect(self._on_output_hovered)
        self.canvas.output_clicked.connect(self._on_output_hovered)
        self.canvas.input_hovered.connect(self._on_input_hovered)
        self.export_png.clicked.connect(self._export_png)
        self.export_gif.clicked.connect(self._export_gif)
        yield
        self._carry_out(self.model.refresh())  # the model starts on course example 1

    def page_title(self) -> str:
        return self.tr("Convolution")

    # -- inputs ---------------------------------------------------------------------------
    def set_image(self, image: DecodedImage) -> None:
        """Take the new current image; behind the numeric matrix or a custom input it waits
        one click away ("Use the image"), see :meth:`ConvLabModel.set_image`."""
        self._carry_out(self.model.set_image(image))
        if self.model.image_waiting():
            self.status_message.emit(self.tr("{0} is ready: \u201cUse the image\u201d slides the kernel over it.")
                                     .format(elided_name(image.name, self)))

    def show_image_source(self, source: str = "luminance") -> None:
        """Switch the input to the current image (``luminance``, ``red``, ``green``, ``blue``, ``rgb``)."""
        self._carry_out(self.model.set_source(source))

    def load_setup(self, setup: ConvSetup) -> None:
        """Show a setup sent by another page (e.g. one kernel of a ResNet layer), labelled."""
        self._carry_out(self.model.load_setup(setup))

    def load_course_example(self, number: int) -> None:
        """One of the syllabus's worked examples, as an editable numeric matrix."""
        self._carry_out(self.model.load_course_example(number))

    def apply_to_model(self, change: Callable[[ConvLabModel], Outcome]) -> None:
        """Change the model by ``change(model)`` (a lesson, a session) and carry out what it answers."""
        self._carry_out(change(self.model))

    def kernel(self) -> np.ndarray:
        """The (C, kh, kw) kernel the lab slides (a copy)."""
        return self.model.kernel.copy()

    # -- what the model asked for ------------------------------------------------------------
    def _carry_out(self, outcome: Outcome) -> None:
        """Do what a model change asked for, then show the model's settings around the pictures."""
        if isinstance(outcome, Job):
            self._runner.submit(outcome.function, *outcome.args)
            _, rows, cols = self.model.input_shape()
            self.status_message.emit(self.tr("Computing the {0}×{1} feature map…").format(rows, cols))
        elif isinstance(outcome, Refusal):
            self._runner.cancel()
            self._show_refusal()
        elif isinstance(outcome, KernelSlide):
            self._runner.cancel()  # a slower, older job must not overwrite this slide
            self._accept(outcome)
        self._show_settings()

    def _on_slide_computed(self, _generation: int, slide: KernelSlide) -> None:
        self._accept(slide)
        self.status_message.emit("")

    def _on_compute_failed(self, _generation: int, error: BaseException) -> None:
        if self.model.fail(error) is not None:
            self._show_refusal()
            self._show_settings()
        else:
            self.error_occurred.emit(self.tr("The convolution failed: {0}").format(f"{type(error).__name__}: {error}"))

    def _show_settings(self) -> None:
        """Model -> view: the form (signals blocked, no echo), the banner, the formula."""
        model = self.model
        self.controls.show_settings(model.settings, custom_available=model.custom is not None)
        self.controls.set_error(model.refusal.message if model.refusal is not None else "")
        self.custom_label.setText(self._banner_text(model.loaded))
        self.custom_label.setVisible(model.banner_shown())
        image = model.image
        if model.image_waiting():
            self.use_image.setText(self.tr("Use the image: {0} ({1}\u00d7{2})").format(
                elided_name(image.name, self.use_image), image.width, image.height))
            self.use_image.setToolTip(self.tr("Slide the kernel over {0} instead").format(image.name))
        self.use_image.setVisible(model.image_waiting())
        self._show_formula()

    def _banner_text(self, loaded: LoadedInput) -> str:
        if loaded.example == 1:
            return self.tr("Course example 1: 5x5, 3x3, stride 2, no padding")
        if loaded.example == 2:
            return self.tr("Course example 2: 5x5, 3x3, stride 1, padding 1 per side (p = 2)")
        return self.tr("Custom input: {0}").format(loaded.label or self.tr("(unnamed)"))

    def _show_formula(self) -> None:
        """Both output-size conventions with the live numbers, one line per axis each.

        A small table that never wraps mid-expression: a convention's general form on its own
        line, then its two instances (rows, columns) in aligned cells.
        """
        sizes = self.model.output_sizes()
        if sizes is None:
            self.controls.formula.setText(self.tr("Open an image, or pick the numeric matrix."))
            return
        torch_lines, course_lines = [], []
        asymmetric = any(a.padding_end is not None for a in sizes)
        # A setting that cannot run has no size in either convention, whatever the arithmetic says.
        impossible = "\u2192 <b style='color:#b00020'>" + self.tr("impossible") + "</b>"
        for name, a in zip((self.tr("rows"), self.tr("cols")), sizes, strict=True):
            torch_value = impossible if a.size is None else f"= {a.size}"
            course_value = impossible if a.size is None else f"= {a.textbook:g}"
            padding = f"2\u00b7{a.padding}" if a.padding_end is None else f"{a.padding} + {a.padding_end}"
            torch_lines.append((name, f"\u230a({a.n} + {padding} \u2212 {a.dilation}\u00b7({a.kernel}\u22121) "
                                      f"\u2212 1)/{a.stride}\u230b + 1 {torch_value}"))
            course_lines.append((name, f"({a.n} \u2212 {a.effective_kernel} + {a.total_padding})/{a.stride} + 1 "
                                       f"{course_value}"))
        if asymmetric:  # padding given per side: the two sides are added, not doubled
            pytorch = (self.tr("PyTorch, padding before + after"),
                       "\u230a(n + p\u2081 + p\u2082 \u2212 d(k\u22121) \u2212 1)/s\u230b + 1")
            course = self.tr("Course, p = p\u2081 + p\u2082")
        else:
            pytorch = (self.tr("PyTorch, p per side"), "\u230a(n + 2p \u2212 d(k\u22121) \u2212 1)/s\u230b + 1")
            course = self.tr("Course, p = 2 \u00d7 p per side")
        rows = []
        for title, general, lines in (
            (*pytorch, torch_lines),
            (course, "(n \u2212 k + p)/s + 1", course_lines),
        ):
            rows.append(f'<tr><td></td><td><b>{title}</b><br><span style="color:#555">{general}</span></td></tr>')
            rows.extend(f'<tr><td style="color:#555">{name}&nbsp;</td><td style="white-space:pre">{line}</td></tr>'
                        for name, line in lines)
        self.controls.formula.setText(
            f'<table cellspacing="0" cellpadding="1" style="font-size:9pt">{"".join(rows)}</table>')
        self.settings_scroll.updateGeometry()  # a longer number may need a few more pixels

    def _show_refusal(self) -> None:
        """No steps for an impossible setting: the pictures empty, playback off and counting no
        step, the kernel grid showing the kernel asked for (the form says why)."""
        self.pause()
        self.canvas.clear_steps()
        self.window_view.clear_step()
        kernel = self.model.kernel
        self.window_view.set_kernel(kernel, min(self.model.view_channel, kernel.shape[0] - 1))
        self.step_controls.set_count(0)
        self._set_enabled(False)
        self.step_label.setText(self.tr("No steps: see the explanation on the left."))
        self.shift_panel.show_source(None)

    def _accept(self, slide: KernelSlide) -> None:
        """Show a finished slide: O(image) once, then each step is O(kernel area)."""
        granularity = self.model.accept(slide)
        steps = slide.steps
        channels = steps.kernel.shape[0]
        channel = self.model.view_channel
        self._set_enabled(True)
        with signals_blocked(self.view_channel):
            self.view_channel.setRange(0, channels - 1)
            self.view_channel.setValue(channel)
            self.view_channel.setVisible(channels > 1)
        lut = colormaps.lookup_table(output_colormap(slide.levels))
        numbers_channel = channel if slide.rgb_channel < 0 else slide.rgb_channel
        self.canvas.set_steps(steps, slide.input_rgb, numbers_channel, lut, slide.levels)
        (hp, wp), (ho, wo) = steps.geometry.padded_hw, steps.geometry.output_hw
        self.canvas.set_titles(self.tr("Padded input {0}x{1} (padding tinted blue)").format(hp, wp),
                               self.tr("Output feature map {0}x{1}").format(ho, wo))
        self.window_view.set_channel_note(self.tr("channel {0} of {1}").format(channel, channels)
                                          if channels > 1 else "")
        self.window_view.set_kernel(steps.kernel, channel)
        self.step_controls.set_row_length(wo)
        if granularity is not None:  # suggested only when the size class changes
            self.step_controls.set_granularity(granularity)
        self.step_controls.set_enabled_playback(True)
        self.step_controls.set_count(len(steps))
        self._show_step(self.step_controls.step())
        self.shift_panel.show_source(steps)

    def _on_view_channel(self, channel: int) -> None:
        """Another channel in the grids and the input picture: nothing is recomputed."""
        if not self.model.set_view_channel(channel):
            return
        slide = self.model.result
        self.canvas.set_input_channel(channel, slide.input_rgb if slide.rgb_channel >= 0 else None)
        self.window_view.set_channel_note(self.tr("channel {0} of {1}").format(channel, slide.steps.kernel.shape[0]))
        self.window_view.set_kernel(self.model.kernel, channel)
        self._show_step(self.step_controls.step())

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

    def _show_step(self, index: int) -> None:
        slide = self.model.result
        if slide is None:
            return
        step = slide.steps[index]
        self.canvas.show_step(step)
        channels = step.patch.shape[0]
        prefix = self.tr("sum over {0} channels").format(channels) if channels > 1 else "\u03a3(x\u00b7k)"
        left_out = self.tr("\u2026 ({0} more terms, {1} of them 0)")
        self.window_view.show_step(step, f"{prefix} + b = y:  {format_sum(step, left_out=left_out)}")
        self.step_label.setText(self.tr("Step {0} of {1}: output cell (row {2}, col {3}), window at ({4}, {5})").format(
            format_count(index + 1), format_count(len(slide.steps)), *step.out_pos, *step.window))

    # -- hover ----------------------------------------------------------------------------
    def _on_output_hovered(self, row: int, col: int) -> None:
        if row < 0 or self.model.result is None:
            return
        self.pause()
        self.go_to(self.model.result.steps.geometry.step_of(row, col))

    def _on_input_hovered(self, row: int, col: int) -> None:
        if self.model.result is None:
            return
        cells = self.model.result.steps.geometry.outputs_fed_by(row, col) if row >= 0 else []
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
        if self.model.result is None:
            raise UserError(self.tr("Nothing to export: the current settings give no output."))
        out = checked_output_path(path, (".gif",), add_suffix=True)
        export = self.model.gif_export(str(out), self.current_step(), self.step_controls.stride(),
                                       self.step_controls.speed())
        self._exporter.submit(_write_gif, export)
        self.status_message.emit(self.tr("Writing {0} ({1} frames)…").format(out, len(export.frames)))
        return out

    def _on_exported(self, _generation: int, frames: int) -> None:
        self.status_message.emit(self.tr("Wrote {0} ({1} frames).").format(self.model.gif.path, frames))

    def _on_export_failed(self, _generation: int, error: BaseException) -> None:
        if isinstance(error, UserError):  # the writer's own sentence names the file and the reason
            self.error_occurred.emit(str(error))
            return
        self.error_occurred.emit(
            self.tr("Could not write {0}: {1}").format(self.model.gif.path, write_failure_reason(error))
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
