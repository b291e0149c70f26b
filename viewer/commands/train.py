"""``python -m viewer train``: run a training-lab preset headless, and write its curves and networks.

The same trainer, presets and pictures as the Training page. torch is imported only inside
:func:`run`, so ``--help`` stays instant.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from viewer.core.training.presets import PRESET_IDS, PRESETS


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    listing = "\n".join(f"  {preset_id:<16} {PRESETS[preset_id].title}" for preset_id in PRESET_IDS)
    parser = subparsers.add_parser(
        "train",
        help="train a training-lab preset's networks, to curves (PNG, CSV) and weights",
        description="Train the networks of one of the Training page's presets side by side, with its default "
        "settings unless told otherwise, and write their curves and weights.",
        epilog=f"presets:\n{listing}\n\n"
        "DATASET is 'shapes' (bundled, synthetic), a cifar-10-batches-bin folder, or a folder of images with one "
        "sub-folder per class.\n\nexamples:\n"
        "  python -m viewer train --preset degradation --out curves.png --csv curves.csv\n"
        "  python -m viewer train --preset course-resnet50 --steps 100 --save net.safetensors\n"
        "  python -m viewer resnet --weights net.safetensors --size 32 --predict --out maps.png",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--preset", required=True, choices=PRESET_IDS, metavar="NAME",
                        help=f"the experiment: {', '.join(PRESET_IDS)}")
    parser.add_argument("--dataset", default="shapes", metavar="shapes|PATH", help="the data (default: shapes)")
    parser.add_argument("--steps", type=int, metavar="N", help="training steps (default: the preset's)")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the initialisation and the batch order (default 0)")
    parser.add_argument("--out", metavar="curves.png", help="write the curves as a PNG")
    parser.add_argument("--csv", metavar="curves.csv", help="write the curves as CSV: network,step,learning_rate,train_loss,"
                        "train_acc,test_acc,seconds (test_acc empty between evaluations)")
    parser.add_argument("--save", metavar="net.safetensors", help="save the trained network (several: one file each, "
                        "the network's name added to the file name)")


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from viewer.core.errors import UserError
    from viewer.core.training.datasets import load_dataset
    from viewer.core.training.record import WINDOW, TrainingRecord
    from viewer.core.training.saving import file_name_part, save_network
    from viewer.core.training.trainer import StepEvent, Trainer
    from viewer.export.files import checked_output_path, save_png
    from viewer.export.training_curves import curves_picture

    preset = PRESETS[args.preset]
    out = checked_output_path(args.out, (".png",), option="--out") if args.out else None
    csv = checked_output_path(args.csv, (".csv",), option="--csv") if args.csv else None
    saves: list[Path] = []
    if args.save:
        target = checked_output_path(args.save, (".safetensors",), option="--save")
        names = [spec.name for spec in preset.networks]
        saves = [target] if len(names) == 1 else [target.with_name(f"{target.stem}-{file_name_part(n)}{target.suffix}") for n in names]
    if args.steps is not None and args.steps < 1:
        raise UserError(f"--steps must be at least 1, got {args.steps}")
    settings = replace(preset.settings, seed=args.seed, steps=args.steps or preset.settings.steps)
    dataset = load_dataset(args.dataset, preset.input_size)
    trainer = Trainer(dataset, preset.networks, settings)
    record = TrainingRecord(tuple(spec.name for spec in preset.networks))
    every = max(1, settings.steps // 10)
    print(f"training {', '.join(record.names)} on {dataset.name} ({dataset.size}x{dataset.size}, {len(dataset.train_labels)} "
          f"images{'; ' + dataset.note if dataset.note else ''}) for {settings.steps} steps on {trainer.device}", file=sys.stderr)
    for event in trainer.events():
        record.add(event)
        if isinstance(event, StepEvent) and (event.step % every == 0 or event.step == settings.steps):
            losses = ", ".join(f"{name} {'diverged' if loss is None else f'{loss:.3f}'}"
                               for name, loss in zip(record.names, (r.loss for r in event.networks), strict=True))
            print(f"step {event.step}/{settings.steps}: {losses}", file=sys.stderr, flush=True)
    written = []
    if out is not None:
        subtitle = (f"{dataset.name} {dataset.size}x{dataset.size}, width {settings.width:g}, batch {settings.batch_size}, "
                    f"SGD lr {settings.learning_rate:g}, {settings.steps} steps, seed {settings.seed}")
        written.append(save_png(curves_picture(record, preset.title, subtitle), out))
    if csv is not None:
        try:
            csv.write_text(record.csv_text(), encoding="utf-8")
        except OSError as error:
            raise UserError(f"Cannot write {csv}: {error.strerror or error}") from None
        written.append(csv)
    for index, path in enumerate(saves):
        written.append(save_network(trainer, index, path))
    for index, name in enumerate(record.names):
        loss = record.trailing_loss(index)
        accuracy = record.final.test_accuracies[index] if record.final else None
        speed = record.speed(index)
        print(f"{name}: " + ("diverged at step " + str(record.diverged_at[index]) if record.diverged_at[index] else
                             f"loss {loss:.4f} (mean of the last {min(WINDOW, len(record.steps))} steps), test accuracy {100 * accuracy:.1f}%")
              + (f", {speed.images_per_second:.0f} images/s" if speed.images_per_second else ""))
    for path in written:
        print(f"wrote {path}")
    return 0
