"""Measure what each training preset shows, over several seeds, with its default settings.

    python scripts/training_presets.py [--seeds 0 1 2] [--extended] [PRESET ...]

For every preset and seed: trains the preset's networks with the page's default settings on
the bundled shapes dataset, writes the raw curves (``docs/training/<preset>-seed<S>.csv``, the
same long format as ``python -m viewer train --csv``) and, for the first seed, the picture of the
curves (``docs/screenshots/curves_<preset>.png``). The final numbers of every run go to
``docs/training/results.json``: each network's mean training loss over the last 25 steps, the
steps it needed to reach the preset's reference losses, its final test accuracy, the gradient
norms per layer at step 1 and at the end, its start-up time and steady-state images per second,
and the machine's load average while it ran (the CPU may be shared).

``--extended`` also runs the degradation preset twice as long (1,000 steps), to count the steps
ResNet-56 needs to reach the loss ResNet-20 ends the default run with.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from viewer.core.training.presets import PRESET_IDS, PRESETS  # noqa: E402
from viewer.core.training.record import TrainingRecord  # noqa: E402
from viewer.core.training.shapes import shapes_dataset  # noqa: E402
from viewer.core.training.trainer import Trainer  # noqa: E402
from viewer.export.training_curves import curves_picture  # noqa: E402

DATA = ROOT / "docs" / "training"
PICTURES = ROOT / "docs" / "screenshots"
#: training losses whose first crossing (25-step mean) is reported, per preset
REFERENCE_LOSSES = {"degradation": (1.0, 0.5, 0.1), "batchnorm": (2.0, 1.0, 0.5), "gradients": (2.0, 1.0), "course-resnet50": (1.0, 0.5, 0.1)}


def run(preset_id: str, seed: int, steps: int | None = None) -> tuple[dict, TrainingRecord]:
    """Train one preset with one seed; its numbers and its record."""
    preset = PRESETS[preset_id]
    settings = replace(preset.settings, seed=seed, steps=steps or preset.settings.steps)
    dataset = shapes_dataset(preset.input_size)
    load_before = os.getloadavg()
    started = time.perf_counter()
    trainer = Trainer(dataset, preset.networks, settings)
    record = TrainingRecord(tuple(spec.name for spec in preset.networks))
    for event in trainer.events():
        record.add(event)
        if getattr(event, "step", 0) % 50 == 0 and hasattr(event, "networks"):
            print(f"  {preset_id} seed {seed} step {event.step}/{settings.steps} "
                  f"({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    wall = time.perf_counter() - started
    networks = {}
    first_step = record.gradient_history.get(1, [()] * len(record.names))
    for index, name in enumerate(record.names):
        speed = record.speed(index)
        networks[name] = {
            "trailing_loss_25": record.trailing_loss(index),
            "steps_to_reach": {f"{loss:g}": record.steps_to_reach(index, loss) for loss in REFERENCE_LOSSES[preset_id]},
            "final_test_accuracy": record.final.test_accuracies[index] if record.final else None,
            "diverged_at": record.diverged_at[index],
            "gradient_norms_step_1": list(first_step[index]),
            "gradient_norms_last": list(record.gradient_norms[index]),
            "startup_s": speed.startup_s,
            "images_per_second": speed.images_per_second,
        }
    result = {
        "preset": preset_id, "seed": seed, "steps": settings.steps, "batch_size": settings.batch_size,
        "learning_rate": settings.learning_rate, "width": settings.width, "input_size": preset.input_size,
        "dataset": dataset.name, "wall_s": wall, "load_average_before": load_before,
        "load_average_after": os.getloadavg(), "cpu_count": os.cpu_count(), "networks": networks,
    }
    return result, record


def summary(results: dict) -> str:
    """Per preset and network, over the seeds run: the 25-step mean loss at the end (mean and
    spread: min..max), the final test accuracy, the steps to the reference losses, and speed."""
    lines = []
    by_preset: dict[str, list[dict]] = {}
    for tag, result in results.items():
        by_preset.setdefault(result["preset"] + ("-extended" if "steps" in tag.split("seed")[-1] else ""), []).append(result)
    for preset, runs in by_preset.items():
        seeds = [run["seed"] for run in runs]
        walls = [run["wall_s"] for run in runs]
        loads = [run["load_average_before"][0] for run in runs] + [run["load_average_after"][0] for run in runs]
        lines.append(f"## {preset}: seeds {seeds}, {runs[0]['steps']} steps, wall {min(walls):.0f}..{max(walls):.0f} s "
                     f"at load {min(loads):.1f}..{max(loads):.1f} on {runs[0]['cpu_count']} cores")
        for name in runs[0]["networks"]:
            nets = [run["networks"][name] for run in runs]
            losses = [n["trailing_loss_25"] for n in nets]
            accuracies = [n["final_test_accuracy"] for n in nets]
            shown = [f"{v:.4f}" if v is not None else "diverged" for v in losses]
            finite = [v for v in losses if v is not None]
            mean = f"mean {sum(finite) / len(finite):.4f}" if finite else ""
            reach = {loss: [n["steps_to_reach"][loss] for n in nets] for loss in nets[0]["steps_to_reach"]}
            speed = [n["images_per_second"] for n in nets if n["images_per_second"]]
            startup = [n["startup_s"] for n in nets if n["startup_s"]]
            diverged = [n["diverged_at"] for n in nets]
            lines.append(
                f"- {name}: loss {', '.join(shown)} ({mean}); test acc {', '.join('-' if a is None else f'{100 * a:.1f}%' for a in accuracies)}; "
                f"steps to reach {reach}; diverged at {diverged}; {min(speed, default=0):.0f}..{max(speed, default=0):.0f} img/s; "
                f"start-up {min(startup, default=0):.1f}..{max(startup, default=0):.1f} s")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("presets", nargs="*", metavar="PRESET", help=f"some of {', '.join(PRESET_IDS)} (default: all)")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--extended", action="store_true", help="also the degradation preset at twice the steps")
    parser.add_argument("--only-extended", action="store_true", help="only the extended degradation runs")
    parser.add_argument("--summary", action="store_true", help="only print the summary of docs/training/results.json")
    args = parser.parse_args()
    args.presets = args.presets or list(PRESET_IDS)
    unknown = sorted(set(args.presets) - set(PRESET_IDS))
    if unknown:
        parser.error(f"unknown preset {', '.join(unknown)}")
    DATA.mkdir(parents=True, exist_ok=True)
    results_file = DATA / "results.json"
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    if args.summary:
        print(summary(results))
        return 0
    jobs = [] if args.only_extended else [(p, s, None) for p in args.presets for s in args.seeds]
    if args.extended or args.only_extended:
        jobs += [("degradation", s, 2 * PRESETS["degradation"].settings.steps) for s in args.seeds]
    for preset_id, seed, steps in jobs:
        result, record = run(preset_id, seed, steps)
        tag = f"{preset_id}-seed{seed}" + (f"-{steps}steps" if steps else "")
        (DATA / f"{tag}.csv").write_text(record.csv_text(), encoding="utf-8")
        if seed == args.seeds[0] and steps is None:
            preset = PRESETS[preset_id]
            subtitle = (f"shapes {preset.input_size}x{preset.input_size}, width {result['width']:g}, batch {result['batch_size']}, "
                        f"SGD lr {result['learning_rate']:g} (momentum 0.9, warm-up + cosine), {result['steps']} steps, seed {seed}")
            curves_picture(record, preset.title, subtitle).save(PICTURES / f"curves_{preset_id}.png")
        results[tag] = result
        results_file.write_text(json.dumps(results, indent=1), encoding="utf-8")
        final = {name: (None if n["trailing_loss_25"] is None else round(n["trailing_loss_25"], 4)) for name, n in result["networks"].items()}
        print(f"{tag}: {result['wall_s']:.0f} s, load {result['load_average_before'][0]:.1f}: {final}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
