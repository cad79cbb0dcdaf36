"""Elman's simple recurrent network (1990): context units that hold a copy of the hidden layer.

Elman, "Finding structure in time", Cognitive Science 14:179-211 (1990), Fig. 2 and p. 182:
at time ``t`` the input units and the context units activate the hidden units; the hidden units
activate the outputs and are copied one-for-one into the context units (fixed weight 1.0, not
trained). The context starts at 0.5. After each step, "back propagation of error (Rumelhart,
Hinton, & Williams, 1986) is used to adjust connection strengths incrementally": the context is
treated as one more input, so the error goes back one step and no further (the copy-back is
not differentiated). Units are logistic ("bounds values between 0.0 and 1.0").

Arrays carry a leading axis of independent nets (trials): activations ``(K, N, units)``,
weights ``(K, out, in)``; ``K`` nets learn side by side in one numpy loop.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator

from annhist.activations import sigmoid
from annhist.layers import MAX_WEIGHTS
from annhist.recurrent.checks import check_init, check_params, check_stream, swap
from annhist.recurrent.srn_fast import elman_pass
from annhist.validation import (
    check_finite_weights,
    check_is_fitted,
    check_random_state,
    check_scalar,
    short_repr,
)

__all__ = ["ElmanSRN", "elman_deltas", "elman_step", "init_elman", "run_elman", "train_elman"]


def elman_step(x: np.ndarray, context: np.ndarray, p: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """One time step of Elman's Fig. 2: ``h = f(W_xh x + W_ch c + b_h)``, ``y = f(W_hy h + b_y)``.

    ``x`` is ``(K, N, n_in)``, ``context`` ``(K, N, n_hidden)``; returns ``(h, y)``.
    """
    h = sigmoid(x @ swap(p["W_xh"]) + context @ swap(p["W_ch"]) + p["b_h"])   # input + context -> hidden
    y = sigmoid(h @ swap(p["W_hy"]) + p["b_y"])                                # hidden -> output
    return h, y


def elman_deltas(h: np.ndarray, y: np.ndarray, d: np.ndarray,
                 W_hy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The generalized delta rule of Rumelhart, Hinton & Williams (1986) for one step, context as an input.

    ``delta_y = (d - y) y (1 - y)``; ``delta_h = (delta_y W_hy) h (1 - h)``. Nothing flows into
    the context units: their copy-back connections are fixed, so learning is truncated at one step.
    """
    delta_y = (d - y) * y * (1.0 - y)                    # output units
    delta_h = (delta_y @ W_hy) * h * (1.0 - h)           # hidden units: sum_k delta_k w_kj f'(net_j)
    return delta_y, delta_h


def _shapes(n_in: int, n_hidden: int, n_out: int) -> dict[str, tuple[int, int]]:
    return {"W_xh": (n_hidden, n_in), "W_ch": (n_hidden, n_hidden), "b_h": (1, n_hidden),
            "W_hy": (n_out, n_hidden), "b_y": (1, n_out)}


def _check_sizes(owner: str, n_trials: int, n_in: int, n_hidden: int, n_out: int) -> None:
    total = int(n_trials) * sum(int(a) * int(b) for a, b in _shapes(n_in, n_hidden, n_out).values())
    if total > MAX_WEIGHTS:
        raise ValueError(f"The 'n_hidden' parameter of {owner} asks for {total:,} weights in all; at most "
                         f"{MAX_WEIGHTS:,}. Got n_hidden={n_hidden} ({n_trials} nets) instead.")


def _check_elman_params(p: Any, owner: str) -> None:
    """The weights of :func:`init_elman`: ``(K, out, in)`` arrays of matching sizes."""
    check_params(p, {}, owner=owner)                                      # a dict
    for k in ("W_xh", "W_hy"):                                            # their sizes give the others'
        if not isinstance(p.get(k), np.ndarray) or p[k].ndim != 3:
            raise ValueError(f"The 'p' parameter of {owner} must hold {k!r}, an array (n_nets, rows, columns). "
                             f"Got {short_repr(p.get(k))} instead.")
    (_, n_hidden, n_in), n_out = p["W_xh"].shape, p["W_hy"].shape[1]
    check_params(p, _shapes(n_in, n_hidden, n_out), owner=owner)


def init_elman(n_trials: int, n_in: int, n_hidden: int, n_out: int, init: float,
               rng: Any) -> dict[str, np.ndarray]:
    """Weights and biases uniform in ``[-init, init]``, one set per trial (leading axis).

    ``rng``: None, an int seed or a Generator; at most ``MAX_WEIGHTS`` weights in all.
    """
    for name, n in (("n_trials", n_trials), ("n_in", n_in), ("n_hidden", n_hidden), ("n_out", n_out)):
        check_scalar(n, name, owner="init_elman", kind=numbers.Integral, min_val=1)
    init = check_init(init, owner="init_elman")
    _check_sizes("init_elman", n_trials, n_in, n_hidden, n_out)
    rng = check_random_state(rng, owner="init_elman", name="rng")
    return {k: rng.uniform(-init, init, (n_trials, *s)) for k, s in _shapes(n_in, n_hidden, n_out).items()}


def _learn_step(p: dict[str, np.ndarray], x: np.ndarray, c: np.ndarray, d: np.ndarray,
                eta: float) -> tuple[np.ndarray, np.ndarray]:
    """Forward one step, then change every trainable weight by ``eta * delta * input``."""
    h, y = elman_step(x, c, p)
    delta_y, delta_h = elman_deltas(h, y, d, p["W_hy"])
    p["W_hy"] += eta * swap(delta_y) @ h                 # (K, n_out, 1) @ (K, 1, n_hidden)
    p["b_y"] += eta * delta_y
    p["W_xh"] += eta * swap(delta_h) @ x
    p["W_ch"] += eta * swap(delta_h) @ c                 # the context is just another input
    p["b_h"] += eta * delta_h
    return h, y


def train_elman(X: np.ndarray, Y: np.ndarray, *, n_hidden: int = 2, eta: float = 0.1, epochs: int = 600,
                init: float = 0.5, context_init: float = 0.5,
                random_state: Any = None) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Train ``K`` independent SRNs on their streams ``X (K, T, n_in)`` -> ``Y (K, T, n_out)``.

    Each epoch is one pass through the stream, one weight change per step (Elman 1990, p. 182);
    the context is carried over from pass to pass. Returns ``(params, history)``, ``history``
    ``(epochs, K)`` holding the mean squared error of each pass (``epochs * K`` at most ``MAX_WEIGHTS``).
    """
    X = check_stream(X, "X", owner="train_elman")
    Y = check_stream(Y, "Y", owner="train_elman", like=X)
    n_hidden = check_scalar(n_hidden, "n_hidden", owner="train_elman", kind=numbers.Integral, min_val=1)
    eta = check_scalar(eta, "eta", owner="train_elman", min_val=0, include_min=False)
    epochs = int(check_scalar(epochs, "epochs", owner="train_elman", kind=numbers.Integral, min_val=1))   # epochs * K
    init = check_init(init, owner="train_elman")            # 1e300 was blamed on eta, -0.0 a numpy error
    context_init = check_scalar(context_init, "context_init", owner="train_elman")
    rng = check_random_state(random_state, owner="train_elman")
    K, T, n_in = X.shape
    _check_sizes("train_elman", K, n_in, n_hidden, Y.shape[2])     # n_hidden=10**7 was a MemoryError
    if epochs * K > MAX_WEIGHTS:                                    # the history: an MSE per pass and net
        raise ValueError(f"The 'epochs' parameter of train_elman asks for {epochs:,} passes of {K} nets, one MSE "
                         f"each kept; at most {MAX_WEIGHTS:,}. Got epochs={epochs} instead.")
    p = init_elman(K, n_in, n_hidden, Y.shape[2], init, rng)
    c = np.full((K, 1, n_hidden), context_init)
    history = np.zeros((epochs, K))
    one_pass = elman_pass(p, c, eta)           # _learn_step at every step, on buffers (same numbers)
    steps, targets = [X[:, t:t + 1] for t in range(T)], Y.transpose(1, 0, 2)[:, :, None].copy()
    for epoch in range(epochs):
        one_pass(steps, targets, history[epoch])
        check_finite_weights(*p.values(), eta=eta, owner="train_elman", epoch=epoch)
    return p, history / (T * Y.shape[2])


def run_elman(p: dict[str, np.ndarray], X: np.ndarray, context_init: float = 0.5) -> dict[str, np.ndarray]:
    """Run trained nets over ``X (K, T, n_in)`` without learning; returns ``hidden`` and ``output``."""
    _check_elman_params(p, "run_elman")                      # a missing weight was a KeyError
    X = check_stream(X, "X", owner="run_elman", n_features=p["W_xh"].shape[2])
    context_init = check_scalar(context_init, "context_init", owner="run_elman")
    K, T, _ = X.shape
    if p["W_xh"].shape[0] != K:
        raise ValueError(f"The 'X' parameter of run_elman must hold one stream per net ({p['W_xh'].shape[0]}). "
                         f"Got {K} streams instead.")
    c = np.full((K, 1, p["W_ch"].shape[1]), context_init)
    hidden, output = np.zeros((K, T, c.shape[2])), np.zeros((K, T, p["W_hy"].shape[1]))
    for t in range(T):
        c, y = elman_step(X[:, t:t + 1], c, p)
        hidden[:, t], output[:, t] = c[:, 0], y[:, 0]
    return {"hidden": hidden, "output": output}


class ElmanSRN(BaseEstimator):
    """Elman's simple recurrent network on one stream, trained as Elman trained it.

    Parameters
    ----------
    n_hidden : int, default=2
        Hidden units, and as many context units (2 for the temporal XOR).
    eta : float, default=0.1
        Learning rate; the 1990 paper does not state it (see the chapter).
    epochs : int, default=600
        Passes through the stream (600 in the paper's XOR simulation).
    init : float, default=0.5
        Initial weights uniform in ``[-init, init]`` (not stated in the paper).
    random_state : None, int or Generator

    Attributes
    ----------
    params_ : dict of arrays ``W_xh, W_ch, b_h, W_hy, b_y`` (leading axis of length 1)
    history_ : dict with ``"mse"``, the mean squared error of each pass

    References
    ----------
    J. L. Elman, "Finding structure in time", Cognitive Science 14:179-211, 1990.

    Examples
    --------
    >>> from annhist.recurrent import ElmanSRN, temporal_xor
    >>> bits = temporal_xor(100, random_state=0)
    >>> net = ElmanSRN(epochs=2, random_state=0).fit(bits[:-1, None], bits[1:, None])
    >>> net.predict(bits[:6, None]).shape
    (6, 1)
    """

    def __init__(self, *, n_hidden: int = 2, eta: float = 0.1, epochs: int = 600, init: float = 0.5,
                 random_state: Any = None) -> None:
        self.n_hidden = n_hidden
        self.eta = eta
        self.epochs = epochs
        self.init = init
        self.random_state = random_state

    def fit(self, X: Any, Y: Any) -> ElmanSRN:
        """Learn to map the stream ``X (T, n_in)`` to ``Y (T, n_out)``, one step at a time."""
        X = check_stream(X, "X", owner="ElmanSRN", ndim=2)
        Y = check_stream(Y, "Y", owner="ElmanSRN", ndim=2, like=X)
        self.params_, mse = train_elman(X[None], Y[None], n_hidden=self.n_hidden, eta=self.eta,
                                        epochs=self.epochs, init=self.init, random_state=self.random_state)
        self.history_ = {"mse": mse[:, 0].tolist()}
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Outputs ``(T, n_out)`` over the stream ``X``, starting from context 0.5."""
        check_is_fitted(self, "params_")
        X = check_stream(X, "X", owner="ElmanSRN", ndim=2, n_features=self.params_["W_xh"].shape[2])
        return run_elman(self.params_, X[None])["output"][0]
