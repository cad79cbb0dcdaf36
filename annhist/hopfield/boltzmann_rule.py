"""The Boltzmann machine's three equations (Ackley, Hinton & Sejnowski 1985), as plain functions.

Units are binary, ``s_i in {0, 1}``. Unit 0 is always on, so ``w_0i`` plays the part of the
threshold ``-theta_i`` and is learned like any other weight.

- Energy: ``E = -sum_{i<j} w_ij s_i s_j`` (eq. 1; the thresholds are the ``w_0i`` terms).
- A unit ``k`` whose energy gap is ``Delta E_k = sum_i w_ki s_i`` turns on with probability
  ``p_k = 1 / (1 + exp(-Delta E_k / T))`` at temperature ``T`` (eq. 3).
- Learning: ``Delta w_ij = epsilon (p_ij - p'_ij)`` where ``p_ij`` is the probability that units
  ``i`` and ``j`` are both on when the visible units are clamped to the environment and ``p'_ij``
  the same probability when the net runs freely (eq. 9, both at equilibrium). In the encoder
  experiments the paper changed each weight by a fixed amount in the direction of the sign of
  ``p_ij - p'_ij`` (``rule="sign"``).
"""

from __future__ import annotations

import numpy as np

__all__ = ["boltzmann_energy", "boltzmann_weight_change", "unit_on_probability"]


def boltzmann_energy(W: np.ndarray, s: np.ndarray) -> np.ndarray | float:
    """``E = -sum_{i<j} w_ij s_i s_j = -1/2 s.T W s`` for a symmetric, zero-diagonal ``W``; s (..., N)."""
    E = -0.5 * np.einsum("...i,ij,...j->...", s, W, s)     # (..., N), (N, N), (..., N) -> (...)
    return float(E) if np.ndim(E) == 0 else E


def unit_on_probability(delta_E: np.ndarray, T: float) -> np.ndarray:
    """``p_k = 1 / (1 + exp(-Delta E_k / T))`` (eq. 3), written with tanh so it never overflows."""
    with np.errstate(over="ignore"):                 # T -> 0: x = +-inf, p = 0 or 1 (the deterministic rule)
        x = np.asarray(delta_E) / (2.0 * T)
    return 0.5 * (1.0 + np.tanh(x))                  # = 1 / (1 + e^{-2x}) = 1 / (1 + e^{-dE / T})


def boltzmann_weight_change(p_clamped: np.ndarray, p_free: np.ndarray, epsilon: float,
                            rule: str = "linear") -> np.ndarray:
    """``Delta w_ij = epsilon (p_ij - p'_ij)`` (``"linear"``) or ``epsilon sgn(p_ij - p'_ij)`` (``"sign"``).

    Examples
    --------
    >>> boltzmann_weight_change(np.array([0.5, 0.2]), np.array([0.25, 0.2]), 2.0, "sign")
    array([2., 0.])
    """
    diff = p_clamped - p_free                       # clamped minus free co-occurrence
    return epsilon * (np.sign(diff) if rule == "sign" else diff)
