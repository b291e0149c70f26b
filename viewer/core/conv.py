"""Cross-correlation, all at once and step by step.

What a convolution layer computes is a cross-correlation: the (possibly dilated) kernel slides
over the padded input in raster order, and each output value is the sum of the element-wise
products of the window and the kernel, plus the bias. :func:`cross_correlate` computes the whole
feature map (with torch, so that it equals ``F.conv2d`` exactly); :class:`ConvSteps` exposes
every step of the slide as a small frozen :class:`ConvStep` for the lab's animation, at
O(C * kh * kw) per step: the output is computed once, never per step. :func:`input_rgb` and
:func:`output_levels` turn a slide into what its pictures show, the same in the lab and in the
exported frames.

torch is imported inside the functions, so that importing this module (the UI does, for
:class:`ConvSetup`) stays instant.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from viewer.core import colormaps
from viewer.core.geometry import IntOrPair, SlidingWindow, WindowSteps, as_pair

#: Padding modes, named as ``torch.nn.Conv2d``'s ``padding_mode``.
PADDING_MODES: tuple[str, ...] = ("zeros", "reflect", "replicate", "circular")
_TORCH_PAD_MODE = {"reflect": "reflect", "replicate": "replicate", "circular": "circular"}


@dataclass(frozen=True, eq=False)
class ConvSetup:
    """Everything the lab needs to show one convolution: input, one kernel, hyperparameters.

    The ResNet explorer sends one of these to step a real layer's kernel (one output channel,
    all its input channels) over its real input feature map. ``x`` may be (H, W) and ``kernel``
    (kh, kw); both are stored as (C, H, W) / (C, kh, kw) float32. Ints are accepted for the
    pairs. ``padding`` is the top/left padding; ``padding_end`` the bottom/right one when it
    differs (a MindSpore ``pad_mode="same"`` layer), else None. (``eq=False``: arrays have no
    single truth value, so setups compare by identity.)
    """

    x: np.ndarray
    kernel: np.ndarray
    bias: float = 0.0
    stride: tuple[int, int] = (1, 1)
    padding: tuple[int, int] = (0, 0)
    dilation: tuple[int, int] = (1, 1)
    padding_mode: str = "zeros"
    label: str = ""
    padding_end: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "x", _as_chw(self.x, "input"))
        set_(self, "kernel", _as_chw(self.kernel, "kernel"))
        set_(self, "bias", float(self.bias))
        for name in ("stride", "padding", "dilation"):
            set_(self, name, as_pair(getattr(self, name), name))
        if self.padding_end is not None:
            end = as_pair(self.padding_end, "padding")
            set_(self, "padding_end", None if end == self.padding else end)

    def steps(self) -> ConvSteps:
        """The step sequence of this setup (raises ``ValueError`` if it is impossible)."""
        return ConvSteps(self.x, self.kernel, self.bias, self.stride, self.padding, self.dilation, self.padding_mode,
                         padding_end=self.padding_end)


@dataclass(frozen=True, eq=False)
class ConvStep:
    """One position of the sliding window and the output value it produces."""

    index: int
    out_pos: tuple[int, int]
    """Output cell (row, col)."""
    window: tuple[int, int]
    """Top-left of the window in padded-input coordinates."""
    patch: np.ndarray = field(repr=False)
    """(C, kh, kw) input values under the kernel taps (read-only)."""
    products: np.ndarray = field(repr=False)
    """(C, kh, kw) ``patch * kernel`` (read-only)."""
    kernel: np.ndarray = field(repr=False)
    """(C, kh, kw) the kernel (shared, read-only)."""
    bias: float
    value: float
    """``products.sum() + bias``, taken from the full output (so it equals ``F.conv2d``)."""


@dataclass(frozen=True)
class _Prepared:
    x: np.ndarray
    kernel: np.ndarray
    bias: float
    geometry: SlidingWindow
    padding_mode: str


def _as_chw(array: np.ndarray, name: str) -> np.ndarray:
    return _checked_chw(array, name)[0]


def _checked_chw(array: np.ndarray, name: str) -> tuple[np.ndarray, float]:
    """The array as (C, H, W) float32, and its largest magnitude; a sentence for anything else.

    One min and one max prove every value finite (both propagate a NaN, and an infinity is
    an extreme) and give the magnitude the overflow check needs, in two passes without
    temporaries: the lab calls this for every step it shows."""
    try:
        values = np.asarray(array, dtype=np.float32)
    except (TypeError, ValueError):
        raise ValueError(f"The {name} must be an array of numbers.") from None
    if values.ndim == 2:
        values = values[None]
    if values.ndim != 3:
        raise ValueError(f"The {name} must be 2-D (H, W) or 3-D (C, H, W); got shape {values.shape}.")
    if 0 in values.shape:
        raise ValueError(f"The {name} is empty (shape {values.shape}).")
    lowest, highest = float(values.min()), float(values.max())
    if not (math.isfinite(lowest) and math.isfinite(highest)):
        raise ValueError(f"The {name} holds values that are not finite numbers (NaN or infinity).")
    # torch.from_numpy warns on read-only arrays; np.require copies only when needed.
    return np.require(values, np.float32, ["C_CONTIGUOUS", "WRITEABLE"]), max(-lowest, highest)


def _prepare(x, kernel, bias, stride, padding, dilation, padding_mode, padding_end=None) -> _Prepared:
    x3, x_magnitude = _checked_chw(x, "input")
    k3, k_magnitude = _checked_chw(kernel, "kernel")
    if x3.shape[0] != k3.shape[0]:
        raise ValueError(
            f"The kernel has {k3.shape[0]} channel(s) but the input has {x3.shape[0]}: "
            "a kernel needs one slice per input channel."
        )
    try:
        bias = float(bias)
    except (TypeError, ValueError):
        raise ValueError(f"The bias must be a number, not {bias!r}.") from None
    if not np.isfinite(bias):
        raise ValueError("The bias must be a finite number.")
    geometry = conv_geometry(x3.shape[1:], k3.shape[1:], stride, padding, dilation, padding_mode, padding_end)
    _refuse_overflow(x_magnitude, k_magnitude, k3[0].size * k3.shape[0], bias)
    return _Prepared(x3, k3, bias, geometry, padding_mode)


#: float32's largest finite number: a product or a sum beyond it is an infinity.
FLOAT32_MAX = float(np.finfo(np.float32).max)


def _refuse_overflow(x_magnitude: float, kernel_magnitude: float, taps: int, bias: float) -> None:
    """Refuse numbers whose products or sums could leave float32's range (an infinity, then NaN).

    The bound is the largest a window's sum can be: every one of the kernel's ``taps`` at the
    largest |x| times the largest |k|, plus the bias. Within it, every number the lab shows is finite.
    """
    bound = x_magnitude * kernel_magnitude * taps + abs(bias)
    if not bound <= FLOAT32_MAX:
        raise ValueError(
            f"These numbers are too large: a window's sum could reach {bound:.3g}, beyond float32's "
            f"largest number (about 3.4e38). Use smaller input values or kernel weights."
        )


def conv_geometry(
    input_hw: tuple[int, int],
    kernel_hw: IntOrPair,
    stride: IntOrPair = 1,
    padding: IntOrPair = 0,
    dilation: IntOrPair = 1,
    padding_mode: str = "zeros",
    padding_end: IntOrPair | None = None,
) -> SlidingWindow:
    """The sliding window of a setting, checked without computing anything (``padding_end``:
    the bottom/right padding, when it differs from the top/left ``padding``).

    Cheap (no array is touched), so that the lab can explain an impossible setting at once,
    before it sends the real work to a background thread.

    Raises
    ------
    ValueError
        With a readable sentence: an empty output, a reflection longer than the input, an
        unknown padding mode...
    """
    if padding_mode not in PADDING_MODES:
        raise ValueError(f"Unknown padding mode {padding_mode!r}; choose one of {', '.join(PADDING_MODES)}.")
    input_hw = tuple(int(n) for n in input_hw)  # numpy shapes and sizes are welcome
    geometry = SlidingWindow.create(input_hw, kernel_hw, stride, padding, dilation, padding_end)  # type: ignore[arg-type]
    _check_padding_mode(geometry, padding_mode)
    return geometry


def _check_padding_mode(geometry: SlidingWindow, mode: str) -> None:
    """PyTorch's limits: a reflection must fit inside the input, a wrap may repeat it once."""
    sides = zip(geometry.padding, geometry.trailing_padding, geometry.input_hw, strict=True)
    for axis, (start, end, n) in enumerate(sides):
        pad = max(start, end)
        what = ("rows", "columns")[axis]
        if mode == "reflect" and pad >= n:
            raise ValueError(
                f"Reflect padding of {pad} needs more than {pad} input {what} to mirror, but the input has "
                f"{n}. Use less padding or the zeros/replicate mode."
            )
        if mode == "circular" and pad > n:
            raise ValueError(
                f"Circular padding of {pad} wraps around more than the {n} input {what}. Use at most {n}."
            )


def _torch_output(p: _Prepared) -> np.ndarray:
    import torch
    import torch.nn.functional as F

    x = torch.from_numpy(p.x)[None]
    weight = torch.from_numpy(p.kernel)[None]
    bias = torch.from_numpy(np.array([p.bias], np.float32))  # a third of torch.tensor's cost
    g = p.geometry
    if p.padding_mode == "zeros" and g.padding_end is None:
        out = F.conv2d(x, weight, bias, g.stride, g.padding, g.dilation)
    else:
        (top, left), (bottom, right) = g.padding, g.trailing_padding
        mode = _TORCH_PAD_MODE.get(p.padding_mode, "constant")
        x = F.pad(x, (left, right, top, bottom), mode=mode)
        out = F.conv2d(x, weight, bias, g.stride, 0, g.dilation)
    return out[0, 0].numpy()


def cross_correlate(
    x: np.ndarray,
    kernel: np.ndarray,
    bias: float = 0.0,
    stride: IntOrPair = 1,
    padding: IntOrPair = 0,
    dilation: IntOrPair = 1,
    padding_mode: str = "zeros",
    padding_end: IntOrPair | None = None,
) -> np.ndarray:
    """The feature map of one kernel over an input: (H_out, W_out) float32.

    Parameters
    ----------
    x
        Input, (H, W) or (C, H, W).
    kernel
        Kernel, (kh, kw) or (C, kh, kw); its channels must match the input's.
    bias
        Added to every output value.
    stride, padding, dilation
        An int or an (h, w) pair; ``padding`` counts cells per side, as PyTorch does.
    padding_mode
        One of :data:`PADDING_MODES`.
    padding_end
        The (bottom, right) padding when it differs from the (top, left) ``padding``, as
        MindSpore's ``pad_mode="same"`` pads; None: symmetric.

    Raises
    ------
    ValueError
        With a readable sentence when the shapes or settings cannot work (e.g. an empty output).
    """
    return _torch_output(_prepare(x, kernel, bias, stride, padding, dilation, padding_mode, padding_end))


def pad_input(x: np.ndarray, padding: IntOrPair, padding_mode: str = "zeros",
              padding_end: IntOrPair | None = None) -> np.ndarray:
    """The input as the kernel sees it, (C, H + top + bottom, W + left + right) float32 (x may
    be (H, W)); ``padding`` is (top, left), ``padding_end`` (bottom, right), None: the same."""
    x3 = _as_chw(x, "input")
    ph, pw = as_pair(padding, "padding")
    eh, ew = (ph, pw) if padding_end is None else as_pair(padding_end, "padding")
    if padding_mode not in PADDING_MODES:
        raise ValueError(f"Unknown padding mode {padding_mode!r}; choose one of {', '.join(PADDING_MODES)}.")
    _check_padding_mode(SlidingWindow(x3.shape[1:], (1, 1), (1, 1), (ph, pw), padding_end=(eh, ew)), padding_mode)
    widths = ((0, 0), (ph, eh), (pw, ew))
    if padding_mode == "zeros":
        return np.pad(x3, widths)
    # numpy's reflect / edge / wrap are exactly torch's reflect / replicate / circular.
    mode = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}[padding_mode]
    return np.pad(x3, widths, mode=mode)


class ConvSteps(WindowSteps[ConvStep]):
    """Every step of the kernel's slide, in raster order, with random access.

    ``len(steps) == H_out * W_out``; ``steps[i]`` costs O(C * kh * kw). Attributes:
    ``output`` (H_out, W_out) float32, the full feature map (equal to :func:`cross_correlate`);
    ``padded_input`` (C, Hp, Wp); ``kernel`` (C, kh, kw); ``bias``; ``padding_mode``;
    ``geometry`` (the :class:`~viewer.core.geometry.SlidingWindow`). All arrays are read-only.
    """

    def __init__(
        self,
        x: np.ndarray,
        kernel: np.ndarray,
        bias: float = 0.0,
        stride: IntOrPair = 1,
        padding: IntOrPair = 0,
        dilation: IntOrPair = 1,
        padding_mode: str = "zeros",
        *,
        padding_end: IntOrPair | None = None,
    ) -> None:
        prepared = _prepare(x, kernel, bias, stride, padding, dilation, padding_mode, padding_end)
        self.geometry: SlidingWindow = prepared.geometry
        self.kernel: np.ndarray = prepared.kernel.copy()  # frozen below; the caller's stays writable
        self.bias: float = prepared.bias
        self.padding_mode: str = padding_mode
        self.output: np.ndarray = _torch_output(prepared)
        self.padded_input: np.ndarray = pad_input(prepared.x, self.geometry.padding, padding_mode,
                                                  self.geometry.padding_end)
        for array in (self.kernel, self.output, self.padded_input):
            array.setflags(write=False)

    def at(self, row: int, col: int) -> ConvStep:
        """The step that fills output cell ``(row, col)``."""
        g = self.geometry
        index = g.step_of(row, col)
        top, left = g.window_top_left(row, col)
        (sh, sw), (dh, dw) = g.span_hw, g.dilation
        patch = self.padded_input[:, top : top + sh : dh, left : left + sw : dw].copy()
        products = patch * self.kernel
        patch.setflags(write=False)
        products.setflags(write=False)
        return ConvStep(index, (row, col), (top, left), patch, products, self.kernel, self.bias, float(self.output[row, col]))


# -- pictures of a slide, shared by the lab and its exported frames ------------------------------

_PADDING_TINT = np.array([70, 120, 210], np.float32)


def _gray(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Values scaled to 0..255 as uint8 (float32 work, slices and ufuncs only: the GIL stays free)."""
    if not high > low:
        return np.full(values.shape, 128, np.uint8)
    factor = 255.0 / (float(high) - float(low))
    offset = float(low) * factor
    if factor < FLOAT32_MAX and abs(offset) < 1e6:
        # x * f - low * f: no term leaves float32 (x - low could, between -3e38 and 3e38)
        scaled = np.multiply(values, np.float32(factor), dtype=np.float32)
        scaled -= np.float32(offset)
    else:  # a range below float32's resolution, or far from zero: float64 keeps the digits
        scaled = np.asarray(values, np.float64) * factor - offset
    np.clip(scaled, 0, 255, out=scaled)
    return scaled.astype(np.uint8)


def input_rgb(steps: ConvSteps, channel: int = 0) -> np.ndarray:
    """The padded input as (Hp, Wp, 3) uint8: RGB when it has 3 channels and ``channel`` is -1,
    else that channel in grey; the padding tinted blue so that it is visibly not part of the image.

    Runs in the lab's worker on photo-sized inputs, so it avoids boolean masks and ``np.repeat``,
    which hold the GIL (and so stall the GUI thread) for tens of milliseconds on 2048x2048.
    """
    padded = steps.padded_input
    hp, wp = padded.shape[1:]
    (ph, pw), (h, w) = steps.geometry.padding, steps.geometry.input_hw
    inner = padded[:, ph : ph + h, pw : pw + w]
    rgb = np.empty((hp, wp, 3), np.uint8)
    if padded.shape[0] == 3 and channel < 0:
        low, high = min(0.0, float(inner.min())), max(1.0, float(inner.max()))
        for i in range(3):
            rgb[:, :, i] = _gray(padded[i], low, high)
    else:
        plane = padded[max(channel, 0)]
        inner_plane = inner[max(channel, 0)]
        rgb[:, :, :] = _gray(plane, float(inner_plane.min()), float(inner_plane.max()))[:, :, None]
    tint = _PADDING_TINT * 0.55
    for rows, cols in ((slice(0, ph), slice(None)), (slice(ph + h, hp), slice(None)),
                       (slice(ph, ph + h), slice(0, pw)), (slice(ph, ph + h), slice(pw + w, wp))):
        border = rgb[rows, cols]
        if border.size:
            rgb[rows, cols] = (border * np.float32(0.45) + tint).astype(np.uint8)
    return rgb


def output_levels(output: np.ndarray) -> tuple[float, float]:
    """The colour levels of a feature map: centred on zero when signed, robust on photos."""
    return colormaps.levels(output, robust=True)


def output_colormap(value_levels: tuple[float, float]) -> str:
    """Diverging for a centred (signed) scale, sequential otherwise."""
    return colormaps.DIVERGING if value_levels[0] < 0 else colormaps.SEQUENTIAL


#: How :func:`format_sum` says what it left out: ``{0}`` terms, ``{1}`` of them zero.
LEFT_OUT = "\u2026 ({0} more terms, {1} of them 0)"


def format_sum(step: ConvStep, max_terms: int = 9, digits: int = 2, times: str = "\u00d7",
               left_out: str = LEFT_OUT) -> str:
    """``x1*k1 + x2*k2 + ... + b = y`` with the real numbers.

    Multi-channel windows are summed per channel first (``ch0 + ch1 + ...``), since writing
    2,048 x 9 products would teach nothing. When there are more than ``max_terms`` terms, the
    ones that matter stay (the non-zero ones, largest first, in their window order) and
    ``left_out`` (a template: how many terms were left out, how many of those are zero; the UI
    passes its translation) says what is missing, so that a sparse dilated kernel never shows
    only its zero products.
    """
    channels = step.patch.shape[0]

    def num(v: float) -> str:
        text = format_number(v, digits)
        return f"({text})" if v < 0 else text

    if channels == 1:
        terms = [f"{num(float(x))}{times}{num(float(k))}" for x, k in zip(step.patch.ravel(), step.kernel.ravel(), strict=True)]
        values = step.products.ravel()
    else:
        values = step.products.reshape(channels, -1).sum(axis=1)
        terms = [num(float(s)) for s in values]
    if len(terms) > max_terms:
        largest = np.argsort(-np.abs(values), kind="stable")[:max_terms]
        kept = sorted(int(i) for i in largest if values[i] != 0)
        zeros = int(np.count_nonzero(values == 0))
        terms = [terms[i] for i in kept] + [left_out.format(len(terms) - len(kept), zeros)]
    return f"{' + '.join(terms)} + {num(step.bias)} = {format_number(step.value, digits + 1)}"


def format_number(value: float, digits: int = 2) -> str:
    """Whole numbers without decimals (the course's examples read ``1 x 0``), others rounded."""
    value = float(value)
    if value == int(value) and abs(value) < 1e6:
        return str(int(value))
    return f"{value:.{digits}f}"


#: The syllabus's 5x5 input (the bundled ``grid_5x5`` sample, as 0/1) and its 3x3 kernel.
COURSE_INPUT = np.array(
    [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]], np.float32
)
COURSE_KERNEL = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]], np.float32)


def course_example(number: int) -> ConvSetup:
    """The course's worked examples: 1 = stride 2, no padding (2x2); 2 = stride 1, padding 1 per side (5x5)."""
    if number == 1:
        return ConvSetup(COURSE_INPUT, COURSE_KERNEL, stride=(2, 2), label="Course example 1: 5x5, 3x3, stride 2, no padding")
    if number == 2:
        return ConvSetup(
            COURSE_INPUT, COURSE_KERNEL, padding=(1, 1), label="Course example 2: 5x5, 3x3, stride 1, padding 1 per side (p = 2)"
        )
    raise ValueError(f"There are two course examples, 1 and 2 (got {number}).")
