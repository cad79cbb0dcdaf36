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

import math
import numbers
from typing import Any

import numpy as np

from annhist.activations import derivative_from_output, get_activation, sigmoid
from annhist.layers import MAX_WEIGHTS
from annhist.recurrent.checks import (
    check_init,
    check_params,
    check_run,
    check_sequences,
    check_shape,
    check_step_mask,
    check_targets,
    checked_by,
    swap,
)
from annhist.validation import check_random_state, check_scalar, short_repr

__all__ = ["bptt", "init_rnn", "rnn_forward", "rnn_loss"]


def _shapes(n_in: int, n_hidden: int, n_out: int, skip: bool) -> dict[str, tuple[int, int]]:
    shapes = {"W_xh": (n_hidden, n_in), "W_hh": (n_hidden, n_hidden), "b_h": (1, n_hidden),
              "W_hy": (n_out, n_hidden), "b_y": (1, n_out)}
    if skip:
        shapes["W_xy"] = (n_out, n_in)
    return shapes


def init_rnn(shape: tuple[int, ...], n_in: int, n_hidden: int, n_out: int, init: float,
             rng: Any, skip: bool = False) -> dict[str, np.ndarray]:
    """Weights uniform in ``[-init, init]``; ``shape`` is the leading axes (``()`` for one net).

    ``rng``: None, an int seed or a Generator. At most ``MAX_WEIGHTS`` weights in all.
    """
    own = "init_rnn"
    check_shape(shape, owner=own)
    for name, n in (("n_in", n_in), ("n_hidden", n_hidden), ("n_out", n_out)):
        check_scalar(n, name, owner=own, kind=numbers.Integral, min_val=1)
    if not isinstance(skip, (bool, np.bool_)):
        raise TypeError(f"The 'skip' parameter of {own} must be a bool. Got {short_repr(skip)} instead.")
    init = check_init(init, owner=own)
    shapes = _shapes(n_in, n_hidden, n_out, skip)
    total = math.prod(int(n) for n in shape) * sum(int(a) * int(b) for a, b in shapes.values())
    if total > MAX_WEIGHTS:
        raise ValueError(f"The 'n_hidden' and 'shape' parameters of {own} ask for {total:,} weights; at most "
                         f"{MAX_WEIGHTS:,}. Got n_hidden={n_hidden}, shape={shape} instead.")
    rng = check_random_state(rng, owner=own, name="rng")
    return {k: rng.uniform(-init, init, (*shape, *s)) for k, s in shapes.items()}


def _check_net(X: Any, p: Any, owner: str) -> tuple[np.ndarray, tuple[int, ...], int]:
    """``X (..., N, T, n_in)`` and the weights of :func:`init_rnn`; returns X, the nets' axes (..., N), n_out."""
    check_params(p, {}, owner=owner)                                      # a dict
    for k in ("W_xh", "W_hy"):                                            # their sizes give the others'
        if not isinstance(p.get(k), np.ndarray) or p[k].ndim < 2:
            raise ValueError(f"The 'p' parameter of {owner} must hold {k!r}, an array (..., rows, columns). "
                             f"Got {short_repr(p.get(k))} instead.")
    (n_hidden, n_in), n_out = p["W_xh"].shape[-2:], p["W_hy"].shape[-2]
    X = check_sequences(X, "X", owner=owner, n_features=n_in)
    net = check_params(p, _shapes(n_in, n_hidden, n_out, True), owner=owner, optional=("W_xy",))
    try:
        lead = np.broadcast_shapes(X.shape[:-3], net) + X.shape[-3:-2]
    except ValueError:
        raise ValueError(f"The 'X' parameter of {owner} must have leading axes that broadcast against the nets' "
                         f"{net}. Got shape {X.shape} instead.") from None
    check_run(lead, X.shape[-2], n_hidden + n_out, owner=owner)          # H and Y: n_hidden + n_out a step
    return X, lead, n_out


def _check_forward(X: Any, p: Any, activation: str = "tanh") -> None:
    if not isinstance(X, np.ndarray):
        raise TypeError(f"The 'X' parameter of rnn_forward must be a numpy array. Got {type(X).__name__} instead.")
    _check_net(X, p, "rnn_forward")
    get_activation(activation)                                           # names 'activation' if unknown


@checked_by(_check_forward)        # __wrapped__: the unchecked pass, for loops whose inputs were checked once
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
    Y = check_sequences(Y, "Y", owner="rnn_loss", finite=False)        # outputs: NaN weights give NaN, as before
    D = check_targets(D, Y.shape, owner="rnn_loss")
    check_step_mask(mask, Y.shape[:-1], owner="rnn_loss")
    sq = 0.5 * np.sum((Y - D) ** 2, axis=-1)             # (..., N, T)
    if mask is not None:
        sq = sq * mask
    return np.sum(sq, axis=(-2, -1))


def _check_bptt(X: Any, D: Any, p: Any, activation: str = "tanh", mask: Any = None, cache: Any = None) -> None:
    for name, arr in (("X", X), ("D", D)):                              # the body indexes them as arrays
        if not isinstance(arr, np.ndarray):
            raise TypeError(f"The '{name}' parameter of bptt must be a numpy array. Got {type(arr).__name__} instead.")
    X, lead, n_out = _check_net(X, p, "bptt")
    derivative_from_output(activation)                                   # names 'activation' if unknown
    T, n_hidden = X.shape[-2], p["W_hh"].shape[-1]
    check_targets(D, lead + (T, n_out), owner="bptt")                   # fewer steps was an IndexError
    check_step_mask(mask, lead + (T,), owner="bptt")
    if cache is not None and not (isinstance(cache, dict) and not cache):     # {}: recomputed, as the body does
        H, Y = (cache.get(k) if isinstance(cache, dict) else None for k in ("H", "Y"))
        if not (isinstance(H, np.ndarray) and H.shape == lead + (T, n_hidden) and isinstance(Y, np.ndarray)
                and Y.shape == lead + (T, n_out)):
            raise ValueError(f"The 'cache' parameter of bptt must be rnn_forward's result for X and p (H "
                             f"{lead + (T, n_hidden)}, Y {lead + (T, n_out)}). Got {short_repr(cache)} instead.")


@checked_by(_check_bptt)               # X, D, p, mask, cache checked before the body the book prints
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
