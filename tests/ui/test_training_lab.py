"""The Training page driven like a user would: a short run, pause, resume, stop, exports, leaving
for another page, and "Open in the ResNet explorer" through the main window.

Tiny settings (a few steps of 8 images at 16x16, width 0.25) keep these quick.
"""

from dataclasses import replace

import pytest
from superqt.utils import signals_blocked

from viewer.core.training.shapes import SHAPE_CLASSES
from viewer.models.training_lab import FINISHED, PAUSED, RUNNING, STOPPED
from viewer.ui.main_window import MainWindow
from viewer.ui.training.page import TrainingLabPage


def tiny(page, preset="batchnorm", steps=3):
    page.controls.preset_box.setCurrentIndex(page.controls.preset_box.findData(preset))  # UI -> model
    assert page.model.settings.preset == preset
    settings = replace(page.model.settings, steps=steps, batch_size=8, width=0.25, input_size=16)
    assert page.model.set_settings(settings) is None
    page._show_settings()


@pytest.fixture
def page(qtbot):
    page = TrainingLabPage()
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    yield page
    page.stop()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60_000)


def test_the_controls_show_the_model_and_report_edits(page):
    controls = page.controls
    assert controls.steps.value() == page.model.settings.steps == 500
    assert "degradation problem" in controls.explanation.text()
    controls.steps.setValue(42)  # UI -> model
    assert page.model.settings.steps == 42
    controls.learning_rate.setValue(0.0)  # the spin box keeps the rate positive
    assert page.model.settings.learning_rate == pytest.approx(0.0001)
    controls.preset_box.setCurrentIndex(controls.preset_box.findData("course-resnet50"))
    assert controls.size_box.currentData() == 32 and page.model.network_names() == ("ResNet50",)
    with signals_blocked(controls.steps):
        controls.steps.setValue(7)
    assert page.model.settings.steps == 300  # nothing reported while blocked


def test_a_short_run_finishes_with_curves_and_exports(page, qtbot, tmp_path):
    tiny(page, steps=3)
    page.controls.start_button.click()
    assert page.is_busy() and not page.controls.start_button.isEnabled()
    qtbot.waitUntil(lambda: page.model.state == FINISHED and not page.is_busy(), timeout=120_000)
    record = page.model.record
    assert record.step == 3 and record.final is not None
    assert page.controls.progress.value() == 3 and "step 3 of 3" in page.controls.progress.format()
    assert "plain-8 no BN" in page.summary.text() and "test accuracy" in page.summary.text()
    assert not page.controls.open_button.isEnabled()  # CIFAR-family networks: a sentence instead
    assert "torchvision-layout" in page.controls.trained_note.text()
    assert page.export_png(tmp_path / "curves.png").stat().st_size > 5000
    assert page.export_csv(tmp_path / "curves").read_text().startswith("network,step,")
    saved = []
    page.status_message.connect(saved.append)
    page.save_weights(1, tmp_path / "net.safetensors")
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30_000)
    assert (tmp_path / "net.safetensors").is_file() and any("Saved" in text for text in saved)


def test_pause_resume_and_stop(page, qtbot):
    tiny(page, steps=400)
    page.start()
    qtbot.waitUntil(lambda: page.model.record is not None and page.model.record.step >= 1, timeout=120_000)
    page.controls.pause_button.click()
    qtbot.waitUntil(lambda: page.model.state == PAUSED and not page.is_busy(), timeout=60_000)
    paused_at = page.model.record.step
    assert page.controls.pause_button.text() == "Resume" and page.controls.save_button.isEnabled()
    qtbot.wait(300)
    assert page.model.record.step == paused_at  # nothing trains while paused
    page.controls.pause_button.click()  # resume
    assert page.model.state == RUNNING
    qtbot.waitUntil(lambda: page.model.record.step > paused_at, timeout=60_000)
    page.controls.stop_button.click()
    qtbot.waitUntil(lambda: page.model.state == STOPPED and not page.is_busy(), timeout=60_000)
    assert page.model.record.final.stopped and page.model.record.step < 400
    assert page.controls.start_button.isEnabled()


def test_training_pauses_on_another_page_and_the_trained_resnet_opens_in_the_explorer(qtbot):
    window = MainWindow(persist_settings=False)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitUntil(lambda: window.pages_installed, timeout=60_000)
    window.show_page("training")
    page = window.page("training")
    tiny(page, preset="course-resnet50", steps=2)
    page.start()
    qtbot.waitUntil(lambda: page.model.record is not None and page.model.record.step >= 1, timeout=120_000)
    window.show_page("pooling")  # the run gives the cores to the page the user works on
    qtbot.waitUntil(lambda: page.model.state in (PAUSED, FINISHED) and not page.is_busy(), timeout=120_000)
    if page.model.state == PAUSED:
        assert page.model.paused_elsewhere
        window.show_page("training")  # and goes on when they come back
        qtbot.waitUntil(lambda: page.model.state == FINISHED and not page.is_busy(), timeout=120_000)
    assert page.controls.open_button.isEnabled()
    explorer = window.page("resnet")
    qtbot.waitUntil(lambda: not explorer.is_busy(), timeout=120_000)
    page.controls.open_button.click()
    qtbot.waitUntil(lambda: window.current_page_id() == "resnet", timeout=60_000)
    qtbot.waitUntil(lambda: not explorer.is_busy() and explorer.model.result is not None
                    and explorer.model.result.weights.trained, timeout=120_000)
    result = explorer.model.result
    assert result.arch == "resnet50" and result.size_hw == (16, 16) and explorer.model.size == 16
    assert result.names_known and {p.name for p in result.top5} <= set(SHAPE_CLASSES)
    assert result.weights.label.startswith("trained here on shapes")
    assert "trained here on shapes" in explorer.controls.weights_label.text()
    assert "the size these weights were trained at" in explorer.status.text()
    assert "ResNet50 trained here for 2 steps on shapes (10 classes, 16x16, seed 0)" in explorer.status.text()
    assert window.image.name.startswith("shapes test image 0")
    explorer.controls.random_button.click()  # the untrained network, one click away
    qtbot.waitUntil(lambda: not explorer.is_busy() and not explorer.model.result.weights.trained, timeout=120_000)
    assert not explorer.model.result.names_known
