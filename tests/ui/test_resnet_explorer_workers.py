"""LatestRunner: one job at a time, the newest request wins, old results never delivered."""

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
