"""LeCun's stochastic diagonal Levenberg-Marquardt step: one step size per weight.

LeCun et al. (1998), Appendix C (and LeCun, Bottou, Orr & Mueller 1998, "Efficient BackProp",
section 9.1): each weight ``w_k`` gets its own step

.. math::  \\eta_k = \\frac{\\epsilon}{\\mu + h_{kk}},

where ``h_kk`` estimates the diagonal of the Hessian of the error. The estimate is the
*Gauss-Newton* one, propagated backward like the gradient but with squares (their eqs. 25-27):

.. math::  \\frac{\\partial^2 E}{\\partial a^2} = f'(a)^2 \\frac{\\partial^2 E}{\\partial o^2}, \\qquad
           \\frac{\\partial^2 E}{\\partial o_j^2} = \\sum_i w_{ij}^2 \\frac{\\partial^2 E}{\\partial a_i^2}, \\qquad
           \\frac{\\partial^2 E}{\\partial w_{ij}^2} = o_j^2 \\frac{\\partial^2 E}{\\partial a_i^2},

summed over the connections that share a weight. Behind LeNet-5's RBF head (eq. 9 on squared distances) the
backward pass starts at F6's outputs, with the criterion's exact diagonal there (``_rbf_map_curvature``).
It is recomputed on a few hundred patterns
before every pass (500 in the 1998 paper, with ``mu = 0.02``). The 1989 paper trained its
net with "a simple version of" such a Newton-like step; its settings are not given, so the
step sizes here are our choice (see the ``lecun1989`` experiment's ``--optimizer sdlm``).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from annhist.cnn.conv import Conv2d
from annhist.cnn.im2col import col2im_kn
from annhist.cnn.labels import check_labels
from annhist.cnn.layer_info import check_batch_numbers
from annhist.cnn.network import Sequential
from annhist.cnn.pooling import Flatten, Subsampling
from annhist.cnn.rbf import RBF
from annhist.layers import ActivationLayer, Dense
from annhist.losses import softmax
from annhist.optimizers import Optimizer
from annhist.validation import check_array, check_random_state, check_scalar, short_repr

__all__ = ["SDLM", "diagonal_hessian"]


def _loss_curvature(loss: str, out: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Gauss-Newton d2E/dy2 of the batch-mean loss with respect to the network's outputs."""
    n = out.shape[0]
    if loss == "mse":                       # E = mean over patterns and outputs of (y - d)^2
        return np.full(out.shape, 2.0 / (n * out.shape[1]))
    if loss == "cross_entropy":             # diagonal of diag(p) - p p^T
        p = softmax(out)
        return p * (1.0 - p) / n
    p = _map_probabilities(out)             # rbf_map, eq. (9)
    return p * (1.0 - p) / n


def _map_probabilities(y: np.ndarray) -> np.ndarray:
    """The weights ``p_i`` of eq. (9)'s log-sum-exp over ``(-y_1, ..., -y_k, -j)``, ``j = 10`` as in training."""
    return softmax(np.concatenate([-y, np.full((y.shape[0], 1), -10.0)], axis=1))[:, :-1]


def _rbf_map_curvature(x: np.ndarray, centres: np.ndarray, y: np.ndarray) -> np.ndarray:
    """d2E/dx_j^2 of the batch-mean MAP criterion, eq. (9), at the RBF units' inputs ``x`` (F6's outputs), exactly.

    With ``d_ij = x_j - w_ij`` and ``p_i`` of ``_map_probabilities`` (``y``: the penalties):
    ``2 (1 - sum_i p_i) + 4 (sum_i p_i d_ij^2 - (sum_i p_i d_ij)^2)``, over N. The first term is the penalties' own
    curvature (each ``y_i`` is a squared distance: ``d2y_i/dx_j^2 = 2``), which a Gauss-Newton step through the RBF
    units would drop; the criterion is convex in ``x``, so both terms are >= 0."""
    n = x.shape[0]
    p = _map_probabilities(y)                                           # (N, classes)
    d = x[:, None, :] - centres[None]                                   # (N, classes, n_in)
    m1, m2 = np.einsum("nc,nci->ni", p, d), np.einsum("nc,nci->ni", p, d * d)
    return np.maximum(2.0 * (1.0 - p.sum(axis=1, keepdims=True)) + 4.0 * (m2 - m1 * m1), 0.0) / n


def _check_batch(net: Any, X: Any, labels: Any) -> np.ndarray:
    """:func:`diagonal_hessian`'s checks; a float array ``X`` is returned as it is (the layers take its dtype)."""
    owner = "diagonal_hessian"
    if not isinstance(net, Sequential):
        raise TypeError(f"The 'net' parameter of {owner} must be a Sequential network. Got {short_repr(net)} instead.")
    checked = check_array(X, "X", ndim=len(net.input_shape) + 1, owner=owner, copy=False)
    if checked.shape[1:] != tuple(net.input_shape):
        raise ValueError(f"The 'X' parameter of {owner} must have shape (N, {', '.join(map(str, net.input_shape))}). "
                         f"Got {checked.shape} instead.")
    check_labels(labels, net.n_classes, owner=owner, n=checked.shape[0])
    check_batch_numbers(net.layers, net.shapes_, checked.shape[0], name="X", owner=owner)   # all patterns at once
    return X if isinstance(X, np.ndarray) and X.dtype.kind == "f" else checked


def diagonal_hessian(net: Any, X: np.ndarray, labels: np.ndarray) -> list[np.ndarray]:
    """Gauss-Newton estimate of d2E/dw2 for every parameter of ``net`` on the batch ``X``.

    Returns one array per parameter, in the order ``[layer.params[k] for layer in net.layers
    for k in layer.params]`` (the order ``Sequential.fit`` gives the optimizer). Every
    entry is >= 0. ``net`` is a :class:`~annhist.cnn.network.Sequential`, ``X`` a finite batch
    of its input shape, ``labels`` one class label per pattern (the Gauss-Newton curvature of
    these losses does not depend on them, but they are checked as ``fit`` checks them). All patterns run at once:
    their numbers in the network's widest layer are at most ``annhist.layers.MAX_WEIGHTS``.
    """
    X = _check_batch(net, X, labels)
    inputs = []
    h = X
    for layer in net.layers:                 # forward, keeping each layer's input
        inputs.append(h)
        h = layer.forward(h, training=True)
    last = len(net.layers) - 1
    if net.loss == "rbf_map" and isinstance(net.layers[last], RBF):    # LeNet-5's head: start at F6's outputs
        h2, last = _rbf_map_curvature(inputs[last], net.layers[last].centres, h), last - 1
    else:
        h2 = _loss_curvature(net.loss, h, labels)
    curv: dict[tuple[int, str], np.ndarray] = {}
    for i in range(last, -1, -1):
        layer, x = net.layers[i], inputs[i]
        if isinstance(layer, ActivationLayer):
            h2 = h2 * layer.activation.f_prime(x) ** 2                    # d2E/da2 = f'(a)^2 d2E/do2
        elif isinstance(layer, Dense):
            curv[i, "W"] = (x * x).T @ h2                                 # o_j^2 d2E/da_i^2, summed over the batch
            if "b" in layer.params:
                curv[i, "b"] = h2.sum(axis=0)
            h2 = h2 @ (layer.params["W"] ** 2).T                          # sum_i w_ij^2 d2E/da_i^2
        elif isinstance(layer, Flatten):
            h2 = h2.reshape(x.shape)                                      # (N, C*H*W) -> (N, C, H, W)
        elif isinstance(layer, Conv2d):
            c_out = layer.out_channels
            g2 = h2.transpose(1, 0, 2, 3).reshape(c_out, -1)              # (N, C_out, OH, OW) -> (C_out, N*P)
            W = layer.params["W"]
            hW = (g2 @ (layer._cols ** 2).T).reshape(W.shape)             # shared: summed over positions
            curv[i, "W"] = hW if layer.mask is None else hW * layer.mask
            if layer.bias == "shared":
                curv[i, "b"] = g2.sum(axis=1)
            elif layer.bias == "unshared":
                curv[i, "b"] = g2.reshape(c_out, x.shape[0], -1).sum(axis=1).reshape(layer.params["b"].shape)
            if i:
                kh, kw = layer.kernel_size
                h2 = col2im_kn((W.reshape(c_out, -1) ** 2).T @ g2, x.shape, kh, kw, layer.stride, layer.padding)
        elif isinstance(layer, Subsampling):
            curv[i, "coef"] = np.einsum("nchw,nchw->c", h2, layer._s ** 2)
            curv[i, "b"] = h2.sum(axis=(0, 2, 3))
            h2 = layer._unblock(h2 * layer.params["coef"][:, None, None] ** 2)
        elif isinstance(layer, RBF):                                      # y_i = sum_j (x_j - w_ij)^2
            diff2 = (x[:, None, :] - layer.centres[None]) ** 2            # (N, n_classes, n_in)
            h2 = 4.0 * np.einsum("nc,nci->ni", h2, diff2)                 # (dy_i/dx_j)^2 = 4 (x_j - w_ij)^2
        else:
            raise TypeError(f"The 'net' parameter of diagonal_hessian holds a {type(layer).__name__} layer, for which "
                            f"it has no rule (it knows Conv2d, Subsampling, Dense, ActivationLayer, Flatten and RBF).")
    return [curv[i, k] for i, layer in enumerate(net.layers) for k in layer.params]


class SDLM(Optimizer):
    """Stochastic diagonal Levenberg-Marquardt: ``w_k <- w_k - eps / (mu + h_kk) * g_k``.

    Parameters
    ----------
    eps : float
        The global step (the paper's epsilon; LeNet-5 used 5e-4 falling to 1e-5).
    mu : float, default 0.02
        Keeps the step bounded where the curvature is tiny (the 1998 paper's value).
    n_patterns : int, default 500
        Patterns used to re-estimate ``h`` before every pass (drawn at random).
    random_state : None, int or numpy.random.Generator

    Notes
    -----
    ``Sequential.fit`` calls :meth:`before_epoch` at the start of each pass, which
    estimates ``h`` with :func:`diagonal_hessian` on ``n_patterns`` training patterns.

    On LeNet-5 with its RBF head the curvature at F6's outputs is about 2 per pattern while the
    penalties are large, but every layer below multiplies it by its squared weights, so nearly
    every weight's estimate is far below ``mu`` and takes the largest step, ``eps / mu``.
    Measured on the 1,409 stand-in training digits (500 for the estimate), two passes: at
    ``eps = 5e-4`` the net stays at chance (90 % error): in its first 50 patterns (in file order) the
    subsampling coefficients, whose gradients sum over every position of a map, grow from 0.6
    to 53 (S2) and 124 (S4), and the squashing units saturate; at ``2e-4``, 77 % training
    error; at ``5e-5``, 7.0 % after one pass and 1.8 % after two (8.4 % and 3.8 % with the
    Gauss-Newton step through the RBF units used before 2026-12-06, which dropped the
    penalties' own curvature and gave about 0 at F6). With the softmax head ``5e-4`` learns
    (68 % and 20 %). Which curvature the paper used for its RBF units we have not checked
    against its text.
    """

    def __init__(self, eps: float = 5e-4, mu: float = 0.02, n_patterns: int = 500, random_state: Any = None) -> None:
        super().__init__(eta=eps)
        self.mu = check_scalar(mu, "mu", owner="SDLM", min_val=0, include_min=False)
        self.n_patterns = check_scalar(n_patterns, "n_patterns", owner="SDLM", kind=numbers.Integral, min_val=1)
        self.random_state = random_state
        self._rng = check_random_state(random_state, owner="SDLM")

    def before_epoch(self, net: Any, X: np.ndarray, labels: np.ndarray) -> None:
        """Re-estimate the diagonal Hessian on ``n_patterns`` patterns of the training set."""
        idx = self._rng.choice(X.shape[0], size=min(self.n_patterns, X.shape[0]), replace=False)
        hs = diagonal_hessian(net, X[np.sort(idx)], labels[np.sort(idx)])
        self.state = [{"h": h.astype(X.dtype, copy=False)} for h in hs]

    def update(self, w: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        if "h" not in s:
            raise RuntimeError("SDLM needs before_epoch() (Sequential.fit calls it) before its first step.")
        w -= self.eta / (self.mu + s["h"]) * g          # eta_k = eps / (mu + h_kk)
