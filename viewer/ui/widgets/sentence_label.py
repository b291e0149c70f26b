"""A word-wrapped rich-text sentence that changes at every step without laying the page out again.

``QLabel.setText`` always calls ``updateGeometry``, and Qt's layouts pass that on up to the
window, so each new step sentence laid the whole page out again: on the Pooling lab that asks
the maps' pyqtgraph grid for its size hints, and a window change spent 1.5-4 ms on a sentence
whose height almost never changes. This widget asks for a new layout only when the wrapped
sentence needs more height than it has (it never shrinks while shown, so the controls under it
do not jump from step to step); otherwise a new sentence is one repaint.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QSizePolicy, QWidget


class SentenceLabel(QWidget):
    """Rich text wrapped to the widget's width, at least ``lines`` lines high; ``setText``/``text`` as a QLabel's."""

    def __init__(self, parent: QWidget | None = None, *, lines: int = 2) -> None:
        super().__init__(parent)
        self._text = ""
        self._document = QTextDocument()
        self._document.setDocumentMargin(0)
        self._document.setDefaultFont(self.font())
        self._lines = lines
        self._minimum = lines * self.fontMetrics().lineSpacing()
        self._height = self._minimum
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:  # noqa: N802 - QLabel's name, for callers of either
        if text == self._text:
            return
        self._text = text
        self._document.setHtml(text)
        self.setAccessibleName(self._document.toPlainText())
        self._fit(self.width())
        self.update()

    def _fit(self, width: int) -> None:
        """Grow to the height the sentence needs at ``width`` (a new layout only then); before
        the first layout (no width yet) the resize that gives it one fits the sentence."""
        if width <= 1:
            return
        self._document.setTextWidth(width)
        needed = max(self._minimum, math.ceil(self._document.size().height()))
        if needed > self._height:
            self._height = needed
            self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(200, self._height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(50, self._height)

    def _refit(self, width: int) -> None:
        """The height that fits the sentence at ``width``, which may be less than before (another
        width, another font): a new layout if it changed."""
        before, self._height = self._height, self._minimum
        self._fit(width)
        if self._height != before:
            self.updateGeometry()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._refit(event.size().width())
        super().resizeEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.FontChange:
            self._document.setDefaultFont(self.font())
            self._minimum = self._lines * self.fontMetrics().lineSpacing()
            self._refit(self.width())
        super().changeEvent(event)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        context = QAbstractTextDocumentLayout.PaintContext()
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Text, palette.color(QPalette.ColorRole.WindowText))  # a label's colour
        context.palette = palette
        self._document.documentLayout().draw(painter, context)
