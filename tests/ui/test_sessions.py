"""Sessions through the window: save, open in another window, the same screens; damaged files
explained; --session with --screenshot."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from tests.ui.test_command_line import run_viewer
from tests.ui.test_main_window import _close_message_boxes
from viewer.ui.main_window import MainWindow, wait_until_idle


def _window() -> MainWindow:
    win = MainWindow(persist_settings=False)
    win.resize(1400, 900)
    win.show()
    assert wait_until_idle(win, 120)
    return win


@pytest.fixture(scope="module")
def windows(qapp):
    QSettings().clear()
    first, second = _window(), _window()
    yield first, second
    first.close()
    second.close()


@pytest.mark.parametrize("page_id", ["convolution", "pooling", "resnet", "training"])
def test_a_saved_session_restores_the_same_screens(windows, tmp_path, page_id):
    first, second = windows
    first.open_sample("cat")
    conv = first.page("convolution")
    conv.apply_to_model(lambda m: m.set_settings(replace(m.settings, source="luminance", preset="laplacian",
                                                         stride=(2, 2), padding=(2, 2))))
    conv.apply_to_model(lambda m: m.edit_kernel(0, 1, 2, -0.5))
    conv.shift_panel.setChecked(True)
    conv.shift_panel.dy.setValue(2)
    pooling = first.page("pooling")
    pooling.apply_preset("texture_patch")
    pooling.set_window(3, 2, 1)
    first.page("resnet").apply_to_model(lambda m: (setattr(m, "arch", "resnet18"), setattr(m, "size", 64),
                                                   setattr(m, "node", "layer3.0"), m.forward_job())[-1])
    first.page("training").choose_preset("gradients")
    first.show_page(page_id)
    assert wait_until_idle(first, 120)
    first.page("resnet").model.set_channel(9)
    path = tmp_path / "s.cnnsession.json"
    assert first.save_session(path)

    second.open_session(path)
    assert wait_until_idle(second, 120)
    assert second.session_problems == [] and _close_message_boxes() == []
    assert second.current_page_id() == page_id
    assert second.image.name == "Cat"
    a, b = first.page("convolution"), second.page("convolution")
    for name in ("source", "preset", "kernel_hw", "stride", "padding", "padding_mode", "bias"):
        assert getattr(a.model.settings, name) == getattr(b.model.settings, name), name
    np.testing.assert_array_equal(a.model.kernel, b.model.kernel)
    np.testing.assert_array_equal(a.model.result.steps.output, b.model.result.steps.output)
    assert b.shift_panel.model.shown and b.shift_panel.model.shift == (2, 0)
    assert b.shift_panel.model.result is not None
    assert first.page("pooling").model.settings == second.page("pooling").model.settings
    assert second.page("pooling").model.preset == "texture_patch"
    ea, eb = first.page("resnet").model, second.page("resnet").model
    assert (eb.arch, eb.size, eb.node) == ("resnet18", 64, "layer3.0") and eb.channel == ea.channel == 9
    if page_id == "resnet":
        assert eb.result is not None and eb.node_view.name == "layer3.0"
    assert second.page("training").model.settings == first.page("training").model.settings


def test_a_damaged_session_says_what_it_could_not_restore(windows, tmp_path):
    _, second = windows
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps({"format": "cnn-viewer-session", "version": 1, "page": "pooling",
                                "pooling": {"kernel": "big"}, "explorer": "resnet"}))
    second.open_session(path)
    assert wait_until_idle(second, 60)
    assert second.current_page_id() == "pooling"
    assert any("\"kernel\"" in p for p in second.session_problems)
    assert any("explorer settings" in p for p in second.session_problems)
    texts = _close_message_boxes()
    assert len(texts) == 1 and "\"kernel\"" in texts[0]
    path.write_text("{ not json")
    second.open_session(path)
    assert "JSON" in second.session_problems[0] and len(_close_message_boxes()) == 1


def test_session_on_the_command_line(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"format": "cnn-viewer-session", "version": 1, "page": "pooling",
                                "image": {"sample": "stripes"}, "pooling": {"kernel": 3, "stride": 3,
                                                                            "colormap": "nope"}}))
    out = tmp_path / "s.png"
    shot = run_viewer("--session", str(path), "--screenshot", str(out), "--size", "1100x750")
    assert shot.returncode == 0, shot.stderr
    assert out.exists() and "warning: There is no colormap" in shot.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("[]")
    failed = run_viewer("--session", str(bad), "--screenshot", str(tmp_path / "x.png"))
    assert failed.returncode == 2 and failed.stderr.strip().count("\n") == 0
    assert "not a session file" in failed.stderr and not (tmp_path / "x.png").exists()
