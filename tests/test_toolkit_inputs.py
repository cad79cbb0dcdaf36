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


def test_softmax_of_an_infinite_logit_is_its_limit():
    from annhist.losses import log_softmax, softmax
    # the shift by the max made inf - inf = NaN
    np.testing.assert_array_equal(softmax(np.array([[np.inf, 1.0]])), [[1.0, 0.0]])
    np.testing.assert_array_equal(softmax(np.array([[np.inf, np.inf, 0.0], [1.0, 1.0, 1.0]]))[0], [0.5, 0.5, 0.0])
    np.testing.assert_allclose(log_softmax(np.array([[np.inf, np.inf, 0.0]])), [[-np.log(2), -np.log(2), -np.inf]])
    assert softmax(np.array([[np.inf, 1.0]], dtype=np.float32)).dtype == np.float32
    with np.errstate(all="raise"):                                  # no floating-point warning on the way
        np.testing.assert_array_equal(softmax(np.array([[1.0, np.inf]])), [[0.0, 1.0]])
    assert np.all(np.isnan(softmax(np.array([[np.nan, 1.0]]))))     # NaN stays NaN: divergence is detected by it
    z = np.random.default_rng(0).normal(size=(4, 3))
    shifted = z - z.max(axis=1, keepdims=True)                      # finite logits: the same numbers as before
    np.testing.assert_array_equal(log_softmax(z), shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True)))


@pytest.mark.parametrize("d", [[[1.0, 0, 0], [2, -1, 0]], [[1.0, 0, 0], [0.5, 0.5, 1]], [[np.nan, 0, 1], [0, 1, 0]]])
def test_cross_entropy_refuses_target_rows_that_are_not_distributions(d):
    from annhist.losses import softmax_cross_entropy, softmax_cross_entropy_grad
    # [[2, -1, 0]] gave a loss (1.0986) and the gradient softmax - d of nothing
    for f in (softmax_cross_entropy, softmax_cross_entropy_grad):
        with pytest.raises(ValueError, match="'d' parameter must hold targets whose rows are distributions"):
            f(np.zeros((2, 3)), np.array(d))


def test_cross_entropy_takes_distributions_and_its_loop_kernel_does_not_check():
    from annhist.losses import softmax_cross_entropy, softmax_cross_entropy_value_and_grad
    z = np.random.default_rng(1).normal(size=(2, 3))
    soft = np.array([[0.2, 0.3, 0.5], [0.0, 1.0, 0.0]])
    assert softmax_cross_entropy(z, soft) == softmax_cross_entropy_value_and_grad(z, soft)[0]
    assert softmax_cross_entropy(z, np.array([2, 1])) == softmax_cross_entropy(z, np.eye(3)[[2, 1]])
    assert np.isfinite(softmax_cross_entropy_value_and_grad(z, np.array([[2.0, -1, 0], [0, 1, 0]]))[0])


def test_mlp_refuses_cross_entropy_targets_that_are_not_distributions():
    from annhist.mlp import MLP
    X = np.eye(3)
    net = MLP([3, 4, 3], loss="cross_entropy", random_state=0)
    with pytest.raises(ValueError, match="'Y' parameter of MLP must hold targets whose rows are distributions"):
        net.fit(X, np.array([[2.0, -1, 0], [0, 1, 0], [1, 0, 0]]), epochs=3, verbose=False)     # trained silently
    assert net.fit(X, np.eye(3), epochs=3, verbose=False).error(X, np.eye(3)) == 1.0892464071078582
    assert net.error(X, np.array([0, 1, 2])) == 1.0892464071078582


def test_cross_entropy_of_no_cases_is_zero_as_before():
    # The distribution check took np.min of an empty array: "zero-size array to reduction operation minimum".
    from annhist import losses

    assert losses.softmax_cross_entropy(np.zeros((0, 3)), np.zeros((0, 3)), reduction="mean") == 0.0
    assert losses.softmax_cross_entropy_grad(np.zeros((0, 3)), np.zeros((0, 3))).shape == (0, 3)
