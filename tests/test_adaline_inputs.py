"""Bad input to the 1960 milestone is refused naming the parameter; good input gives the same numbers."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from annhist import ConvergenceWarning
from annhist.adaline import Madaline, least_squares
from annhist.adaline.experiments import madaline_xor
from annhist.adaline.filter import snr_db
from annhist.adaline.madaline import MAX_ADALINES, units_to_adapt
from annhist.experiments import run

X = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]])
D = np.array([-1.0, -1, -1, 1])
S = np.array([1.0, 2, 3, 4])


@pytest.mark.parametrize("call, exc, param", [
    # item 6: at 1e16 the bias column fell below lstsq's cutoff: weights ~1e-32, bias 0, residual 4 instead of 1
    (lambda: least_squares(X * 1e16, D), ValueError, "'X'"),
    (lambda: least_squares(np.c_[X[:, :1] * 1e-17, X[:, 1:]], D), ValueError, "'X'"),
    # item 22: inf (no noise), NaN (all zeros), -inf (no signal), NaN (squares overflow)
    (lambda: snr_db(S, S), ValueError, "'observed'"),
    (lambda: snr_db(np.zeros(3), np.zeros(3)), ValueError, "'signal'"),
    (lambda: snr_db(np.zeros(3), np.ones(3)), ValueError, "'signal'"),
    (lambda: snr_db(np.array([1e300, 2]), np.array([1.1, 2])), ValueError, "'signal'"),
    (lambda: snr_db(np.array([1e-160, 0]), np.array([1e150, 0])), ValueError, "'signal' and 'observed'"),
    # item 24: n_adalines=10**9 was a MemoryError
    (lambda: Madaline(n_adalines=10**9).fit(X, [0, 1, 1, 0]), ValueError, "'n_adalines'"),
    (lambda: Madaline(n_adalines=MAX_ADALINES).fit(np.zeros((2, 20_000)) + [[0], [1]], [0, 1]), ValueError,
     "'n_adalines'"),
    # item 29: 1e308 was numpy's OverflowError (-0.0, numpy's "high - low < 0", is tested below)
    (lambda: Madaline(init_scale=1e308).fit(X, [0, 1, 1, 0]), ValueError, "'init_scale'"),
    # item 27: n_seeds=0 was an IndexError, 2.5 "'float' object cannot be interpreted as an integer"
    (lambda: madaline_xor(n_seeds=0), ValueError, "'n_seeds'"),
    (lambda: madaline_xor(n_seeds=2.5), TypeError, "'n_seeds'"),
    (lambda: madaline_xor(n_seeds=10**6), ValueError, "'n_seeds'"),
    (lambda: madaline_xor(n_seeds=1000, epochs=10_000), ValueError, "'n_seeds' and 'epochs'"),
    (lambda: madaline_xor(seed=-1, n_seeds=2), ValueError, "'seed'"),
    (lambda: run("madaline-xor", n_seeds=10**6), ValueError, "n_seeds"),
])
def test_bad_input_is_refused_naming_the_parameter(call, exc, param):
    with pytest.raises(exc, match=param):
        call()


def test_negative_zero_init_scale_is_zero():
    # Madaline(init_scale=-0.0) was numpy's "high - low < 0"; it is the all-zero start of init_scale=0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        a = Madaline(init_scale=-0.0, random_state=0, epochs=3).fit(X, [0, 1, 1, 0])
        b = Madaline(init_scale=0.0, random_state=0, epochs=3).fit(X, [0, 1, 1, 0])
    np.testing.assert_array_equal(a.weights_, b.weights_)
    np.testing.assert_array_equal(a.history_["errors"], b.history_["errors"])


def test_good_input_gives_the_same_answers():
    w, b = least_squares(X * 1e14, D)                           # still resolved: the old answer
    ref = np.linalg.lstsq(np.c_[np.ones(4), X * 1e14], D, rcond=None)[0]
    np.testing.assert_array_equal(np.r_[b, w], ref)
    w, b = least_squares(np.c_[X, X[:, :1]], D)                 # truly singular: the minimum-norm answer, as before
    ref = np.linalg.lstsq(np.c_[np.ones(4), X, X[:, :1]], D, rcond=None)[0]
    np.testing.assert_array_equal(np.r_[b, w], ref)
    assert snr_db(S, S + 0.1) == float(10 * np.log10(np.sum(S ** 2) / np.sum((S + 0.1 - S) ** 2)))
    assert units_to_adapt(np.array([0.5, -0.2, -0.1]), 1.0, "majority") == [2]
    net = Madaline(n_adalines=2, output="or", random_state=0).fit(2 * X - 1, [0, 1, 1, 0])
    assert net.predict(2 * X - 1).tolist() == [0, 1, 1, 0]
    res = madaline_xor(n_seeds=5).results
    assert res["pm1_inputs_shuffled"]["n_solved"] == 5
