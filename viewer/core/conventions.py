"""How a ResNet's layers pad and normalise: torchvision's convention or MindSpore's.

The same weights give different numbers under different conventions, so a network carries its
own (:class:`ResNetConvention`) and builds its layers through it:

* **padding**: torchvision pads every window symmetrically (``padding = k // 2`` per side);
  MindSpore's ``pad_mode="same"`` pads so that the output has ``ceil(n / s)`` pixels, computed
  from each input's size, the odd pixel bottom/right (:func:`~viewer.core.geometry.same_padding`).
  For a 32x32 input the stem's 7x7/s2 convolution pads 2 top/left and 3 bottom/right
  (torchvision: 3 and 3), its max pool 0 and 1 (torchvision: 1 and 1);
* **batch-norm eps**: 1e-5 in torchvision and MindSpore's tutorial, 1e-4 in MindSpore's model
  zoo (whose ResNet18/34 use 1e-4 inside the blocks and 1e-5 in the stem and the shortcuts).

The layers built for MindSpore's padding are subclasses of ``nn.Conv2d`` and ``nn.MaxPool2d``
with the same parameters and buffers, so a state_dict's keys never depend on the convention.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from viewer.core.geometry import same_padding

__all__ = [
    "MINDSPORE_TUTORIAL",
    "MINDSPORE_ZOO",
    "MINDSPORE_ZOO_BASIC",
    "PADDINGS",
    "TORCHVISION",
    "ResNetConvention",
    "SamePaddedConv2d",
    "SamePaddedMaxPool2d",
    "window_padding",
]

#: the padding conventions: torchvision's symmetric one, MindSpore's ``pad_mode="same"``
PADDINGS = ("torchvision", "same")


@dataclass(frozen=True)
class ResNetConvention:
    """How a ResNet's convolutions and max pool pad, and its batch norms' eps."""

    padding: str = "torchvision"
    """One of :data:`PADDINGS`."""
    bn_eps: float = 1e-5
    """eps of every batch norm (but those inside the blocks, when ``block_bn_eps`` is given)."""
    block_bn_eps: float | None = None
    """eps of the batch norms on the blocks' residual branches, when it differs from ``bn_eps``."""

    def __post_init__(self) -> None:
        if self.padding not in PADDINGS:
            raise ValueError(f"Unknown padding convention {self.padding!r}; choose one of {', '.join(PADDINGS)}.")

    @property
    def asymmetric(self) -> bool:
        """Whether the padding can differ between top/left and bottom/right (MindSpore's "same")."""
        return self.padding == "same"

    @property
    def eps_values(self) -> tuple[float, ...]:
        """The distinct eps values of the network's batch norms (one, or two for the zoo's ResNet18/34)."""
        if self.block_bn_eps is None or self.block_bn_eps == self.bn_eps:
            return (self.bn_eps,)
        return (self.bn_eps, self.block_bn_eps)

    def conv(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1) -> nn.Conv2d:
        """A bias-free convolution (a batch norm follows) padded by this convention."""
        if self.asymmetric:
            return SamePaddedConv2d(in_channels, out_channels, kernel_size, stride=stride, bias=False)
        return nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride, padding=kernel_size // 2, bias=False)

    def max_pool(self, kernel_size: int = 3, stride: int = 2) -> nn.MaxPool2d:
        """The stem's max pool padded by this convention (padding never wins a max)."""
        if self.asymmetric:
            return SamePaddedMaxPool2d(kernel_size, stride)
        return nn.MaxPool2d(kernel_size=kernel_size, stride=stride, padding=kernel_size // 2)

    def batch_norm(self, channels: int, *, in_block: bool = False) -> nn.BatchNorm2d:
        """A batch norm with this convention's eps (``in_block``: on a block's residual branch)."""
        eps = self.block_bn_eps if in_block and self.block_bn_eps is not None else self.bn_eps
        return nn.BatchNorm2d(channels, eps=eps)


#: torchvision's ResNets (every checkpoint in PyTorch's layout)
TORCHVISION = ResNetConvention()
#: MindSpore's model zoo (``official/cv/ResNet``), ResNet50/101/152
MINDSPORE_ZOO = ResNetConvention("same", 1e-4)
#: MindSpore's model zoo, ResNet18/34 (``res_base=True``: symmetric padding, eps 1e-4 in the blocks)
MINDSPORE_ZOO_BASIC = ResNetConvention("torchvision", 1e-5, block_bn_eps=1e-4)
#: MindSpore's ResNet50 tutorial (every layer ``pad_mode="same"``, default eps)
MINDSPORE_TUTORIAL = ResNetConvention("same", 1e-5)


class SamePaddedConv2d(nn.Conv2d):
    """``nn.Conv2d`` padded as MindSpore's ``pad_mode="same"``: from each input's size, the odd
    pixel bottom/right. Same parameters as ``nn.Conv2d`` (its ``padding`` attribute stays 0)."""

    def padding_for(self, input_hw: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, int]]:
        """((top, left), (bottom, right)) padding for an input of ``input_hw``."""
        return _same_pads(input_hw, self.kernel_size, self.stride, self.dilation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        (top, left), (bottom, right) = self.padding_for(tuple(x.shape[-2:]))
        if (top, left) == (bottom, right):  # symmetric (every stride-1 layer): the convolution pads
            return F.conv2d(x, self.weight, self.bias, self.stride, (top, left), self.dilation, self.groups)
        padded = F.pad(x, (left, right, top, bottom))
        return F.conv2d(padded, self.weight, self.bias, self.stride, 0, self.dilation, self.groups)

    def extra_repr(self) -> str:
        return super().extra_repr() + ", pad_mode='same'"


class SamePaddedMaxPool2d(nn.MaxPool2d):
    """``nn.MaxPool2d`` padded as MindSpore's ``pad_mode="same"`` (padding never wins the max)."""

    def __init__(self, kernel_size: int = 3, stride: int = 2) -> None:
        super().__init__(kernel_size=kernel_size, stride=stride, padding=0)

    def padding_for(self, input_hw: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, int]]:
        """((top, left), (bottom, right)) padding for an input of ``input_hw``."""
        return _same_pads(input_hw, self.kernel_size, self.stride, self.dilation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        (top, left), (bottom, right) = self.padding_for(tuple(x.shape[-2:]))
        padded = F.pad(x, (left, right, top, bottom), value=float("-inf"))
        return F.max_pool2d(padded, self.kernel_size, self.stride, 0, self.dilation)

    def extra_repr(self) -> str:
        return super().extra_repr() + ", pad_mode='same'"


def _same_pads(input_hw, kernel, stride, dilation) -> tuple[tuple[int, int], tuple[int, int]]:
    pairs = [
        same_padding(int(n), int(k), int(s), int(d))
        for n, k, s, d in zip(input_hw, _pair(kernel), _pair(stride), _pair(dilation), strict=True)
    ]
    return (pairs[0][0], pairs[1][0]), (pairs[0][1], pairs[1][1])


def _pair(value) -> tuple[int, int]:
    return tuple(value) if isinstance(value, tuple | list) else (value, value)


def window_padding(module: nn.Module, input_hw: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, int]]:
    """((top, left), (bottom, right)) padding a convolution or pooling module applies to an
    input of ``input_hw``: its own symmetric ``padding``, or MindSpore's "same" padding."""
    if isinstance(module, SamePaddedConv2d | SamePaddedMaxPool2d):
        return module.padding_for(input_hw)
    padding = _pair(getattr(module, "padding", 0))
    pads = (int(padding[0]), int(padding[1]))
    return pads, pads
