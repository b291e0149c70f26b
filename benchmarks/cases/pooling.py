"""Pooling benchmarks: stochastic pooling's training draw, and a window change at 512x512 in the lab."""

from __future__ import annotations

import statistics
import time

from benchmarks.gui import close, settle, shown
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


@case("pooling.window_change_512")
def window_change_512(repeats: int) -> Result:
    """A window change (2x2 stride 2 <-> 3x3 stride 2 padding 1) on the 512x512 astronaut, until every
    map is painted, vs the core computation of the same comparison (``compare_pooling``)."""
    app = ensure_qapp()
    from viewer.core.samples import load_sample
    from viewer.models.pooling_lab import compare_pooling
    from viewer.ui.pooling.page import PoolingLabPage

    page = shown(PoolingLabPage())
    page.set_image(load_sample("astronaut"))
    settle(app, page.is_busy)
    assert page.current_map().shape == (512, 512), "the photo was not pooled"
    windows = [(2, 2, 0), (3, 2, 1)]
    figures, baselines = [], []
    for index in range(max(1, repeats) + 1):
        window = windows[index % 2]
        start = time.perf_counter()
        page.set_window(*window)
        settle(app, page.is_busy)
        elapsed = time.perf_counter() - start
        x, settings = page.current_map(), page.settings()
        start = time.perf_counter()
        compare_pooling(x.copy(), settings)
        core = time.perf_counter() - start
        if index:  # the first change also warms up
            figures.append(elapsed)
            baselines.append(core)
    close(page)
    return Result(
        "pooling.window_change_512", figure=statistics.median(figures) * 1e3,
        baseline=statistics.median(baselines) * 1e3, unit="ms", target=1.5,
        baseline_name="compare_pooling(512x512 map, settings)",
        floor="compare_pooling + converting the six maps to QImages and painting them once",
        note="set_window on the shown page (1400x900), until idle and painted; alternating windows",
    )
