"""Rosenblatt's error-correction rule in its fixed-increment form (1962 convergence proofs).

This is the form analysed by Block (1962) and Novikoff (1962) and in *Principles of
Neurodynamics* (1962, ch. 5). The 1958 paper states learning differently, as the
reinforcement of A-unit "values", and Rosenblatt also studied other variants (his
"quantized" and "nonquantized" correction rules; Widrow & Lehr 1990, fn. 13).

A threshold unit answers ``+1`` when ``w . x + b > 0`` and ``-1`` otherwise. On a mistake
the weights move toward the misclassified pattern::

    w <- w + eta * y * x        (y in {-1, +1}; the bias b is a weight on a constant input 1)

:func:`rosenblatt_update` is that line; :func:`loop_epoch` applies it one pattern at a time,
:func:`scan_epoch` finds each next mistake with one vectorized scan (the fast path, tested
against the loop), and :func:`rosenblatt_epoch` is the validated public entry point. The first
four are the inner kernels the book prints and check nothing (a shape mismatch is numpy's error,
an index out of range an ``IndexError``, NaN gives NaN): their callers (``rosenblatt_epoch``,
``Perceptron``, ``Pocket``, ``replay_corrections`` after ``rosenblatt_epoch``) pass checked data.

References
----------
F. Rosenblatt, "The perceptron: a probabilistic model for information storage and organization
in the brain", Psychological Review 65(6):386-408, 1958; *Principles of Neurodynamics*, 1962.
H. D. Block, "The perceptron: a model for brain functioning. I", Reviews of Modern Physics
34(1):123-135, 1962. A. B. J. Novikoff, "On convergence proofs on perceptrons", Symposium on
the Mathematical Theory of Automata 12:615-622, 1962. B. Widrow and M. A. Lehr, "30 years of
adaptive neural networks", Proc. IEEE 78(9):1415-1442, 1990.
"""

from __future__ import annotations

import numpy as np

from annhist.validation import DivergenceError, check_array, check_choice, check_scalar

__all__ = ["fold_bias", "rosenblatt_update", "is_mistake", "loop_epoch", "scan_epoch", "rosenblatt_epoch",
           "replay_corrections"]

_CHUNK_MIN, _CHUNK_MAX = 512, 8192   # rows per scan; larger chunks make OpenBLAS spawn threads


def fold_bias(X: np.ndarray, *, position: str = "last") -> np.ndarray:
    """Add a constant input 1 to every row, so the bias (or threshold) becomes a weight.

    ``(n, d) -> (n, d + 1)``; a new array, ``X`` is not modified. Rosenblatt's perceptron keeps
    the bias last (``position="last"``); Widrow and Hoff number the constant input
    :math:`x_0 = +1` first (``position="first"``, used by ADALINE and MADALINE).
    """
    check_choice(position, "position", ("last", "first"), owner="fold_bias")
    X = check_array(X, "X", owner="fold_bias")
    ones = np.ones((X.shape[0], 1))
    return np.hstack([X, ones] if position == "last" else [ones, X])   # (n, d) -> (n, d + 1)


def rosenblatt_update(w: np.ndarray, x: np.ndarray, y: float, eta: float) -> np.ndarray:
    """Rosenblatt's error correction after a mistake on ``(x, y)``: :math:`w \\leftarrow w + \\eta\\, y\\, x`.

    ``y`` is the target in {-1, +1}; ``x`` has the bias input folded in. Returns a new array.
    Every place in annhist that corrects a perceptron calls this function.
    """
    return w + eta * y * x


def is_mistake(w: np.ndarray, x: np.ndarray, y: float) -> bool:
    """A mistake: :math:`y\\, w \\cdot x \\le 0` (an activation of exactly 0 counts as one, as in scikit-learn)."""
    return bool(y * (x @ w) <= 0)


def loop_epoch(Xa: np.ndarray, y: np.ndarray, w: np.ndarray, eta: float, order: np.ndarray
               ) -> tuple[np.ndarray, list[int]]:
    """The plain loop, one sample at a time, as the fixed-increment procedure reads (the reference)."""
    w = w.copy()
    updated = []
    for i in order:
        if is_mistake(w, Xa[i], y[i]):
            w = rosenblatt_update(w, Xa[i], y[i], eta)
            updated.append(int(i))
    return w, updated


def scan_epoch(Z: np.ndarray, w: np.ndarray, eta: float) -> tuple[np.ndarray, list[int]]:
    """The same epoch as :func:`loop_epoch`, with the search for the next mistake vectorized (the fast path).

    ``Z`` holds the rows ``y_i * x_i`` in presentation order, so sample ``i`` is a mistake when
    ``Z[i] @ w <= 0``. Between two mistakes ``w`` does not change, so the next mistake is the
    first row of ``Z[i:] @ w <= 0``: one matrix-vector product over a chunk of the remaining
    rows finds it. Then the update ``w <- w + eta * Z[j]`` (= ``eta * y_j * x_j``) is applied and
    the scan resumes at ``j + 1``. The chunk doubles while no mistake is found and shrinks to
    about twice the last gap after one, so little work is wasted past a mistake. The updates
    are the plain loop's, in the same order, on the same samples.
    """
    w = w.copy()
    n = Z.shape[0]
    updated = []
    i, chunk = 0, _CHUNK_MIN
    while i < n:
        stop = min(i + chunk, n)
        wrong = (Z[i:stop] @ w) <= 0     # (chunk, d+1) @ (d+1,) -> (chunk,)
        k = int(wrong.argmax())          # the first mistake in the chunk, if any
        if not wrong[k]:
            i, chunk = stop, min(2 * chunk, _CHUNK_MAX)
            continue
        j = i + k
        w = rosenblatt_update(w, Z[j], 1.0, eta)   # Z[j] = y_j x_j: w <- w + eta y_j x_j
        updated.append(j)
        i, chunk = j + 1, max(_CHUNK_MIN, 2 * k)
    return w, updated


def rosenblatt_epoch(X: np.ndarray, y: np.ndarray, w: np.ndarray, *, eta: float = 1.0,
                     order: np.ndarray | None = None, method: str = "vectorized"
                     ) -> tuple[np.ndarray, np.ndarray]:
    """One pass of Rosenblatt's error-correction rule over ``(X, y)``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_inputs)
        Inputs with the bias already folded in (see :func:`fold_bias`).
    y : ndarray of shape (n_samples,)
        Targets in {-1, +1}.
    w : ndarray of shape (n_inputs,)
        Weights before the pass; not modified.
    eta : float, default=1.0
        The step size.
    order : ndarray of int, optional
        Presentation order (default: ``0, 1, ..., n - 1``).
    method : {"vectorized", "loop"}
        ``"loop"`` presents one sample at a time; ``"vectorized"`` finds each next mistake with
        one vectorized scan. Both make the same updates in the same order.

    Returns
    -------
    w : ndarray of shape (n_inputs,)
        The weights after the pass.
    updated : ndarray of int
        The indices (into ``X``) of the samples that caused an update, in order.

    Notes
    -----
    Sample ``i`` is a mistake when :math:`y_i\\, w \\cdot x_i \\le 0`; then
    :math:`w \\leftarrow w + \\eta\\, y_i x_i` (Rosenblatt 1958; 1962, ch. 5). An activation of
    exactly 0 counts as a mistake for both classes, as in scikit-learn.
    """
    owner = "rosenblatt_epoch"
    check_choice(method, "method", ("vectorized", "loop"), owner=owner)
    check_scalar(eta, "eta", owner=owner, min_val=0, include_min=False)
    X = check_array(X, "X", owner=owner)
    y, w = check_array(y, "y", ndim=1, owner=owner), check_array(w, "w", ndim=1, owner=owner)
    if y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError(f"rosenblatt_epoch needs 'X' of shape (n, m), 'y' of shape (n,) and 'w' of shape (m,). "
                         f"Got X {X.shape}, y {y.shape} and w {w.shape} instead.")
    if not np.all(np.abs(y) == 1):
        raise ValueError(f"The 'y' parameter of rosenblatt_epoch must hold targets -1 and +1. "
                         f"Got {np.unique(y).tolist()!r:.60} instead.")
    try:
        order = np.arange(X.shape[0]) if order is None else np.asarray(order)
    except (ValueError, TypeError):                          # ragged nested lists
        order = np.asarray(None)
    if order.ndim != 1 or order.dtype.kind not in "iu" or np.any((order < 0) | (order >= X.shape[0])):
        raise ValueError(f"The 'order' parameter of rosenblatt_epoch must be a 1-D array of sample indices "
                         f"0..{X.shape[0] - 1}. Got {order!r:.60} instead.")
    order = order.astype(np.intp)
    try:
        with np.errstate(over="raise", invalid="raise"):   # inf or NaN weights: no answer
            if method == "loop":
                w_new, updated = loop_epoch(X, y, w, eta, order)
                return w_new, np.asarray(updated, dtype=np.intp)
            Z = y[order, None] * X[order]        # (n, d+1): row i is y_i * x_i in presentation order
            w_new, positions = scan_epoch(Z, w, eta)
    except FloatingPointError:
        raise DivergenceError(f"rosenblatt_epoch overflowed: the weights or activations exceed float64's range "
                              f"(eta={eta:g}). Lower eta or rescale X.") from None
    return w_new, order[np.asarray(positions, dtype=np.intp)]


def replay_corrections(Xa: np.ndarray, y: np.ndarray, w: np.ndarray, updated: np.ndarray, eta: float
                       ) -> list[np.ndarray]:
    """The weights after each correction of a pass, from its start ``w`` and the samples ``updated``.

    Applies :func:`rosenblatt_update` to the samples that caused a correction, in order, for
    figures and for the cycling theorem that need every intermediate state.
    """
    states = []
    for i in updated:
        w = rosenblatt_update(w, Xa[i], y[i], eta)
        states.append(w)
    return states
