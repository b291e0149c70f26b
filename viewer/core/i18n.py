"""Marking the sentences the layers below the UI write, so that the UI can translate them.

The core, the models and the page registry are Qt-free, yet some of their words reach the
user. They are marked with :func:`QT_TRANSLATE_NOOP` (the name Qt's ``lupdate`` looks for),
which returns the text unchanged; the UI translates it where it shows it, in the same context.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name Qt's lupdate looks for
    """Mark ``text`` for translation in ``context``; return it untranslated."""
    return text


#: The languages the UI comes in: the code ``--lang`` takes (a Qt locale name) and the name
#: shown in View ▸ Language, written in that language so that a reader finds their own.
LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "简体中文"}


def language_for_locale(locale_name: str) -> str:
    """The UI language for a system locale name such as ``zh_CN`` or ``en_US`` (English unless
    the locale is Chinese: every Chinese locale gets the Simplified Chinese translation)."""
    return "zh_CN" if locale_name.lower().startswith("zh") else "en"
