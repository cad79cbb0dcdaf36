"""Hebb's rule as Hopfield used it: the outer-product (correlation) storage prescription.

Hebb (1949) postulated that when a cell repeatedly takes part in firing another, the connection
between them grows. Hopfield (1982, eq. 2) wrote the prescription for a set of states
``V^s`` in {0, 1} as ``T_ij = sum_s (2 V_i^s - 1)(2 V_j^s - 1)`` with ``T_ii = 0``; in the +-1
coding ``xi = 2V - 1`` this is the outer product ``sum_s xi^s xi^s.T`` with the diagonal removed.
We divide by ``N`` as Amit, Gutfreund and Sompolinsky (1985) do; a positive factor changes
no sign, so the dynamics are Hopfield's.
"""

from __future__ import annotations

import numpy as np

from annhist.hopfield.checks import check_pm1

__all__ = ["correlation_matrix", "hebb_weights"]


def hebb_weights(patterns: np.ndarray) -> np.ndarray:
    """The Hebbian weights ``w_ij = (1/N) sum_mu xi_i^mu xi_j^mu`` for ``i != j``, ``w_ii = 0``.

    Parameters
    ----------
    patterns : array of shape (n_patterns, n_units)
        The memories ``xi^mu``, each unit -1 or +1; at most ``n_units`` of them.

    Returns
    -------
    W : array of shape (n_units, n_units)
        Symmetric, zero diagonal.

    Notes
    -----
    ``W = (P / N) (C - I)`` where ``C = (1/P) sum_mu xi^mu xi^mu.T`` is the patterns' correlation
    matrix (:func:`correlation_matrix`; its diagonal is 1 for +-1 units).

    References
    ----------
    D. O. Hebb, *The Organization of Behavior*, Wiley, 1949. J. J. Hopfield, "Neural networks and
    physical systems with emergent collective computational abilities", PNAS 79:2554-2558, 1982, eq. 2.

    Examples
    --------
    >>> hebb_weights([[1, -1, 1]])
    array([[ 0.        , -0.33333333,  0.33333333],
           [-0.33333333,  0.        , -0.33333333],
           [ 0.33333333, -0.33333333,  0.        ]])
    """
    xi = check_pm1(patterns, "patterns", owner="hebb_weights")
    P, N = xi.shape
    if P > N:
        raise ValueError(f"The 'patterns' parameter of hebb_weights holds more patterns than units: "
                         f"Got {P} patterns of {N} units (at most {N}; the capacity is about 0.14 N).")
    W = xi.T @ xi / N              # (N, P) @ (P, N) -> (N, N): w_ij = (1/N) sum_mu xi_i^mu xi_j^mu
    np.fill_diagonal(W, 0.0)       # T_ii = 0 (Hopfield 1982): no unit excites itself
    return W


def correlation_matrix(patterns: np.ndarray) -> np.ndarray:
    """The patterns' correlation matrix ``C = (1/P) sum_mu xi^mu xi^mu.T``, shape (N, N)."""
    xi = check_pm1(patterns, "patterns", owner="correlation_matrix")
    return xi.T @ xi / xi.shape[0]   # (N, P) @ (P, N) -> (N, N)
