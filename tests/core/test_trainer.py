"""The side-by-side trainer: deterministic from the seed, same batches for every network, paused
and stopped between steps, diverging networks marked instead of crashing; its record and CSV.

Tiny networks (plain-8 at width 0.25 on 16x16 shapes) and a few steps keep these quick.
"""

import csv
import io
import itertools
import math
from dataclasses import replace

import numpy as np
import pytest

from viewer.core.errors import InvalidSettingError
from viewer.core.training.networks import plain, residual
from viewer.core.training.record import CSV_COLUMNS, TrainingRecord
from viewer.core.training.shapes import shapes_dataset
from viewer.core.training.trainer import (
    FinalEvaluation,
    StepEvent,
    Trainer,
    TrainingSettings,
    learning_rate_at,
)

SETTINGS = TrainingSettings(steps=6, batch_size=16, learning_rate=0.05, width=0.25, seed=1, eval_every=3)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return shapes_dataset(16, seed=0, train_per_class=8, test_per_class=3, cache_dir=tmp_path_factory.mktemp("shapes"))


def losses(events):
    return [tuple(n.loss for n in e.networks) for e in events if isinstance(e, StepEvent)]


def test_the_same_seed_gives_the_same_losses_and_another_seed_others(data):
    specs = (plain(8), residual(8))
    first = list(Trainer(data, specs, SETTINGS, device="cpu").events())
    second = list(Trainer(data, specs, SETTINGS, device="cpu").events())
    assert losses(first) == losses(second)
    assert [e.test_accuracies for e in first] == [e.test_accuracies for e in second]
    other = list(Trainer(data, specs, replace(SETTINGS, seed=2), device="cpu").events())
    assert losses(other) != losses(first)


def test_every_network_sees_the_same_batches(data):
    twins = list(Trainer(data, (plain(8), plain(8)), SETTINGS, device="cpu").events())
    assert all(a == b for a, b in losses(twins))  # same start, same batches: the same curve
    alone = list(Trainer(data, (plain(8),), SETTINGS, device="cpu").events())
    assert [a for a, _ in losses(twins)] == [a for (a,) in losses(alone)]


def test_events_report_steps_rates_gradients_and_tests(data):
    events = list(Trainer(data, (plain(8), residual(14)), SETTINGS, device="cpu").events())
    steps, final = events[:-1], events[-1]
    assert [e.step for e in steps] == [1, 2, 3, 4, 5, 6] and all(e.steps == 6 for e in steps)
    assert [e.test_accuracies is not None for e in steps] == [False, False, True, False, False, True]
    assert isinstance(final, FinalEvaluation) and final.step == 6 and not final.stopped
    assert final.test_accuracies == steps[-1].test_accuracies  # the last step tests on the whole test set
    for event in steps:
        assert event.learning_rate == pytest.approx(learning_rate_at(event.step - 1, SETTINGS))
        for report, depth in zip(event.networks, (8, 14), strict=True):
            assert len(report.gradient_norms) == depth and all(g > 0 and math.isfinite(g) for g in report.gradient_norms)
            assert 0 <= report.accuracy <= 1 and report.loss > 0 and report.seconds > 0


def test_pausing_is_not_asking_and_changes_nothing(data):
    uninterrupted = losses(Trainer(data, (plain(8),), SETTINGS, device="cpu").events())
    trainer = Trainer(data, (plain(8),), SETTINGS, device="cpu")
    events = trainer.events()
    before = list(itertools.islice(events, 2))
    assert trainer.step == 2  # it waits at step 2: nothing runs ahead
    after = list(events)
    assert losses(before + after) == uninterrupted


def test_stopping_tests_the_networks_as_they_are(data):
    trainer = Trainer(data, (plain(8),), SETTINGS, device="cpu")
    list(itertools.islice(trainer.events(), 4))
    final = trainer.finish()
    assert final == FinalEvaluation(4, final.test_accuracies, stopped=True)
    assert 0 <= final.test_accuracies[0] <= 1 and trainer.step == 4


def test_a_diverging_network_is_marked_and_the_others_go_on(data):
    settings = replace(SETTINGS, learning_rate=1e3, steps=8)
    events = list(Trainer(data, (plain(8), residual(8, batch_norm=False)), settings, device="cpu").events())
    steps, final = events[:-1], events[-1]
    diverged = steps[-1].diverged_at[1]
    assert diverged is not None and steps[-1].diverged_at[0] is None
    for event in steps:
        report = event.networks[1]
        if event.step >= diverged:
            assert report.loss is None and report.gradient_norms == ()
        else:
            assert math.isfinite(report.loss)
        assert math.isfinite(event.networks[0].loss)  # the other network trains on
    assert final.test_accuracies[1] is None and final.test_accuracies[0] is not None
    record = TrainingRecord(("a", "b"))
    for event in events:
        record.add(event)
    assert record.diverged_at[1] == diverged and record.trailing_loss(1) is None
    assert record.trailing_loss(0) is not None
    rows = [row for row in csv.DictReader(io.StringIO(record.csv_text())) if row["network"] == "b"]
    assert all(row["train_loss"] == "" for row in rows[diverged - 1 :])  # never a NaN written


def test_settings_that_cannot_work_get_a_sentence(data):
    for bad in (replace(SETTINGS, steps=0), replace(SETTINGS, learning_rate=-1.0), replace(SETTINGS, width=0.0),
                replace(SETTINGS, batch_size=1.5)):
        with pytest.raises(InvalidSettingError):
            Trainer(data, (plain(8),), bad, device="cpu")
    with pytest.raises(InvalidSettingError, match="larger than the training set"):
        next(Trainer(data, (plain(8),), replace(SETTINGS, batch_size=1000), device="cpu").events())
    with pytest.raises(InvalidSettingError, match="at least one network"):
        Trainer(data, (), SETTINGS)


def test_the_schedule_warms_up_then_decays_to_zero():
    settings = TrainingSettings(steps=100, learning_rate=0.1)
    rates = [learning_rate_at(step, settings) for step in range(100)]
    assert rates[0] == pytest.approx(0.01) and max(rates) == pytest.approx(0.1) and rates.index(max(rates)) == 5
    assert all(a >= b for a, b in zip(rates[5:], rates[6:], strict=False)) and rates[-1] < 1e-3


def test_the_record_summarises_and_writes_long_csv(data):
    trainer = Trainer(data, (plain(8), residual(8)), SETTINGS, device="cpu")
    record = TrainingRecord(("plain-8", "ResNet-8"))
    for event in trainer.events():
        record.add(event)
    assert record.step == 6 and record.test_steps == [3, 6] and set(record.gradient_history) == {1, 3, 6}
    assert record.trailing_loss(0, window=3) == pytest.approx(np.mean(record.losses(0)[-3:]))
    assert record.steps_to_reach(0, 100.0, window=2) == 2 and record.steps_to_reach(0, 0.0) is None
    assert record.speed(0).images_per_second > 0 and record.speed(0).startup_s > 0
    rows = list(csv.DictReader(io.StringIO(record.csv_text())))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 12
    assert [r["network"] for r in rows[:1] + rows[6:7]] == ["plain-8", "ResNet-8"]
    assert [r["test_acc"] != "" for r in rows[:6]] == [False, False, True, False, False, True]
    assert float(rows[5]["test_acc"]) == pytest.approx(record.final.test_accuracies[0], abs=1e-5)
    assert float(rows[0]["train_loss"]) == pytest.approx(record.losses(0)[0], rel=1e-5)
