"""The bundled synthetic dataset: ten classes of shapes and textures, drawn from a seed.

Each image is one shape or texture patch of a random colour, at a random position and size,
on a background of another random colour with Gaussian noise. Position varies, so the task
rewards local, translation-invariant features (what convolutions learn), and colour carries
no information about the class. Classes are exactly balanced in both splits.

Generation is vectorised numpy (every image of a class at once; about a second for 6,000
images at 32x32), deterministic from the seed, and cached in memory and on disk.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import numpy as np

from viewer.core.i18n import QT_TRANSLATE_NOOP
from viewer.core.preprocess import Preprocessing
from viewer.core.training.dataset import Dataset, DatasetError, channel_statistics

#: the ten classes, in label order
SHAPE_CLASSES = (
    "disc", "square", "triangle", "cross", "ring",
    "horizontal stripes", "vertical stripes", "diagonal stripes", "checker", "blob",
)
#: smallest side the shapes stay recognisable at
MIN_SIZE = 16
DEFAULT_SIZE = 32
TRAIN_PER_CLASS = 500
TEST_PER_CLASS = 100
#: bump when the drawing changes, so that old cached files are not reused
_VERSION = 1


def shapes_dataset(size: int = DEFAULT_SIZE, seed: int = 0, train_per_class: int = TRAIN_PER_CLASS,
                   test_per_class: int = TEST_PER_CLASS, cache_dir: str | os.PathLike[str] | None = None) -> Dataset:
    """The shapes dataset at ``size`` x ``size`` pixels drawn from ``seed`` (cached)."""
    if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < MIN_SIZE:
        raise DatasetError(QT_TRANSLATE_NOOP("UserError", "The shapes dataset needs a size of at least {0} pixels (got {1}).").format(MIN_SIZE, repr(size)))
    if train_per_class < 1 or test_per_class < 1:
        raise DatasetError(QT_TRANSLATE_NOOP("UserError", "The shapes dataset needs at least one training and one test image per class."))
    return _cached(int(size), int(seed), int(train_per_class), int(test_per_class),
                   str(cache_dir) if cache_dir is not None else None)


def default_cache_dir() -> Path:
    """Where generated datasets are kept between runs: ``$CNN_VIEWER_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/cnn-viewer`` (``~/.cache/cnn-viewer``)."""
    if os.environ.get("CNN_VIEWER_CACHE_DIR"):
        return Path(os.environ["CNN_VIEWER_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cnn-viewer"


@functools.lru_cache(maxsize=4)
def _cached(size: int, seed: int, train_per_class: int, test_per_class: int, cache_dir: str | None) -> Dataset:
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    file = folder / f"shapes-v{_VERSION}-{size}px-seed{seed}-{train_per_class}-{test_per_class}.npz"
    arrays = _read_cache(file)
    if arrays is None:
        arrays = _generate(size, seed, train_per_class, test_per_class)
        _write_cache(file, arrays)
    mean, std = channel_statistics(arrays["train_images"])
    return Dataset(
        "shapes", SHAPE_CLASSES, arrays["train_images"], arrays["train_labels"],
        arrays["test_images"], arrays["test_labels"], Preprocessing("shapes", mean, std, size),
    )


def _read_cache(file: Path) -> dict[str, np.ndarray] | None:
    try:
        with np.load(file, allow_pickle=False) as data:
            return {key: data[key] for key in ("train_images", "train_labels", "test_images", "test_labels")}
    except (OSError, KeyError, ValueError):
        return None  # absent or damaged: draw it again


def _write_cache(file: Path, arrays: dict[str, np.ndarray]) -> None:
    """Best effort: a cache that cannot be written only costs a second next time."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        partial = file.with_name(file.name + f".{os.getpid()}.partial.npz")
        np.savez_compressed(partial, **arrays)
        os.replace(partial, file)
    except OSError:
        pass


def _generate(size: int, seed: int, train_per_class: int, test_per_class: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    train_images, train_labels = _split(rng, size, train_per_class)
    test_images, test_labels = _split(rng, size, test_per_class)
    return {"train_images": train_images, "train_labels": train_labels,
            "test_images": test_images, "test_labels": test_labels}


def _split(rng: np.random.Generator, size: int, per_class: int) -> tuple[np.ndarray, np.ndarray]:
    """``per_class`` images of every class, shuffled."""
    count = per_class * len(SHAPE_CLASSES)
    labels = np.repeat(np.arange(len(SHAPE_CLASSES), dtype=np.int64), per_class)
    images = np.empty((count, size, size, 3), np.uint8)
    for label in range(len(SHAPE_CLASSES)):
        rows = slice(label * per_class, (label + 1) * per_class)
        images[rows] = _draw(rng, label, per_class, size)
    order = rng.permutation(count)
    return images[order], labels[order]


def _draw(rng: np.random.Generator, label: int, count: int, size: int) -> np.ndarray:
    """``count`` images of class ``label``: (count, size, size, 3) uint8."""
    radius = rng.uniform(0.26, 0.42, count) * size
    centre_y = rng.uniform(radius, size - radius)
    centre_x = rng.uniform(radius, size - radius)
    angle = rng.uniform(0, 2 * np.pi, count)
    phase = rng.uniform(0, 2 * np.pi, (count, 2))
    period = rng.uniform(0.22, 0.32, count) * radius * 2
    grid = np.arange(size, dtype=np.float32) + 0.5
    dy = (grid[None, :, None] - centre_y[:, None, None]) / radius[:, None, None]
    dx = (grid[None, None, :] - centre_x[:, None, None]) / radius[:, None, None]
    mask = _mask(SHAPE_CLASSES[label], dy, dx, angle, phase, period / radius)
    background = rng.uniform(0.0, 1.0, (count, 3))
    # The shape's colour is far from the background's in at least one channel, so it is visible.
    foreground = (background + rng.uniform(0.3, 0.7, (count, 3)) * rng.choice((-1, 1), (count, 3))) % 1.0
    pixels = np.where(mask[..., None], foreground[:, None, None, :], background[:, None, None, :])
    pixels = pixels + rng.normal(0.0, 0.05, pixels.shape)
    return np.clip(np.rint(pixels * 255.0), 0, 255).astype(np.uint8)


def _mask(name: str, dy: np.ndarray, dx: np.ndarray, angle: np.ndarray, phase: np.ndarray,
          period: np.ndarray) -> np.ndarray:
    """Where the shape is, on coordinates in units of each image's radius (centre at 0)."""
    distance = np.hypot(dx, dy)
    square = np.maximum(np.abs(dx), np.abs(dy))
    patch = square <= 0.9
    per_image = (slice(None), None, None)
    if name == "disc":
        return distance <= 0.9
    if name == "square":
        return square <= 0.75
    if name == "triangle":  # apex up, base down (rows grow downwards)
        return (dy <= 0.7) & (np.abs(dx) * 1.7 <= dy + 0.95)
    if name == "cross":
        arm = 0.3
        return ((np.abs(dx) <= arm) & (np.abs(dy) <= 0.95)) | ((np.abs(dy) <= arm) & (np.abs(dx) <= 0.95))
    if name == "ring":
        return (distance <= 0.95) & (distance >= 0.55)
    if name in ("horizontal stripes", "vertical stripes", "diagonal stripes"):
        along = {"horizontal stripes": dy, "vertical stripes": dx, "diagonal stripes": (dx + dy) / np.sqrt(2)}[name]
        wave = np.sin(2 * np.pi * along / period[per_image] + phase[:, 0][per_image])
        return patch & (wave > 0)
    if name == "checker":
        cell = period[per_image] / 2
        return patch & ((np.floor(dx / cell) + np.floor(dy / cell)) % 2 == 0)
    if name == "blob":  # a smooth, irregular outline: its radius wobbles with the direction
        theta = np.arctan2(dy, dx)
        wobble = (0.2 * np.sin(3 * theta + angle[per_image]) + 0.12 * np.sin(5 * theta + phase[:, 1][per_image]))
        return distance <= 0.7 + wobble
    raise ValueError(f"no shape {name!r}")
