"""``python -m viewer pool``: max / average / stochastic pooling of an image, as a PNG or a GIF.

The pictures are the pooling lab's own (:mod:`viewer.export.pool_sheets`), drawn without Qt.
torch is imported only when the command runs, to keep ``--help`` instant.
"""

from __future__ import annotations

import argparse

from viewer.commands.options import channel, finite, parse_steps, within
from viewer.core.colormaps import CHOICES
from viewer.core.errors import UserError
from viewer.core.images import PLANES

MODE_CHOICES = ("all", "max", "avg", "stochastic")
#: More frames than this make a GIF nobody will watch; the command refuses them.
MAX_FRAMES = 1000

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
    parser.add_argument("--channel", type=channel, choices=PLANES, default="luminance", help="image channel to pool (default luminance)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the stochastic draw (default 0)")
    parser.add_argument("--training", action="store_true", help="stochastic pooling draws (training) instead of the weighted mean (test)")
    parser.add_argument("--steps", default="0:100", metavar="A:B", help="GIF only: steps A (inclusive) to B (exclusive), or A:B:S every S-th, default 0:100")
    parser.add_argument("--fps", type=float, default=5.0, help="GIF only: frames per second (default 5)")
    parser.add_argument("--colormap", default="gray", choices=CHOICES, metavar="NAME",
                        help=f"colormap of the maps: {', '.join(CHOICES)} (default gray)")
    return parser


def run(args: argparse.Namespace) -> int:
    """Pool the image and write ``args.out``; :class:`UserError` for anything the user can fix."""
    import torch

    from viewer.core.pooling import MODES, PoolSteps, pool2d, pooling_geometry
    from viewer.core.samples import load_image_or_sample
    from viewer.export.files import checked_output_path, save_gif, save_png
    from viewer.export.pool_sheets import comparison_image, settings_footer, step_frames

    out = checked_output_path(args.out, (".png", ".gif"), option="--out")
    finite(args.fps, "--fps", positive=True)
    within(args.kernel, "--kernel", 1)
    stride = within(args.kernel if args.stride is None else args.stride, "--stride", 1)
    within(args.padding, "--padding", 0)
    if args.padding > args.kernel // 2:
        raise UserError(
            f"--padding must be at most half the window (--kernel {args.kernel} // 2 = {args.kernel // 2}), "
            f"got {args.padding}"
        )
    within(args.seed, "--seed", 0, 2**63 - 1)
    image = load_image_or_sample(args.image)
    x = image.plane(args.channel)
    if args.kernel > min(x.shape) + 2 * args.padding:
        raise UserError(
            f"--kernel {args.kernel} is larger than the image ({x.shape[1]}x{x.shape[0]} pixels) with its "
            f"--padding {args.padding} on each side: the output would be empty. Use a smaller --kernel."
        )
    pooling_geometry(x.shape, args.kernel, stride, args.padding)
    modes = MODES if args.mode == "all" else (args.mode,)
    if out.suffix.lower() == ".png":
        tensor = torch.from_numpy(x)[None]
        outputs = {
            m: pool2d(tensor, m, args.kernel, stride, args.padding, training=args.training, seed=args.seed)[0].numpy()
            for m in modes
        }
        footer = f"{image.name}, {args.channel}: " + settings_footer(args.kernel, stride, args.padding, args.training, args.seed)
        save_png(comparison_image(x, outputs, colormap=args.colormap, footer=footer), out)
    else:
        steps = {m: PoolSteps(x, m, args.kernel, stride, args.padding, training=args.training, seed=args.seed) for m in modes}
        selection = parse_steps(args.steps, len(next(iter(steps.values()))))
        if len(selection) > MAX_FRAMES:
            raise UserError(f"--steps {args.steps} asks for {len(selection)} frames; at most {MAX_FRAMES} per GIF.")
        save_gif(step_frames(steps, selection, colormap=args.colormap), out, args.fps)
    print(f"wrote {out}")
    return 0
