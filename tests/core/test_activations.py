"""capture, module_names, output_shapes and the stage table."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from viewer.core.activations import (
    InputTooSmallError,
    StageRow,
    capture,
    module_names,
    output_shapes,
    stage_table,
)
from viewer.core.errors import UserError
from viewer.core.resnet import BasicBlock, Bottleneck, resnet18, resnet50


@pytest.fixture(scope="module")
def model50():
    return resnet50(seed=0).eval()


@pytest.fixture(scope="module")
def x64():
    return torch.randn(1, 3, 64, 64, generator=torch.Generator().manual_seed(1))


@pytest.fixture(scope="module")
def captured50(model50, x64):
    return capture(model50, x64)


def test_stage_table_at_32_is_the_syllabus_table(model50):
    rows = stage_table(model50, (32, 32))
    assert [r.name for r in rows] == [
        "conv1", "conv2_x", "conv3_x", "conv4_x", "conv5_x", "average pool and fc"
    ]
    assert [(r.in_shape, r.out_shape) for r in rows] == [
        ((3, 32, 32), (64, 16, 16)),
        ((64, 16, 16), (256, 8, 8)),
        ((256, 8, 8), (512, 4, 4)),
        ((512, 4, 4), (1024, 2, 2)),
        ((1024, 2, 2), (2048, 1, 1)),
        ((2048,), (1000,)),
    ]
    assert rows[0].modules == ("conv1", "bn1", "relu")
    assert rows[1].modules == ("maxpool", "layer1")
    assert rows[5].modules == ("avgpool", "fc")
    assert "3 bottlenecks" in rows[1].description and "6 bottlenecks" in rows[3].description
    assert all(isinstance(r, StageRow) for r in rows)
    with pytest.raises(AttributeError):
        rows[0].name = "x"  # frozen


def test_stage_table_at_224(model50):
    rows = stage_table(model50, (224, 224))
    assert [r.out_shape for r in rows[:5]] == [
        (64, 112, 112), (256, 56, 56), (512, 28, 28), (1024, 14, 14), (2048, 7, 7)
    ]
    assert rows[1].in_shape == (64, 112, 112)


def test_stage_table_resnet18_and_other_classes():
    rows = stage_table(resnet18(num_classes=10, seed=None), (64, 48))
    assert rows[1].description.startswith("3x3 max pool") and "building blocks" in rows[1].description
    assert rows[4].out_shape == (512, 2, 2)
    assert rows[5].in_shape == (512,) and rows[5].out_shape == (10,)


def test_capture_names_and_shapes(model50, x64, captured50):
    names = list(captured50)
    assert names == module_names(model50)
    assert names[:4] == ["conv1", "bn1", "relu", "maxpool"]
    assert names[-3:] == ["layer4", "avgpool", "fc"]
    for required in ("layer1.0.conv1", "layer1.0.shortcut", "layer1.0.residual", "layer1.0.sum",
                     "layer1.0.downsample", "layer1.0.downsample.0", "layer1", "layer4.2.relu3"):
        assert required in captured50
    # execution order: a module finishes before the block and the stage that contain it
    assert names.index("layer1.0.relu3") < names.index("layer1.0") < names.index("layer1.1.conv1")
    assert names.index("layer1.0.sum") < names.index("layer1.0.relu3")
    assert names.index("layer1.2") < names.index("layer1") < names.index("layer2.0.conv1")
    shapes = output_shapes(model50, (64, 64))
    assert list(shapes) == names
    for name, tensor in captured50.items():
        assert tuple(tensor.shape[1:]) == shapes[name], name
        assert tensor.device.type == "cpu" and not tensor.requires_grad
    assert captured50["layer1"].shape == (1, 256, 16, 16)
    assert captured50["fc"].shape == (1, 1000)
    with torch.inference_mode():
        assert torch.allclose(captured50["fc"], model50(x64))


def test_shortcut_plus_residual_is_sum_for_every_block(model50, captured50):
    blocks = [name for name, module in model50.named_modules() if isinstance(module, BasicBlock | Bottleneck)]
    assert len(blocks) == 16 and blocks[0] == "layer1.0" and blocks[-1] == "layer4.2"
    for block in blocks:
        total = captured50[f"{block}.shortcut"] + captured50[f"{block}.residual"]
        assert torch.allclose(total, captured50[f"{block}.sum"]), block
        assert torch.equal(captured50[block], torch.relu(captured50[f"{block}.sum"]))
    # identity shortcut (no downsample) is the block's input, unchanged
    assert torch.equal(captured50["layer1.1.shortcut"], captured50["layer1.0"])
    assert torch.equal(captured50["layer1.0.shortcut"], captured50["layer1.0.downsample"])


def test_capture_subset_keeps_only_those_in_execution_order(model50, x64, captured50):
    subset = capture(model50, x64[0], names=["fc", "layer2", "conv1", "layer2"])
    assert list(subset) == ["conv1", "layer2", "fc"]
    assert torch.allclose(subset["layer2"], captured50["layer2"])
    with pytest.raises(KeyError, match="layer9"):
        capture(model50, x64, names=["layer9"])


def test_capture_restores_training_mode_and_removes_hooks(x64):
    model = resnet18(seed=0)  # training mode
    out = capture(model, x64, names=["bn1"])
    assert model.training
    assert all(not m._forward_hooks and "forward" not in vars(m) for m in model.modules())
    # eval-mode BN with fresh running stats (0 mean, 1 var) is the identity
    conv = capture(model, x64, names=["conv1"])["conv1"]
    assert torch.allclose(out["bn1"], conv / (1 + 1e-5) ** 0.5, atol=1e-6)


def test_capture_taps_a_modules_own_forward_and_gives_it_back(x64):
    model = resnet18(seed=0).eval()

    def doubled(x):
        return nn.Linear.forward(model.fc, x) * 2

    model.fc.forward = doubled  # an instance forward, as a user's patch would be
    out = capture(model, x64, names=["avgpool", "fc"])
    with torch.no_grad():
        expected = 2 * torch.nn.functional.linear(out["avgpool"].flatten(1), model.fc.weight, model.fc.bias)
    assert torch.allclose(out["fc"], expected)
    assert vars(model.fc)["forward"] is doubled
    assert all("forward" not in vars(m) for m in model.modules() if m is not model.fc)


def test_untrained_activations_are_finite_at_depth(captured50):
    for name in ("layer4", "fc"):
        assert torch.isfinite(captured50[name]).all()
    assert captured50["layer4"].abs().max() > 0


def test_too_small_input_names_the_layer():
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Conv2d(4, 4, 5))
    with pytest.raises(InputTooSmallError, match=r"at 2 the 4x4 feature map") as info:
        output_shapes(model, (6, 6))
    assert isinstance(info.value, UserError)
    with pytest.raises(InputTooSmallError):
        capture(model, torch.zeros(1, 3, 6, 6))
    with pytest.raises(UserError, match="at least 1x1"):
        output_shapes(resnet18(seed=None), (0, 32))


def test_tiny_inputs_still_work_for_resnet(model50):
    # every ResNet stride keeps a 1-pixel map at 1 pixel, so nothing ever drops below 1x1
    assert output_shapes(model50, (1, 1))["layer4"] == (2048, 1, 1)
