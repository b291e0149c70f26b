"""Checking where an export will be written, before any work is spent on it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from viewer.core.errors import UserError


def checked_export_path(path: str, suffix: str) -> Path:
    """``path`` with ``suffix`` added when it has none; UserError for another one or a missing folder."""
    out = Path(path)
    if not out.suffix:
        out = out.with_suffix(suffix)
    if out.suffix.lower() != suffix:
        raise UserError(
            QCoreApplication.translate("Export", "Choose a file name ending in {0} (not {1}).").format(suffix, out.name)
        )
    if not out.parent.is_dir():
        raise UserError(
            QCoreApplication.translate("Export", "Could not write {0}: the folder {1} does not exist.").format(
                out, out.parent
            )
        )
    return out


def write_failure_reason(error: BaseException) -> str:
    """The part of a failed write worth showing: the OS's reason when there is one."""
    return error.strerror if isinstance(error, OSError) and error.strerror else str(error)
