"""A gallery of the bundled sample images, with thumbnails and what each is good for."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from viewer.core.samples import SAMPLES


class SampleGallery(QDialog):
    """Pick a bundled sample; emits :attr:`sample_chosen` with its stem."""

    sample_chosen = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sample images"))
        self.resize(720, 660)  # three rows of four thumbnails without scrolling
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Photographs (public domain / CC0) and synthetic images made for teaching:")))
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(128, 128))
        self.list.setGridSize(QSize(160, 170))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setWordWrap(True)
        for entry in SAMPLES:
            pixmap = thumbnail(QPixmap(str(entry.path)), 128)
            item = QListWidgetItem(QIcon(pixmap), QCoreApplication.translate("samples", entry.title))
            item.setData(Qt.ItemDataRole.UserRole, entry.stem)
            item.setToolTip(QCoreApplication.translate("samples", entry.purpose))
            self.list.addItem(item)
        self.list.itemActivated.connect(self._choose)
        layout.addWidget(self.list)
        self.description = QLabel()
        self.description.setWordWrap(True)
        layout.addWidget(self.description)
        self.list.currentItemChanged.connect(
            lambda item, _old: self.description.setText(item.toolTip() if item else "")
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(lambda: self._choose(self.list.currentItem()))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.setCurrentRow(0)

    def _choose(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self.sample_chosen.emit(item.data(Qt.ItemDataRole.UserRole))
        self.accept()


def thumbnail(pixmap: QPixmap, side: int) -> QPixmap:
    """``pixmap`` fitted into ``side`` x ``side``.

    Enlarged images (the 5x5 grid) keep sharp pixels: smoothing would blur the cells the image
    is about. Reduced ones are smoothed.
    """
    enlarging = max(pixmap.width(), pixmap.height()) < side
    mode = Qt.TransformationMode.FastTransformation if enlarging else Qt.TransformationMode.SmoothTransformation
    scaled = pixmap.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio, mode)
    # A thin frame, so that white images (the 5x5 grid) do not melt into the white list.
    painter = QPainter(scaled)
    painter.setPen(QColor(150, 150, 150))
    painter.drawRect(0, 0, scaled.width() - 1, scaled.height() - 1)
    painter.end()
    return scaled
