"""Checking backpropagation against finite differences.

Backpropagation computes dE/dw for every weight in one backward pass; a finite difference
computes it for one weight from a few more evaluations of E. They must agree to many
digits -- if they do not, the backward pass has a bug. Used by the tests for every
activation x loss x skip combination, and by the chapter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from annhist.mlp.delta_rule import backward, forward, loss_and_delta
from annhist.validation import check_scalar

if TYPE_CHECKING:  # pragma: no cover
    from annhist.mlp.network import MLP

__all__ = ["gradient_check", "numerical_gradients", "MAX_CHECK_WORK"]

#: The most work a finite-difference check may take, in multiply-adds: 4 evaluations of E per weight, each about
#: ``n_samples x n_weights`` of them plus 2**18 for the calls (some 40 us), so ``4 n_weights (n_samples n_weights +
#: 2**18)``: about a minute at most (90,601 weights on one case, 1.3e11, take 18 s). A 784-100-10 net on 1,000 cases
#: asked for 2.5e13: an hour before any answer.
MAX_CHECK_WORK = 2**39


def numerical_gradients(net: "MLP", X: Any, Y: Any, *, h: float = 1e-3) -> list[np.ndarray]:
    """dE/dw for every weight of ``net`` by the fourth-order central difference, in float64.

    dE/dw ~ [-E(w + 2h) + 8 E(w + h) - 8 E(w - h) + E(w - 2h)] / (12 h), whose truncation
    error is O(h^4) (about 1e-13 for h = 1e-3); its rounding error is about 1e-16 ``abs(E)`` / h.
    Masked-out connections get 0. The net itself is not changed. At most ``MAX_CHECK_WORK`` multiply-adds.
    """
    check_scalar(h, "h", owner="gradient_check", min_val=0, include_min=False)
    X = net._check_X(X).astype(np.float64)
    P, n = net.count_parameters(), X.shape[0]
    if 4 * P * (n * P + 2**18) > MAX_CHECK_WORK:
        raise ValueError(f"The 'net' and 'X' parameters of gradient_check ask for 4 evaluations of E for each of "
                         f"{P:,} weights on {n:,} cases: 4 x {P:,} x ({n:,} x {P:,} + 2**18) = "
                         f"{4 * P * (n * P + 2**18):,} multiply-adds, more than MAX_CHECK_WORK = {MAX_CHECK_WORK:,} "
                         f"(about a minute). Check on fewer cases (a few suffice) or a smaller net.")
    D = net._check_Y(Y, X.shape[0]).astype(np.float64)
    spec = net.spec._replace(masks=tuple(None if m is None else m.astype(np.float64) for m in net.masks))
    params = [p.astype(np.float64) for p in net.params_]
    with np.errstate(over="ignore", invalid="ignore"):
        E0 = loss_and_delta(forward(params, X, spec)[-1], D, spec)[0]
    if not np.isfinite(E0):
        raise ValueError(f"The 'X' and 'Y' parameters of gradient_check give a non-finite error E ({E0}) at the "
                         f"current weights: no finite difference can be taken. Rescale them.")
    layer_masks = [m for m in spec.masks for _ in (0, 1)] + [None]     # W_l, b_l share layer l's mask
    out = []
    for p, m in zip(params, layer_masks):
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            if m is not None and p.ndim == 2 and m[idx] == 0:
                continue                                               # not a connection: no weight
            w = p[idx]
            E = []
            with np.errstate(over="ignore", invalid="ignore"):
                for step in (2 * h, h, -h, -2 * h):
                    p[idx] = w + step
                    E.append(loss_and_delta(forward(params, X, spec)[-1], D, spec)[0])
            p[idx] = w
            if not np.all(np.isfinite(E)):
                raise ValueError(f"The 'h' parameter of gradient_check ({h!r}) moves a weight to where E is not "
                                 f"finite: no finite difference can be taken. Use a smaller h (1e-6 to 1e-2), or "
                                 f"rescale 'X' and 'Y'.")
            g[idx] = (-E[0] + 8 * E[1] - 8 * E[2] + E[3]) / (12 * h)
        out.append(g)
    return out


def gradient_check(net: "MLP", X: Any, Y: Any, *, h: float = 1e-3) -> float:
    """Max relative error between backpropagation's dE/dw and finite differences, in float64.

    For one weight the relative error is ``abs(g_bp - g_fd) / max(abs(g_bp), abs(g_fd), 1e-6)`` (the
    floor keeps weights with a zero gradient from dividing by zero); the largest over all
    weights is returned. A correct backward pass gives < 1e-6 on small nets (typically
    1e-10); a wrong one gives errors of order 1. For a large E the rounding error of the
    finite difference grows as ``abs(E) / h``: use a larger ``h`` (e.g. 1e-2) there.

    Examples
    --------
    >>> from annhist.mlp.network import MLP
    >>> net = MLP([2, 3, 1], random_state=0)
    >>> gradient_check(net, [[0, 1], [1, 1]], [[1], [0]]) < 1e-6
    True
    """
    numeric = numerical_gradients(net, X, Y, h=h)
    X64 = net._check_X(X).astype(np.float64)
    D64 = net._check_Y(Y, X64.shape[0]).astype(np.float64)
    spec = net.spec._replace(masks=tuple(None if m is None else m.astype(np.float64) for m in net.masks))
    params = [p.astype(np.float64) for p in net.params_]
    outs = forward(params, X64, spec)
    _, delta, _ = loss_and_delta(outs[-1], D64, spec)
    worst = 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        grads = backward(params, outs, delta, spec)
    for g_bp, g_fd in zip(grads, numeric):
        if not np.all(np.isfinite(g_bp)):                 # a NaN would drop out of max() and read as agreement
            raise ValueError("The 'X' parameter of gradient_check gives a non-finite gradient by backpropagation "
                             f"(largest |x| = {np.max(np.abs(X64)):.3g}): rescale 'X'.")
        rel = np.abs(g_bp - g_fd) / np.maximum(np.maximum(np.abs(g_bp), np.abs(g_fd)), 1e-6)
        worst = max(worst, float(np.max(rel)))
    return worst
