"""LatestRunner: one job at a time, the newest request wins, old results and progress never delivered."""

import threading
import time

from viewer.ui.workers import LatestRunner


def _slow(value, gate, cancelled):
    gate.wait(5)
    return value


def test_only_the_newest_result_is_delivered(qtbot):
    runner = LatestRunner()
    delivered = []
    runner.finished.connect(lambda generation, value: delivered.append((generation, value)))
    gate = threading.Event()
    runner.submit(_slow, "first", gate)
    runner.submit(_slow, "second", gate)
    last = runner.submit(_slow, "third", gate)
    assert runner.is_busy()
    gate.set()
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=5000)
    assert delivered == [(last, "third")]


def test_a_running_job_sees_that_it_was_superseded(qtbot):
    runner = LatestRunner()
    seen = []

    def job(cancelled):
        deadline = time.monotonic() + 5
        while not cancelled() and time.monotonic() < deadline:
            time.sleep(0.005)
        seen.append(cancelled())
        return "stopped"

    runner.submit(job)
    qtbot.wait(30)
    runner.cancel()
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=5000)
    assert seen == [True]


def test_errors_of_the_newest_request_are_reported(qtbot):
    runner = LatestRunner()

    def boom(cancelled):
        raise ValueError("bad")

    with qtbot.waitSignal(runner.failed) as blocker:
        runner.submit(boom)
    assert isinstance(blocker.args[1], ValueError)
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=5000)


def test_progress_of_the_newest_request_arrives_and_a_cancelled_job_says_nothing(qtbot):
    runner = LatestRunner()
    seen, failures = [], []
    runner.progressed.connect(lambda generation, value: seen.append((generation, value)))
    runner.failed.connect(lambda generation, error: failures.append(error))

    def counting(steps, progress):
        for step in range(steps):
            progress(step)
        return steps

    with qtbot.waitSignal(runner.finished) as done:
        generation = runner.submit(counting, 3)
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=5000)
    assert done.args == [generation, 3] and seen == [(generation, 0), (generation, 1), (generation, 2)]

    from viewer.core.errors import Cancelled

    def gives_up(cancelled):
        raise Cancelled("stopped")

    runner.submit(gives_up)
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=5000)
    assert failures == []


def test_a_job_gets_only_the_keywords_it_names(qtbot):
    runner = LatestRunner()
    with qtbot.waitSignal(runner.finished) as done:
        runner.submit(lambda a, b=2: a + b, 40)
    assert done.args[1] == 42
