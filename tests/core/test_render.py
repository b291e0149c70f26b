"""Tensors -> display arrays: normalisation scopes, mosaics, sorting, statistics."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.core import colormaps, render


def _maps(seed=0, c=10, h=5, w=7, signed=False):
    rng = np.random.default_rng(seed)
    maps = rng.normal(size=(c, h, w)).astype(np.float32) * np.arange(1, c + 1, dtype=np.float32)[:, None, None]
    return maps if signed else np.maximum(maps, 0)


def test_as_maps_accepts_batches_and_vectors():
    assert render.as_maps(np.zeros((1, 4, 3, 2))).shape == (4, 3, 2)
    assert render.as_maps(np.zeros((1, 10))).shape == (10, 1, 1)
    with pytest.raises(ValueError):
        render.as_maps(np.zeros((2, 4, 3, 2)))


def test_channel_stats_match_numpy():
    maps = _maps(signed=True)
    stats = render.channel_stats(maps)
    np.testing.assert_allclose(stats.mean, maps.reshape(10, -1).mean(1), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(stats.maximum, maps.reshape(10, -1).max(1))
    np.testing.assert_allclose(stats.zero_fraction, (maps <= 0).reshape(10, -1).mean(1))
    assert stats.signed


@pytest.mark.parametrize("key", ["mean", "max", "sparsity"])
def test_sorting_puts_the_largest_first(key):
    stats = render.channel_stats(_maps())
    order = render.channel_order(stats, key)
    values = {"mean": stats.mean, "max": stats.maximum, "sparsity": stats.zero_fraction}[key][order]
    assert np.all(np.diff(values) <= 0)
    assert sorted(order) == list(range(10))


def test_unknown_sort_and_scope_are_refused():
    stats = render.channel_stats(_maps())
    with pytest.raises(ValueError):
        render.channel_order(stats, "median")
    with pytest.raises(ValueError):
        render.value_range(stats, "image")
    with pytest.raises(ValueError):
        render.value_range(stats, "global")


def test_signed_ranges_are_symmetric_and_layer_scope_is_shared():
    stats = render.channel_stats(_maps(signed=True))
    low, high = render.value_range(stats, "layer")
    assert np.all(low == -high) and len(set(high.tolist())) == 1
    low, high = render.value_range(stats, "channel")
    np.testing.assert_allclose(low, -high)
    assert len(set(high.tolist())) == 10
    low, high = render.value_range(stats, "global", (-1.0, 50.0))
    assert np.all(low == -50) and np.all(high == 50)


@settings(max_examples=30)
@given(st.integers(1, 70), st.integers(1, 9), st.integers(1, 9), st.sampled_from(render.SORT_KEYS), st.sampled_from(render.SCOPES))
def test_every_channel_lands_in_its_tile(c, h, w, sort, scope):
    maps = _maps(c=c, h=h, w=w, signed=True, seed=c)
    if c % 3 == 0:
        maps[c // 2] = 0.5  # a flat channel
    mosaic = render.render_mosaic(maps, sort=sort, scope=scope, global_range=(float(maps.min()) - 1, float(maps.max()) + 1))
    layout = mosaic.layout
    assert mosaic.indices.shape == layout.shape and mosaic.indices.dtype == np.uint8
    assert mosaic.indices.flags.c_contiguous
    assert sorted(layout.order) == list(range(c))
    expected = colormaps.to_indices(maps, mosaic.low, mosaic.high)
    for channel in range(c):
        y, x = layout.slot_origin(layout.slot_of(channel))
        np.testing.assert_array_equal(mosaic.indices[y : y + h, x : x + w], expected[channel])
        assert layout.locate(y + h - 1, x + w - 1) == (channel, h - 1, w - 1)
    # gaps and empty slots use the reserved index only
    assert (mosaic.indices == colormaps.GAP_INDEX).sum() == mosaic.indices.size - c * h * w


def test_locate_on_a_gap_is_none():
    mosaic = render.render_mosaic(_maps(c=4, h=32, w=32))
    assert mosaic.layout.gap >= 1
    assert mosaic.layout.locate(5, 32) is None
    assert mosaic.layout.locate(-1, 0) is None


def test_layer_scope_keeps_relative_strength_channel_scope_does_not():
    maps = _maps(c=2, h=4, w=4) + 0.0
    maps[0] *= 0.01
    layer = render.render_mosaic(maps, scope="layer")
    per_channel = render.render_mosaic(maps, scope="channel")
    tile = lambda m, ch: m.indices[slice(*(lambda y: (y, y + 4))(m.layout.slot_origin(ch)[0])), slice(*(lambda x: (x, x + 4))(m.layout.slot_origin(ch)[1]))]  # noqa: E731
    assert tile(layer, 0).max() < 10 and tile(per_channel, 0).max() == 255


def test_histogram_and_upsampling():
    counts, edges = render.histogram(np.array([1.0, 1.0, 1.0]), bins=4)
    assert counts.sum() == 3 and edges[0] < 1.0 < edges[-1]
    up = render.upsample_nearest(np.array([[1, 2], [3, 4]]), (4, 6))
    assert up.shape == (4, 6) and up[3, 5] == 4 and up[0, 0] == 1
