"""Input checks shared by the Hopfield and Boltzmann code: declared once, used at the public boundary.

Every failure is a ``ValueError`` or ``TypeError`` that names the parameter and the value, as in
the rest of annhist ("The 'patterns' parameter of Hopfield must hold only -1 and +1. Got 0.5 ...").
"""

from __future__ import annotations

from typing import Any

import numpy as np

from annhist.validation import check_array

__all__ = ["check_binary01", "check_pm1", "check_unit_index", "check_weights"]


def check_pm1(X: Any, name: str, *, owner: str, ndim: int | tuple[int, ...] = 2,
              n_units: int | None = None) -> np.ndarray:
    """A float array of -1/+1 values of rank ``ndim`` (last axis = units), optionally ``n_units`` wide."""
    arr = check_array(X, name, ndim=ndim, owner=owner)
    bad = arr[(arr != 1.0) & (arr != -1.0)]
    if bad.size:
        raise ValueError(f"The '{name}' parameter of {owner} must hold only -1 and +1 (Hopfield's binary "
                         f"units). Got the value {float(bad.flat[0])!r} instead.")
    if n_units is not None and arr.shape[-1] != n_units:
        raise ValueError(f"The '{name}' parameter of {owner} must have {n_units} units on its last axis. "
                         f"Got shape {arr.shape} instead.")
    return arr


def check_binary01(X: Any, name: str, *, owner: str, ndim: int | tuple[int, ...] = 2,
                   n_units: int | None = None) -> np.ndarray:
    """A float array of 0/1 values (Boltzmann machine units are off = 0 or on = 1)."""
    arr = check_array(X, name, ndim=ndim, owner=owner)
    bad = arr[(arr != 0.0) & (arr != 1.0)]
    if bad.size:
        raise ValueError(f"The '{name}' parameter of {owner} must hold only 0 and 1. "
                         f"Got the value {float(bad.flat[0])!r} instead.")
    if n_units is not None and arr.shape[-1] != n_units:
        raise ValueError(f"The '{name}' parameter of {owner} must have {n_units} units on its last axis. "
                         f"Got shape {arr.shape} instead.")
    return arr


def check_weights(W: Any, name: str = "W", *, owner: str, n_units: int | None = None,
                  zero_diagonal: bool = True) -> np.ndarray:
    """A square, symmetric, finite weight matrix (with a zero diagonal unless told otherwise).

    Hopfield's argument that asynchronous updates never raise the energy needs
    ``w_ij = w_ji`` and ``w_ii = 0`` (Hopfield 1982, eq. 7); a matrix without them is refused here,
    not silently symmetrised.
    """
    arr = check_array(W, name, ndim=2, owner=owner)
    if arr.shape[0] != arr.shape[1]:
        raise ValueError(f"The '{name}' parameter of {owner} must be a square matrix. Got shape {arr.shape} instead.")
    if n_units is not None and arr.shape[0] != n_units:
        raise ValueError(f"The '{name}' parameter of {owner} must be {n_units} x {n_units}. "
                         f"Got shape {arr.shape} instead.")
    big = float(np.max(np.abs(arr))) if arr.size else 0.0
    if big > 1e100:
        raise ValueError(f"The '{name}' parameter of {owner} holds values too large for the energy to be finite. "
                         f"Got max |w_ij| = {big:.3g} instead.")
    gap = float(np.max(np.abs(arr - arr.T))) if arr.size else 0.0
    if gap > 1e-12 * max(1.0, float(np.max(np.abs(arr)))):
        raise ValueError(f"The '{name}' parameter of {owner} must be symmetric (w_ij = w_ji). "
                         f"Got max |w_ij - w_ji| = {gap:.3g} instead.")
    if zero_diagonal and np.any(np.diag(arr) != 0.0):
        raise ValueError(f"The '{name}' parameter of {owner} must have a zero diagonal (w_ii = 0). "
                         f"Got max |w_ii| = {float(np.max(np.abs(np.diag(arr)))):.3g} instead.")
    return arr


def check_unit_index(i: Any, n_units: int, *, owner: str) -> int:
    """An int unit index in ``0 .. n_units - 1``."""
    if isinstance(i, (bool, np.bool_)) or not isinstance(i, (int, np.integer)):
        raise TypeError(f"The 'i' parameter of {owner} must be an int unit index. Got {i!r} instead.")
    if not 0 <= i < n_units:
        raise ValueError(f"The 'i' parameter of {owner} must be in 0..{n_units - 1}. Got {i} instead.")
    return int(i)
