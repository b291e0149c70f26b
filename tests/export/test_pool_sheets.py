"""The pooling comparison sheet and the stepping frames."""

import numpy as np

from viewer.core.pooling import PoolSteps
from viewer.export.pool_sheets import _font, _wrap, comparison_image, step_frames


def test_caption_wraps_to_the_sheet_width():
    font = _font(14)
    text = "cat.jpg, luminance: window 2x2, stride 2, padding 0 per side; average counts padding in its divisor"
    lines = _wrap(text, font, 250)
    assert len(lines) > 1
    assert all(font.getlength(line) <= 250 for line in lines)
    assert " ".join(lines) == text


def test_sheet_and_frames_show_every_map():
    x = np.random.default_rng(0).random((12, 12), dtype=np.float32)
    steps = {mode: PoolSteps(x, mode, 2, 2) for mode in ("max", "avg")}
    outputs = {mode: s.output for mode, s in steps.items()}
    sheet = comparison_image(x, {**outputs, "stochastic": None}, colormap="gray", footer="a footer")
    assert sheet.width > 3 * 256
    frames = step_frames(steps, range(3, 6))
    assert len(frames) == 3 and frames[0].size == frames[2].size
    assert not np.array_equal(np.asarray(frames[0]), np.asarray(frames[1]))  # the window moved
