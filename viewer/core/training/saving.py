"""Saving a network the trainer trained, with what the explorer needs to know about it."""

from __future__ import annotations

import os
import re
from pathlib import Path

from viewer.core.trained_weights import TrainedNetwork, save_trained
from viewer.core.training.trainer import Trainer


def description(trainer: Trainer, index: int) -> TrainedNetwork:
    """How network ``index`` of ``trainer`` was trained, up to now."""
    spec = trainer.specs[index]
    dataset = trainer.dataset
    return TrainedNetwork(
        spec.name, spec.kind if spec.opens_in_explorer else None, dataset.name, dataset.class_names,
        dataset.preprocessing, trainer.step, trainer.test_accuracies[index], trainer.settings.seed,
    )


def save_network(trainer: Trainer, index: int, path: str | os.PathLike[str]) -> Path:
    """Write network ``index`` of ``trainer`` to a ``.safetensors`` file (see :mod:`viewer.core.trained_weights`)."""
    return save_trained(path, trainer.models[index].state_dict(), description(trainer, index))


def file_name_part(network: str) -> str:
    """A network's name as part of a file name: ``plain-56 no BN`` -> ``plain-56-no-BN``."""
    return re.sub(r"[^A-Za-z0-9.-]+", "-", network).strip("-")
