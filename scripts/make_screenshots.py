"""Regenerate every picture in the README, reproducibly, with the app itself.

    python scripts/make_screenshots.py [--samples] [NAME ...]

Writes into docs/screenshots/, all at 1400x900:

- ``window_<page>.png``: each page as the app opens on it, made by the app's own headless
  command ``python -m viewer --screenshot`` (one process per page);
- the detailed views (``conv_lab_5x5``, ``conv_lab_photo``, ``pooling_lab``, ``resnet_mosaic``,
  ``resnet_channel``, ``resnet_bn``, ``resnet_block``, ``resnet_pooling``): one real
  :class:`~viewer.ui.main_window.MainWindow`, driven through the pages' public methods into the
  state the README describes, grabbed once every page has finished computing (no busy bar).

- the lessons (``lessons_panel``, ``conv_shift``, ``pooling_shift``, ``resnet_make_layer``):
  lessons opened from the Lessons panel, their questions answered;
- the training lab (``training_mid``, ``training_batchnorm``, ``training_gradients``,
  ``training_degradation``, ``training_course``, ``resnet_trained``): the Training page running
  each preset with its default settings (minutes each on two cores), and the trained ResNet50
  opened in the explorer.

The images are the bundled samples (the astronaut, the course's 5x5 example, the texture patch)
and the ResNet weights are the seeded random initialisation, so a rerun gives the same pictures.
NAME limits the run to some of the pictures (``window`` for the three window views). With
``--lang zh_CN`` the pictures are of the Chinese interface, at 1280x800, in
docs/screenshots/zh_CN/ (``make screenshots-zh`` installs a CJK font first). With
``--samples``, also one screenshot of the convolution page per bundled sample into
docs/screenshots/samples/, for checking by eye (not committed).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from viewer.pages import PAGE_IDS

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZE = (1400, 900)
TIMEOUT_S = 180.0


#: per language: where the pictures go and the window size (the Chinese ones at the size the
#: issue checks layouts at)
LAYOUTS = {"en": (OUT, SIZE), "zh_CN": (OUT / "zh_CN", (1280, 800))}


def shoot(out: Path, *args: str, language: str = "en") -> None:
    """One window screenshot through ``python -m viewer --screenshot``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    width, height = LAYOUTS[language][1]
    command = [sys.executable, "-m", "viewer", "--screenshot", str(out), "--size", f"{width}x{height}",
               "--lang", language, *args]
    subprocess.run(command, check=True, env=env, cwd=ROOT)


# -- the detailed views: each takes the window and a `settle` that waits for every page -------

def conv_lab_5x5(window, settle: Callable[[], None]) -> None:
    """Course example 1 (5x5, 3x3, stride 2 -> 2x2), on its third of four steps."""
    window.show_page("convolution")
    page = window.page("convolution")
    page.load_course_example(1)
    settle()
    page.go_to(2)


def conv_lab_photo(window, settle: Callable[[], None]) -> None:
    """Sobel x over the astronaut's luminance, stride 1, padding 1, row by row, mid-image."""
    window.show_page("convolution")
    page = window.page("convolution")
    page.load_course_example(2)  # stride 1, padding 1 per side
    controls = page.controls
    controls.preset.setCurrentIndex(controls.preset.findData("sobel_x"))
    page.show_image_source("luminance")
    settle()
    page.step_controls.set_granularity("row")
    page.go_to(300 * 512 + 255)  # output row 300, column 255 of 512x512


def pooling_lab(window, settle: Callable[[], None]) -> None:
    """The texture-patch preset (4x4, stride 4) in training mode, on a window at the patch's edge."""
    window.open_sample("texture_patch")
    window.show_page("pooling")
    page = window.page("pooling")
    page.apply_preset("texture_patch")
    page.train_radio.setChecked(True)  # one draw, so the drawn cell shows
    settle()
    page.step_controls.set_step(530)


def _explorer(window, node: str, tab: str, settle: Callable[[], None]):
    window.show_page("resnet")
    page = window.page("resnet")
    settle()  # a mosaic laid out while the page was hidden is laid out again once shown
    page.select_node(node)
    settle()
    page.tabs.setCurrentWidget(getattr(page, tab))
    return page


def resnet_mosaic(window, settle: Callable[[], None]) -> None:
    """Every channel of layer1 (conv2_x's output) as one mosaic."""
    page = _explorer(window, "layer1", "mosaic_splitter", settle)
    if page.model.node_view is None or page.model.node_view.name != "layer1":
        raise RuntimeError("the explorer did not show layer1")


def resnet_channel(window, settle: Callable[[], None]) -> None:
    """layer2.0.relu2, channel 12, with the receptive field of its centre pixel."""
    page = _explorer(window, "layer2.0.relu2", "channel_view", settle)
    page.select_pixel(12, 14, 14)


def resnet_bn(window, settle: Callable[[], None]) -> None:
    """layer2.0.bn2 in train mode (this image's statistics)."""
    page = _explorer(window, "layer2.0.bn2", "bn_view", settle)
    page.bn_view.set_training(True)


def resnet_block(window, settle: Callable[[], None]) -> None:
    """The residual block layer2.0 (bottleneck with a strided shortcut), channel 3."""
    page = _explorer(window, "layer2.0", "block_view", settle)
    page.block_view.channel.setValue(3)


def resnet_pooling(window, settle: Callable[[], None]) -> None:
    """The stem's max pool, the global average pool and the fc's top 5."""
    _explorer(window, "layer2.0", "pooling_view", settle)


def _training(window, preset: str, until_step: int | None = None):
    """Run a training preset with its default settings on the Training page; pause at ``until_step``
    (a picture mid-run), else wait until it has finished."""
    import time

    from PySide6.QtWidgets import QApplication

    window.show_page("training")
    page = window.page("training")
    if page.model.state == "paused" and page.model.settings.preset == preset:
        page.resume()  # the run paused mid-way for training_mid: finish it
    else:
        page.choose_preset(preset)
        page.start()
    app = QApplication.instance()
    started = time.monotonic()
    deadline = started + 3600
    while time.monotonic() < deadline:
        app.processEvents()
        record = page.model.record
        if until_step is not None and record is not None and record.step >= until_step:
            page.pause()
            until_step = None
        if not page.is_busy() and page.model.state in ("paused", "finished", "stopped", "failed"):
            break
        time.sleep(0.01)
    page.redraw()
    record = page.model.record
    speeds = [record.speed(i) for i in range(len(record.names))]
    print(f"{preset}: {page.model.state} at step {record.step} after {time.monotonic() - started:.0f} s; "
          + "; ".join(f"{name} loss {loss}, test {accuracy}, {speed.images_per_second or 0:.0f} img/s, start-up {speed.startup_s or 0:.1f} s"
                      for (name, loss, accuracy, _d), speed in zip(page.model.summary(), speeds, strict=True)))
    return page


def training_mid(window, settle: Callable[[], None]) -> None:
    """The degradation preset paused mid-run, at step 150 of 500."""
    _training(window, "degradation", until_step=150)


def training_degradation(window, settle: Callable[[], None]) -> None:
    """The degradation preset after its 500 steps."""
    _training(window, "degradation")


def training_batchnorm(window, settle: Callable[[], None]) -> None:
    """The batch-norm preset after its 300 steps."""
    _training(window, "batchnorm")


def training_gradients(window, settle: Callable[[], None]) -> None:
    """The gradients preset after its 200 steps."""
    _training(window, "gradients")


def training_course(window, settle: Callable[[], None]) -> None:
    """ResNet50 at 32x32 after its 300 steps."""
    _training(window, "course-resnet50")


def resnet_trained(window, settle: Callable[[], None]) -> None:
    """The ResNet50 just trained, opened in the explorer on a test image of the shapes."""
    page = window.page("training")
    if page.model.state != "finished" or page.model.preset.preset_id != "course-resnet50":
        _training(window, "course-resnet50")
    page.open_selected_in_explorer()
    settle()
    explorer = window.page("resnet")
    explorer.tabs.setCurrentWidget(explorer.pooling_view)


def _lesson(window, lesson_id: str, settle: Callable[[], None]) -> None:
    """A lesson opened from the Lessons panel, its question answered."""
    window.open_lesson(lesson_id)
    settle()
    window.lessons().show_answer_now()


def lessons_panel(window, settle: Callable[[], None]) -> None:
    """The Lessons panel on course example 1's output size, answered, beside the convolution lab."""
    _lesson(window, "output-size", settle)


def conv_shift(window, settle: Callable[[], None]) -> None:
    """Translation invariance: the checkerboard shifted by (4, 6) under Sobel x, stride 2, reflect padding."""
    _lesson(window, "translation-invariance", settle)


def pooling_shift(window, settle: Callable[[], None]) -> None:
    """Max pooling of the texture patch and of the patch shifted by one pixel down and right."""
    _lesson(window, "pooling-invariance", settle)


def resnet_make_layer(window, settle: Callable[[], None]) -> None:
    """ResNet50's stage table with each stage's make_layer call; layer2.0's layers as code (the
    Lessons panel closed, so that the explorer has the window's width)."""
    _lesson(window, "make-layer", settle)
    window.show_lessons(False)
    settle()


# In this order: the astronaut views first; the pooling preset changes the current image last.
DETAILED = {
    "conv_lab_5x5": conv_lab_5x5,
    "conv_lab_photo": conv_lab_photo,
    "resnet_mosaic": resnet_mosaic,
    "resnet_channel": resnet_channel,
    "resnet_bn": resnet_bn,
    "resnet_block": resnet_block,
    "resnet_pooling": resnet_pooling,
    "pooling_lab": pooling_lab,
    # the training lab: minutes each (they train the presets with their default settings)
    "training_mid": training_mid,
    "training_degradation": training_degradation,
    "training_batchnorm": training_batchnorm,
    "training_gradients": training_gradients,
    "training_course": training_course,
    "resnet_trained": resnet_trained,
    # the lessons (the Lessons panel stays open from here on)
    "lessons_panel": lessons_panel,
    "conv_shift": conv_shift,
    "pooling_shift": pooling_shift,
    "resnet_make_layer": resnet_make_layer,
}


def detailed_views(names: list[str], language: str = "en") -> None:
    """Drive one offscreen main window through ``names`` and save each view."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from viewer.core.samples import load_sample
    from viewer.ui.app import create_application, drain_background_work

    app = create_application(language=language)
    from viewer.ui.main_window import MainWindow, wait_until_idle

    out_dir, size = LAYOUTS[language]
    out_dir.mkdir(parents=True, exist_ok=True)
    window = MainWindow(load_sample("astronaut"), start_page="convolution", persist_settings=False)
    window.resize(*size)
    window.show()

    def settle() -> None:
        if not wait_until_idle(window, TIMEOUT_S, every_page=True):
            raise RuntimeError(f"the window did not finish computing within {TIMEOUT_S:.0f} s")

    try:
        settle()
        for name in names:
            DETAILED[name](window, settle)
            settle()
            window.statusBar().clearMessage()  # progress notes; the image label stays
            app.processEvents()
            if window.busy_bar.isVisible():
                raise RuntimeError(f"{name}: a page is still busy")
            out = out_dir / f"{name}.png"
            if not window.grab().save(str(out), "PNG"):
                raise RuntimeError(f"cannot write {out}")
            print(f"wrote {out}")
    finally:
        drain_background_work(app)
        window.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", metavar="NAME", help="only these pictures: window, " + ", ".join(DETAILED))
    parser.add_argument("--samples", action="store_true", help="also one screenshot per bundled sample")
    parser.add_argument("--lang", choices=tuple(LAYOUTS), default="en", help="language of the interface (default en)")
    args = parser.parse_args()
    unknown = sorted(set(args.names) - {"window", *DETAILED})
    if unknown:
        parser.error(f"unknown picture {', '.join(unknown)}; choose from window, {', '.join(DETAILED)}")
    wanted = set(args.names) or {"window", *DETAILED}
    start = time.monotonic()
    out_dir = LAYOUTS[args.lang][0]
    out_dir.mkdir(parents=True, exist_ok=True)
    if "window" in wanted:
        for page in PAGE_IDS:
            shoot(out_dir / f"window_{page}.png", "--page", page, language=args.lang)
    names = [name for name in DETAILED if name in wanted]
    if names:
        detailed_views(names, args.lang)
    if args.samples:
        sys.path.insert(0, str(ROOT))
        from viewer.core.samples import SAMPLES

        for entry in SAMPLES:
            shoot(OUT / "samples" / f"{entry.stem}.png", "--page", "convolution", "--image", str(entry.path))
    print(f"done in {time.monotonic() - start:.0f} s")


if __name__ == "__main__":
    main()
