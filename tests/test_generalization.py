"""Tests for annhist.mlp.generalization (validation split, learning curves, early stopping) and
annhist.layers.Dropout (Srivastava et al. 2014)."""

from __future__ import annotations

import numpy as np
import pytest

from annhist.layers import Dropout
from annhist.mlp import MLP
from annhist.mlp.generalization import early_stopping_epoch, learning_curves, train_validation_split
from annhist.optimizers import SGD


def test_split_is_a_partition():
    X = np.arange(40, dtype=float).reshape(20, 2)
    y = np.arange(20)
    Xtr, Xva, ytr, yva = train_validation_split(X, y, validation_fraction=0.25, random_state=0)
    assert len(yva) == 5 and len(ytr) == 15
    assert sorted(np.concatenate([ytr, yva]).tolist()) == list(range(20))
    np.testing.assert_array_equal(Xtr[:, 0], 2 * ytr)           # rows stay with their labels


def test_early_stopping_epoch_by_hand():
    v = [5.0, 4.0, 3.0, 3.5, 3.2, 3.1, 2.9, 3.0]
    assert early_stopping_epoch(v, patience=3) == 2            # 3.5, 3.2, 3.1: three without a new best
    assert early_stopping_epoch(v, patience=4) == 6            # waits long enough to see 2.9
    with pytest.raises(ValueError, match="patience"):
        early_stopping_epoch(v, 0)


def test_learning_curves_on_noisy_labels_overfit_and_restore_the_best_weights():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((120, 5))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    Xtr, Xva, ytr, yva = X[:40], X[40:], y[:40].copy(), y[40:]
    ytr[:10] = 1 - ytr[:10]                                    # 25 % label noise in training only
    net = MLP([5, 40, 2], loss="cross_entropy", init="xavier", random_state=0)
    c = learning_curves(net, Xtr, ytr, Xva, yva, epochs=300, every=10, optimizer=SGD(eta=0.5), batch_size=8)
    assert c["train_error"][-1] < c["train_error"][0]
    assert c["train_error"][-1] <= 0.1                         # it memorizes most of the wrong labels
    assert c["val_loss"][-1] > c["val_loss"].min()             # validation loss has risen again: overfitting
    best = int(np.argmin(c["val_loss"]))
    assert c["best_epoch"] == c["epoch"][best]
    assert net.error(Xva, yva) == pytest.approx(c["val_loss"][best])   # early stopping kept those weights


def test_dropout_training_and_inference():
    layer = Dropout(0.5, random_state=0)
    x = np.ones((2000, 50))
    out = layer.forward(x, training=True)
    assert set(np.unique(out)) <= {0.0, 2.0}                   # dropped, or kept and scaled by 1 / (1 - 0.5)
    assert abs(out.mean() - 1.0) < 0.01                        # the expected activity is unchanged
    g = layer.backward(np.ones_like(x))
    np.testing.assert_array_equal(g, out)                      # the same mask scales the gradient
    np.testing.assert_array_equal(layer.forward(x, training=False), x)
    np.testing.assert_array_equal(Dropout(0.0).forward(x), x)
    with pytest.raises(ValueError, match="'rate'"):
        Dropout(1.0)


def test_dropout_inside_sequential_backward_matches_finite_differences():
    from annhist.cnn.network import Sequential
    from annhist.layers import ActivationLayer, Dense

    net = Sequential([Dense(3, 4, init="xavier", random_state=0), ActivationLayer("tanh"),
                      Dropout(0.5, random_state=1), Dense(4, 1, init="xavier", random_state=2)], input_shape=(3,))
    x = np.random.default_rng(0).standard_normal((5, 3))
    drop = net.layers[2]
    out = net.forward(x, training=True)
    scale = drop._scale.copy()
    gx = net.backward(np.ones_like(out))

    def f(z):                                                   # the same mask, held fixed
        h = np.tanh(z @ net.layers[0].params["W"] + net.layers[0].params["b"]) * scale
        return float(np.sum(h @ net.layers[3].params["W"] + net.layers[3].params["b"]))

    eps = 1e-6
    num = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[i] = eps
        num[i] = (f(x + d) - f(x - d)) / (2 * eps)
    np.testing.assert_allclose(gx, num, rtol=1e-6, atol=1e-9)
