"""Kernel presets and typed kernels."""

import numpy as np
import pytest

from viewer.core.kernels import (
    MAX_KERNEL_SIDE,
    PRESET_NAMES,
    PRESETS,
    make_kernel,
    parse_kernel_text,
    resolve_kernel,
)

REQUIRED = ("identity", "box_blur", "gaussian", "sharpen", "sobel_x", "sobel_y", "prewitt_x", "prewitt_y",
            "laplacian", "emboss", "outline", "random", "custom")


def test_every_required_preset_exists_with_title_and_description():
    for name in REQUIRED:
        assert name in PRESET_NAMES
        assert PRESETS[name].title and PRESETS[name].description


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_presets_are_float32_and_finite(name):
    kernel = make_kernel(name, (5, 3))
    assert kernel.dtype == np.float32 and kernel.ndim == 2
    assert np.isfinite(kernel).all()
    kernel[0, 0] = 99  # a fresh copy every time: editing it cannot change the preset
    assert make_kernel(name, (5, 3))[0, 0] != 99 or name == "random"


def test_resizable_presets_follow_the_size():
    assert make_kernel("box_blur", (3, 5)).shape == (3, 5)
    assert make_kernel("box_blur", 4).sum() == pytest.approx(1.0)
    gaussian = make_kernel("gaussian", 7)
    assert gaussian.sum() == pytest.approx(1.0, abs=1e-6)
    assert gaussian[3, 3] == gaussian.max()
    np.testing.assert_allclose(gaussian, gaussian.T)
    identity = make_kernel("identity", 5)
    assert identity[2, 2] == 1 and identity.sum() == 1


def test_fixed_presets_are_the_textbook_kernels():
    np.testing.assert_array_equal(make_kernel("sobel_x", 7), [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    np.testing.assert_array_equal(make_kernel("sobel_y"), make_kernel("sobel_x").T)
    np.testing.assert_array_equal(make_kernel("prewitt_y"), make_kernel("prewitt_x").T)
    for zero_sum in ("sobel_x", "sobel_y", "prewitt_x", "laplacian", "outline"):
        assert make_kernel(zero_sum).sum() == 0
    assert make_kernel("sharpen").sum() == 1


def test_random_is_seeded():
    np.testing.assert_array_equal(make_kernel("random", 3, seed=4), make_kernel("random", 3, seed=4))
    assert not np.array_equal(make_kernel("random", 3, seed=4), make_kernel("random", 3, seed=5))


def test_bad_names_and_sizes_are_refused():
    with pytest.raises(ValueError, match="Unknown kernel 'sobel'"):
        make_kernel("sobel")
    with pytest.raises(ValueError, match=f"between 1 and {MAX_KERNEL_SIDE}"):
        make_kernel("box_blur", 12)
    with pytest.raises(ValueError, match="between 1 and"):
        make_kernel("gaussian", (0, 3))


def test_parse_kernel_text():
    np.testing.assert_array_equal(parse_kernel_text("-1,0,1; -2,0,2\n-1 0 1"), make_kernel("sobel_x"))
    assert parse_kernel_text("0.5").shape == (1, 1)
    with pytest.raises(ValueError, match="same number of values"):
        parse_kernel_text("1,2;3")
    with pytest.raises(ValueError, match="row 2"):
        parse_kernel_text("1,2;3,x")
    with pytest.raises(ValueError, match="empty"):
        parse_kernel_text(" ; ")
    with pytest.raises(ValueError, match="finite"):
        parse_kernel_text("1, nan")


def test_resolve_kernel_accepts_names_and_matrices():
    np.testing.assert_array_equal(resolve_kernel("sobel_x"), resolve_kernel("-1,0,1;-2,0,2;-1,0,1"))
    with pytest.raises(ValueError, match="choose one of"):
        resolve_kernel("blur")
