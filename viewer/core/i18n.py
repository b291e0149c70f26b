"""Marking the sentences the layers below the UI write, so that the UI can translate them.

The core, the models and the page registry are Qt-free, yet some of their words reach the
user. They are marked with :func:`QT_TRANSLATE_NOOP` (the name Qt's ``lupdate`` looks for),
which returns the text unchanged; the UI translates it where it shows it, in the same context.
"""

from __future__ import annotations

#: The marked texts with placeholders (``{0}``), by context, as the code has used them so far:
#: a sentence built from one (``QT_TRANSLATE_NOOP(ctx, "... {0} ...").format(n)``) can be told
#: apart from its values and translated whole by the UI (viewer.ui.language.translated_sentence).
_TEMPLATES: dict[str, set[str]] = {}


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name Qt's lupdate looks for
    """Mark ``text`` for translation in ``context``; return it untranslated."""
    if "{" in text:
        _TEMPLATES.setdefault(context, set()).add(text)
    return text


def marked_templates(context: str) -> tuple[str, ...]:
    """The texts with placeholders marked in ``context`` so far, longest first (the most
    specific pattern wins)."""
    return tuple(sorted(_TEMPLATES.get(context, ()), key=len, reverse=True))


#: The languages the UI comes in: the code ``--lang`` takes (a Qt locale name) and the name
#: shown in View ▸ Language, written in that language so that a reader finds their own.
LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "简体中文"}


def language_for_locale(locale_name: str) -> str:
    """The UI language for a system locale name such as ``zh_CN`` or ``en_US`` (English unless
    the locale is Chinese: every Chinese locale gets the Simplified Chinese translation)."""
    return "zh_CN" if locale_name.lower().startswith("zh") else "en"
