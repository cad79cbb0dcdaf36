"""Backpropagation through time for a plain recurrent net (Werbos 1990; RHW 1986 "unfolding").

The net: ``h_t = f(W_xh x_t + W_hh h_{t-1} + b_h)`` (``f`` tanh or logistic, ``h_0 = 0``) and
logistic outputs ``y_t = sigmoid(W_hy h_t + W_xy x_t + b_y)`` (``W_xy``, direct input-to-output
connections, only when present). The error is the 1986 paper's ``E = 1/2 sum_t sum_k (y - d)^2``
over the real (masked) steps.

Rumelhart, Hinton & Williams (1986, Nature, Fig. 5) unfold the net in time into a layered net
with one layer per step and the same weights in every layer (they average the gradients of the
copies of a weight; we sum them, the gradient of ``E``); Werbos (1990) gives the
backward pass: the error of ``h_t`` is what ``y_t`` sends back plus what ``h_{t+1}`` sends back,
and each weight's gradient is the sum of its gradients at every step.

Shapes: ``X (..., N, T, n_in)``; weights ``(..., out, in)``; any leading axes are independent nets.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from annhist.activations import derivative_from_output, get_activation, sigmoid
from annhist.recurrent.checks import swap

__all__ = ["bptt", "init_rnn", "rnn_forward", "rnn_loss"]


def init_rnn(shape: tuple[int, ...], n_in: int, n_hidden: int, n_out: int, init: float,
             rng: np.random.Generator, skip: bool = False) -> dict[str, np.ndarray]:
    """Weights uniform in ``[-init, init]``; ``shape`` is the leading axes (``()`` for one net)."""
    shapes = {"W_xh": (n_hidden, n_in), "W_hh": (n_hidden, n_hidden), "b_h": (1, n_hidden),
              "W_hy": (n_out, n_hidden), "b_y": (1, n_out)}
    if skip:
        shapes["W_xy"] = (n_out, n_in)
    return {k: rng.uniform(-init, init, (*shape, *s)) for k, s in shapes.items()}


def rnn_forward(X: np.ndarray, p: dict[str, np.ndarray], activation: str = "tanh") -> dict[str, np.ndarray]:
    """Run the net over ``X (..., N, T, n_in)``; returns hidden ``H`` and outputs ``Y`` (``..., N, T, .``)."""
    f = get_activation(activation).f
    T = X.shape[-2]
    lead = np.broadcast_shapes(X.shape[:-3], p["W_hh"].shape[:-2]) + X.shape[-3:-2]   # (..., N)
    h = np.zeros((*lead, p["W_hh"].shape[-1]))
    H = np.zeros((*lead, T, h.shape[-1]))
    Y = np.zeros((*lead, T, p["W_hy"].shape[-2]))
    for t in range(T):
        x = X[..., t, :]
        h = f(x @ swap(p["W_xh"]) + h @ swap(p["W_hh"]) + p["b_h"])          # the recurrent layer
        net_y = h @ swap(p["W_hy"]) + p["b_y"]
        if "W_xy" in p:
            net_y = net_y + x @ swap(p["W_xy"])                                 # direct connections
        H[..., t, :], Y[..., t, :] = h, sigmoid(net_y)
    return {"H": H, "Y": Y}


def rnn_loss(Y: np.ndarray, D: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """``E = 1/2 sum (y - d)^2`` over the masked steps, per net (summed over sequences)."""
    sq = 0.5 * np.sum((Y - D) ** 2, axis=-1)             # (..., N, T)
    if mask is not None:
        sq = sq * mask
    return np.sum(sq, axis=(-2, -1))


def bptt(X: np.ndarray, D: np.ndarray, p: dict[str, np.ndarray], activation: str = "tanh",
         mask: np.ndarray | None = None, cache: dict[str, np.ndarray] | None = None) -> dict[str, Any]:
    """Gradients of ``E`` with respect to every weight, by backpropagation through time.

    Returns ``{"grads": {name: dE/dname}, "delta_h": dE/dnet_h (..., N, T, n_hidden), "E": E}``.
    ``delta_h[..., t, :]`` is the error signal of the hidden layer at step ``t`` -- the quantity
    whose decay with the distance to the error is the vanishing gradient (Hochreiter 1991).
    """
    cache = cache or rnn_forward(X, p, activation)
    H, Y = cache["H"], cache["Y"]
    f_prime = derivative_from_output(activation)
    m = np.ones(X.shape[:-1]) if mask is None else np.asarray(mask, dtype=float)
    g = {k: np.zeros_like(v) for k, v in p.items()}
    delta_h = np.zeros_like(H)
    from_future = np.zeros_like(H[..., 0, :])            # dE/dh_t sent back by step t+1
    for t in reversed(range(X.shape[-2])):
        x, h = X[..., t, :], H[..., t, :]
        h_prev = H[..., t - 1, :] if t > 0 else np.zeros_like(h)
        d_y = (Y[..., t, :] - D[..., t, :]) * Y[..., t, :] * (1.0 - Y[..., t, :]) * m[..., t, None]
        g["W_hy"] += swap(d_y) @ h                        # dE/dW_hy = sum_t d_y h_t^T
        g["b_y"] += d_y.sum(axis=-2, keepdims=True)
        if "W_xy" in p:
            g["W_xy"] += swap(d_y) @ x
        d_net = (d_y @ p["W_hy"] + from_future) * f_prime(h)    # dE/dnet_h(t): now + later
        g["W_xh"] += swap(d_net) @ x
        g["W_hh"] += swap(d_net) @ h_prev                 # same W_hh in every unfolded layer
        g["b_h"] += d_net.sum(axis=-2, keepdims=True)
        from_future = d_net @ p["W_hh"]                   # error of h_{t-1} through W_hh
        delta_h[..., t, :] = d_net
    return {"grads": g, "delta_h": delta_h, "E": rnn_loss(Y, D, m)}
