"""Bad input to the 1958 milestone is refused naming the parameter; good input gives the same numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import within

from annhist import ConvergenceWarning
from annhist.datasets import retina_shapes
from annhist.perceptron import MarkI, wire_plugboard
from annhist.perceptron.capacity import MAX_COVER_TERMS, cover_count, cover_fraction, is_separable
from annhist.perceptron.experiments import novikoff_sweep, shift_sweep
from annhist.perceptron.explore import perceptron_steps
from annhist.perceptron.figures import perceptron_path
from annhist.perceptron.plugboard import response_codes

X = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]])
IMAGES, LABELS = retina_shapes(30, random_state=0)


@pytest.fixture(scope="module")
def mark():
    return MarkI(random_state=0, epochs=5).fit(IMAGES, LABELS)


@pytest.mark.parametrize("call, exc, param", [
    # item 1: the sum ran over all d terms (d = 10**12 never finished)
    (lambda: cover_count(10**5, 10**5), ValueError, "'N' and 'd'"),
    (lambda: cover_fraction(5000, 3000), ValueError, "'N' and 'd'"),
    (lambda: cover_count(10**19, 3), ValueError, "'N'"),
    (lambda: cover_fraction(0, 3), ValueError, "'N' parameter of cover_fraction"),
    # item 29: numpy's "could not convert string to float"; a 2-D y was flattened
    (lambda: is_separable(X, list("abab")), TypeError, "'y'"),
    (lambda: is_separable(X, [[-1, -1], [-1, 1]]), ValueError, "'y'"),
    (lambda: is_separable(X, None), TypeError, "'y'"),
    # items 5 and 26: an unknown coding was "binary"; 0 classes an OverflowError, -1 a numpy error
    (lambda: response_codes(3, "foo"), ValueError, "'coding'"),
    (lambda: response_codes(0, "binary"), ValueError, "'n_classes'"),
    (lambda: response_codes(-1, "one-hot"), ValueError, "'n_classes'"),
    (lambda: response_codes(2.0, "one-hot"), TypeError, "'n_classes'"),
    (lambda: response_codes(10**12, "binary", 64), ValueError, "'n_classes'"),
    (lambda: response_codes(3, "binary", 0), ValueError, "'n_response'"),
    # item 28: an int generator was an AttributeError
    (lambda: wire_plugboard("seed"), TypeError, "random_state"),
    (lambda: wire_plugboard(-1), ValueError, "random_state"),
    # item 29: numpy's "negative dimensions", "expected a sequence of integers"
    (lambda: novikoff_sweep(-1, 10, 2, random_state=0), ValueError, "'n_datasets'"),
    (lambda: novikoff_sweep(True, 10, 2, random_state=0), TypeError, "'n_datasets'"),
    (lambda: novikoff_sweep(2.0, 10, 2, random_state=0), TypeError, "'n_datasets'"),
    (lambda: novikoff_sweep(10**12, 10, 2, random_state=0), ValueError, "'n_datasets'"),
    # item 30 (minor): theta above every net input: no A-unit ever fired, training score 1/3
    (lambda: MarkI(theta=1e300, random_state=0, epochs=2).fit(IMAGES, LABELS), ValueError, "'theta'"),
    (lambda: MarkI(theta=11, random_state=0, epochs=2).fit(IMAGES, LABELS), ValueError, "'theta'"),
    (lambda: MarkI(theta=10.5, random_state=0, epochs=2).fit(IMAGES * 0, LABELS), ValueError, "'theta'"),
    # perceptron_path: epochs was unchecked ("abc": a TypeError from range)
    (lambda: perceptron_path(X, [0, 1, 1, 0], epochs="abc"), TypeError, "'epochs'"),
    (lambda: perceptron_path(X, [0, 1, 1, 0], epochs=0), ValueError, "'epochs'"),
])
def test_bad_input_is_refused_naming_the_parameter(call, exc, param):
    with pytest.raises(exc, match=param), within(20):
        call()


def test_shift_sweep_checks_its_model_and_shifts(mark):
    # AttributeError ('NoneType' object has no attribute 'score'), TypeError ('int' object is not iterable)
    with pytest.raises(TypeError, match="'model'"):
        shift_sweep(None, [0], n_test=6, random_state=0)
    with pytest.raises(TypeError, match="'shifts'"):
        shift_sweep(mark, 2, n_test=6, random_state=0)
    with pytest.raises(TypeError, match="'shifts'"):
        shift_sweep(mark, [0.5], n_test=6, random_state=0)
    with pytest.raises(ValueError, match="'n_test'"):
        shift_sweep(mark, [0], n_test=0, random_state=0)
    same = [shift_sweep(mark, s, n_test=6, random_state=1) for s in ([0, 2], np.arange(0, 3, 2), (0, 2))]
    np.testing.assert_array_equal(same[0], same[1])
    np.testing.assert_array_equal(same[0], same[2])


def test_cover_count_needs_only_min_n_d_terms():
    # d >= N: every dichotomy, 2**N, at once (d = 10**12 looped for ever)
    with within(5):
        assert cover_count(4, 10**12) == 16 == cover_count(4, 4)
        assert cover_fraction(10, 10**12) == 1.0
    # the largest sums allowed give the formula's exact integers
    for N, d in ((1000, 500), (10**12, 3), (MAX_COVER_TERMS, 10**9), (10**6, MAX_COVER_TERMS)):
        assert cover_count(N, d) == 2 * sum(math.comb(N - 1, k) for k in range(min(N, d)))
    assert cover_fraction(1000, 500) == 2 * sum(math.comb(999, k) for k in range(500)) / 2**1000


def test_is_separable_says_what_is_wrong_with_the_labels():
    # 0/1 labels were "must hold one label in {-1, +1} per row of X (4). Got 4 values." (4 labels for 4 rows)
    with pytest.raises(ValueError, match=r"'y'.*-1 and \+1.*2 \* y - 1.*\[0\.0, 1\.0\]"):
        is_separable(np.c_[X, np.ones(4)], [0, 1, 1, 0])
    with pytest.raises(ValueError, match=r"'y'.*one label per row of X \(4\)\. Got 3 labels"):
        is_separable(np.c_[X, np.ones(4)], [-1, 1, 1])


def test_good_input_gives_the_same_answers(mark):
    assert is_separable(np.c_[X, np.ones(4)], [-1, -1, -1, 1])
    assert is_separable(np.c_[X, np.ones(4)], np.array([[-1], [-1], [-1], [1]]))       # a column is still 1-D y
    assert not is_separable(np.c_[X, np.ones(4)], [-1, 1, 1, -1])
    np.testing.assert_array_equal(response_codes(3, "one-hot"), 2.0 * np.eye(3) - 1.0)
    np.testing.assert_array_equal(response_codes(5, "binary"), [[-1, -1, -1], [1, -1, -1], [-1, 1, -1],
                                                                  [1, 1, -1], [-1, -1, 1]])
    small = {"n_sensory": 40, "n_association": 16, "n_excitatory": 2, "n_inhibitory": 2, "max_fan_out": 8}
    a, b = wire_plugboard(np.random.default_rng(3), **small), wire_plugboard(3, **small)
    np.testing.assert_array_equal(a, b)                                   # an int seeds a Generator
    sweep = novikoff_sweep(2, 10, 2, random_state=0)
    np.testing.assert_allclose(sweep["bound"], [72.0778, 10.3580], rtol=1e-4)
    assert sweep["updates"].tolist() == [7, 2]
    assert mark.score(IMAGES, LABELS) == 1.0                              # theta = 2 on the retina: unchanged
    with pytest.warns(ConvergenceWarning):                                # theta = 10 is reachable: accepted
        assert MarkI(theta=10, random_state=0, epochs=2).fit(IMAGES, LABELS).theta == 10


def test_perceptron_path_stops_at_its_limit():
    # XOR makes four corrections an epoch for ever: epochs=10**9 never finished
    with pytest.raises(ValueError, match="'epochs'"), within(30):
        perceptron_steps(X, [0, 1, 1, 0], epochs=10**9)
    assert len(perceptron_steps(X, [0, 0, 0, 1])) == len(perceptron_path(X, [0, 0, 0, 1])) == 19
