"""Vanishing and exploding error flow, and learning a dependency over a growing time lag.

Hochreiter (1991; summarized in Hochreiter & Schmidhuber 1997, eq. 2) and Bengio, Simard &
Frasconi (1994): the error sent back ``q`` steps through a recurrent layer is multiplied by ``q``
factors ``f'(net) w``; when they are below 1 the error vanishes exponentially in ``q``, above 1
it blows up. :func:`error_flow_rnn` measures it on a net: one error at the last step, the norm
of the hidden layer's error signal ``q`` steps earlier. :func:`error_flow_lstm` does the same for
the error in an LSTM cell's carrousel.

:func:`train_rnn_lag` and :func:`train_lstm_lag` train many nets side by side on Task 2a of
Hochreiter & Schmidhuber (1997): two sequences ``(y, a_1, .., a_{p-1}, y)`` and
``(x, a_1, .., a_{p-1}, x)``, each picked with probability 0.5, every next symbol predicted; the
last needs the first, ``p`` steps back. A run succeeds when "the maximal absolute error of all
output units is always below 0.25" -- with only two sequences, we check both at every step.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from annhist.layers import MAX_WEIGHTS
from annhist.recurrent.bptt import bptt, init_rnn, rnn_forward
from annhist.recurrent.bptt_fast import lag_gradients
from annhist.recurrent.checks import MAX_CHUNK, check_counts, check_init
from annhist.recurrent.lstm import LSTMSpec, init_lstm, lstm_forward
from annhist.recurrent.lstm_grad import lstm_bptt
from annhist.recurrent.lstm_online import run_online
from annhist.recurrent.tasks import MAX_LAG, lag_sequences
from annhist.validation import check_choice, check_random_state, check_scalar

__all__ = ["MAX_FLOW_LAG", "error_flow_lstm", "error_flow_rnn", "error_flows", "lag_success", "lag_trial_numbers",
           "train_lstm_lag", "train_rnn_lag"]


def error_flow_rnn(p: dict[str, np.ndarray], X: np.ndarray, activation: str = "tanh") -> np.ndarray:
    """Mean norm of ``dE/dnet_h(T-1-q)`` for ``q = 0 .. T-1`` when only the last output has an error.

    ``X (N, T, n_in)``; the error is ``y - d = 1`` on every output at the last step (a unit
    error, so the numbers are the scaling factors of eq. 2, summed over output units).
    """
    cache = rnn_forward(X, p, activation)
    Y = cache["Y"]
    D = Y.copy()
    D[..., -1, :] -= 1.0 / np.maximum(Y[..., -1, :] * (1.0 - Y[..., -1, :]), 1e-300)   # dE/dnet_y = 1
    mask = np.zeros(X.shape[:-1])
    mask[..., -1] = 1.0
    delta = bptt(X, D, p, activation, mask=mask, cache=cache)["delta_h"]
    return np.linalg.norm(delta, axis=-1).mean(axis=-2)[..., ::-1]       # index q = steps back


def error_flow_lstm(p: dict[str, np.ndarray], spec: LSTMSpec, X: np.ndarray, truncate: bool = True) -> np.ndarray:
    """Mean norm of ``dE/ds(T-1-q)``, the error in the carrousels, ``q`` steps before a last-step error."""
    steps = lstm_forward(X, p, spec)
    y = steps[-1]["y"]
    D = np.stack([r["y"] for r in steps], axis=-2)
    D[..., -1, :] -= 1.0 / np.maximum(y * (1.0 - y), 1e-300)
    mask = np.zeros(X.shape[:-1])
    mask[..., -1] = 1.0
    delta = lstm_bptt(X, D, p, spec, mask=mask, truncate=truncate)["delta_s"]
    return np.linalg.norm(delta, axis=-1).mean(axis=-2)[..., ::-1]


#: The longest lag :func:`error_flows` follows the error back through (chapter 10 uses 60).
MAX_FLOW_LAG = 5000


def error_flows(seed: int = 0, T: int = 60) -> dict[str, np.ndarray]:
    """Error flow against lag for plain tanh nets (8 units) whose recurrent matrix has all eigenvalues
    of modulus 0.5, 0.9, 1.5 or 3, and for the carrousels of a 1997 LSTM net (2 blocks of 2); ``T`` lags, 1 to
    ``MAX_FLOW_LAG``."""
    check_scalar(T, "T", owner="error_flows", kind=numbers.Integral, min_val=1, max_val=MAX_FLOW_LAG)
    rng = check_random_state(seed, owner="error_flows", name="seed")
    X = rng.uniform(-1, 1, (20, T, 1))
    flows = {}
    for radius in (0.5, 0.9, 1.5, 3.0):
        p = init_rnn((), 1, 8, 1, 0.5, rng)
        q, _ = np.linalg.qr(rng.normal(size=(8, 8)))
        p["W_hh"] = radius * q                              # an orthogonal matrix times `radius`
        flows[f"tanh W_hh radius {radius:g}"] = error_flow_rnn(p, X, "tanh")
    spec = LSTMSpec(n_in=1, n_blocks=2, block_size=2, n_out=1)
    p = init_lstm(spec, rng, init=0.2, out_gate_bias=[-1.0, -2.0])
    flows["LSTM carrousel (1997 truncation)"] = error_flow_lstm(p, spec, X, truncate=True)
    return flows


def lag_success(Y: np.ndarray, D: np.ndarray) -> np.ndarray:
    """Task 2a's criterion per net: every output within 0.25 of its target at every step."""
    lead_y, lead_d = np.shape(Y)[:-3], np.shape(D)[:-3]                  # D may be shared by the nets of Y
    if min(np.ndim(Y), np.ndim(D)) < 3 or np.shape(Y)[-3:] != np.shape(D)[-3:] or len(lead_d) > len(lead_y) or \
            any(d not in (1, y) for y, d in zip(lead_y[::-1], lead_d[::-1])):
        raise ValueError(f"The 'Y' and 'D' parameters of lag_success must be outputs and targets of shape (..., "
                         f"sequences, steps, outputs), D broadcast to Y. Got shapes {np.shape(Y)} and {np.shape(D)} "
                         f"instead.")
    return np.all(np.abs(Y - D) < 0.25, axis=(-3, -2, -1))


def _check_lag_sizes(owner: str, delay: Any, n_trials: int, eval_every: int, numbers_per_trial: int) -> None:
    """``n_trials`` nets whose largest arrays hold ``numbers_per_trial`` numbers each: at most ``MAX_WEIGHTS``
    in all; at most ``MAX_CHUNK`` sequences drawn between two tests."""
    if int(n_trials) * numbers_per_trial > MAX_WEIGHTS:
        raise ValueError(f"The 'n_trials' parameter of {owner} asks for {n_trials} nets of {numbers_per_trial:,} "
                         f"numbers each at delay={delay} (more than {MAX_WEIGHTS:,} in all). Got {n_trials} instead.")
    if int(n_trials) * int(eval_every) > MAX_CHUNK:
        raise ValueError(f"The 'eval_every' parameter of {owner} times 'n_trials' must be <= {MAX_CHUNK:,} "
                         f"sequences. Got eval_every={eval_every} and n_trials={n_trials} instead.")


def lag_trial_numbers(delay: int) -> int:
    """The numbers in the largest arrays of one :func:`train_lstm_lag` trial at ``delay`` (those of a
    :func:`train_rnn_lag` trial are fewer): ``n_trials`` times this is at most ``MAX_WEIGHTS``."""
    return 10 * int(delay) * (int(delay) + 1)                          # a block of 10 sequences of p steps


def _picks(rng: np.random.Generator, K: int, n: int) -> np.ndarray:
    return rng.integers(0, 2, size=(K, n))                # each sequence with probability 0.5


def _slow_gradients(X: np.ndarray, D: np.ndarray, p: dict[str, np.ndarray], activation: str) -> dict:
    """``bptt(X, D, p, activation)["grads"]`` without the per-call checks (train_rnn_lag checked its inputs)."""
    return bptt.__wrapped__(X, D, p, activation, cache=rnn_forward.__wrapped__(X, p, activation))["grads"]


def train_rnn_lag(delay: int, *, n_trials: int = 10, n_hidden: int = 4, eta: float = 1.0,
                  activation: str = "sigmoid", max_sequences: int = 20_000, eval_every: int = 200,
                  init: float = 0.2, random_state: Any = 0) -> dict[str, Any]:
    """A plain RNN (logistic hidden units, direct input-output connections) trained by BPTT.

    One weight change per sequence (the gradient of that sequence's error), ``n_trials`` nets side
    by side. Training goes in blocks of ``eval_every`` sequences, each followed by the success test,
    so ``max_sequences`` is rounded up to whole blocks (1 presents 200 at the default). Returns
    ``success`` and ``sequences`` (until success; NaN if never) per trial, and the
    trained ``params``. Logistic nets get the gradient from :func:`~annhist.recurrent.bptt_fast.lag_gradients`
    (the numbers of :func:`~annhist.recurrent.bptt.bptt`, in less time).
    """
    check_counts("train_rnn_lag", eta=eta, n_trials=n_trials, n_hidden=n_hidden, max_sequences=max_sequences,
                 eval_every=eval_every)
    check_scalar(delay, "delay", owner="train_rnn_lag", kind=numbers.Integral, min_val=2, max_val=MAX_LAG)
    check_choice(activation, "activation", ("sigmoid", "tanh"), owner="train_rnn_lag")
    init = check_init(init, owner="train_rnn_lag")
    h, width = int(n_hidden), max(int(n_hidden), delay + 1)             # weights (h, width), states (2 p, width)
    _check_lag_sizes("train_rnn_lag", delay, n_trials, eval_every, max(h, 2 * delay) * width)
    rng = check_random_state(random_state, owner="train_rnn_lag")
    X2, D2 = lag_sequences(delay)
    p = init_rnn((n_trials,), delay + 1, n_hidden, delay + 1, init, rng, skip=True)
    solved_at = np.full(n_trials, np.nan)
    presented = 0
    fast = lag_gradients(p, X2, D2) if activation == "sigmoid" else None   # bptt's numbers, on buffers
    while presented < max_sequences and np.isnan(solved_at).any():
        active = np.isnan(solved_at)[:, None, None]
        for which in _picks(rng, n_trials, eval_every).T:              # (K,) one sequence per net
            # one sequence per net, (K, 1, p, p+1)
            grads = fast(which) if fast else _slow_gradients(X2[which][:, None], D2[which][:, None], p, activation)
            for name, grad in grads.items():
                p[name] -= eta * grad * active                          # solved nets stop learning
        presented += eval_every
        ok = lag_success(rnn_forward(X2, p, activation)["Y"], D2)
        solved_at[ok & np.isnan(solved_at)] = presented
    return {"success": ~np.isnan(solved_at), "sequences": solved_at, "presented": presented, "params": p}


def train_lstm_lag(delay: int, *, n_trials: int = 10, eta: float = 1.0, max_sequences: int = 20_000,
                   eval_every: int = 200, construction: str = "sequential", tol: float = 0.01,
                   random_state: Any = 0) -> dict[str, Any]:
    """LSTM as in the paper's Task 2a: one memory cell with an input gate and no output gate, ``g``
    logistic, ``h`` the identity, direct input-output connections (``LSTMSpec(output_gate=False,
    squash="2a")``), trained online by the 1997 truncated rule; the protocol of :func:`train_rnn_lag`.

    ``construction="sequential"`` (the paper's): the net starts without its cell -- the cell's
    outgoing weights are zero and fixed, so only the direct connections learn -- and the cell is
    added (its outgoing weights drawn like the others and set free) once the error on the two
    sequences falls by less than ``tol`` (relative) over ``eval_every`` sequences: "the memory
    cell is added when the error stops decreasing" (Section 4, abuse problem, solution 1). With
    ``"fixed"`` the cell is there from the start, and it is abused as a bias cell. Returns
    ``success``, ``sequences`` (until success; NaN if never) and ``cell_added_at`` per trial, and
    the trained ``params`` (a leading axis of trials) with their ``spec``.
    """
    check_counts("train_lstm_lag", eta=eta, n_trials=n_trials, max_sequences=max_sequences, eval_every=eval_every)
    check_scalar(delay, "delay", owner="train_lstm_lag", kind=numbers.Integral, min_val=2, max_val=MAX_LAG)
    check_choice(construction, "construction", ("sequential", "fixed"), owner="train_lstm_lag")
    _check_lag_sizes("train_lstm_lag", delay, n_trials, eval_every, lag_trial_numbers(delay))
    tol = check_scalar(tol, "tol", owner="train_lstm_lag", min_val=0, max_val=1)     # a fraction of the error
    rng = check_random_state(random_state, owner="train_lstm_lag")
    X2, D2 = lag_sequences(delay)
    spec = LSTMSpec(n_in=delay + 1, n_blocks=1, block_size=1, n_out=delay + 1, output_bias=True, skip=True,
                    output_gate=False, squash="2a")
    p = init_lstm(spec, rng, init=0.2, shape=(n_trials,))
    w_cell = p["W_k"].copy()
    added_at = np.zeros(n_trials) if construction == "fixed" else np.full(n_trials, np.nan)
    p["W_k"][np.isnan(added_at)] = 0.0                               # no cell yet
    solved_at, last_error = np.full(n_trials, np.nan), np.full(n_trials, np.inf)
    presented = 0
    while presented < max_sequences and np.isnan(solved_at).any():
        which = _picks(rng, n_trials, eval_every)                       # (K, n)
        learn = {"W_k": (~np.isnan(added_at)).astype(float)}
        # ~10 sequences a call: at p = 100 the inputs, targets and outputs of 200 sequences are 65 MB
        # each, written once; ten sequences' stay in the cache (the same steps, the same numbers)
        for block in np.array_split(which, -(-eval_every // 10), axis=1):
            X = X2[block].reshape(n_trials, -1, delay + 1)               # (K, 10 * p, p+1)
            D = D2[block].reshape(n_trials, -1, delay + 1)
            reset = np.zeros(X.shape[:2], dtype=bool)
            reset[:, ::delay] = True
            mask = np.broadcast_to(np.isnan(solved_at)[:, None], X.shape[:2]).astype(float)
            run_online.__wrapped__(p, spec, X, D, reset, mask, eta, learn=learn)      # made here: checked
        presented += eval_every
        Y = np.stack([r["y"] for r in lstm_forward(X2, p, spec)], axis=-2)
        solved_at[lag_success(Y, D2) & np.isnan(solved_at)] = presented
        error = 0.5 * np.sum((Y - D2) ** 2, axis=(-3, -2, -1))
        read = np.isfinite(last_error)                                  # an earlier reading to compare with
        grow = np.isnan(added_at) & read & (error > np.where(read, last_error, 0.0) * (1.0 - tol))   # stopped falling
        p["W_k"][grow], added_at[grow] = w_cell[grow], presented
        last_error = np.where(np.isnan(added_at), error, last_error)
    return {"success": ~np.isnan(solved_at), "sequences": solved_at, "presented": presented,
            "cell_added_at": added_at, "params": p, "spec": spec}
