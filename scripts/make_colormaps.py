"""Write the colour tables the app uses into viewer/resources/colormaps.npz, from pyqtgraph's maps.

    python scripts/make_colormaps.py

The layers below the UI must not import pyqtgraph (the headless commands would load Qt), so
the tables are generated here once: a 256-entry uint8 RGB table per name, exactly what
``pyqtgraph.colormap.get(name).getLookupTable(nPts=256, alpha=False)`` gives. A test
(tests/ui/test_colormap_tables.py) keeps the file byte-equal to pyqtgraph's tables.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from viewer.core.colormaps import PYQTGRAPH_MAPS, TABLES_FILE  # noqa: E402


def pyqtgraph_table(name: str) -> np.ndarray:
    """(256, 3) uint8 RGB from pyqtgraph's bundled colormap ``name``."""
    import pyqtgraph as pg

    table = pg.colormap.get(name).getLookupTable(nPts=256, alpha=False)
    return np.ascontiguousarray(table[:, :3], dtype=np.uint8)


def main() -> int:
    tables = {name: pyqtgraph_table(name) for name in PYQTGRAPH_MAPS}
    np.savez_compressed(TABLES_FILE, **tables)
    print(f"wrote {TABLES_FILE} ({', '.join(tables)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
