"""Padding conventions and batch-norm eps, against MindSpore's own outputs (tests/data).

``mindspore_same_padding.npz`` holds what MindSpore 2.10.0's ``pad_mode="same"`` layers computed
(``tests/data/make_mindspore_fixtures.py``): a 7x7/s2 convolution, a 3x3/s2 max pool and a 3x3/s2
convolution, on 32x32 and odd-sized inputs.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

from viewer.core.conventions import (
    MINDSPORE_TUTORIAL,
    MINDSPORE_ZOO,
    MINDSPORE_ZOO_BASIC,
    TORCHVISION,
    ResNetConvention,
    SamePaddedConv2d,
    SamePaddedMaxPool2d,
    window_padding,
)
from viewer.core.geometry import same_padding
from viewer.core.resnet import resnet18, resnet50

DATA = Path(__file__).resolve().parents[1] / "data"
SIZES = ("32x32", "33x33", "35x30", "31x37")


@pytest.fixture(scope="module")
def mindspore():
    with np.load(DATA / "mindspore_same_padding.npz") as arrays:
        return {key: torch.from_numpy(arrays[key]) for key in arrays.files}


def test_same_padding_numbers_of_the_resnet_stem():
    assert same_padding(32, 7, 2) == (2, 3)  # torchvision pads 3 and 3
    assert same_padding(16, 3, 2) == (0, 1)  # the max pool; torchvision 1 and 1
    assert same_padding(224, 7, 2) == (2, 3) and same_padding(112, 3, 2) == (0, 1)
    assert same_padding(56, 3, 2) == (0, 1)  # layer2's first 3x3/s2
    assert same_padding(33, 7, 2) == (3, 3)  # odd sizes pad symmetrically here
    assert same_padding(8, 3, 1) == (1, 1) and same_padding(8, 1, 2) == (0, 0)


@given(st.integers(1, 80), st.integers(1, 9), st.integers(1, 4), st.integers(1, 3))
def test_same_padding_gives_ceil_n_over_s_outputs(n, k, s, d):
    before, after = same_padding(n, k, s, d)
    assert 0 <= after - before <= 1
    span = d * (k - 1) + 1
    if span <= n + before + after:
        assert (n + before + after - span) // s + 1 == math.ceil(n / s)


@pytest.mark.parametrize("size", SIZES)
def test_same_padded_layers_compute_what_mindspore_computes(mindspore, size):
    conv7 = SamePaddedConv2d(3, 2, 7, stride=2, bias=False)
    conv3 = SamePaddedConv2d(2, 2, 3, stride=2, bias=False)
    with torch.no_grad():
        conv7.weight.copy_(mindspore["conv7_weight"])
        conv3.weight.copy_(mindspore["conv3_weight"])
        x3, x2 = mindspore[f"x3_{size}"], mindspore[f"x2_{size}"]
        outputs = {"conv7": conv7(x3), "conv3": conv3(x2), "pool": SamePaddedMaxPool2d(3, 2)(x2)}
    for name, ours in outputs.items():
        theirs = mindspore[f"{name}_{size}"]
        assert ours.shape == theirs.shape
        torch.testing.assert_close(ours, theirs, rtol=1e-5, atol=1e-5 * float(theirs.abs().max()))
    # The max pool is exact: padding never wins a max, though the inputs are partly negative.
    assert torch.equal(outputs["pool"], mindspore[f"pool_{size}"])


def test_torchvision_padding_gives_other_numbers_at_even_sizes(mindspore):
    """What the convention is for: symmetric padding shifts every window of an even input."""
    x2 = mindspore["x2_32x32"]
    assert not torch.allclose(F.max_pool2d(x2, 3, 2, 1), mindspore["pool_32x32"])
    assert torch.equal(F.max_pool2d(mindspore["x2_33x33"], 3, 2, 1), mindspore["pool_33x33"])


@given(st.integers(1, 3), st.integers(4, 14), st.integers(4, 14), st.sampled_from([1, 2, 3]), st.integers(1, 3))
def test_same_padded_conv_is_f_pad_then_conv2d(k, h, w, s, d):
    torch.manual_seed(0)
    kernel = 2 * k - 1 if k > 1 else 2  # odd and even kernels
    conv = SamePaddedConv2d(2, 3, kernel, stride=s, dilation=d, bias=True)
    x = torch.randn(1, 2, h, w)
    (top, left), (bottom, right) = conv.padding_for((h, w))
    expected = F.conv2d(F.pad(x, (left, right, top, bottom)), conv.weight, conv.bias, s, 0, d)
    with torch.no_grad():
        torch.testing.assert_close(conv(x), expected)
    assert conv(x).shape[-2:] == (math.ceil(h / s), math.ceil(w / s))


def test_conventions_never_change_the_state_dict():
    for factory in (resnet18, resnet50):
        plain = factory(10).state_dict()
        for convention in (MINDSPORE_ZOO, MINDSPORE_ZOO_BASIC, MINDSPORE_TUTORIAL):
            other = factory(10, convention=convention).state_dict()
            assert list(other) == list(plain)
            assert all(other[key].shape == plain[key].shape for key in plain)
            assert all(torch.equal(other[key], plain[key]) for key in plain)  # the same seeded start


def test_the_torchvision_convention_builds_torchvisions_layers():
    model = resnet50()
    assert model.convention == TORCHVISION
    assert type(model.conv1) is nn.Conv2d and model.conv1.padding == (3, 3)
    assert type(model.maxpool) is nn.MaxPool2d and model.maxpool.padding == 1
    assert type(model.layer2[0].conv2) is nn.Conv2d and model.layer2[0].conv2.padding == (1, 1)
    assert all(m.eps == 1e-5 for m in model.modules() if isinstance(m, nn.BatchNorm2d))


def test_each_convention_sets_its_eps():
    zoo = resnet50(convention=MINDSPORE_ZOO)
    assert all(m.eps == 1e-4 for m in zoo.modules() if isinstance(m, nn.BatchNorm2d))
    assert isinstance(zoo.conv1, SamePaddedConv2d) and isinstance(zoo.maxpool, SamePaddedMaxPool2d)
    basic = resnet18(convention=MINDSPORE_ZOO_BASIC)
    assert basic.bn1.eps == 1e-5 and basic.layer2[0].downsample[1].eps == 1e-5
    assert basic.layer2[0].bn1.eps == 1e-4 and basic.layer1[1].bn2.eps == 1e-4
    assert type(basic.conv1) is nn.Conv2d  # the zoo's ResNet18/34 pad symmetrically
    assert MINDSPORE_ZOO_BASIC.eps_values == (1e-5, 1e-4) and MINDSPORE_ZOO.eps_values == (1e-4,)
    with pytest.raises(ValueError, match="Unknown padding convention"):
        ResNetConvention("valid")


def test_window_padding_of_each_kind_of_layer():
    assert window_padding(nn.Conv2d(1, 1, 3, padding=1), (8, 8)) == ((1, 1), (1, 1))
    assert window_padding(nn.MaxPool2d(3, 2, 1), (8, 8)) == ((1, 1), (1, 1))
    assert window_padding(SamePaddedConv2d(1, 1, 7, stride=2), (32, 33)) == ((2, 3), (3, 3))
    assert window_padding(SamePaddedMaxPool2d(3, 2), (16, 15)) == ((0, 1), (1, 1))


def test_the_same_weights_give_other_logits_under_the_other_convention():
    torch.manual_seed(1)
    mindspore_net = resnet50(10, convention=MINDSPORE_ZOO).eval()
    torchvision_net = resnet50(10).eval()
    torchvision_net.load_state_dict(mindspore_net.state_dict())
    x = torch.randn(1, 3, 32, 32)
    with torch.no_grad():
        a, b = mindspore_net(x), torchvision_net(x)
    assert float((a - b).norm() / a.norm()) > 0.05
