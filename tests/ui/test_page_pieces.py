"""Pages built in pieces: whole when made directly, a piece per call inside pieces_later."""

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


def test_the_training_page_is_the_same_built_in_pieces(qtbot):
    from viewer.ui.training.page import TrainingLabPage

    whole = TrainingLabPage()
    with pieces_later():
        pieced = TrainingLabPage()
    qtbot.addWidget(whole)
    qtbot.addWidget(pieced)
    calls = 1
    while pieced.build_next_piece():
        calls += 1
    assert calls >= 4  # the controls, three plots, the layout and the first drawing come apart
    assert pieced.model.network_names() == whole.model.network_names()
    assert pieced.curves.legend.isVisible() == whole.curves.legend.isVisible()
    assert [item.text for _sample, item in pieced.curves.legend.items] == [item.text for _sample, item in whole.curves.legend.items]
    assert pieced.controls.progress.format() == whole.controls.progress.format()
