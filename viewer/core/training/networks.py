"""The networks the training lab trains: the CIFAR family of the ResNet paper and the explorer's ResNets.

**The CIFAR family** (He et al. 2016, section 4.2): depth 6n + 2 weighted layers: a 3x3
convolution on the image, three stages of 2n 3x3 convolutions at 16, 32 and 64 channels (times
``width``), stride 2 at the first convolution of stages 2 and 3, global average pooling and a
fully connected layer. :func:`plain_net` and :func:`residual_net` differ only in the shortcuts:
every pair of convolutions of a residual net adds its input back. Where a stage halves the size
and doubles the channels, the shortcut is the paper's **option A**: the identity, subsampled by
taking every other pixel and padded with zero channels. It has no parameters, so a residual net
has exactly the parameters of its plain twin (ResNet-20: 269,722, the paper's 0.27M; ResNet-56:
853,018, the paper's 0.85M; with 10 classes at width 1) and, built from the same seed, exactly the same initial weights: only the
shortcuts differ.

Without batch norm each convolution gets a bias (initialised to zero), the job BN's shift did.
Every convolution is initialised as torchvision does (Kaiming normal, fan_out, for ReLU) from a
private generator, so the same seed always gives the same network.

**The explorer's ResNets**: torchvision-layout ``resnet18`` and ``resnet50``
(:mod:`viewer.core.resnet`) with ``num_classes`` outputs, trained at 32x32 as the course's table
does; their weights open in the explorer.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from viewer.core.errors import InvalidSettingError
from viewer.core.i18n import QT_TRANSLATE_NOOP
from viewer.core.resnet import ARCHITECTURES, initialise

#: the explorer's architectures the lab can train (torchvision layout)
EXPLORER_ARCHITECTURES = ("resnet18", "resnet50")
#: the two CIFAR-family kinds
CIFAR_KINDS = ("plain", "residual")


@dataclass(frozen=True)
class NetworkSpec:
    """Which network: ``kind`` is ``"plain"``, ``"residual"`` or an explorer architecture
    (``"resnet18"``, ``"resnet50"``); ``depth`` and ``batch_norm`` concern the CIFAR family."""

    kind: str
    depth: int = 20
    batch_norm: bool = True

    @property
    def name(self) -> str:
        """How the network is written everywhere: ``plain-20``, ``ResNet-56``, ``plain-56 no BN``, ``ResNet50``."""
        if self.kind in EXPLORER_ARCHITECTURES:
            return self.kind.replace("resnet", "ResNet")
        base = f"{'plain' if self.kind == 'plain' else 'ResNet'}-{self.depth}"
        return base if self.batch_norm else f"{base} no BN"

    @property
    def opens_in_explorer(self) -> bool:
        """Whether the explorer can show it (the torchvision layout only)."""
        return self.kind in EXPLORER_ARCHITECTURES


def plain(depth: int, batch_norm: bool = True) -> NetworkSpec:
    return NetworkSpec("plain", depth, batch_norm)


def residual(depth: int, batch_norm: bool = True) -> NetworkSpec:
    return NetworkSpec("residual", depth, batch_norm)


def build_network(spec: NetworkSpec, num_classes: int, width: float = 1.0, seed: int = 0) -> nn.Module:
    """The network ``spec`` describes, initialised from ``seed``, in training mode."""
    if spec.kind in EXPLORER_ARCHITECTURES:
        return ARCHITECTURES[spec.kind](num_classes, seed=seed).train()
    if spec.kind not in CIFAR_KINDS:
        raise InvalidSettingError(QT_TRANSLATE_NOOP("UserError", "Unknown network kind {0}.").format(repr(spec.kind)))
    return CifarNet(spec.depth, width, spec.batch_norm, spec.kind == "residual", num_classes, seed=seed)


def plain_net(depth: int, width: float = 1.0, batch_norm: bool = True, num_classes: int = 10, seed: int = 0) -> CifarNet:
    """A plain network of the CIFAR family: ``depth`` = 6n + 2 weighted layers, no shortcuts."""
    return CifarNet(depth, width, batch_norm, False, num_classes, seed=seed)


def residual_net(depth: int, width: float = 1.0, batch_norm: bool = True, num_classes: int = 10, seed: int = 0) -> CifarNet:
    """The residual twin of :func:`plain_net` (option A shortcuts: no extra parameters)."""
    return CifarNet(depth, width, batch_norm, True, num_classes, seed=seed)


def stage_widths(width: float) -> tuple[int, int, int]:
    """Channels of the three stages: 16, 32 and 64 times ``width`` (at least 1)."""
    if not width > 0:
        raise InvalidSettingError(QT_TRANSLATE_NOOP("UserError", "The width factor must be positive (got {0}).").format(repr(width)))
    return tuple(max(1, round(base * width)) for base in (16, 32, 64))


class ShortcutA(nn.Module):
    """Option A: the identity; where the shape changes, every other pixel and zero channels added."""

    def __init__(self, in_channels: int, out_channels: int, stride: int) -> None:
        super().__init__()
        self.stride = stride
        self.extra_channels = out_channels - in_channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.stride != 1:
            x = x[:, :, :: self.stride, :: self.stride]
        if self.extra_channels:
            x = nn.functional.pad(x, (0, 0, 0, 0, 0, self.extra_channels))
        return x


class CifarBlock(nn.Module):
    """Two 3x3 convolutions (each with BN, or a bias without), ReLUs, and optionally the shortcut."""

    def __init__(self, in_channels: int, out_channels: int, stride: int, batch_norm: bool, shortcut: bool) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=not batch_norm)
        self.bn1 = nn.BatchNorm2d(out_channels) if batch_norm else nn.Identity()
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=not batch_norm)
        self.bn2 = nn.BatchNorm2d(out_channels) if batch_norm else nn.Identity()
        self.shortcut = ShortcutA(in_channels, out_channels, stride) if shortcut else None
        self.relu2 = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.bn2(self.conv2(self.relu1(self.bn1(self.conv1(x)))))
        if self.shortcut is not None:
            out = out + self.shortcut(x)
        return self.relu2(out)


class CifarNet(nn.Module):
    """The paper's CIFAR-10 network: stem, three stages of ``(depth - 2) / 6`` blocks, pool, fc."""

    def __init__(self, depth: int, width: float, batch_norm: bool, shortcuts: bool, num_classes: int,
                 *, seed: int | None = 0) -> None:
        super().__init__()
        if isinstance(depth, bool) or not isinstance(depth, int) or depth < 8 or (depth - 2) % 6:
            raise InvalidSettingError(QT_TRANSLATE_NOOP("UserError", "The CIFAR family has depths 6n + 2 (8, 14, 20, 32, 44, 56, 110 ...), not {0}.").format(repr(depth)))
        blocks = (depth - 2) // 6
        widths = stage_widths(width)
        self.depth = depth
        with torch.random.fork_rng(devices=[], enabled=seed is not None):
            self.conv1 = nn.Conv2d(3, widths[0], 3, 1, 1, bias=not batch_norm)
            self.bn1 = nn.BatchNorm2d(widths[0]) if batch_norm else nn.Identity()
            self.relu = nn.ReLU()
            channels = widths[0]
            for index, stage_width in enumerate(widths):
                stage = []
                for block in range(blocks):
                    stride = 2 if index > 0 and block == 0 else 1
                    stage.append(CifarBlock(channels, stage_width, stride, batch_norm, shortcuts))
                    channels = stage_width
                setattr(self, f"layer{index + 1}", nn.Sequential(*stage))
            self.avgpool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(channels, num_classes)
        initialise(self, seed)
        with torch.no_grad():
            for module in self.modules():
                if isinstance(module, nn.Conv2d) and module.bias is not None:
                    module.bias.zero_()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def weighted_layers(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """The convolutions and fully connected layers, in forward order: the layers a depth counts."""
    return [(name, module) for name, module in model.named_modules() if isinstance(module, nn.Conv2d | nn.Linear)]


def parameter_count(model: nn.Module) -> int:
    """How many trainable numbers the model has."""
    return sum(parameter.numel() for parameter in model.parameters() if parameter.requires_grad)
