"""Every page fits 1280x800 and 1200x760 in a real X11 window, and the step keys work at once.

Offscreen, or opened at the small size directly, the pooling page looked fine; in a real window
made smaller after it had been larger, its transport controls sat at y = 892 in an 800-pixel
window. This test starts Xvfb, runs ``x11_window_check.py`` there on Qt's xcb platform and reads
what it measured. It is skipped, with the reason, where Xvfb, xdotool or Qt's X11 libraries
are missing (``make sysdeps`` installs them where apt-get can).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from viewer.ui.system_libraries import missing_packages

CHECK = Path(__file__).with_name("x11_window_check.py")


def _skip_reason() -> str | None:
    missing_tools = [tool for tool in ("Xvfb", "xdotool") if shutil.which(tool) is None]
    if missing_tools:
        return f"{' and '.join(missing_tools)} not installed (Debian: apt-get install xvfb xdotool, or make sysdeps)"
    packages = missing_packages()
    if packages is None or packages:
        return f"Qt's X11 platform plugin cannot load (missing: {', '.join(packages or ['unknown'])})"
    return None


@pytest.fixture(scope="module")
def x11_display():
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1920x1200x24", "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def measured(x11_display, tmp_path_factory):
    shot = tmp_path_factory.mktemp("x11") / "pooling_1200x760.png"
    env = {**os.environ, "DISPLAY": x11_display, "QT_QPA_PLATFORM": "xcb"}
    env.pop("WAYLAND_DISPLAY", None)
    done = subprocess.run(
        [sys.executable, str(CHECK), str(shot)], env=env, capture_output=True, text=True, timeout=280,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_page_fits_with_its_transport_controls_visible(measured):
    pages = measured["pages"]
    assert {(row["how"], row["page"], tuple(row["size"])) for row in pages} == {
        (how, page, size) for how in ("resize", "xdotool") for page in ("convolution", "pooling", "resnet")
        for size in ((1280, 800), (1200, 760))
    }
    for row in pages:
        assert row["window"] == row["size"], row
        assert not row["scrolls"] and row["page_height"] <= row["viewport_height"], row
        if "controls_bottom" in row:
            assert row["controls_bottom"] <= row["viewport_height"], row
            assert row["controls_bottom_in_window"] < row["size"][1], row


def test_step_keys_work_in_a_real_window_right_after_start_up(measured):
    keys = measured["keys"]
    assert keys == {"page_after_right": "convolution", "steps_moved": 2}
