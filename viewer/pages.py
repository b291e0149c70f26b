"""The app's pages: their ids, titles and the UI modules that build them, free of Qt.

One list for the command line (``--page``) and the main window's tabs. Titles are marked for
translation here and translated where they are shown (the main window's context).
"""

from __future__ import annotations

from dataclasses import dataclass

from viewer.core.i18n import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class PageInfo:
    """Where a page lives; its module is imported only once PyTorch is loaded."""

    page_id: str
    title: str
    """English title, translated in the "MainWindow" context."""
    module: str
    class_name: str


PAGES: tuple[PageInfo, ...] = (
    PageInfo("convolution", QT_TRANSLATE_NOOP("MainWindow", "Convolution"), "viewer.ui.conv.page", "ConvLabPage"),
    PageInfo("pooling", QT_TRANSLATE_NOOP("MainWindow", "Pooling"), "viewer.ui.pooling.page", "PoolingLabPage"),
    PageInfo("resnet", QT_TRANSLATE_NOOP("MainWindow", "ResNet50"), "viewer.ui.resnet.page", "ResNetExplorerPage"),
    PageInfo("training", QT_TRANSLATE_NOOP("MainWindow", "Training"), "viewer.ui.training.page", "TrainingLabPage"),
)
PAGE_IDS: tuple[str, ...] = tuple(page.page_id for page in PAGES)
