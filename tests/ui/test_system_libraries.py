"""Start-up on a machine without Qt's X11 libraries: one line naming the packages to install."""

from __future__ import annotations

from pathlib import Path

from viewer.ui import app, system_libraries
from viewer.ui.system_libraries import XCB_LIBRARIES, missing_packages, uses_xcb

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _loader(missing: set[str]):
    def load(library: str) -> str | None:
        if library in missing or (library.endswith("libqxcb.so") and missing):
            return f"{next(iter(missing))}: cannot open shared object file"
        return None

    return load


def test_nothing_missing_when_the_plugin_loads():
    assert missing_packages(_loader(set()), Path("libqxcb.so")) == []


def test_names_every_missing_package():
    load = _loader({"libxcb-cursor.so.0", "libxcb-icccm.so.4"})
    assert missing_packages(load, Path("libqxcb.so")) == ["libxcb-cursor0", "libxcb-icccm4"]


def test_unknown_failure_leaves_qt_to_explain():
    def load(library: str) -> str | None:
        return "broken" if library.endswith("libqxcb.so") else None

    assert missing_packages(load, Path("libqxcb.so")) is None


def test_only_checked_where_qt_uses_x11():
    assert uses_xcb({}, "linux")
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not uses_xcb({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not uses_xcb({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, "linux")
    assert not uses_xcb({}, "darwin")


def test_run_gui_prints_one_line_and_stops(monkeypatch, capsys):
    monkeypatch.setattr(system_libraries, "uses_xcb", lambda: True)
    monkeypatch.setattr(system_libraries, "missing_packages", lambda: ["libxcb-cursor0", "libxcb-keysyms1"])
    assert app.run_gui() == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert "apt-get install libxcb-cursor0 libxcb-keysyms1" in lines[0]


def test_readme_lists_every_package():
    for package in XCB_LIBRARIES.values():
        assert package in README, package
