"""Loss functions, each with its gradient written beside it.

``y`` is the network's output, ``d`` the desired output (the 1986 paper's notation).
Every loss takes a ``reduction``: ``"sum"`` over cases (the paper's E, whose step sizes
the historical experiments use) or ``"mean"`` over cases (the modern convention, whose
step size does not depend on the batch size). Gradients are with respect to ``y``
(for :func:`softmax_cross_entropy`, with respect to the logits ``z``).

All functions are pure and numerically safe for inputs up to +-1e4 under
``np.errstate(all="raise")``. Targets ``d`` given as rows (not class indices) to the cross-entropy
must be distributions (:func:`check_distributions`); a +inf logit takes all the probability of its
row, and a NaN logit gives NaN (the training loops rely on it to detect divergence).
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from annhist.underflow import allow_underflow
from annhist.validation import as_real_array, lookup, short_repr

__all__ = [
    "half_sse", "half_sse_grad", "mse", "mse_grad", "softmax", "log_softmax",
    "softmax_cross_entropy", "softmax_cross_entropy_grad", "softmax_cross_entropy_value_and_grad",
    "check_distributions", "Loss", "LOSSES", "get_loss",
]

_REDUCTIONS = ("sum", "mean")


def _scale(n_cases: int, reduction: str) -> float:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"The 'reduction' parameter must be one of 'sum', 'mean'. Got {reduction!r} instead.")
    return 1.0 if reduction == "sum" else 1.0 / max(n_cases, 1)


def _float(y: np.ndarray, name: str = "y") -> np.ndarray:
    """``y`` as a float32 or float64 array (float32 is kept; other real numbers become float64)."""
    return as_real_array(y, name, floating=True)


def _as_2d(y: np.ndarray, name: str = "y") -> np.ndarray:
    y = _float(y, name)
    if y.ndim > 2:
        raise ValueError(f"The '{name}' parameter must be a 1-D or 2-D array (cases x outputs). "
                         f"Got shape {y.shape} instead.")
    return y.reshape(-1, 1) if y.ndim < 2 else y


def _pair(y: np.ndarray, d: np.ndarray, y_name: str = "y") -> tuple[np.ndarray, np.ndarray]:
    """``y`` and ``d`` as 2-D float arrays of the same shape (no silent broadcasting)."""
    y, d = _as_2d(y, y_name), _as_2d(d, "d")
    if y.shape != d.shape:
        raise ValueError(f"The '{y_name}' and 'd' parameters must have the same shape. "
                         f"Got {y.shape} and {d.shape} instead.")
    return y, d


def half_sse(y: np.ndarray, d: np.ndarray, reduction: str = "sum") -> float:
    """E = 1/2 sum_c sum_j (y_jc - d_jc)^2, eq. (2) of Rumelhart, Hinton & Williams (1986).

    With ``reduction="mean"`` the sum over cases c is divided by the number of cases.
    """
    y, d = _pair(y, d)
    r = y - d
    return float(0.5 * np.sum(r * r) * _scale(y.shape[0], reduction))


def half_sse_grad(y: np.ndarray, d: np.ndarray, reduction: str = "sum") -> np.ndarray:
    """dE/dy = y - d (scaled by 1/n for ``reduction="mean"``)."""
    y, d = _pair(y, d)
    return (y - d) * _scale(y.shape[0], reduction)


def mse(y: np.ndarray, d: np.ndarray, reduction: str = "mean") -> float:
    """Mean squared error: the mean over cases of sum_j (y_j - d_j)^2 (no factor 1/2).

    This is the quantity ADALINE's LMS rule descends (Widrow & Hoff 1960).
    """
    y, d = _pair(y, d)
    r = y - d
    return float(np.sum(r * r) * _scale(y.shape[0], reduction))


def mse_grad(y: np.ndarray, d: np.ndarray, reduction: str = "mean") -> np.ndarray:
    """d mse / dy = 2 (y - d) (divided by n for ``reduction="mean"``)."""
    y, d = _pair(y, d)
    return 2.0 * (y - d) * _scale(y.shape[0], reduction)


@allow_underflow
def log_softmax(z: np.ndarray) -> np.ndarray:
    """log softmax(z) along the last axis, by the log-sum-exp trick (shift by the max).

    A row whose largest logit is +inf puts probability 1/k on each of its k infinite logits (the limit;
    the shift made it NaN); a row holding a NaN, or only -inf, has no softmax and gives NaN.
    """
    z = _float(z, "z")
    if z.ndim == 0 or z.shape[-1] == 0:
        raise ValueError(f"The 'z' parameter must have at least one logit along its last axis. "
                         f"Got shape {z.shape} instead.")
    top = np.max(z, axis=-1, keepdims=True)
    if not np.all(np.isfinite(top)):                          # one test per row: a NaN or inf logit in a row
        return _log_softmax_nonfinite(z, top)
    shifted = z - top                                         # <= 0: exp never overflows (underflow: 0)
    lse = np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))   # sum >= 1: log is safe
    return shifted - lse


def _log_softmax_nonfinite(z: np.ndarray, top: np.ndarray) -> np.ndarray:
    """:func:`log_softmax` of logits some of whose rows have a +inf, NaN or only -inf as their largest."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        shifted = z - np.where(np.isfinite(top), top, 0.0)
        out = shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
        out = np.where(np.isfinite(top), out, np.nan).astype(z.dtype, copy=False)
        inf_rows = np.isposinf(top[..., 0])
        winners = np.isposinf(z[inf_rows])
        out[inf_rows] = np.where(winners, -np.log(winners.sum(axis=-1, keepdims=True)), -np.inf)
    return out


@allow_underflow
def softmax(z: np.ndarray) -> np.ndarray:
    """softmax(z)_k = exp(z_k) / sum_j exp(z_j) along the last axis, computed stably."""
    return np.exp(log_softmax(z))


def _check_targets(z: np.ndarray, d: np.ndarray, rows: bool = True) -> np.ndarray:
    if z.shape[1] == 0:
        raise ValueError(f"The 'z' parameter must have at least one logit per case. Got shape {z.shape} instead.")
    d = _float(d, "d")
    if d.ndim == 1:  # class indices -> one-hot
        if d.shape[0] != z.shape[0]:
            raise ValueError(f"The 'd' parameter must hold one class index per row of 'z' ({z.shape[0]}). "
                             f"Got {d.shape[0]} instead.")
        if d.size and not (np.all(d == np.round(d)) and d.min() >= 0 and d.max() < z.shape[-1]):
            raise ValueError(f"The 'd' parameter holds class indices outside 0..{z.shape[-1] - 1}.")
        onehot = np.zeros(z.shape, dtype=z.dtype)
        onehot[np.arange(d.shape[0]), d.astype(int)] = 1.0
        return onehot
    if d.shape != z.shape:
        raise ValueError(f"The 'd' parameter must be class indices of shape ({z.shape[0]},) or targets of the "
                         f"shape of 'z' {z.shape}. Got shape {d.shape} instead.")
    if rows:
        check_distributions(d)
    return d.astype(z.dtype, copy=False)


def check_distributions(d: np.ndarray, name: str = "d", owner: str = "") -> None:
    """Refuse cross-entropy targets whose rows are not distributions: entries >= 0 summing to 1 (to 1e-3).

    Their gradient is ``softmax(z) - d`` only for such rows; ``[2, -1, 0]`` gave a loss and a gradient of
    nothing. NaN is refused too.
    """
    if d.size == 0:                                     # no cases: nothing to refuse (np.min has no identity)
        return
    sums = np.sum(d, axis=-1)
    if not (np.all(np.abs(sums - 1.0) <= 1e-3) and np.min(d) >= 0):
        where = f" of {owner}" if owner else ""
        bad = int(np.flatnonzero(~((np.abs(sums - 1.0) <= 1e-3) & (np.min(d, axis=-1) >= 0)))[0])
        raise ValueError(f"The '{name}' parameter{where} must hold targets whose rows are distributions (entries "
                         f">= 0 summing to 1) or class indices. Row {bad} is {short_repr(d[bad].tolist())}.")


@allow_underflow
def softmax_cross_entropy(z: np.ndarray, d: np.ndarray, reduction: str = "mean") -> float:
    """Cross-entropy -sum_k d_k log softmax(z)_k of the logits ``z`` against targets ``d``.

    ``d`` is one-hot (or a distribution) of the same shape as ``z``, or a vector of class
    indices. Computed from :func:`log_softmax`, so it is finite for any finite logits.
    """
    z = _as_2d(z, "z")
    d = _check_targets(z, d)
    return float(-np.sum(d * log_softmax(z)) * _scale(z.shape[0], reduction))


def softmax_cross_entropy_grad(z: np.ndarray, d: np.ndarray, reduction: str = "mean") -> np.ndarray:
    """d loss / dz = softmax(z) - d (for targets that sum to one), scaled for the reduction."""
    z = _as_2d(z, "z")
    d = _check_targets(z, d)
    return (softmax(z) - d) * _scale(z.shape[0], reduction)


@allow_underflow
def softmax_cross_entropy_value_and_grad(z: np.ndarray, d: np.ndarray, reduction: str = "mean"
                                         ) -> tuple[float, np.ndarray, np.ndarray]:
    """:func:`softmax_cross_entropy` and its gradient from one :func:`log_softmax`.

    Returns ``(loss, dloss/dz, softmax(z))``; the same numbers as the two separate calls,
    at half the cost (a training loop needs all three). The training loop's kernel: target rows are
    not checked to be distributions here (:meth:`annhist.mlp.MLP.fit` checks its targets once).
    """
    z = _as_2d(z, "z")
    d = _check_targets(z, d, rows=False)
    scale = _scale(z.shape[0], reduction)
    logp = log_softmax(z)
    p = np.exp(logp)                                       # softmax(z)
    value = float(-np.sum(d * logp) * scale)
    return value, (p - d) * scale, p


class Loss(NamedTuple):
    """A loss: its name, value function, gradient and default reduction."""

    name: str
    value: Callable[..., float]
    grad: Callable[..., np.ndarray]
    reduction: str


LOSSES: dict[str, Loss] = {
    # The 1986 paper's E = 1/2 sum (y - d)^2, summed over the cases of a sweep.
    "mse": Loss("mse", half_sse, half_sse_grad, "sum"),
    # Softmax output with cross-entropy, averaged over the cases of a batch.
    "cross_entropy": Loss("cross_entropy", softmax_cross_entropy, softmax_cross_entropy_grad, "mean"),
}


def get_loss(name: str | Loss, *, owner: str = "") -> Loss:
    """Look a loss up by name; an unknown name lists the valid ones."""
    return lookup(name, LOSSES, "loss", owner=owner, kind=Loss)
