"""The low-priority training thread: results and errors come back as from a direct call, and
the thread (with the OpenMP threads PyTorch starts from it) runs at a raised nice value."""

import os
import sys
import threading
from pathlib import Path

import pytest
import torch

from viewer.core.training.background import NICENESS, run_in_background, training_thread_niceness


def test_a_call_returns_its_result_from_another_thread():
    caller = threading.get_ident()
    assert run_in_background(lambda a, b: (a + b, threading.get_ident() != caller), 2, 3) == (5, True)


def test_an_error_reaches_the_caller():
    def fail():
        raise ValueError("from the training thread")

    with pytest.raises(ValueError, match="from the training thread"):
        run_in_background(fail)


def test_a_generator_can_be_driven_step_by_step():
    steps = iter(range(3))
    assert [run_in_background(next, steps, None) for _ in range(4)] == [0, 1, 2, None]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are a Linux feature")
def test_the_training_thread_and_its_openmp_threads_yield_to_the_window():
    own = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    run_in_background(lambda: torch.ones(256, 256) @ torch.ones(256, 256))  # starts PyTorch's threads from there
    assert training_thread_niceness() == min(19, own + NICENESS)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == own  # the caller keeps its own
    if torch.get_num_threads() > 1:
        # field 19 of /proc/PID/task/TID/stat is the thread's nice value (16th after the name)
        nice = [int(stat.read_text().rsplit(")", 1)[1].split()[16]) for stat in Path(f"/proc/{os.getpid()}/task").glob("*/stat")]
        assert sum(value >= own + NICENESS for value in nice) >= 2  # the thread and an OpenMP one
