"""The Lessons panel: every lesson opens its page with its settings (asserted on the page models),
the questions are answered, and the two new screens show PyTorch's numbers."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from tests.ui.test_command_line import run_viewer
from viewer.core.architectures import make_layer_calls
from viewer.models.lessons import LESSONS, lesson
from viewer.ui.main_window import MainWindow, wait_until_idle


@pytest.fixture(scope="module")
def window(qapp):
    QSettings().clear()
    win = MainWindow(persist_settings=False)
    win.resize(1400, 900)
    win.show()
    assert wait_until_idle(win, 120)
    yield win
    win.close()


def _check(window, item) -> None:
    setup, page = item.setup, window.page(item.page)
    assert window.current_page_id() == item.page
    if item.page == "convolution":
        s = page.model.settings
        if setup.conv_example is not None and setup.conv_image is None:
            assert s.source == "matrix" and page.model.loaded.example == setup.conv_example
        if setup.conv_image is not None:
            assert s.source == setup.conv_image
        for name, value in setup.conv:
            assert getattr(s, name) == value, name
        assert page.model.result is not None and page.model.refusal is None
    elif item.page == "pooling":
        assert page.model.preset == setup.pooling_preset
        for name, value in setup.pooling:
            assert getattr(page.model.settings, name) == value, name
        assert page.model.result is not None
    elif item.page == "resnet":
        model = page.model
        assert model.arch == setup.arch and model.node == setup.node
        assert model.result is not None and model.result.arch == setup.arch
        if setup.size is not None:
            assert model.size == setup.size and model.result.size_hw == (setup.size, setup.size)
        if setup.explorer_tab is not None:
            assert page.tabs.currentIndex() == setup.explorer_tab
    elif item.page == "training":
        assert page.model.settings.preset == setup.training_preset
    if hasattr(page, "shift_panel"):
        shift = page.shift_panel.model
        assert shift.shown == (setup.shift is not None)
        if setup.shift is not None:
            assert shift.shift == setup.shift and shift.result is not None and shift.result.shift == setup.shift
    if setup.sample is not None:
        assert window.image.name.lower().replace(" ", "_") == setup.sample


@pytest.mark.parametrize("item", LESSONS, ids=lambda item: item.lesson_id)
def test_every_lesson_opens_its_page_with_its_settings(window, item):
    window.open_lesson(item.lesson_id)
    assert wait_until_idle(window, 120)
    assert window.lessons().isVisible() and window.lessons().lesson_id == item.lesson_id
    _check(window, item)


def test_the_panel_answers_a_question_from_the_real_numbers(window, qtbot):
    dock = window.lessons()
    dock.show_lesson("output-size")
    assert dock.question.text() and dock.answer.text() == ""
    dock.answer_button.click()
    qtbot.waitUntil(lambda: "2x2" in dock.answer.text(), timeout=30_000)
    dock.show_lesson("degradation")  # no question: no answer button
    assert dock.answer_button.isHidden()


def test_the_open_button_opens_the_lesson_shown(window):
    dock = window.lessons()
    dock.show_lesson("padding")
    dock.open_button.click()
    assert wait_until_idle(window, 60)
    assert window.current_page_id() == "convolution"
    assert window.page("convolution").model.loaded.example == 2


def test_the_conv_shift_view_follows_the_control_and_the_setting(window, qtbot):
    window.open_lesson("translation-invariance")
    assert wait_until_idle(window, 60)
    page = window.page("convolution")
    panel = page.shift_panel
    result = panel.model.result
    assert result.output_shift == (2, 3) and result.interior_max == 0.0 and result.border_max > 0
    np.testing.assert_array_equal(result.output, page.model.result.steps.output)
    panel.dx.setValue(5)  # the stride 2 does not divide 5
    qtbot.waitUntil(lambda: panel.model.result.shift == (4, 5), timeout=30_000)
    assert panel.model.result.output_shift is None and "does not divide" in panel.summary.text()
    panel.setChecked(False)
    assert not panel.model.shown and panel.body.isHidden()


def test_the_pooling_shift_view_counts_the_unchanged_cells(window, qtbot):
    window.open_lesson("pooling-invariance")
    assert wait_until_idle(window, 60)
    result = window.page("pooling").shift_panel.model.result
    assert result.shift == (1, 1) and result.avg_unchanged < result.max_unchanged <= result.cells
    assert str(result.max_unchanged) in window.page("pooling").shift_panel.summary.text()


def test_the_stage_table_shows_every_stages_make_layer_call(window):
    window.open_lesson("make-layer")
    assert wait_until_idle(window, 120)
    page = window.page("resnet")
    lines = page.architecture.calls.text().splitlines()
    assert lines == [f"{call.stage}: {call.code}" for call in make_layer_calls("resnet50")]
    assert lines[1] == "conv3_x: make_layer(Bottleneck, in_channels=256, channels=128, blocks=4, stride=2)"
    assert page.architecture.calls.isVisible()
    assert page.model.block_code.startswith("Bottleneck(") and "downsample" in page.model.block_code
    assert page.architecture.code.toPlainText() == page.model.block_code


def test_lessons_on_the_command_line(tmp_path):
    listed = run_viewer("--lessons")
    assert listed.returncode == 0
    lines = listed.stdout.strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == [item.lesson_id for item in LESSONS]
    assert lines[0].split("\t")[1] == lesson("cross-correlation").title
    bad = run_viewer("--lesson", "no-such-lesson")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    out = tmp_path / "lesson.png"
    shot = run_viewer("--lesson", "output-size", "--screenshot", str(out), "--size", "1200x800")
    assert shot.returncode == 0, shot.stderr
    assert out.stat().st_size > 10_000
