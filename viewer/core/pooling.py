"""Max, average and stochastic pooling, all at once and step by step.

Max and average pooling are PyTorch's own (``F.max_pool2d`` / ``F.avg_pool2d`` with
``count_include_pad=True``, PyTorch's default: zero padding counts in the average's divisor).
Stochastic pooling follows Zeiler and Fergus (2013): in a window of non-negative activations
``a``, cell ``i`` is drawn with probability ``p_i = a_i / sum(a)`` while training; at test time
the window outputs the probability-weighted mean ``sum(p_i * a_i) = sum(a^2) / sum(a)``.

The draw is vectorised with the cumulative-sum trick, looping over the k*k *taps* of the
kernel, never over windows: one uniform ``u`` per window is scaled by the window's sum, and the
drawn cell is the one whose cumulative interval ``[c_{i-1}, c_i)`` contains it. Zero cells have
an empty interval, so neither zeros nor the zero padding can ever be drawn.

:class:`PoolSteps` exposes every position of the window as a frozen :class:`PoolStep` for the
lab's animation, with the same semantics as :class:`viewer.core.conv.ConvSteps` (and the same
:class:`~viewer.core.geometry.SlidingWindow`). torch is imported inside the functions so that
the UI can import this module instantly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from viewer.core.errors import Cancelled, InvalidSettingError, UserError
from viewer.core.geometry import IntOrPair, SlidingWindow, WindowSteps, as_pair, pooling_output_size
from viewer.core.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    import torch

#: The pooling modes, in the order the lab shows them.
MODES: tuple[str, ...] = ("max", "avg", "stochastic")
#: How exported pictures name the modes.
MODE_TITLES = {"max": "max", "avg": "average", "stochastic": "stochastic"}


#: Elements per batch of stacked samples in :func:`average_of_samples`.
_SAMPLES_ELEMENTS = 1 << 22


class NegativeInputError(UserError, ValueError):
    """Stochastic pooling was given negative values (its probabilities would be meaningless)."""


NEGATIVE_INPUT_MESSAGE = (
    "Stochastic pooling needs non-negative inputs (p_i = a_i / sum(a) is not a probability "
    "otherwise): apply ReLU first."
)


def pooling_geometry(
    input_hw: tuple[int, int], kernel_size: IntOrPair, stride: IntOrPair | None = None, padding: IntOrPair = 0
) -> SlidingWindow:
    """The sliding window of a pooling layer; ``stride`` defaults to the kernel size.

    Raises
    ------
    InvalidSettingError
        When the window does not fit, or the padding is more than half the window (PyTorch's
        limit for pooling), with a sentence the user can act on.
    """
    try:
        kernel = as_pair(kernel_size, "window size")
        strides = kernel if stride is None else as_pair(stride, "stride")
        pads = as_pair(padding, "padding")
        for n, k, s, p in zip(input_hw, kernel, strides, pads, strict=True):
            pooling_output_size(int(n), k, s, p)
        return SlidingWindow.create(tuple(int(n) for n in input_hw), kernel, strides, pads)
    except InvalidSettingError:
        raise
    except ValueError as exc:
        raise InvalidSettingError(str(exc)) from None


def _as_4d(x: torch.Tensor) -> tuple[torch.Tensor, bool]:
    import torch

    if not isinstance(x, torch.Tensor):
        raise TypeError(f"pool2d expects a torch.Tensor, not {type(x).__name__}")
    if x.dim() == 3:
        return x.unsqueeze(0), True
    if x.dim() != 4:
        raise ValueError(f"pool2d expects a (N, C, H, W) or (C, H, W) tensor; got shape {tuple(x.shape)}.")
    return x, False


def _make_generator(generator: torch.Generator | None, seed: int | None) -> torch.Generator | None:
    import torch

    if generator is not None:
        return generator
    if seed is not None:
        return torch.Generator().manual_seed(int(seed))
    return None


#: Above this magnitude a window's sum of squares could leave float32's range (the maps of a
#: network on its way to diverging): such maps are pooled in float64, the outputs in float32.
_WIDEN_ABOVE = 1e15


def _widened(x: torch.Tensor) -> torch.Tensor:
    """``x`` in float64 when its window sums could overflow float32, else ``x`` itself."""
    import torch

    if x.dtype == torch.float32 and x.numel() and float(x.abs().max()) > _WIDEN_ABOVE:
        return x.double()
    return x


def _check_non_negative(x: torch.Tensor) -> None:
    if x.numel() and bool((x < 0).any()):
        raise NegativeInputError(NEGATIVE_INPUT_MESSAGE)


def _stochastic_test(x: torch.Tensor, g: SlidingWindow) -> torch.Tensor:
    """``sum(a^2) / sum(a)`` per window (0 for a window of zeros)."""
    import torch
    import torch.nn.functional as F

    total = F.avg_pool2d(x, g.kernel_hw, g.stride, g.padding, divisor_override=1)
    squares = F.avg_pool2d(x * x, g.kernel_hw, g.stride, g.padding, divisor_override=1)
    return torch.where(total > 0, squares / total.clamp_min(torch.finfo(x.dtype).tiny), torch.zeros_like(total))


def _stochastic_train(
    x: torch.Tensor, g: SlidingWindow, generator: torch.Generator | None, want_index: bool = False
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """One draw per window: (values, flat tap index within the window or None).

    For a window of zeros the value is 0 and the index -1 (nothing was drawn).
    """
    import torch
    import torch.nn.functional as F

    (kh, kw), (sh, sw), (ph, pw) = g.kernel_hw, g.stride, g.padding
    oh, ow = g.output_hw
    padded = F.pad(x, (pw, pw, ph, ph)) if ph or pw else x
    total = F.avg_pool2d(padded, (kh, kw), (sh, sw), 0, divisor_override=1)
    target = torch.rand(total.shape, generator=generator, dtype=x.dtype) * total
    cumulative = torch.zeros_like(total)
    value = torch.zeros_like(total)
    index = torch.full(total.shape, -1, dtype=torch.int64) if want_index else None
    take = torch.empty(total.shape, dtype=torch.bool)
    positive = torch.empty(total.shape, dtype=torch.bool)
    for r in range(kh):
        for c in range(kw):
            tap = padded[..., r : r + sh * (oh - 1) + 1 : sh, c : c + sw * (ow - 1) + 1 : sw]
            # The drawn cell is the *last* positive tap whose interval starts at or below the
            # target; requiring tap > 0 also makes a rounding overshoot land on a real cell.
            torch.le(cumulative, target, out=take)
            torch.gt(tap, 0, out=positive)
            take &= positive
            value = torch.where(take, tap, value)
            if index is not None:
                index.masked_fill_(take, r * kw + c)
            cumulative += tap
    return value, index


def pool2d(
    x: torch.Tensor,
    mode: str,
    kernel_size: IntOrPair,
    stride: IntOrPair | None = None,
    padding: IntOrPair = 0,
    *,
    training: bool = False,
    generator: torch.Generator | None = None,
    seed: int | None = None,
) -> torch.Tensor:
    """Pool a (N, C, H, W) or (C, H, W) tensor; the result has the same rank.

    Parameters
    ----------
    mode
        ``"max"``, ``"avg"`` (zero padding counted in the divisor, PyTorch's default) or
        ``"stochastic"``.
    kernel_size, stride, padding
        Ints or (h, w) pairs; ``stride`` defaults to ``kernel_size``; padding is per side and
        at most half the window, as PyTorch requires.
    training
        Stochastic only: draw one value per window (True) or output the probability-weighted
        mean (False).
    generator, seed
        Stochastic training only: where the randomness comes from (``generator`` wins; with
        neither, torch's global generator).

    Raises
    ------
    ValueError
        Unknown mode, bad shape; :class:`NegativeInputError` (a ``ValueError``) for negative
        values in stochastic mode; :class:`~viewer.core.errors.InvalidSettingError` (also a
        ``ValueError``) when the window does not fit.
    """
    import torch.nn.functional as F

    if mode not in MODES:
        raise ValueError(f"Unknown pooling mode {mode!r}; choose one of {', '.join(MODES)}.")
    x4, squeeze = _as_4d(x)
    g = pooling_geometry(tuple(x4.shape[-2:]), kernel_size, stride, padding)
    if mode == "max":
        out = F.max_pool2d(x4, g.kernel_hw, g.stride, g.padding)
    elif mode == "avg":
        out = F.avg_pool2d(_widened(x4), g.kernel_hw, g.stride, g.padding, count_include_pad=True).to(x4.dtype)
    else:
        _check_non_negative(x4)
        if training:
            out = _stochastic_train(_widened(x4), g, _make_generator(generator, seed))[0].to(x4.dtype)
        else:
            out = _stochastic_test(_widened(x4), g).to(x4.dtype)
    return out[0] if squeeze else out


def stochastic_probabilities(window_values: np.ndarray) -> np.ndarray:
    """``p_i = a_i / sum(a)`` for one window (any shape), float64; all zeros for a zero window.

    Raises :class:`NegativeInputError` (a ``ValueError``) for negative values.
    """
    values = np.asarray(window_values, dtype=np.float64)
    if (values < 0).any():
        raise NegativeInputError(NEGATIVE_INPUT_MESSAGE)
    total = values.sum()
    if total <= 0:
        return np.zeros_like(values)
    return values / total


def average_of_samples(
    x: np.ndarray | torch.Tensor,
    kernel_size: IntOrPair,
    stride: IntOrPair | None = None,
    padding: IntOrPair = 0,
    n: int = 100,
    seed: int = 0,
    cancelled: Callable[[], bool] | None = None,
) -> np.ndarray | torch.Tensor:
    """The mean of ``n`` training-mode stochastic draws; tends to the test-time output.

    ``x`` is a numpy (H, W) array (the result is numpy (H_out, W_out)) or a tensor that
    :func:`pool2d` accepts (the result is a tensor). Loops over the samples, never the windows.
    2,000 samples of a photo take minutes, so ``cancelled`` is asked between batches of
    samples; when it returns True, :class:`~viewer.core.errors.Cancelled` is raised (a newer request won).
    """
    import torch

    if int(n) < 1:
        raise InvalidSettingError(QT_TRANSLATE_NOOP("UserError", "The number of samples must be at least 1 (got {0}).").format(n))
    as_numpy = not isinstance(x, torch.Tensor)
    tensor = torch.from_numpy(np.array(x, dtype=np.float32, ndmin=2))[None] if as_numpy else x
    x4, squeeze = _as_4d(tensor)
    g = pooling_geometry(tuple(x4.shape[-2:]), kernel_size, stride, padding)
    _check_non_negative(x4)
    wide = _widened(x4)
    generator = torch.Generator().manual_seed(int(seed))
    total = torch.zeros((*x4.shape[:2], *g.output_hw), dtype=torch.float64)
    # Several samples per call (stacked along the batch) amortise the per-tap overhead on
    # small maps; the chunk keeps memory near 16 MB on large ones.
    chunk = max(1, min(int(n), _SAMPLES_ELEMENTS // max(1, x4.numel())))
    remaining = int(n)
    while remaining:
        if cancelled is not None and cancelled():
            raise Cancelled(f"average of {n} samples cancelled")
        size = min(chunk, remaining)
        stacked = wide.repeat(size, 1, 1, 1) if size > 1 else wide
        draws = _stochastic_train(stacked, g, generator)[0]
        total += draws.reshape(size, *total.shape).sum(0, dtype=torch.float64)
        remaining -= size
    mean = (total / int(n)).to(x4.dtype)
    if as_numpy:
        return mean[0, 0].numpy()
    return mean[0] if squeeze else mean


@dataclass(frozen=True, eq=False)
class PoolStep:
    """One position of the pooling window and the value it produces."""

    index: int
    out_pos: tuple[int, int]
    """Output cell (row, col)."""
    window: tuple[int, int]
    """Top-left of the window in padded-input coordinates."""
    patch: np.ndarray = field(repr=False)
    """(kh, kw) values under the window, zero in the padding (read-only)."""
    padding_mask: np.ndarray = field(repr=False)
    """(kh, kw) bool, True where the window covers padding."""
    value: float
    """The output value, taken from the full output (so it equals PyTorch's)."""
    max_index: tuple[int, int]
    """(row, col) within the window of the largest real (non-padding) cell, first in raster order."""
    mean: float
    """Average of the window, padding counted as zeros (``count_include_pad=True``)."""
    probabilities: np.ndarray | None = field(default=None, repr=False)
    """Stochastic only: (kh, kw) ``p_i`` (all zero for a window of zeros)."""
    drawn_index: tuple[int, int] | None = None
    """Stochastic training only: (row, col) within the window of the drawn cell (None if all zero)."""


class PoolSteps(WindowSteps[PoolStep]):
    """Every step of the pooling window's slide over one (H, W) map, with random access.

    The full output is computed once (vectorised); ``steps[i]`` costs O(kh * kw). Attributes:
    ``output`` (H_out, W_out) float32 (equal to :func:`pool2d` with the same seed),
    ``padded_input`` (Hp, Wp) with zero padding, ``geometry``, ``mode``, ``training``,
    ``drawn`` ((H_out, W_out) int flat tap index, -1 for none; stochastic training only).
    """

    def __init__(
        self,
        x: np.ndarray,
        mode: str,
        kernel_size: IntOrPair,
        stride: IntOrPair | None = None,
        padding: IntOrPair = 0,
        *,
        training: bool = False,
        seed: int = 0,
    ) -> None:
        import torch

        values = np.require(np.asarray(x, dtype=np.float32), np.float32, ["C_CONTIGUOUS", "WRITEABLE"])
        if values.ndim != 2 or 0 in values.shape:
            raise ValueError(f"PoolSteps expects a non-empty (H, W) map; got shape {values.shape}.")
        if mode not in MODES:
            raise ValueError(f"Unknown pooling mode {mode!r}; choose one of {', '.join(MODES)}.")
        self.geometry: SlidingWindow = pooling_geometry(values.shape, kernel_size, stride, padding)
        self.mode, self.training, self.seed = mode, bool(training and mode == "stochastic"), int(seed)
        tensor = torch.from_numpy(values)[None, None]
        self.drawn: np.ndarray | None = None
        if mode == "stochastic" and self.training:
            _check_non_negative(tensor)
            out, index = _stochastic_train(_widened(tensor), self.geometry, torch.Generator().manual_seed(self.seed), True)
            out = out.to(torch.float32)
            self.drawn = index[0, 0].numpy()
            self.drawn.setflags(write=False)
        else:
            out = pool2d(tensor, mode, self.geometry.kernel_hw, self.geometry.stride, self.geometry.padding)
        self.output: np.ndarray = np.ascontiguousarray(out[0, 0].numpy())
        ph, pw = self.geometry.padding
        self.padded_input: np.ndarray = np.pad(values, ((ph, ph), (pw, pw)))
        for array in (self.output, self.padded_input):
            array.setflags(write=False)

    def at(self, row: int, col: int) -> PoolStep:
        """The step that fills output cell ``(row, col)``."""
        g = self.geometry
        index = g.step_of(row, col)
        top, left = g.window_top_left(row, col)
        kh, kw = g.kernel_hw
        patch = self.padded_input[top : top + kh, left : left + kw].copy()
        rows, cols = np.arange(top, top + kh)[:, None], np.arange(left, left + kw)[None, :]
        ph, pw = g.padding
        h, w = g.input_hw
        mask = (rows < ph) | (rows >= ph + h) | (cols < pw) | (cols >= pw + w)
        real = np.where(mask, -np.inf, patch)
        max_index = tuple(int(v) for v in np.unravel_index(int(np.argmax(real)), real.shape))
        probabilities = drawn_index = None
        if self.mode == "stochastic":
            probabilities = stochastic_probabilities(patch)
            probabilities.setflags(write=False)
            if self.drawn is not None and self.drawn[row, col] >= 0:
                drawn_index = divmod(int(self.drawn[row, col]), kw)
        for array in (patch, mask):
            array.setflags(write=False)
        return PoolStep(
            index,
            (row, col),
            (top, left),
            patch,
            mask,
            float(self.output[row, col]),
            max_index,  # type: ignore[arg-type]
            float(patch.mean(dtype=np.float64)),
            probabilities,
            drawn_index,
        )

    def step_at_input(self, padded_row: int, padded_col: int) -> int | None:
        """The first step whose window covers a padded-input cell (for hover), or None."""
        fed = self.geometry.outputs_fed_by(padded_row, padded_col)
        return self.geometry.step_of(*fed[0]) if fed else None
