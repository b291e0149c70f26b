"""The Pooling lab's window view (painted by hand) and the step sentence under the maps."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QVBoxLayout, QWidget

from viewer.core import colormaps
from viewer.core.pooling import PoolSteps
from viewer.ui.pooling.window_view import DRAWN_COLOR, MAX_COLOR, PoolWindowView, nice_step
from viewer.ui.widgets.sentence_label import SentenceLabel


@pytest.mark.parametrize(("span", "count", "step"), [(0.17, 4, 0.05), (15, 3, 5), (3, 3, 1), (8, 3, 2), (1.0, 4, 0.2), (0, 3, 1.0)])
def test_ticks_are_one_two_or_five_times_a_power_of_ten(span, count, step):
    assert nice_step(span, count) == pytest.approx(step)


@pytest.fixture
def view(qtbot):
    widget = pg.GraphicsLayoutWidget()
    qtbot.addWidget(widget)
    item = PoolWindowView()
    widget.addItem(item)
    widget.resize(600, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget, item


def _step(padding: int):
    x = np.arange(16, dtype=np.float32).reshape(4, 4) / 15
    steps = PoolSteps(x, "stochastic", 3, 2, padding, training=True, seed=3)
    return steps, steps[0]


def test_the_window_is_drawn_in_the_maps_colours_with_its_numbers(view):
    widget, item = view
    steps, step = _step(padding=1)
    item.show_step(step, (0.0, 1.0), colormaps.GRAY, step.probabilities, step.drawn_index)
    texts = item.cell_texts()
    assert texts[0] == "pad" and texts[4] == f"{step.patch[1, 1]:.2f}"  # the corner is padding
    assert item.bars().sum() == pytest.approx(1.0)
    low, high = item.bar_range()
    assert low == 0 and high >= step.probabilities.max()
    picture = widget.grab().toImage()
    colours = {(picture.pixelColor(x, y).red(), picture.pixelColor(x, y).green(), picture.pixelColor(x, y).blue())
               for x in range(0, picture.width(), 2) for y in range(0, picture.height(), 2)}
    assert (MAX_COLOR.red(), MAX_COLOR.green(), MAX_COLOR.blue()) in colours  # the max cell's outline
    assert (DRAWN_COLOR.red(), DRAWN_COLOR.green(), DRAWN_COLOR.blue()) in colours  # drawn cell and bar
    brightest = tuple(int(v) for v in colormaps.colorize(np.float32([[step.patch.max()]]), (0.0, 1.0), colormaps.GRAY)[0, 0])
    assert brightest in colours


def test_no_stochastic_step_shows_the_note_inside_the_chart_and_clear_empties_it(view):
    _widget, item = view
    _steps, step = _step(padding=0)
    item.show_step(step, (0.0, 1.0), colormaps.GRAY, None, None, note="needs ReLU first")
    assert item.note() == "needs ReLU first" and item.bars().size == 0
    low, high = item.bar_range()
    assert low <= 0.5 <= high
    item.show_step(step, (0.0, 1.0), colormaps.GRAY, np.zeros((3, 3)), None)
    assert "all zero" in item.note()
    item.clear()
    assert item.cell_texts() == [] and item.note() == ""


class _LayoutRequests(QObject):
    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, _watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def test_a_new_sentence_of_the_same_height_asks_for_no_new_layout(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    label = SentenceLabel()
    layout = QVBoxLayout(parent)
    layout.addWidget(label)
    layout.addWidget(QWidget(), 1)
    parent.resize(400, 200)
    parent.show()
    qtbot.waitExposed(parent)
    label.setText("Window at (0, 0): max = <b>1</b>")
    qtbot.wait(10)
    requests = _LayoutRequests(parent)
    height = label.height()
    for index in range(5):
        label.setText(f"Window at (0, {index}): max = <b>{index}</b>")
        qtbot.wait(1)
    assert requests.count == 0 and label.text().endswith("<b>4</b>")
    label.setText(" ".join(["a long sentence that wraps"] * 40))  # many lines: it grows
    qtbot.waitUntil(lambda: label.height() > height, timeout=2000)
    assert requests.count > 0


def test_a_new_font_gives_the_sentence_the_height_of_its_lines(qtbot):
    label = SentenceLabel(lines=2)
    qtbot.addWidget(label)  # never laid out: no width yet
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    label.setFont(font)
    assert label.sizeHint().height() == 2 * label.fontMetrics().lineSpacing()
