"""The UI's language: which one, its translators, the View ▸ Language menu, a font for Chinese.

The language is, in order: ``--lang`` on the command line, the choice saved from View ▸ Language
(QSettings ``ui/language``), the system locale. :func:`install_translators` loads our compiled
translation (``viewer/resources/translations/cnn_viewer_<lang>.qm``) and Qt's own
``qtbase_<lang>.qm`` (file dialogs, message box buttons), so that every widget made after it
speaks that language. A choice in the menu applies at the next start (the message says so):
the pages build much of their text once, from models that hold English facts.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QActionGroup, QFontDatabase
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from viewer.core.i18n import LANGUAGES, language_for_locale, marked_templates
from viewer.core.resources import resource_path
from viewer.core.samples import SAMPLES_DIR

if TYPE_CHECKING:
    from viewer.core.images import DecodedImage

log = logging.getLogger(__name__)

SETTINGS_KEY = "ui/language"
#: Our translations: ``cnn_viewer_<lang>.ts`` (the source, kept current by ``make translations``)
#: and the compiled ``.qm`` next to it.
TRANSLATIONS_DIR = "translations"
CATALOGUE = "cnn_viewer"


def translation_file(language: str, suffix: str = ".qm"):
    """Path of our translation of ``language`` (``.qm`` compiled, ``.ts`` source)."""
    return resource_path(TRANSLATIONS_DIR, f"{CATALOGUE}_{language}{suffix}")


def saved_language() -> str | None:
    """The language chosen in View ▸ Language, if any (an unknown saved value counts as none)."""
    value = QSettings().value(SETTINGS_KEY)
    return str(value) if value in LANGUAGES else None


def chosen_language(requested: str | None = None) -> str:
    """``requested`` (``--lang``), else the saved choice, else the system locale's language."""
    if requested in LANGUAGES:
        return requested
    return saved_language() or language_for_locale(QLocale.system().name())


def current_language(app: QCoreApplication | None = None) -> str:
    """The language whose translators are installed in ``app`` (English when none are)."""
    app = app or QCoreApplication.instance()
    return str(app.property("cnn_viewer_language") or "en") if app is not None else "en"


def install_translators(app: QCoreApplication, language: str) -> None:
    """Make ``language`` the app's language: replace our translators by that language's.

    English is the source language and needs none. A missing file is logged, not fatal: the
    UI then stays English.
    """
    for translator in app.findChildren(QTranslator, "cnn_viewer_translator"):
        app.removeTranslator(translator)
        translator.deleteLater()
    app.setProperty("cnn_viewer_language", language)
    QLocale.setDefault(QLocale(language if language != "en" else "en_US"))
    if language == "en":
        return
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"{CATALOGUE}_{language}", str(translation_file(language).parent)),
                         (f"qtbase_{language}", qt_dir)):
        translator = QTranslator(app)
        translator.setObjectName("cnn_viewer_translator")
        if translator.load(name, folder):
            app.installTranslator(translator)
        else:
            log.warning("no translation %s in %s: that part of the UI stays English", name, folder)
            translator.deleteLater()


def sample_in_language(image: DecodedImage) -> DecodedImage:
    """``image`` with a bundled sample's title in the UI's language (an opened file keeps its name)."""
    if image.path is not None and image.path.parent == SAMPLES_DIR:
        return replace(image, name=QCoreApplication.translate("samples", image.name))
    return image


_PLACEHOLDER = re.compile(r"\{(\d+)(?::[^{}]*)?\}")
#: The context of the sentences the layers below the UI write for the user (errors, refusals).
SENTENCES = "UserError"


def _pattern(template: str) -> re.Pattern[str]:
    """A regular expression that matches what ``template.format(...)`` produced and captures
    each placeholder's text (a repeated one must repeat the same text)."""
    parts, seen, last = [], set(), 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[last:match.start()]))
        index = match[1]
        parts.append(f"(?P=v{index})" if index in seen else f"(?P<v{index}>.+?)")
        seen.add(index)
        last = match.end()
    parts.append(re.escape(template[last:]))
    return re.compile("".join(parts), re.DOTALL)


def translated_sentence(text: str, context: str = SENTENCES) -> str:
    """A sentence written below the UI, in the UI's language where there is a translation.

    A fixed sentence is looked up as it is; one built from a marked template (see
    :func:`viewer.core.i18n.marked_templates`) is matched against the template, and the
    translated template is filled with the same values. Anything else stays as it is.
    """
    translated = QCoreApplication.translate(context, text)
    if translated != text or current_language() == "en":
        return translated
    for template in marked_templates(context):
        match = _pattern(template).fullmatch(text)
        if match is None:
            continue
        target = QCoreApplication.translate(context, template)
        if target == template:
            return text
        return _PLACEHOLDER.sub(lambda placeholder, found=match: found[f"v{placeholder[1]}"], target)
    return text


def has_chinese_font() -> bool:
    """Whether any installed font covers Simplified Chinese (without one Qt draws boxes)."""
    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def missing_font_warning(language: str) -> str:
    """The sentence to show once when ``language`` needs a font that is not installed ("" if fine)."""
    if language != "zh_CN" or has_chinese_font():
        return ""
    return QCoreApplication.translate(
        "Language",
        "No installed font covers Chinese, so Chinese text shows as boxes. Install a CJK font "
        "(on Debian or Ubuntu: sudo apt-get install fonts-noto-cjk), or choose English in "
        "View ▸ Language.",
    )


def add_language_menu(menu: QMenu, window: QWidget) -> QMenu:
    """A Language sub-menu of ``menu`` with one checkable entry per language.

    Choosing one saves it and says that it applies at the next start.
    """
    submenu = menu.addMenu(QCoreApplication.translate("Language", "&Language"))
    group = QActionGroup(submenu)
    group.setExclusive(True)
    current = current_language()
    for code, name in LANGUAGES.items():
        action = submenu.addAction(name)  # each language in its own words: not translated
        action.setCheckable(True)
        action.setChecked(code == current)
        action.setData(code)
        group.addAction(action)
    group.triggered.connect(lambda action: choose_language(window, str(action.data())))
    return submenu


def choose_language(window: QWidget | None, language: str) -> None:
    """Save ``language`` for the next start and tell the user so (in both languages when they
    differ, since the reader may not read the current one)."""
    QSettings().setValue(SETTINGS_KEY, language)
    if language == current_language():
        return
    text = QCoreApplication.translate(
        "Language", "The language changes to {0} the next time CNN Viewer starts."
    ).format(LANGUAGES[language])
    if language == "zh_CN":
        text += "\n\n下次启动 CNN Viewer 时界面将切换为简体中文。"
    else:
        text += "\n\nCNN Viewer will be in English the next time it starts."
    if window is not None:
        QMessageBox.information(window, QCoreApplication.translate("Language", "Language"), text)
