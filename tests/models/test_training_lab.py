"""The training lab's model driven without Qt: presets and settings, a run prepared, advanced,
paused, resumed and stopped between steps, and a trained network handed to the explorer.

Jobs run on this thread, with their progress collected as the page's worker would deliver it.
Tiny settings (3 steps of 8 images at 16x16, width 0.25) keep them quick.
"""

from dataclasses import replace

from viewer.core.training.presets import PRESET_IDS, PRESETS
from viewer.core.training.trainer import FinalEvaluation, StepEvent
from viewer.core.weights import file_source
from viewer.models.jobs import Job, Refusal
from viewer.models.training_lab import (
    FINISHED,
    HELD,
    PAUSED,
    PREPARING,
    RUNNING,
    STOPPED,
    STOPPING,
    TrainingLabModel,
    preset_settings,
)


def run(model, job):
    """Run an advance or finish job as the worker would, feeding its progress to the model."""
    assert isinstance(job, Job)
    events = []

    def progress(event):
        events.append(event)
        model.accept_event(event)

    return job.run(progress=progress), events


def tiny(model, preset="batchnorm", steps=3):
    model.apply_preset(preset)
    assert model.set_settings(replace(model.settings, steps=steps, batch_size=8, width=0.25, input_size=16)) is None
    prepare = model.start()
    assert isinstance(prepare, Job) and model.state == PREPARING
    return model.prepared(prepare.run())


def test_presets_bring_their_settings_and_bad_settings_are_refused():
    model = TrainingLabModel()
    assert model.settings == preset_settings("degradation") and model.settings.steps == 500
    assert set(PRESET_IDS) == {"degradation", "batchnorm", "gradients", "course-resnet50"}
    assert model.apply_preset("course-resnet50").input_size == 32
    assert model.network_names() == ("ResNet50",)
    refusal = model.set_settings(replace(model.settings, learning_rate=0.0))
    assert isinstance(refusal, Refusal) and "learning rate" in refusal.message
    assert model.settings.learning_rate == PRESETS["course-resnet50"].settings.learning_rate  # unchanged
    assert isinstance(model.set_settings(replace(model.settings, input_size=8)), Refusal)


def test_a_run_from_start_to_finish():
    model = TrainingLabModel()
    job = tiny(model)
    assert model.state == RUNNING and model.record.names == ("plain-8", "plain-8 no BN", "plain-20", "plain-20 no BN")
    outcome, events = run(model, job)
    assert outcome == FINISHED and model.advanced(outcome) is None and model.state == FINISHED
    assert [type(e) for e in events] == [StepEvent, StepEvent, StepEvent, FinalEvaluation]
    assert model.record.step == 3 and model.progress().step == 3
    assert [row[0] for row in model.summary()] == list(model.record.names)
    assert all(0 <= row[2] <= 1 for row in model.summary())
    assert isinstance(model.start(), Job)  # and a new run can start


def test_pause_resume_and_stop_between_steps():
    model = TrainingLabModel()
    job = tiny(model, steps=5)
    model.pause()  # asked before the first step: the job holds after it
    outcome, events = run(model, job)
    assert outcome == HELD and len(events) == 1 and model.advanced(outcome) is None and model.state == PAUSED
    resumed = model.resume()
    assert model.state == RUNNING
    model.pause()
    run(model, resumed)
    model.advanced(HELD)
    assert model.record.step == 2
    finish = model.stop()
    assert model.state == STOPPING and isinstance(finish, Job)
    outcome, events = run(model, finish)
    assert outcome == STOPPED and model.advanced(outcome) is None and model.state == STOPPED
    assert isinstance(events[0], FinalEvaluation) and events[0].stopped and model.record.final.step == 2
    assert model.stop() is None and model.resume() is None


def test_a_stop_while_training_ends_after_the_step_under_way():
    model = TrainingLabModel()
    job = tiny(model, steps=5)
    model.stop()
    outcome, _ = run(model, job)
    finish = model.advanced(outcome)
    assert model.state == STOPPING and model.record.step == 1
    run(model, finish)
    assert model.advanced(STOPPED) is None and model.state == STOPPED


def test_leaving_the_page_pauses_and_coming_back_resumes():
    model = TrainingLabModel()
    job = tiny(model, steps=4)
    model.leave()
    assert model.paused_elsewhere
    outcome, _ = run(model, job)
    model.advanced(outcome)
    assert model.state == PAUSED
    assert isinstance(model.come_back(), Job) and model.state == RUNNING
    kept = TrainingLabModel()
    kept.keep_training_elsewhere = True
    tiny(kept)
    kept.leave()
    assert not kept.paused_elsewhere and kept.state == RUNNING


def test_open_in_the_explorer_only_for_the_torchvision_layout(tmp_path):
    model = TrainingLabModel()
    assert isinstance(model.open_in_explorer(), Refusal)  # nothing trained yet
    run(model, tiny(model, steps=2))
    model.advanced(FINISHED)
    refusal = model.open_in_explorer()
    assert isinstance(refusal, Refusal) and "CIFAR family" in refusal.message and PRESETS["course-resnet50"].title in refusal.message
    saved = model.save_weights(0, tmp_path / "plain8").run()
    assert saved.name == "plain8.safetensors" and saved.is_file()

    explorer_model = TrainingLabModel()
    job = tiny(explorer_model, preset="course-resnet50", steps=1)
    assert isinstance(explorer_model.open_in_explorer(), Refusal)  # still training
    run(explorer_model, job)
    explorer_model.advanced(FINISHED)
    path = explorer_model.open_in_explorer().run()
    source = file_source(path)
    assert source.trained and source.class_names[0] == "disc" and source.preprocessing.trained_size == 16
    image = explorer_model.sample_image()
    assert image.pixels.shape == (16, 16, 3) and image.name.startswith("shapes test image 0 (")
