"""Architecture panel: the course's stages as a tree down to layers, the stage table, a block diagram."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontDatabase, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import signals_blocked

NAME_ROLE = Qt.ItemDataRole.UserRole


def shape_text(shape: tuple[int, ...]) -> str:
    """(C, H, W) -> "64 x 56 x 56" (channels first, as the course's table reads)."""
    return " x ".join(str(v) for v in shape)


class ArchitectureTree(QTreeWidget):
    """Stages -> blocks -> layers, each with its output shape. Emits the selected module name."""

    node_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(2)
        self.setHeaderLabels([self.tr("Layer"), self.tr("Output (C x H x W)")])
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setUniformRowHeights(True)
        self.setIndentation(12)  # five levels deep (conv2_x > layer1 > layer1.0 > downsample > 0) still leave the names room
        self._items: dict[str, QTreeWidgetItem] = {}
        self.currentItemChanged.connect(self._current_changed)

    def populate(self, stages: list, shapes: dict[str, tuple[int, ...]]) -> None:
        """Rebuild from the stage table rows and every module's output shape; keeps the selection.

        The items are made off the view and handed to it at once (ResNet152 has ~700): one
        insertion instead of one per item keeps a switch of architecture from freezing the GUI.
        """
        selected = self.selected_name()
        descendants: dict[str, list[str]] = {}  # name -> every deeper name, in execution order
        for name in shapes:
            parts = name.split(".")
            for depth in range(1, len(parts)):
                descendants.setdefault(".".join(parts[:depth]), []).append(name)
        items: dict[str, QTreeWidgetItem] = {}
        tops = []
        for stage in stages:
            top = QTreeWidgetItem([_stage_name(stage), shape_text(stage.out_shape)])
            top.setToolTip(0, stage_description(stage.description))
            top.setData(0, NAME_ROLE, stage.modules[-1])
            tops.append(top)
            for module in stage.modules:
                self._add_subtree(top, module, shapes, descendants, items)
        with signals_blocked(self):
            self.setUpdatesEnabled(False)
            try:
                self.clear()
                self._items = items
                self.addTopLevelItems(tops)
            finally:
                self.setUpdatesEnabled(True)
        if selected:
            self.select(selected)

    def _add_subtree(self, parent: QTreeWidgetItem, name: str, shapes: dict, descendants: dict, items: dict) -> None:
        item = self._item(parent, name, name, shapes, items)
        prefix = name + "."
        children = descendants.get(name, [])
        direct = list(dict.fromkeys(prefix + child[len(prefix):].split(".")[0] for child in children))
        for child in direct:
            if child.endswith(".downsample"):
                ds = self._item(item, child, "downsample", shapes, items)
                for leaf in descendants.get(child, []):
                    self._item(ds, leaf, leaf.rsplit(".", 1)[1] + " " + (self.tr("conv 1x1") if leaf.endswith(".0") else self.tr("batch norm")), shapes, items)
            elif child in shapes and child in descendants:
                self._add_subtree(item, child, shapes, descendants, items)
            elif child in shapes:
                self._item(item, child, child.rsplit(".", 1)[1], shapes, items)

    @staticmethod
    def _item(parent: QTreeWidgetItem, name: str, text: str, shapes: dict, items: dict) -> QTreeWidgetItem:
        item = QTreeWidgetItem([text, shape_text(shapes.get(name, ()))])
        item.setData(0, NAME_ROLE, name)
        item.setToolTip(0, name)
        parent.addChild(item)
        items[name] = item
        return item

    def select(self, name: str) -> bool:
        item = self._items.get(name)
        if item is None:
            return False
        self.setCurrentItem(item)
        self.scrollToItem(item)
        return True

    def selected_name(self) -> str:
        item = self.currentItem()
        return "" if item is None else str(item.data(0, NAME_ROLE))

    def names(self) -> list[str]:
        return list(self._items)

    def _current_changed(self, current, _previous) -> None:
        if current is not None:
            self.node_selected.emit(str(current.data(0, NAME_ROLE)))


class StageTable(QTableWidget):
    """The course's stage table for the current input size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setHorizontalHeaderLabels([self.tr("Stage"), self.tr("Input"), self.tr("Output")])
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)

    def populate(self, stages: list) -> None:
        self.setRowCount(len(stages))
        for row, stage in enumerate(stages):
            for col, text in enumerate((_stage_name(stage), _hw_c(stage.in_shape), _hw_c(stage.out_shape))):
                item = QTableWidgetItem(text)
                item.setToolTip(stage_description(stage.description))
                self.setItem(row, col, item)
        self.resizeRowsToContents()
        height = self.horizontalHeader().height() + sum(self.rowHeight(r) for r in range(len(stages))) + 4
        self.setFixedHeight(height)


def _hw_c(shape: tuple[int, ...]) -> str:
    """(C, H, W) -> "56x56, 256" as in the course's table; (N,) -> "N"."""
    if len(shape) == 3:
        return f"{shape[1]}x{shape[2]}, {shape[0]}"
    return ", ".join(str(v) for v in shape)


class BlockDiagram(QWidget):
    """A small drawing of the selected residual block: its layers, the shortcut and the sum."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(130)
        self._title = ""
        self._boxes: list[tuple[str, str]] = []
        self._shortcut = ""
        self._highlight = ""

    def set_block(self, title: str, boxes: list[tuple[str, str]], shortcut: str, highlight: str = "") -> None:
        """``boxes``: (module name, text) along F; ``shortcut``: text of the shortcut path."""
        self._title, self._boxes, self._shortcut, self._highlight = title, boxes, shortcut, highlight
        self.update()

    def _words(self, text: str) -> str:
        """A box's text from core.dissect ("3x3, 128, stride 2 + BN + ReLU", "identity") with its
        words translated; sizes, layer names and BN / ReLU stay."""
        if text == "identity":
            return self.tr("identity")
        return re.sub(r"\bstride\b", self.tr("stride"), text)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.setPen(palette.text().color())
        if not self._boxes:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Select a residual block"))
            return
        w = self.width()
        block, _, kind = self._title.partition(": ")
        title = f"{block}: {self.tr(kind)}" if kind else self._title  # the kind is marked in core.dissect
        painter.drawText(QRectF(0, 0, w, 18), Qt.AlignmentFlag.AlignCenter, title)
        n = len(self._boxes)
        top, box_h = 24.0, 22.0
        gap = max(2.0, (self.height() - top - 30 - n * box_h) / max(n, 1))
        widest = max(painter.fontMetrics().horizontalAdvance(self._words(text)) for _name, text in self._boxes) + 16
        x0 = 12.0
        bw = float(max(w * 0.58, min(widest, w - 110)))
        y = top
        for name, text in self._boxes:
            rect = QRectF(x0, y, bw, box_h)
            lit = name == self._highlight or name.rstrip("0123456789").endswith("conv") and self._highlight[:-1].endswith(("bn", "relu")) and self._highlight[-1] == name[-1] and self._highlight.rsplit(".", 1)[0] == name.rsplit(".", 1)[0]
            fill = QColor("#ffd479") if lit else QColor("#dbe8f7")
            painter.setBrush(fill)
            painter.setPen(QPen(QColor("#335"), 1))
            painter.drawRoundedRect(rect, 4, 4)
            painter.setPen(QColor("#111"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self._words(text))
            y += box_h + gap
        # the sum, and the shortcut path joining it
        cx, cy = x0 + bw / 2, y + 6
        painter.setPen(QPen(palette.text().color(), 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QRectF(cx - 8, cy - 8, 16, 16))
        painter.drawLine(int(cx - 5), int(cy), int(cx + 5), int(cy))
        painter.drawLine(int(cx), int(cy - 5), int(cx), int(cy + 5))
        sx = x0 + bw + 18
        painter.drawLine(int(x0 + bw / 2), int(top - 4), int(sx), int(top - 4))
        painter.drawLine(int(sx), int(top - 4), int(sx), int(cy))
        painter.drawLine(int(sx), int(cy), int(cx + 8), int(cy))
        painter.drawText(QRectF(sx + 4, top, w - sx - 6, cy - top), Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap, self._words(self._shortcut))
        painter.drawText(QRectF(cx + 12, cy - 2, w - cx, 16), Qt.AlignmentFlag.AlignLeft, self.tr("then ReLU"))


class MakeLayerCalls(QLabel):
    """The ``make_layer`` call that builds each stage, one line per stage, as code."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(6.0, font.pointSizeF() - 2))
        self.setFont(font)
        self.setStyleSheet("color: #1f4fa0;")
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)  # short of room: the first stages

    def set_calls(self, calls: list[tuple[str, str]]) -> None:
        """(stage, code) pairs, in the stages' order."""
        self.setText("\n".join(f"{stage}: {code}" for stage, code in calls))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """As small as a word-wrapped label can be: the splitter gives it the room there is."""
        return QSize(60, 20)


class BlockCode(QPlainTextEdit):
    """The selected block's layers as code: the module's own ``repr``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(6.0, font.pointSizeF() - 1))
        self.setFont(font)
        self.setPlaceholderText(self.tr("Select a residual block to see its layers as code"))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Small: the explorer must fit a 1200x760 window (the splitter gives it room when there is some)."""
        return QSize(60, 30)

    def set_code(self, code: str | None) -> None:
        self.setPlainText(code or "")


class ArchitecturePanel(QWidget):
    """Tree, stage table, the stages' make_layer calls, block diagram and the block's code stacked in
    a vertical splitter (drag to give the tree room)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = ArchitectureTree()
        self.table = StageTable()
        self.calls = MakeLayerCalls()
        self.diagram = BlockDiagram()
        self.code = BlockCode()
        # The block as a diagram or as code, one at a time: the tree keeps its rows in a small window.
        self.block_tabs = QTabWidget()
        self.block_tabs.setDocumentMode(True)
        self.block_tabs.addTab(self.diagram, QCoreApplication.translate("ArchitecturePanel", "Block"))
        self.block_tabs.addTab(self.code, QCoreApplication.translate("ArchitecturePanel", "Code"))
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        for widget in (self.tree, self.table, self.calls, self.block_tabs):
            self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes([340, 150, 150, 150])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)


def _stage_name(stage) -> str:
    """A stage's name as shown: conv1 ... conv5_x stay, "average pool and fc" is translated."""
    return QCoreApplication.translate("StageTable", stage.name)


def stage_description(text: str) -> str:
    """A stage's description from core.activations.stage_table in the user's language.

    The core writes English sentences with counts in them; their three patterns are translated
    here with the counts carried over (an unknown sentence is shown as it is).
    """
    def kind(word: str) -> str:
        return (QCoreApplication.translate("StageTable", "bottleneck") if word.startswith("bottleneck")
                else QCoreApplication.translate("StageTable", "building block"))

    if match := re.fullmatch(r"3x3 max pool, stride 2, then (\d+) (bottlenecks?|building blocks?)", text):
        return QCoreApplication.translate("StageTable", "3x3 max pool, stride 2, then {0} {1}").format(match[1], kind(match[2]))
    if match := re.fullmatch(r"(\d+) (bottlenecks?|building blocks?), the first with stride 2", text):
        return QCoreApplication.translate("StageTable", "{0} {1}, the first with stride 2").format(match[1], kind(match[2]))
    if match := re.fullmatch(r"global average pool, then a fully connected layer to (\d+) classes", text):
        return QCoreApplication.translate("StageTable", "global average pool, then a fully connected layer to {0} classes").format(match[1])
    return QCoreApplication.translate("StageTable", text)
