"""Tests for annhist.adaline.filter: Widrow's adaptive noise canceller (Widrow et al. 1975)."""

from __future__ import annotations

import numpy as np
import pytest

from annhist.adaline.filter import noise_canceller, snr_db
from annhist.adaline.lms import lms_update


def _signals(n=4000, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    s = np.sin(2 * np.pi * t / 40)                             # the signal
    ref = rng.standard_normal(n)                               # the reference: noise at its source
    h = 1.5 * np.array([0.9, -0.6, 0.4, 0.2])                  # the unknown path to the primary sensor
    return s, ref, h, s + np.convolve(ref, h)[:n]


def test_snr_improves_by_more_than_15_db():
    s, ref, h, d = _signals()
    out = noise_canceller(d, ref, n_taps=8, eta=0.005).output
    late = slice(2000, None)                                    # after adaptation
    before, after = snr_db(s[late], d[late]), snr_db(s[late], out[late])
    assert before < -5                                         # measured -7.9 dB
    assert after - before > 15                                 # measured gain: about 22 dB


def test_weights_converge_to_the_noise_path():
    s, ref, h, d = _signals()
    w = noise_canceller(d, ref, n_taps=6, eta=0.002).weights
    np.testing.assert_allclose(w[:4], h, atol=0.06)             # the Wiener solution is h, then zeros
    assert np.all(np.abs(w[4:]) < 0.06)


def test_first_steps_by_hand():
    # two taps, eta = 0.5: t = 0: X = (1, 0), y = 0, e = 2, w = (1, 0);
    # t = 1: X = (2, 1), y = 2, e = 1 - 2 = -1, w = (1, 0) + 0.5 * -1 * (2, 1) = (0, -0.5).
    res = noise_canceller(np.array([2.0, 1.0]), np.array([1.0, 2.0]), n_taps=2, eta=0.5)
    np.testing.assert_allclose(res.output, [2.0, -1.0])
    np.testing.assert_allclose(res.weight_history, [[1.0, 0.0], [0.0, -0.5]])
    np.testing.assert_allclose(res.weights, lms_update(np.array([1.0, 0.0]), np.array([2.0, 1.0]), 1.0, 0.5))


def test_bad_input():
    with pytest.raises(ValueError, match="same length"):
        noise_canceller(np.zeros(5), np.zeros(4), 2, 0.1)
    with pytest.raises(ValueError, match="'eta'"):
        noise_canceller(np.zeros(5), np.zeros(5), 2, -0.1)
    s, ref, h, d = _signals(200)
    with pytest.raises(ValueError, match="diverged"):
        noise_canceller(d, ref, 8, eta=5.0)
