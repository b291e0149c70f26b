"""Shared fixtures of the core tests: one small forward pass of ResNet18 on the astronaut."""

import pytest

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
