"""The translation-invariance view's state, free of Qt: the shift asked for and what it showed.

The convolution lab and the pooling lab each hold one :class:`ShiftModel` beside their own
model. Whether it computes follows :attr:`ShiftModel.shown` (the page's "Shift the input" box):
a shown view recomputes after every new slide or comparison of its lab and after every new
shift, as a :class:`~viewer.models.jobs.Job` (two convolutions or poolings of the whole input).
"""

from __future__ import annotations

from viewer.core.shift import MAX_SHIFT, ConvShift, PoolShift, conv_shift_of_steps, pool_shift
from viewer.models.jobs import Job


class ShiftModel:
    """The shift (dy, dx), whether the view is shown, and its latest result."""

    def __init__(self) -> None:
        self.shift: tuple[int, int] = (0, 0)
        self.shown = False
        self.result: ConvShift | PoolShift | None = None

    def set_shift(self, dy: int, dx: int) -> None:
        """Take a shift, each axis clamped to ±:data:`~viewer.core.shift.MAX_SHIFT` (read :attr:`shift` back)."""
        self.shift = tuple(max(-MAX_SHIFT, min(MAX_SHIFT, int(v))) for v in (dy, dx))

    def conv_job(self, steps) -> Job | None:
        """The comparison for a convolution lab's slide (None while hidden or without a slide)."""
        if not self.shown or steps is None:
            return None
        return Job(conv_shift_of_steps, (steps, self.shift))

    def pool_job(self, comparison) -> Job | None:
        """The comparison for a pooling lab's :class:`~viewer.models.pooling_lab.PoolingComparison`."""
        if not self.shown or comparison is None:
            return None
        s = comparison.settings
        return Job(pool_shift, (comparison.x, s.kernel, s.stride, s.padding, self.shift))

    def accept(self, result: ConvShift | PoolShift) -> bool:
        """Show a finished comparison, unless the shift changed meanwhile (returns whether it is shown)."""
        if result.shift != self.shift:
            return False
        self.result = result
        return True
