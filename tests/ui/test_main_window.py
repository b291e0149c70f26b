"""The main window: image loading, bad input, recent files, drag and drop, settings, pages."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from viewer.core.errors import UserError
from viewer.ui.errors import report_exception
from viewer.ui.main_window import PAGE_SPECS, MainWindow


def _close_message_boxes() -> list[str]:
    texts = []
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            texts.append(widget.text())
            widget.close()
    return texts


@pytest.fixture
def window(qtbot):
    QSettings().clear()
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.pages_installed, timeout=60_000)
    yield win
    _close_message_boxes()


def test_opens_on_a_sample_with_status(window):
    assert window.image is not None and window.image.name == "Astronaut"
    assert "512 × 512" in window.image_label.text()
    assert "JPEG" in window.image_label.text()
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [s.title for s in PAGE_SPECS]


def test_open_good_image_updates_pages_and_recent(window, qtbot, tmp_path):
    path = tmp_path / "red.png"
    Image.new("RGB", (40, 30), (255, 0, 0)).save(path)
    with qtbot.waitSignal(window.image_changed, timeout=10_000):
        window.open_path(path)
    assert window.image.width == 40 and window.image.height == 30
    assert "40 × 30" in window.image_label.text()
    assert window.recent_files()[0] == str(path.resolve())


@pytest.mark.parametrize("content", [b"", b"not an image at all"], ids=["empty", "text"])
def test_bad_image_keeps_previous_and_explains(window, qtbot, tmp_path, content):
    before = window.image
    path = tmp_path / "broken.png"
    path.write_bytes(content)
    with qtbot.waitSignal(window.image_load_failed, timeout=10_000) as blocker:
        window.open_path(path)
    assert "broken.png" in blocker.args[0]
    assert window.image is before
    texts = _close_message_boxes()
    assert any("broken.png" in t for t in texts)


def test_missing_path_and_directory(window, qtbot, tmp_path):
    for target in (tmp_path / "nope.png", tmp_path):
        with qtbot.waitSignal(window.image_load_failed, timeout=10_000):
            window.open_path(target)
    assert window.image.name == "Astronaut"
    _close_message_boxes()


def test_drop_a_file_opens_it(window, qtbot, tmp_path):
    path = tmp_path / "dropped.png"
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.image_changed, timeout=10_000):
        window.dropEvent(event)
    assert window.image.name == "dropped.png"


def test_sample_menu_switches_image(window):
    window.open_sample("checkerboard")
    assert window.image.name == "Checkerboard"
    assert window.recent_files() == []  # samples are not "recent files"


def test_geometry_and_page_restored(qtbot):
    QSettings().clear()
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    first.resize(640, 480)
    first.show_page("pooling")
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.current_page_id() == "pooling"
    assert (second.width(), second.height()) == (640, 480)


def test_screenshot_action_writes_png(window, tmp_path):
    target = tmp_path / "shot.png"
    window.save_screenshot(target)
    with Image.open(target) as shot:
        assert shot.size == (window.width(), window.height())


def test_user_errors_and_bugs_become_dialogs(window):
    report_exception(UserError("The kernel is too big."), window)
    assert "The kernel is too big." in _close_message_boxes()
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        report_exception(exc, window)
    texts = _close_message_boxes()
    assert any("RuntimeError: boom" in t for t in texts)


def test_sample_gallery_lists_every_sample(qtbot):
    from viewer.core.samples import SAMPLES
    from viewer.ui.sample_gallery import SampleGallery

    gallery = SampleGallery()
    qtbot.addWidget(gallery)
    assert gallery.list.count() == len(SAMPLES)
    gallery.list.setCurrentRow(2)
    with qtbot.waitSignal(gallery.sample_chosen) as blocker:
        gallery._choose(gallery.list.currentItem())
    assert blocker.args == [SAMPLES[2].stem]


def test_excepthook_turns_slot_exceptions_into_dialogs(window, monkeypatch):
    import sys

    from viewer.ui.errors import install_excepthook

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_excepthook(lambda: window)
    try:
        raise ValueError("slot failed")
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert any("ValueError: slot failed" in t for t in _close_message_boxes())
