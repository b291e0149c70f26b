"""Write torchvision's ResNet18/ResNet50 state_dict keys and shapes, from first principles.

Independent of viewer.core.resnet on purpose: it spells out torchvision's ``models/resnet.py``
structure (``_make_layer``, ``BasicBlock``, ``Bottleneck``) as plain loops, so the test that
loads these keys into our model checks our model against torchvision, not against itself.
Run: ``python tests/data/make_torchvision_keys.py`` (writes the two .txt files beside it).
Cross-checked: the parameter totals (excluding buffers) are torchvision's published
11,689,512 (resnet18) and 25,557,032 (resnet50).
"""

from __future__ import annotations

from pathlib import Path


def bn(prefix: str, channels: int) -> list[tuple[str, tuple[int, ...]]]:
    return [
        (f"{prefix}.weight", (channels,)),
        (f"{prefix}.bias", (channels,)),
        (f"{prefix}.running_mean", (channels,)),
        (f"{prefix}.running_var", (channels,)),
        (f"{prefix}.num_batches_tracked", ()),
    ]


def keys(bottleneck: bool, layers: tuple[int, ...]) -> list[tuple[str, tuple[int, ...]]]:
    expansion = 4 if bottleneck else 1
    out = [("conv1.weight", (64, 3, 7, 7)), *bn("bn1", 64)]
    inplanes = 64
    for stage, (planes, blocks) in enumerate(zip((64, 128, 256, 512), layers, strict=True), start=1):
        stride = 1 if stage == 1 else 2
        for index in range(blocks):
            p = f"layer{stage}.{index}"
            if bottleneck:
                out += [(f"{p}.conv1.weight", (planes, inplanes, 1, 1)), *bn(f"{p}.bn1", planes)]
                out += [(f"{p}.conv2.weight", (planes, planes, 3, 3)), *bn(f"{p}.bn2", planes)]
                out += [(f"{p}.conv3.weight", (planes * 4, planes, 1, 1)), *bn(f"{p}.bn3", planes * 4)]
            else:
                out += [(f"{p}.conv1.weight", (planes, inplanes, 3, 3)), *bn(f"{p}.bn1", planes)]
                out += [(f"{p}.conv2.weight", (planes, planes, 3, 3)), *bn(f"{p}.bn2", planes)]
            if index == 0 and (stride != 1 or inplanes != planes * expansion):
                out += [(f"{p}.downsample.0.weight", (planes * expansion, inplanes, 1, 1))]
                out += bn(f"{p}.downsample.1", planes * expansion)
            inplanes = planes * expansion
    out += [("fc.weight", (1000, inplanes)), ("fc.bias", (1000,))]
    return out


def main() -> None:
    here = Path(__file__).parent
    for name, bottleneck, layers in (("resnet18", False, (2, 2, 2, 2)), ("resnet50", True, (3, 4, 6, 3))):
        lines = [f"{key}\t{','.join(map(str, shape))}" for key, shape in keys(bottleneck, layers)]
        (here / f"torchvision_{name}_keys.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
