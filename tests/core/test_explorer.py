"""The explorer's Qt-free model: forward requests, node rendering, batch norm and block dissection."""

import subprocess
import sys

import numpy as np
import pytest
import torch

from viewer.core import explorer, render
from viewer.core.samples import load_sample


@pytest.fixture(scope="module")
def astronaut():
    return load_sample("astronaut")


def _request(image, arch="resnet18", size=64, node="layer1", view=None, weights=explorer.RANDOM):
    return explorer.ForwardRequest(arch, size, image.pixels, weights, node, view or explorer.ViewSettings())


@pytest.fixture(scope="module")
def forward(astronaut):
    return explorer.run_forward(_request(astronaut))


@pytest.fixture(scope="module")
def result(forward):
    return forward[0]


def test_the_core_never_imports_qt():
    code = "import sys, viewer.core.explorer; print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'viewer.ui'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_forward_captures_every_node_and_renders_the_requested_one(forward):
    result, node = forward
    assert result.arch == "resnet18" and result.size_hw == (64, 64)
    assert result.fed_pixels.shape == (64, 64, 3)
    assert node.name == "layer1" and node.view == explorer.ViewSettings()
    assert result.maps("layer1").shape == (64, 16, 16) == result.shapes["layer1"]
    assert result.maps("layer4").shape == (512, 2, 2)
    assert node.mosaic.indices.shape == node.mosaic.layout.shape
    low = min(float(t.min()) for t in result.activations.values() if t.ndim == 4)
    high = max(float(t.max()) for t in result.activations.values() if t.ndim == 4)
    assert result.global_range == pytest.approx((low, high))
    assert result.logits.shape == (1000,)


def test_random_weights_give_raw_indices_in_probability_order(result):
    assert not result.names_known
    probabilities = [p.probability for p in result.top5]
    assert len(result.top5) == 5 and probabilities == sorted(probabilities, reverse=True)
    best = int(np.argmax(result.logits))
    assert result.top5[0].index == best and result.top5[0].name == f"class {best}"
    expected = torch.softmax(torch.from_numpy(result.logits).double(), 0)[best]
    assert result.top5[0].probability == pytest.approx(float(expected))


def test_an_unknown_node_falls_back_to_layer1(astronaut):
    _result, node = explorer.run_forward(_request(astronaut, size=32, node="no.such.node"))
    assert node.name == "layer1"


def test_a_superseded_forward_stops_early(astronaut):
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3  # let the model build, then stop inside the forward pass

    with pytest.raises(explorer.Superseded):
        explorer.run_forward(_request(astronaut, size=32), cancelled)
    model = explorer.model_for("resnet18", explorer.RANDOM)
    assert all(not m._forward_pre_hooks for m in model.modules())  # the cancel hooks are gone


def test_the_model_is_reused_for_the_same_weights(result):
    assert explorer.model_for("resnet18", explorer.RANDOM) is result.model
    other = explorer.model_for("resnet18", explorer.WeightsChoice("seeded", "random", "", "another"))
    assert other is not result.model and not other.training


def test_render_node_follows_the_view_settings(result):
    view = explorer.ViewSettings(scope="channel", sort="max", aspect=1.0)
    node = explorer.render_node(result, "layer2.0.conv1", view)
    stats = render.channel_stats(result.maps("layer2.0.conv1"))
    order = list(node.mosaic.layout.order)
    assert len(order) == 128 and np.all(np.diff(stats.maximum[order]) <= 0)
    assert node.mosaic.layout.cols == 12  # ceil(sqrt(128)): a square-ish grid for aspect 1
    assert node.bn_input_stats is None


def test_a_batch_norm_node_carries_its_inputs_statistics(result):
    node = explorer.render_node(result, "layer1.0.bn1", explorer.ViewSettings())
    np.testing.assert_allclose(node.bn_input_stats.mean, render.channel_stats(result.maps("layer1.0.conv1")).mean)


@pytest.mark.parametrize(
    ("bn", "conv"),
    [("bn1", "conv1"), ("layer1.0.bn2", "layer1.0.conv2"), ("layer2.0.downsample.1", "layer2.0.downsample.0"), ("layer1.0.relu1", None)],
)
def test_bn_input_name(result, bn, conv):
    assert explorer.bn_input_name(result.activations, bn) == conv


@pytest.mark.parametrize(
    ("block", "source"), [("layer1.0", "maxpool"), ("layer1.1", "layer1.0"), ("layer3.0", "layer2"), ("conv1", None)]
)
def test_block_input_name(block, source):
    assert explorer.block_input_name([], block) == source


@pytest.mark.parametrize(
    ("conv", "source"),
    [("conv1", None), ("layer1.0.conv1", "maxpool"), ("layer2.1.conv2", "layer2.1.relu1"),
     ("layer3.0.downsample.0", "layer2"), ("layer1.0.bn1", None)],
)
def test_conv_input_name(conv, source):
    assert explorer.conv_input_name([], conv) == source


@pytest.mark.parametrize(
    ("name", "block"), [("layer2.1.conv2", "layer2.1"), ("layer3.0", "layer3.0"), ("layer3", None), ("fc", None)]
)
def test_block_of(name, block):
    assert explorer.block_of(name) == block


def test_batch_norm_data_in_eval_and_train_mode(result):
    data = explorer.batch_norm_data(result, "layer1.0.bn1", None)
    assert data.gamma.shape == data.beta.shape == data.running_mean.shape == (64,)
    np.testing.assert_array_equal(data.output(3, training=False), result.maps("layer1.0.bn1")[3])
    eval_by_hand = render.batch_norm(
        data.inputs[3], float(data.running_mean[3]), float(data.running_var[3]), float(data.gamma[3]), float(data.beta[3]), data.eps
    )
    np.testing.assert_allclose(data.output(3, training=False), eval_by_hand, rtol=1e-4, atol=1e-5)
    train = data.output(3, training=True)
    assert train.mean() == pytest.approx(data.beta[3], abs=1e-4)
    assert train.std() == pytest.approx(abs(data.gamma[3]), rel=1e-2)
    np.testing.assert_allclose(data.image_var, data.inputs.reshape(64, -1).var(axis=1), rtol=1e-3, atol=1e-6)
    assert explorer.batch_norm_data(result, "layer1.0.conv1", None) is None


def test_identity_block_dissection_adds_up(result):
    data = explorer.block_data(result, "layer1.0")
    assert data.shortcut.title == "shortcut: identity" and data.x.title == "x = input (maxpool)"
    np.testing.assert_array_equal(data.shortcut.maps, result.maps("maxpool"))
    assert [p.title for p in data.steps] == ["conv1", "bn1", "relu1", "conv2"]
    np.testing.assert_allclose(data.residual.maps + data.shortcut.maps, data.total.maps, atol=1e-5)
    np.testing.assert_allclose(np.maximum(data.total.maps, 0), data.output.maps, atol=1e-6)
    assert len(data.panels()) == len(data.steps) + 5
    f, s = data.residual.maps[7], data.shortcut.maps[7]
    assert data.channel_norm_ratio(7) == pytest.approx(np.linalg.norm(f) / np.linalg.norm(s), rel=1e-5)
    assert explorer.block_data(result, "layer1") is None


def test_norm_ratio_survives_a_zero_shortcut():
    assert explorer.norm_ratio(np.ones(4), np.zeros(4)) == pytest.approx(2e12)


def test_conv_setup_reproduces_the_layers_output(result):
    fields = explorer.conv_setup_fields(result, "layer1.0.conv2", 4)
    assert fields["kernel"].shape == (64, 3, 3) and fields["x"].shape == (64, 16, 16)
    assert fields["stride"] == (1, 1) and fields["padding"] == (1, 1) and fields["bias"] == 0.0
    out = torch.nn.functional.conv2d(
        torch.from_numpy(fields["x"])[None], torch.from_numpy(fields["kernel"])[None], padding=fields["padding"]
    )[0, 0]
    np.testing.assert_allclose(out.numpy(), result.maps("layer1.0.conv2")[4], atol=1e-4)
    stem = explorer.conv_setup_fields(result, "conv1", 64 + 2)
    assert stem["x"].shape == (3, 64, 64) and stem["label"].endswith("output channel 2")
    assert explorer.conv_setup_fields(result, "layer1.0.bn1", 0) is None


def test_is_conv(result):
    assert explorer.is_conv(result, "layer2.0.downsample.0")
    assert not explorer.is_conv(result, "layer2.0.downsample.1") and not explorer.is_conv(result, "nothing")


def test_block_diagrams_of_both_block_kinds(result):
    title, boxes, shortcut = explorer.block_diagram(result.model, "layer2.0")
    assert title == "layer2.0: building block"
    assert boxes == [("layer2.0.conv1", "3x3, 128, stride 2 + BN + ReLU"), ("layer2.0.conv2", "3x3, 128 + BN")]
    assert shortcut == "1x1, 128, stride 2 + BN"
    from viewer.core.weights import build_model

    title, boxes, shortcut = explorer.block_diagram(build_model("resnet50"), "layer1.1")
    assert title == "layer1.1: bottleneck" and shortcut == "identity"
    assert [text for _name, text in boxes] == ["1x1, 64 + BN + ReLU", "3x3, 64 + BN + ReLU", "1x1, 256 + BN"]
