"""The ResNet explorer's model, free of Qt: build the network, run it, render a node, take it apart.

The explorer page (:mod:`viewer.ui.resnet_explorer`) runs these functions in superqt workers,
never on the GUI thread, and only displays the plain values they return; the headless
``python -m viewer resnet`` command calls the same functions directly.

Memory choice: one forward pass captures *every* module's output (ResNet50 at 224x224: about
200 MB of float32), kept as the torch tensors ``capture`` returns, for the *current* result
only; a newer result replaces it and the old one is freed. Selecting another node then costs
no forward pass: the worker converts that one tensor (a zero-copy numpy view) and renders its
mosaic. Only the newest result, and the model that produced it, stay alive.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from viewer.core import render

RANDOM_LABEL = "untrained (random)"


class Superseded(Exception):
    """A newer request arrived; this computation stopped early and its result is not wanted."""


@dataclass(frozen=True)
class WeightsChoice:
    """Which weights the model carries; ``key`` identifies them for the model cache."""

    label: str = RANDOM_LABEL
    kind: str = "random"
    """``"random"``, ``"imagenet"`` or ``"file"``."""
    path: str = ""
    """File to load (``"file"`` and ``"imagenet"`` weights)."""
    key: str = "random"


RANDOM = WeightsChoice()


@dataclass(frozen=True)
class ViewSettings:
    """How a node's mosaic is rendered."""

    scope: str = "layer"
    sort: str = "index"
    aspect: float = 1.5
    """Width / height the mosaic grid should have (the view's shape)."""


@dataclass(frozen=True)
class ForwardRequest:
    """Everything one forward pass depends on; the page builds one per change of settings."""

    arch: str
    size: int | None
    pixels: np.ndarray = field(repr=False)
    weights: WeightsChoice
    node: str
    view: ViewSettings


@dataclass(frozen=True)
class Prediction:
    """One of fc's top 5: class index, its name (or "class N" without names), softmax probability."""

    index: int
    name: str
    probability: float


@dataclass
class ForwardResult:
    """One forward pass: the fed image, every module's output, and what came out of fc."""

    arch: str
    weights: WeightsChoice
    model: object = field(repr=False)
    fed_pixels: np.ndarray = field(repr=False)
    activations: dict = field(repr=False)
    shapes: dict
    global_range: tuple[float, float]
    logits: np.ndarray = field(repr=False)
    top5: list[Prediction]
    names_known: bool
    """Whether ``top5`` carries ImageNet class names (not for random weights)."""

    @property
    def size_hw(self) -> tuple[int, int]:
        """(H, W) of the image the network was fed."""
        return (int(self.fed_pixels.shape[0]), int(self.fed_pixels.shape[1]))

    def maps(self, name: str) -> np.ndarray:
        """(C, H, W) float32 view of a node's output (no copy)."""
        return render.as_maps(self.activations[name].numpy())


@dataclass(frozen=True)
class NodeView:
    """A node rendered for display."""

    name: str
    mosaic: render.Mosaic
    view: ViewSettings
    bn_input_stats: render.ChannelStats | None = None
    """For a batch-norm node: per-channel statistics of its input (this image's statistics)."""


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


_cache_lock = threading.Lock()
_model_cache: dict[tuple[str, str], object] = {}


def model_for(arch: str, weights: WeightsChoice):
    """The model for an architecture and weights, reusing the last one built (one kept)."""
    key = (arch, weights.key)
    with _cache_lock:
        if key in _model_cache:
            return _model_cache[key]
    from viewer.core import weights as weights_module

    if weights.path:
        state = weights_module.load_state_dict_file(weights.path)
        model = weights_module.load_weights(arch, state)
    else:
        model = weights_module.build_model(arch, seed=0)
    model.eval()
    with _cache_lock:
        _model_cache.clear()
        _model_cache[key] = model
    return model


def _cancel_hooks(model, cancelled: Callable[[], bool]):
    def check(_module, _inputs):
        if cancelled():
            raise Superseded

    return [m.register_forward_pre_hook(check) for m in model.modules()]


def run_forward(request: ForwardRequest, cancelled: Callable[[], bool] = lambda: False) -> tuple[ForwardResult, NodeView]:
    """Build (or reuse) the model, capture every output and render the selected node.

    Raises ``Superseded`` as soon as ``cancelled()`` turns true (checked before every module),
    and the backend's ``UserError`` subclasses for a too-small input or bad weights.
    """
    import torch

    from viewer.core import activations, preprocess

    model = model_for(request.arch, request.weights)
    if cancelled():
        raise Superseded
    fed = preprocess.resize_pixels(request.pixels, request.size)
    shapes = activations.output_shapes(model, fed.shape[:2])  # readable error when too small
    x = preprocess.normalize(fed)
    hooks = _cancel_hooks(model, cancelled)
    try:
        captured = activations.capture(model, x)
    finally:
        for hook in hooks:
            hook.remove()
    lows, highs = [], []
    for _name, tensor in captured.items():
        if tensor.ndim == 4:
            lo, hi = torch.aminmax(tensor)
            lows.append(float(lo))
            highs.append(float(hi))
    global_range = (min(lows, default=0.0), max(highs, default=1.0))
    logits = captured["fc"][0].numpy()
    top5, names_known = _top5(captured["fc"], request.weights)
    result = ForwardResult(
        request.arch, request.weights, model, fed, captured, shapes, global_range, logits, top5, names_known
    )
    node = request.node if request.node in captured else "layer1"
    return result, render_node(result, node, request.view)


def _top5(logits, weights: WeightsChoice) -> tuple[list[Prediction], bool]:
    import torch

    probabilities = torch.softmax(logits[0].double(), 0)
    values, indices = torch.topk(probabilities, min(5, probabilities.numel()))
    names_known = weights.kind != "random" and probabilities.numel() == 1000
    names = {}
    if names_known:
        try:
            from viewer.core.classes import top_k

            names = {int(i): n for i, n, _ in top_k(logits, k=5)}
        except Exception:  # noqa: BLE001 - class names are a nicety; indices are still right
            names_known = False
    return [
        Prediction(int(i), names.get(int(i), f"class {int(i)}"), float(p)) for p, i in zip(values, indices, strict=False)
    ], names_known


def render_node(result: ForwardResult, name: str, view: ViewSettings, cancelled: Callable[[], bool] = lambda: False) -> NodeView:
    """Render one node's mosaic (and, for batch norm, its input statistics)."""
    maps = result.maps(name)
    mosaic = render.render_mosaic(maps, scope=view.scope, sort=view.sort, global_range=result.global_range, aspect=view.aspect)
    bn_stats = None
    source = bn_input_name(result.activations, name)
    if source is not None:
        bn_stats = render.channel_stats(result.maps(source))
    return NodeView(name, mosaic, view, bn_stats)


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


def batch_norm_data(result: ForwardResult, name: str, input_stats: render.ChannelStats | None) -> BatchNormData | None:
    """What the BN view shows for batch-norm layer ``name``; None if it is not one."""
    import torch

    module = dict(result.model.named_modules()).get(name)
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
    steps = []
    for name in names:
        rest = name[len(prefix):] if name.startswith(prefix) else ""
        if rest and "." not in rest and rest not in ("shortcut", "residual", "sum", "downsample") and rest[:-1] in ("conv", "bn", "relu"):
            if rest == _last_relu(names, prefix):
                continue
            steps.append(Panel(rest, result.maps(name)))
    last_bn = steps.pop() if steps and steps[-1].title.startswith("bn") else None  # that is F(x) itself
    shortcut_title = "shortcut: 1x1 conv + BN" if f"{block}.downsample" in result.activations else "shortcut: identity"
    residual = result.maps(f"{block}.residual")
    shortcut = result.maps(f"{block}.shortcut")
    ratio = norm_ratio(residual, shortcut)
    return BlockData(
        block,
        Panel(f"x = input ({source or 'maxpool'})", x),
        Panel(shortcut_title, shortcut),
        tuple(steps),
        Panel(f"F(x) = {last_bn.title}" if last_bn else "F(x)", residual),
        Panel("F(x) + shortcut", result.maps(f"{block}.sum")),
        Panel("output = ReLU(sum)", result.maps(block)),
        ratio,
    )


def _last_relu(names: list[str], prefix: str) -> str:
    relus = [n[len(prefix):] for n in names if n.startswith(prefix) and n[len(prefix):].startswith("relu")]
    return max(relus, key=lambda r: int(r[4:]) if r[4:].isdigit() else 0) if relus else ""


def is_conv(result: ForwardResult, name: str) -> bool:
    """Whether node ``name`` is a convolution (its kernel can be stepped in the convolution lab)."""
    import torch

    return isinstance(dict(result.model.named_modules()).get(name), torch.nn.Conv2d)


def conv_setup_fields(result: ForwardResult, conv: str, channel: int) -> dict | None:
    """Keyword arguments of ``viewer.core.conv.ConvSetup`` for one output channel of a convolution."""
    import torch

    module = dict(result.model.named_modules()).get(conv)
    if not isinstance(module, torch.nn.Conv2d):
        return None
    source = conv_input_name(list(result.activations), conv)
    if source is None:
        from viewer.core import preprocess

        x = preprocess.normalize(result.fed_pixels)[0].numpy()
    else:
        x = result.maps(source)
    channel = int(channel) % module.out_channels
    bias = 0.0 if module.bias is None else float(module.bias[channel])
    return dict(
        x=np.ascontiguousarray(x, np.float32),
        kernel=module.weight[channel].detach().to(torch.float32).numpy().copy(),
        bias=bias,
        stride=tuple(int(v) for v in module.stride),
        padding=tuple(int(v) for v in module.padding),
        dilation=tuple(int(v) for v in module.dilation),
        label=f"{result.arch} {conv}, output channel {channel}",
    )


def block_diagram(model, block: str) -> tuple[str, list[tuple[str, str]], str]:
    """(title, boxes along F, shortcut text) describing a block for the diagram."""
    import torch

    module = dict(model.named_modules())[block]
    kind = "bottleneck" if hasattr(module, "conv3") else "building block"
    boxes = []
    for name, child in module.named_children():
        if isinstance(child, torch.nn.Conv2d):
            k = child.kernel_size[0]
            stride = f", stride {child.stride[0]}" if child.stride[0] > 1 else ""
            relu = f"{block}.relu{name[4:]}"
            tail = " + BN + ReLU" if relu in dict(model.named_modules()) and not _is_last_relu(module, f"relu{name[4:]}") else " + BN"
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
