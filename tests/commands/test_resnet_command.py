"""``python -m viewer resnet``: a PNG mosaic is written; bad input exits 2 with one line."""

import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from viewer.__main__ import main


def test_mosaic_png_is_written(tmp_path, capsys):
    out = tmp_path / "maps.png"
    assert main(["resnet", "--image", "astronaut", "--arch", "resnet18", "--layer", "layer2", "--size", "64", "--out", str(out)]) == 0
    with Image.open(out) as image:
        pixels = np.asarray(image)
    # 128 tiles of 8x8 with 1-pixel gaps, about 1.5 times wider than tall
    assert pixels.ndim == 3 and pixels.shape[1] > pixels.shape[0]
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 20
    assert "128 channels of 8x8" in capsys.readouterr().out


def test_single_channel_with_options(tmp_path):
    out = tmp_path / "c.png"
    args = ["resnet", "--arch", "resnet18", "--layer", "layer1.0.conv1", "--size", "32", "--normalise", "channel",
            "--colormap", "gray", "--sort", "max", "--channel", "3", "--out", str(out)]
    assert main(args) == 0
    with Image.open(out) as image:
        pixels = np.asarray(image)
    assert pixels.shape == (256, 256, 3)
    assert np.all(pixels[..., 0] == pixels[..., 1])  # gray


@pytest.mark.parametrize(
    "args, message",
    [
        (["--layer", "layer9"], "no node 'layer9'"),
        (["--size", "big"], "--size"),
        (["--colormap", "rainbow"], "unknown colormap"),
        (["--channel", "999"], "--channel"),
        (["--image", "/no/such/file.png"], "does not exist"),
        (["--weights", "/no/such.pth"], "no weights file"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, args, message):
    out = tmp_path / "x.png"
    code = main(["resnet", "--arch", "resnet18", "--size", "32", "--out", str(out), *args])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and err.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--arch", "resnet7"], "invalid choice: 'resnet7'"),
        (["--normalise", "foo"], "--normalise"),
        (["--sort", "foo"], "--sort"),
        (["--channel", "abc"], "invalid int value"),
    ],
)
def test_bad_option_values_exit_2_with_one_line(capsys, args, message):
    with pytest.raises(SystemExit) as info:
        main(["resnet", *args])
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert message in err and err.count("\n") == 1 and err.startswith("error: ")


def test_out_is_needed_unless_predicting(capsys):
    assert main(["resnet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --out is required") and err.count("\n") == 1
    assert main(["resnet", "--arch", "resnet18", "--size", "32", "--predict"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "resnet18 at 32x32, weights untrained (random): top 5" and len(printed) == 6
    assert all(line.split("%", 1)[1].strip().startswith("class ") for line in printed[1:])  # random weights: no names


def test_wrong_weights_file_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.pth"
    bad.write_bytes(b"not a checkpoint")
    assert main(["resnet", "--size", "32", "--weights", str(bad), "--out", str(tmp_path / "x.png")]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_help_is_documented_and_does_not_import_torch():
    code = "import sys; from viewer.__main__ import main\ntry:\n    main(['resnet', '--help'])\nexcept SystemExit:\n    pass\nprint('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "--normalise" in result.stdout and "--weights" in result.stdout and "--colormap" in result.stdout
    assert result.stdout.strip().endswith("False")
