"""The gradient of :func:`annhist.recurrent.bptt.bptt` for Task 2a's nets, with its arrays allocated once.

Why it is fast: :func:`~annhist.recurrent.lags.train_rnn_lag` asks for the gradient of one short
sequence per net thousands of times; each step of :func:`~annhist.recurrent.bptt.bptt` and
:func:`~annhist.recurrent.bptt.rnn_forward` is a dozen small numpy calls that allocate their
results, plus the per-call checks of :func:`annhist.activations.sigmoid`, and each call also
stacks the error signals and the loss, which training does not read. Here the sequences, the
activations and the gradients live in buffers made once, each call writes into one (``out=``),
the logistic is its five operations on buffers, and only the gradients are computed.

The numbers do not change: every product is the same ``matmul`` on operands of the same shapes
and layouts as in ``bptt`` (views of ``(K, 1, T, .)`` arrays for the stored steps, contiguous
``(K, 1, .)`` arrays for the running ones), every elementwise result the same IEEE operations in
the same order, the same ``sum`` over the sequence axis; the product with the mask (all ones)
is skipped, as ``x * 1.0`` is ``x``. The tests compare the two with ``==``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from annhist.recurrent.lstm_task2a_fast import _sigmoid_into

__all__ = ["lag_gradients"]


def _forward(p: dict[str, np.ndarray], X: np.ndarray, H: np.ndarray, Y: np.ndarray) -> Callable[[], None]:
    """``forward()``: :func:`~annhist.recurrent.bptt.rnn_forward` (logistic units) of ``X`` into ``H, Y``."""
    (K, _, T, _), n_h, n_out = X.shape, H.shape[-1], Y.shape[-1]
    w_xh, w_hh, w_hy, w_xy = (p[k].swapaxes(-1, -2) for k in ("W_xh", "W_hh", "W_hy", "W_xy"))
    b_h, b_y = p["b_h"], p["b_y"]
    a_x, a_h, h_a, h_b = (np.zeros((K, 1, n_h)) for _ in range(4))
    net_y, direct = np.zeros((K, 1, n_out)), np.zeros((K, 1, n_out))
    steps = [(X[..., t, :], H[..., t, :], Y[..., t, :]) for t in range(T)]
    sigmoid_h, sigmoid_y = _sigmoid_into(a_x.shape), _sigmoid_into(net_y.shape)
    matmul, add = np.matmul, np.add

    def forward() -> None:
        h, h_next = h_a, h_b
        h[...] = 0.0
        for x, h_t, y_t in steps:
            matmul(x, w_xh, out=a_x)
            matmul(h, w_hh, out=a_h)
            add(a_x, a_h, a_x)
            add(a_x, b_h, a_x)
            sigmoid_h(a_x, h_next)                           # the recurrent layer
            h, h_next = h_next, h
            h_t[...] = h
            matmul(h, w_hy, out=net_y)
            add(net_y, b_y, net_y)
            matmul(x, w_xy, out=direct)
            add(net_y, direct, net_y)                        # direct connections
            sigmoid_y(net_y, y_t)
    return forward


def lag_gradients(p: dict[str, np.ndarray], X2: np.ndarray, D2: np.ndarray) -> Callable[[np.ndarray], dict]:
    """``grads(which)``: ``bptt(X2[which][:, None], D2[which][:, None], p, "sigmoid")["grads"]`` for
    nets with direct connections, ``p`` read as it is at each call; the returned arrays are reused."""
    K, (_, T, n_in), n_h, n_out = p["W_hh"].shape[0], X2.shape, p["W_hh"].shape[-1], D2.shape[-1]
    X, D, H, Y = (np.zeros((K, 1, T, n)) for n in (n_in, n_out, n_h, n_out))
    forward, g = _forward(p, X, H, Y), {k: np.zeros_like(v) for k, v in p.items()}
    w_hy, w_hh, g_hy, g_by, g_xy, g_xh, g_hh, g_bh = p["W_hy"], p["W_hh"], *(g[k] for k in (
        "W_hy", "b_y", "W_xy", "W_xh", "W_hh", "b_h"))
    (d_y, tmp_y, s_y), one_y = (np.zeros((K, 1, n_out)) for _ in range(3)), np.ones((K, 1, n_out))
    (d_net, tmp_h, slope, future, s_h), one_h = (np.zeros((K, 1, n_h)) for _ in range(5)), np.ones((K, 1, n_h))
    o_hy, o_xy, o_xh, o_hh = np.zeros(g_hy.shape), np.zeros(g_xy.shape), np.zeros(g_xh.shape), np.zeros(g_hh.shape)
    steps = [(X[..., t, :], H[..., t, :], H[..., t - 1, :] if t else np.zeros((K, 1, n_h)), Y[..., t, :],
              D[..., t, :]) for t in reversed(range(T))]
    d_y_t, d_net_t = d_y.swapaxes(-1, -2), d_net.swapaxes(-1, -2)
    matmul, mul, add, sub = np.matmul, np.multiply, np.add, np.subtract

    def grads(which: np.ndarray) -> dict:
        np.take(X2, which, axis=0, out=X[:, 0])
        np.take(D2, which, axis=0, out=D[:, 0])
        forward()
        for a in (*g.values(), future):
            a[...] = 0.0
        for x, h, h_prev, y, d in steps:
            sub(y, d, d_y)
            mul(d_y, y, d_y)
            sub(one_y, y, tmp_y)
            mul(d_y, tmp_y, d_y)                             # (y - d) y (1 - y)
            add(g_hy, matmul(d_y_t, h, out=o_hy), g_hy)
            add(g_by, d_y.sum(axis=-2, keepdims=True, out=s_y), g_by)
            add(g_xy, matmul(d_y_t, x, out=o_xy), g_xy)
            matmul(d_y, w_hy, out=tmp_h)
            add(tmp_h, future, tmp_h)                        # now + later
            sub(one_h, h, slope)
            mul(h, slope, slope)                             # f'(net) = h (1 - h)
            mul(tmp_h, slope, d_net)
            add(g_xh, matmul(d_net_t, x, out=o_xh), g_xh)
            add(g_hh, matmul(d_net_t, h_prev, out=o_hh), g_hh)
            add(g_bh, d_net.sum(axis=-2, keepdims=True, out=s_h), g_bh)
            matmul(d_net, w_hh, out=future)                  # error of h(t-1) through W_hh
        return g
    return grads
