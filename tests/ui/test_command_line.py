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


def test_usage_errors_are_one_line_without_usage_block(capsys):
    import pytest

    from viewer.__main__ import main

    for argv in (["--size", "10x10"], ["--page", "nowhere"], ["--bogus"], ["conv"], ["pool", "--kernel"]):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("error: ") and "usage:" not in err, argv


def _bad_inputs(folder):
    """Each bad input of issue 2, as (id, path)."""
    import struct
    import zlib

    import numpy as np

    good = folder / "good.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (64, 64, 3), np.uint8)).save(good)
    Image.open(good).save(folder / "good.jpg", quality=90)
    (folder / "zero.png").write_bytes(b"")
    (folder / "text.png").write_text("just some text\n")
    (folder / "truncated.png").write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    jpeg = (folder / "good.jpg").read_bytes()
    (folder / "truncated.jpg").write_bytes(jpeg[: len(jpeg) // 2])

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    (folder / "bomb.png").write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )
    (folder / "a folder").mkdir()
    names = ["zero.png", "text.png", "truncated.png", "truncated.jpg", "bomb.png", "a folder", "missing.png"]
    return [folder / name for name in names]


def test_every_bad_image_of_issue_2_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys):
    from viewer.__main__ import main

    for bad in _bad_inputs(tmp_path):
        out = tmp_path / "out.png"
        assert main(["--screenshot", str(out), "--image", str(bad)]) == 2, bad.name
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("error: ") and bad.name in err, err
        assert "Traceback" not in err
        assert not out.exists()


def test_screenshot_onto_a_folder_says_so(tmp_path, capsys):
    from viewer.__main__ import main

    folder = tmp_path / "shot.png"
    folder.mkdir()
    assert main(["--screenshot", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "folder" in err


def test_screenshot_of_an_unusual_image_with_a_non_ascii_name(tmp_path):
    import numpy as np

    image = tmp_path / "dessin été 画.png"
    Image.fromarray((np.arange(64 * 64).reshape(64, 64) * 16).astype(np.uint16)).save(image)  # 16-bit gray
    out = tmp_path / "shot.png"
    result = run_viewer("--screenshot", str(out), "--page", "convolution", "--size", "900x600", "--image", str(image))
    assert result.returncode == 0, result.stderr
    with Image.open(out) as shot:
        assert shot.size == (900, 600)


def test_screenshot_accepts_a_sample_name(tmp_path):
    out = tmp_path / "cat.png"
    result = run_viewer("--screenshot", str(out), "--page", "pooling", "--image", "cat", "--size", "1000x700")
    assert result.returncode == 0, result.stderr
    assert out.exists()
