"""Storage capacity and spurious states, measured by simulation (vectorised over trials).

For each load ``P`` we draw ``n_trials`` independent nets of ``N`` units, each storing ``P`` random
+-1 patterns with Hebb's rule, start each net at each of its own patterns and let the asynchronous
dynamics run to a fixed point (:func:`annhist.hopfield.dynamics.async_sweeps_batch`: all trials and
all start states in one array). A memory counts as *recalled* when the fixed point differs from it
in fewer than ``max_errors`` units -- Hopfield's (1982) "less than 5 errors" for ``N = 100``.

Hopfield (1982) reported for N = 100 that at 15 memories about half were recalled that way ("about
0.15 N states can be simultaneously remembered before error in recall is severe"); Amit, Gutfreund
and Sompolinsky (1985) found that for large N retrieval states exist up to ``P / N = alpha_c``, about
0.14 (0.138).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np

from annhist.hopfield.checks import check_count, check_pm1
from annhist.hopfield.dynamics import (
    async_sweeps_batch,
    hebb_weights_batch,
    random_patterns,
    zero_one_bias,
)
from annhist.hopfield.rule import sign_update
from annhist.layers import MAX_WEIGHTS
from annhist.validation import check_choice, check_random_state, check_scalar, short_repr

__all__ = ["capacity_at", "capacity_curve", "mixture_states", "recall_statistics", "spurious_statistics"]


def _check_nets(owner: str, n_units: Any, n_patterns: Any, n_trials: Any, rng: Any,
                max_sweeps: Any) -> np.random.Generator:
    """Counts >= 1 (``n_patterns`` a list of them for a curve), at most ``MAX_WEIGHTS`` weights in all nets."""
    check_count(n_units, "n_units", owner=owner)
    check_count(n_trials, "n_trials", owner=owner)
    check_count(max_sweeps, "max_sweeps", owner=owner)
    for P in n_patterns:
        check_count(P, "n_patterns" if owner != "capacity_curve" else "loads", owner=owner)
    most = int(n_trials) * int(n_units) * max(int(n) for n in [n_units, *n_patterns])
    if most > MAX_WEIGHTS:
        raise ValueError(f"The 'n_units' and 'n_trials' parameters of {owner} ask for {n_trials} nets of {n_units} "
                         f"units ({most:,} weights or pattern units); at most {MAX_WEIGHTS:,}.")
    return check_random_state(rng, owner=owner, name="rng")


def recall_statistics(n_units: int, n_patterns: int, n_trials: int, rng: Any, *,
                      max_errors: int = 5, max_sweeps: int = 50, coding: str = "pm1") -> dict[str, float]:
    """Store ``n_patterns`` random patterns in each of ``n_trials`` nets; start at each pattern.

    ``coding="01"`` runs Hopfield's own 0/1 units (:func:`~annhist.hopfield.dynamics.zero_one_bias`).
    ``rng``: None, an int seed or a Generator.

    Returns the fraction of patterns that are exact fixed points (``stable``), the fraction
    recalled with fewer than ``max_errors`` wrong units (``recalled``) and the mean final overlap
    ``m = (1/N) sum_i xi_i s_i`` (``overlap``).
    """
    rng = _check_nets("recall_statistics", n_units, [n_patterns], n_trials, rng, max_sweeps)
    check_count(max_errors, "max_errors", owner="recall_statistics")
    check_choice(coding, "coding", ("pm1", "01"), owner="recall_statistics")
    xi = random_patterns(rng, n_trials, n_patterns, n_units)        # (K, P, N)
    W = np.rint(hebb_weights_batch(xi) * n_units)                    # (K, N, N); N W: integers, same signs
    bias = zero_one_bias(W) if coding == "01" else np.zeros(W.shape[:2])
    h = xi @ W + bias[:, None, :]                                    # fields at the patterns, (K, P, N)
    stable = np.all(sign_update(h, xi) == xi, axis=-1)               # one step changes nothing
    final, _ = async_sweeps_batch(W, xi, rng, max_sweeps=max_sweeps, bias=bias)
    errors = np.sum(final != xi, axis=-1)                            # (K, P)
    return {"stable": float(np.mean(stable)), "recalled": float(np.mean(errors < max_errors)),
            "overlap": float(np.mean(np.sum(final * xi, axis=-1) / n_units))}


def capacity_curve(n_units: int, loads: list[int], n_trials: int, rng: Any, *,
                   max_errors: int = 5, coding: str = "pm1") -> dict[str, list[float]]:
    """:func:`recall_statistics` for each number of patterns in ``loads`` (a non-empty sequence of ints >= 1);
    lists keyed by statistic."""
    if isinstance(loads, (str, bytes)) or not hasattr(loads, "__len__") or len(loads) == 0:
        raise ValueError(f"The 'loads' parameter of capacity_curve must be a non-empty sequence of numbers of "
                         f"patterns. Got {short_repr(loads)} instead.")
    rng = _check_nets("capacity_curve", n_units, list(loads), n_trials, rng, 50)
    check_count(max_errors, "max_errors", owner="capacity_curve")
    check_choice(coding, "coding", ("pm1", "01"), owner="capacity_curve")
    rows = [recall_statistics(n_units, P, n_trials, rng, max_errors=max_errors, coding=coding) for P in loads]
    out: dict[str, list[float]] = {"n_patterns": [int(P) for P in loads],
                                   "alpha": [P / n_units for P in loads]}
    for key in ("stable", "recalled", "overlap"):
        out[key] = [r[key] for r in rows]
    return out


def capacity_at(curve: dict[str, list[float]], key: str = "recalled", level: float = 0.5) -> float:
    """The load ``alpha = P / N`` where ``curve[key]`` falls through ``level`` (linear interpolation).

    Returns the largest tested alpha if it never falls below ``level``. ``curve`` holds ``"alpha"`` and
    ``key``: equally long, non-empty lists of finite numbers (as :func:`capacity_curve` returns).
    """
    a, y = _check_curve(curve, key)
    check_scalar(level, "level", owner="capacity_at")
    below = np.flatnonzero(y < level)
    if below.size == 0:
        return float(a[-1])
    j = int(below[0])
    if j == 0:
        return float(a[0])
    return float(a[j - 1] + (y[j - 1] - level) * (a[j] - a[j - 1]) / (y[j - 1] - y[j]))


def _check_curve(curve: Any, key: Any) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(curve, Mapping):
        raise TypeError(f"The 'curve' parameter of capacity_at must be a dict of lists (capacity_curve's result). "
                        f"Got {short_repr(curve)} instead.")
    if not isinstance(key, str) or key not in curve or "alpha" not in curve:
        raise ValueError(f"The 'curve' parameter of capacity_at must hold 'alpha' and the key {key!r}. "
                         f"Got the keys {short_repr(sorted(map(str, curve)))} instead.")
    arrays = []
    for name in ("alpha", key):
        try:
            arr = np.asarray(curve[name], dtype=float)
        except (TypeError, ValueError):
            arr = np.array([np.nan])
        if arr.ndim != 1 or arr.size == 0 or not np.all(np.isfinite(arr)):
            raise ValueError(f"The 'curve' parameter of capacity_at must hold a non-empty list of finite numbers "
                             f"under {name!r}. Got {short_repr(curve[name])} instead.")
        arrays.append(arr)
    if arrays[0].size != arrays[1].size:
        raise ValueError(f"The 'curve' parameter of capacity_at must hold as many values under {key!r} as under "
                         f"'alpha'. Got {arrays[1].size} and {arrays[0].size} instead.")
    return arrays[0], arrays[1]


def mixture_states(xi: np.ndarray, k: int = 3) -> np.ndarray:
    """Symmetric mixtures ``sgn(xi^1 + ... + xi^k)`` of the first ``k`` (odd) patterns of each set.

    ``xi`` is (..., P, N) of +-1 with ``P >= k``; the result is (..., N). For odd ``k`` the sum is never 0.
    """
    xi = check_pm1(xi, "xi", owner="mixture_states", ndim=(2, 3, 4))
    check_scalar(k, "k", owner="mixture_states", kind=numbers.Integral, min_val=1, max_val=xi.shape[-2])
    if k % 2 == 0:
        raise ValueError(f"The 'k' parameter of mixture_states must be odd (an even sum can be 0). Got {k} instead.")
    return np.sign(np.sum(xi[..., :k, :], axis=-2))


def spurious_statistics(n_units: int, n_patterns: int, n_trials: int, rng: Any,
                        max_sweeps: int = 50) -> dict[str, float]:
    """Start each net at its reversed first pattern and at the 3-mixture; where do they end?

    ``reversed_stable``: the fraction of reversed patterns ``-xi`` that are fixed points whenever
    ``xi`` is (the energy is even: ``E(-s) = E(s)``). ``mixture_overlaps``: the mean final overlaps
    with ``xi^1, xi^2, xi^3`` of the runs started at ``sgn(xi^1 + xi^2 + xi^3)`` (0.5 each for a
    stable symmetric 3-mixture), ``mixture_stable``: the fraction of mixtures that are fixed points.
    ``n_patterns`` must be at least 3; ``rng``: None, an int seed or a Generator.
    """
    rng = _check_nets("spurious_statistics", n_units, [n_patterns], n_trials, rng, max_sweeps)
    if n_patterns < 3:
        raise ValueError(f"The 'n_patterns' parameter of spurious_statistics must be >= 3 (the mixtures mix three "
                         f"patterns). Got {n_patterns} instead.")
    xi = random_patterns(rng, n_trials, n_patterns, n_units)          # (K, P, N)
    W = np.rint(hebb_weights_batch(xi) * n_units)                     # integers: exact fields
    starts = np.stack([xi[:, 0, :], -xi[:, 0, :], mixture_states(xi)], axis=1)   # (K, 3, N)
    final, _ = async_sweeps_batch(W, starts, rng, max_sweeps=max_sweeps)
    fixed = np.all(final == starts, axis=-1)                          # (K, 3)
    mix_m = np.einsum("kn,kpn->kp", final[:, 2, :], xi[:, :3, :]) / n_units    # (K, 3)
    both = fixed[:, 0] == fixed[:, 1]
    return {"reversed_stable_iff_pattern_stable": float(np.mean(both)),
            "pattern_stable": float(np.mean(fixed[:, 0])),
            "mixture_stable": float(np.mean(fixed[:, 2])),
            "mixture_overlaps": [float(v) for v in np.mean(mix_m, axis=0)]}
