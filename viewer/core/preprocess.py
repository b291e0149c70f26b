"""From an RGB image to the tensor a ResNet eats.

ImageNet models expect a square-ish image, normalised per channel with the ImageNet mean and
standard deviation. :func:`resize_pixels` returns the resized image that is actually fed, so
the UI can draw activations on top of exactly what the network saw.

Resizing keeps the aspect ratio: for a square input size the shorter side is scaled to the
size and the centre is cropped (what torchvision's evaluation transform does); with no size,
the image keeps its own shape, scaled down when its longest side exceeds ``max_size``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from viewer.core.errors import InvalidSettingError
from viewer.core.i18n import QT_TRANSLATE_NOOP

__all__ = [
    "CIFAR10",
    "IMAGENET",
    "IMAGENET_MEAN",
    "IMAGENET_STD",
    "INPUT_SIZES",
    "Preprocessing",
    "fed_size",
    "normalize",
    "resize_pixels",
]

#: per-channel (R, G, B) mean and standard deviation of ImageNet, on a [0, 1] scale
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
#: per-channel mean and standard deviation of CIFAR-10 (the MindSpore course's values)
CIFAR10_MEAN = (0.4914, 0.4822, 0.4465)
CIFAR10_STD = (0.2023, 0.1994, 0.2010)


@dataclass(frozen=True)
class Preprocessing:
    """How an image becomes a network's input: the per-channel normalisation its weights were
    trained with, and the input size they were trained at (None: no particular size)."""

    name: str = "ImageNet"
    mean: tuple[float, float, float] = IMAGENET_MEAN
    std: tuple[float, float, float] = IMAGENET_STD
    trained_size: int | None = None


IMAGENET = Preprocessing()
CIFAR10 = Preprocessing("CIFAR-10", CIFAR10_MEAN, CIFAR10_STD, 32)

#: the square input sizes the app offers (``None`` means the image's own size, capped)
INPUT_SIZES = (32, 64, 128, 224)
#: default cap on the longest side when the image keeps its own size
DEFAULT_MAX_SIZE = 512


def fed_size(image_shape: tuple[int, int], size: int | None, max_size: int = DEFAULT_MAX_SIZE) -> tuple[int, int]:
    """``(H, W)`` that :func:`resize_pixels` produces for an image of ``image_shape``."""
    height, width = (int(v) for v in image_shape[:2])
    if size is not None:
        _check_size(size, "input size")
        return (int(size), int(size))
    _check_size(max_size, "maximum size")
    longest = max(height, width)
    if longest <= max_size:
        return (height, width)
    scale = max_size / longest
    return (max(1, round(height * scale)), max(1, round(width * scale)))


def resize_pixels(
    pixels: np.ndarray, size: int | None, max_size: int = DEFAULT_MAX_SIZE
) -> np.ndarray:
    """The ``(H', W', 3)`` float32 image in [0, 1] that is fed to the network.

    ``size`` gives a ``size x size`` image: the shorter side is scaled to ``size`` and the
    centre cropped. ``None`` keeps the image's shape, scaled down (aspect kept) when its
    longest side is over ``max_size``. Scaling uses an antialiased bilinear filter, so small
    inputs such as 32x32 are a fair summary of the picture rather than aliased samples.
    """
    rgb = _as_rgb(pixels)
    height, width = rgb.shape[:2]
    target = fed_size((height, width), size, max_size)
    tensor = torch.from_numpy(np.ascontiguousarray(rgb)).permute(2, 0, 1).unsqueeze(0)
    if size is not None:
        scale = size / min(height, width)
        scaled = (max(size, round(height * scale)), max(size, round(width * scale)))
        tensor = _resize(tensor, scaled)
        top = (scaled[0] - size) // 2
        left = (scaled[1] - size) // 2
        tensor = tensor[:, :, top : top + size, left : left + size]
    else:
        tensor = _resize(tensor, target)
    result = tensor[0].permute(1, 2, 0).clamp_(0.0, 1.0)
    return np.ascontiguousarray(result.numpy(), dtype=np.float32)


def normalize(pixels: np.ndarray, preprocessing: Preprocessing = IMAGENET) -> torch.Tensor:
    """``(H, W, 3)`` image in [0, 1] -> ``(1, 3, H, W)`` tensor, normalised per channel."""
    rgb = torch.from_numpy(np.ascontiguousarray(_as_rgb(pixels)))
    mean = torch.tensor(preprocessing.mean, dtype=torch.float32)
    std = torch.tensor(preprocessing.std, dtype=torch.float32)
    return ((rgb - mean) / std).permute(2, 0, 1).unsqueeze(0).contiguous()


def _resize(tensor: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    if tuple(tensor.shape[-2:]) == tuple(size):
        return tensor.clone()
    return F.interpolate(tensor, size=size, mode="bilinear", align_corners=False, antialias=True)


def _check_size(value: object, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise InvalidSettingError(QT_TRANSLATE_NOOP("UserError", "The {0} must be a whole number of pixels, at least 1 (got {1}).").format(what, repr(value)))


def _as_rgb(pixels: np.ndarray) -> np.ndarray:
    """Accept (H, W, 3); also grey (H, W) or (H, W, 1) and RGBA (alpha dropped)."""
    array = np.asarray(pixels)
    if array.ndim == 2:
        array = array[:, :, None]
    if array.ndim != 3 or array.shape[2] not in (1, 3, 4) or min(array.shape[:2]) < 1:
        raise InvalidSettingError(
            f"Expected an RGB image of shape (height, width, 3), got shape {array.shape}."
        )
    if array.shape[2] == 1:
        array = np.repeat(array, 3, axis=2)
    elif array.shape[2] == 4:
        array = array[:, :, :3]
    array = array.astype(np.float32, copy=False)
    if not np.isfinite(array).all():
        raise InvalidSettingError(QT_TRANSLATE_NOOP("UserError", "The image contains values that are not finite numbers."))
    return array
