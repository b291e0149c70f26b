"""The explorer's files besides the weights it opens: class names, the network saved, a node as NumPy.

:class:`WeightsFiles` asks for the file (a dialog), hands the request to the page's
:class:`~viewer.models.explorer.ExplorerModel` and reports back through signals; the page runs
the forward pass it asks for and shows its messages. Saving runs in a worker, and the message
that follows says whether the file's readers compute the numbers the explorer shows: a
MindSpore network saved in torchvision's layout reopens here with the same numbers (its
metadata records how), but a plain torchvision ResNet computes different ones.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from viewer.core.conventions import TORCHVISION, ResNetConvention
from viewer.core.errors import UserError
from viewer.export.files import checked_output_path, save_npy
from viewer.models.explorer import ExplorerModel, WeightsExport
from viewer.models.jobs import Refusal
from viewer.ui.language import translated_sentence
from viewer.ui.workers import LatestRunner


def convention_label(convention: ResNetConvention) -> str:
    """How the controls name a convention: "padding: MindSpore 'same' (asymmetric), batch-norm eps 0.0001"."""
    padding = (QCoreApplication.translate("WeightsFiles", "padding: MindSpore 'same' (asymmetric)") if convention.asymmetric
               else QCoreApplication.translate("WeightsFiles", "padding: torchvision (symmetric)"))
    return QCoreApplication.translate("WeightsFiles", "{0}, batch-norm eps {1}").format(padding, _eps(convention))


def convention_words(convention: ResNetConvention) -> str:
    """A convention inside a sentence: "MindSpore's 'same' padding (asymmetric) and batch-norm eps 0.0001"."""
    if convention.asymmetric:
        text = QCoreApplication.translate("WeightsFiles", "MindSpore's 'same' padding (asymmetric) and batch-norm eps {0}")
    else:
        text = QCoreApplication.translate("WeightsFiles", "symmetric padding and batch-norm eps {0}")
    return text.format(_eps(convention))


def _eps(convention: ResNetConvention) -> str:
    return " / ".join(f"{value:g}" for value in convention.eps_values)


class WeightsFiles(QObject):
    """Class names from a file, the network saved, the shown node exported as NumPy."""

    #: a forward pass the page should run (new class names)
    forward_requested = Signal(object)
    #: (text, is_error) for the page's status line
    status = Signal(str, bool)
    #: a sentence for an error dialog
    failed = Signal(str)
    #: a one-line note for the status bar (a file written)
    saved = Signal(str)

    def __init__(self, model: ExplorerModel, parent: QWidget) -> None:
        super().__init__(parent)
        self.model = model
        self._parent = parent
        self.save_runner = LatestRunner(self)
        self.save_runner.finished.connect(self._weights_saved)
        self.save_runner.failed.connect(self._save_failed)
        self.save_notice: QMessageBox | None = None
        """The message saying what the readers of the weights file last saved will compute."""

    # ------------------------------------------------------------------ class names

    def choose_class_names(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self._parent, self.tr("Class names, one per line"), "",
                                              self.tr("Text files (*.txt);;All files (*)"))
        if path:
            self.use_class_names_file(path)

    def use_class_names_file(self, path: str | Path) -> None:
        """Name fc's outputs after a text file's lines (refused with a sentence when they do not fit)."""
        outcome = self.model.use_class_names_file(path)
        if isinstance(outcome, Refusal):
            self.failed.emit(outcome.message)
        elif outcome is not None:
            self.forward_requested.emit(outcome)

    # ------------------------------------------------------------------ saving the network

    def choose_weights_save(self) -> None:
        result = self.model.result
        if result is None:
            self.failed.emit(self.tr("There is no network to save yet: open an image first."))
            return
        formats = {
            "safetensors": self.tr("PyTorch safetensors, torchvision layout (*.safetensors)"),
            "pth": self.tr("PyTorch state_dict, torchvision layout (*.pth)"),
            "zoo": self.tr("MindSpore checkpoint, model zoo names (*.ckpt)"),
            "tutorial": self.tr("MindSpore checkpoint, tutorial names (*.ckpt)"),
        }
        caption = self.tr("Save weights")
        if result.model.convention != TORCHVISION:
            caption = self.tr("Save weights: they compute with MindSpore's padding, a plain torchvision ResNet "
                              "computes different numbers from them")
        path, chosen = QFileDialog.getSaveFileName(self._parent, caption, f"{result.arch}.safetensors",
                                                   ";;".join(formats.values()), formats["safetensors"])
        if path:
            self.save_weights(path, next((key for key, text in formats.items() if text == chosen), "safetensors"))

    def save_weights(self, path: str | Path, file_format: str) -> None:
        """Write the network shown in ``file_format`` (``explorer.SAVE_FORMATS``) in a worker."""
        suffix = ".ckpt" if file_format in ("zoo", "tutorial") else f".{file_format}"
        try:
            path = checked_output_path(path, (suffix,), add_suffix=True)
        except UserError as error:
            self.failed.emit(str(error))
            return
        outcome = self.model.save_weights(path, file_format)
        if isinstance(outcome, Refusal):
            self.failed.emit(outcome.message)
            return
        self.status.emit(self.tr("Saving {0} ...").format(path.name), False)
        self.save_runner.submit(outcome.function, *outcome.args)

    def _weights_saved(self, _generation: int, export: WeightsExport) -> None:
        self.model.accept_saved(export)
        text = self.saved_text(export)
        self.status.emit(text, False)
        self.saved.emit(self.tr("Saved {0}").format(export.path))
        if self.save_notice is None:  # one notice, reused: no window piles up
            self.save_notice = QMessageBox(QMessageBox.Icon.Information, self.tr("Weights saved"), "",
                                           QMessageBox.StandardButton.Ok, self._parent)
            self.save_notice.setModal(False)  # the explorer stays usable
        self.save_notice.setText(text)
        self.save_notice.show()

    def saved_text(self, export: WeightsExport) -> str:
        """What the readers of a saved weights file will compute, in a sentence or two."""
        name = export.path.name
        ours = convention_words(export.convention)
        if export.file_format in ("safetensors", "pth"):
            if not export.numbers_differ:
                return self.tr("Saved {0} in torchvision's layout: a torchvision ResNet computes the same numbers "
                               "from it.").format(name)
            return self.tr("Saved {0} in torchvision's layout. These weights compute with {1}: the file's metadata "
                           "records that, and the explorer reopens it with the same numbers, but a plain torchvision "
                           "ResNet computes different numbers from it.").format(name, ours)
        family = self.tr("model zoo") if export.file_format == "zoo" else self.tr("ResNet50 tutorial")
        if not export.numbers_differ:
            return self.tr("Saved {0} with the names of MindSpore's {1}: its network computes the same numbers "
                           "from it.").format(name, family)
        return self.tr("Saved {0} with the names of MindSpore's {1}. Its network computes with {2}, the explorer "
                       "with {3}: from these weights it computes different numbers than the explorer showed.").format(
            name, family, convention_words(export.readers_convention), ours)

    def _save_failed(self, _generation: int, error) -> None:
        message = translated_sentence(str(error)) if isinstance(error, UserError) else self.tr("Saving failed: {0}").format(error)
        self.status.emit(message, True)
        self.failed.emit(message)

    # ------------------------------------------------------------------ a node as NumPy

    def choose_npy_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self._parent, self.tr("Export as NumPy (.npy)"), f"{self.model.node}.npy",
                                              self.tr("NumPy arrays (*.npy)"))
        if path:
            self.export_npy(path)

    def export_npy(self, path: str | Path) -> Path | None:
        """Save the shown node's tensor exactly as computed (batch dimension included) as .npy."""
        values = self.model.node_tensor()
        if values is None:
            return None
        try:
            written = save_npy(values, checked_output_path(path, (".npy",), add_suffix=True))
        except UserError as error:
            self.failed.emit(str(error))
            return None
        shape = " x ".join(str(v) for v in values.shape)
        self.saved.emit(self.tr("Saved {0}: {1}, a {2} float32 tensor").format(written, self.model.node_view.name, shape))
        return written
