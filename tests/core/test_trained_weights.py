"""A network trained in the app, saved as .safetensors, opens in the explorer's loader with the
dataset's class names, its preprocessing and a label saying how it was trained."""

import numpy as np
import pytest
import torch
from safetensors.torch import save_file

from viewer.core import forward
from viewer.core.trained_weights import read_trained
from viewer.core.training.networks import NetworkSpec, residual
from viewer.core.training.saving import description, save_network
from viewer.core.training.shapes import SHAPE_CLASSES, shapes_dataset
from viewer.core.training.trainer import Trainer, TrainingSettings
from viewer.core.weights import WeightsError, file_source, open_weights

SETTINGS = TrainingSettings(steps=2, batch_size=8, learning_rate=0.01, seed=4, eval_every=1)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    data = shapes_dataset(16, seed=0, train_per_class=4, test_per_class=2, cache_dir=tmp_path_factory.mktemp("shapes"))
    trainer = Trainer(data, (NetworkSpec("resnet18"), residual(8)), SETTINGS, device="cpu")
    for _event in trainer.events():
        pass
    return trainer


def test_save_then_open_in_the_explorers_loader(trained, tmp_path):
    path = save_network(trained, 0, tmp_path / "net.safetensors")
    source = file_source(path)
    accuracy = trained.test_accuracies[0]
    assert source.label == f"trained here on shapes, {100 * accuracy:.1f}% test accuracy"
    assert source.class_names == SHAPE_CLASSES and source.trained
    assert source.preprocessing == trained.dataset.preprocessing and source.preprocessing.trained_size == 16
    model, opened = open_weights("resnet18", source)
    assert opened.class_names == SHAPE_CLASSES and opened.preprocessing.name == "shapes"
    reference = trained.models[0].eval().state_dict()
    assert all(torch.equal(value, reference[key]) for key, value in model.state_dict().items())
    # the forward pass normalises as in training and names the dataset's classes
    image = trained.dataset.test_images[0].astype(np.float32) / 255
    request = forward.ForwardRequest("resnet18", 16, image, source, "layer1", forward.ViewSettings())
    result, _ = forward.run_forward(request)
    with torch.no_grad():
        expected = trained.models[0](trained.dataset.batch(trained.dataset.test_images, [0]))[0].numpy()
    assert np.allclose(result.logits, expected, atol=1e-4)
    assert result.names_known and {p.name for p in result.top5} <= set(SHAPE_CLASSES)


def test_what_the_file_says(trained, tmp_path):
    path = save_network(trained, 0, tmp_path / "net.safetensors")
    described = read_trained(path)
    assert described == description(trained, 0)
    assert (described.network, described.arch, described.steps, described.seed) == ("ResNet18", "resnet18", 2, 4)
    assert "ResNet18 trained here for 2 steps on shapes (10 classes, 16x16, seed 4)" == described.how


def test_a_cifar_family_network_is_refused_with_a_sentence(trained, tmp_path):
    path = save_network(trained, 1, tmp_path / "resnet8.safetensors")
    assert read_trained(path).arch is None
    with pytest.raises(WeightsError, match="ResNet-8, a network of the ResNet paper's CIFAR family"):
        file_source(path)


def test_other_files_are_not_described(tmp_path):
    plain_file = tmp_path / "plain.safetensors"
    save_file({"w": torch.zeros(2)}, str(plain_file), metadata={"format": "something else"})
    assert read_trained(plain_file) is None and file_source(plain_file).label == "file: plain.safetensors"
    damaged = tmp_path / "damaged.safetensors"
    damaged.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json")
    assert read_trained(damaged) is None
    assert read_trained(tmp_path / "weights.pth") is None
