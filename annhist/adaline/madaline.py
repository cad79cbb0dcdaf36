"""1962: MADALINE rule I -- a layer of ADALINEs into a fixed logic unit, trained by minimal disturbance.

A MADALINE ("many ADALINEs") feeds the quantized outputs ``q_i = sign(s_i)`` of several
ADALINEs into a fixed logic element -- AND, OR or majority -- whose output is the answer.
Only the ADALINEs learn.  Rule I (Widrow 1962; described in Widrow & Lehr 1990, sec. IV-A):
when the answer is right, nothing changes; when it is wrong, adapt the fewest ADALINEs that
must change their output for the answer to come out right, and among those the ones whose
analog sums ``s_i`` are nearest zero -- the "minimal disturbance" principle, since they
reverse with the smallest weight change.  Each chosen ADALINE is adapted by alpha-LMS towards
the reversed response ``-q_i``:  ``w_i <- w_i + alpha (-q_i - s_i) x / |x|^2`` (Widrow & Lehr
1990, eq. (4)); with ``alpha = 1`` its sum lands exactly on ``-q_i``. :func:`units_to_adapt` (printed
in the book) checks nothing: its caller, ``Madaline.fit``, passes +-1 targets and finite 1-D sums.

References
----------
B. Widrow, "Generalization and information storage in networks of Adaline neurons", in
Self-Organizing Systems, Spartan, 435-461, 1962.  B. Widrow and M. A. Lehr, "30 years of
adaptive neural networks", Proc. IEEE 78(9):1415-1442, 1990.  Rule II: Winter & Widrow 1988.
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np
from sklearn.base import ClassifierMixin

from annhist.activations import sign
from annhist.base import HistoricalEstimator, check_fit_data, check_fitted, check_predict_data, weighted_accuracy
from annhist.layers import MAX_WEIGHTS
from annhist.perceptron.rule import fold_bias
from annhist.perceptron.threshold_unit import binary_tags
from annhist.validation import (
    ConvergenceWarning,
    check_binary_labels,
    check_choice,
    check_random_state,
    check_scalar,
    check_X_y,
)

__all__ = ["Madaline", "LOGIC", "logic_output", "units_to_adapt", "MAX_ADALINES", "MAX_INIT_SCALE"]

LOGIC = ("and", "or", "majority")
#: The most ADALINEs in the layer: rule I sorts the layer's wrong units for every wrong answer (Widrow's MADALINEs
#: had a handful; ``n_adalines=10**9`` was a MemoryError). The weights are also at most ``MAX_WEIGHTS``.
MAX_ADALINES = 10_000
#: The widest initial range: numpy's ``uniform(-s, s)`` overflows from about 9e307 on ("high - low range exceeds
#: valid bounds"), and weights far above the inputs' scale leave rule I's alpha-LMS step rounding error.
MAX_INIT_SCALE = 1e100


def logic_output(Q: np.ndarray, output: str) -> np.ndarray:
    """The fixed output element on the ADALINEs' +-1 outputs ``Q`` (n, m) -> (n,) in {-1, +1}.

    ``"and"``: +1 iff all are +1; ``"or"``: +1 iff any is +1; ``"majority"``: the sign of the
    sum, a tie (even ``m``) counting as +1 like the quantizer's ``sign(0) = +1``.
    """
    check_choice(output, "output", LOGIC, owner="logic_output")
    Q = np.atleast_2d(Q)
    if output == "and":
        return np.where(np.all(Q > 0, axis=1), 1.0, -1.0)
    if output == "or":
        return np.where(np.any(Q > 0, axis=1), 1.0, -1.0)
    return sign(np.sum(Q, axis=1))


def units_to_adapt(s: np.ndarray, target: float, output: str) -> list[int]:
    """Minimal disturbance: which ADALINEs (by index) rule I adapts for one pattern.

    Candidates are the units whose output ``sign(s_i)`` differs from ``target``; taking them
    in order of ``|s_i|`` (nearest zero first), reverse one more at a time until the logic
    output equals ``target``.  Returns ``[]`` when the answer is already right.
    """
    q = sign(s)
    if logic_output(q[None, :], output)[0] == target:
        return []
    chosen: list[int] = []
    for i in sorted(np.flatnonzero(q != target), key=lambda i: (abs(s[i]), i)):
        chosen.append(int(i))
        q[i] = target
        if logic_output(q[None, :], output)[0] == target:
            break
    return chosen


class Madaline(ClassifierMixin, HistoricalEstimator):
    """MADALINE rule I (Widrow 1962): ADALINEs into a fixed AND / OR / majority unit.

    Parameters
    ----------
    n_adalines : int, >= 1
        ADALINEs in the adaptive layer.
    output : {"and", "or", "majority"}
        The fixed logic element.
    alpha : float in (0, 2)
        The alpha-LMS step (the fraction of the chosen unit's error removed in one step).
    epochs : int, >= 1
        Maximum passes over the data; training stops after a pass with no error.
    init_scale : float, >= 0
        Initial weights are uniform in ``[-init_scale, init_scale]`` (they must differ to break
        the symmetry between the ADALINEs).
    shuffle : bool
        Present the patterns in a fresh random order each epoch.
    random_state : None, int or numpy.random.Generator

    Attributes
    ----------
    weights_ : ndarray of shape (n_adalines, n_features)
    bias_ : ndarray of shape (n_adalines,)
    coef_, intercept_ : ndarray
        scikit-learn's names for ``weights_`` and ``bias_`` (the ADALINE layer; the answer is
        their logic combination, not a linear function of the inputs).
    classes_ : ndarray of the two classes (coded -1, +1)
    n_features_in_ : int
    converged_ : bool
    n_epochs_ : int
        Passes made (``n_iter_`` is scikit-learn's name for it).
    history_ : dict of ndarray
        ``"errors"`` (wrong answers after each epoch, entry 0 at the start) and
        ``"adaptations"`` (ADALINE adaptations made during each epoch).

    Notes
    -----
    Two classes only (scikit-learn tag ``multi_class=False``): the logic element answers yes
    or no; three or more classes is a ``ValueError``.

    References
    ----------
    Widrow (1962); Widrow & Lehr (1990), sec. IV-A.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    >>> net = Madaline(n_adalines=2, output="or", random_state=1).fit(X, [0, 1, 1, 0])   # XOR
    >>> net.predict(X).tolist()
    [0, 1, 1, 0]
    """

    _saved_attributes = ("classes_", "n_features_in_", "weights_", "bias_", "n_epochs_", "converged_", "history_")

    def __sklearn_tags__(self) -> Any:
        return binary_tags(super().__sklearn_tags__())

    @property
    def coef_(self) -> np.ndarray:
        """scikit-learn's name for ``weights_``, shape (n_adalines, n_features)."""
        check_fitted(self)
        return self.weights_

    @property
    def intercept_(self) -> np.ndarray:
        """scikit-learn's name for ``bias_``, shape (n_adalines,)."""
        check_fitted(self)
        return self.bias_

    def __init__(self, *, n_adalines: int = 3, output: str = "majority", alpha: float = 1.0, epochs: int = 100,
                 init_scale: float = 0.5, shuffle: bool = True, random_state: Any = None) -> None:
        self.n_adalines = n_adalines
        self.output = output
        self.alpha = alpha
        self.epochs = epochs
        self.init_scale = init_scale
        self.shuffle = shuffle
        self.random_state = random_state

    def _check_params(self) -> None:
        name = type(self).__name__
        check_scalar(self.n_adalines, "n_adalines", owner=name, kind=numbers.Integral, min_val=1,
                     max_val=MAX_ADALINES)
        check_choice(self.output, "output", LOGIC, owner=name)
        check_scalar(self.alpha, "alpha", owner=name, min_val=0, max_val=2, include_min=False, include_max=False)
        check_scalar(self.epochs, "epochs", owner=name, kind=numbers.Integral, min_val=1)
        check_scalar(self.init_scale, "init_scale", owner=name, min_val=0, max_val=MAX_INIT_SCALE)
        if not isinstance(self.shuffle, (bool, np.bool_)):
            raise TypeError(f"The 'shuffle' parameter of {name} must be a bool. Got {self.shuffle!r} instead.")

    def fit(self, X: Any, y: Any) -> "Madaline":
        """Train the ADALINEs by rule I; warn (``ConvergenceWarning``) if a pass is never error-free."""
        name = type(self).__name__
        self._check_params()
        self.weights_ = None
        X, y = check_fit_data(self, X, y)
        self.classes_, d = check_binary_labels(y, owner=name)
        rng = check_random_state(self.random_state, owner=name)
        X1 = fold_bias(X, position="first")                     # (n, p+1), x0 = +1
        with np.errstate(over="ignore"):
            if not np.all(np.isfinite(np.einsum("ij,ij->i", X1, X1))):   # |x|^2 of every pattern
                raise ValueError(f"The 'X' parameter of {name} holds values too large: |x|^2 overflows "
                                 f"(largest |x| = {np.max(np.abs(X)):.3g}). Rescale the inputs.")
        if self.n_adalines * X1.shape[1] > MAX_WEIGHTS:
            raise ValueError(f"The 'n_adalines' parameter of {name} ({self.n_adalines}) with {X.shape[1]} features "
                             f"asks for more than MAX_WEIGHTS = {MAX_WEIGHTS:,} weights.")
        scale = float(self.init_scale) + 0.0                    # -0.0 -> 0.0: numpy refuses uniform(0.0, -0.0)
        W = rng.uniform(-scale, scale, size=(self.n_adalines, X1.shape[1]))  # (m, p+1)
        errors = [self._n_wrong(W, X1, d)]
        adaptations: list[int] = []
        self.converged_ = bool(errors[0] == 0)
        epoch = 0
        while not self.converged_ and epoch < self.epochs:
            epoch += 1
            n_adapt = 0
            order = rng.permutation(X1.shape[0]) if self.shuffle else range(X1.shape[0])
            for k in order:
                x = X1[k]
                s = W @ x                                             # (m,) analog sums
                for i in units_to_adapt(s, d[k], self.output):
                    # alpha-LMS towards the reversed response: w <- w + alpha (-q - s) x / |x|^2
                    W[i] = W[i] + self.alpha * (-sign(s[i]) - s[i]) * x / (x @ x)
                    n_adapt += 1
            adaptations.append(n_adapt)
            errors.append(self._n_wrong(W, X1, d))
            self.converged_ = bool(errors[-1] == 0)
        if not self.converged_:
            warnings.warn(f"{name} did not learn every pattern in {self.epochs} epochs "
                          f"({errors[-1]} still wrong); rule I is not guaranteed to converge.",
                          ConvergenceWarning, stacklevel=2)
        self.n_epochs_ = epoch
        self.history_ = {"errors": np.asarray(errors), "adaptations": np.asarray(adaptations, dtype=int)}
        self.n_features_in_ = X.shape[1]
        self.bias_, self.weights_ = W[:, 0].copy(), W[:, 1:].copy()
        return self

    def _n_wrong(self, W: np.ndarray, X1: np.ndarray, d: np.ndarray) -> int:
        return int(np.sum(logic_output(sign(X1 @ W.T), self.output) != d))

    def net_input(self, X: Any) -> np.ndarray:
        """The ADALINEs' analog sums ``s_i = w_i . x + b_i``, shape (n_samples, n_adalines)."""
        X = check_predict_data(self, X)
        return X @ self.weights_.T + self.bias_                   # (n, p) @ (p, m) -> (n, m)

    def decision_function(self, X: Any) -> np.ndarray:
        """The logic element's +-1 output, shape (n_samples,)."""
        return logic_output(sign(self.net_input(X)), self.output)

    def predict(self, X: Any) -> np.ndarray:
        """The answer in the original classes."""
        positive = self.decision_function(X) > 0          # checks that the net is fitted
        return self.classes_[positive.astype(int)]

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """The fraction of patterns answered right (weighted by ``sample_weight`` if given)."""
        _, y = check_X_y(X, y, owner=type(self).__name__)
        return weighted_accuracy(self.predict(X), y, sample_weight, type(self).__name__)   # X itself: its names
