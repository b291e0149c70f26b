"""Regenerate the README's window screenshots with the app's own headless command.

    python scripts/make_screenshots.py [--samples]

Writes docs/screenshots/window_<page>.png (and, with --samples, one screenshot of the
convolution page per bundled sample into docs/screenshots/samples/, for checking by eye).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def shoot(out: Path, *args: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    command = [sys.executable, "-m", "viewer", "--screenshot", str(out), "--size", "1400x900", *args]
    subprocess.run(command, check=True, env=env, cwd=ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", action="store_true", help="also one screenshot per bundled sample")
    args = parser.parse_args()
    for page in ("convolution", "pooling", "resnet"):
        shoot(OUT / f"window_{page}.png", "--page", page)
    if args.samples:
        sys.path.insert(0, str(ROOT))
        from viewer.core.samples import SAMPLES

        for entry in SAMPLES:
            shoot(OUT / "samples" / f"{entry.stem}.png", "--page", "convolution", "--image", str(entry.path))


if __name__ == "__main__":
    main()
