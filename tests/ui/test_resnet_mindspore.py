"""The explorer on MindSpore checkpoints: opening, the convention shown, every view, saving, NumPy."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from viewer.core.conventions import MINDSPORE_ZOO, MINDSPORE_ZOO_BASIC, TORCHVISION
from viewer.core.mindspore_ckpt import read_checkpoint, write_checkpoint
from viewer.core.mindspore_weights import save_mindspore_checkpoint
from viewer.core.receptive_field import Region
from viewer.core.samples import load_sample
from viewer.core.weights import build_model
from viewer.ui.resnet.page import ResNetExplorerPage


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory):
    """A model-zoo ResNet50 for CIFAR-10, the same as a training checkpoint, and a zoo ResNet18."""
    folder = tmp_path_factory.mktemp("ckpt")
    zoo = build_model("resnet50", seed=7, num_classes=10, convention=MINDSPORE_ZOO)
    path = save_mindspore_checkpoint(zoo, folder / "resnet50_cifar10.ckpt")
    values = dict(read_checkpoint(path).values)
    values.update({f"moments.{k}": np.zeros_like(v) for k, v in list(values.items()) if "moving" not in k})
    values.update(global_step=np.array([10], np.int32), learning_rate=np.array(0.1, np.float32))
    train = write_checkpoint(folder / "resnet-1_10.ckpt", values)
    small = save_mindspore_checkpoint(build_model("resnet18", seed=8, num_classes=10, convention=MINDSPORE_ZOO_BASIC),
                                      folder / "resnet18.ckpt")
    return {"zoo": path, "train": train, "resnet18": small}


@pytest.fixture
def page(qtbot, checkpoints):
    page = ResNetExplorerPage()
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()  # a hidden page computes nothing until it is shown
    page.controls.set_size(32)
    page.set_image(load_sample("cat"))
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60000)
    page.load_weights_file(checkpoints["zoo"])
    qtbot.waitUntil(lambda: not page.is_busy() and page.model.result.weights.kind == "file", timeout=60000)
    return page


def _select(qtbot, page, name):
    page.select_node(name)
    qtbot.waitUntil(lambda: not page.is_busy() and page.model.node_view.name == name, timeout=20000)


def test_a_zoo_checkpoint_is_named_and_its_convention_shown(page):
    weights = page.model.result.weights
    assert weights.label == "MindSpore model zoo checkpoint, 10 classes (resnet50_cifar10.ckpt)"
    assert weights.convention == MINDSPORE_ZOO and page.model.result.model.convention == MINDSPORE_ZOO
    assert "MindSpore model zoo checkpoint, 10 classes" in page.controls.weights_label.text()
    assert "padding: MindSpore 'same' (asymmetric)" in page.controls.convention_label.text()
    assert "batch-norm eps 0.0001" in page.controls.convention_label.text()
    cifar = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
    assert page.model.result.names_known and all(p.name == cifar[p.index] for p in page.model.result.top5)
    # the course's stage table, for MindSpore's padding too
    outputs = [page.architecture.table.item(row, 2).text() for row in range(6)]
    assert outputs == ["16x16, 64", "8x8, 256", "4x4, 512", "2x2, 1024", "1x1, 2048", "10"]


def test_every_view_works(qtbot, page):
    for name, tab in (("layer2.0.bn2", page.bn_view), ("layer3.1", page.block_view), ("layer1", page.pooling_view)):
        _select(qtbot, page, name)
        page.tabs.setCurrentWidget(tab)
    # layer1 is neither: the tabs keep the last batch norm and block shown
    assert page.model.batch_norm.name == "layer2.0.bn2" and page.model.block.name == "layer3.1"
    assert page.model.batch_norm.eps == pytest.approx(1e-4)


def test_the_receptive_field_and_the_kernel_follow_the_asymmetric_padding(qtbot, page):
    _select(qtbot, page, "conv1")
    page.select_pixel(0, 5, 5)
    assert page.model.field == Region(8, 8, 14, 14)  # torchvision's padding would give rows 7-13
    with qtbot.waitSignal(page.step_kernel) as sent:
        page.emit_step_kernel()
    setup = sent.args[0]
    assert setup.padding == (2, 2) and setup.padding_end == (3, 3)
    np.testing.assert_allclose(setup.steps().output, page.model.result.maps("conv1")[0], rtol=1e-4, atol=1e-4)


def test_the_training_state_is_left_out_and_reported(qtbot, page, checkpoints):
    page.load_weights_file(checkpoints["train"])
    qtbot.waitUntil(lambda: not page.is_busy() and "resnet-1_10" in page.model.result.weights.label, timeout=60000)
    assert len(page.model.result.weights.dropped) == 161 + 2
    assert "Left out of the file" in page.status.text() and "moments.* (161)" in page.status.text()


def test_another_depth_switches_the_architecture(qtbot, page, checkpoints):
    page.load_weights_file(checkpoints["resnet18"])
    qtbot.waitUntil(lambda: not page.is_busy() and page.model.result.arch == "resnet18", timeout=60000)
    assert page.model.result.weights.convention == MINDSPORE_ZOO_BASIC
    assert "padding: torchvision (symmetric), batch-norm eps 1e-05 / 0.0001" in page.controls.convention_label.text()


def test_an_encrypted_checkpoint_is_refused_with_a_sentence(qtbot, page, tmp_path):
    bad = tmp_path / "secret.ckpt"
    bad.write_bytes(b"\xd9\x5e\x3a\x7f" + bytes(100))
    errors = []
    page.error_occurred.connect(errors.append)
    page.load_weights_file(bad)
    qtbot.waitUntil(lambda: bool(errors) and not page.is_busy(), timeout=60000)
    assert "encrypted MindSpore checkpoint (AES-CBC)" in errors[0]
    assert page.model.result.weights.convention == MINDSPORE_ZOO  # the checkpoint that worked stays


def test_the_node_is_exported_as_numpy(qtbot, page, tmp_path):
    _select(qtbot, page, "fc")
    logits = np.load(page.files.export_npy(tmp_path / "logits"))
    assert logits.shape == (1, 10) and np.array_equal(logits[0], page.model.result.logits)
    _select(qtbot, page, "layer2.0.conv2")
    assert np.load(page.files.export_npy(tmp_path / "maps.npy")).shape == (1, 128, 4, 4)


def test_saved_in_torchvision_layout_it_reopens_with_the_same_numbers(qtbot, page, tmp_path):
    logits = page.model.result.logits.copy()
    page.files.save_weights(tmp_path / "net.safetensors", "safetensors")
    qtbot.waitUntil(lambda: page.model.saved is not None and not page.is_busy(), timeout=60000)
    assert page.model.saved.numbers_differ and page.model.saved.readers_convention == TORCHVISION
    assert "a plain torchvision ResNet computes different numbers from it" in page.files.save_notice.text()
    page.load_weights_file(tmp_path / "net.safetensors")
    qtbot.waitUntil(lambda: not page.is_busy() and "net.safetensors" in page.model.result.weights.label, timeout=60000)
    assert page.model.result.weights.convention == MINDSPORE_ZOO
    np.testing.assert_array_equal(page.model.result.logits, logits)


def test_saved_as_a_checkpoint_with_the_tutorials_names(qtbot, page, tmp_path):
    page.files.save_weights(tmp_path / "tutorial", "tutorial")
    qtbot.waitUntil(lambda: page.model.saved is not None and not page.is_busy(), timeout=60000)
    assert page.model.saved.path.name == "tutorial.ckpt" and page.model.saved.numbers_differ  # eps 1e-5 there
    assert "norm.gamma" in read_checkpoint(tmp_path / "tutorial.ckpt").values
    assert "computes different numbers than the explorer showed" in page.files.save_notice.text()


def test_class_names_of_ones_own(qtbot, page, tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("\n".join(f"thing {i}" for i in range(10)), encoding="utf-8")
    page.files.use_class_names_file(names)
    qtbot.waitUntil(lambda: not page.is_busy() and page.model.result.top5[0].name.startswith("thing"), timeout=60000)
    errors = []
    page.error_occurred.connect(errors.append)
    names.write_text("one\ntwo\n", encoding="utf-8")
    page.files.use_class_names_file(names)
    assert errors == ["The file names 2 classes, but the network has 10 outputs: give one name per output, in label order."]
    assert torch.is_tensor(page.model.result.activations["fc"])
