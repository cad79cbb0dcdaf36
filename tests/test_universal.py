"""Tests for annhist.mlp.universal: the sigmoid-bump construction (Cybenko 1989; Hornik et al. 1989)."""

from __future__ import annotations

import numpy as np
import pytest

from annhist.mlp.universal import bump_network, sup_error


def f(x):
    return np.sin(2 * np.pi * x) + 0.5 * np.abs(x - 0.3)       # continuous, with a kink


def test_one_bump_by_hand():
    # n_bumps = 1 on [0, 1]: w = 1, edges moved out to -1 and 2, s = steepness / w = 10.
    # y(x) = f(0.5) [sigma(10 (x + 1)) - sigma(10 (x - 2))].
    net = bump_network(lambda x: 3.0 * np.ones_like(x), 0.0, 1.0, 1, steepness=10.0)
    sig = lambda a: 1 / (1 + np.exp(-a))
    x = np.array([0.0, 0.25, 1.0])
    expected = 3.0 * (sig(10 * (x + 1)) - sig(10 * (x - 2)))
    np.testing.assert_allclose(net.predict(x[:, None])[:, 0], expected, rtol=1e-12)
    assert list(net.sizes) == [1, 2, 1]


def test_sup_error_shrinks_with_more_bumps():
    errors = [sup_error(bump_network(f, 0.0, 1.0, n, 20.0), f, 0.0, 1.0) for n in (4, 16, 64, 256)]
    assert all(a > b for a, b in zip(errors, errors[1:]))      # strictly decreasing
    assert errors[-1] < 0.02                                    # measured 0.0133
    # the error of the staircase is about max|f'| * w: a quarter of w, about a quarter of the error
    assert 0.15 < errors[2] / errors[1] < 0.35                  # measured 0.053 / 0.211 = 0.25


def test_weights_follow_the_construction():
    net = bump_network(np.cos, -1.0, 2.0, 6, steepness=15.0)
    W1, b1, W2, b2 = net.params_
    w = 3.0 / 6
    assert W1.shape == (1, 12) and np.allclose(W1, 15.0 / w)
    steps = -b1 / W1[0]                                         # where each hidden unit is at 1/2
    assert np.allclose(steps[1:-1:2], steps[2::2])              # a bump's fall = the next bump's rise
    c = -1.0 + w * (np.arange(6) + 0.5)
    np.testing.assert_allclose(W2[0::2, 0], np.cos(c))
    np.testing.assert_allclose(W2[1::2, 0], -np.cos(c))
    assert b2[0] == 0.0


@pytest.mark.parametrize("kwargs, match", [
    (dict(a=1.0, b=0.0), "a < b"),
    (dict(n_bumps=0), "n_bumps"),
    (dict(steepness=-1.0), "steepness"),
])
def test_bad_input(kwargs, match):
    args = dict(f=np.sin, a=0.0, b=1.0, n_bumps=3, steepness=10.0) | kwargs
    with pytest.raises(ValueError, match=match):
        bump_network(**args)
