"""The ResNet explorer's model driven without Qt: its fall-back policy, its one channel, the
receptive field, the kernel for the convolution lab, and which views it rebuilds.

These tests do not need Qt (the Qt-free run blocks it): they call the model as the page would,
run the jobs it hands out on this thread and give it their results. ResNet18 at 32x32 keeps
them quick.
"""

from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from viewer.core import activations, download
from viewer.core.images import DecodedImage
from viewer.core.samples import load_sample
from viewer.core.weights import RANDOM, WeightsError, build_model
from viewer.models.explorer import (
    DEFAULT_VARIANT,
    ArchitectureSwitch,
    ExplorerModel,
    Rebuild,
    Recovery,
)
from viewer.models.jobs import Job, Refusal


@pytest.fixture(scope="module")
def astronaut():
    return load_sample("astronaut")


def run_forward(model: ExplorerModel, job: Job) -> Rebuild:
    """Run a forward job as the page's worker would, and hand the model its result."""
    assert isinstance(job, Job)
    return model.accept_forward(*job.run())


def failure_of(job: Job) -> Exception:
    """The error a forward job fails with."""
    with pytest.raises(Exception) as caught:
        job.run()
    return caught.value


def show(model: ExplorerModel, node: str) -> Rebuild:
    """Select a node and render it, as a click in the tree does."""
    job = model.select_node(node)
    assert isinstance(job, Job)
    return model.accept_render(job.run())


@pytest.fixture
def model(astronaut):
    model = ExplorerModel()
    assert model.set_arch("resnet18") is None and model.set_size(32) is None  # nothing runs without an image
    assert run_forward(model, model.set_image(astronaut)) == Rebuild(stages=True, block=True)  # the default block
    return model


def test_nothing_is_computed_before_an_image_arrives():
    model = ExplorerModel()
    assert (model.arch, model.size, model.weights, model.node) == ("resnet50", 224, RANDOM, "layer1")
    assert model.use_random_weights() is None and model.render_job() is None
    assert model.select_node("layer2") is None and model.node == "layer2"  # remembered for the first pass
    assert model.select_pixel(0, 1, 1) is None and model.current_channel_map() is None and model.conv_setup() is None
    assert model.channel_limit() == 0


def test_the_first_result_shows_the_node_asked_for(astronaut):
    model = ExplorerModel(mosaic_aspect=lambda: 3.0)
    model.set_arch("resnet18")
    model.set_size(32)
    model.select_node("layer2")
    job = model.set_image(astronaut)
    request = job.args[0]
    assert (request.arch, request.size, request.node, request.view.aspect) == ("resnet18", 32, "layer2", 3.0)
    run_forward(model, job)
    assert model.result.size_hw == (32, 32) and model.node_view.name == "layer2"
    assert [row.name for row in model.stages][:2] == ["conv1", "conv2_x"] and len(model.stages) == 6
    assert model.last_error is None and model.switch is None


def test_view_settings_rerender_the_node(model):
    job = model.set_view("channel", "mean")
    result, node, view = job.args
    assert result is model.result and node == "layer1" and (view.scope, view.sort) == ("channel", "mean")
    model.accept_render(job.run())
    assert model.node_view.mosaic.scope == "channel" and model.node_view.mosaic.sort == "mean"
    assert model.select_node("layer1") is None  # already shown
    assert model.select_node("no.such.node") is None and model.node == "no.such.node"


def test_the_tree_is_rebuilt_only_for_another_architecture_or_size(model, astronaut):
    flipped = DecodedImage(np.ascontiguousarray(astronaut.pixels[:, ::-1]), "flipped", "test")
    assert run_forward(model, model.set_image(flipped)).stages is False
    assert run_forward(model, model.set_size(64)).stages is True
    assert run_forward(model, model.set_arch("resnet34")).stages is True


def test_the_block_dissection_is_rebuilt_for_another_block_or_result(model):
    assert model.block.name == "layer1.0"  # the default, shown before any block was chosen
    assert show(model, "layer1.0.conv1") == Rebuild(stages=False, block=False)  # that very block
    assert model.block.name == "layer1.0" and model.diagram[0] == "layer1.0: building block"
    assert show(model, "layer1.0.bn2").block is False  # the same block of the same result
    assert model.batch_norm is not None and model.batch_norm.name == "layer1.0.bn2"
    assert show(model, "layer1.1").block is True and model.block.name == "layer1.1"
    assert show(model, "conv1").block is False
    assert model.diagram is None and model.batch_norm.name == "layer1.0.bn2"  # the last ones stay
    assert model.block.name == "layer1.1"  # stays on screen outside blocks
    rebuild = run_forward(model, model.forward_job())
    assert rebuild.block is True  # conv1 is in no block: the last block, of the new result
    assert model.block.name == "layer1.1" and model.batch_norm.name == "layer1.0.bn2"
    assert show(model, "layer1.1.conv1").block is False  # same block, same result


def test_batch_norm_and_block_views_open_on_a_default_layer(astronaut):
    model = ExplorerModel()
    model.set_arch("resnet18")
    model.set_size(32)
    run_forward(model, model.set_image(astronaut))
    assert model.node_view.name == "layer1"  # neither a batch norm nor a block
    assert model.batch_norm.name == "layer1.0.bn1" and model.block.name == "layer1.0"
    np.testing.assert_array_equal(model.batch_norm.outputs, model.result.maps("layer1.0.bn1"))


def test_one_channel_for_every_view_reset_by_a_narrower_node(model):
    show(model, "layer2")  # 128 channels
    model.select_pixel(100, 0, 0)
    assert model.channel == 100 and model.node_channel == 100
    model.set_channel(1000)
    assert model.channel == 127  # within the node's channels
    model.set_channel(-3)
    assert model.channel == 0
    model.set_channel(90)
    show(model, "layer1")  # 64 channels: the channel starts again at 0
    assert model.channel == 0
    model.set_channel(40)
    show(model, "layer2.0.bn1")  # 128 channels: the channel stays
    assert model.channel == 40 and model.current_channel_map()[1] == "layer2.0.bn1 channel 40"
    np.testing.assert_array_equal(model.channel_map(), model.result.maps("layer2.0.bn1")[40])


def test_a_block_wider_than_its_node_wraps_the_channel(astronaut):
    model = ExplorerModel()
    model.set_arch("resnet50")
    model.set_size(32)
    run_forward(model, model.set_image(astronaut))
    show(model, "layer1.0.conv1")  # 64 channels in a bottleneck block of 256
    assert model.channel_count() == 64 and model.channel_limit() == 256
    model.set_channel(200)  # chosen in the block dissection
    assert model.channel == 200 and model.node_channel == 200 % 64
    assert model.current_channel_map()[1] == "layer1.0.conv1 channel 8"
    assert model.conv_setup().label.endswith("output channel 8")


def test_the_receptive_field_of_a_pixel(model):
    show(model, "conv1")
    region = model.select_pixel(5, 10, 0)
    # conv1: 7x7, stride 2, padding 3 -> rows 2*10-3 .. 2*10+3, columns clipped at 0
    assert (region.top, region.bottom, region.left, region.right) == (17, 23, 0, 3)
    assert model.field == region and model.pixel == (10, 0) and model.channel == 5
    show(model, "layer1")
    assert model.field is None and model.pixel is None


@pytest.mark.parametrize(("conv", "source"), [("layer1.0.conv2", "layer1.0.relu1"), ("layer2.0.downsample.0", "layer1"), ("conv1", None)])
def test_the_kernel_to_step_reproduces_the_layer(model, conv, source):
    show(model, conv)
    model.set_channel(4)
    assert model.shows_convolution()
    setup = model.conv_setup()
    if source is not None:
        np.testing.assert_array_equal(setup.x, model.result.maps(source))
    out = F.conv2d(torch.from_numpy(setup.x)[None], torch.from_numpy(setup.kernel)[None], torch.tensor([setup.bias]),
                   setup.stride, setup.padding, setup.dilation)[0, 0]
    np.testing.assert_allclose(out.numpy(), model.result.maps(conv)[4], atol=1e-4)


def test_only_a_convolution_has_a_kernel_to_step(model):
    show(model, "layer1.0.bn1")
    assert not model.shows_convolution() and model.conv_setup() is None


def test_a_file_of_another_depth_switches_the_architecture(model, tmp_path):
    path = tmp_path / "r34.pth"
    torch.save(build_model("resnet34", seed=4).state_dict(), path)
    job = model.use_weights_file(path)  # resnet18 is selected
    recovery = model.forward_failed(failure_of(job))
    assert recovery.switch == ArchitectureSwitch("r34.pth", "resnet34", "resnet18") and recovery.fallback is None
    assert model.arch == "resnet34" and model.last_error is None
    run_forward(model, recovery.job)
    assert model.switch == recovery.switch  # the result says why the architecture changed, once
    assert model.result.arch == "resnet34" and model.result.weights.path == str(path)
    assert torch.equal(model.result.model.conv1.weight, torch.load(path)["conv1.weight"])
    # choosing another architecture by hand does not jump back: the file no longer fits
    error = failure_of(model.set_arch("resnet18"))
    recovery = model.forward_failed(error)
    assert recovery.switch is None and recovery.fallback == RANDOM  # the last result used that very file
    assert model.weights == RANDOM and model.last_error is error
    run_forward(model, recovery.job)
    assert model.result.arch == "resnet18" and model.result.weights == RANDOM and model.switch is None


def test_a_broken_file_falls_back_to_the_weights_that_worked(model, tmp_path):
    good = tmp_path / "good.pth"
    torch.save(build_model("resnet18", seed=5).state_dict(), good)
    run_forward(model, model.use_weights_file(good))
    assert model.result.weights.path == str(good)
    truncated = tmp_path / "truncated.pth"
    truncated.write_bytes(good.read_bytes()[:5000])
    error = failure_of(model.use_weights_file(truncated))
    assert isinstance(error, WeightsError) and "truncated.pth" in str(error)
    recovery = model.forward_failed(error)
    assert recovery.switch is None and recovery.fallback.path == str(good) and model.weights.path == str(good)
    run_forward(model, recovery.job)
    assert model.result.weights.path == str(good) and model.last_error is None


def test_a_file_that_cannot_be_looked_at_is_refused(model, tmp_path):
    refusal = model.use_weights_file(tmp_path / "nothing.pth")
    assert isinstance(refusal, Refusal) and "Cannot read" in refusal.message
    assert model.weights == RANDOM


def test_other_failures_keep_the_weights_and_the_last_result(model, astronaut, monkeypatch):
    previous = model.result

    def too_small(_model, size):
        raise activations.InputTooSmallError(f"An input of {size[0]}x{size[1]} pixels is too small.")

    monkeypatch.setattr(activations, "output_shapes", too_small)
    error = failure_of(model.set_size(64))
    assert model.forward_failed(error) == Recovery()
    assert model.result is previous and model.weights == RANDOM and model.last_error is error


def test_downloaded_weights_are_used_on_their_architecture(model, tmp_path, monkeypatch):
    def fake_download(variant, progress, cancelled, url=None):
        assert (variant, url, cancelled()) == (DEFAULT_VARIANT, "http://mirror/r50.pth", False)
        for done in (0, 50, 100):
            progress(done, 100)
        return tmp_path / "r50.pth"

    monkeypatch.setattr(download, "download_weights", fake_download)
    job = model.download(url="http://mirror/r50.pth")
    fractions = []
    path = job.run(progress=fractions.append, cancelled=lambda: False)
    assert fractions == [0.0, 0.5, 1.0] and isinstance(path, Path)
    job = model.downloaded(path)
    assert model.weights.kind == "imagenet" and model.weights.path == str(path)
    assert model.arch == "resnet50" and job.args[0].arch == "resnet50" and model.download_variant is None


def test_weights_full_of_nan_are_refused_and_the_last_ones_stay(model, tmp_path):
    good = tmp_path / "good.pth"
    torch.save(build_model("resnet18", seed=5).state_dict(), good)
    run_forward(model, model.use_weights_file(good))
    state = build_model("resnet18", seed=5).state_dict()
    state["layer2.0.conv1.weight"][0, 0, 0, 0] = float("nan")
    bad = tmp_path / "nan.pth"
    torch.save(state, bad)
    error = failure_of(model.use_weights_file(bad))
    assert isinstance(error, WeightsError) and "layer2.0.conv1.weight" in str(error)
    recovery = model.forward_failed(error)
    assert recovery.fallback.path == str(good)
    run_forward(model, recovery.job)
    assert all(bool(torch.isfinite(t).all()) for t in model.result.activations.values() if t.is_floating_point())


def test_class_names_of_ones_own_must_fit_fc(model, tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("\n".join(f"kind {i}" for i in range(1000)) + "\n\n", encoding="utf-8")
    run_forward(model, model.use_class_names_file(names))
    assert model.result.names_known and model.result.top5[0].name.startswith("kind ")
    names.write_text("cat\ndog\n", encoding="utf-8")
    refusal = model.use_class_names_file(names)
    assert isinstance(refusal, Refusal) and "names 2 classes, but the network has 1000 outputs" in refusal.message
    assert isinstance(model.use_class_names_file(tmp_path / "missing.txt"), Refusal)
    run_forward(model, model.set_class_names(None))
    assert not model.result.names_known  # random weights name nothing


@pytest.mark.parametrize("file_format, suffix", [("safetensors", ".safetensors"), ("pth", ".pth"), ("zoo", ".ckpt")])
def test_the_shown_network_is_saved_and_says_what_its_readers_compute(model, tmp_path, file_format, suffix):
    from viewer.core.conventions import MINDSPORE_ZOO_BASIC, TORCHVISION

    job = model.save_weights(tmp_path / f"net{suffix}", file_format)
    export = job.run()
    model.accept_saved(export)
    assert model.saved.path.exists() and model.saved.convention == TORCHVISION
    # the zoo's ResNet18 eps differ from torchvision's: MindSpore would compute other numbers
    assert model.saved.numbers_differ == (file_format == "zoo")
    assert export.readers_convention == (MINDSPORE_ZOO_BASIC if file_format == "zoo" else TORCHVISION)


def test_nothing_to_save_or_export_before_a_result():
    model = ExplorerModel()
    assert isinstance(model.save_weights("x.pth", "pth"), Refusal) and model.node_tensor() is None


def test_the_node_tensor_keeps_the_batch_dimension(model):
    assert model.node_tensor().shape == (1, 64, 8, 8)
    show(model, "fc")
    assert model.node_tensor().shape == (1, 1000) and np.array_equal(model.node_tensor()[0], model.result.logits)
