"""A large mini-batch trained as two halves (annhist.cnn.shards.SHARD_MIN): the same step as one
batch to rounding, the same bits on one BLAS thread as on two, and never for a layer that may not be
copied (Dropout)."""

import numpy as np
import pytest

from annhist import threads
from annhist.cnn import Conv2d, Flatten, Subsampling, lenet5
from annhist.cnn.network import Sequential
from annhist.cnn.shards import SHARD_MIN, shard_min, twins_of
from annhist.layers import ActivationLayer, Dense, Dropout


def small_net(dtype="float64", dropout=False, seed=0):
    layers = [Conv2d(1, 4, 3, random_state=seed), ActivationLayer("lecun_tanh"), Subsampling(4, random_state=seed + 3),
              Flatten(), Dense(4 * 3 * 3, 5, random_state=seed + 1)]
    if dropout:
        layers.insert(4, Dropout(0.25, random_state=seed + 2))
    return Sequential(layers, input_shape=(1, 8, 8), loss="mse", eta=0.05, batch_size=2 * shard_min(dtype),
                      dtype=dtype, random_state=seed)


def data(n, dtype="float64", seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 1, 8, 8)).astype(dtype), rng.integers(0, 5, n)


def one_step(net, X, y, *, halves):
    """One update on the whole of X, as two halves or as one batch; the layers' gradients."""
    from annhist.cnn.network import pm1_targets

    slots = [(layer, k) for layer in net.layers for k in layer.params]
    params = [layer.params[k] for layer, k in slots]
    D = pm1_targets(y, net.n_classes).astype(net.dtype)
    net._train_step(X, y, D, twins_of(net.layers) if halves else None, slots, params)
    return [layer.grads[k].copy() for layer, k in slots], [p.copy() for p in params]


def test_the_threshold_is_the_same_bytes_in_both_precisions():
    assert shard_min("float64") == SHARD_MIN
    assert shard_min("float32") == 2 * SHARD_MIN


@pytest.mark.parametrize("dtype,tol", [("float64", 1e-12), ("float32", 2e-5)])
def test_two_halves_give_the_one_batch_gradient_and_step(dtype, tol):
    X, y = data(2 * shard_min(dtype) + 1, dtype)        # an odd batch: halves of n // 2 and the rest
    g_one, w_one = one_step(small_net(dtype), X, y, halves=False)
    g_two, w_two = one_step(small_net(dtype), X, y, halves=True)
    assert all(np.abs(g).max() > 0 for g in g_one)      # (a real gradient, not zeros)
    for a, b in zip(g_two, g_one):
        assert a.dtype == np.dtype(dtype)
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol * np.abs(b).max())
    for a, b in zip(w_two, w_one):
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


def test_the_halves_are_the_same_bits_on_one_and_two_threads(monkeypatch):
    """On two BLAS threads the halves run at once; on one, one after the other: the same numbers."""
    X, y = data(2 * SHARD_MIN)
    runs, real = [], threads._pool
    for n_threads in (1, 2):
        monkeypatch.setattr("annhist.cnn.shards.blas_threads", lambda n=n_threads: n)
        calls = []
        monkeypatch.setattr(threads, "_pool", lambda w: calls.append(w) or real(w))
        net = small_net()
        net.fit(X, y, epochs=3)
        runs.append([p.copy() for layer in net.layers for p in layer.params.values()])
        assert bool(calls) == (n_threads == 2)           # the second thread was used only with two
    for a, b in zip(*runs):
        np.testing.assert_array_equal(a, b)


def test_lenet5_batch_64_float64_is_split_and_agrees_with_one_batch():
    net = lenet5(0, batch_size=64)
    assert twins_of(net.layers) is not None
    rng = np.random.default_rng(1)
    X = rng.uniform(-0.1, 1.175, size=(64, 1, 32, 32))
    y = rng.integers(0, 10, 64)
    g_two, _ = one_step(net, X, y, halves=True)
    g_one, _ = one_step(lenet5(0, batch_size=64), X, y, halves=False)
    for a, b in zip(g_two, g_one):
        np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-13)


def test_a_net_with_dropout_is_never_split():
    net = small_net(dropout=True)
    assert twins_of(net.layers) is None
    X, y = data(2 * SHARD_MIN)
    net.fit(X, y, epochs=1)                             # trains, as one batch
    assert np.isfinite(net.history_["loss"][0])
    with pytest.raises(TypeError, match="Dropout cannot be copied"):
        Dropout(0.5).shard_copy()


def test_a_shard_copy_shares_the_weights_not_the_gradients_or_scratch():
    conv = Conv2d(1, 2, 3, random_state=0)
    conv.forward(np.ones((2, 1, 5, 5)), training=True)
    conv.backward(np.ones((2, 2, 3, 3)))
    twin = conv.shard_copy()
    assert twin.params is conv.params and twin.params["W"] is conv.params["W"]
    assert twin.grads == {} and conv.grads
    assert twin._cols_last is None and twin._dcols is None and conv._cols_last is not None


def test_run_pair_keeps_the_errstate_and_raises_either_error():
    def root(x):
        return np.sqrt(np.array([x]))

    with np.errstate(invalid="raise"):
        with pytest.raises(FloatingPointError):
            threads.run_pair(root, (4.0,), (-1.0,), parallel=True)     # the pooled thread's error
        with pytest.raises(FloatingPointError):
            threads.run_pair(root, (-1.0,), (4.0,), parallel=True)     # the caller's
    a, b = threads.run_pair(root, (4.0,), (9.0,), parallel=True)
    assert (a[0], b[0]) == (2.0, 3.0)


def test_blas_limited_restores_the_thread_count():
    before = threads.blas_threads()
    with threads.blas_limited(1):
        assert threads.blas_threads() == 1
    assert threads.blas_threads() == before
