"""The ResNet architectures the app offers, by name, without importing torch.

One table for the whole app: :mod:`viewer.core.resnet` builds its networks from it, and the
explorer's architecture menu and the ``resnet`` command's ``--arch`` list it (they must not
wait for torch to load).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ArchitectureSpec:
    """One ResNet of the paper's table: its block type and how many blocks each stage stacks."""

    name: str
    block: str
    """``"basic"`` (the building block, ResNet18/34) or ``"bottleneck"`` (ResNet50/101/152)."""
    layers: tuple[int, int, int, int]

    @property
    def title(self) -> str:
        """How the name is written for people: ``ResNet50``."""
        return self.name.replace("resnet", "ResNet")


ARCHITECTURE_SPECS: dict[str, ArchitectureSpec] = {
    spec.name: spec
    for spec in (
        ArchitectureSpec("resnet18", "basic", (2, 2, 2, 2)),
        ArchitectureSpec("resnet34", "basic", (3, 4, 6, 3)),
        ArchitectureSpec("resnet50", "bottleneck", (3, 4, 6, 3)),
        ArchitectureSpec("resnet101", "bottleneck", (3, 4, 23, 3)),
        ArchitectureSpec("resnet152", "bottleneck", (3, 8, 36, 3)),
    )
}
#: the names, shallowest first
ARCHITECTURE_NAMES: tuple[str, ...] = tuple(ARCHITECTURE_SPECS)
DEFAULT_ARCHITECTURE = "resnet50"
