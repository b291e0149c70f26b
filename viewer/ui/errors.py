"""Every exception that reaches the event loop ends in a readable dialog and a log line.

Qt swallows exceptions raised in slots (it prints them and carries on), so without this a bug
would look like a button that does nothing. A :class:`~viewer.core.errors.UserError` is the
user's to fix and gets a plain warning; anything else is our bug and gets a critical dialog
with the traceback under "Show Details".
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from viewer.core.errors import UserError

log = logging.getLogger("viewer.ui")


def _tr(text: str) -> str:
    return QCoreApplication.translate("Errors", text)


def show_error(parent: QWidget | None, message: str, details: str = "", *, bug: bool = False) -> None:
    """A modal message box; non-blocking in headless runs so nothing hangs."""
    if QApplication.instance() is None:
        print(f"error: {message}", file=sys.stderr)
        return
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical if bug else QMessageBox.Icon.Warning)
    box.setWindowTitle(_tr("Unexpected error") if bug else _tr("Cannot do that"))
    box.setText(message)
    if details:
        box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    # open() rather than exec(): the event loop (and any running worker) keeps going.
    box.open()


def report_exception(exc: BaseException, parent: QWidget | None = None) -> None:
    """Log an exception and show it to the user."""
    if isinstance(exc, UserError):
        log.warning("%s", exc)
        show_error(parent, str(exc))
        return
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    log.error("unexpected error: %s", details)
    show_error(
        parent,
        _tr("Something went wrong: {0}. The app keeps running; details below.").format(
            f"{type(exc).__name__}: {exc}"
        ),
        details,
        bug=True,
    )


def install_excepthook(parent_getter=lambda: None) -> None:
    """Route uncaught exceptions (slots, timers, worker callbacks) to :func:`report_exception`."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        exc.__traceback__ = tb
        report_exception(exc, parent_getter())

    sys.excepthook = hook
