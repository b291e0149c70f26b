"""MindSpore checkpoints: what opening a ``.ckpt`` costs next to opening PyTorch's own format.

* ``mindspore.open_ckpt_vs_safetensors``: :func:`~viewer.core.weights.open_weights` of a model-zoo
  ResNet50 ``.ckpt`` (94 MB, with the CRC trailer: read, checksum, parse the protobuf wire format,
  rename, build the network with MindSpore's convention, load strictly) against
  ``open_weights`` of the same weights saved as a torchvision-layout ``.safetensors`` (read by
  the safetensors library's Rust code, then the same build and load), alternately in the same run.
  Its floor, timed beside it: the baseline plus reading the ``.ckpt``'s bytes and their CRC, which
  the format needs and safetensors' memory map does not.
"""

from __future__ import annotations

import tempfile
import zlib
from pathlib import Path

from benchmarks.harness import Result, case, compare


@case("mindspore.open_ckpt_vs_safetensors")
def open_ckpt_vs_safetensors(repeats: int) -> Result:
    from safetensors.torch import save_file

    from viewer.core.conventions import MINDSPORE_ZOO
    from viewer.core.mindspore_weights import save_mindspore_checkpoint
    from viewer.core.weights import build_model, file_source, open_weights

    model = build_model("resnet50", seed=0, num_classes=10, convention=MINDSPORE_ZOO)
    with tempfile.TemporaryDirectory() as folder:
        ckpt = save_mindspore_checkpoint(model, Path(folder) / "zoo.ckpt")
        plain = Path(folder) / "plain.safetensors"
        save_file({key: value.contiguous() for key, value in model.state_dict().items()}, str(plain))
        megabytes = ckpt.stat().st_size / 1e6

        def floor() -> None:
            zlib.crc32(ckpt.read_bytes())
            open_weights("resnet50", file_source(plain))

        return compare(
            "mindspore.open_ckpt_vs_safetensors",
            lambda: open_weights("resnet50", file_source(ckpt)),
            lambda: open_weights("resnet50", file_source(plain)),
            target=1.5,
            repeats=max(1, min(repeats, 5)),
            warmup=1,
            baseline_name="open_weights of the same weights as torchvision .safetensors",
            floor="the baseline + reading the .ckpt and its CRC (timed below)",
            alternatives={"the floor: .safetensors + reading the .ckpt's bytes and their CRC": floor},
            note=f"model-zoo ResNet50, 10 classes, {megabytes:.0f} MB .ckpt with its CRC trailer",
        )
