"""The ResNet explorer's state and rules, free of Qt: which network runs on which image, which
node and channel are shown, and what must be computed next.

The explorer page forwards every change to one method of :class:`ExplorerModel`, which answers
with what to do:

* a :class:`~viewer.models.jobs.Job`: a forward pass (:func:`~viewer.core.forward.run_forward`),
  a node's rendering (:func:`~viewer.core.forward.render_node`) or a download, for the page's
  workers;
* a :class:`~viewer.models.jobs.Refusal`: a weights file that cannot even be looked at;
* a :class:`Recovery`: after a failed forward pass, what the model fell back to and what to
  compute instead;
* ``None``: nothing to compute (no image yet, nothing rendered yet).

Results go back in through :meth:`ExplorerModel.accept_forward` and
:meth:`ExplorerModel.accept_render`, which say which of the slower views (the architecture tree
and stage table, the residual-block dissection) must be rebuilt (:class:`Rebuild`); the page
then draws what the model holds and writes its settings back into the controls. The page
writes every sentence itself (they are translated); the model hands it the facts.

The rules kept here:

* **one channel** for every view of a node (the channel tab, the batch-norm and the
  residual-block views): a view with fewer channels shows it wrapped around, as the block
  dissection wraps its narrower maps; a node with fewer channels than the channel resets it to 0;
* **weights fall back** instead of leaving the page without a result: a weights file just
  chosen that belongs to another depth switches the architecture to that depth
  (:class:`ArchitectureSwitch`); weights that fail to load give way to the last weights that
  worked (or the random ones) and the pass is computed again;
* the architecture tree and stage table are rebuilt only for a new architecture or input size,
  and the block dissection only for a new result or another block (both cost GUI time);
* **class names** the user gives must be one per output of fc; they stay until other weights
  are chosen;
* the network **saved** is the one shown, with its convention: a torchvision-layout file records
  it in its metadata, a MindSpore checkpoint takes the family's names (:class:`WeightsExport`
  says whether the file's readers compute other numbers from it).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from viewer.core import download
from viewer.core.activations import StageRow, block_of, stage_table
from viewer.core.architectures import ARCHITECTURE_NAMES, DEFAULT_ARCHITECTURE
from viewer.core.classes import read_class_names
from viewer.core.conv import ConvSetup
from viewer.core.conventions import TORCHVISION, ResNetConvention
from viewer.core.dissect import (
    BatchNormData,
    BlockData,
    batch_norm_data,
    block_data,
    block_diagram,
    conv_setup_fields,
    is_conv,
)
from viewer.core.errors import UserError
from viewer.core.forward import (
    DEFAULT_NODE,
    ForwardRequest,
    ForwardResult,
    NodeView,
    ViewSettings,
    render_node,
    run_forward,
)
from viewer.core.i18n import QT_TRANSLATE_NOOP
from viewer.core.images import DecodedImage
from viewer.core.mindspore_weights import FAMILIES, convention_of, save_mindspore_checkpoint
from viewer.core.receptive_field import Region, model_receptive_field
from viewer.core.saved_weights import save_torchvision_weights
from viewer.core.weights import (
    RANDOM,
    ArchitectureMismatchError,
    WeightsError,
    WeightsSource,
    file_source,
)
from viewer.models.jobs import Job, Refusal

#: the formats "Save weights" writes: torchvision's layout (with metadata), or MindSpore's names
SAVE_FORMATS = ("safetensors", "pth", "zoo", "tutorial")

#: The input size a new explorer feeds the network (one of ``preprocess.INPUT_SIZES``, or None
#: for the image's own size).
DEFAULT_SIZE = 224
#: What the batch-norm and residual-block views show until a node of their kind is chosen.
DEFAULT_BN_NODE = "layer1.0.bn1"
DEFAULT_BLOCK = "layer1.0"
#: The ImageNet weights the download button fetches (a key of ``download.IMAGENET_WEIGHTS``).
DEFAULT_VARIANT = "IMAGENET1K_V2"


@dataclass(frozen=True)
class Rebuild:
    """Which of the page's slower views a new node view needs rebuilt."""

    stages: bool
    """The architecture tree and the stage table (a new architecture or input size)."""
    block: bool
    """The residual-block dissection (a new result, or a node of another block)."""


@dataclass(frozen=True)
class ArchitectureSwitch:
    """A weights file just chosen holds another depth's weights: the explorer moved to that depth."""

    file_name: str
    file_arch: str
    """The architecture the file's weights belong to (now the model's)."""
    chosen_arch: str
    """The architecture that was selected when the file was chosen."""


@dataclass(frozen=True)
class Recovery:
    """What the model did about a failed forward pass, and what to compute instead."""

    job: Job | None = None
    """The forward pass to run now (on the switched architecture or the fallback weights)."""
    switch: ArchitectureSwitch | None = None
    """Not an error: the file fits another architecture, which the model switched to."""
    fallback: WeightsSource | None = None
    """After weights that failed to load: the weights the model went back to."""


def fetch_imagenet_weights(variant: str, url: str | None, progress: Callable[[float], None],
                           cancelled: Callable[[], bool]) -> Path:
    """Download ImageNet weights (see :func:`viewer.core.download.download_weights`), reporting
    the fraction done (0..1) to ``progress``; returns the file's path."""

    def report(done: int, total: int) -> None:
        progress(done / total if total else 0.0)

    return download.download_weights(variant, progress=report, cancelled=cancelled, url=url)


@dataclass(frozen=True)
class WeightsExport:
    """Weights written to a file, and whether its readers compute the numbers the explorer shows."""

    path: Path
    file_format: str
    """One of :data:`SAVE_FORMATS`."""
    convention: ResNetConvention
    """The convention the shown network computes with."""
    readers_convention: ResNetConvention
    """The convention of a plain reader of the file: torchvision's for .safetensors/.pth, the
    MindSpore family's network for a .ckpt."""

    @property
    def numbers_differ(self) -> bool:
        """Whether a plain reader computes other numbers than the explorer (the explorer itself
        reopens a torchvision-layout file it saved with the same numbers: its metadata says how)."""
        return self.convention != self.readers_convention


def write_weights(model, weights: WeightsSource, path: str, file_format: str) -> WeightsExport:
    """Write ``model`` (opened from ``weights``) to ``path`` in ``file_format`` (:data:`SAVE_FORMATS`)."""
    if file_format in ("zoo", "tutorial"):
        family = FAMILIES[file_format]
        readers = convention_of(family, model.arch)
        written = save_mindspore_checkpoint(model, path, file_format)
    else:
        readers = TORCHVISION
        written = save_torchvision_weights(model, weights, path)
    return WeightsExport(written, file_format, model.convention, readers)


class ExplorerModel:
    """Everything the explorer shows and the rules that decide what it computes next.

    ``mosaic_aspect`` gives, whenever a mosaic is about to be laid out, the width / height of the
    area it will fill (the page passes its mosaic view's; without one, mosaics are laid out for
    the :class:`~viewer.core.forward.ViewSettings` default).
    """

    def __init__(self, mosaic_aspect: Callable[[], float] = lambda: ViewSettings.aspect) -> None:
        self._mosaic_aspect = mosaic_aspect
        # the settings
        self.arch: str = DEFAULT_ARCHITECTURE
        self.size: int | None = DEFAULT_SIZE
        """Input side in pixels; None for the image's own size (capped)."""
        self.weights: WeightsSource = RANDOM
        """The weights the next forward pass uses."""
        self.node: str = DEFAULT_NODE
        """The module path asked for (the one shown is :attr:`node_view`'s)."""
        self.channel: int = 0
        """The channel every view of the node shows (a narrower view wraps it: :attr:`node_channel`)."""
        self.pixel: tuple[int, int] | None = None
        """(row, column) of the feature-map pixel whose receptive field is outlined."""
        self.field: Region | None = None
        """That pixel's receptive field on the input."""
        self.scope: str = ViewSettings.scope
        self.sort: str = ViewSettings.sort
        self.image: DecodedImage | None = None
        # what is shown
        self.result: ForwardResult | None = None
        self.node_view: NodeView | None = None
        self.stages: list[StageRow] = []
        """The stage table of :attr:`result` (the tree and the table are built from it)."""
        self.batch_norm: BatchNormData | None = None
        """The last batch-norm layer shown (at first :data:`DEFAULT_BN_NODE`), taken apart."""
        self.block: BlockData | None = None
        """The last residual block a shown node belonged to (at first :data:`DEFAULT_BLOCK`), taken apart."""
        self.diagram: tuple[str, list[tuple[str, str]], str] | None = None
        """(title, boxes along F, shortcut text) of the shown node's block; None outside blocks."""
        self.block_code: str | None = None
        """:attr:`block` as code: the module's own ``repr``."""
        self.switch: ArchitectureSwitch | None = None
        """The architecture switch that led to :attr:`result`, if one did."""
        self.last_error: Exception | None = None
        """The latest failure (forward pass, rendering or download); None once a pass succeeds."""
        self.download_variant: str | None = None
        """The ImageNet weights being downloaded, if any."""
        self.saved: WeightsExport | None = None
        """The weights file last written by :meth:`save_weights`'s job."""
        self.size_switch: tuple[int | None, int] | None = None
        """(size before, size now) when the weights file of :attr:`result` moved the input size to the one it was trained at."""
        self._pending_size_switch: tuple[int | None, int] | None = None
        self._pending_switch: ArchitectureSwitch | None = None
        self._weights_file_is_new = False  # a file chosen since the last result: may switch the architecture
        self._result_number = 0  # counts the results accepted: tells a new result's block from the last one's
        self._tree_key: tuple | None = None
        self._block_key: tuple[int, str] | None = None
        self._bn_result = 0  # the result whose numbers :attr:`batch_norm` holds

    # ------------------------------------------------------------------ settings

    def set_image(self, image: DecodedImage) -> Job | None:
        """Run the network on a new image."""
        self.image = image
        return self.forward_job()

    def set_arch(self, arch: str) -> Job | None:
        """Run another architecture (one of ``ARCHITECTURE_NAMES``)."""
        self.arch = arch
        return self.forward_job()

    def set_size(self, size: int | None) -> Job | None:
        """Feed the network at another input size (None: the image's own size, capped)."""
        self.size = size
        return self.forward_job()

    def set_view(self, scope: str, sort: str) -> Job | None:
        """Scale the mosaic's colours per ``scope`` and order its tiles by ``sort`` (``render.SCOPES``, ``render.SORT_KEYS``)."""
        self.scope, self.sort = scope, sort
        return self.render_job()

    def use_random_weights(self) -> Job | None:
        """Go back to the seeded random initialisation."""
        self.weights = RANDOM
        return self.forward_job()

    def use_weights_file(self, path: str | os.PathLike[str]) -> Job | Refusal | None:
        """Use a state_dict file; it is read (and checked) by the forward pass.

        Weights trained at one input size (a network trained in the app says so) switch the
        input size to it: :attr:`size_switch` holds (the size before, the size now).
        """
        try:
            self.weights = file_source(path)
        except UserError as error:
            return Refusal(str(error))
        self._weights_file_is_new = True
        trained_size = self.weights.preprocessing.trained_size if self.weights.trained else None
        self._pending_size_switch = None
        if trained_size is not None and trained_size != self.size:
            self._pending_size_switch = (self.size, trained_size)
            self.size = trained_size
        return self.forward_job()

    def download(self, variant: str = DEFAULT_VARIANT, url: str | None = None) -> Job:
        """The download of ImageNet weights ``variant`` (from ``url`` instead of torchvision's, for tests and mirrors)."""
        self.download_variant = variant
        return Job(fetch_imagenet_weights, (variant, url))

    def cancel_download(self) -> None:
        """Forget the download under way."""
        self.download_variant = None

    def downloaded(self, path: str | os.PathLike[str]) -> Job | None:
        """Use the weights of the last :meth:`download`, now at ``path``, on the architecture they belong to."""
        variant, self.download_variant = self.download_variant, None
        self.weights = download.imagenet_source(variant, path)
        self.arch = download.IMAGENET_WEIGHTS[variant].arch
        return self.forward_job()

    def download_failed(self, error: Exception) -> None:
        """Remember why the download failed (the weights in use stay)."""
        self.download_variant = None
        self.last_error = error

    # ------------------------------------------------------------------ class names, saving

    def use_class_names_file(self, path: str | os.PathLike[str]) -> Job | Refusal | None:
        """Name fc's outputs after a text file's lines (one name per output, in label order)."""
        try:
            names = read_class_names(path)
        except UserError as error:
            return Refusal(str(error))
        return self.set_class_names(names)

    def set_class_names(self, names: tuple[str, ...] | None) -> Job | Refusal | None:
        """Name fc's outputs (None: back to what the weights say); refused when the count is not
        the network's number of outputs."""
        outputs = self.result.model.num_classes if self.result is not None else None
        if names is not None and outputs is not None and len(names) != outputs:
            return Refusal(f"The file names {len(names)} classes, but the network has {outputs} outputs: "
                           f"give one name per output, in label order.")
        self.weights = replace(self.weights, class_names=None if names is None else tuple(names))
        return self.forward_job()

    def save_weights(self, path: str | os.PathLike[str], file_format: str) -> Job | Refusal:
        """Write the shown network to ``path`` in ``file_format`` (:data:`SAVE_FORMATS`), as a job
        whose result is a :class:`WeightsExport`."""
        if self.result is None:
            return Refusal(QT_TRANSLATE_NOOP("UserError", "There is no network to save yet: open an image first."))
        if file_format not in SAVE_FORMATS:
            raise ValueError(f"unknown weights format {file_format!r}")
        return Job(write_weights, (self.result.model, self.result.weights, str(path), file_format))

    def accept_saved(self, export: WeightsExport) -> None:
        """Remember the weights file just written (the page says what its readers will compute)."""
        self.saved = export

    def node_tensor(self) -> np.ndarray | None:
        """The shown node's output as the network computed it, batch dimension included
        ((1, C, H, W), or (1, classes) for fc's logits); None before anything is shown."""
        if self.result is None or self.node_view is None:
            return None
        return self.result.activations[self.node_view.name].numpy()

    # ------------------------------------------------------------------ node, channel, pixel

    def select_node(self, name: str) -> Job | None:
        """Show a node (a module path); its rendering, if the current result holds it."""
        if not name or (name == self.node and self.node_view is not None and self.node_view.name == name):
            return None
        self.node = name
        return self.render_job()

    def channel_count(self) -> int:
        """How many channels the shown node has (0 before anything is shown)."""
        if self.result is None or self.node_view is None:
            return 0
        return int(self.result.maps(self.node_view.name).shape[0])

    def channel_limit(self) -> int:
        """How many channels the views of the shown node offer: its own, or its block's output if more."""
        count = self.channel_count()
        if self.block is not None and self.node_view is not None and block_of(self.node_view.name) == self.block.name:
            count = max(count, int(self.block.output.maps.shape[0]))
        return count

    def set_channel(self, channel: int) -> None:
        """Show another channel in every view (kept within :meth:`channel_limit`)."""
        limit = self.channel_limit()
        self.channel = max(0, min(int(channel), limit - 1)) if limit else max(0, int(channel))

    @property
    def node_channel(self) -> int:
        """The channel of the shown node's maps: :attr:`channel`, wrapped around a narrower node."""
        count = self.channel_count()
        return self.channel % count if count else 0

    def select_pixel(self, channel: int, row: int, col: int) -> Region | None:
        """Show a channel and outline the receptive field of one of its pixels; returns that field."""
        if self.result is None or self.node_view is None:
            return None
        self.set_channel(channel)
        self.pixel = (row, col)
        self.field = model_receptive_field(self.result.model, self.node_view.name, row, col, self.result.size_hw)
        return self.field

    def channel_map(self) -> np.ndarray | None:
        """(H, W) float32 view of the shown channel, or None before anything is shown."""
        if self.result is None or self.node_view is None:
            return None
        return self.result.maps(self.node_view.name)[self.node_channel]

    def current_channel_map(self) -> tuple[np.ndarray, str] | None:
        """The shown channel as a C-contiguous float32 array and its label, for the pooling lab."""
        values = self.channel_map()
        if values is None:
            return None
        return np.ascontiguousarray(values, np.float32), f"{self.node_view.name} channel {self.node_channel}"

    def shows_convolution(self) -> bool:
        """Whether the shown node is a convolution (its kernel can be stepped in the convolution lab)."""
        return self.result is not None and self.node_view is not None and is_conv(self.result, self.node_view.name)

    def conv_setup(self) -> ConvSetup | None:
        """The shown convolution's kernel for the shown channel over its real input; None if it is no convolution."""
        if self.result is None or self.node_view is None:
            return None
        fields = conv_setup_fields(self.result, self.node_view.name, self.node_channel)
        return None if fields is None else ConvSetup(**fields)

    # ------------------------------------------------------------------ jobs and their results

    def view_settings(self) -> ViewSettings:
        """How the next mosaic is rendered (asks for the area's current shape)."""
        return ViewSettings(self.scope, self.sort, self._mosaic_aspect())

    def forward_job(self) -> Job | None:
        """The forward pass of the current settings; None without an image."""
        if self.image is None:
            return None
        request = ForwardRequest(self.arch, self.size, self.image.pixels, self.weights, self.node, self.view_settings())
        return Job(run_forward, (request,))

    def render_job(self) -> Job | None:
        """The rendering of :attr:`node` with the current view settings; None if the result lacks it."""
        if self.result is None or self.node not in self.result.activations:
            return None
        return Job(render_node, (self.result, self.node, self.view_settings()))

    def accept_forward(self, result: ForwardResult, node_view: NodeView) -> Rebuild:
        """Show a forward pass's result and its rendered node."""
        self.result = result
        self._result_number += 1
        self.last_error = None
        self._weights_file_is_new = False
        self.switch, self._pending_switch = self._pending_switch, None
        self.size_switch, self._pending_size_switch = self._pending_size_switch, None
        tree_key = (result.arch, tuple(result.shapes.items()))
        stages_changed = tree_key != self._tree_key
        if stages_changed:  # a new image of the same size keeps the tree (saves GUI time)
            self._tree_key = tree_key
            self.stages = stage_table(result.model, result.size_hw)
        return Rebuild(stages_changed, self._accept_node(node_view))

    def accept_render(self, node_view: NodeView) -> Rebuild:
        """Show a newly rendered node of the current result."""
        return Rebuild(False, self._accept_node(node_view))

    def _accept_node(self, node_view: NodeView) -> bool:
        """Take the node apart; returns whether the block dissection changed.

        The batch-norm and block views show the shown node's batch norm and block; outside
        them, the last ones shown (of this result), and before any, :data:`DEFAULT_BN_NODE` and
        :data:`DEFAULT_BLOCK`, so that neither tab opens empty.
        """
        result = self.result
        self.node_view = node_view
        self.node = node_view.name
        if self.channel >= self.channel_count():
            self.channel = 0
        self.pixel = None
        self.field = None
        batch_norm = batch_norm_data(result, node_view.name, node_view.bn_input_stats)
        if batch_norm is None and (self.batch_norm is None or self._bn_result != self._result_number):
            last = self.batch_norm.name if self.batch_norm is not None else DEFAULT_BN_NODE
            batch_norm = batch_norm_data(result, last, None)
        if batch_norm is not None:
            self.batch_norm, self._bn_result = batch_norm, self._result_number
        block = block_of(node_view.name)
        self.diagram = None if block is None else block_diagram(result.modules, block)
        if block is None:
            block = self.block.name if self.block is not None else DEFAULT_BLOCK
        if self._block_key == (self._result_number, block):
            return False
        self._block_key = (self._result_number, block)
        self.block = block_data(result, block)
        self.block_code = repr(result.modules[block])
        return True

    def render_failed(self, error: Exception) -> None:
        """Remember why a node could not be rendered (the last one stays on screen)."""
        self.last_error = error

    def forward_failed(self, error: Exception) -> Recovery:
        """Apply the weights fall-back policy to a failed forward pass (the last result stays on screen)."""
        self.last_error = error
        looks_like = error.looks_like if isinstance(error, ArchitectureMismatchError) else None
        if self._weights_file_is_new and looks_like in ARCHITECTURE_NAMES and looks_like != self.arch:
            self._weights_file_is_new = False
            self.last_error = None
            self._pending_switch = ArchitectureSwitch(Path(self.weights.path).name, looks_like, error.arch)
            self.arch = looks_like
            return Recovery(self.forward_job(), switch=self._pending_switch)
        self._pending_switch = None
        if not isinstance(error, WeightsError) or self.weights.is_random:
            return Recovery()
        # Keep what worked before (the last result's weights), unless those are what failed.
        failed = self.weights
        working = self.result.weights if self.result is not None else RANDOM
        self.weights = working if working.key != failed.key else RANDOM
        self._weights_file_is_new = False
        return Recovery(self.forward_job(), fallback=self.weights)
