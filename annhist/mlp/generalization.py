"""Overfitting and generalization: a validation split, learning curves, early stopping.

A net that fits its training cases ever better can fit the *other* cases worse: the error
on held-out data falls, bottoms out and rises again while the training error keeps
falling. :func:`train_validation_split` holds out cases; :func:`learning_curves` trains an
:class:`~annhist.mlp.MLP` with one ``fit`` whose ``callback`` records, every few epochs,
training and validation error, keeping the weights of the epoch with
the lowest validation loss -- *early stopping*; :func:`early_stopping_epoch` finds the epoch
a patience rule would stop at. Weight decay is ``fit``'s ``weight_decay`` (after each update
every weight is multiplied by ``1 - weight_decay``, as in the family-trees net of
Rumelhart, Hinton & Williams 1986).

References
----------
D. E. Rumelhart, G. E. Hinton and R. J. Williams, "Learning representations by
back-propagating errors", Nature 323:533-536 (1986). T. Hastie, R. Tibshirani and J. Friedman,
*The Elements of Statistical Learning*, 2nd ed., Springer (2009), sec. 7.2 and 11.5.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from annhist.mlp.network import MLP
from annhist.validation import check_array, check_random_state, check_scalar, check_X_y

__all__ = ["train_validation_split", "learning_curves", "early_stopping_epoch"]


def train_validation_split(X: Any, y: Any, *, validation_fraction: float = 0.25,
                           random_state: Any = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle the cases and hold out ``validation_fraction`` of them: ``X_train, X_val, y_train, y_val``."""
    X, y = check_X_y(X, y, owner="train_validation_split")
    check_scalar(validation_fraction, "validation_fraction", owner="train_validation_split", min_val=0,
                 max_val=1, include_min=False, include_max=False)
    order = check_random_state(random_state, owner="train_validation_split").permutation(X.shape[0])
    n_val = max(1, int(round(validation_fraction * X.shape[0])))
    val, train = order[:n_val], order[n_val:]
    return X[train], X[val], y[train], y[val]


def _error_rate(net: MLP, X: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(np.argmax(net.predict(X), axis=1) != y))


def learning_curves(net: MLP, X: Any, y: Any, X_val: Any, y_val: Any, *, epochs: int, every: int = 1,
                    **fit_options: Any) -> dict[str, Any]:
    """Train ``net`` (class labels ``y``) and record train and validation error every ``every`` epochs.

    One ``fit`` with a ``callback`` that records every ``every`` epochs; ``fit_options`` go to
    :meth:`annhist.mlp.MLP.fit` (``optimizer``, ``batch_size``, ``weight_decay``, ...). On return
    ``net`` holds the weights with the lowest validation loss (early stopping).

    Returns
    -------
    dict
        ``epoch``, ``train_error``, ``val_error`` (misclassification rates), ``train_loss``,
        ``val_loss`` (the net's loss E), ``best_epoch`` and ``best_val_error``.
    """
    owner = "learning_curves"
    check_scalar(epochs, "epochs", owner=owner, kind=numbers.Integral, min_val=1)
    check_scalar(every, "every", owner=owner, kind=numbers.Integral, min_val=1, max_val=epochs)
    X, y = check_X_y(X, y, owner=owner)
    X_val, y_val = check_X_y(X_val, y_val, owner=owner + " (validation data)", y_name="y_val")
    y, y_val = y.astype(int), y_val.astype(int)
    curves: dict[str, list[float]] = {k: [] for k in ("epoch", "train_error", "val_error", "train_loss",
                                                       "val_loss")}
    best: dict[str, Any] = {"loss": np.inf, "params": None, "epoch": 0}

    def record(net: MLP, epoch: int) -> None:               # after every epoch of the one fit below
        if epoch % every and epoch != epochs:
            return
        val_loss = net.error(X_val, y_val)
        for key, value in (("epoch", epoch), ("train_error", _error_rate(net, X, y)),
                           ("val_error", _error_rate(net, X_val, y_val)), ("train_loss", net.error(X, y)),
                           ("val_loss", val_loss)):
            curves[key].append(value)
        if val_loss < best["loss"]:
            best.update(loss=val_loss, params=[p.copy() for p in net.params_], epoch=epoch)

    net.fit(X, y, epochs=epochs, verbose=False, callback=record, **fit_options)
    best_epoch = best["epoch"]
    for p, b in zip(net.params_, best["params"]):
        p[...] = b                                                # early stopping: keep the best weights
    out: dict[str, Any] = {k: np.asarray(v) for k, v in curves.items()}
    out["best_epoch"] = best_epoch
    out["best_val_error"] = float(out["val_error"][list(out["epoch"]).index(best_epoch)])
    return out


def early_stopping_epoch(val_loss: Any, patience: int) -> int:
    """Index at which a patience rule stops: the first point followed by ``patience`` points none lower.

    Returns the index of the best value seen when training stops (the last index if it never does).
    ``val_loss`` is a non-empty 1-D sequence of finite numbers (a NaN would never compare lower).
    """
    v = check_array(val_loss, "val_loss", ndim=1, owner="early_stopping_epoch")
    check_scalar(patience, "patience", owner="early_stopping_epoch", kind=numbers.Integral, min_val=1)
    best, waited = 0, 0
    for i in range(1, v.size):
        if v[i] < v[best]:
            best, waited = i, 0
        else:
            waited += 1
            if waited >= patience:
                break
    return best
