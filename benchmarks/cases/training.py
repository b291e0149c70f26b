"""Training lab: one trainer step with its bookkeeping vs a bare PyTorch step, and the GUI's
longest event-loop gap while the page trains."""

from __future__ import annotations

import copy
import time

import numpy as np

from benchmarks.harness import Result, case, compare, ensure_qapp


@case("training.trainer_step")
def trainer_step(repeats: int) -> Result:
    """ResNet-56 of the degradation preset (width 0.5, 16x16, batch 64): Trainer.train_step vs a bare step."""
    import torch

    from viewer.core.training.networks import residual
    from viewer.core.training.presets import PRESETS
    from viewer.core.training.shapes import shapes_dataset
    from viewer.core.training.trainer import MOMENTUM, WEIGHT_DECAY, Trainer

    preset = PRESETS["degradation"]
    settings = preset.settings.__class__(steps=10**6, batch_size=preset.settings.batch_size,
                                         learning_rate=preset.settings.learning_rate, width=preset.settings.width,
                                         eval_every=10**6)  # no evaluation inside the timed steps
    dataset = shapes_dataset(preset.input_size)
    trainer = Trainer(dataset, (residual(56),), settings, device="cpu")
    model = copy.deepcopy(trainer.models[0])
    optimizer = torch.optim.SGD(model.parameters(), lr=settings.learning_rate, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY)
    images = dataset.batch(dataset.train_images, np.arange(settings.batch_size))
    labels = torch.from_numpy(dataset.train_labels[: settings.batch_size])

    def bare() -> None:
        optimizer.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()

    for _ in range(3):  # start-up steps (allocator, kernels) are not steady state
        trainer.train_step()
        bare()
    return compare(
        "training.trainer_step",
        trainer.train_step,
        bare,
        target=1.05,
        repeats=max(3, repeats),
        baseline_name="bare forward, loss, backward, SGD step",
        note="ResNet-56 width 0.5, 16x16, batch 64; the trainer also builds the batch, takes 56 gradient norms, "
        "the accuracy, checks for divergence and makes the event",
    )


@case("training.event_loop_gap")
def event_loop_gap(repeats: int) -> Result:
    """Longest gap between 1 ms timer ticks while the Training page trains the degradation preset."""
    app = ensure_qapp()
    import pyqtgraph as pg
    from PySide6.QtCore import QTimer

    from viewer.ui.training.page import TrainingLabPage

    pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)
    page = TrainingLabPage()
    page.resize(1400, 900)
    page.show()
    page.choose_preset("degradation")
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    seconds = 4.0 + min(repeats, 15)
    try:
        page.start()
        deadline = time.perf_counter() + 120
        while (page.model.record is None or page.model.record.step < 3) and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.001)
        timer.start()
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.0005)
        timer.stop()
        steps = page.model.record.step
        page.stop()
        while page.is_busy() and time.perf_counter() < deadline + 60:
            app.processEvents()
            time.sleep(0.001)
    finally:
        page.close()
        page.deleteLater()
    gap = max(np.diff(ticks)) * 1e3 if len(ticks) > 1 else float("inf")
    return Result(
        "training.event_loop_gap",
        figure=gap,
        baseline=50.0,
        unit="ms",
        target=1.0,
        note=f"{seconds:.0f} s of the degradation preset ({steps} steps, plots redrawn every 100 ms); baseline is the 50 ms budget",
        baseline_name="50 ms budget",
    )
