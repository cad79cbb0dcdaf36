"""Hopfield's energy and update rule (Hopfield 1982, eqs. 1 and 7), in the +-1 coding.

Each unit ``i`` looks at its local field ``h_i = sum_j w_ij s_j`` and takes its sign:
``s_i <- +1`` if ``h_i > 0``, ``-1`` if ``h_i < 0``, unchanged if ``h_i = 0`` (the threshold
``U_i = 0`` of the paper). Updated one unit at a time (asynchronously), the energy
``E = -1/2 sum_ij w_ij s_i s_j`` never increases when ``w`` is symmetric with a zero diagonal.
Updated all at once (synchronously) it may cycle with period 2.

These functions do not modify their arguments.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from annhist.hopfield.checks import check_pm1, check_unit_index, check_weights, checked_by

__all__ = ["async_update", "energy", "local_field", "sign_update", "sync_update"]


def sign_update(h: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Hopfield's threshold rule: ``+1`` where ``h > 0``, ``-1`` where ``h < 0``, ``s`` where ``h = 0``."""
    return np.where(h > 0, 1.0, np.where(h < 0, -1.0, s))


def local_field(W: Any, s: Any) -> np.ndarray:
    """``h_i = sum_j w_ij s_j`` for every unit; ``s`` is one state (N,) or a batch (B, N)."""
    W = check_weights(W, owner="local_field")
    s = check_pm1(s, "s", owner="local_field", ndim=(1, 2), n_units=W.shape[0])
    return s @ W                     # (..., N) @ (N, N) -> (..., N); W is symmetric


def energy(W: Any, s: Any) -> np.ndarray | float:
    """``E = -1/2 sum_ij w_ij s_i s_j`` (Hopfield 1982, eq. 7); a float, or (B,) for a batch (B, N).

    Examples
    --------
    >>> energy([[0, 1], [1, 0]], [1, -1])      # -1/2 (w_01 s_0 s_1 + w_10 s_1 s_0) = -1/2 (-1 - 1)
    1.0
    """
    W = check_weights(W, owner="energy")
    s = check_pm1(s, "s", owner="energy", ndim=(1, 2), n_units=W.shape[0])
    E = -0.5 * np.einsum("...i,ij,...j->...", s, W, s)   # (..., N), (N, N), (..., N) -> (...)
    return float(E) if s.ndim == 1 else E


def _check_async_update(W: Any, s: Any, i: Any) -> None:
    W = check_weights(W, owner="async_update")
    check_pm1(s, "s", owner="async_update", ndim=1, n_units=W.shape[0])
    check_unit_index(i, W.shape[0], owner="async_update")


@checked_by(_check_async_update)     # O(N^2) checks; __wrapped__ is O(N), for Hopfield.recall's N steps a sweep
def async_update(W: Any, s: Any, i: int) -> np.ndarray:
    """One asynchronous step: unit ``i`` alone takes the sign of its local field; a new state.

    Examples
    --------
    >>> async_update([[0, 1], [1, 0]], [1, -1], 0)   # h_0 = w_01 s_1 = -1 < 0, so s_0 becomes -1
    array([-1., -1.])
    """
    out = np.array(s, dtype=float)           # a new state; s is not modified
    h_i = np.asarray(W)[i] @ out             # h_i = sum_j w_ij s_j
    out[i] = sign_update(h_i, out[i])        # s_i <- sgn(h_i), unchanged on a tie
    return out


def sync_update(W: Any, s: Any) -> np.ndarray:
    """One synchronous step: every unit takes the sign of its field at once (Little's dynamics).

    Examples
    --------
    >>> sync_update([[0, 1], [1, 0]], [1, -1])       # both flip: a cycle of period 2
    array([-1.,  1.])
    """
    W = check_weights(W, owner="sync_update")
    s = check_pm1(s, "s", owner="sync_update", ndim=(1, 2), n_units=W.shape[0])
    return sign_update(s @ W, s)             # s_i <- sgn(sum_j w_ij s_j) for all i together
