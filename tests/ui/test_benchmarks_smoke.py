"""Every benchmark case runs once, quickly, so that none of them rots (no timing asserted)."""

import math

import pytest

from benchmarks import harness
from benchmarks.cases import load_all

load_all()


@pytest.mark.parametrize("name", list(harness.REGISTRY))
def test_case_runs_once(name, qapp):
    result = harness.REGISTRY[name](1)
    assert result.case == name
    assert math.isfinite(result.figure) and result.figure > 0
    assert math.isfinite(result.baseline) and result.baseline > 0
    assert result.target > 0
