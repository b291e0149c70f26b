"""Which captured node feeds which: the names the dissection and the receptive field follow."""

import pytest

from viewer.core.activations import block_input_name, block_of, bn_input_name, conv_input_name


@pytest.mark.parametrize(
    ("bn", "conv"),
    [("bn1", "conv1"), ("layer1.0.bn2", "layer1.0.conv2"), ("layer2.0.downsample.1", "layer2.0.downsample.0"), ("layer1.0.relu1", None)],
)
def test_bn_input_name(result, bn, conv):
    assert bn_input_name(result.activations, bn) == conv


@pytest.mark.parametrize(
    ("block", "source"), [("layer1.0", "maxpool"), ("layer1.1", "layer1.0"), ("layer3.0", "layer2"), ("conv1", None)]
)
def test_block_input_name(block, source):
    assert block_input_name([], block) == source


@pytest.mark.parametrize(
    ("conv", "source"),
    [("conv1", None), ("layer1.0.conv1", "maxpool"), ("layer2.1.conv2", "layer2.1.relu1"),
     ("layer3.0.downsample.0", "layer2"), ("layer1.0.bn1", None)],
)
def test_conv_input_name(conv, source):
    assert conv_input_name([], conv) == source


@pytest.mark.parametrize(
    ("name", "block"), [("layer2.1.conv2", "layer2.1"), ("layer3.0", "layer3.0"), ("layer3", None), ("fc", None)]
)
def test_block_of(name, block):
    assert block_of(name) == block
