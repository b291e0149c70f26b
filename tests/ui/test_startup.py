"""The window is painted before PyTorch and the other slow imports (they load afterwards, off the GUI thread)."""

import os
import subprocess
import sys

PROBE = """
import sys
from PySide6.QtCore import QEvent, QObject
from viewer.ui.app import create_application, drain_background_work
from viewer.ui.main_window import MainWindow

class FirstPaint(QObject):
    torch_at_paint = None
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and self.torch_at_paint is None:
            self.torch_at_paint = "torch" in sys.modules
            self.slow_at_paint = sorted(m for m in ("numpy", "superqt", "pyqtgraph", "PIL") if m in sys.modules)
        return False

app = create_application()
window = MainWindow(persist_settings=False)
probe = FirstPaint()
window.tabs.installEventFilter(probe)
window.show()
while not window.pages_installed:
    app.processEvents()
print("torch at first paint:", probe.torch_at_paint)
print("slow imports at first paint:", probe.slow_at_paint)
print("torch after pages:", "torch" in sys.modules)
print("image:", window.image.name, flush=True)
drain_background_work(app)  # exiting under a running worker crashes the interpreter's teardown
"""


def test_window_paints_before_torch_is_imported():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "torch at first paint: False" in result.stdout
    # numpy, superqt (which imports all its widgets), pyqtgraph and Pillow cost 0.1-0.2 s each
    assert "slow imports at first paint: []" in result.stdout
    assert "torch after pages: True" in result.stdout
    assert "image: Astronaut" in result.stdout


def test_collections_wait_while_the_backend_imports(qtbot, qapp, monkeypatch):
    import gc

    from viewer.ui.app import _GuiThreadGarbageCollector
    from viewer.ui.main_window import MainWindow

    collector = qapp.findChild(_GuiThreadGarbageCollector)
    collected = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: collected.append(generation))
    monkeypatch.setattr(gc, "get_count", lambda: (10**6, 10**6, 10**6))  # every generation due
    collector.timer.stop()  # only the checks below
    try:
        window = MainWindow(persist_settings=False)
        qtbot.addWidget(window)
        window.load_backend()
        assert collector.paused
        collector.check()
        assert collected == []  # due, but held back while PyTorch and the pages' modules import
        qtbot.waitUntil(lambda: window.pages_installed, timeout=60_000)
        assert not collector.paused
        collector.check()
        assert collected == [2]
    finally:
        collector.timer.start()


def test_collections_run_again_when_the_backend_import_fails(qtbot, qapp, monkeypatch):
    import viewer.ui.main_window as main_window
    from viewer.ui.app import _GuiThreadGarbageCollector

    def broken(_sample):
        raise ImportError("no torch here")

    reported = []
    monkeypatch.setattr(main_window, "_import_backend", broken)
    monkeypatch.setattr(main_window, "report_exception", lambda exc, parent=None: reported.append(str(exc)))
    collector = qapp.findChild(_GuiThreadGarbageCollector)
    window = main_window.MainWindow(persist_settings=False)
    qtbot.addWidget(window)
    window.load_backend()
    assert collector.paused
    qtbot.waitUntil(lambda: bool(reported) and not collector.paused, timeout=10_000)
    assert reported == ["no torch here"]
