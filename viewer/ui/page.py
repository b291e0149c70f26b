"""The contract between the main window and its pages.

The main window owns the current image and hands it to every page with :meth:`Page.set_image`;
a page never loads files itself. A hidden page computes only once it is shown
(:meth:`Page.when_shown`), and the main window shows only the shown page's messages. A page does its work in :class:`~viewer.ui.workers.LatestRunner`
jobs and tracks them (:meth:`Page.track`): its busy state is theirs, so the status bar can show
progress and the headless screenshot command can wait until the page has finished.

A page whose construction takes more than a few frames builds in pieces
(:meth:`Page.build_in_pieces`): at start-up the main window builds one piece per turn of the
event loop, so that the window keeps answering, and shows the page once the last piece is built;
anywhere else (tests, the headless commands) the constructor builds every piece at once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from viewer.core.images import DecodedImage
    from viewer.ui.workers import LatestRunner


#: True inside :func:`pieces_later`: pages made there keep their construction's later pieces
_pieces_later = False


@contextlib.contextmanager
def pieces_later() -> Iterator[None]:
    """Pages made inside build only their first piece; :meth:`Page.build_next_piece` builds the rest."""
    global _pieces_later
    before, _pieces_later = _pieces_later, True
    try:
        yield
    finally:
        _pieces_later = before


def build_whole(pieces: Iterator[None]) -> None:
    """Run a construction made of pieces (a generator that yields between them) to its end."""
    for _ in pieces:
        pass


class Page(QWidget):
    """Base class of the pages."""

    #: True while the page computes something the user is waiting for.
    busy_changed = Signal(bool)
    #: A one-line message for the status bar (progress, a finished export...).
    status_message = Signal(str)
    #: A user-facing error to show in a dialog (the page stays usable).
    error_occurred = Signal(str)

    #: Stable identifier used on the command line (``--page``) and in QSettings.
    page_id: str = "page"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runners: list[LatestRunner] = []
        self._busy = False
        self._when_shown: Callable[[], object] | None = None
        self._pieces: Iterator[None] | None = None

    def build_in_pieces(self, pieces: Iterator[None]) -> None:
        """Run the rest of the page's construction, ``pieces``, a generator that yields between
        parts of a few frames each: all at once, or, inside :func:`pieces_later`, one part per
        :meth:`build_next_piece` call."""
        if _pieces_later:
            self._pieces = pieces
        else:
            build_whole(pieces)

    def build_next_piece(self) -> bool:
        """Build the next piece of a page made inside :func:`pieces_later`; False once it is whole."""
        if self._pieces is None:
            return False
        if next(self._pieces, StopIteration) is StopIteration:
            self._pieces = None
            return False
        return True

    def when_shown(self, action: Callable[[], object]) -> None:
        """Run ``action`` now if the page is shown, else the next time it is (only the latest
        action waits): a hidden page does not take the cores the shown page needs."""
        if self.isVisible():
            self._when_shown = None
            action()
        else:
            self._when_shown = action

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        action, self._when_shown = self._when_shown, None
        if action is not None:
            action()

    def page_title(self) -> str:
        """Tab title, translated (an explicit context: ``self.tr`` would look it up under the
        subclass's name)."""
        return QCoreApplication.translate("Page", "Page")

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        """The least height the page needs at ``width`` (word-wrapped labels make it depend on it).

        The main window's scroll area never makes a page shorter than this. Qt's default, the
        layout's preferred height, kept a page laid out in a larger window as tall as it was there
        once the window shrank: its transport controls ended below the bottom edge.
        """
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth():
            return layout.minimumHeightForWidth(width)
        return super().heightForWidth(width)

    def set_image(self, image: DecodedImage) -> None:
        """Show the new current image. Must not block the GUI thread for long."""

    def track(self, *runners: LatestRunner) -> None:
        """Count these runners' jobs as the page's work (see :meth:`is_busy`)."""
        for runner in runners:
            self._runners.append(runner)
            runner.busy_changed.connect(self._runner_busy_changed)

    def is_busy(self) -> bool:
        """Whether a tracked job (one whose result the page will display) is still running."""
        return any(runner.is_busy() for runner in self._runners)

    def _runner_busy_changed(self, _busy: bool) -> None:
        busy = self.is_busy()
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)


class PlaceholderPage(Page):
    """Stands in for a page while PyTorch loads (its title, what is being done and a moving
    progress line under it), or for a page that could not be built (the reason, no line)."""

    def __init__(self, page_id: str, title: str, message: str, busy: bool) -> None:
        super().__init__()
        self.page_id = page_id
        self._title = title
        self._waiting = busy
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        heading = QLabel(title)
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        self.label = QLabel(message)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        self.progress: QProgressBar | None = None
        if busy:
            self.progress = QProgressBar()
            self.progress.setRange(0, 0)  # no fraction to show: Qt's moving indicator
            self.progress.setTextVisible(False)
            self.progress.setFixedSize(240, 6)
            layout.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def page_title(self) -> str:
        return self._title

    def is_busy(self) -> bool:
        return self._waiting
