"""What every two-class threshold unit shares: prediction, scoring and its hyperparameters.

A fitted unit holds ``weights_``, ``bias_`` and ``classes_``; it answers ``classes_[1]`` when
``w . x + b > 0`` and ``classes_[0]`` otherwise (an activation of exactly 0 is the negative
answer, as in scikit-learn). :class:`annhist.perceptron.Perceptron` and
:class:`annhist.perceptron.pocket.Pocket` build on it.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from annhist.validation import check_array, check_is_fitted, check_n_features, check_X_y

__all__ = ["HyperParams", "ThresholdUnit"]


class HyperParams:
    """scikit-learn's hyperparameter protocol: ``get_params``, ``set_params`` and a plain repr.

    The hyperparameters are the keyword-only arguments of ``__init__``, stored unchanged.
    """

    _owner = "HyperParams"

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [p.name for p in sig.parameters.values() if p.kind == p.KEYWORD_ONLY]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The hyperparameters given to ``__init__`` (scikit-learn's convention)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> "HyperParams":
        """Set hyperparameters by name; an unknown name is a ``ValueError``. Returns ``self``."""
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"Invalid parameter {name!r} for {self._owner}. Valid parameters: {valid}.")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"


class ThresholdUnit(HyperParams):
    """Base class of the two-class units: ``decision_function``, ``predict``, ``score``."""

    _owner = "ThresholdUnit"

    def decision_function(self, X: Any) -> np.ndarray:
        """The activation ``X @ weights_ + bias_``, shape (n_samples,)."""
        check_is_fitted(self, "weights_")
        X = check_array(X, "X", owner=self._owner)
        check_n_features(X, self.n_features_in_, owner=self._owner)
        return X @ self.weights_ + self.bias_

    def predict(self, X: Any) -> np.ndarray:
        """``classes_[1]`` where the activation is > 0, else ``classes_[0]``."""
        positive = self.decision_function(X) > 0        # checks that the unit is fitted
        return self.classes_[positive.astype(np.intp)]

    def score(self, X: Any, y: Any) -> float:
        """The fraction of samples classified correctly."""
        X, y = check_X_y(X, y, owner=self._owner)
        pred = self.predict(X)
        if y.shape != pred.shape:
            raise ValueError(f"The 'y' parameter of {self._owner} must have shape {pred.shape}. "
                             f"Got {y.shape} instead.")
        return float(np.mean(pred == y))
