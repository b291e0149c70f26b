"""Resizing, ImageNet normalisation and its inverse."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from viewer.core.errors import UserError
from viewer.core.preprocess import (
    IMAGENET_MEAN,
    IMAGENET_STD,
    INPUT_SIZES,
    fed_size,
    normalize,
    resize_pixels,
)


def image(height: int, width: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((height, width, 3), dtype=np.float32)


def test_constants():
    assert INPUT_SIZES == (32, 64, 128, 224)
    assert IMAGENET_MEAN == (0.485, 0.456, 0.406) and IMAGENET_STD == (0.229, 0.224, 0.225)


@pytest.mark.parametrize("size", INPUT_SIZES)
def test_square_sizes(size):
    tensor = normalize(resize_pixels(image(90, 150), size))
    assert tensor.shape == (1, 3, size, size) and tensor.dtype == torch.float32
    assert tensor.is_contiguous()


def test_square_size_crops_the_centre_keeping_aspect():
    pixels = np.zeros((100, 300, 3), np.float32)
    pixels[:, 100:200] = 1.0  # the middle third is white
    fed = resize_pixels(pixels, 32)
    assert fed.shape == (32, 32, 3)
    # the crop is the white centre (a squashed image would be two-thirds black); only the
    # antialiasing filter softens the outermost columns
    assert fed[:, 2:-2].min() > 0.99 and fed.min() > 0.8


def test_own_size_is_capped_keeping_aspect():
    assert resize_pixels(image(40, 60), None).shape == (40, 60, 3)
    fed = resize_pixels(image(300, 1200), None, max_size=512)
    assert fed.shape == (128, 512, 3)
    assert fed_size((300, 1200), None, 512) == (128, 512)
    assert normalize(resize_pixels(image(300, 1200), None, 512)).shape == (1, 3, 128, 512)


def test_normalize_matches_the_formula():
    pixels = image(8, 5)
    tensor = normalize(pixels)
    assert tensor.shape == (1, 3, 8, 5) and tensor.is_contiguous()
    mean = np.array(IMAGENET_MEAN, np.float32)[:, None, None]
    std = np.array(IMAGENET_STD, np.float32)[:, None, None]
    np.testing.assert_allclose(tensor[0].numpy(), (np.transpose(pixels, (2, 0, 1)) - mean) / std, rtol=1e-5, atol=1e-6)


@given(
    st.integers(1, 60), st.integers(1, 60), st.sampled_from([None, 1, 7, 32]), st.integers(1, 64)
)
def test_resize_shape_and_range(height, width, size, max_size):
    fed = resize_pixels(image(height, width), size, max_size)
    assert fed.shape[:2] == fed_size((height, width), size, max_size)
    assert fed.min() >= 0.0 and fed.max() <= 1.0
    assert fed.flags["C_CONTIGUOUS"]
    if size is None:
        assert max(fed.shape[:2]) <= max(max_size, 1)


def test_grey_and_rgba_are_accepted():
    assert resize_pixels(np.ones((10, 10), np.float32), 8).shape == (8, 8, 3)
    assert resize_pixels(np.ones((10, 10, 4), np.float32), 8).shape == (8, 8, 3)


@pytest.mark.parametrize(
    ("pixels", "size"),
    [
        (np.zeros((4, 4, 2), np.float32), 32),
        (np.zeros((0, 4, 3), np.float32), 32),
        (np.full((4, 4, 3), np.nan, np.float32), 32),
        (np.zeros((4, 4, 3), np.float32), 0),
        (np.zeros((4, 4, 3), np.float32), 2.5),
        (np.zeros((4, 4, 3), np.float32), True),
    ],
)
def test_bad_input_is_a_user_error(pixels, size):
    with pytest.raises(UserError):
        normalize(resize_pixels(pixels, size))
