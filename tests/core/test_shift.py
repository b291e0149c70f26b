"""Translation invariance, checked against PyTorch's own operators on shifted inputs."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F  # noqa: N812

from viewer.core.conv import ConvSteps
from viewer.core.shift import conv_shift, conv_shift_of_steps, pool_shift, shift_map


def _torch_shift(x: torch.Tensor, dy: int, dx: int) -> torch.Tensor:
    """The shift written with torch.roll and a zeroed band: an independent spelling."""
    out = torch.roll(x, shifts=(dy, dx), dims=(-2, -1))
    if dy > 0:
        out[..., :dy, :] = 0
    elif dy < 0:
        out[..., dy:, :] = 0
    if dx > 0:
        out[..., :, :dx] = 0
    elif dx < 0:
        out[..., :, dx:] = 0
    return out


@pytest.mark.parametrize("dy, dx", [(0, 0), (2, 3), (-1, 4), (5, -2), (-3, -3)])
def test_shift_map_moves_content_and_fills_zeros(dy, dx):
    x = np.arange(1, 8 * 9 + 1, dtype=np.float32).reshape(1, 8, 9)
    np.testing.assert_array_equal(shift_map(x, dy, dx), _torch_shift(torch.from_numpy(x), dy, dx).numpy())


def test_a_shift_past_the_map_leaves_nothing():
    assert not shift_map(np.ones((4, 4), np.float32), 4, 0).any()


@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("mode", ["zeros", "reflect"])
def test_conv_shift_matches_conv2d_and_moves_by_shift_over_stride(stride, mode):
    rng = np.random.default_rng(stride)
    x = rng.standard_normal((2, 19, 23)).astype(np.float32)
    kernel = rng.standard_normal((2, 3, 3)).astype(np.float32)
    dy, dx = 2 * stride, -stride
    result = conv_shift(x, kernel, 0.25, stride, 1, 1, mode, (dy, dx))
    weight = torch.from_numpy(kernel)[None]
    bias = torch.tensor([0.25])

    def conv(t: torch.Tensor) -> np.ndarray:
        padded = F.pad(t[None], (1, 1, 1, 1), mode="constant" if mode == "zeros" else mode)
        return F.conv2d(padded, weight, bias, stride=stride)[0, 0].numpy()

    expected = conv(torch.from_numpy(x))
    expected_shifted = conv(_torch_shift(torch.from_numpy(x), dy, dx))
    np.testing.assert_allclose(result.output, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(result.shifted_output, expected_shifted, rtol=1e-5, atol=1e-5)
    assert result.output_shift == (2, -1)
    oy, ox = result.output_shift
    ho, wo = expected.shape
    for i in range(ho):
        for j in range(wo):
            assert result.compared[i, j] == (0 <= i + oy < ho and 0 <= j + ox < wo)
            if not (0 <= i + oy < ho and 0 <= j + ox < wo):
                assert result.difference[i, j] == 0
                assert not result.interior[i, j]
                continue
            diff = expected_shifted[i + oy, j + ox] - expected[i, j]
            assert result.difference[i, j] == pytest.approx(diff, abs=1e-4)
            if result.interior[i, j]:
                assert abs(diff) < 1e-4  # equal away from the borders
    assert result.interior.any()
    assert result.interior_max < 1e-4
    if mode == "reflect":  # the reflected padding differs once the content moved
        assert result.border_max > 0.01


def test_a_shift_the_stride_does_not_divide_has_no_aligned_difference():
    x = np.random.default_rng(0).random((1, 10, 10), dtype=np.float32)
    result = conv_shift(x, np.ones((1, 3, 3), np.float32), 0.0, 2, 0, 1, "zeros", (1, 2))
    assert result.output_shift is None and result.difference is None
    assert result.interior_max is None and result.border_max is None


def test_conv_shift_of_a_labs_steps_uses_its_unpadded_input():
    rng = np.random.default_rng(3)
    x = rng.random((1, 12, 12), dtype=np.float32)
    kernel = rng.random((1, 3, 3), dtype=np.float32)
    steps = ConvSteps(x, kernel, 0.5, (2, 2), (1, 2), padding_mode="replicate", padding_end=(2, 1))
    direct = conv_shift(x, kernel, 0.5, (2, 2), (1, 2), (1, 1), "replicate", (2, 2), padding_end=(2, 1))
    via_steps = conv_shift_of_steps(steps, (2, 2))
    np.testing.assert_array_equal(via_steps.output, steps.output)
    np.testing.assert_array_equal(via_steps.shifted_output, direct.shifted_output)


def test_max_pooling_is_unchanged_by_shifts_inside_one_window():
    # one bright peak in the middle of every 4x4 window: a shift by one pixel keeps it inside
    x = np.zeros((16, 16), np.float32)
    x[1::4, 1::4] = np.arange(1, 17, dtype=np.float32).reshape(4, 4)
    for shift in [(1, 1), (-1, 2), (2, -1), (0, 1)]:
        result = pool_shift(x, 4, 4, 0, shift)
        expected = F.max_pool2d(_torch_shift(torch.from_numpy(x), *shift)[None], 4, 4)[0].numpy()
        np.testing.assert_array_equal(result.shifted_max_output, expected)
        assert result.max_unchanged == result.cells == 16
        assert not result.max_difference.any()
        assert result.avg_unchanged == 16  # one peak per window: the mean keeps too
        assert result.max_mean_change == 0.0
    moved_out = pool_shift(x, 4, 4, 0, (3, 0))  # a peak at row 1 + 3 = 4 lands in the next window
    assert moved_out.max_unchanged < moved_out.cells


def test_pool_shift_matches_max_and_avg_pool2d():
    x = np.random.default_rng(5).random((15, 17), dtype=np.float32)
    result = pool_shift(x, 3, 2, 1, (1, -2))
    t = torch.from_numpy(x)[None]
    shifted = _torch_shift(t, 1, -2)
    np.testing.assert_array_equal(result.max_output, F.max_pool2d(t, 3, 2, 1)[0].numpy())
    np.testing.assert_array_equal(result.shifted_max_output, F.max_pool2d(shifted, 3, 2, 1)[0].numpy())
    np.testing.assert_allclose(result.shifted_avg_output, F.avg_pool2d(shifted, 3, 2, 1)[0].numpy(), rtol=1e-6)
    assert result.max_unchanged == int((result.max_output == result.shifted_max_output).sum())
