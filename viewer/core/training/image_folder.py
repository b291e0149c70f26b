"""A folder of images with one sub-folder per class (torchvision's ImageFolder convention).

Every readable image is decoded as the app decodes any image (:func:`viewer.core.images.decode_image`)
and resized to the chosen square size as the explorer feeds one (shorter side scaled, centre
cropped), so images of mixed sizes are fine. Files that cannot be read are skipped and counted.
Every fifth image of each class (in name order) is held out as the test set, unless the folder
has ``train`` and ``test`` (or ``val``) sub-folders of classes, which are then used as they are.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from viewer.core.errors import ImageLoadError
from viewer.core.i18n import QT_TRANSLATE_NOOP
from viewer.core.images import decode_image
from viewer.core.preprocess import Preprocessing, resize_pixels
from viewer.core.training.dataset import Dataset, DatasetError, channel_statistics

#: file endings tried as images (others are ignored, not counted as unreadable)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".ppm", ".pgm")
#: one image in this many of each class is held out for testing
HOLD_OUT_EVERY = 5


def read_image_folder(path: str | os.PathLike[str], size: int = 32) -> Dataset:
    """The images under ``path``'s class sub-folders at ``size`` x ``size``.

    Raises :class:`DatasetError` for a missing folder, fewer than two classes, or a class with no
    readable image (or with too few to hold one out for testing).
    """
    folder = Path(path)
    if not folder.is_dir():
        raise DatasetError(QT_TRANSLATE_NOOP("UserError", "There is no folder at {0}.").format(folder))
    splits = _split_folders(folder)
    skipped = 0
    if splits is not None:
        train_folder, test_folder = splits
        classes = _classes(train_folder)
        train, skipped_train = _read_classes(train_folder, classes, size)
        test, skipped_test = _read_classes(test_folder, classes, size)
        skipped = skipped_train + skipped_test
        train_parts, test_parts = train, test
    else:
        classes = _classes(folder)
        read, skipped = _read_classes(folder, classes, size)
        train_parts, test_parts = [], []
        for name, images in zip(classes, read, strict=True):
            if len(images) < 2:
                raise DatasetError(f"The class {name!r} has {len(images)} readable image: each class needs at least "
                                   f"two, one to train on and one to test.")
            held_out = np.arange(len(images)) % HOLD_OUT_EVERY == HOLD_OUT_EVERY - 1
            if not held_out.any():
                held_out[-1] = True
            train_parts.append(images[~held_out])
            test_parts.append(images[held_out])
    train_images, train_labels = _stack(train_parts)
    test_images, test_labels = _stack(test_parts)
    mean, std = channel_statistics(train_images)
    note = f"{skipped} unreadable file{'s' if skipped != 1 else ''} skipped" if skipped else ""
    return Dataset(folder.name or str(folder), tuple(classes), train_images, train_labels, test_images, test_labels,
                   Preprocessing(folder.name or "images", mean, std, size), note)


def _split_folders(folder: Path) -> tuple[Path, Path] | None:
    test = next((folder / name for name in ("test", "val") if (folder / name).is_dir()), None)
    if (folder / "train").is_dir() and test is not None:
        return folder / "train", test
    return None


def _classes(folder: Path) -> list[str]:
    classes = sorted(entry.name for entry in folder.iterdir() if entry.is_dir() and not entry.name.startswith("."))
    if len(classes) < 2:
        raise DatasetError(f"{folder} needs at least two sub-folders, one per class, with images in them "
                           f"(it has {len(classes)}).")
    return classes


def _read_classes(folder: Path, classes: list[str], size: int) -> tuple[list[np.ndarray], int]:
    read, skipped = [], 0
    for name in classes:
        images = []
        files = sorted(p for p in (folder / name).iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
        for file in files:
            try:
                pixels = decode_image(file).pixels
            except ImageLoadError:
                skipped += 1
                continue
            images.append(np.clip(np.rint(resize_pixels(pixels, size) * 255.0), 0, 255).astype(np.uint8))
        if not images:
            raise DatasetError(QT_TRANSLATE_NOOP("UserError", "The class folder {0} holds no readable image.").format(folder / name))
        read.append(np.stack(images))
    return read, skipped


def _stack(parts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    labels = np.concatenate([np.full(len(part), label, np.int64) for label, part in enumerate(parts)])
    return np.ascontiguousarray(np.concatenate(parts)), labels
