"""The one way the pages show an array: a row-major pyqtgraph ImageItem in a locked-aspect view.

pyqtgraph is fastest with C-contiguous float32 or uint8 data, explicit levels (no auto-levels
pass over the data) and a 256-entry lookup table; every page's pictures are made here so that
they all follow those rules.
"""

from __future__ import annotations

import pyqtgraph as pg


def image_item() -> pg.ImageItem:
    """An ImageItem for row-major data; callers give explicit levels with every ``setImage``."""
    item = pg.ImageItem(axisOrder="row-major")
    item.setAutoDownsample(False)
    return item


def image_view_box(background: str = "#202020") -> pg.ViewBox:
    """A view for pictures: aspect locked, y down (row 0 on top), no context menu."""
    box = pg.ViewBox(lockAspect=True, invertY=True, enableMenu=False)
    box.setBackgroundColor(background)
    return box
