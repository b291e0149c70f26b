"""Qt test set-up: offscreen platform, settings in a throw-away folder, no worker outliving its test."""

import gc
import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402

# Never read or write the user's real settings (recent files, geometry) from the tests.
_SETTINGS_DIR = tempfile.mkdtemp(prefix="cnn-viewer-test-settings-")
QCoreApplication.setOrganizationName("cnn-viewer-tests")
QCoreApplication.setApplicationName("cnn-viewer-tests")
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, _SETTINGS_DIR)


@pytest.fixture(autouse=True)
def _no_worker_outlives_its_test():
    """Let background jobs of a test finish inside it, so none reports into a later test."""
    yield
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        from PySide6.QtWidgets import QMessageBox

        from viewer.ui.app import drain_background_work

        drain_background_work(app, timeout_ms=120_000)
        gc.collect()  # the test's widgets go now, on this thread (see the session fixture below)
        # An error dialog left open would absorb the next test's error (repeats are counted
        # in the open dialog instead of stacking): close them between tests.
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                widget.close()


@pytest.fixture(scope="session", autouse=True)
def _garbage_collected_on_the_gui_thread(qapp):
    """The app's rule from the first test on: a worker never runs the cycle collector."""
    from viewer.ui.app import collect_garbage_on_the_gui_thread

    collect_garbage_on_the_gui_thread(qapp)
    yield
