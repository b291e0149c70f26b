"""Keep the translations current: scan the sources, update the .ts files, compile the .qm files.

    python scripts/translations.py            (or: make translations)

Runs Qt's ``lupdate`` over every ``viewer/**/*.py`` (``self.tr``, ``QCoreApplication.translate``,
``QT_TRANSLATE_NOOP``) into ``viewer/resources/translations/cnn_viewer_<lang>.ts``: new strings
arrive as ``unfinished`` entries, strings no longer in the code are dropped, translations
already made are kept. Then translate the new entries (Qt Linguist:
``pyside6-linguist viewer/resources/translations/cnn_viewer_zh_CN.ts``, or by hand in the XML,
removing ``type="unfinished"``), following docs/glossary.md, and run this again: ``lrelease``
compiles each .ts to the .qm the app loads. Commit both; tests/ui/test_translations.py fails
while an entry is unfinished or a .qm is older than its .ts.

Both tools ship with PySide6-Essentials (next to the PySide6 package; ``pyside6-lupdate`` and
``pyside6-lrelease`` are wrappers around them).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES_DIR = ROOT / "viewer"
TRANSLATIONS_DIR = ROOT / "viewer" / "resources" / "translations"
#: The languages translated (English is the source language).
LANGUAGES = ("zh_CN",)


def qt_tool(name: str) -> str:
    """Path of Qt's ``lupdate`` or ``lrelease`` as PySide6 ships it."""
    import PySide6

    folder = Path(PySide6.__file__).parent
    for candidate in (folder / name, folder / f"{name}.exe", folder / "Qt" / "libexec" / name):
        if candidate.is_file():
            return str(candidate)
    wrapper = shutil.which(f"pyside6-{name}")
    if wrapper:
        return wrapper
    raise FileNotFoundError(f"Qt's {name} is not installed (it ships with PySide6-Essentials)")


def source_files() -> list[Path]:
    """Every Python file of the package, in a stable order."""
    return sorted(SOURCES_DIR.rglob("*.py"))


def ts_path(language: str, folder: Path = TRANSLATIONS_DIR) -> Path:
    return folder / f"cnn_viewer_{language}.ts"


#: lupdate copies every ``#:`` comment above a marked string into the file as a translator's
#: note; in this code base those are notes for programmers, so they are left out.
EXTRA_COMMENT = re.compile(r"^\s*<extracomment>.*?</extracomment>\n", re.MULTILINE | re.DOTALL)


def lupdate(ts: Path) -> str:
    """Update ``ts`` from the sources (no line numbers, so that a code edit elsewhere leaves the
    file unchanged; no obsolete entries); lupdate's summary."""
    command = [qt_tool("lupdate"), "-locations", "none", "-no-obsolete", "-target-language",
               ts.stem.split("_", 2)[-1], *map(str, source_files()), "-ts", str(ts)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    ts.write_text(EXTRA_COMMENT.sub("", ts.read_text(encoding="utf-8")), encoding="utf-8")
    return done.stdout + done.stderr


def lrelease(ts: Path, qm: Path) -> str:
    """Compile ``ts`` to ``qm``; lrelease's summary."""
    done = subprocess.run([qt_tool("lrelease"), str(ts), "-qm", str(qm)], check=True,
                          capture_output=True, text=True, cwd=ROOT)
    return done.stdout + done.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-update", action="store_true", help="only compile the .ts files to .qm")
    args = parser.parse_args()
    TRANSLATIONS_DIR.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        ts = ts_path(language)
        if not args.no_update:
            print(lupdate(ts).strip())
        print(lrelease(ts, ts.with_suffix(".qm")).strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
