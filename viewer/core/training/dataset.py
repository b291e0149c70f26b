"""One in-memory image-classification dataset, whatever it was read from.

Images are kept as uint8 ``(N, H, W, 3)`` (what files and generators produce; a quarter of
float32's memory) and become normalised float tensors one batch at a time
(:meth:`Dataset.batch`). The normalisation travels with the dataset, so that a network trained
on it is saved with the preprocessing it needs (:mod:`viewer.core.trained_weights`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from viewer.core.errors import UserError
from viewer.core.preprocess import Preprocessing


class DatasetError(UserError):
    """A dataset could not be read or is not usable; the message says why and what to do."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """Training and test images of one classification task, with the classes' names."""

    name: str
    """How the dataset is named on screen and in a saved network's label ("shapes", "CIFAR-10")."""
    class_names: tuple[str, ...]
    train_images: np.ndarray = field(repr=False)
    """(N, H, W, 3) uint8."""
    train_labels: np.ndarray = field(repr=False)
    """(N,) int64 class indices."""
    test_images: np.ndarray = field(repr=False)
    test_labels: np.ndarray = field(repr=False)
    preprocessing: Preprocessing
    """Per-channel mean and std the networks see the images normalised with; ``trained_size`` is the images' side."""
    note: str = ""
    """What the user should know about how it was read (files skipped, images resized)."""

    @property
    def size(self) -> int:
        """Side of the (square) images in pixels."""
        return int(self.train_images.shape[1])

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    def batch(self, images: np.ndarray, indices: np.ndarray | torch.Tensor | None = None,
              device: torch.device | str = "cpu") -> torch.Tensor:
        """``images[indices]`` (all of them without indices) as a normalised float32 ``(B, 3, H, W)`` tensor."""
        chosen = images if indices is None else images[np.asarray(indices)]
        tensor = torch.from_numpy(np.ascontiguousarray(chosen)).to(device)
        tensor = tensor.permute(0, 3, 1, 2).float().div_(255.0)
        mean = torch.tensor(self.preprocessing.mean, dtype=torch.float32, device=device).view(1, 3, 1, 1)
        std = torch.tensor(self.preprocessing.std, dtype=torch.float32, device=device).view(1, 3, 1, 1)
        return tensor.sub_(mean).div_(std).contiguous()


def channel_statistics(images: np.ndarray) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """Per-channel mean and standard deviation of uint8 ``(N, H, W, 3)`` images, on a [0, 1] scale."""
    pixels = images.reshape(-1, 3)
    sums = pixels.sum(axis=0, dtype=np.float64)
    squares = np.einsum("ij,ij->j", pixels, pixels, dtype=np.float64)
    count = max(1, pixels.shape[0])
    mean = sums / count / 255.0
    std = np.sqrt(np.maximum(squares / count / 255.0**2 - mean**2, 1e-12))
    return tuple(round(float(v), 4) for v in mean), tuple(round(max(float(v), 1e-3), 4) for v in std)

