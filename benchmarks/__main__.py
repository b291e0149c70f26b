"""Run every benchmark case: ``python -m benchmarks [--json bench.json] [--only NAME] [--repeats N]``."""

from __future__ import annotations

import argparse
import compileall
import json
import sys
import time
from pathlib import Path

from benchmarks import harness
from benchmarks.cases import load_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--only", metavar="TEXT", help="run only cases whose name contains TEXT")
    parser.add_argument("--repeats", type=int, default=15, help="timed repetitions per case (default 15)")
    args = parser.parse_args(argv)

    # The start-up cases time fresh processes. An installed app has its bytecode compiled (pip
    # compiles a wheel's modules; a normal run writes __pycache__), but with PYTHONDONTWRITEBYTECODE
    # set, as on some machines, every start would compile the project's ~120 modules again
    # (about 0.2 s): compile them once here, as an installation would.
    compileall.compile_dir(Path(__file__).resolve().parents[1] / "viewer", quiet=1)
    load_all()
    results = []
    started = time.perf_counter()
    for name, run in harness.REGISTRY.items():
        if args.only and args.only not in name:
            continue
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results.append(run(args.repeats))
    elapsed = time.perf_counter() - started

    header = f"{'case':<44} {'figure':>12} {'baseline':>12} {'ratio':>7} {'target':>7}  ok"
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.case:<44} {r.figure:>9.3f} {r.unit:<2} {r.baseline:>9.3f} {r.unit:<2} "
            f"{r.ratio:>7.2f} {r.target:>7.2f}  {'PASS' if r.ok else 'FAIL'}"
        )
        print(f"    baseline: {r.baseline_name or '-'}; floor: {r.floor or 'the baseline'}")
        for name, value in r.alternatives.items():
            speed = value / r.figure  # > 1: ours is faster than this alternative
            verdict = f"ours {speed:.2f}x faster" if speed >= 1 else f"ours {1 / speed:.2f}x slower"
            print(f"    also: {name} {value:.3f} {r.unit} ({verdict})")
        if r.note:
            print(f"    {r.note}")
    print(f"{len(results)} cases in {elapsed:.1f} s; {sum(not r.ok for r in results)} missed their target")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump([r.as_dict() for r in results], handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
