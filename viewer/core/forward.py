"""The explorer's forward passes: what one depends on, the model cache, what comes out.

The explorer page runs these functions in workers, never on the GUI thread, and the headless
``python -m viewer resnet`` command calls them directly.

Memory choice: one forward pass captures *every* module's output (ResNet50 at 224x224: about
200 MB of float32), kept as the torch tensors ``capture`` returns, for the *current* result
only; a newer result replaces it and the old one is freed. Selecting another node then costs
no forward pass: the worker converts that one tensor (a zero-copy numpy view) and renders its
mosaic. Only the newest result, and the model that produced it, stay alive.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from viewer.core import render
from viewer.core.errors import Cancelled
from viewer.core.weights import WeightsError, WeightsSource

#: The node shown first, and instead of one the network does not have (conv2_x's output).
DEFAULT_NODE = "layer1"


@dataclass(frozen=True)
class ViewSettings:
    """How a node's mosaic is rendered."""

    scope: str = "layer"
    sort: str = "index"
    aspect: float = 1.5
    """Width / height the mosaic grid should have (the view's shape)."""


@dataclass(frozen=True)
class ForwardRequest:
    """Everything one forward pass depends on; the explorer builds one per change of settings."""

    arch: str
    size: int | None
    pixels: np.ndarray = field(repr=False)
    weights: WeightsSource
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
    weights: WeightsSource
    """The weights as opened: what the file said (class names, preprocessing) included."""
    model: object = field(repr=False)
    fed_pixels: np.ndarray = field(repr=False)
    activations: dict = field(repr=False)
    shapes: dict
    logits: np.ndarray = field(repr=False)
    top5: list[Prediction]
    names_known: bool
    """Whether ``top5`` carries ImageNet class names (not for random weights)."""

    @property
    def size_hw(self) -> tuple[int, int]:
        """(H, W) of the image the network was fed."""
        return (int(self.fed_pixels.shape[0]), int(self.fed_pixels.shape[1]))

    @cached_property
    def modules(self) -> dict:
        """The model's modules by name (built once per model, not per result or question)."""
        from viewer.core.activations import named_submodules

        return named_submodules(self.model)

    @cached_property
    def global_range(self) -> tuple[float, float]:
        """(min, max) over every feature map of the pass: the "all layers" colour scale.

        Computed on first use: only that scale needs it, and it reads every output.
        """
        import torch

        lows, highs = [], []
        for tensor in self.activations.values():
            if tensor.ndim == 4:
                low, high = torch.aminmax(tensor)
                lows.append(float(low))
                highs.append(float(high))
        return (min(lows, default=0.0), max(highs, default=1.0))

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


_cache_lock = threading.Lock()
_model_cache: dict[tuple[str, str], tuple[object, WeightsSource]] = {}


def model_for(arch: str, weights: WeightsSource) -> tuple[object, WeightsSource]:
    """The model for an architecture and weights, and what is known about those weights
    (:func:`~viewer.core.weights.open_weights`), reusing the last one built (one kept)."""
    key = (arch, weights.key)
    with _cache_lock:
        if key in _model_cache:
            return _model_cache[key]
    from viewer.core.weights import open_weights

    opened = open_weights(arch, weights)
    with _cache_lock:
        _model_cache.clear()
        _model_cache[key] = opened
    return opened


def run_forward(request: ForwardRequest, cancelled: Callable[[], bool] = lambda: False) -> tuple[ForwardResult, NodeView]:
    """Build (or reuse) the model, capture every output and render the selected node.

    Raises :class:`~viewer.core.errors.Cancelled` as soon as ``cancelled()`` turns true
    (checked before every module), and the backend's ``UserError`` subclasses for a too-small
    input or bad weights.
    """
    from viewer.core import activations, preprocess

    model, weights = model_for(request.arch, request.weights)
    if request.weights.class_names is not None:  # the user's names, given after the model was cached
        weights = replace(weights, class_names=request.weights.class_names)
    if cancelled():
        raise Cancelled("a newer forward pass was asked for")
    fed = preprocess.resize_pixels(request.pixels, request.size)
    shapes = activations.output_shapes(model, fed.shape[:2])  # readable error when too small
    x = preprocess.normalize(fed, weights.preprocessing)
    captured = activations.capture(model, x, cancelled=cancelled)
    _refuse_diverged(model, captured, weights)
    logits = captured["fc"][0].numpy()
    top5, names_known = _top5(captured["fc"], weights)
    result = ForwardResult(request.arch, weights, model, fed, captured, shapes, logits, top5, names_known)
    node = request.node if request.node in captured else DEFAULT_NODE
    return result, render_node(result, node, request.view)


def _refuse_diverged(model, captured: dict, weights: WeightsSource) -> None:
    """Refuse a pass any of whose outputs is not finite, naming the first such node: a diverged
    network has no picture.

    Finite weights can still overflow float32 on the way (a net whose training diverged), and
    a NaN or an infinity shown as a colour or a probability would be a lie; the sentence says
    where it starts instead.
    """
    from viewer.core.finite import first_non_finite

    name = first_non_finite(model, captured)
    if name is not None:
        raise WeightsError(
            f"The network diverges with these weights ({weights.label}): from {name} on, its outputs are "
            f"not numbers (NaN or infinity, beyond float32's range), so there is nothing to show. "
            f"Such weights come from a training run that diverged."
        )


def _top5(logits, weights: WeightsSource) -> tuple[list[Prediction], bool]:
    """fc's five most probable outputs; named when the weights say what their classes are."""
    import torch

    probabilities = torch.softmax(logits[0].double(), 0)
    values, indices = torch.topk(probabilities, min(5, probabilities.numel()))
    names = weights.class_names
    names_known = names is not None and len(names) == probabilities.numel()
    return [
        Prediction(int(i), names[int(i)] if names_known else f"class {int(i)}", float(p))
        for p, i in zip(values.tolist(), indices.tolist(), strict=True)
    ], names_known


def render_node(result: ForwardResult, name: str, view: ViewSettings, cancelled: Callable[[], bool] = lambda: False) -> NodeView:
    """Render one node's mosaic (and, for batch norm, its input statistics)."""
    from viewer.core.activations import bn_input_name

    maps = result.maps(name)
    global_range = result.global_range if view.scope == "global" else None
    mosaic = render.render_mosaic(maps, scope=view.scope, sort=view.sort, global_range=global_range, aspect=view.aspect)
    bn_stats = None
    source = bn_input_name(result.activations, name)
    if source is not None:
        bn_stats = render.channel_stats(result.maps(source))
    return NodeView(name, mosaic, view, bn_stats)
