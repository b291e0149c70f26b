"""Marking the sentences the layers below the UI write, so that the UI can translate them.

The core, the models and the page registry are Qt-free, yet some of their words reach the
user. They are marked with :func:`QT_TRANSLATE_NOOP` (the name Qt's ``lupdate`` looks for),
which returns the text unchanged; the UI translates it where it shows it, in the same context.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name Qt's lupdate looks for
    """Mark ``text`` for translation in ``context``; return it untranslated."""
    return text
