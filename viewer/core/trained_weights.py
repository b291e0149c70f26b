"""Networks trained in the app, as ``.safetensors`` files that say how they were trained.

A file written by :func:`save_trained` holds the state_dict and, in the safetensors header's
metadata (text only: it cannot carry code), what the explorer needs to use the weights right:
the network, the dataset and its class names, the input size and normalisation the network
was trained with, the steps and the test accuracy. :func:`read_trained` reads that back
without loading the tensors; :func:`viewer.core.weights.file_source` uses it, so the explorer
and ``python -m viewer resnet --weights`` name the dataset's classes in the top-5, normalise
as in training and label the weights "trained here on <dataset>, <accuracy>".
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import torch

from viewer.core.errors import UserError
from viewer.core.i18n import QT_TRANSLATE_NOOP
from viewer.core.preprocess import Preprocessing

#: the metadata's "format" entry: marks a file written here
FORMAT = "cnn-viewer trained network/1"


@dataclass(frozen=True)
class TrainedNetwork:
    """How a network saved here was trained."""

    network: str
    """The network's name (``ResNet50``, ``plain-20``)."""
    arch: str | None
    """The explorer's architecture (``resnet50``), None for a network the explorer cannot show."""
    dataset: str
    class_names: tuple[str, ...]
    preprocessing: Preprocessing
    steps: int
    test_accuracy: float | None
    seed: int

    @property
    def label(self) -> str:
        """``trained here on shapes, 94.1% test accuracy``: how the weights are shown."""
        accuracy = "" if self.test_accuracy is None else f", {100 * self.test_accuracy:.1f}% test accuracy"
        return f"trained here on {self.dataset}{accuracy}"

    @property
    def how(self) -> str:
        """One sentence on how it was trained, for a status line."""
        size = self.preprocessing.trained_size
        return (f"{self.network} trained here for {self.steps} steps on {self.dataset} ({len(self.class_names)} classes"
                f"{f', {size}x{size}' if size else ''}, seed {self.seed})")


def save_trained(path: str | os.PathLike[str], state_dict: Mapping[str, torch.Tensor], trained: TrainedNetwork) -> Path:
    """Write ``state_dict`` and ``trained`` to a ``.safetensors`` file; a UserError when it cannot be written."""
    from safetensors.torch import save_file

    out = Path(path)
    tensors = {key: value.detach().to("cpu").contiguous() for key, value in state_dict.items()}
    preprocessing = trained.preprocessing
    metadata = {
        "format": FORMAT,
        "network": trained.network,
        "arch": trained.arch or "",
        "dataset": trained.dataset,
        "class_names": json.dumps(list(trained.class_names)),
        "input_size": str(preprocessing.trained_size or ""),
        "normalisation": json.dumps({"name": preprocessing.name, "mean": list(preprocessing.mean), "std": list(preprocessing.std)}),
        "steps": str(trained.steps),
        "test_accuracy": "" if trained.test_accuracy is None else repr(float(trained.test_accuracy)),
        "seed": str(trained.seed),
        "label": trained.label,
    }
    try:
        save_file(tensors, str(out), metadata=metadata)
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise UserError(QT_TRANSLATE_NOOP("UserError", "Cannot write {0}: {1}").format(out, reason)) from None
    return out


def read_trained(path: str | os.PathLike[str]) -> TrainedNetwork | None:
    """What a file written by :func:`save_trained` says about its network; None for any other file
    (including one too damaged to read: loading it reports that)."""
    file = Path(path)
    if file.suffix.lower() != ".safetensors":
        return None
    from safetensors import safe_open

    try:
        with safe_open(str(file), framework="pt") as handle:
            metadata = handle.metadata() or {}
    except Exception:  # safetensors' own error types: not readable, so nothing to describe
        return None
    if metadata.get("format") != FORMAT:
        return None
    try:
        normalisation = json.loads(metadata["normalisation"])
        size = metadata.get("input_size", "")
        preprocessing = Preprocessing(str(normalisation["name"]), tuple(float(v) for v in normalisation["mean"]),
                                      tuple(float(v) for v in normalisation["std"]), int(size) if size else None)
        accuracy = metadata.get("test_accuracy", "")
        return TrainedNetwork(
            metadata["network"], metadata.get("arch") or None, metadata["dataset"],
            tuple(str(name) for name in json.loads(metadata["class_names"])), preprocessing,
            int(metadata["steps"]), float(accuracy) if accuracy else None, int(metadata.get("seed", 0)),
        )
    except (KeyError, ValueError, TypeError):
        return None  # metadata edited by hand: the weights may still load, undescribed
