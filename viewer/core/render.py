"""Feature-map tensors -> arrays ready to show: normalisation, mosaics, sorting, statistics.

A layer's output is (C, H, W). The explorer shows all C channels as *one* image (a mosaic of
tiles) because one pyqtgraph ImageItem of 2,048 tiles is far cheaper than 2,048 widgets. The
mosaic holds uint8 *indices* into a display table (:func:`viewer.core.colormaps.display_table`):
index 0 is reserved for the gaps between tiles (a neutral grey), indices 1..255 are the
colormap. That keeps the data compact (one byte per pixel) and lets the view switch colormaps
without recomputing anything.

Normalisation scopes decide which values share one colour scale:

* ``"channel"``: every tile uses its own min/max (shows the pattern of weak channels too);
* ``"layer"``: all tiles of the layer share one range (shows which channels respond most);
* ``"global"``: a range the caller gives, e.g. over every layer of the forward pass.

Signed data (anything before a ReLU) is scaled symmetrically around zero so that a diverging
colormap puts zero at its neutral middle; non-negative data uses [min, max].
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from viewer.core.colormaps import GAP_INDEX

SCOPES = ("channel", "layer", "global")
SORT_KEYS = ("index", "mean", "max", "sparsity")


class ChannelStats:
    """Per-channel summary statistics of a (C, H, W) layer output, each an array of shape (C,).

    Each statistic is computed on first use and kept: rendering a mosaic needs only the
    minimum and maximum, sorting needs one more, the read-outs the rest.
    """

    def __init__(self, maps: np.ndarray) -> None:
        self._flat = np.ascontiguousarray(maps, np.float32).reshape(maps.shape[0], -1)

    @property
    def count(self) -> int:
        """Number of channels (costs no pass over the data)."""
        return int(self._flat.shape[0])

    @cached_property
    def minimum(self) -> np.ndarray:
        return self._flat.min(axis=1)

    @cached_property
    def maximum(self) -> np.ndarray:
        return self._flat.max(axis=1)

    @cached_property
    def mean(self) -> np.ndarray:
        return (self._flat.sum(axis=1, dtype=np.float64) / max(self._flat.shape[1], 1)).astype(np.float32)

    @cached_property
    def std(self) -> np.ndarray:
        n = max(self._flat.shape[1], 1)
        squares = np.einsum("ij,ij->i", self._flat, self._flat, dtype=np.float64) / n
        return np.sqrt(np.maximum(squares - self.mean.astype(np.float64) ** 2, 0.0)).astype(np.float32)

    @cached_property
    def zero_fraction(self) -> np.ndarray:
        """Fraction of values <= 0: exact zeros after a ReLU, "what a ReLU would zero" before one."""
        return (np.count_nonzero(self._flat <= 0.0, axis=1) / max(self._flat.shape[1], 1)).astype(np.float32)

    @property
    def signed(self) -> bool:
        return bool(self.minimum.size and float(self.minimum.min()) < 0.0)


@dataclass(frozen=True)
class MosaicLayout:
    """Where each channel's tile sits in the mosaic image (row-major pixels)."""

    rows: int
    cols: int
    tile_h: int
    tile_w: int
    gap: int
    order: tuple[int, ...]
    """Channel shown in each slot, slot 0 top-left, raster order."""

    @property
    def shape(self) -> tuple[int, int]:
        """Mosaic size; every tile, the last row and column included, is followed by its gap."""
        return (self.rows * (self.tile_h + self.gap), self.cols * (self.tile_w + self.gap))

    def slot_origin(self, slot: int) -> tuple[int, int]:
        """Top-left pixel (y, x) of a slot's tile."""
        r, c = divmod(slot, self.cols)
        return (r * (self.tile_h + self.gap), c * (self.tile_w + self.gap))

    def slot_of(self, channel: int) -> int:
        """Slot showing ``channel``; ``ValueError`` if it is not in the mosaic."""
        return self.order.index(channel)

    def locate(self, y: float, x: float) -> tuple[int, int, int] | None:
        """(channel, row, col) of the feature-map pixel under mosaic pixel (y, x), or None on a gap."""
        if y < 0 or x < 0:
            return None
        yi, xi = int(y), int(x)
        r, ry = divmod(yi, self.tile_h + self.gap)
        c, rx = divmod(xi, self.tile_w + self.gap)
        if ry >= self.tile_h or rx >= self.tile_w or r >= self.rows or c >= self.cols:
            return None
        slot = r * self.cols + c
        if slot >= len(self.order):
            return None
        return (self.order[slot], ry, rx)


@dataclass(frozen=True)
class Mosaic:
    """A rendered layer: uint8 lookup indices plus what is needed to read them back."""

    indices: np.ndarray
    """(H, W) uint8, C-contiguous; 0 = gap, 1..255 = colormap."""
    layout: MosaicLayout
    low: np.ndarray
    """(C,) value mapped to index 1, per channel (equal entries unless scope is "channel")."""
    high: np.ndarray
    """(C,) value mapped to index 255."""
    stats: ChannelStats
    scope: str
    sort: str


def as_maps(values: np.ndarray) -> np.ndarray:
    """Any layer output as (C, H, W) float32: drops a batch axis of 1; a vector becomes (N, 1, 1)."""
    array = np.asarray(values, dtype=np.float32)
    if array.ndim == 4:
        if array.shape[0] != 1:
            raise ValueError(f"expected a batch of one, got shape {array.shape}")
        array = array[0]
    elif array.ndim == 2:
        if array.shape[0] != 1:
            raise ValueError(f"expected a batch of one, got shape {array.shape}")
        array = array[0][:, None, None]
    elif array.ndim == 1:
        array = array[:, None, None]
    elif array.ndim != 3:
        raise ValueError(f"cannot show an array of shape {array.shape} as feature maps")
    return array


def channel_stats(maps: np.ndarray) -> ChannelStats:
    """Per-channel min, max, mean, std and fraction of values <= 0 of (C, H, W) maps."""
    return ChannelStats(as_maps(maps))


def channel_order(stats: ChannelStats, key: str) -> np.ndarray:
    """Channel indices in display order: by index, or by mean / max / sparsity, largest first.

    Ties keep channel order (stable sort), so the result is deterministic.
    """
    if key not in SORT_KEYS:
        raise ValueError(f"unknown sort key {key!r}; choose one of {', '.join(SORT_KEYS)}")
    if key == "index":
        return np.arange(stats.count)
    values = {"mean": stats.mean, "max": stats.maximum, "sparsity": stats.zero_fraction}[key]
    return np.argsort(-values.astype(np.float64), kind="stable")


def value_range(
    stats: ChannelStats, scope: str, global_range: tuple[float, float] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) per channel for a normalisation scope; symmetric around 0 for signed data.

    ``global_range`` is required for scope ``"global"``.
    """
    if scope not in SCOPES:
        raise ValueError(f"unknown normalisation {scope!r}; choose one of {', '.join(SCOPES)}")
    n = stats.minimum.shape[0]
    if scope == "channel":
        low, high = stats.minimum.astype(np.float32), stats.maximum.astype(np.float32)
    elif scope == "layer":
        low = np.full(n, stats.minimum.min(initial=0.0), np.float32)
        high = np.full(n, stats.maximum.max(initial=0.0), np.float32)
    else:
        if global_range is None:
            raise ValueError("global normalisation needs the global value range")
        low = np.full(n, global_range[0], np.float32)
        high = np.full(n, global_range[1], np.float32)
    # The rule of :func:`viewer.core.colormaps.levels`, per channel: centred on zero when signed.
    signed = low < 0
    bound = np.maximum(np.abs(low), np.abs(high))
    low = np.where(signed, -bound, low).astype(np.float32)
    high = np.where(signed, bound, high).astype(np.float32)
    return low, high


def mosaic_layout(channels: int, tile_hw: tuple[int, int], order=None, aspect: float = 1.5, gap: int | None = None) -> MosaicLayout:
    """A grid of about ``aspect`` (width / height) for ``channels`` tiles of ``tile_hw``."""
    if channels < 1:
        raise ValueError("a mosaic needs at least one channel")
    th, tw = int(tile_hw[0]), int(tile_hw[1])
    if gap is None:
        gap = max(1, min(th, tw) // 16)
    cols = max(1, min(channels, math.ceil(math.sqrt(channels * aspect * th / max(tw, 1)))))
    rows = math.ceil(channels / cols)
    order = tuple(range(channels)) if order is None else tuple(np.asarray(order).tolist())
    return MosaicLayout(rows, cols, th, tw, gap, order)


def render_mosaic(
    values: np.ndarray,
    *,
    scope: str = "layer",
    sort: str = "index",
    global_range: tuple[float, float] | None = None,
    aspect: float = 1.5,
    stats: ChannelStats | None = None,
) -> Mosaic:
    """Normalise and tile every channel of a layer output into one uint8 index image."""
    maps = as_maps(values)
    if stats is None:
        stats = channel_stats(maps)
    order = channel_order(stats, sort)
    low, high = value_range(stats, scope, global_range)
    c, h, w = maps.shape
    layout = mosaic_layout(c, (h, w), order, aspect)
    image = np.full(layout.shape, GAP_INDEX, np.uint8)
    _tile_indices(maps, order if sort != "index" else None, low, high, layout, image)
    return Mosaic(image, layout, low, high, stats, scope, sort)


def _tile_indices(maps: np.ndarray, order: np.ndarray | None, low: np.ndarray, high: np.ndarray, layout: MosaicLayout, image: np.ndarray) -> None:
    """Write every channel's lookup indices into its tile of ``image``, one row of tiles at a time.

    Same mapping as :func:`viewer.core.colormaps.to_indices` (values are known to lie in their range, so no
    clipping), but faster where it counts (the benchmark ``explorer.layer1_mosaic``): each
    row's scratch (a few hundred kB) stays in the CPU cache instead of a full-size float
    temporary; channels are flattened so the arithmetic runs over H*W values at a time; and a
    range shared by every channel (per-layer and global scopes) is applied as a scalar.
    """
    c, h, w = maps.shape
    span = high.astype(np.float64) - low
    flat = span <= 0
    scale = np.where(flat, 0.0, 254.0 / np.where(flat, 1.0, span))
    offset = np.where(flat, 128.0, 1.5 - low * scale)
    uniform = bool(np.all(scale == scale[0]) and np.all(offset == offset[0]))
    if uniform:
        scale, offset = np.float32(scale[0]), np.float32(offset[0])
    else:
        scale, offset = scale.astype(np.float32)[:, None], offset.astype(np.float32)[:, None]
        if order is not None:
            scale, offset = scale[order], offset[order]
    cols, g = layout.cols, layout.gap
    grid = image.reshape(layout.rows, h + g, cols, w + g)
    values = maps.reshape(c, h * w)
    scratch = np.empty((cols, h * w), np.float32)
    tiles = np.empty((cols, h * w), np.uint8)
    for row in range(layout.rows):
        first, last = row * cols, min(c, (row + 1) * cols)
        n = last - first
        source = values[first:last] if order is None else values[order[first:last]]
        row_scale = scale if uniform else scale[first:last]
        row_offset = offset if uniform else offset[first:last]
        np.multiply(source, row_scale, out=scratch[:n])
        scratch[:n] += row_offset
        np.copyto(tiles[:n], scratch[:n], casting="unsafe")
        grid[row, :h, :n, :w] = tiles[:n].reshape(n, h, w).transpose(1, 0, 2)


def histogram(values: np.ndarray, bins: int = 64, value_range: tuple[float, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(counts, edges) of finite values; a constant array gets one bin around its value."""
    flat = np.asarray(values, np.float32).ravel()
    flat = flat[np.isfinite(flat)]
    if value_range is None:
        lo, hi = (float(flat.min()), float(flat.max())) if flat.size else (0.0, 1.0)
    else:
        lo, hi = value_range
    if hi <= lo:
        lo, hi = lo - 0.5, lo + 0.5
    return np.histogram(flat, bins=bins, range=(lo, hi))


def upsample_nearest(values: np.ndarray, size_hw: tuple[int, int]) -> np.ndarray:
    """Nearest-neighbour resize of an (h, w) map to ``size_hw`` (for overlays on the input)."""
    values = np.asarray(values)
    h, w = values.shape
    rows = np.minimum((np.arange(size_hw[0]) * h) // size_hw[0], h - 1)
    cols = np.minimum((np.arange(size_hw[1]) * w) // size_hw[1], w - 1)
    return np.ascontiguousarray(values[rows][:, cols])


def batch_norm(values: np.ndarray, mean: float, var: float, gamma: float, beta: float, eps: float) -> np.ndarray:
    """One channel through batch norm with the given statistics: gamma (x - mean) / sqrt(var + eps) + beta.

    With the running statistics this is eval mode; with the image's own mean and (biased)
    variance it is what train mode computes for a batch of this one image.
    """
    values = np.asarray(values, np.float32)
    return ((values - np.float32(mean)) * np.float32(gamma / np.sqrt(var + eps)) + np.float32(beta)).astype(np.float32)
