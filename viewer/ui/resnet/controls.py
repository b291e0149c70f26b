"""The explorer's controls: architecture, input size and weights (with the download's progress, the
padding convention the weights compute with, their class names and saving them)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.core.architectures import ARCHITECTURE_NAMES, ARCHITECTURE_SPECS
from viewer.core.preprocess import INPUT_SIZES

#: the input sizes offered; None is the image's own size (capped)
SIZE_CHOICES = (*INPUT_SIZES, None)


class ResNetControls(QGroupBox):
    """Architecture, input size and weights. Emits intent; the page decides what to do."""

    arch_changed = Signal(str)
    #: int, or None for "the image's own size (capped)"
    size_changed = Signal(object)
    random_weights_requested = Signal()
    load_file_requested = Signal()
    download_requested = Signal()
    cancel_download_requested = Signal()
    class_names_requested = Signal()
    save_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Network"), parent)
        self.arch_box = QComboBox()
        for arch in ARCHITECTURE_NAMES:
            self.arch_box.addItem(ARCHITECTURE_SPECS[arch].title, arch)
        self.size_box = QComboBox()
        for size in SIZE_CHOICES:
            text = self.tr("image's own (max 512)") if size is None else f"{size} x {size}"
            self.size_box.addItem(text, size)
        self.weights_label = QLabel()
        self.weights_label.setWordWrap(True)
        self.weights_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.random_button = QPushButton(self.tr("Random"))
        self.random_button.setToolTip(self.tr("Back to the untrained, seeded random initialisation"))
        self.load_button = QPushButton(self.tr("Load file..."))
        self.load_button.setToolTip(self.tr("A .pth/.pt or .safetensors state_dict, or a MindSpore .ckpt checkpoint"))
        self.download_button = QPushButton(self.tr("Download ImageNet"))
        self.download_button.setToolTip(self.tr("Download torchvision's ImageNet ResNet50 weights (about 100 MB)"))
        self.classes_button = QPushButton(self.tr("Class names..."))
        self.classes_button.setToolTip(self.tr("Name fc's outputs from a text file, one name per line in label order"))
        self.save_button = QPushButton(self.tr("Save weights..."))
        self.save_button.setToolTip(self.tr("Save the network shown as a PyTorch file (torchvision's layout) or a "
                                            "MindSpore .ckpt"))
        self.convention_label = QLabel()
        self.convention_label.setWordWrap(True)
        self.convention_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        self.progress_box = QWidget()
        self.progress_box.setLayout(progress_row)
        progress_row.setContentsMargins(0, 0, 0, 0)
        self.progress_box.hide()

        # Two rows of buttons keep the panel narrow (the feature maps get the width).
        buttons = QGridLayout()
        buttons.addWidget(self.random_button, 0, 0)
        buttons.addWidget(self.load_button, 0, 1)
        buttons.addWidget(self.download_button, 1, 0, 1, 2)
        buttons.addWidget(self.classes_button, 2, 0)
        buttons.addWidget(self.save_button, 2, 1)
        form = QFormLayout()
        form.addRow(self.tr("Architecture"), self.arch_box)
        form.addRow(self.tr("Input size"), self.size_box)
        form.addRow(self.tr("Weights"), self.weights_label)
        form.addRow(self.tr("Computes"), self.convention_label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.progress_box)

        self.arch_box.currentIndexChanged.connect(lambda _i: self.arch_changed.emit(self.arch()))
        self.size_box.currentIndexChanged.connect(lambda _i: self.size_changed.emit(self.size()))
        self.random_button.clicked.connect(self.random_weights_requested)
        self.load_button.clicked.connect(self.load_file_requested)
        self.download_button.clicked.connect(self.download_requested)
        self.cancel_button.clicked.connect(self.cancel_download_requested)
        self.classes_button.clicked.connect(self.class_names_requested)
        self.save_button.clicked.connect(self.save_requested)
        self.set_weights_label(self.tr("untrained (random)"), random=True)

    def arch(self) -> str:
        return str(self.arch_box.currentData())

    def size(self) -> int | None:
        return self.size_box.currentData()

    def set_arch(self, arch: str) -> None:
        self.arch_box.setCurrentIndex(ARCHITECTURE_NAMES.index(arch))

    def set_size(self, size: int | None) -> None:
        """Show ``size``; one outside the usual choices (weights trained at 16x16) is added to them."""
        index = self.size_box.findData(size)
        if index < 0:
            self.size_box.addItem(f"{size} x {size}", size)
            index = self.size_box.count() - 1
        self.size_box.setCurrentIndex(index)

    def set_weights_label(self, text: str, random: bool = False) -> None:
        """Show which weights are in use; random ones in an unmissable warning colour."""
        colour = "#b35900" if random else "#1a7f37"
        self.weights_label.setText(f"<b style='color:{colour}'>{text}</b>")
        self.random_button.setEnabled(not random)

    def set_convention(self, text: str, mindspore: bool) -> None:
        """Say how the network pads and normalises; MindSpore's convention stands out, since the same
        weights in a plain torchvision ResNet would compute other numbers."""
        colour = "#1f5fbf" if mindspore else "palette(text)"
        self.convention_label.setText(f"<span style='color:{colour}'>{text}</span>")

    def set_download_progress(self, fraction: float | None) -> None:
        """Show the download bar at ``fraction`` (0..1); None hides it."""
        downloading = fraction is not None
        self.progress_box.setVisible(downloading)
        self.download_button.setEnabled(not downloading)
        if downloading:
            self.progress.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
            self.progress.setFormat(self.tr("{0} %").format(f"{fraction * 100:.0f}"))
