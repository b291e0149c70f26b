"""The one way the pages show an array: a row-major pyqtgraph ImageItem in a locked-aspect view.

pyqtgraph is fastest with C-contiguous float32 or uint8 data, explicit levels (no auto-levels
pass over the data) and a 256-entry lookup table; every page's pictures are made here so that
they all follow those rules.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QImage


class _ImageItem(pg.ImageItem):
    """pyqtgraph's ImageItem, keeping its rendered picture in a format Qt draws faster.

    With a lookup table pyqtgraph renders an 8-bit indexed QImage, which Qt's raster engine
    draws through its slowest per-pixel path at every paint (0.25 ms for a 250 px wide view, 2 ms
    at 700 px, whatever the image's size). The same picture as 32-bit ARGB is drawn through the
    same sampling twice as fast (pixel for pixel the same; premultiplied or RGB32 would take Qt's
    scaled-blit path instead, which samples other source pixels), so it is converted once per
    render (0.03 ms at 256x256) and every later paint (a step, a hover, a resize) gains too.
    """

    def render(self) -> None:
        super().render()
        picture = self.qimage
        if picture is not None and picture.format() == QImage.Format.Format_Indexed8:
            self.qimage = picture.convertToFormat(QImage.Format.Format_ARGB32)


def image_item() -> pg.ImageItem:
    """An ImageItem for row-major data; callers give explicit levels with every ``setImage``."""
    item = _ImageItem(axisOrder="row-major")
    item.setAutoDownsample(False)
    return item


def image_view_box(background: str = "#202020") -> pg.ViewBox:
    """A view for pictures: aspect locked, y down (row 0 on top), no context menu."""
    box = pg.ViewBox(lockAspect=True, invertY=True, enableMenu=False)
    box.setBackgroundColor(background)
    return box
