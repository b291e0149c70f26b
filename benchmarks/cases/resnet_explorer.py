"""ResNet explorer: a layer's mosaic, GUI stalls during a recompute and a switch, and what a user waits for."""

from __future__ import annotations

import statistics
import time

import numpy as np

from benchmarks.gui import FRAME_MS, GapRecorder, close, settle, shown
from benchmarks.harness import Result, case, compare, ensure_qapp, time_once


def _layer1_like(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.maximum(rng.normal(size=(256, 56, 56)), 0).astype(np.float32)


@case("explorer.layer1_mosaic")
def layer1_mosaic(repeats: int) -> Result:
    """256 channels of 56x56 rendered into the mosaic ImageItem vs a minimal single pass to the same picture."""
    ensure_qapp()
    import pyqtgraph as pg

    from viewer.core import colormaps, render

    maps = _layer1_like()
    item = pg.ImageItem(axisOrder="row-major")
    lut = colormaps.display_table(colormaps.SEQUENTIAL)
    rows, cols = 13, 20
    def project() -> None:
        mosaic = render.render_mosaic(maps, scope="layer")
        item.setImage(mosaic.indices, autoLevels=False, levels=(0, 255), lut=lut)
        item.render()  # build the QImage now, as a paint would

    import torch
    from PySide6.QtGui import QImage

    width, height = cols * 56, rows * 56
    canvas = np.zeros((height, width), np.uint8)
    scratch = np.empty((56, 56), np.float32)
    colour_table = [int(0xFF000000 | (r << 16) | (g << 8) | b) for r, g, b in lut[:, :3].tolist()]

    def baseline() -> None:
        # the least the same picture needs: the layer's range in one pass, one scale-and-cast
        # per tile through a cache-sized scratch, and the 8-bit image turned into RGB once
        low, high = (float(v) for v in torch.aminmax(torch.from_numpy(maps)))
        scale = np.float32(254.0 / (high - low))
        for k in range(256):
            r, c = divmod(k, cols)
            np.multiply(maps[k], scale, out=scratch)
            np.add(scratch, np.float32(1.5 - low * scale), out=scratch)
            canvas[r * 56:(r + 1) * 56, c * 56:(c + 1) * 56] = scratch
        image = QImage(canvas.data, width, height, width, QImage.Format.Format_Indexed8)
        image.setColorTable(colour_table)
        image.convertToFormat(QImage.Format.Format_RGB32)

    return compare(
        "explorer.layer1_mosaic",
        project,
        baseline,
        target=2.0,
        repeats=repeats,
        baseline_name="one range pass, one scale-and-cast per tile, Indexed8 QImage to RGB32",
        floor="the baseline: each value is read once for the range and once for its index, and the picture is made once",
        note="range, normalise to uint8 indices, tile (with gaps), setImage and the ImageItem's QImage",
    )


@case("explorer.event_loop_stall")
def event_loop_stall(repeats: int) -> Result:
    """Longest gap between 1 ms timer ticks while the page recomputes ResNet50 at 224x224."""
    app = ensure_qapp()
    from PySide6.QtCore import QTimer

    from viewer.core.samples import load_sample
    from viewer.ui.resnet.page import ResNetExplorerPage

    image = load_sample("astronaut")
    page = ResNetExplorerPage()
    page.resize(1400, 900)
    page.show()
    page.controls.set_arch("resnet50")
    page.controls.set_size(224)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))

    def one_recompute() -> float:
        ticks.clear()
        timer.start()
        page.set_image(image)
        deadline = time.perf_counter() + 300
        while page.is_busy() and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.0005)
        # a few more ticks so the display of the result is inside the measured window
        end = time.perf_counter() + 0.05
        while time.perf_counter() < end:
            app.processEvents()
        timer.stop()
        return max(np.diff(ticks)) * 1e3 if len(ticks) > 1 else float("inf")

    try:
        one_recompute()  # first run builds the model and loads torch's kernels
        stall = max(one_recompute() for _ in range(max(1, min(repeats, 3))))
    finally:
        close(page)
    return Result(
        "explorer.event_loop_stall",
        figure=stall,
        baseline=50.0,
        unit="ms",
        target=1.0,
        note="ResNet50 forward at 224x224 in a worker, result displayed; baseline is the 50 ms budget",
        baseline_name="50 ms budget",
        floor="about 1 ms (the timer's period) on an idle event loop",
    )


def _explorer(app, arch: str = "resnet50", size: int = 224):
    """A shown explorer page on the astronaut, computed."""
    from viewer.core.samples import load_sample
    from viewer.ui.resnet.page import ResNetExplorerPage

    page = shown(ResNetExplorerPage())
    page.controls.set_arch(arch)
    page.controls.set_size(size)
    page.set_image(load_sample("astronaut"))
    settle(app, page.is_busy)
    assert page.model.result is not None and page.model.result.arch == arch, "the explorer did not compute"
    return page


def _switch(app, page, arch: str) -> None:
    page.controls.set_arch(arch)
    settle(app, page.is_busy)
    assert page.model.result.arch == arch, f"the switch to {arch} was not shown"




@case("explorer.switch_gap")
def switch_gap(repeats: int) -> Result:
    """Longest GUI gap while the architecture switches 18 -> 152 -> 50 (up to 10 rounds) at 224x224."""
    app = ensure_qapp()
    page = _explorer(app)
    gaps = GapRecorder()
    gaps.start()
    settle(app, lambda: False, spin_s=0.3)
    idle = float(gaps.gaps_ms().max())
    worst: list[float] = []
    rounds = max(1, min(repeats, 10))
    try:
        for _ in range(rounds):
            for arch in ("resnet18", "resnet152", "resnet50"):
                gaps.start()
                _switch(app, page, arch)
                settle(app, lambda: False, spin_s=0.03)
                worst.append(float(gaps.gaps_ms().max()))
    finally:
        gaps.stop()
        close(page)
    over = sum(g > 33 for g in worst)
    return Result(
        "explorer.switch_gap", figure=max(worst), baseline=33.0, unit="ms", target=1.0,
        baseline_name="33 ms (two 60 Hz frames)",
        floor=f"{idle:.1f} ms: the longest gap of the same event loop idle",
        note=f"{len(worst)} switches ({rounds} rounds of 18 -> 152 -> 50), {over} with a gap over 33 ms; "
        f"median of the switches' worst gaps {statistics.median(worst):.1f} ms",
    )


@case("explorer.switch_resnet152")
def switch_resnet152(repeats: int) -> Result:
    """Switching 50 -> 152 at 224x224, request -> result shown, vs building ResNet152 on the meta
    device, our seeded init and one bare forward pass at the same size."""
    app = ensure_qapp()
    import torch
    from torch import nn

    from viewer.core import preprocess
    from viewer.core.resnet import initialise, resnet152

    page = _explorer(app)
    x = torch.from_numpy(np.ascontiguousarray(
        preprocess.normalize(page.model.result.fed_pixels, page.model.weights.preprocessing).numpy()))

    def meta_build_and_forward() -> None:
        with torch.device("meta"):
            model = resnet152(seed=None)
        model.to_empty(device="cpu")
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.reset_running_stats()
        initialise(model, 0)
        with torch.inference_mode():
            model.eval()(x)

    figures, baselines = [], []
    try:
        for _ in range(max(1, min(repeats, 3))):
            _switch(app, page, "resnet50")  # the cache holds one model: 152 is built again
            start = time.perf_counter()
            _switch(app, page, "resnet152")
            figures.append(time.perf_counter() - start)
            baselines.append(time_once(meta_build_and_forward))
    finally:
        close(page)
    return Result(
        "explorer.switch_resnet152", figure=statistics.median(figures) * 1e3,
        baseline=statistics.median(baselines) * 1e3, unit="ms", target=1.2,
        baseline_name="ResNet152 on the meta device + our init + one bare forward",
        floor="the baseline: the init draws 60M random numbers; capture keeps every output on top",
        note="untrained weights, 224x224 astronaut, page 1400x900 offscreen",
    )


@case("explorer.image_to_mosaic")
def image_to_mosaic(repeats: int) -> Result:
    """A new image (astronaut <-> camera) -> layer1's mosaic painted, ResNet50 at 224x224, vs one
    bare forward pass and one synchronous repaint of the page."""
    app = ensure_qapp()
    import torch

    from viewer.core import preprocess
    from viewer.core.samples import load_sample

    page = _explorer(app)
    images = [load_sample("camera"), load_sample("astronaut")]
    model = page.model.result.model
    x = preprocess.normalize(page.model.result.fed_pixels, page.model.weights.preprocessing)

    def new_image(index: int):
        def run() -> None:
            page.set_image(images[index % 2])
            settle(app, page.is_busy)

        return run

    def forward_and_paint() -> None:
        with torch.inference_mode():
            model(x)
        page.repaint()

    counter = iter(range(10**6))
    try:
        result = compare("explorer.image_to_mosaic", lambda: new_image(next(counter))(), forward_and_paint,
                         target=1.2, repeats=max(1, min(repeats, 10)), warmup=1,
                         baseline_name="bare ResNet50 forward + one repaint of the page",
                         floor="the baseline: the forward pass and one paint of what changed",
                         note="page alone, 1400x900 offscreen, untrained weights, layer1 shown")
    finally:
        close(page)
    return result


@case("explorer.layer_select")
def layer_select(repeats: int) -> Result:
    """A node selected (layer1 <-> layer2.0.conv2) -> its mosaic painted, ResNet50 at 224x224, vs one 60 Hz frame."""
    app = ensure_qapp()
    page = _explorer(app)
    nodes = ["layer2.0.conv2", "layer1"]
    times = []
    try:
        for index in range(max(1, repeats) * 2 + 2):
            start = time.perf_counter()
            page.select_node(nodes[index % 2])
            settle(app, page.is_busy)
            times.append(time.perf_counter() - start)
            assert page.model.node_view.name == nodes[index % 2]
    finally:
        close(page)
    return Result(
        "explorer.layer_select", figure=statistics.median(times[2:]) * 1e3, baseline=FRAME_MS, unit="ms",
        target=1.0, baseline_name="one 60 Hz frame (16.7 ms)",
        floor="about 8 ms: rendering the mosaic (1-2 ms) and repainting the views that show the node",
        note="select_node on the shown page until idle and painted; alternating nodes",
    )
