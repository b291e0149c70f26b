"""A wheel of the project carries everything the app needs: installed non-editable, it works.

``pip wheel --no-deps .`` builds it (offline: ``--no-build-isolation`` uses the setuptools
already installed); it is installed into a folder of its own and run from outside the source
tree, so that nothing can come from the checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300, cwd=out,
    )
    assert build.returncode == 0, build.stderr
    (path,) = out.glob("cnn_viewer-*.whl")
    return path


def test_the_wheel_carries_samples_class_names_colour_tables_and_translations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("viewer/resources/imagenet_classes.txt", "viewer/resources/colormaps.npz",
                   "viewer/resources/samples/astronaut.jpg", "viewer/resources/samples/LICENSES.md",
                   "viewer/resources/translations/cnn_viewer_zh_CN.qm"):
        assert needed in names
    assert not any(name.startswith(("tests/", "benchmarks/", "scripts/")) for name in names)


def test_the_installed_wheel_opens_on_a_sample_with_imagenet_names(wheel, tmp_path):
    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", "--target", str(target), str(wheel)],
        capture_output=True, text=True, timeout=300,
    )
    assert install.returncode == 0, install.stderr
    env = dict(os.environ, PYTHONPATH=str(target), QT_QPA_PLATFORM="offscreen")
    code = (
        "import viewer, sys; assert viewer.__file__.startswith(sys.argv[1]), viewer.__file__\n"
        "from viewer.core.classes import imagenet_classes\n"
        "from viewer.core.samples import load_sample\n"
        "from viewer.core.colormaps import lookup_table\n"
        "print(imagenet_classes()[281], load_sample().name, lookup_table('viridis').shape)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(target)], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["tabby", "Astronaut", "(256,", "3)"]
    shot = tmp_path / "shot.png"
    done = subprocess.run([sys.executable, "-m", "viewer", "--screenshot", str(shot), "--page", "pooling", "--size", "900x600"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    assert shot.stat().st_size > 10_000
