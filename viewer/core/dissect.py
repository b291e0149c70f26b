"""Taking one node of a forward pass apart: batch norm's parameters and statistics, a residual
block's branches, a convolution's kernel for the convolution lab, a block's diagram.

Everything here reads a :class:`~viewer.core.forward.ForwardResult`; nothing runs the network
again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from viewer.core import render
from viewer.core.activations import block_input_name, bn_input_name, conv_input_name
from viewer.core.forward import ForwardResult
from viewer.core.i18n import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class BatchNormData:
    """Everything the view needs about one BN layer (per-channel arrays of shape (C,))."""

    name: str
    gamma: np.ndarray
    beta: np.ndarray
    running_mean: np.ndarray
    running_var: np.ndarray
    eps: float
    image_mean: np.ndarray
    image_var: np.ndarray
    inputs: np.ndarray
    """(C, H, W) input of the layer (its convolution's output)."""
    outputs: np.ndarray
    """(C, H, W) output in eval mode (running statistics), as the network computed it."""

    def output(self, channel: int, training: bool) -> np.ndarray:
        """One channel's output: as computed (eval mode), or with this image's statistics (train mode)."""
        if not training:
            return self.outputs[channel]
        return render.batch_norm(
            self.inputs[channel], float(self.image_mean[channel]), float(self.image_var[channel]),
            float(self.gamma[channel]), float(self.beta[channel]), self.eps,
        )


@dataclass(frozen=True)
class Panel:
    """One picture of the dissection: its title and (C, H, W) data (one channel is shown)."""

    title: str
    maps: np.ndarray


@dataclass(frozen=True)
class BlockData:
    """A residual block's pictures, in the order the dissection tab lays them out."""

    name: str
    x: Panel
    shortcut: Panel
    steps: tuple[Panel, ...]
    residual: Panel
    total: Panel
    output: Panel
    norm_ratio: float
    """||F(x)|| / ||shortcut(x)|| over all channels."""

    def panels(self) -> tuple[Panel, ...]:
        """Every picture: x, the steps of F, F(x), then the shortcut, the sum and the output."""
        return (self.x, *self.steps, self.residual, self.shortcut, self.total, self.output)

    def channel_norm_ratio(self, channel: int) -> float:
        """||F(x)|| / ||shortcut(x)|| for one channel."""
        return norm_ratio(self.residual.maps[channel], self.shortcut.maps[channel])


def norm_ratio(residual: np.ndarray, shortcut: np.ndarray) -> float:
    """||residual|| / ||shortcut||, guarded against a zero shortcut."""
    return float(np.linalg.norm(residual) / max(float(np.linalg.norm(shortcut)), 1e-12))


def batch_norm_data(result: ForwardResult, name: str, input_stats: render.ChannelStats | None) -> BatchNormData | None:
    """What the BN view shows for batch-norm layer ``name``; None if it is not one."""
    import torch

    module = result.modules.get(name)
    source = bn_input_name(result.activations, name)
    if not isinstance(module, torch.nn.BatchNorm2d) or source is None:
        return None
    inputs = result.maps(source)
    if input_stats is None:
        input_stats = render.channel_stats(inputs)

    def array(tensor) -> np.ndarray:
        return tensor.detach().to(torch.float32).numpy().copy()

    return BatchNormData(
        name,
        array(module.weight),
        array(module.bias),
        array(module.running_mean),
        array(module.running_var),
        float(module.eps),
        input_stats.mean,
        input_stats.std.astype(np.float32) ** 2,
        inputs,
        result.maps(name),
    )


def block_data(result: ForwardResult, block: str) -> BlockData | None:
    """The residual block's pictures: input, shortcut, every step of F, F(x), sum, output."""
    names = list(result.activations)
    if block not in result.activations or f"{block}.sum" not in result.activations:
        return None
    source = block_input_name(names, block)
    x = result.maps(source) if source else result.maps("maxpool")
    prefix = block + "."
    last_relu = _last_relu(names, prefix)  # the block's output: shown as the last panel, not as a step
    steps = []
    for name in names:
        rest = name[len(prefix):] if name.startswith(prefix) else ""
        if rest and "." not in rest and rest not in ("shortcut", "residual", "sum", "downsample") and rest[:-1] in ("conv", "bn", "relu"):
            if rest == last_relu:
                continue
            steps.append(Panel(rest, result.maps(name)))
    last_bn = steps.pop() if steps and steps[-1].title.startswith("bn") else None  # that is F(x) itself
    # titles the UI translates (viewer.ui.resnet.block.panel_title)
    shortcut_title = (QT_TRANSLATE_NOOP("BlockDissection", "shortcut: 1x1 conv + BN") if f"{block}.downsample" in result.activations
                      else QT_TRANSLATE_NOOP("BlockDissection", "shortcut: identity"))
    residual = result.maps(f"{block}.residual")
    shortcut = result.maps(f"{block}.shortcut")
    ratio = norm_ratio(residual, shortcut)
    return BlockData(
        block,
        Panel(f"x = input ({source or 'maxpool'})", x),
        Panel(shortcut_title, shortcut),
        tuple(steps),
        Panel(f"F(x) = {last_bn.title}" if last_bn else "F(x)", residual),
        Panel(QT_TRANSLATE_NOOP("BlockDissection", "F(x) + shortcut"), result.maps(f"{block}.sum")),
        Panel(QT_TRANSLATE_NOOP("BlockDissection", "output = ReLU(sum)"), result.maps(block)),
        ratio,
    )


def _last_relu(names: list[str], prefix: str) -> str:
    relus = [n[len(prefix):] for n in names if n.startswith(prefix) and n[len(prefix):].startswith("relu")]
    return max(relus, key=lambda r: int(r[4:]) if r[4:].isdigit() else 0) if relus else ""


def is_conv(result: ForwardResult, name: str) -> bool:
    """Whether node ``name`` is a convolution (its kernel can be stepped in the convolution lab)."""
    import torch

    return isinstance(result.modules.get(name), torch.nn.Conv2d)


def conv_setup_fields(result: ForwardResult, conv: str, channel: int) -> dict | None:
    """Keyword arguments of ``viewer.core.conv.ConvSetup`` for one output channel of a convolution."""
    import torch

    from viewer.core.conventions import window_padding

    module = result.modules.get(conv)
    if not isinstance(module, torch.nn.Conv2d):
        return None
    source = conv_input_name(list(result.activations), conv)
    if source is None:
        from viewer.core import preprocess

        x = preprocess.normalize(result.fed_pixels, result.weights.preprocessing)[0].numpy()
    else:
        x = result.maps(source)
    channel = int(channel) % module.out_channels
    bias = 0.0 if module.bias is None else float(module.bias[channel])
    # MindSpore's "same" padding follows from this input's size (and may differ bottom/right)
    leading, trailing = window_padding(module, x.shape[-2:])
    return dict(
        x=np.ascontiguousarray(x, np.float32),
        kernel=module.weight[channel].detach().to(torch.float32).numpy().copy(),
        bias=bias,
        stride=tuple(int(v) for v in module.stride),
        padding=leading,
        padding_end=None if trailing == leading else trailing,
        dilation=tuple(int(v) for v in module.dilation),
        label=f"{result.arch} {conv}, output channel {channel}",
    )


def block_diagram(modules: Mapping[str, object], block: str) -> tuple[str, list[tuple[str, str]], str]:
    """(title, boxes along F, shortcut text) describing a block for the diagram.

    The title is ``"<block>: <kind>"``; the diagram translates the kind (context "BlockDiagram").

    ``modules`` is the model's modules by name (:attr:`ForwardResult.modules`).
    """
    import torch

    module = modules[block]
    kind = QT_TRANSLATE_NOOP("BlockDiagram", "bottleneck") if hasattr(module, "conv3") else QT_TRANSLATE_NOOP("BlockDiagram", "building block")
    boxes = []
    for name, child in module.named_children():
        if isinstance(child, torch.nn.Conv2d):
            k = child.kernel_size[0]
            stride = f", stride {child.stride[0]}" if child.stride[0] > 1 else ""
            relu = f"{block}.relu{name[4:]}"
            tail = " + BN + ReLU" if relu in modules and not _is_last_relu(module, f"relu{name[4:]}") else " + BN"
            boxes.append((f"{block}.{name}", f"{k}x{k}, {child.out_channels}{stride}{tail}"))
    ds = getattr(module, "downsample", None)
    if ds is None:
        shortcut = "identity"
    else:
        conv = ds[0]
        stride = f", stride {conv.stride[0]}" if conv.stride[0] > 1 else ""
        shortcut = f"1x1, {conv.out_channels}{stride} + BN"
    return (f"{block}: {kind}", boxes, shortcut)


def _is_last_relu(block_module, relu: str) -> bool:
    relus = [n for n, _ in block_module.named_children() if n.startswith("relu")]
    return bool(relus) and relus[-1] == relu
