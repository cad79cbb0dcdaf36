"""Fuzz the 1969 milestone: linear separability by LP, Minsky-Papert order, the perceptron's cycle, landscapes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from annhist.mlp import landscapes
from annhist.optimizers import SGD, Adam, Momentum
from annhist.perceptron.cycling import perceptron_cycle
from annhist.xor import boolean_functions, minsky_papert, separability

from .strategies import FUZZ, bad_arrays, bad_labels, check_call, finite, good_arrays, hyper, weird_scalar

pytestmark = pytest.mark.fuzz

X_XOR = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


@st.composite
def points_and_labels(draw, binary: bool = False):
    """(X, y) with one thing wrong, or nothing (small integer points, labels 0/1)."""
    what = draw(st.sampled_from(["X", "y", "none", "none", "pm"]))
    n = draw(st.integers(1, 6))
    d = draw(st.integers(1, 3))
    hi = 1 if binary else 3
    X = np.asarray(draw(st.lists(st.lists(st.integers(0 if binary else -hi, hi), min_size=d, max_size=d),
                                 min_size=n, max_size=n)), dtype=float)
    y = np.asarray(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    if what == "pm":
        y = 2 * y - 1
    if what == "X":
        X = draw(bad_arrays())
    if what == "y":
        y = draw(st.one_of(bad_labels(n), st.just(np.full(n, 2)), st.just(np.arange(n) - 1)))
    return X, y


@FUZZ
@given(Xy=points_and_labels(), bias=hyper(st.booleans()),
       names=st.one_of(st.none(), st.lists(st.text(max_size=3), max_size=4), weird_scalar))
def test_separate(Xy, bias, names):
    X, y = Xy

    def call():
        sep = separability.separate(X, y, bias=bias, names=names)
        # Whatever it answers is verified exactly: a separator, or Farkas multipliers.
        if sep.feasible:
            assert separability.verify_separator(sep.A, list(sep.weights) + ([sep.bias] if bias else []))
        else:
            assert separability.verify_certificate(sep.A, sep.multipliers)
        return sep.to_dict()
    check_call("separability.separate", call, names=("X", "y", "bias", "names"), finite_result=False)


@FUZZ
@given(Xy=points_and_labels())
def test_best_linear_accuracy(Xy):
    X, y = Xy

    def call():
        acc, best = boolean_functions.best_linear_accuracy(X, y)
        assert 0.5 <= acc <= 1.0 and best
        return acc
    check_call("boolean_functions.best_linear_accuracy", call, names=("X", "y"))


@FUZZ
@given(A=st.one_of(good_arrays(low=-3, high=3), bad_arrays()),
       lam=st.one_of(st.lists(st.integers(-1, 3), max_size=6), weird_scalar, st.lists(weird_scalar, max_size=3)),
       w=st.one_of(st.lists(finite, max_size=4), weird_scalar))
def test_verify_functions_answer_true_false_or_refuse(A, lam, w):
    out = check_call("separability.verify_certificate", lambda: separability.verify_certificate(A, lam),
                     finite_result=False, names=("A", "lam"))
    assert isinstance(out, (bool, Exception))
    out = check_call("separability.verify_separator", lambda: separability.verify_separator(A, w),
                     finite_result=False, names=("A", "w"))
    assert isinstance(out, (bool, Exception))
    out = check_call("separability.farkas_multipliers", lambda: separability.farkas_multipliers(A),
                     finite_result=False, names=("A",))
    if isinstance(out, tuple):
        assert separability.verify_certificate(np.asarray(A), out)


@FUZZ
@given(n=hyper(st.integers(1, 2), max_int=3))
def test_separable_functions(n):
    out = check_call("boolean_functions.separable_functions", lambda: boolean_functions.separable_functions(n),
                     finite_result=False, names=("n_inputs", "n"))
    if isinstance(out, list):
        assert len(out) == 2 ** (2 ** n)


@FUZZ
@given(n=hyper(st.integers(1, 5), max_int=16), k=hyper(st.integers(0, 5), max_int=16))
def test_masks(n, k):
    out = check_call("minsky_papert.masks", lambda: minsky_papert.masks(n, k), finite_result=False, names=("n", "k"))
    if isinstance(out, list):
        assert len(set(out)) == len(out) and all(len(T) <= k for T in out)


@FUZZ
@given(Xy=points_and_labels(binary=True), Ts=st.one_of(st.just([(), (0,), (0, 1)]), st.just([(5,)]),
                                                       st.lists(st.tuples(st.integers(0, 3)), max_size=3)),
       k=hyper(st.integers(0, 3), max_int=16))
def test_order_functions(Xy, Ts, k):
    X, y = Xy
    check_call("minsky_papert.mask_features", lambda: minsky_papert.mask_features(X, Ts), names=("X", "Ts"))
    check_call("minsky_papert.order_lp", lambda: minsky_papert.order_lp(X, y, k).to_dict(), finite_result=False,
               names=("X", "y", "k"))
    out = check_call("minsky_papert.predicate_order", lambda: minsky_papert.predicate_order(X, y),
                     finite_result=False, names=("X", "y"))
    if isinstance(out, int):
        assert 0 <= out <= np.asarray(X).shape[1]


@FUZZ
@given(n=hyper(st.integers(1, 4), max_int=7))       # n = 9 and 10 are valid but take seconds
def test_parity_order(n):
    out = check_call("minsky_papert.parity_order", lambda: minsky_papert.parity_order(n).to_dict(),
                     finite_result=False, names=("n",))
    if isinstance(out, dict):
        assert out["order"] == n


@FUZZ
@given(Xy=points_and_labels(), eta=hyper(st.floats(0.1, 3)), epochs=hyper(st.integers(1, 30), max_int=100),
       order=st.one_of(st.none(), st.lists(st.integers(-1, 6), max_size=6), bad_arrays()))
def test_perceptron_cycle(Xy, eta, epochs, order):
    X, y = Xy

    def call():
        cyc = perceptron_cycle(X, y, eta=eta, epochs=epochs, order=order)
        assert cyc.converged or cyc.cycle_start is not None or cyc.n_epochs == epochs
        return cyc.states
    check_call("cycling.perceptron_cycle", call, names=("X", "y", "eta", "epochs", "order"))


@FUZZ
@given(opt=st.one_of(st.sampled_from(["sgd", "momentum", "adam"]), weird_scalar), eta=st.floats(1e-4, 10),
       which=st.sampled_from(sorted(landscapes.LANDSCAPES)), w0=st.one_of(st.lists(finite, min_size=2, max_size=2),
                                                                         bad_arrays(), weird_scalar),
       steps=hyper(st.integers(1, 50), max_int=200))
def test_descend(opt, eta, which, w0, steps):
    classes = {"sgd": SGD, "momentum": Momentum, "adam": Adam}
    optimizer = classes[opt](eta=eta) if isinstance(opt, str) and opt in classes else opt
    _, grad, _ = landscapes.LANDSCAPES[which]

    def call():
        path = landscapes.descend(optimizer, grad, w0, steps)
        assert path.shape == (steps + 1, 2)
        return path
    check_call("landscapes.descend", call, names=("optimizer", "w0", "steps"))
