"""A simulation of the Mark I Perceptron (Cornell Aeronautical Laboratory, 1958-1960).

The machine (Hay, Martin & Wightman 1960; Rosenblatt 1962) had three layers of units:

- **S** (sensory): 400 photocells in a 20 x 20 grid -- the retina;
- **A** (association): 512 threshold units, each wired through a plugboard to a few S-units
  by fixed, randomly chosen connections that are excitatory (+1) or inhibitory (-1); each
  S-unit fed at most 40 A-units. The wiring never learns;
- **R** (response): 8 units, each a threshold unit over the 512 A-unit outputs, whose weights
  (motor-driven potentiometers) learn by Rosenblatt's error correction.

What this simulation takes from the sources: the counts 400/512/8, the 20 x 20 grid, fixed
random +1/-1 S->A connections with fan-out at most 40, binary A-units, error-corrected A->R
weights. **Not verified** against the operators' manual, and chosen here: the number of
connections per A-unit (default 10 excitatory + 10 inhibitory), the A-unit threshold (default:
fire when the net input is >= 2), an adjustable threshold (bias) on each R-unit, and how
several R-units encode a class (one unit per class, or a binary code).
"""

from __future__ import annotations

import numbers
import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import ClassifierMixin, TransformerMixin
from sklearn.utils.validation import validate_data

from annhist.base import HistoricalEstimator, check_fitted, dense_real, weighted_accuracy
from annhist.datasets.retina import flatten_retina
from annhist.estimator_io import save_estimator
from annhist.perceptron.plugboard import (
    check_labels,
    check_plugboard_size,
    check_theta,
    response_codes,
    wire_plugboard,
)
from annhist.perceptron.rule import fold_bias, rosenblatt_epoch
from annhist.validation import (
    ConvergenceWarning,
    DivergenceError,
    check_array,
    check_choice,
    check_random_state,
    check_scalar,
)

__all__ = ["MarkI", "wire_plugboard"]   # wire_plugboard lives in annhist.perceptron.plugboard


class MarkI(ClassifierMixin, TransformerMixin, HistoricalEstimator):
    """The Mark I Perceptron: 400 S-units, 512 A-units, 8 R-units; only A->R weights learn.

    Parameters
    ----------
    random_state : None, int or numpy.random.Generator, default=None
        Wires the plugboard (once, on first use).
    n_association : int, default=512
        A-units. The machine had 512; fewer make the machine fit small flat inputs.
    n_excitatory, n_inhibitory : int, default=10
        Connections per A-unit [unverified: chosen here].
    max_fan_out : int, default=40
        A-units one S-unit may feed (40 on the machine).
    theta : int, default=2
        An A-unit fires (outputs 1) when its net input is >= ``theta`` [unverified].
    eta : float, default=1.0
        Step of the error correction of the A->R weights.
    epochs : int, default=50
        Passes over the training images (stops earlier after a pass with no correction).
    coding : {"one-hot", "binary"}, default="one-hot"
        How the R-units name a class: one R-unit per class (at most 8 classes), or the bits of
        the class index (at most 256 classes).

    Attributes
    ----------
    n_sensory, n_response : int
        400 and 8 (class constants). The wiring is the property ``connections``.
    classes_ : ndarray
    n_features_in_ : int
        S-units: 400 for 20 x 20 images (the retina), the width of a flat ``X`` otherwise.
    n_units_used_ : int
        R-units that code the classes.
    codes_ : ndarray of shape (n_classes, n_units_used)
        The +1/-1 target of each used R-unit for each class.
    weights_ : ndarray of shape (8, 512)
        A->R weights (rows of unused R-units stay 0).
    bias_ : ndarray of shape (8,)
        R-unit thresholds, as biases.
    coef_, intercept_ : ndarray
        scikit-learn's names for the used rows of ``weights_`` and ``bias_``: weights on the
        A-unit outputs (the features the R-units see), not on the input pixels.
    n_updates_, n_epochs_, converged_, history_
        As :class:`annhist.perceptron.Perceptron`; ``history_["mistakes"]`` sums the R-units.

    Notes
    -----
    scikit-learn's estimator contract: ``X`` may be (n, 20, 20) retina images or any flat
    (n, n_features) array, each feature one S-unit (then the plugboard is wired for that many
    S-units; with few S-units lower ``n_association`` so that the fan-out limit can be met).
    Any number of classes (one R-unit per class, or a binary code). The A-units are fixed
    random threshold units, so on small generic data the machine may score poorly (tag
    ``poor_score``): that is the machine, not a bug.

    References
    ----------
    J. C. Hay, F. C. Martin, C. W. Wightman, *Mark I Perceptron Operators' Manual*, Cornell
    Aeronautical Laboratory report VG-1196-G-5, 1960; F. Rosenblatt, *Principles of
    Neurodynamics*, Spartan, 1962.
    """

    n_sensory = 400
    n_association = 512
    n_response = 8
    max_fan_out = 40
    _owner = "MarkI"
    _saved_attributes = ("classes_", "n_features_in_", "n_units_used_", "codes_", "weights_", "bias_",
                         "n_updates_", "n_epochs_", "converged_", "history_")

    def __init__(self, *, random_state: Any = None, n_association: int = 512, n_excitatory: int = 10,
                 n_inhibitory: int = 10, max_fan_out: int = 40, theta: int = 2, eta: float = 1.0, epochs: int = 50,
                 coding: str = "one-hot") -> None:
        self.random_state = random_state
        self.n_association = n_association
        self.max_fan_out = max_fan_out
        self.n_excitatory = n_excitatory
        self.n_inhibitory = n_inhibitory
        self.theta = theta
        self.eta = eta
        self.epochs = epochs
        self.coding = coding

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True      # fixed random A-units: not a strong learner
        tags.input_tags.sparse = False
        return tags

    def _wiring_for(self) -> tuple[Any, ...]:
        rs = self.random_state
        n_sensory = getattr(self, "n_features_in_", self.n_sensory)
        return (id(rs) if isinstance(rs, np.random.Generator) else rs, self.n_excitatory, self.n_inhibitory,
                self.n_association, self.max_fan_out, n_sensory)

    @property
    def connections(self) -> np.ndarray:
        """The (A, S) = (512, 400) plugboard of -1/0/+1, wired from ``random_state`` on first use."""
        key = self._wiring_for()
        if getattr(self, "_wiring_key", None) != key:
            for name in ("n_excitatory", "n_inhibitory", "n_association", "max_fan_out"):
                check_scalar(getattr(self, name), name, owner=self._owner, kind=numbers.Integral,
                             min_val=0 if name.startswith("n_") and name != "n_association" else 1)
            if self.n_excitatory + self.n_inhibitory < 1:
                raise ValueError("The 'n_excitatory' and 'n_inhibitory' parameters of MarkI must give each "
                                 "A-unit at least one connection. Got 0 and 0 instead.")
            check_plugboard_size(self.n_association, key[-1], owner=self._owner, sensory="one per feature of 'X'")
            rng = check_random_state(self.random_state, owner=self._owner)
            try:
                self._wiring = wire_plugboard(rng, n_sensory=key[-1], n_association=self.n_association,
                                              n_excitatory=self.n_excitatory, n_inhibitory=self.n_inhibitory,
                                              max_fan_out=self.max_fan_out)
            except ValueError:                        # the counts are checked above: too few S-units for them
                k = self.n_excitatory + self.n_inhibitory
                need = max(k, -(-self.n_association * k // self.max_fan_out))
                raise ValueError(f"The 'X' parameter of MarkI has {key[-1]} feature(s), one S-unit each: too few for "
                                 f"its plugboard, whose {self.n_association} A-units ('n_association') with {k} "
                                 f"connections each ('n_excitatory' + 'n_inhibitory') need at least {need} S-units "
                                 f"at fan-out <= {self.max_fan_out} ('max_fan_out'). Pass more features or lower "
                                 f"those parameters.") from None
            self._wiring.flags.writeable = False
            self._wiring_key = key
        return self._wiring

    def _sensory(self, X: Any, *, reset: bool = False) -> np.ndarray:
        """The S-unit activities (n, n_sensory), checked; ``reset`` records the width (in ``fit``)."""
        X = dense_real(X, self._owner, name="X")
        arr = check_array(X, "X", ndim=(2, 3), owner=self._owner)
        S = flatten_retina(arr, name="X", owner=self._owner) if arr.ndim == 3 else arr     # (n, 20, 20) -> (n, 400)
        source = X if arr.ndim == 2 else S
        if reset:
            validate_data(self, source, reset=True, skip_check_array=True)     # n_features_in_, names
        elif self.__sklearn_is_fitted__():
            try:
                validate_data(self, source, reset=False, skip_check_array=True)
            except ValueError as exc:
                raise ValueError(f"The 'X' parameter of MarkI has the wrong number of S-units: {exc}") from None
        elif S.shape[1] != self.n_sensory:
            raise ValueError(f"The 'X' parameter of MarkI must hold 20 x 20 retina images before fit, "
                             f"shape (n, 20, 20) or (n, 400). Got shape {arr.shape} instead.")
        return S

    def transform(self, X: Any, *, _reset: bool = False) -> np.ndarray:
        """A-unit outputs, 0/1 of shape (n, 512): ``[connections @ s >= theta]`` per image."""
        check_scalar(self.theta, "theta", owner=self._owner)
        return self._a_units(self._sensory(X, reset=_reset))

    def _a_units(self, S: np.ndarray) -> np.ndarray:
        return ((S @ self.connections.T) >= self.theta).astype(float)   # (n, 400) @ (400, 512)

    def fit(self, X: Any, y: Any) -> "MarkI":
        """Train the A->R weights by error correction; the S->A wiring stays fixed."""
        check_scalar(self.eta, "eta", owner=self._owner, min_val=0, include_min=False)
        check_scalar(self.epochs, "epochs", owner=self._owner, kind=numbers.Integral, min_val=1)
        check_choice(self.coding, "coding", ("one-hot", "binary"), owner=self._owner)
        self.weights_ = None                                       # a failed fit leaves the machine unfitted
        S = self._sensory(X, reset=True)
        _ = self.connections                                   # wires the plugboard, checking its counts
        check_theta(self.theta, S, self.n_excitatory, self.n_inhibitory)
        A = fold_bias(self._a_units(S))                        # (n, 512) -> (n, 513)
        y = check_labels(y, A.shape[0])
        self.classes_, index = np.unique(y, return_inverse=True)
        self.codes_ = response_codes(self.classes_.size, self.coding, self.n_response)
        self.n_units_used_ = self.codes_.shape[1]
        T = self.codes_[index]                                    # (n, units): +1/-1 per R-unit
        W = np.zeros((self.n_response, A.shape[1]))              # (8, 513): A->R weights, bias last
        mistakes = []
        for epoch in range(1, self.epochs + 1):
            made = 0
            for r in range(self.n_units_used_):                   # the R-units learn independently
                try:
                    W[r], updated = rosenblatt_epoch(A, T[:, r], W[r], eta=self.eta)
                except DivergenceError:
                    raise DivergenceError(f"MarkI diverged at epoch {epoch}: the A->R weights exceed float64's "
                                          f"range. The step size eta={self.eta:g} is too large. Lower eta.") from None
                made += updated.size
            mistakes.append(made)
            if made == 0:
                break
        self.weights_, self.bias_ = W[:, :-1], W[:, -1].copy()
        self.n_epochs_, self.n_updates_ = len(mistakes), int(sum(mistakes))
        self.converged_ = bool(mistakes[-1] == 0)
        self.history_ = {"mistakes": np.asarray(mistakes, dtype=np.int64)}
        if not self.converged_:
            warnings.warn(f"MarkI did not converge in {self.epochs} epochs ({mistakes[-1]} corrections "
                          "in the last).", ConvergenceWarning, stacklevel=2)
        return self

    @property
    def coef_(self) -> np.ndarray:
        """scikit-learn's name: the used R-units' weights on the A-unit outputs, (``n_units_used_``, A)."""
        check_fitted(self)
        return self.weights_[:self.n_units_used_]

    @property
    def intercept_(self) -> np.ndarray:
        """scikit-learn's name: the used R-units' biases, shape (``n_units_used_``,)."""
        check_fitted(self)
        return self.bias_[:self.n_units_used_]

    def net_input(self, X: Any) -> np.ndarray:
        """The net input of each used R-unit, shape (n, ``n_units_used_``)."""
        check_fitted(self)
        A = self.transform(X)
        u = self.n_units_used_
        return A @ self.weights_[:u].T + self.bias_[:u]           # (n, 512) @ (512, u)

    def decision_function(self, X: Any) -> np.ndarray:
        """How well each class's R-unit code agrees with the net inputs, shape (n, n_classes).

        For two classes, scikit-learn's convention: shape (n,), > 0 for ``classes_[1]``.
        """
        scores = self.net_input(X) @ self.codes_.T           # (n, units) @ (units, k)
        return scores[:, 1] - scores[:, 0] if scores.shape[1] == 2 else scores

    def predict(self, X: Any) -> np.ndarray:
        """The class whose R-unit code best agrees with the R-units' net inputs."""
        r = self.net_input(X)                                # checks that the machine is trained
        return self.classes_[np.argmax(r @ self.codes_.T, axis=1)]   # (n, units) @ (units, k)

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """The fraction of X classified correctly (weighted by ``sample_weight`` if given)."""
        pred, y = self.predict(X), check_labels(y)
        return weighted_accuracy(pred, y, sample_weight, self._owner)

    def _check_loaded(self, extra: dict[str, np.ndarray]) -> None:
        """After :meth:`load`: the saved plugboard is put back (a Generator seed cannot be replayed)."""
        C = extra["connections"]
        if C.shape != (self.n_association, self.n_features_in_) or not np.all(np.isin(C, (-1, 0, 1))):
            raise ValueError(f"its plugboard has shape {C.shape}, expected ({self.n_association}, "
                             f"{self.n_features_in_}) of -1/0/+1.")
        if self.weights_.shape != (self.n_response, self.n_association) or self.bias_.shape != (self.n_response,):
            raise ValueError(f"its weights_ have shape {self.weights_.shape}, expected ({self.n_response}, "
                             f"{self.n_association}).")
        self._wiring = C.astype(np.int8)
        self._wiring.flags.writeable = False
        self._wiring_key = self._wiring_for()

    def save(self, path: str | os.PathLike) -> Path:
        """Write the machine, its plugboard included, to an ``.npz`` file (atomic, no pickle)."""
        check_fitted(self)
        return save_estimator(self, path, extra={"connections": self.connections})
