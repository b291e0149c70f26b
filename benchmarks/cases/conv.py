"""Convolution lab: a whole animation frame on a 512x512 photo, and cross_correlate's overhead over F.conv2d."""

from __future__ import annotations

import statistics
import time

import numpy as np

from benchmarks.gui import FRAME_MS, close, settle, shown
from benchmarks.harness import Result, case, compare, ensure_qapp


def _photo_224() -> np.ndarray:
    from viewer.core.samples import load_sample

    pixels = load_sample("astronaut").pixels
    step = pixels.shape[0] // 224
    return np.ascontiguousarray(pixels[: 224 * step : step, : 224 * step : step])


@case("conv.frame_512")
def frame_512(repeats: int) -> Result:
    """One frame of the lab's animation on the 512x512 astronaut (3x3 kernel, padding 1):
    the step and the repaint it causes, vs the 16.7 ms budget of a 60 Hz frame."""
    app = ensure_qapp()
    from viewer.core.samples import load_sample
    from viewer.ui.conv.page import ConvLabPage

    page = shown(ConvLabPage())
    page.set_image(load_sample("astronaut"))
    page.show_image_source("luminance")
    for box in (page.controls.sh, page.controls.sw, page.controls.ph, page.controls.pw):
        box.setValue(1)
    settle(app, page.is_busy)
    slide = page.model.result
    assert slide is not None and slide.steps.geometry.input_hw == (512, 512), "the photo was not shown"
    page.step_controls.set_granularity("cell")
    page.go_to(512 * 200)
    settle(app, page.is_busy)

    def one_frame() -> float:
        start = time.perf_counter()
        page.step_by(1)
        app.processEvents()  # the repaint of what the step changed, as the play timer's frame does
        return time.perf_counter() - start

    for _ in range(5):
        one_frame()
    frames = [one_frame() for _ in range(max(repeats, 1) * 10)]
    close(page)
    return Result(
        "conv.frame_512", figure=statistics.median(frames) * 1e3, baseline=FRAME_MS, unit="ms", target=0.5,
        baseline_name="one 60 Hz frame (16.7 ms)",
        floor="the repaint of the two 514x514 images (input and output) that each frame redraws",
        note="step + processEvents() on the shown page, 1400x900 offscreen; median of the frames",
    )


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
                   baseline_name="F.conv2d", note="3x224x224 input, 3x3 kernel, padding 1",
                   floor="F.conv2d itself (validation and two zero-copy conversions on top)")
