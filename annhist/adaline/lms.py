"""The LMS mathematics of Widrow and Hoff (1960): pure functions, no state.

Notation: ``X1 = [1, X]`` folds the bias in as the weight ``w0`` of a constant input
``x0 = +1`` (column 0); ``R = X1.T @ X1 / n`` is the input correlation matrix,
``p = X1.T @ d / n`` the cross-correlation with the desired response ``d``, and the mean
squared error is ``xi(w) = E[d^2] - 2 p . w + w . R w`` -- a quadratic bowl whose minimum is
the least-squares (Wiener) solution ``w* = R^-1 p``.  :class:`annhist.adaline.Adaline` uses
these functions; the chapter draws them. The three update rules are inner kernels that check
nothing (an empty ``X1`` gives NaN, ``x = 0`` in ``alpha_lms_update`` 0/0): their callers
(``Adaline.fit``; ``noise_canceller`` for ``lms_update``) pass checked, non-empty data.

References
----------
B. Widrow and M. E. Hoff, "Adaptive switching circuits", IRE WESCON Convention Record,
Part 4, 96-104, 1960.  B. Widrow and M. A. Lehr, "30 years of adaptive neural networks:
perceptron, Madaline, and backpropagation", Proc. IEEE 78(9):1415-1442, 1990.
"""

from __future__ import annotations

import numpy as np

from annhist.layers import MAX_SIDE, MAX_WEIGHTS
from annhist.perceptron.rule import fold_bias
from annhist.validation import check_array, check_choice, check_X_y

__all__ = ["input_correlation", "lms_stability_limit", "least_squares", "mse_surface", "lms_update",
           "batch_update", "alpha_lms_update", "MAX_INPUTS"]


#: The most inputs (the bias included) whose ``(p+1) x (p+1)`` correlation matrix annhist forms: MAX_WEIGHTS numbers.
MAX_INPUTS = MAX_SIDE


def input_correlation(X: np.ndarray) -> np.ndarray:
    """The input correlation matrix ``R = X1.T @ X1 / n`` (bias column included), shape (p+1, p+1)."""
    X1 = fold_bias(X, position="first")
    if X1.shape[1] > MAX_INPUTS:
        raise ValueError(f"The 'X' parameter has {X1.shape[1] - 1:,} inputs: their correlation matrix R would hold "
                         f"{X1.shape[1] ** 2:,} numbers; at most {MAX_INPUTS - 1:,} inputs.")
    with np.errstate(over="ignore", invalid="ignore"):
        R = X1.T @ X1 / X1.shape[0]                     # (p+1, n) @ (n, p+1) -> (p+1, p+1)
    if not np.all(np.isfinite(R)):
        raise ValueError(f"The 'X' parameter holds values too large for LMS: X1.T @ X1 overflows "
                         f"(largest |x| = {np.max(np.abs(X)):.3g}). Rescale the inputs.")
    return R


def lms_stability_limit(X: np.ndarray, *, bound: str = "eigenvalue") -> float:
    """The largest stable LMS step size: ``2 / lambda_max(R)`` (or the safe ``2 / tr(R)``).

    Batch gradient descent on the MSE, ``w <- w + eta (p - R w)``, multiplies the error along
    the eigenvector of ``R`` with eigenvalue ``lambda`` by ``1 - eta lambda`` each step; it
    converges iff ``|1 - eta lambda| < 1`` for every eigenvalue, i.e. ``0 < eta < 2/lambda_max``.
    For online LMS the same argument applied to the *mean* weight vector (with inputs assumed
    independent of the weights) gives convergence in the mean under the same bound; this
    eigenvalue analysis is ours, not a quotation of Widrow & Hoff (1960).  Widrow & Lehr
    (1990) write the rule as their eq. (33), with ``2 mu`` in place of ``eta``, and give as
    their practical bound eq. (34), ``0 < mu < 1/tr(R)`` ("for most practical purposes",
    covering the mean and the variance; their fn. 17 notes it is not sufficient in general
    for the variance).  Since ``lambda_max <= tr(R)``, ``bound="trace"`` gives that smaller,
    safe bound, ``eta < 2/tr(R)``.

    Parameters
    ----------
    X : array of shape (n_samples, n_features)
        The inputs (without the bias column; it is added here).
    bound : {"eigenvalue", "trace"}
    """
    check_choice(bound, "bound", ("eigenvalue", "trace"), owner="lms_stability_limit")
    if X.shape[1] + 1 > MAX_INPUTS and X.shape[0] <= MAX_INPUTS:    # wide data: R's nonzero eigenvalues are those
        X1 = fold_bias(X, position="first")                         # of the n x n Gram matrix X1 X1.T / n
        with np.errstate(over="ignore", invalid="ignore"):
            G = X1 @ X1.T / X1.shape[0]
        if not np.all(np.isfinite(G)):
            raise ValueError(f"The 'X' parameter holds values too large for LMS: X1 @ X1.T overflows "
                             f"(largest |x| = {np.max(np.abs(X)):.3g}). Rescale the inputs.")
        scale = np.linalg.eigvalsh(G)[-1] if bound == "eigenvalue" else np.trace(G)
    else:
        R = input_correlation(X)                                  # (refuses inputs that overflow)
        scale = np.linalg.eigvalsh(R)[-1] if bound == "eigenvalue" else np.trace(R)
    return float(2.0 / scale)


def least_squares(X: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, float]:
    """The least-squares (Wiener) solution ``w* = R^-1 p`` with ``p = X1.T @ d / n``.

    It is the minimum of the MSE that LMS descends; long LMS runs approach it.  A singular
    ``R`` gives the minimum-norm minimizer (``numpy.linalg.lstsq``). Columns so unequal in scale
    that ``lstsq`` would drop the smaller ones as singular (at ``X * 1e16`` the bias input 1 is
    lost) are refused: rescale them.

    Returns
    -------
    weights : ndarray of shape (n_features,)
    bias : float
    """
    X, d = check_X_y(X, d, owner="least_squares", y_name="d", y_numeric=True)
    X1 = fold_bias(X, position="first")
    w, _, rank, _ = np.linalg.lstsq(X1, d, rcond=None)
    if rank < X1.shape[1]:                                   # singular, or only badly scaled?
        _check_column_scales(X1, rank)
    return w[1:], float(w[0])


def _check_column_scales(X1: np.ndarray, rank: int) -> None:
    """Refuse an ``X1`` whose rank, with every column scaled to a largest entry near 1, exceeds ``rank``."""
    top = np.max(np.abs(X1), axis=0)
    scaled = X1 * np.ldexp(1.0, -np.frexp(np.where(top > 0, top, 1.0))[1])    # powers of two: exact
    full = int(np.linalg.matrix_rank(scaled))
    if full > rank:
        raise ValueError(f"The 'X' parameter of least_squares has columns too unequal in scale for float64 "
                         f"(largest |x| from {top.min():.3g} to {top.max():.3g}, the bias input being 1): "
                         f"lstsq would treat {full - rank} of them as 0. Rescale the columns of X.")


def mse_surface(X: np.ndarray, d: np.ndarray, W: np.ndarray) -> np.ndarray:
    """The mean squared error ``xi(w) = mean((d - X1 w)^2)`` at every folded weight vector in ``W``.

    ``W`` has shape (..., p + 1), bias first; the result has shape ``W.shape[:-1]``.  For a
    grid of two weights this is the bowl whose contours the chapter draws. The weight vectors times
    the patterns are at most :data:`annhist.initializers.MAX_WEIGHTS` (one output per pair is formed).
    """
    X, d = check_X_y(X, d, owner="mse_surface", y_name="d", y_numeric=True)
    W = check_array(W, "W", ndim=(1, 2, 3), owner="mse_surface")
    if W.shape[-1] != X.shape[1] + 1:
        raise ValueError(f"The 'W' parameter of mse_surface must end in {X.shape[1] + 1} weights (bias first). "
                         f"Got shape {W.shape} instead.")
    m = W.size // W.shape[-1]
    if m * X.shape[0] > MAX_WEIGHTS:                     # 10**5 weight vectors on 10**5 patterns: a 75 GiB S
        raise ValueError(f"The 'W' and 'X' parameters of mse_surface give {m:,} weight vectors x {X.shape[0]:,} "
                         f"patterns = {m * X.shape[0]:,} outputs at once, more than MAX_WEIGHTS = {MAX_WEIGHTS:,}. "
                         f"Pass fewer weight vectors at a time.")
    with np.errstate(over="ignore", invalid="ignore"):
        S = W @ fold_bias(X, position="first").T                          # (..., p+1) @ (p+1, n) -> (..., n)
        xi = np.mean((d - S) ** 2, axis=-1)
    if not np.all(np.isfinite(xi)):                                       # overflow: an inf, or inf - inf = NaN
        bad = int(np.size(xi) - np.count_nonzero(np.isfinite(xi)))
        raise ValueError(f"The 'W' parameter of mse_surface holds weights too large for float64: the mean squared "
                         f"error overflows at {bad} of its {np.size(xi)} weight vector(s) (largest |w| = "
                         f"{np.max(np.abs(W)):.3g}).")
    return xi


def lms_update(w: np.ndarray, x: np.ndarray, d: float, eta: float) -> np.ndarray:
    """One Widrow-Hoff step on one pattern: ``w + eta (d - w . x) x`` (a new array).

    ``w`` and ``x`` are folded (``x[0] = +1``).  The error ``d - w . x`` is taken *before*
    the quantizer: it is the negative half-gradient of ``(d - w . x)^2`` with respect to w.
    """
    s = w @ x                 # linear combiner output
    eps = d - s               # the error Widrow & Hoff learn from
    return w + eta * eps * x  # w <- w + eta (d - w.x) x


def batch_update(w: np.ndarray, X1: np.ndarray, d: np.ndarray, eta: float) -> np.ndarray:
    """One gradient-descent step on the MSE: ``w + eta mean((d - X1 w) x)`` (a new array).

    Equal to ``w + eta (p - R w)``: the mean of the per-pattern LMS updates, so it shares the
    online rule's stability limit ``2 / lambda_max(R)``. Unchecked: the caller checks (``Adaline.fit``).
    """
    eps = d - X1 @ w                                     # (n,)
    return w + eta * np.mean(eps[:, None] * X1, axis=0)  # w <- w + eta mean((d - w.x) x)


def alpha_lms_update(w: np.ndarray, x: np.ndarray, d: float, alpha: float) -> np.ndarray:
    """One alpha-LMS step (Widrow & Lehr 1990, eq. (4)): ``w + alpha (d - w . x) x / |x|^2``.

    The self-normalizing form of the rule: each step removes the fraction ``alpha`` of the
    pattern's error, whatever the scale of ``x``, so it is stable for ``0 < alpha < 2``.
    Unchecked: the caller checks (``Adaline.fit``, whose ``x0 = 1`` makes ``|x|^2 >= 1``).
    """
    eps = d - w @ x                        # the error before the quantizer
    return w + alpha * eps * x / (x @ x)   # w <- w + alpha eps x / |x|^2
