"""The convolution lab's translation-invariance panel: the feature map of the input, of the input
shifted by (dy, dx), and their aligned difference (see :mod:`viewer.core.shift`)."""

from __future__ import annotations

import numpy as np

from viewer.core import colormaps
from viewer.core.conv import ConvSteps, output_colormap
from viewer.core.shift import ConvShift
from viewer.models.jobs import Job
from viewer.ui.widgets.shift_view import ShiftView


class ConvShiftPanel(ShiftView):
    """A :class:`ShiftView` over the lab's latest slide (its :class:`~viewer.core.conv.ConvSteps`)."""

    def job_for(self, source: ConvSteps | None) -> Job | None:
        return self.model.conv_job(source)

    def show_result(self, result: ConvShift, source: ConvSteps) -> None:
        value_levels = colormaps.levels(np.stack([result.output, result.shifted_output]), robust=True)
        colormap = output_colormap(value_levels)
        dy, dx = result.shift
        maps = [(self.tr("Feature map"), result.output, value_levels, colormap, None),
                (self.tr("Feature map of the input shifted by ({0}, {1})").format(dy, dx), result.shifted_output,
                 value_levels, colormap, None)]
        if result.difference is None:
            sy, sx = source.geometry.stride
            maps.append((self.tr("No aligned difference"), np.zeros_like(result.output), (-1.0, 1.0),
                         colormaps.DIVERGING, np.zeros(result.output.shape, bool)))
            self.summary.setText(self.tr("The stride ({0}, {1}) does not divide the shift ({2}, {3}): the shifted "
                                         "map's samples fall between the unshifted map's, so the two cannot be "
                                         "aligned cell for cell.").format(sy, sx, dy, dx))
        else:
            oy, ox = result.output_shift
            maps.append((self.tr("Moved back by ({0}, {1}) cells, minus the feature map").format(oy, ox),
                         result.difference, colormaps.levels(result.difference, centre=True), colormaps.DIVERGING,
                         result.compared))
            self.summary.setText(self._summary(result))
        self.show_maps(maps)

    def _summary(self, result: ConvShift) -> str:
        oy, ox = result.output_shift
        interior = self.tr("none") if result.interior_max is None else f"{result.interior_max:.3g}"
        border = self.tr("none") if result.border_max is None else f"{result.border_max:.3g}"
        return self.tr("The feature map moved by ({0}, {1}) cells. Largest difference away from the borders: {2} "
                       "({3} cells); at the borders: {4}. Grey cells have no counterpart in the shifted map."
                       ).format(oy, ox, interior, int(result.interior.sum()), border)
