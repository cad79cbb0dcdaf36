"""What every annhist estimator shares with scikit-learn: its base class and its input checks.

Every estimator of the book (the perceptron, the pocket, ADALINE, MADALINE, the Mark I, the
1986 network's :class:`~annhist.mlp.MLPClassifier`) inherits scikit-learn's public
``BaseEstimator`` through :class:`HistoricalEstimator`, so ``clone``, ``Pipeline`` and
``GridSearchCV`` work on them. scikit-learn's ``check_estimator`` passes for each with the settings
that ``tests/test_sklearn_api.py`` gives it (its few expected failures are listed and explained there):
the defaults for the perceptron, the pocket and MADALINE; for the others the papers' defaults depend
on the data's scale or size, so the checks' random data need ADALINE's alpha-LMS, a smaller step for
the 1986 network (its E is summed over the cases) and a small Mark I plugboard. The data checks stay annhist's own
(:func:`annhist.validation.check_X_y`: messages that name the parameter and the value);
scikit-learn's public ``sklearn.utils.validation.validate_data`` then only records what it
alone knows (``n_features_in_``, ``feature_names_in_`` from a DataFrame) and
``sklearn.utils.validation.check_is_fitted`` decides whether an estimator is fitted.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.exceptions import DataConversionWarning
from sklearn.exceptions import NotFittedError as SkNotFittedError
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted as sk_check_is_fitted
from sklearn.utils.validation import validate_data

from annhist.estimator_io import load_estimator, save_estimator
from annhist.validation import NotFittedError, check_array, check_sample_weight, check_X_y

__all__ = ["HistoricalEstimator", "OneUnitAttributes", "check_fit_data", "check_predict_data", "check_fitted",
           "refuse_sparse", "dense_real", "column_y", "weighted_accuracy"]


def refuse_sparse(X: Any, owner: str, *, name: str = "X") -> None:
    """A scipy sparse matrix is a ``TypeError`` that says so (the historical rules read dense inputs)."""
    if sparse.issparse(X):
        raise TypeError(f"The '{name}' parameter of {owner} must be a dense array: sparse input is not supported "
                        f"(the historical rules read every input). Got a {type(X).__name__} instead; "
                        f"use X.toarray().")


def dense_real(X: Any, owner: str, name: str = "X") -> Any:
    """Refuse sparse and complex ``X``; read an object array of numbers as floats (as scikit-learn does)."""
    refuse_sparse(X, owner, name=name)
    if isinstance(X, np.ndarray) and X.dtype.kind == "c":
        raise ValueError(f"The '{name}' parameter of {owner} must contain real numbers. Complex data not "
                         f"supported: got an array of dtype {X.dtype}.")
    if isinstance(X, np.ndarray) and X.dtype.kind == "O":
        try:
            return X.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"The '{name}' parameter of {owner} must contain real numbers: {exc}.") from None
    return X


def column_y(y: Any) -> Any:
    """A column vector y (n, 1) becomes (n,) with scikit-learn's ``DataConversionWarning``."""
    if isinstance(y, np.ndarray) and y.ndim == 2 and y.shape[1] == 1:
        warnings.warn("A column-vector y was passed when a 1d array was expected. Please change the shape of "
                      "y to (n_samples, ), for example using ravel().", DataConversionWarning, stacklevel=3)
        return y.ravel()
    return y


def check_fit_data(est: BaseEstimator, X: Any, y: Any, *, y_name: str = "y", classifier: bool = True,
                   y_ndim: int | tuple[int, ...] = 1) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)`` checked by annhist (clear messages), then recorded by scikit-learn (``reset=True``).

    A classifier's targets must be class labels (scikit-learn's ``check_classification_targets``:
    a continuous target is refused with "Unknown label type"); a missing ``y`` is a
    ``ValueError`` in scikit-learn's words.
    """
    owner = type(est).__name__
    X = dense_real(X, owner)
    if y is None:
        raise ValueError(f"The '{y_name}' parameter of {owner} is missing: {owner} requires y to be passed, "
                         f"but the target y is None.")
    y = column_y(y) if y_ndim == 1 else y
    if not classifier:
        y = dense_real(y, owner, name=y_name)                      # an object array of numbers is read
    Xc, yc = check_X_y(X, y, owner=owner, y_name=y_name, y_numeric=not classifier, y_ndim=y_ndim)
    if classifier:
        try:
            check_classification_targets(yc)
        except ValueError as exc:
            raise ValueError(f"The '{y_name}' parameter of {owner} must hold class labels. {exc}") from None
    validate_data(est, X, reset=True, skip_check_array=True)      # n_features_in_, feature_names_in_
    return Xc, yc


def check_fitted(est: BaseEstimator) -> None:
    """scikit-learn's ``check_is_fitted``, raising annhist's :class:`~annhist.NotFittedError` (a subclass)."""
    try:
        sk_check_is_fitted(est)
    except SkNotFittedError as exc:
        raise NotFittedError(str(exc)) from None


def check_predict_data(est: BaseEstimator, X: Any, *, ndim: int | tuple[int, ...] = 2) -> np.ndarray:
    """``X`` for a fitted estimator: fitted, checked by annhist, same width and names as in ``fit``.

    A wrong width is a ``ValueError`` naming 'X' in scikit-learn's words ("X has 3 features,
    but Perceptron is expecting 2 features as input").
    """
    owner = type(est).__name__
    check_fitted(est)
    X = dense_real(X, owner)
    Xc = check_array(X, "X", owner=owner, ndim=ndim)
    width, fitted = Xc.reshape(len(Xc), -1).shape[1], getattr(est, "n_features_in_", None)
    if fitted is not None and width != fitted:
        raise ValueError(f"The 'X' parameter of {owner} has {width} features, but the estimator was fitted with "
                         f"{fitted} features (X has {width} features, but {owner} is expecting {fitted} features "
                         f"as input).")
    validate_data(est, X if Xc.ndim == 2 else Xc.reshape(len(Xc), -1), reset=False, skip_check_array=True)
    return Xc


def weighted_accuracy(pred: np.ndarray, y: np.ndarray, sample_weight: Any, owner: str) -> float:
    """The (weighted) fraction of ``pred == y``: ``y`` must match ``pred`` in shape, ``sample_weight`` hold one
    weight >= 0 per sample (:func:`annhist.validation.check_sample_weight`). The ``score`` of the classifiers."""
    if y.shape != pred.shape:
        raise ValueError(f"The 'y' parameter of {owner} must have shape {pred.shape}. Got {y.shape} instead.")
    return float(np.average(pred == y, weights=check_sample_weight(sample_weight, len(y), owner=owner)))


class HistoricalEstimator(BaseEstimator):
    """scikit-learn's ``BaseEstimator`` plus what every annhist estimator adds.

    ``get_params``/``set_params``/``clone``/the HTML repr come from scikit-learn. Added here:
    ``n_iter_`` (scikit-learn's name for the book's ``n_epochs_``), the fitted test
    (``_fitted_attribute`` set and not None), and ``save``/``load`` to an ``.npz`` file
    (:mod:`annhist.estimator_io`; never pickle). A subclass lists the fitted attributes it saves
    in ``_saved_attributes``.
    """

    _fitted_attribute = "weights_"
    _saved_attributes: tuple[str, ...] = ()

    def __sklearn_is_fitted__(self) -> bool:
        return getattr(self, self._fitted_attribute, None) is not None

    @property
    def n_iter_(self) -> int:
        """scikit-learn's name for ``n_epochs_``: the passes over the data made by the last fit."""
        check_fitted(self)
        return self.n_epochs_

    def save(self, path: str | os.PathLike) -> Path:
        """Write the hyperparameters and the fitted state to an ``.npz`` file (atomic, no pickle)."""
        check_fitted(self)
        return save_estimator(self, path)

    def _check_loaded(self, extra: dict[str, np.ndarray]) -> None:
        """After :meth:`load`: the hyperparameters are valid and the weights fit ``n_features_in_``."""
        check_params = getattr(self, "_check_params", None)
        if check_params is not None:
            check_params()
        w = getattr(self, "weights_", None)
        if isinstance(w, np.ndarray) and w.shape[-1] != self.n_features_in_:
            raise ValueError(f"its weights_ have shape {w.shape}, but n_features_in_ is {self.n_features_in_}.")

    @classmethod
    def load(cls, path: str | os.PathLike) -> "HistoricalEstimator":
        """Read a file written by :meth:`save`; a file of another kind or a corrupt one is a ``ValueError``."""
        return load_estimator(cls, path)


class OneUnitAttributes:
    """scikit-learn's names for the weights of one linear unit (``weights_``, ``bias_``)."""

    @property
    def coef_(self) -> np.ndarray:
        """scikit-learn's name: ``weights_`` as one row, shape (1, n_features)."""
        check_fitted(self)
        return self.weights_.reshape(1, -1)

    @property
    def intercept_(self) -> np.ndarray:
        """scikit-learn's name: ``bias_`` as an array of shape (1,)."""
        check_fitted(self)
        return np.array([self.bias_])
