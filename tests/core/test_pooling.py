"""Pooling core: max/avg equal PyTorch, stochastic pooling draws with p_i = a_i / sum(a)."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given
from hypothesis import strategies as st

from viewer.core.errors import InvalidSettingError, UserError
from viewer.core.pooling import (
    NegativeInputError,
    PoolSteps,
    average_of_samples,
    pool2d,
    pooling_geometry,
    stochastic_probabilities,
)


@st.composite
def pooling_cases(draw):
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    ph, pw = draw(st.integers(0, kh // 2)), draw(st.integers(0, kw // 2))
    h, w = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    assume(h + 2 * ph >= kh and w + 2 * pw >= kw)
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**31 - 1))
    return (n, c, h, w), (kh, kw), (sh, sw), (ph, pw), seed


def _windows(x, kernel, stride, padding):
    """Reference: every window of a (N, C, H, W) tensor as (N, C, OH, OW, kh*kw), zero padded."""
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    padded = F.pad(x, (pw, pw, ph, ph))
    return padded.unfold(2, kh, sh).unfold(3, kw, sw).flatten(-2)


@given(pooling_cases())
def test_max_and_avg_equal_torch(case):
    shape, kernel, stride, padding, seed = case
    x = torch.randn(shape, generator=torch.Generator().manual_seed(seed))
    torch.testing.assert_close(pool2d(x, "max", kernel, stride, padding), F.max_pool2d(x, kernel, stride, padding), rtol=0, atol=0)
    torch.testing.assert_close(
        pool2d(x, "avg", kernel, stride, padding), F.avg_pool2d(x, kernel, stride, padding, count_include_pad=True)
    )
    # (C, H, W) keeps its rank
    assert pool2d(x[0], "max", kernel, stride, padding).shape == F.max_pool2d(x, kernel, stride, padding)[0].shape


def test_stride_defaults_to_kernel():
    x = torch.rand(1, 1, 6, 6)
    assert pool2d(x, "max", 2).shape == (1, 1, 3, 3)
    torch.testing.assert_close(pool2d(x, "avg", 3), F.avg_pool2d(x, 3))


@given(pooling_cases())
def test_stochastic_test_mode_is_probability_weighted_mean(case):
    shape, kernel, stride, padding, seed = case
    x = torch.rand(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    x[x < 0.3] = 0  # zero cells, sometimes whole zero windows
    windows = _windows(x, kernel, stride, padding)
    total = windows.sum(-1)
    expected = torch.where(total > 0, (windows * windows).sum(-1) / total.clamp_min(1e-300), 0.0)
    torch.testing.assert_close(pool2d(x, "stochastic", kernel, stride, padding), expected)


@given(pooling_cases())
def test_stochastic_training_draws_a_positive_cell_of_its_window(case):
    shape, kernel, stride, padding, seed = case
    x = torch.rand(shape, generator=torch.Generator().manual_seed(seed))
    x[x < 0.4] = 0
    out = pool2d(x, "stochastic", kernel, stride, padding, training=True, seed=seed)
    windows = _windows(x, kernel, stride, padding)
    is_member = ((windows == out[..., None]) & (windows > 0)).any(-1)
    all_zero = (windows == 0).all(-1)
    assert bool((is_member | (all_zero & (out == 0))).all())
    assert not torch.isnan(out).any()


def _chi_square_sf_even_df(x: float, df: int) -> float:
    """P(X > x) for a chi-square with an even number of degrees of freedom (closed form)."""
    m = df // 2
    return math.exp(-x / 2) * sum((x / 2) ** j / math.factorial(j) for j in range(m))


def _chi_square_threshold(df: int, false_alarm: float) -> float:
    lo, hi = 0.0, 1000.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _chi_square_sf_even_df(mid, df) > false_alarm else (lo, mid)
    return hi


# One 2x3 window with a zero cell; 5 positive cells -> 4 degrees of freedom.
WINDOW = np.array([[1.0, 2.0, 0.0], [3.0, 4.0, 6.0]], np.float32)
DRAWS = 40_000


def _draw_counts(generator_seed: int) -> np.ndarray:
    x = torch.from_numpy(np.broadcast_to(WINDOW, (1, DRAWS, 2, 3)).copy())
    out = pool2d(x, "stochastic", (2, 3), training=True, seed=generator_seed).flatten().numpy()
    return np.array([(out == v).sum() for v in WINDOW.ravel()])


def _chi_square(counts: np.ndarray, p: np.ndarray) -> float:
    positive = p > 0
    expected = counts.sum() * p[positive]
    return float((((counts[positive] - expected) ** 2) / expected).sum())


def test_stochastic_frequencies_match_probabilities():
    p = stochastic_probabilities(WINDOW).ravel()
    counts = _draw_counts(1234)
    assert counts[2] == 0, "a zero cell was drawn"
    assert counts.sum() == DRAWS
    threshold = _chi_square_threshold(df=4, false_alarm=1e-6)  # about 33.4
    assert 30 < threshold < 40
    assert _chi_square(counts, p) < threshold
    # The bound has power: it rejects a sampler that drew uniformly among the positive cells.
    uniform = np.where(WINDOW.ravel() > 0, 1 / 5, 0.0)
    assert _chi_square(counts, uniform) > threshold


def test_zero_padding_is_never_drawn_and_padding_cells_stay_out():
    # A single positive pixel per padded window: the draw must return it, never a padding zero.
    x = torch.zeros(1, 1, 4, 4)
    x[0, 0, 0, 0] = 0.5
    out = pool2d(x, "stochastic", 3, 2, 1, training=True, seed=0)
    assert out[0, 0, 0, 0] == 0.5
    steps = PoolSteps(x[0, 0].numpy(), "stochastic", 3, 2, 1, training=True, seed=0)
    step = steps[0]
    assert step.padding_mask[step.drawn_index] == np.False_
    assert step.drawn_index == (1, 1)


def test_mean_of_draws_approaches_test_time_value():
    rng = np.random.default_rng(3)
    x = rng.random((12, 12)).astype(np.float32)
    n = 3000
    mean = average_of_samples(x, 3, 3, 0, n=n, seed=7)
    expected = pool2d(torch.from_numpy(x)[None], "stochastic", 3)[0].numpy()
    windows = _windows(torch.from_numpy(x)[None, None].double(), (3, 3), (3, 3), (0, 0))[0, 0].numpy()
    p = windows / windows.sum(-1, keepdims=True)
    sd = np.sqrt((p * windows**2).sum(-1) - ((p * windows).sum(-1)) ** 2)
    assert np.all(np.abs(mean - expected) <= 6 * sd / np.sqrt(n) + 1e-6)
    # and it is not simply the test-time value (it is an average of real draws)
    assert not np.allclose(mean, expected, atol=1e-6)


def test_zero_windows_give_zero_without_nan():
    x = torch.zeros(1, 2, 4, 4)
    for training in (False, True):
        out = pool2d(x, "stochastic", 2, training=training, seed=0)
        assert torch.equal(out, torch.zeros(1, 2, 2, 2))
    assert np.array_equal(stochastic_probabilities(np.zeros((2, 2))), np.zeros((2, 2)))
    step = PoolSteps(np.zeros((4, 4)), "stochastic", 2, training=True)[0]
    assert step.value == 0 and step.drawn_index is None


def test_negative_input_asks_for_relu():
    x = torch.tensor([[[[1.0, -0.5], [0.2, 0.3]]]])
    for training in (False, True):
        with pytest.raises(ValueError, match="ReLU"):
            pool2d(x, "stochastic", 2, training=training)
    with pytest.raises(NegativeInputError):
        stochastic_probabilities([1.0, -1.0])
    with pytest.raises(UserError, match="ReLU"):
        PoolSteps(x[0, 0].numpy(), "stochastic", 2, training=True)
    # max and avg do not care
    assert pool2d(x, "max", 2).item() == 1.0


def test_reproducible_from_seed_and_generator():
    x = torch.rand(1, 4, 16, 16)
    a = pool2d(x, "stochastic", 2, training=True, seed=5)
    b = pool2d(x, "stochastic", 2, training=True, seed=5)
    c = pool2d(x, "stochastic", 2, training=True, generator=torch.Generator().manual_seed(5))
    d = pool2d(x, "stochastic", 2, training=True, seed=6)
    assert torch.equal(a, b) and torch.equal(a, c)
    assert not torch.equal(a, d)
    steps = PoolSteps(x[0, 0].numpy(), "stochastic", 2, training=True, seed=5)
    assert np.array_equal(steps.output, a[0, 0].numpy())


def test_probabilities_sum_to_one():
    p = stochastic_probabilities(WINDOW)
    assert p.shape == WINDOW.shape
    assert p.sum() == pytest.approx(1.0)
    assert p[1, 2] == pytest.approx(6 / 16)


@pytest.mark.parametrize("mode", ["max", "avg", "stochastic"])
@given(case=pooling_cases())
def test_every_step_matches_the_full_output(mode, case):
    (_, _, h, w), kernel, stride, padding, seed = case
    x = np.random.default_rng(seed).random((h, w)).astype(np.float32)
    x[x < 0.2] = 0
    training = mode == "stochastic" and seed % 2 == 0
    steps = PoolSteps(x, mode, kernel, stride, padding, training=training, seed=seed)
    assert steps.output.shape == steps.geometry.output_hw
    expected = pool2d(torch.from_numpy(x)[None], mode, kernel, stride, padding)[0].numpy()
    if not training:
        np.testing.assert_allclose(steps.output, expected, rtol=1e-6, atol=1e-7)
    for i, step in enumerate(steps):
        assert step.index == i and steps.geometry.step_of(*step.out_pos) == i
        assert step.value == pytest.approx(float(steps.output[step.out_pos]))
        real = step.patch[~step.padding_mask]
        assert step.patch[step.padding_mask].sum() == 0
        assert step.patch[step.max_index] == real.max() and not step.padding_mask[step.max_index]
        assert step.mean == pytest.approx(step.patch.mean(), abs=1e-6)
        if mode == "max":
            assert step.value == real.max()
        elif mode == "avg":
            assert step.value == pytest.approx(step.mean, rel=1e-5, abs=1e-6)
        elif not training:
            assert step.value == pytest.approx(float((step.probabilities * step.patch).sum()), rel=1e-5, abs=1e-6)
        elif step.drawn_index is not None:
            assert step.patch[step.drawn_index] == step.value and step.value > 0
        else:
            assert step.value == 0 and real.max() == 0


def test_step_patch_is_the_window_of_the_padded_input():
    x = np.arange(25, dtype=np.float32).reshape(5, 5)
    steps = PoolSteps(x, "max", 3, 2, 1)
    assert len(steps) == 9
    step = steps[4]
    assert step.out_pos == (1, 1) and step.window == (2, 2)
    np.testing.assert_array_equal(step.patch, x[1:4, 1:4])
    assert step.max_index == (2, 2)
    assert steps[0].padding_mask.tolist() == [[True, True, True], [True, False, False], [True, False, False]]
    assert steps.step_at_input(1, 1) == 0
    assert steps[-1].index == 8


def test_invalid_settings_are_user_errors():
    with pytest.raises(InvalidSettingError, match="empty"):
        pool2d(torch.rand(1, 1, 3, 3), "max", 5)
    with pytest.raises(InvalidSettingError, match="half"):
        pooling_geometry((8, 8), 2, 2, 2)
    with pytest.raises(ValueError, match="mode"):
        pool2d(torch.rand(1, 1, 3, 3), "median", 2)
    with pytest.raises(InvalidSettingError):
        average_of_samples(np.ones((4, 4)), 2, n=0)


def test_average_of_samples_stops_when_cancelled():
    from viewer.core.errors import Cancelled

    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 2  # the third batch finds a newer request waiting

    x = np.random.default_rng(0).random((256, 256)).astype(np.float32)  # 64 samples per batch
    with pytest.raises(Cancelled):
        average_of_samples(x, 2, n=1000, cancelled=cancelled)
    assert len(calls) == 3
    assert average_of_samples(x, 2, n=3, cancelled=lambda: False).shape == (128, 128)
