"""The :class:`Perceptron` estimator: Rosenblatt's rule (:mod:`annhist.perceptron.rule`) in scikit-learn's contract.

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

from annhist.base import check_fit_data, check_predict_data
from annhist.perceptron.rule import fold_bias, loop_epoch, scan_epoch
from annhist.perceptron.threshold_unit import MULTICLASS_HINT, ThresholdUnit
from annhist.validation import (
    ConvergenceWarning,
    DivergenceError,
    check_binary_labels,
    check_choice,
    check_finite_weights,
    check_random_state,
    check_scalar,
    check_X_y,
    to_pm1,
)

__all__ = ["Perceptron"]


class Perceptron(ThresholdUnit):
    """Rosenblatt's perceptron: one threshold unit trained by error correction.

    The rule is the fixed-increment form of the 1962 convergence proofs (Block; Novikoff),
    not a transcription of the 1958 paper, which states learning as reinforcement of A-unit
    values; see :mod:`annhist.perceptron.rule`.

    Parameters
    ----------
    eta : float, default=1.0
        Step size (> 0). With zero initial weights it only scales the weights: the updates and
        the predictions do not depend on it.
    epochs : int, default=100
        Passes over the data (>= 1). Training stops earlier after a pass without a mistake.
    shuffle : bool, default=False
        Present the samples in a new random order each epoch (from ``random_state``).
    random_state : None, int or numpy.random.Generator, default=None
        Seeds the shuffling.
    method : {"vectorized", "loop"}, default="vectorized"
        How an epoch finds mistakes (:func:`~annhist.perceptron.rule.rosenblatt_epoch`); the result is the same.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The two labels; ``classes_[1]`` is the positive class (+1).
    weights_ : ndarray of shape (n_features,)
    bias_ : float
    coef_, intercept_ : ndarray of shape (1, n_features) and (1,)
        scikit-learn's names for ``weights_`` and ``bias_``.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        The column names, when ``X`` was a DataFrame with string column names.
    n_updates_ : int
        Corrections made (mistakes) over all epochs.
    n_epochs_ : int
        Passes made (``n_iter_`` is scikit-learn's name for it).
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
    number of epochs. Not converging within ``epochs`` warns (:class:`ConvergenceWarning`).

    Only two classes (scikit-learn tag ``multi_class=False``): Rosenblatt's rule trains one
    unit that answers yes or no; three or more classes is a ``ValueError``. Use scikit-learn's
    ``OneVsRestClassifier(Perceptron())`` for more, knowing that it is not Rosenblatt's.

    References
    ----------
    F. Rosenblatt (1958), Psychological Review 65(6):386-408; A. B. J. Novikoff (1962), "On
    convergence proofs on perceptrons".

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]]); y = np.array([0, 0, 0, 1])   # AND
    >>> clf = Perceptron(epochs=20).fit(X, y)
    >>> clf.predict(X).tolist(), clf.converged_
    ([0, 0, 0, 1], True)
    """

    _owner = "Perceptron"
    _saved_attributes = ("classes_", "n_features_in_", "weights_", "bias_", "n_updates_", "n_epochs_",
                         "converged_", "history_")

    def __init__(self, *, eta: float = 1.0, epochs: int = 100, shuffle: bool = False,
                 random_state: Any = None, method: str = "vectorized") -> None:
        self.eta = eta
        self.epochs = epochs
        self.shuffle = shuffle
        self.random_state = random_state
        self.method = method

    def _check_params(self) -> None:
        check_scalar(self.eta, "eta", owner=self._owner, min_val=0, include_min=False)
        check_scalar(self.epochs, "epochs", owner=self._owner, kind=numbers.Integral, min_val=1)
        check_choice(self.method, "method", ("vectorized", "loop"), owner=self._owner)
        if not isinstance(self.shuffle, (bool, np.bool_)):
            raise TypeError(f"The 'shuffle' parameter of {self._owner} must be a bool. "
                            f"Got {self.shuffle!r} instead.")

    def fit(self, X: Any, y: Any) -> "Perceptron":
        """Learn from ``w = 0`` for up to ``epochs`` passes; return ``self``."""
        self._check_params()
        X, y = check_fit_data(self, X, y)
        classes, y_pm = check_binary_labels(y, owner=self._owner, hint=MULTICLASS_HINT.format(name=self._owner))
        self._reset(classes, X.shape[1])
        self._epochs(fold_bias(X), y_pm, self.epochs)
        if not self.converged_:
            warnings.warn(f"Perceptron did not converge: {self.history_['mistakes'][-1]} mistake(s) in "
                          f"epoch {self.n_epochs_} (epochs={self.epochs}). The data may not be "
                          "linearly separable.", ConvergenceWarning, stacklevel=2)
        return self

    def partial_fit(self, X: Any, y: Any, classes: Any = None) -> "Perceptron":
        """One more pass over the batch ``(X, y)``, continuing from the current weights.

        ``classes`` (both labels) is needed on the first call unless ``y`` holds both.
        """
        self._check_params()
        if getattr(self, "_w", None) is None:
            X, y = check_fit_data(self, X, y)
            labels = y if classes is None else np.asarray(classes)
            if np.unique(labels).size != 2:
                raise ValueError(f"The 'classes' parameter of {self._owner} must hold exactly two labels on the "
                                 f"first call to partial_fit (unless y holds both). Got {classes!r} instead.")
            self._reset(check_binary_labels(labels, owner=self._owner)[0], X.shape[1])
        else:
            Xc, y = check_X_y(X, y, owner=self._owner)
            check_predict_data(self, X)                 # X itself: a DataFrame's names are checked, not lost
            X = Xc
        unknown = np.setdiff1d(np.unique(y), self.classes_)
        if unknown.size:
            raise ValueError(f"The 'y' parameter of {self._owner} holds label(s) {unknown.tolist()!r} "
                             f"not in classes_ {self.classes_.tolist()!r}.")
        self._epochs(fold_bias(X), to_pm1(y, self.classes_[1]), 1)
        return self

    def _check_loaded(self, extra: dict[str, np.ndarray]) -> None:
        """After :meth:`load`: partial_fit continues from the saved weights and history."""
        super()._check_loaded(extra)
        self._w = np.r_[self.weights_, self.bias_]
        self._rng = check_random_state(self.random_state, owner=self._owner)
        self._hist = {k: list(v) for k, v in self.history_.items()}

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
                        self._w, updated = loop_epoch(Xa, y, self._w, self.eta, order)
                    else:
                        self._w, updated = scan_epoch(Z[order] if self.shuffle else Z, self._w, self.eta)
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
