"""What the robustness campaign (scripts/fuzz.py) found in the core, kept so that it stays fixed.

The damaged files are the campaign's own mutations (tests/data/fuzz_findings); before the
fixes each one escaped as a ValueError, TypeError or struct.error from Pillow or pypng, or
decoded into NaN pixels.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image

from viewer.core.errors import ImageLoadError
from viewer.core.images import decode_image
from viewer.core.pooling import PoolSteps, average_of_samples, pool2d

FINDINGS = Path(__file__).resolve().parents[1] / "data" / "fuzz_findings"


@pytest.mark.parametrize("path", sorted(FINDINGS.iterdir()), ids=lambda p: p.name)
def test_every_damaged_file_found_is_a_sentence_or_a_clean_image(path):
    try:
        image = decode_image(path)
    except ImageLoadError as error:
        assert path.name in str(error) and "damaged or truncated" in str(error)
        return
    p = image.pixels
    assert np.isfinite(p).all() and p.min() >= 0 and p.max() <= 1


def test_a_float_tiff_with_nan_and_infinities_decodes_to_finite_pixels(tmp_path):
    values = np.array([[0.0, np.nan, 2.0], [np.inf, -np.inf, 3.4e38]], np.float32)
    path = tmp_path / "odd.tif"
    Image.fromarray(values, "F").save(path)
    pixels = decode_image(path).pixels
    assert np.isfinite(pixels).all() and pixels.min() >= 0 and pixels.max() <= 1
    assert pixels[1, 2, 0] == 1.0 and pixels[0, 1, 0] == pixels[0, 0, 0]  # NaN counts as 0


@pytest.mark.parametrize("mode", ["avg", "stochastic"])
def test_a_map_near_float32s_limit_pools_to_finite_numbers(mode):
    """A diverging network's finite feature map: sums of squares beyond float32 are taken in float64."""
    x = torch.full((1, 6, 6), 3e37)
    x[0, 0, 0] = 3.4e38
    out = pool2d(x, mode, 2, 2)
    assert torch.isfinite(out).all()
    if mode == "avg":
        torch.testing.assert_close(out, F.avg_pool2d(x.double(), 2, 2).float())
    steps = PoolSteps(x[0].numpy(), "stochastic", 2, 2, training=True, seed=1)
    assert np.isfinite(steps.output).all() and steps.output[0, 0] in x[0, :2, :2].numpy()
    assert np.isfinite(average_of_samples(x[0].numpy(), 2, 2, n=5)).all()


@pytest.mark.parametrize(
    "values",
    [
        np.array([[1e-45, 0.0], [2e-45, 1e-45]], np.float32),  # a range float32 cannot divide by
        np.array([[3.3e38, -3.3e38], [0.0, 1.0]], np.float32),  # x - low overflows float32
        np.array([[3e38, 3e38], [3e38, 3.0000003e38]], np.float32),  # far from zero
    ],
    ids=["denormal", "both-limits", "far-from-zero"],
)
def test_the_input_picture_of_extreme_numbers_is_drawn_without_overflow(values):
    from viewer.core.conv import ConvSteps, input_rgb

    with np.errstate(all="raise"):
        rgb = input_rgb(ConvSteps(values, np.ones((1, 1), np.float32) * 1e-3))
    assert rgb.dtype == np.uint8 and rgb.min() == 0 and rgb.max() == 255
