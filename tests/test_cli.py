"""The command line: --help, the headless screenshot, and one-line errors with exit status 2."""

from __future__ import annotations

import os
import subprocess
import sys

from PIL import Image


def run_viewer(*args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "viewer", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def test_help_documents_every_option():
    result = run_viewer("--help")
    assert result.returncode == 0
    for option in ("--image", "--page", "--screenshot", "--size"):
        assert option in result.stdout


def test_screenshot_of_a_page(tmp_path):
    out = tmp_path / "shot.png"
    result = run_viewer("--screenshot", str(out), "--page", "pooling", "--size", "1000x700")
    assert result.returncode == 0, result.stderr
    with Image.open(out) as shot:
        assert shot.size == (1000, 700)
    assert "Traceback" not in result.stderr


def test_bad_image_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "fake.png"
    bad.write_text("hello")
    result = run_viewer("--screenshot", str(tmp_path / "x.png"), "--image", str(bad))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "fake.png" in lines[0]
    assert not (tmp_path / "x.png").exists()


def test_unwritable_output_exits_2(tmp_path):
    result = run_viewer("--screenshot", str(tmp_path / "missing" / "x.png"))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_size_is_a_usage_error():
    result = run_viewer("--screenshot", "x.png", "--size", "huge")
    assert result.returncode == 2
    assert "WIDTHxHEIGHT" in result.stderr
