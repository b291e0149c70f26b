"""The explorer's numbers against MindSpore's own, on real MindSpore ResNet50 checkpoints.

A development check, outside the test suite (it needs MindSpore, a large install). It builds
the two MindSpore ResNet50s the course meets, following their sources: the model zoo's
(``official/cv/ResNet/src/resnet.py``: ``pad_mode="same"``, batch-norm eps 1e-4, ``end_point``)
and the ResNet50 tutorial's (``tutorials/application/source_en/cv/resnet50.md``: ``norm``,
``down_sample``, ``fc``, default eps 1e-5), with random weights and random non-trivial
batch-norm statistics, saves them with ``mindspore.save_checkpoint`` and records MindSpore's
logits at 32x32 and 224x224. The explorer then opens each checkpoint (timed), computes its
logits on the same inputs, and writes the network back with its MindSpore writer, which
MindSpore loads again (``load_checkpoint`` + ``load_param_into_net``) to compute once more.
A model-zoo training checkpoint (after one Momentum step, so with ``moments.*``,
``learning_rate``, ``momentum``, ``global_step``) is checked the same way.

Run from the repository root, with the project's interpreter and one that has MindSpore::

    .venv/bin/python scripts/compare_mindspore_resnet50.py --mindspore-python /work/msvenv/bin/python --out /tmp/ms_check

The tutorial's average pool is ``nn.AvgPool2d()`` (a 1x1 window: at 32x32, where layer4's output
is 1x1, the global mean); at 224x224 its fully connected layer would not fit, so there the
script uses a 7x7 window, as MindSpore's transfer-learning tutorial does (again the global mean).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

SIZES = (32, 224)
NETWORKS = ("zoo", "tutorial", "zoo_train")
CLASSES = 10


# ------------------------------------------------------------------ MindSpore side (its own interpreter)


def mindspore_networks():
    """The model zoo's and the tutorial's ResNet50, written after their sources."""
    from mindspore import nn, ops

    def zoo_conv(cin, cout, k, stride=1):
        return nn.Conv2d(cin, cout, k, stride=stride, pad_mode="same", padding=0, has_bias=False)

    def zoo_bn(c):
        return nn.BatchNorm2d(c, eps=1e-4, momentum=0.9)

    class ZooBlock(nn.Cell):  # ResidualBlock: 1x1, 3x3 with the stride, 1x1 expanding by 4
        expansion = 4

        def __init__(self, cin, cout, stride=1):
            super().__init__()
            mid = cout // self.expansion
            self.conv1, self.bn1 = zoo_conv(cin, mid, 1), zoo_bn(mid)
            self.conv2, self.bn2 = zoo_conv(mid, mid, 3, stride), zoo_bn(mid)
            self.conv3, self.bn3 = zoo_conv(mid, cout, 1), zoo_bn(cout)
            self.relu = nn.ReLU()
            self.down_sample = stride != 1 or cin != cout
            self.down_sample_layer = None
            if self.down_sample:
                self.down_sample_layer = nn.SequentialCell([zoo_conv(cin, cout, 1, stride), zoo_bn(cout)])

        def construct(self, x):
            identity = x
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.relu(self.bn2(self.conv2(out)))
            out = self.bn3(self.conv3(out))
            if self.down_sample:
                identity = self.down_sample_layer(identity)
            return self.relu(out + identity)

    class ZooResNet50(nn.Cell):
        def __init__(self, classes):
            super().__init__()
            self.conv1, self.bn1 = zoo_conv(3, 64, 7, 2), zoo_bn(64)
            self.relu = ops.ReLU()
            self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, pad_mode="same")
            ins, outs, counts = (64, 256, 512, 1024), (256, 512, 1024, 2048), (3, 4, 6, 3)
            for i, (cin, cout, count) in enumerate(zip(ins, outs, counts, strict=True)):
                blocks = [ZooBlock(cin, cout, 1 if i == 0 else 2)] + [ZooBlock(cout, cout) for _ in range(count - 1)]
                setattr(self, f"layer{i + 1}", nn.SequentialCell(blocks))
            self.mean = ops.ReduceMean(keep_dims=True)
            self.flatten = nn.Flatten()
            self.end_point = nn.Dense(2048, classes, has_bias=True)

        def construct(self, x):
            x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
            x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
            return self.end_point(self.flatten(self.mean(x, (2, 3))))

    class TutorialBlock(nn.Cell):  # the tutorial's ResidualBlock: norm1..norm3, down_sample
        expansion = 4

        def __init__(self, cin, channel, stride=1, down_sample=None):
            super().__init__()
            self.conv1, self.norm1 = nn.Conv2d(cin, channel, kernel_size=1), nn.BatchNorm2d(channel)
            self.conv2, self.norm2 = nn.Conv2d(channel, channel, kernel_size=3, stride=stride), nn.BatchNorm2d(channel)
            self.conv3 = nn.Conv2d(channel, channel * self.expansion, kernel_size=1)
            self.norm3 = nn.BatchNorm2d(channel * self.expansion)
            self.relu = nn.ReLU()
            self.down_sample = down_sample

        def construct(self, x):
            identity = x
            out = self.relu(self.norm1(self.conv1(x)))
            out = self.relu(self.norm2(self.conv2(out)))
            out = self.norm3(self.conv3(out))
            if self.down_sample is not None:
                identity = self.down_sample(x)
            return self.relu(out + identity)

    def make_layer(last_out, channel, count, stride=1):
        down_sample = None
        if stride != 1 or last_out != channel * 4:
            down_sample = nn.SequentialCell([nn.Conv2d(last_out, channel * 4, kernel_size=1, stride=stride),
                                             nn.BatchNorm2d(channel * 4)])
        blocks = [TutorialBlock(last_out, channel, stride, down_sample)]
        blocks += [TutorialBlock(channel * 4, channel) for _ in range(1, count)]
        return nn.SequentialCell(blocks)

    class TutorialResNet50(nn.Cell):
        def __init__(self, classes, pool=1):
            super().__init__()
            self.relu = nn.ReLU()
            self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2)
            self.norm = nn.BatchNorm2d(64)
            self.max_pool = nn.MaxPool2d(kernel_size=3, stride=2, pad_mode="same")
            self.layer1 = make_layer(64, 64, 3)
            self.layer2 = make_layer(256, 128, 4, stride=2)
            self.layer3 = make_layer(512, 256, 6, stride=2)
            self.layer4 = make_layer(1024, 512, 3, stride=2)
            self.avg_pool = nn.AvgPool2d(kernel_size=pool, stride=pool)
            self.flatten = nn.Flatten()
            self.fc = nn.Dense(in_channels=2048, out_channels=classes)

        def construct(self, x):
            x = self.max_pool(self.relu(self.norm(self.conv1(x))))
            x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
            return self.fc(self.flatten(self.avg_pool(x)))

    return ZooResNet50, TutorialResNet50


def randomise(net, seed: int) -> None:
    """Random weights and random non-trivial batch-norm statistics (He-normal convolutions)."""
    import numpy as np
    from mindspore import Tensor

    rng = np.random.default_rng(seed)
    for param in net.get_parameters():
        shape, name = tuple(param.shape), param.name
        if name.endswith("moving_mean"):
            values = rng.normal(0.0, 0.2, shape)
        elif name.endswith("moving_variance"):
            values = rng.uniform(0.5, 2.0, shape)
        elif name.endswith("gamma"):
            values = rng.uniform(0.5, 1.5, shape)
        elif name.endswith("beta"):
            values = rng.normal(0.0, 0.1, shape)
        elif len(shape) == 4:
            values = rng.normal(0.0, np.sqrt(2.0 / (shape[0] * shape[2] * shape[3])), shape)
        elif len(shape) == 2:
            values = rng.uniform(-1, 1, shape) / np.sqrt(shape[1])
        else:
            values = rng.normal(0.0, 0.05, shape)
        param.set_data(Tensor(values.astype(np.float32)))


def mindspore_write(out: Path) -> None:
    import mindspore as ms
    import numpy as np
    from mindspore import Tensor, nn

    ms.set_context(mode=ms.PYNATIVE_MODE, device_target="CPU")
    zoo_cls, tutorial_cls = mindspore_networks()
    inputs = {size: Tensor(np.load(out / f"input_{size}.npy")) for size in SIZES}
    logits = {}
    zoo = zoo_cls(CLASSES)
    randomise(zoo, 1)
    ms.save_checkpoint(zoo, str(out / "zoo.ckpt"))
    zoo.set_train(False)
    logits["zoo"] = {size: zoo(inputs[size]).asnumpy().tolist() for size in SIZES}
    tutorial = tutorial_cls(CLASSES)
    randomise(tutorial, 2)
    ms.save_checkpoint(tutorial, str(out / "tutorial.ckpt"))
    logits["tutorial"] = {}
    for size in SIZES:
        net = tutorial_cls(CLASSES, pool=size // 32)
        ms.load_param_into_net(net, ms.load_checkpoint(str(out / "tutorial.ckpt")), strict_load=True)
        net.set_train(False)
        logits["tutorial"][size] = net(inputs[size]).asnumpy().tolist()
    # A training checkpoint: one Momentum step on a random batch, then the whole train network saved.
    trained = zoo_cls(CLASSES)
    randomise(trained, 3)
    optimizer = nn.Momentum(trained.trainable_params(), learning_rate=1e-4, momentum=0.9)
    step = nn.TrainOneStepCell(nn.WithLossCell(trained, nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")),
                               optimizer)
    step.set_train(True)
    rng = np.random.default_rng(4)
    step(Tensor(rng.standard_normal((4, 3, 32, 32)).astype(np.float32)), Tensor(np.array([1, 3, 5, 7], np.int32)))
    ms.save_checkpoint(step, str(out / "zoo_train.ckpt"), append_dict={"epoch_num": 1, "step_num": 1})
    trained.set_train(False)
    logits["zoo_train"] = {size: trained(inputs[size]).asnumpy().tolist() for size in SIZES}
    (out / "mindspore_logits.json").write_text(json.dumps(logits))


def mindspore_read_ours(out: Path) -> None:
    """MindSpore loads the checkpoints the explorer wrote and computes their logits."""
    import mindspore as ms
    import numpy as np
    from mindspore import Tensor

    ms.set_context(mode=ms.PYNATIVE_MODE, device_target="CPU")
    zoo_cls, tutorial_cls = mindspore_networks()
    inputs = {size: Tensor(np.load(out / f"input_{size}.npy")) for size in SIZES}
    logits = {}
    for name in NETWORKS:
        family = "tutorial" if name == "tutorial" else "zoo"
        logits[name] = {}
        for size in SIZES:
            net = tutorial_cls(CLASSES, pool=size // 32) if family == "tutorial" else zoo_cls(CLASSES)
            params = ms.load_checkpoint(str(out / f"ours_{name}.ckpt"), crc_check=True)
            not_loaded, unused = ms.load_param_into_net(net, params, strict_load=True)
            assert not not_loaded and not unused, (not_loaded, unused)
            net.set_train(False)
            logits[name][size] = net(inputs[size]).asnumpy().tolist()
    (out / "mindspore_logits_of_ours.json").write_text(json.dumps(logits))


# ------------------------------------------------------------------ the explorer's side


def write_inputs(out: Path) -> None:
    """The cat sample as the explorer feeds it (CIFAR-10 normalisation) at each size."""
    import numpy as np

    from viewer.core import preprocess
    from viewer.core.samples import load_sample

    cat = load_sample("cat")
    for size in SIZES:
        x = preprocess.normalize(preprocess.resize_pixels(cat.pixels, size), preprocess.CIFAR10).numpy()
        np.save(out / f"input_{size}.npy", x.astype(np.float32))


def ours(out: Path) -> dict:
    import numpy as np
    import torch

    from viewer.core import forward
    from viewer.core.mindspore_weights import describe_names, save_mindspore_checkpoint
    from viewer.core.weights import build_model, file_source, open_weights

    report = {}
    for name in NETWORKS:
        path = out / f"{name}.ckpt"
        times = []
        for _ in range(3):
            forward._model_cache.clear()
            start = time.perf_counter()
            model, source = open_weights("resnet50", file_source(path))
            times.append(time.perf_counter() - start)
        entry = {"label": source.label, "padding": source.convention.padding, "eps": source.convention.bn_eps,
                 "dropped": describe_names(source.dropped) if source.dropped else "", "file_mb": path.stat().st_size / 1e6,
                 "open_s": times, "logits": {}}
        # The same weights in a plain torchvision ResNet50 (symmetric padding, eps 1e-5), for contrast.
        plain = build_model("resnet50", num_classes=CLASSES)
        plain.load_state_dict(model.state_dict())
        entry["torchvision_logits"] = {}
        for size in SIZES:
            x = torch.from_numpy(np.load(out / f"input_{size}.npy"))
            with torch.no_grad():
                entry["logits"][size] = model.eval()(x).numpy().tolist()
                entry["torchvision_logits"][size] = plain.eval()(x).numpy().tolist()
        save_mindspore_checkpoint(model, out / f"ours_{name}.ckpt", source.family)
        report[name] = entry
    return report


def relative(a, b) -> float:
    import numpy as np

    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mindspore-python", default="/work/msvenv/bin/python")
    parser.add_argument("--out", default="/tmp/mindspore_check")
    parser.add_argument("--phase", choices=("mindspore-write", "mindspore-read"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.phase == "mindspore-write":
        mindspore_write(out)
        return 0
    if args.phase == "mindspore-read":
        mindspore_read_ours(out)
        return 0
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    write_inputs(out)
    me = [args.mindspore_python, __file__, "--out", str(out)]
    subprocess.run([*me, "--phase", "mindspore-write"], check=True)
    report = ours(out)
    subprocess.run([*me, "--phase", "mindspore-read"], check=True)
    theirs = json.loads((out / "mindspore_logits.json").read_text())
    again = json.loads((out / "mindspore_logits_of_ours.json").read_text())
    import numpy as np

    for name, entry in report.items():
        print(f"{name}: {entry['label']}; padding {entry['padding']}, eps {entry['eps']:g}; "
              f"{entry['file_mb']:.1f} MB, opened in {min(entry['open_s']):.2f} s (best of 3: "
              f"{', '.join(f'{t:.2f}' for t in entry['open_s'])})")
        if entry["dropped"]:
            print(f"    left out: {entry['dropped']}")
        for size in SIZES:
            ms_logits, our_logits = theirs[name][str(size)], entry["logits"][size]
            entry[f"relative_{size}"] = relative(our_logits, ms_logits)
            entry[f"relative_written_{size}"] = relative(again[name][str(size)], ms_logits)
            plain_logits = entry["torchvision_logits"][size]
            entry[f"relative_torchvision_{size}"] = relative(plain_logits, ms_logits)
            same_top = int(np.argmax(our_logits)) == int(np.argmax(ms_logits))
            plain_top = int(np.argmax(plain_logits)) == int(np.argmax(ms_logits))
            print(f"    {size}x{size}: relative difference {entry[f'relative_{size}']:.2e} (same top class: {same_top}); "
                  f"MindSpore on our written .ckpt: {entry[f'relative_written_{size}']:.2e}; a plain torchvision "
                  f"ResNet50: {entry[f'relative_torchvision_{size}']:.2e} (same top class: {plain_top})")
            print(f"      MindSpore: {np.round(ms_logits[0], 4).tolist()}")
            print(f"      explorer:  {np.round(our_logits[0], 4).tolist()}")
    (out / "report.json").write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
