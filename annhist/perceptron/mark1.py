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
import warnings
from typing import Any

import numpy as np

from annhist.datasets.retina import flatten_retina
from annhist.perceptron.rule import fold_bias, rosenblatt_epoch
from annhist.perceptron.threshold_unit import HyperParams
from annhist.validation import (
    ConvergenceWarning,
    DivergenceError,
    check_choice,
    check_is_fitted,
    check_random_state,
    check_scalar,
)

__all__ = ["MarkI", "wire_plugboard"]


def wire_plugboard(rng: np.random.Generator, *, n_sensory: int = 400, n_association: int = 512,
                   n_excitatory: int = 10, n_inhibitory: int = 10, max_fan_out: int = 40) -> np.ndarray:
    """Random fixed S->A wiring: an (A, S) array of -1/0/+1.

    Each A-unit gets ``n_excitatory`` (+1) and ``n_inhibitory`` (-1) connections from distinct
    S-units; no S-unit feeds more than ``max_fan_out`` A-units (S-units with more free sockets
    are proportionally likelier to be chosen, so the plugboard fills evenly).
    """
    for name, value, low in (("n_sensory", n_sensory, 1), ("n_association", n_association, 1),
                             ("n_excitatory", n_excitatory, 0), ("n_inhibitory", n_inhibitory, 0),
                             ("max_fan_out", max_fan_out, 1)):
        check_scalar(value, name, owner="wire_plugboard", kind=numbers.Integral, min_val=low)
    k = n_excitatory + n_inhibitory
    if n_association * k > n_sensory * max_fan_out or k > n_sensory:
        raise ValueError(f"The 'n_excitatory' and 'n_inhibitory' parameters of wire_plugboard ask for more than "
                         f"the plugboard holds: {n_association} A-units x {k} connections with "
                         f"{n_sensory} S-units of fan-out <= {max_fan_out}.")
    C = np.zeros((n_association, n_sensory), dtype=np.int8)
    free = np.full(n_sensory, max_fan_out)                   # free sockets per S-unit
    signs = np.r_[np.ones(n_excitatory), -np.ones(n_inhibitory)].astype(np.int8)
    for a in range(n_association):
        if np.count_nonzero(free) < k:
            raise ValueError("The plugboard ran out of free S-units: lower the 'n_excitatory' and 'n_inhibitory' "
                             "parameters (fewer connections per A-unit).")
        src = rng.choice(n_sensory, size=k, replace=False, p=free / free.sum())
        C[a, src] = signs
        free[src] -= 1
    return C


def _as_labels(targets: Any) -> np.ndarray:
    """``targets`` as an array of labels of one kind (strings or numbers), refusing NaN and objects."""
    try:
        targets = np.asarray(targets)
    except (ValueError, TypeError) as exc:                   # ragged nested lists
        raise ValueError(f"The 'targets' parameter of MarkI could not be read as an array: {exc}") from None
    if targets.dtype.kind not in "biufUS":
        raise TypeError(f"The 'targets' parameter of MarkI must hold numbers or strings. Got an array of dtype "
                        f"{targets.dtype} instead.")
    if targets.dtype.kind == "f" and not np.all(np.isfinite(targets)):
        raise ValueError("The 'targets' parameter of MarkI contains NaN or infinite values.")
    return targets


class MarkI(HyperParams):
    """The Mark I Perceptron: 400 S-units, 512 A-units, 8 R-units; only A->R weights learn.

    Parameters
    ----------
    random_state : None, int or numpy.random.Generator, default=None
        Wires the plugboard (once, on first use).
    n_excitatory, n_inhibitory : int, default=10
        Connections per A-unit [unverified: chosen here].
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
    n_sensory, n_association, n_response : int
        400, 512 and 8 (class constants). The wiring is the property ``connections``.
    classes_ : ndarray
    n_units_used_ : int
        R-units that code the classes.
    codes_ : ndarray of shape (n_classes, n_units_used)
        The +1/-1 target of each used R-unit for each class.
    weights_ : ndarray of shape (8, 512)
        A->R weights (rows of unused R-units stay 0).
    bias_ : ndarray of shape (8,)
        R-unit thresholds, as biases.
    n_updates_, n_epochs_, converged_, history_
        As :class:`annhist.perceptron.Perceptron`; ``history_["mistakes"]`` sums the R-units.

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

    def __init__(self, *, random_state: Any = None, n_excitatory: int = 10, n_inhibitory: int = 10,
                 theta: int = 2, eta: float = 1.0, epochs: int = 50, coding: str = "one-hot") -> None:
        self.random_state = random_state
        self.n_excitatory = n_excitatory
        self.n_inhibitory = n_inhibitory
        self.theta = theta
        self.eta = eta
        self.epochs = epochs
        self.coding = coding

    @property
    def connections(self) -> np.ndarray:
        """The (A, S) = (512, 400) plugboard of -1/0/+1, wired from ``random_state`` on first use."""
        rs = self.random_state
        key = (id(rs) if isinstance(rs, np.random.Generator) else rs, self.n_excitatory, self.n_inhibitory)
        if getattr(self, "_wiring_key", None) != key:
            for name in ("n_excitatory", "n_inhibitory"):
                check_scalar(getattr(self, name), name, owner=self._owner, kind=numbers.Integral, min_val=0)
            if self.n_excitatory + self.n_inhibitory < 1:
                raise ValueError("The 'n_excitatory' and 'n_inhibitory' parameters of MarkI must give each "
                                 "A-unit at least one connection. Got 0 and 0 instead.")
            rng = check_random_state(self.random_state, owner=self._owner)
            self._wiring = wire_plugboard(rng, n_sensory=self.n_sensory, n_association=self.n_association,
                                          n_excitatory=self.n_excitatory, n_inhibitory=self.n_inhibitory,
                                          max_fan_out=self.max_fan_out)
            self._wiring.flags.writeable = False
            self._wiring_key = key
        return self._wiring

    def transform(self, images: Any) -> np.ndarray:
        """A-unit outputs, 0/1 of shape (n, 512): ``[connections @ s >= theta]`` per image."""
        check_scalar(self.theta, "theta", owner=self._owner)
        S = flatten_retina(images, owner=self._owner)            # (n, 20, 20) -> (n, 400)
        return ((S @ self.connections.T) >= self.theta).astype(float)   # (n, 400) @ (400, 512)

    def _codes(self, n_classes: int) -> np.ndarray:
        if self.coding == "one-hot":
            if n_classes > self.n_response:
                raise ValueError(f"MarkI with coding='one-hot' has {self.n_response} R-units, one per class: "
                                 f"got {n_classes} classes. Use coding='binary'.")
            return 2.0 * np.eye(n_classes) - 1.0                  # (k, k) of +1/-1
        bits = max(1, int(np.ceil(np.log2(n_classes))))
        if bits > self.n_response:
            raise ValueError(f"The 'targets' parameter of MarkI holds {n_classes} classes; "
                             f"{self.n_response} R-units code at most 256.")
        return 2.0 * ((np.arange(n_classes)[:, None] >> np.arange(bits)) & 1) - 1.0   # (k, bits)

    def fit(self, images: Any, targets: Any) -> "MarkI":
        """Train the A->R weights by error correction; the S->A wiring stays fixed."""
        check_scalar(self.eta, "eta", owner=self._owner, min_val=0, include_min=False)
        check_scalar(self.epochs, "epochs", owner=self._owner, kind=numbers.Integral, min_val=1)
        check_choice(self.coding, "coding", ("one-hot", "binary"), owner=self._owner)
        A = fold_bias(self.transform(images))                    # (n, 512) -> (n, 513)
        targets = _as_labels(targets)
        if targets.ndim != 1 or targets.shape[0] != A.shape[0]:
            raise ValueError(f"The 'targets' parameter of MarkI must be 1-D with one label per image "
                             f"({A.shape[0]}). Got shape {targets.shape} instead.")
        self.classes_, index = np.unique(targets, return_inverse=True)
        if self.classes_.size < 2:
            raise ValueError(f"The 'targets' parameter of MarkI must hold at least two classes. "
                             f"Got {self.classes_.tolist()!r}.")
        self.codes_ = self._codes(self.classes_.size)
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
        self.converged_ = mistakes[-1] == 0
        self.history_ = {"mistakes": np.asarray(mistakes, dtype=np.int64)}
        if not self.converged_:
            warnings.warn(f"MarkI did not converge in {self.epochs} epochs ({mistakes[-1]} corrections "
                          "in the last).", ConvergenceWarning, stacklevel=2)
        return self

    def decision_function(self, images: Any) -> np.ndarray:
        """The net input of each used R-unit, shape (n, ``n_units_used_``)."""
        check_is_fitted(self, "weights_")
        A = self.transform(images)
        u = self.n_units_used_
        return A @ self.weights_[:u].T + self.bias_[:u]           # (n, 512) @ (512, u)

    def predict(self, images: Any) -> np.ndarray:
        """The class whose R-unit code best agrees with the R-units' net inputs."""
        r = self.decision_function(images)                        # checks that the machine is trained
        return self.classes_[np.argmax(r @ self.codes_.T, axis=1)]   # (n, units) @ (units, k)

    def score(self, images: Any, targets: Any) -> float:
        """The fraction of images classified correctly."""
        pred, targets = self.predict(images), _as_labels(targets)
        if targets.shape != pred.shape:
            raise ValueError(f"The 'targets' parameter of MarkI must have shape {pred.shape}. "
                             f"Got {targets.shape} instead.")
        return float(np.mean(pred == targets))
