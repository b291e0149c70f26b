"""Colormaps for feature maps, from pyqtgraph's bundled maps.

Signed values (before ReLU, differences) use a diverging map centred on zero; non-negative
values (after ReLU, images, pooling outputs) a perceptually uniform sequential map.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyqtgraph as pg

SEQUENTIAL = "viridis"
DIVERGING = "CET-D1A"
GRAY = "gray"
#: Names offered in the UI, first the defaults.
CHOICES = (SEQUENTIAL, "inferno", "magma", "plasma", "cividis", "turbo", DIVERGING, "CET-D1", GRAY)


@lru_cache(maxsize=32)
def lookup_table(name: str) -> np.ndarray:
    """A (256, 3) uint8 lookup table for ``ImageItem.setLookupTable`` or :func:`apply`."""
    if name == GRAY:
        ramp = np.arange(256, dtype=np.uint8)
        return np.stack([ramp, ramp, ramp], axis=1)
    table = pg.colormap.get(name).getLookupTable(nPts=256, alpha=False)
    table = np.ascontiguousarray(table[:, :3], dtype=np.uint8)
    table.setflags(write=False)
    return table


def default_for(values: np.ndarray) -> str:
    """Diverging for data with negative values, sequential otherwise."""
    return DIVERGING if float(np.min(values, initial=0.0)) < 0.0 else SEQUENTIAL


def apply(indices: np.ndarray, name: str) -> np.ndarray:
    """Map uint8 indices (H, W) to RGB (H, W, 3) uint8, e.g. for PNG export."""
    return lookup_table(name)[np.asarray(indices, dtype=np.uint8)]
