"""``python -m viewer conv``: export convolution steps as a PNG frame or an animated GIF.

The frames are the lab's own (:mod:`viewer.export.conv_frames`), drawn without Qt. torch is
only imported inside :func:`run`, so ``--help`` stays instant.
"""

from __future__ import annotations

import argparse

from viewer.commands.options import channel, finite, parse_pair, parse_steps, within
from viewer.core.conv import PADDING_MODES
from viewer.core.images import CHANNELS
from viewer.core.kernels import MAX_KERNEL_SIDE, PRESET_NAMES

#: Above this many frames a GIF gets unwieldy for slides; the user is asked for a range instead.
MAX_FRAMES = 2000


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
    parser.add_argument("--channel", type=channel, choices=CHANNELS, default="luminance",
                        help="input channel: luminance (gray), red, green, blue, or rgb for all three (the kernel is "
                        "repeated over the channels and the products summed); default luminance")
    parser.add_argument("--kernel", default="sobel_x", metavar="NAME|VALUES",
                        help=f"a preset ({', '.join(PRESET_NAMES)}) or the values typed as '1,0,-1;2,0,-2;1,0,-1'; "
                        "default sobel_x")
    parser.add_argument("--kernel-size", default="3", metavar="K|KHxKW", help="size of resizable presets (1 to 11); default 3")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random kernel; default 0")
    parser.add_argument("--stride", default="1", metavar="S|SH,SW", help="stride, one value or rows,cols; default 1")
    parser.add_argument("--padding", default="0", metavar="P|PH,PW", help="padding per side, one value or rows,cols; default 0")
    parser.add_argument("--dilation", default="1", metavar="D|DH,DW", help="dilation, one value or rows,cols; default 1")
    parser.add_argument("--padding-mode", default="zeros", choices=PADDING_MODES,
                        help="what the padding holds; default zeros")
    parser.add_argument("--bias", type=float, default=0.0, help="bias added to every output value; default 0")
    parser.add_argument("--steps", default="0:40", metavar="A:B|N",
                        help="steps to draw: A:B (B excluded, like a Python slice; A:B:S every S-th), or one step N; "
                        "default 0:40. With --by-row the numbers count output rows")
    parser.add_argument("--by-row", action="store_true", help="one frame per output row instead of per cell (big images)")
    parser.add_argument("--fps", type=float, default=4.0, help="GIF frames per second; default 4")
    parser.add_argument("--out", required=True, metavar="OUT.gif|OUT.png", help="file to write (.gif: the range, .png: its first step)")


def _build_setup(args: argparse.Namespace):
    import numpy as np

    from viewer.core.conv import ConvSetup, course_example
    from viewer.core.errors import UserError
    from viewer.core.kernels import resolve_kernel
    from viewer.core.samples import load_image_or_sample

    if args.example:
        return course_example(args.example)
    image = load_image_or_sample(args.image or "astronaut")
    x = image.planes(args.channel)
    try:
        kernel2d = resolve_kernel(args.kernel, parse_pair(args.kernel_size, "--kernel-size", 1, MAX_KERNEL_SIDE),
                                  within(args.seed, "--seed", 0, 2**32 - 1))
    except ValueError as exc:
        raise UserError(f"--kernel: {exc}") from None
    kernel = np.repeat(kernel2d[None], x.shape[0], axis=0)
    return ConvSetup(
        x, kernel, finite(args.bias, "--bias"), parse_pair(args.stride, "--stride", 1),
        parse_pair(args.padding, "--padding", 0), parse_pair(args.dilation, "--dilation", 1), args.padding_mode,
        label=f"{image.name}, {args.channel}, {args.kernel}",
    )


def run(args: argparse.Namespace) -> int:
    from viewer.core.errors import UserError
    from viewer.export.conv_frames import save_frames
    from viewer.export.files import checked_output_path

    out = checked_output_path(args.out, (".gif", ".png"), option="--out")
    finite(args.fps, "--fps", positive=True)
    try:
        setup = _build_setup(args)
        steps = setup.steps()
    except ValueError as exc:
        raise UserError(str(exc)) from None
    rows, cols = steps.geometry.output_hw
    if args.by_row:
        selected = [min(r * cols + cols - 1, len(steps) - 1) for r in parse_steps(args.steps, rows)]
    else:
        selected = list(parse_steps(args.steps, len(steps)))
    if out.suffix.lower() == ".png":
        selected = selected[:1]
    if len(selected) > MAX_FRAMES:
        raise UserError(f"{len(selected)} frames is too many for one GIF (at most {MAX_FRAMES}); choose a smaller --steps range or --by-row.")
    save_frames(steps, selected, out, fps=args.fps, title=setup.label,
                channel=-1 if args.channel == "rgb" and not args.example else 0)
    print(f"wrote {out} ({len(selected)} frame{'s' if len(selected) != 1 else ''})")
    return 0
