"""The pooling lab's model, driven without Qt: its refusals, rules, formula, presets and jobs."""

import math
from dataclasses import replace

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

from viewer.core import colormaps
from viewer.core.errors import Cancelled
from viewer.core.images import from_array
from viewer.models.jobs import Job, Refusal
from viewer.models.pooling_lab import (
    FEATURE_SOURCE,
    LIMITS,
    NOT_A_FEATURE_MAP,
    NOTHING_TO_EXPORT,
    ComparisonExport,
    PoolingLabModel,
    PoolingLabSettings,
    SteppingExport,
)


def _image(h=12, w=12, seed=0):
    return from_array(np.random.default_rng(seed).random((h, w, 3)).astype(np.float32), "random")


def _finish(model, outcome):
    """Run the job the model answered with, as the page's worker would, and hand the result back."""
    assert isinstance(outcome, Job), outcome
    model.accept(outcome.run())
    return model.result


@pytest.fixture
def model():
    lab = PoolingLabModel()
    _finish(lab, lab.set_image(_image()))
    return lab


def test_default_settings_pool_the_luminance_two_by_two(model):
    assert model.settings == PoolingLabSettings()
    result = model.result
    assert set(result.outputs) == {"max", "avg", "stochastic"}
    assert result.outputs["max"].shape == (6, 6) and len(result.max_steps) == 36
    assert set(result.differences) == {"max_diff", "stochastic_diff"}
    assert model.refusal == "" and not model.needs_relu


def test_no_image_means_nothing_to_compute():
    model = PoolingLabModel()
    assert model.current_map() is None and model.formula() == ()
    assert model.set_window(3, 2, 1) is None and model.result is None


@pytest.mark.parametrize(
    ("kernel", "stride", "padding"), [(2, 1, 1), (3, 2, 1), (3, 1, 0), (4, 3, 2), (5, 5, 0), (1, 1, 0)]
)
def test_outputs_equal_pytorch(model, kernel, stride, padding):
    result = _finish(model, model.set_window(kernel, stride, padding))
    x = torch.from_numpy(np.array(model.current_map()))[None, None]
    np.testing.assert_array_equal(result.outputs["max"], F.max_pool2d(x, kernel, stride, padding)[0, 0].numpy())
    expected_avg = F.avg_pool2d(x, kernel, stride, padding, count_include_pad=True)[0, 0].numpy()
    np.testing.assert_allclose(result.outputs["avg"], expected_avg, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(result.differences["max_diff"], result.outputs["max"] - result.outputs["avg"])


def test_a_window_larger_than_the_map_is_refused_with_its_sentence():
    model = PoolingLabModel()
    _finish(model, model.set_image(_image(5, 5)))
    outcome = model.set_window(9, 2, 0)
    sentence = (
        "The 9x9 window is larger than the padded input, only 5 pixels (5 + 2 x 0 padding): the output "
        "would be empty. Use a smaller window, or more padding."
    )
    assert outcome == Refusal(sentence) and model.refusal == sentence
    assert "dilation" not in sentence  # pooling has none
    assert model.result is None
    assert model.comparison_export() == Refusal(NOTHING_TO_EXPORT)
    assert model.stepping_export(0, 5, 5.0) == Refusal(NOTHING_TO_EXPORT)
    _finish(model, model.set_window(2, 2, 0))
    assert model.refusal == "" and model.result is not None


def test_padding_over_half_the_window_is_refused_with_its_sentence(model):
    outcome = model.set_window(2, 2, 2)
    assert outcome == Refusal("Pooling padding must be at most half the window (2 // 2 = 1); got 2.")
    assert model.result is None and model.refusal == outcome.message


def test_a_failed_job_keeps_the_last_result_and_says_why(model):
    result = model.result
    model.fail("Something went wrong.")
    assert model.refusal == "Something went wrong." and model.result is result


@given(
    h=st.integers(1, 40), w=st.integers(1, 40), kernel=st.integers(1, 16),
    stride=st.integers(1, 16), padding=st.integers(0, 8),
)
def test_formula_numbers_are_the_output_shape(h, w, kernel, stride, padding):
    model = PoolingLabModel()
    loaded = model.set_image(_image(h, w))
    # the same window as the lab's default changes nothing (None): the image's own outcome stands
    outcome = model.set_window(kernel, stride, padding) or loaded
    lines = model.formula()
    assert len(lines) == (1 if h == w else 2)
    assert all((line.kernel, line.stride, line.padding) == (kernel, stride, padding) for line in lines)
    assert [line.n for line in lines] == [h, w][: len(lines)]
    # what the formula on the screen evaluates to, valid or not
    assert [math.floor(line.textbook) for line in lines] == [(n + 2 * padding - kernel) // stride + 1 for n in (h, w)][: len(lines)]
    if isinstance(outcome, Job):
        shape = F.max_pool2d(torch.zeros(1, 1, h, w), kernel, stride, padding).shape[-2:]
        assert [line.size for line in lines] == list(shape)[: len(lines)]
    else:
        assert isinstance(outcome, Refusal) and (padding > kernel // 2 or kernel > min(h, w) + 2 * padding)
        assert any(line.size is None for line in lines)


def test_a_refused_window_has_no_size_on_either_axis():
    model = PoolingLabModel()
    model.set_image(_image(128, 128))
    assert isinstance(model.set_window(4, 2, 3), Refusal)  # padding over half the window: the arithmetic says 65
    assert [line.size for line in model.formula()] == [None]
    assert isinstance(model.set_window(16, 1, 0), Job)
    model.set_image(_image(3, 7))
    assert isinstance(model.set_window(5, 1, 0), Refusal)  # wider than 3 rows: the arithmetic says 0
    assert [line.size for line in model.formula()] == [None, None]


def test_colormap_alone_needs_no_recompute(model):
    result = model.result
    assert model.set_settings(replace(model.settings, colormap="viridis")) is None
    assert model.settings.colormap == "viridis" and model.result is result
    assert isinstance(model.set_settings(replace(model.settings, seed=4)), Job)


def test_unknown_sources_and_colormaps_are_errors(model):
    with pytest.raises(ValueError, match="feature"):
        model.set_settings(replace(model.settings, source=FEATURE_SOURCE))  # nothing sent yet
    with pytest.raises(colormaps.UnknownColormapError):
        model.set_settings(replace(model.settings, colormap="rainbow"))


def test_levels_start_at_zero_and_centre_for_a_diverging_map(model):
    x = model.result.x
    assert model.levels() == (0.0, float(x.max()))
    model.set_settings(replace(model.settings, colormap=colormaps.DIVERGING))
    assert model.levels() == (-float(x.max()), float(x.max()))
    values = np.linspace(-1, 3, 64, dtype=np.float32).reshape(8, 8)
    _finish(model, model.show_feature_map(values, "signed"))
    assert model.settings.colormap == colormaps.DIVERGING  # the default for signed data
    assert model.levels() == (-3.0, 3.0)
    model.set_settings(replace(model.settings, colormap=colormaps.GRAY))
    assert model.levels() == (-1.0, 3.0)  # not centred: gray has no neutral middle
    _finish(model, model.show_feature_map(np.zeros((4, 4), np.float32), "flat"))
    assert model.levels() == (0.0, 1.0)


def test_difference_levels_are_one_scale_centred_on_zero(model):
    result = model.result
    bound = max(float(np.abs(d).max()) for d in result.differences.values())
    assert result.difference_levels == (-bound, bound)


def test_negative_maps_offer_relu_and_skip_stochastic_until_it(model):
    values = np.random.default_rng(1).standard_normal((14, 14)).astype(np.float32)
    result = _finish(model, model.show_feature_map(values, "layer1.0.relu ch 3"))
    assert model.settings.source == FEATURE_SOURCE and model.feature_label == "layer1.0.relu ch 3"
    assert model.source_has_negatives and model.needs_relu
    assert result.outputs["stochastic"] is None and result.stochastic_steps is None
    assert result.outputs["max"] is not None and set(result.differences) == {"max_diff"}
    assert model.stochastic_variant() == "needs_relu" and model.steps_at(0)[1] is None
    result = _finish(model, model.set_settings(replace(model.settings, relu=True)))
    np.testing.assert_array_equal(result.x, np.maximum(values, 0))
    assert result.outputs["stochastic"] is not None and not model.needs_relu
    assert model.source_has_negatives  # the choice stays offered
    _finish(model, model.show_feature_map(np.abs(values), "after ReLU"))
    assert not model.settings.relu and not model.source_has_negatives
    model.set_settings(replace(model.settings, relu=True))  # no negatives: nothing to clip
    np.testing.assert_array_equal(model.current_map(), np.abs(values))


def test_a_bad_feature_map_is_refused_and_changes_nothing(model):
    settings = model.settings
    for values in (np.zeros((2, 2, 2)), np.zeros((0, 3)), np.full((3, 3), np.nan)):
        assert model.show_feature_map(values, "bad") == Refusal(NOT_A_FEATURE_MAP)
    assert model.settings == settings and model.feature_label is None


def test_a_new_image_keeps_a_feature_map_on_show(model):
    values = np.ones((6, 6), np.float32)
    _finish(model, model.show_feature_map(values, "ones"))
    result = _finish(model, model.set_image(_image(20, 20)))
    assert result.x.shape == (6, 6)
    result = _finish(model, model.set_settings(replace(model.settings, source="red")))
    assert result.x.shape == (20, 20)


@pytest.mark.parametrize("stem", ["texture_patch", "stripes"])
def test_presets_set_the_lesson_up(model, stem):
    model.set_settings(replace(model.settings, source="green", colormap="viridis", training=True, relu=True))
    result = _finish(model, model.apply_preset(stem))
    s = model.settings
    assert (s.source, s.colormap, s.training, s.kernel, s.stride, s.padding) == ("luminance", colormaps.GRAY, False, 4, 4, 0)
    assert s.relu  # untouched: a sample has no negatives
    assert model.preset == stem and result.outputs["max"].shape == (32, 32)  # the samples are 128 x 128
    assert model.stochastic_variant() == "test"


def test_max_keeps_the_texture_patch_brighter_than_average(model):
    out = _finish(model, model.apply_preset("texture_patch")).outputs
    assert out["max"][14:18, 14:18].mean() > out["avg"][14:18, 14:18].mean() + 0.3


def test_an_unknown_preset_is_an_error(model):
    with pytest.raises(KeyError):
        model.apply_preset("astronaut")


def test_stochastic_variants_and_resampling(model):
    first = model.result.outputs["stochastic"]
    assert model.stochastic_variant() == "draw" and model.result.convergence_gap is None
    second = _finish(model, model.resample()).outputs["stochastic"]
    assert model.settings.seed == 1 and not np.array_equal(first, second)
    weighted_mean = _finish(model, model.set_settings(replace(model.settings, training=False))).outputs["stochastic"]
    assert model.stochastic_variant() == "test"
    result = _finish(model, model.set_settings(replace(model.settings, training=True, samples=400)))
    assert model.stochastic_variant() == "mean"
    gap = float(np.abs(result.outputs["stochastic"] - weighted_mean).max())
    assert result.convergence_gap == pytest.approx(gap) and gap < np.abs(first - weighted_mean).max()
    largest = LIMITS["seed"][1]
    model.set_settings(replace(model.settings, seed=largest))
    model.resample()
    assert model.settings.seed == largest


def test_whole_numbers_are_clamped_to_what_the_controls_offer(model):
    model.set_window(20, 0, 9)
    assert (model.settings.kernel, model.settings.stride, model.settings.padding) == (16, 1, 8)
    model.set_settings(replace(model.settings, samples=1))
    assert model.settings.samples == 2
    model.set_settings(replace(model.settings, samples=0))
    assert model.settings.samples == 0


def test_many_samples_stop_once_cancelled(model):
    job = model.set_settings(replace(model.settings, training=True, samples=2000))
    with pytest.raises(Cancelled):
        job.run(cancelled=lambda: True)


def test_steps_and_the_cells_under_the_pointer(model):
    _finish(model, model.set_window(3, 2, 1))
    step, stochastic = model.steps_at(7)
    assert step.out_pos == (1, 1) and stochastic.out_pos == (1, 1) and stochastic.drawn_index is not None
    assert model.steps_at(36) is None and model.steps_at(-1) is None
    assert model.step_under(False, 1, 1) == 7
    assert model.step_under(False, 6, 0) is None
    assert model.step_under(True, 0, 0) == 0  # padded (1, 1): the first window covers it
    assert model.result.max_steps[model.step_under(True, 4, 6)].out_pos == (2, 3)
    assert model.step_under(True, -1, 0) is None and model.step_under(True, 12, 0) is None


def test_exports_take_the_current_result_colormap_and_steps(model):
    model.set_settings(replace(model.settings, colormap="magma"))
    sheet = model.comparison_export()
    assert isinstance(sheet, ComparisonExport) and sheet.comparison is model.result and sheet.colormap == "magma"
    stepping = model.stepping_export(start=30, frames=60, fps=5.0)
    assert isinstance(stepping, SteppingExport)
    assert (stepping.selection, stepping.colormap, stepping.fps) == (range(30, 36), "magma", 5.0)
    assert set(stepping.steps) == {"max", "avg", "stochastic"}
    assert stepping.steps["max"] is model.result.max_steps


def test_large_maps_suggest_row_by_row_stepping():
    model = PoolingLabModel()
    assert model.accept(model.set_image(_image(8, 8)).run()) is None and model.row_length() == 4  # cell by cell already
    model.set_image(_image(300, 300))
    assert model.accept(model.set_window(2, 1, 0).run()) == "row"  # 299 x 299 windows
    assert model.row_length() == 299
    assert model.accept(model.set_window(3, 1, 0).run()) is None  # still large: the choice stays
    assert model.accept(model.set_image(_image(20, 20)).run()) == "cell"


def test_a_feature_map_too_large_to_compare_is_refused_and_a_large_one_pooled():
    """Found by scripts/fuzz.py: max - avg of a map near float32's limit overflowed to infinity."""
    from viewer.models.pooling_lab import TOO_LARGE_MAP

    model = PoolingLabModel()
    values = np.full((6, 6), -3.3e38, np.float32)
    values[::2, ::2] = 3.3e38
    assert model.show_feature_map(values, "diverged") == Refusal(TOO_LARGE_MAP)
    values = values / 2  # within +-1.7e38: every difference fits float32
    result = _finish(model, model.show_feature_map(values, "large"))
    assert all(np.isfinite(v).all() for v in (*result.differences.values(), result.outputs["max"], result.outputs["avg"]))
    assert all(np.isfinite(level) for level in (*model.levels(), *result.difference_levels))
