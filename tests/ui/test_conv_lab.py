"""The Convolution lab driven like a student would: play, step, scrub, hover, bad settings."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from viewer.core.conv import ConvSetup, cross_correlate, format_number
from viewer.core.images import DecodedImage
from viewer.core.kernels import make_kernel
from viewer.ui.conv.page import ConvLabPage
from viewer.ui.widgets.step_controls import StepControls


def show_lab(qtbot, size=(1400, 900)) -> ConvLabPage:
    page = ConvLabPage()
    qtbot.addWidget(page)
    page.resize(*size)
    with qtbot.waitExposed(page):
        page.show()
    return page


def settle(qtbot, lab):
    """Big inputs are computed in a worker: wait for the result to be shown."""
    qtbot.waitUntil(lambda: not lab.is_busy(), timeout=30_000)


@pytest.fixture
def lab(qtbot):
    return show_lab(qtbot)


def photo(size=64):
    rng = np.random.default_rng(1)
    return DecodedImage(rng.random((size, size, 3), dtype=np.float32), "noise", "test")


def test_starts_on_course_example_1_with_2x2_output(lab):
    assert lab.page_id == "convolution"
    assert lab.model.result.steps.output.shape == (2, 2)
    np.testing.assert_array_equal(lab.model.result.steps.output, [[4, 4], [2, 4]])
    assert "= 4" in lab.window_view.sum_label.text()


def test_course_example_2_gives_5x5_and_formula_shows_both_conventions(lab):
    lab.load_course_example(2)
    assert lab.model.result.steps.output.shape == (5, 5)
    text = lab.controls.formula.text()
    assert "(5 \u2212 3 + 2)/1 + 1 = 5" in text  # the course's total padding
    assert "2\u00b71" in text  # PyTorch's per-side padding


def test_step_keys_and_timeline(lab, qtbot):
    lab.load_course_example(2)
    qtbot.keyClick(lab, Qt.Key.Key_Right)
    qtbot.keyClick(lab, Qt.Key.Key_Right)
    assert lab.current_step() == 2
    qtbot.keyClick(lab, Qt.Key.Key_Left)
    assert lab.current_step() == 1
    qtbot.keyClick(lab, Qt.Key.Key_End)
    assert lab.current_step() == 24
    qtbot.keyClick(lab, Qt.Key.Key_Home)
    assert lab.current_step() == 0
    lab.step_controls.slider.setValue(12)  # scrub
    assert lab.current_step() == 12
    assert "row 2, col 2" in lab.step_label.text()
    lab.step_controls.forward_button.click()
    assert lab.current_step() == 13 and lab.step_controls.slider.value() == 13
    lab.step_controls.back_button.click()
    lab.step_controls.back_button.click()
    assert lab.current_step() == 11


def test_play_advances_and_pauses_at_the_end(lab, qtbot):
    lab.load_course_example(1)
    lab.step_controls.set_speed(60)
    qtbot.keyClick(lab, Qt.Key.Key_Space)
    assert lab.is_playing()
    qtbot.waitUntil(lambda: lab.current_step() == 3 and not lab.is_playing(), timeout=3000)
    lab.toggle_play()  # at the end, play restarts from the beginning
    assert lab.is_playing()
    lab.pause()
    assert not lab.is_playing()


def test_hover_output_jumps_and_hover_input_shows_fed_cells(lab, qtbot):
    lab.load_course_example(2)
    canvas = lab.canvas
    canvas._on_mouse_moved(canvas.scene_pos_of(canvas.output_view, 3, 4))
    assert lab.current_step() == 19
    with qtbot.waitSignal(lab.status_message) as message:
        canvas._on_mouse_moved(canvas.scene_pos_of(canvas.input_view, 0, 0))
    assert "feeds 1 output" in message.args[0]  # the top-left padding cell feeds only (0, 0)
    assert canvas._fed.isVisible()
    assert canvas._fed.path().boundingRect().getRect() == (0, 0, 1, 1)
    canvas._on_mouse_moved(canvas.scene_pos_of(canvas.input_view, 3, 3))
    assert canvas._fed.path().boundingRect().getRect() == (1, 1, 3, 3)  # the centre feeds a 3x3 block


def test_invalid_setting_explained_inline_and_play_disabled(lab):
    lab.load_course_example(1)
    lab.controls.kh.setValue(7)  # 7 rows of kernel over 5 rows of input: no output
    assert lab.model.result is None
    assert not lab.controls.error.isHidden()
    assert "output would be empty" in lab.controls.error.text()
    assert not lab.step_controls.play_button.isEnabled() and not lab.step_controls.slider.isEnabled()
    lab.toggle_play()
    lab.step_by(1)
    assert not lab.is_playing()
    lab.controls.ph.setValue(1)  # 5 + 2 = 7 rows: fits again
    assert lab.model.result is not None and lab.step_controls.play_button.isEnabled()
    assert lab.controls.error.isHidden()


def test_image_source_kernel_preset_and_edits_match_the_core(lab):
    image = photo()
    lab.set_image(image)
    lab.show_image_source("luminance")
    lab.controls.preset.setCurrentIndex(lab.controls.preset.findData("sobel_y"))
    lab.controls.sh.setValue(1)
    lab.controls.sw.setValue(1)
    lab.controls.ph.setValue(1)
    lab.controls.pw.setValue(1)
    lab.controls.padding_mode.setCurrentIndex(lab.controls.padding_mode.findData("reflect"))
    want = cross_correlate(image.plane("luminance"), lab.model.kernel[0], 0, 1, 1, 1, "reflect")
    np.testing.assert_allclose(lab.model.result.steps.output, want, rtol=1e-6)
    lab.window_view.kernel_grid.item(1, 1).setText("2")  # edit one weight
    assert lab.controls.preset.currentData() == "custom"
    assert lab.model.kernel[0, 1, 1] == 2
    lab.window_view.kernel_grid.item(0, 0).setText("abc")  # not a number: refused, nothing breaks
    assert lab.model.kernel[0, 0, 0] == -1


def test_big_images_step_row_by_row(lab, qtbot):
    lab.set_image(photo(96))
    lab.show_image_source("rgb")
    lab.controls.sh.setValue(1)
    lab.controls.sw.setValue(1)
    settle(qtbot, lab)
    assert lab.model.result.steps.padded_input.shape[0] == 3
    assert lab.step_controls.granularity() == "row"
    lab.go_to(0)
    lab.step_by(1)
    cols = lab.model.result.steps.geometry.output_hw[1]
    assert lab.current_step() == cols - 1
    lab.step_by(1)
    assert lab.current_step() == 2 * cols - 1


def test_load_setup_shows_custom_input_with_label(lab):
    rng = np.random.default_rng(0)
    setup = ConvSetup(rng.standard_normal((64, 7, 7)), rng.standard_normal((64, 3, 3)), padding=(1, 1),
                      label="layer4.0.conv1, output channel 5")
    lab.load_setup(setup)
    assert lab.controls.source.currentData() == "custom"
    assert "layer4.0.conv1" in lab.custom_label.text() and lab.custom_label.isVisible()
    assert lab.model.result.steps.output.shape == (7, 7)
    np.testing.assert_allclose(lab.model.result.steps.output, cross_correlate(setup.x, setup.kernel, 0, 1, 1), rtol=1e-5, atol=1e-5)
    assert "64 channels" in lab.window_view.sum_label.text()
    lab.view_channel.setValue(10)
    assert "channel 10 of 64" in lab.window_view._titles[0].text()


def test_step_controls_row_by_row_full_counts_and_fast_play(qtbot):
    controls = StepControls()
    qtbot.addWidget(controls)
    controls.set_count(512 * 512)
    assert controls.granularity_box.isHidden() and controls.stride() == 1
    controls.set_row_length(512)
    controls.set_granularity("row")
    assert controls.stride() == 512
    controls.step_by(1)
    assert controls.step() == 511  # the end of the first row
    controls.step_by(1)
    assert controls.step() == 1023
    controls.set_step(700)  # mid-row: forward completes this row, back ends the previous one
    controls.step_by(1)
    assert controls.step() == 1023
    controls.step_by(-1)
    controls.step_by(-1)
    assert controls.step() == 0
    controls.set_step(153_855)
    assert controls.position_label.text() == "step 153,856 / 262,144"
    controls.set_granularity("cell")
    controls.set_speed(1000)  # faster than the screen: several steps per timer tick
    seen = []
    controls.step_changed.connect(seen.append)
    controls.play()
    qtbot.waitUntil(lambda: len(seen) >= 2, timeout=3000)
    controls.pause()
    assert seen[1] - seen[0] > 1


def test_fits_a_laptop_screen(qtbot):
    lab = show_lab(qtbot, (1200, 760))
    assert lab.minimumSizeHint().width() <= 1180
    lab.set_image(photo(512))
    lab.show_image_source("luminance")
    lab.controls.kh.setValue(11)  # the widest window grids
    lab.controls.kw.setValue(11)
    settle(qtbot, lab)
    assert lab.model.result is not None and lab.minimumSizeHint().width() <= 1180
    grid = lab.window_view.patch_grid
    assert grid.columnCount() == 11 and grid.horizontalHeader().length() <= grid.width()  # no clipped column
    assert lab.minimumSizeHint().height() <= 740


def test_big_photo_window_is_easy_to_find_and_counts_are_full(lab, qtbot):
    lab.set_image(photo(512))
    lab.show_image_source("luminance")
    for box in (lab.controls.sh, lab.controls.sw, lab.controls.ph, lab.controls.pw):
        box.setValue(1)
    settle(qtbot, lab)
    lab.go_to(153_855)
    qtbot.wait(10)
    assert "153,856 / 262,144" in lab.step_controls.position_label.text()
    assert "153,856 of 262,144" in lab.step_label.text()
    window, cell = lab.canvas.window_highlight, lab.canvas.cell_highlight
    assert window.outline.rect().getRect() == (255, 300, 3, 3)
    assert window.ring_shown() and cell.ring_shown()  # a 3x3 window is a few screen pixels: ringed
    assert window.guides_shown() and cell.guides_shown()
    assert window.guides.path().boundingRect().getRect() == (0, 0, 514, 514)  # guides span the input
    assert cell.guides.path().boundingRect().getRect() == (0, 0, 512, 512)
    lab.load_course_example(2)
    qtbot.wait(10)
    assert not window.ring_shown() and not cell.ring_shown()  # big on screen: the outline is enough
    assert not window.guides_shown() and not cell.guides_shown() and window.outline.isVisible()


def test_formula_lines_fit_the_settings_column(qtbot):
    lab = show_lab(qtbot, (1200, 760))
    lab.set_image(photo(512))
    lab.show_image_source("luminance")
    lab.controls.dh.setValue(8)  # long numbers everywhere
    lab.controls.sh.setValue(16)
    lab.controls.ph.setValue(16)
    lab.controls.kh.setValue(11)
    qtbot.wait(10)
    formula = lab.controls.formula
    assert "\u230a(512 + 2\u00b716 \u2212 8\u00b7(11\u22121) \u2212 1)/16\u230b + 1 = 29" in formula.text()
    assert not formula.wordWrap()  # one line per axis per convention, never broken mid-expression
    assert formula.sizeHint().width() <= lab.settings_scroll.viewport().width()


def test_new_image_waits_one_click_away_on_the_course_example(lab, qtbot):
    assert lab.use_image.isHidden()  # no image yet: nothing to offer
    image = photo(48)
    with qtbot.waitSignal(lab.status_message):
        lab.set_image(image)
    assert lab.controls.source.currentData() == "matrix" and lab.model.result.steps.output.shape == (2, 2)  # mode kept
    assert lab.use_image.isVisible() and "noise (48\u00d748)" in lab.use_image.text()
    lab.use_image.click()
    assert lab.controls.source.currentData() == "luminance" and lab.use_image.isHidden()
    assert not lab.custom_label.isVisible()
    np.testing.assert_array_equal(lab.model.result.steps.padded_input[0], image.plane("luminance"))  # stride 2, no padding


def test_new_image_shows_at_once_in_image_mode_and_waits_behind_a_custom_input(lab):
    lab.set_image(photo(32))
    lab.show_image_source("red")
    second = DecodedImage(np.random.default_rng(5).random((20, 24, 3), dtype=np.float32), "second", "test")
    lab.set_image(second)
    np.testing.assert_array_equal(lab.model.result.steps.padded_input[0], second.plane("red"))
    assert lab.use_image.isHidden()
    rng = np.random.default_rng(0)
    lab.load_setup(ConvSetup(rng.standard_normal((4, 6, 6)), rng.standard_normal((4, 3, 3)), label="layer1.0.conv1"))
    lab.set_image(photo(16))
    assert lab.controls.source.currentData() == "custom" and lab.model.result.steps.padded_input.shape == (4, 6, 6)
    lab.use_image.click()  # back to the channel last chosen, with the real kernel's first channel
    assert lab.controls.source.currentData() == "red" and lab.model.result.steps.padded_input.shape == (1, 16, 16)


def test_an_invalid_setting_does_not_empty_the_pictures_for_good(lab):
    # GraphicsLayoutWidget forwards clear() to its layout: hiding the overlays must not remove the views.
    lab.controls.kh.setValue(11)  # impossible on the 5x5 example
    assert lab.model.result is None
    lab.controls.kh.setValue(3)
    assert lab.model.result is not None
    layout = lab.canvas.ci
    assert layout.getItem(1, 0) is lab.canvas.input_view and layout.getItem(1, 1) is lab.canvas.output_view
    assert lab.canvas.input_image.image is not None and lab.canvas.input_image.scene() is not None


def test_typed_kernel_weights_survive_shrinking_and_channel_switches(lab):
    lab.set_image(photo(16))
    lab.show_image_source("rgb")
    lab.controls.preset.setCurrentIndex(lab.controls.preset.findData("sobel_x"))
    lab.view_channel.setValue(1)
    lab.window_view.kernel_grid.item(0, 2).setText("7")  # channel 1, top-right corner
    assert lab.kernel()[1, 0, 2] == 7
    lab.controls.kw.setValue(1)  # only the centre column is left...
    lab.controls.kw.setValue(3)  # ...and the corners come back
    assert lab.kernel()[1, 0, 2] == 7 and lab.kernel()[0, 0, 0] == -1
    lab.show_image_source("luminance")  # one channel shown...
    assert lab.kernel().shape == (1, 3, 3)
    lab.show_image_source("rgb")  # ...the edit of channel 1 is still there
    assert lab.kernel()[1, 0, 2] == 7
    lab.controls.preset.setCurrentIndex(lab.controls.preset.findData("laplacian"))  # a preset replaces it
    assert lab.kernel()[1, 0, 2] == 0


def test_numeric_matrix_survives_shrinking(lab):
    controls = lab.controls
    controls.matrix.item(4, 4).setText("9")
    controls.matrix.item(0, 4).setText("abc")
    controls.matrix_rows.setValue(2)
    controls.matrix_cols.setValue(2)
    assert controls.matrix_values().shape == (2, 2)
    controls.matrix_rows.setValue(5)
    controls.matrix_cols.setValue(5)
    assert controls.matrix_values()[4, 4] == 9
    assert controls.matrix.item(0, 4).text() == "abc" and controls.matrix.item(0, 4).toolTip()


def test_many_channel_input_numbers_and_channel_switch_without_recomputing(lab, qtbot):
    rng = np.random.default_rng(0)
    setup = ConvSetup(rng.standard_normal((512, 14, 14)), rng.standard_normal((512, 3, 3)), padding=(1, 1),
                      label="layer3.1.conv2, output channel 7")
    lab.load_setup(setup)
    settle(qtbot, lab)
    steps = lab.model.result.steps
    np.testing.assert_allclose(steps.output, cross_correlate(setup.x, setup.kernel, 0, 1, 1), rtol=1e-4, atol=1e-4)
    numbers = lab.canvas.input_numbers.texts()
    assert len(numbers) == 16 and numbers[1][1] == format_number(float(setup.x[0, 0, 0]), 2)
    lab.view_channel.setValue(300)
    assert lab.model.result.steps is steps  # nothing recomputed
    assert lab.canvas.input_numbers.texts()[1][1] == format_number(float(setup.x[300, 0, 0]), 2)
    assert "channel 300 of 512" in lab.window_view._titles[1].text()
    np.testing.assert_array_equal(lab.window_view.kernel_grid.item(0, 0).text(),
                                  format_number(float(setup.kernel[300, 0, 0]), 2))


def test_photo_sized_input_is_computed_in_the_background(lab, qtbot):
    lab.set_image(photo(1024))
    lab.show_image_source("luminance")
    assert lab.is_busy()  # the GUI thread did not wait for the 1024x1024 feature map
    settle(qtbot, lab)
    assert lab.model.result.steps.geometry.input_hw == (1024, 1024) and not lab.is_busy()
    lab.controls.kh.setValue(11)  # settings changed while a job runs: the newest wins
    lab.controls.kw.setValue(11)
    settle(qtbot, lab)
    assert lab.model.result.steps.kernel.shape == (1, 11, 11)


def test_exports_check_the_path_and_say_one_clear_thing(lab, qtbot, tmp_path, monkeypatch):
    from viewer.core.errors import UserError

    out = lab.save_frame_png(str(tmp_path / "frame"))  # no extension: .png added
    assert out.name == "frame.png" and out.exists()
    with pytest.raises(UserError, match=r"ending in \.png"):
        lab.save_frame_png(str(tmp_path / "frame.jpg"))
    with pytest.raises(UserError, match="does not exist"):
        lab.save_steps_gif(str(tmp_path / "missing" / "steps.gif"))
    errors = []
    lab.error_occurred.connect(errors.append)
    monkeypatch.setattr("viewer.ui.conv.page.QFileDialog.getSaveFileName",
                        lambda *args, **kwargs: (str(tmp_path / "steps.txt"), ""))
    lab.export_gif.click()  # through the dialog: a wrong extension is one message, no exception
    assert len(errors) == 1 and ".gif" in errors[0]
    lab.load_course_example(2)
    lab.go_to(6)
    with qtbot.waitSignal(lab.status_message, check_params_cb=lambda text: text.startswith("Wrote")):
        lab.save_steps_gif(str(tmp_path / "steps.gif"))
    settle(qtbot, lab)
    from PIL import Image

    with Image.open(tmp_path / "steps.gif") as gif:
        assert gif.n_frames == 7
    lab.save_steps_gif("/proc/steps.gif")  # a folder nobody can write into: reported, not raised
    settle(qtbot, lab)
    assert len(errors) == 2 and errors[1].startswith("Cannot write /proc/steps.gif")


# -- both directions: a control reaches the model, the model's settings show in the controls ----
def test_every_control_reaches_the_model(lab):
    controls, model = lab.controls, lab.model
    controls.matrix.item(0, 0).setText("3")
    assert model.settings.matrix[0, 0] == 3 and model.result.steps.padded_input[0, 0, 0] == 3
    controls.sh.setValue(1)
    controls.pw.setValue(2)
    controls.dw.setValue(2)
    assert (model.settings.stride, model.settings.padding, model.settings.dilation) == ((1, 2), (0, 2), (1, 2))
    controls.padding_mode.setCurrentIndex(controls.padding_mode.findData("replicate"))
    controls.bias.setValue(1.5)
    assert model.settings.padding_mode == "replicate" and model.result.steps.bias == 1.5
    controls.preset.setCurrentIndex(controls.preset.findData("box_blur"))
    assert model.settings.preset == "box_blur"
    np.testing.assert_allclose(model.kernel[0], make_kernel("box_blur"))
    controls.source.setCurrentIndex(controls.source.findData("red"))  # no image yet
    assert model.settings.source == "red" and "Open an image" in controls.formula.text()


def test_the_channel_shown_goes_both_ways(lab):
    rng = np.random.default_rng(0)
    lab.load_setup(ConvSetup(rng.standard_normal((8, 6, 6)), rng.standard_normal((8, 3, 3))))
    lab.view_channel.setValue(6)
    assert lab.model.view_channel == 6
    lab.load_setup(ConvSetup(rng.standard_normal((4, 6, 6)), rng.standard_normal((4, 3, 3))))
    assert lab.model.view_channel == 3 and lab.view_channel.value() == 3 and lab.view_channel.maximum() == 3


def test_a_loaded_setup_shows_in_the_form_without_echoing_back(lab, qtbot):
    changes = []
    lab.controls.changed.connect(lambda: changes.append(True))
    rng = np.random.default_rng(0)
    setup = ConvSetup(rng.standard_normal((3, 9, 9)), rng.standard_normal((3, 5, 3)), stride=(2, 1), padding=(2, 1),
                      dilation=(1, 2), padding_mode="reflect", label="layer2.0.conv2")
    lab.load_setup(setup)
    controls = lab.controls
    custom_item = controls.source.model().item(controls.source.findData("custom"))
    assert controls.source.currentData() == "custom" and custom_item.isEnabled()
    assert controls.preset.currentData() == "custom" and controls.padding_mode.currentData() == "reflect"
    pairs = [(a.value(), b.value()) for a, b in ((controls.kh, controls.kw), (controls.sh, controls.sw),
                                                 (controls.ph, controls.pw), (controls.dh, controls.dw))]
    assert pairs == [(5, 3), (2, 1), (2, 1), (1, 2)]
    controls.sh.setValue(1)  # the student's change, on the loaded setup's values
    assert lab.model.settings.stride == (1, 1) and lab.model.settings.padding == (2, 1)
    lab.load_course_example(2)
    assert controls.source.currentData() == "matrix" and not custom_item.isEnabled()
    np.testing.assert_array_equal(controls.matrix_values(), lab.model.settings.matrix)
    assert (controls.ph.value(), controls.pw.value(), controls.sh.value()) == (1, 1, 1)
    assert changes == [True]  # only the student's edit; nothing the model wrote came back


def test_the_preset_rules_show_in_the_form_and_call_the_model_once_per_edit(lab, monkeypatch):
    calls = []
    set_settings = lab.model.set_settings
    monkeypatch.setattr(lab.model, "set_settings", lambda settings: calls.append(settings) or set_settings(settings))
    controls = lab.controls
    controls.preset.setCurrentIndex(controls.preset.findData("sobel_x"))
    controls.kh.setValue(5)  # a fixed kernel resized: it becomes custom, weights centred
    assert controls.preset.currentData() == "custom" and lab.model.settings.preset == "custom"
    assert lab.kernel().shape == (1, 5, 3) and lab.kernel()[0, 1, 0] == -1
    controls.preset.setCurrentIndex(controls.preset.findData("laplacian"))  # brings its own 3x3 size
    assert (controls.kh.value(), controls.kw.value()) == (3, 3) == lab.model.settings.kernel_hw
    lab.window_view.kernel_grid.item(0, 0).setText("4")  # a typed weight makes it custom again
    assert controls.preset.currentData() == "custom" and lab.kernel()[0, 0, 0] == 4
    assert len(calls) == 3  # one per change in the form; the kernel edit has its own method


def test_a_refused_setting_shows_its_formula_marked_impossible(lab):
    """Kernel 11, dilation 5 on the 5x5 example: no "-45"; reflect padding 5: no "13"."""
    lab.load_course_example(1)
    lab.controls.kh.setValue(11)
    lab.controls.dh.setValue(5)
    text = lab.controls.formula.text()
    assert "(5 \u2212 51 + 0)/2 + 1 \u2192" in text and "impossible" in text
    assert "-45" not in text and "\u221245" not in text and "= -" not in text
    lab.load_course_example(1)
    lab.controls.ph.setValue(5)
    lab.controls.pw.setValue(5)
    lab.controls.padding_mode.setCurrentIndex(lab.controls.padding_mode.findData("reflect"))
    assert "Reflect padding" in lab.controls.error.text()
    text = lab.controls.formula.text()
    assert text.count("impossible") == 4 and "= 13" not in text and "= 7" not in text


def test_a_refused_setting_leaves_no_stale_kernel_or_step_count(lab):
    lab.load_course_example(1)
    lab.go_to(3)
    lab.controls.preset.setCurrentIndex(lab.controls.preset.findData("box_blur"))
    lab.controls.kh.setValue(7)  # refused: 7 rows over 5
    grid = lab.window_view.kernel_grid
    assert (grid.rowCount(), grid.columnCount()) == lab.model.kernel.shape[1:] == (7, 3)
    assert lab.step_controls.count() == 0 and lab.step_controls.position_label.text() == "no steps"


def test_matrix_values_beyond_float32_are_marked_invalid_like_nan(lab):
    lab.load_course_example(1)
    item = lab.controls.matrix.item(0, 0)
    item.setText("1e40")
    assert item.foreground().color() == Qt.GlobalColor.red and "float32" in item.toolTip()
    assert lab.controls.matrix_values()[0, 0] == 0 and np.isfinite(lab.model.settings.matrix).all()
    item.setText("3e38")  # float32 holds it: a number, refused only if the sums overflow
    assert item.foreground().color() != Qt.GlobalColor.red
    assert lab.controls.matrix_values()[0, 0] == np.float32(3e38)
    assert "too large" in lab.controls.error.text() and lab.model.result is None
    item.setText("1")
    assert lab.model.result is not None


def test_a_kernel_weight_beyond_float32_is_rejected(lab):
    lab.load_course_example(1)
    rejected = []
    lab.window_view.kernel_rejected.connect(rejected.append)
    lab.window_view.kernel_grid.item(0, 0).setText("1e40")
    assert rejected and lab.model.kernel[0, 0, 0] == 1 and np.isfinite(lab.model.kernel).all()


def test_padding_given_per_side_both_ways(lab, qtbot):
    """A MindSpore "same" layer's padding (0 top/left, 1 bottom/right) shows in the form, and the
    student can give the bottom/right padding apart."""
    import torch
    import torch.nn.functional as F

    changes = []
    lab.controls.changed.connect(lambda: changes.append(True))
    rng = np.random.default_rng(3)
    x, kernel = rng.standard_normal((2, 8, 8)).astype(np.float32), rng.standard_normal((2, 3, 3)).astype(np.float32)
    lab.load_setup(ConvSetup(x, kernel, stride=(2, 2), padding=(0, 0), padding_end=(1, 1), label="layer2.0.conv2"))
    controls = lab.controls
    assert controls.asymmetric.isChecked() and not controls.eh.isHidden()
    assert (controls.ph.value(), controls.eh.value(), controls.ew.value()) == (0, 1, 1)
    assert controls.padding_label.text() == "Padding top, left"
    assert lab.model.result.steps.geometry.padded_hw == (9, 9) and changes == []
    expected = F.conv2d(F.pad(torch.from_numpy(x)[None], (0, 1, 0, 1)), torch.from_numpy(kernel)[None], stride=2)
    np.testing.assert_allclose(lab.model.result.steps.output, expected[0, 0].numpy(), rtol=1e-5, atol=1e-5)
    assert "p\u2081 + p\u2082" in controls.formula.text() and "(8 + 0 + 1 \u2212 1\u00b7(3\u22121) \u2212 1)/2" in controls.formula.text()
    controls.ew.setValue(3)  # UI -> model
    assert lab.model.settings.padding_end == (1, 3) and lab.model.result.steps.geometry.padded_hw == (9, 11)
    controls.asymmetric.setChecked(False)
    assert lab.model.settings.padding_end is None and controls.eh.isHidden()
    assert controls.padding_label.text() == "Padding per side"
    lab.load_course_example(2)  # the course's example stays symmetric
    assert not controls.asymmetric.isChecked() and lab.model.result.steps.output.shape == (5, 5)
