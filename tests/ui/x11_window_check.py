"""Run by test_x11_window.py in a real X11 window (Xvfb, QT_QPA_PLATFORM=xcb): prints JSON.

The window opens larger than the sizes checked and is then made smaller, once by the program
(``resize``) and once from outside as a window manager or a user would (``xdotool
windowsize``): offscreen, or opened at the small size directly, a page that does not shrink
with its window looks fine. For every page and size it reports where the transport controls
end and whether the page scrolls; then it presses the step keys for real (``xdotool key``)
right after start-up, with the focus wherever Qt put it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from PySide6.QtCore import QPoint

from viewer.ui.app import create_application
from viewer.ui.main_window import MainWindow, wait_until_idle

SIZES = ((1280, 800), (1200, 760))
app = create_application()


def pump(seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def wait_for_size(window: MainWindow, size: tuple[int, int]) -> None:
    deadline = time.monotonic() + 10
    while window.size().toTuple() != size and time.monotonic() < deadline:
        pump(0.05)
    pump()


def measure(window: MainWindow, how: str, size: tuple[int, int]) -> list[dict]:
    rows = []
    for page_id in ("convolution", "pooling", "resnet"):
        window.show_page(page_id)
        wait_until_idle(window, 120)
        pump()
        page = window.page(page_id)
        holder = window.tabs.currentWidget()
        controls = getattr(page, "step_controls", None)
        row = {
            "how": how, "size": list(size), "page": page_id, "window": list(window.size().toTuple()),
            "scrolls": holder.verticalScrollBar().isVisible() or holder.horizontalScrollBar().isVisible(),
            "page_height": page.height(), "viewport_height": holder.viewport().height(),
        }
        if controls is not None:
            bottom = controls.mapTo(holder.viewport(), QPoint(0, controls.height())).y()
            row["controls_bottom"] = bottom
            row["controls_bottom_in_window"] = controls.mapTo(window, QPoint(0, controls.height())).y()
        rows.append(row)
    return rows


def main() -> None:
    window = MainWindow(persist_settings=False, start_page="convolution")
    window.resize(1600, 1000)
    window.show()
    wait_until_idle(window, 120, every_page=True)
    pump()
    wid = str(int(window.winId()))
    # the keys, pressed for real right after start-up: nobody clicked into the page
    subprocess.run(["xdotool", "windowfocus", "--sync", wid], check=False, timeout=10)
    pump()
    conv = window.page("convolution")
    before = conv.step_controls.step()
    for _ in range(2):
        subprocess.run(["xdotool", "key", "--clearmodifiers", "Right"], check=True, timeout=10)
        pump(0.2)
    keys = {"page_after_right": window.current_page_id(), "steps_moved": conv.step_controls.step() - before}
    results = []
    for size in SIZES:
        window.resize(1600, 1000)
        wait_for_size(window, (1600, 1000))
        measure(window, "large first", (1600, 1000))  # every page laid out large first
        window.resize(*size)
        wait_for_size(window, size)
        results += measure(window, "resize", size)
        window.resize(1600, 1000)
        wait_for_size(window, (1600, 1000))
        measure(window, "large first", (1600, 1000))
        subprocess.run(["xdotool", "windowsize", "--sync", wid, str(size[0]), str(size[1])], check=True, timeout=10)
        wait_for_size(window, size)
        results += measure(window, "xdotool", size)
    window.show_page("pooling")
    pump()
    if len(sys.argv) > 1:
        window.grab().save(sys.argv[1])
    print(json.dumps({"keys": keys, "pages": results}))
    window.close()


if __name__ == "__main__":
    main()
