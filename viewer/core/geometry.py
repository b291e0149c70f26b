"""Sliding-window geometry shared by convolution and pooling.

Both operations slide a (possibly dilated) window over a padded input in raster order; only
what happens inside the window differs. Keeping the geometry here means the convolution lab,
the pooling lab and the receptive-field outline agree on every index.

Conventions
-----------
* ``padding`` is **per side**, as in PyTorch: ``padding=1`` adds one row on top and one at the
  bottom. The course's textbook formula counts the *total* padded rows, ``p_total = 2 * padding``.
* A window may also pad its bottom/right by another amount (``padding_end``): MindSpore's
  ``pad_mode="same"`` puts the odd padded pixel there (:func:`same_padding`). Without it the
  padding is symmetric, the common case.
* Coordinates of windows are in the *padded* input: ``(0, 0)`` is the top-left padding cell.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar, overload

import numpy as np

from viewer.core.i18n import QT_TRANSLATE_NOOP

IntOrPair = int | tuple[int, int]


def _as_int(value: object, name: str, original: object) -> int:
    # operator.index accepts Python and numpy integers but not floats, strings or bools-as-ints
    if isinstance(value, bool | np.bool_):
        raise ValueError(f"{name} must be an integer or a pair of integers, not {original!r}")
    try:
        return operator.index(value)
    except TypeError:
        raise ValueError(f"{name} must be an integer or a pair of integers, not {original!r}") from None


def as_pair(value: IntOrPair, name: str = "value") -> tuple[int, int]:
    """Return ``(h, w)`` from an int or a pair (numpy integers too); ``ValueError`` otherwise."""
    if hasattr(value, "__index__") or isinstance(value, bool | np.bool_):
        single = _as_int(value, name, value)
        return (single, single)
    try:
        h, w = value  # type: ignore[misc]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an integer or a pair of integers, not {value!r}") from None
    return (_as_int(h, name, value), _as_int(w, name, value))


def output_size(n: int, k: int, stride: int = 1, padding: int = 0, dilation: int = 1,
                padding_end: int | None = None) -> int:
    """Output length along one axis, PyTorch's convention (padding per side).

    ``floor((n + 2p - d(k - 1) - 1) / s) + 1``; with ``padding_end`` (the bottom/right padding,
    when it differs from the top/left ``padding``), ``n + p + padding_end`` replaces ``n + 2p``.

    Raises
    ------
    ValueError
        With a sentence a student can act on, when a parameter is out of range or the
        (dilated) kernel does not fit in the padded input.
    """
    if n < 1:
        raise ValueError(QT_TRANSLATE_NOOP("UserError", "The input must be at least 1 pixel long (got {0}).").format(n))
    if k < 1:
        raise ValueError(QT_TRANSLATE_NOOP("UserError", "The kernel must be at least 1 wide (got {0}).").format(k))
    if stride < 1:
        raise ValueError(QT_TRANSLATE_NOOP("UserError", "The stride must be at least 1 (got {0}).").format(stride))
    if padding < 0 or (padding_end is not None and padding_end < 0):
        raise ValueError(QT_TRANSLATE_NOOP("UserError", "The padding cannot be negative (got {0}).").format(min(padding, padding_end or 0)))
    if dilation < 1:
        raise ValueError(QT_TRANSLATE_NOOP("UserError", "The dilation must be at least 1 (got {0}).").format(dilation))
    span = dilation * (k - 1) + 1
    symmetric = padding_end is None or padding_end == padding
    padded = n + 2 * padding if symmetric else n + padding + padding_end
    if span > padded and symmetric:
        raise ValueError(QT_TRANSLATE_NOOP(
            "UserError",
            "The kernel covers {0} pixels (size {1}, dilation {2}) but the padded input is only {3} "
            "pixels ({4} + 2 x {5} padding): the output would be empty. Use a smaller kernel or "
            "dilation, or more padding."
        ).format(span, k, dilation, padded, n, padding))
    if span > padded:
        raise ValueError(QT_TRANSLATE_NOOP(
            "UserError",
            "The kernel covers {0} pixels (size {1}, dilation {2}) but the padded input is only {3} "
            "pixels ({4} + {5} + {6} padding): the output would be empty. Use a smaller kernel or "
            "dilation, or more padding."
        ).format(span, k, dilation, padded, n, padding, padding_end))
    return (padded - span) // stride + 1


def same_padding(n: int, k: int, stride: int = 1, dilation: int = 1) -> tuple[int, int]:
    """(before, after) padding of MindSpore's (and TensorFlow's) ``pad_mode="same"`` along one axis.

    The output has ``ceil(n / s)`` pixels; the padding that needs is
    ``total = max((ceil(n / s) - 1) * s + d(k - 1) + 1 - n, 0)``, of which ``total // 2`` goes
    before (top/left) and the rest, one more when ``total`` is odd, after (bottom/right). It
    depends on the input length, so it is computed for every input, never fixed in advance.
    """
    span = dilation * (k - 1) + 1
    total = max((-(-n // stride) - 1) * stride + span - n, 0)
    return total // 2, total - total // 2


def textbook_output_size(n: int, k: int, stride: int = 1, total_padding: int = 0) -> float:
    """The course's formula ``(n - k + p_total) / s + 1`` with the *total* padding.

    Returned unfloored so the UI can show a fractional value when the stride does not divide
    evenly (the last window does not fit; PyTorch floors, i.e. drops it).
    """
    return (n - k + total_padding) / stride + 1


def pooling_output_size(n: int, k: int, stride: int, padding: int = 0) -> int:
    """Pooling's output length; PyTorch also requires ``padding <= k // 2`` for pooling.

    Its sentences speak of a window (pooling has no kernel weights and no dilation).
    """
    if k < 1:
        raise ValueError(QT_TRANSLATE_NOOP("UserError", "The pooling window must be at least 1 wide (got {0}).").format(k))
    if stride >= 1 and padding >= 0 and padding > k // 2:
        raise ValueError(QT_TRANSLATE_NOOP("UserError", "Pooling padding must be at most half the window ({0} // 2 = {1}); got {2}.")
                         .format(k, k // 2, padding))
    if n >= 1 and stride >= 1 and padding >= 0 and k > n + 2 * padding:
        raise ValueError(QT_TRANSLATE_NOOP(
            "UserError",
            "The {0}x{0} window is larger than the padded input, only {1} pixels ({2} + 2 x {3} "
            "padding): the output would be empty. Use a smaller window, or more padding."
        ).format(k, n + 2 * padding, n, padding))
    return output_size(n, k, stride, padding, 1)


@dataclass(frozen=True)
class OutputSizeTerms:
    """The numbers of both output-size formulas along one axis, for writing them out.

    PyTorch's ``floor((n + 2p - d(k - 1) - 1) / s) + 1`` counts the padding per side; the
    course's ``(n - k + p) / s + 1`` counts it in total and takes the dilated kernel's span as k.
    """

    n: int
    """Input length."""
    kernel: int
    stride: int
    padding: int
    """Per side (PyTorch's convention); the top/left side when ``padding_end`` differs."""
    dilation: int
    size: int | None
    """PyTorch's output length; None when the setting cannot run (an empty output, or pooling
    padding over half the window)."""
    padding_end: int | None = None
    """The bottom/right padding when it differs from ``padding``; None when symmetric."""

    @property
    def effective_kernel(self) -> int:
        """The dilated kernel's span, ``d(k - 1) + 1``: the course's k."""
        return self.dilation * (self.kernel - 1) + 1

    @property
    def total_padding(self) -> int:
        """Both sides together: the course's p."""
        return self.padding + (self.padding if self.padding_end is None else self.padding_end)

    @property
    def textbook(self) -> float:
        """The course's formula, unfloored: a fraction shows that the last window does not fit."""
        return textbook_output_size(self.n, self.effective_kernel, self.stride, self.total_padding)


def output_size_terms(
    n: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1, *, pooling: bool = False,
    padding_end: int | None = None,
) -> OutputSizeTerms:
    """Both formulas' numbers for one axis; ``pooling`` applies pooling's padding limit too;
    ``padding_end`` is the bottom/right padding when it differs from ``padding``."""
    end = None if padding_end is None or padding_end == padding else int(padding_end)
    try:
        size: int | None = (
            pooling_output_size(n, kernel, stride, padding) if pooling
            else output_size(n, kernel, stride, padding, dilation, end)
        )
    except ValueError:
        size = None
    return OutputSizeTerms(int(n), int(kernel), int(stride), int(padding), int(dilation), size, end)


@dataclass(frozen=True)
class SlidingWindow:
    """Where a (dilated) window sits at each step of a sliding-window operation.

    Steps are numbered in raster order: the window starts at the padded input's top-left and
    moves left to right, then top to bottom. ``padding`` is the top/left padding (and the
    bottom/right one too unless ``padding_end`` says otherwise).
    """

    input_hw: tuple[int, int]
    kernel_hw: tuple[int, int]
    stride: tuple[int, int] = (1, 1)
    padding: tuple[int, int] = (0, 0)
    dilation: tuple[int, int] = (1, 1)
    padding_end: tuple[int, int] | None = None
    """(bottom, right) padding when it differs from ``padding``; None for symmetric padding
    (:meth:`create` stores None when it equals ``padding``, so both spellings are one window)."""

    @classmethod
    def create(
        cls,
        input_hw: tuple[int, int],
        kernel_hw: IntOrPair,
        stride: IntOrPair = 1,
        padding: IntOrPair = 0,
        dilation: IntOrPair = 1,
        padding_end: IntOrPair | None = None,
    ) -> SlidingWindow:
        """Validate and normalise the parameters; raises ``ValueError`` when impossible."""
        leading = as_pair(padding, "padding")
        trailing = None if padding_end is None else as_pair(padding_end, "padding")
        window = cls(
            as_pair(input_hw, "input size"),
            as_pair(kernel_hw, "kernel size"),
            as_pair(stride, "stride"),
            leading,
            as_pair(dilation, "dilation"),
            None if trailing == leading else trailing,
        )
        window.output_hw  # noqa: B018 - raises ValueError if the output would be empty
        return window

    @property
    def trailing_padding(self) -> tuple[int, int]:
        """(bottom, right) padding: ``padding_end``, or ``padding`` when symmetric."""
        return self.padding if self.padding_end is None else self.padding_end

    @property
    def output_hw(self) -> tuple[int, int]:
        """Output (rows, columns)."""
        end = self.trailing_padding
        return (
            output_size(self.input_hw[0], self.kernel_hw[0], self.stride[0], self.padding[0], self.dilation[0], end[0]),
            output_size(self.input_hw[1], self.kernel_hw[1], self.stride[1], self.padding[1], self.dilation[1], end[1]),
        )

    @property
    def padded_hw(self) -> tuple[int, int]:
        """Size of the padded input."""
        end = self.trailing_padding
        return (self.input_hw[0] + self.padding[0] + end[0], self.input_hw[1] + self.padding[1] + end[1])

    @property
    def span_hw(self) -> tuple[int, int]:
        """Extent of the dilated window in padded-input pixels."""
        return (
            self.dilation[0] * (self.kernel_hw[0] - 1) + 1,
            self.dilation[1] * (self.kernel_hw[1] - 1) + 1,
        )

    def __len__(self) -> int:
        rows, cols = self.output_hw
        return rows * cols

    def out_pos(self, step: int) -> tuple[int, int]:
        """Output cell ``(row, col)`` filled at ``step`` (raster order)."""
        n = len(self)
        if not -n <= step < n:
            raise IndexError(f"step {step} out of range for {n} steps")
        step %= n
        return divmod(step, self.output_hw[1])

    def step_of(self, out_row: int, out_col: int) -> int:
        """Inverse of :meth:`out_pos`."""
        rows, cols = self.output_hw
        if not (0 <= out_row < rows and 0 <= out_col < cols):
            raise IndexError(f"output cell ({out_row}, {out_col}) outside {rows}x{cols}")
        return out_row * cols + out_col

    def window_top_left(self, out_row: int, out_col: int) -> tuple[int, int]:
        """Top-left of the window for an output cell, in padded-input coordinates."""
        return (out_row * self.stride[0], out_col * self.stride[1])

    def tap_rows(self, out_row: int) -> range:
        """Padded-input rows read by the kernel taps for an output row."""
        top = out_row * self.stride[0]
        return range(top, top + self.span_hw[0], self.dilation[0])

    def tap_cols(self, out_col: int) -> range:
        """Padded-input columns read by the kernel taps for an output column."""
        left = out_col * self.stride[1]
        return range(left, left + self.span_hw[1], self.dilation[1])

    def outputs_fed_by(self, padded_row: int, padded_col: int) -> list[tuple[int, int]]:
        """Every output cell whose window has a *tap* on this padded-input cell.

        With dilation a cell can sit inside a window's span without being read; it is not
        counted then.
        """
        rows = _outputs_along(padded_row, self.stride[0], self.kernel_hw[0], self.dilation[0], self.output_hw[0])
        cols = _outputs_along(padded_col, self.stride[1], self.kernel_hw[1], self.dilation[1], self.output_hw[1])
        return [(r, c) for r in rows for c in cols]


StepT = TypeVar("StepT")


class WindowSteps(Sequence, Generic[StepT]):
    """Raster-order random access to the steps of a sliding-window operation.

    Convolution and pooling steps differ only in what a step holds; a subclass sets
    ``self.geometry`` (a :class:`SlidingWindow`) and defines :meth:`at`, and gets
    ``len``, indexing (negative indices and slices too) and iteration from here.
    """

    geometry: SlidingWindow

    def at(self, row: int, col: int) -> StepT:
        """The step that fills output cell ``(row, col)``."""
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self.geometry)

    @overload
    def __getitem__(self, index: int) -> StepT: ...

    @overload
    def __getitem__(self, index: slice) -> list[StepT]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not isinstance(index, int) and not hasattr(index, "__index__"):
            raise TypeError(f"step index must be an int, not {type(index).__name__}")
        row, col = self.geometry.out_pos(int(index))
        return self.at(row, col)

    def __iter__(self) -> Iterator[StepT]:
        for i in range(len(self)):
            yield self[i]


def _outputs_along(pos: int, stride: int, k: int, dilation: int, n_out: int) -> list[int]:
    result = []
    for tap in range(k):
        start = pos - tap * dilation
        if start >= 0 and start % stride == 0 and start // stride < n_out:
            result.append(start // stride)
    return sorted(set(result))
