"""1969: Minsky and Papert's order of a predicate, computed by linear programming.

Minsky and Papert (1969, ch. 1) study perceptrons of the form

    psi(X) = [ sum_phi alpha_phi phi(X) > theta ]

where each ``phi`` is a *partial predicate* that looks at only part of the retina ``R``: its
support ``S(phi)``. The *order* of ``psi`` is the smallest ``k`` for which ``psi`` can be written
with every ``|S(phi)| <= k``. Order 1 with the identity predicates is a single threshold unit
on the raw inputs.

Any predicate of support ``S`` is a linear combination of the *masks* (conjunctions)
``phi_T(x) = prod_{i in T} x_i`` for ``T`` a subset of ``S`` (Moebius inversion, Minsky &
Papert §1.5), so psi has order ``<= k`` iff a threshold unit on the masks of size ``<= k``
computes it -- a linear program (``annhist.xor.separability.separate``). The empty mask is the
constant 1, and its coefficient plays the threshold. ``predicate_order`` finds the
smallest such ``k``; ``parity_order`` shows that parity on ``n`` points needs order ``n``
(Minsky & Papert, theorem 3.1), and returns the exact certificate for order ``n - 1``: the
uniform multipliers that the group-invariance argument predicts.

References
----------
M. Minsky and S. Papert, *Perceptrons: An Introduction to Computational Geometry*, MIT Press,
1969; expanded edition 1988. Ch. 1 (order, masks), ch. 2 (group invariance), ch. 3 (parity).
"""

from __future__ import annotations

import itertools
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from annhist.validation import check_array, check_scalar, short_repr
from annhist.xor.separability import LinearSeparation, pm_labels, separate

__all__ = ["masks", "mask_features", "mask_name", "order_lp", "predicate_order", "ParityOrder", "parity_order",
           "MAX_LP_ENTRIES"]

#: The largest LP :func:`order_lp` sets up, in points x masks: parity_order's at n = 10 (2**10 x 2**10, 20-35 s).
#: All 65,536 patterns of 16 inputs at order 16 asked for a 65,536 x 65,536 matrix (32 GiB, a MemoryError).
MAX_LP_ENTRIES = 4**10


def masks(n: int, k: int) -> list[tuple[int, ...]]:
    """All subsets of ``{0, ..., n-1}`` with at most ``k`` elements, by size then lexicographically.

    There are ``sum_{j <= k} C(n, j)`` of them; ``()`` is the empty mask (the constant 1).
    """
    check_scalar(n, "n", owner="masks", kind=numbers.Integral, min_val=1, max_val=16)
    check_scalar(k, "k", owner="masks", kind=numbers.Integral, min_val=0, max_val=n)
    return [T for size in range(k + 1) for T in itertools.combinations(range(n), size)]


def mask_name(T: tuple[int, ...]) -> str:
    """``(0, 2) -> "a[x1 x3]"``: the coefficient of the mask ``x1 AND x3`` (1-based, as in the text).

    ``T`` is a tuple (or list) of point indices >= 0.
    """
    T = _check_mask(T, "The 'T' parameter of mask_name")
    return "a[" + " ".join(f"x{i + 1}" for i in T) + "]" if T else "a[1]"


def _check_mask(T: Any, subject: str) -> tuple[int, ...]:
    """``T`` as a tuple of point indices (whole numbers >= 0); else an error that starts with ``subject``."""
    if not isinstance(T, (tuple, list)) or not all(
            isinstance(i, numbers.Integral) and not isinstance(i, (bool, np.bool_)) for i in T):
        raise TypeError(f"{subject} must be a mask: a tuple of point indices (whole numbers). Got {short_repr(T)} "
                        f"instead.")
    if any(i < 0 for i in T):
        raise ValueError(f"{subject} must hold point indices >= 0. Got the mask {short_repr(T)} instead.")
    return tuple(T)


def check_masks(Ts: Any, owner: str) -> list[tuple[int, ...]]:
    """``Ts`` as a list of masks, each a tuple of point indices >= 0; anything else is refused naming 'Ts'."""
    if isinstance(Ts, (str, bytes)) or not isinstance(Ts, (list, tuple)):
        raise TypeError(f"The 'Ts' parameter of {owner} must be a list of masks (tuples of point indices). "
                        f"Got {short_repr(Ts)} instead.")
    return [_check_mask(T, f"Each mask of the 'Ts' parameter of {owner}") for T in Ts]


def mask_features(X: Any, Ts: list[tuple[int, ...]]) -> np.ndarray:
    """The masks' values on binary inputs: ``Phi[p, j] = prod_{i in Ts[j]} X[p, i]``, shape (n_points, len(Ts)).

    ``X`` must hold 0/1 values (a picture on the retina); the empty mask is 1 everywhere. Each mask of ``Ts``
    is a tuple of column indices of ``X``.
    """
    X = check_array(X, "X", owner="mask_features")
    Ts = check_masks(Ts, "mask_features")
    if not np.all((X == 0) | (X == 1)):
        raise ValueError("The 'X' parameter of mask_features must hold only 0 and 1.")
    Phi = np.ones((X.shape[0], len(Ts)))
    for j, T in enumerate(Ts):
        if T:
            if max(T) >= X.shape[1]:
                raise ValueError(f"The 'Ts' parameter of mask_features holds the mask {T}, which reads input "
                                 f"{max(T)}, but X has {X.shape[1]}.")
            Phi[:, j] = np.prod(X[:, list(T)], axis=1)     # (n_points, |T|) -> (n_points,): the conjunction
    return Phi


def order_lp(X: Any, y: Any, k: int) -> LinearSeparation:
    """Is ``y`` computed by a perceptron of order ``<= k`` over the inputs ``X``? Decided by LP.

    The unknowns are the coefficients ``alpha_T`` of the masks of size ``<= k`` (no separate
    threshold: the empty mask carries it). The answer carries either the coefficients or exact
    Farkas multipliers proving that none exist (``annhist.xor.separability.separate``). The points
    times the masks are at most ``MAX_LP_ENTRIES``.
    """
    X = check_array(X, "X", owner="order_lp")
    Ts = masks(X.shape[1], k)                                  # at most 2**16 of them
    if X.shape[0] * len(Ts) > MAX_LP_ENTRIES:
        raise ValueError(f"The 'X' and 'k' parameters of order_lp ask for an LP over {X.shape[0]:,} points x "
                         f"{len(Ts):,} masks of size <= {k} = {X.shape[0] * len(Ts):,} numbers, more than "
                         f"MAX_LP_ENTRIES = {MAX_LP_ENTRIES:,} (parity_order's largest, n = 10). Use fewer points "
                         f"or a lower order.")
    return separate(mask_features(X, Ts), y, bias=False, names=[mask_name(T) for T in Ts])


def predicate_order(X: Any, y: Any) -> int:
    """The Minsky-Papert order of the predicate ``y`` on the binary inputs ``X``: the smallest ``k``
    for which ``order_lp`` is feasible (every predicate has order at most ``n``)."""
    X = check_array(X, "X", owner="predicate_order")
    y_pm = pm_labels(y, owner="predicate_order")
    for k in range(X.shape[1] + 1):
        if order_lp(X, y_pm, k).feasible:
            return k
    raise ValueError("The 'X' and 'y' parameters of predicate_order: no order <= n computes y, which happens "
                     "only when a point of X appears twice with different labels. Make the rows of X distinct.")


@dataclass(frozen=True)
class ParityOrder:
    """``parity_order``'s answer for one ``n``.

    Parameters
    ----------
    n : int
        Retina size.
    order : int
        The smallest order of a perceptron computing parity (found by LP; it equals ``n``).
    n_masks : int
        Masks of size ``<= order`` (``2**n`` at order ``n``: every subset).
    certificate : tuple of int
        Exact Farkas multipliers, one per input pattern, proving that order ``order - 1`` fails.
    certificate_uniform : bool
        Whether the multipliers are all equal, as the group-invariance argument predicts.
    """

    n: int
    order: int
    n_masks: int
    certificate: tuple[int, ...]
    certificate_uniform: bool

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "order": self.order, "n_masks": self.n_masks,
                "certificate_uniform": self.certificate_uniform,
                "certificate_multiplier": self.certificate[0] if self.certificate_uniform else None}


def parity_order(n: int) -> ParityOrder:
    """The order of the parity predicate on ``n`` points, by linear programming (Minsky & Papert, thm 3.1).

    Parity (odd number of points on) is tried at every order ``k = 0, 1, ...``; the first feasible
    LP gives the order. The infeasible LP at ``k = order - 1`` yields integer Farkas multipliers
    verified exactly: with them, the margin constraints add up to ``0 >= c > 0``.

    ``n`` is 1 to 10. The LPs have ``2**n`` constraints and up to ``2**n`` unknowns, so the time grows
    about fourfold with each point: under a second up to ``n = 7``, 2 s at 8, 7 s at 9, 20-35 s at 10.

    Examples
    --------
    >>> p = parity_order(3)
    >>> p.order, p.certificate_uniform, p.certificate
    (3, True, (1, 1, 1, 1, 1, 1, 1, 1))
    """
    check_scalar(n, "n", owner="parity_order", kind=numbers.Integral, min_val=1, max_val=10)
    from annhist.datasets.classic import parity

    X, y = parity(n)
    last_failure: LinearSeparation | None = None
    for k in range(n + 1):
        sep = order_lp(X, y, k)
        if sep.feasible:
            break
        last_failure = sep
    else:  # pragma: no cover - every predicate on distinct binary inputs has order <= n
        raise ArithmeticError(f"parity on {n} points was not representable at order {n}")
    cert = last_failure.multipliers if last_failure is not None else ()
    return ParityOrder(n=n, order=k, n_masks=len(masks(n, k)), certificate=tuple(cert),
                       certificate_uniform=bool(cert) and len(set(cert)) == 1)
