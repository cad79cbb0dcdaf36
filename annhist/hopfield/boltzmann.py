"""Boltzmann machine learning (Ackley, Hinton & Sejnowski 1985) for many machines at once.

:func:`boltzmann_learning_cycle` is one learning cycle of the paper for ``K`` machines together:
a clamped (positive) phase, a free (negative) phase and the weight change of
:func:`~annhist.hopfield.boltzmann_rule.boltzmann_weight_change`. :class:`BoltzmannMachine` is one
machine (``K = 1``) with the scikit-learn interface; the encoder experiment runs hundreds at once.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator

from annhist.hopfield.annealing import PAPER_SCHEDULE, anneal, cooccurrence
from annhist.hopfield.boltzmann_rule import boltzmann_weight_change
from annhist.hopfield.checks import (
    MAX_UNITS,
    check_binary01,
    check_connectivity,
    check_count,
    check_noise,
    check_schedule,
)
from annhist.layers import MAX_WEIGHTS
from annhist.validation import (
    check_array,
    check_choice,
    check_is_fitted,
    check_random_state,
    check_scalar,
    short_repr,
)

__all__ = ["MAX_WEIGHT", "BoltzmannMachine", "boltzmann_learning_cycle", "check_cycle", "full_connectivity",
           "learning_cycle", "noisy_clamp"]

#: The largest weight a machine may reach. A learning cycle moves a weight by at most ``epsilon`` (the
#: statistics are probabilities), so ``cycles * epsilon`` (plus the largest starting weight) bounds every
#: weight; this bound (the one at which annhist calls weights diverged) keeps the weights and the energy
#: gaps, sums of up to N of them, finite: ``epsilon=1e308`` once reached inf, then inf - inf = NaN.
MAX_WEIGHT = 1e150


def full_connectivity(n_units: int) -> np.ndarray:
    """Every pair of units connected (and unit 0, the always-on unit, to all): (n+1, n+1) bool.

    ``n_units + 1`` is at most ``MAX_UNITS`` (the machine's weights, within ``MAX_WEIGHTS``).
    """
    check_scalar(n_units, "n_units", owner="full_connectivity", kind=numbers.Integral, min_val=0,
                 max_val=MAX_UNITS - 1)                                        # 10**6 was a 931 GiB MemoryError
    mask = np.ones((n_units + 1, n_units + 1), dtype=bool)
    np.fill_diagonal(mask, False)
    return mask


def noisy_clamp(patterns: np.ndarray, noise: tuple[float, float], rng: np.random.Generator) -> np.ndarray:
    """Clamp with noise: an on unit is clamped off with probability ``noise[0]``, an off unit on
    with probability ``noise[1]`` (keeps the clamped statistics away from 0 and 1, so the weights
    stay finite)."""
    u = rng.random(patterns.shape)
    return np.where(patterns == 1, u >= noise[0], u < noise[1]).astype(float)


def check_cycle(W: Any, patterns: Any, mask: Any, *, n_chains: Any, schedule: Any, stat_temperature: Any,
                stat_sweeps: Any, epsilon: Any, rule: Any, noise: Any, owner: str,
                patterns_name: str = "patterns") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The arguments of :func:`boltzmann_learning_cycle`, checked; returns ``W``, ``patterns`` and ``mask``.

    ``W`` (K, N, N): finite, symmetric, zero diagonal, at most ``MAX_WEIGHT - epsilon``; ``patterns``
    (P, V) of 0/1 with ``1 <= V < N``; ``mask`` (N, N) bool, symmetric, False diagonal. Sizes: the weights
    and the chains' states ``K * P * n_chains * N`` at most ``MAX_WEIGHTS`` numbers each.
    """
    for name, value in (("n_chains", n_chains), ("stat_sweeps", stat_sweeps)):
        check_count(value, name, owner=owner)
    check_scalar(stat_temperature, "stat_temperature", owner=owner, min_val=0, include_min=False)
    check_scalar(epsilon, "epsilon", owner=owner, min_val=0, include_min=False)
    if float(epsilon) > MAX_WEIGHT:                                  # float: a float32 epsilon would overflow
        raise ValueError(f"The 'epsilon' parameter of {owner} must be <= {MAX_WEIGHT:g}. Got {epsilon} instead.")
    check_choice(rule, "rule", ("sign", "linear"), owner=owner)
    check_schedule(schedule, owner=owner)
    check_noise(noise, owner=owner)
    W = check_array(W, "W", ndim=3, owner=owner)
    K, N, M = W.shape
    if N != M or N < 2:
        raise ValueError(f"The 'W' parameter of {owner} must be a stack of square (N, N) matrices, N >= 2. "
                         f"Got shape {W.shape} instead.")
    if K * N * N > MAX_WEIGHTS:
        raise ValueError(f"The 'W' parameter of {owner} holds {K * N * N:,} weights; at most {MAX_WEIGHTS:,}.")
    if np.any(W != W.transpose(0, 2, 1)) or np.any(W[:, np.arange(N), np.arange(N)] != 0):
        raise ValueError(f"The 'W' parameter of {owner} must be symmetric with a zero diagonal.")
    if float(np.max(np.abs(W))) > MAX_WEIGHT - float(epsilon):
        raise ValueError(f"The 'W' parameter of {owner} holds weights beyond {MAX_WEIGHT:g} - epsilon. "
                         f"Got max |w| = {float(np.max(np.abs(W))):.3g} instead.")
    patterns = check_binary01(patterns, patterns_name, owner=owner)
    P, V = patterns.shape
    if V >= N:
        raise ValueError(f"The '{patterns_name}' parameter of {owner} must have fewer than N = {N} units (unit 0 "
                         f"is always on). Got shape {patterns.shape} instead.")
    if K * P * int(n_chains) * N > MAX_WEIGHTS:
        raise ValueError(f"The 'n_chains' parameter of {owner} asks for {K} x {P * n_chains} chains of {N} "
                         f"units; at most {MAX_WEIGHTS:,} numbers. Got n_chains={n_chains} instead.")
    return W, patterns, check_connectivity(mask, N, owner=owner, name="mask")


def boltzmann_learning_cycle(W: np.ndarray, patterns: np.ndarray, mask: np.ndarray, rng: Any, *,
                             n_chains: int = 5, schedule: tuple = PAPER_SCHEDULE, stat_temperature: float = 10.0,
                             stat_sweeps: int = 10, epsilon: float = 2.0, rule: str = "sign",
                             noise: tuple[float, float] = (0.15, 0.05)) -> np.ndarray:
    """One learning cycle for ``K`` machines; returns the new weights (K, N, N).

    ``patterns`` (P, V) are the environment's vectors over the visible units ``1..V`` (unit 0 is
    always on; units ``V+1..N-1`` are hidden). Positive phase: each pattern clamped (noisily) in
    ``n_chains`` chains, the hidden units annealed, ``p_ij`` collected. Negative phase: ``P *
    n_chains`` chains with nothing clamped, annealed, ``p'_ij`` collected. ``rng``: None, an int seed
    or a Generator. Everything is checked first (:func:`check_cycle`).
    """
    owner = "boltzmann_learning_cycle"
    W, patterns, mask = check_cycle(W, patterns, mask, n_chains=n_chains, schedule=schedule,
                                    stat_temperature=stat_temperature, stat_sweeps=stat_sweeps, epsilon=epsilon,
                                    rule=rule, noise=noise, owner=owner)
    rng = check_random_state(rng, owner=owner, name="rng")
    return learning_cycle(W, patterns, mask, rng, n_chains=n_chains, schedule=schedule,
                          stat_temperature=stat_temperature, stat_sweeps=stat_sweeps, epsilon=epsilon, rule=rule,
                          noise=noise)


def learning_cycle(W: np.ndarray, patterns: np.ndarray, mask: np.ndarray, rng: np.random.Generator, *,
                   n_chains: int, schedule: tuple, stat_temperature: float, stat_sweeps: int, epsilon: float,
                   rule: str, noise: tuple[float, float]) -> np.ndarray:
    """:func:`boltzmann_learning_cycle` without its checks: the loop of callers that checked once
    (:func:`check_cycle`), :class:`BoltzmannMachine` and :func:`~annhist.hopfield.encoder.train_encoders`."""
    K, N, _ = W.shape
    P, V = patterns.shape
    C = P * n_chains
    hidden, free = np.arange(V + 1, N), np.arange(1, N)
    S = (rng.random((K, C, N)) < 0.5).astype(float)                       # random start, (K, C, N)
    S[:, :, 0] = 1.0                                                       # the always-on unit
    S[:, :, 1:V + 1] = noisy_clamp(np.broadcast_to(np.repeat(patterns, n_chains, axis=0), (K, C, V)), noise, rng)
    S = anneal(W, S, hidden, schedule, rng)
    p_clamped, _ = cooccurrence(W, S, hidden, stat_temperature, stat_sweeps, rng)
    S = (rng.random((K, C, N)) < 0.5).astype(float)
    S[:, :, 0] = 1.0
    S = anneal(W, S, free, schedule, rng)
    p_free, _ = cooccurrence(W, S, free, stat_temperature, stat_sweeps, rng)
    change = boltzmann_weight_change.__wrapped__(p_clamped, p_free, epsilon, rule)   # the printed kernel
    return W + mask * change                                                            # only existing links


class BoltzmannMachine(BaseEstimator):
    """A Boltzmann machine of binary stochastic units trained by simulated annealing.

    As in scikit-learn, ``set_params`` changes the parameters, not the fitted machine:
    :meth:`complete` uses the unit counts of the last :meth:`fit` until ``fit`` is called again.

    Parameters
    ----------
    n_visible, n_hidden : int
        Visible units (clamped to the environment in the positive phase) and hidden units.
    connectivity : array of shape (N, N) of bool or None
        Which pairs are connected, over ``N = 1 + n_visible + n_hidden`` units with unit 0 the
        always-on unit (its links are the thresholds). None: all pairs.
    cycles : int
        Learning cycles. Each is :func:`boltzmann_learning_cycle`.
    n_chains, schedule, stat_temperature, stat_sweeps, epsilon, rule, noise
        As in :func:`boltzmann_learning_cycle`; the defaults are the encoder settings of the paper
        (schedule 2@20, 2@15, 2@12, 4@10; statistics for 10 time units at T=10; weight steps of 2 in
        the direction of ``p_ij - p'_ij``; noisy clamping 0.15 / 0.05).
    random_state : None, int or numpy.random.Generator

    Attributes
    ----------
    weights_ : array of shape (N, N)
        Symmetric; ``weights_[0, i]`` is unit i's threshold term.
    n_visible_ : int
        The visible units of the fitted machine (``n_visible`` at the last :meth:`fit`).
    history_ : dict
        ``"weight_norm"``: the Frobenius norm of the weights after each cycle.

    References
    ----------
    D. H. Ackley, G. E. Hinton and T. J. Sejnowski, "A learning algorithm for Boltzmann
    machines", Cognitive Science 9(1):147-169, 1985.
    """

    def __init__(self, n_visible: int = 8, n_hidden: int = 2, *, connectivity: Any = None, cycles: int = 200,
                 n_chains: int = 5, schedule: tuple = PAPER_SCHEDULE, stat_temperature: float = 10.0,
                 stat_sweeps: int = 10, epsilon: float = 2.0, rule: str = "sign",
                 noise: tuple[float, float] = (0.15, 0.05), random_state: Any = None) -> None:
        self.n_visible, self.n_hidden, self.connectivity = n_visible, n_hidden, connectivity
        self.cycles, self.n_chains, self.schedule = cycles, n_chains, schedule
        self.stat_temperature, self.stat_sweeps, self.epsilon = stat_temperature, stat_sweeps, epsilon
        self.rule, self.noise, self.random_state = rule, noise, random_state

    def _check_params(self) -> np.ndarray:
        own = "BoltzmannMachine"
        for name in ("n_visible", "n_hidden", "cycles"):
            check_count(getattr(self, name), name, owner=own, min_val=0 if name == "n_hidden" else 1)
        N = 1 + int(self.n_visible) + int(self.n_hidden)
        if N * N > MAX_WEIGHTS:
            raise ValueError(f"The 'n_visible' and 'n_hidden' parameters of {own} ask for {N} units, {N * N:,} "
                             f"weights; at most {MAX_WEIGHTS:,}. Got {self.n_visible} and {self.n_hidden} instead.")
        check_scalar(self.epsilon, "epsilon", owner=own, min_val=0, include_min=False)
        if float(self.epsilon) * int(self.cycles) > MAX_WEIGHT:
            raise ValueError(f"The 'epsilon' parameter of {own} times 'cycles' bounds the weights and must be <= "
                             f"{MAX_WEIGHT:g}. Got epsilon={self.epsilon} and cycles={self.cycles} instead.")
        check_random_state(self.random_state, owner=own)
        if self.connectivity is None:
            return full_connectivity(N - 1)
        return check_connectivity(self.connectivity, N, owner=own)

    def fit(self, X: Any) -> BoltzmannMachine:
        """Learn the distribution of the patterns ``X`` (n_patterns, n_visible) of 0/1; return ``self``."""
        mask = self._check_params()
        X = check_binary01(X, "X", owner="BoltzmannMachine", n_units=self.n_visible)
        settings = {"n_chains": self.n_chains, "schedule": self.schedule, "stat_temperature": self.stat_temperature,
                    "stat_sweeps": self.stat_sweeps, "epsilon": self.epsilon, "rule": self.rule, "noise": self.noise}
        W, X, mask = check_cycle(np.zeros((1, *mask.shape)), X, mask, owner="BoltzmannMachine", patterns_name="X",
                                 **settings)
        rng = check_random_state(self.random_state, owner="BoltzmannMachine")
        norms = []
        for _ in range(self.cycles):
            W = learning_cycle(W, X, mask, rng, **settings)
            norms.append(float(np.linalg.norm(W[0])))
        self.weights_, self.history_, self.n_visible_ = W[0], {"weight_norm": norms}, int(self.n_visible)
        return self

    def complete(self, visible: Any, clamped: Any, n_samples: int = 20) -> np.ndarray:
        """Clamp the ``clamped`` visible units to ``visible`` (0/1), anneal, return the mean states.

        Returns the probability that each unit (visible then hidden, without unit 0) is on over
        ``n_samples`` annealings followed by ``stat_sweeps`` time units at ``stat_temperature``.
        ``clamped``: ``n_visible`` bools (or 0/1); ``n_samples * N`` at most ``MAX_WEIGHTS`` states.
        """
        check_is_fitted(self, "weights_")
        n_vis, note = self._fitted_visible()
        v = check_binary01(visible, "visible", owner="BoltzmannMachine", ndim=1)
        if v.shape[-1] != n_vis:
            raise ValueError(f"The 'visible' parameter of BoltzmannMachine must have {n_vis} units on its last "
                             f"axis{note}. Got shape {v.shape} instead.")
        try:
            c = np.asarray(clamped)
        except ValueError:                                               # ragged
            c = np.asarray(None)
        if c.dtype != bool and (c.dtype.kind not in "iuf" or not np.all((c == 0) | (c == 1))):
            error = ValueError if c.dtype.kind in "iuf" else TypeError      # ["a", "b"] was read as all True
            raise error(f"The 'clamped' parameter of BoltzmannMachine must be a bool mask (or of 0/1). "
                        f"Got {short_repr(clamped)} instead.")
        c = c.astype(bool)
        if c.shape != (n_vis,):
            raise ValueError(f"The 'clamped' parameter of BoltzmannMachine must be a bool mask of shape "
                             f"({n_vis},){note}. Got shape {c.shape} instead.")
        check_scalar(n_samples, "n_samples", owner="BoltzmannMachine", kind=numbers.Integral, min_val=1,
                     max_val=MAX_WEIGHTS // self.weights_.shape[0])      # the samples' states, (n_samples, N)
        rng = check_random_state(self.random_state, owner="BoltzmannMachine")
        N = self.weights_.shape[0]
        S = (rng.random((1, n_samples, N)) < 0.5).astype(float)
        S[:, :, 0] = 1.0
        S[:, :, 1:n_vis + 1][:, :, c] = v[c]
        free = np.array([0] + [1 + i for i in range(n_vis) if c[i]])
        free = np.setdiff1d(np.arange(N), free)
        S = anneal(self.weights_[None], S, free, self.schedule, rng)
        p, _ = cooccurrence(self.weights_[None], S, free, self.stat_temperature, self.stat_sweeps, rng)
        return np.diag(p[0])[1:]                      # p_ii = probability that unit i is on

    def _fitted_visible(self) -> tuple[int, str]:
        """The fitted visible count, and a note for errors when set_params changed the unit counts since fit."""
        n_vis = getattr(self, "n_visible_", self.n_visible)
        n_hid = self.weights_.shape[0] - 1 - n_vis
        if (self.n_visible, self.n_hidden) == (n_vis, n_hid):
            return n_vis, ""
        return n_vis, (f" (the machine was fitted with n_visible={n_vis}, n_hidden={n_hid}; set_params changed them "
                       f"to {self.n_visible}, {self.n_hidden} since: call 'fit' again to use them)")

