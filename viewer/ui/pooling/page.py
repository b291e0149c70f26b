"""The Pooling lab: max, average and stochastic pooling side by side, and step by step.

The page shows one map (a channel of the current image, or a feature map sent from the ResNet
explorer) next to its three pooled versions with one colormap and one set of levels, the
differences max - avg and stochastic - avg, and the current window up close. What is pooled,
how, and what came out is :class:`~viewer.models.pooling_lab.PoolingLabModel`'s; the page
forwards each change to it, runs the jobs it answers with in a
:class:`~viewer.ui.workers.LatestRunner` (a slow 512x512 update never blocks the GUI and a stale
result never wins), and draws what it holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QVBoxLayout

from viewer.core.errors import UserError
from viewer.core.images import DecodedImage
from viewer.core.samples import load_sample
from viewer.export.files import checked_output_path, save_gif, save_png, write_failure_reason
from viewer.export.pool_sheets import comparison_image, settings_footer, step_frames
from viewer.models.jobs import Job, Refusal
from viewer.models.pooling_lab import (
    ComparisonExport,
    PoolingComparison,
    PoolingLabModel,
    PoolingLabSettings,
    SteppingExport,
)
from viewer.ui.language import translated_sentence
from viewer.ui.page import Page
from viewer.ui.pooling.controls import PoolingControls
from viewer.ui.pooling.maps import PoolMaps
from viewer.ui.pooling.shift import PoolShiftPanel
from viewer.ui.widgets.sentence_label import SentenceLabel
from viewer.ui.widgets.step_controls import StepControls
from viewer.ui.workers import LatestRunner

#: Steps in a GIF exported from the button (from the current step on).
GIF_FRAMES = 60


class PoolingLabPage(Page):
    """Max vs average vs stochastic pooling on the user's image or a ResNet feature map."""

    page_id = "pooling"

    def __init__(self) -> None:
        super().__init__()
        self.model = PoolingLabModel()
        # One pooling job at a time; a newer setting supersedes a running one.
        self._runner = LatestRunner(self)
        self._runner.finished.connect(self._finished)
        self._runner.failed.connect(self._failed)
        self._exporter = LatestRunner(self)
        self._exporter.finished.connect(lambda _g, path: self.status_message.emit(self.tr("Saved %1").replace("%1", path)))
        self._exporter.failed.connect(self._export_failed)
        self.build_in_pieces(self._build())

    def _build(self) -> Iterator[None]:
        """The page in pieces of about a frame each (see :meth:`Page.build_in_pieces`)."""
        self.shift_panel = PoolShiftPanel()
        self.track(self._runner, self._exporter, self.shift_panel.runner)
        yield

        self.controls = PoolingControls()
        controls = self.controls
        self.source_box, self.colormap_box = controls.source_box, controls.colormap_box
        self.kernel_spin, self.stride_spin, self.padding_spin = controls.kernel_spin, controls.stride_spin, controls.padding_spin
        self.train_radio, self.test_radio = controls.train_radio, controls.test_radio

        self.maps = PoolMaps(build=False)
        yield from self.maps.build()
        self.window_view = self.maps.window_view
        self.step_controls = StepControls()
        self.step_controls.install_shortcuts(self)
        self.step_label = SentenceLabel()
        right = QVBoxLayout()
        right.addWidget(self.maps, 1)
        right.addWidget(self.step_label)
        right.addWidget(self.step_controls)
        right.addWidget(self.shift_panel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(controls)
        layout.addLayout(right, 1)

        controls.settings_edited.connect(lambda: self._carry_out(self.model.set_settings(controls.values())))
        controls.plain_button.clicked.connect(lambda: self.set_window(2, 2, 0))
        controls.overlap_button.clicked.connect(lambda: self.set_window(3, 2, 1))
        controls.resample_button.clicked.connect(lambda: self._carry_out(self.model.resample()))
        controls.texture_button.clicked.connect(lambda: self.apply_preset("texture_patch"))
        controls.stripes_button.clicked.connect(lambda: self.apply_preset("stripes"))
        controls.png_button.clicked.connect(self._ask_png)
        controls.gif_button.clicked.connect(self._ask_gif)
        self.step_controls.step_changed.connect(self._show_step)
        self.maps.cell_hovered.connect(self._hover)
        self._show_settings()
        yield
        self.set_image(load_sample("texture_patch"))

    def page_title(self) -> str:
        return self.tr("Pooling")

    # -- public API --------------------------------------------------------------------------
    def set_image(self, image: DecodedImage) -> None:
        """Pool a plane of the new current image (a feature map on show stays)."""
        self._carry_out(self.model.set_image(image))

    def show_feature_map(self, values: np.ndarray, label: str) -> None:
        """Pool a feature map (H, W) sent by the ResNet explorer; negatives are never hidden."""
        outcome = self.model.show_feature_map(values, label)
        if isinstance(outcome, Refusal):
            self.error_occurred.emit(_translated(outcome.message))
            return
        self._carry_out(outcome)

    def set_window(self, kernel: int, stride: int, padding: int) -> None:
        """Window size, stride and padding per side, in one recompute."""
        self._carry_out(self.model.set_window(kernel, stride, padding))

    def apply_preset(self, stem: str) -> None:
        """A synthetic sample with settings that make the lesson visible, and what to look at."""
        self._carry_out(self.model.apply_preset(stem))

    def apply_to_model(self, change: Callable[[PoolingLabModel], Job | Refusal | None]) -> None:
        """Change the model by ``change(model)`` (a lesson, a session) and carry out what it answers."""
        self._carry_out(change(self.model))

    def settings(self) -> PoolingLabSettings:
        """The settings the lab pools with."""
        return self.model.settings

    def current_map(self) -> np.ndarray | None:
        """The map being pooled (after the optional ReLU)."""
        return self.model.current_map()

    def result(self) -> PoolingComparison | None:
        """The comparison on show (None while the settings are refused)."""
        return self.model.result

    def message(self) -> str:
        """The sentence shown in red under the controls ("" when none)."""
        return self.controls.message()

    # -- computing ---------------------------------------------------------------------------
    def _carry_out(self, outcome: Job | Refusal | None) -> None:
        """Show the new settings, then do what the model answered to the change.

        The settings first: once a job is submitted its worker competes with this thread for the
        GIL, and the controls' update then waited for it (and delayed it) by 3 ms at 512x512.
        """
        self._show_settings()
        if isinstance(outcome, Job):
            self._runner.submit(outcome.function, *outcome.args)
        else:
            if isinstance(outcome, Refusal):
                self._runner.cancel()  # a running job's result would no longer match the settings
            self._draw()

    def _finished(self, _generation: int, result: PoolingComparison) -> None:
        granularity = self.model.accept(result)
        self.step_controls.set_row_length(self.model.row_length())
        if granularity is not None:  # suggested only when the size class changes
            self.step_controls.set_granularity(granularity)
        self._draw()
        self._show_message()

    def _failed(self, _generation: int, error: BaseException) -> None:
        if isinstance(error, UserError):
            self.model.fail(str(error))
            self._show_message()
        else:
            self.error_occurred.emit(self.tr("Pooling failed: %1").replace("%1", f"{type(error).__name__}: {error}"))

    # -- drawing -----------------------------------------------------------------------------
    def _show_settings(self) -> None:
        model = self.model
        self.controls.show_settings(model.settings, model.feature_label, model.source_has_negatives)
        self.controls.show_formula(model.formula())
        self.controls.show_preset(model.preset)
        self._show_message()

    def _show_message(self) -> None:
        if self.model.refusal:
            text = _translated(self.model.refusal)
        elif self.model.needs_relu:
            text = self.tr("This map has negative values. Stochastic pooling draws with p = a / \u03a3a, which is not a probability for negative a: apply ReLU first (tick \u201cReLU it\u201d).")
        else:
            text = ""
        self.controls.show_message(text)

    def _draw(self) -> None:
        result = self.model.result
        self.shift_panel.colormap = self.model.settings.colormap
        self.shift_panel.show_source(result)
        self.controls.show_convergence(None)
        if result is None:
            self.maps.clear_maps()
            self.step_controls.set_count(0)
            self.step_controls.set_enabled_playback(False)
            self.step_label.setText("")
            return
        maps = {"input": result.x, **{key: values for key, values in result.outputs.items() if values is not None}}
        self.maps.show_maps(maps, self.model.levels(), self.model.settings.colormap, result.differences,
                            result.difference_levels, cell=result.settings.stride)
        bound = f"{result.difference_levels[1]:.3g}"
        self.maps.set_title("max_diff", self.tr("max \u2212 avg (\u00b1%1)").replace("%1", bound))
        self.maps.set_title("stochastic_diff", self.tr("stochastic \u2212 avg (\u00b1%1)").replace("%1", bound))
        self._title_stochastic(result)
        self.step_controls.set_enabled_playback(True)
        self.step_controls.set_count(len(result.max_steps))
        self._show_step(self.step_controls.step())

    def _title_stochastic(self, result: PoolingComparison) -> None:
        s = result.settings
        variant = self.model.stochastic_variant()
        if variant == "needs_relu":
            title = self.tr("stochastic: needs ReLU first")
            self.maps.set_title("stochastic_diff", self.tr("stochastic \u2212 avg: needs ReLU"))
        elif variant == "test":
            title = self.tr("stochastic (test: \u03a3 p<sub>i</sub>a<sub>i</sub>)")
        elif variant == "mean":
            title = self.tr("stochastic (mean of %1 draws)").replace("%1", str(s.samples))
            self.controls.show_convergence(result.convergence_gap)
        else:
            title = self.tr("stochastic (train draw, seed %1)").replace("%1", str(s.seed))
        self.maps.set_title("stochastic", title)

    def _show_step(self, index: int) -> None:
        steps = self.model.steps_at(index)
        if steps is None:
            return
        step, stochastic = steps
        self.maps.outline_step(step, self.model.result.max_steps.geometry)
        probabilities = drawn = None
        values = [self.tr("max = <b>%1</b>").replace("%1", f"{step.patch[step.max_index]:.3f}"),
                  self.tr("average = <b>%1</b> (\u00f7 %2, padding included)").replace("%1", f"{step.mean:.3f}").replace("%2", str(step.patch.size))]
        note = self.tr("needs ReLU first")
        if stochastic is not None:
            probabilities, drawn, note = stochastic.probabilities, stochastic.drawn_index, ""
            if self.model.result.settings.training:
                drew = self.tr("nothing (all zero)") if drawn is None else f"({drawn[0]}, {drawn[1]}) = {stochastic.value:.3f}"
                values.append(self.tr("stochastic drew <b>%1</b>").replace("%1", drew))
            else:
                values.append(self.tr("stochastic \u03a3 p<sub>i</sub>a<sub>i</sub> = <b>%1</b>").replace("%1", f"{stochastic.value:.3f}"))
        self.window_view.show_step(step, self.model.levels(), self.model.settings.colormap, probabilities, drawn, note)
        (top, left), (row, col) = step.window, step.out_pos
        head = self.tr("Window at (%1, %2) \u2192 output (%3, %4):").replace("%1", str(top)).replace("%2", str(left)).replace("%3", str(row)).replace("%4", str(col))
        legend = self.tr("<span style='color:#ffc800'>\u25a0</span> max cell, <span style='color:#ff3c3c'>\u25a0</span> drawn cell")
        self.step_label.setText(f"{head} {'; '.join(values)}.  {legend}")

    def _hover(self, on_input: bool, row: int, col: int) -> None:
        step = self.model.step_under(on_input, row, col)
        if step is not None:
            self.step_controls.set_step(step)

    # -- export ------------------------------------------------------------------------------
    def export_png(self, path: str) -> None:
        """Write the comparison now (scripts and tests); UserError with one clear sentence."""
        self._write_now(path, ".png", self.model.comparison_export())

    def export_gif(self, path: str, frames: int = GIF_FRAMES) -> None:
        """Write ``frames`` steps from the current one now; UserError with one clear sentence."""
        self._write_now(path, ".gif", self._stepping(frames))

    def _stepping(self, frames: int) -> SteppingExport | Refusal:
        return self.model.stepping_export(self.step_controls.step(), frames, self.step_controls.speed())

    def _export_job(self, path: str, suffix: str, export: ComparisonExport | SteppingExport | Refusal) -> tuple[str, Job]:
        """Where the picture goes and the job that writes it; UserError for a refusal or a bad path."""
        if isinstance(export, Refusal):
            raise UserError(_translated(export.message))
        target = str(checked_output_path(path, (suffix,), add_suffix=True))
        return target, Job(_write_picture, (export, target))

    def _write_now(self, path: str, suffix: str, export) -> None:
        target, job = self._export_job(path, suffix, export)
        job.run()
        self.status_message.emit(self.tr("Saved %1").replace("%1", target))

    def _export_failed(self, _generation: int, error: BaseException) -> None:
        if isinstance(error, UserError):  # the writer's own sentence names the file and the reason
            self.error_occurred.emit(str(error))
            return
        self.error_occurred.emit(self.tr("Could not write the picture: %1").replace("%1", write_failure_reason(error)))

    def _ask(self, title: str, pattern: str, suffix: str, export: Callable[[], ComparisonExport | SteppingExport | Refusal]) -> None:
        """Ask for a file, then write it in a worker (a photo's GIF takes seconds)."""
        path, _ = QFileDialog.getSaveFileName(self, title, "", pattern)
        if not path:
            return
        try:
            target, job = self._export_job(path, suffix, export())
        except UserError as error:
            self.error_occurred.emit(str(error))
            return
        self._exporter.submit(job.function, *job.args)
        self.status_message.emit(self.tr("Writing %1\u2026").replace("%1", target))

    def _ask_png(self) -> None:
        self._ask(self.tr("Export the comparison"), self.tr("PNG images (*.png)"), ".png", self.model.comparison_export)

    def _ask_gif(self) -> None:
        self._ask(self.tr("Export the stepping (from the current step)"), self.tr("GIF animations (*.gif)"), ".gif",
                  lambda: self._stepping(GIF_FRAMES))


def _write_picture(export: ComparisonExport | SteppingExport, path: str) -> str:
    """Draw and write what the model described (a worker job): the sheet as PNG, the steps as GIF."""
    if isinstance(export, SteppingExport):
        save_gif(step_frames(export.steps, export.selection, colormap=export.colormap), path, export.fps)
    else:
        comparison, s = export.comparison, export.comparison.settings
        footer = settings_footer(s.kernel, s.stride, s.padding, s.training, s.seed)
        save_png(comparison_image(comparison.x, dict(comparison.outputs), colormap=export.colormap, footer=footer), path)
    return path


def _translated(sentence: str) -> str:
    """A sentence from the model or the core, in the user's language where there is a translation."""
    translated = QCoreApplication.translate("PoolingLabModel", sentence)
    return translated if translated != sentence else translated_sentence(sentence)
