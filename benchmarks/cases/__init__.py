"""Benchmark cases: each module registers its cases with ``harness.case`` on import."""

import importlib
import pkgutil


def load_all() -> None:
    """Import every case module in this package, so that their cases register."""
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        importlib.import_module(f"{__name__}.{module}")
