"""Named convolution kernels: the classic image filters a student recognises by their effect.

Every preset has a command-line name (``sobel_x``), a translatable title and a sentence on what
it does. Fixed kernels (Sobel, Prewitt, Laplacian...) are 3x3 by definition; identity, box blur
and Gaussian scale to any size, and ``random`` draws a seeded kernel the way a freshly
initialised layer would look. ``custom`` is a kernel typed by the user
(:func:`parse_kernel_text`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from viewer.core.geometry import IntOrPair, as_pair
from viewer.core.i18n import QT_TRANSLATE_NOOP

#: Largest kernel side the lab offers (the issue asks for 1 to 11).
MAX_KERNEL_SIDE = 11


@dataclass(frozen=True)
class KernelPreset:
    """One named kernel: how to build it and whether its size is fixed."""

    name: str
    title: str
    """English, translated by the conv lab's controls (context "ConvControls")."""
    description: str
    fixed: np.ndarray | None = None
    """The kernel itself when its size is part of its definition (e.g. Sobel), else None."""

    @property
    def resizable(self) -> bool:
        return self.fixed is None


def _fixed(rows: list[list[float]]) -> np.ndarray:
    array = np.array(rows, dtype=np.float32)
    array.setflags(write=False)
    return array


PRESETS: dict[str, KernelPreset] = {
    p.name: p
    for p in (
        KernelPreset("identity", QT_TRANSLATE_NOOP("ConvControls", "Identity"), QT_TRANSLATE_NOOP("ConvControls", "Copies the input: 1 in the centre, 0 elsewhere.")),
        KernelPreset("box_blur", QT_TRANSLATE_NOOP("ConvControls", "Box blur"), QT_TRANSLATE_NOOP("ConvControls", "The mean of the window: smooths noise and edges.")),
        KernelPreset("gaussian", QT_TRANSLATE_NOOP("ConvControls", "Gaussian blur"), QT_TRANSLATE_NOOP("ConvControls", "A weighted mean, heavier in the centre: a softer blur.")),
        KernelPreset("sharpen", QT_TRANSLATE_NOOP("ConvControls", "Sharpen"), QT_TRANSLATE_NOOP("ConvControls", "Adds the difference to the neighbours: edges get crisper."),
                     _fixed([[0, -1, 0], [-1, 5, -1], [0, -1, 0]])),
        KernelPreset("sobel_x", QT_TRANSLATE_NOOP("ConvControls", "Sobel x"), QT_TRANSLATE_NOOP("ConvControls", "Horizontal gradient: responds to vertical edges."),
                     _fixed([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])),
        KernelPreset("sobel_y", QT_TRANSLATE_NOOP("ConvControls", "Sobel y"), QT_TRANSLATE_NOOP("ConvControls", "Vertical gradient: responds to horizontal edges."),
                     _fixed([[-1, -2, -1], [0, 0, 0], [1, 2, 1]])),
        KernelPreset("prewitt_x", QT_TRANSLATE_NOOP("ConvControls", "Prewitt x"), QT_TRANSLATE_NOOP("ConvControls", "Like Sobel x with equal row weights."),
                     _fixed([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]])),
        KernelPreset("prewitt_y", QT_TRANSLATE_NOOP("ConvControls", "Prewitt y"), QT_TRANSLATE_NOOP("ConvControls", "Like Sobel y with equal column weights."),
                     _fixed([[-1, -1, -1], [0, 0, 0], [1, 1, 1]])),
        KernelPreset("laplacian", QT_TRANSLATE_NOOP("ConvControls", "Laplacian"), QT_TRANSLATE_NOOP("ConvControls", "Second derivative: fires on edges in every direction."),
                     _fixed([[0, 1, 0], [1, -4, 1], [0, 1, 0]])),
        KernelPreset("emboss", QT_TRANSLATE_NOOP("ConvControls", "Emboss"), QT_TRANSLATE_NOOP("ConvControls", "A diagonal gradient plus the input: a relief effect."),
                     _fixed([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]])),
        KernelPreset("outline", QT_TRANSLATE_NOOP("ConvControls", "Outline"), QT_TRANSLATE_NOOP("ConvControls", "Centre minus all neighbours: outlines every edge."),
                     _fixed([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]])),
        KernelPreset("random", QT_TRANSLATE_NOOP("ConvControls", "Random (seeded)"), QT_TRANSLATE_NOOP("ConvControls", "Random weights, as a freshly initialised layer has.")),
        KernelPreset("custom", QT_TRANSLATE_NOOP("ConvControls", "Custom"), QT_TRANSLATE_NOOP("ConvControls", "Your own weights, typed cell by cell.")),
    )
}

#: Preset names usable on the command line, in menu order.
PRESET_NAMES: tuple[str, ...] = tuple(PRESETS)


def _check_size(size: IntOrPair) -> tuple[int, int]:
    kh, kw = as_pair(size, "kernel size")
    for side in (kh, kw):
        if not 1 <= side <= MAX_KERNEL_SIDE:
            raise ValueError(f"A kernel side must be between 1 and {MAX_KERNEL_SIDE} (got {side}).")
    return kh, kw


def _gaussian_1d(n: int) -> np.ndarray:
    # OpenCV's default sigma for a given aperture: wide enough that the edges are not cut hard.
    sigma = 0.3 * ((n - 1) * 0.5 - 1) + 0.8
    offsets = np.arange(n, dtype=np.float64) - (n - 1) / 2
    weights = np.exp(-(offsets**2) / (2 * sigma**2))
    return weights / weights.sum()


def make_kernel(name: str, size: IntOrPair = 3, seed: int = 0) -> np.ndarray:
    """A preset kernel as a new (kh, kw) float32 array.

    Parameters
    ----------
    name
        One of :data:`PRESET_NAMES`. ``custom`` starts as the identity (a neutral starting
        point to edit).
    size
        Kernel size for the resizable presets; ignored by the fixed 3x3 ones.
    seed
        Seed of the ``random`` preset: the same seed always gives the same kernel.
    """
    if name not in PRESETS:
        raise ValueError(f"Unknown kernel {name!r}; choose one of {', '.join(PRESET_NAMES)}.")
    preset = PRESETS[name]
    if preset.fixed is not None:
        return preset.fixed.copy()
    kh, kw = _check_size(size)
    if name in ("identity", "custom"):
        kernel = np.zeros((kh, kw), np.float32)
        kernel[kh // 2, kw // 2] = 1.0
        return kernel
    if name == "box_blur":
        return np.full((kh, kw), 1.0 / (kh * kw), np.float32)
    if name == "gaussian":
        return np.outer(_gaussian_1d(kh), _gaussian_1d(kw)).astype(np.float32)
    # random: Kaiming-uniform-like scale, rounded to 2 decimals so that the numbers stay readable
    rng = np.random.default_rng(seed)
    bound = 1.0 / np.sqrt(kh * kw)
    return np.round(rng.uniform(-bound, bound, (kh, kw)), 2).astype(np.float32)


def parse_kernel_text(text: str) -> np.ndarray:
    """A kernel typed as text: rows separated by ``;`` or new lines, values by ``,`` or spaces.

    ``"1,0,-1; 2,0,-2; 1,0,-1"`` is Sobel x. Raises ``ValueError`` with a readable message when
    the rows differ in length, a value is not a number, or the size is out of range.
    """
    rows = [row for row in text.replace("\n", ";").split(";") if row.strip()]
    if not rows:
        raise ValueError("The kernel is empty: type rows of numbers such as '1,0,-1; 2,0,-2; 1,0,-1'.")
    values: list[list[float]] = []
    for number, row in enumerate(rows, start=1):
        cells = [cell for cell in row.replace(",", " ").split() if cell]
        try:
            values.append([float(cell) for cell in cells])
        except ValueError:
            raise ValueError(f"Kernel row {number} ({row.strip()!r}) holds something that is not a number.") from None
    widths = {len(row) for row in values}
    if len(widths) != 1:
        raise ValueError(f"Every kernel row must have the same number of values (got {sorted(widths)}).")
    kernel = np.array(values, dtype=np.float32)
    if not np.isfinite(kernel).all():
        raise ValueError("The kernel values must be finite numbers.")
    _check_size(kernel.shape)
    return kernel


def resolve_kernel(spec: str, size: IntOrPair = 3, seed: int = 0) -> np.ndarray:
    """A preset name or a typed matrix (see :func:`parse_kernel_text`), as used on the command line."""
    if spec in PRESETS:
        return make_kernel(spec, size, seed)
    if any(ch.isdigit() for ch in spec):
        return parse_kernel_text(spec)
    raise ValueError(
        f"Unknown kernel {spec!r}; choose one of {', '.join(PRESET_NAMES)}, or type the values "
        "as '1,0,-1; 2,0,-2; 1,0,-1'."
    )

