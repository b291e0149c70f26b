"""The training lab's controls: the experiment and its explanation, the settings, Start / Pause /
Stop with the progress, and what to do with a trained network. Emits intent; the page decides."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from viewer.core.training.datasets import SHAPES
from viewer.core.training.presets import PRESET_IDS, PRESETS
from viewer.models.training_lab import BATCH_SIZES, INPUT_SIZES, WIDTHS, LabSettings


class TrainingControls(QWidget):
    """Experiment, settings, run buttons and progress, and the trained network's actions."""

    preset_chosen = Signal(str)
    settings_edited = Signal()
    folder_requested = Signal()
    start_requested = Signal()
    pause_requested = Signal()
    resume_requested = Signal()
    stop_requested = Signal()
    open_requested = Signal()
    save_requested = Signal()
    export_png_requested = Signal()
    export_csv_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        experiment = QGroupBox(self.tr("Experiment"))
        self.preset_box = QComboBox()
        for preset_id in PRESET_IDS:
            self.preset_box.addItem(self.tr(PRESETS[preset_id].title), preset_id)
        self.preset_box.setToolTip(self.tr("Each experiment trains its networks side by side on the same batches"))
        for box in (self.preset_box,):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(24)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignTop)
        experiment_layout = QVBoxLayout(experiment)
        experiment_layout.addWidget(self.preset_box)
        experiment_layout.addWidget(self.explanation)

        settings = QGroupBox(self.tr("Settings"))
        self.dataset_box = QComboBox()
        self.dataset_box.addItem(self.tr("shapes (bundled, synthetic)"), SHAPES)
        self.folder_button = QPushButton(self.tr("Folder…"))
        self.folder_button.setToolTip(self.tr("A cifar-10-batches-bin folder, or a folder of images with one sub-folder per class"))
        dataset_row = QHBoxLayout()
        dataset_row.addWidget(self.dataset_box, 1)
        dataset_row.addWidget(self.folder_button)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.steps = QSpinBox()
        self.steps.setRange(1, 1_000_000)
        self.steps.setSingleStep(50)
        self.batch_box = QComboBox()
        for size in BATCH_SIZES:
            self.batch_box.addItem(str(size), size)
        self.learning_rate = QDoubleSpinBox()
        self.learning_rate.setDecimals(4)
        self.learning_rate.setRange(0.0001, 10.0)
        self.learning_rate.setSingleStep(0.01)
        self.learning_rate.setToolTip(self.tr("Peak learning rate of SGD (momentum 0.9, weight decay 1e-4): "
                                              "a linear warm-up over the first 5% of the steps, then a cosine decay to zero"))
        self.width_box = QComboBox()
        for width in WIDTHS:
            self.width_box.addItem(self.tr("{0} (stages of {1}/{2}/{3} channels)").format(
                f"{width:g}", round(16 * width), round(32 * width), round(64 * width)), width)
        self.width_box.setToolTip(self.tr("Channel factor of the CIFAR-family networks (ResNet18 and ResNet50 keep their own)"))
        for box in (self.dataset_box, self.width_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(12)
        self.size_box = QComboBox()
        for size in INPUT_SIZES:
            self.size_box.addItem(f"{size} x {size}", size)
        self.keep_training = QCheckBox(self.tr("Keep training while another page is shown"))
        self.keep_training.setToolTip(self.tr("Otherwise the run pauses when you go to another page, so that page gets the cores"))
        form = QFormLayout(settings)
        form.addRow(self.tr("Dataset"), dataset_row)
        form.addRow(self.tr("Seed"), self.seed)
        form.addRow(self.tr("Steps"), self.steps)
        form.addRow(self.tr("Batch size"), self.batch_box)
        form.addRow(self.tr("Learning rate"), self.learning_rate)
        form.addRow(self.tr("Width"), self.width_box)
        form.addRow(self.tr("Input size"), self.size_box)
        form.addRow(self.keep_training)

        run = QGroupBox(self.tr("Run"))
        self.start_button = QPushButton(self.tr("Start"))
        self.pause_button = QPushButton(self.tr("Pause"))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.speed_label = QLabel()
        self.speed_label.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.pause_button, self.stop_button):
            buttons.addWidget(button)
        run_layout = QVBoxLayout(run)
        run_layout.addLayout(buttons)
        run_layout.addWidget(self.progress)
        run_layout.addWidget(self.speed_label)

        trained = QGroupBox(self.tr("Trained networks"))
        self.network_box = QComboBox()
        self.network_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.network_box.setMinimumContentsLength(16)
        self.open_button = QPushButton(self.tr("Open in the ResNet explorer"))
        self.save_button = QPushButton(self.tr("Save weights…"))
        self.png_button = QPushButton(self.tr("Export PNG…"))
        self.csv_button = QPushButton(self.tr("Export CSV…"))
        self.trained_note = QLabel()
        self.trained_note.setWordWrap(True)
        grid = QGridLayout(trained)
        grid.addWidget(self.network_box, 0, 0, 1, 2)
        grid.addWidget(self.open_button, 1, 0, 1, 2)
        grid.addWidget(self.save_button, 2, 0)
        grid.addWidget(self.png_button, 3, 0)
        grid.addWidget(self.csv_button, 3, 1)
        grid.addWidget(self.trained_note, 4, 0, 1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(experiment)
        layout.addWidget(settings)
        layout.addWidget(run)
        layout.addWidget(trained)
        layout.addStretch(1)

        self.preset_box.currentIndexChanged.connect(lambda _i: self.preset_chosen.emit(self.preset_box.currentData()))
        for box in (self.dataset_box, self.batch_box, self.width_box, self.size_box):
            box.currentIndexChanged.connect(lambda _i: self.settings_edited.emit())
        for spin in (self.seed, self.steps, self.learning_rate):
            spin.valueChanged.connect(lambda _v: self.settings_edited.emit())
        self.folder_button.clicked.connect(self.folder_requested)
        self.start_button.clicked.connect(self.start_requested)
        self.pause_button.clicked.connect(self._pause_clicked)
        self.stop_button.clicked.connect(self.stop_requested)
        self.open_button.clicked.connect(self.open_requested)
        self.save_button.clicked.connect(self.save_requested)
        self.png_button.clicked.connect(self.export_png_requested)
        self.csv_button.clicked.connect(self.export_csv_requested)
        self._paused = False
        self._explorable = False

    def _pause_clicked(self) -> None:
        (self.resume_requested if self._paused else self.pause_requested).emit()

    # ------------------------------------------------------------------ model -> controls

    def values(self, preset: str) -> LabSettings:
        """The settings the controls show (for ``preset``)."""
        return LabSettings(preset, self.seed.value(), self.steps.value(), int(self.batch_box.currentData()),
                           round(self.learning_rate.value(), 6), float(self.width_box.currentData()),
                           int(self.size_box.currentData()), str(self.dataset_box.currentData()))

    def show_settings(self, settings: LabSettings, explanation: str) -> None:
        """Write ``settings`` into the controls (the caller blocks their signals)."""
        self.preset_box.setCurrentIndex(PRESET_IDS.index(settings.preset))
        self.explanation.setText(explanation)
        if self.dataset_box.findData(settings.dataset) < 0:
            self.dataset_box.addItem(settings.dataset, settings.dataset)
        self.dataset_box.setCurrentIndex(self.dataset_box.findData(settings.dataset))
        self.seed.setValue(settings.seed)
        self.steps.setValue(settings.steps)
        _choose(self.batch_box, settings.batch_size)
        self.learning_rate.setValue(settings.learning_rate)
        _choose(self.width_box, settings.width)
        _choose(self.size_box, settings.input_size)

    def blockable(self) -> tuple[QWidget, ...]:
        """The widgets whose signals must be blocked while the model's settings are written in."""
        return (self.preset_box, self.dataset_box, self.seed, self.steps, self.batch_box, self.learning_rate,
                self.width_box, self.size_box)

    def show_run_state(self, active: bool, paused: bool, has_networks: bool) -> None:
        """Enable what makes sense now."""
        self._paused = paused
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))
        self.start_button.setEnabled(not active)
        self.pause_button.setEnabled(active)
        self.stop_button.setEnabled(active)
        for widget in (self.preset_box, self.dataset_box, self.folder_button, self.seed, self.steps, self.batch_box,
                       self.learning_rate, self.width_box, self.size_box):
            widget.setEnabled(not active)
        can_use = has_networks and (not active or paused)
        for widget in (self.network_box, self.save_button):
            widget.setEnabled(can_use)
        self.open_button.setEnabled(can_use and self._explorable)
        for widget in (self.png_button, self.csv_button):
            widget.setEnabled(has_networks)

    def show_networks(self, names: tuple[str, ...], explorable: list[int]) -> None:
        """List the trained networks; "Open in the ResNet explorer" only for those it can show."""
        self._explorable = bool(explorable)
        shown = tuple(self.network_box.itemText(i) for i in range(self.network_box.count()))
        wanted = tuple(name + ("" if i in explorable else self.tr(" (not for the explorer)")) for i, name in enumerate(names))
        if shown == wanted:
            return
        current = self.network_box.currentData()
        self.network_box.clear()
        for index, text in enumerate(wanted):
            self.network_box.addItem(text, index)
        if current is not None and self.network_box.findData(current) >= 0:
            self.network_box.setCurrentIndex(self.network_box.findData(current))
        elif explorable:
            self.network_box.setCurrentIndex(self.network_box.findData(explorable[0]))

    def network(self) -> int | None:
        return self.network_box.currentData()


def _choose(box: QComboBox, value) -> None:
    index = box.findData(value)
    if index < 0:
        box.addItem(f"{value:g}" if isinstance(value, float) else str(value), value)
        index = box.count() - 1
    box.setCurrentIndex(index)
