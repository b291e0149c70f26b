"""geometry.py: output sizes against torch and the textbook, and the sliding window's indices."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given
from hypothesis import strategies as st

from viewer.core.geometry import SlidingWindow, as_pair, output_size, textbook_output_size


@given(
    n=st.integers(1, 40),
    k=st.integers(1, 7),
    stride=st.integers(1, 4),
    padding=st.integers(0, 4),
    dilation=st.integers(1, 3),
)
def test_output_size_matches_torch(n, k, stride, padding, dilation):
    fits = dilation * (k - 1) + 1 <= n + 2 * padding
    if not fits:
        with pytest.raises(ValueError, match="output would be empty"):
            output_size(n, k, stride, padding, dilation)
        return
    out = F.conv2d(torch.zeros(1, 1, 1, n), torch.zeros(1, 1, 1, k), None, stride, (0, padding), dilation)
    assert output_size(n, k, stride, padding, dilation) == out.shape[-1]


@given(n=st.integers(1, 40), k=st.integers(1, 7), stride=st.integers(1, 4), padding=st.integers(0, 4))
def test_textbook_formula_with_total_padding_floors_to_pytorch(n, k, stride, padding):
    assume(k <= n + 2 * padding)
    textbook = textbook_output_size(n, k, stride, total_padding=2 * padding)
    assert math.floor(textbook) == output_size(n, k, stride, padding)


def test_course_numbers():
    assert output_size(5, 3, stride=2) == 2
    assert textbook_output_size(5, 3, stride=2) == 2
    assert output_size(5, 3, stride=1, padding=1) == 5
    assert textbook_output_size(5, 3, 1, total_padding=2) == 5


def test_as_pair():
    assert as_pair(3) == (3, 3)
    assert as_pair((1, 2)) == (1, 2)
    for bad in (True, 1.5, (1, 2, 3), "ab", (1, "2")):
        with pytest.raises(ValueError, match="stride must be"):
            as_pair(bad, "stride")


@given(
    h=st.integers(1, 9), w=st.integers(1, 9), kh=st.integers(1, 4), kw=st.integers(1, 4),
    sh=st.integers(1, 3), sw=st.integers(1, 3), ph=st.integers(0, 2), pw=st.integers(0, 2),
    dh=st.integers(1, 2), dw=st.integers(1, 2),
)
def test_outputs_fed_by_is_the_inverse_of_the_taps(h, w, kh, kw, sh, sw, ph, pw, dh, dw):
    try:
        g = SlidingWindow.create((h, w), (kh, kw), (sh, sw), (ph, pw), (dh, dw))
    except ValueError:
        assume(False)
    feeds: dict[tuple[int, int], set] = {}
    for step in range(len(g)):
        r, c = g.out_pos(step)
        assert g.step_of(r, c) == step
        for tr in g.tap_rows(r):
            for tc in g.tap_cols(c):
                feeds.setdefault((tr, tc), set()).add((r, c))
    hp, wp = g.padded_hw
    for pr in range(hp):
        for pc in range(wp):
            assert set(g.outputs_fed_by(pr, pc)) == feeds.get((pr, pc), set())


def test_as_pair_accepts_numpy_integers_but_not_bools_or_floats():

    assert as_pair(np.int64(2)) == (2, 2)
    assert as_pair((np.int32(1), 3)) == (1, 3)
    for bad in (np.bool_(True), np.float32(2.0), (1, 2.5)):
        with pytest.raises(ValueError, match="integer"):
            as_pair(bad)


@given(n=st.integers(1, 30), k=st.integers(1, 7), stride=st.integers(1, 4), before=st.integers(0, 4),
       after=st.integers(0, 4), dilation=st.integers(1, 3))
def test_output_size_with_padding_per_side_matches_f_pad_then_conv(n, k, stride, before, after, dilation):
    if dilation * (k - 1) + 1 > n + before + after:
        with pytest.raises(ValueError, match=f"{n} \\+ {before} \\+ {after} padding|2 x {before} padding"):
            output_size(n, k, stride, before, dilation, after)
        return
    x = F.pad(torch.zeros(1, 1, 1, n), (before, after))
    out = F.conv2d(x, torch.zeros(1, 1, 1, k), None, stride, 0, dilation)
    assert output_size(n, k, stride, before, dilation, after) == out.shape[-1]


def test_a_window_with_padding_per_side():
    window = SlidingWindow.create((32, 30), 7, 2, padding=(2, 2), padding_end=(3, 2))
    assert window.padding_end == (3, 2) and window.trailing_padding == (3, 2)
    assert window.padded_hw == (37, 34) and window.output_hw == (16, 14)
    same = SlidingWindow.create((32, 30), 7, 2, padding=(2, 2), padding_end=(2, 2))
    assert same.padding_end is None and same == SlidingWindow.create((32, 30), 7, 2, padding=2)


def test_output_size_terms_count_both_sides():
    from viewer.core.geometry import output_size_terms

    terms = output_size_terms(32, 7, 2, 2, padding_end=3)
    assert (terms.size, terms.total_padding, terms.padding_end) == (16, 5, 3)
    assert output_size_terms(32, 7, 2, 3, padding_end=3).padding_end is None
