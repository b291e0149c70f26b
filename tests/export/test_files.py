"""Where an export may go, and the PNG / GIF writers: every failure is one UserError sentence."""

import numpy as np
import pytest
from PIL import Image

from viewer.core.errors import UserError
from viewer.export.files import checked_output_path, save_gif, save_png


def test_save_png_roundtrip_and_error(tmp_path):
    rgb = np.zeros((3, 5, 3), np.uint8)
    rgb[1, 2] = (10, 20, 30)
    path = save_png(rgb, tmp_path / "x.png")
    assert np.array_equal(np.asarray(Image.open(path)), rgb)
    with pytest.raises(UserError, match="Cannot write"):
        save_png(rgb, tmp_path / "missing" / "x.png")


def test_save_gif_loops_every_frame(tmp_path):
    frames = [Image.new("RGB", (8, 6), (i * 40, 0, 0)) for i in range(4)]
    path = save_gif(frames, tmp_path / "a.gif", fps=10)
    with Image.open(path) as gif:
        assert gif.n_frames == 4 and gif.info["loop"] == 0 and gif.info["duration"] == 100
    with pytest.raises(UserError):
        save_gif([], tmp_path / "b.gif")


def test_checked_output_path_names_the_rule(tmp_path):
    assert checked_output_path(tmp_path / "a", (".png",), add_suffix=True) == tmp_path / "a.png"
    assert checked_output_path(tmp_path / "A.PNG", (".png",)) == tmp_path / "A.PNG"
    with pytest.raises(UserError, match=r"ending in \.png \(not a\.jpg\)"):
        checked_output_path(tmp_path / "a.jpg", (".png",))
    with pytest.raises(UserError, match=r"^--out must end in \.gif or \.png, got"):
        checked_output_path(tmp_path / "a.jpg", (".gif", ".png"), option="--out")
    with pytest.raises(UserError, match="does not exist"):
        checked_output_path(tmp_path / "nowhere" / "a.png", (".png",))
    (tmp_path / "folder.png").mkdir()
    with pytest.raises(UserError, match="it is a folder"):
        checked_output_path(tmp_path / "folder.png", (".png",))
