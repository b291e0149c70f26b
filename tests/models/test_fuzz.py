"""A short seeded run of the robustness campaign (scripts/fuzz.py runs the full one).

Mutated images of every format, random settings of both labs through their models, malformed
weight files: each must end in a result that holds up or a refusal with a sentence.
"""

from __future__ import annotations

import importlib.util
import sys
import warnings
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fuzz.py"


@pytest.fixture(scope="module")
def fuzz():
    spec = importlib.util.spec_from_file_location("fuzz", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _no_findings(tally) -> None:
    assert tally.tried and tally.results and tally.refused, tally
    assert not tally.findings, "\n".join(f"{f.case}: {f.problem}" for f in tally.findings)


@pytest.fixture(autouse=True)
def _odd_files_may_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow warns about damaged files; the campaign judges outcomes
        warnings.simplefilter("error", RuntimeWarning)  # numpy's NaN and overflow warnings are findings
        yield


def test_mutated_images(fuzz, tmp_path):
    _no_findings(fuzz.image_campaign(400, seed=11, folder=tmp_path))


def test_random_convolution_settings(fuzz):
    _no_findings(fuzz.conv_campaign(300, seed=12, largest=256))


def test_random_pooling_settings(fuzz):
    _no_findings(fuzz.pooling_campaign(300, seed=13, largest=256))


def test_malformed_weight_files(fuzz, tmp_path):
    _no_findings(fuzz.weights_campaign(24, seed=14, folder=tmp_path))


def test_a_finding_is_reported_with_its_case(fuzz):
    tally = fuzz.Tally("check")
    fuzz.run_case(tally, "raises", lambda: 1 / 0)
    fuzz.run_case(tally, "library internals", lambda: (_ for _ in ()).throw(fuzz.UserError("[enforce fail at x.cc:1]")))
    fuzz.run_case(tally, "fine", lambda: None)
    assert tally.tried == 3 and tally.results == 1 and [f.case for f in tally.findings] == ["raises", "library internals"]
    assert "ZeroDivisionError" in tally.findings[0].problem
