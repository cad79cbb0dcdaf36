"""Linear separability decided by linear programming, with an exact certificate either way.

A threshold unit computes a labelling ``y_i in {-1, +1}`` of points ``x_i`` iff some weights
``w`` and bias ``b`` satisfy the *margin constraints*

    y_i (w . x_i + b) >= 1        for every i                     (1)

(a strict separation of finitely many points can always be rescaled to margin 1). Whether
(1) has a solution is a linear program. When it has none, Farkas' lemma (in Gordan's form)
gives a proof that none exists: non-negative multipliers ``lambda_i``, not all zero, with

    sum_i lambda_i y_i x_i = 0   and   sum_i lambda_i y_i = 0.     (2)

Adding the constraints (1) with these multipliers gives ``0 >= sum_i lambda_i > 0``, which is
false. For XOR the multipliers are all equal: the four constraints add up to ``0 >= 4``.

``separate`` solves (1) with HiGHS (``scipy.optimize.linprog``); if it is infeasible it
solves the alternative system (2) and turns the answer into small integers. Either answer is
checked in exact rational arithmetic (``fractions``) before it is returned, so what is
printed is a proof, not a floating-point impression.

References
----------
M. Minsky and S. Papert, *Perceptrons*, MIT Press, 1969 (expanded edition 1988).
J. Farkas, "Theorie der einfachen Ungleichungen", J. reine angew. Math. 124:1-27, 1902.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from annhist.perceptron.rule import fold_bias
from annhist.validation import check_array

__all__ = ["LinearSeparation", "separate", "farkas_multipliers", "verify_separator", "verify_certificate",
           "pm_labels"]

def pm_labels(y: Any, *, owner: str = "separate") -> np.ndarray:
    """Labels in {0, 1} or {-1, +1} (or booleans) as a float array in {-1, +1} (0 -> -1)."""
    arr = check_array(y, "y", ndim=1, owner=owner)
    values = set(np.unique(arr).tolist())
    if not (values <= {0.0, 1.0} or values <= {-1.0, 1.0}):
        raise ValueError(f"The 'y' parameter of {owner} must hold labels in {{0, 1}} or {{-1, +1}}. "
                         f"Got values {sorted(values)} instead.")
    return np.where(arr > 0, 1.0, -1.0)


def _rows(X: np.ndarray, y_pm: np.ndarray, bias: bool) -> np.ndarray:
    """The constraint rows ``a_i = y_i [x_i, 1]`` (or ``y_i x_i`` without bias): (n, d) -> (n, d(+1))."""
    Xa = fold_bias(X) if bias else X
    return y_pm[:, None] * Xa


def verify_separator(A: np.ndarray, w: Sequence[float]) -> bool:
    """Exactly (in rationals) check ``a_i . w > 0`` for every row: the weights separate the points."""
    A = check_array(A, "A", owner="verify_separator")
    w = check_array(w, "w", ndim=1, owner="verify_separator")
    if w.shape != (A.shape[1],):
        raise ValueError(f"The 'w' parameter of verify_separator must hold {A.shape[1]} weights (one per column "
                         f"of 'A'). Got shape {w.shape} instead.")
    wq = [Fraction(float(v)) for v in w]                  # a float is an exact binary fraction
    return all(sum(Fraction(float(a)) * v for a, v in zip(row, wq)) > 0 for row in A)


def verify_certificate(A: np.ndarray, lam: Sequence[int | Fraction]) -> bool:
    """Exactly check Farkas' alternative (2): ``lam >= 0``, ``sum lam > 0`` and ``lam @ A == 0``."""
    A = check_array(A, "A", owner="verify_certificate")
    try:
        lam_q = [Fraction(v) for v in lam]
    except (TypeError, ValueError, OverflowError):
        raise TypeError(f"The 'lam' parameter of verify_certificate must be a sequence of finite integers or "
                        f"fractions. Got {lam!r:.60} instead.") from None
    if len(lam_q) != A.shape[0] or min(lam_q) < 0 or sum(lam_q) <= 0:
        return False
    columns = ([Fraction(float(a)) for a in col] for col in A.T)
    return all(sum(l * a for l, a in zip(lam_q, col)) == 0 for col in columns)


def _column_scale(A: np.ndarray) -> np.ndarray:
    """A power of two per column bringing its largest entry near 1: exact to apply and to undo."""
    top = np.max(np.abs(A), axis=0)
    return np.ldexp(1.0, -np.clip(np.frexp(np.where(top > 0, top, 1.0))[1], -1020, 1020))


def _round_to_certificate(A: np.ndarray, x: np.ndarray) -> tuple[int, ...] | None:
    """The LP's ``lam`` rounded to nearby fractions and scaled to the smallest integers, if they verify."""
    for max_den in (10**3, 10**6, 10**9):
        q = [Fraction(float(v)).limit_denominator(max_den) if v > 0 else Fraction(0) for v in x]
        scale = math.lcm(*(f.denominator for f in q))
        ints = [int(f * scale) for f in q]
        g = math.gcd(*ints)
        ints = [i // g for i in ints] if g else ints
        if verify_certificate(A, ints):
            return tuple(ints)
    return None


def farkas_multipliers(A: np.ndarray) -> tuple[int, ...] | None:
    """Integer multipliers ``lam >= 0`` with ``lam @ A = 0`` and ``sum(lam) > 0``, or None if none exist.

    Solves the alternative system (2) normalized by ``sum(lam) = 1`` with HiGHS, rounds the
    solution to nearby fractions, scales them to the smallest integers and keeps them only if
    ``verify_certificate`` accepts them exactly. When the simplex answer does not round to a
    certificate (a vertex with large denominators), the interior-point answer is tried, and then
    the same system with each column scaled by a power of two (``lam @ A = 0`` is unchanged).
    """
    from scipy.optimize import linprog

    A = check_array(A, "A", owner="farkas_multipliers")
    n, d = A.shape
    b_eq = np.concatenate([np.zeros(d), [1.0]])
    for k, (M, method) in enumerate(((A, "highs"), (A, "highs-ipm"), (A * _column_scale(A), "highs"))):
        A_eq = np.vstack([M.T, np.ones((1, n))])         # (d + 1, n): lam @ A = 0 and sum lam = 1
        res = linprog(np.zeros(n), A_eq=A_eq, b_eq=b_eq, bounds=[(0, None)] * n, method=method)
        if res.status != 0:
            if k != 1:
                return None
            continue
        lam = _round_to_certificate(A, res.x)
        if lam is not None:
            return lam
    raise ValueError("The 'A' parameter of farkas_multipliers: the LP found multipliers that could not be "
                     "verified in exact arithmetic (the values are too badly scaled, or the system too large).")


@dataclass(frozen=True)
class LinearSeparation:
    """The answer of ``separate``: a separator, or a certificate that none exists.

    Parameters
    ----------
    feasible : bool
        Whether a threshold unit (``w . x + b > 0`` for the +1 points) computes the labelling.
    weights : ndarray of shape (d,), or None
        The LP's separator when feasible (margin 1), else None.
    bias : float or None
        Its bias (None when infeasible, or when ``separate`` was called with ``bias=False``).
    multipliers : tuple of int, or None
        When infeasible: the Farkas multipliers, one per point, verified exactly.
    A : ndarray of shape (n, d(+1))
        The constraint rows ``y_i [x_i, 1]``.
    names : tuple of str
        Names of the unknowns (``w1, w2, ..., b``), for ``in_words``.
    """

    feasible: bool
    weights: np.ndarray | None
    bias: float | None
    multipliers: tuple[int, ...] | None
    A: np.ndarray
    names: tuple[str, ...]

    def in_words(self, labels: Sequence[str] | None = None) -> str:
        """The answer in plain words; when infeasible, the sum of constraints that gives ``0 >= c > 0``."""
        if self.feasible:
            unknowns = np.append(self.weights, self.bias) if self.bias is not None else self.weights
            sol = ", ".join(f"{n} = {v:.4g}" for n, v in zip(self.names, unknowns))
            return f"Feasible: {sol} satisfies every margin constraint y_i (w . x_i + b) >= 1."
        labels = labels or [f"point {i}" for i in range(self.A.shape[0])]
        lines = ["Infeasible. Multiply each margin constraint by the number on its left and add them up:"]
        width = max(len(str(m)) for m in self.multipliers)
        for m, row, lab in zip(self.multipliers, self.A, labels):
            lines.append(f"  {str(m).rjust(width)} x  [{lab}]  {_linear(row, self.names)} >= 1")
        total = sum(self.multipliers)
        lines.append(f"  sum: every unknown cancels, leaving 0 >= {total}, which is false. "
                     "So no weights and threshold satisfy all the constraints.")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        if self.feasible:
            return {"feasible": True, "weights": self.weights.tolist(), "bias": self.bias}
        return {"feasible": False, "certificate": list(self.multipliers),
                "certificate_sum": int(sum(self.multipliers))}


def _linear(coeffs: np.ndarray, names: Sequence[str]) -> str:
    """``[0, -1, 1] , (w1, w2, b) -> "-w2 + b"`` (integers shown exactly, zero terms dropped)."""
    out = ""
    for c, name in zip(coeffs, names):
        if c == 0:
            continue
        mag = abs(c)
        term = name if mag == 1 else f"{int(mag) if float(mag).is_integer() else mag:g} {name}"
        out += (" - " if c < 0 else " + ") + term if out else ("-" if c < 0 else "") + term
    return out or "0"


def separate(X: Any, y: Any, *, bias: bool = True, names: Sequence[str] | None = None) -> LinearSeparation:
    """Decide by linear programming whether one threshold unit computes the labelling ``y`` of ``X``.

    Parameters
    ----------
    X : array of shape (n_points, n_inputs)
    y : array of shape (n_points,)
        Labels in {0, 1} or {-1, +1}.
    bias : bool, default=True
        Include a bias ``b`` (the threshold). Without it the first column of ``X`` may play its role
        (as the constant predicate does in ``annhist.xor.minsky_papert``).
    names : sequence of str, optional
        Names of the unknowns (default ``w1 .. wd`` and ``b``).

    Returns
    -------
    LinearSeparation
        A separator verified exactly, or integer Farkas multipliers verified exactly.

    Examples
    --------
    >>> sep = separate([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0])     # XOR
    >>> sep.feasible, sep.multipliers
    (False, (1, 1, 1, 1))
    """
    from scipy.optimize import linprog

    X = check_array(X, "X", owner="separate")
    y_pm = pm_labels(y)
    if y_pm.shape[0] != X.shape[0]:
        raise ValueError(f"The 'X' and 'y' parameters of separate must have the same number of samples. "
                         f"Got {X.shape[0]} and {y_pm.shape[0]} instead.")
    A = _rows(X, y_pm, bias)
    default = [f"w{j + 1}" for j in range(X.shape[1])] + (["b"] if bias else [])
    if names is not None and (not isinstance(names, (list, tuple))
                              or not all(isinstance(v, str) for v in names)):
        raise TypeError(f"The 'names' parameter of separate must be a sequence of strings. Got {names!r} instead.")
    names = tuple(names) if names is not None else tuple(default)
    if len(names) != A.shape[1]:
        raise ValueError(f"The 'names' parameter of separate must name {A.shape[1]} unknowns. Got {len(names)}.")
    n, d = A.shape
    res = linprog(np.zeros(d), A_ub=-A, b_ub=-np.ones(n), bounds=[(None, None)] * d, method="highs")
    if res.status == 0 and verify_separator(A, res.x):
        w = np.asarray(res.x, dtype=float)
        return LinearSeparation(True, w[:-1] if bias else w, float(w[-1]) if bias else None, None, A, names)
    try:
        lam = farkas_multipliers(A)
    except ValueError:
        lam = None
    if lam is not None:
        return LinearSeparation(False, None, None, lam, A, names)
    # Neither answer verified: try again with the columns scaled by powers of two (A s w' >= 1, w = s w').
    s = _column_scale(A)
    res = linprog(np.zeros(d), A_ub=-(A * s), b_ub=-np.ones(n), bounds=[(None, None)] * d, method="highs")
    if res.status == 0:
        with np.errstate(over="ignore", under="ignore"):
            w = np.asarray(res.x, dtype=float) * s
        if np.all(np.isfinite(w)) and verify_separator(A, w):
            return LinearSeparation(True, w[:-1] if bias else w, float(w[-1]) if bias else None, None, A, names)
    nonzero = np.abs(X[X != 0])
    span = f"|x| from {nonzero.min():.3g} to {nonzero.max():.3g}" if nonzero.size else "all zero"
    raise ValueError(f"The 'X' parameter of separate is too badly scaled for the LP to decide ({span}): neither "
                     f"a separator nor a Farkas certificate could be verified exactly. Rescale X.")
