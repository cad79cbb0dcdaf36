"""The 1997 learning rule: truncated gradients carried forward in time, weights changed every step.

Hochreiter & Schmidhuber (1997), Appendix A.1. Because the error is cut where it leaves a cell
or a gate, the only derivatives to remember from one step to the next are those of the internal
states with respect to the weights into cells and input gates (eqs. 25 and 27)::

    ds/dw_in(t) = ds/dw_in(t-1) + g(net_c(t)) f'_in(net_in(t)) y^m(t-1)        # eq. (25)
    ds/dw_c(t)  = ds/dw_c(t-1)  + g'(net_c(t)) y_in(t) y^m(t-1)                # eq. (27)

and each step's error changes the weights at once ("we always use on-line learning"):
``e_k = f'(net_k)(t_k - y_k)`` (19), ``e_out = f'_out h(s) sum_k w_kc e_k`` (21),
``e_s = y_out h'(s) sum_k w_kc e_k`` (23), ``dw = alpha e y^m`` (22) for outputs and output gates,
``dw = alpha e_s ds/dw`` (26, 28) for input gates and cells. The cost per step is O(W), like BPTT,
with no stack of past activations. With a forget gate (Gers et al. 2000) each carried derivative
is first multiplied by ``y_phi(t)``.

All arrays carry a leading axis of ``K`` independent nets, each reading its own stream.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from annhist.recurrent.checks import check_params, check_sequences, checked_by, swap
from annhist.recurrent.lstm import LSTMSpec, _blocks, _cells, _zeros_state, check_spec, lstm_step, weight_shapes
from annhist.recurrent.lstm_online_fast import is_buffered_cell, run_online_buffered
from annhist.recurrent.lstm_task2a import is_task2a_cell
from annhist.recurrent.lstm_task2a_fast import run_online_task2a_fast
from annhist.validation import check_scalar, short_repr

__all__ = ["apply_step", "run_online", "truncated_step", "zero_traces"]


def zero_traces(K: int, spec: LSTMSpec) -> dict[str, np.ndarray]:
    """``ds/dw`` for the weights into cells, input gates (and forget gates), and their biases: zeros."""
    C, M = spec.n_cells, spec.n_z
    names = ("c", "in") + (("f",) if spec.forget else ())
    traces = {n: np.zeros((K, C, M)) for n in names}
    traces.update({n + "_b": np.zeros((K, C)) for n in names})
    return traces


def _carry(traces: dict[str, np.ndarray], rec: dict, s_prev: np.ndarray, spec: LSTMSpec) -> None:
    """Advance ``ds/dw`` by one step, in place (eqs. 25 and 27; Gers et al. 2000 for ``f``)."""
    z = rec["z"][:, 0]                                            # (K, M)
    y_in = rec["y_in"][:, 0]
    new = {"c": _cells(y_in, spec) * rec["g_prime"][:, 0],          # g'(net_c) y_in           (27)
           "in": rec["g"][:, 0] * _cells(y_in * (1.0 - y_in), spec)}      # g f'_in        (25)
    if spec.forget:
        y_f = rec["y_f"][:, 0]
        new["f"] = s_prev[:, 0] * _cells(y_f * (1.0 - y_f), spec)  # s(t-1) f'_phi
        keep = _cells(y_f, spec)
        for name in new:
            traces[name] = keep[..., None] * traces[name]
            traces[name + "_b"] = keep * traces[name + "_b"]
    for name, factor in new.items():                                # (without a forget gate keep = 1)
        traces[name] = traces[name] + factor[..., None] * z[:, None, :]
        traces[name + "_b"] = traces[name + "_b"] + factor


def truncated_step(p: dict[str, np.ndarray], state: dict[str, np.ndarray], traces: dict[str, np.ndarray],
                   x: np.ndarray, d: np.ndarray, m: np.ndarray,
                   spec: LSTMSpec) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """One step forward and this step's truncated ``-dE(t)/dw`` for every weight (not applied).

    ``x (K, 1, n_in)``, ``d (K, 1, n_out)``, ``m (K,)`` (0 where the step carries no target).
    Returns ``(record of the step, contributions)``; ``traces`` is advanced in place.
    """
    rec = lstm_step(x, state, p, spec)
    _carry(traces, rec, state["s"], spec)
    y = rec["y"]
    e_k = (d - y) * y * (1.0 - y) * m[:, None, None]                         # (19)
    e_c = e_k @ p["W_k"]                                                      # sum_k w_kc e_k
    y_out = rec["y_out"]
    e_s = (_cells(y_out, spec) * rec["h_prime"] * e_c)[:, 0]                          # (23), (K, C)
    dw = {"W_k": swap(e_k) * rec["y_c"]}                # (22); outer products by broadcasting
    if spec.output_gate:
        e_out = y_out * (1.0 - y_out) * _blocks(rec["h"] * e_c, spec)            # (21)
        dw.update(W_out=swap(e_out) * rec["z"], b_out=e_out)                      # (22)
    if "b_k" in p:
        dw["b_k"] = e_k
    if "W_kx" in p:
        dw["W_kx"] = swap(e_k) * x
    for name in ("c", "in") + (("f",) if spec.forget else ()):              # (26), (28)
        w_full, b_full = e_s[..., None] * traces[name], e_s * traces[name + "_b"]
        if name != "c":                                                       # one gate per block
            w_full = w_full.reshape(len(e_s), spec.n_blocks, spec.block_size, -1).sum(axis=2)
            b_full = _blocks(b_full, spec)
        dw["W_" + name] = w_full
        if "b_" + name in p:
            dw["b_" + name] = b_full[:, None, :]
    return rec, dw


def apply_step(p: dict[str, np.ndarray], dw: dict[str, np.ndarray], eta: float,
               learn: dict[str, np.ndarray] | None = None) -> None:
    """``w <- w + eta * (-dE(t)/dw)`` for every weight, in place (eq. 17).

    ``learn``: per weight name, a ``(K,)`` array of 0/1 -- the nets in which that weight learns
    (the others keep it fixed; used to add a memory cell later, "sequential construction").
    """
    for name, delta in dw.items():
        if learn is not None and name in learn:
            delta = delta * learn[name].reshape((-1,) + (1,) * (delta.ndim - 1))
        p[name] += eta * delta


def _check_online(p: Any, spec: Any, X: Any, Y: Any, reset: Any, mask: Any, eta: Any, learn: Any = None,
                  fast: Any = True) -> None:
    """The arguments of :func:`run_online`: numpy arrays of matching shapes, the nets' weights, ``eta > 0``."""
    own = "run_online"
    check_spec(spec, own)
    for name, value in (("X", X), ("Y", Y), ("reset", reset), ("mask", mask)):
        if not isinstance(value, np.ndarray):
            raise TypeError(f"The '{name}' parameter of {own} must be a numpy array. Got {short_repr(value)} instead.")
    for name, value, n in (("X", X, spec.n_in), ("Y", Y, spec.n_out)):
        check_sequences(value, name, owner=own, n_features=n)
        if value.shape[:2] != X.shape[:2] or value.ndim != 3:
            raise ValueError(f"The '{name}' parameter of {own} must be streams (K, L, {n}) with the K and L of X "
                             f"{X.shape[:2]}. Got shape {value.shape} instead.")
    if check_params(p, weight_shapes(spec), owner=own) != X.shape[:1]:
        raise ValueError(f"The 'p' parameter of {own} must hold the weights of one net per stream ({X.shape[0]}). "
                         f"Got 'W_k' of shape {p['W_k'].shape} instead.")
    for name, value, kinds in (("reset", reset, "b"), ("mask", mask, "biuf")):
        if value.dtype.kind not in kinds or value.shape != X.shape[:2] or not np.all(np.isfinite(value)):
            what = "bool" if kinds == "b" else "finite real"
            raise ValueError(f"The '{name}' parameter of {own} must be a {what} array of shape (K, L) = "
                             f"{X.shape[:2]}. Got {value.dtype} of shape {value.shape} instead.")
    check_scalar(eta, "eta", owner=own, min_val=0, include_min=False)
    if learn is not None and not (isinstance(learn, Mapping) and all(
            k in p and isinstance(v, np.ndarray) and v.shape == X.shape[:1] and np.all((v == 0) | (v == 1))
            for k, v in learn.items())):
        raise ValueError(f"The 'learn' parameter of {own} must be None or a dict of weight names to (K,) = "
                         f"{X.shape[:1]} arrays of 0/1. Got {short_repr(learn)} instead.")


@checked_by(_check_online)          # __wrapped__: the unchecked rule, for trainers that checked their inputs once
def run_online(p: dict[str, np.ndarray], spec: LSTMSpec, X: np.ndarray, Y: np.ndarray, reset: np.ndarray,
               mask: np.ndarray, eta: float, learn: dict[str, np.ndarray] | None = None,
               fast: bool = True) -> np.ndarray:
    """Learn online along ``K`` streams ``X (K, L, n_in)`` -> ``Y (K, L, n_out)``; returns the outputs.

    The outputs ``(K, L, n_out)`` are those computed at each step before that step's weight change.

    ``reset (K, L)`` marks the first step of each sequence: activations and ``ds/dw`` go back to
    zero ("all activations are reinitialized with zeros"); ``mask (K, L)`` is 0 on padding;
    ``learn`` as in :func:`apply_step`. The Task 2a cell goes through the fused rule
    :func:`~annhist.recurrent.lstm_task2a.run_online_task2a` (same numbers to rounding; about twice
    as fast), in its buffered form :func:`~annhist.recurrent.lstm_task2a_fast.run_online_task2a_fast`
    (the same numbers exactly; another third less time), unless ``fast=False``; so do the nets of
    Experiment 1 without ``learn``, through
    :func:`~annhist.recurrent.lstm_online_fast.run_online_buffered` (the same numbers exactly as the
    loop below; about twice as fast). The arguments are checked first (numpy arrays, ``p`` the weights
    of ``K`` nets of ``spec``, ``eta > 0``); ``run_online.__wrapped__`` is the unchecked rule.
    """
    if fast and is_task2a_cell(spec) and set(learn or {}) <= {"W_k"}:
        return run_online_task2a_fast(p, spec, X, Y, reset, mask, eta, learn_k=(learn or {}).get("W_k"))
    if fast and learn is None and is_buffered_cell(spec):
        return run_online_buffered(p, spec, X, Y, reset, mask, eta)
    K, L, _ = X.shape
    state = _zeros_state((K, 1), spec)
    traces = zero_traces(K, spec)
    outputs = np.zeros(Y.shape)
    starts = reset.any(axis=0).tolist()
    for t in range(L):
        if starts[t]:
            keep = (~reset[:, t]).astype(float)
            state = {k: v * keep[:, None, None] for k, v in state.items()}
            traces = {k: v * keep.reshape((K,) + (1,) * (v.ndim - 1)) for k, v in traces.items()}
        rec, dw = truncated_step(p, state, traces, X[:, t:t + 1], Y[:, t:t + 1], mask[:, t], spec)
        apply_step(p, dw, eta, learn)
        state = {k: rec[k] for k in state}
        outputs[:, t] = rec["y"][:, 0]
    return outputs
