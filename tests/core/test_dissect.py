"""Taking a node apart: batch norm, residual blocks, a convolution's kernel, block diagrams."""

import numpy as np
import pytest
import torch

from viewer.core import dissect, render


def test_batch_norm_data_in_eval_and_train_mode(result):
    data = dissect.batch_norm_data(result, "layer1.0.bn1", None)
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
    assert dissect.batch_norm_data(result, "layer1.0.conv1", None) is None


def test_identity_block_dissection_adds_up(result):
    data = dissect.block_data(result, "layer1.0")
    assert data.shortcut.title == "shortcut: identity" and data.x.title == "x = input (maxpool)"
    np.testing.assert_array_equal(data.shortcut.maps, result.maps("maxpool"))
    assert [p.title for p in data.steps] == ["conv1", "bn1", "relu1", "conv2"]
    np.testing.assert_allclose(data.residual.maps + data.shortcut.maps, data.total.maps, atol=1e-5)
    np.testing.assert_allclose(np.maximum(data.total.maps, 0), data.output.maps, atol=1e-6)
    assert len(data.panels()) == len(data.steps) + 5
    f, s = data.residual.maps[7], data.shortcut.maps[7]
    assert data.channel_norm_ratio(7) == pytest.approx(np.linalg.norm(f) / np.linalg.norm(s), rel=1e-5)
    assert dissect.block_data(result, "layer1") is None


def test_norm_ratio_survives_a_zero_shortcut():
    assert dissect.norm_ratio(np.ones(4), np.zeros(4)) == pytest.approx(2e12)


def test_conv_setup_reproduces_the_layers_output(result):
    fields = dissect.conv_setup_fields(result, "layer1.0.conv2", 4)
    assert fields["kernel"].shape == (64, 3, 3) and fields["x"].shape == (64, 16, 16)
    assert fields["stride"] == (1, 1) and fields["padding"] == (1, 1) and fields["bias"] == 0.0
    out = torch.nn.functional.conv2d(
        torch.from_numpy(fields["x"])[None], torch.from_numpy(fields["kernel"])[None], padding=fields["padding"]
    )[0, 0]
    np.testing.assert_allclose(out.numpy(), result.maps("layer1.0.conv2")[4], atol=1e-4)
    stem = dissect.conv_setup_fields(result, "conv1", 64 + 2)
    assert stem["x"].shape == (3, 64, 64) and stem["label"].endswith("output channel 2")
    assert dissect.conv_setup_fields(result, "layer1.0.bn1", 0) is None


def test_is_conv(result):
    assert dissect.is_conv(result, "layer2.0.downsample.0")
    assert not dissect.is_conv(result, "layer2.0.downsample.1") and not dissect.is_conv(result, "nothing")


def test_block_diagrams_of_both_block_kinds(result):
    title, boxes, shortcut = dissect.block_diagram(result.modules, "layer2.0")
    assert title == "layer2.0: building block"
    assert boxes == [("layer2.0.conv1", "3x3, 128, stride 2 + BN + ReLU"), ("layer2.0.conv2", "3x3, 128 + BN")]
    assert shortcut == "1x1, 128, stride 2 + BN"
    from viewer.core.weights import build_model

    title, boxes, shortcut = dissect.block_diagram(dict(build_model("resnet50").named_modules()), "layer1.1")
    assert title == "layer1.1: bottleneck" and shortcut == "identity"
    assert [text for _name, text in boxes] == ["1x1, 64 + BN + ReLU", "3x3, 64 + BN + ReLU", "1x1, 256 + BN"]


@pytest.fixture(scope="module")
def mindspore_result(tmp_path_factory, astronaut):
    """A model-zoo ResNet50 (MindSpore's "same" padding) on the astronaut at 64x64, computed
    outside the forward pass's model cache (other tests rely on what it holds)."""
    from viewer.core import activations, preprocess
    from viewer.core.conventions import MINDSPORE_ZOO
    from viewer.core.forward import ForwardResult
    from viewer.core.mindspore_weights import save_mindspore_checkpoint
    from viewer.core.weights import build_model, file_source, open_weights

    path = tmp_path_factory.mktemp("zoo") / "zoo.ckpt"
    save_mindspore_checkpoint(build_model("resnet50", seed=2, num_classes=10, convention=MINDSPORE_ZOO), path)
    model, weights = open_weights("resnet50", file_source(path))
    fed = preprocess.resize_pixels(astronaut.pixels, 64)
    captured = activations.capture(model, preprocess.normalize(fed, weights.preprocessing))
    shapes = activations.output_shapes(model, fed.shape[:2])
    return ForwardResult("resnet50", weights, model, fed, captured, shapes, captured["fc"][0].numpy(), [], True)


@pytest.mark.parametrize("conv, padding, padding_end", [
    ("conv1", (2, 2), (3, 3)),  # 7x7/s2 on 64x64
    ("layer2.0.conv2", (0, 0), (1, 1)),  # 3x3/s2 on 16x16
    ("layer1.0.conv2", (1, 1), None),  # 3x3/s1: symmetric
])
def test_a_mindspore_convolution_is_stepped_with_its_padding_per_side(mindspore_result, conv, padding, padding_end):
    from viewer.core.conv import ConvSetup

    fields = dissect.conv_setup_fields(mindspore_result, conv, 5)
    assert fields["padding"] == padding and fields["padding_end"] == padding_end
    steps = ConvSetup(**fields).steps()
    expected = mindspore_result.maps(conv)[5]
    np.testing.assert_allclose(steps.output, expected, rtol=1e-4, atol=1e-4 * float(np.abs(expected).max()))
