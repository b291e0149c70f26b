"""The training lab's state and rules, free of Qt: the experiment and its settings, the run under
way (paused, resumed, stopped between steps), its curves, and what a trained network is handed to.

The page forwards every user action to one method of :class:`TrainingLabModel`, which answers
with a :class:`~viewer.models.jobs.Job` for the page's workers, a
:class:`~viewer.models.jobs.Refusal` (a sentence), or nothing. A run is three kinds of job:

* **prepare** (:func:`prepare_run`): read the dataset and build the networks (seconds for a
  folder of images, so never on the GUI thread);
* **advance** (:func:`advance`): pull the trainer's events until the run ends or the model asks
  it to hold; every event reaches :meth:`TrainingLabModel.accept_event` as the job's progress.
  Pausing is asking it to hold: the trainer is a generator, so between two jobs it simply waits
  at its last step, holding no thread; resuming is the next advance job;
* **finish** (:meth:`Trainer.finish`): after a stop, the test accuracy on the whole test set.

A run pauses by itself while the user works on another page (:meth:`TrainingLabModel.leave`),
so the explorer and the labs get the cores, unless the user asked it to keep going
(:attr:`TrainingLabModel.keep_training_elsewhere`).
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from viewer.core.errors import InvalidSettingError
from viewer.core.i18n import QT_TRANSLATE_NOOP
from viewer.core.images import DecodedImage
from viewer.core.training.background import run_in_background
from viewer.core.training.dataset import Dataset
from viewer.core.training.datasets import SHAPES, load_dataset
from viewer.core.training.presets import DEFAULT_PRESET, PRESETS, Preset
from viewer.core.training.record import TrainingRecord
from viewer.core.training.saving import file_name_part, save_network
from viewer.core.training.trainer import FinalEvaluation, StepEvent, Trainer, TrainingSettings
from viewer.models.jobs import Job, Refusal

#: what a run is doing
IDLE, PREPARING, RUNNING, PAUSED, STOPPING, FINISHED, STOPPED, FAILED = (
    "idle", "preparing", "running", "paused", "stopping", "finished", "stopped", "failed")
#: what an advance job returns when it stopped pulling because the model asked it to hold
HELD = "held"
#: the batch sizes and widths the page offers
BATCH_SIZES = (16, 32, 64, 128, 256)
WIDTHS = (0.25, 0.5, 1.0, 2.0)
INPUT_SIZES = (16, 24, 32, 48, 64)


@dataclass(frozen=True)
class LabSettings:
    """What the user chose: the experiment and the settings its networks are trained with."""

    preset: str = DEFAULT_PRESET
    seed: int = 0
    steps: int = 500
    batch_size: int = 64
    learning_rate: float = 0.05
    width: float = 0.5
    input_size: int = 16
    dataset: str = SHAPES
    """``"shapes"``, or the path of a cifar-10-batches-bin folder or an image folder."""

    def training_settings(self, eval_every: int) -> TrainingSettings:
        return TrainingSettings(self.steps, self.batch_size, self.learning_rate, self.width, self.seed, eval_every)


def preset_settings(preset_id: str, dataset: str = SHAPES) -> LabSettings:
    """A preset's default settings (on ``dataset``)."""
    preset = PRESETS[preset_id]
    s = preset.settings
    return LabSettings(preset_id, s.seed, s.steps, s.batch_size, s.learning_rate, s.width, preset.input_size, dataset)


def prepare_run(settings: LabSettings) -> Trainer:
    """Read the dataset and build the preset's networks (runs in a worker, the work itself on
    the low-priority training thread: see :mod:`viewer.core.training.background`)."""
    preset = PRESETS[settings.preset]

    def build() -> Trainer:
        dataset = load_dataset(settings.dataset, settings.input_size)
        return Trainer(dataset, preset.networks, settings.training_settings(preset.settings.eval_every))

    return run_in_background(build)


def advance(events: Iterator[StepEvent | FinalEvaluation], hold: Callable[[], bool],
            progress: Callable[[object], None]) -> str:
    """Pull events until the run ends (:data:`FINISHED`) or ``hold()`` turns true (:data:`HELD`),
    reporting each; the steps run on the low-priority training thread."""
    while (event := run_in_background(next, events, None)) is not None:
        progress(event)
        if isinstance(event, FinalEvaluation):
            return FINISHED
        if hold():
            return HELD
    return FINISHED


def finish_run(trainer: Trainer, progress: Callable[[object], None]) -> str:
    """The whole test set's verdict after a stop, reported like any event."""
    progress(run_in_background(trainer.finish))
    return STOPPED


@dataclass(frozen=True)
class Progress:
    """Where the run stands, for the progress bar."""

    step: int
    steps: int
    images_per_second: float | None
    """All networks' training images per second at the pace of the latest steps (start-up excluded)."""
    seconds_left: float | None


class TrainingLabModel:
    """The training lab: see the module's docstring."""

    def __init__(self) -> None:
        self.settings = preset_settings(DEFAULT_PRESET)
        self.state = IDLE
        self.trainer: Trainer | None = None
        self.record: TrainingRecord | None = None
        self.last_error: Exception | None = None
        self.keep_training_elsewhere = False
        """Whether a run keeps going while another page is shown (it pauses by default)."""
        self.paused_elsewhere = False
        """Whether the run was paused because the user went to another page."""
        self._events: Iterator | None = None
        self._hold = False
        self._stop_requested = False
        self._export_folder: Path | None = None

    # ------------------------------------------------------------------ settings

    @property
    def preset(self) -> Preset:
        return PRESETS[self.settings.preset]

    def apply_preset(self, preset_id: str) -> LabSettings:
        """Choose an experiment: its default settings (the dataset stays)."""
        self.settings = preset_settings(preset_id, self.settings.dataset)
        return self.settings

    def set_settings(self, settings: LabSettings) -> Refusal | None:
        """Take the user's settings (used by the next run); a Refusal says which one cannot work."""
        try:
            settings.training_settings(1).checked()
        except InvalidSettingError as error:
            return Refusal(str(error))
        if settings.preset not in PRESETS:
            return Refusal(QT_TRANSLATE_NOOP("UserError", "There is no experiment {0}.").format(repr(settings.preset)))
        if settings.input_size < 16:
            return Refusal(QT_TRANSLATE_NOOP("UserError", "The input size must be at least 16 pixels."))
        self.settings = settings
        return None

    # ------------------------------------------------------------------ the run

    @property
    def is_active(self) -> bool:
        """Whether a run is under way (preparing, training, paused or stopping)."""
        return self.state in (PREPARING, RUNNING, PAUSED, STOPPING)

    def start(self) -> Job | Refusal:
        """A new run with the current settings: first its preparation."""
        if self.is_active:
            return Refusal(QT_TRANSLATE_NOOP("UserError", "A run is under way: stop it before starting another."))
        self.state = PREPARING
        self.last_error = None
        self.trainer = self.record = self._events = None
        self._hold = self._stop_requested = False
        self.paused_elsewhere = False
        return Job(prepare_run, (self.settings,), "reading the dataset and building the networks")

    def prepared(self, trainer: Trainer) -> Job | None:
        """The networks are built: start training them (unless a stop came meanwhile)."""
        self.trainer = trainer
        self.record = TrainingRecord(tuple(spec.name for spec in trainer.specs))
        self._events = trainer.events()
        if self._stop_requested:
            self.state = STOPPED
            return None
        self.state = PAUSED if self._hold else RUNNING
        return None if self._hold else self._advance_job()

    def failed(self, error: Exception) -> None:
        """Preparing or training failed: the run ends, its curves so far stay."""
        self.last_error = error
        self.state = FAILED

    def _advance_job(self) -> Job:
        return Job(advance, (self._events, lambda: self._hold or self._stop_requested))

    def accept_event(self, event: StepEvent | FinalEvaluation) -> None:
        """One step (or the final evaluation) of the run: into the curves."""
        if self.record is not None:
            self.record.add(event)

    def advanced(self, outcome: str) -> Job | None:
        """An advance job returned: the run is over, paused, or must be finished after a stop."""
        if outcome == FINISHED:
            self.state = FINISHED
            return None
        if outcome == STOPPED:
            self.state = STOPPED
            return None
        if self._stop_requested:
            self.state = STOPPING
            return Job(finish_run, (self.trainer,), "testing on the whole test set")
        self.state = PAUSED
        return None

    def pause(self) -> None:
        """Hold the run after the step under way."""
        if self.state in (PREPARING, RUNNING):
            self._hold = True

    def resume(self) -> Job | None:
        """Go on from the step where the run paused."""
        self.paused_elsewhere = False
        self._hold = False
        if self.state != PAUSED or self._events is None:
            return None
        self.state = RUNNING
        return self._advance_job()

    def stop(self) -> Job | None:
        """End the run after the step under way; a paused run is tested on the whole test set now."""
        if not self.is_active:
            return None
        self._stop_requested = True
        if self.state == PAUSED and self.trainer is not None:
            self.state = STOPPING
            return Job(finish_run, (self.trainer,), "testing on the whole test set")
        return None

    def leave(self) -> None:
        """The user went to another page: hold the run there (unless told to keep training)."""
        if self.state in (PREPARING, RUNNING) and not self.keep_training_elsewhere and not self._hold:
            self.paused_elsewhere = True
            self.pause()

    def come_back(self) -> Job | None:
        """The user is back: resume a run that paused because they left."""
        if self.paused_elsewhere:
            return self.resume()
        return None

    def progress(self) -> Progress:
        """Steps done, speed and time left."""
        record = self.record
        if record is None or not record.steps:
            return Progress(0, self.settings.steps, None, None)
        return Progress(record.step, record.total_steps, record.images_per_second(), record.seconds_left())

    # ------------------------------------------------------------------ what was trained

    def network_names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.preset.networks) if self.trainer is None else tuple(s.name for s in self.trainer.specs)

    def explorable(self) -> list[int]:
        """The trained networks the explorer can show (torchvision layout), by index."""
        if self.trainer is None or self.record is None or not self.record.steps:
            return []
        return [i for i, spec in enumerate(self.trainer.specs) if spec.opens_in_explorer and self.trainer.diverged_at[i] is None]

    def open_in_explorer(self, index: int | None = None) -> Job | Refusal:
        """Write a trained network to a temporary file for the explorer (the job returns its path)."""
        if self.trainer is None or self.record is None or not self.record.steps:
            return Refusal(QT_TRANSLATE_NOOP("UserError", "Train a network first: there is nothing trained to inspect yet."))
        if self.state in (RUNNING, PREPARING, STOPPING):
            return Refusal(QT_TRANSLATE_NOOP("UserError", "Pause or stop the run first: the explorer shows a network that is not changing."))
        candidates = self.explorable()
        if not candidates:
            names = ", ".join(spec.name for spec in self.trainer.specs)
            return Refusal(f"The explorer shows torchvision-layout ResNets (ResNet18 to ResNet152); {names} "
                           f"belong to the ResNet paper's CIFAR family, whose layout it does not know. Train "
                           f"\"{PRESETS['course-resnet50'].title}\" to inspect a trained network there.")
        chosen = candidates[0] if index is None else index
        if chosen not in candidates:
            return Refusal(QT_TRANSLATE_NOOP("UserError", "{0} cannot be shown in the explorer.").format(self.trainer.specs[chosen].name))
        if self._export_folder is None:
            self._export_folder = Path(tempfile.mkdtemp(prefix="cnn-viewer-trained-"))
        name = f"{file_name_part(self.trainer.specs[chosen].name)}-step{self.trainer.step}.safetensors"
        return Job(save_network, (self.trainer, chosen, self._export_folder / name), "saving the trained network")

    def save_weights(self, index: int, path: str | os.PathLike[str]) -> Job | Refusal:
        """Write network ``index`` to ``path`` (a ``.safetensors`` file)."""
        if self.trainer is None or self.record is None or not self.record.steps:
            return Refusal(QT_TRANSLATE_NOOP("UserError", "Train a network first: there are no trained weights to save yet."))
        if self.state in (RUNNING, PREPARING, STOPPING):
            return Refusal(QT_TRANSLATE_NOOP("UserError", "Pause or stop the run first, so that the weights saved are those of one step."))
        target = Path(path)
        if target.suffix.lower() != ".safetensors":
            target = target.with_name(target.name + ".safetensors")
        return Job(save_network, (self.trainer, index, target), "saving the weights")

    def sample_image(self) -> DecodedImage | None:
        """The first test image of the dataset trained on, for the explorer to show the network."""
        if self.trainer is None:
            return None
        dataset: Dataset = self.trainer.dataset
        label = int(dataset.test_labels[0])
        pixels = np.ascontiguousarray(dataset.test_images[0], np.float32) / np.float32(255.0)
        return DecodedImage(pixels, f"{dataset.name} test image 0 ({dataset.class_names[label]})",
                            f"{dataset.size}x{dataset.size} from the dataset trained on")

    def summary(self) -> list[tuple[str, float | None, float | None, int | None]]:
        """(network, mean loss of the last 25 steps, latest test accuracy, diverged at) for each network."""
        if self.record is None:
            return []
        rows = []
        for index, name in enumerate(self.record.names):
            tests = self.record.test_accuracies(index)
            final = self.record.final.test_accuracies[index] if self.record.final else None
            latest = final if final is not None else (float(tests[-1]) if len(tests) and math.isfinite(tests[-1]) else None)
            rows.append((name, self.record.trailing_loss(index), latest, self.record.diverged_at[index]))
        return rows

    def settings_line(self) -> str:
        """The settings of the run shown (or to run), in one line for pictures and exports."""
        trainer = self.trainer
        if trainer is not None:
            s, dataset = trainer.settings, trainer.dataset
            return (f"{dataset.name} {dataset.size}x{dataset.size}, width {s.width:g}, batch {s.batch_size}, SGD lr "
                    f"{s.learning_rate:g} (momentum 0.9, warm-up + cosine), {s.steps} steps, seed {s.seed}")
        s = self.settings
        return f"{s.dataset} {s.input_size}x{s.input_size}, width {s.width:g}, batch {s.batch_size}, lr {s.learning_rate:g}, {s.steps} steps, seed {s.seed}"

