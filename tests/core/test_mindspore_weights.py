"""MindSpore ResNet checkpoints through the whole path: wire format, names, convention, model.

The ResNet50 checkpoints are written here in the wire format (the writer is checked byte for
byte against MindSpore's own files in test_mindspore_ckpt.py) under the names the model zoo and
the tutorial give their parameters, spelled out below from their sources, independently of the
viewer's mapping.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import save_file

from viewer.core.classes import CIFAR10_CLASSES
from viewer.core.conventions import MINDSPORE_TUTORIAL, MINDSPORE_ZOO, MINDSPORE_ZOO_BASIC
from viewer.core.mindspore_ckpt import read_checkpoint, write_checkpoint
from viewer.core.mindspore_weights import (
    describe_names,
    detect_family,
    is_mindspore_file,
    mindspore_values,
    save_mindspore_checkpoint,
)
from viewer.core.preprocess import CIFAR10_MEAN
from viewer.core.weights import (
    ArchitectureMismatchError,
    WeightsError,
    build_model,
    file_source,
    open_weights,
)

DATA = Path(__file__).resolve().parents[1] / "data"
BN_LEAVES = {"weight": "gamma", "bias": "beta", "running_mean": "moving_mean", "running_var": "moving_variance"}


def _bn_module(module: str) -> bool:
    return re.search(r"(^|\.)bn\d$", module) is not None or module.endswith("downsample.1")


def zoo_name(key: str, basic: bool = False) -> str:
    """The model zoo's name (official/cv/ResNet/src/resnet.py) of a torchvision key."""
    module, _, leaf = key.rpartition(".")
    if _bn_module(module):
        leaf = BN_LEAVES[leaf]
    module = "end_point" if module == "fc" else module.replace("downsample", "down_sample_layer")
    if basic:  # ResidualBlockBase calls its batch norms bn1d and bn2d
        module = re.sub(r"^(layer\d\.\d+\.bn\d)$", r"\1d", module)
    return f"{module}.{leaf}"


def tutorial_name(key: str) -> str:
    """The ResNet50 tutorial's name (norm, normK, down_sample, fc) of a torchvision key."""
    module, _, leaf = key.rpartition(".")
    if _bn_module(module):
        leaf = BN_LEAVES[leaf]
    module = "norm" if module == "bn1" else re.sub(r"\.bn(\d)$", r".norm\1", module).replace("downsample", "down_sample")
    return f"{module}.{leaf}"


def mindspore_checkpoint(state: dict[str, torch.Tensor], name, extra=None) -> dict[str, np.ndarray]:
    values = {name(key): value.numpy() for key, value in state.items() if not key.endswith("num_batches_tracked")}
    values.update(extra or {})
    return values


@pytest.fixture(scope="module")
def state50(torchvision_state):
    state = torchvision_state("resnet50", seed=3)
    state["fc.weight"] = state["fc.weight"][:10].clone()
    state["fc.bias"] = state["fc.bias"][:10].clone()
    return state


def _logits(model, size=32, seed=0):
    x = torch.randn(1, 3, size, size, generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        return model.eval()(x)


def _reference(state, convention, arch="resnet50"):
    model = build_model(arch, num_classes=state["fc.weight"].shape[0], convention=convention)
    model.load_state_dict({k: (torch.tensor(0) if k.endswith("num_batches_tracked") else v) for k, v in state.items()})
    return model


def test_a_model_zoo_resnet50_opens_with_the_zoos_convention(tmp_path, state50):
    path = tmp_path / "resnet50_cifar10.ckpt"
    write_checkpoint(path, mindspore_checkpoint(state50, zoo_name), crc=True)
    assert len(read_checkpoint(path).values) == 267 and is_mindspore_file(path)
    model, source = open_weights("resnet50", file_source(path))
    assert source.label == "MindSpore model zoo checkpoint, 10 classes (resnet50_cifar10.ckpt)"
    assert source.convention == MINDSPORE_ZOO and model.convention == MINDSPORE_ZOO and source.family == "zoo"
    assert source.class_names == CIFAR10_CLASSES and source.trained and source.dropped == ()
    assert source.preprocessing.mean == CIFAR10_MEAN and source.preprocessing.trained_size == 224
    loaded = model.state_dict()
    assert all(torch.equal(loaded[k], v) for k, v in state50.items() if not k.endswith("num_batches_tracked"))
    torch.testing.assert_close(_logits(model), _logits(_reference(state50, MINDSPORE_ZOO)), rtol=0, atol=0)


def test_a_tutorial_resnet50_opens_with_the_tutorials_convention(tmp_path, state50):
    path = tmp_path / "resnet50-best.ckpt"
    write_checkpoint(path, mindspore_checkpoint(state50, tutorial_name))
    model, source = open_weights("resnet50", file_source(path))
    assert source.label.startswith("MindSpore ResNet50 tutorial checkpoint, 10 classes")
    assert model.convention == MINDSPORE_TUTORIAL and source.family == "tutorial"
    assert source.preprocessing.trained_size == 32
    torch.testing.assert_close(_logits(model), _logits(_reference(state50, MINDSPORE_TUTORIAL)), rtol=0, atol=0)


def test_a_training_checkpoint_keeps_the_weights_and_reports_the_optimizer_state(tmp_path, state50):
    weights = mindspore_checkpoint(state50, zoo_name)
    optimizer = {f"moments.{name}": np.zeros_like(value) for name, value in weights.items() if "moving" not in name}
    counters = {"global_step": np.array([1950], np.int32), "learning_rate": np.array(0.01, np.float32),
                "momentum": np.array(0.9, np.float32), "epoch_num": np.array(10, np.int64),
                "step_num": np.array(1950, np.int64)}
    path = tmp_path / "resnet-10_195.ckpt"
    write_checkpoint(path, {**weights, **optimizer, **counters}, crc=True)
    model, source = open_weights("resnet50", file_source(path))
    assert len(source.dropped) == len(optimizer) + len(counters) == 161 + 5
    assert set(source.dropped) == set(optimizer) | set(counters)
    assert describe_names(source.dropped) == "moments.* (161), global_step, learning_rate, momentum and 2 more"
    torch.testing.assert_close(_logits(model), _logits(_reference(state50, MINDSPORE_ZOO)), rtol=0, atol=0)


def test_a_saved_train_network_with_a_prefix_and_adam_state(tmp_path, state50):
    weights = {f"network.{k}": v for k, v in mindspore_checkpoint(state50, zoo_name).items()}
    adam = {f"{slot}.{name}": np.zeros_like(value) for name, value in weights.items() for slot in ("adam_m", "adam_v")}
    path = tmp_path / "train.ckpt"
    write_checkpoint(path, {**weights, **adam, "beta1_power": np.array(0.9, np.float32)})
    model, source = open_weights("resnet50", file_source(path))
    assert len(source.dropped) == len(adam) + 1
    torch.testing.assert_close(_logits(model), _logits(_reference(state50, MINDSPORE_ZOO)), rtol=0, atol=0)


def test_mindspores_safetensors_variant_opens(tmp_path, state50):
    path = tmp_path / "resnet50.safetensors"
    tensors = {name: torch.from_numpy(value) for name, value in mindspore_checkpoint(state50, zoo_name).items()}
    save_file(dict(sorted(tensors.items())), str(path), metadata={"format": "ms"})
    model, source = open_weights("resnet50", file_source(path))
    assert source.label == "MindSpore model zoo checkpoint (safetensors), 10 classes (resnet50.safetensors)"
    torch.testing.assert_close(_logits(model), _logits(_reference(state50, MINDSPORE_ZOO)), rtol=0, atol=0)


def test_mindspores_own_small_safetensors_is_read_and_refused_as_no_resnet():
    assert is_mindspore_file(DATA / "mindspore_small.safetensors")
    with pytest.raises(WeightsError, match="not of a ResNet from MindSpore's model zoo or its ResNet50 tutorial"):
        open_weights("resnet50", file_source(DATA / "mindspore_small.safetensors"))


def test_mindspores_own_small_checkpoint_is_refused_as_no_resnet():
    with pytest.raises(WeightsError, match=r"first parameters: half, count, conv\.weight, conv\.bias"):
        open_weights("resnet50", file_source(DATA / "mindspore_small_crc.ckpt"))


def test_an_se_resnet_is_named(tmp_path, state50):
    values = mindspore_checkpoint(state50, zoo_name)
    values["layer3.5.se_dense_0.weight"] = np.zeros((256, 1024), np.float32)
    values["layer3.5.se_dense_0.bias"] = np.zeros(256, np.float32)
    write_checkpoint(tmp_path / "se.ckpt", values)
    with pytest.raises(WeightsError, match=r"holds a MindSpore SE-ResNet \(squeeze-and-excitation layers such as "
                                           r"layer3\.5\.se_dense_0\.weight\), not a plain ResNet"):
        open_weights("resnet50", file_source(tmp_path / "se.ckpt"))


def test_a_checkpoint_of_another_depth_says_which_it_looks_like(tmp_path, torchvision_state):
    state18 = torchvision_state("resnet18", seed=5)
    path = tmp_path / "resnet18.ckpt"
    write_checkpoint(path, mindspore_checkpoint(state18, lambda key: zoo_name(key, basic=True)))
    with pytest.raises(ArchitectureMismatchError, match="do not fit resnet50. They look like a resnet18") as caught:
        open_weights("resnet50", file_source(path))
    assert caught.value.looks_like == "resnet18"
    model, source = open_weights("resnet18", file_source(path))  # what the explorer switches to
    assert model.convention == MINDSPORE_ZOO_BASIC and source.class_names is not None  # 1000 classes: ImageNet's
    torch.testing.assert_close(_logits(model), _logits(_reference(state18, MINDSPORE_ZOO_BASIC, "resnet18")),
                               rtol=0, atol=0)


def test_a_damaged_checkpoint_falls_through_to_the_checkpoint_sentence(tmp_path, state50):
    path = tmp_path / "cut.ckpt"
    write_checkpoint(path, mindspore_checkpoint(state50, zoo_name))
    path.write_bytes(path.read_bytes()[: 5_000_000])
    with pytest.raises(WeightsError, match=r"cut\.ckpt is truncated: it ends too early inside the parameter 'layer"):
        open_weights("resnet50", file_source(path))
    (tmp_path / "junk.ckpt").write_bytes(b"not a checkpoint at all")
    with pytest.raises(WeightsError, match=r"junk\.ckpt is not a MindSpore checkpoint"):
        open_weights("resnet50", file_source(tmp_path / "junk.ckpt"))


def test_a_pytorch_lightning_ckpt_is_still_a_pytorch_file(tmp_path, torchvision_state):
    state = torchvision_state("resnet18")
    path = tmp_path / "lightning.ckpt"
    torch.save({"state_dict": {f"model.{k}": v for k, v in state.items()}, "epoch": 3}, path)
    assert not is_mindspore_file(path)
    model, source = open_weights("resnet18", file_source(path))
    assert source.label == "file: lightning.ckpt" and model.convention.padding == "torchvision"


@pytest.mark.parametrize("family, name", [("zoo", zoo_name), ("tutorial", tutorial_name)])
def test_our_weights_as_a_mindspore_checkpoint_use_the_familys_names(tmp_path, state50, family, name):
    model = _reference(state50, MINDSPORE_ZOO)
    path = save_mindspore_checkpoint(model, tmp_path / f"{family}.ckpt", family)
    checkpoint = read_checkpoint(path)
    assert checkpoint.crc_checked
    expected = mindspore_checkpoint(state50, name)
    assert set(checkpoint.values) == set(expected)
    assert all(np.array_equal(checkpoint.values[k], v) for k, v in expected.items())
    assert detect_family(checkpoint.values) == family


def test_the_tutorial_has_no_two_norm_building_block(torchvision_state):
    model = _reference(torchvision_state("resnet18"), MINDSPORE_ZOO_BASIC, "resnet18")
    assert set(mindspore_values(model, "zoo")) == {zoo_name(k, basic=True) for k in model.state_dict()
                                                   if not k.endswith("num_batches_tracked")}
    with pytest.raises(WeightsError, match="tutorial has no ResNet18/34 with two batch norms per block"):
        mindspore_values(model, "tutorial")


def test_family_detection_by_names():
    assert detect_family(["conv1.weight", "bn1.gamma", "end_point.weight"]) == "zoo"
    assert detect_family(["conv1.weight", "norm.gamma", "layer1.0.norm1.gamma", "fc.weight"]) == "tutorial"
    assert detect_family(["conv1.weight", "fc1.weight"]) is None
