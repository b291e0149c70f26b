"""Convolution frames for slides: the padded input with the window, the output filling in, the sum.

Drawn without Qt (numpy + Pillow), so the headless ``conv`` command and the lab's "Export GIF"
button make the same pictures: the padded input (padding tinted blue, the window outlined in
red, its taps dotted when dilated), the output feature map filling in (cells not computed yet
hatched grey, the current one outlined) in the lab's own colours, and the sum written out with
the real numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from viewer.core import colormaps
from viewer.core.conv import (
    ConvSteps,
    format_number,
    format_sum,
    input_rgb,
    output_colormap,
    output_levels,
)
from viewer.export.files import save_gif, save_png

if TYPE_CHECKING:
    from PIL import Image

_HATCH = (np.array([205, 205, 205], np.uint8), np.array([232, 232, 232], np.uint8))


def save_frames(steps: ConvSteps, indices: Sequence[int], out: str | Path, *, fps: float = 4.0, title: str = "",
                channel: int = 0) -> Path:
    """Write the frames of ``indices`` as an animated GIF, or the first one as PNG (by the suffix)."""
    backdrop = input_rgb(steps, channel)  # the same for every frame: draw it once
    if Path(out).suffix.lower() == ".png":
        return save_png(render_frame(steps, indices[0], channel=channel, title=title, input_image=backdrop), out)
    frames = [render_frame(steps, i, channel=channel, title=title, input_image=backdrop) for i in indices]
    return save_gif(frames, out, fps)


def output_rgb(output: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8 of a feature map, in the lab's colours and levels."""
    value_levels = output_levels(output)
    return colormaps.colorize(output, value_levels, output_colormap(value_levels))


def render_frame(steps: ConvSteps, index: int, *, channel: int = 0, title: str = "",
                 panel: int = 420, input_image: np.ndarray | None = None) -> Image.Image:
    """One animation frame: input with window | output filling in, and the sum below."""
    from PIL import Image, ImageDraw, ImageFont

    step = steps[index]
    g = steps.geometry
    margin, text_h = 20, 112
    canvas = Image.new("RGB", (3 * margin + 2 * panel, 2 * margin + panel + text_h), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.load_default(size=15)
    small = ImageFont.load_default(size=12)

    hp, wp = g.padded_hw
    f_in = panel / max(hp, wp)
    left_in = Image.fromarray(input_rgb(steps, channel) if input_image is None else input_image).resize((round(wp * f_in), round(hp * f_in)), Image.NEAREST)
    canvas.paste(left_in, (margin, margin))

    ho, wo = g.output_hw
    f_out = panel / max(ho, wo)
    shown = output_rgb(steps.output)
    flat = shown.reshape(-1, 3)
    yy, xx = np.mgrid[0:ho, 0:wo]
    hatch = np.where(((yy + xx) % 2 == 0)[:, :, None], _HATCH[0], _HATCH[1]).reshape(-1, 3)
    flat[index + 1 :] = hatch[index + 1 :]
    ox = 2 * margin + panel
    canvas.paste(Image.fromarray(shown).resize((round(wo * f_out), round(ho * f_out)), Image.NEAREST), (ox, margin))

    if max(hp, wp) <= 16:
        _numbers(draw, steps.padded_input[max(channel, 0)], margin, margin, f_in, small, None)
    if max(ho, wo) <= 16:
        _numbers(draw, steps.output, ox, margin, f_out, small, index)

    top, left = step.window
    (sh, sw), (dh, dw) = g.span_hw, g.dilation
    _box(draw, margin + left * f_in, margin + top * f_in, margin + (left + sw) * f_in, margin + (top + sh) * f_in)
    if (dh, dw) != (1, 1):
        r = max(2.0, f_in / 4)
        for row in g.tap_rows(step.out_pos[0]):
            for col in g.tap_cols(step.out_pos[1]):
                cx, cy = margin + (col + 0.5) * f_in, margin + (row + 0.5) * f_in
                draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(230, 30, 30), width=2)
    row, col = step.out_pos
    _box(draw, ox + col * f_out, margin + row * f_out, ox + (col + 1) * f_out, margin + (row + 1) * f_out)

    y = margin + panel + 10
    (ph, pw), (st_h, st_w) = g.padding, g.stride
    kh, kw = g.kernel_hw
    padding = f"{ph},{pw}" if g.padding_end is None else f"{ph},{pw} top/left {g.padding_end[0]},{g.padding_end[1]} bottom/right"
    info = (f"step {index + 1}/{len(steps)}   output ({row}, {col}) of {ho}x{wo}   kernel {kh}x{kw}   "
            f"stride {st_h},{st_w}   padding {padding} ({steps.padding_mode})   dilation {dh},{dw}   "
            f"bias {format_number(steps.bias)}")
    draw.text((margin, y), title, fill=(30, 30, 30), font=font)
    draw.text((margin, y + 22), info, fill=(30, 30, 30), font=small)
    draw.text((margin, y + 44), "sum(x\u00b7k) + b = y:", fill=(30, 30, 30), font=font)
    draw.text((margin, y + 66), format_sum(step, max_terms=12, times="\u00b7"), fill=(180, 20, 20), font=font)
    return canvas


def _box(draw, x0: float, y0: float, x1: float, y1: float) -> None:
    """A red outline that stays visible when a cell is smaller than a screen pixel."""
    grow = max(0.0, (6 - (x1 - x0)) / 2)
    draw.rectangle([x0 - grow, y0 - grow, x1 + grow - 1, y1 + grow - 1], outline=(230, 30, 30), width=3)


def _numbers(draw, values: np.ndarray, x0: float, y0: float, scale: float, font, last: int | None) -> None:
    rows, cols = values.shape
    for r in range(rows):
        for c in range(cols):
            if last is not None and r * cols + c > last:
                continue
            text = format_number(float(values[r, c]), 1)
            draw.text((x0 + (c + 0.5) * scale, y0 + (r + 0.5) * scale), text, fill=(20, 20, 20), font=font,
                      anchor="mm", stroke_width=2, stroke_fill=(255, 255, 255))
