"""The fast path: asynchronous Hopfield dynamics for many nets and many start states at once.

Why it is fast: the capacity curve needs thousands of independent recalls. Instead of one
Python loop per recall, the trials are stacked on a leading axis -- weights ``(K, N, N)``, states
``(K, B, N)`` -- and each single-unit update is done for all ``K * B`` recalls together, reading
the local fields ``h_i`` from an array that is corrected only where a unit flipped. The rule is still
:func:`annhist.hopfield.rule.sign_update` on one unit at a time; all recalls visit the units in
the same random order in a sweep. ``tests/test_hopfield.py`` checks it against
:func:`annhist.hopfield.rule.async_update` step by step. These kernels do not check their arguments; their
callers in :mod:`annhist.hopfield.capacity` do.
"""

from __future__ import annotations

import numpy as np

__all__ = ["async_sweeps_batch", "hebb_weights_batch", "random_patterns", "zero_one_bias"]


def random_patterns(rng: np.random.Generator, *shape: int) -> np.ndarray:
    """Unbiased random +-1 patterns of the given shape (each unit +1 with probability 1/2)."""
    return np.where(rng.random(shape) < 0.5, -1.0, 1.0)


def hebb_weights_batch(xi: np.ndarray) -> np.ndarray:
    """:func:`~annhist.hopfield.hebb.hebb_weights` for a stack of pattern sets (K, P, N) -> (K, N, N)."""
    N = xi.shape[-1]
    W = np.einsum("kpi,kpj->kij", xi, xi) / N     # (K, P, N) x (K, P, N) -> (K, N, N)
    idx = np.arange(N)
    W[:, idx, idx] = 0.0                           # zero diagonal in every net
    return W


def async_sweeps_batch(W: np.ndarray, S: np.ndarray, rng: np.random.Generator, max_sweeps: int = 50,
                       orders: list[np.ndarray] | None = None,
                       bias: np.ndarray | None = None) -> tuple[np.ndarray, int]:
    """Asynchronous sweeps on ``S`` (K, B, N) under weights ``W`` (K, N, N) until nothing changes.

    Returns the final states (a new array) and the number of sweeps run. ``orders`` (one
    permutation of the units per sweep) replaces the random orders, for tests. ``bias`` (K, N) is
    added to the fields (see :func:`zero_one_bias`). The fields ``H = S W + b`` are kept up to date
    by adding ``(s_i' - s_i) w_i`` to the recalls in which unit ``i`` flipped -- flips are rare,
    so a sweep costs little more than reading the fields. Integer-valued weights (``N W`` for
    Hebb's rule) keep this update exact, so ties ``h_i = 0`` are seen as ties.
    """
    N = S.shape[-1]
    H = S @ W                                                  # (K, B, N) @ (K, N, N) -> (K, B, N)
    if bias is not None:
        H += bias[:, None, :]
    St = np.ascontiguousarray(S.transpose(2, 0, 1))            # (K, B, N) -> (N, K, B): unit i is St[i]
    Ht = np.ascontiguousarray(H.transpose(2, 0, 1))
    for sweep in range(max_sweeps):
        order = orders[sweep] if orders is not None else rng.permutation(N)
        changed = False
        for i in order:
            # sign_update flips s_i exactly where h_i has the opposite sign (a tie h_i = 0 keeps s_i)
            kk, bb = np.nonzero(Ht[i] * St[i] < 0)             # the recalls in which unit i flips
            if kk.size:
                changed = True
                ds = -2.0 * St[i, kk, bb]                      # s_i' - s_i
                Ht[:, kk, bb] += W[kk, i, :].T * ds            # h_j += w_ji (s_i' - s_i), (N, flips)
                St[i, kk, bb] += ds
        if not changed:
            return St.transpose(1, 2, 0).copy(), sweep + 1
    return St.transpose(1, 2, 0).copy(), max_sweeps


def zero_one_bias(W: np.ndarray) -> np.ndarray:
    """The extra field of Hopfield's own 0/1 coding: ``b_i = sum_j w_ij``, shape (K, N).

    Hopfield (1982) used units ``V in {0, 1}`` with threshold 0: ``V_i <- 1`` iff
    ``sum_j T_ij V_j > 0``. With ``V = (s + 1) / 2`` that field is ``(h_i + sum_j T_ij) / 2``: the
    +-1 rule plus a pattern-dependent bias, which adds crosstalk and lowers the capacity.
    """
    return W.sum(axis=-1)           # (K, N, N) -> (K, N)
