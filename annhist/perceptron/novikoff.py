"""Novikoff's (1962) bound on the number of corrections the perceptron makes.

If some unit vector :math:`u` (bias folded in) separates the data with margin
:math:`\\gamma = \\min_i y_i\\, u \\cdot x_i > 0`, and :math:`R = \\max_i \\lVert x_i \\rVert`, then
Rosenblatt's rule started from :math:`w = 0` makes at most :math:`(R/\\gamma)^2` corrections,
whatever the order of presentation and the step size.

:func:`novikoff_bound` computes the tightest such bound: :math:`\\gamma` is the *best* margin,
found exactly as a least-distance program (the hard-margin SVM with the bias folded in).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import nnls

from annhist.perceptron.rule import fold_bias
from annhist.validation import check_binary_labels, check_X_y

__all__ = ["max_margin_separator", "novikoff_bound"]

_SEPARABLE_TOL = 1e-9    # smallest margin (relative to R) still called separable


def max_margin_separator(X: Any, y: Any) -> tuple[np.ndarray, float]:
    """The unit vector ``u`` (bias last) with the largest margin, and that margin ``gamma``.

    Solves :math:`\\min \\lVert w \\rVert` subject to :math:`y_i\\, w \\cdot (x_i, 1) \\ge 1`, a
    least-distance program, exactly (to rounding) by Lawson & Hanson's reduction to
    non-negative least squares (*Solving Least Squares Problems*, 1974, ch. 23): with
    :math:`G` the rows :math:`y_i (x_i, 1)` and :math:`E = [G^T; 1^T]`, solve
    :math:`\\min_{v \\ge 0} \\lVert E v - e_{last} \\rVert` with residual :math:`r`; a zero
    residual means no solution (not separable), else :math:`w = -r_{1..d+1} / r_{d+2}`. Then
    :math:`u = w / \\lVert w \\rVert` and :math:`\\gamma = 1 / \\lVert w \\rVert`.

    Raises
    ------
    ValueError
        When no hyperplane separates the two classes (with the bias folded in).
    """
    X, y = check_X_y(X, y, owner="novikoff_bound")
    _, y_pm = check_binary_labels(y, owner="novikoff_bound")
    G = y_pm[:, None] * fold_bias(X)    # (n, d+1): rows y_i (x_i, 1)
    with np.errstate(over="ignore"):
        R = float(np.max(np.linalg.norm(G, axis=1)))
    if not np.isfinite(R):
        raise ValueError(f"The 'X' parameter of novikoff_bound holds values too large to measure "
                         f"(largest |x| = {np.max(np.abs(X)):.3g}). Rescale X.")
    G = G / R                                                       # scale-free: R becomes 1
    E = np.vstack([G.T, np.ones((1, G.shape[0]))])                  # (d+2, n)
    f = np.zeros(E.shape[0])
    f[-1] = 1.0
    try:
        v, _ = nnls(E, f, maxiter=50 * E.shape[1])
    except RuntimeError as exc:                                     # iteration limit
        raise ValueError(f"novikoff_bound could not solve the margin problem: {exc}") from None
    r = E @ v - f
    # At the optimum ||r||^2 = gamma^2 / (1 + gamma^2) with gamma relative to R (Lawson-Hanson).
    if np.linalg.norm(r) < _SEPARABLE_TOL or r[-1] >= 0:
        raise ValueError("The 'X' and 'y' parameters of novikoff_bound: the data are not linearly separable "
                         "(bias folded in): no hyperplane puts the two classes on opposite sides, so the "
                         "perceptron never converges and Novikoff's bound does not apply.")
    w = -r[:-1] / r[-1]
    if np.min(G @ w) < 1 - 1e-6:                                    # defensive: solution must be feasible
        raise ValueError("The 'X' and 'y' parameters of novikoff_bound: the data are not linearly separable "
                         "(bias folded in) to working precision: the best margin is indistinguishable from 0.")
    norm = float(np.linalg.norm(w))
    return w / norm, R / norm


def novikoff_bound(X: Any, y: Any) -> tuple[float, float, float]:
    """``(R, gamma, bound)``: Novikoff's bound on the perceptron's corrections.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Two classes (any labels).

    Returns
    -------
    R : float
        :math:`\\max_i \\lVert (x_i, 1) \\rVert`, the radius of the data with the bias input 1.
    gamma : float
        The best margin :math:`\\max_{\\lVert u \\rVert = 1} \\min_i y_i\\, u \\cdot (x_i, 1)`.
    bound : float
        :math:`(R / \\gamma)^2`, the most corrections Rosenblatt's rule can make from :math:`w = 0`.

    Raises
    ------
    ValueError
        When the data are not linearly separable (then no finite bound exists).

    References
    ----------
    A. B. J. Novikoff, "On convergence proofs on perceptrons", Symposium on the Mathematical
    Theory of Automata, 1962, pp. 615-622.

    Examples
    --------
    >>> R, gamma, bound = novikoff_bound([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 0, 0, 1])   # AND
    >>> round(R ** 2), round(bound)
    (3, 51)
    """
    X, y = check_X_y(X, y, owner="novikoff_bound")
    _, gamma = max_margin_separator(X, y)
    R = float(np.max(np.linalg.norm(fold_bias(X), axis=1)))
    return R, gamma, (R / gamma) ** 2
