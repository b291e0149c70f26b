"""The main window: image loading, bad input, recent files, drag and drop, settings, pages."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from viewer.core.errors import UserError
from viewer.pages import PAGES
from viewer.ui.errors import report_exception
from viewer.ui.main_window import MainWindow


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
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [s.title for s in PAGES]


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


def _dialogs() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def test_every_bad_file_of_issue_2_keeps_the_image_and_explains(window, qtbot, tmp_path):
    from test_command_line import _bad_inputs

    before = window.image
    for bad in _bad_inputs(tmp_path):
        with qtbot.waitSignal(window.image_load_failed, timeout=10_000):
            window.open_path(bad)
        (dialog,) = _dialogs()
        assert bad.name in dialog.text() and dialog.windowTitle() == "Cannot open the image"
        dialog.close()
        assert window.image is before
        assert "Astronaut" in window.image_label.text()


@pytest.mark.parametrize(
    "name, make, expected",
    [
        ("one.png", lambda: Image.new("RGB", (1, 1), (9, 8, 7)), "1 × 1 px — PNG, 8-bit RGB"),
        ("gray16.png", lambda: Image.fromarray(np.full((20, 30), 40_000, np.uint16)), "30 × 20 px — PNG, 16-bit grayscale"),
        ("rgba.png", lambda: Image.new("RGBA", (12, 10), (255, 0, 0, 100)), "12 × 10 px — PNG, 8-bit RGBA"),
        ("cmyk.jpg", lambda: Image.new("CMYK", (16, 16), (0, 255, 255, 0)), "16 × 16 px — JPEG, CMYK"),
        ("été 画像.png", lambda: Image.new("RGB", (7, 5)), "7 × 5 px — PNG, 8-bit RGB"),
    ],
)
def test_unusual_images_open_with_their_format_in_the_status_bar(window, qtbot, tmp_path, name, make, expected):
    path = tmp_path / name
    make().save(path)
    with qtbot.waitSignal(window.image_changed, timeout=10_000):
        window.open_path(path)
    assert window.image_label.text() == f"{name} — {expected}"
    assert not _dialogs()


def test_status_bar_names_every_sample_and_its_format(window):
    from viewer.core.samples import SAMPLES

    for entry in SAMPLES:
        window.open_sample(entry.stem)
        text = window.image_label.text()
        assert text.startswith(f"{entry.title} — {window.image.width} × {window.image.height} px — ")
        assert ("JPEG" if entry.filename.endswith(".jpg") else "PNG") in text


def test_a_deleted_recent_file_is_explained_and_dropped_from_the_list(window, qtbot, tmp_path):
    kept, gone = tmp_path / "kept.png", tmp_path / "gone.png"
    for path in (gone, kept):
        Image.new("RGB", (4, 4)).save(path)
        with qtbot.waitSignal(window.image_changed, timeout=10_000):
            window.open_path(path)
    gone.unlink()
    window.recent_menu.aboutToShow.emit()
    (action,) = [a for a in window.recent_menu.actions() if a.text().endswith("gone.png")]
    with qtbot.waitSignal(window.image_load_failed, timeout=10_000):
        action.trigger()
    (dialog,) = _dialogs()
    assert "does not exist" in dialog.text() and "removed from the recent files" in dialog.text()
    assert window.recent_files() == [str(kept.resolve())]
    assert window.image.name == "kept.png"


def test_recent_menu_shows_ampersands_literally(window, qtbot, tmp_path):
    path = tmp_path / "salt&pepper.png"
    Image.new("RGB", (4, 4)).save(path)
    with qtbot.waitSignal(window.image_changed, timeout=10_000):
        window.open_path(path)
    window.recent_menu.aboutToShow.emit()
    labels = [a.text() for a in window.recent_menu.actions()]
    assert "&1 salt&&pepper.png" in labels


def test_the_newest_open_wins_over_a_slower_earlier_one(window, qtbot, tmp_path, monkeypatch):
    import time

    import viewer.core.images as images

    slow, fast = tmp_path / "slow.png", tmp_path / "fast.png"
    Image.new("RGB", (6, 6)).save(slow)
    Image.new("RGB", (5, 5)).save(fast)
    real_decode = images.decode_image

    def decode(path, **kwargs):
        if path.name == "slow.png":
            time.sleep(0.6)
        return real_decode(path, **kwargs)

    monkeypatch.setattr(images, "decode_image", decode)
    window.open_path(slow)
    with qtbot.waitSignal(window.image_changed, timeout=10_000):
        window.open_path(fast)
    qtbot.wait(1_000)  # the slow one has finished by now
    assert window.image.name == "fast.png"
    assert window.recent_files()[0] == str(fast.resolve())


def test_unreadable_saved_geometry_falls_back_to_the_default_size(qtbot):
    QSettings().clear()
    QSettings().setValue("window/geometry", b"not a geometry")
    win = MainWindow()
    qtbot.addWidget(win)
    assert (win.width(), win.height()) == (1400, 900)


def test_screenshot_to_an_unwritable_path_shows_a_dialog(window, tmp_path):
    target = tmp_path / "no such folder" / "shot.png"
    window.save_screenshot(target)
    (dialog,) = _dialogs()
    assert "Could not write the screenshot" in dialog.text() and str(target) in dialog.text()
    assert not target.exists()


def test_about_names_the_versions_without_blocking(window):
    import PySide6

    window.about_action.trigger()  # returns at once: the box is window-modal, not exec()'d
    (dialog,) = _dialogs()
    assert "CNN Viewer" in dialog.text() and PySide6.__version__ in dialog.text()
    assert "untrained (random)" in dialog.text()


def test_gallery_thumbnails_keep_small_images_sharp(qtbot):
    from viewer.core.samples import sample
    from viewer.ui.sample_gallery import SampleGallery

    gallery = SampleGallery()
    qtbot.addWidget(gallery)
    stems = [gallery.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(gallery.list.count())]
    icon = gallery.list.item(stems.index("grid_5x5")).icon()
    thumb = icon.pixmap(128, 128).toImage()
    # inside the thumbnail's one-pixel frame
    grays = {thumb.pixelColor(x, y).red() for x in range(1, thumb.width() - 1) for y in range(1, thumb.height() - 1)}
    with Image.open(sample("grid_5x5").path) as grid:
        source = set(np.asarray(grid.convert("L")).ravel().tolist())
    assert grays <= source  # only the grid's own values: no blurred in-between shades
    assert thumb.pixelColor(0, 0).red() not in source  # the frame sets it apart from a white list


def test_waiting_for_every_page_leaves_no_progress_bar(qtbot):
    from viewer.ui.main_window import wait_until_idle

    win = MainWindow(start_page="convolution", persist_settings=False)
    qtbot.addWidget(win)
    win.show()
    assert wait_until_idle(win, 120, every_page=True)
    assert not any(page.is_busy() for page in win.pages().values())
    assert not win.busy_bar.isVisible()


def test_a_long_file_name_is_elided_in_the_middle_and_size_and_format_stay(window, qtbot, tmp_path):
    name = "holiday_" + "very_long_part_" * 14 + "end.png"
    path = tmp_path / name
    Image.new("RGB", (21, 13)).save(path)
    window.resize(1280, 800)
    with qtbot.waitSignal(window.image_changed, timeout=10_000):
        window.open_path(path)
    qtbot.waitUntil(lambda: "\u2026" in window.image_label.name.text(), timeout=5_000)
    shown = window.image_label.name.text()
    assert shown.startswith("holiday_") and shown.endswith("end.png")  # elided in the middle
    assert window.image_label.text() == f"{name} — 21 × 13 px — PNG, 8-bit RGB"  # nothing lost
    details = window.image_label.details
    bar = window.statusBar()
    right = details.mapTo(bar, details.rect().topRight()).x()
    assert details.width() >= details.sizeHint().width() and 0 < right <= bar.width()
    window.statusBar().showMessage("Computing the 512×512 feature map…")
    qtbot.wait(50)
    assert details.width() >= details.sizeHint().width()
    # nor does the name widen a page beyond the window (the lab's "Use the image" button)
    conv = window.page("convolution")
    assert conv.model.image_waiting() and "…" in conv.use_image.text() and name in conv.use_image.toolTip()
    assert conv.minimumSizeHint().width() <= 1280


def _focused_or_window(window):
    widget = QApplication.focusWidget()
    return widget if widget is not None and widget.window() is window else window.tabs.tabBar()


@pytest.mark.parametrize("page_id", ["convolution", "pooling"])
def test_step_keys_work_as_soon_as_a_page_is_shown(window, qtbot, page_id):
    """No click first: Right steps (it never switches tabs), Home/End jump, Space plays."""
    window.activateWindow()
    window.show_page(page_id)
    page = window.page(page_id)
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30_000)
    controls = page.step_controls
    controls.set_granularity("cell")
    controls.set_step(0)
    for target in (window.tabs.tabBar(), _focused_or_window(window)):
        qtbot.keyClick(target, Qt.Key.Key_Right)
        assert window.current_page_id() == page_id
    assert controls.step() == 2
    qtbot.keyClick(window.tabs.tabBar(), Qt.Key.Key_Left)
    assert controls.step() == 1 and window.current_page_id() == page_id
    qtbot.keyClick(window.tabs.tabBar(), Qt.Key.Key_End)
    assert controls.step() == controls.count() - 1
    qtbot.keyClick(window.tabs.tabBar(), Qt.Key.Key_Home)
    assert controls.step() == 0
    qtbot.keyClick(window.tabs.tabBar(), Qt.Key.Key_Space)
    assert controls.is_playing()
    qtbot.keyClick(window.tabs.tabBar(), Qt.Key.Key_Space)
    assert not controls.is_playing()


def test_a_hidden_pages_keys_are_inactive(window, qtbot):
    conv, pooling = window.page("convolution"), window.page("pooling")
    window.show_page("pooling")
    qtbot.waitUntil(lambda: not pooling.is_busy(), timeout=30_000)
    conv.step_controls.set_step(0)
    pooling.step_controls.set_granularity("cell")
    pooling.step_controls.set_step(0)
    qtbot.keyClick(window.tabs.tabBar(), Qt.Key.Key_Right)
    assert pooling.step_controls.step() == 1 and conv.step_controls.step() == 0


def test_a_hidden_explorer_computes_only_when_shown_and_keeps_its_messages(window, qtbot, tmp_path):
    explorer = window.page("resnet")
    window.show_page("convolution")
    qtbot.waitUntil(lambda: not window.is_busy() and not explorer.is_busy(), timeout=60_000)
    messages = []
    window.statusBar().messageChanged.connect(messages.append)
    before = explorer.model.result
    path = tmp_path / "new.png"
    Image.new("RGB", (48, 40), (10, 200, 30)).save(path)
    with qtbot.waitSignal(window.image_changed, timeout=10_000):
        window.open_path(path)
    qtbot.wait(200)
    assert not explorer.is_busy() and explorer.model.result is before  # no forward pass in the background
    assert not any("nodes captured" in m or "Computing resnet" in m for m in messages)
    window.show_page("resnet")
    assert explorer.is_busy()
    qtbot.waitUntil(lambda: not explorer.is_busy(), timeout=60_000)
    assert explorer.model.result is not before and explorer.model.result.fed_pixels.shape[2] == 3
    assert any("nodes captured" in m for m in messages)  # shown on its own page


def test_a_page_that_fails_in_a_later_piece_becomes_a_sentence(qtbot, monkeypatch):
    import viewer.ui.main_window as main_window
    from viewer.ui.training.page import TrainingLabPage

    def broken_build(self):
        self.model = None
        yield
        raise RuntimeError("the plots could not be made")

    reported = []
    monkeypatch.setattr(TrainingLabPage, "_build", broken_build)
    monkeypatch.setattr(main_window, "report_exception", lambda exc, parent=None: reported.append(str(exc)))
    QSettings().clear()
    win = MainWindow(persist_settings=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.pages_installed, timeout=60_000)
    training = win.pages()["training"]
    assert "failed to start: the plots could not be made" in training.label.text()
    assert training.progress is None  # a reason, not a moving line: nothing is coming
    assert reported == ["the plots could not be made"]
    assert {page.page_id for page in win.pages().values()} == {spec.page_id for spec in PAGES}
    assert hasattr(win.pages()["convolution"], "model")  # the other pages were built


def test_a_page_not_built_yet_shows_its_title_and_a_progress_line(qtbot):
    from PySide6.QtWidgets import QLabel

    win = MainWindow(persist_settings=False)  # not shown: PyTorch is not asked for
    qtbot.addWidget(win)
    for spec, page in zip(PAGES, win.pages().values(), strict=True):
        texts = [label.text() for label in page.findChildren(QLabel)]
        assert spec.title in texts and "Loading PyTorch…" in texts
        assert page.progress is not None and page.progress.maximum() == 0  # Qt's moving indicator
