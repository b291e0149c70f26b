"""The main window: one page per capability around a shared current image.

Start-up is staged so that the window appears at once: the window and its menus need only
QtWidgets; PyTorch (about a second and a half to import) is loaded by a worker thread after
the first paint, and the capability pages, which need it, replace their placeholders when it
is ready.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QObject,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QStyle,
    QTabWidget,
)

from viewer import __version__
from viewer.core.errors import ImageLoadError
from viewer.core.samples import DEFAULT_SAMPLE, SAMPLES
from viewer.pages import PAGES, PageInfo
from viewer.ui.app import pause_garbage_collection
from viewer.ui.errors import report_exception, show_error
from viewer.ui.language import add_language_menu, sample_in_language, translated_sentence
from viewer.ui.page import Page, PlaceholderPage, pieces_later
from viewer.ui.recent_files import RecentFiles
from viewer.ui.widgets.busy_bar import BusyBar
from viewer.ui.widgets.name_label import NameAndDetails

if TYPE_CHECKING:  # numpy, Pillow and torch load after the first paint
    from viewer.core.images import DecodedImage

log = logging.getLogger("viewer.ui")


def _import_backend(initial_sample: str | None) -> DecodedImage | None:
    """Runs in a worker thread: the slow imports the pages need, and the first image."""
    import gc

    import numpy  # noqa: F401
    import torch  # noqa: F401

    # The ~250k objects the imports leave live as long as the process: out of the collector's
    # sight, a full collection (on the GUI thread, viewer.ui.app) no longer walks them.
    gc.freeze()
    # The pages' modules too (pyqtgraph, numpy-side code): importing makes no widget, and an
    # import here does not freeze the window the way one on the GUI thread does.
    for spec in PAGES:
        try:
            importlib.import_module(spec.module)
        except Exception:  # noqa: BLE001, S110 - _create_page reports it on the GUI thread
            pass
    from viewer.core.samples import load_sample

    return load_sample(initial_sample) if initial_sample else None


def _at_a_later_turn(action: Callable[[], object]) -> None:
    """Run ``action`` at a later turn of the event loop, after the timers, input and paints due
    now. ``QTimer.singleShot(0)`` posts an event, which Qt may handle before them: a chain of
    such steps starved a 1 ms timer every other step; a 1 ms timer lets them in each time."""
    QTimer.singleShot(1, action)


def _decode_job(path: Path, cancelled=None) -> DecodedImage:
    """Runs in a worker: one image file decoded (quick enough to need no early exit)."""
    from viewer.core.images import decode_image

    return decode_image(path)


class MainWindow(QMainWindow):
    """The app's single window."""

    image_changed = Signal(object)
    image_load_failed = Signal(str)
    pages_ready = Signal()

    def __init__(
        self,
        image: DecodedImage | None = None,
        start_page: str | None = None,
        *,
        persist_settings: bool = True,
    ) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("CNN Viewer"))
        self.setAcceptDrops(True)
        self._persist = persist_settings
        self.recent = RecentFiles(self, enabled=persist_settings)
        self._image: DecodedImage | None = None
        self._pages: dict[str, Page] = {}
        self._pages_installed = False
        self._backend_requested = False
        self._backend_worker = None  # held while PyTorch loads
        self._open_runner = None  # see _opener()
        self._opening = Path()
        self.first_paint_done = False
        self._lessons_dock = None  # see lessons()
        self._after_install: list = []  # lessons and sessions asked for before the pages were built
        self.session_problems: list[str] = []
        """What the last session opened could not restore, one sentence each."""

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        for spec in PAGES:
            placeholder = PlaceholderPage(
                spec.page_id, self.tr(spec.title), self.tr("Loading PyTorch…"), busy=True
            )
            self._add_page(placeholder)
        self.tabs.installEventFilter(self)
        self.tabs.currentChanged.connect(self._page_shown)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()

        settings = QSettings()
        geometry = settings.value("window/geometry") if self._persist else None
        # A missing or unreadable saved geometry (another Qt version, a hand-edited file)
        # falls back to the default size rather than to a cramped minimum.
        if not (isinstance(geometry, (bytes, bytearray, QByteArray)) and self.restoreGeometry(geometry)):
            self.resize(1400, 900)
        page = start_page or (settings.value("window/page") if self._persist else None)
        if page:
            self.show_page(str(page))
        self._initial_sample = None if image is not None else DEFAULT_SAMPLE
        if image is not None:
            self.set_image(image)
        else:
            self.image_label.set_text(self.tr("Loading…"))

    # ----------------------------------------------------------------- pages
    def _add_page(self, page: Page, holder: QScrollArea | None = None) -> None:
        """Show ``page`` in a new tab, or in ``holder``, the tab of the placeholder it replaces."""
        self._pages[page.page_id] = page
        if holder is None:
            # A page wider than a small screen scrolls instead of forcing the window wider.
            holder = QScrollArea()
            holder.setWidgetResizable(True)
            holder.setFrameShape(QFrame.Shape.NoFrame)
            self.tabs.addTab(holder, page.page_title())
        holder.setWidget(page)
        self.tabs.setTabText(self.tabs.indexOf(holder), page.page_title())
        page.busy_changed.connect(self._update_busy)
        page.status_message.connect(lambda text, page=page: self._page_message(page, text))
        page.error_occurred.connect(lambda text: show_error(self, text))

    def _page_message(self, page: Page, text: str) -> None:
        """A page's status message, shown only while that page is (a hidden page's stay on it)."""
        if self.tabs.currentWidget() is not None and self._current_page() is page:
            self.statusBar().showMessage(text, 5000)

    def _page_shown(self, _index: int) -> None:
        self.statusBar().clearMessage()  # the last page's message is not this one's

    def pages(self) -> dict[str, Page]:
        """The pages by id (placeholders until PyTorch has loaded)."""
        return dict(self._pages)

    def page(self, page_id: str) -> Page:
        return self._pages[page_id]

    @property
    def pages_installed(self) -> bool:
        return self._pages_installed

    def current_page_id(self) -> str:
        return self._current_page().page_id

    def _current_page(self) -> Page:
        return self.tabs.currentWidget().widget()

    def show_page(self, page_id: str) -> None:
        if page_id in self._pages:
            self.tabs.setCurrentIndex(list(self._pages).index(page_id))

    def is_busy(self) -> bool:
        """Whether pages are still loading or the current page is computing."""
        return not self._pages_installed or self._current_page().is_busy()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tabs and event.type() == QEvent.Type.Paint and not self.first_paint_done:
            self.first_paint_done = True
            QTimer.singleShot(0, self.load_backend)
        return super().eventFilter(watched, event)

    def load_backend(self) -> None:
        """Import PyTorch off the GUI thread, then build the real pages."""
        if self._backend_requested:
            return
        self._backend_requested = True
        app = QCoreApplication.instance()
        pause_garbage_collection(app, True)  # until the imports are done
        from superqt.utils import create_worker

        # An explicit "errored" connection stops superqt from re-raising in the GUI thread;
        # "finished" (after either) lets collections run again, even if this window is gone.
        worker = create_worker(
            _import_backend,
            self._initial_sample,
            _connect={"returned": self._install_pages, "errored": lambda exc: report_exception(exc, self),
                      "finished": lambda: pause_garbage_collection(app, False)},
        )
        self._backend_worker = worker

    def _install_pages(self, initial_image: DecodedImage | None = None) -> None:
        import pyqtgraph as pg

        pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)
        if initial_image is not None and self._image is None:
            self.set_image(initial_image)
        for placeholder in self._pages.values():
            placeholder.label.setText(self.tr("Preparing the page…"))
        current = self.current_page_id()
        # the shown page first, then the others in their order: one per event-loop turn
        order = sorted(range(len(PAGES)), key=lambda index: PAGES[index].page_id != current)
        self._install_page(order)

    def _install_page(self, order: list[int]) -> None:
        """Build the page of ``order[0]`` in place of its placeholder, a piece per turn of the
        event loop (see :meth:`Page.build_in_pieces`), then (at the next turn, so that the window
        paints and answers between pages) the rest."""
        spec = PAGES[order[0]]
        with pieces_later():
            page = self._create_page(spec)
        self._build_pieces(page, order)

    def _build_pieces(self, page: Page, order: list[int]) -> None:
        """Build the next piece of ``page``; once it is whole, put it in its tab and go on."""
        spec = PAGES[order[0]]
        try:
            more = page.build_next_piece()
        except Exception as exc:  # noqa: BLE001 - one page's bug must not stop the others
            page.deleteLater()
            page, more = self._failed_page(spec, exc), False
        if more:
            _at_a_later_turn(lambda: self._build_pieces(page, order))
            return
        page.page_id = spec.page_id
        # The tab stays and only its page is replaced: removing the current tab would show
        # the next page meanwhile, and a shown explorer starts computing.
        holder = self.tabs.widget(order[0])
        holder.takeWidget().deleteLater()  # the placeholder
        self._add_page(page, holder)
        if self._image is not None:
            try:
                page.set_image(self._image)
            except Exception as exc:  # noqa: BLE001 - one page's bug must not stop the others
                report_exception(exc, self)
        if len(order) > 1:
            _at_a_later_turn(lambda: self._install_page(order[1:]))
            return
        self._connect_pages()
        self._pages_installed = True
        self._update_busy()
        waiting, self._after_install = self._after_install, []
        for action in waiting:
            action()
        self.pages_ready.emit()

    def _create_page(self, spec: PageInfo) -> Page:
        try:
            module = importlib.import_module(spec.module)
            page = getattr(module, spec.class_name)()
        except ModuleNotFoundError as exc:
            if exc.name != spec.module:
                report_exception(exc, self)
            return PlaceholderPage(
                spec.page_id, self.tr(spec.title), self.tr("This page is not built yet."), busy=False
            )
        except Exception as exc:  # noqa: BLE001
            return self._failed_page(spec, exc)
        page.page_id = spec.page_id
        return page

    def _failed_page(self, spec: PageInfo, exc: Exception) -> Page:
        report_exception(exc, self)
        return PlaceholderPage(
            spec.page_id,
            self.tr(spec.title),
            self.tr("This page failed to start: {0}").format(exc),
            busy=False,
        )

    def _connect_pages(self) -> None:
        """Hand feature maps and real kernels between pages."""
        explorer = self._pages.get("resnet")
        pooling = self._pages.get("pooling")
        conv = self._pages.get("convolution")
        if hasattr(explorer, "send_to_pooling") and hasattr(pooling, "show_feature_map"):
            explorer.send_to_pooling.connect(self._send_to_pooling)
        if hasattr(explorer, "step_kernel") and hasattr(conv, "load_setup"):
            explorer.step_kernel.connect(self._step_kernel)
        training = self._pages.get("training")
        if hasattr(training, "open_in_explorer") and hasattr(explorer, "load_weights_file"):
            training.open_in_explorer.connect(self._open_in_explorer)

    def _send_to_pooling(self, values, label: str) -> None:
        self._pages["pooling"].show_feature_map(values, label)
        self.show_page("pooling")

    def _open_in_explorer(self, path: str, image) -> None:
        """Show a network trained in the training lab in the explorer, on a test image of its dataset."""
        if image is not None:
            self.set_image(image)
        self._pages["resnet"].load_weights_file(path)
        self.show_page("resnet")

    def _step_kernel(self, setup) -> None:
        self._pages["convolution"].load_setup(setup)
        self.show_page("convolution")

    # ----------------------------------------------------------------- image
    @property
    def image(self) -> DecodedImage | None:
        return self._image

    def set_image(self, image: DecodedImage) -> None:
        """Make ``image`` the current image of every page."""
        image = sample_in_language(image)
        self._image = image
        details = self.tr("{0} × {1} px — {2}").format(image.width, image.height, image.source_format)
        if image.note:
            details += f" — {image.note}"
        self.image_label.set_text(image.name, details)
        for page in self._pages.values():  # a placeholder ignores it; a page built later gets it then
            try:
                page.set_image(image)
            except Exception as exc:  # noqa: BLE001
                report_exception(exc, self)
        self.image_changed.emit(image)

    def open_path(self, path: str | Path) -> None:
        """Decode ``path`` in a worker; on failure the previous image stays and a message shows.

        The newest request wins: a file (or sample) asked for later is never overwritten by a
        slower earlier one.
        """
        path = Path(path)
        self._opening = path
        self.statusBar().showMessage(self.tr("Opening {0}…").format(path.name))
        self._opener().submit(_decode_job, path)

    def _opener(self):
        """The image-decoding runner, made on first use (superqt is not needed to paint)."""
        if self._open_runner is None:
            from viewer.ui.workers import LatestRunner

            self._open_runner = LatestRunner(self)
            self._open_runner.finished.connect(self._opened)
            self._open_runner.failed.connect(self._open_failed)
        return self._open_runner

    def _opened(self, _generation: int, image: DecodedImage) -> None:
        self.statusBar().clearMessage()
        self.recent.remember(self._opening)
        self.set_image(image)

    def _open_failed(self, _generation: int, exc: BaseException) -> None:
        path = self._opening
        self.statusBar().clearMessage()
        message = translated_sentence(str(exc))
        if isinstance(exc, ImageLoadError):
            if not path.exists() and self.recent.forget(path):
                message += " " + self.tr("It has been removed from the recent files.")
            log.warning("%s", message)
            show_error(self, message, title=self.tr("Cannot open the image"))
        else:
            report_exception(exc, self)
        self.image_load_failed.emit(message)

    def open_sample(self, stem: str) -> None:
        """Make a bundled sample the current image (a file still being opened is dropped)."""
        from viewer.core.samples import load_sample

        if self._open_runner is not None:
            self._open_runner.cancel()
        self.set_image(load_sample(stem))

    # ----------------------------------------------------------------- lessons
    def lessons(self):
        """The Lessons dock (:class:`~viewer.ui.lessons.panel.LessonsDock`), made on first use."""
        if self._lessons_dock is None:
            from viewer.ui.lessons.panel import LessonsDock

            self._lessons_dock = LessonsDock(self)
            self._lessons_dock.lesson_opened.connect(self.open_lesson)
            self._lessons_dock.visibilityChanged.connect(self._lessons_visibility)
            self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self._lessons_dock)
            self.resizeDocks([self._lessons_dock], [320], Qt.Orientation.Horizontal)
        return self._lessons_dock

    def show_lessons(self, shown: bool = True) -> None:
        """Show (or hide) the Lessons panel."""
        if shown or self._lessons_dock is not None:
            self.lessons().setVisible(shown)

    def _lessons_visibility(self, visible: bool) -> None:
        if self.lessons_action.isChecked() != visible and not self.isMinimized():
            self.lessons_action.setChecked(visible)

    def open_lesson(self, lesson_id: str) -> None:
        """Open a lesson (see :mod:`viewer.models.lessons`): its page with its settings, the panel on it.

        Before the pages are built the lesson waits for them.
        """
        from viewer.models.lessons import lesson
        from viewer.ui.lessons.opening import open_lesson

        chosen = lesson(lesson_id)
        self.show_lessons()
        self.lessons().show_lesson(lesson_id)
        if not self._pages_installed:
            self.show_page(chosen.page)
            self._after_install.append(lambda: open_lesson(self, chosen))
            return
        open_lesson(self, chosen)

    # ----------------------------------------------------------------- sessions
    def open_session(self, path: str | Path, *, report: bool = True) -> None:
        """Restore a session file (:mod:`viewer.models.session`); what it could not restore is kept
        in :attr:`session_problems` and, with ``report``, shown in one message. Before the pages
        are built the session waits for them."""
        if not self._pages_installed:
            self._after_install.append(lambda: self.open_session(path, report=report))
            return
        from viewer.core.errors import UserError
        from viewer.ui.sessions import open_session

        try:
            self.session_problems = open_session(self, path)
        except UserError as error:
            self.session_problems = [str(error)]
        if report and self.session_problems:
            show_error(self, " ".join(self.session_problems), title=self.tr("Parts of the session were not restored"))

    def save_session(self, path: str | Path) -> bool:
        """Write the current set-up to a session file; a failure is reported, not raised."""
        from viewer.core.errors import UserError
        from viewer.ui.sessions import save_session

        try:
            written = save_session(self, path)
        except UserError as error:
            show_error(self, str(error))
            return False
        self.statusBar().showMessage(self.tr("Saved the session to {0}").format(written), 5000)
        return True

    def _ask_open_session(self) -> None:
        from viewer.ui.sessions import FILE_FILTER

        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open session"), "", self.tr(FILE_FILTER))
        if path:
            self.open_session(path)

    def _ask_save_session(self) -> None:
        from viewer.ui.sessions import FILE_FILTER

        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save session"), "lesson.cnnsession.json",
                                              self.tr(FILE_FILTER))
        if path:
            self.save_session(path)

    # ------------------------------------------------------- menus, toolbar
    def _build_actions(self) -> None:
        self.open_action = QAction(self.tr("&Open image…"), self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.setStatusTip(self.tr("Open an image file (PNG, JPEG, BMP, GIF, TIFF, WebP, PPM)"))
        self.open_action.triggered.connect(self._ask_open)
        style = self.style()
        self.open_action.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton))
        self.samples_action = QAction(self.tr("&Samples…"), self)
        self.samples_action.setStatusTip(self.tr("Choose one of the bundled sample images"))
        self.samples_action.triggered.connect(self._show_gallery)
        self.samples_action.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_FileDialogContentsView))
        self.screenshot_action = QAction(self.tr("Save &screenshot…"), self)
        self.screenshot_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.screenshot_action.triggered.connect(self._ask_screenshot)
        self.screenshot_action.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton))
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.about_action = QAction(self.tr("&About CNN Viewer"), self)
        self.about_action.triggered.connect(self._show_about)
        self.open_session_action = QAction(self.tr("Open s&ession…"), self)
        self.open_session_action.setStatusTip(self.tr("Restore every page's settings from a session file"))
        self.open_session_action.triggered.connect(self._ask_open_session)
        self.save_session_action = QAction(self.tr("Save sess&ion…"), self)
        self.save_session_action.setStatusTip(self.tr("Save the image and every page's settings to a file to share"))
        self.save_session_action.triggered.connect(self._ask_save_session)
        self.lessons_action = QAction(self.tr("&Lessons"), self)
        self.lessons_action.setStatusTip(self.tr("The course in order: every point one click away"))
        self.lessons_action.setShortcut(QKeySequence("F2"))
        self.lessons_action.setCheckable(True)
        self.lessons_action.toggled.connect(self.show_lessons)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu(self.tr("Open &recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        samples_menu = file_menu.addMenu(self.tr("Sa&mple images"))
        for entry in SAMPLES:
            action = samples_menu.addAction(QCoreApplication.translate("samples", entry.title))
            action.setStatusTip(QCoreApplication.translate("samples", entry.purpose))
            action.triggered.connect(lambda _=False, stem=entry.stem: self.open_sample(stem))
        samples_menu.addSeparator()
        samples_menu.addAction(self.samples_action)
        file_menu.addSeparator()
        file_menu.addAction(self.open_session_action)
        file_menu.addAction(self.save_session_action)
        file_menu.addSeparator()
        file_menu.addAction(self.screenshot_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        view_menu.addAction(self.lessons_action)
        add_language_menu(view_menu, self)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        toolbar = self.addToolBar(self.tr("Main"))
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.open_action)
        toolbar.addAction(self.samples_action)
        toolbar.addAction(self.screenshot_action)
        toolbar.addAction(self.lessons_action)

    def _build_status_bar(self) -> None:
        # the name gives way to messages and narrow windows; size and format stay whole
        self.image_label = NameAndDetails()
        self.statusBar().addPermanentWidget(self.image_label)
        self.busy_bar = BusyBar()  # shown only once work lasts: its animation takes time from the work
        self.busy_bar.setMaximumWidth(120)
        self.statusBar().addPermanentWidget(self.busy_bar)

    def _update_busy(self, *_args) -> None:
        self.busy_bar.set_busy(any(page.is_busy() for page in self._pages.values()))

    def recent_files(self) -> list[str]:
        """Recently opened files, newest first (full paths)."""
        return self.recent.entries()

    def _fill_recent_menu(self) -> None:
        self.recent.fill_menu(self.recent_menu, self.open_path)

    def _ask_open(self) -> None:
        from viewer.core.images import FILE_DIALOG_FILTER

        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open image"), "", self.tr(FILE_DIALOG_FILTER))
        if path:
            self.open_path(path)

    def _show_gallery(self) -> None:
        from viewer.ui.sample_gallery import SampleGallery

        gallery = SampleGallery(self)
        gallery.sample_chosen.connect(self.open_sample)
        gallery.open()

    def _ask_screenshot(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save screenshot"), "cnn-viewer.png", self.tr("PNG image (*.png)")
        )
        if path:
            self.save_screenshot(path)

    def save_screenshot(self, path: str | Path) -> None:
        """Save the window as it looks now; a failure is reported, not raised."""
        if not self.grab().save(str(path), "PNG"):
            show_error(self, self.tr("Could not write the screenshot to {0}.").format(path))
        else:
            self.statusBar().showMessage(self.tr("Saved {0}").format(path), 5000)

    def _show_about(self) -> None:
        import sys

        torch = sys.modules.get("torch")
        import pyqtgraph
        import PySide6

        box = QMessageBox(self)
        box.setWindowTitle(self.tr("About CNN Viewer"))
        box.setText(
            self.tr(
                "<h3>CNN Viewer {0}</h3><p>See how convolutional neural networks compute: a "
                "convolution step by step, max / average / stochastic pooling side by side, "
                "and ResNet50 stage by stage.</p><p>The ResNet weights are untrained (random) "
                "unless you load or download ImageNet weights.</p>"
                "<p>PyTorch {1} · PySide6 {2} · pyqtgraph {3}</p>"
            ).format(
                __version__,
                getattr(torch, "__version__", self.tr("loading")),
                PySide6.__version__,
                pyqtgraph.__version__,
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.about_box = box
        box.open()  # not exec(): pages keep computing behind it

    # -------------------------------------------------------- drag and drop
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.open_path(files[0])

    # ---------------------------------------------------------------- close
    def closeEvent(self, event) -> None:
        if self._persist:
            settings = QSettings()
            settings.setValue("window/geometry", self.saveGeometry())
            settings.setValue("window/page", self.current_page_id())
        super().closeEvent(event)


def wait_until_idle(window: MainWindow, timeout_s: float = 180.0, *, every_page: bool = False) -> bool:
    """Process events until the pages are built and the current page has finished computing.

    With ``every_page`` the other pages get the same time to finish too (a screenshot should
    not show the progress bar of a page in the background); only the current page's failure
    to finish returns False.
    """
    import time

    app = QApplication.instance()
    deadline = time.monotonic() + timeout_s
    if not window.first_paint_done:
        window.load_backend()

    def busy() -> bool:
        if window.is_busy():
            return True
        return every_page and any(page.is_busy() for page in window.pages().values())

    while time.monotonic() < deadline:
        app.processEvents()
        if not busy():
            # let pending paints and deferred updates land
            for _ in range(5):
                app.processEvents()
                time.sleep(0.02)
            if not busy():
                return True
        time.sleep(0.01)
    return not window.is_busy()
