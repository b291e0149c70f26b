"""Pooling benchmarks: stochastic pooling (training draw) against PyTorch's native max pooling."""

from __future__ import annotations

from benchmarks.harness import Result, case, compare


@case("pooling.stochastic_train")
def stochastic_train(repeats: int) -> Result:
    """One training-mode stochastic draw over ResNet's stem-sized map, 3x3 stride 2, vs F.max_pool2d."""
    import torch
    import torch.nn.functional as F

    from viewer.core.pooling import pool2d

    x = torch.rand(1, 256, 56, 56, generator=torch.Generator().manual_seed(0))
    generator = torch.Generator().manual_seed(1)
    return compare(
        "pooling.stochastic_train",
        lambda: pool2d(x, "stochastic", 3, 2, training=True, generator=generator),
        lambda: F.max_pool2d(x, 3, 2),
        target=5.0,
        repeats=repeats,
        baseline_name="F.max_pool2d",
        note="(1, 256, 56, 56), 3x3 stride 2; cumulative-sum draw vectorised over windows, looping over the 9 taps",
    )
