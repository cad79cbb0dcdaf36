"""Input checks shared by the Hopfield and Boltzmann code: declared once, used at the public boundary.

Every failure is a ``ValueError`` or ``TypeError`` that names the parameter and the value, as in
the rest of annhist ("The 'patterns' parameter of Hopfield must hold only -1 and +1. Got 0.5 ...").
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from annhist.layers import MAX_SIDE
from annhist.validation import check_array, check_scalar, checked_by, short_repr

__all__ = ["check_binary01", "check_connectivity", "check_count", "check_noise", "check_pm1", "check_schedule",
           "check_unit_index", "check_weights", "checked_by", "MAX_UNITS"]

#: The most units of a Hopfield net: its N x N weights stay within ``annhist.layers.MAX_WEIGHTS`` (1 GB of float64).
MAX_UNITS = MAX_SIDE


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
    if arr.shape[-1] > MAX_UNITS:                              # the N x N weights (or correlations) to come
        raise ValueError(f"The '{name}' parameter of {owner} has {arr.shape[-1]:,} units; a net of N units holds "
                         f"N x N weights, so at most {MAX_UNITS:,}.")
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


def _real(v: Any) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_)) and bool(np.isfinite(v))


def check_noise(noise: Any, *, owner: str) -> Any:
    """A pair (tuple, list or array) of clamping noise probabilities, each a real number in [0, 0.5)."""
    pair = isinstance(noise, (tuple, list)) or (isinstance(noise, np.ndarray) and noise.ndim == 1)
    if not (pair and len(noise) == 2 and all(_real(v) and 0 <= v < 0.5 for v in noise)):
        raise ValueError(f"The 'noise' parameter of {owner} must be a pair of probabilities in [0, 0.5). "
                         f"Got {short_repr(noise)} instead.")
    return noise


def check_schedule(schedule: Any, *, owner: str) -> Any:
    """A non-empty sequence of (time units: int >= 1, temperature: finite real > 0) pairs."""
    ok = isinstance(schedule, (tuple, list)) and len(schedule) > 0
    for step in schedule if ok else ():
        ok = ok and isinstance(step, (tuple, list)) and len(step) == 2 and isinstance(step[0], numbers.Integral) \
            and not isinstance(step[0], (bool, np.bool_)) and step[0] >= 1 and _real(step[1]) and step[1] > 0
    if not ok:
        raise ValueError(f"The 'schedule' parameter of {owner} must be a non-empty sequence of "
                         f"(time units >= 1, temperature > 0) pairs. Got {short_repr(schedule)} instead.")
    return schedule


def check_connectivity(mask: Any, n: int, *, owner: str, name: str = "connectivity") -> np.ndarray:
    """A symmetric ``(n, n)`` bool array with a False diagonal: which pairs of units are linked."""
    arr = np.asarray(mask)
    if arr.shape != (n, n) or arr.dtype != bool or np.any(arr != arr.T) or np.any(np.diag(arr)):
        raise ValueError(f"The '{name}' parameter of {owner} must be a symmetric ({n}, {n}) bool array "
                         f"with a False diagonal. Got {arr.dtype} array of shape {arr.shape} instead.")
    return arr


def check_count(value: Any, name: str, *, owner: str, min_val: int = 1) -> int:
    """An int count ``>= min_val`` (bools refused)."""
    return check_scalar(value, name, owner=owner, kind=numbers.Integral, min_val=min_val)
