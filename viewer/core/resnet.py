"""ResNet as the course builds it: building blocks, bottlenecks and ``make_layer``.

The parameter names and shapes are exactly torchvision's (``conv1``, ``bn1``, ``layer1.0.conv1``,
``layer1.0.downsample.0`` ...), so every torchvision checkpoint loads with ``strict=True`` and
gives the same outputs. Each network carries its padding convention and batch-norm eps
(:mod:`viewer.core.conventions`: torchvision's by default, or MindSpore's for its checkpoints),
which never touches the state_dict either. Two differences from torchvision's code, neither of
which touches the state_dict:

* every ReLU is its own non-in-place module (``relu1``, ``relu2``, ``relu3`` in a block), because
  torchvision's single in-place ReLU, reused three times, makes the activations impossible to
  capture one by one;
* each block routes its three teaching quantities through parameterless taps named
  ``shortcut`` (identity or downsample output), ``residual`` (F(x), before the addition) and
  ``sum`` (F(x) + x, before the final ReLU), so a forward hook can capture them by name.

Blocks are "ResNet v1.5" (stride on the 3x3 convolution of a bottleneck), like torchvision.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable

import torch
from torch import nn

from viewer.core.architectures import ARCHITECTURE_SPECS
from viewer.core.conventions import TORCHVISION, ResNetConvention

__all__ = [
    "ARCHITECTURES",
    "BLOCK_TAPS",
    "BasicBlock",
    "Bottleneck",
    "ResNet",
    "empty_resnet",
    "make_layer",
    "resnet18",
    "resnet34",
    "resnet50",
    "resnet101",
    "resnet152",
]


#: the parameterless taps of a residual block, in the order the block computes them
BLOCK_TAPS = ("residual", "shortcut", "sum")


def conv3x3(in_channels: int, out_channels: int, stride: int = 1,
            convention: ResNetConvention = TORCHVISION) -> nn.Conv2d:
    """3x3 convolution with padding 1 (keeps the size at stride 1), no bias: a BN follows."""
    return convention.conv(in_channels, out_channels, 3, stride)


def conv1x1(in_channels: int, out_channels: int, stride: int = 1,
            convention: ResNetConvention = TORCHVISION) -> nn.Conv2d:
    """1x1 convolution, no bias: changes the channel count (and the size, with a stride)."""
    return convention.conv(in_channels, out_channels, 1, stride)


class BasicBlock(nn.Module):
    """The building block of ResNet18/34: two 3x3 convolutions and a shortcut.

    ``out = relu(F(x) + shortcut(x))`` with ``F = bn2(conv2(relu(bn1(conv1(x)))))``. The
    shortcut is the identity, or ``downsample`` when the stride or the width changes.
    """

    #: output channels = ``channels * expansion``
    expansion = 1

    def __init__(
        self,
        in_channels: int,
        channels: int,
        stride: int = 1,
        downsample: nn.Module | None = None,
        *,
        convention: ResNetConvention = TORCHVISION,
    ) -> None:
        super().__init__()
        self.conv1 = conv3x3(in_channels, channels, stride, convention)
        self.bn1 = convention.batch_norm(channels, in_block=True)
        self.relu1 = nn.ReLU()
        self.conv2 = conv3x3(channels, channels, 1, convention)
        self.bn2 = convention.batch_norm(channels, in_block=True)
        self.downsample = downsample
        self.stride = stride
        self.residual = nn.Identity()
        self.shortcut = nn.Identity()
        self.sum = nn.Identity()
        self.relu2 = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu1(self.bn1(self.conv1(x)))
        residual = self.residual(self.bn2(self.conv2(out)))
        shortcut = self.shortcut(x if self.downsample is None else self.downsample(x))
        return self.relu2(self.sum(residual + shortcut))


class Bottleneck(nn.Module):
    """The bottleneck of ResNet50/101/152: 1x1 reduce, 3x3 (with the stride), 1x1 expand x4.

    The 1x1 convolutions make the expensive 3x3 work on a quarter of the channels, which is
    what keeps very deep networks affordable.
    """

    expansion = 4

    def __init__(
        self,
        in_channels: int,
        channels: int,
        stride: int = 1,
        downsample: nn.Module | None = None,
        *,
        convention: ResNetConvention = TORCHVISION,
    ) -> None:
        super().__init__()
        out_channels = channels * self.expansion
        self.conv1 = conv1x1(in_channels, channels, 1, convention)
        self.bn1 = convention.batch_norm(channels, in_block=True)
        self.relu1 = nn.ReLU()
        self.conv2 = conv3x3(channels, channels, stride, convention)
        self.bn2 = convention.batch_norm(channels, in_block=True)
        self.relu2 = nn.ReLU()
        self.conv3 = conv1x1(channels, out_channels, 1, convention)
        self.bn3 = convention.batch_norm(out_channels, in_block=True)
        self.downsample = downsample
        self.stride = stride
        self.residual = nn.Identity()
        self.shortcut = nn.Identity()
        self.sum = nn.Identity()
        self.relu3 = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu1(self.bn1(self.conv1(x)))
        out = self.relu2(self.bn2(self.conv2(out)))
        residual = self.residual(self.bn3(self.conv3(out)))
        shortcut = self.shortcut(x if self.downsample is None else self.downsample(x))
        return self.relu3(self.sum(residual + shortcut))


Block = type[BasicBlock] | type[Bottleneck]


def make_layer(
    block: Block, in_channels: int, channels: int, blocks: int, stride: int = 1,
    *, convention: ResNetConvention = TORCHVISION,
) -> nn.Sequential:
    """Stack the ``blocks`` residual blocks of one stage (torchvision's ``_make_layer``).

    Parameters
    ----------
    block
        :class:`BasicBlock` or :class:`Bottleneck`.
    in_channels
        Channels coming out of the previous stage.
    channels
        This stage's width; the stage outputs ``channels * block.expansion`` channels.
    blocks
        How many blocks to stack (at least 1).
    stride
        Stride of the first block (2 halves the size); the others use stride 1.

    Only the first block can change the shape, so only it gets a ``downsample`` shortcut
    (1x1 convolution with the stride, then batch norm), and only when the shape does change.
    ``convention`` pads and normalises every layer (torchvision's by default).
    """
    if blocks < 1:
        raise ValueError(f"A stage needs at least one block (got {blocks}).")
    out_channels = channels * block.expansion
    downsample = None
    if stride != 1 or in_channels != out_channels:
        downsample = nn.Sequential(
            conv1x1(in_channels, out_channels, stride, convention), convention.batch_norm(out_channels)
        )
    layers: list[nn.Module] = [block(in_channels, channels, stride, downsample, convention=convention)]
    layers.extend(block(out_channels, channels, convention=convention) for _ in range(1, blocks))
    return nn.Sequential(*layers)


class ResNet(nn.Module):
    """A ResNet: stem (7x7 conv, BN, ReLU, 3x3 max pool), four stages, average pool and fc.

    Parameters
    ----------
    block
        :class:`BasicBlock` or :class:`Bottleneck`.
    layers
        Blocks per stage, e.g. ``(3, 4, 6, 3)`` for ResNet50.
    num_classes
        Outputs of the final fully connected layer.
    seed
        Seed of torchvision's initialisation scheme (Kaiming normal, fan_out, for the
        convolutions; BN weight 1, bias 0; PyTorch's default for fc), drawn from a private
        generator so the same seed always gives the same model and the global RNG is left
        alone. ``None`` draws from the global RNG like torchvision does.
    arch
        Name shown to the user (``"resnet50"``); filled in by the factory functions.
    convention
        How the layers pad and how the batch norms normalise (:attr:`convention`): torchvision's
        by default, MindSpore's for a MindSpore checkpoint. The state_dict is the same either way.
    """

    def __init__(
        self,
        block: Block,
        layers: tuple[int, int, int, int] | list[int],
        num_classes: int = 1000,
        *,
        seed: int | None = 0,
        arch: str = "resnet",
        convention: ResNetConvention = TORCHVISION,
        initialised: bool = True,
    ) -> None:
        super().__init__()
        if len(layers) != 4:
            raise ValueError(f"A ResNet has four stages (got {len(layers)}).")
        self.arch = arch
        self.block = block
        self.layers = tuple(int(n) for n in layers)
        self.num_classes = int(num_classes)
        self.convention = convention
        # With a seed, the layers are made on the meta device (no memory, no numbers) and then
        # given real, uninitialised memory: PyTorch's default init, which ours replaces, is half
        # of building a network, and skipping it also leaves the global RNG alone. Without a
        # seed both draw from the global RNG, like torchvision.
        with torch.device("meta") if seed is not None else contextlib.nullcontext():
            self.conv1 = convention.conv(3, 64, 7, 2)
            self.bn1 = convention.batch_norm(64)
            self.relu = nn.ReLU()
            self.maxpool = convention.max_pool(3, 2)
            channels = 64
            for index, (width, count) in enumerate(zip((64, 128, 256, 512), self.layers, strict=True)):
                stride = 1 if index == 0 else 2
                stage = make_layer(block, channels, width, count, stride, convention=convention)
                setattr(self, f"layer{index + 1}", stage)
                channels = width * block.expansion
            self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
            self.fc = nn.Linear(channels, self.num_classes)
            self.feature_channels = channels
        if seed is not None:
            self.to_empty(device="cpu")
        if initialised:
            initialise(self, seed)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def initialise(model: nn.Module, seed: int | None = 0) -> None:
    """torchvision's initialisation, reproducible from ``seed`` (see :class:`ResNet`)."""
    generator = None
    if seed is not None:
        generator = torch.Generator().manual_seed(int(seed))
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.Conv2d):
                if module.weight.is_meta:
                    continue
                nn.init.kaiming_normal_(
                    module.weight, mode="fan_out", nonlinearity="relu", generator=generator
                )
            elif isinstance(module, nn.BatchNorm2d | nn.GroupNorm):
                nn.init.ones_(module.weight)
                nn.init.zeros_(module.bias)
                if isinstance(module, nn.BatchNorm2d):
                    module.reset_running_stats()  # memory made from the meta device holds garbage
            elif isinstance(module, nn.Linear):
                if module.weight.is_meta:
                    continue
                # nn.Linear.reset_parameters, with our generator.
                nn.init.kaiming_uniform_(module.weight, a=math.sqrt(5), generator=generator)
                if module.bias is not None:
                    bound = 1 / math.sqrt(module.in_features) if module.in_features > 0 else 0
                    nn.init.uniform_(module.bias, -bound, bound, generator=generator)


def _build(name: str, num_classes: int, seed: int | None, convention: ResNetConvention,
           initialised: bool = True) -> ResNet:
    spec = ARCHITECTURE_SPECS[name]
    block = Bottleneck if spec.block == "bottleneck" else BasicBlock
    return ResNet(block, spec.layers, num_classes, seed=seed, arch=name, convention=convention, initialised=initialised)


def empty_resnet(name: str, num_classes: int = 1000, *, convention: ResNetConvention = TORCHVISION) -> ResNet:
    """``name`` with memory for every parameter and buffer but no values in it: for a state_dict
    that fills every one (a strict load). Initialising first, only to overwrite it, is about 40 %
    of opening a weights file."""
    return _build(name, num_classes, 0, convention, initialised=False)


def resnet18(num_classes: int = 1000, *, seed: int | None = 0, convention: ResNetConvention = TORCHVISION) -> ResNet:
    """ResNet18: building blocks, (2, 2, 2, 2); 11,689,512 parameters with 1000 classes."""
    return _build("resnet18", num_classes, seed, convention)


def resnet34(num_classes: int = 1000, *, seed: int | None = 0, convention: ResNetConvention = TORCHVISION) -> ResNet:
    """ResNet34: building blocks, (3, 4, 6, 3)."""
    return _build("resnet34", num_classes, seed, convention)


def resnet50(num_classes: int = 1000, *, seed: int | None = 0, convention: ResNetConvention = TORCHVISION) -> ResNet:
    """ResNet50: bottlenecks, (3, 4, 6, 3); 25,557,032 parameters with 1000 classes."""
    return _build("resnet50", num_classes, seed, convention)


def resnet101(num_classes: int = 1000, *, seed: int | None = 0, convention: ResNetConvention = TORCHVISION) -> ResNet:
    """ResNet101: bottlenecks, (3, 4, 23, 3)."""
    return _build("resnet101", num_classes, seed, convention)


def resnet152(num_classes: int = 1000, *, seed: int | None = 0, convention: ResNetConvention = TORCHVISION) -> ResNet:
    """ResNet152: bottlenecks, (3, 8, 36, 3)."""
    return _build("resnet152", num_classes, seed, convention)


#: architecture name -> factory ``(num_classes=1000, *, seed=0, convention=TORCHVISION) -> ResNet``, in the order of
#: :data:`~viewer.core.architectures.ARCHITECTURE_NAMES`
ARCHITECTURES: dict[str, Callable[..., ResNet]] = {
    factory.__name__: factory for factory in (resnet18, resnet34, resnet50, resnet101, resnet152)
}
