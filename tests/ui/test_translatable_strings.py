"""Every user-visible string in the UI goes through tr() / QCoreApplication.translate.

The check reads the source with :mod:`ast`: a string literal (or f-string) with letters in it,
passed straight to a text-taking Qt call (``setText``, ``QLabel(...)``, ``addAction`` ...),
is text a translator never sees. ``python tests/ui/test_translatable_strings.py`` lists every
such call under viewer/ui/.
"""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UI_FILES = sorted((ROOT / "viewer" / "ui").rglob("*.py"))

#: Calls whose string arguments are shown to the user.
TEXT_CALLS = {
    # widgets and actions built with their text
    "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QToolButton", "QAction",
    "QListWidgetItem", "QTreeWidgetItem", "QTableWidgetItem", "QCommandLinkButton", "QMenu",
    "QDockWidget", "QToolBar", "QMessageBox",
    # setters
    "setText", "setToolTip", "setStatusTip", "setWhatsThis", "setWindowTitle", "setPlaceholderText",
    "setTitle", "setTabText", "setTabToolTip", "setInformativeText", "setLabelText", "setSuffix",
    "setPrefix", "setSpecialValueText", "setFormat", "setHeaderLabels", "setHorizontalHeaderLabels",
    "setVerticalHeaderLabels", "showMessage", "setItemText", "setHtml", "setPlainText", "setMarkdown",
    "setLabel", "setLabels",
    # containers that take a caption
    "addAction", "addMenu", "addTab", "insertTab", "addToolBar", "addItem", "addItems", "addRow",
    # message boxes
    "information", "warning", "critical", "question", "about",
    # file and input dialogs (caption, filter)
    "getOpenFileName", "getSaveFileName", "getExistingDirectory", "getText", "getInt", "getItem",
}
#: Argument positions that are not text: pyqtgraph's ``setLabel("left", "Count")`` names an
#: axis, a file dialog's third argument is the proposed file name.
NOT_TEXT = {"setLabel": {0}, "getOpenFileName": {2}, "getSaveFileName": {2}, "getExistingDirectory": {2}}
#: Keyword arguments that carry visible text (pyqtgraph titles and labels, among others).
TEXT_KEYWORDS = {"text", "title", "toolTip", "tooltip", "label"}
#: ``log.warning("...")`` is for the log, not the user.
LOGGERS = {"log", "logger", "logging", "_log", "LOG"}

def _visible_text(node: ast.AST) -> str:
    """The fixed text of a string literal or f-string, without HTML tags ("" for anything else)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "\0".join(part.value if isinstance(part, ast.Constant) else "" for part in node.values)
    elif isinstance(node, (ast.List, ast.Tuple)):
        return " ".join(_visible_text(element) for element in node.elts)
    elif isinstance(node, ast.IfExp):
        return _visible_text(node.body) + " " + _visible_text(node.orelse)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _visible_text(node.left) + " " + _visible_text(node.right)
    else:
        return ""
    return re.sub(r"<[^>]*>", " ", text)


def _is_visible_literal(node: ast.AST, first: bool) -> bool:
    """Literal text with a word in it (two letters or more: "x" in "3 x 3" is a sign).

    After the first argument, identifier-like strings ("feature", "cell") are item data, not text.
    """
    text = _visible_text(node)
    if not first and re.fullmatch(r"[a-z0-9_.]*", text):
        return False
    return re.search(r"[^\W\d_]{2,}", text) is not None


def _call_name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return ""


def _receiver(attribute: ast.Attribute) -> str:
    return attribute.value.id if isinstance(attribute.value, ast.Name) else ""


def untranslated_calls(source: str) -> list[tuple[int, str]]:
    """(line, call) of each text-taking call given a literal instead of tr(...)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        if name not in TEXT_CALLS and not any(kw.arg in TEXT_KEYWORDS for kw in node.keywords):
            continue
        if isinstance(node.func, ast.Attribute) and _receiver(node.func) in LOGGERS:
            continue
        skipped = NOT_TEXT.get(name, set())
        positional = [arg for i, arg in enumerate(node.args) if i not in skipped]
        arguments = [(arg, i == 0) for i, arg in enumerate(positional)] if name in TEXT_CALLS else []
        arguments += [(kw.value, True) for kw in node.keywords if kw.arg in TEXT_KEYWORDS]
        if any(_is_visible_literal(argument, first) for argument, first in arguments):
            found.append((node.lineno, name))
    return found


def offences() -> dict[str, list[tuple[int, str]]]:
    """Every file under viewer/ui with untranslated calls, by path relative to the repository."""
    result = {}
    for path in UI_FILES:
        calls = untranslated_calls(path.read_text(encoding="utf-8"))
        if calls:
            result[path.relative_to(ROOT).as_posix()] = calls
    return result


def test_the_scanner_finds_literals_and_accepts_tr():
    source = textwrap.dedent(
        """
        label = QLabel("Stride")
        button.setToolTip(f"Step {n}")
        menu.addAction(self.tr("Open"))
        box.setText(QCoreApplication.translate("Ctx", "Saved"))
        plot.setLabel("left", text="Count")
        cell.setText("×")
        cell.setText(str(value))
        size.setText(f"{rows} x {cols}")
        status.setText(f"<b style='color:{colour}'>{text}</b>")
        combo.addItem(self.tr("row by row"), "row")
        combo.addItem("Row by row", "row")
        log.warning("Cannot open %s", name)
        label = QLabel("Stride" if wide else self.tr("S"))
        label.setText(self.tr("Kernel") + " size")
        axis.setLabel("left", self.tr("Count"))
        axis.setLabel("bottom", "Value")
        """
    )
    assert untranslated_calls(source) == [(2, "QLabel"), (3, "setToolTip"), (6, "setLabel"), (12, "addItem"), (14, "QLabel"), (15, "setText"), (17, "setLabel"),
    ]


@pytest.mark.parametrize("path", UI_FILES, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_every_ui_file_translates_every_visible_string(path):
    assert untranslated_calls(path.read_text(encoding="utf-8")) == []


if __name__ == "__main__":
    for file, calls in offences().items():
        print(file + ": " + ", ".join(f"{line} {name}" for line, name in calls))
