"""The ResNet explorer page, driven like a user would (resnet18 and small inputs keep it quick)."""

import os
import pickle

import numpy as np
import pytest
import torch

from viewer.core.images import DecodedImage
from viewer.core.samples import load_sample
from viewer.ui.resnet.page import ResNetExplorerPage


@pytest.fixture(scope="module")
def astronaut():
    return load_sample("astronaut")


@pytest.fixture
def page(qtbot, astronaut):
    page = ResNetExplorerPage()
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()  # a hidden page computes nothing until it is shown
    page.controls.set_arch("resnet18")
    page.controls.set_size(64)
    assert not page.is_busy()  # nothing computes without an image
    page.set_image(astronaut)
    assert page.is_busy()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30000)
    assert page.model.result is not None, page.model.last_error
    return page


def _select(qtbot, page, name):
    assert page.architecture.tree.select(name)
    assert page.model.node == name
    qtbot.waitUntil(lambda: not page.is_busy() and page.model.node_view.name == name, timeout=10000)


def _open(page, view):
    """Show ``view``'s tab, as a user does to look at it (a hidden tab is drawn once shown)."""
    page.tabs.setCurrentWidget(view)
    return view


def test_first_result_shows_layer1_and_the_stage_table(page):
    assert page.model.result.arch == "resnet18" and page.model.result.size_hw == (64, 64)
    assert page.model.node_view.name == "layer1"
    assert page.mosaic.mosaic.indices.shape == page.mosaic.mosaic.layout.shape
    assert page.architecture.table.rowCount() == 6
    assert page.architecture.table.item(1, 2).text() == "16x16, 64"
    assert "untrained (random)" in page.controls.weights_label.text()


def test_the_controls_show_the_models_settings_and_report_changes(qtbot, page):
    model = page.model
    assert (model.arch, model.size) == ("resnet18", 64)  # set through the controls before the image came
    page.mosaic.set_sort("max")  # UI -> model
    assert model.sort == "max"
    qtbot.waitUntil(lambda: not page.is_busy() and model.node_view.mosaic.sort == "max", timeout=10000)
    reported = []
    page.controls.arch_changed.connect(reported.append)
    page.controls.size_changed.connect(reported.append)
    model.set_size(32)  # model -> UI: written into the controls, not reported back
    page.recompute()
    assert page.controls.size() == 32 and reported == []
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30000)
    assert model.result.size_hw == (32, 32)


def test_a_channel_chosen_in_one_view_shows_in_every_view(qtbot, page):
    _select(qtbot, page, "layer2.0.bn1")
    echoes = []
    page.bn_view.channel_changed.connect(echoes.append)
    page.block_view.channel_changed.connect(echoes.append)
    with qtbot.waitSignal(page.bn_view.channel_changed):
        _open(page, page.bn_view).channel.setValue(12)  # UI -> model ...
    assert page.model.channel == 12 and echoes == [12]
    assert _open(page, page.block_view).channel.value() == 12  # ... -> every other view, without an echo
    assert "channel 12" in page.block_view.ratio.text()
    assert "channel 12 of 128" in _open(page, page.channel_view).title.text()
    np.testing.assert_array_equal(page.channel_view.values, page.model.result.maps("layer2.0.bn1")[12])
    _open(page, page.block_view).channel.setValue(30)
    assert page.model.channel == 30 and _open(page, page.bn_view).channel.value() == 30 and echoes == [12, 30]
    assert all(marker.value() == 30 for marker in page.bn_view.markers)
    _select(qtbot, page, "layer1")  # 64 channels: channel 30 stays
    assert page.model.channel == 30 and "channel 30 of 64" in _open(page, page.channel_view).title.text()
    page.select_pixel(63, 0, 0)
    _select(qtbot, page, "layer2.0.bn1")
    assert _open(page, page.bn_view).channel.value() == 63 == _open(page, page.block_view).channel.value()
    assert echoes == [12, 30]


def test_a_hidden_tab_is_drawn_from_the_model_once_it_is_shown(qtbot, page, tmp_path):
    assert page.tabs.currentWidget() is page.mosaic_splitter
    _open(page, page.bn_view)
    _open(page, page.mosaic_splitter)
    _select(qtbot, page, "layer2.0.bn1")
    assert page.bn_view.data.name == "layer1.0.bn1"  # hidden: not drawn for nobody
    assert _open(page, page.bn_view).data.name == "layer2.0.bn1"
    assert "layer2.0.bn1" in page.bn_view.title.text()
    _open(page, page.mosaic_splitter)
    _select(qtbot, page, "conv1")
    assert page.export_channel(tmp_path / "channel.png") is not None  # exported with its tab hidden: the model's channel
    np.testing.assert_array_equal(page.channel_view.values, page.model.result.maps("conv1")[page.model.node_channel])


def test_the_page_fits_a_1200_by_760_window(qtbot, page):
    hint = page.minimumSizeHint()
    assert hint.width() <= 1180 and hint.height() <= 700
    page.resize(1200, 760)
    page.show()
    qtbot.waitExposed(page)
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        tab = page.tabs.currentWidget()
        assert tab.width() >= tab.minimumSizeHint().width()
    # the input panel beside the mosaic may be dragged shut, the mosaic may not
    assert page.mosaic_splitter.isCollapsible(1) and not page.mosaic_splitter.isCollapsible(0)
    assert page.mosaic.export_button.geometry().right() <= page.mosaic.width()


def test_selecting_a_tree_node_renders_its_channels(qtbot, page):
    _select(qtbot, page, "layer2.0.conv1")
    assert len(page.mosaic.mosaic.layout.order) == 128
    assert page.mosaic.mosaic.stats.signed  # a convolution's output has negative values
    assert page.mosaic.colormap_name() == "CET-D1A"
    _select(qtbot, page, "layer2.0.relu1")
    assert page.mosaic.colormap_name() == "viridis"


def test_mosaic_sort_and_normalisation(qtbot, page):
    page.mosaic.set_sort("mean")
    qtbot.waitUntil(lambda: not page.is_busy() and page.model.node_view.mosaic.sort == "mean", timeout=10000)
    mosaic = page.model.node_view.mosaic
    means = mosaic.stats.mean[list(mosaic.layout.order)]
    assert np.all(np.diff(means) <= 0)
    page.mosaic.set_scope("channel")
    qtbot.waitUntil(lambda: not page.is_busy() and page.model.node_view.mosaic.scope == "channel", timeout=10000)
    assert len(set(page.model.node_view.mosaic.high.tolist())) > 1
    page.mosaic.set_scope("global")
    qtbot.waitUntil(lambda: not page.is_busy() and page.model.node_view.mosaic.scope == "global", timeout=10000)
    assert page.model.node_view.mosaic.high[0] == pytest.approx(max(abs(v) for v in page.model.result.global_range))


def test_channel_search_outlines_the_tile(page):
    page.mosaic.search.setValue(10)
    assert page.mosaic.highlight.isVisible()
    page.mosaic.search.setValue(-1)
    assert not page.mosaic.highlight.isVisible()


def test_clicking_a_pixel_opens_the_channel_and_its_receptive_field(qtbot, page):
    _select(qtbot, page, "conv1")
    page.mosaic.pixel_clicked.emit(5, 10, 0)
    assert page.tabs.currentWidget() is page.channel_view
    assert page.model.channel == 5 and page.model.pixel == (10, 0)
    np.testing.assert_array_equal(page.channel_view.values, page.model.result.maps("conv1")[5])
    assert "max" in page.channel_view.stats_label.text()
    region = page.channel_view.input_view.region
    assert region == page.model.field == page.mosaic_input.region
    # conv1: 7x7, stride 2, padding 3 -> rows 2*10-3 .. 2*10+3, columns clipped at 0
    assert (region.top, region.bottom, region.left, region.right) == (17, 23, 0, 3)
    page.channel_view.overlay_check.setChecked(True)
    assert page.channel_view.input_view.overlay.isVisible()


def test_batch_norm_view_train_mode_uses_this_images_statistics(qtbot, page):
    _select(qtbot, page, "layer1.0.bn1")
    view = _open(page, page.bn_view)
    assert view.data is not None and view.data.gamma.shape == (64,)
    view.channel.setValue(3)
    np.testing.assert_allclose(view.output_channel(), page.model.result.maps("layer1.0.bn1")[3])
    view.set_training(True)
    out = view.output_channel()
    gamma, beta = view.data.gamma[3], view.data.beta[3]
    assert out.mean() == pytest.approx(beta, abs=1e-4)
    assert out.std() == pytest.approx(abs(gamma), rel=1e-2)
    _select(qtbot, page, "layer1.0.conv1")
    assert view.data.name == "layer1.0.bn1"  # the last batch norm shown stays


def test_batch_norm_and_block_tabs_open_on_a_default_layer(page):
    assert page.model.node_view.name == "layer1"
    assert _open(page, page.bn_view).data.name == "layer1.0.bn1" and "layer1.0.bn1" in page.bn_view.title.text()
    assert len(page.bn_view.in_curve.getData()[0]) > 0
    assert _open(page, page.block_view).data.name == "layer1.0" and page.block_view.canvas.geometry_now() is not None


def test_channel_tab_states_the_receptive_field(qtbot, page):
    _select(qtbot, page, "conv1")
    page.select_pixel(5, 10, 0)
    text = _open(page, page.channel_view).field_label.text()
    assert "pixel (10, 0)" in text and "rows 17-23, columns 0-3 (7 x 4 pixels)" in text
    assert page.rf_label.text() == text


def test_batch_norm_view_plots_running_and_image_variance(qtbot, page):
    _select(qtbot, page, "layer1.0.bn2")
    view = _open(page, page.bn_view)
    np.testing.assert_array_equal(view.image_var_curve.yData, view.data.image_var)
    np.testing.assert_array_equal(view.running_var_curve.yData, view.data.running_var)
    view.channel.setValue(9)
    assert all(marker.value() == 9 for marker in view.markers)


def test_block_dissection_adds_up(qtbot, page):
    _select(qtbot, page, "layer2.0.conv2")
    data = _open(page, page.block_view).data
    assert data.name == "layer2.0"
    assert "1x1 conv" in data.shortcut.title
    assert [p.title for p in data.steps] == ["conv1", "bn1", "relu1", "conv2"]
    assert data.residual.title == "F(x) = bn2"
    np.testing.assert_allclose(data.residual.maps + data.shortcut.maps, data.total.maps, atol=1e-5)
    np.testing.assert_allclose(np.maximum(data.total.maps, 0), data.output.maps, atol=1e-6)
    expected = np.linalg.norm(data.residual.maps) / np.linalg.norm(data.shortcut.maps)
    assert data.norm_ratio == pytest.approx(expected, rel=1e-5)
    page.block_view.channel.setValue(7)
    assert "7" in page.block_view.ratio.text()
    assert page.architecture.diagram._boxes[0][1].startswith("3x3, 128, stride 2")


def test_block_diagram_fills_the_tab_as_two_rows(qtbot, page):
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    page.resize(1200, 760)
    page.show()
    _select(qtbot, page, "layer2.0.conv2")
    page.tabs.setCurrentWidget(page.block_view)
    qtbot.waitExposed(page)
    canvas = page.block_view.canvas
    geometry = canvas.geometry_now()
    top, bottom = geometry.top, geometry.bottom
    assert len(top) == 6  # x, conv1, bn1, relu1, conv2, F(x) = bn2
    assert len({(r.top(), r.width(), r.height()) for r in top}) == 1  # one row of equal maps
    assert all(r.width() == pytest.approx(r.height()) for r in (*top, *bottom))  # 8x8 and 16x16 maps stay square
    assert top[0].width() >= 90
    assert all(r.top() > top[0].bottom() and r.width() >= top[0].width() for r in bottom)
    assert all(canvas.rect().toRectF().contains(r) for r in (*top, *bottom))
    assert top[0].center().x() == pytest.approx(bottom[0].center().x(), abs=bottom[0].width() / 2)  # shortcut under x
    output = bottom[2]
    tile, row, col = canvas.tile_at(QPointF(output.left() + 1, output.bottom() - 1))
    assert tile.title == "output = ReLU(sum)" and (row, col) == (7, 0)
    point = QPointF(output.left() + output.width() * 5.5 / 8, output.top() + output.height() * 4.5 / 8)
    event = QMouseEvent(QEvent.Type.MouseMove, point, canvas.mapToGlobal(point), Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(canvas, event)
    value = page.block_view.data.output.maps[page.block_view.channel.value(), 4, 5]
    assert page.block_view.readout.text() == f"output = ReLU(sum): row 4, column 5 = {value:.4g}"


def test_pooling_outputs_note_random_weights(page):
    view = _open(page, page.pooling_view)
    assert view.bar_item.opts["height"].shape == (512,)
    assert "raw class indices" in view.predictions.text()


def test_prediction_notes_say_what_is_known(qtbot, page, tmp_path):
    """Untrained: the numbers mean nothing; trained with 10 unnamed classes: real numbers, no
    names; trained with ImageNet's 1000: named, no note."""
    from viewer.core.weights import build_model

    assert "mean nothing" in _open(page, page.pooling_view).predictions.text()
    cifar = tmp_path / "fc10.pth"
    torch.save(build_model("resnet18", seed=5, num_classes=10).state_dict(), cifar)
    page.load_weights_file(cifar)
    qtbot.waitUntil(lambda: not page.is_busy() and page.model.result.weights.kind == "file", timeout=30000)
    text = page.pooling_view.predictions.text()
    assert "mean nothing" not in text and "10 outputs" in text and "not named" in text
    assert "file:" not in text
    imagenet = tmp_path / "in1k.pth"
    torch.save(build_model("resnet18", seed=5).state_dict(), imagenet)
    page.load_weights_file(imagenet)
    qtbot.waitUntil(lambda: not page.is_busy() and page.model.result.weights.path == str(imagenet), timeout=30000)
    text = page.pooling_view.predictions.text()
    assert "mean nothing" not in text and "not named" not in text
    assert page.model.result.top5[0].name in text and page.model.result.names_known


def test_send_to_pooling_and_step_kernel(qtbot, page):
    _select(qtbot, page, "layer1.0.conv2")
    page.model.set_channel(4)
    with qtbot.waitSignal(page.send_to_pooling) as blocker:
        page.channel_view.pool_button.click()
    values, label = blocker.args
    assert values.shape == (16, 16) and values.dtype == np.float32
    assert label == "layer1.0.conv2 channel 4"
    pytest.importorskip("viewer.core.conv", reason="the convolution lab's ConvSetup is not there yet")
    assert page.channel_view.step_button.isEnabled()
    with qtbot.waitSignal(page.step_kernel) as blocker:
        page.channel_view.step_button.click()
    setup = blocker.args[0]
    assert setup.kernel.shape == (64, 3, 3) and setup.x.shape == (64, 16, 16)
    np.testing.assert_allclose(setup.kernel, page.model.result.model.layer1[0].conv2.weight[4].detach().numpy())
    np.testing.assert_allclose(setup.x, page.model.result.maps("layer1.0.relu1"))
    assert setup.padding == (1, 1)


def test_export_mosaic_and_channel(page, tmp_path):
    from PIL import Image

    saved = page.export_mosaic(tmp_path / "m.png")
    with Image.open(saved) as image:
        assert image.size == page.model.node_view.mosaic.indices.shape[::-1]
    page.select_pixel(0, 0, 0)
    saved = page.export_channel(tmp_path / "c.png")
    with Image.open(saved) as image:
        assert image.size[0] >= 256
    errors = []
    page.error_occurred.connect(errors.append)
    assert page.export_mosaic(tmp_path / "missing" / "m.png") is None
    assert errors and "Cannot write" in errors[0]


def test_weights_of_another_architecture_switch_to_it(qtbot, page, tmp_path):
    from viewer.core.weights import build_model

    path = tmp_path / "r34.pth"
    torch.save(build_model("resnet34", seed=4).state_dict(), path)
    errors = []
    page.error_occurred.connect(errors.append)
    reported = []
    page.controls.arch_changed.connect(reported.append)
    page.load_weights_file(path)  # resnet18 is selected
    qtbot.waitUntil(lambda: not page.is_busy() and page.model.result.arch == "resnet34", timeout=60000)
    assert errors == [] and reported == []  # the model's switch shows in the controls, not reported back
    assert page.controls.arch() == "resnet34" and page.model.result.weights.kind == "file"
    assert "switched the architecture to resnet34" in page.status.text()
    assert torch.equal(page.model.result.model.conv1.weight, torch.load(path)["conv1.weight"])
    # choosing another architecture by hand does not jump back: the file no longer fits
    page.controls.set_arch("resnet18")
    qtbot.waitUntil(lambda: bool(errors) and not page.is_busy(), timeout=60000)
    assert page.controls.arch() == "resnet18" and page.model.result.arch == "resnet18"
    assert "resnet34" in errors[0] and "Still using untrained (random) weights." in errors[0]
    assert page.model.weights.kind == "random" and "untrained (random)" in page.controls.weights_label.text()


def test_a_bad_file_keeps_the_weights_that_worked(qtbot, page, tmp_path):
    from viewer.core.weights import build_model

    good = tmp_path / "good.pth"
    torch.save(build_model("resnet18", seed=5).state_dict(), good)
    page.load_weights_file(good)
    qtbot.waitUntil(lambda: not page.is_busy() and page.model.result.weights.kind == "file", timeout=30000)
    truncated = tmp_path / "truncated.pth"
    truncated.write_bytes(good.read_bytes()[:5000])
    errors = []
    page.error_occurred.connect(errors.append)
    page.load_weights_file(truncated)
    qtbot.waitUntil(lambda: bool(errors) and not page.is_busy(), timeout=30000)
    assert "truncated.pth" in errors[0] and errors[0].endswith(". Still using file: good.pth weights.")
    assert page.model.weights.path == str(good) and page.model.result.weights.path == str(good)
    assert "good.pth" in page.controls.weights_label.text()


def test_weights_with_a_nan_are_refused_and_nothing_shows_nan(qtbot, page, tmp_path):
    from viewer.core.weights import build_model

    state = build_model("resnet18", seed=5).state_dict()
    state["layer2.0.conv1.weight"][0, 0, 0, 0] = float("nan")
    bad = tmp_path / "nan.pth"
    torch.save(state, bad)
    errors = []
    page.error_occurred.connect(errors.append)
    page.load_weights_file(bad)
    qtbot.waitUntil(lambda: bool(errors) and not page.is_busy(), timeout=30000)
    assert "layer2.0.conv1.weight (1 NaN of" in errors[0] and "Still using untrained (random) weights." in errors[0]
    assert "untrained (random)" in page.controls.weights_label.text() and "nan.pth" not in page.controls.weights_label.text()
    assert "nan" not in page.pooling_view.predictions.text().lower()
    assert page.model.result.weights.kind == "random"


def test_matching_weights_file_is_used(qtbot, page, tmp_path):
    from viewer.core.weights import build_model

    path = tmp_path / "r18.pth"
    torch.save(build_model("resnet18", seed=5).state_dict(), path)
    page.load_weights_file(path)
    qtbot.waitUntil(lambda: not page.is_busy() and page.model.result.weights.kind == "file", timeout=30000)
    assert "r18.pth" in page.controls.weights_label.text()
    assert torch.equal(page.model.result.model.conv1.weight, torch.load(path)["conv1.weight"])


class _Hostile:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def test_hostile_pickle_is_refused_and_runs_nothing(qtbot, page, tmp_path):
    marker = str(tmp_path / "pwned")
    path = tmp_path / "evil.pth"
    with open(path, "wb") as handle:
        pickle.dump({"conv1.weight": _Hostile(marker)}, handle)
    errors = []
    page.error_occurred.connect(errors.append)
    page.load_weights_file(path)
    qtbot.waitUntil(lambda: bool(errors) and not page.is_busy(), timeout=30000)
    assert not os.path.exists(marker)
    assert page.model.result is not None and page.model.weights.kind == "random"


def test_offline_download_reports_and_keeps_the_page(qtbot, page, tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    errors = []
    page.error_occurred.connect(errors.append)
    page.download_imagenet(url="http://127.0.0.1:9/nothing.pth")
    assert page.controls.progress_box.isVisibleTo(page)
    qtbot.waitUntil(lambda: bool(errors), timeout=30000)
    assert not page.controls.progress_box.isVisibleTo(page)
    assert page.model.weights.kind == "random"


def test_cancelled_download_delivers_nothing(qtbot, page, tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    errors = []
    page.error_occurred.connect(errors.append)
    page.download_imagenet(url="http://127.0.0.1:9/nothing.pth")
    page.cancel_download()
    qtbot.waitUntil(lambda: not page.download_runner.is_busy(), timeout=30000)
    assert errors == [] and not page.controls.progress_box.isVisibleTo(page)
    assert "cancelled" in page.status.text()


def test_progress_arriving_after_cancel_keeps_the_bar_hidden(qtbot, page, monkeypatch):
    import time

    from viewer.core import download
    from viewer.core.errors import Cancelled

    def slow_download(variant, progress, cancelled, url=None):
        for chunk in range(1000):
            progress(chunk, 1000)  # reported after each chunk ...
            time.sleep(0.005)
            if cancelled():  # ... cancellation noticed before the next one
                progress(chunk + 1, 1000)
                raise Cancelled("Download cancelled; nothing was saved.")
        raise AssertionError("never cancelled")

    monkeypatch.setattr(download, "download_weights", slow_download)
    fractions = []
    page.download_runner.progressed.connect(lambda _generation, fraction: fractions.append(fraction))
    page.download_imagenet()
    qtbot.waitUntil(lambda: len(fractions) > 3, timeout=10000)
    page.cancel_download()
    qtbot.waitUntil(lambda: not page.download_runner.is_busy(), timeout=10000)
    qtbot.wait(50)
    assert not page.controls.progress_box.isVisibleTo(page)
    assert page.controls.download_button.isEnabled()


def test_newer_requests_supersede_older_ones(qtbot, page):
    delivered = []
    page.forward_runner.finished.connect(lambda _generation, value: delivered.append(value[0]))
    page.controls.set_size(32)
    page.controls.set_arch("resnet34")
    page.controls.set_size(128)
    page.controls.set_arch("resnet18")
    assert (page.model.arch, page.model.size) == ("resnet18", 128)
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60000)
    assert len(delivered) == 1 and delivered[0] is page.model.result  # the three older passes never arrive
    assert page.model.result.arch == "resnet18" and page.model.result.size_hw == (128, 128)


def test_input_too_small_is_reported_and_the_page_keeps_working(qtbot, page, monkeypatch):
    from viewer.core import activations

    def too_small(model, size):
        raise activations.InputTooSmallError(f"An input of {size[0]}x{size[1]} pixels is too small.")

    previous = page.model.result
    errors = []
    page.error_occurred.connect(errors.append)
    with monkeypatch.context() as patch:
        patch.setattr(activations, "output_shapes", too_small)
        page.set_image(DecodedImage(np.zeros((3, 3, 3), np.float32), "dot", "test"))
        qtbot.waitUntil(lambda: not page.is_busy(), timeout=30000)
    assert errors and "too small" in errors[0]
    assert "too small" in page.status.text()
    assert page.model.result is previous  # the last good result stays on screen
    page.controls.set_size(32)
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30000)
    assert page.model.result.size_hw == (32, 32)


def test_select_node_by_code_moves_the_tree_selection(qtbot, page):
    page.select_node("layer3.0.downsample.0")
    qtbot.waitUntil(lambda: not page.is_busy() and page.model.node_view.name == "layer3.0.downsample.0", timeout=10000)
    assert page.architecture.tree.selected_name() == "layer3.0.downsample.0"


def test_receptive_field_statement_fits_and_outlines_stand_out(qtbot, page):
    from viewer.ui.resnet.channel import HaloRect

    page.show()
    qtbot.waitExposed(page)
    _select(qtbot, page, "layer4.0.conv2")
    page.select_pixel(3, 1, 1)
    qtbot.wait(20)
    label = page.rf_label
    assert "rows" in label.text() and label.height() >= label.heightForWidth(label.width())
    # red over a white halo: visible on the red and blue of a diverging map
    assert isinstance(page.channel_view.marker, HaloRect) and isinstance(page.mosaic_input.outline, HaloRect)
    assert page.channel_view.histogram.getAxis("bottom").autoSIPrefix is False


def test_a_hidden_page_computes_only_once_shown(qtbot, page, astronaut):
    page.hide()
    page.set_image(load_sample("cat"))
    page.controls.set_size(32)
    assert not page.is_busy() and page.model.result.size_hw == (64, 64)  # nothing ran
    page.show()
    assert page.is_busy()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30000)
    assert page.model.result.size_hw == (32, 32) and page.model.image.name == "Cat"
