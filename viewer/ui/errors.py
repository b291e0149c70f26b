"""Every exception that reaches the event loop ends in a readable dialog and a log line.

Qt swallows exceptions raised in slots (it prints them and carries on), so without this a bug
would look like a button that does nothing. A :class:`~viewer.core.errors.UserError` is the
user's to fix and gets a plain warning; anything else is our bug and gets a critical dialog
with the traceback under "Show Details".

Two things keep the window usable when errors come fast or from elsewhere: a report from a
thread other than the GUI thread is handed to the GUI thread (widgets may only be made
there), and while an error dialog is open a repeat of it (a failing animation timer raises
sixty times a second) is logged and counted in that dialog instead of stacking new ones.
"""

from __future__ import annotations

import functools
import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt, QThread
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from viewer.core.errors import UserError
from viewer.ui.language import translated_sentence

log = logging.getLogger("viewer.ui")


#: The error dialogs now open, by kind ("bug" or "user"); a repeat updates one instead.
_open_boxes: dict[str, QMessageBox] = {}


def _visible_box(kind: str) -> QMessageBox | None:
    import shiboken6

    box = _open_boxes.get(kind)
    if box is not None and shiboken6.isValid(box) and box.isVisible():
        return box
    _open_boxes.pop(kind, None)
    return None


def show_error(
    parent: QWidget | None, message: str, details: str = "", *, bug: bool = False, title: str = ""
) -> None:
    """A modal message box; non-blocking in headless runs so nothing hangs.

    While a box of the same kind is open, the new message is counted in it rather than shown
    in a second box on top (a storm of errors must not bury the window).
    """
    app = QApplication.instance()
    if app is None:
        print(f"error: {message}", file=sys.stderr)
        return
    message = translated_sentence(message)
    kind = "bug" if bug else "user"
    box = _visible_box(kind)
    if box is not None:
        if box.text() != message or bug:
            repeats = int(box.property("repeats") or 0) + 1
            box.setProperty("repeats", repeats)
            box.setInformativeText(
                QCoreApplication.translate("Errors", "{0} more error(s) since this one; see the log for each.").format(repeats)
            )
        return
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical if bug else QMessageBox.Icon.Warning)
    box.setWindowTitle(title or (QCoreApplication.translate("Errors", "Unexpected error") if bug else QCoreApplication.translate("Errors", "Cannot do that")))
    box.setText(message)
    if details:
        box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    _open_boxes[kind] = box
    # open() rather than exec(): the event loop (and any running worker) keeps going.
    box.open()


def report_exception(exc: BaseException, parent: QWidget | None = None) -> None:
    """Log an exception and show it to the user (from any thread)."""
    if not _in_gui_thread():
        _hand_to_gui_thread(exc)
        return
    if isinstance(exc, UserError):
        log.warning("%s", exc)
        show_error(parent, str(exc))
        return
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    log.error("unexpected error: %s", details)
    show_error(
        parent,
        QCoreApplication.translate("Errors", "Something went wrong: {0}. The app keeps running; details below.").format(
            f"{type(exc).__name__}: {exc}"
        ),
        details,
        bug=True,
    )


def _in_gui_thread() -> bool:
    app = QApplication.instance()
    return app is None or QThread.currentThread() is app.thread()


_parent_getter: Callable[[], QWidget | None] | None = None


@functools.cache
def _gui_thread_reporter() -> Callable[[BaseException], None]:
    """:func:`report_exception`, called from any thread, run on the GUI thread.

    Made on first use: superqt costs a fifth of a second to import, which start-up cannot
    spare before the first paint, and a worker that can fail has loaded it by then anyway.
    """
    from superqt.utils import ensure_main_thread

    return ensure_main_thread(lambda exc: report_exception(exc, _parent_getter() if _parent_getter else None))


def _hand_to_gui_thread(exc: BaseException) -> None:
    if _parent_getter is None:  # no hook installed: the log line is all we can do safely
        log.error("error in a background thread", exc_info=(type(exc), exc, exc.__traceback__))
        return
    _gui_thread_reporter()(exc)


def install_excepthook(parent_getter: Callable[[], QWidget | None] = lambda: None) -> None:
    """Route uncaught exceptions (slots, timers, worker callbacks) to :func:`report_exception`.

    Call it from the GUI thread once the QApplication exists. Exceptions raised in other
    threads are logged there and shown from the GUI thread.
    """
    global _parent_getter
    _parent_getter = parent_getter

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        exc.__traceback__ = tb
        if _in_gui_thread():
            report_exception(exc, parent_getter())
        else:
            _hand_to_gui_thread(exc)

    sys.excepthook = hook
