"""Receptive fields: which input pixels can influence one pixel of a feature map.

Worked backwards from the output pixel through every window operation on the path from the
input (convolutions and pooling, with their kernel size, stride, padding and dilation): an
output interval ``[a, b]`` of a window op reads the input interval
``[a*s - p, b*s - p + d*(k-1)]``, with p the top/left padding (for MindSpore's ``pad_mode="same"``
layers computed from that op's input length, like the layer itself does; the bottom/right padding
only changes how many outputs there are). Rows and columns are independent. A residual block has two
branches (the residual F and the shortcut) that meet at the sum; the field is the hull of both
(in ResNets the residual branch's field always contains the shortcut's, so the hull is exact).
Global operations (adaptive average pooling, fully connected) see the whole input.

The path is read from the model's structure, in module registration order, so the same code
serves a tiny ``nn.Sequential`` in the tests and the full ResNet50.
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import nn

from viewer.core.conventions import SamePaddedConv2d, SamePaddedMaxPool2d
from viewer.core.geometry import as_pair, output_size, same_padding
from viewer.core.resnet import BLOCK_TAPS

#: Child names of a residual block that are not on its residual branch F.
_SHORTCUT_NAMES = ("downsample",)


@dataclass(frozen=True)
class Window:
    """One sliding-window operation along both axes."""

    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]
    dilation: tuple[int, int] = (1, 1)
    same: bool = False
    """MindSpore's ``pad_mode="same"``: the padding follows from each input's length (``padding`` unused)."""

    def pads(self, axis: int, n: int | None) -> tuple[int, int]:
        """(before, after) padding along ``axis`` for an input of length ``n``."""
        if self.same and n is not None:
            return same_padding(n, self.kernel[axis], self.stride[axis], self.dilation[axis])
        return self.padding[axis], self.padding[axis]


@dataclass(frozen=True)
class Branches:
    """Parallel paths whose outputs are added (a residual block's F and shortcut)."""

    paths: tuple[tuple, ...]


class Global:
    """An operation whose every output sees the whole input (global pooling, fc)."""


@dataclass(frozen=True)
class Region:
    """Input rectangle, inclusive pixel bounds, already clipped to the input."""

    top: int
    left: int
    bottom: int
    right: int

    @property
    def height(self) -> int:
        return self.bottom - self.top + 1

    @property
    def width(self) -> int:
        return self.right - self.left + 1


def module_window(module: nn.Module) -> Window | Global | None:
    """The window op a leaf module applies, ``Global`` for global ops, None for pointwise ones."""
    if isinstance(module, nn.Conv2d | nn.MaxPool2d | nn.AvgPool2d):
        dilation = getattr(module, "dilation", 1)
        stride = module.stride if module.stride is not None else module.kernel_size
        return Window(
            as_pair(_ints(module.kernel_size)),
            as_pair(_ints(stride)),
            as_pair(_ints(module.padding)),
            as_pair(_ints(dilation)),
            isinstance(module, SamePaddedConv2d | SamePaddedMaxPool2d),
        )
    if isinstance(module, nn.AdaptiveAvgPool2d | nn.AdaptiveMaxPool2d | nn.Linear | nn.Flatten):
        return Global()
    return None


def _ints(value):
    return tuple(int(v) for v in value) if isinstance(value, tuple | list) else int(value)


def _is_block(module: nn.Module) -> bool:
    names = {name for name, _ in module.named_children()}
    return bool(names & set(_SHORTCUT_NAMES)) or hasattr(module, "downsample")


def _ops_of(module: nn.Module) -> list:
    """All ops of a whole module, in order."""
    leaf = module_window(module)
    if leaf is not None:
        return [leaf]
    if _is_block(module):
        main, short = [], []
        for name, child in module.named_children():
            if name in BLOCK_TAPS:
                continue
            (short if name in _SHORTCUT_NAMES else main).extend(_ops_of(child))
        return [Branches((tuple(main), tuple(short)))]
    ops: list = []
    for _, child in module.named_children():
        ops.extend(_ops_of(child))
    return ops


def path_ops(model: nn.Module, name: str) -> list:
    """The ops from the model's input to the output of module ``name``.

    ``name`` is a dotted module path (``"layer2.1.conv2"``) or a block's tap
    (``"<block>.shortcut"``, ``"<block>.residual"``, ``"<block>.sum"``); ``""`` is the input.
    """
    if not name:
        return []
    parts = name.split(".")
    ops: list = []
    module = model
    for depth, part in enumerate(parts):
        children = dict(module.named_children())
        is_last = depth == len(parts) - 1
        if _is_block(module):
            if part in ("shortcut", "downsample"):
                # Inside the shortcut: nothing of the residual branch is on the path.
                if part == "shortcut" or is_last:
                    ds = children.get("downsample")
                    return ops + (_ops_of(ds) if ds is not None else [])
                module = children[part]
                continue
            if part == "sum":
                return ops + _ops_of(module)
            if part == "residual":
                return ops + [op for n, c in children.items() if n not in BLOCK_TAPS + _SHORTCUT_NAMES for op in _ops_of(c)]
            # A module on the residual branch: the earlier children of the branch lie on the path.
            for child_name, child in children.items():
                if child_name in BLOCK_TAPS or child_name in _SHORTCUT_NAMES:
                    continue
                if child_name == part:
                    break
                ops.extend(_ops_of(child))
        else:
            if part not in children:
                raise KeyError(f"no module {name!r} in the model")
            for child_name, child in children.items():
                if child_name == part:
                    break
                ops.extend(_ops_of(child))
        if part not in children:
            raise KeyError(f"no module {name!r} in the model")
        module = children[part]
        if is_last:
            ops.extend(_ops_of(module))
    return ops


def _after(op, n: int, axis: int) -> int:
    if isinstance(op, Global):
        return 1
    if isinstance(op, Branches):
        for inner in op.paths[0]:
            n = _after(inner, n, axis)
        return n
    before, after = op.pads(axis, n)
    try:
        return output_size(n, op.kernel[axis], op.stride[axis], before, op.dilation[axis], after)
    except ValueError:
        return 1


def _back(ops, lo: float, hi: float, axis: int, n_in: int | None = None) -> tuple[float, float]:
    """Map an output interval back to the input of ``ops``; clipped to each op's real input
    when ``n_in`` (the input length) is given, since padding cells influence nothing."""
    lengths = []
    n = n_in
    for op in ops:
        lengths.append(n)
        n = None if n is None else _after(op, n, axis)
    for op, length in zip(reversed(ops), reversed(lengths), strict=True):
        if isinstance(op, Global):
            lo, hi = (0, length - 1) if length is not None else (float("-inf"), float("inf"))
            continue
        if isinstance(op, Branches):
            spans = [_back(path, lo, hi, axis, length) for path in op.paths]
            lo, hi = min(sp[0] for sp in spans), max(sp[1] for sp in spans)
            continue
        k, s, p, d = op.kernel[axis], op.stride[axis], op.pads(axis, length)[0], op.dilation[axis]
        lo, hi = lo * s - p, hi * s - p + d * (k - 1)
        if length is not None:
            lo, hi = max(lo, 0), min(hi, length - 1)
    return lo, hi


def receptive_field(ops, out_row: int, out_col: int, input_hw: tuple[int, int]) -> Region:
    """The input rectangle that can influence output pixel (row, col), clipped to the input.

    Clipping happens at every layer, so padding cells of intermediate feature maps (which hold
    zeros, not input) do not widen the outline.
    """
    h, w = input_hw
    top, bottom = _back(ops, out_row, out_row, 0, h)
    left, right = _back(ops, out_col, out_col, 1, w)
    return Region(int(max(0, top)), int(max(0, left)), int(min(h - 1, bottom)), int(min(w - 1, right)))


def model_receptive_field(model: nn.Module, name: str, out_row: int, out_col: int, input_hw: tuple[int, int]) -> Region:
    """:func:`receptive_field` of module ``name`` of ``model`` (see :func:`path_ops`)."""
    return receptive_field(path_ops(model, name), out_row, out_col, input_hw)
