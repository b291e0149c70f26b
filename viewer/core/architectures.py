"""The ResNet architectures the app offers, by name, without importing torch.

One table for the whole app: :mod:`viewer.core.resnet` builds its networks from it, and the
explorer's architecture menu and the ``resnet`` command's ``--arch`` list it (they must not
wait for torch to load).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ArchitectureSpec:
    """One ResNet of the paper's table: its block type and how many blocks each stage stacks."""

    name: str
    block: str
    """``"basic"`` (the building block, ResNet18/34) or ``"bottleneck"`` (ResNet50/101/152)."""
    layers: tuple[int, int, int, int]

    @property
    def title(self) -> str:
        """How the name is written for people: ``ResNet50``."""
        return self.name.replace("resnet", "ResNet")


ARCHITECTURE_SPECS: dict[str, ArchitectureSpec] = {
    spec.name: spec
    for spec in (
        ArchitectureSpec("resnet18", "basic", (2, 2, 2, 2)),
        ArchitectureSpec("resnet34", "basic", (3, 4, 6, 3)),
        ArchitectureSpec("resnet50", "bottleneck", (3, 4, 6, 3)),
        ArchitectureSpec("resnet101", "bottleneck", (3, 4, 23, 3)),
        ArchitectureSpec("resnet152", "bottleneck", (3, 8, 36, 3)),
    )
}
#: the names, shallowest first
ARCHITECTURE_NAMES: tuple[str, ...] = tuple(ARCHITECTURE_SPECS)
DEFAULT_ARCHITECTURE = "resnet50"

#: the class each block kind is built by in :mod:`viewer.core.resnet`
BLOCK_CLASSES = {"basic": "BasicBlock", "bottleneck": "Bottleneck"}
#: every stage's own width (``channels``), conv2_x to conv5_x
STAGE_WIDTHS = (64, 128, 256, 512)
#: channels leaving the stem (conv1 and max pool)
STEM_CHANNELS = 64


@dataclass(frozen=True)
class MakeLayerCall:
    """The ``make_layer`` call that builds one stage, with the course's parameter names."""

    stage: str
    """The course's name: ``conv2_x`` .. ``conv5_x``."""
    module: str
    """The module it builds: ``layer1`` .. ``layer4``."""
    block: str
    """The block class: ``BasicBlock`` or ``Bottleneck``."""
    in_channels: int
    channels: int
    blocks: int
    stride: int

    @property
    def code(self) -> str:
        """The call as Python: ``make_layer(Bottleneck, in_channels=256, channels=128, blocks=4, stride=2)``."""
        return (f"make_layer({self.block}, in_channels={self.in_channels}, channels={self.channels}, "
                f"blocks={self.blocks}, stride={self.stride})")


def make_layer_calls(arch: str) -> tuple[MakeLayerCall, ...]:
    """The four ``make_layer`` calls of ``arch``'s stages, as :class:`~viewer.core.resnet.ResNet` makes them.

    The first stage keeps the size (stride 1, after the stem's max pool); the others halve it.
    Each stage takes the channels the previous one put out (``channels * expansion``).
    """
    spec = ARCHITECTURE_SPECS[arch]
    expansion = 4 if spec.block == "bottleneck" else 1
    calls = []
    in_channels = STEM_CHANNELS
    for index, (width, count) in enumerate(zip(STAGE_WIDTHS, spec.layers, strict=True)):
        calls.append(MakeLayerCall(f"conv{index + 2}_x", f"layer{index + 1}", BLOCK_CLASSES[spec.block],
                                   in_channels, width, count, 1 if index == 0 else 2))
        in_channels = width * expansion
    return tuple(calls)
