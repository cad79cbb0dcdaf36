"""Bad input to the shared numerical toolkit (initializers, losses, optimizers): refused with the parameter's name."""

import numpy as np
import pytest

from annhist import initializers


@pytest.mark.parametrize("call, exc, needle", [
    (lambda rng: initializers.lecun_uniform(rng, (2, 2), 0), ValueError, "'fan_in' parameter of lecun_uniform"),
    (lambda rng: initializers.lecun_uniform(rng, (2, 2), -3), ValueError, "'fan_in' parameter of lecun_uniform"),
    (lambda rng: initializers.xavier_uniform(rng, (2, 2), 0, 0), ValueError, "'fan_in' parameter of xavier"),
    (lambda rng: initializers.xavier_uniform(rng, (2, 2), 2, -2), ValueError, "'fan_out' parameter of xavier"),
    (lambda rng: initializers.he_normal(rng, (2, 2), 0), ValueError, "'fan_in' parameter of he_normal"),
    (lambda rng: initializers.he_normal(rng, (2, 2), -4), ValueError, "'fan_in' parameter of he_normal"),
    (lambda rng: initializers.he_normal(rng, (2, 2), 2.0), TypeError, "'fan_in' parameter of he_normal"),
    (lambda rng: initializers.initialize("he", rng, (2, 2), 0, 0), ValueError, "'fan_in'"),
    (lambda rng: initializers.initialize("lecun", rng, (2, 2), 0, 2), ValueError, "'fan_in'"),
    (lambda rng: initializers.uniform(rng, (2, 2), -1.0), ValueError, "'r' parameter of uniform"),
    (lambda rng: initializers.uniform(rng, (2, 2), np.nan), ValueError, "'r' parameter of uniform"),
    (lambda rng: initializers.uniform(rng, (-2, 2), 1.0), ValueError, "'shape' parameter of uniform"),
    (lambda rng: initializers.uniform(rng, [2, 2], 1.0), TypeError, "'shape' parameter of uniform"),
    (lambda rng: initializers.lecun_uniform("abc", (2, 2), 2), TypeError, "'rng' parameter of lecun_uniform"),
    (lambda rng: initializers.lecun_uniform(-1, (2, 2), 2), ValueError, "'rng' parameter of lecun_uniform"),
])
def test_initializers_refuse_bad_fans_ranges_shapes_and_generators(call, exc, needle):
    # fan_in 0 was a ZeroDivisionError, fan_in -4 NaN weights, r < 0 numpy's "high - low < 0"
    with pytest.raises(exc, match=needle):
        call(np.random.default_rng(0))


def test_initializers_draw_the_same_numbers_as_before():
    def draw(f, *args):
        return f(np.random.default_rng(3), (3, 4), *args)
    rng = np.random.default_rng(3)
    np.testing.assert_array_equal(draw(initializers.lecun_uniform, 5), rng.uniform(-2.4 / 5, 2.4 / 5, size=(3, 4)))
    rng = np.random.default_rng(3)
    np.testing.assert_array_equal(draw(initializers.he_normal, 5), rng.normal(0.0, np.sqrt(2.0 / 5), size=(3, 4)))
    rng = np.random.default_rng(3)
    r = np.sqrt(6.0 / 9)
    np.testing.assert_array_equal(draw(initializers.xavier_uniform, 5, 4), rng.uniform(-r, r, size=(3, 4)))
    rng = np.random.default_rng(3)
    np.testing.assert_array_equal(draw(initializers.uniform, 0.3), rng.uniform(-0.3, 0.3, size=(3, 4)))


def test_initializers_take_an_int_seed_as_the_rest_of_annhist():
    # an int was an AttributeError ('int' object has no attribute 'uniform')
    np.testing.assert_array_equal(initializers.initialize("lecun", 0, (2, 2), 2, 2),
                                  initializers.initialize("lecun", np.random.default_rng(0), (2, 2), 2, 2))
