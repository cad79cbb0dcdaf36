"""Mutation audit, round 2: the toolkit (optimizers, layers, initializers) and the CNN.

Each test fails on a small wrong version of the code (a dropped term, a sign flip, ``<`` for ``<=``)
that the rest of the suite let pass; the mutant it kills is named in its docstring, the arithmetic
is in the comments.
"""

import numpy as np
import pytest

from annhist.cnn import Conv2d, Sequential, Subsampling
from annhist.initializers import initialize
from annhist.layers import ActivationLayer, Dense, Dropout
from annhist.optimizers import AdaGrad


# ----------------------------------------------------------------------------- AdaGrad (Duchi et al. 2011)
def test_adagrad_adds_epsilon_to_the_root():
    """Kills: AdaGrad's ``+ epsilon`` dropped from the denominator (no test used an epsilon that shows)."""
    # w = 0, g = 1, epsilon = 1: G = 1, w <- 0 - 1 * 1 / (sqrt(1) + 1) = -0.5 (without epsilon: -1).
    w = np.zeros(1)
    AdaGrad(eta=1.0, epsilon=1.0).step([w], [np.ones(1)])
    assert w[0] == -0.5
    # A weight whose gradient has been 0 so far: 0 / (0 + epsilon) = 0, not 0 / 0 = NaN.
    w = np.zeros(2)
    AdaGrad(eta=1.0).step([w], [np.array([0.0, 2.0])])
    assert w[0] == 0.0 and np.isfinite(w).all()


# ----------------------------------------------------------------------------- Dense (RHW 1986)
def test_dense_forward_and_gradients_by_hand_and_by_central_differences():
    """Kills: ``a = x W - b`` and dE/dW halved (the MLP trains through its own flat kernels, so the
    layer's backward was only ever compared with itself)."""
    layer = Dense(2, 2, random_state=0)
    layer.params["W"][...] = [[1.0, 2.0], [3.0, 4.0]]
    layer.params["b"][...] = [0.5, -1.0]
    x = np.array([[1.0, -1.0]])
    # a = (1*1 - 1*3 + 0.5, 1*2 - 1*4 - 1) = (-1.5, -3)
    np.testing.assert_array_equal(layer.forward(x), [[-1.5, -3.0]])
    rng = np.random.default_rng(1)
    x, R = rng.normal(size=(4, 2)), rng.normal(size=(4, 2))
    E = lambda: float(np.sum(layer.forward(x) * R))             # E = sum a * R: dE/da = R
    layer.forward(x)
    dx = layer.backward(R)
    for name, p in layer.params.items():
        num = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            old = p[i]
            p[i] = old + 1e-6
            up = E()
            p[i] = old - 1e-6
            num[i] = (up - E()) / 2e-6
            p[i] = old
        np.testing.assert_allclose(layer.grads[name], num, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(dx, R @ layer.params["W"].T)


# ----------------------------------------------------------------------------- Dropout (Srivastava et al. 2014)
def test_dropout_keeps_each_unit_with_probability_one_minus_rate():
    """Kills: the mask drawn as ``random < rate`` (keep with probability ``rate``): at rate 0.5 the two
    are alike, and that was the only rate tested."""
    layer = Dropout(0.2, random_state=0)
    out = layer.forward(np.ones((200, 100)))
    kept = out != 0
    assert abs(kept.mean() - 0.8) < 0.01                         # 20,000 draws: sd 0.003
    np.testing.assert_allclose(out[kept], 1 / 0.8)
    np.testing.assert_allclose(layer.backward(np.ones((200, 100))), out)


# ----------------------------------------------------------------------------- initializers
def test_xavier_range_uses_fan_in_plus_fan_out():
    """Kills: ``initialize("xavier", ...)`` passing fan_in for fan_out (Glorot & Bengio 2010, eq. 16)."""
    # fan_in 1, fan_out 23: r = sqrt(6 / 24) = 0.5 (sqrt(6 / 2) = 1.73 with fan_in twice).
    w = initialize("xavier", np.random.default_rng(0), (4000,), 1, 23)
    assert np.abs(w).max() <= 0.5 and np.abs(w).max() > 0.49


def test_subsampling_coefficient_starts_within_lecuns_range_for_four_inputs():
    """Kills: the subsampling coefficient drawn with fan-in 1 instead of the window's k*k = 4 inputs:
    LeCun's uniform +-2.4/F gives +-0.6, not +-2.4."""
    coef = Subsampling(2000, 2, random_state=0).params["coef"]
    assert np.abs(coef).max() <= 0.6 and np.abs(coef).max() > 0.59


# ----------------------------------------------------------------------------- Conv2d
def test_conv_connections_without_a_bias_count_no_bias_line():
    """Kills: ``count_connections`` adding a bias line to every unit of a map with ``bias="none"``."""
    # 1 map of 5x5 read by a 3x3 kernel: 3x3 = 9 units of 9 inputs; + 1 bias line each when there is a bias.
    assert Conv2d(1, 1, 3, bias="none").count_connections((1, 5, 5)) == 81
    assert Conv2d(1, 1, 3).count_connections((1, 5, 5)) == 90


def test_conv_without_propagate_returns_no_input_gradient():
    """Kills: ``propagate=False`` ignored (the first layer of a net then computed dE/dx for nothing)."""
    layer = Conv2d(1, 2, 3, random_state=0)
    a = layer.forward(np.ones((2, 1, 5, 5)))
    assert layer.backward(np.ones_like(a)).shape == (2, 1, 5, 5)
    layer.propagate = False
    layer.forward(np.ones((2, 1, 5, 5)))
    assert layer.backward(np.ones_like(a)) is None
    assert layer.grads["W"].shape == (2, 1, 3, 3)


# ----------------------------------------------------------------------------- Sequential.fit
def _small_net(shuffle=False, batch_size=1, eta=0.05):
    layers = [Dense(4, 3, random_state=1), ActivationLayer("tanh"), Dense(3, 2, random_state=2)]
    return Sequential(layers, input_shape=(4,), eta=eta, batch_size=batch_size, epochs=1, shuffle=shuffle,
                      random_state=7)


def test_sequential_shuffle_presents_the_patterns_in_a_permutation():
    """Kills: ``shuffle=True`` ignored, and the per-pattern slice taken at the unshuffled position
    (the pattern of one place trained on the label of another)."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(6, 4)), np.array([0, 1, 1, 0, 1, 0])
    shuffled = _small_net(shuffle=True).fit(X, y)
    # The same net trained without shuffling on the data in the order of the fit's first permutation:
    # the fit's generator is default_rng(7) and draws nothing before it.
    perm = np.random.default_rng(7).permutation(6)
    assert not np.array_equal(perm, np.arange(6))
    by_hand = _small_net(shuffle=False).fit(X[perm], y[perm])
    for a, b in zip(shuffled.layers, by_hand.layers):
        for k in a.params:
            np.testing.assert_array_equal(a.params[k], b.params[k])
    plain = _small_net(shuffle=False).fit(X, y)
    assert not np.array_equal(plain.layers[0].params["W"], shuffled.layers[0].params["W"])


@pytest.mark.parametrize("batch_size", [1, 2, 4])
def test_sequential_history_loss_is_the_mean_over_patterns(batch_size):
    """Kills: the epoch's loss not divided by the number of patterns, and the batch losses (means over
    their patterns) summed without their sizes."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(4, 4)), np.array([0, 1, 1, 0])
    net = _small_net(batch_size=batch_size, eta=1e-12)           # the weights barely move during the epoch
    before = net.evaluate(X, y)["loss"]
    net.fit(X, y)
    np.testing.assert_allclose(net.history_["loss"][0], before, rtol=1e-9)
