"""Test set-up: Qt offscreen, settings in a throw-away folder, hypothesis kept quick."""

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hypothesis import settings  # noqa: E402
from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402

# Never read or write the user's real settings (recent files, geometry) from the tests.
_SETTINGS_DIR = tempfile.mkdtemp(prefix="cnn-viewer-test-settings-")
QCoreApplication.setOrganizationName("cnn-viewer-tests")
QCoreApplication.setApplicationName("cnn-viewer-tests")
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, _SETTINGS_DIR)

settings.register_profile("ci", max_examples=60, deadline=None)
settings.load_profile("ci")
