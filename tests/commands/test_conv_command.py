"""``python -m viewer conv``: files written, frame counts, and one-line errors."""

import subprocess
import sys

import pytest
from PIL import Image

from viewer.__main__ import main


def frames_of(path):
    with Image.open(path) as image:
        return getattr(image, "n_frames", 1), image.size


def test_gif_has_one_frame_per_step(tmp_path, capsys):
    out = tmp_path / "anim.gif"
    code = main(["conv", "--image", "checkerboard", "--kernel", "sobel_x", "--stride", "2", "--padding", "1",
                 "--steps", "0:12", "--out", str(out)])
    assert code == 0
    count, size = frames_of(out)
    assert count == 12
    assert size[0] > 400
    assert "12 frames" in capsys.readouterr().out


def test_course_example_png_and_by_row_gif(tmp_path):
    png = tmp_path / "frame.png"
    assert main(["conv", "--example", "2", "--steps", "7", "--out", str(png)]) == 0
    assert frames_of(png)[0] == 1
    gif = tmp_path / "rows.gif"
    assert main(["conv", "--example", "2", "--by-row", "--steps", "0:5", "--out", str(gif)]) == 0
    assert frames_of(gif)[0] == 5


def test_options_reach_the_computation(tmp_path):
    gif = tmp_path / "a.gif"
    args = ["conv", "--image", "grid_5x5", "--channel", "all", "--kernel", "1,0;0,1", "--dilation", "2",
            "--padding", "2,1", "--padding-mode", "reflect", "--bias", "0.5", "--steps", "0:100:10", "--out", str(gif)]
    assert main(args) == 0
    # 5x5 padded to 9x7, span 3x3 -> 7x5 = 35 steps; every 10th -> 0, 10, 20, 30
    assert frames_of(gif)[0] == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kernel", "sobel"], "Unknown kernel 'sobel'"),
        (["--example", "1", "--steps", "9"], "selects no step"),
        (["--image", "/no/such/file.png"], ""),
        (["--stride", "a"], "--stride expects"),
        (["--kernel", "box_blur", "--kernel-size", "13"], "between 1 and 11"),
        (["--image", "grid_5x5", "--kernel", "box_blur", "--kernel-size", "7"], "output would be empty"),
        (["--image", "grid_5x5", "--padding", "5", "--padding-mode", "reflect"], "Reflect padding"),
        (["--stride", "0"], "--stride must be at least 1, got 0"),
        (["--stride", "1,-2"], "--stride must be at least 1, got -2"),
        (["--padding", "-1"], "--padding must be at least 0, got -1"),
        (["--dilation", "0"], "--dilation must be at least 1, got 0"),
        (["--kernel-size", "0"], "--kernel-size must be between 1 and 11, got 0"),
        (["--bias", "nan"], "--bias must be a finite number"),
        (["--fps", "inf"], "--fps must be a positive number"),
        (["--seed", "-1"], "--seed must be between 0 and"),
        (["--kernel", "1,2;3"], "--kernel:"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, args, message):
    out = tmp_path / "x.gif"
    assert main(["conv", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert message in err
    assert "Traceback" not in err
    assert not out.exists()


def test_bad_extension_and_help_in_a_subprocess(tmp_path):
    result = subprocess.run([sys.executable, "-m", "viewer", "conv", "--out", str(tmp_path / "x.jpg")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["error: --out must end in .gif or .png, got '" + str(tmp_path / "x.jpg") + "'"]
    help_text = subprocess.run([sys.executable, "-m", "viewer", "conv", "--help"], capture_output=True, text=True,
                               timeout=60).stdout
    for option in ("--channel", "--dilation", "--padding-mode", "--bias", "--example", "--steps", "--by-row"):
        assert option in help_text
