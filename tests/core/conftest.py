"""Shared fixtures of the core tests: one small forward pass of ResNet18 on the astronaut, and
random weights under torchvision's names."""

from pathlib import Path

import pytest
import torch

from viewer.core import forward
from viewer.core.samples import load_sample
from viewer.core.weights import RANDOM


@pytest.fixture(scope="session")
def astronaut():
    return load_sample("astronaut")


def _request(image, arch="resnet18", size=64, node="layer1", view=None, weights=RANDOM) -> forward.ForwardRequest:
    return forward.ForwardRequest(arch, size, image.pixels, weights, node, view or forward.ViewSettings())


@pytest.fixture(scope="session")
def forward_request():
    """Makes a forward request with the explorer's defaults, small enough for a test."""
    return _request


@pytest.fixture(scope="session")
def forwarded(astronaut):
    """(result, node view) of ResNet18 at 64x64, random weights, layer1 shown."""
    return forward.run_forward(_request(astronaut))


@pytest.fixture(scope="session")
def result(forwarded):
    return forwarded[0]


DATA = Path(__file__).resolve().parents[1] / "data"


def _torchvision_state(arch: str, seed: int = 0) -> dict[str, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    state = {}
    for line in (DATA / f"torchvision_{arch}_keys.txt").read_text(encoding="utf-8").splitlines():
        key, text = line.split("\t")
        shape = tuple(int(v) for v in text.split(",") if v)
        if key.endswith("num_batches_tracked"):
            state[key] = torch.tensor(7)
        elif key.endswith("running_var"):
            state[key] = torch.rand(shape, generator=generator) + 0.5
        else:
            state[key] = torch.randn(shape, generator=generator) * 0.05
    return state


@pytest.fixture(scope="session")
def torchvision_state():
    """Makes random tensors under torchvision's exact keys and shapes (tests/data), from a seed:
    ``torchvision_state(arch, seed=0)`` (arch: resnet18 or resnet50)."""
    return _torchvision_state
