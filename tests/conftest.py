"""Test set-up shared by every folder: hypothesis kept quick; no Qt here (see tests/ui/conftest.py).

``tests/core``, ``tests/models``, ``tests/export`` and ``tests/commands`` must run without Qt:
with ``CNN_VIEWER_TESTS_WITHOUT_QT=1`` (``make test`` runs them so) any import of PySide6,
shiboken6, pyqtgraph or superqt fails, as on a machine where Qt is not installed.
"""

import importlib.abc
import os
import sys
import tempfile

from hypothesis import settings

# Generated datasets (the training lab's shapes) are cached in a throw-away folder, not the user's.
os.environ.setdefault("CNN_VIEWER_CACHE_DIR", tempfile.mkdtemp(prefix="cnn-viewer-test-cache-"))

settings.register_profile("ci", max_examples=60, deadline=None)
settings.load_profile("ci")

QT_PACKAGES = ("PySide6", "shiboken6", "pyqtgraph", "superqt", "pytestqt")
WITHOUT_QT = os.environ.get("CNN_VIEWER_TESTS_WITHOUT_QT") == "1"


class _NoQt(importlib.abc.MetaPathFinder):
    """Refuses every Qt package, as if it were not installed."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in QT_PACKAGES:
            raise ModuleNotFoundError(f"No module named {fullname!r} (Qt is blocked in this test run)", name=fullname)
        return None


if WITHOUT_QT:
    loaded = sorted(name for name in sys.modules if name.split(".")[0] in QT_PACKAGES)
    if loaded:
        raise RuntimeError(f"Qt was imported before the tests started: {loaded[:5]}; run with -p no:pytest-qt")
    sys.meta_path.insert(0, _NoQt())
