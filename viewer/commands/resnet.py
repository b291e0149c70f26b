"""``python -m viewer resnet``: export a ResNet layer's feature maps (or one channel) as a PNG mosaic,
its tensor as NumPy, or the network's top-5 classes.

The same renderer as the explorer page (:mod:`viewer.core.render`), without Qt: every channel
of the chosen node normalised and tiled into one image, gaps in grey. ``--npy`` saves the
node's tensor exactly as the network computed it (batch dimension included: ``--layer fc``
gives the (1, classes) logits), so it can be compared with MindSpore's or PyTorch's own output;
``--predict`` prints the five most probable classes, one per line. torch is only imported
inside :func:`run`, so ``--help`` stays instant.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from viewer.core.architectures import ARCHITECTURE_NAMES
from viewer.core.colormaps import CHOICES
from viewer.core.render import SCOPES, SORT_KEYS


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "resnet",
        help="export a ResNet layer's feature maps as a PNG mosaic",
        description="Run a ResNet on an image and save every channel of one layer (any module path: "
        "layer2, layer1.0.relu1, layer3.2.sum ...) as one PNG mosaic, or a single channel; or save the "
        "layer's tensor as NumPy (--npy), or print the top-5 classes (--predict). Weights are the "
        "untrained (random) seeded initialisation unless --weights gives a file: a PyTorch state_dict "
        "(.pth, .pt, .safetensors) or a MindSpore checkpoint (.ckpt, computed with MindSpore's padding).",
        epilog="examples:\n"
        "  python -m viewer resnet --image photo.jpg --layer layer2 --size 224 --out maps.png\n"
        "  python -m viewer resnet --image astronaut --arch resnet18 --layer layer1.0.conv1 --normalise channel --out m.png\n"
        "  python -m viewer resnet --image cat --weights resnet50.pth --layer layer4 --sort mean --channel 7 --out c.png\n"
        "  python -m viewer resnet --weights resnet50_cifar10.ckpt --image cat --size 32 --layer fc --npy logits.npy --predict",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--image", default="astronaut", metavar="P", help="image file, or a bundled sample name (default: astronaut)")
    parser.add_argument("--layer", default="layer1", metavar="NAME", help="module path of the node to show (default: layer1)")
    parser.add_argument("--size", metavar="N|own",
                        help="input size: a square of N pixels (32, 64, 128, 224 ...), or 'own' for the image's own "
                        "size capped at 512 (default: the size the weights were trained at if they say, else 224)")
    parser.add_argument("--arch", choices=ARCHITECTURE_NAMES,
                        help="architecture (default: the one a file trained in the app names, else resnet50)")
    parser.add_argument("--weights", metavar="FILE",
                        help=".pth/.pt/.safetensors state_dict or MindSpore .ckpt (default: untrained random weights)")
    parser.add_argument("--classes", metavar="FILE",
                        help="text file naming fc's outputs, one name per line in label order (default: what the "
                        "weights say: ImageNet's for 1000 classes, CIFAR-10's for a 10-class MindSpore checkpoint, "
                        "the dataset's for a network trained in the app)")
    parser.add_argument("--normalise", "--normalize", choices=SCOPES, default="layer",
                        help="colour scale shared by the layer, per channel, or global over every layer (default layer)")
    parser.add_argument("--sort", choices=SORT_KEYS, default="index", help="tile order: channel index, or largest mean / max / zero fraction first")
    parser.add_argument("--colormap", default="auto", metavar="NAME",
                        help=f"auto (diverging for signed values, sequential after ReLU), or one of {', '.join(CHOICES)}")
    parser.add_argument("--channel", type=int, metavar="C", help="save only this channel (upscaled to at least 256 px)")
    parser.add_argument("--out", metavar="OUT.png", help="PNG file to write (optional with --npy or --predict)")
    parser.add_argument("--npy", metavar="OUT.npy",
                        help="save the layer's tensor as NumPy, batch dimension included (--layer fc: the logits)")
    parser.add_argument("--predict", action="store_true", help="print the five most probable classes, one per line, with the weights' class names when they have them")


def _size(text: str) -> int | None:
    from viewer.core.errors import UserError

    if text.lower() == "own":
        return None
    try:
        value = int(text)
    except ValueError:
        raise UserError(f"--size expects a number of pixels or 'own', got {text!r}") from None
    if not 1 <= value <= 1024:
        raise UserError(f"--size must be between 1 and 1024 pixels, got {value}")
    return value




def run(args: argparse.Namespace) -> int:
    from viewer.core.errors import UserError

    if not (args.out or args.npy or args.predict):
        raise UserError("say what to write: --out OUT.png, --npy OUT.npy or --predict")
    from dataclasses import replace

    from viewer.core import colormaps, forward, render
    from viewer.core.classes import read_class_names
    from viewer.core.samples import load_image_or_sample
    from viewer.core.trained_weights import read_trained
    from viewer.core.weights import RANDOM, ArchitectureMismatchError, file_source
    from viewer.export.files import checked_output_path, save_npy, save_png

    out = checked_output_path(args.out, (".png",), option="--out") if args.out else None
    npy = checked_output_path(args.npy, (".npy",), option="--npy") if args.npy else None
    if args.colormap != "auto" and args.colormap not in colormaps.CHOICES:
        raise UserError(f"unknown colormap {args.colormap!r}; choose auto or one of {', '.join(colormaps.CHOICES)}")
    image = load_image_or_sample(args.image)
    weights = RANDOM
    if args.weights:
        path = Path(args.weights)
        if not path.is_file():
            raise UserError(f"no weights file {path}")
        weights = file_source(path)
    if args.classes:
        weights = replace(weights, class_names=read_class_names(args.classes))
    trained = read_trained(args.weights) if args.weights else None
    arch = args.arch or (trained.arch if trained else None) or "resnet50"
    trained_size = weights.preprocessing.trained_size if weights.trained else None
    size = _size(args.size) if args.size else (trained_size or 224)
    request = forward.ForwardRequest(arch, size, image.pixels, weights, args.layer, forward.ViewSettings(args.normalise, args.sort))
    try:
        result, _ = forward.run_forward(request)
    except ArchitectureMismatchError as error:
        if error.looks_like is None or error.looks_like == arch:
            raise
        raise UserError(f"{error} Use --arch {error.looks_like}.") from None
    if args.layer not in result.activations:
        close = [n for n in result.activations if n.startswith(args.layer.split(".")[0])][:6]
        hint = f" (e.g. {', '.join(close)})" if close else " (e.g. layer1, layer2.0.conv1, layer3.1.sum)"
        raise UserError(f"{arch} has no node {args.layer!r}{hint}")
    names = result.weights.class_names
    if args.classes and names is not None and len(names) != len(result.logits):
        raise UserError(f"--classes names {len(names)} classes, but the network has {len(result.logits)} outputs")
    if npy is not None:
        saved = save_npy(result.activations[args.layer].numpy(), npy)
        shape = "x".join(str(v) for v in result.activations[args.layer].shape)
        print(f"{saved}: {arch} {args.layer}, a {shape} float32 tensor, {result.weights.label} weights")
    if args.predict:
        h, w = result.size_hw
        print(f"{arch} at {h}x{w}, weights {result.weights.label}: top 5")
        for p in result.top5:
            print(f"{p.probability * 100:6.2f} %  {p.index:4d}  {p.name}")
    if out is None:
        return 0
    node = forward.render_node(result, args.layer, request.view)
    signed = node.mosaic.stats.signed
    name = args.colormap if args.colormap != "auto" else (colormaps.DIVERGING if signed else colormaps.SEQUENTIAL)
    if args.channel is None:
        rgb = colormaps.colorize_indices(node.mosaic.indices, name)
    else:
        maps = result.maps(args.layer)
        if not 0 <= args.channel < maps.shape[0]:
            raise UserError(f"--channel must be between 0 and {maps.shape[0] - 1} for {args.layer}")
        indices = colormaps.to_indices(maps[args.channel], node.mosaic.low[args.channel], node.mosaic.high[args.channel])
        scale = max(1, 256 // max(indices.shape))
        indices = render.upsample_nearest(indices, (indices.shape[0] * scale, indices.shape[1] * scale))
        rgb = colormaps.colorize_indices(indices, name)
    saved = save_png(rgb, out)
    c, h, w = result.maps(args.layer).shape
    print(f"{saved}: {arch} {args.layer}, {c} channels of {h}x{w}, {result.weights.label} weights")
    return 0
