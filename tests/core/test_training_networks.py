"""The CIFAR family of the ResNet paper (plain and residual, option A) and the explorer's ResNets
as the training lab builds them: parameter counts, weighted layers, shapes and twins."""

import pytest
import torch
from torch import nn

from viewer.core.errors import InvalidSettingError
from viewer.core.training.networks import (
    NetworkSpec,
    build_network,
    parameter_count,
    plain,
    plain_net,
    residual,
    residual_net,
    stage_widths,
    weighted_layers,
)


@pytest.mark.parametrize(("depth", "parameters", "paper"), [(20, 269_722, 0.27e6), (56, 853_018, 0.85e6), (110, 1_727_962, 1.7e6)])
def test_parameter_counts_match_the_paper_and_shortcuts_add_none(depth, parameters, paper):
    assert parameter_count(residual_net(depth)) == parameters
    assert parameter_count(plain_net(depth)) == parameters  # option A: no parameters in the shortcuts
    assert round(parameters / 1e6, 2 if depth < 100 else 1) == round(paper / 1e6, 2 if depth < 100 else 1)


@pytest.mark.parametrize("depth", [8, 20, 56])
def test_depth_counts_the_weighted_layers(depth):
    for net in (plain_net(depth), residual_net(depth, batch_norm=False)):
        layers = weighted_layers(net)
        assert len(layers) == depth
        assert isinstance(layers[0][1], nn.Conv2d) and layers[0][0] == "conv1"
        assert isinstance(layers[-1][1], nn.Linear) and layers[-1][0] == "fc"
        assert sum(isinstance(m, nn.Conv2d) for _, m in layers) == depth - 1


def test_stages_halve_the_size_and_double_the_channels():
    net = residual_net(20, width=0.5, num_classes=7)
    shapes = {}
    for name in ("layer1", "layer2", "layer3"):
        getattr(net, name).register_forward_hook(lambda _m, _i, out, name=name: shapes.update({name: tuple(out.shape)}))
    assert net(torch.zeros(2, 3, 32, 32)).shape == (2, 7)
    assert shapes == {"layer1": (2, 8, 32, 32), "layer2": (2, 16, 16, 16), "layer3": (2, 32, 8, 8)}
    assert stage_widths(1) == (16, 32, 64) and stage_widths(2) == (32, 64, 128)


def test_twins_start_from_the_same_weights_and_differ_only_by_the_shortcuts():
    twins = plain_net(14, seed=5), residual_net(14, seed=5)
    first, second = (dict(net.state_dict()) for net in twins)
    assert first.keys() == second.keys() and all(torch.equal(first[k], second[k]) for k in first)
    x = torch.randn(2, 3, 16, 16)
    assert not torch.allclose(twins[0](x), twins[1](x))
    assert not torch.equal(plain_net(14, seed=6).conv1.weight, twins[0].conv1.weight)


def test_option_a_shortcut_subsamples_and_pads_with_zero_channels():
    block = residual_net(8).layer2[0]
    x = torch.randn(1, 16, 8, 8)
    shortcut = block.shortcut(x)
    assert shortcut.shape == (1, 32, 4, 4)
    assert torch.equal(shortcut[:, :16], x[:, :, ::2, ::2]) and not shortcut[:, 16:].any()
    assert plain_net(8).layer2[0].shortcut is None


def test_without_batch_norm_convolutions_get_a_zero_bias():
    net = plain_net(8, batch_norm=False)
    assert not any(isinstance(m, nn.BatchNorm2d) for m in net.modules())
    assert all(m.bias is not None and not m.bias.any() for _, m in weighted_layers(net) if isinstance(m, nn.Conv2d))
    assert all(m.bias is None for _, m in weighted_layers(plain_net(8)) if isinstance(m, nn.Conv2d))


def test_names_and_the_explorers_resnets():
    assert [s.name for s in (plain(20), residual(56), plain(56, False), NetworkSpec("resnet50"))] == [
        "plain-20", "ResNet-56", "plain-56 no BN", "ResNet50"]
    net = build_network(NetworkSpec("resnet18"), num_classes=10)
    assert net.fc.out_features == 10 and net.training
    assert net(torch.zeros(2, 3, 32, 32)).shape == (2, 10)  # the course's 32x32 input
    assert NetworkSpec("resnet50").opens_in_explorer and not residual(20).opens_in_explorer


@pytest.mark.parametrize("depth", [7, 21, 0, 2])
def test_depths_outside_the_family_get_a_sentence(depth):
    with pytest.raises(InvalidSettingError, match="6n \\+ 2"):
        plain_net(depth)
