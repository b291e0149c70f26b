"""The Pooling lab driven through its controls with qtbot."""

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPointF, QRectF, Qt

from viewer.core import colormaps
from viewer.core.images import from_array
from viewer.models.pooling_lab import FEATURE_SOURCE
from viewer.ui.pooling.page import PoolingLabPage
from viewer.ui.widgets.step_controls import StepControls


def _wait(qtbot, page):
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=10_000)


@pytest.fixture
def page(qtbot):
    lab = PoolingLabPage()
    qtbot.addWidget(lab)
    lab.resize(1400, 900)
    lab.show()
    _wait(qtbot, lab)
    return lab


def _small_image(h=12, w=12, seed=0):
    pixels = np.random.default_rng(seed).random((h, w, 3)).astype(np.float32)
    return from_array(pixels, "random")


def test_page_contract_and_default_outputs(page):
    assert page.page_id == "pooling" and page.page_title()
    result = page.result()
    assert result is not None and set(result.outputs) == {"max", "avg", "stochastic"}
    assert result.outputs["max"].shape == (64, 64)  # texture_patch 128x128, 2x2 stride 2
    assert page.maps.images["max"].image.shape == (64, 64)
    assert "64" in page.controls.formula_label.text()
    assert page.model.formula()[0].size == 64


def test_window_controls_recompute_and_overlapping_preset(qtbot, page):
    page.controls.overlap_button.click()
    _wait(qtbot, page)
    assert (page.kernel_spin.value(), page.stride_spin.value(), page.padding_spin.value()) == (3, 2, 1)
    s = page.model.settings
    assert (s.kernel, s.stride, s.padding) == (3, 2, 1)
    assert page.result().outputs["avg"].shape == (64, 64)
    assert "(128 + 2\u00b71 \u2212 3) / 2" in page.controls.formula_label.text()
    page.kernel_spin.setValue(4)
    page.stride_spin.setValue(4)
    _wait(qtbot, page)
    assert (page.model.settings.kernel, page.model.settings.stride) == (4, 4)
    assert page.result().outputs["max"].shape == (32, 32)


def test_invalid_settings_show_inline_message(qtbot, page):
    errors = []
    page.error_occurred.connect(errors.append)
    page.set_image(_small_image(5, 5))
    _wait(qtbot, page)
    page.kernel_spin.setValue(9)
    _wait(qtbot, page)
    assert "empty" in page.message() and page.result() is None
    assert page.model.refusal == page.message()
    assert not page.step_controls.isEnabled()
    page.kernel_spin.setValue(2)
    page.padding_spin.setValue(2)  # more than half the window
    _wait(qtbot, page)
    assert "half" in page.message() and page.model.refusal == page.message()
    page.padding_spin.setValue(1)
    _wait(qtbot, page)
    assert page.message() == "" and page.model.refusal == "" and page.result() is not None and not errors


def test_mode_switch_train_test_and_resample(qtbot, page):
    page.set_image(_small_image())
    _wait(qtbot, page)
    page.train_radio.setChecked(True)
    _wait(qtbot, page)
    first = page.result().outputs["stochastic"].copy()
    assert "train" in page.maps.plots["stochastic"].titleLabel.text
    page.controls.resample_button.click()
    _wait(qtbot, page)
    assert page.model.settings.seed == 1 and page.controls.seed_spin.value() == 1
    assert not np.array_equal(first, page.result().outputs["stochastic"])
    page.test_radio.setChecked(True)
    _wait(qtbot, page)
    test_value = page.result().outputs["stochastic"]
    assert "test" in page.maps.plots["stochastic"].titleLabel.text and not page.model.settings.training
    page.train_radio.setChecked(True)
    page.controls.samples_spin.setValue(400)
    page.controls.average_check.setChecked(True)
    _wait(qtbot, page)
    assert page.model.settings.samples == 400 and page.model.settings.training
    mean = page.result().outputs["stochastic"]
    assert np.abs(mean - test_value).max() < np.abs(first - test_value).max()
    assert "mean of draws" in page.controls.convergence_label.text()
    assert page.controls.convergence_label.isVisible()


def test_stepping_keys_and_window_view(qtbot, page):
    controls = page.step_controls
    assert controls.count() == 64 * 64
    qtbot.keyClick(page, Qt.Key.Key_Right)
    assert controls.step() == 1
    qtbot.keyClick(page, Qt.Key.Key_End)
    assert controls.step() == controls.count() - 1
    qtbot.keyClick(page, Qt.Key.Key_Home)
    assert controls.step() == 0
    controls.forward_button.click()
    controls.forward_button.click()
    assert controls.step() == 2 and "Window at (0, 4)" in page.step_label.text()
    assert page.maps.cells["max"].rect() == QRectF(4, 0, 2, 2)  # output (0, 2), in input pixels (stride 2)
    step = page.model.steps_at(2)[0]
    assert page.window_view.cell_texts() == [f"{value:.2f}" for value in step.patch.ravel()]
    assert page.window_view.bars().size == 4
    controls.slider.setValue(100)
    assert controls.step() == 100
    qtbot.keyClick(page, Qt.Key.Key_Space)
    assert controls.is_playing()
    qtbot.waitUntil(lambda: controls.step() > 100, timeout=3000)
    qtbot.keyClick(page, Qt.Key.Key_Space)
    assert not controls.is_playing()


def test_hover_an_output_cell_jumps_to_its_step(qtbot, page):
    plot = page.maps.plots["avg"]
    scene_pos = plot.vb.mapViewToScene(QPointF(11.5, 7.5))  # output cell (3, 5), 2 input pixels wide
    page.maps.scene().sigMouseMoved.emit(scene_pos)
    assert page.step_controls.step() == 3 * 64 + 5
    scene_pos = page.maps.plots["input"].vb.mapViewToScene(QPointF(20.5, 10.5))
    page.maps.scene().sigMouseMoved.emit(scene_pos)
    assert page.result().max_steps[page.step_controls.step()].out_pos == (5, 10)


def test_presets_explain_what_to_look_at(qtbot, page):
    page.controls.stripes_button.click()
    _wait(qtbot, page)
    assert page.result().outputs["max"].shape == (32, 32)
    assert page.model.preset == "stripes" and "stripes" in page.controls.preset_label.text()
    page.controls.texture_button.click()
    _wait(qtbot, page)
    label = page.controls.preset_label.text()
    assert page.model.preset == "texture_patch" and "texture" in label and "background" in label
    out = page.result().outputs
    # max keeps the texture: the patch stays brighter under max than under average
    assert out["max"][14:18, 14:18].mean() > out["avg"][14:18, 14:18].mean() + 0.3


def test_feature_map_with_negatives_asks_for_relu(qtbot, page):
    values = np.random.default_rng(1).standard_normal((14, 14)).astype(np.float32)
    page.show_feature_map(values, "layer1.0.relu ch 3")
    _wait(qtbot, page)
    assert "Feature map: layer1.0.relu ch 3" in page.source_box.currentText()
    assert page.model.settings.source == FEATURE_SOURCE and page.model.feature_label == "layer1.0.relu ch 3"
    assert page.result().outputs["stochastic"] is None and page.model.needs_relu
    assert "ReLU" in page.message() and page.controls.relu_check.isVisible()
    assert page.result().outputs["max"] is not None  # max and avg still work
    page.controls.relu_check.setChecked(True)
    _wait(qtbot, page)
    assert page.model.settings.relu
    assert page.result().outputs["stochastic"] is not None and page.message() == ""
    assert page.result().x.min() == 0
    page.show_feature_map(np.abs(values), "after ReLU")
    _wait(qtbot, page)
    assert not page.model.settings.relu and not page.controls.relu_check.isChecked()
    assert not page.controls.relu_check.isVisible() and page.result().outputs["stochastic"] is not None


def test_bad_feature_map_is_reported_not_raised(qtbot, page):
    with qtbot.waitSignal(page.error_occurred):
        page.show_feature_map(np.zeros((2, 2, 2)), "bad")
    assert page.model.feature_label is None and page.source_box.findData(FEATURE_SOURCE) < 0


def test_channel_switch(qtbot, page):
    page.set_image(_small_image())
    _wait(qtbot, page)
    page.source_box.setCurrentIndex(1)  # red
    _wait(qtbot, page)
    assert page.model.settings.source == "red"
    red = page.result().x
    page.source_box.setCurrentIndex(3)  # blue
    _wait(qtbot, page)
    assert page.model.settings.source == "blue"
    assert not np.array_equal(red, page.result().x)


def test_exports(qtbot, page, tmp_path):
    page.export_png(str(tmp_path / "c.png"))
    page.export_gif(str(tmp_path / "s.gif"), frames=5)
    with Image.open(tmp_path / "c.png") as png, Image.open(tmp_path / "s.gif") as gif:
        assert png.width > 800 and gif.n_frames == 5


def test_step_controls_alone(qtbot):
    controls = StepControls()
    qtbot.addWidget(controls)
    seen = []
    controls.step_changed.connect(seen.append)
    controls.set_count(3)
    controls.set_step(10)
    assert controls.step() == 2 and seen == [2]
    controls.set_count(2)
    assert controls.step() == 1 and seen == [2, 1]
    controls.set_count(0)
    assert controls.position_label.text() == "no steps"
    controls.set_step(1)
    assert seen == [2, 1, 0] and controls.step() == 0


def test_many_samples_of_a_big_map_give_way_to_a_new_setting(qtbot, page):
    import time

    page.set_image(_small_image(1024, 1024))
    _wait(qtbot, page)
    page.train_radio.setChecked(True)
    page.controls.samples_spin.setValue(2000)
    page.controls.average_check.setChecked(True)  # minutes of sampling on two cores...
    qtbot.wait(50)
    start = time.perf_counter()
    page.controls.average_check.setChecked(False)  # ...that the student no longer wants
    _wait(qtbot, page)
    assert time.perf_counter() - start < 5
    assert page.result().settings.samples == 0


def test_diverging_colormap_is_centred_on_zero_and_the_bars_explain_themselves(qtbot, page):
    values = np.linspace(-1, 3, 64, dtype=np.float32).reshape(8, 8)
    page.show_feature_map(values, "signed")
    _wait(qtbot, page)
    assert page.colormap_box.currentText().startswith("CET-D")
    assert page.model.settings.colormap == page.colormap_box.currentText()
    assert page.model.levels() == (-3, 3)
    low, high = page.maps.images["input"].levels
    assert low == -high == -3  # white means 0
    assert page.window_view.note() == "needs ReLU first"
    low_bar, high_bar = page.window_view.bar_range()
    assert low_bar <= 0.5 <= high_bar  # the note is inside the chart
    zeros = np.zeros((8, 8), np.float32)
    zeros[0, 0] = 1
    page.show_feature_map(zeros, "mostly zero")
    _wait(qtbot, page)
    page.step_controls.set_step(page.step_controls.count() - 1)  # a window of zeros
    assert "all zero" in page.window_view.note()


def test_export_paths_are_checked_and_reported_once(qtbot, page, tmp_path, monkeypatch):
    from viewer.core.errors import UserError

    with pytest.raises(UserError, match=r"ending in \.png"):
        page.export_png(str(tmp_path / "c.txt"))
    with pytest.raises(UserError, match="does not exist"):
        page.export_gif(str(tmp_path / "missing" / "s.gif"))
    with pytest.raises(UserError, match="Cannot write /proc/c.png"):
        page.export_png("/proc/c.png")
    page.export_png(str(tmp_path / "c"))  # no extension: .png added
    assert (tmp_path / "c.png").exists()
    errors = []
    page.error_occurred.connect(errors.append)
    monkeypatch.setattr("viewer.ui.pooling.page.QFileDialog.getSaveFileName",
                        lambda *args, **kwargs: (str(tmp_path / "s.jpg"), ""))
    page.controls.gif_button.click()
    assert len(errors) == 1 and ".gif" in errors[0]
    monkeypatch.setattr("viewer.ui.pooling.page.QFileDialog.getSaveFileName", lambda *args, **kwargs: ("/proc/s.gif", ""))
    page.controls.gif_button.click()
    _wait(qtbot, page)
    assert len(errors) == 2 and errors[1].startswith("Cannot write /proc/s.gif")


def test_gif_of_a_photo_sized_map(qtbot, page, tmp_path):
    page.set_image(_small_image(1024, 1024))
    _wait(qtbot, page)
    page.export_gif(str(tmp_path / "big.gif"), frames=2)  # the window is under a GIF pixel
    with Image.open(tmp_path / "big.gif") as gif:
        assert gif.n_frames == 2


def _plots_fit_the_view(qtbot, page, width):
    page.resize(width, 640)
    qtbot.waitUntil(lambda: page.width() == width, timeout=2000)
    qtbot.wait(20)
    view = page.maps.viewport().width()
    items = [*page.maps.plots.values(), page.window_view]
    return max(item.sceneBoundingRect().right() for item in items) <= view


def test_page_fits_a_1200x760_window_without_cutting_the_right_column(qtbot, page):
    # 1180: a 1200 px main window less a vertical scroll bar; the graph grid's minimum counts
    assert page.minimumSizeHint().width() <= 1180
    assert _plots_fit_the_view(qtbot, page, 1180)
    values = np.linspace(-1, 3, 64, dtype=np.float32).reshape(8, 8)  # the longest titles
    page.show_feature_map(values, "layer2.0.relu2 channel 12")
    _wait(qtbot, page)
    assert "needs ReLU" in page.maps.plots["stochastic_diff"].titleLabel.text
    assert page.minimumSizeHint().width() <= 1180
    assert _plots_fit_the_view(qtbot, page, 1180)
    # the page's minimum follows the grid's: too wide a title scrolls instead of being cut off
    page.maps.set_title("stochastic", "stochastic " * 30)
    assert page.maps.minimumSizeHint().width() > 1180
    qtbot.waitUntil(lambda: page.minimumSizeHint().width() > 1180, timeout=2000)  # at the next layout pass


def test_colormap_only_redraws(qtbot, page):
    before = page.result()
    page.colormap_box.setCurrentText("viridis")
    assert page.model.settings.colormap == "viridis"
    assert not page.is_busy() and page.result() is before  # nothing recomputed
    assert page.model.levels() == colormaps.levels(before.x, from_zero=True, centre=False)
    page.colormap_box.setCurrentText(colormaps.DIVERGING)
    low, high = page.maps.images["input"].levels
    assert low == -high == -float(before.x.max())


def _count_settings_calls(page, monkeypatch):
    calls = []
    set_settings = page.model.set_settings

    def counted(settings):
        calls.append(settings)
        return set_settings(settings)

    monkeypatch.setattr(page.model, "set_settings", counted)
    return calls


def test_controls_edit_the_model_once_per_change(qtbot, page, monkeypatch):
    calls = _count_settings_calls(page, monkeypatch)
    page.padding_spin.setValue(1)
    assert len(calls) == 1 and calls[0].padding == 1 and page.model.settings.padding == 1
    page.test_radio.setChecked(True)  # two radio buttons toggle, one change
    assert len(calls) == 2 and not page.model.settings.training
    _wait(qtbot, page)


def test_model_settings_reach_the_controls_without_echo(qtbot, page, monkeypatch):
    calls = _count_settings_calls(page, monkeypatch)
    page.apply_preset("stripes")
    values = np.linspace(-1, 3, 64, dtype=np.float32).reshape(8, 8)
    page.show_feature_map(values, "signed")
    _wait(qtbot, page)
    assert calls == []  # writing the model's settings into the controls asked for nothing
    s = page.model.settings
    assert (page.kernel_spin.value(), page.stride_spin.value(), page.padding_spin.value()) == (s.kernel, s.stride, s.padding) == (4, 4, 0)
    assert page.test_radio.isChecked() and not page.train_radio.isChecked()
    assert page.source_box.currentData() == s.source == FEATURE_SOURCE
    assert page.colormap_box.currentText() == s.colormap == colormaps.DIVERGING
    assert page.controls.values() == s


def test_a_refused_window_shows_its_formula_marked_impossible(qtbot, page):
    page.set_image(_small_image(3, 7))
    _wait(qtbot, page)
    page.set_window(5, 1, 0)  # taller than 3 rows: the arithmetic says 0
    text = page.controls.formula_label.text()
    assert "impossible" in text and "= <b>0</b>" not in text
    page.set_image(_small_image(128, 128))
    page.set_window(4, 2, 3)  # padding over half the window: the arithmetic says 65
    _wait(qtbot, page)
    text = page.controls.formula_label.text()
    assert "half" in page.message() and "impossible" in text and "65" not in text


def test_subscripts_are_rich_text_not_missing_glyphs(qtbot, page):
    """"Σ pᵢaᵢ" drew as "pıaı": the fonts lack U+1D62; every subscript is <sub> rich text."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    page.controls.test_radio.setChecked(True)
    _wait(qtbot, page)
    texts = [w.text() for w in page.findChildren(QLabel)] + [w.text() for w in page.findChildren(QAbstractButton)]
    texts += [plot.titleLabel.text for plot in page.maps.plots.values()]
    assert not any("\u1d62" in text for text in texts)
    assert "p<sub>i</sub>a<sub>i</sub>" in page.controls.test_formula.text()
    assert "p<sub>i</sub>a<sub>i</sub>" in page.maps.plots["stochastic"].titleLabel.text
    assert "p<sub>i</sub>a<sub>i</sub>" in page.step_label.text()


def test_a_photo_is_stepped_row_by_row(qtbot, page):
    page.set_image(_small_image(256, 256))
    page.set_window(2, 2, 0)
    _wait(qtbot, page)
    controls = page.step_controls
    assert controls.count() == 128 * 128 and controls.granularity() == "row" and controls.stride() == 128
    assert not controls.granularity_box.isHidden()
    controls.set_step(0)
    controls.step_by(1)
    assert controls.step() == 127  # the end of the first output row
    controls.step_by(1)
    assert controls.step() == 255
    page.set_image(_small_image(12, 12))
    _wait(qtbot, page)
    assert controls.granularity() == "cell" and controls.count() == 36


def _pixels_per_input_pixel(page, key: str) -> float:
    """Screen pixels per input pixel of a map as drawn (an output cell covers stride pixels)."""
    image = page.maps.images[key]
    stride = 1 if key == "input" else page.model.settings.stride
    return image.sceneBoundingRect().width() / (image.image.shape[1] * stride)


@pytest.mark.parametrize("shape, window", [((3, 7), (2, 1, 0)), ((512, 512), (2, 2, 0)), ((40, 90), (3, 2, 1))])
def test_input_and_outputs_are_drawn_at_one_scale_per_input_pixel(qtbot, page, shape, window):
    page.set_image(_small_image(*shape))
    page.set_window(*window)
    _wait(qtbot, page)
    qtbot.wait(50)
    scales = {key: _pixels_per_input_pixel(page, key) for key in ("input", "max", "avg", "stochastic", "max_diff")}
    assert max(scales.values()) == pytest.approx(min(scales.values()), rel=0.02), scales


def test_a_window_change_paints_the_maps_once_and_leaves_no_stale_pixels(qtbot, page):
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    class PaintCounter(QObject):
        count = 0

        def eventFilter(self, _watched, event):  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    def on_screen_and_fresh():
        screen = QApplication.primaryScreen().grabWindow(page.winId()).toImage()
        fresh = page.grab().toImage()
        return (screen.convertToFormat(fresh.format()), fresh)

    # The start-up sample, whose titles keep their columns' widths: a title that widens a column
    # lays the grid out again after the paint, which re-fits the views and paints them again.
    qtbot.wait(50)
    counter = PaintCounter()
    page.maps.viewport().installEventFilter(counter)
    for window in ((3, 2, 1), (2, 2, 0), (5, 3, 2)):
        counter.count = 0
        page.set_window(*window)
        _wait(qtbot, page)
        qtbot.wait(50)  # every repaint the change caused has happened by now
        assert page.settings().kernel == window[0]
        # the window view took its new ranges before the paint, not during it (that took a second)
        assert counter.count == 1
        screen, fresh = on_screen_and_fresh()
        assert screen == fresh  # what the incremental paints left is what a fresh render shows
    page.maps.viewport().removeEventFilter(counter)
