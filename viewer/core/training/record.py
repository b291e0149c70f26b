"""What a run has produced so far: every network's curves, as measured, and the numbers read off them.

The curves are the raw per-step values the trainer reported (never smoothed); the summaries
below are stated as what they are: the mean of the last ``window`` steps' training losses, the
first step at which that mean reaches a loss, steady-state images per second after the start-up
steps. A step a network did not train (after it diverged) holds NaN internally and is left out
of every figure and written empty in the CSV.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

import numpy as np

from viewer.core.training.trainer import FinalEvaluation, StepEvent

#: steps counted as start-up (allocator and kernel warm-up) rather than steady state
STARTUP_STEPS = 5
#: the trailing window of the loss summaries
WINDOW = 25
CSV_COLUMNS = ("network", "step", "learning_rate", "train_loss", "train_acc", "test_acc", "seconds")


@dataclass(frozen=True)
class Speed:
    """How fast one network trained: the start-up steps' time and the steady state after them."""

    startup_s: float | None
    images_per_second: float | None


class TrainingRecord:
    """The curves of ``names``, fed one event at a time (:meth:`add`)."""

    def __init__(self, names: tuple[str, ...], depths: tuple[int, ...] = ()) -> None:
        self.names = tuple(names)
        self.depths = tuple(depths)
        count = len(self.names)
        self.steps: list[int] = []
        self.learning_rates: list[float] = []
        self._losses: list[list[float]] = [[] for _ in range(count)]
        self._accuracies: list[list[float]] = [[] for _ in range(count)]
        self._seconds: list[list[float]] = [[] for _ in range(count)]
        self.test_steps: list[int] = []
        self._test: list[list[float]] = [[] for _ in range(count)]
        self.gradient_norms: list[tuple[float, ...]] = [() for _ in range(count)]
        """Each network's per-layer gradient norms at the latest step it trained."""
        self.gradient_history: dict[int, list[tuple[float, ...]]] = {}
        """Per-layer gradient norms of every network at step 1 and every evaluation step."""
        self.diverged_at: list[int | None] = [None] * count
        self.final: FinalEvaluation | None = None
        self.batch_size = 0
        self.total_steps = 0

    def add(self, event: StepEvent | FinalEvaluation) -> None:
        """Take in one event of the trainer."""
        if isinstance(event, FinalEvaluation):
            self.final = event
            return
        self.batch_size = event.batch_size
        self.total_steps = event.steps
        self.steps.append(event.step)
        self.learning_rates.append(event.learning_rate)
        for index, report in enumerate(event.networks):
            self._losses[index].append(math.nan if report.loss is None else report.loss)
            self._accuracies[index].append(math.nan if report.accuracy is None else report.accuracy)
            self._seconds[index].append(report.seconds)
            if report.gradient_norms:
                self.gradient_norms[index] = report.gradient_norms
        self.diverged_at = list(event.diverged_at)
        if event.test_accuracies is not None:
            self.test_steps.append(event.step)
            for index, accuracy in enumerate(event.test_accuracies):
                self._test[index].append(math.nan if accuracy is None else accuracy)
        if event.step == 1 or event.test_accuracies is not None:
            self.gradient_history[event.step] = list(self.gradient_norms)

    # ------------------------------------------------------------------ curves

    @property
    def step(self) -> int:
        """Steps done so far."""
        return self.steps[-1] if self.steps else 0

    def losses(self, index: int) -> np.ndarray:
        """Training loss per step (NaN where the network did not train)."""
        return np.asarray(self._losses[index], np.float64)

    def accuracies(self, index: int) -> np.ndarray:
        return np.asarray(self._accuracies[index], np.float64)

    def test_accuracies(self, index: int) -> np.ndarray:
        """Test accuracy at :attr:`test_steps` (NaN for a diverged network)."""
        return np.asarray(self._test[index], np.float64)

    # ------------------------------------------------------------------ summaries

    def trailing_loss(self, index: int, window: int = WINDOW) -> float | None:
        """Mean training loss of the last ``window`` steps; None when one of them did not train."""
        losses = self.losses(index)[-window:]
        if len(losses) == 0 or not np.isfinite(losses).all():
            return None
        return float(losses.mean())

    def steps_to_reach(self, index: int, loss: float, window: int = WINDOW) -> int | None:
        """The first step at which the mean loss of the ``window`` steps up to it is at most ``loss``."""
        losses = self.losses(index)
        if len(losses) < window:
            return None
        means = np.convolve(losses, np.ones(window) / window, mode="valid")
        reached = np.flatnonzero(np.isfinite(means) & (means <= loss))
        return int(self.steps[reached[0] + window - 1]) if len(reached) else None

    def speed(self, index: int) -> Speed:
        """Start-up time (the first :data:`STARTUP_STEPS` steps) and steady-state images per second after them."""
        seconds = np.asarray(self._seconds[index], np.float64)
        trained = np.isfinite(self.losses(index))
        startup = float(seconds[:STARTUP_STEPS].sum()) if len(seconds) >= STARTUP_STEPS else None
        steady = seconds[STARTUP_STEPS:][trained[STARTUP_STEPS:]]
        rate = self.batch_size * len(steady) / float(steady.sum()) if len(steady) and steady.sum() > 0 else None
        return Speed(startup, rate)

    def pace(self) -> float | None:
        """Seconds one step of every network takes, over the latest 20 steps; None during start-up."""
        if len(self.steps) <= STARTUP_STEPS:
            return None
        return float(sum(np.asarray(times[-20:], np.float64).mean() for times in self._seconds))

    def seconds_left(self) -> float | None:
        """Time the remaining steps will take at :meth:`pace` (None before the pace is known)."""
        pace = self.pace()
        return None if pace is None else pace * max(0, self.total_steps - self.step)

    def images_per_second(self) -> float | None:
        """Training images per second of all the networks that still train, at :meth:`pace`."""
        pace = self.pace()
        training = sum(1 for step in self.diverged_at if step is None)
        return self.batch_size * training / pace if pace else None

    # ------------------------------------------------------------------ export

    def csv_text(self) -> str:
        """Long format: one row per network and step; test accuracy only at evaluations, empty elsewhere."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        tested = {step: position for position, step in enumerate(self.test_steps)}
        final_step = self.final.step if self.final is not None else None
        for index, name in enumerate(self.names):
            for position, step in enumerate(self.steps):
                test = ""
                if step in tested:
                    test = _number(self._test[index][tested[step]])
                if step == final_step and self.final.test_accuracies[index] is not None:
                    test = _number(self.final.test_accuracies[index])
                writer.writerow((name, step, _number(self.learning_rates[position]),
                                 _number(self._losses[index][position]), _number(self._accuracies[index][position]),
                                 test, _number(self._seconds[index][position])))
        return out.getvalue()


def _number(value: float) -> str:
    return "" if value is None or not math.isfinite(value) else f"{value:.6g}"
