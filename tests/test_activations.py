"""Activations: values, derivatives (central differences), numerical safety."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit

from annhist import activations as act

NAMES = list(act.ACTIVATIONS)


def test_sigmoid_matches_scipy_expit_over_a_wide_range():
    a = np.linspace(-700, 700, 2001)
    np.testing.assert_allclose(act.sigmoid(a), expit(a), rtol=1e-12, atol=0)


def test_hand_worked_values():
    # sigmoid(0) = 1/(1+1) = 0.5; sigmoid'(0) = 0.5 * 0.5 = 0.25
    assert act.sigmoid(0.0) == 0.5
    assert act.sigmoid_prime(0.0) == 0.25
    # tanh'(0) = 1 - 0^2 = 1; relu(-2) = 0, relu(3) = 3
    assert act.tanh_prime(0.0) == 1.0
    np.testing.assert_array_equal(act.relu(np.array([-2.0, 0.0, 3.0])), [0.0, 0.0, 3.0])
    # LeCun's f(1) = 1.7159 tanh(2/3) = 1.7159 * 0.582784... = 1.00000 (to 4 digits): f(+-1) = +-1
    assert act.lecun_tanh(1.0) == pytest.approx(1.0, abs=2e-4)
    assert act.lecun_tanh(-1.0) == pytest.approx(-1.0, abs=2e-4)


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_central_difference(name):
    f, fp = act.ACTIVATIONS[name].f, act.ACTIVATIONS[name].f_prime
    a = np.array([-3.1, -1.2, -0.4, 0.3, 0.9, 2.7])  # avoid relu's kink at 0
    h = 1e-6
    numeric = (f(a + h) - f(a - h)) / (2 * h)
    np.testing.assert_allclose(fp(a), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", NAMES)
@given(x=st.floats(min_value=-1e4, max_value=1e4, allow_nan=False))
@settings(max_examples=60, deadline=None)
def test_no_floating_point_error_and_finite_for_inputs_up_to_1e4(name, x):
    a = np.array([x, -1e4, 1e4, 0.0])
    with np.errstate(all="raise"):
        y = act.ACTIVATIONS[name].f(a)
        d = act.ACTIVATIONS[name].f_prime(a)
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(d))


def test_sigmoid_saturates_exactly_and_never_overflows():
    with np.errstate(all="raise"):
        s = act.sigmoid(np.array([-1e4, 1e4]))
    assert s[0] == 0.0 and s[1] == 1.0


def test_functions_do_not_modify_their_argument():
    a = np.array([-1.0, 0.5, 2.0])
    before = a.copy()
    for spec in act.ACTIVATIONS.values():
        spec.f(a)
        spec.f_prime(a)
    np.testing.assert_array_equal(a, before)
    assert act.identity(a) is not a


def test_step_and_sign():
    np.testing.assert_array_equal(act.step(np.array([-0.1, 0.0, 0.1])), [0.0, 1.0, 1.0])
    np.testing.assert_array_equal(act.sign(np.array([-0.1, 0.0, 0.1])), [-1.0, 1.0, 1.0])


def test_unknown_activation_lists_valid_names():
    with pytest.raises(ValueError, match=r"'activation'.*'sigmoid'.*Got 'softplus'"):
        act.get_activation("softplus")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activation_layer_kept_tanh_gives_the_same_bits(dtype):
    """LeCun's tanh keeps tanh(S a) for backward: output and gradient equal f(a), g * f'(a) bit for bit."""
    from annhist.activations import lecun_tanh, lecun_tanh_prime
    from annhist.layers import ActivationLayer

    rng = np.random.default_rng(0)
    a = (3 * rng.normal(size=(5, 3, 4, 4))).astype(dtype)
    g = rng.normal(size=a.shape).astype(dtype)
    layer = ActivationLayer("lecun_tanh")
    out = layer.forward(a)
    assert layer._kept is not None
    np.testing.assert_array_equal(out, lecun_tanh(a))
    np.testing.assert_array_equal(layer.backward(g), g * lecun_tanh_prime(a))
    np.testing.assert_array_equal(layer.backward(g.astype(np.float64)), g.astype(np.float64) * lecun_tanh_prime(a))
    np.testing.assert_array_equal(a, (3 * np.random.default_rng(0).normal(size=a.shape)).astype(dtype))  # input kept


def _two_exp_sigmoid(a):
    """The formula as first written: exp(min(a, 0)) / (1 + exp(-|a|)), two exponentials."""
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(a))
        num = np.exp(np.minimum(a, 0))
    return num / (e + 1.0)


_SPECIAL = [0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, -5e-324, 1e-300, -1e-300, 1e-45, -1e-45, 88.7, -88.7,
            103.9, -103.9, 745.2, -745.2, -746.0, 710.0, -710.0]


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=1, max_size=50),
       dtype=st.sampled_from(["float64", "float32"]))
def test_sigmoid_has_the_bits_of_the_two_exponential_formula(values, dtype):
    """sigmoid takes its numerator from the denominator's exponential (max(exp(-|a|), sign(a))) instead
    of a second exp(min(a, 0)): the same number, bit for bit, for every input -- subnormals, zeros of
    either sign, infinities, NaN where NaN (float32: checked for all 2^32 inputs when it was written)."""
    with np.errstate(over="ignore"):                         # float64 values beyond float32's range -> inf
        a = np.array(values + _SPECIAL, dtype=np.float64).astype(dtype)
    got, expected = act.sigmoid(a), _two_exp_sigmoid(a)
    assert got.dtype == expected.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    uint = np.uint64 if dtype == "float64" else np.uint32
    np.testing.assert_array_equal(got.view(uint)[~np.isnan(got)], expected.view(uint)[~np.isnan(expected)])


def test_sigmoid_of_a_number_is_a_number():
    for x in (0.0, -3.0, 2.5, np.float32(-1.5)):
        s = act.sigmoid(x)
        assert np.ndim(s) == 0 and s == _two_exp_sigmoid(np.asarray(x, dtype=getattr(x, "dtype", np.float64)))


def test_step_and_sign_keep_nan_and_read_every_real_input_as_before():
    # A NaN net input has no side of the threshold: it used to read as "off" (step 0, sign -1), silently.
    a = np.array([np.nan, -np.inf, -1e-300, -0.0, 0.0, 5e-324, np.inf])
    np.testing.assert_array_equal(act.step(a), [np.nan, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0])
    np.testing.assert_array_equal(act.sign(a), [np.nan, -1.0, -1.0, 1.0, 1.0, 1.0, 1.0])
    rng = np.random.default_rng(0)
    for x in (rng.normal(size=(7, 5)), rng.normal(size=9).astype(np.float32), np.arange(-3, 4)):
        assert act.step(x).dtype == np.float64 and act.sign(x).dtype == np.float64
        np.testing.assert_array_equal(act.step(x), (x >= 0).astype(float))
        np.testing.assert_array_equal(act.sign(x), np.where(x >= 0, 1.0, -1.0))
