"""The pocket algorithm with ratchet (Gallant 1990): a later variant for non-separable data.

*Not* Rosenblatt's: on data that no hyperplane separates, the perceptron's weights never
settle (they cycle, Block & Levin 1970), and the last weights may be poor. Gallant keeps the
best weights seen so far "in his pocket": the weights with the longest run of consecutive
correct classifications, and -- with the *ratchet* -- only if they also classify more training
samples correctly than the pocket's.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from annhist.base import check_fit_data
from annhist.perceptron.rule import fold_bias, is_mistake, rosenblatt_update
from annhist.perceptron.threshold_unit import MULTICLASS_HINT, ThresholdUnit
from annhist.validation import DivergenceError, check_binary_labels, check_random_state, check_scalar

__all__ = ["Pocket"]


class Pocket(ThresholdUnit):
    """Gallant's pocket algorithm with ratchet (1990), a labelled later variant of the perceptron.

    Parameters
    ----------
    eta : float, default=1.0
        Step size of the perceptron corrections (> 0).
    epochs : int, default=100
        Training draws, in units of ``n_samples`` draws (>= 1).
    ratchet : bool, default=True
        Replace the pocket weights only when they classify more training samples correctly.
    random_state : None, int or numpy.random.Generator, default=None
        Seeds the random choice of training samples (Gallant draws them at random).

    Attributes
    ----------
    classes_, weights_, bias_, coef_, intercept_, n_features_in_
        As :class:`annhist.perceptron.Perceptron`; ``weights_``/``bias_`` are the pocket's.
    n_updates_ : int
        Corrections made to the perceptron weights.
    n_epochs_ : int
        Epochs of ``n_samples`` random draws made (``n_iter_`` is scikit-learn's name for it).
    converged_ : bool
        True when the pocket weights classify every training sample correctly.
    history_ : dict of ndarray
        Per epoch: ``"mistakes"`` (training errors of the pocket weights), ``"perceptron_mistakes"``
        (of the current perceptron weights), ``"weights"`` and ``"bias"`` (the pocket's).

    Notes
    -----
    Gallant (1990), section III: draw a sample :math:`(x_k, y_k)` at random. If the perceptron
    weights :math:`P` classify it correctly, lengthen their run; when the run is longer than the
    pocket's (and, with the ratchet, :math:`P` gets more training samples right than the pocket
    :math:`W`), put :math:`P` in the pocket. Otherwise correct :math:`P \\leftarrow P + \\eta y_k x_k`
    and restart the run. An activation of exactly 0 counts as a mistake. Two classes only
    (scikit-learn tag ``multi_class=False``), as the perceptron it keeps in its pocket.

    References
    ----------
    S. I. Gallant, "Perceptron-based learning algorithms", IEEE Transactions on Neural Networks
    1(2):179-191, 1990.
    """

    _owner = "Pocket"
    _saved_attributes = ("classes_", "n_features_in_", "weights_", "bias_", "n_updates_", "n_epochs_",
                         "converged_", "history_")

    def __init__(self, *, eta: float = 1.0, epochs: int = 100, ratchet: bool = True,
                 random_state: Any = None) -> None:
        self.eta = eta
        self.epochs = epochs
        self.ratchet = ratchet
        self.random_state = random_state

    def _check_params(self) -> None:
        check_scalar(self.eta, "eta", owner=self._owner, min_val=0, include_min=False)
        check_scalar(self.epochs, "epochs", owner=self._owner, kind=numbers.Integral, min_val=1)
        if not isinstance(self.ratchet, (bool, np.bool_)):
            raise TypeError(f"The 'ratchet' parameter of Pocket must be a bool. Got {self.ratchet!r} instead.")

    def fit(self, X: Any, y: Any) -> "Pocket":
        """Run ``epochs * n_samples`` random draws (fewer if the pocket becomes perfect)."""
        self._check_params()
        X, y = check_fit_data(self, X, y)
        self.classes_, y_pm = check_binary_labels(y, owner=self._owner, hint=MULTICLASS_HINT.format(name=self._owner))
        rng = check_random_state(self.random_state, owner=self._owner)
        Xa = fold_bias(X)                              # (n, d) -> (n, d+1): bias folded in
        self.n_features_in_ = X.shape[1]
        try:
            with np.errstate(over="raise", invalid="raise"):   # inf or NaN activations: no answer
                W, hist = self._draws(Xa, y_pm, rng)
        except FloatingPointError:
            raise DivergenceError("Pocket overflowed: the activations exceed float64's range. "
                                  "Rescale X (the 'X' parameter).") from None
        self.n_epochs_ = len(hist["mistakes"])
        self.converged_ = bool(hist["mistakes"][-1] == 0)
        self.weights_, self.bias_ = W[:-1].copy(), float(W[-1])
        self.history_ = {"mistakes": np.asarray(hist["mistakes"], dtype=np.int64),
                         "perceptron_mistakes": np.asarray(hist["perceptron_mistakes"], dtype=np.int64),
                         "weights": np.asarray(hist["weights"]).reshape(-1, self.n_features_in_),
                         "bias": np.asarray(hist["bias"], dtype=float)}
        return self

    def _draws(self, Xa: np.ndarray, y_pm: np.ndarray, rng: np.random.Generator
               ) -> tuple[np.ndarray, dict[str, list]]:
        """Gallant's loop over random draws; returns the pocket weights and the history."""
        n = Xa.shape[0]

        def n_right(w: np.ndarray) -> int:               # training samples that w gets right
            return int(np.count_nonzero(y_pm * (Xa @ w) > 0))

        P = np.zeros(Xa.shape[1])                        # the perceptron's weights
        W, run_W, right_W = P.copy(), 0, 0               # the pocket: weights, run, samples right
        run_P, right_P = 0, None                         # right_P is counted when first needed
        hist: dict[str, list] = {"mistakes": [], "perceptron_mistakes": [], "weights": [], "bias": []}
        self.n_updates_ = 0
        for _ in range(self.epochs):
            for k in rng.integers(n, size=n):
                x_k, y_k = Xa[k], y_pm[k]
                if not is_mistake(P, x_k, y_k):          # P classifies sample k correctly
                    run_P += 1
                    if run_P > run_W:
                        right_P = n_right(P) if right_P is None else right_P
                        if not self.ratchet or right_P > right_W:
                            W, run_W, right_W = P.copy(), run_P, right_P    # into the pocket
                else:
                    P = rosenblatt_update(P, x_k, y_k, self.eta)
                    run_P, right_P = 0, None
                    self.n_updates_ += 1
            hist["mistakes"].append(n - right_W)
            hist["perceptron_mistakes"].append(n - n_right(P))
            hist["weights"].append(W[:-1].copy())
            hist["bias"].append(float(W[-1]))
            if right_W == n:
                break
        return W, hist
