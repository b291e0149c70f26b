"""The "Open recent" list, kept in QSettings between runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QMenu

MAX_RECENT = 10
_KEY = "recent/files"


class RecentFiles(QObject):
    """Recently opened image files, newest first; ``enabled=False`` keeps nothing (headless runs)."""

    def __init__(self, parent: QObject | None = None, *, enabled: bool = True) -> None:
        super().__init__(parent)
        self._enabled = enabled

    def entries(self) -> list[str]:
        """Full paths, newest first."""
        value = QSettings().value(_KEY, [])
        if isinstance(value, str):  # QSettings returns a lone entry as a plain string
            value = [value]
        return [str(v) for v in (value or [])]

    def remember(self, path: Path) -> None:
        """Put ``path`` first (once), keeping at most :data:`MAX_RECENT`."""
        if not self._enabled:
            return
        entry = str(path.resolve())
        files = [entry] + [f for f in self.entries() if f != entry]
        QSettings().setValue(_KEY, files[:MAX_RECENT])

    def forget(self, path: Path) -> bool:
        """Drop ``path`` (e.g. a file deleted since); whether it was in the list."""
        files = self.entries()
        remaining = [f for f in files if f not in (str(path), str(path.resolve()))]
        if len(remaining) == len(files):
            return False
        QSettings().setValue(_KEY, remaining)
        return True

    def clear(self) -> None:
        QSettings().remove(_KEY)

    def fill_menu(self, menu: QMenu, open_path: Callable[[str], None]) -> None:
        """Rebuild ``menu`` with one action per file (numbered 1-9, 0) and "Clear list"."""
        menu.clear()
        files = self.entries()
        if not files:
            menu.addAction(self.tr("(none yet)")).setEnabled(False)
            return
        for index, file in enumerate(files, start=1):
            label = Path(file).name.replace("&", "&&")  # a literal '&', not a shortcut marker
            action = menu.addAction(f"&{index % 10} {label}")
            action.setStatusTip(file)
            action.triggered.connect(lambda _=False, f=file: open_path(f))
        menu.addSeparator()
        menu.addAction(self.tr("Clear list"), self.clear)
