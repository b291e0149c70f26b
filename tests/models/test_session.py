"""Sessions: round trips for every page and every kind of image source, damaged files, and the
first version's file (these tests do not require Qt)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from viewer.core.errors import UserError
from viewer.core.images import DecodedImage, decode_image
from viewer.core.samples import load_sample
from viewer.models.conv_lab import ConvLabModel
from viewer.models.explorer import ExplorerModel
from viewer.models.pooling_lab import PoolingLabModel
from viewer.models.session import (
    VERSION,
    capture,
    read_session,
    restore_conv,
    restore_explorer,
    restore_pooling,
    restore_shift,
    restore_training,
    session_image,
    session_page,
    write_session,
)
from viewer.models.shift import ShiftModel
from viewer.models.training_lab import TrainingLabModel
from viewer.pages import PAGE_IDS

DATA = Path(__file__).resolve().parents[1] / "data"


class Models:
    """One of each page model, as a window holds them."""

    def __init__(self) -> None:
        self.conv, self.conv_shift = ConvLabModel(), ShiftModel()
        self.pooling, self.pooling_shift = PoolingLabModel(), ShiftModel()
        self.explorer, self.training = ExplorerModel(), TrainingLabModel()

    def capture(self, page: str = "convolution", image: DecodedImage | None = None) -> dict:
        return capture(page, image, self.conv, self.conv_shift, self.pooling, self.pooling_shift, self.explorer,
                       self.training)

    def restore(self, path: Path):
        restoring = read_session(path)
        image = session_image(restoring)
        if image is not None:
            self.conv.set_image(image)
            self.pooling.set_image(image)
            self.explorer.set_image(image)
        restore_conv(restoring, self.conv)
        restore_shift(restoring, "convolution_shift", self.conv_shift)
        restore_pooling(restoring, self.pooling)
        restore_shift(restoring, "pooling_shift", self.pooling_shift)
        restore_explorer(restoring, self.explorer)
        restore_training(restoring, self.training)
        return restoring, image, session_page(restoring, PAGE_IDS)


def _round_trip(models: Models, tmp_path: Path, page: str = "convolution", image=None):
    path = write_session(tmp_path / "s.json", models.capture(page, image))
    again = Models()
    restoring, restored_image, restored_page = again.restore(path)
    return again, restoring, restored_image, restored_page


def _same_settings(a, b) -> None:
    for name in a.__dataclass_fields__:
        x, y = getattr(a, name), getattr(b, name)
        if isinstance(x, np.ndarray):
            np.testing.assert_array_equal(x, y)
        else:
            assert x == y, name


def test_a_conv_lab_with_a_typed_kernel_and_a_shift_comes_back(tmp_path):
    models = Models()
    cat = load_sample("cat")
    models.conv.set_image(cat)
    models.conv.set_settings(replace(models.conv.settings, source="rgb", preset="sobel_x", stride=(2, 1),
                                     padding=(1, 2), padding_mode="replicate", bias=0.25, padding_end=(2, 1)))
    models.conv.edit_kernel(2, 0, 1, 0.9)
    models.conv_shift.shown = True
    models.conv_shift.set_shift(-3, 4)
    again, restoring, image, page = _round_trip(models, tmp_path, "convolution", cat)
    assert restoring.problems == []
    assert page == "convolution" and image.name == "Cat"
    _same_settings(again.conv.settings, models.conv.settings)
    np.testing.assert_array_equal(again.conv.kernel, models.conv.kernel)
    assert again.conv.kernel[2, 0, 1] == np.float32(0.9)
    assert again.conv_shift.shown and again.conv_shift.shift == (-3, 4)
    assert '"kernel_hw": [3, 3]' in (tmp_path / "s.json").read_text()  # readable: pairs on one line


def test_an_edited_course_matrix_comes_back(tmp_path):
    models = Models()
    models.conv.load_course_example(2)
    matrix = models.conv.settings.matrix.copy()
    matrix[0, 0] = 7.5
    models.conv.set_settings(replace(models.conv.settings, matrix=matrix))
    again, restoring, _, _ = _round_trip(models, tmp_path)
    assert restoring.problems == [] and again.conv.loaded.example == 2
    np.testing.assert_array_equal(again.conv.settings.matrix, matrix)
    result = again.conv.refresh()
    np.testing.assert_array_equal(result.steps.output, models.conv.refresh().steps.output)


def test_the_pooling_lab_with_its_preset_and_settings_comes_back(tmp_path):
    models = Models()
    models.pooling.apply_preset("stripes")
    models.pooling.set_settings(replace(models.pooling.settings, kernel=3, stride=2, padding=1, training=True,
                                        seed=7, samples=20, colormap="viridis", source="red"))
    models.pooling_shift.shown = True
    models.pooling_shift.set_shift(1, 2)
    again, restoring, _, page = _round_trip(models, tmp_path, "pooling", load_sample("astronaut"))
    assert restoring.problems == [] and page == "pooling"
    assert again.pooling.settings == models.pooling.settings and again.pooling.preset == "stripes"
    assert again.pooling.image.path == models.pooling.image.path  # the preset's sample, not the session's image
    assert again.pooling_shift.shown and again.pooling_shift.shift == (1, 2)


def test_the_explorer_node_channel_size_and_weights_file_come_back(tmp_path):
    import torch

    from viewer.core.resnet import resnet18

    weights = tmp_path / "r18.pth"
    torch.save(resnet18(seed=3).state_dict(), weights)
    models = Models()
    models.explorer.arch, models.explorer.size, models.explorer.node, models.explorer.channel = (
        "resnet18", 64, "layer2.0.conv1", 5)
    models.explorer.use_weights_file(weights)
    models.explorer.set_view("global", "sparsity")
    again, restoring, _, page = _round_trip(models, tmp_path, "resnet", load_sample("astronaut"))
    assert restoring.problems == [] and page == "resnet"
    e = again.explorer
    assert (e.arch, e.size, e.node, e.channel) == ("resnet18", 64, "layer2.0.conv1", 5)
    assert (e.scope, e.sort) == ("global", "sparsity")
    assert e.weights.kind == "file" and Path(e.weights.path) == weights
    result, node_view = e.forward_job().run()
    e.accept_forward(result, node_view)
    assert e.node == "layer2.0.conv1" and e.channel == 5


def test_random_weights_and_the_training_settings_come_back(tmp_path):
    models = Models()
    models.training.set_settings(replace(models.training.settings, preset="batchnorm", seed=3, steps=120,
                                         batch_size=32, learning_rate=0.01, width=1.0, input_size=24))
    again, restoring, _, page = _round_trip(models, tmp_path, "training")
    assert restoring.problems == [] and page == "training"
    assert again.training.settings == models.training.settings
    assert again.explorer.weights.kind == "random"


def test_image_sources_sample_path_and_embedded(tmp_path):
    from PIL import Image

    small = tmp_path / "small.png"
    Image.fromarray((np.arange(40 * 30 * 3) % 256).astype(np.uint8).reshape(40, 30, 3)).save(small)
    large = tmp_path / "large.png"
    Image.fromarray(np.zeros((300, 200, 3), np.uint8)).save(large)
    for image, kind in ((load_sample("coffee"), "sample"), (decode_image(small), "embedded"),
                        (decode_image(large), "path")):
        data = Models().capture("convolution", image)
        entry = data["image"]
        assert ("sample" in entry) == (kind == "sample")
        assert ("png_base64" in entry) == (kind == "embedded")
        assert ("path" in entry) == (kind != "sample")
        path = write_session(tmp_path / f"{kind}.json", data)
        restored = session_image(read_session(path))
        np.testing.assert_allclose(restored.pixels, image.pixels, atol=0.5 / 255)
    # the small file moved away: the embedded pixels stand in for it
    small_session = write_session(tmp_path / "moved.json", Models().capture("convolution", decode_image(small)))
    original = decode_image(small).pixels
    small.unlink()
    restoring = read_session(small_session)
    restored = session_image(restoring)
    np.testing.assert_allclose(restored.pixels, original, atol=0.5 / 255)
    # the large one moved away: nothing to stand in, one sentence
    large_session = write_session(tmp_path / "gone.json", Models().capture("convolution", decode_image(large)))
    large.unlink()
    restoring = read_session(large_session)
    assert session_image(restoring) is None
    assert len(restoring.problems) == 1 and "current image stays" in restoring.problems[0]


def test_an_image_without_a_file_is_embedded_when_small():
    image = DecodedImage(np.full((8, 8, 3), 0.5, np.float32), "made", "generated")
    assert "png_base64" in Models().capture("convolution", image)["image"]


def test_the_first_versions_file_still_opens():
    """tests/data/session_v1.json was written by version 1: every later version must open it whole."""
    models = Models()
    restoring, image, page = models.restore(DATA / "session_v1.json")
    assert restoring.problems == []
    assert restoring.data["version"] == 1 <= VERSION
    assert page == "pooling" and image.name == "Checkerboard"
    assert models.conv.settings.preset == "custom" and models.conv.kernel[0, 0, 0] == np.float32(3.5)
    assert models.conv.settings.padding_mode == "reflect" and models.conv_shift.shift == (4, 6)
    assert models.pooling.settings.kernel == 3 and models.pooling_shift.shown
    assert (models.explorer.arch, models.explorer.node, models.explorer.channel) == ("resnet18", "layer2.0", 3)
    assert models.training.settings.preset == "batchnorm"


@pytest.mark.parametrize("content, words", [
    ("", "JSON breaks off"),
    ("{\"format\": \"cnn-viewer-session\", \"version\": 1, \"page\": ", "JSON breaks off"),
    ("[1, 2, 3]", "not a session file of this app"),
    ("{\"format\": \"something else\"}", "not a session file of this app"),
])
def test_a_file_that_is_no_session_is_one_sentence(tmp_path, content, words):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(UserError, match=words):
        read_session(path)


def test_binary_and_missing_files_are_one_sentence(tmp_path):
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00\x81" * 10)
    with pytest.raises(UserError, match="not text"):
        read_session(binary)
    with pytest.raises(UserError, match="Cannot read"):
        read_session(tmp_path / "nowhere.json")


def test_a_hand_edited_session_opens_what_it_can_and_says_what_it_could_not(tmp_path):
    data = Models().capture("convolution", load_sample("cat"))
    data["version"] = 99
    data["page"] = "nowhere"
    data["convolution"].update(stride="two", padding_mode="mirror", kernel=[[["a"]]], preset="custom",
                               bias="NaN", dilation=[1, 1, 1])
    data["convolution"]["kernel_hw"] = [5, 5]
    data["convolution_shift"] = {"shown": "yes", "shift": [1]}
    data["pooling"].update(kernel=-4, colormap="rainbow", source="feature", relu=1)
    data["pooling_shift"] = "up"
    data["explorer"].update(arch="resnet9", size=100, node=3, channel=-2, weights=str(tmp_path / "none.pth"),
                            sort="colour")
    data["training"].update(steps="many", learning_rate=-1.0)
    data["image"] = {"name": "x", "png_base64": "not base64!"}
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data))
    models = Models()
    restoring, image, page = models.restore(path)
    problems = " ".join(restoring.problems)
    assert image is None and page is None
    for words in ("later version", "no page", "\"stride\"", "\"padding_mode\"", "\"bias\"", "\"dilation\"",
                  "kernel's values", "shift of the convolution", "colormap", "feature map", "\"relu\"",
                  "pooling_shift", "architecture", "input size", "node", "channel", "no sort", "weights", "\"steps\"",
                  "embedded", "learning rate"):
        assert words.lower() in problems.lower(), words
    # what could be used was used
    assert models.conv.settings.kernel_hw == (5, 5) and models.conv.settings.padding_mode == "zeros"
    assert models.pooling.settings.source == "luminance" and models.pooling.settings.kernel == 1  # clamped
    assert models.explorer.arch == "resnet50" and models.explorer.weights.kind == "random"
    assert models.training.settings.steps == 500  # refused as a whole: the lab keeps its settings


def test_missing_sections_leave_the_pages_alone(tmp_path):
    path = tmp_path / "bare.json"
    path.write_text(json.dumps({"format": "cnn-viewer-session", "page": "pooling"}))
    models = Models()
    before = models.conv.settings
    restoring, image, page = models.restore(path)
    assert page == "pooling" and image is None
    assert restoring.problems == ["The file does not say which version wrote it; it is read as version 1."]
    _same_settings(models.conv.settings, before)
