"""Tests for annhist.perceptron.capacity: Cover's function-counting theorem (Cover 1965)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annhist.perceptron.capacity import cover_count, cover_fraction, is_separable, separable_fraction


def test_hand_worked_counts():
    assert cover_count(4, 3) == 14          # 2 (1 + 3 + 3): all Boolean functions of 2 inputs but XOR, XNOR
    assert cover_count(3, 1) == 2           # on a line through the origin: all +, all - ... 2 (binom(2,0))
    assert cover_count(5, 5) == 2 ** 5      # N <= d: every dichotomy
    assert cover_count(3, 2) == 6           # 2 (1 + 2): 3 rays in the plane, 6 of 8 dichotomies


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 30), st.integers(1, 12))
def test_recursion_and_half_at_2d(N, d):
    # Cover's recursion C(N+1, d) = C(N, d) + C(N, d-1), with C(N, 0) = 0.
    lower = cover_count(N, d - 1) if d > 1 else 0
    assert cover_count(N + 1, d) == cover_count(N, d) + lower
    assert cover_fraction(2 * d, d) == 0.5


def test_counts_all_dichotomies_of_random_points_by_lp():
    # 6 random points in general position in 3-D: exactly C(6, 3) = 32 of the 64 dichotomies.
    X = np.random.default_rng(3).standard_normal((6, 3))
    n_sep = sum(is_separable(X, np.array(s)) for s in itertools.product((-1.0, 1.0), repeat=6))
    assert n_sep == cover_count(6, 3) == 32


def test_xor_with_bias_is_not_separable():
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)   # a constant input = the bias
    assert not is_separable(X, [-1, 1, 1, -1])
    assert is_separable(X, [-1, 1, 1, 1])


def test_fraction_at_2d_is_about_half():
    frac = separable_fraction(10, 5, trials=300, random_state=1)
    assert abs(frac - 0.5) < 0.09            # 3 binomial standard errors (0.029)
    assert separable_fraction(4, 5, trials=20, random_state=0) == 1.0
    assert separable_fraction(30, 5, trials=20, random_state=0) == 0.0   # C(30,5)/2^30 ~ 1e-4


def test_bad_input():
    with pytest.raises(ValueError, match="'N'"):
        cover_count(0, 3)
    with pytest.raises(ValueError, match="'y'"):
        is_separable(np.eye(3), [1, 0, 1])


def test_registered_experiment_and_claim():
    from annhist.experiments import reproductions, run

    res = run("cover-capacity", seed=0, trials=60, curve_trials=5)
    assert res.results["theory_at_2d"] == 0.5
    assert 0.3 < res.results["fraction_at_2d"] < 0.7
    assert any(c.experiment == "cover-capacity" for c in reproductions.CLAIMS)
