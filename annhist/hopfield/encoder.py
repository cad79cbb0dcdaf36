"""The encoder problem of Ackley, Hinton & Sejnowski (1985), section 5: the 4-2-4 encoder.

Two groups of visible units, V1 and V2 (4 each), are not connected to each other; they can
only communicate through 2 hidden units H. The environment has 4 vectors: unit i of V1 and unit
i of V2 on, all others off. To pass the pattern from V1 to V2 the hidden units must learn a
2-bit code, one distinct code per pattern.

Units: 0 (always on: thresholds), 1-4 (V1), 5-8 (V2), 9-10 (H).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from annhist.hopfield.annealing import PAPER_SCHEDULE, anneal, gibbs_sweeps
from annhist.hopfield.boltzmann import MAX_WEIGHT, check_cycle, learning_cycle
from annhist.hopfield.checks import check_count
from annhist.layers import MAX_WEIGHTS
from annhist.validation import check_random_state, check_scalar

__all__ = ["encoder_codes", "encoder_connectivity", "encoder_patterns", "good_code", "train_encoders"]


def _check_units(n: int, n_hidden: int, owner: str) -> None:
    """Refuse an encoder net whose ``(1 + 2n + n_hidden)^2`` links exceed ``MAX_WEIGHTS`` (a MemoryError before)."""
    units = 1 + 2 * int(n) + int(n_hidden)          # Python ints: numpy's int64 products wrap around
    if units * units > MAX_WEIGHTS:
        raise ValueError(f"The 'n' and 'n_hidden' parameters of {owner} ask for {units:,} units, {units * units:,} "
                         f"links; at most {MAX_WEIGHTS:,}. Got {n} and {n_hidden} instead.")


def encoder_patterns(n: int = 4) -> np.ndarray:
    """The n environment vectors of the n-log-n encoder over (V1, V2): (n, 2n) of 0/1."""
    check_count(n, "n", owner="encoder_patterns")
    check_scalar(n, "n", owner="encoder_patterns", max_val=8192)          # (n, 2n) numbers, at most MAX_WEIGHTS
    eye = np.eye(n)
    return np.hstack([eye, eye])                      # pattern i: V1_i and V2_i on


def encoder_connectivity(n: int = 4, n_hidden: int = 2) -> np.ndarray:
    """Links of the encoder net: thresholds everywhere; V1-V1, V2-V2, H-H, V1-H, V2-H; no V1-V2."""
    check_count(n, "n", owner="encoder_connectivity")
    check_count(n_hidden, "n_hidden", owner="encoder_connectivity")
    _check_units(n, n_hidden, "encoder_connectivity")
    group = np.array([-1] + [1] * n + [2] * n + [3] * n_hidden)   # -1: the always-on unit
    a, b = group[:, None], group[None, :]
    mask = (a == b) | (a == 3) | (b == 3) | (a == -1) | (b == -1)
    np.fill_diagonal(mask, False)
    return mask


def encoder_codes(W: np.ndarray, rng: np.random.Generator, *, n: int = 4, n_samples: int = 8,
                  schedule: tuple = PAPER_SCHEDULE, stat_temperature: float = 10.0,
                  stat_sweeps: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Clamp V1 to each pattern, anneal V2 and H; return the hidden codes and V2's answers.

    Returns ``codes`` (K, n, n_hidden) of 0/1 (majority over ``n_samples`` annealings and the
    ``stat_sweeps`` time units) and ``answers`` (K, n): the index of the most active V2 unit. The chains' states,
    ``K * n * n_samples * N`` numbers, are at most ``MAX_WEIGHTS``.
    """
    check_count(n, "n", owner="encoder_codes")
    check_count(n_samples, "n_samples", owner="encoder_codes")
    K, N, _ = np.shape(W)
    if K * int(n) * int(n_samples) * N > MAX_WEIGHTS:             # n_samples=10**9 was a 328 GiB MemoryError
        raise ValueError(f"The 'n_samples' parameter of encoder_codes asks for {K} x {int(n) * int(n_samples):,} "
                         f"chains of {N} units; at most {MAX_WEIGHTS:,} numbers. Got n_samples={n_samples} instead.")
    C = n * n_samples
    S = (rng.random((K, C, N)) < 0.5).astype(float)
    S[:, :, 0] = 1.0
    S[:, :, 1:n + 1] = np.repeat(np.eye(n), n_samples, axis=0)             # V1 clamped, (C, n)
    free = np.arange(n + 1, N)                                              # V2 and H
    S = anneal(W, S, free, schedule, rng)
    mean = np.zeros((K, n, N))
    for _ in range(stat_sweeps):                                            # mean state per pattern
        S = gibbs_sweeps(W, S, free, stat_temperature, 1, rng)
        mean += S.reshape(K, n, n_samples, N).mean(axis=2)                  # (K, C, N) -> (K, n, N)
    mean /= stat_sweeps
    codes = (mean[:, :, 2 * n + 1:] > 0.5).astype(int)                      # (K, n, n_hidden)
    answers = np.argmax(mean[:, :, n + 1:2 * n + 1], axis=-1)               # (K, n)
    return codes, answers


def good_code(codes: np.ndarray, answers: np.ndarray) -> np.ndarray:
    """Per machine: all patterns have distinct hidden codes and V2 reproduces V1."""
    n = codes.shape[1]
    distinct = np.array([len({tuple(c) for c in m}) == n for m in codes])
    correct = np.all(answers == np.arange(n), axis=1)
    return distinct & correct


def _check_encoders(n_machines: Any, cycles: Any, check_every: Any, n: Any, n_hidden: Any, epsilon: Any) -> None:
    own = "train_encoders"
    for name, value in (("n_machines", n_machines), ("cycles", cycles), ("check_every", check_every), ("n", n),
                        ("n_hidden", n_hidden)):
        check_count(value, name, owner=own)
    N = 1 + 2 * int(n) + int(n_hidden)
    if int(n_machines) * N * max(N, 8 * int(n)) > MAX_WEIGHTS:      # the weights, or encoder_codes' 8 n chains
        raise ValueError(f"The 'n_machines', 'n' and 'n_hidden' parameters of {own} ask for {n_machines} machines of "
                         f"{N} units, {int(n_machines) * N * max(N, 8 * int(n)):,} weights or test chains' units; "
                         f"at most {MAX_WEIGHTS:,}.")
    check_scalar(epsilon, "epsilon", owner=own, min_val=0, include_min=False)
    if float(epsilon) * int(cycles) > MAX_WEIGHT:
        raise ValueError(f"The 'epsilon' parameter of {own} times 'cycles' bounds the weights and must be <= "
                         f"{MAX_WEIGHT:g}. Got epsilon={epsilon} and cycles={cycles} instead.")


def train_encoders(n_machines: int, cycles: int, rng: Any, *, check_every: int = 10,
                   n_chains: int = 5, n: int = 4, n_hidden: int = 2, rule: str = "sign",
                   epsilon: float = 2.0) -> dict[str, np.ndarray]:
    """Train ``n_machines`` 4-2-4 encoders at once from zero weights; test every ``check_every`` cycles.

    Returns ``first_good`` (cycle at which each machine first had a good code, or -1),
    ``good_at_end``, ``good_fraction`` (the fraction of tests at which each machine had a good
    code from its first one on), the final ``weights`` (K, N, N) and ``codes`` / ``answers`` at
    the end. ``rule`` and ``epsilon`` are those of the weight change (the paper: ``"sign"``, 2).
    ``rng``: None, an int seed or a Generator.
    """
    _check_encoders(n_machines, cycles, check_every, n, n_hidden, epsilon)
    settings = {"n_chains": n_chains, "schedule": PAPER_SCHEDULE, "stat_temperature": 10.0, "stat_sweeps": 10,
                "epsilon": epsilon, "rule": rule, "noise": (0.15, 0.05)}
    W, X, mask = check_cycle(np.zeros((n_machines, 1 + 2 * n + n_hidden, 1 + 2 * n + n_hidden)),
                             encoder_patterns(n), encoder_connectivity(n, n_hidden), owner="train_encoders",
                             **settings)
    rng = check_random_state(rng, owner="train_encoders", name="rng")
    first = np.full(n_machines, -1)
    good = np.zeros(n_machines, dtype=bool)
    kept, tests = np.zeros(n_machines), np.zeros(n_machines)
    for cycle in range(1, cycles + 1):
        W = learning_cycle(W, X, mask, rng, **settings)
        if cycle % check_every == 0 or cycle == cycles:
            codes, answers = encoder_codes(W, rng, n=n)
            good = good_code(codes, answers)
            first[(first < 0) & good] = cycle
            tests += first > 0                       # tests since (and including) the first good code
            kept += good & (first > 0)
    return {"first_good": first, "good_at_end": good, "good_fraction": kept / np.maximum(tests, 1),
            "weights": W, "codes": codes, "answers": answers}
