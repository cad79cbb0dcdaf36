"""What every two-class threshold unit shares: prediction, scoring, tags and files.

A fitted unit holds ``weights_``, ``bias_`` and ``classes_``; it answers ``classes_[1]`` when
``w . x + b > 0`` and ``classes_[0]`` otherwise (an activation of exactly 0 is the negative
answer, as in scikit-learn). :class:`annhist.perceptron.Perceptron` and
:class:`annhist.perceptron.pocket.Pocket` build on it; scikit-learn's ``ClassifierMixin`` and
``BaseEstimator`` (through :class:`annhist.base.HistoricalEstimator`) give the rest of the
estimator contract.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import ClassifierMixin

from annhist.base import HistoricalEstimator, OneUnitAttributes, check_predict_data, weighted_accuracy
from annhist.validation import check_X_y

__all__ = ["ThresholdUnit", "binary_tags", "MULTICLASS_HINT"]

#: What the message for three or more classes suggests: one unit per class, each trained by the rule (what
#: the Mark I's eight response units did, :class:`annhist.perceptron.MarkI`), or scikit-learn's wrapper.
MULTICLASS_HINT = ("For more classes, train one unit per class: sklearn.multiclass.OneVsRestClassifier({name}()) "
                   "(in a Pipeline too), or annhist.perceptron.MarkI, whose response units code the classes.")


def binary_tags(tags: Any) -> Any:
    """scikit-learn tags of a rule that learns one two-class unit: binary only, no sparse input."""
    tags.classifier_tags.multi_class = False
    tags.input_tags.sparse = False
    return tags


class ThresholdUnit(ClassifierMixin, OneUnitAttributes, HistoricalEstimator):
    """Base class of the two-class units: ``decision_function``, ``predict``, ``score``.

    Only binary problems (scikit-learn tag ``multi_class=False``): Rosenblatt's rule trains
    one unit that says yes or no; more than two classes is a ``ValueError``.
    """

    def __sklearn_tags__(self) -> Any:
        return binary_tags(super().__sklearn_tags__())

    def decision_function(self, X: Any) -> np.ndarray:
        """The activation ``X @ weights_ + bias_``, shape (n_samples,)."""
        X = check_predict_data(self, X)
        return X @ self.weights_ + self.bias_

    def predict(self, X: Any) -> np.ndarray:
        """``classes_[1]`` where the activation is > 0, else ``classes_[0]``."""
        positive = self.decision_function(X) > 0        # checks that the unit is fitted
        return self.classes_[positive.astype(np.intp)]

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """The fraction of samples classified correctly (weighted by ``sample_weight`` if given)."""
        _, y = check_X_y(X, y, owner=type(self).__name__)
        return weighted_accuracy(self.predict(X), y, sample_weight, type(self).__name__)   # X itself: its names
