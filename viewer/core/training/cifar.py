"""CIFAR-10 in its binary format (``cifar-10-batches-bin``), the format the MindSpore course reads.

Each of ``data_batch_1.bin`` .. ``data_batch_5.bin`` and ``test_batch.bin`` holds records of
3,073 bytes: one label byte (0..9), then the 32x32 image as 1,024 red, 1,024 green and 1,024
blue bytes (row by row). The files are read with numpy, never unpickled (the Python version of
the dataset is pickles, which can run code). Class names come from ``batches.meta.txt`` when it
is there and are CIFAR-10's own otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from viewer.core.i18n import QT_TRANSLATE_NOOP
from viewer.core.preprocess import CIFAR10
from viewer.core.training.dataset import Dataset, DatasetError

CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
TRAIN_FILES = tuple(f"data_batch_{n}.bin" for n in range(1, 6))
TEST_FILE = "test_batch.bin"
RECORD_BYTES = 1 + 3 * 32 * 32
FOLDER_NAME = "cifar-10-batches-bin"


def cifar10_folder(path: str | os.PathLike[str]) -> Path | None:
    """The ``cifar-10-batches-bin`` folder at ``path`` (or just inside it), or None if there is none."""
    folder = Path(path)
    for candidate in (folder, folder / FOLDER_NAME):
        if (candidate / TEST_FILE).exists() or any((candidate / name).exists() for name in TRAIN_FILES):
            return candidate
    return None


def read_cifar10(path: str | os.PathLike[str]) -> Dataset:
    """CIFAR-10's 50,000 training and 10,000 test images from a ``cifar-10-batches-bin`` folder.

    Raises :class:`DatasetError` naming the missing or truncated file, or the record whose label
    is not a CIFAR-10 class.
    """
    folder = cifar10_folder(path)
    if folder is None:
        raise DatasetError(QT_TRANSLATE_NOOP("UserError", "{0} is not a CIFAR-10 folder: it has no {1} or data_batch_N.bin files.").format(path, TEST_FILE))
    missing = [name for name in (*TRAIN_FILES, TEST_FILE) if not (folder / name).is_file()]
    if missing:
        raise DatasetError(f"The CIFAR-10 folder {folder} lacks {', '.join(missing)}: it needs all five "
                           f"data_batch_N.bin files and {TEST_FILE}.")
    classes = _class_names(folder)
    train = [_read_batch(folder / name, len(classes)) for name in TRAIN_FILES]
    test_images, test_labels = _read_batch(folder / TEST_FILE, len(classes))
    return Dataset(
        "CIFAR-10", classes,
        np.concatenate([images for images, _ in train]), np.concatenate([labels for _, labels in train]),
        test_images, test_labels, CIFAR10,
    )


def _read_batch(file: Path, num_classes: int) -> tuple[np.ndarray, np.ndarray]:
    try:
        raw = np.fromfile(file, dtype=np.uint8)
    except OSError as error:
        raise DatasetError(QT_TRANSLATE_NOOP("UserError", "Cannot read {0}: {1}.").format(file, error.strerror or error)) from None
    if raw.size == 0 or raw.size % RECORD_BYTES:
        whole = raw.size // RECORD_BYTES
        raise DatasetError(f"{file.name} is truncated or not a CIFAR-10 batch: {raw.size:,} bytes is not a whole "
                           f"number of {RECORD_BYTES:,}-byte records ({whole:,} whole records and "
                           f"{raw.size - whole * RECORD_BYTES:,} bytes over).")
    records = raw.reshape(-1, RECORD_BYTES)
    labels = records[:, 0].astype(np.int64)
    bad = np.flatnonzero(labels >= num_classes)
    if bad.size:
        raise DatasetError(f"{file.name} is damaged: record {int(bad[0])} has the label {int(labels[bad[0]])}, "
                           f"but CIFAR-10's labels are 0 to {num_classes - 1}.")
    images = records[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(images), labels


def _class_names(folder: Path) -> tuple[str, ...]:
    meta = folder / "batches.meta.txt"
    try:
        names = tuple(line.strip() for line in meta.read_text(encoding="utf-8").splitlines() if line.strip())
    except (OSError, UnicodeDecodeError):
        return CIFAR10_CLASSES
    return names if len(names) == len(CIFAR10_CLASSES) else CIFAR10_CLASSES
