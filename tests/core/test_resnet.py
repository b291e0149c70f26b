"""Our ResNet is torchvision's ResNet: same keys, shapes, parameter counts; deterministic init."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from viewer.core.resnet import (
    ARCHITECTURES,
    BasicBlock,
    Bottleneck,
    initialise,
    make_layer,
    resnet18,
    resnet50,
)

DATA = Path(__file__).resolve().parents[1] / "data"


def torchvision_keys(arch: str) -> dict[str, tuple[int, ...]]:
    """tests/data/torchvision_<arch>_keys.txt: key<TAB>comma-separated shape."""
    result = {}
    for line in (DATA / f"torchvision_{arch}_keys.txt").read_text(encoding="utf-8").splitlines():
        key, shape = line.split("\t")
        result[key] = tuple(int(v) for v in shape.split(",") if v)
    return result


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


@pytest.fixture(scope="module")
def model50():
    return resnet50(seed=0).eval()


@pytest.mark.parametrize(
    ("arch", "expected"),
    [
        ("resnet18", 11_689_512),
        ("resnet34", 21_797_672),
        ("resnet50", 25_557_032),
        ("resnet101", 44_549_160),
        ("resnet152", 60_192_808),
    ],
)
def test_parameter_counts_match_torchvision(arch, expected):
    with torch.device("meta"):  # counts only: no memory, no init
        model = ARCHITECTURES[arch](seed=None)
    assert parameter_count(model) == expected


@pytest.mark.parametrize("arch", ["resnet18", "resnet50"])
def test_state_dict_keys_and_shapes_are_torchvisions(arch):
    expected = torchvision_keys(arch)
    with torch.device("meta"):
        model = ARCHITECTURES[arch](seed=None)
    ours = {key: tuple(value.shape) for key, value in model.state_dict().items()}
    assert list(ours) == list(expected)  # same order too: torchvision's module order
    assert ours == expected


def test_key_file_is_torchvisions_structure():
    keys50 = torchvision_keys("resnet50")
    for key in ("layer1.0.downsample.0.weight", "bn1.running_mean", "layer4.2.bn3.num_batches_tracked"):
        assert key in keys50
    assert "layer1.0.downsample.0.weight" not in torchvision_keys("resnet18")
    assert "layer2.0.downsample.0.weight" in torchvision_keys("resnet18")
    total = sum(
        torch.Size(shape).numel()
        for key, shape in keys50.items()
        if not key.split(".")[-1].startswith(("running_", "num_batches"))
    )
    assert total == 25_557_032


def test_strict_load_of_a_torchvision_state_dict_gives_the_same_outputs(model50):
    generator = torch.Generator().manual_seed(5)
    state = {
        key: (torch.randint(0, 9, shape, generator=generator) if key.endswith("num_batches_tracked")
              else torch.rand(shape, generator=generator) + 0.5)
        for key, shape in torchvision_keys("resnet18").items()
    }
    model = resnet18(seed=3)
    model.load_state_dict(state, strict=True)
    for key, value in model.state_dict().items():
        assert torch.equal(value, state[key])


def test_seeded_init_is_deterministic_and_seed_dependent():
    a, b, c = resnet18(seed=0), resnet18(seed=0), resnet18(seed=1)
    for (key, va), vb in zip(a.state_dict().items(), b.state_dict().values(), strict=True):
        assert torch.equal(va, vb), key
    assert not torch.equal(a.conv1.weight, c.conv1.weight)
    assert not torch.equal(a.fc.weight, c.fc.weight)


def test_seeded_init_leaves_global_rng_alone():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    resnet18(seed=7)
    assert torch.equal(torch.rand(3), expected)


@pytest.mark.parametrize("factory", [resnet18, resnet50])
def test_seeded_build_skips_the_default_init_without_changing_a_bit(factory):
    # The seeded build makes its layers on the meta device, skipping PyTorch's default init;
    # built the plain way (default init on the CPU, then our init over it) every tensor,
    # running statistics and batch counters included, must be the same bit for bit.
    reference = factory(seed=None)
    with torch.no_grad():
        for module in reference.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.running_mean.uniform_()  # our init must reset what a default build leaves
                module.num_batches_tracked.fill_(3)
    initialise(reference, 5)
    built = factory(seed=5)
    expected = reference.state_dict()
    assert list(built.state_dict()) == list(expected)
    for key, value in built.state_dict().items():
        assert value.device.type == "cpu" and value.dtype == expected[key].dtype, key
        assert torch.equal(value, expected[key]), key


def test_init_follows_torchvisions_scheme():
    model = resnet18(seed=0)
    # kaiming normal, fan_out, relu gain: std = sqrt(2 / (out_channels * k * k))
    std = model.layer4[0].conv2.weight.std().item()
    assert std == pytest.approx((2 / (512 * 9)) ** 0.5, rel=0.05)
    assert torch.all(model.bn1.weight == 1) and torch.all(model.bn1.bias == 0)
    bound = 1 / 512**0.5
    assert model.fc.weight.abs().max() <= bound and model.fc.bias.abs().max() <= bound


def test_untrained_model_activations_stay_finite_at_depth(model50):
    x = torch.randn(1, 3, 64, 64, generator=torch.Generator().manual_seed(0))
    with torch.inference_mode():
        logits = model50(x)
    assert logits.shape == (1, 1000)
    assert torch.isfinite(logits).all()
    assert logits.std() > 0


def test_relus_are_separate_and_not_inplace(model50):
    block = model50.layer1[0]
    relus = [block.relu1, block.relu2, block.relu3]
    assert len({id(r) for r in relus}) == 3
    assert not any(r.inplace for r in relus) and not model50.relu.inplace


def test_bottleneck_puts_the_stride_on_the_3x3():
    block = model = resnet50(seed=None).layer2[0]
    assert block.conv1.stride == (1, 1) and block.conv2.stride == (2, 2)
    assert block.downsample[0].stride == (2, 2)
    del model


def test_make_layer_adds_downsample_only_when_the_shape_changes():
    same = make_layer(BasicBlock, 64, 64, 2, stride=1)
    assert same[0].downsample is None and same[1].downsample is None
    strided = make_layer(BasicBlock, 64, 128, 2, stride=2)
    assert isinstance(strided[0].downsample, nn.Sequential) and strided[1].downsample is None
    widened = make_layer(Bottleneck, 64, 64, 3, stride=1)  # 64 -> 256 channels
    assert widened[0].downsample[0].out_channels == 256
    assert widened[2].conv1.in_channels == 256
    with torch.inference_mode():
        assert widened(torch.zeros(1, 64, 8, 8)).shape == (1, 256, 8, 8)
        assert strided.eval()(torch.zeros(1, 64, 8, 8)).shape == (1, 128, 4, 4)
    with pytest.raises(ValueError, match="at least one block"):
        make_layer(BasicBlock, 64, 64, 0)


def test_the_factories_follow_the_architecture_table():
    from viewer.core.architectures import ARCHITECTURE_NAMES, ARCHITECTURE_SPECS

    assert tuple(ARCHITECTURES) == ARCHITECTURE_NAMES
    for name, factory in ARCHITECTURES.items():
        with torch.device("meta"):
            model = factory(seed=None)
        assert model.arch == name and model.layers == ARCHITECTURE_SPECS[name].layers
