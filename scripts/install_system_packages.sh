#!/usr/bin/env bash
# The Debian packages the UI tests need beyond Python's: Qt's X11 libraries (listed once, in
# viewer/ui/system_libraries.py), and Xvfb and xdotool for the tests in a real X11 window.
# Installs the missing ones where apt-get can (as root, or with password-less sudo); anywhere
# else it says so in one line and succeeds: the tests that need them are skipped with the reason.
set -u
PY="${1:-python3}"
PACKAGES="xvfb xdotool $("$PY" -c 'from viewer.ui.system_libraries import XCB_LIBRARIES; print(" ".join(XCB_LIBRARIES.values()))')"
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
    echo "sysdeps: no apt-get here; the tests that need Xvfb or Qt's X11 libraries will be skipped"
    exit 0
fi
missing=""
for package in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "sysdeps: not root, cannot install:$missing; the tests that need them will be skipped"
        exit 0
    fi
fi
echo "sysdeps: installing$missing"
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing; } >/tmp/cnn-viewer-sysdeps.log 2>&1; then
    echo "sysdeps: apt-get could not install:$missing (see /tmp/cnn-viewer-sysdeps.log); the tests that need them will be skipped"
fi
exit 0
