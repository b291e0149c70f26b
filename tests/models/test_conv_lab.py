"""The convolution lab's model driven without Qt: its rules, its refusals, and its numbers.

These tests do not need Qt (the Qt-free run blocks it): they call the model as the page would,
run the jobs it hands out on this thread, and check the slides against ``F.conv2d``.
"""

from dataclasses import replace

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

from viewer.core.conv import PADDING_MODES, ConvSetup, cross_correlate
from viewer.core.geometry import output_size_terms
from viewer.core.images import DecodedImage
from viewer.core.kernels import PRESETS, make_kernel
from viewer.models.conv_lab import (
    MAX_GIF_FPS,
    MAX_GIF_FRAMES,
    ROW_STEPPING_ABOVE,
    SYNC_INPUT_VALUES,
    ConvLabModel,
    KernelSlide,
)
from viewer.models.jobs import Job, Refusal

_TORCH_MODE = {"reflect": "reflect", "replicate": "replicate", "circular": "circular"}


def photo(height: int, width: int | None = None, seed: int = 1) -> DecodedImage:
    rng = np.random.default_rng(seed)
    return DecodedImage(rng.random((height, width or height, 3), dtype=np.float32), "noise", "test")


def computed(outcome) -> KernelSlide:
    """The slide an outcome brings: at once, or by running its job here."""
    if isinstance(outcome, Job):
        outcome = outcome.run()
    assert isinstance(outcome, KernelSlide), outcome
    return outcome


def shown(model: ConvLabModel, outcome) -> KernelSlide:
    """Do what the page does with an outcome: run a job (here), accept the slide."""
    slide = computed(outcome)
    model.accept(slide)
    return slide


def reference(x, kernel, bias, stride, padding, dilation, mode) -> np.ndarray:
    """F.conv2d on the same data (after F.pad for the non-zero modes)."""
    xt = torch.from_numpy(np.ascontiguousarray(x, np.float32))[None]
    kt = torch.from_numpy(np.ascontiguousarray(kernel, np.float32))[None]
    bt = torch.tensor([bias], dtype=torch.float32)
    if mode == "zeros":
        return F.conv2d(xt, kt, bt, stride, padding, dilation)[0, 0].numpy()
    ph, pw = padding
    return F.conv2d(F.pad(xt, (pw, pw, ph, ph), mode=_TORCH_MODE[mode]), kt, bt, stride, 0, dilation)[0, 0].numpy()


@pytest.fixture
def model() -> ConvLabModel:
    lab = ConvLabModel()
    shown(lab, lab.refresh())
    return lab


# -- inputs ---------------------------------------------------------------------------------
def test_starts_on_course_example_1_answered_at_once(model):
    assert model.settings.source == "matrix" and model.settings.preset == "custom"
    assert model.settings.stride == (2, 2) and model.settings.kernel_hw == (3, 3)
    np.testing.assert_array_equal(model.result.steps.output, [[4, 4], [2, 4]])
    assert model.loaded.example == 1 and model.banner_shown()
    assert model.refusal is None


def test_course_example_2_and_its_formula_numbers(model):
    slide = shown(model, model.load_course_example(2))
    assert slide.steps.output.shape == (5, 5)
    rows, cols = model.output_sizes()
    assert (rows.n, rows.kernel, rows.stride, rows.padding, rows.dilation) == (5, 3, 1, 1, 1)
    assert rows.size == 5 and rows.textbook == 5.0 and rows.total_padding == 2 and rows.effective_kernel == 3
    assert cols == rows


def test_formula_numbers_of_both_conventions():
    big = output_size_terms(512, 11, 16, 16, 8)
    assert big.size == 29 and big.effective_kernel == 81 and big.total_padding == 32
    assert big.textbook == pytest.approx((512 - 81 + 32) / 16 + 1)
    empty = output_size_terms(5, 7, 1, 0, 1)
    assert empty.size is None and empty.textbook == -1.0


@pytest.mark.parametrize(
    "change",
    [
        dict(kernel_hw=(11, 11), dilation=(5, 5)),  # the kernel spans 51 cells of a 5x5 input
        dict(padding=(5, 5), padding_mode="reflect"),  # the arithmetic says 13, the reflection cannot run
    ],
    ids=["empty-output", "reflect-too-long"],
)
def test_a_refused_setting_has_no_size_in_either_convention(model, change):
    outcome = model.set_settings(replace(model.settings, **change))
    assert isinstance(outcome, Refusal) and model.refusal is not None
    rows, cols = model.output_sizes()
    assert rows.size is None and cols.size is None
    shown(model, model.set_settings(replace(model.settings, kernel_hw=(3, 3), dilation=(1, 1), padding=(0, 0),
                                            padding_mode="zeros")))
    assert model.output_sizes()[0].size == 2  # stride 2 of course example 1


def test_no_formula_without_an_input():
    model = ConvLabModel()
    assert model.set_source("red") is None  # no image yet: nothing to compute
    assert model.output_sizes() is None and model.input_shape() is None


def test_a_new_image_waits_behind_the_matrix_and_is_one_call_away(model):
    image = photo(48)
    assert model.set_image(image) is None  # the course example stays
    assert model.image_waiting() and model.result.steps.output.shape == (2, 2)
    slide = shown(model, model.use_image())
    assert model.settings.source == "luminance" and not model.image_waiting() and not model.banner_shown()
    np.testing.assert_array_equal(slide.steps.padded_input[0], image.plane("luminance"))
    assert model.set_source("luminance") is None  # already the input: nothing to do


def test_an_image_shows_at_once_in_image_mode_and_waits_behind_a_custom_input(model):
    model.set_image(photo(32))
    shown(model, model.set_source("red"))
    second = photo(20, 24, seed=5)
    slide = shown(model, model.set_image(second))
    np.testing.assert_array_equal(slide.steps.padded_input[0], second.plane("red"))
    rng = np.random.default_rng(0)
    setup = ConvSetup(rng.standard_normal((4, 6, 6)), rng.standard_normal((4, 3, 3)), label="layer1.0.conv1")
    shown(model, model.load_setup(setup))
    assert model.settings.source == "custom" and model.custom is setup and model.loaded.label == "layer1.0.conv1"
    assert model.set_image(photo(16)) is None and model.image_waiting()
    slide = shown(model, model.use_image())  # back to the channel last chosen
    assert model.settings.source == "red" and slide.steps.padded_input.shape == (1, 16, 16)
    np.testing.assert_array_equal(model.kernel[0], setup.kernel[0])  # the real kernel's first channel


def test_a_course_example_leaves_the_custom_input_for_good(model):
    rng = np.random.default_rng(0)
    model.load_setup(ConvSetup(rng.standard_normal((2, 5, 5)), rng.standard_normal((2, 3, 3))))
    model.load_course_example(1)
    assert model.custom is None and model.settings.source == "matrix"


# -- kernel presets and memory -----------------------------------------------------------------
def test_a_new_preset_brings_its_kernel_and_fixed_size(model):
    model.set_settings(replace(model.settings, kernel_hw=(5, 5)))
    assert model.settings.preset == "custom" and model.kernel.shape == (1, 5, 5)
    model.set_settings(replace(model.settings, preset="sobel_y"))
    assert model.settings.kernel_hw == (3, 3)  # Sobel is 3x3 by definition
    np.testing.assert_array_equal(model.kernel[0], make_kernel("sobel_y"))
    model.set_settings(replace(model.settings, preset="gaussian", kernel_hw=(5, 3)))
    assert model.settings.kernel_hw == (5, 3)  # a resizable preset takes the size asked for
    np.testing.assert_array_equal(model.kernel[0], make_kernel("gaussian", (5, 3)))


def test_resizing_a_resizable_preset_rebuilds_it(model):
    model.set_settings(replace(model.settings, preset="box_blur"))
    model.set_settings(replace(model.settings, kernel_hw=(1, 2)))
    assert model.settings.preset == "box_blur"
    np.testing.assert_allclose(model.kernel[0], np.full((1, 2), 0.5))


def test_resizing_a_fixed_kernel_makes_it_custom_with_its_weights_centred(model):
    model.set_settings(replace(model.settings, preset="laplacian"))
    model.set_settings(replace(model.settings, kernel_hw=(5, 5)))
    assert model.settings.preset == "custom"
    expected = np.zeros((5, 5), np.float32)
    expected[1:4, 1:4] = make_kernel("laplacian")
    np.testing.assert_array_equal(model.kernel[0], expected)


def test_typed_weights_survive_shrinking_and_channel_switches(model):
    model.set_image(photo(16))
    shown(model, model.set_source("rgb"))
    shown(model, model.set_settings(replace(model.settings, preset="sobel_x")))
    assert model.kernel.shape == (3, 3, 3)
    model.set_view_channel(1)
    shown(model, model.edit_kernel(1, 0, 2, 7.0))  # channel 1, top-right corner
    assert model.settings.preset == "custom" and model.kernel[1, 0, 2] == 7
    model.set_settings(replace(model.settings, kernel_hw=(3, 1)))  # only the centre column is left...
    assert model.kernel.shape == (3, 3, 1)
    model.set_settings(replace(model.settings, kernel_hw=(3, 3)))  # ...and the corners come back
    assert model.kernel[1, 0, 2] == 7 and model.kernel[0, 0, 0] == -1
    shown(model, model.set_source("luminance"))  # one channel shown...
    assert model.kernel.shape == (1, 3, 3)
    shown(model, model.set_source("rgb"))  # ...the edit of channel 1 is still there
    assert model.kernel[1, 0, 2] == 7
    model.set_settings(replace(model.settings, preset="laplacian"))  # a preset replaces it
    assert model.kernel[1, 0, 2] == 0


def test_an_edit_in_a_grown_kernel_lands_in_the_memory_centred(model):
    model.set_settings(replace(model.settings, kernel_hw=(5, 5)))
    model.set_settings(replace(model.settings, kernel_hw=(3, 3)))
    model.edit_kernel(0, 0, 0, 9.0)
    model.set_settings(replace(model.settings, kernel_hw=(5, 5)))
    assert model.kernel[0, 1, 1] == 9 and model.kernel[0, 0, 0] == 0


# -- refusals, and what is computed where ----------------------------------------------------
def test_an_impossible_setting_is_refused_with_its_sentence(model):
    outcome = model.set_settings(replace(model.settings, kernel_hw=(7, 3)))
    assert isinstance(outcome, Refusal) and "output would be empty" in outcome.message
    assert model.result is None and model.refusal is outcome
    shown(model, model.set_settings(replace(model.settings, padding=(1, 0))))  # 5 + 2 = 7 rows: fits again
    assert model.refusal is None and model.result is not None


def test_a_reflection_longer_than_the_input_is_refused(model):
    outcome = model.set_settings(replace(model.settings, padding=(5, 0), padding_mode="reflect"))
    assert isinstance(outcome, Refusal) and outcome.message.startswith("Reflect padding of 5")


def test_a_failed_job_is_a_refusal_only_for_an_impossible_setting(model):
    refusal = model.fail(ValueError("The kernel is empty."))
    assert refusal == Refusal("The kernel is empty.") and model.result is None
    assert model.fail(RuntimeError("out of memory")) is None


@pytest.mark.parametrize(("size", "source", "in_a_job"), [
    ((128, 128), "luminance", False),  # exactly SYNC_INPUT_VALUES
    ((129, 128), "luminance", True),
    ((73, 73), "rgb", False),  # 3 x 73 x 73 = 15,987
    ((74, 74), "rgb", True),  # 3 x 74 x 74 = 16,428
])
def test_small_inputs_are_answered_at_once_and_larger_ones_in_a_job(model, size, source, in_a_job):
    model.set_image(photo(*size))
    outcome = model.set_source(source)
    channels = 3 if source == "rgb" else 1
    assert (channels * size[0] * size[1] > SYNC_INPUT_VALUES) == in_a_job
    assert isinstance(outcome, Job if in_a_job else KernelSlide)
    slide = shown(model, outcome)
    assert slide.steps.geometry.input_hw == size and slide.steps.padded_input.shape[0] == channels


def test_big_slides_suggest_row_stepping_once(model):
    assert model.accept(model.refresh()) is None  # small, as before: the student's choice stays
    model.set_image(photo(96))
    model.set_source("luminance")
    big = computed(model.set_settings(replace(model.settings, stride=(1, 1))))  # 94 x 94 steps
    assert len(big.steps) > ROW_STEPPING_ABOVE
    assert model.accept(big) == "row"
    assert model.accept(big) is None  # the same size class: no new suggestion
    assert model.accept(model.load_course_example(2)) == "cell"


def test_switching_the_channel_shown_redraws_one_plane_and_computes_nothing(model):
    rng = np.random.default_rng(0)
    setup = ConvSetup(rng.standard_normal((4, 6, 6)), rng.standard_normal((4, 3, 3)), padding=(1, 1))
    slide = shown(model, model.load_setup(setup))
    assert model.set_view_channel(2)
    assert model.result.steps is slide.steps and model.result.rgb_channel == 2
    plane = model.result.input_rgb[1:-1, 1:-1, 0]
    want = setup.x[2]
    assert plane.argmax() == want.argmax() and plane.argmin() == want.argmin()
    model.set_settings(replace(model.settings, kernel_hw=(9, 9)))
    assert model.set_view_channel(1) is False  # nothing shown to redraw


def test_the_input_picture_is_grey_with_the_padding_tinted_blue(model):
    slide = shown(model, model.load_course_example(2))
    picture = slide.input_rgb
    assert picture.shape == (7, 7, 3) and picture.dtype == np.uint8
    inner = picture[1:-1, 1:-1]
    assert set(np.unique(inner)) == {0, 255} and (inner[..., 0] == inner[..., 2]).all()
    border = picture[0, 0]
    assert border[2] > border[0]


# -- the numbers -------------------------------------------------------------------------------
@st.composite
def lab_settings(draw):
    return dict(
        matrix=draw(st.tuples(st.integers(1, 8), st.integers(1, 8))),
        preset=draw(st.sampled_from([name for name in PRESETS if name != "custom"])),
        kernel_hw=draw(st.tuples(st.integers(1, 5), st.integers(1, 5))),
        stride=draw(st.tuples(st.integers(1, 3), st.integers(1, 3))),
        padding=draw(st.tuples(st.integers(0, 3), st.integers(0, 3))),
        dilation=draw(st.tuples(st.integers(1, 3), st.integers(1, 3))),
        padding_mode=draw(st.sampled_from(PADDING_MODES)),
        bias=draw(st.floats(-5, 5)),
        seed=draw(st.integers(0, 1000)),
    )


@given(lab_settings())
def test_every_slide_matches_conv2d_or_is_refused_as_torch_refuses_it(case):
    model = ConvLabModel()
    matrix = np.random.default_rng(case.pop("seed")).standard_normal(case.pop("matrix")).astype(np.float32)
    outcome = model.set_settings(replace(model.settings, matrix=matrix, **case))
    s = model.settings
    args = (matrix[None], model.kernel, s.bias, s.stride, s.padding, s.dilation, s.padding_mode)
    if isinstance(outcome, Refusal):
        with pytest.raises(RuntimeError):
            reference(*args)
        return
    slide = shown(model, outcome)
    np.testing.assert_allclose(slide.steps.output, reference(*args), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(slide.steps.output, cross_correlate(*args))
    rows, cols = model.output_sizes()
    assert (rows.size, cols.size) == slide.steps.output.shape


def test_a_real_layer_kernel_over_many_channels_matches_conv2d(model):
    rng = np.random.default_rng(0)
    setup = ConvSetup(rng.standard_normal((64, 7, 7)), rng.standard_normal((64, 3, 3)), padding=(1, 1), bias=0.25)
    slide = shown(model, model.load_setup(setup))
    want = reference(setup.x, setup.kernel, 0.25, (1, 1), (1, 1), (1, 1), "zeros")
    np.testing.assert_allclose(slide.steps.output, want, rtol=1e-5, atol=1e-5)
    assert model.settings.bias == 0.25 and model.settings.kernel_hw == (3, 3)


# -- GIF export ------------------------------------------------------------------------------
def test_gif_frames_are_the_steps_so_far(model):
    assert model.gif_frames(6, 1) == [0, 1, 2, 3, 4, 5, 6]
    assert model.gif_frames(23, 5) == [4, 9, 14, 19]  # row by row: each row's last cell
    frames = model.gif_frames(999, 1)
    assert len(frames) == MAX_GIF_FRAMES and frames[0] == 600 and frames[-1] == 999


def test_gif_export_takes_the_slide_the_channel_and_a_capped_speed(model):
    model.set_image(photo(16))
    shown(model, model.set_source("rgb"))
    export = model.gif_export("/tmp/steps.gif", 3, 1, 60.0)
    assert export is model.gif and export.frames == (0, 1, 2, 3)
    assert export.channel == -1 and export.fps == MAX_GIF_FPS and export.steps is model.result.steps
    shown(model, model.set_source("green"))
    assert model.gif_export("/tmp/steps.gif", 0, 1, 4.0).channel == 0
    assert isinstance(model.set_settings(replace(model.settings, dilation=(8, 8))), Refusal)
    with pytest.raises(ValueError):
        model.gif_export("/tmp/steps.gif", 0, 1, 4.0)


@pytest.mark.parametrize("kernel_hw", [(0, 3), (-1, 2), (12, 9)])
def test_a_kernel_side_outside_1_to_11_is_refused_with_a_sentence(model, kernel_hw):
    """Found by scripts/fuzz.py: a resizable preset at such a size raised from make_kernel."""
    outcome = model.set_settings(replace(model.settings, preset="box_blur", kernel_hw=kernel_hw))
    assert isinstance(outcome, Refusal) and "between 1 and 11" in outcome.message
    assert model.output_sizes()[0].size is None
    assert isinstance(model.set_settings(replace(model.settings, preset="box_blur", kernel_hw=(3, 3))), KernelSlide)


def test_a_setup_with_padding_per_side_keeps_it_in_the_settings_and_the_formula():
    rng = np.random.default_rng(2)
    x, kernel = rng.standard_normal((3, 32, 32)).astype(np.float32), rng.standard_normal((3, 7, 7)).astype(np.float32)
    model = ConvLabModel()
    slide = computed(model.load_setup(ConvSetup(x, kernel, stride=(2, 2), padding=(2, 2), padding_end=(3, 3))))
    assert model.settings.padding == (2, 2) and model.settings.padding_end == (3, 3)
    expected = F.conv2d(F.pad(torch.from_numpy(x)[None], (2, 3, 2, 3)), torch.from_numpy(kernel)[None], stride=2)
    np.testing.assert_allclose(slide.steps.output, expected[0, 0].numpy(), rtol=1e-5, atol=1e-4)
    rows, cols = model.output_sizes()
    assert (rows.size, rows.padding, rows.padding_end, rows.total_padding) == (16, 2, 3, 5)
    model.accept(slide)
    slide = computed(model.set_settings(replace(model.settings, padding_end=None)))
    assert slide.steps.geometry.padded_hw == (36, 36) and model.output_sizes()[0].padding_end is None
