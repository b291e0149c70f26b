"""The training lab page: train small networks live, side by side, and hand one to the explorer.

A view over :class:`~viewer.models.training_lab.TrainingLabModel`: the controls call one model
method each; the jobs it answers with run in :class:`LatestRunner` workers (preparing the data
and networks, advancing the run, saving weights), their progress events go into the model, and
a timer redraws the plots from the model at most ten times a second. The run pauses while
another page is shown (the model's rule), unless the user ticked "keep training".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget
from superqt.utils import signals_blocked

from viewer.core.errors import UserError
from viewer.core.training.record import WINDOW
from viewer.export.files import checked_output_path, save_png
from viewer.export.training_curves import curves_picture
from viewer.models.jobs import Job, Refusal
from viewer.models.training_lab import (
    FAILED,
    FINISHED,
    PAUSED,
    PREPARING,
    STOPPED,
    STOPPING,
    TrainingLabModel,
)
from viewer.ui.language import translated_sentence
from viewer.ui.page import Page
from viewer.ui.training.controls import TrainingControls
from viewer.ui.training.plots import PARTS, CurvesView
from viewer.ui.workers import LatestRunner

log = logging.getLogger(__name__)

#: each plot is redrawn at most this often (milliseconds); the plots take turns, one per tick
REDRAW_MS = 100


class TrainingLabPage(Page):
    """Train the presets' networks and watch their curves."""

    page_id = "training"
    #: (weights file, a test image of the dataset or None): show this trained network in the explorer
    open_in_explorer = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.build_in_pieces(self._build())

    def _build(self) -> Iterator[None]:
        """The page in pieces of about a frame each: the controls, the plots, the layout, the first drawing."""
        self.model = TrainingLabModel()
        self.controls = TrainingControls()
        yield
        self.curves = CurvesView(build=False)
        yield from self.curves.build()
        yield
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        left = QScrollArea()
        left.setWidgetResizable(True)
        left.setWidget(self.controls)
        left.setMinimumWidth(380)
        left.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.status)
        right_layout.addWidget(self.curves, 1)
        right_layout.addWidget(self.summary)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 1020])
        splitter.setCollapsible(1, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

        self.prepare_runner = LatestRunner(self)
        self.train_runner = LatestRunner(self)
        self.save_runner = LatestRunner(self)
        self.track(self.prepare_runner, self.train_runner, self.save_runner)
        self.prepare_runner.finished.connect(self._prepared)
        self.prepare_runner.failed.connect(self._run_failed)
        self.train_runner.progressed.connect(self._event)
        self.train_runner.finished.connect(self._advanced)
        self.train_runner.failed.connect(self._run_failed)
        self.save_runner.finished.connect(self._saved)
        self.save_runner.failed.connect(self._save_failed)
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setInterval(REDRAW_MS // PARTS)
        self._redraw_timer.timeout.connect(self._draw_next_part)
        self._stale_parts: set[int] = set()  # the plots not drawn since the record last changed
        self._next_part = 0
        self._pending_save: str = ""  # "explorer" or "file": what the save runner's result is for

        c = self.controls
        c.preset_chosen.connect(self.choose_preset)
        c.settings_edited.connect(self._settings_edited)
        c.folder_requested.connect(self._choose_folder)
        c.start_requested.connect(self.start)
        c.pause_requested.connect(self.pause)
        c.resume_requested.connect(self.resume)
        c.stop_requested.connect(self.stop)
        c.open_requested.connect(self.open_selected_in_explorer)
        c.save_requested.connect(self._choose_save)
        c.export_png_requested.connect(self._choose_png)
        c.export_csv_requested.connect(self._choose_csv)
        c.keep_training.toggled.connect(self._keep_training_toggled)
        yield
        self._show_settings()
        self.curves.set_networks(self.model.network_names())
        self.redraw()
        self._show_status(self.tr("Choose an experiment and press Start."))

    def page_title(self) -> str:
        return self.tr("Training")

    # ------------------------------------------------------------------ settings

    def choose_preset(self, preset_id: str) -> None:
        """Show an experiment with its default settings."""
        self.apply_to_model(lambda model: model.apply_preset(preset_id))

    def apply_to_model(self, change: Callable[[TrainingLabModel], object]) -> None:
        """Change the model by ``change(model)`` (a preset, a session) and show its settings."""
        change(self.model)
        self._show_settings()
        if not self.model.is_active and self.model.record is None:
            self.curves.set_networks(self.model.network_names())
            self.redraw()

    def _settings_edited(self) -> None:
        refusal = self.model.set_settings(self.controls.values(self.model.settings.preset))
        if refusal is not None:
            self._show_status(refusal.message, error=True)
        self._show_settings()

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Dataset folder (cifar-10-batches-bin, or one sub-folder per class)"))
        if folder:
            self.use_dataset(folder)

    def use_dataset(self, dataset: str) -> None:
        """Train on ``"shapes"`` or a folder (read when the run starts)."""
        from dataclasses import replace

        self.model.set_settings(replace(self.model.settings, dataset=str(dataset)))
        self._show_settings()

    def _keep_training_toggled(self, keep: bool) -> None:
        self.model.keep_training_elsewhere = keep

    # ------------------------------------------------------------------ the run

    def start(self) -> None:
        """Start a run with the settings shown."""
        outcome = self.model.start()
        if isinstance(outcome, Refusal):
            self._show_status(outcome.message, error=True)
            return
        self.curves.set_networks(self.model.network_names())
        self.curves.show_record(None)
        self._show_status(self.tr("Reading the dataset and building {0} ...").format(", ".join(self.model.network_names())))
        self._show_state()
        self.prepare_runner.submit(outcome.function, *outcome.args)

    def pause(self) -> None:
        """Pause after the step under way."""
        self.model.pause()
        self._show_status(self.tr("Pausing after the step under way ..."))

    def resume(self) -> None:
        """Go on from where the run paused."""
        self._submit_training(self.model.resume())

    def stop(self) -> None:
        """Stop after the step under way; the networks are then tested on the whole test set."""
        self._submit_training(self.model.stop())
        self._show_status(self.tr("Stopping after the step under way ..."))

    def _submit_training(self, job: Job | None) -> None:
        self._show_state()
        if job is not None:
            self.train_runner.submit(job.function, *job.args)
            self._redraw_timer.start()

    def _prepared(self, _generation: int, trainer) -> None:
        job = self.model.prepared(trainer)
        dataset = trainer.dataset
        note = f" ({dataset.note})" if dataset.note else ""
        self._show_status(self.tr("Training {0} on {1}: {2} training images of {3}x{3}, {4} classes{5}, on the {6}.").format(
            ", ".join(self.model.network_names()), dataset.name, len(dataset.train_labels), dataset.size,
            dataset.num_classes, note, trainer.device.type.upper()))
        self._submit_training(job)
        self._show_state()

    def _event(self, _generation: int, event) -> None:
        self.model.accept_event(event)
        self._stale_parts = set(range(PARTS))

    def _advanced(self, _generation: int, outcome: str) -> None:
        self._submit_training(self.model.advanced(outcome))
        self.redraw()
        state = self.model.state
        if state == PAUSED:
            if self.model.paused_elsewhere:
                self._show_status(self.tr("Paused at step {0} while another page is shown; it resumes when you come back.").format(
                    self.model.record.step))
            else:
                self._show_status(self.tr("Paused at step {0}.").format(self.model.record.step))
        elif state in (FINISHED, STOPPED):
            self._redraw_timer.stop()
            word = self.tr("Finished") if state == FINISHED else self.tr("Stopped")
            self._show_status(self.tr("{0} at step {1}; test accuracy on the whole test set below.").format(word, self.model.record.step))

    def _run_failed(self, _generation: int, error) -> None:
        self.model.failed(error)
        self._redraw_timer.stop()
        self.redraw()
        if not isinstance(error, UserError):
            log.error("training failed", exc_info=error)
        message = translated_sentence(str(error)) if isinstance(error, UserError) else self.tr("Unexpected error: {0}").format(error)
        self._show_status(message, error=True)
        self.error_occurred.emit(message)

    # ------------------------------------------------------------------ other pages

    def hideEvent(self, event) -> None:
        self.model.leave()
        super().hideEvent(event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        job = self.model.come_back()
        if job is not None:
            self._submit_training(job)
            self._show_status(self.tr("Resumed."))

    def closeEvent(self, event) -> None:
        self.model.stop()  # a worker in the middle of a step finishes it, then stops
        super().closeEvent(event)

    # ------------------------------------------------------------------ trained networks

    def open_selected_in_explorer(self) -> None:
        """Save the chosen trained network and show it in the ResNet explorer."""
        outcome = self.model.open_in_explorer(self.controls.network())
        if isinstance(outcome, Refusal):
            self._show_status(outcome.message, error=True)
            self.error_occurred.emit(outcome.message)
            return
        self._pending_save = "explorer"
        self.save_runner.submit(outcome.function, *outcome.args)

    def _choose_save(self) -> None:
        index = self.controls.network()
        if index is None:
            return
        name = self.model.network_names()[index].replace(" ", "-")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save weights"), f"{name}.safetensors",
                                              self.tr("safetensors weights (*.safetensors)"))
        if path:
            self.save_weights(index, path)

    def save_weights(self, index: int, path: str | Path) -> None:
        """Write network ``index`` as a .safetensors file with how it was trained."""
        outcome = self.model.save_weights(index, path)
        if isinstance(outcome, Refusal):
            self.error_occurred.emit(outcome.message)
            return
        self._pending_save = "file"
        self.save_runner.submit(outcome.function, *outcome.args)

    def _saved(self, _generation: int, path) -> None:
        if self._pending_save == "explorer":
            self.open_in_explorer.emit(str(path), self.model.sample_image())
            self._show_status(self.tr("Opened in the ResNet explorer with a test image of the dataset."))
        else:
            self.status_message.emit(self.tr("Saved {0}").format(path))
            self._show_status(self.tr("Saved {0}").format(path))

    def _save_failed(self, _generation: int, error) -> None:
        message = translated_sentence(str(error)) if isinstance(error, UserError) else self.tr("Unexpected error: {0}").format(error)
        self.error_occurred.emit(message)

    def _choose_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export curves"), f"{self.model.settings.preset}.png",
                                              self.tr("PNG images (*.png)"))
        if path:
            self.export_png(path)

    def _choose_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export curves"), f"{self.model.settings.preset}.csv",
                                              self.tr("CSV tables (*.csv)"))
        if path:
            self.export_csv(path)

    def export_png(self, path: str | Path) -> Path | None:
        """Save the curves as the picture the train command draws; None if there is nothing or it cannot be written."""
        if self.model.record is None:
            return None
        try:
            out = checked_output_path(path, (".png",), add_suffix=True)
            saved = save_png(curves_picture(self.model.record, self.model.preset.title, self.model.settings_line()), out)
        except UserError as error:
            self.error_occurred.emit(str(error))
            return None
        self.status_message.emit(self.tr("Saved {0}").format(saved))
        return saved

    def export_csv(self, path: str | Path) -> Path | None:
        """Save the curves as a long-format CSV (one row per network and step)."""
        if self.model.record is None:
            return None
        try:
            out = checked_output_path(path, (".csv",), add_suffix=True)
            out.write_text(self.model.record.csv_text(), encoding="utf-8")
        except (UserError, OSError) as error:
            self.error_occurred.emit(str(error) if isinstance(error, UserError) else
                                     self.tr("Cannot write {0}: {1}").format(path, error.strerror or error))
            return None
        self.status_message.emit(self.tr("Saved {0}").format(out))
        return out

    # ------------------------------------------------------------------ drawing

    def _draw_next_part(self) -> None:
        """Draw the next plot whose data changed, one per tick, so that no turn of the event
        loop paints all three plots (each takes 5-10 ms to paint; under training, twice that);
        the text below the plots goes with the loss plot."""
        for _ in range(PARTS):
            part, self._next_part = self._next_part, (self._next_part + 1) % PARTS
            if part in self._stale_parts:
                self._stale_parts.discard(part)
                self.curves.show_part(self.model.record, part)
                if part == 0:
                    self._show_progress()
                return

    def redraw(self) -> None:
        """Draw the model's curves, progress and summary now."""
        self._stale_parts.clear()
        self.curves.show_record(self.model.record)
        self._show_progress()

    def _show_progress(self) -> None:
        model = self.model
        progress = model.progress()
        self.curves.set_steps(progress.steps)
        bar = self.controls.progress
        bar.setRange(0, max(1, progress.steps))
        bar.setValue(progress.step)
        bar.setFormat(self.tr("step {0} of {1}").format(progress.step, progress.steps))
        parts = []
        if progress.images_per_second:
            parts.append(self.tr("{0:,.0f} images/s").format(progress.images_per_second))
        if progress.seconds_left is not None and model.state not in (FINISHED, STOPPED, FAILED):
            parts.append(self.tr("about {0} left").format(_duration(progress.seconds_left)))
        self.controls.speed_label.setText(" · ".join(parts))
        rows = []
        for name, loss, accuracy, diverged in model.summary():
            if diverged is not None:
                rows.append(self.tr("<b>{0}</b>: diverged at step {1}").format(name, diverged))
                continue
            loss_text = "–" if loss is None else f"{loss:.3f}"
            accuracy_text = "–" if accuracy is None else f"{100 * accuracy:.1f}%"
            rows.append(self.tr("<b>{0}</b>: loss {1} (mean of the last {2} steps), test accuracy {3}").format(
                name, loss_text, min(WINDOW, model.record.step), accuracy_text))
        self.summary.setText("<br>".join(rows))
        self._show_state()

    def _show_state(self) -> None:
        model = self.model
        has_networks = model.record is not None and bool(model.record.steps)
        self.controls.show_networks(model.network_names() if has_networks else (), model.explorable())
        self.controls.show_run_state(model.is_active, model.state == PAUSED, has_networks)
        if has_networks:
            if model.explorable():
                self.controls.trained_note.setText(self.tr("Saved weights carry the dataset's class names and preprocessing."))
            else:
                self.controls.trained_note.setText(self.tr(
                    "The explorer shows torchvision-layout ResNets; these CIFAR-family networks can be saved and exported. "
                    "Train the course's ResNet50 to inspect a trained network there."))
        busy = model.state in (PREPARING, STOPPING)
        self.controls.start_button.setText(self.tr("Start") if not busy else self.tr("Working…"))

    def _show_settings(self) -> None:
        with signals_blocked(*self.controls.blockable()):
            self.controls.show_settings(self.model.settings, self.tr(self.model.preset.explanation))

    def _show_status(self, text: str, error: bool = False) -> None:
        colour = "#c02020" if error else "palette(text)"
        self.status.setText(f"<span style='color:{colour}'>{text}</span>")
        self.status_message.emit(text)


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"
