"""Fuzz the 1960 milestone: Adaline, Madaline and the LMS functions."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from annhist import ConvergenceWarning
from annhist.adaline import Adaline, code_targets, lms
from annhist.adaline.madaline import Madaline, logic_output, units_to_adapt
from annhist.perceptron import fold_bias

from .strategies import FUZZ, bad_arrays, bad_labels, check_call, finite, good_arrays, hyper, weird_scalar

pytestmark = pytest.mark.fuzz

X4 = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
D_AND = np.array([0, 0, 0, 1])
D_XOR = np.array([0, 1, 1, 0])
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    FITTED = {"Adaline": Adaline(eta=0.1, epochs=20, mode="batch").fit(X4, D_AND),
              "Madaline": Madaline(n_adalines=2, output="or", random_state=1).fit(X4, D_XOR)}
ESTIMATORS = {"Adaline": Adaline, "Madaline": Madaline}


@st.composite
def design_and_targets(draw):
    """(X, d) where one thing is wrong -- or nothing (then fit must work or diverge with a clear error)."""
    what = draw(st.sampled_from(["X", "d", "both", "none", "levels"]))
    X = draw(good_arrays(n_samples=draw(st.integers(2, 8)), low=-3, high=3))
    n = X.shape[0]
    d = np.arange(n) % 2
    if what == "levels":                       # ADALINE's numeric target levels (+60/0/-60 on the meter)
        d = np.array([60.0, 0.0, -60.0])[np.arange(n) % 3]
    if what in ("X", "both"):
        X = draw(bad_arrays())
    if what in ("d", "both"):
        d = draw(bad_labels(n))
    return X, d


def _check_fitted(est, X):
    assert np.all(np.isfinite(est.weights_)) and np.all(np.isfinite(est.bias_))
    pred = est.predict(X)
    assert pred.shape == (np.asarray(X).shape[0],) and set(pred.tolist()) <= set(est.classes_.tolist())


@FUZZ
@given(Xd=design_and_targets(), name=st.sampled_from(sorted(ESTIMATORS)))
def test_fit_refuses_bad_data(Xd, name):
    X, d = Xd
    est = Adaline(eta=0.01, epochs=5, random_state=0) if name == "Adaline" else Madaline(epochs=5, random_state=0)
    out = check_call(f"{name}.fit", lambda: est.fit(X, d), names=("X", "y", "d"), finite_result=False)
    if not isinstance(out, Exception):
        _check_fitted(est, X)
    elif name == "Adaline":
        assert est.weights_ is None                     # a failed fit leaves the estimator unfitted


@FUZZ
@given(eta=hyper(st.floats(1e-4, 5)), epochs=hyper(st.integers(1, 20), max_int=20),
       mode=hyper(st.sampled_from(["online", "batch"])), shuffle=hyper(st.booleans()),
       weight_levels=st.one_of(st.none(), hyper(st.integers(1, 20), max_int=10**6)),
       weight_step=hyper(st.floats(1e-3, 1)), random_state=hyper(st.integers(0, 5)),
       weights_init=st.one_of(st.none(), st.just(np.ones(2)), bad_arrays()), bias_init=hyper(finite))
def test_adaline_hyperparameters(eta, epochs, mode, shuffle, weight_levels, weight_step, random_state,
                                 weights_init, bias_init):
    est = Adaline(eta=eta, epochs=epochs, mode=mode, shuffle=shuffle, weight_levels=weight_levels,
                  weight_step=weight_step, random_state=random_state)
    out = check_call("Adaline.hyperparameters", lambda: est.fit(X4, D_AND, weights_init=weights_init,
                                                                 bias_init=bias_init),
                     names=("eta", "epochs", "mode", "shuffle", "weight_levels", "weight_step", "random_state",
                            "weights_init", "bias_init"), finite_result=False)
    if not isinstance(out, Exception):
        _check_fitted(est, X4)
        assert np.all(np.isfinite(est.history_["mse"]))


@FUZZ
@given(n_adalines=hyper(st.integers(1, 5), max_int=50), output=hyper(st.sampled_from(["and", "or", "majority"])),
       alpha=hyper(st.floats(0.01, 1.99)), epochs=hyper(st.integers(1, 10), max_int=10),
       init_scale=hyper(st.floats(0, 2)), shuffle=hyper(st.booleans()), random_state=hyper(st.integers(0, 5)))
def test_madaline_hyperparameters(n_adalines, output, alpha, epochs, init_scale, shuffle, random_state):
    est = Madaline(n_adalines=n_adalines, output=output, alpha=alpha, epochs=epochs, init_scale=init_scale,
                   shuffle=shuffle, random_state=random_state)
    out = check_call("Madaline.hyperparameters", lambda: est.fit(X4, D_XOR),
                     names=("n_adalines", "output", "alpha", "epochs", "init_scale", "shuffle", "random_state"),
                     finite_result=False)
    if not isinstance(out, Exception):
        _check_fitted(est, X4)


@FUZZ
@given(name=st.sampled_from(sorted(ESTIMATORS)), X=st.one_of(bad_arrays(n_features=2), good_arrays(n_features=2)),
       d=st.one_of(bad_labels(4), st.just(D_AND)),
       method=st.sampled_from(["predict", "decision_function", "score", "net_input"]))
def test_predict_decision_function_score(name, X, d, method):
    est = FITTED[name]
    if method == "net_input" and name == "Adaline":
        method = "decision_function"

    def call():
        if method == "score":
            s = est.score(X, d)
            assert 0.0 <= s <= 1.0
            return s
        return getattr(est, method)(X)
    out = check_call(f"{name}.{method}", call, names=("X", "y", "d"), finite_result=method != "predict")
    if isinstance(out, np.ndarray):
        assert out.shape[0] == np.asarray(X).shape[0]


@FUZZ
@given(name=st.sampled_from(sorted(ESTIMATORS)), X=st.one_of(bad_arrays(), good_arrays()),
       method=st.sampled_from(["predict", "decision_function", "score"]))
def test_unfitted_estimators_say_so(name, X, method):
    est = ESTIMATORS[name]()
    args = (X, [0]) if method == "score" else (X,)
    out = check_call(f"{name}.{method}.unfitted", lambda: getattr(est, method)(*args), names=("X", "y", "d"))
    assert isinstance(out, Exception)


@FUZZ
@given(X=st.one_of(bad_arrays(), good_arrays(n_samples=4, n_features=2)),
       d=st.one_of(bad_labels(4), st.just(np.array([1.0, -1.0, 0.5, 2.0]))),
       W=st.one_of(bad_arrays(), st.just(np.zeros(3)), st.just(np.zeros((5, 3))), st.just(np.zeros((2, 2, 3))),
                   st.just(np.zeros(4))),
       fn=st.sampled_from(["fold_bias", "input_correlation", "lms_stability_limit", "least_squares", "mse_surface"]),
       bound=hyper(st.sampled_from(["eigenvalue", "trace"])))
def test_lms_functions(X, d, W, fn, bound):
    calls = {"fold_bias": lambda: fold_bias(X, position="first"), "input_correlation": lambda: lms.input_correlation(X),
             "lms_stability_limit": lambda: lms.lms_stability_limit(X, bound=bound),
             "least_squares": lambda: lms.least_squares(X, d)[0], "mse_surface": lambda: lms.mse_surface(X, d, W)}
    out = check_call(f"lms.{fn}", calls[fn], names=("X", "d", "W", "bound"))
    if fn == "lms_stability_limit" and not isinstance(out, Exception):
        assert out > 0


@FUZZ
@given(d=st.one_of(bad_labels(6), st.just(np.array(["T", "J"] * 3)), st.just(np.array([60.0, 0, -60] * 2))))
def test_code_targets(d):
    def call():
        levels, coded = code_targets(d)
        assert coded.shape == (np.asarray(d).shape[0],)
        return coded
    check_call("adaline.code_targets", call, names=("d",))


@FUZZ
@given(Q=st.one_of(st.just(np.array([[1.0, -1.0]])), good_arrays()), output=hyper(st.sampled_from(["and", "or"])),
       s=st.lists(finite, min_size=1, max_size=5), target=st.sampled_from([-1.0, 1.0]))
def test_madaline_logic(Q, output, s, target):
    check_call("madaline.logic_output", lambda: logic_output(np.where(Q >= 0, 1.0, -1.0), output), names=("output",))
    if output in ("and", "or", "majority"):
        chosen = check_call("madaline.units_to_adapt", lambda: units_to_adapt(np.asarray(s), target, output),
                            finite_result=False)
        assert isinstance(chosen, list) and all(0 <= i < len(s) for i in chosen)


@FUZZ
@given(eta=st.floats(1.0, 1e6), mode=st.sampled_from(["online", "batch"]), scale=st.floats(1, 1e3))
def test_huge_steps_diverge_with_a_clear_error(eta, mode, scale):
    # Far above the stability limit 2/lambda_max: training must stop with DivergenceError naming eta,
    # never return NaN weights. (Near the limit a short run may still converge; that is fine too.)
    est = Adaline(eta=eta, epochs=30, mode=mode, shuffle=False)
    out = check_call("Adaline.divergence", lambda: est.fit(X4 * scale, D_AND), finite_result=False)
    if isinstance(out, Exception):
        assert "eta=" in str(out) and "stability limit" in str(out)
    else:
        _check_fitted(est, X4)


@FUZZ
@given(value=weird_scalar, param=st.sampled_from(["eta", "epochs", "mode", "shuffle", "weight_levels", "weight_step",
                                                  "random_state"]))
def test_set_params_like_construction_refuses_one_bad_value(value, param):
    if param == "epochs" and isinstance(value, int) and not isinstance(value, bool) and value > 50:
        value = -value
    est = Adaline(**{"epochs": 5, param: value})
    out = check_call("Adaline.one_bad_value", lambda: est.fit(X4, D_AND), names=(param,), finite_result=False)
    if not isinstance(out, Exception):
        _check_fitted(est, X4)
