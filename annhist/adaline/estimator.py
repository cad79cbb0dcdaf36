"""1960: Widrow and Hoff's ADALINE, trained by the LMS (Widrow-Hoff, delta) rule.

An ADALINE ("adaptive linear neuron") is a linear combiner ``s = w . x`` followed by a
quantizer ``q = sign(s)``.  Unlike Rosenblatt's perceptron it learns from the error
*before* the quantizer, ``eps = d - s``, which makes its rule a gradient descent on the
mean squared error ``xi(w) = E[(d - w . x)^2]`` (Widrow & Hoff 1960).  The bias is
folded in as the weight ``w0`` of a constant input ``x0 = +1`` (column 0 of ``X1``).

The pure functions of ``annhist.adaline.lms`` (``lms_update``, ``batch_update``,
``mse_surface``, ``least_squares``, ``lms_stability_limit``) hold the
mathematics and are re-exported here; the :class:`Adaline` estimator holds the state.
MADALINE rule I lives in ``annhist.adaline.madaline`` and is re-exported here too.

References
----------
B. Widrow and M. E. Hoff, "Adaptive switching circuits", IRE WESCON Convention Record,
Part 4, 96-104, 1960.  B. Widrow and M. A. Lehr, "30 years of adaptive neural networks:
perceptron, Madaline, and backpropagation", Proc. IEEE 78(9):1415-1442, 1990.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from sklearn.base import ClassifierMixin

from annhist.activations import sign
from annhist.adaline.lms import alpha_lms_update, batch_update, lms_stability_limit, lms_update
from annhist.base import HistoricalEstimator, OneUnitAttributes, check_fit_data, check_predict_data, weighted_accuracy
from annhist.perceptron.rule import fold_bias
from annhist.validation import (
    DivergenceError,
    check_array,
    check_choice,
    check_random_state,
    check_scalar,
    check_X_y,
    to_pm1,
)

__all__ = ["Adaline", "code_targets", "MODES"]

MODES = ("online", "batch", "alpha-lms")
# Training stops with DivergenceError once the MSE exceeds this multiple of its starting value
# (the larger of the MSE at the initial weights and at w = 0).  Below the stability limit batch
# LMS never raises the MSE at all, so neither test fires on a converging batch run.
_GROWTH = 1e4
# A run that ends above its starting MSE after this many rises in a row is diverging too -- where it can
# diverge (``_can_diverge``): a run hovering at its least MSE, the start when the inputs carry no signal,
# rises and falls by rounding and was called diverging below the limit (1e-8 rises, found by a probe).
_RISING = 3


def code_targets(d: np.ndarray, *, owner: str = "Adaline", name: str = "d") -> tuple[np.ndarray, np.ndarray]:
    """Turn labels into desired responses; return ``(levels, d_coded)``.

    Two distinct labels (any kind) become ``-1``/``+1`` in sorted order, read back by the sign
    quantizer.  Three or more must be numbers: each is its own desired output (Widrow's
    +60/0/-60 meter readings) and the quantizer reads the nearest level.
    """
    try:
        d = np.asarray(d)
        if d.dtype.kind == "O" and d.size and all(isinstance(v, str) for v in d.flat):
            d = d.astype(str)                                   # labels of one kind: strings
    except (ValueError, TypeError) as exc:                     # ragged nested lists
        raise ValueError(f"The '{name}' parameter of {owner} could not be read as an array: {exc}") from None
    if d.ndim != 1:
        raise ValueError(f"The '{name}' parameter of {owner} must be 1-D (one target per pattern). "
                         f"Got shape {d.shape} instead.")
    if d.dtype.kind not in "biufUS":
        raise TypeError(f"The '{name}' parameter of {owner} must hold numbers or strings. Got an array of dtype "
                        f"{d.dtype} instead.")
    if d.dtype.kind == "f" and not np.all(np.isfinite(d)):
        raise ValueError(f"The '{name}' parameter of {owner} contains NaN or infinite values.")
    levels = np.unique(d)
    if levels.size == 2:
        return levels, to_pm1(d, levels[1])
    if levels.size < 2:
        raise ValueError(f"The '{name}' parameter of {owner} must contain at least two classes. "
                         f"Got {levels.size} class(es): {levels.tolist()!r}.")
    if d.dtype.kind not in "iuf":
        raise TypeError(f"The '{name}' parameter of {owner} must be numeric when it holds more than two "
                        f"values (desired output levels). Got {levels.size} labels of dtype {d.dtype} instead.")
    return levels.astype(float), d.astype(float)


class Adaline(ClassifierMixin, OneUnitAttributes, HistoricalEstimator):
    """Widrow and Hoff's ADALINE: a linear combiner trained by LMS, read through a quantizer.

    Parameters
    ----------
    eta : float, > 0
        Step size of the LMS rule (``2 mu`` in Widrow & Lehr 1990).
    epochs : int, >= 1
        Passes over the training set (one update per pass in batch mode).
    mode : {"online", "batch", "alpha-lms"}
        ``"online"``: Widrow-Hoff, one pattern at a time, ``w <- w + eta (d - w . x) x``.
        ``"batch"``: gradient descent on the MSE, ``w <- w + eta mean((d - w . x) x)``.
        ``"alpha-lms"``: the self-normalizing rule, one pattern at a time,
        ``w <- w + eta (d - w . x) x / |x|^2`` (Widrow & Lehr 1990, eq. (4)); ``eta`` is their
        alpha, stable for ``0 < eta < 2`` whatever the scale of the inputs.
    shuffle : bool
        Online mode only: present the patterns in a fresh random order each epoch.
    weight_levels : int or None
        If set, the weights are knob positions: integers ``-weight_levels..weight_levels`` times
        ``weight_step``, rounded and clipped after every update (a finite-resolution memory).
    weight_step : float, > 0
        The weight change of one knob position.
    random_state : None, int or numpy.random.Generator
        Seeds the presentation order.

    Attributes
    ----------
    weights_ : ndarray of shape (n_features,)
    bias_ : float
        The threshold weight ``w0`` on the constant input ``+1``.
    classes_ : ndarray
        The target levels: two classes (coded -1, +1), or three or more numeric levels.
    coef_, intercept_ : ndarray of shape (1, n_features) and (1,)
        scikit-learn's names for ``weights_`` and ``bias_``.
    n_features_in_ : int
    knobs_ : ndarray of int, shape (n_features + 1,) or None
        Knob positions, bias first, when ``weight_levels`` is set.
    history_ : dict of ndarray
        ``"mse"`` (epochs + 1,), ``"errors"`` (misclassified patterns) and ``"weights"``
        (epochs + 1, n_features + 1, bias first); entry 0 is the start.  After a
        :class:`~annhist.DivergenceError` it holds the epochs up to the divergence.
    n_epochs_ : int
        Passes made (``n_iter_`` is scikit-learn's name for it).

    Notes
    -----
    The quantizer is ``sign`` (``+1`` where ``s >= 0``).  The LMS rule converges in the mean for
    ``0 < eta < 2 / lambda_max(R)`` (``lms_stability_limit``).  A run whose MSE grows without
    bound raises :class:`~annhist.DivergenceError` naming ``eta`` and that limit: as soon as the
    MSE passes 10^4 times its start (the larger of the MSE at the initial weights and at
    ``w = 0``) or the weights stop being finite, or when the last epoch ends above the start
    after three rises in a row.

    Classes: two labels of any kind are coded -1/+1 and read by the sign quantizer. Three or
    more *numeric* labels are not one-vs-rest: each is its own desired output level on the one
    linear output (Widrow's +60/0/-60 meter readings) and the quantizer reads the nearest level;
    three or more string labels have no level and are a ``TypeError``. scikit-learn sees a
    multiclass classifier (tag ``multi_class=True``). The desired response is named ``d``, as
    Widrow and Hoff name it.

    References
    ----------
    Widrow & Hoff (1960), "Adaptive switching circuits"; Widrow & Lehr (1990), eq. (33) (the LMS
    rule, with ``2 mu`` for ``eta``) and eq. (34) (its practical step-size bound, in terms of tr R).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    >>> ada = Adaline(eta=0.1, epochs=50, mode="batch").fit(X, [0, 0, 0, 1])   # AND
    >>> ada.predict(X).tolist()
    [0, 0, 0, 1]
    """

    _saved_attributes = ("classes_", "n_features_in_", "weights_", "bias_", "knobs_", "n_epochs_", "history_")

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags

    def __init__(self, *, eta: float = 0.01, epochs: int = 50, mode: str = "online", shuffle: bool = True,
                 weight_levels: int | None = None, weight_step: float = 0.05, random_state: Any = None) -> None:
        self.eta = eta
        self.epochs = epochs
        self.mode = mode
        self.shuffle = shuffle
        self.weight_levels = weight_levels
        self.weight_step = weight_step
        self.random_state = random_state

    def _check_params(self) -> None:
        name = type(self).__name__
        check_scalar(self.eta, "eta", owner=name, min_val=0, include_min=False)
        check_scalar(self.epochs, "epochs", owner=name, kind=numbers.Integral, min_val=1)
        check_choice(self.mode, "mode", MODES, owner=name)
        if self.mode == "alpha-lms":
            check_scalar(self.eta, "eta", owner=name, max_val=2, include_max=False)
        if not isinstance(self.shuffle, (bool, np.bool_)):
            raise TypeError(f"The 'shuffle' parameter of {name} must be a bool. Got {self.shuffle!r} instead.")
        if self.weight_levels is not None:
            check_scalar(self.weight_levels, "weight_levels", owner=name, kind=numbers.Integral, min_val=1)
        check_scalar(self.weight_step, "weight_step", owner=name, min_val=0, include_min=False)

    def _quantize(self, w: np.ndarray) -> np.ndarray:
        """Round to the nearest knob position and clip to the knob's range (identity if unquantized)."""
        if self.weight_levels is None:
            return w
        knobs = np.clip(np.rint(w / self.weight_step), -self.weight_levels, self.weight_levels)
        return knobs * self.weight_step

    def fit(self, X: Any, y: Any, *, weights_init: Any = None, bias_init: float = 0.0) -> "Adaline":
        """Learn the weights by LMS from zero (or from ``weights_init``, ``bias_init``).

        Raises :class:`~annhist.DivergenceError` when the MSE grows without bound.
        """
        name = type(self).__name__
        self._check_params()
        self.weights_ = None  # a failed fit leaves the estimator unfitted
        X, d = check_fit_data(self, X, y)                          # d: Widrow and Hoff's desired response
        self.classes_, d_coded = code_targets(d, owner=name, name="y")
        w0 = np.zeros(X.shape[1]) if weights_init is None else check_array(
            weights_init, "weights_init", ndim=1, owner=name)
        if w0.shape != (X.shape[1],):
            raise ValueError(f"The 'weights_init' parameter of {name} must have shape ({X.shape[1]},). "
                             f"Got {w0.shape} instead.")
        check_scalar(bias_init, "bias_init", owner=name)
        rng = check_random_state(self.random_state, owner=name)
        limit = lms_stability_limit(X)                             # also refuses inputs that overflow
        X1 = fold_bias(X, position="first")                                           # (n, p+1), x0 = +1
        w = self._quantize(np.concatenate([[float(bias_init)], w0]))
        history = {"mse": [self._mse(X1, d_coded, w)], "errors": [self._errors(X1, d_coded, w)], "weights": [w]}
        start = max(history["mse"][0], float(np.mean(d_coded ** 2)))
        for epoch in range(1, self.epochs + 1):
            with np.errstate(over="ignore", invalid="ignore"):
                if self.mode == "batch":
                    w = self._quantize(batch_update(w, X1, d_coded, self.eta))
                else:
                    step = alpha_lms_update if self.mode == "alpha-lms" else lms_update
                    order = rng.permutation(X1.shape[0]) if self.shuffle else range(X1.shape[0])
                    for k in order:
                        w = self._quantize(step(w, X1[k], d_coded[k], self.eta))
                mse = self._mse(X1, d_coded, w)
            history["mse"].append(mse)
            history["errors"].append(self._errors(X1, d_coded, w))
            history["weights"].append(w)
            mse_seq = history["mse"]
            running_away = mse > _GROWTH * start or (  # or, at the last epoch: above the start and still rising
                epoch == self.epochs and epoch >= _RISING and mse > start and self._can_diverge(limit, X)
                and all(b > a for a, b in zip(mse_seq[-_RISING - 1:], mse_seq[-_RISING:])))
            if not (np.all(np.isfinite(w)) and np.isfinite(mse)) or running_away:
                self.history_ = {k: np.asarray(v) for k, v in history.items()}
                raise DivergenceError(self._divergence_message(epoch, start, mse, limit, X))
        self.history_ = {k: np.asarray(v) for k, v in history.items()}
        self.n_epochs_ = self.epochs
        self.knobs_ = None if self.weight_levels is None else np.rint(w / self.weight_step).astype(int)
        self.n_features_in_ = X.shape[1]
        self.bias_, self.weights_ = float(w[0]), w[1:].copy()
        return self

    @staticmethod
    def _mse(X1: np.ndarray, d: np.ndarray, w: np.ndarray) -> float:
        with np.errstate(over="ignore", invalid="ignore"):
            return float(np.mean((d - X1 @ w) ** 2))

    def _errors(self, X1: np.ndarray, d: np.ndarray, w: np.ndarray) -> int:
        with np.errstate(over="ignore", invalid="ignore"):
            s = X1 @ w
        if self.classes_.size == 2:
            return int(np.sum(sign(s) != d))
        nearest = self.classes_[np.argmin(np.abs(s[:, None] - self.classes_[None, :]), axis=1)]
        return int(np.sum(nearest != d))

    def _can_diverge(self, limit: float, X: np.ndarray) -> bool:
        """Whether this step size may diverge: batch LMS from the limit 2/lambda_max(R) on (the theorem), online LMS
        above a third of 2/tr(R) (Horowitz and Senne, via Widrow & Lehr 1990, p. 1429), alpha-LMS never (eta < 2)."""
        if self.mode == "batch":
            return self.eta >= limit
        return self.mode == "online" and self.eta > lms_stability_limit(X, bound="trace") / 3

    def _divergence_message(self, epoch: int, start: float, mse: float, limit: float, X: np.ndarray) -> str:
        msg = (f"{type(self).__name__} diverged at epoch {epoch}: the mean squared error is growing without "
               f"bound (from {start:.3g} to {mse:.3g}). The step size eta={self.eta:g} ")
        msg += "exceeds" if self.eta > limit else "is below"
        msg += f" the stability limit 2/lambda_max(R) = {limit:.4g}."
        if self.mode == "online" and self.eta <= limit:
            msg += (f" Online LMS also needs eta well below the safe bound 2/tr(R) = "
                    f"{lms_stability_limit(X, bound='trace'):.4g}.")
        return msg + " Lower eta."

    def decision_function(self, X: Any) -> np.ndarray:
        """The linear combiner's output ``s = w . x + w0`` (before the quantizer), shape (n,)."""
        X = check_predict_data(self, X)
        return X @ self.weights_ + self.bias_

    def predict(self, X: Any) -> np.ndarray:
        """The quantized output in the original classes: ``sign(s)``, or the nearest target level."""
        s = self.decision_function(X)
        if self.classes_.size == 2:
            return self.classes_[(sign(s) > 0).astype(int)]
        return self.classes_[np.argmin(np.abs(s[:, None] - self.classes_[None, :]), axis=1)]

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """The fraction of patterns whose quantized output equals ``y`` (weighted by ``sample_weight``)."""
        _, y = check_X_y(X, y, owner=type(self).__name__)
        return weighted_accuracy(self.predict(X), y, sample_weight, type(self).__name__)   # X itself: its names
