"""``python -m viewer conv``: export convolution steps as a PNG frame or an animated GIF.

Frames are drawn without Qt (numpy + Pillow), so the export needs no display and no widget:
the padded input (padding tinted blue, the window outlined in red, its taps dotted when
dilated), the output feature map filling in (cells not computed yet hatched grey, the current
one outlined) and the sum written out with the real numbers. The lab's "Export GIF" button uses
the same renderer, so slides look the same whichever way they were made.

torch is only imported inside :func:`run`, so ``--help`` stays instant.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from PIL import Image

    from viewer.core.conv import ConvSetup, ConvSteps

CHANNELS = ("gray", "red", "green", "blue", "all")
#: Above this many frames a GIF gets unwieldy for slides; the user is asked for a range instead.
MAX_FRAMES = 2000
_PADDING_TINT = np.array([70, 120, 210], np.float32)
_HATCH = (np.array([205, 205, 205], np.uint8), np.array([232, 232, 232], np.uint8))


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "conv",
        help="export convolution steps as PNG or animated GIF",
        description="Animate a cross-correlation step by step, as the Convolution lab does, and save "
        "one frame (.png) or a range of steps (.gif). Padding counts cells per side, as PyTorch does "
        "(the course's total padding p is twice that).",
        epilog="examples:\n"
        "  python -m viewer conv --image photo.jpg --kernel sobel_x --stride 2 --padding 1 --steps 0:40 --out anim.gif\n"
        "  python -m viewer conv --example 2 --steps 0:25 --out course.gif\n"
        "  python -m viewer conv --kernel '1,0,-1;2,0,-2;1,0,-1' --steps 7 --out frame.png",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--image", metavar="P", help="image file, or a bundled sample name such as astronaut (default: astronaut)")
    parser.add_argument("--example", type=int, choices=(1, 2),
                        help="a course example instead of an image: 1 = 5x5 input, 3x3 kernel, stride 2, no padding "
                        "(2x2 output); 2 = stride 1, padding 1 per side (5x5 output). The other settings are ignored")
    parser.add_argument("--channel", choices=CHANNELS, default="gray",
                        help="input channel: gray (luminance), red, green, blue, or all three (the kernel is repeated "
                        "over the channels and the products summed); default gray")
    parser.add_argument("--kernel", default="sobel_x", metavar="NAME|VALUES",
                        help="a preset (identity, box_blur, gaussian, sharpen, sobel_x, sobel_y, prewitt_x, prewitt_y, "
                        "laplacian, emboss, outline, random, custom) or the values typed as '1,0,-1;2,0,-2;1,0,-1'; "
                        "default sobel_x")
    parser.add_argument("--kernel-size", default="3", metavar="K|KHxKW", help="size of resizable presets (1 to 11); default 3")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random kernel; default 0")
    parser.add_argument("--stride", default="1", metavar="S|SH,SW", help="stride, one value or rows,cols; default 1")
    parser.add_argument("--padding", default="0", metavar="P|PH,PW", help="padding per side, one value or rows,cols; default 0")
    parser.add_argument("--dilation", default="1", metavar="D|DH,DW", help="dilation, one value or rows,cols; default 1")
    parser.add_argument("--padding-mode", default="zeros", choices=("zeros", "reflect", "replicate", "circular"),
                        help="what the padding holds; default zeros")
    parser.add_argument("--bias", type=float, default=0.0, help="bias added to every output value; default 0")
    parser.add_argument("--steps", default="0:40", metavar="A:B|N",
                        help="steps to draw: A:B (B excluded, like a Python slice; A:B:S every S-th), or one step N; "
                        "default 0:40. With --by-row the numbers count output rows")
    parser.add_argument("--by-row", action="store_true", help="one frame per output row instead of per cell (big images)")
    parser.add_argument("--fps", type=float, default=4.0, help="GIF frames per second; default 4")
    parser.add_argument("--out", required=True, metavar="OUT.gif|OUT.png", help="file to write (.gif: the range, .png: its first step)")


def _pair(text: str, name: str) -> tuple[int, int]:
    from viewer.core.errors import UserError

    parts = text.replace("x", ",").split(",")
    try:
        values = [int(p) for p in parts]
    except ValueError:
        raise UserError(f"--{name} expects an integer or two separated by a comma, got {text!r}") from None
    if len(values) == 1:
        return (values[0], values[0])
    if len(values) == 2:
        return (values[0], values[1])
    raise UserError(f"--{name} expects one or two integers, got {text!r}")


def parse_steps(text: str, count: int) -> range:
    """``"A:B"``, ``"A:B:S"`` or ``"N"`` as a range clipped to ``count``; ``ValueError`` if empty."""
    try:
        if ":" in text:
            parts = [int(p) if p.strip() else None for p in text.split(":")]
            if len(parts) > 3:
                raise ValueError
            selected = range(count)[slice(*parts)]
        else:
            n = int(text)
            selected = range(count)[n : n + 1] if n >= 0 else range(count)[n:][:1]
    except ValueError:
        raise ValueError(f"--steps expects A:B, A:B:S or N, got {text!r}") from None
    if len(selected) == 0:
        raise ValueError(f"--steps {text} selects no step: there are {count} (0 to {count - 1}).")
    return selected


def _build_setup(args: argparse.Namespace) -> ConvSetup:
    from viewer.core.conv import ConvSetup, course_example
    from viewer.core.kernels import resolve_kernel

    if args.example:
        return course_example(args.example)
    from viewer.core.samples import load_image_or_sample

    image = load_image_or_sample(args.image or "astronaut")
    if args.channel == "all":
        x = np.transpose(image.pixels, (2, 0, 1))
    elif args.channel == "gray":
        x = image.luminance()[None]
    else:
        x = image.channel(CHANNELS.index(args.channel) - 1)[None]
    kernel2d = resolve_kernel(args.kernel, _pair(args.kernel_size, "kernel-size"), args.seed)
    kernel = np.repeat(kernel2d[None], x.shape[0], axis=0)
    return ConvSetup(
        x, kernel, args.bias, _pair(args.stride, "stride"), _pair(args.padding, "padding"),
        _pair(args.dilation, "dilation"), args.padding_mode, label=f"{image.name}, {args.channel}, {args.kernel}",
    )


def run(args: argparse.Namespace) -> int:
    from viewer.core.errors import UserError

    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".gif", ".png"):
        raise UserError(f"--out must end in .gif or .png, got {args.out!r}")
    if not args.fps > 0:
        raise UserError("--fps must be positive")
    try:
        setup = _build_setup(args)
        steps = setup.steps()
        rows, cols = steps.geometry.output_hw
        if args.by_row:
            selected = [min(r * cols + cols - 1, len(steps) - 1) for r in parse_steps(args.steps, rows)]
        else:
            selected = list(parse_steps(args.steps, len(steps)))
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if suffix == ".png":
        selected = selected[:1]
    if len(selected) > MAX_FRAMES:
        raise UserError(f"{len(selected)} frames is too many for one GIF (at most {MAX_FRAMES}); choose a smaller --steps range or --by-row.")
    try:
        save_frames(steps, selected, out, fps=args.fps, title=setup.label,
                    channel=-1 if args.channel == "all" and not args.example else 0)
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None
    print(f"wrote {out} ({len(selected)} frame{'s' if len(selected) != 1 else ''})")
    return 0


def save_frames(steps: ConvSteps, indices: list[int], out: Path, *, fps: float = 4.0, title: str = "",
                channel: int = 0) -> None:
    """Write one frame as PNG, or several as an animated GIF looping forever."""
    backdrop = input_rgb(steps, channel)  # the same for every frame: draw it once
    frames = [render_frame(steps, i, channel=channel, title=title, input_image=backdrop) for i in indices]
    if Path(out).suffix.lower() == ".png" or len(frames) == 1:
        frames[0].save(out)
        return
    frames[0].save(out, save_all=True, append_images=frames[1:], duration=max(20, round(1000 / fps)), loop=0,
                   optimize=False, disposal=1)


def _gray(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Values scaled to 0..255 as uint8 (float32 work, slices and ufuncs only: the GIL stays free)."""
    if not high > low:
        return np.full(values.shape, 128, np.uint8)
    scaled = np.subtract(values, np.float32(low), dtype=np.float32)
    scaled *= np.float32(255.0 / (high - low))
    np.clip(scaled, 0, 255, out=scaled)
    return scaled.astype(np.uint8)


def input_rgb(steps: ConvSteps, channel: int = 0) -> np.ndarray:
    """The padded input as (Hp, Wp, 3) uint8: RGB when it has 3 channels, else one channel in
    grey; the padding tinted blue so that it is visibly not part of the image.

    Runs in the lab's worker on photo-sized inputs, so it avoids boolean masks and ``np.repeat``,
    which hold the GIL (and so stall the GUI thread) for tens of milliseconds on 2048x2048.
    """
    padded = steps.padded_input
    hp, wp = padded.shape[1:]
    (ph, pw), (h, w) = steps.geometry.padding, steps.geometry.input_hw
    inner = padded[:, ph : ph + h, pw : pw + w]
    rgb = np.empty((hp, wp, 3), np.uint8)
    if padded.shape[0] == 3 and channel < 0:
        low, high = min(0.0, float(inner.min())), max(1.0, float(inner.max()))
        for i in range(3):
            rgb[:, :, i] = _gray(padded[i], low, high)
    else:
        plane = padded[max(channel, 0)]
        inner_plane = inner[max(channel, 0)]
        rgb[:, :, :] = _gray(plane, float(inner_plane.min()), float(inner_plane.max()))[:, :, None]
    tint = _PADDING_TINT * 0.55
    for rows, cols in ((slice(0, ph), slice(None)), (slice(ph + h, hp), slice(None)),
                       (slice(ph, ph + h), slice(0, pw)), (slice(ph, ph + h), slice(pw + w, wp))):
        border = rgb[rows, cols]
        if border.size:
            rgb[rows, cols] = (border * np.float32(0.45) + tint).astype(np.uint8)
    return rgb


#: Outputs with more cells than this get percentile (not min / max) colour levels.
ROBUST_LEVELS_ABOVE = 4096


def output_levels(output: np.ndarray) -> tuple[float, float, bool]:
    """(low, high, signed): symmetric around zero for signed outputs, so that 0 is white.

    On a photo an edge filter's few extreme responses would make every other edge near-white,
    so above :data:`ROBUST_LEVELS_ABOVE` cells the signed bound is the 99.5th percentile of |y|
    (the rare stronger cells saturate). Small grids keep the exact extremes.
    """
    low, high = float(output.min()), float(output.max())
    if low < 0:
        bound = max(-low, high)
        if output.size > ROBUST_LEVELS_ABOVE:
            bound = float(np.percentile(np.abs(output), 99.5)) or bound
        bound = max(bound, 1e-12)
        return -bound, bound, True
    return low, high if high > low else low + 1.0, False


def output_rgb(output: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8: blue-white-red for signed values, grey otherwise."""
    low, high, signed = output_levels(output)
    t = np.clip((output - low) / (high - low), 0, 1)[:, :, None]
    if not signed:
        # viridis anchors: a colour map, so that the grey hatch of pending cells stands apart
        anchors = np.array([[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]], float)
        positions = np.linspace(0, 1, len(anchors))
        return np.stack([np.interp(t[:, :, 0], positions, anchors[:, i]) for i in range(3)], axis=2).astype(np.uint8)
    blue, white, red = np.array([40, 90, 200.0]), np.array([250, 250, 250.0]), np.array([200, 40, 40.0])
    rgb = np.where(t < 0.5, blue + (white - blue) * (t * 2), white + (red - white) * (t * 2 - 1))
    return rgb.astype(np.uint8)


def render_frame(steps: ConvSteps, index: int, *, channel: int = 0, title: str = "",
                 panel: int = 420, input_image: np.ndarray | None = None) -> Image.Image:
    """One animation frame: input with window | output filling in, and the sum below."""
    from PIL import Image, ImageDraw, ImageFont

    from viewer.core.conv import format_number, format_sum

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
    info = (f"step {index + 1}/{len(steps)}   output ({row}, {col}) of {ho}x{wo}   kernel {kh}x{kw}   "
            f"stride {st_h},{st_w}   padding {ph},{pw} ({steps.padding_mode})   dilation {dh},{dw}   "
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
    from viewer.core.conv import format_number

    rows, cols = values.shape
    for r in range(rows):
        for c in range(cols):
            if last is not None and r * cols + c > last:
                continue
            text = format_number(float(values[r, c]), 1)
            draw.text((x0 + (c + 0.5) * scale, y0 + (r + 0.5) * scale), text, fill=(20, 20, 20), font=font,
                      anchor="mm", stroke_width=2, stroke_fill=(255, 255, 255))
