"""The window in Simplified Chinese and back in English; choosing the language; the font warning."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QMessageBox

from viewer.core.i18n import LANGUAGES, language_for_locale
from viewer.pages import PAGES
from viewer.ui import language
from viewer.ui.main_window import MainWindow, wait_until_idle
from viewer.ui.widgets.sentence_label import SentenceLabel

CJK = re.compile(r"[\u4e00-\u9fff]")
#: Visible texts that stay as they are in Chinese: names, numbers, formulas, file names.
LATIN_ON_PURPOSE = re.compile(
    r"^(ResNet\d*|Sobel [xy]|Prewitt [xy]|ReLU|[A-Z]?\d+(x\d+)*|x|k|p|s|N|\W*|"
    r"English|简体中文|.*[=Σ⌊].*)$",
    re.S,  # code and formulas over several lines (the make_layer calls) count as formulas
)


@pytest.fixture
def in_language(qapp):
    """Install a language's translators for one test, and English again after it."""
    yield lambda code: language.install_translators(qapp, code)
    language.install_translators(qapp, "en")


def _window(qtbot) -> MainWindow:
    # not the default astronaut: the explorer's cache would then hand a later test's hidden
    # explorer this test's result (tests/ui/test_resnet_mosaic_layout.py expects none)
    from viewer.core.samples import load_sample

    window = MainWindow(load_sample("checkerboard"), persist_settings=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitUntil(lambda: window.pages_installed, timeout=60_000)
    return window


def _menu_titles(window: MainWindow) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


def _visible_texts(widget) -> list[str]:
    """The text of every shown label, button and group box title under ``widget``."""
    texts = []
    for kind, read in ((QLabel, QLabel.text), (SentenceLabel, SentenceLabel.text), (QAbstractButton, QAbstractButton.text),
                       (QGroupBox, QGroupBox.title)):
        for child in widget.findChildren(kind):
            if child.isVisibleTo(widget):
                text = re.sub(r"<[^>]*>|&\w+;", " ", read(child)).strip()
                if text:
                    texts.append(text)
    return texts


def test_the_window_speaks_chinese_then_english_again(qtbot, in_language):
    in_language("zh_CN")
    window = _window(qtbot)
    assert window.windowTitle() == "CNN Viewer"
    assert _menu_titles(window) == ["文件(&F)", "视图(&V)", "帮助(&H)"]
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == ["卷积", "池化", "ResNet50", "训练"]
    conv = window.page("convolution")
    assert conv.controls.source.itemText(0) == "图像：亮度"
    assert conv.controls.preset.itemText(0) == "恒等"  # a kernel preset's title, marked in core
    resnet = window.page("resnet")
    assert [resnet.tabs.tabText(i) for i in range(resnet.tabs.count())] == [
        "特征图", "通道", "批量归一化", "残差块", "池化与输出"]
    assert window.page("pooling").controls.relu_check.text() == "先做 ReLU：max(0, x)"
    training = window.page("training").controls
    assert training.start_button.text() == "开始"
    assert training.preset_box.itemText(0).startswith("退化问题")  # a training preset, marked in core
    # every page: each shown label and button is Chinese, or a name / number / formula
    for spec in PAGES:
        window.show_page(spec.page_id)
        assert wait_until_idle(window, 120)
        english = [t for t in _visible_texts(window.page(spec.page_id)) if not CJK.search(t) and not LATIN_ON_PURPOSE.match(t)]
        assert english == [], spec.page_id
    window.close()

    in_language("en")
    window = _window(qtbot)
    assert _menu_titles(window) == ["&File", "&View", "&Help"]
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [s.title for s in PAGES]
    assert window.page("training").controls.start_button.text() == "Start"
    assert window.page("convolution").controls.preset.itemText(0) == "Identity"


def test_view_language_saves_the_choice_and_says_when_it_applies(qtbot, monkeypatch):
    QSettings().remove(language.SETTINGS_KEY)
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, title, text: shown.append((title, text)))
    window = _window(qtbot)
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    languages = next(a.menu() for a in view.actions() if a.text() == "&Language")
    entries = {action.text(): action for action in languages.actions()}
    assert list(entries) == list(LANGUAGES.values())
    assert entries["English"].isChecked()
    entries["简体中文"].trigger()
    assert QSettings().value(language.SETTINGS_KEY) == "zh_CN"
    assert language.chosen_language() == "zh_CN"
    assert language.chosen_language("en") == "en"  # --lang wins over the saved choice
    assert len(shown) == 1 and "next time" in shown[0][1] and "下次启动" in shown[0][1]
    entries["English"].trigger()  # the language running now: saved, nothing to announce
    assert QSettings().value(language.SETTINGS_KEY) == "en" and len(shown) == 1
    QSettings().remove(language.SETTINGS_KEY)


def test_the_system_locale_decides_by_default():
    assert language_for_locale("zh_CN") == "zh_CN"
    assert language_for_locale("zh_TW") == "zh_CN"
    assert language_for_locale("en_GB") == "en"
    assert language_for_locale("C") == "en"


def test_qt_own_strings_are_translated_too(in_language):
    """qtbase_zh_CN.qm is installed with ours: message boxes' buttons are Chinese."""
    in_language("zh_CN")
    assert QApplication.translate("QPlatformTheme", "Cancel") == "取消"
    assert language.current_language() == "zh_CN"


def test_a_missing_chinese_font_is_warned_about(monkeypatch):
    monkeypatch.setattr(language, "has_chinese_font", lambda: False)
    assert "fonts-noto-cjk" in language.missing_font_warning("zh_CN")
    assert language.missing_font_warning("en") == ""
    monkeypatch.setattr(language, "has_chinese_font", lambda: True)
    assert language.missing_font_warning("zh_CN") == ""


@pytest.mark.parametrize("arch", ["resnet18", "resnet50"])
def test_the_stage_table_and_block_words_of_core_are_translated(in_language, arch):
    """The core's English stage descriptions and panel titles reach the user in Chinese."""
    from viewer.core.activations import stage_table
    from viewer.core.resnet import ARCHITECTURES
    from viewer.ui.resnet.block import panel_title
    from viewer.ui.resnet.tree import stage_description

    in_language("zh_CN")
    model = ARCHITECTURES[arch](num_classes=10)
    rows = stage_table(model, (32, 32))
    described = [stage_description(row.description) for row in rows]
    assert all(CJK.search(text) for text in described), described
    kind = "瓶颈结构" if arch == "resnet50" else "构建块"
    assert described[1] == f"3x3 最大池化，步长 2，然后是 {model.layers[0]} 个{kind}"
    assert described[-1] == "全局平均池化，然后是输出 10 个类别的全连接层"
    assert panel_title("x = input (maxpool)") == "x = 输入（maxpool）"
    assert panel_title("shortcut: identity") == "捷径：恒等映射"
    assert panel_title("conv1") == "conv1"


def test_a_sentence_of_the_core_is_translated_with_its_values(in_language):
    from viewer.core.geometry import output_size

    with pytest.raises(ValueError) as caught:
        output_size(3, 5, 1, 0)
    english = str(caught.value)
    assert language.translated_sentence(english) == english  # English: as the core wrote it
    in_language("zh_CN")
    assert language.translated_sentence(english) == (
        "卷积核覆盖 5 个像素（大小 5，膨胀率 1），而填充后的输入只有 3 个像素（3 + 2 x 0 填充）："
        "输出将为空。请使用更小的卷积核或膨胀率，或增加填充。")
    assert language.translated_sentence("A sentence nobody marked.") == "A sentence nobody marked."


def test_the_conv_lab_explains_an_impossible_setting_in_chinese(qtbot, in_language):
    from viewer.ui.conv.page import ConvLabPage

    in_language("zh_CN")
    lab = ConvLabPage()
    qtbot.addWidget(lab)
    lab.show()
    lab.load_course_example(1)
    lab.controls.kh.setValue(7)  # 7 rows of kernel over 5 rows of input: no output
    assert lab.model.refusal is not None and "output would be empty" in lab.model.refusal.message
    assert lab.controls.error.text().startswith("卷积核覆盖 7 个像素")


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_every_page_fits_1280x800_with_nothing_clipped(qtbot, in_language, code):
    """Each shown label (one line) and button is at least as large as its text needs, and the
    training experiments' titles fit their box: Chinese text has other widths than English."""
    in_language(code)
    window = _window(qtbot)
    clipped = []
    for spec in PAGES:
        window.show_page(spec.page_id)
        assert wait_until_idle(window, 120)
        page = window.page(spec.page_id)
        for kind in (QLabel, QAbstractButton):
            for widget in page.findChildren(kind):
                if not widget.isVisibleTo(page) or (isinstance(widget, QLabel) and (widget.wordWrap() or not widget.text())):
                    continue
                need = widget.minimumSizeHint() if isinstance(widget, QLabel) else widget.sizeHint()
                if need.width() > widget.width() or need.height() > widget.height():
                    clipped.append((spec.page_id, widget.text(), need.toTuple(), widget.size().toTuple()))
    assert clipped == []
    if code != "en":  # the English titles are longer than the box; the Chinese ones were made to fit
        box = window.page("training").controls.preset_box
        widest = max(box.fontMetrics().horizontalAdvance(box.itemText(i)) for i in range(box.count()))
        assert widest + 40 <= box.width()
