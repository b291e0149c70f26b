"""Write the MindSpore fixtures of the test suite with real MindSpore (a development-only tool).

The suite never needs MindSpore: it reads what this script wrote, once, with MindSpore 2.10.0
(CPU). Run it with an interpreter that has MindSpore, from the repository root::

    /work/msvenv/bin/python tests/data/make_mindspore_fixtures.py

It writes, beside itself:

* ``mindspore_small.ckpt`` and ``mindspore_small_crc.ckpt``: a small network saved by
  ``mindspore.save_checkpoint`` without and with the CRC trailer (``crc_check=True``), with
  float32, float16 and int32 parameters and an ``append_dict`` of an int, a float, a string and
  (in the first only) a bfloat16 tensor; ``mindspore_small.npz`` holds every value MindSpore's
  own ``load_checkpoint`` reads back from the first (bfloat16 as float32, a string under
  ``str:<name>``, MindSpore's dtype under ``dtype:<name>``);
* ``mindspore_small.safetensors``: the same network saved with ``format="safetensors"`` (the
  ``{"format": "ms"}`` variant);
* ``mindspore_small_aes_gcm.ckpt``, ``mindspore_small_aes_cbc.ckpt``, ``mindspore_small_sm4_cbc.ckpt``:
  the same network encrypted with each of MindSpore's modes (key ``0123456789abcdef``);
* ``mindspore_same_padding.npz``: inputs, weights and MindSpore's own outputs of ``pad_mode="same"``
  layers: a 7x7/s2 convolution (3 -> 2 channels), a 3x3/s2 max pool and a 3x3/s2 convolution
  (2 -> 2 channels), on 32x32 and odd-sized inputs (33x33, 35x30, 31x37).

Seeded: a rerun writes the same files, but for the encrypted ones (MindSpore draws a fresh IV).
"""

from __future__ import annotations

from pathlib import Path

import mindspore as ms
import numpy as np
from mindspore import Parameter, Tensor, nn

HERE = Path(__file__).resolve().parent
KEY = b"0123456789abcdef"
SIZES = ((32, 32), (33, 33), (35, 30), (31, 37))


class Small(nn.Cell):
    """A convolution, a batch norm and a dense layer, plus parameters of the other dtypes."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 3, pad_mode="same", has_bias=True)
        self.bn = nn.BatchNorm2d(3)
        self.fc = nn.Dense(12, 4)
        self.half = Parameter(Tensor(np.zeros((2, 3), np.float16)), name="half")
        self.count = Parameter(Tensor(np.zeros((3,), np.int32)), name="count", requires_grad=False)

    def construct(self, x):
        return self.fc(self.bn(self.conv(x)).reshape(x.shape[0], -1))


def small_network() -> Small:
    rng = np.random.default_rng(13)
    net = Small()
    for param in net.get_parameters():
        shape = tuple(param.shape)
        if param.dtype == ms.int32:
            values = rng.integers(-50, 50, shape).astype(np.int32)
            param.set_data(Tensor(values))
        else:
            dtype = np.float16 if param.dtype == ms.float16 else np.float32
            values = rng.standard_normal(shape).astype(dtype)
            if "moving_variance" in param.name:
                values = np.abs(values) + 0.5
            param.set_data(Tensor(values))
    return net


def appended() -> dict:
    """What a training script adds with ``append_dict``: numbers, a string and a bfloat16 tensor
    (a bfloat16 *parameter* cannot be built from numpy in this MindSpore)."""
    brain = np.random.default_rng(5).standard_normal((5,)).astype(np.float32)
    return {"epoch_num": 3, "learning_rate": 0.01, "note": "trained on CIFAR-10",
            "brain": Tensor(brain).astype(ms.bfloat16)}


def write_small() -> None:
    net = small_network()
    ms.save_checkpoint(net, str(HERE / "mindspore_small.ckpt"), append_dict=appended())
    # Without the bfloat16 tensor (the viewer never writes one), so a test can rebuild it byte for byte.
    plain = {key: value for key, value in appended().items() if key != "brain"}
    ms.save_checkpoint(net, str(HERE / "mindspore_small_crc.ckpt"), append_dict=plain, crc_check=True)
    ms.save_checkpoint(net, str(HERE / "mindspore_small.safetensors"), format="safetensors")
    for mode, name in (("AES-GCM", "aes_gcm"), ("AES-CBC", "aes_cbc"), ("SM4-CBC", "sm4_cbc")):
        ms.save_checkpoint(net, str(HERE / f"mindspore_small_{name}.ckpt"), enc_key=KEY, enc_mode=mode)
    # What MindSpore itself reads back: the values the tests expect of our reader.
    loaded = ms.load_checkpoint(str(HERE / "mindspore_small.ckpt"))
    with_crc = ms.load_checkpoint(str(HERE / "mindspore_small_crc.ckpt"), crc_check=True)
    assert sorted(with_crc) == sorted(key for key in loaded if key != "brain")
    expected = {}
    for name, value in loaded.items():
        if isinstance(value, str):
            expected[f"str:{name}"] = np.array(value)
            continue
        if value.dtype == ms.bfloat16:
            expected[name] = value.astype(ms.float32).asnumpy()
            expected[f"dtype:{name}"] = np.array("BFloat16")
        else:
            expected[name] = value.asnumpy()
            expected[f"dtype:{name}"] = np.array(str(value.dtype))
    np.savez(HERE / "mindspore_small.npz", **expected)
    decrypted = ms.load_checkpoint(str(HERE / "mindspore_small_aes_gcm.ckpt"), dec_key=KEY, dec_mode="AES-GCM")
    assert sorted(decrypted) == sorted(k for k in loaded if k in decrypted)


def write_same_padding() -> None:
    rng = np.random.default_rng(7)
    conv7 = nn.Conv2d(3, 2, 7, stride=2, pad_mode="same", has_bias=False)
    conv3 = nn.Conv2d(2, 2, 3, stride=2, pad_mode="same", has_bias=False)
    pool = nn.MaxPool2d(kernel_size=3, stride=2, pad_mode="same")
    arrays = {
        "conv7_weight": rng.standard_normal((2, 3, 7, 7)).astype(np.float32),
        "conv3_weight": rng.standard_normal((2, 2, 3, 3)).astype(np.float32),
    }
    conv7.weight.set_data(Tensor(arrays["conv7_weight"]))
    conv3.weight.set_data(Tensor(arrays["conv3_weight"]))
    for height, width in SIZES:
        size = f"{height}x{width}"
        # Negative values too, so a max pool that padded with zeros instead of ignoring the
        # padding would show at the border.
        x3 = rng.standard_normal((1, 3, height, width)).astype(np.float32)
        x2 = rng.standard_normal((1, 2, height, width)).astype(np.float32)
        arrays[f"x3_{size}"] = x3
        arrays[f"x2_{size}"] = x2
        arrays[f"conv7_{size}"] = conv7(Tensor(x3)).asnumpy()
        arrays[f"pool_{size}"] = pool(Tensor(x2)).asnumpy()
        arrays[f"conv3_{size}"] = conv3(Tensor(x2)).asnumpy()
    np.savez(HERE / "mindspore_same_padding.npz", **arrays)


if __name__ == "__main__":
    ms.set_context(mode=ms.PYNATIVE_MODE, device_target="CPU")
    write_small()
    write_same_padding()
    for written in HERE.glob("mindspore_*"):
        written.chmod(0o644)  # MindSpore leaves its checkpoints read-only
    print(f"wrote the MindSpore fixtures in {HERE}")
