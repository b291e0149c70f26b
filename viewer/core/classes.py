"""The 1000 ImageNet class names, and the top-k predictions that name them.

The names live in ``viewer/resources/imagenet_classes.txt`` (torchvision's ``_IMAGENET_CATEGORIES``,
one per line in class-index order), read once on first use.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import torch

from viewer.core.errors import UserError
from viewer.core.i18n import QT_TRANSLATE_NOOP
from viewer.core.resources import resource_path

__all__ = ["CIFAR10_CLASSES", "CLASSES_FILE", "class_name", "imagenet_classes", "read_class_names", "top_k"]

CLASSES_FILE = resource_path("imagenet_classes.txt")
#: CIFAR-10's classes in label order (its ``batches.meta.txt``), what the course trains on
CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
#: a class-names file is read only up to this size (a list of names, not a data file)
_MAX_NAMES_BYTES = 4 << 20


@functools.cache
def imagenet_classes() -> tuple[str, ...]:
    """The 1000 class names; index ``i`` is the name of logit ``i`` of an ImageNet model."""
    lines = CLASSES_FILE.read_text(encoding="utf-8").splitlines()
    names = tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))
    if len(names) != 1000:
        raise RuntimeError(f"{CLASSES_FILE} holds {len(names)} class names, expected 1000")
    return names


def read_class_names(path: str | os.PathLike[str]) -> tuple[str, ...]:
    """The class names in a text file, one per line in label order (blank lines skipped), as
    CIFAR-10's ``batches.meta.txt`` holds them; UserError with a sentence when it cannot be read."""
    file = Path(path)
    try:
        if file.stat().st_size > _MAX_NAMES_BYTES:
            raise UserError(QT_TRANSLATE_NOOP("UserError", "{0} is too large for a list of class names (one name per line).").format(file.name))
        text = file.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise UserError(QT_TRANSLATE_NOOP("UserError", "Cannot read {0}: {1}.").format(file, error.strerror or error)) from None
    except UnicodeDecodeError:
        raise UserError(QT_TRANSLATE_NOOP("UserError", "{0} is not a text file of class names (one name per line).").format(file.name)) from None
    names = tuple(line.strip() for line in text.splitlines() if line.strip())
    if not names:
        raise UserError(QT_TRANSLATE_NOOP("UserError", "{0} holds no class names (one name per line).").format(file.name))
    return names


def class_name(index: int, num_classes: int = 1000) -> str:
    """The ImageNet name of ``index``; ``"class <index>"`` for models with other classes."""
    if num_classes == 1000 and 0 <= index < 1000:
        return imagenet_classes()[index]
    return f"class {index}"


def top_k(logits: torch.Tensor, k: int = 5) -> list[tuple[int, str, float]]:
    """The ``k`` most probable classes as ``(index, name, probability)``, most probable first.

    ``logits`` is ``(num_classes,)`` or ``(1, num_classes)``; probabilities are its softmax.
    Names are ImageNet's when there are 1000 classes, else ``"class <index>"``.
    """
    values = logits.detach().to("cpu", torch.float64)
    if values.ndim == 2 and values.shape[0] == 1:
        values = values[0]
    if values.ndim != 1 or values.numel() == 0:
        raise ValueError(f"top_k expects (num_classes,) or (1, num_classes), got {tuple(logits.shape)}")
    probabilities = torch.softmax(values, dim=0)
    count = max(0, min(int(k), values.numel()))
    best = torch.topk(probabilities, count)
    return [
        (int(i), class_name(int(i), values.numel()), float(p))
        for p, i in zip(best.values.tolist(), best.indices.tolist(), strict=True)
    ]
