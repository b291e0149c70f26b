"""The pooling lab's translation-invariance panel: max pooling of the map and of the map shifted
by (dy, dx), compared cell by cell (see :mod:`viewer.core.shift`)."""

from __future__ import annotations

import numpy as np

from viewer.core import colormaps
from viewer.core.shift import PoolShift
from viewer.models.jobs import Job
from viewer.models.pooling_lab import PoolingComparison
from viewer.ui.widgets.shift_view import ShiftView


class PoolShiftPanel(ShiftView):
    """A :class:`ShiftView` over the lab's latest comparison."""

    colormap = colormaps.GRAY
    """The lab's colormap, set by the page."""

    def job_for(self, source: PoolingComparison | None) -> Job | None:
        return self.model.pool_job(source)

    def show_result(self, result: PoolShift, source: PoolingComparison) -> None:
        value_levels = colormaps.levels(np.stack([result.max_output, result.shifted_max_output]), from_zero=True)
        difference = result.max_difference
        dy, dx = result.shift
        self.show_maps([
            (self.tr("Max pooling"), result.max_output, value_levels, self.colormap, None),
            (self.tr("Max pooling of the map shifted by ({0}, {1})").format(dy, dx), result.shifted_max_output,
             value_levels, self.colormap, None),
            (self.tr("Shifted minus unshifted, cell by cell"), difference, colormaps.levels(difference, centre=True),
             colormaps.DIVERGING, None),
        ])
        k = source.settings.kernel
        self.summary.setText(self.tr("{0} of {1} max-pooled cells are unchanged ({2:.0%}), and the cells change by "
                                     "{6:.3g} on average; average pooling keeps {3} ({4:.0%}) and changes by {7:.3g}. "
                                     "The window is {5}x{5}: a shift smaller than it moves a maximum out of its "
                                     "window only near the window's edge.").format(
            result.max_unchanged, result.cells, result.max_unchanged / result.cells, result.avg_unchanged,
            result.avg_unchanged / result.cells, k, result.max_mean_change, result.avg_mean_change))
