"""Receptive fields against a brute-force gradient check."""

import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from torch import nn

from viewer.core.receptive_field import (
    Region,
    model_receptive_field,
    path_ops,
)


def _gradient_support(model: nn.Module, name: str, size: int, row: int, col: int) -> Region | None:
    """Bounding box of input pixels with a non-zero gradient for one output pixel of ``name``."""
    captured = {}
    module = dict(model.named_modules())[name]
    handle = module.register_forward_hook(lambda _m, _i, out: captured.__setitem__("out", out))
    x = torch.rand(1, 1, size, size, dtype=torch.float64, requires_grad=True)
    model(x)
    handle.remove()
    captured["out"][0, :, row, col].sum().backward()
    nz = (x.grad[0, 0] != 0).nonzero()
    if len(nz) == 0:
        return None
    return Region(int(nz[:, 0].min()), int(nz[:, 1].min()), int(nz[:, 0].max()), int(nz[:, 1].max()))


def _positive_conv(k, s, p, d):
    conv = nn.Conv2d(1, 1, k, stride=s, padding=p, dilation=d, bias=False).double()
    with torch.no_grad():
        conv.weight.fill_(1.0)
    return conv


layer_params = st.tuples(
    st.integers(1, 4), st.integers(1, 3), st.integers(0, 2), st.integers(1, 2)
).filter(lambda t: t[2] <= t[0])


@settings(max_examples=40)
@given(st.lists(layer_params, min_size=1, max_size=3), st.data())
def test_outline_is_tight_for_a_plain_conv_stack(layers, data):
    model = nn.Sequential(*[_positive_conv(*t) for t in layers])
    size = 16
    try:
        with torch.no_grad():
            out = model(torch.zeros(1, 1, size, size, dtype=torch.float64))
    except RuntimeError:  # the output would be empty
        assume(False)
    h, w = out.shape[-2:]
    row = data.draw(st.integers(0, h - 1))
    col = data.draw(st.integers(0, w - 1))
    name = str(len(layers) - 1)
    support = _gradient_support(model, name, size, row, col)
    outline = model_receptive_field(model, name, row, col, (size, size))
    if support is None:  # every tap reads padding
        return
    assert outline.top <= support.top and outline.left <= support.left
    assert support.bottom <= outline.bottom and support.right <= outline.right
    if all(d == 1 and s <= k for k, s, _, d in layers):
        # Without dilation, and with windows that overlap or touch, every pixel of the field is
        # read: the outline is exact. (Otherwise the clipped outline may include skipped pixels.)
        assert support == outline


class _TinyBlock(nn.Module):
    """A residual block shaped like the backend's (taps named shortcut/residual/sum)."""

    def __init__(self, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 1, 3, stride, 1, bias=False).double()
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(1, 1, 3, 1, 1, bias=False).double()
        self.downsample = nn.Sequential(nn.Conv2d(1, 1, 1, stride, bias=False).double()) if stride > 1 else None
        self.residual = nn.Identity()
        self.shortcut = nn.Identity()
        self.sum = nn.Identity()

    def forward(self, x):
        r = self.residual(self.conv2(self.relu1(self.conv1(x))))
        s = self.shortcut(x if self.downsample is None else self.downsample(x))
        return self.sum(r + s)


def _tiny_resnet():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 1, 7, 2, 3, bias=False).double(),
        nn.ReLU(),
        nn.MaxPool2d(3, 2, 1),
        nn.Sequential(_TinyBlock(1), _TinyBlock(2)),
    )


@pytest.mark.parametrize(
    "name", ["0", "2", "3.0.conv1", "3.0.residual", "3.0", "3.1.conv1", "3.1.shortcut", "3.1.downsample.0", "3.1.sum", "3.1"]
)
def test_gradient_support_lies_within_the_outline_in_a_residual_net(name):
    model = _tiny_resnet()
    size = 40
    with torch.no_grad():
        x = torch.rand(1, 1, size, size, dtype=torch.float64)
        captured = {}
        handle = dict(model.named_modules())[name].register_forward_hook(lambda _m, _i, o: captured.setdefault("o", o))
        model(x)
        handle.remove()
    h, w = captured["o"].shape[-2:]
    for row, col in [(0, 0), (h // 2, w // 2), (h - 1, w - 1)]:
        support = _gradient_support(model, name, size, row, col)
        outline = model_receptive_field(model, name, row, col, (size, size))
        if support is not None:
            assert outline.top <= support.top and outline.left <= support.left
            assert support.bottom <= outline.bottom and support.right <= outline.right


def test_known_sizes_of_the_resnet_stem():
    model = nn.Sequential(nn.Conv2d(3, 8, 7, 2, 3), nn.ReLU(), nn.MaxPool2d(3, 2, 1))
    conv = model_receptive_field(model, "0", 10, 10, (64, 64))
    pool = model_receptive_field(model, "2", 5, 5, (64, 64))
    assert (conv.height, conv.width) == (7, 7) and (pool.height, pool.width) == (11, 11)


def test_global_ops_see_the_whole_input():
    model = nn.Sequential(nn.Conv2d(1, 1, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(1, 2))
    assert model_receptive_field(model, "3", 0, 0, (20, 30)) == Region(0, 0, 19, 29)


def test_unknown_module_name_is_a_key_error():
    with pytest.raises(KeyError):
        path_ops(nn.Sequential(nn.Conv2d(1, 1, 3)), "7")


def _positive_same_conv(k, s):
    from viewer.core.conventions import SamePaddedConv2d

    conv = SamePaddedConv2d(1, 1, k, stride=s, bias=False).double()
    with torch.no_grad():
        conv.weight.fill_(1.0)
    return conv


@settings(max_examples=40)
@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 3)), min_size=1, max_size=3),
       st.integers(9, 20), st.data())
def test_outline_is_tight_for_mindspore_same_padded_stacks(layers, size, data):
    """MindSpore's "same" padding puts the odd pixel bottom/right: the outline follows it."""
    model = nn.Sequential(*[_positive_same_conv(k, s) for k, s in layers])
    with torch.no_grad():
        h, w = model(torch.zeros(1, 1, size, size, dtype=torch.float64)).shape[-2:]
    row, col = data.draw(st.integers(0, h - 1)), data.draw(st.integers(0, w - 1))
    name = str(len(layers) - 1)
    support = _gradient_support(model, name, size, row, col)
    outline = model_receptive_field(model, name, row, col, (size, size))
    if all(s <= k for k, s in layers):
        assert support == outline
    else:
        assert outline.top <= support.top and support.bottom <= outline.bottom


def test_the_mindspore_stem_sees_other_pixels_than_torchvisions():
    from viewer.core.conventions import MINDSPORE_ZOO
    from viewer.core.resnet import resnet50

    zoo, torchvision = resnet50(10, convention=MINDSPORE_ZOO), resnet50(10)
    # 7x7/s2 at 32x32: MindSpore pads 2 on top, torchvision 3, so output row 5 starts one row lower
    assert model_receptive_field(zoo, "conv1", 5, 5, (32, 32)) == Region(8, 8, 14, 14)
    assert model_receptive_field(torchvision, "conv1", 5, 5, (32, 32)) == Region(7, 7, 13, 13)
    assert model_receptive_field(zoo, "maxpool", 0, 0, (32, 32)) == Region(0, 0, 8, 8)  # pool pads 0 on top
    assert model_receptive_field(torchvision, "maxpool", 0, 0, (32, 32)) == Region(0, 0, 5, 5)


@pytest.mark.parametrize("name", ["maxpool", "layer1.0.conv2", "layer2.0.conv2", "layer2.0.shortcut", "layer2.0"])
def test_gradient_support_lies_within_the_outline_of_a_mindspore_resnet(name):
    from viewer.core.conventions import MINDSPORE_ZOO
    from viewer.core.resnet import resnet18

    model = resnet18(convention=MINDSPORE_ZOO).double().eval()
    size = 36
    captured = {}
    x = torch.rand(1, 3, size, size, dtype=torch.float64, requires_grad=True)
    handle = dict(model.named_modules())[name].register_forward_hook(lambda _m, _i, o: captured.setdefault("o", o))
    model(x)
    handle.remove()
    out = captured["o"]
    h, w = out.shape[-2:]
    for row, col in [(0, 0), (h - 1, w - 1)]:
        x.grad = None
        out[0, :, row, col].sum().backward(retain_graph=True)
        nz = (x.grad[0].abs().sum(0) != 0).nonzero()
        support = Region(int(nz[:, 0].min()), int(nz[:, 1].min()), int(nz[:, 0].max()), int(nz[:, 1].max()))
        outline = model_receptive_field(model, name, row, col, (size, size))
        assert outline.top <= support.top and outline.left <= support.left
        assert support.bottom <= outline.bottom and support.right <= outline.right
