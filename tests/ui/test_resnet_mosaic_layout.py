"""The explorer's mosaic fits the area it is shown in: a hidden explorer computes nothing, and
its first mosaic, once shown, is laid out for the visible area (not the blind default)."""

from viewer.core.samples import load_sample
from viewer.ui.main_window import MainWindow, wait_until_idle


def _grid_aspect(explorer) -> float:
    rows, cols = explorer.mosaic.mosaic.indices.shape
    return cols / rows


def test_mosaic_relaid_out_when_the_hidden_page_is_shown(qtbot):
    window = MainWindow(load_sample("astronaut"), start_page="convolution", persist_settings=False)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    assert wait_until_idle(window, 120, every_page=True)
    explorer = window.page("resnet")
    assert explorer.model.result is None  # hidden: nothing computed
    window.show_page("resnet")
    graphics = explorer.mosaic.graphics
    visible = graphics.width() / graphics.height()
    assert abs(visible - 1.5) > 0.2, "the test needs a visible area unlike the blind default"
    qtbot.waitUntil(lambda: not explorer.is_busy() and explorer.mosaic.mosaic is not None, timeout=60_000)
    qtbot.waitUntil(lambda: abs(_grid_aspect(explorer) - visible) < 0.2, timeout=10_000)
