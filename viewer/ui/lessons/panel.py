"""The Lessons dock: the course's chapters and lessons, a lesson's explanation, the button that
opens it, and its question with an answer computed from real numbers when asked."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer.models.lessons import CHAPTERS, CONTEXT, LESSONS, Answer, Lesson, lesson
from viewer.ui.workers import LatestRunner

ID_ROLE = Qt.ItemDataRole.UserRole


def translated(text: str) -> str:
    """A lesson's word, translated in the lessons' context."""
    return QCoreApplication.translate(CONTEXT, text)


class LessonsDock(QDockWidget):
    """The course as a list; ``lesson_opened`` carries the id of the lesson to open."""

    lesson_opened = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Lessons"))
        self.setObjectName("lessons-dock")
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        for index, chapter in enumerate(CHAPTERS):
            top = QTreeWidgetItem([translated(chapter)])
            top.setFlags(top.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.tree.addTopLevelItem(top)
            for item in (item for item in LESSONS if item.chapter == index):
                child = QTreeWidgetItem([translated(item.title)])
                child.setToolTip(0, translated(item.title))
                child.setData(0, ID_ROLE, item.lesson_id)
                top.addChild(child)
        self.tree.expandAll()
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold;")
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.open_button = QPushButton(self.tr("Open this lesson"))
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.question.setStyleSheet("font-style: italic;")
        self.answer_button = QPushButton(self.tr("Show the answer"))
        self.answer = QLabel()
        self.answer.setWordWrap(True)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.runner = LatestRunner(self)
        self.runner.finished.connect(self._answered)
        self.runner.failed.connect(lambda _g, error: self.answer.setText(
            self.tr("The answer could not be computed: {0}").format(error)))

        details = QWidget()
        layout = QVBoxLayout(details)
        layout.setContentsMargins(4, 4, 4, 4)
        for widget in (self.title, self.explanation, self.open_button, self.question, self.answer_button, self.answer):
            layout.addWidget(widget)
        layout.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.tree)
        splitter.addWidget(details)
        splitter.setSizes([300, 300])
        splitter.setMinimumWidth(260)
        self.setWidget(splitter)
        self.lesson_id: str | None = None
        """The lesson shown in the panel."""
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.itemActivated.connect(lambda item, _column: self._open(item))
        self.open_button.clicked.connect(lambda: self.lesson_opened.emit(self.lesson_id))
        self.answer_button.clicked.connect(self.show_answer)
        self.show_lesson(LESSONS[0].lesson_id)

    def show_lesson(self, lesson_id: str) -> None:
        """Select a lesson and show its explanation and question (its page is not touched)."""
        item = self._item(lesson_id)
        if item is not None and self.tree.currentItem() is not item:
            self.tree.setCurrentItem(item)  # comes back through _current_changed
            return
        shown: Lesson = lesson(lesson_id)
        self.lesson_id = lesson_id
        self.title.setText(translated(shown.title))
        self.explanation.setText(translated(shown.explanation))
        has_question = shown.question is not None
        self.question.setText(translated(shown.question.text) if has_question else "")
        self.question.setVisible(has_question)
        self.answer_button.setVisible(has_question)
        self.answer.setText("")
        self.runner.cancel()

    def show_answer(self) -> None:
        """Compute the shown lesson's answer from the real numbers (in a worker: PyTorch may load)."""
        shown = lesson(self.lesson_id)
        if shown.question is None:
            return
        self.answer.setText(self.tr("Computing…"))
        self.runner.submit(shown.question.answer)

    def show_answer_now(self) -> None:
        """Compute and show the answer on this thread (for screenshots: nothing else is waiting)."""
        shown = lesson(self.lesson_id)
        if shown.question is not None:
            self.runner.cancel()
            self._answered(0, shown.question.answer())

    def _answered(self, _generation: int, answer: Answer) -> None:
        self.answer.setText(answer.text(translated))

    def _item(self, lesson_id: str) -> QTreeWidgetItem | None:
        for top in range(self.tree.topLevelItemCount()):
            chapter = self.tree.topLevelItem(top)
            for index in range(chapter.childCount()):
                if chapter.child(index).data(0, ID_ROLE) == lesson_id:
                    return chapter.child(index)
        return None

    def _current_changed(self, current: QTreeWidgetItem | None, _previous) -> None:
        if current is not None and current.data(0, ID_ROLE):
            self.show_lesson(str(current.data(0, ID_ROLE)))

    def _open(self, item: QTreeWidgetItem) -> None:
        if item.data(0, ID_ROLE):
            self.lesson_opened.emit(str(item.data(0, ID_ROLE)))
