"""Which dataset a name or a folder stands for: ``"shapes"`` (bundled), a ``cifar-10-batches-bin``
folder, or an image folder with one sub-folder per class."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

from viewer.core.i18n import QT_TRANSLATE_NOOP
from viewer.core.training.cifar import cifar10_folder, read_cifar10
from viewer.core.training.dataset import Dataset, DatasetError
from viewer.core.training.image_folder import read_image_folder
from viewer.core.training.shapes import MIN_SIZE, shapes_dataset

#: the bundled dataset's name, as the command line and the page write it
SHAPES = "shapes"


def load_dataset(source: str | os.PathLike[str], size: int) -> Dataset:
    """The dataset ``source`` names, at ``size`` x ``size`` pixels (CIFAR-10 is resized when ``size`` is not 32)."""
    if isinstance(size, bool) or not isinstance(size, int) or size < MIN_SIZE:
        raise DatasetError(QT_TRANSLATE_NOOP("UserError", "The input size must be at least {0} pixels (got {1}).").format(MIN_SIZE, repr(size)))
    if str(source) == SHAPES:
        return shapes_dataset(size)
    folder = Path(source)
    if not folder.exists():
        raise DatasetError(f"There is no dataset at {folder}: give 'shapes', a cifar-10-batches-bin folder or a "
                           f"folder of images with one sub-folder per class.")
    if cifar10_folder(folder) is not None:
        return resized(read_cifar10(folder), size)
    return read_image_folder(folder, size)


def resized(dataset: Dataset, size: int) -> Dataset:
    """``dataset`` with its images resized (antialiased bilinear) to ``size`` x ``size``."""
    if dataset.size == size:
        return dataset

    def resize(images: np.ndarray) -> np.ndarray:
        out = []
        for start in range(0, len(images), 2048):
            part = torch.from_numpy(images[start : start + 2048]).permute(0, 3, 1, 2).float()
            part = torch.nn.functional.interpolate(part, size=(size, size), mode="bilinear", antialias=True, align_corners=False)
            out.append(part.round().clamp(0, 255).to(torch.uint8).permute(0, 2, 3, 1).numpy())
        return np.concatenate(out)

    preprocessing = replace(dataset.preprocessing, trained_size=size)
    note = "; ".join(filter(None, (dataset.note, f"resized from {dataset.size}x{dataset.size} to {size}x{size}")))
    return replace(dataset, train_images=resize(dataset.train_images), test_images=resize(dataset.test_images),
                   preprocessing=preprocessing, note=note)
