"""Training several networks side by side: a plain PyTorch loop, as a generator of progress events.

Every network sees the same batches in the same order (one shuffle per epoch, drawn from the
seed), so their curves differ only by the networks. The loop is SGD with momentum 0.9 and
weight decay 1e-4 (the ResNet paper's CIFAR settings) under one learning-rate schedule for every
length of run: a linear warm-up from a tenth of the rate over the first 5% of the steps (the paper
warms its 110-layer net up the same way: deep nets need it to start moving), then a cosine decay
to zero at the last step. Cosine needs no milestones tuned to the run's length, and it ends every
run at a small rate, so the last steps' losses measure what a network has learnt rather than how
noisy its last step was.

:meth:`Trainer.events` yields one :class:`StepEvent` per step and, after the last one, a
:class:`FinalEvaluation` on the whole test set. It never blocks and never runs ahead: a consumer
pauses it by not asking for the next event, resumes by asking again, and stops it by asking for
:meth:`Trainer.finish` instead. A network whose loss or gradients stop being finite is marked
diverged at that step and trains no further (its weights stay those of its last good step);
the others go on.

Runs are deterministic from the seed on the CPU: same seed, same losses. A GPU is used when
torch has one (then cuDNN may reorder its sums).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from viewer.core.errors import InvalidSettingError
from viewer.core.i18n import QT_TRANSLATE_NOOP
from viewer.core.training.dataset import Dataset
from viewer.core.training.networks import NetworkSpec, build_network, weighted_layers

#: SGD's momentum and weight decay (He et al. 2016, section 4.2)
MOMENTUM = 0.9
WEIGHT_DECAY = 1e-4
#: the warm-up's share of the run, and the rate it starts from (a fraction of the full rate)
WARMUP_FRACTION = 0.05
WARMUP_START = 0.1
#: test images evaluated every ``eval_every`` steps (a fixed random subset); the final
#: evaluation uses the whole test set
EVAL_EXAMPLES = 1000
_EVAL_BATCH = 500


@dataclass(frozen=True)
class TrainingSettings:
    """Everything a run depends on besides the dataset and the networks."""

    steps: int = 300
    batch_size: int = 64
    learning_rate: float = 0.1
    width: float = 1.0
    """Channel factor of the CIFAR family (16/32/64 channels times this); the explorer's ResNets ignore it."""
    seed: int = 0
    eval_every: int = 25

    def checked(self) -> TrainingSettings:
        """These settings, or an :class:`InvalidSettingError` saying which one cannot work."""
        for name, low in (("steps", 1), ("batch_size", 1), ("eval_every", 1)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise InvalidSettingError(QT_TRANSLATE_NOOP("UserError", "{0} must be a whole number of at least {1} (got {2}).").format(name.replace('_', ' ').capitalize(), low, repr(value)))
        if not (math.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise InvalidSettingError(QT_TRANSLATE_NOOP("UserError", "The learning rate must be a positive number (got {0}).").format(repr(self.learning_rate)))
        if not (math.isfinite(self.width) and self.width > 0):
            raise InvalidSettingError(QT_TRANSLATE_NOOP("UserError", "The width factor must be a positive number (got {0}).").format(repr(self.width)))
        return self


def learning_rate_at(step: int, settings: TrainingSettings) -> float:
    """The rate of step ``step`` (0-based): linear warm-up, then cosine decay to zero at the end."""
    peak = settings.learning_rate
    warmup = max(1, round(settings.steps * WARMUP_FRACTION))
    if step < warmup:
        return peak * (WARMUP_START + (1 - WARMUP_START) * step / warmup)
    progress = (step - warmup) / max(1, settings.steps - warmup)
    return peak * 0.5 * (1 + math.cos(math.pi * progress))


@dataclass(frozen=True)
class NetworkStep:
    """What one network did in one step; ``loss`` is None once it has diverged."""

    loss: float | None
    accuracy: float | None
    gradient_norms: tuple[float, ...]
    """L2 norm of each weighted layer's weight gradient, input to output (empty once diverged)."""
    seconds: float
    """Wall time of this network's step (forward, backward, update and bookkeeping)."""


@dataclass(frozen=True)
class StepEvent:
    """One step of every network, on the same batch."""

    step: int
    """Steps done so far (1 after the first)."""
    steps: int
    learning_rate: float
    networks: tuple[NetworkStep, ...]
    test_accuracies: tuple[float | None, ...] | None
    """Accuracy on the evaluation subset, every ``eval_every`` steps (None between); None for a diverged network."""
    diverged_at: tuple[int | None, ...]
    """The step at which each network diverged, or None."""
    batch_size: int


@dataclass(frozen=True)
class FinalEvaluation:
    """The test accuracy of every network on the whole test set, after the last step done."""

    step: int
    test_accuracies: tuple[float | None, ...]
    stopped: bool
    """Whether the run was stopped before its last step."""


def choose_device() -> torch.device:
    """The GPU when torch has one, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


class Trainer:
    """Trains ``specs`` side by side on ``dataset`` with ``settings``; see the module's docstring."""

    def __init__(self, dataset: Dataset, specs: Sequence[NetworkSpec], settings: TrainingSettings,
                 device: torch.device | str | None = None) -> None:
        if not specs:
            raise InvalidSettingError(QT_TRANSLATE_NOOP("UserError", "Choose at least one network to train."))
        self.dataset = dataset
        self.specs = tuple(specs)
        self.settings = settings.checked()
        self.device = torch.device(device) if device is not None else choose_device()
        self.models: list[nn.Module] = []
        self._optimizers: list[torch.optim.Optimizer] = []
        self._weights: list[list[torch.Tensor]] = []
        for spec in self.specs:
            model = build_network(spec, dataset.num_classes, settings.width, settings.seed).to(self.device).train()
            self.models.append(model)
            self._optimizers.append(torch.optim.SGD(model.parameters(), lr=settings.learning_rate,
                                                    momentum=MOMENTUM, weight_decay=WEIGHT_DECAY))
            self._weights.append([module.weight for _name, module in weighted_layers(model)])
        self.step = 0
        self.diverged_at: list[int | None] = [None] * len(self.specs)
        self.test_accuracies: list[float | None] = [None] * len(self.specs)
        self._order = torch.Generator().manual_seed(int(settings.seed))
        self._epoch: np.ndarray = np.empty(0, np.int64)
        self._position = 0
        count = len(dataset.test_labels)
        subset = np.random.default_rng(int(settings.seed)).permutation(count)[:EVAL_EXAMPLES]
        self._eval_indices = np.sort(subset)
        self._labels = torch.from_numpy(dataset.train_labels)

    # ------------------------------------------------------------------ the loop

    def events(self) -> Iterator[StepEvent | FinalEvaluation]:
        """One :class:`StepEvent` per step up to ``settings.steps``, then the :class:`FinalEvaluation`."""
        while self.step < self.settings.steps:
            yield self.train_step()
        yield self.finish()

    def train_step(self) -> StepEvent:
        """Train every network that has not diverged on the next batch."""
        settings = self.settings
        indices = self._next_batch()
        images = self.dataset.batch(self.dataset.train_images, indices, self.device)
        labels = self._labels[indices].to(self.device)
        rate = learning_rate_at(self.step, settings)
        self.step += 1
        reports = []
        for index, model in enumerate(self.models):
            if self.diverged_at[index] is not None:
                reports.append(NetworkStep(None, None, (), 0.0))
                continue
            report = self._network_step(index, model, images, labels, rate)
            if report.loss is None:
                self.diverged_at[index] = self.step
            reports.append(report)
        tested = None
        if self.step % settings.eval_every == 0 and self.step < settings.steps:
            tested = self.evaluate(self._eval_indices)
        elif self.step == settings.steps:
            tested = self.evaluate(None)
        return StepEvent(self.step, settings.steps, rate, tuple(reports), tested, tuple(self.diverged_at),
                         settings.batch_size)

    def _network_step(self, index: int, model: nn.Module, images: torch.Tensor, labels: torch.Tensor,
                      rate: float) -> NetworkStep:
        started = time.perf_counter()
        optimizer = self._optimizers[index]
        for group in optimizer.param_groups:
            group["lr"] = rate
        optimizer.zero_grad(set_to_none=True)
        logits = model(images)
        loss = nn.functional.cross_entropy(logits, labels)
        loss_value = float(loss.detach())
        if not math.isfinite(loss_value):
            return NetworkStep(None, None, (), time.perf_counter() - started)
        loss.backward()
        norms = torch.stack([torch.linalg.vector_norm(weight.grad) for weight in self._weights[index]]).tolist()
        if not all(math.isfinite(norm) for norm in norms):
            return NetworkStep(None, None, (), time.perf_counter() - started)
        optimizer.step()
        accuracy = float((logits.detach().argmax(1) == labels).float().mean())
        return NetworkStep(loss_value, accuracy, tuple(norms), time.perf_counter() - started)

    def _next_batch(self) -> np.ndarray:
        size = self.settings.batch_size
        count = len(self.dataset.train_labels)
        if size > count:
            raise InvalidSettingError(QT_TRANSLATE_NOOP("UserError", "The batch size ({0}) is larger than the training set ({1} images).").format(size, count))
        if self._position + size > len(self._epoch):
            self._epoch = torch.randperm(count, generator=self._order).numpy()
            self._position = 0
        batch = self._epoch[self._position : self._position + size]
        self._position += size
        return batch

    # ------------------------------------------------------------------ evaluation

    def evaluate(self, indices: np.ndarray | None) -> tuple[float | None, ...]:
        """Accuracy of every network on the test images ``indices`` (None: all), in eval mode."""
        dataset = self.dataset
        chosen = np.arange(len(dataset.test_labels)) if indices is None else indices
        labels = torch.from_numpy(dataset.test_labels[chosen]).to(self.device)
        results: list[float | None] = []
        for index, model in enumerate(self.models):
            if self.diverged_at[index] is not None:
                results.append(None)
                continue
            model.eval()
            correct = 0
            with torch.no_grad():
                for start in range(0, len(chosen), _EVAL_BATCH):
                    part = chosen[start : start + _EVAL_BATCH]
                    logits = model(dataset.batch(dataset.test_images, part, self.device))
                    correct += int((logits.argmax(1) == labels[start : start + len(part)]).sum())
            model.train()
            results.append(correct / max(1, len(chosen)))
        self.test_accuracies = list(results)
        return tuple(results)

    def finish(self) -> FinalEvaluation:
        """Evaluate every network on the whole test set after the steps done so far."""
        if self.step == self.settings.steps and self.step > 0:
            accuracies = tuple(self.test_accuracies)  # the last step evaluated them already
        else:
            accuracies = self.evaluate(None)
        return FinalEvaluation(self.step, accuracies, stopped=self.step < self.settings.steps)
