"""The contract between the main window and its capability pages.

The main window owns the current image and hands it to every page with :meth:`Page.set_image`;
a page never loads files itself. Pages that compute in the background report it through
:attr:`Page.busy_changed` so the status bar can show progress and the headless screenshot
command can wait until the page has finished before it renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from viewer.core.images import DecodedImage


class Page(QWidget):
    """Base class of the Convolution, Pooling and ResNet50 pages."""

    #: True while the page computes something the user is waiting for.
    busy_changed = Signal(bool)
    #: A one-line message for the status bar (progress, a finished export...).
    status_message = Signal(str)
    #: A user-facing error to show in a dialog (the page stays usable).
    error_occurred = Signal(str)

    #: Stable identifier used on the command line (``--page``) and in QSettings.
    page_id: str = "page"

    def page_title(self) -> str:
        """Tab title, translated."""
        return self.tr("Page")

    def set_image(self, image: DecodedImage) -> None:
        """Show the new current image. Must not block the GUI thread for long."""

    def is_busy(self) -> bool:
        """Whether a computation the page will display is still running."""
        return False


@dataclass(frozen=True)
class PageSpec:
    """Where a capability page lives; imported only once PyTorch is loaded."""

    page_id: str
    module: str
    class_name: str
    title: str


# Titles are marked for translation here and translated where shown (MainWindow's context).
PAGE_SPECS = (
    PageSpec("convolution", "viewer.ui.conv_lab", "ConvLabPage", QT_TRANSLATE_NOOP("MainWindow", "Convolution")),
    PageSpec("pooling", "viewer.ui.pooling_lab", "PoolingLabPage", QT_TRANSLATE_NOOP("MainWindow", "Pooling")),
    PageSpec("resnet", "viewer.ui.resnet_explorer", "ResNetExplorerPage", QT_TRANSLATE_NOOP("MainWindow", "ResNet50")),
)


class PlaceholderPage(Page):
    """Stands in for a page while PyTorch loads, or for a page that could not be built."""

    def __init__(self, page_id: str, title: str, message: str, busy: bool) -> None:
        super().__init__()
        self.page_id = page_id
        self._title = title
        self._busy = busy
        layout = QVBoxLayout(self)
        self.label = QLabel(message)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        layout.addWidget(self.label)

    def page_title(self) -> str:
        return self._title

    def is_busy(self) -> bool:
        return self._busy
