"""Colour: the colormap tables, the colour levels of a picture, and values turned into RGB.

One module for the whole vocabulary, so that every picture (the pages' images, the exported
GIFs and sheets, the headless commands' PNGs) colours a value the same way:

* **tables**: 256-entry uint8 RGB lookup tables, read from ``viewer/resources/colormaps.npz``
  (pyqtgraph's bundled maps, written by ``scripts/make_colormaps.py``; a UI test keeps them
  byte-equal), so that nothing below the UI imports pyqtgraph;
* **levels**: which values the ends of a table stand for (:func:`levels`): signed data is
  centred on zero, so that a diverging map's neutral middle means 0;
* **values to RGB**: :func:`to_indices` then a table (:func:`colorize`); index 0 of a
  :func:`display_table` is a neutral grey kept for gaps (between a mosaic's tiles, cells not
  computed yet), indices 1..255 are the map.
"""

from __future__ import annotations

import functools

import numpy as np

from viewer.core.i18n import QT_TRANSLATE_NOOP
from viewer.core.resources import resource_path

SEQUENTIAL = "viridis"
DIVERGING = "CET-D1A"
GRAY = "gray"
#: the maps read from pyqtgraph (gray is a plain ramp)
PYQTGRAPH_MAPS = ("viridis", "inferno", "magma", "plasma", "cividis", "turbo", "CET-D1A", "CET-D1")
#: names offered in the UI and on the command line, the defaults first
CHOICES = (SEQUENTIAL, "inferno", "magma", "plasma", "cividis", "turbo", DIVERGING, "CET-D1", GRAY)
#: the diverging maps: their middle colour means zero, so their levels are centred on it
DIVERGING_MAPS = frozenset({"CET-D1A", "CET-D1"})
TABLES_FILE = resource_path("colormaps.npz")
#: lookup index of gaps and of cells with nothing to show, in a display table
GAP_INDEX = 0
GAP_RGB = (64, 64, 64)


class UnknownColormapError(ValueError):
    """A colormap name that is not one of :data:`CHOICES`."""


@functools.cache
def _tables() -> dict[str, np.ndarray]:
    with np.load(TABLES_FILE, allow_pickle=False) as stored:
        tables = {name: np.ascontiguousarray(stored[name], np.uint8) for name in stored.files}
    ramp = np.arange(256, dtype=np.uint8)
    tables[GRAY] = np.stack([ramp, ramp, ramp], axis=1)
    for table in tables.values():
        table.setflags(write=False)
    return tables


def check_name(name: str) -> str:
    """``name`` if it is a known colormap; :class:`UnknownColormapError` names the choices."""
    if name not in CHOICES:
        raise UnknownColormapError(QT_TRANSLATE_NOOP("UserError", "unknown colormap {0}; choose one of {1}").format(repr(name), ', '.join(CHOICES)))
    return name


def lookup_table(name: str) -> np.ndarray:
    """The (256, 3) uint8 table of ``name`` (read-only), e.g. for ``ImageItem.setLookupTable``."""
    return _tables()[check_name(name)]


@functools.cache
def display_table(name: str) -> np.ndarray:
    """A (256, 3) uint8 table: gap grey at index 0, the colormap resampled over 1..255."""
    table = lookup_table(name)
    positions = np.linspace(0, table.shape[0] - 1, 255)
    resampled = np.stack([np.interp(positions, np.arange(table.shape[0]), table[:, k]) for k in range(3)], axis=1)
    out = np.empty((256, 3), np.uint8)
    out[GAP_INDEX] = GAP_RGB
    out[1:] = np.rint(resampled).astype(np.uint8)
    out.setflags(write=False)
    return out


def default_for(values: np.ndarray) -> str:
    """Diverging for data with negative values, sequential otherwise."""
    return DIVERGING if float(np.min(values, initial=0.0)) < 0.0 else SEQUENTIAL


def is_diverging(name: str) -> bool:
    return name in DIVERGING_MAPS


# -- levels ------------------------------------------------------------------------------------

#: Maps with more values than this get percentile levels when asked for robust levels.
ROBUST_LEVELS_ABOVE = 4096


def centred(low: float, high: float) -> tuple[float, float]:
    """``(-b, b)`` with ``b = max(|low|, |high|)``: zero in the middle of the scale."""
    bound = max(abs(float(low)), abs(float(high)))
    return (-bound, bound)


def levels(
    values: np.ndarray,
    *,
    centre: bool | None = None,
    from_zero: bool = False,
    robust: bool = False,
) -> tuple[float, float]:
    """The values the two ends of a colour scale stand for, for one picture.

    Parameters
    ----------
    centre
        ``True``: symmetric around zero (a diverging map); ``None``: centred when any value is
        negative, else ``[min, max]``; ``False``: never centred.
    from_zero
        The scale starts at 0 even when every value is positive (pooling compares outputs
        with their input on one scale: a brighter cell means a larger value).
    robust
        For maps of more than :data:`ROBUST_LEVELS_ABOVE` values, a centred bound is the
        99.5th percentile of ``|x|``: on a photo an edge filter's few extreme responses would
        otherwise leave every other edge pale (the rare stronger cells saturate).

    A flat map (or an empty one) gets a range of width 1, so that it can still be drawn.
    """
    values = np.asarray(values, np.float32)
    if values.size == 0:
        return (0.0, 1.0)
    low, high = float(values.min()), float(values.max())
    if from_zero:
        low = min(0.0, low)
    if centre is None:
        centre = low < 0
    if centre:
        bound = max(-low, high)
        if robust and values.size > ROBUST_LEVELS_ABOVE:
            bound = float(np.percentile(np.abs(values), 99.5)) or bound
        bound = bound if bound > 0 else 1.0
        return (-bound, bound)
    return (low, high) if high > low else (low, low + 1.0)


# -- values to colours ---------------------------------------------------------------------------

def to_indices(maps: np.ndarray, low: np.ndarray | float, high: np.ndarray | float, clip: bool = True) -> np.ndarray:
    """Values to display-table indices 1..255 (``low`` -> 1, ``high`` -> 255); flat ranges -> middle.

    ``low``/``high`` are scalars or one per channel of (C, H, W) ``maps``. ``clip=False`` skips
    clipping when every value is known to lie in [low, high] (one pass less over the data).
    """
    maps = np.asarray(maps, np.float32)
    low = np.asarray(low, np.float64)
    high = np.asarray(high, np.float64)
    span = high - low
    # a span so small that 254 / span leaves float32's range (subnormal levels) is drawn flat too
    flat = span * float(np.finfo(np.float32).max) <= 254.0
    scale = np.where(flat, 0.0, 254.0 / np.where(flat, 1.0, span))
    offset = np.where(flat, 128.0, 1.5 - low * scale)
    if scale.ndim == 1:
        scale = scale[:, None, None]
        offset = offset[:, None, None]
    out = maps * scale.astype(np.float32)
    out += offset.astype(np.float32)
    if clip:
        np.clip(out, 1.0, 255.0, out=out)
    return out.astype(np.uint8)


def colorize_indices(indices: np.ndarray, name: str) -> np.ndarray:
    """(H, W) uint8 display indices -> (H, W, 3) uint8 RGB through ``name``'s display table."""
    return display_table(name)[np.asarray(indices, np.uint8)]


def colorize(values: np.ndarray, value_levels: tuple[float, float], name: str) -> np.ndarray:
    """(H, W) values -> (H, W, 3) uint8 RGB: ``value_levels`` are the ends of ``name``'s scale."""
    low, high = value_levels
    return colorize_indices(to_indices(values, low, high), name)


#: the colours of the curves of several series on one plot (networks in the training lab), in
#: order; matplotlib's "tab10", distinct for colour-blind readers in its first four
SERIES_RGB = ((31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
              (140, 86, 75), (227, 119, 194), (127, 127, 127))


def series_rgb(index: int) -> tuple[int, int, int]:
    """The colour of the ``index``-th series (the palette repeats after eight)."""
    return SERIES_RGB[index % len(SERIES_RGB)]
