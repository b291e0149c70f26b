"""The ResNet explorer page: every stage's feature maps, live, with batch norm and residual blocks taken apart.

The page only forwards intent and displays results. All work (building the model, the forward
pass, rendering a mosaic) runs in superqt workers through :class:`LatestRunner`, so the newest
request always wins and the GUI thread stays free. What the workers compute lives, free of Qt,
in :mod:`viewer.core.explorer`.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from viewer.core import colormaps, dissect, forward, render
from viewer.core.activations import block_of
from viewer.core.errors import UserError
from viewer.core.images import DecodedImage
from viewer.core.weights import RANDOM, file_source
from viewer.export.files import save_png
from viewer.ui.page import Page
from viewer.ui.resnet.block import BlockDissection
from viewer.ui.resnet.bn import BatchNormView
from viewer.ui.resnet.channel import ChannelView, InputView
from viewer.ui.resnet.controls import ResNetControls
from viewer.ui.resnet.mosaic import MosaicView
from viewer.ui.resnet.pooling import PoolingOutputs
from viewer.ui.resnet.tree import ArchitecturePanel
from viewer.ui.workers import LatestRunner

log = logging.getLogger(__name__)
DEFAULT_VARIANT = "IMAGENET1K_V2"


class _Progress(QObject):
    """Carries download progress from the worker thread to the GUI thread (queued signal).

    Each download has a number: progress queued by a download that was cancelled (or
    replaced) meanwhile arrives late and must not bring its bar back.
    """

    fraction = Signal(int, float)


class ResNetExplorerPage(Page):
    """Browse a ResNet's feature maps stage by stage on the current image."""

    page_id = "resnet"
    #: (H, W) float32 feature map and its label, for the pooling lab
    send_to_pooling = Signal(object, str)
    #: a ``viewer.core.conv.ConvSetup`` for the convolution lab
    step_kernel = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image: DecodedImage | None = None
        self.weights = RANDOM
        self.node = "layer1"
        self.channel = 0
        self.pixel: tuple[int, int] | None = None
        self.result: forward.ForwardResult | None = None
        self.node_view: forward.NodeView | None = None
        self.last_error = ""
        self._block_key: tuple[int, str] | None = None
        self._tree_key: tuple | None = None
        self._busy = False
        #: a weights file chosen since the last result (may switch the architecture to fit it)
        self._new_weights_file = False
        self._switch_note = ""
        self._download_number = 0

        self.controls = ResNetControls()
        self.architecture = ArchitecturePanel()
        self.mosaic = MosaicView()
        self.mosaic_input = InputView()
        self.mosaic_input.setMinimumWidth(160)
        self.channel_view = ChannelView()
        self.bn_view = BatchNormView()
        self.block_view = BlockDissection()
        self.pooling_view = PoolingOutputs()
        self.tabs = QTabWidget()
        mosaic_tab = QSplitter(Qt.Orientation.Horizontal)
        mosaic_tab.addWidget(self.mosaic)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        self.rf_label = QLabel(self.tr("Click a feature-map pixel to outline its receptive field on the input."))
        self.rf_label.setWordWrap(True)
        self.rf_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # room for the longest statement (about six lines in the narrow panel): a wrapped label
        # inside a splitter is otherwise given one line's height and cut off
        self.rf_label.setMinimumHeight(6 * self.rf_label.fontMetrics().lineSpacing())
        side_layout.addWidget(QLabel(self.tr("<b>Input as the network sees it</b>")))
        side_layout.addWidget(self.mosaic_input, 1)
        side_layout.addWidget(self.rf_label)
        mosaic_tab.addWidget(side)
        # The input panel gives way first: drag it shut for a wider mosaic on a small screen.
        mosaic_tab.setCollapsible(0, False)
        mosaic_tab.setStretchFactor(0, 1)
        mosaic_tab.setSizes([900, 260])
        self.mosaic_splitter = mosaic_tab
        self.tabs.addTab(mosaic_tab, self.tr("Feature maps"))
        self.tabs.addTab(self.channel_view, self.tr("Channel"))
        self.tabs.addTab(self.bn_view, self.tr("Batch norm"))
        self.tabs.addTab(self.block_view, self.tr("Residual block"))
        self.tabs.addTab(self.pooling_view, self.tr("Pooling and output"))

        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        status_row = QHBoxLayout()
        status_row.addWidget(self.busy_bar)
        status_row.addWidget(self.status, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.controls)
        left_layout.addWidget(self.architecture, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(status_row)
        right_layout.addWidget(self.tabs, 1)
        splitter.addWidget(right)
        splitter.setCollapsible(1, False)
        splitter.setSizes([330, 1070])
        splitter.setStretchFactor(1, 1)
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

        self.forward_runner = LatestRunner(self)
        self.render_runner = LatestRunner(self)
        self.download_runner = LatestRunner(self)
        self._progress = _Progress(self)
        self.forward_runner.finished.connect(self._forward_done)
        self.forward_runner.failed.connect(self._forward_failed)
        self.render_runner.finished.connect(self._render_done)
        self.render_runner.failed.connect(self._render_failed)
        self.download_runner.finished.connect(self._download_done)
        self.download_runner.failed.connect(self._download_failed)
        self._progress.fraction.connect(self._download_progress)
        for runner in (self.forward_runner, self.render_runner):
            runner.busy_changed.connect(self._busy_changed)

        self.controls.arch_changed.connect(lambda _a: self.recompute())
        self.controls.size_changed.connect(lambda _s: self.recompute())
        self.controls.random_weights_requested.connect(self.use_random_weights)
        self.controls.load_file_requested.connect(self._choose_weights_file)
        self.controls.download_requested.connect(self.download_imagenet)
        self.controls.cancel_download_requested.connect(self.cancel_download)
        self.architecture.tree.node_selected.connect(self.select_node)
        self.mosaic.settings_changed.connect(lambda _scope, _sort: self._rerender())
        self.mosaic.aspect_changed.connect(self._rerender)
        self.mosaic.colormap_box.currentIndexChanged.connect(lambda _i: self._show_channel())
        self.mosaic.pixel_clicked.connect(self._mosaic_clicked)
        self.mosaic.export_requested.connect(self._choose_mosaic_export)
        self.channel_view.pixel_clicked.connect(lambda row, col: self.select_pixel(self.channel, row, col))
        self.channel_view.export_requested.connect(self._choose_channel_export)
        self.channel_view.send_to_pooling_requested.connect(self.emit_send_to_pooling)
        self.channel_view.step_kernel_requested.connect(self.emit_step_kernel)
        self.bn_view.channel_changed.connect(self._set_channel_quietly)
        self.block_view.channel_changed.connect(self._set_channel_quietly)
        self._show_status(self.tr("Waiting for an image."))

    # ------------------------------------------------------------------ page contract

    def page_title(self) -> str:
        return self.tr("ResNet50")

    def set_image(self, image: DecodedImage) -> None:
        self.image = image
        self.recompute()

    def is_busy(self) -> bool:
        return self.forward_runner.is_busy() or self.render_runner.is_busy()

    # ------------------------------------------------------------------ requests

    def recompute(self) -> int | None:
        """Start a forward pass with the current settings; returns its generation."""
        if self.image is None:
            return None
        request = forward.ForwardRequest(
            self.controls.arch(),
            self.controls.size(),
            self.image.pixels,
            self.weights,
            self.node,
            self._view_settings(),
        )
        self.render_runner.cancel()
        size = self.controls.size()
        size_text = f"{size}x{size}" if size else self.tr("its own size")
        self._show_status(self.tr("Computing {0} on {1} at {2} ...").format(request.arch, self.image.name, size_text))
        return self.forward_runner.submit(forward.run_forward, request)

    def select_node(self, name: str) -> None:
        """Show a node (module path) of the network."""
        if not name or name == self.node and self.node_view is not None and self.node_view.name == name:
            return
        self.node = name
        if self.result is not None and name in self.result.activations:
            self.render_runner.submit(forward.render_node, self.result, name, self._view_settings())

    def _rerender(self) -> None:
        if self.result is not None and self.node in self.result.activations:
            self.render_runner.submit(forward.render_node, self.result, self.node, self._view_settings())

    def _view_settings(self) -> forward.ViewSettings:
        return forward.ViewSettings(self.mosaic.scope(), self.mosaic.sort(), self.mosaic.grid_aspect())

    # ------------------------------------------------------------------ results

    def _forward_done(self, _generation: int, value) -> None:
        result, node_view = value
        self.result = result
        self.last_error = ""
        self._new_weights_file = False
        from viewer.core import activations

        tree_key = (result.arch, tuple(result.shapes.items()))
        self.architecture.tree.blockSignals(True)
        if tree_key != self._tree_key:  # a new image of the same size keeps the tree (saves GUI time)
            self._tree_key = tree_key
            stages = activations.stage_table(result.model, result.size_hw)
            self.architecture.table.populate(stages)
            self.architecture.tree.populate(stages, result.shapes)
        self.architecture.tree.select(node_view.name)
        self.architecture.tree.blockSignals(False)
        self.mosaic_input.set_pixels(result.fed_pixels)
        self.channel_view.input_view.set_pixels(result.fed_pixels)
        self.pooling_view.set_data(
            result.maps("relu"), result.maps("maxpool"), result.maps("avgpool")[:, 0, 0],
            result.top5, result.names_known, result.weights.label,
        )
        self.controls.set_weights_label(result.weights.label, random=result.weights.kind == "random")
        h, w = result.size_hw
        summary = self.tr("{0}, {1} weights, input {2}x{3}: {4} nodes captured.").format(
            result.arch, result.weights.label, h, w, len(result.activations))
        self._show_status(f"{self._switch_note} {summary}" if self._switch_note else summary)
        self._switch_note = ""
        self._show_node(node_view)

    def _forward_failed(self, _generation: int, error) -> None:
        message = str(error) if isinstance(error, UserError) else self.tr("Unexpected error: {0}").format(error)
        if not isinstance(error, UserError):
            log.error("forward pass failed", exc_info=error)
        from viewer.core.weights import ArchitectureMismatchError, WeightsError
        from viewer.ui.resnet.controls import ARCH_CHOICES

        looks_like = getattr(error, "looks_like", None) if isinstance(error, ArchitectureMismatchError) else None
        if self._new_weights_file and looks_like in ARCH_CHOICES and looks_like != self.controls.arch():
            # A file the user just chose belongs to another depth: show it on that one.
            self._new_weights_file = False
            self.last_error = ""
            self._switch_note = self.tr("{0} holds {1} weights, not {2}: switched the architecture to {1}.").format(
                Path(self.weights.path).name, looks_like, error.arch)
            self.controls.set_arch(looks_like)
            self._show_status(self._switch_note)
            return
        self._switch_note = ""
        if isinstance(error, WeightsError) and self.weights.kind != "random":
            # Keep what worked before (the last result's weights), unless those are what failed.
            failed = self.weights
            working = self.result.weights if self.result is not None else RANDOM
            self.weights = working if working != failed else RANDOM
            self._new_weights_file = False
            if not message.rstrip().endswith((".", "!", "?")):
                message = message.rstrip() + "."
            message += " " + self.tr("Still using {0} weights.").format(self.weights.label)
            self.controls.set_weights_label(self.weights.label, random=self.weights.kind == "random")
            self.recompute()
        self.last_error = message
        self._show_status(message, error=True)
        self.error_occurred.emit(message)

    def _render_done(self, _generation: int, node_view) -> None:
        self._show_node(node_view)

    def _render_failed(self, _generation: int, error) -> None:
        message = str(error) if isinstance(error, UserError) else self.tr("Cannot show {0}: {1}").format(self.node, error)
        self.last_error = message
        self._show_status(message, error=True)

    def _show_node(self, node_view: forward.NodeView) -> None:
        self.node_view = node_view
        self.node = node_view.name
        tree = self.architecture.tree
        if tree.selected_name() != node_view.name:  # selected by code, not by a click in the tree
            tree.blockSignals(True)
            tree.select(node_view.name)
            tree.blockSignals(False)
        result = self.result
        maps = result.maps(node_view.name)
        c, h, w = maps.shape
        stats = node_view.mosaic.stats
        kind = self.tr("signed (before ReLU): diverging colours") if stats.signed else self.tr("non-negative: sequential colours")
        self.mosaic.set_mosaic(node_view.mosaic, maps, self.tr("<b>{0}</b>: {1} channels of {2} x {3}, {4}").format(node_view.name, c, h, w, kind))
        if self.channel >= c:
            self.channel = 0
        self.pixel = None
        self.mosaic_input.set_region(None)
        self.channel_view.input_view.set_region(None)
        self._show_channel()
        bn = dissect.batch_norm_data(result, node_view.name, node_view.bn_input_stats)
        self.bn_view.set_data(bn, self.channel)
        block = block_of(node_view.name)
        if block is not None:
            if self._block_key != (id(result), block):
                self._block_key = (id(result), block)
                self.block_view.set_data(dissect.block_data(result, block), self.channel)
            title, boxes, shortcut = dissect.block_diagram(result.modules, block)
            self.architecture.diagram.set_block(title, boxes, shortcut, highlight=node_view.name)
        else:
            self.architecture.diagram.set_block("", [], "")

    def _show_channel(self) -> None:
        if self.result is None or self.node_view is None:
            return
        maps = self.result.maps(self.node_view.name)
        channel = min(self.channel, maps.shape[0] - 1)
        low, high = colormaps.levels(maps[channel])
        can_step = dissect.is_conv(self.result, self.node_view.name)
        self.channel_view.set_channel(
            maps[channel], low, high, self.mosaic.colormap_name(),
            self.tr("<b>{0}</b>, channel {1} of {2} (scaled to its own range)").format(self.node_view.name, channel, maps.shape[0]),
            can_step,
        )

    def _set_channel_quietly(self, channel: int) -> None:
        self.channel = channel

    def _mosaic_clicked(self, channel: int, row: int, col: int) -> None:
        self.select_pixel(channel, row, col)
        self.tabs.setCurrentWidget(self.channel_view)

    def select_pixel(self, channel: int, row: int, col: int) -> None:
        """Open a channel and outline the receptive field of one of its pixels on the input."""
        if self.result is None or self.node_view is None:
            return
        self.channel = channel
        self.pixel = (row, col)
        self._show_channel()
        self.channel_view.mark(row, col)
        from viewer.core.receptive_field import model_receptive_field

        region = model_receptive_field(self.result.model, self.node_view.name, row, col, self.result.size_hw)
        self.mosaic_input.set_region(region)
        self.channel_view.input_view.set_region(region)
        text = self.tr("<b>Receptive field</b> (red outline): {0} channel {1}, pixel ({2}, {3}) sees input rows {4}-{5}, "
                       "columns {6}-{7} ({8} x {9} pixels).").format(
            self.node_view.name, channel, row, col, region.top, region.bottom, region.left, region.right, region.height, region.width)
        self.rf_label.setText(text)
        self.channel_view.field_label.setText(text)

    # ------------------------------------------------------------------ other pages

    def current_channel_map(self) -> tuple[np.ndarray, str] | None:
        if self.result is None or self.node_view is None:
            return None
        maps = self.result.maps(self.node_view.name)
        channel = min(self.channel, maps.shape[0] - 1)
        return np.ascontiguousarray(maps[channel], np.float32), f"{self.node_view.name} channel {channel}"

    def emit_send_to_pooling(self) -> None:
        current = self.current_channel_map()
        if current is not None:
            self.send_to_pooling.emit(*current)

    def emit_step_kernel(self) -> None:
        if self.result is None or self.node_view is None:
            return
        fields = dissect.conv_setup_fields(self.result, self.node_view.name, self.channel)
        if fields is None:
            self.error_occurred.emit(self.tr("Select a convolution layer (conv1, conv2 ...) to step its kernel."))
            return
        from viewer.core.conv import ConvSetup

        self.step_kernel.emit(ConvSetup(**fields))

    # ------------------------------------------------------------------ weights

    def use_random_weights(self) -> None:
        self.weights = RANDOM
        self.controls.set_weights_label(self.weights.label, random=True)
        self.recompute()

    def _choose_weights_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Load ResNet weights"), "", self.tr("Weights (*.pth *.pt *.safetensors);;All files (*)"))
        if path:
            self.load_weights_file(path)

    def load_weights_file(self, path: str | Path) -> None:
        """Use a state_dict file (checked in the worker; a bad file falls back to random weights)."""
        path = Path(path)
        try:
            self.weights = file_source(path)
        except UserError as error:
            self.error_occurred.emit(str(error))
            return
        self._new_weights_file = True
        self.controls.set_weights_label(self.tr("loading {0} ...").format(path.name))
        self.recompute()

    def download_imagenet(self, variant: str = DEFAULT_VARIANT, url: str | None = None) -> None:
        """Download torchvision's ImageNet ResNet50 weights in a worker, then use them."""
        from viewer.core import download

        progress = self._progress
        self._download_number += 1
        number = self._download_number

        def job(cancelled):
            def report(done: int, total: int) -> None:
                progress.fraction.emit(number, done / total if total else 0.0)

            return download.download_weights(variant, report, cancelled, url=url)

        self.controls.set_download_progress(0.0)
        self._show_status(self.tr("Downloading {0} ...").format(variant))
        self._variant = variant
        self.download_runner.submit(job)

    def _download_progress(self, number: int, fraction: float) -> None:
        if number == self._download_number:
            self.controls.set_download_progress(fraction)

    def cancel_download(self) -> None:
        self._download_number += 1  # progress still queued from this download is ignored
        self.download_runner.cancel()
        self.controls.set_download_progress(None)
        self._show_status(self.tr("Download cancelled; nothing was saved."))

    def _download_done(self, _generation: int, path) -> None:
        from viewer.core import download

        self._download_number += 1
        self.controls.set_download_progress(None)
        variant = getattr(self, "_variant", DEFAULT_VARIANT)
        self.weights = download.imagenet_source(variant, path)
        if self.controls.arch() != "resnet50":
            self.controls.arch_box.blockSignals(True)
            self.controls.set_arch("resnet50")
            self.controls.arch_box.blockSignals(False)
        self.recompute()

    def _download_failed(self, _generation: int, error) -> None:
        self._download_number += 1
        self.controls.set_download_progress(None)
        message = str(error) if isinstance(error, UserError) else self.tr("Download failed: {0}").format(error)
        self.last_error = message
        self._show_status(message, error=True)
        self.error_occurred.emit(message)

    # ------------------------------------------------------------------ export

    def _choose_mosaic_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export mosaic"), f"{self.node}.png", self.tr("PNG images (*.png)"))
        if path:
            self.export_mosaic(path)

    def _choose_channel_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export channel"), f"{self.node}_ch{self.channel}.png", self.tr("PNG images (*.png)"))
        if path:
            self.export_channel(path)

    def export_mosaic(self, path: str | Path) -> Path | None:
        if self.node_view is None:
            return None
        return self._save(self.mosaic.lookup()[self.node_view.mosaic.indices], path)

    def export_channel(self, path: str | Path) -> Path | None:
        view = self.channel_view
        if view.indices is None:
            return None
        indices = view.indices
        scale = max(1, 256 // max(indices.shape))
        if scale > 1:
            indices = render.upsample_nearest(indices, (indices.shape[0] * scale, indices.shape[1] * scale))
        return self._save(view.lut[indices], path)

    def _save(self, rgb: np.ndarray, path) -> Path | None:
        try:
            saved = save_png(rgb, path)
        except UserError as error:
            self.error_occurred.emit(str(error))
            return None
        self.status_message.emit(self.tr("Saved {0}").format(saved))
        return saved

    # ------------------------------------------------------------------ status

    def _busy_changed(self, _busy: bool) -> None:
        busy = self.is_busy()
        if busy != self._busy:
            self._busy = busy
            self.busy_bar.setVisible(busy)
            self.busy_changed.emit(busy)

    def _show_status(self, text: str, error: bool = False) -> None:
        colour = "#c02020" if error else "palette(text)"
        self.status.setText(f"<span style='color:{colour}'>{text}</span>")
        self.status_message.emit(text)

