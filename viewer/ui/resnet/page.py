"""The ResNet explorer page: every stage's feature maps, live, with batch norm and residual blocks taken apart.

The page is a view over :class:`~viewer.models.explorer.ExplorerModel`: each widget signal calls
one model method, the page runs the job it answers with in a :class:`LatestRunner` (building the
model, the forward pass, rendering a mosaic, a download: never on the GUI thread, the newest
request wins), hands the result back to the model and draws what the model holds. The page's
own work is the widgets and the sentences.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import signals_blocked

from viewer.core import colormaps
from viewer.core.architectures import ARCHITECTURE_SPECS, make_layer_calls
from viewer.core.conventions import TORCHVISION
from viewer.core.errors import UserError
from viewer.core.images import DecodedImage
from viewer.core.memory import release_freed_memory
from viewer.core.mindspore_weights import describe_names
from viewer.core.trained_weights import read_trained
from viewer.core.weights import WeightsSource
from viewer.export.files import save_png
from viewer.models.explorer import (
    DEFAULT_VARIANT,
    ArchitectureSwitch,
    ExplorerModel,
    Rebuild,
)
from viewer.models.jobs import Job, Refusal
from viewer.ui.language import translated_sentence
from viewer.ui.page import Page
from viewer.ui.resnet.block import BlockDissection
from viewer.ui.resnet.bn import BatchNormView
from viewer.ui.resnet.channel import ChannelView
from viewer.ui.resnet.controls import ResNetControls
from viewer.ui.resnet.mosaic import MosaicTab
from viewer.ui.resnet.pooling import PoolingOutputs
from viewer.ui.resnet.tree import ArchitecturePanel
from viewer.ui.resnet.weights_files import WeightsFiles, convention_label
from viewer.ui.widgets.busy_bar import BusyBar
from viewer.ui.widgets.name_label import elided_name
from viewer.ui.workers import LatestRunner

log = logging.getLogger(__name__)


class ResNetExplorerPage(Page):
    """Browse a ResNet's feature maps stage by stage on the current image."""

    page_id = "resnet"
    #: (H, W) float32 feature map and its label, for the pooling lab
    send_to_pooling = Signal(object, str)
    #: a ``viewer.core.conv.ConvSetup`` for the convolution lab
    step_kernel = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.build_in_pieces(self._build())

    def _build(self) -> Iterator[None]:
        """The page in pieces of about a frame each (see :meth:`Page.build_in_pieces`)."""
        self.controls = ResNetControls()
        self.architecture = ArchitecturePanel()
        self.mosaic_splitter = MosaicTab()
        self.mosaic = self.mosaic_splitter.mosaic
        self.mosaic_input = self.mosaic_splitter.input_view
        self.rf_label = self.mosaic_splitter.field_label
        yield
        self.channel_view = ChannelView()
        yield
        self.bn_view = BatchNormView(build=False)
        yield from self.bn_view.build()
        yield
        self.block_view = BlockDissection()
        self.pooling_view = PoolingOutputs()
        yield
        self.tabs = QTabWidget()
        self.tabs.addTab(self.mosaic_splitter, self.tr("Feature maps"))
        self.tabs.addTab(self.channel_view, self.tr("Channel"))
        self.tabs.addTab(self.bn_view, self.tr("Batch norm"))
        self.tabs.addTab(self.block_view, self.tr("Residual block"))
        self.tabs.addTab(self.pooling_view, self.tr("Pooling and output"))
        self.tabs.currentChanged.connect(self._tab_shown)
        self._stale_views: set[QWidget] = set()  # tabs whose view is older than the model
        self._pooling_result = None  # the result the pooling tab shows
        self._channel_input = None  # the pixels the channel tab's input shows
        self._field_text: str | None = None  # the last receptive field stated

        self.busy_bar = BusyBar()
        self.busy_bar.setMaximumWidth(120)
        # its place kept while hidden: the status row shifting when it appears would repaint
        # every view below
        policy = self.busy_bar.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.busy_bar.setSizePolicy(policy)
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

        self.model = ExplorerModel(mosaic_aspect=self.mosaic.grid_aspect)
        self.forward_runner = LatestRunner(self)
        self.render_runner = LatestRunner(self)
        self.download_runner = LatestRunner(self)
        self.files = WeightsFiles(self.model, self)
        self._release_timer = QTimer(self)
        self._release_timer.setSingleShot(True)
        self._release_timer.setInterval(1000)
        self._release_timer.timeout.connect(self._release_freed_memory)
        self.track(self.forward_runner, self.render_runner, self.files.save_runner)
        self.busy_changed.connect(self.busy_bar.set_busy)
        self.forward_runner.finished.connect(self._forward_done)
        self.forward_runner.failed.connect(self._forward_failed)
        self.render_runner.finished.connect(self._render_done)
        self.render_runner.failed.connect(self._render_failed)
        self.download_runner.finished.connect(self._download_done)
        self.download_runner.failed.connect(self._download_failed)
        self.download_runner.progressed.connect(self._download_progressed)
        self.files.forward_requested.connect(self._start_forward)
        self.files.status.connect(self._show_status)
        self.files.failed.connect(self.error_occurred)
        self.files.saved.connect(self.status_message)

        self.controls.arch_changed.connect(lambda arch: self._start_forward(self.model.set_arch(arch)))
        self.controls.size_changed.connect(lambda size: self._start_forward(self.model.set_size(size)))
        self.controls.random_weights_requested.connect(self.use_random_weights)
        self.controls.load_file_requested.connect(self._choose_weights_file)
        self.controls.download_requested.connect(self.download_imagenet)
        self.controls.cancel_download_requested.connect(self.cancel_download)
        self.controls.class_names_requested.connect(self.files.choose_class_names)
        self.controls.save_requested.connect(self.files.choose_weights_save)
        self.architecture.tree.node_selected.connect(self.select_node)
        self.mosaic.settings_changed.connect(lambda scope, sort: self._start_render(self.model.set_view(scope, sort)))
        self.mosaic.aspect_changed.connect(lambda: self._start_render(self.model.render_job()))
        self.mosaic.colormap_box.currentIndexChanged.connect(lambda _i: self._refresh(self.channel_view))
        self.mosaic.pixel_clicked.connect(self._mosaic_clicked)
        self.mosaic.export_requested.connect(self._choose_mosaic_export)
        self.channel_view.pixel_clicked.connect(lambda row, col: self.select_pixel(self.model.node_channel, row, col))
        self.channel_view.export_requested.connect(self._choose_channel_export)
        self.channel_view.export_npy_requested.connect(self.files.choose_npy_export)
        self.channel_view.send_to_pooling_requested.connect(self.emit_send_to_pooling)
        self.channel_view.step_kernel_requested.connect(self.emit_step_kernel)
        self.bn_view.channel_changed.connect(self._choose_channel)
        self.block_view.channel_changed.connect(self._choose_channel)
        yield
        self._show_settings()
        self._show_status(self.tr("Waiting for an image."))

    # ------------------------------------------------------------------ page contract

    def page_title(self) -> str:
        return self.tr("ResNet50")

    def set_image(self, image: DecodedImage) -> None:
        self._start_forward(self.model.set_image(image))

    # ------------------------------------------------------------------ requests

    def recompute(self) -> int | None:
        """Start a forward pass with the model's settings; returns its generation (None without an image)."""
        return self._start_forward(self.model.forward_job())

    def apply_to_model(self, change: Callable[[ExplorerModel], Job | None]) -> None:
        """Change the model by ``change(model)`` (a lesson, a session) and run the pass it answers."""
        self._start_forward(change(self.model))

    def select_node(self, name: str) -> None:
        """Show a node (module path) of the network."""
        self._start_render(self.model.select_node(name))

    def _start_forward(self, job: Job | None) -> int | None:
        """Run a forward pass now if the page is shown; a hidden page runs the model's latest
        settings once it is shown (returns None then)."""
        self._show_settings()
        if job is None:
            return None
        if not self.isVisible():
            self.forward_runner.cancel()  # an older pass for older settings is not wanted either
            self.when_shown(lambda: self._start_forward(self.model.forward_job()))
            return None
        self.render_runner.cancel()
        model = self.model
        size_text = f"{model.size}x{model.size}" if model.size else self.tr("its own size")
        self._show_status(self.tr("Computing {0} on {1} at {2} ...").format(
            model.arch, elided_name(model.image.name, self.status), size_text))
        return self.forward_runner.submit(job.function, *job.args)

    def _start_render(self, job: Job | None) -> None:
        if job is not None:
            self.render_runner.submit(job.function, *job.args)

    # ------------------------------------------------------------------ results

    def _forward_done(self, _generation: int, value) -> None:
        result, node_view = value
        # another network's model and outputs are freed once this result is shown
        frees_a_model = self.model.result is not None and self.model.result.model is not result.model
        rebuild = self.model.accept_forward(result, node_view)
        tree = self.architecture.tree
        with signals_blocked(tree):
            if rebuild.stages:
                self.architecture.table.populate(self.model.stages)
                calls = make_layer_calls(result.arch) if result.arch in ARCHITECTURE_SPECS else ()
                self.architecture.calls.set_calls([(call.stage, call.code) for call in calls])
                tree.populate(self.model.stages, result.shapes)
            tree.select(node_view.name)
        self.mosaic_input.set_pixels(result.fed_pixels)
        self._refresh(self.pooling_view)
        self._show_weights(result.weights)
        h, w = result.size_hw
        summary = self.tr("{0}, {1} weights, input {2}x{3}: {4} nodes captured.").format(
            result.arch, _weights_name(result.weights), h, w, len(result.activations))
        if result.weights.dropped:
            summary += " " + self.tr("Left out of the file (training state, not weights): {0}.").format(
                describe_names(result.weights.dropped))
        switch = self.model.switch
        trained = read_trained(result.weights.path) if result.weights.trained and result.weights.path else None
        if trained is not None:  # a network trained in the Training page: say how
            summary += " " + self.tr("{0}.").format(trained.how)
        if self.model.size_switch is not None:
            before, now = self.model.size_switch
            summary += " " + self.tr("Input size set to {0}x{0} (it was {1}): the size these weights were trained at.").format(
                now, f"{before}x{before}" if before else self.tr("the image's own"))
        self._show_status(f"{self._switch_text(switch)} {summary}" if switch else summary)
        self._show_node(rebuild)
        if frees_a_model:
            self._release_timer.start()

    def _release_freed_memory(self) -> None:
        """Give the freed memory of a network no longer shown back to the system, in a thread and
        once the page is idle: trimming holds the allocator's locks for tens of milliseconds, and
        every thread that allocates meanwhile (the GUI painting, a worker building) waits."""
        if self.forward_runner.is_busy():
            self._release_timer.start()
            return
        threading.Thread(target=release_freed_memory, name="release-freed-memory", daemon=True).start()

    def _forward_failed(self, _generation: int, error) -> None:
        if not isinstance(error, UserError):
            log.error("forward pass failed", exc_info=error)
        recovery = self.model.forward_failed(error)
        if recovery.switch is not None:
            self._start_forward(recovery.job)
            self._show_status(self._switch_text(recovery.switch))
            return
        message = translated_sentence(str(error)) if isinstance(error, UserError) else self.tr("Unexpected error: {0}").format(error)
        if recovery.fallback is not None:
            if not message.rstrip().endswith((".", "!", "?")):
                message = message.rstrip() + "."
            message += " " + self.tr("Still using {0} weights.").format(_weights_name(recovery.fallback))
            self._show_weights(recovery.fallback)
            self._start_forward(recovery.job)
        self._show_status(message, error=True)
        self.error_occurred.emit(message)

    def _render_done(self, _generation: int, node_view) -> None:
        self._show_node(self.model.accept_render(node_view))

    def _render_failed(self, _generation: int, error) -> None:
        self.model.render_failed(error)
        message = translated_sentence(str(error)) if isinstance(error, UserError) else self.tr("Cannot show {0}: {1}").format(self.model.node, error)
        self._show_status(message, error=True)

    def _show_node(self, rebuild: Rebuild) -> None:
        """Draw the model's node: its mosaic, its batch norm and block, and the channel in every view."""
        model = self.model
        name = model.node_view.name
        tree = self.architecture.tree
        if tree.selected_name() != name:  # selected by code, not by a click in the tree
            with signals_blocked(tree):
                tree.select(name)
        maps = model.result.maps(name)
        c, h, w = maps.shape
        if model.node_view.mosaic.stats.signed:
            kind = self.tr("signed (before ReLU): diverging colours")
        else:
            kind = self.tr("non-negative: sequential colours")
        title = self.tr("<b>{0}</b>: {1} channels of {2} x {3}, {4}").format(name, c, h, w, kind)
        self.mosaic.set_mosaic(model.node_view.mosaic, maps, title)
        if rebuild.block:
            self.architecture.code.set_code(model.block_code)
        if model.diagram is None:
            self.architecture.diagram.set_block("", [], "")
        else:
            self.architecture.diagram.set_block(*model.diagram, highlight=name)
        self._show_channel()

    def _show_channel(self) -> None:
        """Show the model's channel in every view of the node (none of them reports it back)."""
        self._show_field()
        self._refresh(self.channel_view, self.bn_view, self.block_view)

    def _refresh(self, *views: QWidget) -> None:
        """Draw these tabs' views from the model: now for the tab shown, the others when their tab
        is next shown. Drawing a hidden tab (histograms, curves, a dozen tiles) took a third of
        the GUI's time for each new result, with nobody looking."""
        for view in views:
            if self.tabs.currentWidget() is view:
                self._stale_views.discard(view)
                self._draw(view)
            else:
                self._stale_views.add(view)

    def _tab_shown(self, _index: int) -> None:
        self._draw_if_stale(self.tabs.currentWidget())

    def _draw_if_stale(self, view: QWidget) -> None:
        if view in self._stale_views:
            self._stale_views.discard(view)
            self._draw(view)

    def _draw(self, view: QWidget) -> None:
        """Draw one tab's view from what the model holds (each view draws only what changed)."""
        model = self.model
        if model.result is None or model.node_view is None:
            return
        if view is self.channel_view:
            self._draw_channel_view()
        elif view is self.bn_view:
            if self.bn_view.data is not model.batch_norm:
                self.bn_view.set_data(model.batch_norm)
            self.bn_view.set_channel(model.channel)
        elif view is self.block_view:
            if self.block_view.data is not model.block:
                self.block_view.set_data(model.block)
            self.block_view.set_channel(model.channel)
        elif view is self.pooling_view and self._pooling_result is not model.result:
            result = self._pooling_result = model.result
            self.pooling_view.set_data(
                result.maps("relu"), result.maps("maxpool"), result.maps("avgpool")[:, 0, 0],
                result.top5, result.names_known, result.weights.trained, int(result.logits.size),
            )

    def _draw_channel_view(self) -> None:
        """The channel tab: the model's channel, and the input with the receptive field."""
        model, view = self.model, self.channel_view
        values = model.channel_map()
        low, high = colormaps.levels(values)
        view.set_channel(
            values, low, high, self.mosaic.colormap_name(),
            self.tr("<b>{0}</b>, channel {1} of {2} (scaled to its own range)").format(
                model.node_view.name, model.node_channel, model.channel_count()),
            model.shows_convolution(),
        )
        if self._channel_input is not model.result.fed_pixels:
            self._channel_input = model.result.fed_pixels
            view.input_view.set_pixels(model.result.fed_pixels)
        view.input_view.set_region(model.field)
        if model.field is not None:
            view.mark(*model.pixel)
        if self._field_text is not None:
            view.field_label.setText(self._field_text)

    def _show_field(self) -> None:
        """Outline the model's receptive field on both inputs, and state it (the last statement stays until the next)."""
        model = self.model
        region = model.field
        self.mosaic_input.set_region(region)
        if region is None:
            return
        row, col = model.pixel
        text = self._field_text = self.tr("<b>Receptive field</b> (red outline): {0} channel {1}, pixel ({2}, {3}) sees input rows {4}-{5}, "
                       "columns {6}-{7} ({8} x {9} pixels).").format(
            model.node_view.name, model.node_channel, row, col, region.top, region.bottom, region.left, region.right,
            region.height, region.width)
        self.rf_label.setText(text)

    def _choose_channel(self, channel: int) -> None:
        self.model.set_channel(channel)
        self._show_channel()

    def _mosaic_clicked(self, channel: int, row: int, col: int) -> None:
        self.select_pixel(channel, row, col)
        self.tabs.setCurrentWidget(self.channel_view)

    def select_pixel(self, channel: int, row: int, col: int) -> None:
        """Open a channel and outline the receptive field of one of its pixels on the input."""
        if self.model.select_pixel(channel, row, col) is not None:
            self._show_channel()

    # ------------------------------------------------------------------ other pages

    def current_channel_map(self) -> tuple[np.ndarray, str] | None:
        """The channel shown and its label (see :meth:`ExplorerModel.current_channel_map`)."""
        return self.model.current_channel_map()

    def emit_send_to_pooling(self) -> None:
        current = self.model.current_channel_map()
        if current is not None:
            self.send_to_pooling.emit(*current)

    def emit_step_kernel(self) -> None:
        if self.model.node_view is None:
            return
        setup = self.model.conv_setup()
        if setup is None:
            self.error_occurred.emit(self.tr("Select a convolution layer (conv1, conv2 ...) to step its kernel."))
            return
        self.step_kernel.emit(setup)

    # ------------------------------------------------------------------ weights

    def use_random_weights(self) -> None:
        job = self.model.use_random_weights()
        self._show_weights(self.model.weights)
        self._start_forward(job)

    def _choose_weights_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Load ResNet weights"), "",
            self.tr("Weights (*.pth *.pt *.safetensors *.ckpt);;MindSpore checkpoints (*.ckpt);;All files (*)"))
        if path:
            self.load_weights_file(path)

    def load_weights_file(self, path: str | Path) -> None:
        """Use a state_dict file (checked in the worker; a bad file falls back to the last weights that worked)."""
        outcome = self.model.use_weights_file(path)
        if isinstance(outcome, Refusal):
            self.error_occurred.emit(outcome.message)
            return
        self.controls.set_weights_label(self.tr("loading {0} ...").format(Path(path).name))
        self._start_forward(outcome)

    def download_imagenet(self, variant: str = DEFAULT_VARIANT, url: str | None = None) -> None:
        """Download torchvision's ImageNet ResNet50 weights in a worker, then use them."""
        job = self.model.download(variant, url)
        self.controls.set_download_progress(0.0)
        self._show_status(self.tr("Downloading {0} ...").format(variant))
        self.download_runner.submit(job.function, *job.args)

    def _download_progressed(self, _generation: int, fraction: float) -> None:
        self.controls.set_download_progress(fraction)

    def cancel_download(self) -> None:
        self.model.cancel_download()
        self.download_runner.cancel()  # progress still queued from this download is dropped
        self.controls.set_download_progress(None)
        self._show_status(self.tr("Download cancelled; nothing was saved."))

    def _download_done(self, _generation: int, path) -> None:
        self.controls.set_download_progress(None)
        self._start_forward(self.model.downloaded(path))

    def _download_failed(self, _generation: int, error) -> None:
        self.model.download_failed(error)
        self.controls.set_download_progress(None)
        message = translated_sentence(str(error)) if isinstance(error, UserError) else self.tr("Download failed: {0}").format(error)
        self._show_status(message, error=True)
        self.error_occurred.emit(message)

    # ------------------------------------------------------------------ export

    def _choose_mosaic_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export mosaic"), f"{self.model.node}.png", self.tr("PNG images (*.png)"))
        if path:
            self.export_mosaic(path)

    def _choose_channel_export(self) -> None:
        name = f"{self.model.node}_ch{self.model.channel}.png"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export channel"), name, self.tr("PNG images (*.png)"))
        if path:
            self.export_channel(path)

    def export_mosaic(self, path: str | Path) -> Path | None:
        """Save the mosaic in its colours as a PNG; None if nothing is shown or it cannot be written."""
        picture = self.mosaic.picture()
        return None if picture is None else self._save(picture, path)

    def export_channel(self, path: str | Path) -> Path | None:
        """Save the channel in its colours, enlarged to at least 256 pixels, as a PNG."""
        self._draw_if_stale(self.channel_view)  # the model's channel, even with its tab hidden
        picture = self.channel_view.picture(256)
        return None if picture is None else self._save(picture, path)

    def _save(self, rgb: np.ndarray, path) -> Path | None:
        try:
            saved = save_png(rgb, path)
        except UserError as error:
            self.error_occurred.emit(str(error))
            return None
        self.status_message.emit(self.tr("Saved {0}").format(saved))
        return saved

    # ------------------------------------------------------------------ settings and sentences

    def _show_settings(self) -> None:
        """Write the model's settings into the controls (without their signals calling back)."""
        controls, mosaic = self.controls, self.mosaic
        with signals_blocked(controls.arch_box, controls.size_box, mosaic.scope_box, mosaic.sort_box):
            controls.set_arch(self.model.arch)
            controls.set_size(self.model.size)
            mosaic.set_scope(self.model.scope)
            mosaic.set_sort(self.model.sort)

    def _show_weights(self, weights: WeightsSource) -> None:
        self.controls.set_weights_label(_weights_name(weights), random=weights.is_random)
        p = weights.preprocessing
        normalisation = (self.tr("{0} normalisation, trained at {1}x{1}").format(p.name, p.trained_size)
                         if p.trained_size else self.tr("{0} normalisation").format(p.name))
        self.controls.set_convention(f"{convention_label(weights.convention)}; {normalisation}",
                                     mindspore=weights.convention != TORCHVISION)

    def _switch_text(self, switch: ArchitectureSwitch) -> str:
        return self.tr("{0} holds {1} weights, not {2}: switched the architecture to {1}.").format(
            switch.file_name, switch.file_arch, switch.chosen_arch)

    def _show_status(self, text: str, error: bool = False) -> None:
        colour = "#c02020" if error else "palette(text)"
        self.status.setText(f"<span style='color:{colour}'>{text}</span>")
        self.status_message.emit(text)


def _weights_name(weights: WeightsSource) -> str:
    """The weights' label in the user's language (the random initialisation's is marked in core)."""
    return QCoreApplication.translate("ResNetControls", weights.label) if weights.is_random else weights.label
