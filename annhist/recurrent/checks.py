"""Checks for sequence data at the public boundary, and the one transpose helper.

Sequences are ``(n_sequences, n_steps, n_features)`` float arrays; a stream (one long sequence)
is ``(n_steps, n_features)``. Messages name the parameter and what was received.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from annhist.validation import check_array, check_scalar

__all__ = ["check_counts", "check_mask", "check_stream", "swap"]


def swap(a: np.ndarray) -> np.ndarray:
    """The transpose of the last two axes: ``(..., m, n) -> (..., n, m)`` (a stack of ``W.T``)."""
    return a.swapaxes(-1, -2)           # the method: np.swapaxes's dispatch cost as much as the view


def check_stream(X: Any, name: str, *, owner: str, ndim: int = 3, like: np.ndarray | None = None,
                 n_features: int | None = None) -> np.ndarray:
    """A float64 copy of ``X`` with ``ndim`` axes (3: sequences, steps, features; 2: steps, features).

    ``like``: another checked array whose leading axes (sequences and steps) ``X`` must match.
    ``n_features``: the size the last axis must have.
    """
    arr = check_array(X, name, ndim=ndim, owner=owner)
    what = "(n_sequences, n_steps, n_features)" if ndim == 3 else "(n_steps, n_features)"
    if like is not None and arr.shape[:-1] != like.shape[:-1]:
        raise ValueError(f"The '{name}' parameter of {owner} must have shape {what} with the same sequences "
                         f"and steps as the inputs {like.shape[:-1]}. Got shape {arr.shape} instead.")
    if n_features is not None and arr.shape[-1] != n_features:
        raise ValueError(f"The '{name}' parameter of {owner} must have {n_features} features (last axis of "
                         f"{what}). Got shape {arr.shape} instead.")
    return arr


def check_mask(mask: Any, X: np.ndarray, *, owner: str) -> np.ndarray:
    """A boolean ``(n_sequences, n_steps)`` mask of the real steps: each sequence a non-empty prefix."""
    if mask is None:
        return np.ones(X.shape[:2], dtype=bool)
    arr = np.asarray(mask)
    if arr.dtype != bool:
        raise TypeError(f"The 'mask' parameter of {owner} must be a boolean array. Got dtype {arr.dtype} instead.")
    if arr.shape != X.shape[:2]:
        raise ValueError(f"The 'mask' parameter of {owner} must have shape (n_sequences, n_steps) = "
                         f"{X.shape[:2]}. Got shape {arr.shape} instead.")
    lengths = arr.sum(axis=1)
    if np.any(lengths == 0) or np.any(arr != (np.arange(arr.shape[1]) < lengths[:, None])):
        raise ValueError(f"The 'mask' parameter of {owner} must mark a non-empty prefix of each sequence "
                         f"(True then False). Got lengths {lengths.tolist()[:8]} with gaps or zeros instead.")
    return arr


def check_counts(owner: str, *, eta: Any, **counts: Any) -> None:
    """Counts (trials, sequences, ...) must be ints >= 1; ``eta`` a finite number > 0 (None is refused too)."""
    for name, value in counts.items():
        check_scalar(value, name, owner=owner, kind=numbers.Integral, min_val=1)
    check_scalar(eta, "eta", owner=owner, min_val=0, include_min=False)
