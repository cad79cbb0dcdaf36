"""Bad input to the 1969 milestone is refused naming the parameter; good input gives the same numbers."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import within

from annhist.datasets.classic import parity
from annhist.xor import mask_features, masks, order_lp, separable_functions
from annhist.xor.invariance import computes, switch_figures, symmetric_group, symmetrize, window_features, window_lp
from annhist.xor.minsky_papert import mask_name

X = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]])
T2 = masks(2, 2)
PHI = mask_features(X, T2)
ALPHA = np.array([-1.0, 2, 2, -4])                               # XOR of order 2: 2 x1 + 2 x2 - 4 x1 x2 > 1
Y = np.array([0, 1, 1, 0])


IMAGES = (np.random.default_rng(0).random((18, 2, 2)) > 0.5).astype(float)


@pytest.mark.parametrize("call, exc, param", [
    # item 2: 2**(2**n) LPs (n = 4 took 259 s, 5 never finished)
    (lambda: separable_functions(5), ValueError, "'n_inputs'"),
    (lambda: separable_functions(4), ValueError, "'n_inputs'"),
    (lambda: separable_functions(2.0), TypeError, "'n_inputs'"),
    # item 3: 2**m subsets per window position (18 pictures took 52 s)
    (lambda: window_features(IMAGES, 1, 1), ValueError, "'images'"),
    (lambda: window_lp(IMAGES, np.arange(18) % 2, 1, 1), ValueError, "'images'"),
    # item 12: a length mismatch answered False; a negative index read the last column
    (lambda: computes(ALPHA, PHI, Y[:3]), ValueError, "'y'"),
    (lambda: computes(ALPHA[:3], PHI, Y), ValueError, "'alpha'"),
    (lambda: computes(ALPHA, PHI, [0, 1, 2, 0]), ValueError, "'y'"),
    (lambda: computes(ALPHA, PHI, np.array(list("abab"))), TypeError, "'y'"),
    (lambda: mask_features(X, [(-1,)]), ValueError, "'Ts'"),
    # item 27: IndexErrors
    (lambda: mask_features(X, [(0.5,)]), TypeError, "'Ts'"),
    (lambda: mask_features(X, "a"), TypeError, "'Ts'"),
    (lambda: symmetrize(np.arange(4.0), T2, [(0,)]), ValueError, "'group'"),
    (lambda: symmetrize(np.arange(4.0), T2, [(0, 5)]), ValueError, "'group'"),
    # item 22: the mean over an empty group was NaN
    (lambda: symmetrize(np.arange(4.0), T2, []), ValueError, "'group'"),
    (lambda: symmetrize(np.arange(4.0), T2, "ab"), TypeError, "'group'"),
    (lambda: symmetrize(np.arange(2.0), [0, 1], symmetric_group(2)), TypeError, "'Ts'"),
    (lambda: symmetrize(np.arange(4.0), [(), (0,), (0,), (1,)], symmetric_group(2)), ValueError, "'Ts'"),
    # leftovers: 'can only concatenate str (not "int") to str'; "'int' object is not iterable"; (-1,) was 'a[x0]'
    (lambda: mask_name("ab"), TypeError, "'T'"),
    (lambda: mask_name(3), TypeError, "'T'"),
    (lambda: mask_name((0.5,)), TypeError, "'T'"),
    (lambda: mask_name((-1,)), ValueError, "'T'"),
])
def test_bad_input_is_refused_naming_the_parameter(call, exc, param):
    with pytest.raises(exc, match=param), within(20):
        call()


def test_good_input_gives_the_same_answers():
    assert [mask_name(T) for T in ((), (0, 2), [np.int64(1)])] == ["a[1]", "a[x1 x3]", "a[x2]"]
    assert computes(ALPHA, PHI, Y) and computes(ALPHA, PHI, 2 * Y - 1) and computes(ALPHA, PHI, Y.astype(bool))
    assert not computes(-ALPHA, PHI, Y)
    np.testing.assert_array_equal(mask_features(X, [(), (0,), (1,), (0, 1)]), [[1, 0, 0, 0], [1, 0, 1, 0],
                                                                               [1, 1, 0, 0], [1, 1, 1, 1]])
    np.testing.assert_array_equal(mask_features(X, [(np.int64(1),), [0, 1]]), PHI[:, [2, 3]])
    np.testing.assert_array_equal(symmetrize(np.array([1.0, 2, 3, 4]), T2, symmetric_group(2)), [1, 2.5, 2.5, 4])
    X4, y4 = parity(4)
    T4 = masks(4, 4)
    beta = symmetrize(order_lp(X4, y4, 4).weights, T4, symmetric_group(4))
    assert computes(beta, mask_features(X4, T4), y4)
    rows = separable_functions(2)
    assert [r["name"] for r in rows if not r["feasible"]] == ["XOR", "XNOR"]
    assert sum(r["feasible"] for r in separable_functions(3)) == 104          # the 104 threshold functions of 3
    pictures, connected = switch_figures(length=11)
    assert not window_lp(pictures, connected, 7, 12).feasible and window_lp(pictures, connected, 7, 17).feasible
    assert window_features(IMAGES[:12], 1, 1).shape[0] == 12                 # 4 positions x 2**12: allowed


def test_parity_part_refuses_n_max_before_any_linear_program():
    # parity_part(n_max=10**9) solved the LPs for n = 2..10 (seconds) before parity_order refused n = 11.
    from annhist.xor.parts import parity_part

    with within(1), pytest.raises(ValueError, match=r"The 'n_max' parameter of parity_part must be <= 10"):
        parity_part(10 ** 9)
    assert [r["order"] for r in parity_part(3)] == [2, 3]
