"""Pooling benchmarks: stochastic pooling's training draw, and a window change at 512x512 in the lab."""

from __future__ import annotations

import statistics
import time

from benchmarks.gui import close, settle, settle_painted, shown
from benchmarks.harness import Result, case, compare, ensure_qapp


@case("pooling.stochastic_train")
def stochastic_train(repeats: int) -> Result:
    """One training-mode stochastic draw over ResNet's stem-sized map, 3x3 stride 2, vs F.max_pool2d,
    with a plain vectorised stochastic pooling (unfold every window, then the same draw) beside it."""
    import torch
    import torch.nn.functional as F

    from viewer.core.pooling import pool2d

    x = torch.rand(1, 256, 56, 56, generator=torch.Generator().manual_seed(0))
    generator = torch.Generator().manual_seed(1)
    unfold_generator = torch.Generator().manual_seed(1)

    def unfold_then_draw() -> torch.Tensor:
        # every window as a column (9x the map's memory), p = a / sum(a), one draw per window
        windows = F.unfold(x, 3, stride=2).view(1, 256, 9, -1)
        total = windows.sum(2, keepdim=True)
        cumulative = windows.cumsum(2) / total.clamp_min(1e-12)
        u = torch.rand(total.shape, generator=unfold_generator)
        index = (cumulative < u).sum(2, keepdim=True).clamp_max(8)
        return windows.gather(2, index).view(1, 256, 27, 27)

    return compare(
        "pooling.stochastic_train",
        lambda: pool2d(x, "stochastic", 3, 2, training=True, generator=generator),
        lambda: F.max_pool2d(x, 3, 2),
        target=5.0,
        repeats=repeats,
        baseline_name="F.max_pool2d",
        floor="F.max_pool2d (one pass, no draw); a draw needs the window sums and a random number per window",
        alternatives={"unfold, then the same draw": unfold_then_draw},
        note="(1, 256, 56, 56), 3x3 stride 2; cumulative-sum draw vectorised over windows, looping over the 9 taps",
    )


#: The two windows a window change alternates between: 2x2 stride 2, and ResNet's 3x3 stride 2 pad 1
WINDOWS = ((2, 2, 0), (3, 2, 1))


class _BareMaps:
    """The floor's view: the pooling page's 2x4 grid of maps at the same size, and nothing else.

    Setting the five output maps into its image items and painting them once is what any page
    that shows them must do after the comparison (no handler, no worker, no titles, no window
    view, no labels).
    """

    def __init__(self, size, x, levels) -> None:
        import pyqtgraph as pg

        from viewer.ui.pooling.maps import MAP_KEYS
        from viewer.ui.widgets.images import image_item

        self.view = pg.GraphicsLayoutWidget()
        self.images = {}
        for i, key in enumerate(MAP_KEYS):
            box = self.view.addViewBox(row=i // 4, col=i % 4, lockAspect=True, invertY=True, enableMenu=False)
            self.images[key] = image_item()
            box.addItem(self.images[key])
        self.view.resize(size)
        self.view.show()
        self.show({"input": x}, levels, {}, (-1.0, 1.0), 1.0)
        for image in self.images.values():
            image.getViewBox().setRange(xRange=(0, x.shape[1]), yRange=(0, x.shape[0]), padding=0.02)

    def show(self, maps, levels, differences, difference_levels, cell: float) -> None:
        from PySide6.QtCore import QRectF

        from viewer.core import colormaps

        for values, value_levels, table in ((maps, levels, colormaps.lookup_table(colormaps.GRAY)),
                                            (differences, difference_levels, colormaps.lookup_table(colormaps.DIVERGING))):
            for key, picture in values.items():
                image = self.images[key]
                image.setLookupTable(table)
                image.setImage(picture, levels=value_levels, autoLevels=False)
                scale = 1.0 if key == "input" else cell
                image.setRect(QRectF(0, 0, picture.shape[1] * scale, picture.shape[0] * scale))


@case("pooling.window_change_512")
def window_change_512(repeats: int) -> Result:
    """A window change on the 512x512 astronaut, from the handler until every paint it caused is
    done, vs the core computation of the same comparison (``compare_pooling``).

    One repetition changes the window both ways (2x2 stride 2 -> 3x3 stride 2 pad 1 -> back:
    the second costs twice the first), and is compared with both comparisons computed bare, so
    that the ratio does not depend on which of the two the medians land on. The floor beside it
    is the comparison plus the five output maps set into a bare view of the same size and painted.
    A second alternative is the same change carried out by the page's model and handlers with
    the comparison computed on the GUI thread: everything the page shows, without the worker.
    """
    app = ensure_qapp()
    from viewer.core.samples import load_sample
    from viewer.models.pooling_lab import compare_pooling
    from viewer.ui.pooling.page import PoolingLabPage

    page = shown(PoolingLabPage())
    page.set_image(load_sample("astronaut"))
    settle(app, page.is_busy)
    assert page.current_map().shape == (512, 512), "the photo was not pooled"
    bare = _BareMaps(page.maps.size(), page.current_map(), page.model.levels())
    settle_painted(app, lambda: False, bare.view)

    def floor(x, settings) -> float:
        start = time.perf_counter()
        result = compare_pooling(x, settings)
        bare.show({key: values for key, values in result.outputs.items() if values is not None},
                  page.model.levels(), result.differences, result.difference_levels, settings.stride)
        return settle_painted(app, lambda: False, bare.view) - start

    def page_without_worker(window) -> float:
        # the same change carried out by the page's model, handlers and paint, with the
        # comparison computed right here instead of in a worker
        start = time.perf_counter()
        job = page.model.set_window(*window)
        page._show_settings()
        page._finished(0, job.function(*job.args))
        return settle_painted(app, lambda: False, page) - start

    figures, baselines, floors, inline = [], [], [], []
    for index in range(max(1, repeats) + 1):
        figure = baseline = floor_time = inline_time = 0.0
        for window in WINDOWS:  # each a change: the pair starts where the last one ended
            start = time.perf_counter()
            page.set_window(*window)
            figure += settle_painted(app, page.is_busy, page) - start
            x, settings = page.current_map(), page.settings()
            start = time.perf_counter()
            compare_pooling(x.copy(), settings)
            baseline += time.perf_counter() - start
            floor_time += floor(x.copy(), settings)
        for window in WINDOWS:  # the same two changes again, without the worker
            inline_time += page_without_worker(window)
        if index:  # the first pair also warms up
            figures.append(figure / 2)
            baselines.append(baseline / 2)
            floors.append(floor_time / 2)
            inline.append(inline_time / 2)
    bare.view.close()
    close(page)
    return Result(
        "pooling.window_change_512", figure=statistics.median(figures) * 1e3,
        baseline=statistics.median(baselines) * 1e3, unit="ms", target=1.5,
        baseline_name="compare_pooling(512x512 map, settings)",
        floor="compare_pooling + the five output maps set into a bare view of the page's size and painted once",
        alternatives={"the floor": statistics.median(floors) * 1e3,
                      "the page without its worker (computed on the GUI thread)": statistics.median(inline) * 1e3},
        note="set_window on the shown page (1400x900) until its last paint; mean of 2x2/2 and 3x3/2 pad 1 per repetition",
    )
