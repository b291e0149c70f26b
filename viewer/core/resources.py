"""Where the files the package carries live: samples, class names, colour tables, translations.

They sit inside the package (``viewer/resources/``, installed as package data), so that a
non-editable install, a wheel, has them too.
"""

from __future__ import annotations

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parents[1] / "resources"


def resource_path(*parts: str) -> Path:
    """A file or folder under ``viewer/resources/``."""
    return RESOURCES_DIR.joinpath(*parts)
