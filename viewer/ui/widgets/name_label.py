"""A name and its details on one line: the name elided in the middle, the details always whole.

The status bar shows the current image as "name — size — format": a 200-character file name
must not push the size and the format out of the window, and eliding at the end would hide
the extension. The name gives way first, shortened in the middle ("IMG_2023…holiday.png",
the whole of it in the tooltip); the details keep their width.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

#: Between the name and the details.
SEPARATOR = " \u2014 "
#: A file name written into a sentence or a button is shortened to this width (in pixels).
NAME_WIDTH = 260


def elided_name(name: str, widget: QWidget, width: int = NAME_WIDTH) -> str:
    """``name`` shortened in the middle to ``width`` pixels of ``widget``'s font, for a button or
    a sentence: a 200-character file name must not widen the page beyond its window."""
    return widget.fontMetrics().elidedText(name, Qt.TextElideMode.ElideMiddle, width)


class ElidedLabel(QLabel):
    """A one-line label that shortens its text in the middle to the width it is given."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self.updateGeometry()
        self._elide()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + 4, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        width = min(self.sizeHint().width(), self.fontMetrics().horizontalAdvance("M" * 6 + "\u2026"))
        return QSize(width, super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, max(0, self.width() - 4)))


class NameAndDetails(QWidget):
    """``name — details``; :meth:`text` is the whole line, whatever is shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = ElidedLabel()
        self.name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)  # beside its details
        self.details = QLabel()
        self.details.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.name, 1)
        layout.addWidget(self.details)

    def set_text(self, name: str, details: str = "") -> None:
        self.name.set_full_text(name)
        self.details.setText(SEPARATOR + details if details else "")
        self.details.setVisible(bool(details))

    def text(self) -> str:
        """The whole line, the name not elided."""
        return self.name.full_text() + self.details.text()
