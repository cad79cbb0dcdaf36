"""Rosenblatt's perceptron (1957-1962): the error-correction rule, as he wrote it.

A threshold unit answers ``+1`` when ``w . x + b > 0`` and ``-1`` otherwise. Rosenblatt's
error-correction procedure changes the weights only on a mistake::

    w <- w + eta * y * x        (y in {-1, +1}; the bias b is a weight on a constant input 1)

The pure functions :func:`fold_bias` and :func:`rosenblatt_epoch` hold the rule; the
:class:`Perceptron` estimator wraps them in scikit-learn's contract. :class:`Pocket`
(Gallant 1990) is a later variant for data that no line separates, :func:`novikoff_bound`
gives the convergence bound of Novikoff (1962), and :class:`MarkI` simulates the Mark I
Perceptron machine (in :mod:`annhist.mark1`; imported from here on first use).

References
----------
F. Rosenblatt, "The perceptron: a probabilistic model for information storage and organization
in the brain", Psychological Review 65(6):386-408, 1958; *Principles of Neurodynamics*, 1962.
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np

from annhist.validation import (ConvergenceWarning, DivergenceError, check_array, check_binary_labels,
                                 check_choice, check_finite_weights, check_n_features, check_random_state,
                                 check_scalar, check_X_y)
from annhist.novikoff import novikoff_bound
from annhist.pocket import Pocket
from annhist.threshold_unit import ThresholdUnit

__all__ = ["fold_bias", "rosenblatt_epoch", "Perceptron", "Pocket", "MarkI", "novikoff_bound"]

_CHUNK_MIN, _CHUNK_MAX = 512, 8192   # rows per scan; larger chunks make OpenBLAS spawn threads


def fold_bias(X: np.ndarray) -> np.ndarray:
    """Append a constant input 1 to every row, so the bias becomes the last weight.

    ``(n, d) -> (n, d + 1)``; a new array, ``X`` is not modified.
    """
    X = check_array(X, "X", owner="fold_bias")
    return np.hstack([X, np.ones((X.shape[0], 1))])   # (n, d) -> (n, d + 1)


def _loop_epoch(Xa: np.ndarray, y: np.ndarray, w: np.ndarray, eta: float, order: np.ndarray
                ) -> tuple[np.ndarray, list[int]]:
    """The plain loop, one sample at a time, exactly as Rosenblatt's procedure reads."""
    w = w.copy()
    updated = []
    for i in order:
        x_i, y_i = Xa[i], y[i]
        if y_i * (x_i @ w) <= 0:         # a mistake; an activation of exactly 0 counts as one
            w = w + eta * y_i * x_i      # Rosenblatt's error correction: w <- w + eta y x
            updated.append(int(i))
    return w, updated


def _scan_epoch(Z: np.ndarray, w: np.ndarray, eta: float) -> tuple[np.ndarray, list[int]]:
    """The same epoch, with the search for the next mistake vectorized.

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
        w += eta * Z[j]                  # w <- w + eta * y_j * x_j
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
                w_new, updated = _loop_epoch(X, y, w, eta, order)
                return w_new, np.asarray(updated, dtype=np.intp)
            Z = y[order, None] * X[order]        # (n, d+1): row i is y_i * x_i in presentation order
            w_new, positions = _scan_epoch(Z, w, eta)
    except FloatingPointError:
        raise DivergenceError(f"rosenblatt_epoch overflowed: the weights or activations exceed float64's range "
                              f"(eta={eta:g}). Lower eta or rescale X.") from None
    return w_new, order[np.asarray(positions, dtype=np.intp)]


class Perceptron(ThresholdUnit):
    """Rosenblatt's perceptron: one threshold unit trained by error correction.

    Parameters
    ----------
    eta : float, default=1.0
        Step size (> 0). With zero initial weights it only scales the weights: the updates and
        the predictions do not depend on it.
    max_epochs : int, default=100
        Passes over the data (>= 1). Training stops earlier after a pass without a mistake.
    shuffle : bool, default=False
        Present the samples in a new random order each epoch (from ``random_state``).
    random_state : None, int or numpy.random.Generator, default=None
        Seeds the shuffling.
    method : {"vectorized", "loop"}, default="vectorized"
        How an epoch finds mistakes (:func:`rosenblatt_epoch`); the result is the same.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The two labels; ``classes_[1]`` is the positive class (+1).
    weights_ : ndarray of shape (n_features,)
    bias_ : float
    n_features_in_ : int
    n_updates_ : int
        Corrections made (mistakes) over all epochs.
    n_epochs_ : int
        Passes made.
    converged_ : bool
        True when the last pass made no mistake.
    history_ : dict of ndarray
        Per epoch: ``"mistakes"`` (n_epochs,), ``"weights"`` (n_epochs, n_features) and
        ``"bias"`` (n_epochs,), the values at the end of each epoch.

    Notes
    -----
    Starting from :math:`w = 0`, each pass presents the samples in order; on a mistake
    (:math:`y_i (w \\cdot x_i + b) \\le 0`) it applies :math:`w \\leftarrow w + \\eta y_i x_i`,
    :math:`b \\leftarrow b + \\eta y_i`. With ``shuffle=False`` the weights equal
    scikit-learn's ``Perceptron(eta0=eta, alpha=0, shuffle=False, tol=None)`` after the same
    number of epochs. Not converging within ``max_epochs`` warns (:class:`ConvergenceWarning`).

    References
    ----------
    F. Rosenblatt (1958), Psychological Review 65(6):386-408; A. B. J. Novikoff (1962), "On
    convergence proofs on perceptrons".

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]]); y = np.array([0, 0, 0, 1])   # AND
    >>> clf = Perceptron(max_epochs=20).fit(X, y)
    >>> clf.predict(X).tolist(), clf.converged_
    ([0, 0, 0, 1], True)
    """

    _owner = "Perceptron"

    def __init__(self, *, eta: float = 1.0, max_epochs: int = 100, shuffle: bool = False,
                 random_state: Any = None, method: str = "vectorized") -> None:
        self.eta = eta
        self.max_epochs = max_epochs
        self.shuffle = shuffle
        self.random_state = random_state
        self.method = method

    def _check_params(self) -> None:
        check_scalar(self.eta, "eta", owner=self._owner, min_val=0, include_min=False)
        check_scalar(self.max_epochs, "max_epochs", owner=self._owner, kind=numbers.Integral, min_val=1)
        check_choice(self.method, "method", ("vectorized", "loop"), owner=self._owner)
        if not isinstance(self.shuffle, (bool, np.bool_)):
            raise TypeError(f"The 'shuffle' parameter of {self._owner} must be a bool. "
                            f"Got {self.shuffle!r} instead.")

    def fit(self, X: Any, y: Any) -> "Perceptron":
        """Learn from ``w = 0`` for up to ``max_epochs`` passes; return ``self``."""
        self._check_params()
        X, y = check_X_y(X, y, owner=self._owner)
        classes, y_pm = check_binary_labels(y, owner=self._owner)
        self._reset(classes, X.shape[1])
        self._epochs(fold_bias(X), y_pm, self.max_epochs)
        if not self.converged_:
            warnings.warn(f"Perceptron did not converge: {self.history_['mistakes'][-1]} mistake(s) in "
                          f"epoch {self.n_epochs_} (max_epochs={self.max_epochs}). The data may not be "
                          "linearly separable.", ConvergenceWarning, stacklevel=2)
        return self

    def partial_fit(self, X: Any, y: Any, classes: Any = None) -> "Perceptron":
        """One more pass over the batch ``(X, y)``, continuing from the current weights.

        ``classes`` (both labels) is needed on the first call unless ``y`` holds both.
        """
        self._check_params()
        X, y = check_X_y(X, y, owner=self._owner)
        if getattr(self, "_w", None) is None:
            labels = y if classes is None else np.asarray(classes)
            if np.unique(labels).size != 2:
                raise ValueError(f"The 'classes' parameter of {self._owner} must hold exactly two labels on the "
                                 f"first call to partial_fit (unless y holds both). Got {classes!r} instead.")
            self._reset(check_binary_labels(labels, owner=self._owner)[0], X.shape[1])
        check_n_features(X, self.n_features_in_, owner=self._owner)
        unknown = np.setdiff1d(np.unique(y), self.classes_)
        if unknown.size:
            raise ValueError(f"The 'y' parameter of {self._owner} holds label(s) {unknown.tolist()!r} "
                             f"not in classes_ {self.classes_.tolist()!r}.")
        self._epochs(fold_bias(X), np.where(y == self.classes_[1], 1.0, -1.0), 1)
        return self

    def _reset(self, classes: np.ndarray, n_features: int) -> None:
        self.classes_, self.n_features_in_ = classes, n_features
        self._w = np.zeros(n_features + 1)                # the weights, bias last: start at 0
        self._rng = check_random_state(self.random_state, owner=self._owner)
        self.n_updates_, self.n_epochs_, self.converged_ = 0, 0, False
        self._hist: dict[str, list] = {"mistakes": [], "weights": [], "bias": []}

    def _epochs(self, Xa: np.ndarray, y: np.ndarray, n_epochs: int) -> None:
        n = Xa.shape[0]
        Z = y[:, None] * Xa if self.method == "vectorized" else None   # (n, d+1): rows y_i x_i
        for _ in range(n_epochs):
            order = self._rng.permutation(n) if self.shuffle else np.arange(n)
            try:
                with np.errstate(over="raise", invalid="raise"):   # inf or NaN activations: no answer
                    if self.method == "loop":
                        self._w, updated = _loop_epoch(Xa, y, self._w, self.eta, order)
                    else:
                        self._w, updated = _scan_epoch(Z[order] if self.shuffle else Z, self._w, self.eta)
            except FloatingPointError:
                raise DivergenceError(f"{self._owner} overflowed in epoch {self.n_epochs_ + 1}: the activations "
                                      "exceed float64's range. Rescale X (the 'X' parameter).") from None
            self.n_epochs_ += 1
            check_finite_weights(self._w, owner=self._owner, epoch=self.n_epochs_, bound=np.inf)
            self.n_updates_ += len(updated)
            self._hist["mistakes"].append(len(updated))
            self._hist["weights"].append(self._w[:-1].copy())
            self._hist["bias"].append(float(self._w[-1]))
            self.converged_ = not updated
            if self.converged_:
                break
        self._publish()

    def _publish(self) -> None:
        self.weights_, self.bias_ = self._w[:-1].copy(), float(self._w[-1])
        self.history_ = {"mistakes": np.asarray(self._hist["mistakes"], dtype=np.int64),
                         "weights": np.asarray(self._hist["weights"]).reshape(-1, self.n_features_in_),
                         "bias": np.asarray(self._hist["bias"], dtype=float)}


def __getattr__(name: str) -> Any:
    """``MarkI`` lives in :mod:`annhist.mark1`, which builds on this module (imported lazily)."""
    if name == "MarkI":
        from annhist.mark1 import MarkI
        return MarkI
    raise AttributeError(f"module 'annhist.perceptron' has no attribute {name!r}")
