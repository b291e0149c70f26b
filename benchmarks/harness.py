"""Timing helpers shared by every benchmark case.

A case times the project's operation and its baseline *alternately* in the same run, then
compares medians: drift of a noisy shared machine hits both sides alike and cancels out in
the ratio. Timings never go into unit tests; the cases get a smoke test instead.
"""

from __future__ import annotations

import math
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

#: name -> (function(repeats) -> Result)
REGISTRY: dict[str, Callable[[int], Result]] = {}


@dataclass
class Result:
    """One row of the benchmark table (and one object of the JSON output)."""

    case: str
    figure: float
    baseline: float
    unit: str
    target: float
    ratio: float = field(init=False)
    ok: bool = field(init=False)
    note: str = ""
    baseline_name: str = ""
    floor: str = ""
    """What the operation cannot go below, and why (printed beside the baseline)."""
    alternatives: dict[str, float] = field(default_factory=dict)
    """Other ways of doing the same work, timed in the same run: name -> median, in ``unit``."""

    def __post_init__(self) -> None:
        self.ratio = self.figure / self.baseline if self.baseline > 0 else math.inf
        self.ok = bool(self.ratio <= self.target)

    def as_dict(self) -> dict:
        return asdict(self)


def case(name: str) -> Callable[[Callable[[int], Result]], Callable[[int], Result]]:
    """Register a benchmark case under ``name`` (cases run in registration order)."""

    def register(function: Callable[[int], Result]) -> Callable[[int], Result]:
        REGISTRY[name] = function
        return function

    return register


def time_once(function: Callable[[], object]) -> float:
    """Seconds one call takes (perf_counter)."""
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def compare(
    name: str,
    project: Callable[[], object],
    baseline: Callable[[], object],
    *,
    target: float,
    repeats: int,
    warmup: int = 1,
    baseline_name: str = "",
    note: str = "",
    floor: str = "",
    alternatives: dict[str, Callable[[], object]] | None = None,
) -> Result:
    """Median time of ``project`` vs ``baseline`` (and any ``alternatives``), measured
    alternately, in milliseconds."""
    others = dict(alternatives or {})
    for _ in range(warmup):
        project()
        baseline()
        for other in others.values():
            other()
    project_times, baseline_times = [], []
    other_times: dict[str, list[float]] = {name: [] for name in others}
    for _ in range(max(1, repeats)):
        project_times.append(time_once(project))
        baseline_times.append(time_once(baseline))
        for other_name, other in others.items():
            other_times[other_name].append(time_once(other))
    return Result(
        case=name,
        figure=statistics.median(project_times) * 1e3,
        baseline=statistics.median(baseline_times) * 1e3,
        unit="ms",
        target=target,
        note=note,
        baseline_name=baseline_name,
        floor=floor,
        alternatives={key: statistics.median(times) * 1e3 for key, times in other_times.items()},
    )


def ensure_qapp():
    """The QApplication that UI cases need (offscreen unless a platform is set)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # The app's own set-up: Qt's chatter goes to the log, not into the table.
    from viewer.ui.app import create_application

    return create_application([])
