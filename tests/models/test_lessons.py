"""The lessons, driven through the page models (these tests do not require Qt)."""

import numpy as np
import pytest

from viewer.core.samples import SAMPLES, load_sample
from viewer.core.training.presets import PRESETS as TRAINING_PRESETS
from viewer.models.conv_lab import ConvLabModel, KernelSlide
from viewer.models.explorer import ExplorerModel
from viewer.models.jobs import Job
from viewer.models.lessons import (
    CHAPTERS,
    LESSON_IDS,
    LESSONS,
    Lesson,
    apply_to_conv,
    apply_to_explorer,
    apply_to_pooling,
    apply_to_shift,
    lesson,
)
from viewer.models.pooling_lab import PoolingLabModel
from viewer.models.shift import ShiftModel
from viewer.models.training_lab import TrainingLabModel
from viewer.pages import PAGE_IDS


def _lessons_on(page: str) -> list[Lesson]:
    return [item for item in LESSONS if item.page == page]


def test_the_lessons_follow_the_course_and_every_chapter_has_a_question():
    assert len(set(LESSON_IDS)) == len(LESSONS)
    chapters = [item.chapter for item in LESSONS]
    assert chapters == sorted(chapters) and set(chapters) == set(range(len(CHAPTERS)))
    for chapter in range(len(CHAPTERS)):
        assert any(item.question for item in LESSONS if item.chapter == chapter), CHAPTERS[chapter]
    for item in LESSONS:
        assert item.page in PAGE_IDS
        assert item.title and item.explanation.endswith(".")
        if item.setup.sample is not None:
            assert item.setup.sample in {s.stem for s in SAMPLES}
        if item.setup.training_preset is not None:
            assert item.setup.training_preset in TRAINING_PRESETS


def test_the_course_points_the_issue_names_have_lessons():
    for lesson_id in ("cross-correlation", "translation-invariance", "output-size", "padding", "bias-and-weights",
                      "max-pooling", "stochastic-pooling", "batch-norm", "batch-norm-training", "degradation",
                      "building-block", "make-layer", "resnet50-32", "resnet50-224"):
        assert lesson(lesson_id).lesson_id == lesson_id
    with pytest.raises(KeyError, match="no lesson"):
        lesson("nope")


@pytest.mark.parametrize("item", _lessons_on("convolution"), ids=lambda item: item.lesson_id)
def test_convolution_lessons_set_the_lab(item):
    model = ConvLabModel()
    model.load_course_example(2)  # a lab that was somewhere else
    if item.setup.sample:
        model.set_image(load_sample(item.setup.sample))
    outcome = apply_to_conv(item.setup, model)
    if isinstance(outcome, Job):
        outcome = outcome.run()
    assert isinstance(outcome, KernelSlide)
    model.accept(outcome)
    s = model.settings
    if item.setup.conv_example is not None and item.setup.conv_image is None:
        assert s.source == "matrix" and model.loaded.example == item.setup.conv_example
    if item.setup.conv_image is not None:
        assert s.source == item.setup.conv_image
    for name, value in item.setup.conv:
        assert getattr(s, name) == value, name
    assert model.refusal is None
    shift = ShiftModel()
    apply_to_shift(item.setup, shift)
    assert shift.shown == (item.setup.shift is not None)
    if shift.shown:
        result = shift.conv_job(model.result.steps).run()
        assert shift.accept(result) and result.shift == item.setup.shift
        assert result.output_shift is not None and result.interior_max == 0.0


def test_the_bias_lesson_adds_its_bias_to_every_value():
    model = ConvLabModel()
    plain = model.refresh().steps.output
    biased = apply_to_conv(lesson("bias-and-weights").setup, model).steps.output
    np.testing.assert_allclose(biased, plain + 1.0, rtol=1e-6)


@pytest.mark.parametrize("item", _lessons_on("pooling"), ids=lambda item: item.lesson_id)
def test_pooling_lessons_set_the_lab(item):
    model = PoolingLabModel()
    model.set_image(load_sample("cat"))
    job = apply_to_pooling(item.setup, model)
    assert isinstance(job, Job)
    model.accept(job.run())
    assert model.preset == item.setup.pooling_preset
    for name, value in item.setup.pooling:
        assert getattr(model.settings, name) == value, name
    assert model.result is not None and model.result.outputs["stochastic"] is not None
    shift = ShiftModel()
    apply_to_shift(item.setup, shift)
    if item.setup.shift is not None:
        result = shift.pool_job(model.result).run()
        assert result.shift == item.setup.shift and result.max_unchanged > result.avg_unchanged
    else:
        assert shift.pool_job(model.result) is None


@pytest.mark.parametrize("item", _lessons_on("resnet"), ids=lambda item: item.lesson_id)
def test_explorer_lessons_set_the_architecture_size_and_node(item):
    model = ExplorerModel()
    assert apply_to_explorer(item.setup, model) is None  # no image yet: nothing to compute
    model.set_image(load_sample("astronaut"))
    job = apply_to_explorer(item.setup, model)
    assert job.args[0].arch == (item.setup.arch or "resnet50")
    assert job.args[0].node == item.setup.node
    if item.setup.size is not None:
        assert job.args[0].size == item.setup.size


def test_the_32_pixel_lesson_shows_the_courses_table():
    model = ExplorerModel()
    model.set_image(load_sample("astronaut"))
    job = apply_to_explorer(lesson("resnet50-32").setup, model)
    result, node_view = job.run()
    model.accept_forward(result, node_view)
    assert [(row.name, row.out_shape) for row in model.stages][:5] == [
        ("conv1", (64, 16, 16)), ("conv2_x", (256, 8, 8)), ("conv3_x", (512, 4, 4)),
        ("conv4_x", (1024, 2, 2)), ("conv5_x", (2048, 1, 1))]
    assert model.node == "layer4"


@pytest.mark.parametrize("item", _lessons_on("training"), ids=lambda item: item.lesson_id)
def test_training_lessons_choose_their_experiment(item):
    model = TrainingLabModel()
    model.apply_preset(item.setup.training_preset)  # what the page's choose_preset does
    assert model.settings.preset == item.setup.training_preset


def test_every_answer_is_computed_and_fills_its_sentence():
    answers = {item.lesson_id: item.question.answer() for item in LESSONS if item.question}
    for lesson_id, answer in answers.items():
        text = answer.text()
        assert "{" not in text, lesson_id
        assert all(np.isfinite(v) for v in answer.values if isinstance(v, float)), lesson_id
    assert answers["output-size"].values == (2, 2)
    assert answers["padding"].values == (5, 5)
    assert answers["bias-and-weights"].values == (1728, 64, 1792)
    assert answers["stochastic-pooling"].values == (pytest.approx(3.0),)
    assert answers["translation-invariance"].values[:3] == (2, 3, 0.0)
    assert answers["translation-invariance"].values[3] > 0
    assert answers["resnet50-32"].values == (2048, 1, 1, 32)
    assert answers["resnet50-224"].values == (2048, 7, 7, 224)
    assert answers["make-layer"].values[0] == "make_layer(Bottleneck, in_channels=512, channels=256, blocks=6, stride=2)"
    mean, std = answers["batch-norm"].values[:2]
    assert abs(mean) < 1e-5 and std == pytest.approx(1.0, abs=1e-3)
    max_spread, stochastic_spread, avg_spread = answers["max-pooling"].values
    assert max_spread > stochastic_spread > avg_spread
    kept_max, kept_avg, cells, max_change, avg_change = answers["pooling-invariance"].values
    assert kept_avg < kept_max <= cells and max_change < avg_change


def test_a_translated_answer_uses_the_translation():
    answer = lesson("output-size").question.answer()
    assert answer.text(lambda template: "{0} by {1}") == "2 by 2"

