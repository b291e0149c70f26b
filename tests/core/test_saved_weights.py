"""Torchvision-layout files saved by the explorer: they reopen with the same numbers."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import torch
from safetensors import safe_open

from viewer.core.conventions import MINDSPORE_ZOO, TORCHVISION
from viewer.core.errors import UserError
from viewer.core.mindspore_weights import save_mindspore_checkpoint
from viewer.core.saved_weights import read_saved_facts, save_torchvision_weights, saved_metadata
from viewer.core.weights import (
    RANDOM,
    WeightsError,
    build_model,
    file_source,
    load_state_dict_file,
    open_weights,
)


@pytest.fixture(scope="module")
def zoo_file(tmp_path_factory):
    """A model-zoo ResNet50 checkpoint with 10 classes and non-trivial batch-norm statistics, opened."""
    torch.manual_seed(0)
    model = build_model("resnet50", seed=4, num_classes=10, convention=MINDSPORE_ZOO)
    with torch.no_grad():
        for name, buffer in model.named_buffers():
            if name.endswith("running_var"):
                buffer.uniform_(0.5, 2.0)
            elif name.endswith("running_mean"):
                buffer.normal_(0, 0.2)
    path = save_mindspore_checkpoint(model, tmp_path_factory.mktemp("zoo") / "zoo.ckpt")
    return open_weights("resnet50", file_source(path))


def _logits(model, size):
    x = torch.randn(1, 3, size, size, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        return model.eval()(x)


@pytest.mark.parametrize("suffix", [".safetensors", ".pth"])
def test_a_mindspore_network_saved_in_torchvision_layout_reopens_with_the_same_numbers(tmp_path, zoo_file, suffix):
    model, source = zoo_file
    path = save_torchvision_weights(model, source, tmp_path / f"net{suffix}")
    state = load_state_dict_file(path)  # a plain torchvision state_dict
    assert set(state) == set(model.state_dict())
    reopened, again = open_weights("resnet50", file_source(path))
    assert again.convention == MINDSPORE_ZOO and again.preprocessing == source.preprocessing
    assert again.class_names == source.class_names
    assert again.label == f"file: net{suffix}, saved from {source.label}"
    for size in (32, 33, 224):
        torch.testing.assert_close(_logits(reopened, size), _logits(model, size), rtol=0, atol=0)
    plain = build_model("resnet50", num_classes=10)  # what a plain torchvision ResNet computes
    plain.load_state_dict(state)
    assert not torch.allclose(_logits(plain, 32), _logits(model, 32), rtol=1e-3, atol=1e-3)


def test_the_metadata_says_it_in_a_sentence(tmp_path, zoo_file):
    model, source = zoo_file
    path = save_torchvision_weights(model, source, tmp_path / "net.safetensors")
    with safe_open(str(path), framework="pt") as handle:
        metadata = handle.metadata()
    assert metadata["cnn_viewer.padding"] == "same" and float(metadata["cnn_viewer.bn_eps"]) == 1e-4
    assert "a plain torchvision ResNet computes different numbers" in metadata["cnn_viewer.note"]
    assert json.loads(metadata["cnn_viewer.class_names"])[3] == "cat"
    assert json.loads(metadata["cnn_viewer.preprocessing"])["std"] == [0.2023, 0.1994, 0.2010]


def test_torchvision_weights_say_they_need_nothing_else():
    note = saved_metadata(RANDOM, "resnet18")["cnn_viewer.note"]
    assert note.startswith("Computed with torchvision's convention")


def test_the_users_class_names_win_over_the_files(tmp_path, zoo_file):
    model, source = zoo_file
    path = save_torchvision_weights(model, source, tmp_path / "net.safetensors")
    names = tuple(f"kind {i}" for i in range(10))
    _, opened = open_weights("resnet50", replace(file_source(path), class_names=names))
    assert opened.class_names == names


def test_other_files_have_no_saved_facts(tmp_path, zoo_file):
    model, _ = zoo_file
    torch.save(model.state_dict(), tmp_path / "plain.pth")
    assert read_saved_facts(tmp_path / "plain.pth") is None
    assert read_saved_facts(tmp_path / "none.pth") is None
    _, source = open_weights("resnet50", file_source(tmp_path / "plain.pth"))
    assert source.convention == TORCHVISION


def test_damaged_metadata_is_a_sentence(tmp_path, zoo_file):
    model, source = zoo_file
    path = save_torchvision_weights(model, source, tmp_path / "net.pth")
    contents = torch.load(path, weights_only=True)
    contents["cnn_viewer"]["bn_eps"] = "tiny"
    torch.save(contents, path)
    with pytest.raises(WeightsError, match="saved by cnn-viewer, but its metadata is damaged"):
        open_weights("resnet50", file_source(path))


def test_only_torchvision_suffixes_are_written(tmp_path, zoo_file):
    model, source = zoo_file
    with pytest.raises(UserError, match=r"ending in \.safetensors or \.pth"):
        save_torchvision_weights(model, source, tmp_path / "net.bin")
    with pytest.raises(UserError, match="Cannot write"):
        save_torchvision_weights(model, source, tmp_path / "missing" / "net.pth")
