"""``python -m viewer pool``: max / average / stochastic pooling of an image, as a PNG or a GIF.

The renderers here are Qt-free (numpy + Pillow; colours from pyqtgraph's colormap data through
:func:`viewer.ui.colormaps.lookup_table`), so the pooling lab's export buttons and this command
produce the same files. torch is imported only when the command runs, to keep ``--help`` instant.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from viewer.core.errors import UserError

if TYPE_CHECKING:
    from PIL import Image

    from viewer.core.pooling import PoolSteps

CHANNELS = ("luminance", "red", "green", "blue")
MODE_CHOICES = ("all", "max", "avg", "stochastic")
MODE_TITLES = {"max": "max", "avg": "average", "stochastic": "stochastic"}
#: Longest side of one panel in an exported image, in pixels.
PANEL = 256
#: More frames than this make a GIF nobody will watch; the command refuses them.
MAX_FRAMES = 1000
_BACKGROUND = (24, 24, 24)
_TEXT = (235, 235, 235)
_WINDOW = (255, 64, 64)
_EMPTY = (60, 60, 60)

HELP = """\
Pool one channel of an image with max, average and stochastic pooling.

With --out X.png: the input next to the three outputs (same colormap and levels) and the
difference maps max - avg and stochastic - avg (diverging colormap centred on 0); with a single
--mode, the input next to that output. With --out X.gif: the window sliding over the (padded)
input step by step while the outputs fill in; --steps A:B chooses the steps (default 0:100).

Average pooling counts the zero padding in its divisor (PyTorch's count_include_pad=True).
Stochastic pooling (Zeiler and Fergus, 2013) draws each window's output with probability
a_i / sum(a) with --training, else outputs the probability-weighted mean sum(a_i^2) / sum(a).

example: python -m viewer pool --image cat.jpg --mode stochastic --kernel 2 --out pool.png
"""


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``pool`` sub-command."""
    parser = subparsers.add_parser(
        "pool",
        help="export max / average / stochastic pooling of an image (PNG comparison or stepping GIF)",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--image", required=True, metavar="PATH",
                        help="image file to pool, or a bundled sample name such as astronaut")
    parser.add_argument("--out", required=True, metavar="OUT", help="output file: .png (comparison) or .gif (stepping)")
    parser.add_argument("--mode", choices=MODE_CHOICES, default="all", help="pooling to show (default: all three)")
    parser.add_argument("--kernel", type=int, default=2, metavar="K", help="window size K x K (default 2)")
    parser.add_argument("--stride", type=int, default=None, metavar="S", help="stride (default: the window size)")
    parser.add_argument("--padding", type=int, default=0, metavar="P", help="zero padding per side, at most K // 2 (default 0)")
    parser.add_argument("--channel", choices=CHANNELS, default="luminance", help="image channel to pool (default luminance)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the stochastic draw (default 0)")
    parser.add_argument("--training", action="store_true", help="stochastic pooling draws (training) instead of the weighted mean (test)")
    parser.add_argument("--steps", default="0:100", metavar="A:B", help="GIF only: steps A (inclusive) to B (exclusive), default 0:100")
    parser.add_argument("--fps", type=float, default=5.0, help="GIF only: frames per second (default 5)")
    parser.add_argument("--colormap", default="gray", help="colormap of the maps (default gray)")
    return parser


def select_channel(pixels: np.ndarray, channel: str) -> np.ndarray:
    """(H, W) float32 from (H, W, 3) pixels: ``luminance`` (ITU-R 601) or one colour."""
    if channel == "luminance":
        return np.ascontiguousarray(pixels @ np.array([0.299, 0.587, 0.114], np.float32))
    return np.ascontiguousarray(pixels[:, :, CHANNELS.index(channel) - 1])


def parse_steps(text: str, count: int) -> range:
    """``A:B`` (either side optional, B exclusive) to a range of steps within ``count``."""
    try:
        start_text, stop_text = text.split(":")
        start = int(start_text) if start_text.strip() else 0
        stop = int(stop_text) if stop_text.strip() else count
    except ValueError:
        raise UserError(f"--steps must look like A:B (e.g. 0:50), not {text!r}") from None
    start, stop = max(0, start), min(count, stop)
    if start >= stop:
        raise UserError(f"--steps {text} selects no step; there are {count} steps (0:{count}).")
    if stop - start > MAX_FRAMES:
        raise UserError(f"--steps {text} asks for {stop - start} frames; at most {MAX_FRAMES} per GIF.")
    return range(start, stop)


# -- rendering (Qt-free) ---------------------------------------------------------------------
def _font(size: int = 14):
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def colorize(values: np.ndarray, levels: tuple[float, float], colormap: str) -> np.ndarray:
    """(H, W) values to (H, W, 3) uint8 with fixed levels (so panels compare)."""
    from viewer.ui.colormaps import lookup_table

    lo, hi = levels
    scale = 255.0 / (hi - lo) if hi > lo else 0.0
    indices = np.clip(np.rint((np.asarray(values, np.float64) - lo) * scale), 0, 255).astype(np.uint8)
    return lookup_table(colormap)[indices]


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
    from viewer.ui.colormaps import DIVERGING

    levels = (min(0.0, float(x.min())), float(x.max()))
    size = panel_size(x.shape)
    panels: list[tuple[str, Image.Image | None]] = [("input", _panel(colorize(x, levels, colormap), size))]
    for mode, out in outputs.items():
        title = MODE_TITLES[mode]
        panels.append((title if out is not None else f"{title}: apply ReLU first", None if out is None else _panel(colorize(out, levels, colormap), size)))
    avg = outputs.get("avg")
    diffs = [(f"{MODE_TITLES[m]} - average", outputs[m] - avg) for m in ("max", "stochastic") if avg is not None and outputs.get(m) is not None]
    if diffs and len(outputs) == 3:
        bound = max(float(np.abs(d).max()) for _, d in diffs) or 1.0
        panels.extend((f"{t}  (\u00b1{bound:.3g})", _panel(colorize(d, (-bound, bound), DIVERGING), size)) for t, d in diffs)
    return _sheet(panels, columns=1 + len(outputs), footer=footer)


def step_frames(
    steps: dict[str, PoolSteps], selection: range, *, colormap: str = "gray"
) -> list[Image.Image]:
    """One frame per step: the padded input with the window outlined, and each output filled so far."""
    from PIL import ImageDraw

    first = next(iter(steps.values()))
    g = first.geometry
    padded = first.padded_input
    levels = (min(0.0, float(padded.min())), float(padded.max()))
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


def save_gif(frames: list[Image.Image], path: str | Path, fps: float = 5.0) -> None:
    """Write frames as a looping GIF."""
    duration = max(20, round(1000 / max(0.1, fps)))
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=duration, loop=0, optimize=False)


def settings_footer(kernel, stride, padding, training: bool, seed: int) -> str:
    """One line describing the settings, printed under exported images."""
    mode = f"training draw, seed {seed}" if training else "test-time weighted mean"
    return (
        f"window {kernel}x{kernel}, stride {stride}, padding {padding} per side; average counts padding "
        f"(count_include_pad=True); stochastic: {mode}"
    )


# -- the command -----------------------------------------------------------------------------
def _write(save, out: Path) -> None:
    """Run ``save``; an unwritable place becomes one clear UserError."""
    try:
        save()
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None

def run(args: argparse.Namespace) -> int:
    """Pool the image and write ``args.out``; :class:`UserError` for anything the user can fix."""
    import torch

    from viewer.core.pooling import MODES, PoolSteps, pool2d, pooling_geometry
    from viewer.core.samples import load_image_or_sample
    from viewer.ui.colormaps import CHOICES

    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".png", ".gif"):
        raise UserError(f"--out must end in .png or .gif, not {out.name!r}")
    if args.colormap not in CHOICES:
        raise UserError(f"unknown colormap {args.colormap!r}; choose one of {', '.join(CHOICES)}")
    if not args.fps > 0:
        raise UserError(f"--fps must be positive, not {args.fps:g}")
    if not out.parent.is_dir():
        raise UserError(f"cannot write {out}: the folder {str(out.parent)!r} does not exist")
    image = load_image_or_sample(args.image)
    x = select_channel(image.pixels, args.channel)
    stride = args.kernel if args.stride is None else args.stride
    pooling_geometry(x.shape, args.kernel, stride, args.padding)  # InvalidSettingError, a UserError
    modes = MODES if args.mode == "all" else (args.mode,)
    if suffix == ".png":
        tensor = torch.from_numpy(x)[None]
        outputs = {
            m: pool2d(tensor, m, args.kernel, stride, args.padding, training=args.training, seed=args.seed)[0].numpy()
            for m in modes
        }
        footer = f"{image.name}, {args.channel}: " + settings_footer(args.kernel, stride, args.padding, args.training, args.seed)
        sheet = comparison_image(x, outputs, colormap=args.colormap, footer=footer)
        _write(lambda: sheet.save(out), out)
    else:
        steps = {m: PoolSteps(x, m, args.kernel, stride, args.padding, training=args.training, seed=args.seed) for m in modes}
        selection = parse_steps(args.steps, len(next(iter(steps.values()))))
        frames = step_frames(steps, selection, colormap=args.colormap)
        _write(lambda: save_gif(frames, out, args.fps), out)
    print(f"wrote {out}")
    return 0
