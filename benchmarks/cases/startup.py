"""Start-up: the first paint, how long the window freezes, and when the pages are ready.

Both are measured from the parent as the wall time of a fresh ``python`` process, so Python's
own start-up is in both and the ratio shows what the app adds on top of Qt itself.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

from benchmarks.harness import Result, case, compare
from viewer.pages import PAGES

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


# The app from launch until every page is idle, with a 1 ms timer on the GUI thread: prints the
# gaps between its ticks (JSON, milliseconds, longest first). Runs the event loop (exec), as
# the app does, and quits once every page has been idle for 0.2 s.
_APP_GAPS = """
import json, os, time
from viewer.ui.app import create_application
from viewer.ui.main_window import MainWindow
from PySide6.QtCore import QTimer
app = create_application()
ticks = []
tick = QTimer(); tick.setInterval(1); tick.timeout.connect(lambda: ticks.append(time.perf_counter()))
window = MainWindow(persist_settings=False)
window.show()
tick.start()
idle_since = [None]
def poll():
    idle = window.pages_installed and not any(p.is_busy() for p in window.pages().values())
    if not idle:
        idle_since[0] = None
    elif idle_since[0] is None:
        idle_since[0] = time.perf_counter()
    elif time.perf_counter() - idle_since[0] > 0.2:
        app.quit()
watch = QTimer(); watch.setInterval(5); watch.timeout.connect(poll); watch.start()
app.exec()
gaps = sorted(((b - a) * 1e3 for a, b in zip(ticks, ticks[1:])), reverse=True)
print(json.dumps(gaps[:5]))
os._exit(0)
"""
# The GIL floor: an empty Qt app with the same timer while a worker thread imports torch.
_IMPORT_GAPS = """
import json, os, threading, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
ticks = []
tick = QTimer(); tick.setInterval(1); tick.timeout.connect(lambda: ticks.append(time.perf_counter()))
done = []
def load():
    import torch  # noqa: F401
    done.append(time.perf_counter())
def poll():
    if done and time.perf_counter() - done[0] > 0.2:
        app.quit()
watch = QTimer(); watch.setInterval(5); watch.timeout.connect(poll); watch.start()
tick.start()
threading.Thread(target=load, daemon=True).start()
app.exec()
gaps = sorted(((b - a) * 1e3 for a, b in zip(ticks, ticks[1:])), reverse=True)
print(json.dumps(gaps[:5]))
os._exit(0)
"""
# The app until its pages are ready (the window's pages_ready signal), then out.
_APP_UNTIL_PAGES_READY = """
import os
from viewer.ui.app import create_application
from viewer.ui.main_window import MainWindow
app = create_application()
window = MainWindow(persist_settings=False)
window.pages_ready.connect(lambda: os._exit(0))
window.show()
app.exec()
"""
_IMPORT_TORCH = "import os, torch; os._exit(0)"
# What the pages cannot start without, imported in one fresh process and nothing else done: Qt,
# superqt (the workers), torch, pyqtgraph and the pages' own modules. All of it holds the GIL
# (torch's import with a busy thread beside it takes as long as both one after the other), so
# no ordering of the app's start-up overlaps it: the pages cannot be ready sooner than this.
# Without cycle collections (0.2 s of them otherwise), the fastest these imports can be done.
_IMPORTS_THE_PAGES_NEED = (
    "import gc; gc.disable(); import os, PySide6.QtWidgets, superqt.utils, torch, pyqtgraph; "
    f"import {', '.join(spec.module for spec in PAGES)}; os._exit(0)"
)


def _gaps(code: str) -> list[float]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    done = subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@case("startup.gui_gap")
def gui_gap(repeats: int) -> Result:
    """Longest GUI gap from the window's show until every page is idle, vs the gap a bare
    ``import torch`` in a worker thread causes a 1 ms timer in an empty Qt app (fresh processes)."""
    app_gaps, floor_gaps = [], []
    for _ in range(max(1, min(repeats, 3))):
        app_gaps.append(_gaps(_APP_GAPS))
        floor_gaps.append(_gaps(_IMPORT_GAPS))
    worst = statistics.median(g[0] for g in app_gaps)
    second = statistics.median(g[1] if len(g) > 1 else 0.0 for g in app_gaps)
    floor_second = statistics.median(g[1] if len(g) > 1 else 0.0 for g in floor_gaps)
    return Result(
        "startup.gui_gap", figure=worst, baseline=statistics.median(g[0] for g in floor_gaps), unit="ms",
        target=1.2, baseline_name="longest gap of an empty Qt app while a thread imports torch",
        floor="the baseline: torch's import holds the GIL in long stretches (C extension loading)",
        note=f"fresh processes, medians of {len(app_gaps)}; the app's second-longest gap {second:.0f} ms "
        f"(target < 50 ms; the bare import's own second-longest: {floor_second:.0f} ms)",
    )


@case("startup.pages_ready")
def pages_ready(repeats: int) -> Result:
    return compare(
        "startup.pages_ready",
        lambda: _python(_APP_UNTIL_PAGES_READY),
        lambda: _python(_IMPORT_TORCH),
        target=1.15,
        repeats=max(1, min(repeats, 5)),
        warmup=1,
        baseline_name='python -c "import torch"',
        floor="the imports the pages need, one after the other in one process without cycle collections (Qt, "
        "superqt, torch, pyqtgraph, the page modules): they all hold the GIL, so nothing the window does overlaps them",
        alternatives={"the floor": lambda: _python(_IMPORTS_THE_PAGES_NEED)},
        note="fresh processes, wall time until the window's pages_ready signal (every page built)",
    )
