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

from typing import Any

import numpy as np

from annhist.hopfield.checks import check_binary01, check_weights, checked_by
from annhist.validation import as_real_array, check_choice, check_scalar

__all__ = ["boltzmann_energy", "boltzmann_weight_change", "unit_on_probability"]


def boltzmann_energy(W: np.ndarray, s: np.ndarray) -> np.ndarray | float:
    """``E = -sum_{i<j} w_ij s_i s_j = -1/2 s.T W s`` for a symmetric, zero-diagonal ``W``; s (..., N) of 0/1."""
    W = check_weights(W, owner="boltzmann_energy")
    s = check_binary01(s, "s", owner="boltzmann_energy", ndim=(1, 2, 3), n_units=W.shape[0])
    E = -0.5 * np.einsum("...i,ij,...j->...", s, W, s)     # (..., N), (N, N), (..., N) -> (...)
    return float(E) if np.ndim(E) == 0 else E


def _check_on_probability(delta_E: Any, T: Any) -> None:
    dE = as_real_array(delta_E, "delta_E", owner="unit_on_probability")
    if np.isnan(dE).any():
        raise ValueError("The 'delta_E' parameter of unit_on_probability contains NaN.")
    check_scalar(T, "T", owner="unit_on_probability", min_val=0, include_min=False)
    with np.errstate(over="ignore"):               # a huge T: 2T = inf, p = 1/2 as in the kernel
        two_T = 2.0 * T
        dtype = np.result_type(dE, two_T)          # the kernel's dtype: a float32 gap divides in float32
        vanishes = dtype.type(two_T) == 0          # 2T rounds to 0 there: 0 / 0 was NaN, dE / 0 a warning
    if vanishes:
        raise ValueError(f"The 'T' parameter of unit_on_probability must be > 0 in the precision of 'delta_E' "
                         f"({dtype}); 2*T rounds to 0 there. Got {T} instead.")


def _check_weight_change(p_clamped: Any, p_free: Any, epsilon: Any, rule: Any = "linear") -> None:
    own = "boltzmann_weight_change"
    check_choice(rule, "rule", ("linear", "sign"), owner=own)
    check_scalar(epsilon, "epsilon", owner=own, min_val=0, include_min=False)
    shapes = []
    for name, p in (("p_clamped", p_clamped), ("p_free", p_free)):
        arr = as_real_array(p, name, owner=own)
        if not np.all((arr >= 0) & (arr <= 1)):            # NaN fails too
            raise ValueError(f"The '{name}' parameter of {own} must hold probabilities in [0, 1]. "
                             f"Got values from {np.min(arr)} to {np.max(arr)} instead.")
        shapes.append(arr.shape)
    if shapes[0] != shapes[1]:
        raise ValueError(f"The 'p_clamped' and 'p_free' parameters of {own} must have the same shape. "
                         f"Got {shapes[0]} and {shapes[1]} instead.")


@checked_by(_check_on_probability)           # T > 0 and finite, no NaN gap: checked before the printed body
def unit_on_probability(delta_E: np.ndarray, T: float) -> np.ndarray:
    """``p_k = 1 / (1 + exp(-Delta E_k / T))`` (eq. 3), written with tanh so it never overflows."""
    with np.errstate(over="ignore"):                 # T -> 0: x = +-inf, p = 0 or 1 (the deterministic rule)
        x = np.asarray(delta_E) / (2.0 * T)
    return 0.5 * (1.0 + np.tanh(x))                  # = 1 / (1 + e^{-2x}) = 1 / (1 + e^{-dE / T})


@checked_by(_check_weight_change)           # 'rule' one of two, probabilities in [0, 1], epsilon > 0
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
