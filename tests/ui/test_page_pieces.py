"""Pages built in pieces: whole when made directly, a piece per call inside pieces_later."""

import importlib

import pytest
from PySide6.QtWidgets import QWidget

from viewer.pages import PAGES
from viewer.ui.page import Page, pieces_later


class ThreePieces(Page):
    def __init__(self) -> None:
        super().__init__()
        self.built: list[str] = []
        self.build_in_pieces(self._build())

    def _build(self):
        self.built.append("controls")
        yield
        self.built.append("plots")
        yield
        self.built.append("layout")


def test_a_page_made_directly_is_whole(qtbot):
    page = ThreePieces()
    qtbot.addWidget(page)
    assert page.built == ["controls", "plots", "layout"]
    assert page.build_next_piece() is False


def test_inside_pieces_later_each_call_builds_one_piece(qtbot):
    with pieces_later():
        page = ThreePieces()
    qtbot.addWidget(page)
    assert page.built == []
    assert page.build_next_piece() is True and page.built == ["controls"]
    assert page.build_next_piece() is True and page.built == ["controls", "plots"]
    assert page.build_next_piece() is False and page.built == ["controls", "plots", "layout"]
    assert page.build_next_piece() is False
    made_after = ThreePieces()  # the context ended: whole again
    qtbot.addWidget(made_after)
    assert made_after.built == ["controls", "plots", "layout"]


def _widgets(page) -> list[str]:
    return sorted(type(widget).__name__ for widget in page.findChildren(QWidget))


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.page_id)
def test_every_page_built_in_pieces_is_the_page_built_at_once(qtbot, spec):
    page_class = getattr(importlib.import_module(spec.module), spec.class_name)
    whole = page_class()
    with pieces_later():
        pieced = page_class()
    qtbot.addWidget(whole)
    qtbot.addWidget(pieced)
    pieces = 1
    while pieced.build_next_piece():
        pieces += 1
    assert _widgets(pieced) == _widgets(whole)
    assert type(pieced.model) is type(whole.model)
    assert pieces >= 4  # every page comes in pieces of about a frame each


def test_the_training_page_draws_the_same_legend_built_in_pieces(qtbot):
    from viewer.ui.training.page import TrainingLabPage

    whole = TrainingLabPage()
    with pieces_later():
        pieced = TrainingLabPage()
    qtbot.addWidget(whole)
    qtbot.addWidget(pieced)
    while pieced.build_next_piece():
        pass
    assert [item.text for _sample, item in pieced.curves.legend.items] == [item.text for _sample, item in whole.curves.legend.items]
    assert pieced.controls.progress.format() == whole.controls.progress.format()
