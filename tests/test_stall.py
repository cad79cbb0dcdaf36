"""Tests for annhist.mlp.stall: stalled 2-2-1 XOR runs are not strict local minima (Hamey 1998)."""

from __future__ import annotations

import numpy as np
import pytest

from annhist.mlp import train_many
from annhist.mlp.stall import XOR_D, XOR_X, error_and_gradient, hessian, stall_analysis, xor_net
from annhist.optimizers import Momentum


@pytest.fixture(scope="module")
def runs():
    # seed 11 stalls with RHW's settings (eta 0.5, alpha 0.9, +-0.3); seed 0 solves XOR.
    return train_many([2, 2, 1], XOR_X, XOR_D, seeds=[11, 0], init=("uniform", 0.3),
                      optimizer=Momentum(eta=0.5, alpha=0.9), epochs=6000, stop_within=0.1)


def test_stall_is_not_a_stationary_point_and_descent_continues(runs):
    assert not runs.converged[0] and runs.converged[1]
    a = stall_analysis(runs.net(0).params_, sweeps=3000, eta=4.0, checkpoints=3)
    assert 0.25 < a["E"] < 0.2502
    assert a["grad_norm"] > 1e-6                                   # not a stationary point
    E = a["continued_E"]
    assert np.all(np.diff(E) < 0) and E[0] < a["E"] and np.all(E > 0.25)   # falls towards 0.25 from above
    assert np.all(np.diff(a["continued_max_abs_weight"]) > 0)      # ... while the weights grow
    assert np.all(np.diff(a["ray_E"]) < 0) and a["ray_E"][-1] > 0.25
    assert np.sum(np.abs(a["outputs"] - 0.5) < 0.01) == 2          # two outputs at 0.5 (PDP p. 333)


def test_solved_run_has_small_error(runs):
    E, g = error_and_gradient(xor_net(runs.net(1).params_), np.concatenate([p.ravel() for p in runs.net(1).params_]))
    assert E < 0.02                                                # every output within 0.1: E < 4 * 0.1^2 / 2


def test_hessian_matches_second_differences_of_E(runs):
    net = runs.net(0)
    H = hessian(xor_net(net.params_), h=1e-5)
    theta = np.concatenate([p.ravel() for p in net.params_])
    E = lambda t: error_and_gradient(net, t)[0]
    h = 1e-3
    for i in (0, 4, 6, 8):
        e = np.zeros(9)
        e[i] = h
        second = (E(theta + e) - 2 * E(theta) + E(theta - e)) / h ** 2
        assert second == pytest.approx(H[i, i], rel=1e-3, abs=1e-7)
    assert np.allclose(H, H.T)


def test_gradient_matches_finite_differences(runs):
    net = runs.net(0)
    theta = np.concatenate([p.ravel() for p in net.params_]) + 0.1   # away from the plateau
    _, g = error_and_gradient(net, theta)
    h = 1e-6
    num = np.array([(error_and_gradient(net, theta + h * e)[0] - error_and_gradient(net, theta - h * e)[0]) / (2 * h)
                    for e in np.eye(9)])
    np.testing.assert_allclose(g, num, rtol=1e-5, atol=1e-9)


def test_bad_params():
    with pytest.raises(ValueError, match="W1, b1, W2, b2"):
        stall_analysis([np.zeros((2, 2))])
    with pytest.raises(ValueError, match="shapes"):
        xor_net([np.zeros((3, 2)), np.zeros(2), np.zeros((2, 1)), np.zeros(1)])
