"""Memory given back: the app's resident memory after visiting big networks, vs after start-up.

A fresh process opens the main window on the explorer (ResNet50 at 224x224, every page idle),
reads its RSS, switches 18 -> 152 -> 50 twice and opens 5 images, waits until every page is
idle again and reads its RSS once more; each reading after 2.5 s more of the event loop (the
app gives freed memory back once the explorer has been idle for a second). RSS from ``/proc/self/statm``: what the system really
lends the app, freed-but-kept allocator memory included.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from benchmarks.harness import Result, case

_ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import json, os, resource, time
from viewer.ui.app import create_application
from viewer.ui.main_window import MainWindow, wait_until_idle

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()

app = create_application()
window = MainWindow(persist_settings=False, start_page="resnet")
window.resize(1400, 900)
window.show()
def settled():
    # every page idle, then 2.5 s more of the event loop: what the app does once the user stops
    assert wait_until_idle(window, 600, every_page=True)
    end = time.monotonic() + 2.5
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)

settled()
after_startup = rss()
page = window.page("resnet")
for _ in range({rounds}):
    for arch in ("resnet18", "resnet152", "resnet50"):
        page.controls.set_arch(arch)
        assert wait_until_idle(window, 600, every_page=True)
for stem in ("cat", "coffee", "camera", "checkerboard", "astronaut"):
    window.open_sample(stem)
    assert wait_until_idle(window, 600, every_page=True)
settled()
print(json.dumps({{"startup": after_startup, "after": rss()}}))
os._exit(0)
"""


@case("memory.rss_after_switches")
def rss_after_switches(repeats: int) -> Result:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               PYTHONPATH=str(_ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    rounds = 2 if repeats > 1 else 1
    runs = []
    for _ in range(1 if repeats <= 1 else 2):
        done = subprocess.run([sys.executable, "-c", _PROBE.format(rounds=rounds)], check=True, env=env,
                              capture_output=True, text=True, cwd=_ROOT)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    mib = 1 << 20
    return Result(
        "memory.rss_after_switches", figure=statistics.median(r["after"] for r in runs) / mib,
        baseline=statistics.median(r["startup"] for r in runs) / mib, unit="MiB", target=1.25,
        baseline_name="RSS once start-up is done (explorer on ResNet50 at 224x224)",
        floor="start-up's RSS plus ResNet50's result held at the end (the same as at start-up)",
        note=f"fresh process, 18 -> 152 -> 50 x{rounds}, then 5 images; medians of {len(runs)} runs",
    )
