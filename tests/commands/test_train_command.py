"""``python -m viewer train``: the presets in --help, the error rules, and a short run's curves,
CSV and weights, which ``resnet --weights ... --predict`` opens with the dataset's class names."""

import csv

import pytest

from viewer.__main__ import main
from viewer.core.training.presets import PRESET_IDS


def test_help_lists_the_presets(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["train", "--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    assert all(preset in text for preset in PRESET_IDS) and "cifar-10-batches-bin" in text


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--preset", "nope"], "invalid choice"),
        (["--preset", "batchnorm", "--dataset", "/no/such/folder"], "no dataset at"),
        (["--preset", "batchnorm", "--steps", "0"], "--steps must be at least 1"),
        (["--preset", "batchnorm", "--out", "curves.gif"], "--out must end in .png"),
        (["--preset", "batchnorm", "--csv", "/no/such/folder/c.csv"], "does not exist"),
        (["--preset", "batchnorm", "--save", "net.pth"], "--save must end in .safetensors"),
    ],
)
def test_bad_input_is_one_error_line_and_nothing_written(arguments, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    try:
        code = main(["train", *arguments])
    except SystemExit as exited:  # argparse's own errors
        code = exited.code
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error:") and message in err[-1]
    assert list(tmp_path.iterdir()) == []


def test_a_short_run_writes_curves_csv_and_one_file_per_network(capsys, tmp_path):
    out, table, net = tmp_path / "c.png", tmp_path / "c.csv", tmp_path / "net.safetensors"
    assert main(["train", "--preset", "batchnorm", "--steps", "2", "--seed", "3", "--out", str(out), "--csv", str(table),
                 "--save", str(net)]) == 0
    assert out.stat().st_size > 5000
    rows = list(csv.DictReader(table.read_text().splitlines()))
    assert {"network", "step", "train_loss", "train_acc", "test_acc"} <= set(rows[0])
    assert [(r["network"], r["step"]) for r in rows] == [(n, s) for n in ("plain-8", "plain-8 no BN", "plain-20", "plain-20 no BN")
                                                         for s in ("1", "2")]
    assert [r["test_acc"] == "" for r in rows[:2]] == [True, False]
    saved = sorted(p.name for p in tmp_path.glob("net-*.safetensors"))
    assert saved == ["net-plain-20-no-BN.safetensors", "net-plain-20.safetensors", "net-plain-8-no-BN.safetensors",
                     "net-plain-8.safetensors"]
    printed = capsys.readouterr().out
    assert "plain-8: loss" in printed and "test accuracy" in printed and f"wrote {out}" in printed
    # a CIFAR-family network is refused by the explorer with a sentence, not a traceback
    assert main(["resnet", "--weights", str(tmp_path / "net-plain-8.safetensors"), "--predict"]) == 2
    assert "CIFAR family" in capsys.readouterr().err


def test_a_saved_resnet_opens_in_the_resnet_command_with_the_dataset_classes(capsys, tmp_path):
    net = tmp_path / "net.safetensors"
    assert main(["train", "--preset", "course-resnet50", "--steps", "1", "--save", str(net)]) == 0
    capsys.readouterr()
    assert main(["resnet", "--weights", str(net), "--image", "cat", "--predict"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("resnet50 at 32x32, weights trained here on shapes")
    names = {"disc", "square", "triangle", "cross", "ring", "horizontal stripes", "vertical stripes", "diagonal stripes",
             "checker", "blob"}
    assert len(printed) == 6 and all(line.split(None, 3)[3] in names for line in printed[1:])
