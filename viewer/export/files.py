"""Writing exports: where an export may go, and the PNG, GIF and NumPy writers everything uses.

Checking the path first means no work is spent on an export that cannot be written; writing
through one place means every unwritable place, full disk or bad name ends in the same kind
of :class:`~viewer.core.errors.UserError`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from viewer.core.errors import UserError

if TYPE_CHECKING:
    from PIL import Image


def checked_output_path(
    path: str | os.PathLike[str], suffixes: Sequence[str], *, option: str | None = None, add_suffix: bool = False
) -> Path:
    """``path`` if a picture with one of ``suffixes`` can be written there; else a UserError.

    ``option`` names the command-line option the path came from (its messages then say
    "--out must end in ..."); ``add_suffix`` appends the first suffix to a name that has none
    (what a file dialog's user expects).
    """
    out = Path(path)
    allowed = tuple(s.lower() for s in suffixes)
    if add_suffix and not out.suffix:
        out = out.with_suffix(allowed[0])
    if out.suffix.lower() not in allowed:
        ending = " or ".join(allowed)
        if option:
            raise UserError(f"{option} must end in {ending}, got {str(path)!r}")
        raise UserError(f"Choose a file name ending in {ending} (not {out.name}).")
    if out.is_dir():
        raise UserError(f"Cannot write {out}: it is a folder.")
    if not out.parent.is_dir():
        raise UserError(f"Cannot write {out}: the folder {out.parent} does not exist.")
    return out


def write_failure_reason(error: BaseException) -> str:
    """The part of a failed write worth showing: the OS's reason when there is one."""
    return error.strerror if isinstance(error, OSError) and error.strerror else str(error)


def _written(save, out: Path) -> Path:
    try:
        save()
    except (OSError, ValueError) as error:
        raise UserError(f"Cannot write {out}: {write_failure_reason(error)}") from None
    return out


def save_png(picture: np.ndarray | Image.Image, path: str | os.PathLike[str]) -> Path:
    """Write an (H, W, 3) uint8 array or a Pillow image as PNG; UserError when it cannot be written."""
    from PIL import Image

    out = Path(path)
    image = picture if isinstance(picture, Image.Image) else Image.fromarray(np.ascontiguousarray(picture, np.uint8), "RGB")
    return _written(lambda: image.save(out, format="PNG"), out)


def save_npy(array: np.ndarray, path: str | os.PathLike[str]) -> Path:
    """Write an array as a NumPy ``.npy`` file (exactly its values, dtype and shape)."""
    out = Path(path)
    return _written(lambda: np.save(out, np.asarray(array), allow_pickle=False), out)


def save_gif(frames: Sequence[Image.Image], path: str | os.PathLike[str], fps: float = 5.0) -> Path:
    """Write frames as a GIF that loops forever (one frame: a still GIF)."""
    if not frames:
        raise UserError("Nothing to write: there are no frames.")
    out = Path(path)
    duration = max(20, round(1000 / max(0.1, float(fps))))
    first, rest = frames[0], list(frames[1:])
    return _written(
        lambda: first.save(out, format="GIF", save_all=True, append_images=rest, duration=duration, loop=0,
                           optimize=False, disposal=1),
        out,
    )
