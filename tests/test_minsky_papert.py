"""Linear separability by LP with exact certificates, Minsky-Papert order, and the perceptron's cycle."""

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annhist.datasets.classic import binary_inputs, parity
from annhist.perceptron import Perceptron, fold_bias, rosenblatt_epoch
from annhist.perceptron.cycling import perceptron_cycle
from annhist.xor.boolean_functions import best_linear_accuracy, separable_functions
from annhist.xor.minsky_papert import mask_features, mask_name, masks, order_lp, parity_order, predicate_order
from annhist.xor.separability import farkas_multipliers, pm_labels, separate, verify_certificate, verify_separator

X2 = binary_inputs(2)                                    # (0,0), (0,1), (1,0), (1,1)
XOR = np.array([0, 1, 1, 0])


# ----------------------------------------------------------------------------- separability
def test_xor_lp_is_infeasible_with_the_all_ones_certificate():
    sep = separate(X2, XOR)
    assert not sep.feasible and sep.weights is None
    # Rows a_i = y_i (x1, x2, 1):  (0,0,-1), (0,1,1), (1,0,1), (-1,-1,-1).
    assert sep.A.tolist() == [[-0.0, -0.0, -1.0], [0, 1, 1], [1, 0, 1], [-1, -1, -1]]
    # Their sum is (0, 0, 0) while the right sides add to 1+1+1+1 = 4: "0 >= 4".
    assert sep.multipliers == (1, 1, 1, 1)
    assert np.array_equal(np.array(sep.multipliers) @ sep.A, np.zeros(3))
    words = sep.in_words()
    assert "0 >= 4" in words and "-w1 - w2 - b >= 1" in words and "w2 + b >= 1" in words


def test_the_xor_certificate_is_unique_up_to_scale():
    # lam @ A = 0 reads: bias -l0 + l1 + l2 - l3 = 0, x1: l2 - l3 = 0, x2: l1 - l3 = 0 => all equal.
    A = separate(X2, XOR).A
    for lam in itertools.product(range(3), repeat=4):
        ok = verify_certificate(A, lam)
        assert ok == (len(set(lam)) == 1 and lam[0] > 0), lam


def test_verify_certificate_rejects_wrong_multipliers():
    A = separate(X2, XOR).A
    assert not verify_certificate(A, [1, 1, 1, 0])      # leaves -(w1 + w2 + b) ... uncancelled
    assert not verify_certificate(A, [0, 0, 0, 0])      # sum must be > 0
    assert not verify_certificate(A, [-1, -1, -1, -1])  # multipliers must be >= 0
    assert not verify_certificate(A, [Fraction(1, 3)] * 3)   # wrong length
    assert verify_certificate(A, [Fraction(1, 4)] * 4)


def test_and_is_separable_and_the_separator_is_verified():
    sep = separate(X2, [0, 0, 0, 1])
    assert sep.feasible and sep.multipliers is None
    pred = (X2 @ sep.weights + sep.bias > 0).astype(int)
    assert pred.tolist() == [0, 0, 0, 1]
    assert verify_separator(sep.A, np.append(sep.weights, sep.bias))
    assert not verify_separator(sep.A, [0.0, 0.0, 0.0])   # w = 0 separates nothing
    assert "Feasible" in sep.in_words()


def _grid_separable() -> set[tuple[int, ...]]:
    """Independent reference: the functions computed by integer weights in -2..2, thresholds k + 1/2."""
    found = set()
    for w1, w2 in itertools.product(range(-2, 3), repeat=2):
        for theta in np.arange(-2.5, 3.0, 1.0):
            found.add(tuple(int(v) for v in (X2 @ [w1, w2] > theta)))
    return found


def test_separable_functions_are_14_of_16_all_but_xor_and_xnor():
    rows = separable_functions(2)
    assert len(rows) == 16
    assert sum(r["feasible"] for r in rows) == 14
    assert [r["name"] for r in rows if not r["feasible"]] == ["XOR", "XNOR"]
    reference = _grid_separable()
    assert len(reference) == 14
    for r in rows:
        assert r["feasible"] == (tuple(r["outputs"]) in reference), r["name"]
        if r["feasible"]:
            pred = (X2 @ np.array(r["weights"]) + r["bias"] > 0).astype(int)
            assert pred.tolist() == r["outputs"]
        else:
            assert r["certificate"] == [1, 1, 1, 1] and r["certificate_sum"] == 4


def test_best_linear_accuracy_on_xor_is_three_of_four():
    acc, best = best_linear_accuracy(X2, XOR)
    assert acc == 0.75
    assert len(best) == 4                                # flip any one of the four points
    assert sorted(int(np.sum(np.array(z) != XOR)) for z in best) == [1, 1, 1, 1]
    assert best_linear_accuracy(X2, [0, 0, 0, 1])[0] == 1.0


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3)), min_size=2, max_size=7, unique=True),
       st.data())
def test_exactly_one_of_separator_and_certificate_exists(points, data):
    """Farkas' alternative: the LP answer is either a verified separator or a verified certificate."""
    X = np.array(points, dtype=float)
    y = np.array(data.draw(st.lists(st.sampled_from([-1, 1]), min_size=len(points), max_size=len(points))))
    sep = separate(X, y)
    if sep.feasible:
        assert verify_separator(sep.A, np.append(sep.weights, sep.bias))
        assert farkas_multipliers(sep.A) is None
    else:
        assert verify_certificate(sep.A, sep.multipliers)


def test_bad_labels_and_shapes_are_refused():
    with pytest.raises(ValueError, match="'y' parameter of separate"):
        separate(X2, [0, 1, 2, 0])
    with pytest.raises(ValueError, match="same number of samples"):
        separate(X2, [0, 1, 1])
    with pytest.raises(ValueError, match="'names' parameter"):
        separate(X2, XOR, names=["a"])
    assert pm_labels([0, 1, 1, 0]).tolist() == [-1, 1, 1, -1]
    assert pm_labels([-1, 1]).tolist() == [-1, 1]


# ----------------------------------------------------------------------------- Minsky-Papert order
def test_masks_and_their_features():
    assert masks(3, 2) == [(), (0,), (1,), (2,), (0, 1), (0, 2), (1, 2)]    # 1 + 3 + 3 = 7
    assert len(masks(6, 6)) == 64
    Phi = mask_features([[1, 0, 1], [1, 1, 1]], [(), (0,), (0, 2), (0, 1, 2)])
    # (1,0,1): 1, x1 = 1, x1 x3 = 1, x1 x2 x3 = 0;  (1,1,1): all 1.
    assert Phi.tolist() == [[1, 1, 1, 0], [1, 1, 1, 1]]
    assert mask_name((0, 2)) == "a[x1 x3]" and mask_name(()) == "a[1]"


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_parity_has_order_n(n):
    p = parity_order(n)
    assert p.order == n and p.n_masks == 2 ** n
    assert p.certificate_uniform and len(p.certificate) == 2 ** n
    X, y = parity(n)
    assert not order_lp(X, y, n - 1).feasible and order_lp(X, y, n).feasible


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_uniform_multipliers_cancel_every_small_mask(n):
    """Why the certificate is uniform: sum_x (-1)^|x| prod_{i in S} x_i = 0 unless S is everything.

    The sum over x with S all on is sum over the other n - |S| bits of (-1)^(|S| + their count),
    which is 0 when at least one bit is free.
    """
    X, y = parity(n)
    sign = np.where(y > 0, 1, -1)
    for T in masks(n, n):
        total = int(np.sum(sign * mask_features(X, [T])[:, 0]))
        assert total == (0 if len(T) < n else (-1) ** (n + 1)), T    # only x = (1, ..., 1) is left
    Phi = mask_features(X, masks(n, n - 1))
    assert verify_certificate(sign[:, None] * Phi, [1] * 2 ** n)


def test_predicate_order_of_small_predicates():
    X3 = binary_inputs(3)
    assert predicate_order(X3, X3.sum(axis=1) >= 2) == 1          # majority: one threshold unit
    assert predicate_order(X3, X3.min(axis=1)) == 1                # AND
    assert predicate_order(X3, (X3[:, 0] + X3[:, 1]) % 2) == 2     # XOR of two, third ignored
    assert predicate_order(X3, np.zeros(8)) == 0                   # a constant needs no mask but [1]


def test_order_functions_refuse_bad_input():
    with pytest.raises(ValueError, match="'n' parameter of masks"):
        masks(0, 0)
    with pytest.raises(ValueError, match="'k' parameter of masks"):
        masks(3, 4)
    with pytest.raises(ValueError, match="only 0 and 1"):
        mask_features([[0.5, 1]], [(0,)])
    with pytest.raises(TypeError, match="'n' parameter of parity_order"):
        parity_order(2.0)


# ----------------------------------------------------------------------------- the perceptron's cycle
def test_xor_cycle_by_hand():
    cyc = perceptron_cycle(X2, XOR)
    # From w = (w1, w2, b) = 0, in order, a mistake is y (w . x + b) <= 0:
    # (0,0) y=-1: 0 -> mistake, w = (0,0,-1); (0,1) y=+1: -1 -> mistake, w = (0,1,0);
    # (1,0) y=+1: 0 -> mistake, w = (1,1,1); (1,1) y=-1: -3 -> mistake, w = (0,0,0): back to the start.
    assert cyc.states.tolist() == [[0, 0, 0], [0, 0, -1], [0, 1, 0], [1, 1, 1], [0, 0, 0]]
    assert cyc.samples.tolist() == [0, 1, 2, 3]
    assert not cyc.converged
    assert (cyc.cycle_start, cyc.period_updates, cyc.period_epochs) == (0, 4, 1)
    assert cyc.max_norm == pytest.approx(np.sqrt(3))          # |(1, 1, 1)|


def test_cycle_agrees_with_the_perceptron_estimator():
    with pytest.warns(Warning):
        clf = Perceptron(epochs=7).fit(X2, XOR)
    cyc = perceptron_cycle(X2, XOR)
    assert not clf.converged_
    end = cyc.states[cyc.epoch_ends[-1]]
    for w, b in zip(clf.history_["weights"], clf.history_["bias"]):    # every epoch ends where it started
        assert np.array_equal(np.append(w, b), end)


def test_separable_data_converges_without_a_cycle():
    cyc = perceptron_cycle(X2, [0, 0, 0, 1])
    clf = Perceptron(epochs=100).fit(X2, [0, 0, 0, 1])
    assert cyc.converged and cyc.cycle_start is None and cyc.period_updates is None
    assert cyc.cycle_states.shape == (0, 3)
    assert np.array_equal(cyc.states[-1], np.append(clf.weights_, clf.bias_))


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.integers(-2, 2), st.integers(-2, 2)), min_size=3, max_size=6, unique=True),
       st.data())
def test_detected_cycles_really_repeat(points, data):
    X = np.array(points, dtype=float)
    y = np.array(data.draw(st.lists(st.sampled_from([0, 1]), min_size=len(points), max_size=len(points))))
    if np.unique(y).size < 2:
        return
    cyc = perceptron_cycle(X, y, epochs=300)
    assert cyc.max_norm == pytest.approx(np.max(np.linalg.norm(cyc.states, axis=1)))
    if cyc.cycle_start is None:
        return
    assert not separate(X, y).feasible                      # only non-separable data cycles
    w = cyc.states[cyc.cycle_start]
    Xa, y_pm = fold_bias(X), np.where(y == 1, 1.0, -1.0)
    for _ in range(cyc.period_epochs):
        w, _ = rosenblatt_epoch(Xa, y_pm, w, method="loop")
    assert np.array_equal(w, cyc.states[cyc.cycle_start])


def test_perceptron_cycle_refuses_bad_order():
    with pytest.raises(ValueError, match="'order' parameter of perceptron_cycle"):
        perceptron_cycle(X2, XOR, order=[0, 0, 1, 2])
    with pytest.raises(ValueError, match="'eta' parameter of perceptron_cycle"):
        perceptron_cycle(X2, XOR, eta=0)
