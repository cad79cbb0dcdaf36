"""Tests for annhist.adaline / annhist.adaline.lms / annhist.adaline.madaline (Widrow & Hoff 1960; Widrow 1962)."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import annhist
from annhist import DivergenceError, NotFittedError
from annhist.adaline import (
    Adaline,
    Madaline,
    batch_update,
    input_correlation,
    least_squares,
    lms_stability_limit,
    lms_update,
    mse_surface,
)
from annhist.adaline.madaline import logic_output, units_to_adapt
from annhist.datasets import TGF_TARGETS, flip_pixels, iris, letter_pattern, letters
from annhist.experiments import run
from annhist.perceptron import fold_bias


def overlapping_iris() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Versicolor vs virginica on standardized petal length and width: the classes overlap."""
    X, labels = iris(("versicolor", "virginica"), (2, 3))
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X, labels, np.where(labels == "virginica", 1.0, -1.0)


def folded(ada: Adaline) -> np.ndarray:
    return np.r_[ada.bias_, ada.weights_]


# ----------------------------------------------------------------------------- hand-worked arithmetic
def test_single_lms_step_by_hand() -> None:
    w = np.array([0.5, 1.0, -1.0])  # (w0, w1, w2), bias first
    x = np.array([1.0, 2.0, 1.0])   # (x0 = +1, x1, x2)
    # s = 0.5*1 + 1*2 + (-1)*1 = 1.5;  eps = d - s = 1 - 1.5 = -0.5
    # w + eta*eps*x = [0.5, 1, -1] + 0.1*(-0.5)*[1, 2, 1] = [0.5-0.05, 1-0.1, -1-0.05]
    np.testing.assert_allclose(lms_update(w, x, 1.0, 0.1), [0.45, 0.9, -1.05])
    np.testing.assert_array_equal(w, [0.5, 1.0, -1.0])  # pure: the argument is untouched


def test_one_online_epoch_by_hand() -> None:
    X, d = np.array([[2.0, 1.0], [0.0, -1.0]]), np.array([1, -1])
    ada = Adaline(eta=0.1, epochs=1, mode="online", shuffle=False).fit(X, d, weights_init=[1.0, -1.0], bias_init=0.5)
    # pattern 1: x = [1, 2, 1], s = 0.5 + 2 - 1 = 1.5, eps = 1 - 1.5 = -0.5 -> w = [0.45, 0.9, -1.05]
    # pattern 2: x = [1, 0, -1], s = 0.45 + 0 + 1.05 = 1.5, eps = -1 - 1.5 = -2.5
    #   w = [0.45, 0.9, -1.05] + 0.1*(-2.5)*[1, 0, -1] = [0.45-0.25, 0.9, -1.05+0.25] = [0.2, 0.9, -0.8]
    assert ada.bias_ == pytest.approx(0.2)
    np.testing.assert_allclose(ada.weights_, [0.9, -0.8])
    np.testing.assert_allclose(ada.history_["weights"][0], [0.5, 1.0, -1.0])


def test_one_batch_step_by_hand() -> None:
    X, d = np.array([[2.0, 1.0], [0.0, -1.0]]), np.array([1.0, -1.0])
    w = np.array([0.5, 1.0, -1.0])
    # both patterns give s = 1.5; eps = [1 - 1.5, -1 - 1.5] = [-0.5, -2.5]
    # mean(eps*x) = (-0.5*[1, 2, 1] + -2.5*[1, 0, -1]) / 2 = [-3, -1, 2] / 2 = [-1.5, -0.5, 1]
    # w + 0.1*[-1.5, -0.5, 1] = [0.35, 0.95, -0.9]
    np.testing.assert_allclose(batch_update(w, fold_bias(X, position="first"), d, 0.1), [0.35, 0.95, -0.9])
    ada = Adaline(eta=0.1, epochs=1, mode="batch").fit(X, d, weights_init=[1.0, -1.0], bias_init=0.5)
    np.testing.assert_allclose(folded(ada), [0.35, 0.95, -0.9])


def test_stability_limit_by_hand() -> None:
    # X1 = [[1, 2], [1, 0]]; R = X1.T X1 / 2 = [[2, 2], [2, 4]] / 2 = [[1, 1], [1, 2]]
    # eigenvalues (3 +- sqrt(5)) / 2 -> lambda_max = 2.618...; limit 2 / 2.618 = 0.7639; tr(R) = 3 -> 2/3
    X = np.array([[2.0], [0.0]])
    np.testing.assert_allclose(input_correlation(X), [[1.0, 1.0], [1.0, 2.0]])
    assert lms_stability_limit(X) == pytest.approx(2 / ((3 + np.sqrt(5)) / 2))
    assert lms_stability_limit(X, bound="trace") == pytest.approx(2 / 3)
    # +-1 letter patterns: every x has |x|^2 = 17, so tr(R) = 17 and the safe bound is 2/17
    assert lms_stability_limit(letters()[0], bound="trace") == pytest.approx(2 / 17)


def test_mse_surface_and_least_squares_match_numpy() -> None:
    X, _, d = overlapping_iris()
    w, b = least_squares(X, d)
    ref = np.linalg.solve(input_correlation(X), fold_bias(X, position="first").T @ d / len(d))  # w* = R^-1 p
    np.testing.assert_allclose(np.r_[b, w], ref, atol=1e-12)
    W = np.array([[b, *w], [0.0, 0.0, 0.0]])
    np.testing.assert_allclose(mse_surface(X, d, W), [np.mean((d - fold_bias(X, position="first") @ ref) ** 2), np.mean(d ** 2)])


@pytest.mark.parametrize("W", [[1e300, 0.0, 0.0], [[1e308, 1e308, -1e308]]], ids=["overflow", "inf-minus-inf"])
def test_mse_surface_refuses_weights_whose_error_overflows(W) -> None:
    # once an inf with a RuntimeWarning, or a silent NaN where the products were inf - inf
    X, d = np.ones((4, 2)), np.array([1.0, -1.0, 0.5, 2.0])
    with pytest.raises(ValueError, match="'W' parameter of mse_surface holds weights too large.*1 of its 1"):
        mse_surface(X, d, np.array(W))
    assert mse_surface(X, d, np.full(3, 1e150)) == pytest.approx(9e300)     # large, but finite: computed


# ----------------------------------------------------------------------------- stability and divergence
def stability_data() -> tuple[np.ndarray, np.ndarray]:
    X, labels = iris(("setosa", "versicolor"), (3,))
    return X, np.where(labels == "versicolor", 1.0, -1.0)


def test_batch_converges_at_0_9_limit() -> None:
    X, d = stability_data()
    eta = 0.9 * lms_stability_limit(X)
    ada = Adaline(eta=eta, epochs=200, mode="batch").fit(X, d, weights_init=[0.5], bias_init=1.0)
    w, b = least_squares(X, d)
    np.testing.assert_allclose(folded(ada), np.r_[b, w], atol=1e-9)
    assert np.all(np.diff(ada.history_["mse"]) <= 1e-15)      # batch MSE never rises below the limit


def test_batch_diverges_at_1_1_limit_with_a_clear_error() -> None:
    X, d = stability_data()
    limit = lms_stability_limit(X)
    ada = Adaline(eta=1.1 * limit, epochs=500, mode="batch")
    with pytest.raises(DivergenceError) as first:
        ada.fit(X, d, weights_init=[0.5], bias_init=1.0)
    message = str(first.value)
    assert f"eta={1.1 * limit:g}" in message and f"{limit:.4g}" in message and "exceeds" in message
    n_recorded = len(ada.history_["mse"])
    assert 2 < n_recorded < 501 and ada.history_["mse"][-1] > 1e3 * ada.history_["mse"][0]
    with pytest.raises(NotFittedError):
        ada.predict(X)                                        # a diverged fit leaves no model
    with pytest.raises(DivergenceError) as second:            # deterministic: the same epoch, the same message
        Adaline(eta=1.1 * limit, epochs=500, mode="batch").fit(X, d, weights_init=[0.5], bias_init=1.0)
    assert str(second.value) == message
    assert issubclass(DivergenceError, ArithmeticError) and annhist.DivergenceError is DivergenceError


def test_a_short_diverging_run_is_not_silent() -> None:
    X, d = stability_data()
    limit = lms_stability_limit(X)
    # From (w0, w1) = (1.0, 0.5) the MSE at 1.1x the limit reads 2.48, 2.59, 3.14, 4.14, ...: after three
    # rises in a row and above the start, a 3-epoch run already raises; 2 epochs are too few to tell.
    Adaline(eta=1.1 * limit, epochs=2, mode="batch").fit(X, d, weights_init=[0.5], bias_init=1.0)
    with pytest.raises(DivergenceError, match="epoch 3"):
        Adaline(eta=1.1 * limit, epochs=3, mode="batch").fit(X, d, weights_init=[0.5], bias_init=1.0)
    # exactly at the limit the steep component flips sign forever at constant size: no divergence, no error
    at_limit = Adaline(eta=limit, epochs=300, mode="batch").fit(X, d, weights_init=[0.5], bias_init=1.0)
    assert at_limit.history_["mse"][-1] > 10 * least_squares_mse(X, d)


def least_squares_mse(X: np.ndarray, d: np.ndarray) -> float:
    w, b = least_squares(X, d)
    return float(mse_surface(X, d, np.r_[b, w]))


def test_absurd_eta_online_raises_divergence_not_a_runtime_warning() -> None:
    X, labels, _ = overlapping_iris()
    with warnings.catch_warnings():
        warnings.simplefilter("error")                        # an overflow warning would fail here
        with pytest.raises(DivergenceError, match="eta=1e\\+200"):
            Adaline(eta=1e200, epochs=5, shuffle=False).fit(X, labels)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), factor=st.floats(0.05, 0.99), n=st.integers(3, 12), p=st.integers(1, 3))
def test_batch_mse_is_monotone_below_the_limit(seed: int, factor: float, n: int, p: int) -> None:
    # Each eigen-component of w - w* is multiplied by (1 - eta*lambda_i), |.| < 1, so the excess MSE
    # sum_i lambda_i v_i^2 can only shrink.
    rng = np.random.default_rng(seed)
    X, d = rng.normal(size=(n, p)), np.r_[1.0, -1.0, rng.choice([-1.0, 1.0], size=n - 2)]
    ada = Adaline(eta=factor * lms_stability_limit(X), epochs=20, mode="batch").fit(X, d)
    mse = ada.history_["mse"]
    assert np.all(np.diff(mse) <= 1e-12 * (1 + mse[:-1]))


# ----------------------------------------------------------------------------- approach to least squares
def test_online_and_batch_approach_least_squares() -> None:
    X, labels, d = overlapping_iris()
    w, b = least_squares(X, d)
    w_star = np.r_[b, w]
    batch = Adaline(eta=0.9 * lms_stability_limit(X), epochs=200, mode="batch").fit(X, labels)
    np.testing.assert_allclose(folded(batch), w_star, atol=1e-10)           # batch: exact to 1e-10
    # Online LMS with a constant step keeps jittering around w* (misadjustment ~ eta):
    # eta = 0.01, 300 epochs -> within 0.02; eta = 0.003, 600 epochs -> within 0.005.
    coarse = Adaline(eta=0.01, epochs=300, random_state=0).fit(X, labels)
    fine = Adaline(eta=0.003, epochs=600, random_state=0).fit(X, labels)
    assert np.max(np.abs(folded(coarse) - w_star)) < 0.02
    assert np.max(np.abs(folded(fine) - w_star)) < 0.005
    # the classes overlap: LMS converges anyway, the quantized output still makes some errors
    assert 0 < batch.history_["errors"][-1] < 0.1 * len(d)


def test_letters_learned_exactly() -> None:
    X, y = letters(("T", "J"), shifts=True)
    ada = Adaline(eta=0.05, epochs=40, random_state=0).fit(X, y)
    assert ada.predict(X).tolist() == ["T", "T", "J", "J"]
    np.testing.assert_allclose(ada.decision_function(X), [1, 1, -1, -1], atol=1e-6)   # 'J' < 'T': J = -1
    X3, y3 = letters(("T", "G", "F"), shifts=True)
    d3 = np.array([TGF_TARGETS[c] for c in y3])
    meter = Adaline(eta=0.05, epochs=60, random_state=0).fit(X3, d3)
    np.testing.assert_allclose(meter.decision_function(X3), [60, 60, 0, 0, -60, -60], atol=1e-3)
    assert meter.predict(X3).tolist() == d3.tolist() and meter.classes_.tolist() == [-60.0, 0.0, 60.0]


def test_quantized_weights_are_knob_positions() -> None:
    X, y = letters(("T", "J"), shifts=True)
    ada = Adaline(eta=0.05, epochs=30, weight_levels=3, weight_step=0.05, random_state=0).fit(X, y)
    assert ada.knobs_.dtype.kind == "i" and np.all(np.abs(ada.knobs_) <= 3)
    np.testing.assert_allclose(folded(ada), ada.knobs_ * 0.05, atol=1e-12)
    for w in ada.history_["weights"]:
        np.testing.assert_allclose(w / 0.05, np.rint(w / 0.05), atol=1e-9)
    assert ada.score(X, y) == 1.0
    # Too coarse a knob: from w = 0 every change is eta*eps*x = 0.05*1*(+-1) = +-0.05, less than half a
    # step of 0.2, so rounding undoes it and nothing is ever stored.
    stuck = Adaline(eta=0.05, epochs=5, weight_levels=5, weight_step=0.2, random_state=0).fit(X, y)
    assert np.all(stuck.knobs_ == 0) and stuck.history_["mse"][-1] == pytest.approx(1.0)


# ----------------------------------------------------------------------------- MADALINE rule I
def test_logic_and_minimal_disturbance_by_hand() -> None:
    Q = np.array([[1, 1, -1], [-1, -1, -1], [1, 1, 1], [1, -1, -1]], dtype=float)
    assert logic_output(Q, "and").tolist() == [-1, -1, 1, -1]
    assert logic_output(Q, "or").tolist() == [1, -1, 1, 1]
    assert logic_output(Q, "majority").tolist() == [1, -1, 1, -1]
    s = np.array([0.3, -0.1, -0.8])       # outputs (+1, -1, -1)
    assert units_to_adapt(s, 1.0, "majority") == [1]      # flip the -1 nearest zero (|-0.1| < |-0.8|)
    assert units_to_adapt(s, 1.0, "and") == [1, 2]        # AND needs every unit at +1
    assert units_to_adapt(s, 1.0, "or") == []             # already right
    assert units_to_adapt(np.array([0.3, -0.1, 0.2]), -1.0, "or") == [2, 0]   # both +1s, nearest zero first


def test_madaline_alpha_one_lands_exactly_on_the_reversed_response() -> None:
    X, y = np.array([[1.0, 1.0], [-1.0, -1.0]]), np.array([1, 0])
    net = Madaline(n_adalines=1, output="or", alpha=1.0, epochs=1, init_scale=0.0, shuffle=False).fit(X, y)
    # w = 0: s = 0, q = sign(0) = +1, so pattern 1 (target +1) is right and pattern 2 (target -1) is wrong.
    # alpha-LMS on x = [1, -1, -1]: w = 0 + 1*(-1 - 0)*x / |x|^2 = -x / 3 -> s(x) = -1 exactly,
    # and then pattern 1 gives s = -1/3 + 1/3 + 1/3 = 1/3 -> +1: all right after the pass.
    np.testing.assert_allclose(np.r_[net.bias_, net.weights_[0]], [-1 / 3, 1 / 3, 1 / 3])
    assert net.score(X, y) == 1.0 and net.n_epochs_ == 1 and net.converged_
    assert net.history_["errors"].tolist() == [1, 0] and net.history_["adaptations"].tolist() == [1]
    Xx = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    with pytest.warns(annhist.ConvergenceWarning, match="did not learn every pattern"):
        Madaline(n_adalines=1, epochs=3, random_state=0).fit(Xx, [0, 1, 1, 0])   # XOR with one ADALINE


@pytest.mark.parametrize("output, n_adalines", [("or", 2), ("and", 2), ("majority", 3)])
def test_madaline_learns_xor_for_most_seeds(output: str, n_adalines: int) -> None:
    X = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    y = np.array([0, 1, 1, 0])
    solved = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", annhist.ConvergenceWarning)
        for seed in range(100):
            net = Madaline(n_adalines=n_adalines, output=output, random_state=seed).fit(X, y)
            solved += net.converged_ and net.predict(X).tolist() == [0, 1, 1, 0]
    assert solved >= 95          # measured: 100 of 100 seeds for each logic unit


# ----------------------------------------------------------------------------- determinism
def test_same_seed_same_weights() -> None:
    X, labels, _ = overlapping_iris()
    a = Adaline(eta=0.02, epochs=5, random_state=7).fit(X, labels)
    b = Adaline(eta=0.02, epochs=5, random_state=7).fit(X, labels)
    c = Adaline(eta=0.02, epochs=5, random_state=8).fit(X, labels)
    np.testing.assert_array_equal(a.history_["weights"], b.history_["weights"])
    assert not np.array_equal(a.history_["weights"], c.history_["weights"])
    Xx = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    m1 = Madaline(random_state=3).fit(Xx, [0, 1, 1, 0])
    m2 = Madaline(random_state=3).fit(Xx, [0, 1, 1, 0])
    np.testing.assert_array_equal(m1.weights_, m2.weights_)


def test_experiments_are_registered_and_deterministic() -> None:
    stab = run("lms-stability", epochs=60).to_dict()
    runs = stab["results"]["runs"]
    assert [runs[k]["diverged"] for k in ("0.5x", "0.9x", "1.1x")] == [False, False, True]
    assert runs["0.9x"]["distance_to_least_squares"] < 1e-3 and "exceeds" in runs["1.1x"]["error"]
    letters_res = run("adaline-letters", seed=1).to_dict()
    assert letters_res == run("adaline-letters", seed=1).to_dict()
    assert letters_res["results"]["t_vs_j"]["training_accuracy"] == 1.0
    xor_res = run("madaline-xor", n_seeds=10).to_dict()
    assert xor_res["results"]["pm1_inputs_shuffled"]["success_rate"] >= 0.9
    json.dumps(xor_res, allow_nan=False)


# ----------------------------------------------------------------------------- data and figures
def test_letter_patterns() -> None:
    t = letter_pattern("T").reshape(4, 4)
    # T drawn in columns 0..2: top bar on, stem in column 1, column 3 off
    np.testing.assert_array_equal(t[0], [1, 1, 1, -1])
    np.testing.assert_array_equal(t[1:, 1], [1, 1, 1])
    assert np.sum(t == 1) == 6
    np.testing.assert_array_equal(letter_pattern("T", 1).reshape(4, 4)[:, 1:], t[:, :3])   # the shifted copy
    X, y = letters(("T", "G", "F"), shifts=True)
    assert X.shape == (6, 16) and set(np.unique(X)) == {-1.0, 1.0} and y.tolist() == list("TTGGFF")
    Xn = flip_pixels(X, 2, random_state=0)
    assert np.all(np.sum(Xn != X, axis=1) == 2) and set(np.unique(Xn)) == {-1.0, 1.0}
    with pytest.raises(ValueError, match="'letter'.*'Q'"):
        letter_pattern("Q")


def test_plots_return_figures() -> None:
    from annhist.adaline.experiments import stability_runs
    from annhist.adaline.figures import (
        plot_adaline_weights,
        plot_boundary_drift,
        plot_letters,
        plot_lms_trajectories,
        plot_madaline_xor,
    )

    X, d, runs = stability_runs(epochs=30)
    fig = plot_lms_trajectories(X, d, [(str(r["factor"]), r["weights"], r["diverged"]) for r in runs])
    assert len(fig.axes) == 2 and len(fig.axes[0].lines) >= 3
    Xl, yl = letters(("T", "J"), shifts=True)
    assert len(plot_letters(Xl, yl).axes) == 4
    ada = Adaline(eta=0.05, epochs=5, random_state=0).fit(Xl, yl)
    assert len(plot_adaline_weights(ada.weights_, ada.bias_).axes[0].texts) == 16
    Xx = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    net = Madaline(n_adalines=2, output="or", random_state=0).fit(Xx, [0, 1, 1, 0])
    assert len(plot_madaline_xor(net, Xx, [0, 1, 1, 0]).axes) == 1
    Xi, labels, _ = overlapping_iris()
    fit = Adaline(eta=0.01, epochs=12, random_state=0).fit(Xi, labels)
    W = fit.history_["weights"][1:]                      # (epochs, 3), bias first
    fig = plot_boundary_drift(Xi, labels, [("ADALINE", W[:, 1:], W[:, 0])])
    assert len(fig.axes) == 2 and len(fig.axes[0].lines) == 10 and len(fig.axes[1].lines) == 1


# ----------------------------------------------------------------------------- bad input
X_OK, Y_OK = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([0, 1, 1])


@pytest.mark.parametrize("params, exc, words", [
    ({"eta": 0}, ValueError, ["'eta'", "> 0", "Got 0"]),
    ({"eta": -1.0}, ValueError, ["'eta'", "Got -1.0"]),
    ({"eta": float("nan")}, ValueError, ["'eta'", "nan"]),
    ({"eta": "fast"}, TypeError, ["'eta'", "'fast'"]),
    ({"mode": "minibatch"}, ValueError, ["'mode'", "'online'", "'batch'", "'minibatch'"]),
    ({"epochs": 0}, ValueError, ["'epochs'", "Got 0"]),
    ({"epochs": 2.5}, TypeError, ["'epochs'", "2.5"]),
    ({"shuffle": "yes"}, TypeError, ["'shuffle'", "'yes'"]),
    ({"weight_levels": 0}, ValueError, ["'weight_levels'", "Got 0"]),
    ({"weight_step": -0.1}, ValueError, ["'weight_step'", "-0.1"]),
    ({"random_state": -3}, ValueError, ["'random_state'", "-3"]),
])
def test_bad_hyperparameters(params: dict, exc: type, words: list[str]) -> None:
    with pytest.raises(exc) as info:
        Adaline(**params).fit(X_OK, Y_OK)
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize("X, d, exc, words", [
    ([[0.0, np.nan], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1], ValueError, ["'X'", "NaN"]),
    ([[0.0, np.inf], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1], ValueError, ["'X'", "infinite"]),
    ([[0.0, 1.0], [1.0, 0.0]], [0, 1, 1], ValueError, ["'X'", "'y'", "2 and 3"]),
    (np.empty((0, 2)), [], ValueError, ["'X'", "at least 1 sample", "(0, 2)"]),
    ([0.0, 1.0, 1.0], [0, 1, 1], ValueError, ["'X'", "2-D", "(3,)"]),
    ([[0.0], [1.0], [2.0]], [1, 1, 1], ValueError, ["'y'", "two classes", "1 class"]),
    ([[0.0], [1.0], [2.0]], ["a", "b", "c"], TypeError, ["'y'", "numeric"]),
    ([[0.0], [1.0], [2.0]], [0.0, np.nan, 1.0], ValueError, ["'y'", "NaN"]),
    ([[1e200, 0.0], [0.0, 1.0], [1.0, 1.0]], [0, 1, 1], ValueError, ["'X'", "too large", "1e+200"]),
])
def test_bad_data(X, d, exc: type, words: list[str]) -> None:
    with pytest.raises(exc) as info:
        Adaline().fit(X, d)
    for word in words:
        assert word in str(info.value)


def test_predict_before_fit_and_wrong_width() -> None:
    with pytest.raises(NotFittedError, match="Adaline instance is not fitted"):
        Adaline().predict(X_OK)
    with pytest.raises(NotFittedError, match="Madaline instance is not fitted"):
        Madaline().decision_function(X_OK)
    ada = Adaline(eta=0.1, epochs=2).fit(X_OK, Y_OK)
    with pytest.raises(ValueError, match="3 features.*fitted with 2"):
        ada.predict(np.ones((2, 3)))
    with pytest.raises(ValueError, match="'weights_init'.*\\(2,\\).*\\(3,\\)"):
        Adaline().fit(X_OK, Y_OK, weights_init=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="'bound'.*'eigenvalue'.*'trace'"):
        lms_stability_limit(X_OK, bound="max")


@pytest.mark.parametrize("params, exc, words", [
    ({"output": "xor"}, ValueError, ["'output'", "'and'", "'or'", "'majority'", "'xor'"]),
    ({"alpha": 2.0}, ValueError, ["'alpha'", "< 2", "2.0"]),
    ({"alpha": 0.0}, ValueError, ["'alpha'", "> 0"]),
    ({"n_adalines": 0}, ValueError, ["'n_adalines'", "Got 0"]),
    ({"init_scale": -1.0}, ValueError, ["'init_scale'", "-1.0"]),
])
def test_madaline_bad_input(params: dict, exc: type, words: list[str]) -> None:
    with pytest.raises(exc) as info:
        Madaline(**params).fit(X_OK, Y_OK)
    for word in words:
        assert word in str(info.value)
    with pytest.raises(ValueError, match="'y'.*two classes"):
        Madaline().fit(X_OK, [0, 1, 2])
    with pytest.raises(ValueError, match="'X'.*too large"):
        Madaline().fit(X_OK * 1e200, Y_OK)
