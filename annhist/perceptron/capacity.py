"""1965: Cover's function-counting theorem and the capacity of a perceptron.

A *dichotomy* of N points is a split into a + class and a - class. Cover (1965) counted
how many of the 2^N dichotomies a hyperplane through the origin can realize: for N points
in *general position* in d dimensions (every d or fewer of them linearly independent),

    C(N, d) = 2 sum_{k=0}^{d-1} binom(N - 1, k)

whatever the points. A threshold unit with a bias on n inputs is the homogeneous case in
d = n + 1 dimensions (append a constant input 1). For random labels the chance that a
dichotomy is separable is C(N, d) / 2^N: 1 up to N = d, exactly 1/2 at N = 2d, falling to 0
beyond -- Cover's *capacity* of 2d patterns.

:func:`cover_count` evaluates the formula in exact integers; :func:`is_separable` decides
one dichotomy by linear programming; :func:`separable_fraction` measures the fraction for
random Gaussian points (in general position with probability 1) and random labels.

References
----------
T. M. Cover, "Geometrical and statistical properties of systems of linear inequalities with
applications in pattern recognition", IEEE Transactions on Electronic Computers
EC-14(3):326-334 (1965).
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from annhist.validation import check_array, check_random_state, check_scalar, short_repr

__all__ = ["cover_count", "cover_fraction", "is_separable", "separable_fraction", "MAX_COVER_TERMS",
           "MAX_COVER_POINTS", "MAX_SAMPLE_VALUES"]

#: The most numbers ``N * d`` (samples x features) of one random data set whose linear program annhist solves (the
#: novikoff experiment's margin program, :func:`separable_fraction`'s test): 10**6 take about 1 s, 10**7 took 80 s
#: per data set (or ran out of memory in HiGHS); 10**12 was a MemoryError.
MAX_SAMPLE_VALUES = 10**6

#: The most terms ``binom(N - 1, k)`` that :func:`cover_count` adds up, ``min(N, d)`` (the terms with ``k >= N`` are
#: 0): each is an exact integer of up to N bits, so the time grows about as the square of this count (1,000 terms
#: take 0.3 s at N = 10**12; 10,000 took 8 s at N = 10**4, and ``d = 10**12`` never finished).
MAX_COVER_TERMS = 1_000
#: The most points N: a term's size grows with log N (1,000 terms: 0.7 s at N = 10**18, 8 s at N = 10**100).
MAX_COVER_POINTS = 10**18


def _check_cover(N: Any, d: Any, owner: str) -> None:
    """Refuse what is not a count, and an (N, d) whose sum has more than ``MAX_COVER_TERMS`` terms."""
    check_scalar(N, "N", owner=owner, kind=numbers.Integral, min_val=1, max_val=MAX_COVER_POINTS)
    check_scalar(d, "d", owner=owner, kind=numbers.Integral, min_val=1)
    if min(N, d) > MAX_COVER_TERMS:
        raise ValueError(f"The 'N' and 'd' parameters of {owner} ask for a sum of min(N, d) = {min(N, d)} exact "
                         f"binomials; at most MAX_COVER_TERMS = {MAX_COVER_TERMS} are added up (the time grows as "
                         f"the square of their number). Got N={N} and d={d}.")


def cover_count(N: int, d: int) -> int:
    """C(N, d) = 2 sum_{k<d} binom(N-1, k): homogeneously separable dichotomies of N points
    in general position in d dimensions (an exact integer).

    ``N`` is at most ``MAX_COVER_POINTS`` and ``min(N, d)`` at most ``MAX_COVER_TERMS`` (for ``d >= N`` the
    count is ``2 ** N``: every dichotomy).

    Examples
    --------
    >>> cover_count(4, 3)          # 4 points, a line with bias in the plane: 14 of 16 (not XOR, XNOR)
    14
    >>> cover_count(6, 3), 2 ** 6 // 2
    (32, 32)
    """
    _check_cover(N, d, "cover_count")
    return 2 * sum(math.comb(N - 1, k) for k in range(min(d, N)))   # binom(N - 1, k) = 0 for k >= N


def cover_fraction(N: int, d: int) -> float:
    """C(N, d) / 2^N: the probability that random labels of N points in general position are separable."""
    _check_cover(N, d, "cover_fraction")
    return cover_count(N, d) / 2 ** N


def is_separable(X: Any, y: Any) -> bool:
    """Is there a ``w`` with ``sign(w . x_i) = y_i`` for every point (a hyperplane through the origin)?

    Decided exactly as the feasibility of the linear program ``y_i (w . x_i) >= 1`` (HiGHS,
    ``scipy.optimize.linprog``); scaling ``w`` turns any strict separator into one with margin 1.
    For a separator with a bias, append a column of ones to ``X``.
    """
    from scipy.optimize import linprog

    X = check_array(X, "X", owner="is_separable")
    y = check_array(y, "y", ndim=(1, 2), owner="is_separable", min_samples=0)
    if y.ndim == 2 and y.shape[1] != 1:
        raise ValueError(f"The 'y' parameter of is_separable must be 1-D (one label per row of X). "
                         f"Got shape {y.shape} instead.")
    y = y.reshape(-1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"The 'y' parameter of is_separable must hold one label per row of X ({X.shape[0]}). "
                         f"Got {y.shape[0]} labels.")
    if not np.all(np.abs(y) == 1):
        raise ValueError(f"The 'y' parameter of is_separable must hold labels -1 and +1 (for 0/1 labels pass "
                         f"2 * y - 1). Got the values {short_repr(np.unique(y)[:6].tolist())} instead.")
    A = y[:, None] * X                                          # row i: y_i x_i
    res = linprog(np.zeros(X.shape[1]), A_ub=-A, b_ub=-np.ones(X.shape[0]),
                  bounds=[(None, None)] * X.shape[1], method="highs")
    return bool(res.status == 0)


def separable_fraction(N: int, d: int, trials: int = 200, random_state: Any = None) -> float:
    """Fraction of ``trials`` random dichotomies of N random points in d dimensions that are separable.

    Each trial draws N points from the standard normal distribution in R^d (general position
    with probability 1) and labels them +-1 by fair coin flips; :func:`is_separable` decides.
    The expected value is :func:`cover_fraction` ``(N, d)``. ``N * d`` is at most ``MAX_SAMPLE_VALUES``.
    """
    owner = "separable_fraction"
    check_scalar(N, "N", owner=owner, kind=numbers.Integral, min_val=1)
    check_scalar(d, "d", owner=owner, kind=numbers.Integral, min_val=1)
    N, d = int(N), int(d)                                         # Python ints: numpy int64 products wrap around
    if N * d > MAX_SAMPLE_VALUES:
        raise ValueError(f"The 'N' and 'd' parameters of {owner} ask for {N:,} points x {d:,} dimensions = {N * d:,} "
                         f"numbers per linear program, more than MAX_SAMPLE_VALUES = {MAX_SAMPLE_VALUES:,}.")
    check_scalar(trials, "trials", owner=owner, kind=numbers.Integral, min_val=1)
    rng = check_random_state(random_state, owner=owner)
    hits = 0
    for _ in range(trials):
        X = rng.standard_normal((N, d))
        y = rng.choice([-1.0, 1.0], size=N)
        hits += is_separable(X, y)
    return hits / trials
