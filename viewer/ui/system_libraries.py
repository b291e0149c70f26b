"""Whether Qt's X11 platform plugin can load, and which system packages it lacks when not.

Qt's own failure is "no Qt platform plugin could be initialized", with no word of what to
install. The ``xcb`` plugin needs a dozen X11 libraries that a minimal Linux install (a server,
a container, WSL) does not have. Before the QApplication exists, :func:`missing_packages`
loads the plugin once as the dynamic linker will; only when that fails does it look for each
library the plugin needs and name the Debian/Ubuntu packages that hold the missing ones.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

#: The shared libraries Qt's xcb platform plugin (and Qt's GUI library) load, and the
#: Debian/Ubuntu package of each. The README lists the same packages.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}


def uses_xcb(environ: dict[str, str] | None = None, platform: str | None = None) -> bool:
    """Whether Qt will start on its X11 (xcb) plugin: Linux, and no other platform asked for."""
    environ = os.environ if environ is None else environ
    if (platform or sys.platform) != "linux":
        return False
    asked = environ.get("QT_QPA_PLATFORM", "")
    if asked:
        return asked.split(":")[0].split(";")[0] == "xcb"
    # In a Wayland session Qt tries its Wayland plugin first.
    return not (environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") == "wayland")


def _loads(library: str) -> str | None:
    """None when the dynamic linker can load ``library``, else its message."""
    try:
        ctypes.CDLL(library)
    except OSError as error:
        return str(error)
    return None


def _plugin_path() -> Path | None:
    import PySide6

    path = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return path if path.exists() else None


def missing_packages(load=_loads, plugin: Path | None = None) -> list[str] | None:
    """The packages to install for Qt's xcb plugin to load: [] when none is missing.

    ``None`` when the plugin does not load but none of the known libraries is missing (the
    caller then lets Qt report its own error).
    """
    plugin = plugin if plugin is not None else _plugin_path()
    if plugin is None or load(str(plugin)) is None:
        return []
    missing = [package for library, package in XCB_LIBRARIES.items() if load(library) is not None]
    return missing or None


def missing_packages_message(packages: list[str]) -> str:
    """One line that names the packages and how to install them."""
    return (
        "error: the window cannot open: Qt's X11 platform plugin needs system libraries that are not "
        f"installed; install them with: sudo apt-get install {' '.join(packages)}"
    )
