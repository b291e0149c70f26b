"""Opening a lesson: its sample image, its page's settings through the page's model, its page shown.

Every change goes through a page's ``apply_to_model`` (or its own public method), so that the
page carries out what the model answers and writes the model's settings into its controls.
"""

from __future__ import annotations

from functools import partial

from viewer.models.lessons import (
    Lesson,
    apply_to_conv,
    apply_to_explorer,
    apply_to_pooling,
    apply_to_shift,
)


def open_lesson(window, lesson: Lesson) -> None:
    """Set ``window``'s pages as ``lesson`` says and show its page (the pages must be installed)."""
    setup = lesson.setup
    if setup.sample is not None:
        window.open_sample(setup.sample)
    page = window.page(lesson.page)
    if lesson.page == "convolution":
        page.apply_to_model(partial(apply_to_conv, setup))
    elif lesson.page == "pooling":
        page.apply_to_model(partial(apply_to_pooling, setup))
    elif lesson.page == "resnet":
        page.apply_to_model(partial(apply_to_explorer, setup))
        if setup.explorer_tab is not None:
            page.tabs.setCurrentIndex(setup.explorer_tab)
    elif lesson.page == "training":
        page.choose_preset(setup.training_preset)
    if hasattr(page, "shift_panel"):
        apply_to_shift(setup, page.shift_panel.model)
        page.shift_panel.refresh()
    window.show_page(lesson.page)
