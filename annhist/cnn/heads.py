"""The losses a :class:`~annhist.cnn.network.Sequential` can train with, and its targets.

Each entry of ``LOSSES`` is ``(value, gradient, scores)``: the loss of a batch's outputs,
its gradient with respect to those outputs, and the class scores whose argmax is the
prediction. All three take ``(out, labels, d)`` with ``d`` the +-1 targets.
"""

from __future__ import annotations

import numbers
from typing import Callable

import numpy as np

from annhist.cnn.labels import check_labels
from annhist.cnn.rbf import map_loss, map_loss_grad
from annhist.layers import MAX_WEIGHTS
from annhist.losses import mse, mse_grad, softmax_cross_entropy, softmax_cross_entropy_grad
from annhist.validation import check_scalar

__all__ = ["LOSSES", "pm1_targets"]


def pm1_targets(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Targets of LeCun et al. (1989): +1 for the correct output unit, -1 for the others.

    ``labels``: class labels ``0 .. n_classes - 1`` (a -1 would mark the last class); at most
    ``MAX_WEIGHTS`` targets in all.
    """
    check_scalar(n_classes, "n_classes", owner="pm1_targets", kind=numbers.Integral, min_val=1, max_val=MAX_WEIGHTS)
    labels = check_labels(labels, n_classes, owner="pm1_targets")
    if labels.shape[0] * n_classes > MAX_WEIGHTS:
        raise ValueError(f"The 'labels' and 'n_classes' parameters of pm1_targets ask for {labels.shape[0]} x "
                         f"{n_classes} targets; at most {MAX_WEIGHTS:,} are allowed.")
    d = -np.ones((labels.shape[0], n_classes))
    d[np.arange(labels.shape[0]), labels] = 1.0
    return d


def _mse(out, labels, d):
    """The mean over patterns *and* outputs of (y - d)^2: ``losses.mse`` (a sum over outputs) / n_outputs."""
    return mse(out, d, "mean") / out.shape[1]


def _mse_grad(out, labels, d):
    return mse_grad(out, d, "mean") / out.shape[1]


LOSSES: dict[str, tuple[Callable, Callable, Callable]] = {
    # LeCun et al. (1989): squared error against +-1 targets; the largest output wins.
    "mse": (_mse, _mse_grad, lambda out: out),
    # modern: softmax cross-entropy on the last layer's output (the logits).
    "cross_entropy": (lambda o, l, d: softmax_cross_entropy(o, l), lambda o, l, d: softmax_cross_entropy_grad(o, l),
                      lambda out: out),
    # LeCun et al. (1998), eq. (9), on RBF penalties: the smallest penalty wins.
    "rbf_map": (lambda o, l, d: map_loss(o, l), lambda o, l, d: map_loss_grad(o, l), lambda out: -out),
}
