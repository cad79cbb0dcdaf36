"""Fuzz the data loaders: classic tables, Iris, the 4x4 letters, the retina tasks, separable data."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from annhist.datasets import classic, retina, separable

letters = importlib.import_module("annhist.datasets.letters")   # the package exports a function of that name

from .strategies import FUZZ, bad_arrays, check_call, good_arrays, hyper, weird_scalar

pytestmark = pytest.mark.fuzz


def _xy_ok(out, n_rows=None):
    X, y = out
    assert X.ndim >= 2 and y.shape == (X.shape[0],) and np.all(np.isfinite(X))
    if n_rows is not None:
        assert X.shape[0] == n_rows


@FUZZ
@given(n=hyper(st.integers(1, 8), max_int=20), which=st.sampled_from(["binary_inputs", "parity", "symmetry"]))
def test_truth_tables(n, which):
    fn = getattr(classic, which)
    out = check_call(f"classic.{which}", lambda: fn(n), names=("n",), finite_result=False)
    if not isinstance(out, Exception):
        X = out if which == "binary_inputs" else out[0]
        assert X.shape == (2 ** n, n) and set(np.unique(X)) <= {0.0, 1.0}


@FUZZ
@given(name=st.one_of(st.sampled_from(["and", "or", "nand", "nor", "xor", "xnor", "AND", "xor "]), weird_scalar))
def test_logic_gate(name):
    out = check_call("classic.logic_gate", lambda: classic.logic_gate(name), names=("name",), finite_result=False)
    if not isinstance(out, Exception):
        _xy_ok(out, 4)


@FUZZ
@given(classes=st.one_of(st.none(), st.lists(st.sampled_from(["setosa", "versicolor", "virginica", "rose", ""]),
                                             max_size=3).map(tuple), weird_scalar),
       features=st.one_of(st.none(), st.lists(st.one_of(st.integers(-2, 5), weird_scalar), max_size=4).map(tuple),
                          weird_scalar))
def test_iris(classes, features):
    out = check_call("classic.iris", lambda: classic.iris(classes, features), names=("classes", "features"),
                     finite_result=False)
    if not isinstance(out, Exception):
        X, y = out
        assert X.ndim == 2 and y.shape == (X.shape[0],) and np.all(np.isfinite(X))


@FUZZ
@given(letter=st.one_of(st.sampled_from(list("TJGFLC") + ["t", "TT", "Q"]), weird_scalar),
       shift=hyper(st.integers(0, 1)))
def test_letter_pattern(letter, shift):
    out = check_call("letters.letter_pattern", lambda: letters.letter_pattern(letter, shift),
                     names=("letter", "shift"))
    if isinstance(out, np.ndarray):
        assert out.shape == (16,) and set(np.unique(out)) <= {-1.0, 1.0}


@FUZZ
@given(names=st.one_of(st.lists(st.one_of(st.sampled_from(list("TJGF")), weird_scalar), max_size=4).map(tuple),
                       weird_scalar, st.just("TJ")),
       shifts=hyper(st.booleans()))
def test_letters(names, shifts):
    out = check_call("letters.letters", lambda: letters.letters(names, shifts=shifts),
                     names=("names", "shifts", "letter"), finite_result=False)
    if not isinstance(out, Exception):
        _xy_ok(out)


@FUZZ
@given(X=st.one_of(bad_arrays(), good_arrays(n_features=16, low=-1, high=1)), n_flips=hyper(st.integers(0, 16)),
       random_state=hyper(st.integers(0, 5)))
def test_flip_pixels(X, n_flips, random_state):
    out = check_call("letters.flip_pixels", lambda: letters.flip_pixels(X, n_flips, random_state),
                     names=("X", "n_flips", "random_state"))
    if isinstance(out, np.ndarray):
        assert out.shape == np.shape(X)


@FUZZ
@given(which=st.sampled_from(["shapes", "letters", "left_right"]),
       n_samples=hyper(st.integers(1, 12), max_int=50), shift=hyper(st.integers(0, 6), max_int=50),
       offset=st.one_of(st.tuples(st.integers(-12, 12), st.integers(-12, 12)), weird_scalar,
                        st.tuples(weird_scalar, st.integers(0, 1))),
       noise=hyper(st.floats(0, 0.5)), size=hyper(st.integers(2, 10), max_int=50),
       choice=st.one_of(st.just(None), st.sampled_from(["square", "circle", "CEX", "", "Z", "x"]),
                        st.lists(st.sampled_from(["square", "circle", "hexagon"]), max_size=3), weird_scalar),
       random_state=hyper(st.integers(0, 5)))
def test_retina_tasks(which, n_samples, shift, offset, noise, size, choice, random_state):
    def call():
        if which == "shapes":
            kw = {} if choice is None else {"shapes": choice}
            return retina.retina_shapes(n_samples, size=size, shift=shift, offset=offset, noise=noise,
                                        random_state=random_state, **kw)
        if which == "letters":
            kw = {} if choice is None else {"letters": choice}
            return retina.retina_letters(n_samples, shift=shift, offset=offset, noise=noise,
                                         random_state=random_state, **kw)
        return retina.retina_left_right(n_samples, size=size, noise=noise, random_state=random_state)
    out = check_call(f"retina.{which}", call, finite_result=False,
                     names=("n_samples", "shift", "offset", "noise", "size", "shapes", "letters", "random_state"))
    if not isinstance(out, Exception):
        images, labels = out
        assert images.shape == (n_samples, 20, 20) and labels.shape == (n_samples,)
        assert set(np.unique(images)) <= {0.0, 1.0}


@FUZZ
@given(images=st.one_of(bad_arrays(), st.just(np.zeros((2, 20, 20))), st.just(np.zeros((3, 400))),
                        st.builds(np.zeros, st.tuples(st.integers(1, 3), st.integers(1, 25), st.integers(1, 25)))))
def test_flatten_retina(images):
    out = check_call("retina.flatten_retina", lambda: retina.flatten_retina(images), names=("images",))
    if isinstance(out, np.ndarray):
        assert out.shape == (np.shape(images)[0], 400)


@FUZZ
@given(name=st.one_of(st.sampled_from(["square", "circle", "triangle", "oval"]), weird_scalar),
       size=hyper(st.integers(2, 16)), letter=st.one_of(st.sampled_from(list("ACEFHJLOTX") + ["Z", "ab"]),
                                                          weird_scalar))
def test_draw(name, size, letter):
    check_call("retina.draw_shape", lambda: retina.draw_shape(name, size), names=("shapes", "size", "name"))
    check_call("retina.draw_letter", lambda: retina.draw_letter(letter), names=("letters", "letter"))


@FUZZ
@given(n_samples=hyper(st.integers(2, 50), max_int=500), n_features=hyper(st.integers(1, 6), max_int=200),
       margin=hyper(st.floats(0, 0.49)), random_state=hyper(st.integers(0, 5)))
def test_linearly_separable(n_samples, n_features, margin, random_state):
    def call():
        X, y = separable.linearly_separable(n_samples, n_features, margin=margin, random_state=random_state)
        assert X.shape == (n_samples, n_features) and set(np.unique(y)) == {-1, 1}
        assert np.all(np.abs(X) <= 1 + 1e-12)
        return X
    check_call("separable.linearly_separable", call, names=("n_samples", "n_features", "margin", "random_state"))


def test_digits_are_what_they_say():
    # No arguments to fuzz: the bundled digits load, finite, with labels 0..9.
    X, y = classic.digits()
    assert X.shape == (1797, 8, 8) and set(np.unique(y)) == set(range(10)) and np.all((X >= 0) & (X <= 16))


@FUZZ
@given(n_test=hyper(st.integers(0, 103), max_int=10**6), random_state=hyper(st.integers(0, 5)))
def test_family_tree_split(n_test, random_state):
    from annhist.datasets import family_tree_split

    def call():
        X_tr, Y_tr, X_te, Y_te, rows = family_tree_split(n_test, random_state)
        assert X_tr.shape == (104 - n_test, 36) and X_te.shape == (n_test, 36) and len(set(rows)) == n_test
        assert Y_tr.shape == (104 - n_test, 24) and Y_te.shape == (n_test, 24)
        return X_tr
    check_call("family_trees.family_tree_split", call, names=("n_test", "random_state"))


def test_family_tree_cases_are_what_they_say():
    from annhist.datasets import family_tree_cases

    X, Y, triples = family_tree_cases()
    assert X.shape == (104, 36) and Y.shape == (104, 24) and len(triples) == 104
    assert np.all(X.sum(axis=1) == 2) and np.all(Y.sum(axis=1) >= 1)      # one person, one relation; an answer
