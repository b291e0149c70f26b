"""Translation invariance, measured: a map shifted by (dy, dx) pixels, convolved or max pooled,
and compared with the unshifted one.

The course says a convolution layer's features are translation invariant: the same kernel finds
the same pattern wherever it is. Precisely, convolution is *equivariant*: shift the input by
(dy, dx) and the feature map shifts by (dy / stride, dx / stride), where the stride divides the
shift, with equal values away from the borders (where the window met padding or the cells the
shift emptied). Max pooling adds a little *invariance*: a shift inside one window leaves a
window's maximum where it was as long as that maximum stays in the window. Both are computed
here with PyTorch's own operators, so the numbers on screen are ``F.conv2d``'s and
``F.max_pool2d``'s.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from viewer.core.conv import conv_geometry, cross_correlate
from viewer.core.geometry import IntOrPair, as_pair

#: The largest shift offered, in pixels along each axis.
MAX_SHIFT = 16


def shift_map(x: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """``x`` (..., H, W) moved ``dy`` rows down and ``dx`` columns right; emptied cells are 0.

    A negative shift moves up or left. What leaves the map is gone (no wrapping round).
    """
    shifted = np.zeros_like(x)
    height, width = x.shape[-2:]
    if abs(dy) >= height or abs(dx) >= width:
        return shifted
    rows_to, rows_from = _span(dy, height)
    cols_to, cols_from = _span(dx, width)
    shifted[..., rows_to, cols_to] = x[..., rows_from, cols_from]
    return shifted


def _span(offset: int, n: int) -> tuple[slice, slice]:
    """(destination, source) slices of one axis moved by ``offset``."""
    if offset >= 0:
        return slice(offset, n), slice(0, n - offset)
    return slice(0, n + offset), slice(-offset, n)


@dataclass(frozen=True, eq=False)
class ConvShift:
    """One kernel's feature map of an input and of the input shifted by (dy, dx)."""

    shift: tuple[int, int]
    """(dy, dx) in input pixels."""
    output: np.ndarray
    """(Ho, Wo) feature map of the input."""
    shifted_output: np.ndarray
    """(Ho, Wo) feature map of the shifted input."""
    output_shift: tuple[int, int] | None
    """How far the feature map moved, (dy / stride, dx / stride); None where a stride does not
    divide its shift (the shifted map's samples then fall between the unshifted map's)."""
    difference: np.ndarray | None
    """(Ho, Wo): the shifted map, moved back by :attr:`output_shift`, minus the unshifted map;
    0 where the moved-back map has no value. None without an :attr:`output_shift`."""
    compared: np.ndarray | None
    """(Ho, Wo) bool: the cells that have a counterpart in the shifted map (the rest of
    :attr:`difference` is 0 for want of one)."""
    interior: np.ndarray | None
    """(Ho, Wo) bool: the compared cells whose window lies inside the input and inside what the
    shift kept, in both maps (where the difference must be zero)."""

    @property
    def interior_max(self) -> float | None:
        """The largest |difference| away from the borders (None: no aligned difference or no interior)."""
        if self.difference is None or not self.interior.any():
            return None
        return float(np.abs(self.difference[self.interior]).max())

    @property
    def border_max(self) -> float | None:
        """The largest |difference| at the borders (None: no aligned difference or no border cell)."""
        if self.difference is None:
            return None
        border = self.compared & ~self.interior
        return float(np.abs(self.difference[border]).max()) if border.any() else None


def conv_shift(x: np.ndarray, kernel: np.ndarray, bias: float, stride: IntOrPair, padding: IntOrPair,
               dilation: IntOrPair, padding_mode: str, shift: tuple[int, int],
               padding_end: IntOrPair | None = None) -> ConvShift:
    """The feature maps of ``x`` (C, H, W) and of ``x`` shifted by ``shift``, aligned and compared.

    ValueError with a sentence when the setting cannot run (see :func:`~viewer.core.conv.conv_geometry`).
    """
    dy, dx = (int(v) for v in shift)
    setting = (bias, stride, padding, dilation, padding_mode, padding_end)
    output = cross_correlate(x, kernel, *setting)
    shifted_output = cross_correlate(shift_map(x, dy, dx), kernel, *setting)
    geometry = conv_geometry(x.shape[-2:], kernel.shape[-2:], stride, padding, dilation, padding_mode, padding_end)
    sy, sx = geometry.stride
    if dy % sy or dx % sx:
        return ConvShift((dy, dx), output, shifted_output, None, None, None, None)
    oy, ox = dy // sy, dx // sx
    moved_back = shift_map(shifted_output, -oy, -ox)
    kept = shift_map(np.ones_like(output, dtype=bool), -oy, -ox)
    difference = np.where(kept, moved_back - output, np.float32(0)).astype(np.float32)
    interior = kept & _window_inside(geometry, x.shape[-2:], dy, dx, output.shape)
    return ConvShift((dy, dx), output, shifted_output, (oy, ox), difference, kept, interior)


def _window_inside(geometry, input_hw: tuple[int, int], dy: int, dx: int, output_hw: tuple[int, int]) -> np.ndarray:
    """(Ho, Wo) bool: the windows that cover only input cells which the shift keeps."""
    masks = []
    for axis, offset in ((0, dy), (1, dx)):
        n = input_hw[axis]
        span = geometry.dilation[axis] * (geometry.kernel_hw[axis] - 1)
        first = np.arange(output_hw[axis]) * geometry.stride[axis] - geometry.padding[axis]
        low, high = max(0, -offset), min(n, n - offset)  # rows r whose r + offset stays in the map
        masks.append((first >= low) & (first + span < high))
    return masks[0][:, None] & masks[1][None, :]


@dataclass(frozen=True, eq=False)
class PoolShift:
    """Max and average pooling of a map and of the map shifted by (dy, dx), cell by cell."""

    shift: tuple[int, int]
    shifted_input: np.ndarray
    """(H, W): the map moved by :attr:`shift`, emptied cells 0."""
    max_output: np.ndarray
    shifted_max_output: np.ndarray
    avg_output: np.ndarray
    shifted_avg_output: np.ndarray

    @property
    def max_difference(self) -> np.ndarray:
        """Max pooling of the shifted map minus max pooling of the map, at the same cells."""
        return self.shifted_max_output - self.max_output

    @property
    def cells(self) -> int:
        return int(self.max_output.size)

    @property
    def max_unchanged(self) -> int:
        """How many of the max-pooled cells the shift left exactly as they were."""
        return int(np.count_nonzero(self.shifted_max_output == self.max_output))

    @property
    def avg_unchanged(self) -> int:
        """The same count for average pooling (for comparison)."""
        return int(np.count_nonzero(self.shifted_avg_output == self.avg_output))

    @property
    def max_mean_change(self) -> float:
        """The mean |change| the shift made to the max-pooled cells."""
        return float(np.abs(self.max_difference).mean())

    @property
    def avg_mean_change(self) -> float:
        """The mean |change| it made to the average-pooled cells."""
        return float(np.abs(self.shifted_avg_output - self.avg_output).mean())


def pool_shift(x: np.ndarray, kernel: int, stride: int, padding: int, shift: tuple[int, int]) -> PoolShift:
    """Max and average pooling (``F.max_pool2d``, ``F.avg_pool2d``) of ``x`` (H, W) and of ``x``
    shifted by ``shift``; the outputs are compared cell by cell, not moved back (a shift smaller
    than the window is the case max pooling absorbs)."""
    import torch
    import torch.nn.functional as F  # noqa: N812 - PyTorch's own spelling

    dy, dx = (int(v) for v in shift)
    shifted = shift_map(x, dy, dx)
    both = torch.from_numpy(np.stack([x, shifted]).astype(np.float32, copy=False))[:, None]
    k, s, p = as_pair(kernel, "kernel"), as_pair(stride, "stride"), as_pair(padding, "padding")
    with torch.no_grad():
        maxed = F.max_pool2d(both, k, s, p)[:, 0].numpy()
        averaged = F.avg_pool2d(both, k, s, p)[:, 0].numpy()
    return PoolShift((dy, dx), shifted, maxed[0], maxed[1], averaged[0], averaged[1])


def conv_shift_of_steps(steps, shift: tuple[int, int]) -> ConvShift:
    """:func:`conv_shift` of the input and setting a lab's :class:`~viewer.core.conv.ConvSteps` slid over."""
    g = steps.geometry
    (top, left), (bottom, right) = g.padding, g.trailing_padding
    hp, wp = steps.padded_input.shape[1:]
    x = np.ascontiguousarray(steps.padded_input[:, top : hp - bottom, left : wp - right])
    return conv_shift(x, steps.kernel, steps.bias, g.stride, g.padding, g.dilation, steps.padding_mode, shift,
                      g.padding_end)
