"""Fuzz the 1958 milestone: Perceptron, Pocket, MarkI, rosenblatt_epoch, novikoff_bound."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from annhist import ConvergenceWarning
from annhist.perceptron import Perceptron, Pocket, fold_bias, novikoff_bound, rosenblatt_epoch
from annhist.perceptron.mark1 import MarkI, wire_plugboard
from annhist.perceptron.novikoff import max_margin_separator

from .strategies import FUZZ, bad_arrays, bad_labels, check_call, good_arrays, hyper, weird_scalar

pytestmark = pytest.mark.fuzz

X4 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y_AND = np.array([0, 0, 0, 1])


def _fitted(cls, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return cls(**kw).fit(X4, Y_AND)


FITTED = {"Perceptron": _fitted(Perceptron, epochs=20), "Pocket": _fitted(Pocket, epochs=5, random_state=0)}
ESTIMATORS = {"Perceptron": Perceptron, "Pocket": Pocket}


@st.composite
def design_and_labels(draw):
    """(X, y) where exactly one thing is wrong -- or nothing is (then fit must work)."""
    what = draw(st.sampled_from(["X", "y", "both", "none"]))
    X = draw(good_arrays(n_samples=draw(st.integers(2, 8))))
    n = X.shape[0]
    y = np.arange(n) % 2
    if draw(st.booleans()):
        y = np.array(["cat", "dog"])[y]
    if what in ("X", "both"):
        X = draw(bad_arrays())
    if what in ("y", "both"):
        y = draw(bad_labels(n))
    return X, y


def _check_fitted(est, X):
    """A fit that worked must give finite weights and predictions in classes_."""
    assert np.all(np.isfinite(est.weights_)) and np.isfinite(est.bias_)
    pred = est.predict(X)
    assert pred.shape == (np.asarray(X).shape[0],) and set(pred.tolist()) <= set(est.classes_.tolist())
    return est.weights_


@FUZZ
@given(Xy=design_and_labels(), name=st.sampled_from(sorted(ESTIMATORS)))
def test_fit_refuses_bad_data(Xy, name):
    X, y = Xy
    est = ESTIMATORS[name](epochs=5, random_state=0)
    out = check_call(f"{name}.fit", lambda: est.fit(X, y), names=("X", "y"), finite_result=False)
    if not isinstance(out, Exception):
        _check_fitted(est, X)


@FUZZ
@given(name=st.sampled_from(sorted(ESTIMATORS)), eta=hyper(st.floats(1e-3, 10)),
       epochs=hyper(st.integers(1, 5), max_int=5),
       flag=hyper(st.booleans()), random_state=hyper(st.integers(0, 5)),
       method=hyper(st.sampled_from(["vectorized", "loop"])))
def test_absurd_hyperparameters(name, eta, epochs, flag, random_state, method):
    kw = dict(eta=eta, epochs=epochs, random_state=random_state)
    kw.update(dict(shuffle=flag, method=method) if name == "Perceptron" else dict(ratchet=flag))
    est = ESTIMATORS[name](**kw)
    out = check_call(f"{name}.hyperparameters", lambda: est.fit(X4, Y_AND), finite_result=False,
                     names=tuple(kw))
    if not isinstance(out, Exception):
        _check_fitted(est, X4)


@FUZZ
@given(name=st.sampled_from(sorted(ESTIMATORS)), X=st.one_of(bad_arrays(n_features=2), good_arrays(n_features=2)),
       y=st.one_of(bad_labels(4), st.just(Y_AND)), method=st.sampled_from(["predict", "decision_function", "score"]))
def test_predict_decision_function_score(name, X, y, method):
    est = FITTED[name]

    def call():
        if method == "score":
            s = est.score(X, y)
            assert 0.0 <= s <= 1.0
            return s
        return getattr(est, method)(X)
    out = check_call(f"{name}.{method}", call, names=("X", "y"), finite_result=method == "decision_function")
    if isinstance(out, np.ndarray):
        assert out.shape == (np.asarray(X).shape[0],)


@FUZZ
@given(name=st.sampled_from(sorted(ESTIMATORS)), X=st.one_of(bad_arrays(), good_arrays()),
       method=st.sampled_from(["predict", "decision_function", "score"]))
def test_unfitted_estimators_say_so(name, X, method):
    est = ESTIMATORS[name]()
    args = (X, [0]) if method == "score" else (X,)
    out = check_call(f"{name}.{method}.unfitted", lambda: getattr(est, method)(*args), names=("X",))
    assert isinstance(out, Exception)


@FUZZ
@given(X=st.one_of(bad_arrays(n_features=2), good_arrays(n_features=2), good_arrays()),
       y=st.one_of(bad_labels(4), st.just(Y_AND), st.just(np.array([0, 0, 0, 0]))),
       classes=st.one_of(st.none(), st.just([0, 1]), st.just([1, 2, 3]), weird_scalar),
       fresh=st.booleans())
def test_partial_fit(X, y, classes, fresh):
    est = Perceptron() if fresh else _fitted(Perceptron, epochs=3)

    def call():
        est.partial_fit(X, y, classes=classes)
        return est.weights_
    out = check_call("Perceptron.partial_fit", call, names=("X", "y", "classes"))
    if not isinstance(out, Exception):
        _check_fitted(est, X)


@FUZZ
@given(X=st.one_of(bad_arrays(), good_arrays(n_samples=4, n_features=2)),
       y=st.one_of(bad_labels(4), st.just(np.array([-1.0, 1, 1, -1]))),
       order=st.one_of(st.none(), st.permutations(range(4)), bad_arrays(), st.lists(st.integers(-5, 5), max_size=5)),
       w=st.one_of(bad_arrays(), st.just(np.zeros(3)), st.just(np.zeros(2))),
       method=hyper(st.sampled_from(["vectorized", "loop"])), eta=hyper(st.floats(0.1, 2)))
def test_rosenblatt_epoch(X, y, w, order, method, eta):
    out = check_call("rosenblatt_epoch", lambda: rosenblatt_epoch(X, y, w, eta=eta, method=method, order=order),
                     names=("X", "y", "w", "order", "method", "eta"), finite_result=False)
    if not isinstance(out, Exception):
        w_new, updated = out
        assert np.all(np.isfinite(w_new)) and set(updated.tolist()) <= set(range(4))
        # the vectorized scan and the plain loop make the same updates
        w_loop, upd_loop = rosenblatt_epoch(X, y, w, eta=eta, method="loop", order=order)
        np.testing.assert_array_equal(w_new, w_loop)
        np.testing.assert_array_equal(updated, upd_loop)


@FUZZ
@given(X=st.one_of(bad_arrays(), good_arrays()))
def test_fold_bias(X):
    out = check_call("fold_bias", lambda: fold_bias(X), names=("X",))
    if isinstance(out, np.ndarray):
        np.testing.assert_array_equal(out[:, -1], 1.0)


@FUZZ
@given(Xy=design_and_labels(), which=st.sampled_from(["bound", "separator"]))
def test_novikoff_bound(Xy, which):
    X, y = Xy
    fn = novikoff_bound if which == "bound" else max_margin_separator
    out = check_call(f"novikoff.{which}", lambda: fn(X, y), names=("X", "y"), finite_result=False)
    if not isinstance(out, Exception):
        assert all(np.all(np.isfinite(v)) for v in out)
        if which == "bound":
            R, gamma, bound = out
            assert R > 0 and gamma > 0 and bound >= 1 - 1e-9      # gamma <= R: at least one correction


# ----------------------------------------------------------------------------- the Mark I
MARK1 = MarkI(random_state=0, epochs=3)
_IMAGES = np.zeros((4, 20, 20))
_IMAGES[0, :10] = 1
_IMAGES[1, 10:] = 1
_IMAGES[2, :, :10] = 1
_IMAGES[3, :, 10:] = 1
_TARGETS = np.array(["top", "bottom", "left", "right"])
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    MARK1.fit(_IMAGES, _TARGETS)


@st.composite
def bad_images(draw):
    kind = draw(st.sampled_from(["bad", "wrong_size", "flat", "good"]))
    n = draw(st.integers(1, 4))
    if kind == "bad":
        return draw(bad_arrays())
    if kind == "wrong_size":
        return np.zeros((n, draw(st.integers(1, 25)), draw(st.integers(1, 25))))
    if kind == "flat":
        return np.zeros((n, draw(st.sampled_from([399, 400, 401]))))
    return (np.arange(n * 400).reshape(n, 20, 20) % draw(st.integers(2, 7)) == 0).astype(float)


@FUZZ
@given(images=bad_images(), targets=st.one_of(bad_labels(4), st.just(_TARGETS)),
       method=st.sampled_from(["fit", "predict", "decision_function", "score", "transform"]))
def test_mark1_refuses_bad_images_and_targets(images, targets, method):
    def call():
        if method == "fit":
            m = MarkI(random_state=0, epochs=2)
            m._wiring, m._wiring_key = MARK1._wiring, MARK1._wiring_key      # skip re-wiring: the same plugboard
            return m.fit(images, targets).weights_
        if method == "score":
            return MARK1.score(images, targets)
        return getattr(MARK1, method)(images)
    check_call(f"MarkI.{method}", call, names=("X", "y"))


@FUZZ
@given(theta=hyper(st.integers(0, 5), max_int=10**6), eta=hyper(st.floats(0.1, 2)),
       epochs=hyper(st.integers(1, 3), max_int=3),
       coding=hyper(st.sampled_from(["one-hot", "binary"])), n_classes=st.integers(2, 12))
def test_mark1_hyperparameters_and_class_counts(theta, eta, epochs, coding, n_classes):
    m = MarkI(random_state=0, theta=theta, eta=eta, epochs=epochs, coding=coding)
    m._wiring, m._wiring_key = MARK1._wiring, MARK1._wiring_key
    images = np.zeros((n_classes, 20, 20))
    for k in range(n_classes):
        images[k].flat[k * 29 % 400: k * 29 % 400 + 20] = 1
    out = check_call("MarkI.hyperparameters", lambda: m.fit(images, np.arange(n_classes)).weights_,
                     names=("theta", "eta", "epochs", "coding", "y"))
    if not isinstance(out, Exception):
        assert set(m.predict(images).tolist()) <= set(range(n_classes))


@FUZZ
@given(n_exc=hyper(st.integers(0, 30), max_int=60), n_inh=hyper(st.integers(0, 30), max_int=60))
def test_mark1_wiring_counts(n_exc, n_inh):
    m = MarkI(random_state=0, n_excitatory=n_exc, n_inhibitory=n_inh)

    def call():
        if isinstance(n_exc, int) and isinstance(n_inh, int) and 0 <= n_exc + n_inh <= 60:
            # wiring 512 A-units takes a while: check the plugboard's own limits on a small board instead
            return wire_plugboard(np.random.default_rng(0), n_sensory=40, n_association=16, n_excitatory=n_exc,
                                  n_inhibitory=n_inh, max_fan_out=8)
        return m.connections
    out = check_call("MarkI.connections", call, names=("n_excitatory", "n_inhibitory"), finite_result=False)
    if isinstance(out, np.ndarray):
        assert np.all((out == 1).sum(axis=1) == n_exc) and np.all((out == -1).sum(axis=1) == n_inh)
