"""Simulated annealing and co-occurrence statistics for many Boltzmann machines at once.

Vectorised like :mod:`annhist.hopfield.dynamics`: ``K`` independent machines (weights
``(K, N, N)``) each run ``C`` chains (states ``(K, C, N)``). A *time unit* is one sweep in which
every free unit, in a fresh random order shared by all chains, is given one chance to change
(eq. 3); clamped units keep their values. Every step is done for all ``K * C`` chains together.

These are the inner loops of the checked :func:`~annhist.hopfield.boltzmann.boltzmann_learning_cycle`,
:class:`~annhist.hopfield.boltzmann.BoltzmannMachine` and :mod:`annhist.hopfield.encoder`: they do not
check their arguments; their callers do.
"""

from __future__ import annotations

import numpy as np

__all__ = ["PAPER_SCHEDULE", "anneal", "cooccurrence", "gibbs_sweeps", "logistic_noise"]

# Ackley, Hinton & Sejnowski (1985), encoder problems: 2 time units at T=20, 2 at 15, 2 at 12, 4 at 10;
# the statistics are then collected for 10 time units at T=10.
PAPER_SCHEDULE: tuple[tuple[int, float], ...] = ((2, 20.0), (2, 15.0), (2, 12.0), (4, 10.0))


def gibbs_sweeps(W: np.ndarray, S: np.ndarray, free: np.ndarray, T: float, n_sweeps: int,
                 rng: np.random.Generator) -> np.ndarray:
    """``n_sweeps`` time units at temperature ``T`` on a copy of ``S``; returns the new states.

    Unit ``k`` is set on with probability ``p_k = unit_on_probability(Delta E_k, T)`` (eq. 3). The
    draw is done in the equivalent form ``Delta E_k / T > L`` with ``L = log(u / (1 - u))``, ``u``
    uniform -- ``P(L < x) = 1 / (1 + e^{-x})`` -- so that the noise of a whole sweep is drawn at
    once (one call instead of one per unit: the sweep is about twice as fast).
    """
    S = S.copy()
    K, C, _ = S.shape
    for _ in range(n_sweeps):
        L = logistic_noise(rng, (len(free), K, C))                   # one logistic draw per unit and chain
        for j, k in enumerate(rng.permutation(free)):
            gap = (S @ W[:, k, :, None])[..., 0]                     # Delta E_k = sum_i w_ki s_i, (K, C)
            S[:, :, k] = gap > T * L[j]                              # on with probability p_k (eq. 3)
    return S


def logistic_noise(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Samples of the logistic distribution, ``P(L < x) = 1 / (1 + e^{-x})``: ``log(u) - log1p(-u)``.

    Worked in place, two arrays of ``shape`` at most (the expression written out holds four at once: a
    machine-chain bound's sweep draws about 1 GB of noise), with the same bits.
    """
    u = rng.random(shape)
    with np.errstate(divide="ignore"):                              # u = 0 gives -inf: always on
        L = np.log(u)
        np.log1p(np.negative(u, out=u), out=u)                      # u <- log1p(-u)
        L -= u
    return L


def anneal(W: np.ndarray, S: np.ndarray, free: np.ndarray, schedule: tuple[tuple[int, float], ...],
           rng: np.random.Generator) -> np.ndarray:
    """Run the annealing ``schedule`` ((time units, temperature), ...) on the free units."""
    for n_sweeps, T in schedule:
        S = gibbs_sweeps(W, S, free, T, n_sweeps, rng)
    return S


def cooccurrence(W: np.ndarray, S: np.ndarray, free: np.ndarray, T: float, n_sweeps: int,
                 rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``p_ij``: the fraction of (time unit, chain) samples with units i and j both on, (K, N, N).

    Returns the statistics and the last states.
    """
    K, C, N = S.shape
    stats = np.zeros((K, N, N))
    for _ in range(n_sweeps):
        S = gibbs_sweeps(W, S, free, T, 1, rng)
        stats += np.einsum("kci,kcj->kij", S, S)                  # (K, C, N) x (K, C, N) -> (K, N, N)
    return stats / (n_sweeps * C), S
