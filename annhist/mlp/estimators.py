"""The 1986 network as scikit-learn estimators: :class:`MLPClassifier` and :class:`MLPRegressor`.

Both build an :class:`annhist.mlp.MLP` and train it with the generalized delta rule and the
settings of Rumelhart, Hinton & Williams (1986): logistic units, E = 1/2 sum of squared
errors over the cases (their eq. 3), one weight change per sweep through the data, momentum
Delta w(t) = -eta dE/dw + alpha Delta w(t-1) with eta = 0.5 and alpha = 0.9, and initial
weights uniform in +-0.3 (the settings :mod:`annhist.mlp.rhw` reruns). The MLP itself stays
the chapters' object (``net_``); these classes add scikit-learn's contract around it.

References
----------
D. E. Rumelhart, G. E. Hinton, R. J. Williams, "Learning representations by back-propagating
errors", Nature 323:533-536 (1986); PDP vol. 1, ch. 8, pp. 318-362 (1986).
"""

from __future__ import annotations

import numbers
import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin

from annhist.base import HistoricalEstimator, check_fit_data, check_fitted, check_predict_data, weighted_accuracy
from annhist.estimator_io import save_estimator
from annhist.layers import MAX_WEIGHTS
from annhist.mlp.checks import check_rows
from annhist.mlp.network import MLP
from annhist.optimizers import Momentum
from annhist.validation import ConvergenceWarning, check_sample_weight, check_scalar, check_X_y

__all__ = ["MLPClassifier", "MLPRegressor", "MAX_INIT_RANGE", "MIN_TRAINING_R2"]

#: The widest initial range: weights of +-1e6 already saturate every logistic unit (its slope e^-1e6 is 0),
#: and from about 1e150 on fit's divergence check (weights summing past 1e150) fires before the first step.
MAX_INIT_RANGE = 1e6
#: MLPRegressor warns when its R^2 on the training cases is no higher: it explains at most 0.1% of y's variance
#: (a net whose saturated hidden units leave only the output bias learns the mean of y, R^2 = 0).
MIN_TRAINING_R2 = 1e-3


class _Backprop1986(HistoricalEstimator):
    """What the classifier and the regressor share: the net, its training and its files."""

    _fitted_attribute = "net_"
    _saved_attributes = ("n_features_in_", "n_outputs_", "n_epochs_", "converged_", "history_")
    _output = "sigmoid"
    _stop_within_max: float | None = None     # an exclusive bound on stop_within, where the outputs have one

    def __init__(self, *, hidden_layer_sizes: Any = (10,), eta: float = 0.5, alpha: float = 0.9,
                 epochs: int = 1000, batch_size: int | None = None, init_range: float = 0.3,
                 stop_within: float | None = None, random_state: Any = None) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.eta = eta
        self.alpha = alpha
        self.epochs = epochs
        self.batch_size = batch_size
        self.init_range = init_range
        self.stop_within = stop_within
        self.random_state = random_state

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags

    def _check_params(self) -> list[int]:
        owner = type(self).__name__
        sizes = self.hidden_layer_sizes
        if isinstance(sizes, (numbers.Integral, np.integer)) and not isinstance(sizes, bool):
            sizes = (sizes,)
        if not isinstance(sizes, (tuple, list)) or not all(
                isinstance(s, (numbers.Integral, np.integer)) and not isinstance(s, bool) and s >= 1 for s in sizes):
            raise ValueError(f"The 'hidden_layer_sizes' parameter of {owner} must be a tuple of ints >= 1. "
                             f"Got {self.hidden_layer_sizes!r} instead.")
        check_scalar(self.eta, "eta", owner=owner, min_val=0, include_min=False)
        check_scalar(self.alpha, "alpha", owner=owner, min_val=0, max_val=1, include_max=False)
        check_scalar(self.epochs, "epochs", owner=owner, kind=numbers.Integral, min_val=1)
        check_scalar(self.init_range, "init_range", owner=owner, min_val=0, include_min=False,
                     max_val=MAX_INIT_RANGE)
        if self.batch_size is not None:
            check_scalar(self.batch_size, "batch_size", owner=owner, kind=numbers.Integral, min_val=1)
        if self.stop_within is not None:
            check_scalar(self.stop_within, "stop_within", owner=owner, min_val=0, include_min=False,
                         max_val=self._stop_within_max, include_max=False)
        return [int(s) for s in sizes]

    def _train(self, X: np.ndarray, D: np.ndarray) -> None:
        """Build the net ``[n_features, *hidden, n_outputs]`` and run the generalized delta rule."""
        hidden = self._check_params()
        check_rows(X.shape[0], (X.shape[1], *hidden, D.shape[1]), owner=type(self).__name__)   # fit predicts X after
        self.n_outputs_ = D.shape[1]
        self.net_ = MLP([X.shape[1], *hidden, self.n_outputs_], activation="sigmoid", output_activation=self._output,
                        loss="mse", init=("uniform", float(self.init_range)), random_state=self.random_state)
        self.net_.fit(X, D, optimizer=Momentum(eta=self.eta, alpha=self.alpha), epochs=self.epochs,
                      batch_size=self.batch_size, stop_within=self.stop_within, verbose=False)
        self.n_epochs_, self.converged_ = self.net_.n_epochs_, bool(self.net_.converged_)
        self.history_ = {k: np.asarray(v, dtype=float) for k, v in self.net_.history_.items()}

    @property
    def coefs_(self) -> list[np.ndarray]:
        """scikit-learn's name: the weight matrices, ``coefs_[l]`` of shape (n_in, n_out)."""
        check_fitted(self)
        return [layer.params["W"] for layer in self.net_.layers_]

    @property
    def intercepts_(self) -> list[np.ndarray]:
        """scikit-learn's name: the bias vectors, one per layer."""
        check_fitted(self)
        return [layer.params["b"] for layer in self.net_.layers_]

    def _outputs(self, X: Any) -> np.ndarray:
        X = check_predict_data(self, X)                             # checks that the net is fitted
        return self.net_.predict(X)                                 # (n, n_outputs)

    def save(self, path: str | os.PathLike) -> Path:
        """Write the hyperparameters, the weights and the history to an ``.npz`` file (no pickle)."""
        check_fitted(self)
        weights = {f"{k}{l}": p for l, layer in enumerate(self.net_.layers_) for k, p in layer.params.items()}
        return save_estimator(self, path, extra=weights)

    def _check_loaded(self, extra: dict[str, np.ndarray]) -> None:
        """After :meth:`load`: rebuild the net and put the saved weights back, checking their shapes."""
        hidden = self._check_params()
        self.net_ = MLP([self.n_features_in_, *hidden, self.n_outputs_], activation="sigmoid",
                        output_activation=self._output, loss="mse", init=("uniform", float(self.init_range)))
        names = [f"{k}{l}" for l in range(len(self.net_.layers_)) for k in ("W", "b")]
        if sorted(extra) != sorted(names):
            raise ValueError(f"it holds the weights {sorted(extra)}, expected {sorted(names)}.")
        for name, p in zip(names, self.net_.params_):
            if extra[name].shape != p.shape:
                raise ValueError(f"array {name!r} has shape {extra[name].shape}, expected {p.shape}.")
            p[...] = extra[name]
        self.net_.n_epochs_, self.net_.converged_ = self.n_epochs_, self.converged_
        self.net_.history_ = {k: v.tolist() for k, v in self.history_.items()}


class MLPClassifier(ClassifierMixin, _Backprop1986):
    """The 1986 multilayer perceptron as a classifier: one logistic output unit per class.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(10,)
        Hidden units per layer (our default; the paper's nets were sized per task).
    eta, alpha : float, default=0.5 and 0.9
        The momentum rule's step and momentum (the paper's XOR settings).
    epochs : int, default=1000
        Most sweeps through the data.
    batch_size : int or None, default=None
        None: one weight change per sweep (the paper); k: after every k cases.
    init_range : float, default=0.3
        Initial weights and biases uniform in ``[-init_range, init_range]``; at most ``MAX_INIT_RANGE``.
    stop_within : float or None, default=None
        Stop once every output is within this of its target (the book's learned criterion); below 1, since
        a logistic output is always within 1 of its 0/1 target (0.5: every case on the right side of 0.5).
    random_state : None, int or numpy.random.Generator, default=None

    Attributes
    ----------
    net_ : MLP
        The trained network (the chapters' object).
    classes_, n_features_in_, n_outputs_ : ndarray, int, int
    coefs_, intercepts_ : list of ndarray
        scikit-learn's names for the weights and biases, layer by layer.
    n_epochs_ : int
        Sweeps made (``n_iter_`` is scikit-learn's name for it).
    converged_ : bool
    history_ : dict of ndarray
        ``"loss"``: E per sweep; ``"max_error"``: the largest output error, with ``stop_within``.

    Notes
    -----
    Targets are the paper's: 1 for the unit of the right class, 0 for the others (two classes:
    one unit, 1 for ``classes_[1]``). ``predict`` takes the most active unit. The outputs are
    not probabilities, so there is no ``predict_proba``; ``decision_function`` gives the
    outputs minus 0.5 (shape (n,) for two classes). Any number of classes, as long as the targets
    (n_samples x n_classes numbers) stay within ``annhist.layers.MAX_WEIGHTS``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]]); y = np.array([0, 1, 1, 0])   # XOR
    >>> clf = MLPClassifier(hidden_layer_sizes=(2,), epochs=2000, random_state=0).fit(X, y)
    >>> clf.predict(X).tolist()
    [0, 1, 1, 0]
    """

    _saved_attributes = ("classes_",) + _Backprop1986._saved_attributes
    _stop_within_max = 1.0          # outputs in (0, 1), targets 0 or 1: every error is below 1 before training

    def fit(self, X: Any, y: Any) -> "MLPClassifier":
        """Train the net by back-propagation on targets 1 (this class) and 0 (the others)."""
        self._check_params()
        X, y = check_fit_data(self, X, y)
        self.classes_, index = np.unique(y, return_inverse=True)
        if self.classes_.size < 2:
            raise ValueError(f"The 'y' parameter of MLPClassifier must contain at least two classes. "
                             f"Got 1 class: {self.classes_.tolist()!r}.")
        n, k = index.size, self.classes_.size
        if n * k > MAX_WEIGHTS:                                     # np.eye(k)[index] also made a (k, k) matrix
            raise ValueError(f"The 'y' parameter of MLPClassifier has {k:,} classes over {n:,} samples: the targets, "
                             f"one output unit per class, would hold {n * k:,} numbers, more than MAX_WEIGHTS = "
                             f"{MAX_WEIGHTS:,}. Is y a continuous target? MLPRegressor learns those.")
        D = np.zeros((n, k))
        D[np.arange(n), index] = 1.0                               # (n, k) one unit per class
        D = D[:, 1:] if self.classes_.size == 2 else D
        self._train(X, D)
        self._warn_if_no_better_than_the_majority(X, index, D)
        return self

    def _warn_if_no_better_than_the_majority(self, X: np.ndarray, index: np.ndarray, D: np.ndarray) -> None:
        """A ConvergenceWarning when the trained net does no better on its training cases than a constant: its
        accuracy no higher than answering the most common class everywhere, or its error E no lower than that
        of outputting each class's share for every case. Saturated units or a stall, never a silent chance-level
        model."""
        share = np.bincount(index).max() / index.size
        accuracy = float(np.mean(self._classes_of(self.net_.predict(X)) == self.classes_[index]))
        E = self.net_.error(X, D)
        E_constant = 0.5 * float(np.sum((D - D.mean(axis=0)) ** 2))
        if accuracy <= share or E >= E_constant:
            warnings.warn(f"MLPClassifier did no better on its training cases than a constant answer (accuracy "
                          f"{accuracy:.3g}, the most common class's share {share:.3g}; E = {E:.4g}, {E_constant:.4g} "
                          f"for each class's share everywhere): its units saturated or it stalled. eta={self.eta:g} "
                          f"multiplies a gradient summed over all {index.size} cases (the paper's E); try a step "
                          f"near {self.eta:g}/{index.size} = {self.eta / index.size:.2g}, a batch_size, or more "
                          f"epochs.", ConvergenceWarning, stacklevel=3)

    def decision_function(self, X: Any) -> np.ndarray:
        """The output units' activities minus 0.5: shape (n,) for two classes, else (n, n_classes)."""
        out = self._outputs(X) - 0.5
        return out[:, 0] if self.classes_.size == 2 else out

    def predict(self, X: Any) -> np.ndarray:
        """The class of the most active output unit (two classes: output > 0.5)."""
        return self._classes_of(self._outputs(X))

    def _classes_of(self, out: np.ndarray) -> np.ndarray:
        index = (out[:, 0] > 0.5).astype(np.intp) if self.classes_.size == 2 else np.argmax(out, axis=1)
        return self.classes_[index]

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """The fraction of samples classified correctly (weighted by ``sample_weight`` if given)."""
        _, y = check_X_y(X, y, owner="MLPClassifier")
        return weighted_accuracy(self.predict(X), y, sample_weight, "MLPClassifier")    # X itself: its names


class MLPRegressor(RegressorMixin, _Backprop1986):
    """The 1986 multilayer perceptron as a regressor: logistic hidden units, linear output units.

    Parameters and attributes as :class:`MLPClassifier` (without ``classes_``). The output units
    are linear (``output_activation="identity"``): a departure from the paper, whose units are
    all logistic, so that targets outside (0, 1) can be learned. One or several outputs
    (``y`` of shape (n,) or (n, n_outputs)). ``score`` is scikit-learn's R^2. ``stop_within`` may be any
    number > 0: linear outputs and their targets are on the scale of ``y``, so no bound holds for every ``y``.
    """

    _output = "identity"

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def fit(self, X: Any, y: Any) -> "MLPRegressor":
        """Train the net by back-propagation on the targets ``y``."""
        self._check_params()
        X, y = check_fit_data(self, X, y, classifier=False, y_ndim=(1, 2))
        self._single_output = y.ndim == 1
        self._train(X, y.reshape(len(y), -1))
        self._warn_if_no_better_than_the_mean(X, y.reshape(len(y), -1))
        return self

    def _warn_if_no_better_than_the_mean(self, X: np.ndarray, D: np.ndarray) -> None:
        """A ConvergenceWarning when the trained net's R^2 on its training cases (1 - E / E for predicting the
        mean of y everywhere) is not above ``MIN_TRAINING_R2``: saturated units or a stall, never a silent
        constant model. A constant y, which the mean fits exactly, is not warned about."""
        E, E_constant = self.net_.error(X, D), 0.5 * float(np.sum((D - D.mean(axis=0)) ** 2))
        r2 = 1.0 - E / E_constant if E_constant > 0 else 1.0
        if r2 <= MIN_TRAINING_R2:
            warnings.warn(f"MLPRegressor did no better on its training cases than a constant answer (R^2 {r2:.3g}; "
                          f"E = {E:.4g}, {E_constant:.4g} for the mean of y everywhere): its units saturated or it "
                          f"stalled. Its linear outputs work on y's scale (standard deviation {D.std():.3g}) and "
                          f"eta={self.eta:g} multiplies a gradient summed over all {len(D)} cases (the paper's E); "
                          f"scale y (sklearn.compose.TransformedTargetRegressor with a StandardScaler), try a smaller "
                          f"eta, or more epochs.", ConvergenceWarning, stacklevel=3)

    def predict(self, X: Any) -> np.ndarray:
        """The output units' activities: shape (n,) for one target, (n, n_outputs) for several."""
        out = self._outputs(X)
        return out[:, 0] if out.shape[1] == 1 and getattr(self, "_single_output", True) else out

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """R^2 of the predictions (scikit-learn's ``RegressorMixin.score``), after annhist's checks of X and y."""
        Xc, y = check_X_y(X, y, owner="MLPRegressor", y_numeric=True, y_ndim=(1, 2))
        sample_weight = check_sample_weight(sample_weight, len(Xc), owner="MLPRegressor")
        return super().score(X, y, sample_weight=sample_weight)                   # X itself: its names
