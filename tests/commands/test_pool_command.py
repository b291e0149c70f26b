"""``python -m viewer pool``: PNG and GIF exports, and one-line errors with exit status 2."""

import numpy as np
import pytest
from PIL import Image

from viewer.__main__ import main
from viewer.commands.options import parse_steps
from viewer.core.errors import UserError
from viewer.core.samples import sample

TEXTURE = str(sample("texture_patch").path)


def test_png_comparison_is_written(tmp_path, capsys):
    out = tmp_path / "pool.png"
    assert main(["pool", "--image", TEXTURE, "--mode", "stochastic", "--kernel", "2", "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    with Image.open(out) as image:
        assert image.format == "PNG" and image.width > 400


def test_png_all_modes_with_training_and_seed_is_reproducible(tmp_path):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    args = ["pool", "--image", TEXTURE, "--kernel", "3", "--stride", "2", "--padding", "1", "--training", "--seed", "4", "--channel", "red"]
    assert main([*args, "--out", str(a)]) == 0
    assert main([*args, "--out", str(b)]) == 0
    with Image.open(a) as first, Image.open(b) as second:
        assert np.array_equal(np.asarray(first), np.asarray(second))
        assert first.width > 2 * first.height / 2 * 1.5  # a wide sheet: four columns, two rows


def test_gif_of_steps_is_written(tmp_path):
    out = tmp_path / "steps.gif"
    assert main(["pool", "--image", TEXTURE, "--kernel", "8", "--mode", "max", "--steps", "3:9", "--out", str(out)]) == 0
    with Image.open(out) as image:
        assert image.format == "GIF" and image.n_frames == 6


@pytest.mark.parametrize(
    "extra, fragment",
    [
        (["--kernel", "500"], "--kernel 500 is larger than the image"),
        (["--kernel", "2", "--padding", "2"], "--padding must be at most half the window (--kernel 2"),
        (["--kernel", "-3"], "--kernel must be at least 1, got -3"),
        (["--kernel", "0"], "--kernel must be at least 1, got 0"),
        (["--stride", "0"], "--stride must be at least 1, got 0"),
        (["--padding", "-1"], "--padding must be at least 0, got -1"),
        (["--seed", "-5"], "--seed must be between 0 and"),
        (["--fps", "nan"], "--fps must be a positive number"),
        (["--fps", "inf"], "--fps must be a positive number"),
        (["--steps", "x"], "A:B"),
        (["--steps", "9:3"], "no step"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, extra, fragment):
    out = tmp_path / ("x.gif" if "--steps" in extra else "x.png")
    assert main(["pool", "--image", TEXTURE, *extra, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and err.count("\n") == 1 and fragment in err
    assert not out.exists()


def test_missing_image_and_bad_suffix(tmp_path, capsys):
    assert main(["pool", "--image", str(tmp_path / "nope.png"), "--out", str(tmp_path / "x.png")]) == 2
    assert main(["pool", "--image", TEXTURE, "--out", str(tmp_path / "x.jpg")]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("error:") for line in lines)


def test_help_documents_the_options(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["pool", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for option in ("--mode", "--kernel", "--stride", "--padding", "--channel", "--seed", "--training", "--steps", "count_include_pad"):
        assert option in text


def test_parse_steps_limits():
    assert parse_steps("2:", 10) == range(2, 10)
    assert parse_steps(":3", 10) == range(0, 3)
    assert parse_steps("0:10:4", 10) == range(0, 10, 4)
    assert parse_steps("-2", 10) == range(8, 9)
    with pytest.raises(UserError, match="--steps expects"):
        parse_steps("x", 10)


def test_too_many_gif_frames_are_refused(tmp_path, capsys):
    out = tmp_path / "x.gif"
    assert main(["pool", "--image", TEXTURE, "--kernel", "1", "--steps", "0:5000", "--out", str(out)]) == 2
    assert "at most 1000" in capsys.readouterr().err and not out.exists()


@pytest.mark.parametrize(
    "out, extra, fragment",
    [
        ("/proc/pool.png", [], "Cannot write /proc/pool.png"),  # a folder nobody can write into
        ("/proc/pool.gif", ["--steps", "0:2"], "Cannot write /proc/pool.gif"),
        ("{tmp}/missing/pool.png", [], "does not exist"),
        ("{tmp}/pool.gif", ["--fps", "0"], "--fps must be a positive number"),
    ],
)
def test_unwritable_places_and_bad_fps_are_one_line(tmp_path, capsys, out, extra, fragment):
    assert main(["pool", "--image", TEXTURE, *extra, "--out", out.format(tmp=tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and err.count("\n") == 1 and fragment in err


def test_gif_of_a_photo_sized_image_and_a_sample_name(tmp_path):
    # On a 1024x1024 image a 2x2 window is a quarter of a GIF pixel: it used to crash Pillow.
    big = tmp_path / "big.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (1024, 1024, 3), dtype=np.uint8)).save(big)
    out = tmp_path / "big.gif"
    assert main(["pool", "--image", str(big), "--steps", "600:603", "--out", str(out)]) == 0
    with Image.open(out) as image:
        assert image.n_frames == 3
    assert main(["pool", "--image", "stripes", "--out", str(tmp_path / "stripes.png")]) == 0
