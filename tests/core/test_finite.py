"""first_non_finite: a NaN or an infinity anywhere in a pass is found, and named where it starts,
although only some outputs are read when all is well."""

import math

import pytest
import torch
from torch import nn

from viewer.core.activations import capture
from viewer.core.finite import first_non_finite
from viewer.core.resnet import resnet18


@pytest.fixture(scope="module")
def model18():
    return resnet18(seed=0).eval()


@pytest.fixture(scope="module")
def x32():
    return torch.randn(1, 3, 32, 32, generator=torch.Generator().manual_seed(3))


def _value_makers(model) -> list[str]:
    """Every node whose module computes new values (where float32 can overflow first)."""
    return [
        name for name, module in model.named_modules()
        if isinstance(module, nn.Conv2d | nn.BatchNorm2d | nn.AdaptiveAvgPool2d | nn.Linear) or name.endswith(".sum")
    ]


def _capture_with(model, x, node: str, values: dict[tuple[int, ...], float]) -> dict[str, torch.Tensor]:
    """Capture ``model`` on ``x`` with ``values`` written into ``node``'s output as it is made
    (in place, so that the rest of the pass computes on from it, as from a real overflow)."""

    def write(_module, _inputs, output):
        if not len(output):
            return  # the empty batch that finds the shapes
        for index, value in values.items():
            output[index] = value

    handle = model.get_submodule(node).register_forward_hook(write)
    try:
        return capture(model, x)
    finally:
        handle.remove()


def _place(captured: dict, node: str) -> tuple[int, ...]:
    """A place inside ``node``'s output: channel 1, the middle pixel."""
    shape = captured[node].shape
    return (0, 1) if len(shape) == 2 else (0, 1, shape[2] // 2, shape[3] // 2)


def test_untrained_outputs_are_all_finite(model18, x32):
    assert first_non_finite(model18, capture(model18, x32)) is None


@pytest.mark.parametrize("value", [-math.inf, math.inf, math.nan], ids=["-inf", "+inf", "nan"])
def test_a_non_finite_value_is_named_at_every_node_where_one_can_start(model18, x32, value):
    shapes = capture(model18, x32)
    makers = _value_makers(model18)
    assert len(makers) == 20 + 20 + 8 + 2  # convolutions, batch norms, additions, average pool, fc
    hidden = []
    for node in makers:
        captured = _capture_with(model18, x32, node, {_place(shapes, node): value})
        assert first_non_finite(model18, captured) == node, node
        if torch.isfinite(captured["fc"]).all():
            hidden.append(node)
    if value == -math.inf:
        # a ReLU turns -inf into 0: the logits (and everything after the ReLU) stay finite
        assert {"conv1", "bn1", "layer1.0.conv1", "layer1.0.sum", "layer4.1.bn2"} <= set(hidden)


def test_a_relu_hides_minus_infinity_from_what_follows_yet_the_pass_is_refused(model18, x32):
    captured = _capture_with(model18, x32, "layer2.1.conv2", {(0, 3, 1, 1): -math.inf})
    assert torch.isneginf(captured["layer2.1.bn2"]).any()  # the batch norm passes it on
    after = list(captured)[list(captured).index("layer2.1.relu2"):]
    assert all(torch.isfinite(captured[name]).all() for name in after)
    assert first_non_finite(model18, captured) == "layer2.1.conv2"


def test_a_batch_norm_scaling_an_infinity_by_zero_makes_nan_and_is_found(x32):
    model = resnet18(seed=0).eval()
    with torch.no_grad():
        model.layer1[0].bn1.weight[5] = 0.0
    captured = _capture_with(model, x32, "layer1.0.conv1", {(0, 5, 2, 2): math.inf})
    assert torch.isnan(captured["layer1.0.bn1"][0, 5, 2, 2])
    assert first_non_finite(model, captured) == "layer1.0.conv1"


def test_finite_values_whose_float32_sum_overflows_are_finite(model18, x32):
    captured = _capture_with(model18, x32, "fc", {(0, 0): 3e38, (0, 1): 3e38})
    assert torch.isinf(captured["fc"].sum())  # the quick sum says "maybe"
    assert first_non_finite(model18, captured) is None  # the exact check says finite


def test_other_models_are_checked_node_by_node(x32):
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Conv2d(4, 2, 1)).eval()
    assert first_non_finite(model, capture(model, x32)) is None
    captured = _capture_with(model, x32, "0", {(0, 1, 2, 2): -math.inf})
    assert torch.isfinite(captured["2"]).all()
    assert first_non_finite(model, captured) == "0"
