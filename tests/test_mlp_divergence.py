"""When fit diverges it puts the net back as it was before fit: weights, epoch count and history."""

from __future__ import annotations

import numpy as np
import pytest

from annhist.mlp import MLP
from annhist.optimizers import SGD
from annhist.validation import DivergenceError

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)
Y = np.array([[0], [1], [1], [0]], float)


def _one_epoch_net():
    net = MLP([2, 3, 1], activation="relu", output_activation="identity", random_state=0)
    net.fit(X, Y, optimizer=SGD(0.01), epochs=1, verbose=False)
    return net


@pytest.mark.parametrize("eta", [1e3, 1e6])
def test_a_warm_fit_that_diverges_leaves_weights_epochs_and_history_as_they_were(eta):
    # The weights were restored, but n_epochs_ and history_ kept the epochs that diverged (5 of them, say),
    # contradicting n_epochs_'s docstring ("epochs of weight updates since the weights were initialized").
    net = _one_epoch_net()
    weights, history = [p.copy() for p in net.params_], {k: list(v) for k, v in net.history_.items()}
    with pytest.raises(DivergenceError, match=r"diverged at epoch (\d{2})"):   # after several epochs, not the first
        net.fit(X, Y, optimizer=SGD(eta), epochs=50, warm_start=True, verbose=False, validation_data=(X, Y))
    assert net.n_epochs_ == 1 and net.history_ == history and "val_loss" not in net.history_
    assert all(np.array_equal(a, b) for a, b in zip(weights, net.params_))


def test_a_fresh_fit_that_diverges_leaves_no_epochs():
    net = MLP([2, 3, 1], activation="relu", output_activation="identity", random_state=0)
    with pytest.raises(DivergenceError):
        net.fit(X, Y, optimizer=SGD(1e3), epochs=50, verbose=False)
    assert net.n_epochs_ == 0 and net.history_ == {"loss": [], "max_error": []}


def test_a_fit_that_does_not_diverge_keeps_its_history():
    net = _one_epoch_net()
    net.fit(X, Y, optimizer=SGD(0.01), epochs=3, warm_start=True, verbose=False, validation_data=(X, Y))
    assert net.n_epochs_ == 4 and len(net.history_["loss"]) == 4 and len(net.history_["val_loss"]) == 3
