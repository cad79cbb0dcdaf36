"""LeCun's diagonal Gauss-Newton curvature and the SDLM step."""

import numpy as np
import pytest

from annhist.cnn import Conv2d, Flatten, Sequential, lecun1989, lenet5, lenet5_input
from annhist.cnn.heads import LOSSES, pm1_targets
from annhist.cnn.rbf import RBF
from annhist.cnn.sdlm import SDLM, diagonal_hessian
from annhist.layers import Dense


def second_differences(net, X, labels, n_checks=8, eps=1e-4, seed=0):
    """(E(w + e) - 2 E(w) + E(w - e)) / e^2 for a few weights of every parameter array."""
    value = LOSSES[net.loss][0]
    d = pm1_targets(labels, net.n_classes)
    rng = np.random.default_rng(seed)
    out = []
    for layer in net.layers:
        for name, p in layer.params.items():
            mask = getattr(layer, "mask", None)
            cand = np.flatnonzero(mask) if name == "W" and mask is not None else np.arange(p.size)
            picks = rng.choice(cand, size=min(n_checks, cand.size), replace=False)
            vals = []
            for flat in picks:
                i = np.unravel_index(flat, p.shape)
                old = p[i]
                e0 = value(net.forward(X), labels, d)
                p[i] = old + eps
                up = value(net.forward(X), labels, d)
                p[i] = old - eps
                down = value(net.forward(X), labels, d)
                p[i] = old
                vals.append((i, (up - 2 * e0 + down) / eps ** 2))
            out.append(vals)
    return out


@pytest.mark.parametrize("layers, shape", [
    ([Dense(6, 4, random_state=0)], (6,)),
    ([Conv2d(3, 4, 3, stride=2, padding=1, pad_value=-1.0, bias="unshared", input_size=(7, 7),
             table=[[1, 0, 1, 1], [1, 1, 0, 1], [0, 1, 1, 1]], init=("uniform", 0.5), random_state=0),
      Flatten()], (3, 7, 7)),
])
def test_gauss_newton_diagonal_is_exact_for_a_single_layer(layers, shape):
    """With a squared error and outputs linear in the weights, the diagonal estimate is exact."""
    rng = np.random.default_rng(1)
    n_out = int(np.prod(Sequential(layers, input_shape=shape).shapes_[-1]))
    net = Sequential(layers, input_shape=shape, loss="mse")
    X = rng.normal(size=(5, *shape))
    labels = rng.integers(0, n_out, 5)
    hs = diagonal_hessian(net, X, labels)
    k = 0
    for vals in second_differences(net, X, labels):
        for i, num in vals:
            assert np.isclose(hs[k][i], num, rtol=1e-4, atol=1e-9)
        k += 1


@pytest.mark.parametrize("scale", [0.3, 3.0])
def test_the_map_criterion_curvature_at_the_rbf_inputs_is_exact(scale):
    """LeNet-5's head: eq. (9) on RBF penalties, behind one linear layer. The criterion's exact diagonal at the
    RBF units' inputs (their penalties' own curvature included) makes the estimate exact for the layer's
    weights, both where the classes share the softmax (scale 0.3) and where every penalty is large beside j
    (scale 3: the Gauss-Newton step through the RBF units gave about 0 there, the exact value about 2 x^2)."""
    rng = np.random.default_rng(4)
    centres = rng.choice([-1.0, 1.0], size=(4, 5)) * scale
    net = Sequential([Dense(6, 5, init=("uniform", scale), random_state=0), RBF(centres)], input_shape=(6,),
                     loss="rbf_map")
    X = rng.normal(size=(5, 6))
    labels = np.array([0, 1, 2, 3, 1])
    hs = diagonal_hessian(net, X, labels)
    for k, vals in enumerate(second_differences(net, X, labels, eps=1e-3)):
        for i, num in vals:
            assert np.isclose(hs[k][i], num, rtol=1e-5, atol=1e-9)
    penalties = net.forward(X)
    if scale < 1:
        assert penalties.min() < 3                              # some exp(-y_i) count beside exp(-10)
    else:
        assert penalties.min() > 25                             # none does: the penalties' own curvature,
        np.testing.assert_allclose(hs[1], 2.0, rtol=1e-6)       # 2 per pattern for each bias (mean over N)


def test_curvature_is_nonnegative_for_every_layer_and_loss():
    X = lenet5_input(np.random.default_rng(2).uniform(-1, 1, size=(4, 16, 16)))
    for head in ("rbf", "softmax"):
        net = lenet5(random_state=0, head=head)
        hs = diagonal_hessian(net, X, np.array([0, 1, 2, 3]))
        params = [p for layer in net.layers for p in layer.params.values()]
        assert [h.shape for h in hs] == [p.shape for p in params]
        assert all(np.all(h >= 0) for h in hs) and all(np.any(h > 0) for h in hs)


def test_the_table_weights_get_no_curvature():
    net = lecun1989(random_state=0)
    X = np.random.default_rng(3).uniform(-1, 1, size=(3, 1, 16, 16))
    hs = diagonal_hessian(net, X, np.array([1, 2, 3]))
    assert np.all(hs[2][net.layers[2].mask == 0] == 0)


def test_sdlm_trains_and_uses_per_weight_steps():
    from sklearn.datasets import load_digits

    d = load_digits()
    X = np.kron(d.images[:300], np.ones((1, 2, 2))) / 8.0 - 1.0
    net = lecun1989(random_state=0)
    net.optimizer = SDLM(eps=2e-3, mu=0.02, n_patterns=100, random_state=0)
    net.fit(X, d.target[:300], epochs=3)
    assert net.history_["train_error"][-1] < 0.5 < 0.9          # chance is 0.9
    assert net.history_["train_loss"][-1] < net.history_["train_loss"][0]
    steps = [net.optimizer.eta / (net.optimizer.mu + s["h"]) for s in net.optimizer.state]
    assert steps[0].max() <= 2e-3 / 0.02 and steps[-2].min() < steps[0].max()   # the output layer steps less


def test_sdlm_refuses_bad_settings_and_a_missing_estimate():
    with pytest.raises(ValueError, match="'mu' parameter of SDLM must be > 0. Got 0"):
        SDLM(mu=0)
    with pytest.raises(TypeError, match="'n_patterns' parameter of SDLM must be an int"):
        SDLM(n_patterns=2.5)
    opt = SDLM()
    with pytest.raises(RuntimeError, match="needs before_epoch"):
        opt.state = [{}]
        opt.step([np.zeros(2)], [np.ones(2)])
