"""Rosenblatt's perceptron: the rule by hand, scikit-learn's weights, Novikoff's bound, the pocket."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import annhist.perceptron.rule as perceptron_module
from annhist.datasets import iris, linearly_separable, logic_gate, xor
from annhist.perceptron import Perceptron, Pocket, fold_bias, novikoff_bound, rosenblatt_epoch
from annhist.validation import ConvergenceWarning, DivergenceError, NotFittedError

AND_X, AND_Y = logic_gate("and")          # X = [[0,0],[0,1],[1,0],[1,1]], y = [0,0,0,1]


# ----------------------------------------------------------------------------- the rule by hand
def test_and_by_hand():
    # Targets y = [-1, -1, -1, +1]; inputs with the bias folded in: (0,0,1), (0,1,1), (1,0,1), (1,1,1).
    # w = (w1, w2, b) = (0, 0, 0), eta = 1; a mistake when y * (w . x) <= 0, then w <- w + y x.
    # Epoch 1: (0,0,1) y=-1: a = 0            -> mistake, w = (0,0,0) - (0,0,1) = (0, 0, -1)
    #          (0,1,1) y=-1: a = -1, y a = 1  -> right
    #          (1,0,1) y=-1: a = -1           -> right
    #          (1,1,1) y=+1: a = -1, y a = -1 -> mistake, w = (0,0,-1) + (1,1,1) = (1, 1, 0)    [2 mistakes]
    # Epoch 2: (0,0,1): a = 0 -> mistake, w = (1, 1, -1);  (0,1,1): a = 1 - 1 = 0 -> mistake, w = (1, 0, -2)
    #          (1,0,1): a = 1 - 2 = -1 -> right;  (1,1,1): a = 1 + 0 - 2 = -1 -> mistake, w = (2, 1, -1) [3]
    # Epoch 3: (0,0,1): a = -1 right;  (0,1,1): a = 1 - 1 = 0 -> mistake, w = (2, 0, -2)
    #          (1,0,1): a = 2 - 2 = 0 -> mistake, w = (1, 0, -3);  (1,1,1): a = 1 - 3 = -2 -> mistake,
    #          w = (2, 1, -2)                                                                    [3]
    # ... epochs 4-8 make 2, 2, 3, 2, 1 mistakes, ending at w = (3, 2, -4); epoch 9 makes none:
    # (0,0): -4 < 0, (0,1): 2 - 4 = -2 < 0, (1,0): 3 - 4 = -1 < 0, (1,1): 3 + 2 - 4 = 1 > 0.
    clf = Perceptron(eta=1.0, epochs=20).fit(AND_X, AND_Y)
    h = clf.history_
    np.testing.assert_array_equal(h["weights"][:3], [[1, 1], [2, 1], [2, 1]])
    np.testing.assert_array_equal(h["bias"][:3], [0, -1, -2])
    np.testing.assert_array_equal(h["mistakes"], [2, 3, 3, 2, 2, 3, 2, 1, 0])
    np.testing.assert_array_equal(clf.weights_, [3, 2])
    assert clf.bias_ == -4 and clf.n_updates_ == 18 and clf.n_epochs_ == 9 and clf.converged_
    np.testing.assert_array_equal(clf.predict(AND_X), [0, 0, 0, 1])
    np.testing.assert_array_equal(clf.decision_function(AND_X), [-4, -2, -1, 1])
    assert clf.score(AND_X, AND_Y) == 1.0


def test_rosenblatt_epoch_first_epoch_by_hand_and_pure():
    Xa, y = fold_bias(AND_X), np.array([-1.0, -1, -1, 1])
    w0 = np.zeros(3)
    for method in ("loop", "vectorized"):
        w, updated = rosenblatt_epoch(Xa, y, w0, method=method)
        np.testing.assert_array_equal(w, [1, 1, 0])          # (0,0,-1) after sample 0, + (1,1,1) at sample 3
        np.testing.assert_array_equal(updated, [0, 3])
    np.testing.assert_array_equal(w0, 0)                     # the argument was not modified


def test_eta_only_scales_the_weights():
    a = Perceptron(eta=1.0).fit(AND_X, AND_Y)
    b = Perceptron(eta=0.25).fit(AND_X, AND_Y)
    np.testing.assert_allclose(b.weights_, 0.25 * a.weights_)
    assert b.n_updates_ == a.n_updates_


# ----------------------------------------------------------------------------- scikit-learn
def _sklearn(X, y, epochs, eta=1.0):
    from sklearn.linear_model import Perceptron as SkPerceptron
    return SkPerceptron(eta0=eta, alpha=0.0, shuffle=False, tol=None, max_iter=epochs).fit(X, y)


@pytest.mark.parametrize("method", ["vectorized", "loop"])
def test_same_weights_as_sklearn_on_integer_data(method):
    rng = np.random.default_rng(0)
    X = rng.integers(-5, 6, size=(300, 4)).astype(float)
    y = np.where(X @ [2, -1, 1, 3] + 1 > 0, "yes", "no")
    clf = Perceptron(epochs=500, method=method).fit(X, y)
    sk = _sklearn(X, y, clf.n_epochs_)
    assert clf.converged_
    np.testing.assert_array_equal(clf.weights_, sk.coef_.ravel())   # integer arithmetic: exact
    assert clf.bias_ == sk.intercept_[0]
    np.testing.assert_array_equal(clf.classes_, sk.classes_)
    np.testing.assert_array_equal(clf.predict(X), sk.predict(X))


def test_same_weights_as_sklearn_on_iris_and_when_not_converging():
    X, y = iris(("setosa", "versicolor"))
    clf = Perceptron(eta=0.5, epochs=100).fit(X, y)
    sk = _sklearn(X, y, clf.n_epochs_, eta=0.5)
    np.testing.assert_allclose(clf.weights_, sk.coef_.ravel(), rtol=1e-12, atol=1e-12)
    X2, y2 = iris(("versicolor", "virginica"))        # not separable: both run all 7 epochs
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        clf2 = Perceptron(epochs=7).fit(X2, y2)
    sk2 = _sklearn(X2, y2, 7)
    assert clf2.n_epochs_ == 7 and not clf2.converged_
    np.testing.assert_allclose(clf2.weights_, sk2.coef_.ravel(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(clf2.bias_, sk2.intercept_[0], rtol=1e-12, atol=1e-12)


# ----------------------------------------------------------------------------- loop == vectorized
@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 60), d=st.integers(1, 5),
       chunks=st.sampled_from([(1024, 65536), (1, 2), (2, 8), (3, 5)]))
def test_vectorized_epoch_makes_the_loops_updates(seed, n, d, chunks):
    rng = np.random.default_rng(seed)
    Xa = fold_bias(rng.integers(-3, 4, size=(n, d)))     # small integers: ties (activation 0) happen
    y = rng.choice([-1.0, 1.0], size=n)
    w0 = rng.integers(-2, 3, size=d + 1).astype(float)
    order = rng.permutation(n)
    saved = perceptron_module._CHUNK_MIN, perceptron_module._CHUNK_MAX
    perceptron_module._CHUNK_MIN, perceptron_module._CHUNK_MAX = chunks   # tiny chunks: many boundaries
    try:
        w_vec, upd_vec = rosenblatt_epoch(Xa, y, w0, order=order, method="vectorized")
    finally:
        perceptron_module._CHUNK_MIN, perceptron_module._CHUNK_MAX = saved
    w_loop, upd_loop = rosenblatt_epoch(Xa, y, w0, order=order, method="loop")
    np.testing.assert_array_equal(upd_vec, upd_loop)
    np.testing.assert_array_equal(w_vec, w_loop)


def test_vectorized_fit_equals_loop_fit_on_large_shuffled_data():
    X, y = linearly_separable(6000, 5, margin=0.01, random_state=1)   # longer than one scan chunk
    a = Perceptron(epochs=200, shuffle=True, random_state=7, method="loop").fit(X, y)
    b = Perceptron(epochs=200, shuffle=True, random_state=7, method="vectorized").fit(X, y)
    np.testing.assert_array_equal(a.history_["mistakes"], b.history_["mistakes"])
    np.testing.assert_array_equal(a.history_["weights"], b.history_["weights"])
    assert a.n_updates_ == b.n_updates_ > 0 and a.converged_ and b.converged_


# ----------------------------------------------------------------------------- convergence
@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), d=st.integers(1, 4), gap=st.floats(0.01, 0.3),
       shuffle=st.booleans())
def test_updates_never_exceed_novikoffs_bound(seed, d, gap, shuffle):
    X, y = linearly_separable(40, d, margin=gap, random_state=seed)
    R, gamma, bound = novikoff_bound(X, y)
    clf = Perceptron(epochs=int(bound) + 2, shuffle=shuffle, random_state=seed).fit(X, y)
    assert clf.converged_ and clf.score(X, y) == 1.0
    assert clf.n_updates_ <= bound * (1 + 1e-9)
    assert np.all(y * (X @ clf.weights_ + clf.bias_) > 0)


def test_novikoff_bound_on_and_exactly():
    # Best separator of AND with the bias folded in: w = (2, 2, -3), margins -(-3) = 3, -(2-3) = 1,
    # -(2-3) = 1, 2+2-3 = 1 -> scaled to margin 1 it is w/1 with |w|^2 = 4 + 4 + 9 = 17.
    # So gamma = 1/sqrt(17), R^2 = |(1,1,1)|^2 = 3 and the bound is 3 * 17 = 51 (the run above made 18).
    R, gamma, bound = novikoff_bound(AND_X, AND_Y)
    assert R == pytest.approx(np.sqrt(3)) and gamma == pytest.approx(1 / np.sqrt(17), rel=1e-9)
    assert bound == pytest.approx(51, rel=1e-9)


def test_novikoff_margin_matches_a_generic_qp_solver():
    from scipy.optimize import minimize

    from annhist.perceptron.novikoff import max_margin_separator
    X, y = linearly_separable(30, 3, margin=0.05, random_state=4)
    u, gamma = max_margin_separator(X, y)
    Z = y[:, None] * fold_bias(X)
    res = minimize(lambda w: w @ w, np.ones(4), jac=lambda w: 2 * w, method="SLSQP",
                   constraints={"type": "ineq", "fun": lambda w: Z @ w - 1, "jac": lambda w: Z})
    assert res.success
    assert gamma == pytest.approx(1 / np.linalg.norm(res.x), rel=1e-5)
    assert np.min(Z @ u) == pytest.approx(gamma, rel=1e-9)       # u attains the margin it reports


def test_novikoff_refuses_nonseparable_data():
    with pytest.raises(ValueError, match="not linearly separable"):
        novikoff_bound(*xor())
    with pytest.raises(ValueError, match="not linearly separable"):
        novikoff_bound(*iris(("versicolor", "virginica")))


def test_no_convergence_warns_on_xor():
    with pytest.warns(ConvergenceWarning, match=r"epochs=10"):
        clf = Perceptron(epochs=10).fit(*xor())
    assert not clf.converged_ and clf.n_epochs_ == 10 and len(clf.history_["mistakes"]) == 10


def test_separable_data_converge_without_warning():
    X, y = iris(("setosa", "versicolor"), (0, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf = Perceptron(epochs=100).fit(X, y)
    assert clf.converged_ and clf.history_["mistakes"][-1] == 0 and clf.score(X, y) == 1.0
    assert (clf.n_updates_, clf.n_epochs_) == (10, 6)


# ----------------------------------------------------------------------------- the estimator contract
def test_determinism_and_refit_resets():
    X, y = linearly_separable(200, 3, margin=0.02, random_state=0)
    a = Perceptron(shuffle=True, random_state=5, epochs=500).fit(X, y)
    b = Perceptron(shuffle=True, random_state=5, epochs=500).fit(X, y)
    np.testing.assert_array_equal(a.history_["weights"], b.history_["weights"])
    first = a.weights_.copy()
    a.fit(*logic_gate("or"))                               # refit on other data: a fresh start
    assert a.n_features_in_ == 2 and a.n_epochs_ == len(a.history_["mistakes"])
    a.fit(X, y)
    np.testing.assert_array_equal(a.weights_, first)


def test_labels_are_kept_and_init_only_stores():
    clf = Perceptron(eta=-3, epochs=0)                 # no validation before fit
    assert clf.get_params()["eta"] == -3
    with pytest.raises(TypeError):
        Perceptron(1.0)                                    # keyword-only
    clf.set_params(eta=1.0, epochs=50)
    assert clf.fit(AND_X, np.where(AND_Y == 1, 7, 3)) is clf
    np.testing.assert_array_equal(clf.classes_, [3, 7])
    np.testing.assert_array_equal(clf.predict(AND_X), [3, 3, 3, 7])
    from sklearn.base import clone
    assert clone(clf).get_params() == clf.get_params()


def test_partial_fit_equals_fit_epoch_by_epoch():
    X, y = iris(("setosa", "versicolor"), (0, 2))
    inc = Perceptron()
    for _ in range(6):
        inc.partial_fit(X, y)
    full = Perceptron(epochs=6).fit(X, y)
    np.testing.assert_array_equal(inc.weights_, full.weights_)
    np.testing.assert_array_equal(inc.history_["mistakes"], full.history_["mistakes"])
    assert inc.n_epochs_ == 6 and inc.converged_
    one = Perceptron().partial_fit(X[:1], y[:1], classes=["setosa", "versicolor"])
    assert one.n_updates_ == 1 and list(one.classes_) == ["setosa", "versicolor"]
    with pytest.raises(ValueError, match="'classes'"):
        Perceptron().partial_fit(X[:1], y[:1])
    with pytest.raises(ValueError, match=r"'y'.*virginica"):
        one.partial_fit(X[:1], ["virginica"])


def test_pocket_ratchet_never_gets_worse():
    X, y = iris(("versicolor", "virginica"), (2, 3))
    pocket = Pocket(epochs=60, random_state=3).fit(X, y)
    errors = pocket.history_["mistakes"]
    assert np.all(np.diff(errors) <= 0)                     # the ratchet: the pocket only improves
    assert errors[-1] == np.count_nonzero(pocket.predict(X) != y)
    assert pocket.score(X, y) >= 0.9 and not pocket.converged_
    again = Pocket(epochs=60, random_state=3).fit(X, y)
    np.testing.assert_array_equal(again.weights_, pocket.weights_)


def test_pocket_finds_a_separator_when_one_exists():
    X, y = linearly_separable(60, 2, margin=0.1, random_state=2)
    pocket = Pocket(epochs=200, random_state=0).fit(X, y)
    assert pocket.converged_ and pocket.score(X, y) == 1.0 and pocket.history_["mistakes"][-1] == 0


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("X, y, exc, needles", [
    (np.zeros((3, 2)), [0, 1, 2], ValueError, ["'y'", "exactly two classes", "3 class(es)"]),
    ([[0.0, np.nan], [1, 1]], [0, 1], ValueError, ["'X'", "NaN or infinite"]),
    ([[0.0, np.inf], [1, 1]], [0, 1], ValueError, ["'X'", "NaN or infinite"]),
    (np.zeros((3, 2)), [0, 1], ValueError, ["'X' and 'y'", "Got 3 and 2"]),
    (np.zeros((0, 2)), [], ValueError, ["'X'", "at least 1 sample"]),
    ([0.0, 1.0], [0, 1], ValueError, ["'X'", "2-D", "shape (2,)"]),
])
def test_bad_data(X, y, exc, needles):
    with pytest.raises(exc) as info:
        Perceptron().fit(X, y)
    assert all(n in str(info.value) for n in needles), str(info.value)


@pytest.mark.parametrize("params, exc, needle", [
    ({"eta": 0}, ValueError, "The 'eta' parameter of Perceptron must be > 0. Got 0 instead."),
    ({"eta": -1.5}, ValueError, "The 'eta' parameter of Perceptron must be > 0. Got -1.5 instead."),
    ({"epochs": 0}, ValueError, "The 'epochs' parameter of Perceptron must be >= 1. Got 0 instead."),
    ({"epochs": 2.5}, TypeError, "'epochs'"),
    ({"method": "fast"}, ValueError, "'method'"),
    ({"shuffle": "yes"}, TypeError, "'shuffle'"),
    ({"random_state": -1}, ValueError, "'random_state'"),
])
def test_bad_hyperparameters(params, exc, needle):
    with pytest.raises(exc, match=needle.replace("(", r"\(").replace(".", r"\.")):
        Perceptron(**params).fit(AND_X, AND_Y)


def test_overflowing_weights_are_an_error():
    X = [[1e308, 1e308], [-1e308, -1e308], [1e308, -1e308]]
    for method in ("vectorized", "loop"):
        with pytest.raises(DivergenceError, match="Perceptron overflowed in epoch 1.*Rescale X"):
            Perceptron(epochs=3, method=method).fit(X, [0, 1, 1])
    with pytest.raises(DivergenceError, match="Pocket overflowed"):
        Pocket(epochs=3, random_state=0).fit(X, [0, 1, 1])


def test_predict_before_fit_and_wrong_width():
    for method in ("predict", "decision_function"):
        with pytest.raises(NotFittedError, match="not fitted yet"):
            getattr(Perceptron(), method)(AND_X)
    clf = Perceptron().fit(AND_X, AND_Y)
    with pytest.raises(ValueError, match="'X'.*has 3 features.*fitted with 2"):
        clf.predict(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="'X'.*NaN"):
        clf.predict([[np.nan, 0.0]])
