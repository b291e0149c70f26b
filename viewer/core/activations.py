"""Capturing what every module of a ResNet outputs, and the course's stage table.

Capture taps each module's calls for one pass (see :func:`_tapped`), so the model's own
``forward`` stays the plain, readable one of :mod:`viewer.core.resnet`. Names are module paths (``conv1``, ``layer1.0.conv1``, ``layer1``,
``fc``) plus the block taps ``<block>.shortcut``, ``<block>.residual`` and ``<block>.sum``,
which are real (parameterless) modules of the blocks, so one mechanism covers everything.

Shapes never need real arithmetic: :func:`output_shapes` runs the model on an *empty batch*
(shape ``(0, 3, H, W)``: every layer checks and propagates shapes, none computes anything)
and caches the result per architecture and input size. An empty batch rather than PyTorch's
meta device, whose kernels are registered lazily in Python and failed intermittently when
worker threads used them concurrently.

Speed: a bare forward pass reuses the same few buffers; a capture keeps ~150 MB of outputs
alive (ResNet50 at 224x224), and with glibc's default settings each capture gets that memory
fresh from the kernel and page-faults through all of it, which made capture ~1.9x slower than
a forward pass. :func:`~viewer.core.memory.retain_freed_memory` (called by the first capture,
and by the app before its first worker thread) tells glibc to keep freed memory for reuse
instead, bringing capture to ~1.1x, and tapping each module's calls (:func:`_tapped`) rather
than hooking them to ~1.03-1.05x at 224x224 and ~1.06x at 32x32.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import torch
from torch import nn

from viewer.core.errors import Cancelled, UserError
from viewer.core.i18n import QT_TRANSLATE_NOOP
from viewer.core.memory import retain_freed_memory
from viewer.core.resnet import Bottleneck, ResNet

__all__ = [
    "InputTooSmallError",
    "StageRow",
    "block_input_name",
    "block_of",
    "bn_input_name",
    "capture",
    "conv_input_name",
    "module_names",
    "named_submodules",
    "output_shapes",
    "stage_table",
]

#: hooks live on the model, so two captures of one model at once would mix their outputs
_CAPTURE_LOCK = threading.Lock()


class InputTooSmallError(UserError):
    """The chosen input size makes some feature map smaller than 1x1."""


@dataclass(frozen=True)
class StageRow:
    """One row of the course's stage table (shapes are per image: (C, H, W) or (features,))."""

    name: str
    description: str
    in_shape: tuple[int, ...]
    out_shape: tuple[int, ...]
    modules: tuple[str, ...]


def capture(
    model: nn.Module,
    x: torch.Tensor,
    names: Iterable[str] | None = None,
    *,
    cancelled: Callable[[], bool] | None = None,
) -> dict[str, torch.Tensor]:
    """Run one forward pass and return the outputs of the named modules.

    Parameters
    ----------
    model
        Usually a :class:`~viewer.core.resnet.ResNet`. It is run in eval mode (batch norm
        uses its running statistics) and put back in the mode it was in.
    x
        ``(1, 3, H, W)`` or ``(3, H, W)`` input, already normalised.
    names
        The names to keep (see :func:`module_names`); ``None`` keeps every one. Asking for a
        subset saves the memory of the others (the forward pass itself is the same).
    cancelled
        Asked before every module whose output is kept runs; once it answers true the pass
        stops with :class:`~viewer.core.errors.Cancelled`.

    Captures run one at a time (a lock), so a worker thread may call this while another
    finishes.

    Returns
    -------
    dict
        name -> tensor with the batch dimension (on the model's device: the app's are on the
        CPU), in execution order (a module appears
        when it finishes, so ``layer1.0.conv1`` comes before ``layer1.0`` and ``layer1``).
        The tensors come from inference mode, so they carry no autograd history. Names whose
        outputs are the same tensor (a block and its last ReLU, an identity shortcut and the
        block input) hold that one tensor object.

    Raises
    ------
    KeyError
        For a name the model does not have.
    InputTooSmallError
        When the input is too small for the architecture.
    """
    if x.ndim == 3:
        x = x.unsqueeze(0)
    if x.ndim != 4:
        raise ValueError(f"capture expects a (1, 3, H, W) tensor, got shape {tuple(x.shape)}")
    output_shapes(model, (int(x.shape[-2]), int(x.shape[-1])))  # readable size errors, cached
    retain_freed_memory()
    modules = named_submodules(model)
    if names is None:
        tapped = modules
    else:
        wanted = list(dict.fromkeys(names))
        unknown = [name for name in wanted if name not in modules]
        if unknown:
            raise KeyError(f"The model has no module named {', '.join(map(repr, unknown[:5]))}")
        tapped = {name: modules[name] for name in wanted}

    captured: dict[str, torch.Tensor] = {}
    with _CAPTURE_LOCK:
        was_training = model.training
        # eval() walks every module: needed only when one of them is in training mode
        switch_mode = was_training or any(module.training for module in modules.values())
        try:
            if switch_mode:
                model.eval()
            with _tapped(tapped, captured, cancelled), torch.inference_mode():
                model(x)
        finally:
            if switch_mode:
                model.train(was_training)
    return captured


@contextlib.contextmanager
def _tapped(modules: dict[str, nn.Module], captured: dict[str, torch.Tensor],
            cancelled: Callable[[], bool] | None) -> Iterator[None]:
    """While inside, each module's calls run its own ``forward`` and keep the output in
    ``captured`` under the module's name (after asking ``cancelled``, if given).

    Not forward hooks: a module with a hook leaves PyTorch's fast call path, and registering
    and removing ~230 hooks per pass costs more than the hooks' work (at 32x32, capture was
    1.2x a bare pass). An instance attribute ``forward`` shadows the class's for that module
    alone, ``nn.Module.__call__`` calls it as it would the class's, and taking it away leaves
    the module exactly as it was.
    """
    own = {name: module.forward for name, module in modules.items() if "forward" in vars(module)}  # seldom any
    try:
        for name, module in modules.items():
            vars(module)["forward"] = functools.partial(_keep, cancelled, captured, name, module.forward)
        yield
    finally:
        for name, module in modules.items():
            if name in own:
                vars(module)["forward"] = own[name]
            else:
                vars(module).pop("forward", None)


def _keep(cancelled: Callable[[], bool] | None, captured: dict[str, torch.Tensor], name: str,
          forward: Callable, *args, **kwargs):
    if cancelled is not None and cancelled():
        raise Cancelled("a newer forward pass was asked for")
    output = captured[name] = forward(*args, **kwargs)
    return output


#: model -> its submodules by name; a network's structure never changes once built
_SUBMODULES: weakref.WeakKeyDictionary[nn.Module, dict[str, nn.Module]] = weakref.WeakKeyDictionary()
_SUBMODULES_LOCK = threading.Lock()


def named_submodules(model: nn.Module) -> dict[str, nn.Module]:
    """``model``'s submodules by name (``named_modules`` without the root), computed once per model.

    Read-only for callers: the same dict is handed to every one.
    """
    with _SUBMODULES_LOCK:
        found = _SUBMODULES.get(model)
        if found is None:
            found = {name: module for name, module in model.named_modules() if name}
            _SUBMODULES[model] = found
    return found


def module_names(model: nn.Module) -> list[str]:
    """Every name :func:`capture` accepts, in the order ``capture`` returns them.

    Computed without arithmetic (an empty-batch pass, cached), so a UI can
    build its tree before running anything.
    """
    return list(output_shapes(model, (32, 32)))


def output_shapes(model: nn.Module, size: tuple[int, int]) -> dict[str, tuple[int, ...]]:
    """Per-image output shape of every capturable module for an ``(H, W)`` input.

    The batch dimension is dropped: ``(C, H, W)`` for feature maps, ``(num_classes,)`` for
    ``fc``. Keys are in execution order, exactly as :func:`capture` returns them.

    Raises
    ------
    InputTooSmallError
        Naming the first module whose output would be smaller than 1x1.
    """
    height, width = (int(v) for v in size)
    if not isinstance(model, ResNet):
        return _shapes_of(model, height, width, type(model).__name__)
    key = (model.block, model.layers, model.num_classes, model.arch, model.convention.padding, height, width)
    with _SHAPES_LOCK:
        cached = _SHAPES_CACHE.get(key)
    if cached is None:
        cached = tuple(_shapes_of(model, height, width, model.arch).items())
        with _SHAPES_LOCK:
            _SHAPES_CACHE[key] = cached
    return dict(cached)


#: (architecture..., H, W) -> shapes; small: one entry per architecture and input size used
_SHAPES_CACHE: dict[tuple, tuple[tuple[str, tuple[int, ...]], ...]] = {}
_SHAPES_LOCK = threading.Lock()


def _shapes_of(model: nn.Module, height: int, width: int, arch: str) -> dict[str, tuple[int, ...]]:
    if height < 1 or width < 1:
        raise InputTooSmallError(
            f"The input must be at least 1x1 pixels (got {height}x{width})."
        )
    shapes: dict[str, tuple[int, ...]] = {}
    running: list[tuple[str, tuple[int, ...]]] = []  # (module name, its input shape)

    def before(name: str):
        def hook(_module: nn.Module, inputs: tuple) -> None:
            shape = tuple(inputs[0].shape[1:]) if inputs and hasattr(inputs[0], "shape") else ()
            running.append((name, shape))

        return hook

    def after(name: str):
        def hook(_module: nn.Module, _inputs: tuple, output: torch.Tensor) -> None:
            shapes[name] = tuple(int(v) for v in output.shape[1:])
            running.pop()

        return hook

    # The capture lock: hooks live on the model, and eval mode is switched for the pass.
    with _CAPTURE_LOCK:
        handles = []
        for name, module in model.named_modules():
            if name:
                handles.append(module.register_forward_pre_hook(before(name)))
                handles.append(module.register_forward_hook(after(name)))
        was_training = model.training
        try:
            model.eval()
            with torch.inference_mode():
                model(torch.empty(0, 3, height, width))
        except RuntimeError as error:
            if not running:
                raise
            name, in_shape = running[-1]
            shown = "x".join(str(v) for v in in_shape[-2:]) if len(in_shape) >= 2 else str(in_shape)
            raise InputTooSmallError(
                f"An input of {height}x{width} pixels is too small for {arch}: at {name} the "
                f"{shown} feature map would shrink below 1x1. Choose a larger input size."
            ) from error
        finally:
            for handle in handles:
                handle.remove()
            model.train(was_training)
    return shapes


# -- node names: which captured node feeds which ------------------------------------------------

def bn_input_name(names, bn_name: str) -> str | None:
    """The captured node that feeds batch-norm ``bn_name`` (its convolution), or None."""
    parent, _, leaf = bn_name.rpartition(".")
    prefix = parent + "." if parent else ""
    if leaf.startswith("bn"):
        conv = prefix + "conv" + leaf[2:]
    elif parent.endswith("downsample") and leaf == "1":
        conv = prefix + "0"
    else:
        return None
    return conv if conv in names else None


def block_input_name(names: list[str], block: str) -> str | None:
    """The node feeding residual block ``block`` ("layer2.0" is fed by "layer1"); None for the input."""
    stage, _, index = block.rpartition(".")
    if not stage.startswith("layer") or not index.isdigit():
        return None
    if int(index) > 0:
        return f"{stage}.{int(index) - 1}"
    number = int(stage[5:])
    return "maxpool" if number == 1 else f"layer{number - 1}"


def conv_input_name(names: list[str], conv: str) -> str | None:
    """The node whose output a convolution reads; None when it reads the network input."""
    if conv == "conv1":
        return None
    parent, _, leaf = conv.rpartition(".")
    if parent.endswith(".downsample"):
        return block_input_name(names, parent.rpartition(".")[0])
    if leaf == "conv1":
        return block_input_name(names, parent)
    if leaf.startswith("conv") and leaf[4:].isdigit():
        return f"{parent}.relu{int(leaf[4:]) - 1}"
    return None


def block_of(name: str) -> str | None:
    """The residual block a node belongs to ("layer2.1.conv2" -> "layer2.1"); None outside blocks."""
    parts = name.split(".")
    if len(parts) >= 2 and parts[0].startswith("layer") and parts[1].isdigit():
        return ".".join(parts[:2])
    return None


def stage_table(model: ResNet, size: tuple[int, int]) -> list[StageRow]:
    """The course's ResNet stages (conv1, conv2_x ... conv5_x, average pool and fc).

    For ResNet50 at 32x32 this is the syllabus table: 16x16x64, 8x8x256, 4x4x512, 2x2x1024,
    1x1x2048, then 2048 -> number of classes.
    """
    if not isinstance(model, ResNet):
        raise TypeError(f"stage_table needs a ResNet, not {type(model).__name__}")
    shapes = output_shapes(model, size)
    height, width = (int(v) for v in size)
    # the UI translates these descriptions by their patterns (viewer.ui.resnet.tree.stage_description)
    kind = "bottlenecks" if model.block is Bottleneck else "building blocks"
    rows = [
        StageRow(
            "conv1",
            QT_TRANSLATE_NOOP("StageTable", "7x7 conv, 64 kernels, stride 2; batch norm; ReLU"),
            (3, height, width),
            shapes["relu"],
            ("conv1", "bn1", "relu"),
        )
    ]
    previous = shapes["relu"]
    for index, count in enumerate(model.layers):
        layer = f"layer{index + 1}"
        block_word = kind if count != 1 else kind[:-1]
        if index == 0:
            description = f"3x3 max pool, stride 2, then {count} {block_word}"
            modules: tuple[str, ...] = ("maxpool", layer)
        else:
            description = f"{count} {block_word}, the first with stride 2"
            modules = (layer,)
        rows.append(StageRow(f"conv{index + 2}_x", description, previous, shapes[layer], modules))
        previous = shapes[layer]
    rows.append(
        StageRow(
            QT_TRANSLATE_NOOP("StageTable", "average pool and fc"),
            f"global average pool, then a fully connected layer to {model.num_classes} classes",
            (model.feature_channels,),
            shapes["fc"],
            ("avgpool", "fc"),
        )
    )
    return rows
