"""The shared image item: the pictures pyqtgraph renders, kept in a format Qt draws faster."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QTransform

from viewer.core import colormaps
from viewer.ui.widgets.images import image_item


def _rendered(item: pg.ImageItem, values: np.ndarray, table: np.ndarray) -> QImage:
    item.setLookupTable(table)
    item.setImage(values, levels=(-0.7, 2.3), autoLevels=False)
    item.render()
    return item.qimage


def _drawn(picture: QImage, scale: float, shape: tuple[int, int]) -> np.ndarray:
    """``picture`` drawn as a view draws it: scaled by a fraction, at a fractional offset."""
    target = QImage(400, 300, QImage.Format.Format_ARGB32_Premultiplied)
    target.fill(QColor(0, 0, 0))
    painter = QPainter(target)
    painter.setTransform(QTransform(scale, 0, 0, scale, 13.37, 7.25))
    painter.drawImage(QRectF(0, 0, shape[1], shape[0]), picture)
    painter.end()
    return np.frombuffer(target.constBits(), np.uint8).reshape(300, 400, 4).copy()


def test_image_item_draws_the_same_pixels_as_pyqtgraphs_indexed_picture(qapp):
    values = np.random.default_rng(0).normal(size=(37, 53)).astype(np.float32)
    for name in (colormaps.GRAY, colormaps.DIVERGING):
        table = colormaps.lookup_table(name)
        plain = _rendered(pg.ImageItem(axisOrder="row-major"), values, table)
        ours = _rendered(image_item(), values, table)
        assert plain.format() == QImage.Format.Format_Indexed8
        assert ours.format() == QImage.Format.Format_ARGB32  # drawn twice as fast, converted once
        for scale in (0.4366, 0.8731, 3.3, 7.77):
            assert np.array_equal(_drawn(ours, scale, values.shape), _drawn(plain, scale, values.shape))
