"""Weights: seeded default, files (and every way they can be wrong), top-k.

The download of the official weights is tested in test_download.py.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from viewer.core.classes import imagenet_classes, top_k
from viewer.core.errors import UserError
from viewer.core.preprocess import IMAGENET
from viewer.core.resnet import ARCHITECTURES, resnet18
from viewer.core.weights import (
    RANDOM,
    RANDOM_LABEL,
    WeightsError,
    WeightsSource,
    build_model,
    file_source,
    guess_architecture,
    load_state_dict_file,
    load_weights,
    load_weights_file,
    open_weights,
)

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def state50(torchvision_state):
    return torchvision_state("resnet50")


@pytest.fixture(scope="module")
def state18(torchvision_state):
    return torchvision_state("resnet18")


class Hostile:
    """Unpickling this would create the marker file: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


# ------------------------------------------------------------------------- default model


def test_build_model_is_the_labelled_deterministic_default():
    a, b = build_model("resnet18", seed=4), build_model("resnet18", seed=4)
    assert not a.training
    assert torch.equal(a.layer3[1].conv2.weight, b.layer3[1].conv2.weight)
    assert RANDOM == WeightsSource("random", "untrained (random)", "", "random") and RANDOM.is_random
    assert RANDOM_LABEL == "untrained (random)"
    with pytest.raises(WeightsError, match="Unknown architecture 'resnet5'"):
        build_model("resnet5")


# ----------------------------------------------------------------------- strict loading


def test_torchvision_state_dict_loads_strictly_into_resnet50(state50):
    model = load_weights("resnet50", state50)
    assert model.arch == "resnet50" and not model.training
    loaded = model.state_dict()
    assert set(loaded) == set(state50)
    for key, value in state50.items():
        assert torch.equal(loaded[key], value), key
    assert model.layer4[2].bn3.num_batches_tracked.item() == 7


def test_loading_by_name_skips_the_initialisation_it_would_overwrite(state18, monkeypatch):
    import viewer.core.resnet as resnet

    def refuse(*_args, **_kwargs):
        raise AssertionError("a strict load initialised the weights first")

    monkeypatch.setattr(resnet, "initialise", refuse)
    model = load_weights("resnet18", state18)  # every value from the file, none drawn
    for key, value in model.state_dict().items():
        assert torch.equal(value, state18[key]), key
    with pytest.raises(WeightsError, match="Unknown architecture 'resnet5'"):
        load_weights("resnet5", state18)


def test_load_weights_into_an_existing_model(state18):
    model = resnet18(seed=0)
    assert load_weights(model, state18) is model
    assert torch.equal(model.fc.weight, state18["fc.weight"])


def test_load_weights_builds_the_files_number_of_classes(state18):
    state = dict(state18, **{"fc.weight": torch.zeros(10, 512), "fc.bias": torch.zeros(10)})
    assert load_weights("resnet18", state).fc.out_features == 10


def test_guess_architecture():
    for arch, factory in ARCHITECTURES.items():
        with torch.device("meta"):
            keys = factory(seed=None).state_dict()
        assert guess_architecture(keys) == arch
    assert guess_architecture({"features.0.weight": torch.zeros(1)}) is None
    assert guess_architecture({}) is None


def test_mismatch_names_the_lookalike_and_the_keys(state18, state50):
    with pytest.raises(WeightsError) as info:
        load_weights("resnet50", state18)
    message = str(info.value)
    assert "do not fit resnet50" in message and "look like a resnet18" in message
    assert "Missing (198): layer1.0.conv3.weight" in message
    assert "Unexpected" not in message  # resnet18's names are all resnet50 names
    assert "layer1.0.conv1.weight (64x64x3x3 in the file, 64x64x1x1 in the model)" in message
    assert isinstance(info.value, UserError)
    with pytest.raises(WeightsError) as info:
        load_weights("resnet18", state50)
    message = str(info.value)
    assert "do not fit resnet18" in message and "look like a resnet50" in message
    assert "Unexpected (198): layer1.0.conv3.weight" in message and ", ..." in message
    assert "Missing" not in message and "Wrong shape (" in message


def test_wrong_number_of_classes_is_a_wrong_shape(state50):
    state = dict(state50, **{"fc.weight": torch.zeros(10, 2048), "fc.bias": torch.zeros(10)})
    with pytest.raises(WeightsError, match=r"look like a resnet50 too.*Wrong shape \(2\): fc.weight \(10x2048 in the file, 1000x2048"):
        load_weights(build_model("resnet50"), state)


def test_one_missing_key_is_reported(state18):
    state = dict(state18)
    del state["layer4.1.bn2.running_var"]
    with pytest.raises(WeightsError, match=r"Missing \(1\): layer4.1.bn2.running_var\."):
        load_weights("resnet18", state)


# ------------------------------------------------------------------------------- files


def test_pth_round_trip_with_wrappers_and_prefixes(tmp_path):
    state = {"conv1.weight": torch.ones(2, 3), "bn1.bias": torch.zeros(2)}
    variants = {
        "plain.pth": state,
        "checkpoint.pt": {"epoch": 3, "state_dict": {f"module.{k}": v for k, v in state.items()}},
        "model.pth": {"model": state, "optimizer": {"lr": 0.1}},
    }
    for name, contents in variants.items():
        torch.save(contents, tmp_path / name)
        loaded = load_state_dict_file(tmp_path / name)
        assert list(loaded) == list(state), name
        assert torch.equal(loaded["conv1.weight"], state["conv1.weight"])
    torch.save(state, tmp_path / "legacy.pt", _use_new_zipfile_serialization=False)
    assert list(load_state_dict_file(tmp_path / "legacy.pt")) == list(state)


def test_safetensors_file_loads_into_a_model(tmp_path, state18):
    path = tmp_path / "r18.safetensors"
    save_file(state18, str(path))
    model, label = load_weights_file(path)
    assert model.arch == "resnet18"
    assert torch.equal(model.layer2[0].downsample[0].weight, state18["layer2.0.downsample.0.weight"])
    assert label == WeightsSource("file", "file: r18.safetensors", str(path), f"{path}:{path.stat().st_mtime_ns}")
    assert not label.is_random


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_every_file_error(tmp_path):
    good = tmp_path / "good.pth"
    torch.save({"a": torch.zeros(100)}, good)
    legacy = tmp_path / "legacy.pt"
    torch.save({"a": torch.zeros(100)}, legacy, _use_new_zipfile_serialization=False)
    safe = tmp_path / "good.safetensors"
    save_file({"a": torch.zeros(100)}, str(safe))
    torch.save([torch.zeros(1)], tmp_path / "list.pth")
    torch.save(torch.zeros(3), tmp_path / "tensor.pth")
    torch.save({"a": torch.zeros(1), "epoch": 3}, tmp_path / "mixed.pth")
    torch.save({}, tmp_path / "empty_dict.pth")
    torch.save(torch.nn.Linear(2, 2), tmp_path / "whole_module.pth")
    cases = {
        tmp_path / "missing.pth": "no file at",
        tmp_path: "is a folder",
        _write(tmp_path / "empty.pth", b""): "is empty",
        _write(tmp_path / "short.pth", good.read_bytes()[:300]): "truncated or damaged",
        _write(tmp_path / "short.pt", legacy.read_bytes()[:-40]): "damaged",
        _write(tmp_path / "short.safetensors", safe.read_bytes()[:-7]): "truncated or corrupted",
        _write(tmp_path / "notes.pth", b"these are not weights"): "neither a PyTorch",
        _zip(tmp_path / "photos.pth", {"a.jpg": b"x", "b.txt": b"y"}): r"zip archive but not a PyTorch weights file .*a\.jpg, b\.txt",
        _zip(tmp_path / "nothing.pth", {}): "zip archive but not a PyTorch weights file",
        tmp_path / "list.pth": "does not hold a state_dict .* but a list",
        tmp_path / "tensor.pth": "but a Tensor",
        tmp_path / "mixed.pth": "entry 'epoch' is a int, not a tensor",
        tmp_path / "empty_dict.pth": "empty state_dict",
        tmp_path / "whole_module.pth": r"Refused .*torch.nn.modules.linear.Linear.*state_dict\(\)",
    }
    for path, pattern in cases.items():
        with pytest.raises(WeightsError, match=pattern) as caught:
            load_state_dict_file(path)
        # a sentence, never a library's internals
        assert not any(word in str(caught.value) for word in ("enforce", ".cc", "Traceback", "PytorchStreamReader"))


@pytest.mark.parametrize("legacy", [False, True])
def test_hostile_pickle_is_refused_and_runs_nothing(tmp_path, legacy):
    marker = tmp_path / "code-ran.txt"
    path = tmp_path / "weights.pth"
    if legacy:
        path.write_bytes(pickle.dumps({"conv1.weight": Hostile(marker)}, protocol=2))
    else:
        torch.save({"conv1.weight": Hostile(marker)}, path)
    assert not marker.exists()
    with pytest.raises(WeightsError, match="Refused to load weights.pth.*Nothing from it was run"):
        load_state_dict_file(path)
    assert not marker.exists()
    with pytest.raises(WeightsError):
        load_weights_file(path)
    assert not marker.exists()


def test_load_weights_file_rejects_non_resnet(tmp_path):
    torch.save({"features.0.weight": torch.zeros(1)}, tmp_path / "vgg.pth")
    with pytest.raises(WeightsError, match="does not hold ResNet weights"):
        load_weights_file(tmp_path / "vgg.pth")


# ------------------------------------------------------------------------------- top-k


def test_class_names_and_top_k():
    names = imagenet_classes()
    assert len(names) == 1000 and len(set(names)) == 1000
    assert (names[0], names[281], names[504], names[999]) == ("tench", "tabby", "coffee mug", "toilet tissue")
    logits = torch.zeros(1, 1000)
    logits[0, 281], logits[0, 285], logits[0, 504] = 6.0, 5.0, 4.0
    best = top_k(logits, k=3)
    assert [(i, n) for i, n, _ in best] == [(281, "tabby"), (285, "Egyptian cat"), (504, "coffee mug")]
    probabilities = torch.softmax(logits[0].double(), 0)
    assert best[0][2] == pytest.approx(probabilities[281].item())
    assert top_k(torch.tensor([0.0, 2.0]), k=5) == [(1, "class 1", pytest.approx(0.8808, abs=1e-4)), (0, "class 0", pytest.approx(0.1192, abs=1e-4))]
    with pytest.raises(ValueError):
        top_k(torch.zeros(2, 1000))


def test_mismatch_error_carries_the_lookalike(state18):
    from viewer.core.weights import ArchitectureMismatchError

    with pytest.raises(ArchitectureMismatchError) as info:
        load_weights("resnet50", state18)
    assert info.value.looks_like == "resnet18" and info.value.arch == "resnet50"
    garbage = {"foo.weight": torch.zeros(1)}
    with pytest.raises(ArchitectureMismatchError) as info:
        load_weights("resnet18", garbage)
    assert info.value.looks_like is None


def test_open_weights_completes_the_source(tmp_path, state18):
    model, source = open_weights("resnet18", RANDOM)
    assert not model.training and source.is_random and not source.trained and source.class_names is None
    path = tmp_path / "r18.pth"
    torch.save(state18, path)
    model, source = open_weights("resnet18", file_source(path))
    assert torch.equal(model.fc.bias, state18["fc.bias"])
    assert source.trained and source.class_names == imagenet_classes() and source.preprocessing == IMAGENET
    ten = {key: value for key, value in state18.items()}
    ten["fc.weight"], ten["fc.bias"] = torch.zeros(10, 512), torch.zeros(10)
    torch.save(ten, path)
    model, source = open_weights("resnet18", file_source(path))
    assert model.num_classes == 10 and source.trained and source.class_names is None


@pytest.mark.parametrize("suffix", [".pth", ".safetensors"])
@pytest.mark.parametrize(
    "key, value, counted",
    [
        ("layer2.0.conv1.weight", float("nan"), "1 NaN"),
        ("bn1.running_var", float("inf"), "1 infinite"),
        ("fc.bias", float("-inf"), "1 infinite"),
    ],
)
def test_non_finite_weights_are_refused_naming_the_tensor(tmp_path, state18, suffix, key, value, counted):
    state = {k: v.clone() for k, v in state18.items()}
    state[key].view(-1)[0] = value
    path = tmp_path / f"diverged{suffix}"
    if suffix == ".pth":
        torch.save(state, path)
    else:
        save_file(state, str(path))
    with pytest.raises(WeightsError) as caught:
        load_state_dict_file(path)
    message = str(caught.value)
    assert f"{key} ({counted} of" in message and "diverged" in message and path.name in message
    with pytest.raises(WeightsError, match=key.replace(".", r"\.")):
        open_weights("resnet18", file_source(path))


def test_non_finite_message_names_the_first_tensors_and_counts_the_rest(tmp_path, state18):
    state = {k: v.clone() for k, v in state18.items()}
    bad = [k for k, v in state.items() if v.is_floating_point()][:6]
    for key in bad:
        state[key].fill_(float("nan"))
    path = tmp_path / "all_nan.pth"
    torch.save({"state_dict": state}, path)  # a checkpoint wrapper is unwrapped first
    with pytest.raises(WeightsError) as caught:
        load_state_dict_file(path)
    message = str(caught.value)
    assert "6 of its tensors" in message and "and 2 more" in message
    assert all(key in message for key in bad[:4]) and bad[4] not in message
