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


def test_something_to_write_is_required(capsys):
    assert main(["resnet", "--size", "32"]) == 2
    err = capsys.readouterr().err
    assert err == "error: say what to write: --out OUT.png, --npy OUT.npy or --predict\n"


def test_predict_alone_prints_a_heading_and_the_top_5(capsys):
    assert main(["resnet", "--arch", "resnet18", "--size", "32", "--predict"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "resnet18 at 32x32, weights untrained (random): top 5" and len(printed) == 6
    assert all(line.split(None, 3)[3].startswith("class ") for line in printed[1:])  # random weights: no names


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


def test_non_finite_weights_exit_2_naming_the_tensor(tmp_path, capsys):
    import torch

    from viewer.core.weights import build_model

    state = build_model("resnet18").state_dict()
    state["layer2.0.conv1.weight"][0, 0, 0, 0] = float("nan")
    path = tmp_path / "nan.pth"
    torch.save(state, path)
    out = tmp_path / "x.png"
    code = main(["resnet", "--arch", "resnet18", "--size", "32", "--weights", str(path), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and not out.exists()
    assert "layer2.0.conv1.weight (1 NaN of" in err and "Nothing was loaded" in err


@pytest.fixture(scope="module")
def zoo_checkpoint(tmp_path_factory):
    """A model-zoo ResNet50 checkpoint for CIFAR-10 (10 classes), written in MindSpore's format."""
    from viewer.core.conventions import MINDSPORE_ZOO
    from viewer.core.mindspore_weights import save_mindspore_checkpoint
    from viewer.core.weights import build_model

    model = build_model("resnet50", seed=1, num_classes=10, convention=MINDSPORE_ZOO)
    return model, save_mindspore_checkpoint(model, tmp_path_factory.mktemp("ckpt") / "resnet50_cifar10.ckpt")


def test_npy_of_the_logits_and_predict_from_a_mindspore_checkpoint(tmp_path, capsys, zoo_checkpoint):
    import torch

    from viewer.core import preprocess
    from viewer.core.samples import load_image_or_sample

    model, path = zoo_checkpoint
    out = tmp_path / "logits.npy"
    assert main(["resnet", "--weights", str(path), "--image", "cat", "--size", "32", "--layer", "fc",
                 "--npy", str(out), "--predict"]) == 0
    lines = capsys.readouterr().out.splitlines()
    logits = np.load(out)
    assert logits.shape == (1, 10) and logits.dtype == np.float32
    fed = preprocess.resize_pixels(load_image_or_sample("cat").pixels, 32)
    with torch.no_grad():
        expected = model.eval()(preprocess.normalize(fed, preprocess.CIFAR10)).numpy()
    np.testing.assert_allclose(logits, expected, rtol=1e-5, atol=1e-6)
    assert "MindSpore model zoo checkpoint, 10 classes" in lines[0] and lines[1].endswith(": top 5")
    best = np.argsort(-logits[0])[:5]
    names = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
    assert len(lines) == 7 and [line.split()[-1] for line in lines[2:]] == [names[i] for i in best]
    assert [int(line.split()[2]) for line in lines[2:]] == list(best)


def test_npy_of_a_feature_map_and_classes_of_ones_own(tmp_path, capsys, zoo_checkpoint):
    _, path = zoo_checkpoint
    classes = tmp_path / "classes.txt"
    classes.write_text("\n".join(f"kind-{i}" for i in range(10)) + "\n", encoding="utf-8")
    out = tmp_path / "maps.npy"
    assert main(["resnet", "--weights", str(path), "--image", "cat", "--size", "32", "--layer", "layer2.0.conv2",
                 "--npy", str(out), "--predict", "--classes", str(classes)]) == 0
    assert np.load(out).shape == (1, 128, 4, 4)
    assert all(line.split()[-1].startswith("kind-") for line in capsys.readouterr().out.splitlines()[2:])
    classes.write_text("one\ntwo\n", encoding="utf-8")
    assert main(["resnet", "--weights", str(path), "--size", "32", "--predict", "--classes", str(classes)]) == 2
    assert "--classes names 2 classes, but the network has 10 outputs" in capsys.readouterr().err


@pytest.mark.parametrize("data, message", [
    (b"\xd8\x5e\x3a\x7f" + bytes(60), "encrypted MindSpore checkpoint (AES-GCM)"),
    (b"\x0a\xff\xff\x03\x0a\x04abcd", "truncated"),
    (b"garbage that is no checkpoint", "not a MindSpore checkpoint"),
])
def test_bad_checkpoints_exit_2_with_one_line(tmp_path, capsys, data, message):
    bad = tmp_path / "bad.ckpt"
    bad.write_bytes(data)
    assert main(["resnet", "--size", "32", "--weights", str(bad), "--predict"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_predict_with_out_prints_the_top_5_once(tmp_path, capsys):
    out = tmp_path / "maps.png"
    assert main(["resnet", "--arch", "resnet18", "--size", "32", "--predict", "--out", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert out.exists() and sum(line.endswith(": top 5") for line in printed) == 1 and len(printed) == 7
