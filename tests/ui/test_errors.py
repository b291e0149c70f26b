"""Exceptions in slots, timers, worker callbacks and other threads end in one dialog and a log line."""

from __future__ import annotations

import logging
import sys
import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from viewer.ui.errors import install_excepthook

# pytest-qt would turn these exceptions into test failures; here they are the subject.
pytestmark = pytest.mark.qt_no_exception_capture


def _boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


@pytest.fixture
def hooked(qtbot, monkeypatch):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_excepthook(lambda: parent)
    yield parent
    for box in _boxes():
        box.close()


def _raise(message: str):
    raise ValueError(message)


def test_exception_in_a_timer_slot_becomes_a_dialog_and_a_log_line(hooked, qtbot, caplog):
    with caplog.at_level(logging.ERROR, logger="viewer.ui"):
        QTimer.singleShot(0, lambda: _raise("slot failed"))
        qtbot.waitUntil(lambda: bool(_boxes()), timeout=5_000)
    (box,) = _boxes()
    assert "ValueError: slot failed" in box.text()
    assert "Traceback" in box.detailedText()
    assert any("slot failed" in record.getMessage() for record in caplog.records)
    assert hooked.isVisible()  # the window lives on


def test_a_failing_animation_timer_opens_one_dialog_not_hundreds(hooked, qtbot):
    timer = QTimer()
    timer.setInterval(2)
    timer.timeout.connect(lambda: _raise("tick failed"))
    timer.start()
    qtbot.wait(400)
    timer.stop()
    boxes = _boxes()
    assert len(boxes) == 1
    assert "more error" in boxes[0].informativeText()


def test_exception_in_a_worker_callback_becomes_a_dialog(hooked, qtbot):
    from superqt.utils import create_worker

    def callback(_value):
        raise RuntimeError("callback failed")

    # started inside the wait: a worker done before the wait connects would never be seen to finish
    worker = create_worker(lambda: 42, _connect={"returned": callback}, _start_thread=False)
    with qtbot.waitSignal(worker.finished, timeout=10_000):
        worker.start()
    qtbot.waitUntil(lambda: bool(_boxes()), timeout=5_000)
    assert "RuntimeError: callback failed" in _boxes()[0].text()


def test_exception_in_another_thread_is_shown_from_the_gui_thread(hooked, qtbot):
    def run():
        try:
            raise KeyError("from a thread")
        except KeyError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(_boxes()), timeout=5_000)
    (box,) = _boxes()
    assert "from a thread" in box.text()
    assert box.thread() is QApplication.instance().thread()


def test_repeated_user_error_is_not_stacked(hooked):
    from viewer.core.errors import UserError
    from viewer.ui.errors import report_exception

    for _ in range(5):
        report_exception(UserError("The kernel is too big."), hooked)
    assert [box.text() for box in _boxes()] == ["The kernel is too big."]
