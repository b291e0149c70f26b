"""Start-up: time until the main window is first painted, vs importing QtWidgets alone.

Both are measured from the parent as the wall time of a fresh ``python`` process, so Python's
own start-up is in both and the ratio shows what the app adds on top of Qt itself.
"""

from __future__ import annotations

import os
import subprocess
import sys

from benchmarks.harness import case, compare

# What `python -m viewer` does up to the first paint, then exits instead of entering exec().
_APP_UNTIL_FIRST_PAINT = """
from viewer.__main__ import build_parser
build_parser().parse_args([])
from viewer.ui.app import create_application
from viewer.ui.main_window import MainWindow
app = create_application()
window = MainWindow(persist_settings=False)
window.show()
while not window.first_paint_done:
    app.processEvents()
"""
_QT_ONLY = "import PySide6.QtWidgets"


def _python(code: str) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True)


@case("startup.first_paint")
def first_paint(repeats: int):
    return compare(
        "startup.first_paint",
        lambda: _python(_APP_UNTIL_FIRST_PAINT),
        lambda: _python(_QT_ONLY),
        target=3.0,
        repeats=max(1, min(repeats, 7)),
        warmup=1,
        baseline_name='python -c "import PySide6.QtWidgets"',
        note="fresh processes; PyTorch is imported after the first paint, off the GUI thread",
    )
