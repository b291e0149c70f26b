#!/usr/bin/env bash
# A font that covers Chinese, for the Chinese screenshots (without one Qt draws boxes).
# Nothing to do when fontconfig already knows one; else installs Debian's fonts-noto-cjk where
# apt-get can (as root, or with password-less sudo), and fails with the reason anywhere else.
set -u
if command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "cjk font: no font covers Chinese and there is no apt-get: install a CJK font (e.g. Noto Sans CJK SC)" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "cjk font: not root: run 'sudo apt-get install fonts-noto-cjk' first" >&2
        exit 1
    fi
fi
echo "cjk font: installing fonts-noto-cjk"
{ $SUDO apt-get install -y -qq --no-install-recommends fonts-noto-cjk \
  || { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends fonts-noto-cjk; }; } \
  >/tmp/cnn-viewer-cjk-font.log 2>&1 || { echo "cjk font: apt-get failed (see /tmp/cnn-viewer-cjk-font.log)" >&2; exit 1; }
