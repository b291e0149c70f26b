"""Colour: the stored tables, the colour levels of a picture, values to RGB."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from viewer.core import colormaps


def test_every_choice_has_a_read_only_256_entry_table():
    for name in colormaps.CHOICES:
        table = colormaps.lookup_table(name)
        assert table.shape == (256, 3) and table.dtype == np.uint8 and not table.flags.writeable
    gray = colormaps.lookup_table(colormaps.GRAY)
    assert tuple(gray[0]) == (0, 0, 0) and tuple(gray[255]) == (255, 255, 255)
    with pytest.raises(colormaps.UnknownColormapError, match="choose one of viridis"):
        colormaps.lookup_table("jet")


def test_display_table_reserves_the_gap_colour():
    table = colormaps.display_table(colormaps.GRAY)
    assert table.shape == (256, 3) and tuple(table[colormaps.GAP_INDEX]) == colormaps.GAP_RGB
    assert tuple(table[1]) == (0, 0, 0) and tuple(table[255]) == (255, 255, 255)
    rgb = colormaps.colorize_indices(np.array([[0, 255]], np.uint8), colormaps.GRAY)
    assert rgb.shape == (1, 2, 3) and tuple(rgb[0, 1]) == (255, 255, 255)


def test_indices_span_1_to_255_and_flat_channels_sit_in_the_middle():
    maps = np.stack([np.linspace(0, 1, 12).reshape(3, 4), np.full((3, 4), 2.0)]).astype(np.float32)
    idx = colormaps.to_indices(maps, np.array([0.0, 2.0]), np.array([1.0, 2.0]))
    assert idx[0].min() == 1 and idx[0].max() == 255
    assert np.all(idx[1] == 128)


def test_levels_centre_signed_maps_only():
    assert colormaps.levels(np.array([[0.5, 2.0]])) == (0.5, 2.0)
    assert colormaps.levels(np.array([[-3.0, 1.0]])) == (-3.0, 3.0)
    assert colormaps.levels(np.array([[-1.0, 4.0]])) == (-4.0, 4.0)
    assert colormaps.levels(np.zeros((0, 3))) == (0.0, 1.0)
    assert colormaps.levels(np.full((2, 2), 3.0)) == (3.0, 4.0)  # flat: still a range to draw with
    assert colormaps.levels(np.zeros((2, 2)), centre=True) == (-1.0, 1.0)


def test_levels_from_zero_and_forced_centring():
    assert colormaps.levels(np.array([2.0, 5.0]), from_zero=True) == (0.0, 5.0)
    assert colormaps.levels(np.array([2.0, 5.0]), from_zero=True, centre=True) == (-5.0, 5.0)
    assert colormaps.levels(np.array([-2.0, 5.0]), from_zero=True, centre=False) == (-2.0, 5.0)


def test_robust_levels_ignore_a_few_extremes_on_large_maps():
    values = np.linspace(-1, 1, 10_000, dtype=np.float32)
    values[0] = -100.0
    low, high = colormaps.levels(values, robust=True)
    assert high == pytest.approx(float(np.percentile(np.abs(values), 99.5))) and low == -high
    small = np.array([-100.0, 0.5, 1.0], np.float32)
    assert colormaps.levels(small, robust=True) == (-100.0, 100.0)  # small grids keep the exact extremes


@given(hnp.arrays(np.float32, st.integers(1, 40), elements=st.floats(-1e6, 1e6, width=32)))
def test_colorize_lands_every_value_on_the_scale(values):
    value_levels = colormaps.levels(values)
    low, high = value_levels
    assert low < high and np.isfinite([low, high]).all()
    rgb = colormaps.colorize(values[None], value_levels, colormaps.SEQUENTIAL)
    assert rgb.shape == (1, values.size, 3)
    indices = colormaps.to_indices(values, low, high)
    assert indices.min() >= 1 and indices.max() <= 255
