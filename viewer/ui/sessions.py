"""File ▸ Save session / Open session: the window's set-up written to, and read from, a session
file (:mod:`viewer.models.session`) through the page models."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from viewer.core.i18n import QT_TRANSLATE_NOOP
from viewer.models import session
from viewer.pages import PAGE_IDS

#: What the file dialogs offer (translated where they are shown, in the main window's context).
FILE_FILTER = QT_TRANSLATE_NOOP("MainWindow", "CNN Viewer session (*.cnnsession.json *.json)")


def save_session(window, path: str | Path) -> Path:
    """Write the session of ``window`` now (UserError with a sentence when it cannot be written)."""
    conv, pooling = window.page("convolution"), window.page("pooling")
    captured = session.capture(window.current_page_id(), window.image, conv.model, conv.shift_panel.model,
                               pooling.model, pooling.shift_panel.model, window.page("resnet").model,
                               window.page("training").model)
    return session.write_session(path, captured)


def open_session(window, path: str | Path) -> list[str]:
    """Restore a session file in ``window`` (its pages must be installed); returns the sentences
    about what could not be restored. A file that is no session raises UserError."""
    restoring = session.read_session(path)
    image = session.session_image(restoring)
    if image is not None:
        window.set_image(image)
    conv = window.page("convolution")
    conv.apply_to_model(partial(session.restore_conv, restoring))
    session.restore_shift(restoring, "convolution_shift", conv.shift_panel.model)
    conv.shift_panel.refresh()
    pooling = window.page("pooling")
    pooling.apply_to_model(partial(session.restore_pooling, restoring))
    session.restore_shift(restoring, "pooling_shift", pooling.shift_panel.model)
    pooling.shift_panel.refresh()
    window.page("resnet").apply_to_model(partial(session.restore_explorer, restoring))
    window.page("training").apply_to_model(partial(session.restore_training, restoring))
    page = session.session_page(restoring, PAGE_IDS)
    if page is not None:
        window.show_page(page)
    return restoring.problems
