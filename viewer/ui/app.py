"""Creating the QApplication, running the GUI, and the headless screenshot command."""

from __future__ import annotations

import gc
import logging
import os
import sys

from PySide6.QtCore import QCoreApplication, QObject, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from viewer.core.errors import UserError
from viewer.core.memory import retain_freed_memory

log = logging.getLogger(__name__)
_QUIET_QT_MESSAGES = ("propagateSizeHints",)  # the offscreen platform's harmless chatter


def _qt_message_handler(kind: QtMsgType, _context, message: str) -> None:
    if any(fragment in message for fragment in _QUIET_QT_MESSAGES):
        return
    level = logging.WARNING if kind in (QtMsgType.QtWarningMsg, QtMsgType.QtInfoMsg) else logging.ERROR
    if kind == QtMsgType.QtDebugMsg:
        level = logging.DEBUG
    logging.getLogger("qt").log(level, "%s", message)


class _GuiThreadGarbageCollector(QObject):
    """Python's cycle collector, run on the GUI thread only.

    Left automatic, a collection starts in whichever thread allocates at the wrong moment: in a
    worker it can free cycles holding widgets of a closed page, and a QWidget destroyed there
    waits for a Qt lock the GUI thread holds while it waits for the GIL (seen as a hang in the
    UI tests). So automatic collection is off and this timer collects with the same thresholds
    (pyqtgraph's ``GarbageCollector`` does the same; importing it would load pyqtgraph before the
    first paint).
    """

    def __init__(self, parent: QObject, interval_ms: int = 500) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.paused = False
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> None:
        if self.paused:
            return
        counts = gc.get_count()
        for generation in (2, 1, 0):  # the oldest generation due, with the younger ones
            if all(counts[g] > self.thresholds[g] for g in range(generation + 1)):
                gc.collect(generation)
                return


def collect_garbage_on_the_gui_thread(app: QCoreApplication) -> None:
    """Move cycle collection to the GUI thread of ``app`` (once per application)."""
    if app.findChild(_GuiThreadGarbageCollector) is None:
        _GuiThreadGarbageCollector(app)


def pause_garbage_collection(app: QCoreApplication, paused: bool) -> None:
    """Hold the GUI thread's collections back (``paused``) or let them run again.

    While PyTorch is imported at start-up, each full collection walked the hundreds of
    thousands of objects the import was making, with the GIL held, so that the import waited
    for it: ``import torch`` took 1.3-1.5 s after Qt's imports, 1.2 s without collections. The
    import leaves its objects for the process's lifetime (they are frozen once it is done), so
    nothing is lost by not collecting meanwhile.
    """
    collector = app.findChild(_GuiThreadGarbageCollector)
    if collector is not None:
        collector.paused = paused


def create_application(argv: list[str] | None = None, language: str | None = None) -> QApplication:
    """The process's QApplication, with the names QSettings files are kept under, speaking
    ``language`` (``--lang``; else the saved choice, else the system locale's: see
    :mod:`viewer.ui.language`)."""
    qInstallMessageHandler(_qt_message_handler)
    retain_freed_memory()  # before any worker thread allocates: one arena for them all
    app = QApplication.instance()
    if app is None:
        if not QCoreApplication.organizationName():
            QCoreApplication.setOrganizationName("cnn-viewer")
            QCoreApplication.setApplicationName("cnn-viewer")
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setApplicationDisplayName("CNN Viewer")
    collect_garbage_on_the_gui_thread(app)
    from viewer.ui.language import chosen_language, install_translators

    install_translators(app, chosen_language(language))
    return app


def _initial_image(image: str | None, *, sample_if_none: bool = True):
    """The image to start on; ``None`` lets the window decode the default sample after painting."""
    if image is None and not sample_if_none:
        return None
    from viewer.core.samples import load_image_or_sample, load_sample

    return load_image_or_sample(image) if image else load_sample()


def run_gui(page: str | None = None, image: str | None = None, lesson: str | None = None,
            session: str | None = None, language: str | None = None) -> int:
    """Open the main window (on a bundled sample unless ``image`` is given; on ``lesson``, or the
    saved ``session``, if given) in ``language`` (None: the saved choice, else the system's) and run.

    On X11 the system libraries Qt needs are checked first: a missing one is named in one line
    (exit status 2) instead of Qt's "no Qt platform plugin could be initialized".
    """
    from viewer.ui import system_libraries

    if system_libraries.uses_xcb():
        missing = system_libraries.missing_packages()
        if missing:
            print(system_libraries.missing_packages_message(missing), file=sys.stderr)
            return 2
    app = create_application(language=language)
    from viewer.ui.errors import install_excepthook, show_error
    from viewer.ui.language import current_language, missing_font_warning
    from viewer.ui.main_window import MainWindow

    initial, problem = None, None
    try:
        initial = _initial_image(image, sample_if_none=False)
    except UserError as exc:
        problem = str(exc)  # open on the sample instead, and say why
    window = MainWindow(initial, start_page=page)
    install_excepthook(lambda: window)
    if lesson:
        window.open_lesson(lesson)
    if session:
        window.open_session(session)
    window.show()
    if problem:
        show_error(window, problem)
    font_warning = missing_font_warning(current_language(app))  # once per start
    if font_warning:
        log.warning("%s", font_warning)
        show_error(window, font_warning)
    status = app.exec()
    drain_background_work(app)
    return status


def drain_background_work(app: QApplication, timeout_ms: int = 60_000) -> None:
    """Let running workers end while their receivers still exist (no noise at exit).

    superqt queues a worker's start with a 1 ms timer when an event loop is running, so a
    worker can still be on its way after the pool looks idle: drain until it stays idle.
    """
    import time

    from PySide6.QtCore import QThreadPool

    pool = QThreadPool.globalInstance()
    deadline = time.monotonic() + timeout_ms / 1000
    idle_rounds = 0
    while idle_rounds < 3 and time.monotonic() < deadline:
        app.processEvents()
        pool.waitForDone(max(1, int((deadline - time.monotonic()) * 1000)))
        app.processEvents()
        time.sleep(0.005)
        idle_rounds = idle_rounds + 1 if pool.activeThreadCount() == 0 else 0


def take_screenshot(
    out: str,
    page: str | None = None,
    image: str | None = None,
    size: tuple[int, int] | None = None,
    timeout_s: float = 180.0,
    lesson: str | None = None,
    session: str | None = None,
    language: str | None = None,
) -> int:
    """Render the window offscreen once the page has finished computing and save a PNG.

    With ``lesson`` the window opens on that lesson, its answer shown in the Lessons panel; with
    ``session`` on that saved session (what it could not restore is printed, one line each).
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from viewer.export.files import checked_output_path

    target = checked_output_path(out, (".png",), option="--screenshot")
    initial = _initial_image(image)  # a bad image fails here, before any window exists
    if session:
        from viewer.models.session import read_session

        read_session(session)  # a file that is no session fails here too
    app = create_application(language=language)
    from viewer.ui.language import current_language, missing_font_warning
    from viewer.ui.main_window import MainWindow, wait_until_idle

    font_warning = missing_font_warning(current_language(app))
    if font_warning:
        log.warning("%s", font_warning)

    window = MainWindow(initial, start_page=page or "convolution", persist_settings=False)
    window.resize(*(size or (1400, 900)))
    if lesson:
        window.open_lesson(lesson)
    if session:
        window.open_session(session, report=False)
    window.show()
    if not wait_until_idle(window, timeout_s, every_page=True):
        raise UserError(f"The page did not finish computing within {timeout_s:.0f} s.")
    for sentence in window.session_problems:
        print(f"warning: {sentence}", file=sys.stderr)
    if lesson:
        window.lessons().show_answer_now()
    window.statusBar().clearMessage()  # progress notes of the pages; the image label stays
    app.processEvents()
    saved = window.grab().save(str(target), "PNG")
    drain_background_work(app)
    window.close()
    if not saved:
        raise UserError(f"Cannot write '{out}'.")
    print(f"wrote {target}")
    return 0
