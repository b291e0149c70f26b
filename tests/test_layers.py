"""The layers import one way only (../shared/design.md), checked on what really gets loaded.

core imports nothing of viewer outside core; export and models import only core; commands
import core and export; only ui imports PySide6 or pyqtgraph. Each layer is imported whole in a
fresh interpreter, and the headless commands are run, and what ended up in ``sys.modules``
decides. A static pass over the sources catches imports that only run inside functions.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: the packages only the UI may load
QT_PACKAGES = ("PySide6", "shiboken6", "pyqtgraph", "superqt", "pytestqt")
#: set by make test for its run without Qt (see tests/conftest.py)
WITHOUT_QT = os.environ.get("CNN_VIEWER_TESTS_WITHOUT_QT") == "1"
VIEWER = ROOT / "viewer"
#: layer -> the viewer packages it may import (besides itself and the bare ``viewer`` package)
ALLOWED = {
    "core": {"core"},
    "export": {"core", "export"},
    "models": {"core", "models"},
    "commands": {"core", "export", "commands"},
}

_PROBE = """
import importlib, json, sys
for name in {modules!r}:
    importlib.import_module(name)
{extra}
print(json.dumps(sorted(sys.modules)))
"""


def _modules_of(layer: str) -> list[str]:
    names = []
    for path in sorted((VIEWER / layer).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _loaded(modules: list[str], extra: str = "") -> list[str]:
    code = _PROBE.format(modules=modules, extra=extra)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _offences(layer: str, loaded: list[str]) -> list[str]:
    allowed = ALLOWED[layer]
    bad = [m for m in loaded if m.split(".")[0] in QT_PACKAGES]
    for module in loaded:
        parts = module.split(".")
        if parts[0] == "viewer" and len(parts) > 1 and parts[1] not in allowed and parts[1] not in ("__init__",):
            bad.append(module)
    return bad


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_loads_only_what_it_may(layer):
    modules = _modules_of(layer)
    assert modules, f"viewer/{layer} has no modules"
    assert _offences(layer, _loaded(modules)) == []


def test_the_headless_commands_never_load_qt(tmp_path):
    extra = f"""
from viewer.__main__ import main
out = {str(tmp_path)!r}
assert main(["conv", "--example", "1", "--steps", "0:2", "--out", out + "/c.gif"]) == 0
assert main(["pool", "--image", "texture_patch", "--out", out + "/p.png"]) == 0
assert main(["pool", "--image", "texture_patch", "--steps", "0:2", "--out", out + "/p.gif"]) == 0
assert main(["resnet", "--arch", "resnet18", "--size", "32", "--out", out + "/r.png"]) == 0
assert main(["train", "--preset", "batchnorm", "--steps", "1", "--csv", out + "/t.csv", "--out", out + "/t.png"]) == 0
"""
    loaded = _loaded([], extra)
    assert [m for m in loaded if m.split(".")[0] in QT_PACKAGES] == []
    assert [m for m in loaded if m.startswith(("viewer.ui", "viewer.models"))] == []


def _imported_names(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_source_file_imports_against_the_layers():
    offences = []
    for path in sorted(VIEWER.rglob("*.py")):
        parts = path.relative_to(VIEWER).parts
        layer = parts[0] if len(parts) > 1 else ""
        for name in _imported_names(path):
            top = name.split(".")
            if layer in ALLOWED and top[0] in QT_PACKAGES:
                offences.append(f"{path.relative_to(ROOT)} imports {name}")
            if top[0] == "viewer" and len(top) > 1:
                target = top[1]
                if layer in ALLOWED and target in {"ui", "core", "export", "models", "commands", "pages"} and target not in ALLOWED[layer]:
                    offences.append(f"{path.relative_to(ROOT)} imports {name}")
                if layer == "ui" and target == "commands":
                    offences.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offences == []


def test_qt_cannot_be_imported_in_the_run_without_qt():
    if not WITHOUT_QT:
        pytest.skip("checked in make test's Qt-free run (CNN_VIEWER_TESTS_WITHOUT_QT=1)")
    with pytest.raises(ImportError):
        import PySide6  # noqa: F401
    with pytest.raises(ImportError):
        import pyqtgraph  # noqa: F401
