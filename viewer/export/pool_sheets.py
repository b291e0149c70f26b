"""Pooling pictures for slides: the three-way comparison sheet and the stepping frames.

Qt-free (numpy + Pillow, colours from :mod:`viewer.core.colormaps`), so the pooling lab's
export buttons and the headless ``pool`` command make the same files. Every map of a sheet
shares one colormap and one set of levels (the lab's own), so brightness compares across them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from viewer.core import colormaps
from viewer.core.colormaps import colorize
from viewer.core.pooling import MODE_TITLES

if TYPE_CHECKING:
    from PIL import Image

    from viewer.core.pooling import PoolSteps

#: Longest side of one panel in an exported image, in pixels.
PANEL = 256
_BACKGROUND = (24, 24, 24)
_TEXT = (235, 235, 235)
_WINDOW = (255, 64, 64)
_EMPTY = (60, 60, 60)


def _font(size: int = 14):
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def _panel(rgb: np.ndarray, size: tuple[int, int]) -> Image.Image:
    from PIL import Image

    return Image.fromarray(np.ascontiguousarray(rgb)).resize(size, Image.Resampling.NEAREST)


def panel_size(hw: tuple[int, int]) -> tuple[int, int]:
    """(width, height) of a panel showing an (H, W) map, longest side :data:`PANEL`."""
    h, w = hw
    scale = PANEL / max(h, w)
    return max(1, round(w * scale)), max(1, round(h * scale))


def _wrap(text: str, font, width: int) -> list[str]:
    """Lines of ``text`` broken at spaces so that none is wider than ``width`` pixels."""
    lines: list[str] = []
    for paragraph in text.splitlines():
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and font.getlength(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def _sheet(panels: list[tuple[str, Image.Image | None]], columns: int, footer: str) -> Image.Image:
    from PIL import Image, ImageDraw

    font = _font(14)
    cell_w = max(p.width for _, p in panels if p is not None) + 16
    cell_h = max(p.height for _, p in panels if p is not None) + 28
    rows = -(-len(panels) // columns)
    footer_lines = _wrap(footer, font, cell_w * columns - 16)
    sheet = Image.new("RGB", (cell_w * columns, cell_h * rows + 8 + 18 * len(footer_lines)), _BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    for i, (title, image) in enumerate(panels):
        x, y = (i % columns) * cell_w + 8, (i // columns) * cell_h + 4
        draw.text((x, y), title, fill=_TEXT, font=font)
        if image is not None:
            sheet.paste(image, (x, y + 20))
    for j, line in enumerate(footer_lines):
        draw.text((8, cell_h * rows + 4 + 18 * j), line, fill=_TEXT, font=font)
    return sheet


def comparison_image(
    x: np.ndarray,
    outputs: dict[str, np.ndarray | None],
    *,
    colormap: str = "gray",
    footer: str = "",
) -> Image.Image:
    """The input and each output in ``outputs`` (mode -> map, None if impossible) side by side.

    All maps share one colormap and one set of levels; with max, avg and stochastic present, a
    second row shows max - avg and stochastic - avg on a diverging map centred on 0.
    """
    levels = colormaps.levels(x, from_zero=True, centre=colormaps.is_diverging(colormap))
    size = panel_size(x.shape)
    panels: list[tuple[str, Image.Image | None]] = [("input", _panel(colorize(x, levels, colormap), size))]
    for mode, out in outputs.items():
        title = MODE_TITLES[mode]
        panels.append((title if out is not None else f"{title}: apply ReLU first", None if out is None else _panel(colorize(out, levels, colormap), size)))
    avg = outputs.get("avg")
    diffs = [(f"{MODE_TITLES[m]} - average", outputs[m] - avg) for m in ("max", "stochastic") if avg is not None and outputs.get(m) is not None]
    if diffs and len(outputs) == 3:
        bound = max(float(np.abs(d).max()) for _, d in diffs) or 1.0
        panels.extend((f"{t}  (\u00b1{bound:.3g})", _panel(colorize(d, (-bound, bound), colormaps.DIVERGING), size)) for t, d in diffs)
    return _sheet(panels, columns=1 + len(outputs), footer=footer)


def step_frames(
    steps: dict[str, PoolSteps], selection: range, *, colormap: str = "gray"
) -> list[Image.Image]:
    """One frame per step: the padded input with the window outlined, and each output filled so far."""
    from PIL import ImageDraw

    first = next(iter(steps.values()))
    g = first.geometry
    padded = first.padded_input
    levels = colormaps.levels(padded, from_zero=True, centre=colormaps.is_diverging(colormap))
    in_size = panel_size(padded.shape)
    sx, sy = in_size[0] / padded.shape[1], in_size[1] / padded.shape[0]
    input_panel = _panel(colorize(padded, levels, colormap), in_size)
    out_size = panel_size(g.output_hw)
    out_rgb = {m: colorize(s.output, levels, colormap) for m, s in steps.items()}
    order = np.arange(len(g)).reshape(g.output_hw)
    kh, kw = g.kernel_hw
    frames = []
    for i in selection:
        step = first[i]
        panel = input_panel.copy()
        top, left = step.window
        _outline(ImageDraw.Draw(panel), left * sx, top * sy, (left + kw) * sx, (top + kh) * sy)
        panels = [(f"input (padded), step {i + 1}/{len(g)}", panel)]
        for mode, s in steps.items():
            filled = np.where((order <= i)[..., None], out_rgb[mode], np.array(_EMPTY, np.uint8))
            image = _panel(filled, out_size)
            r, c = step.out_pos
            cw, ch = out_size[0] / g.output_hw[1], out_size[1] / g.output_hw[0]
            _outline(ImageDraw.Draw(image), c * cw, r * ch, (c + 1) * cw, (r + 1) * ch)
            panels.append((f"{MODE_TITLES[mode]} = {float(s.output[r, c]):.3f}", image))
        footer = f"window at ({top}, {left}) -> output ({step.out_pos[0]}, {step.out_pos[1]}):  max {float(step.patch[step.max_index]):.3f}, average {step.mean:.3f}"
        frames.append(_sheet(panels, columns=len(panels), footer=footer))
    return frames


def _outline(draw, x0: float, y0: float, x1: float, y1: float) -> None:
    """The window's outline, at least 6 pixels wide: on a photo a window can be under a pixel."""
    grow_x, grow_y = max(0.0, (6 - (x1 - x0)) / 2), max(0.0, (6 - (y1 - y0)) / 2)
    draw.rectangle([x0 - grow_x, y0 - grow_y, x1 + grow_x - 1, y1 + grow_y - 1], outline=_WINDOW, width=2)


def settings_footer(kernel, stride, padding, training: bool, seed: int) -> str:
    """One line describing the settings, printed under exported images."""
    mode = f"training draw, seed {seed}" if training else "test-time weighted mean"
    return (
        f"window {kernel}x{kernel}, stride {stride}, padding {padding} per side; average counts padding "
        f"(count_include_pad=True); stochastic: {mode}"
    )
