"""The training lab's curves as one picture for slides: Pillow only, so the headless ``train``
command, the page's "Export PNG" and ``scripts/training_presets.py`` draw the same thing.

Three panels: the training loss of every network per step (log scale), its test error at each
evaluation, and the gradient norm of each weighted layer at the latest step (log scale, input
to output). Points are the measured values joined by straight lines: nothing is smoothed or
fitted; a step a network did not train (after it diverged) leaves a gap, and a diverged network
is marked in the legend.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from viewer.core.colormaps import series_rgb
from viewer.core.training.record import TrainingRecord

_BACKGROUND = (255, 255, 255)
_AXES = (60, 60, 60)
_GRID = (225, 225, 225)
_TEXT = (30, 30, 30)
_MARGIN = 14


def curves_picture(record: TrainingRecord, title: str, subtitle: str = "", size: tuple[int, int] = (1500, 560)) -> Image.Image:
    """The three panels of ``record`` under ``title`` (and a line of settings, ``subtitle``)."""
    width, height = size
    image = Image.new("RGB", size, _BACKGROUND)
    draw = ImageDraw.Draw(image)
    big, small = ImageFont.load_default(size=17), ImageFont.load_default(size=12)
    draw.text((_MARGIN, 8), title, fill=_TEXT, font=big)
    if subtitle:
        draw.text((_MARGIN, 32), subtitle, fill=_TEXT, font=small)
    legend_height = 26
    top, bottom = 58, height - legend_height
    panel_width = (width - 2 * _MARGIN) // 3
    steps = np.asarray(record.steps, np.float64)
    count = len(record.names)
    loss_series = [(steps, record.losses(i)) for i in range(count)]
    test_steps = np.asarray(record.test_steps, np.float64)
    error_series = [(test_steps, 1.0 - record.test_accuracies(i)) for i in range(count)]
    gradient_series = [(np.arange(1, len(norms) + 1, dtype=np.float64), np.asarray(norms, np.float64))
                       for norms in record.gradient_norms]
    boxes = [(_MARGIN + k * panel_width, top, _MARGIN + (k + 1) * panel_width - 10, bottom) for k in range(3)]
    _panel(draw, boxes[0], loss_series, "training loss (log scale)", "step", log_y=True, font=small)
    _panel(draw, boxes[1], error_series, "test error", "step", log_y=False, font=small, y_range=(0.0, 1.0))
    # A diverged network keeps the norms of its last finite step: the title says so, not "step N" for all.
    gradient_title = f"gradient norm per layer at step {record.step} (log scale)"
    if any(step is not None for step in record.diverged_at):
        gradient_title = f"gradient norm per layer at step {record.step}, diverged ones at their last (log)"
    _panel(draw, boxes[2], gradient_series, gradient_title,
           "weighted layer (input -> output)", log_y=True, font=small)
    x = _MARGIN + 60
    for index, name in enumerate(record.names):
        label = name if record.diverged_at[index] is None else f"{name} (diverged at step {record.diverged_at[index]})"
        colour = series_rgb(index)
        draw.line((x, height - 13, x + 22, height - 13), fill=colour, width=3)
        draw.text((x + 28, height - 20), label, fill=_TEXT, font=small)
        x += 40 + int(small.getlength(label)) + 20
    return image


def _panel(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], series: Sequence[tuple[np.ndarray, np.ndarray]],
           title: str, x_label: str, *, log_y: bool, font, y_range: tuple[float, float] | None = None) -> None:
    left, top, right, bottom = box
    plot = (left + 52, top + 22, right - 6, bottom - 34)
    draw.text((left + 52, top), title, fill=_TEXT, font=font)
    draw.text(((plot[0] + plot[2]) / 2 - font.getlength(x_label) / 2, bottom - 16), x_label, fill=_TEXT, font=font)
    xs = [x[np.isfinite(y) & ((y > 0) if log_y else True)] for x, y in series]
    ys = [y[np.isfinite(y) & ((y > 0) if log_y else True)] for _x, y in series]
    all_x = np.concatenate(xs) if xs else np.empty(0)
    all_y = np.concatenate(ys) if ys else np.empty(0)
    draw.rectangle(plot, outline=_AXES)
    if all_x.size == 0:
        draw.text((plot[0] + 10, plot[1] + 10), "nothing measured yet", fill=_TEXT, font=font)
        return
    x_low, x_high = float(all_x.min()), float(all_x.max())
    if x_high <= x_low:
        x_low, x_high = x_low - 1, x_high + 1
    if y_range is not None:
        y_low, y_high = y_range
    elif log_y:
        y_low, y_high = math.floor(math.log10(all_y.min())), math.ceil(math.log10(all_y.max()))
        if y_high <= y_low:
            y_high = y_low + 1
    else:
        y_low, y_high = float(all_y.min()), float(all_y.max())

    def to_pixel(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        fraction_x = (x - x_low) / (x_high - x_low)
        value = np.log10(y) if log_y else y
        fraction_y = (value - y_low) / (y_high - y_low)
        return plot[0] + fraction_x * (plot[2] - plot[0]), plot[3] - fraction_y * (plot[3] - plot[1])

    for tick, text in _y_ticks(y_low, y_high, log_y):
        _x, pixel = to_pixel(np.array([x_low]), np.array([10.0**tick if log_y else tick]))
        draw.line((plot[0], pixel[0], plot[2], pixel[0]), fill=_GRID)
        draw.text((plot[0] - 6 - font.getlength(text), pixel[0] - 7), text, fill=_TEXT, font=font)
    for tick in _x_ticks(x_low, x_high):
        pixel, _y = to_pixel(np.array([tick]), np.array([10.0**y_low if log_y else y_low]))
        draw.line((pixel[0], plot[3], pixel[0], plot[3] + 4), fill=_AXES)
        text = f"{tick:g}"
        draw.text((pixel[0] - font.getlength(text) / 2, plot[3] + 6), text, fill=_TEXT, font=font)
    for index, (x, y) in enumerate(series):
        keep = np.isfinite(y) & ((y > 0) if log_y else True)
        pixel_x, pixel_y = to_pixel(x, np.where(keep, y, 1.0))
        colour = series_rgb(index)
        for run in _runs(keep):
            points = list(zip(pixel_x[run].tolist(), pixel_y[run].tolist(), strict=True))
            if len(points) == 1:
                px, py = points[0]
                draw.ellipse((px - 2, py - 2, px + 2, py + 2), fill=colour)
            else:
                draw.line(points, fill=colour, width=2)


def _runs(keep: np.ndarray) -> list[slice]:
    """The stretches of consecutive True values (a gap wherever a value is missing)."""
    runs, start = [], None
    for position, flag in enumerate(keep.tolist() + [False]):
        if flag and start is None:
            start = position
        elif not flag and start is not None:
            runs.append(slice(start, position))
            start = None
    return runs


def _y_ticks(low: float, high: float, log_y: bool) -> list[tuple[float, str]]:
    if log_y:
        every = max(1, math.ceil((high - low) / 8))
        return [(float(e), f"1e{e}" if e not in (0, 1, -1) else f"{10.0**e:g}") for e in range(int(low), int(high) + 1, every)]
    return [(value, f"{value:g}") for value in _nice(low, high)]


def _x_ticks(low: float, high: float) -> list[float]:
    return [value for value in _nice(low, high) if low <= value <= high]


def _nice(low: float, high: float, count: int = 5) -> list[float]:
    span = high - low
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step) * step
    return [round(first + k * step, 10) for k in range(int((high - first) / step) + 1)]
