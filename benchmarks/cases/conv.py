"""Convolution lab: one animation step's render, and cross_correlate's overhead over F.conv2d."""

from __future__ import annotations

import numpy as np

from benchmarks.harness import case, compare, ensure_qapp


def _photo_224() -> np.ndarray:
    from viewer.core.samples import load_sample

    pixels = load_sample("astronaut").pixels
    step = pixels.shape[0] // 224
    return np.ascontiguousarray(pixels[: 224 * step : step, : 224 * step : step])


@case("conv.step_render")
def step_render(repeats: int):
    """Advance the lab one step on a 224x224 photo (3x3 kernel, padding 1) vs one setImage of it."""
    app = ensure_qapp()
    import pyqtgraph as pg

    from viewer.core.images import DecodedImage
    from viewer.ui.conv.page import ConvLabPage

    pixels = _photo_224()
    page = ConvLabPage()
    page.resize(1400, 900)
    page.set_image(DecodedImage(pixels, "astronaut 224", "benchmark"))
    page.show_image_source("luminance")
    for box in (page.controls.sh, page.controls.sw, page.controls.ph, page.controls.pw):
        box.setValue(1)
    import time

    deadline = time.perf_counter() + 60
    while page.is_busy() and time.perf_counter() < deadline:  # a photo is computed in a worker
        app.processEvents()
        time.sleep(0.002)
    slide = page.model.result
    assert slide is not None and slide.steps.geometry.input_hw == (224, 224), "the photo was not shown"
    page.step_controls.set_granularity("cell")
    page.go_to(224 * 100)
    app.processEvents()
    item = pg.ImageItem(axisOrder="row-major")
    gray = np.ascontiguousarray(pixels.mean(axis=2), dtype=np.float32)

    def one_step():
        page.step_by(1)
        if page.current_step() >= len(slide.steps) - 1:
            page.go_to(0)

    def set_image():
        # setImage only stores the array; the O(image) conversion to a QImage happens at the next
        # paint. render() does that conversion now, so that the baseline is a frame's real cost.
        item.setImage(gray, autoLevels=False, levels=(0.0, 1.0))
        item.render()

    result = compare("conv.step_render", one_step, set_image, target=3.0, repeats=max(repeats, 1) * 20,
                     baseline_name="ImageItem.setImage(224x224) + render()",
                     note="a step moves overlays and fills the 3x3 grids and labels; no image is converted again")
    page.deleteLater()
    return result


@case("conv.cross_correlate")
def cross_correlate_case(repeats: int):
    """cross_correlate (validation, numpy<->torch) vs bare F.conv2d on a 3x224x224 photo, 3x3 kernel."""
    import torch
    import torch.nn.functional as F

    from viewer.core.conv import cross_correlate

    x = np.ascontiguousarray(np.transpose(_photo_224(), (2, 0, 1)))
    kernel = np.random.default_rng(0).standard_normal((3, 3, 3)).astype(np.float32)
    xt, kt, bt = torch.from_numpy(x)[None], torch.from_numpy(kernel)[None], torch.zeros(1)

    return compare("conv.cross_correlate", lambda: cross_correlate(x, kernel, 0.0, 1, 1),
                   lambda: F.conv2d(xt, kt, bt, 1, 1), target=1.5, repeats=max(repeats, 1) * 10,
                   baseline_name="F.conv2d", note="3x224x224 input, 3x3 kernel, padding 1")
