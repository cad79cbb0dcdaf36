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


# A run hovering at its least MSE is not diverging. With inputs that carry no signal the least MSE is the
# start (1 for +-1 targets), and rounding made the MSE rise by 1e-8 three epochs in a row: Adaline raised
# "diverged ... growing without bound (from 1 to 1). The step size eta=0.01 is below the stability limit"
# in 139 of 1,800 small fits (all-zero inputs, seeds 0-199). The rising rule now applies only where the step
# can diverge: batch LMS from the limit on, online LMS above a third of the trace bound, alpha-LMS never.
@pytest.mark.parametrize("mode", ["online", "batch", "alpha-lms"])
@pytest.mark.parametrize("seed", range(20))
def test_a_run_at_its_least_mse_is_not_called_diverging(mode, seed):
    from annhist.adaline import Adaline

    a = Adaline(epochs=10, random_state=seed, mode=mode, eta=0.01).fit(np.zeros((4, 2)), [0, 1, 0, 1])
    assert a.history_["mse"].max() < 1.001


def test_divergence_near_the_limit_is_still_caught():
    from annhist import DivergenceError
    from annhist.adaline import Adaline, lms_stability_limit

    X = np.array([[1.0], [-1.0]])
    limit = lms_stability_limit(X)
    with pytest.raises(DivergenceError, match="exceeds the stability limit"):
        Adaline(eta=1.01 * limit, epochs=2000, mode="batch").fit(X, [0, 1], bias_init=1.0)
    rng = np.random.default_rng(18)                    # online, 0.8 of the trace bound: a real runaway
    X, y = rng.normal(size=(20, 3)), rng.integers(0, 2, 20)
    with pytest.raises(DivergenceError, match="Online LMS also needs eta well below"):
        Adaline(eta=0.3 * lms_stability_limit(X), epochs=20, random_state=18).fit(X, y)


def test_wide_inputs_use_the_small_gram_matrix_and_too_wide_ones_are_refused():
    # Adaline.fit on 2 x 10**7 inputs asked numpy for R of 10**7 x 10**7 (728 TiB, a MemoryError). R's nonzero
    # eigenvalues are those of the n x n Gram matrix X1 X1^T / n, which wide data (p + 1 > MAX_INPUTS) now uses.
    from annhist.adaline import Adaline, lms_stability_limit
    from annhist.adaline.lms import MAX_INPUTS, input_correlation

    X = np.random.default_rng(0).normal(size=(4, 20))
    wide = np.hstack([X, np.zeros((4, MAX_INPUTS))])
    for bound in ("eigenvalue", "trace"):
        assert np.isclose(lms_stability_limit(wide, bound=bound), lms_stability_limit(X, bound=bound), rtol=1e-12)
    assert Adaline(epochs=3).fit(wide, [0, 1, 0, 1]).weights_.shape == (MAX_INPUTS + 20,)
    with pytest.raises(ValueError, match=rf"The 'X' parameter has {MAX_INPUTS + 20:,} inputs.*at most"):
        input_correlation(wide)
