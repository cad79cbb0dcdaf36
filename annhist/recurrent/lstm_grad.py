"""The gradient of an LSTM net by backpropagation through time: exact, or truncated as in 1997.

Exact (``truncate=False``): the error flows back through every path, including the recurrent
connections from cells and gates at ``t-1`` into the net inputs at ``t`` -- the gradient a
central-difference check confirms and the one ``torch.nn.LSTM`` computes.

Truncated (``truncate=True``): Hochreiter & Schmidhuber (1997, Appendix A.1) replace
``d net_in(t) / d y(t-1)``, ``d net_out(t) / d y(t-1)`` and ``d net_c(t) / d y(t-1)`` by zero:
"errors arriving at memory cell net inputs ... do not get propagated back further in time
(although they do serve to change the incoming weights). Only within memory cells, errors are
propagated back through previous internal states". What is left is the error trapped in each
constant error carrousel, scaled by nothing on its way back.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from annhist.recurrent.checks import check_sequences, check_step_mask, check_targets, swap
from annhist.recurrent.lstm import LSTMSpec, _blocks, _cells, _zeros_state, check_lstm, lstm_forward
from annhist.validation import short_repr

__all__ = ["lstm_bptt", "lstm_loss"]


def lstm_loss(steps: list[dict[str, np.ndarray]], D: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """``E = 1/2 sum_t sum_k (y_k(t) - d_k(t))^2`` over the masked steps, per net."""
    if not isinstance(steps, list) or not steps or not all(isinstance(r, dict) and "y" in r for r in steps):
        raise TypeError(f"The 'steps' parameter of lstm_loss must be lstm_forward's list of records. "
                        f"Got {type(steps).__name__} instead.")
    Y = check_sequences(np.stack([r["y"] for r in steps], axis=-2), "steps", owner="lstm_loss", finite=False)
    D = check_targets(D, Y.shape, owner="lstm_loss")
    check_step_mask(mask, Y.shape[:-1], owner="lstm_loss")
    sq = 0.5 * np.sum((Y - D) ** 2, axis=-1)
    return np.sum(sq if mask is None else sq * mask, axis=(-2, -1))


def _split_back(dz: np.ndarray, spec: LSTMSpec) -> dict[str, np.ndarray]:
    """Cut the error on the units read one step late into cell outputs and gates."""
    C, B = spec.n_cells, spec.n_blocks
    back = dz[..., spec.n_in:]
    fut = {"y_c": back[..., :C]}
    if spec.recurrent == "hidden":
        gates = ["y_in"] + (["y_out"] if spec.output_gate else []) + (["y_f"] if spec.forget else [])
        for i, name in enumerate(gates):
            fut[name] = back[..., C + i * B:C + (i + 1) * B]
    return fut


def _output_layer(g: dict, p: dict, rec: dict, x: np.ndarray, d_y: np.ndarray) -> None:
    g["W_k"] += swap(d_y) @ rec["y_c"]                             # output units read the cells
    if "b_k" in p:
        g["b_k"] += d_y.sum(axis=-2, keepdims=True)
    if "W_kx" in p:
        g["W_kx"] += swap(d_y) @ np.broadcast_to(x, (*d_y.shape[:-1], x.shape[-1]))


def _into_weights(g: dict, rec: dict, nets: dict[str, np.ndarray]) -> None:
    """``dE/dW = sum_t delta(t) z(t)^T`` for every gate and cell weight (and bias)."""
    for name, d_net in nets.items():
        g["W_" + name] += swap(d_net) @ rec["z"]
        if "b_" + name in g:
            g["b_" + name] += d_net.sum(axis=-2, keepdims=True)


def lstm_bptt(X: np.ndarray, D: np.ndarray, p: dict[str, np.ndarray], spec: LSTMSpec,
              mask: np.ndarray | None = None, truncate: bool = False) -> dict[str, Any]:
    """Gradients of ``E`` for every weight; returns ``{"grads", "E", "delta_s"}``.

    ``delta_s (..., N, T, n_cells)`` is ``dE/ds(t)``, the error in the carrousels: with the
    1997 cell and truncation it is carried back unchanged between error injections.
    """
    X, lead = check_lstm(X, p, spec, "lstm_bptt")
    D = check_targets(D, lead + (X.shape[-2], spec.n_out), owner="lstm_bptt")      # fewer steps was an IndexError
    check_step_mask(mask, lead + (X.shape[-2],), owner="lstm_bptt")
    if not isinstance(truncate, (bool, np.bool_)):
        raise TypeError(f"The 'truncate' parameter of lstm_bptt must be a bool. Got {short_repr(truncate)} instead.")
    steps = lstm_forward(X, p, spec)
    lead = steps[0]["y"].shape[:-1]
    m = np.ones(lead + (X.shape[-2],)) if mask is None else np.broadcast_to(mask, lead + (X.shape[-2],))
    g = {k: np.zeros(np.broadcast_shapes(v.shape, lead[:-1] + v.shape[-2:])) for k, v in p.items()}
    fut = {k: np.zeros_like(v) for k, v in _zeros_state(lead, spec).items() if k != "s"}
    fut_s = np.zeros(lead + (spec.n_cells,))
    delta_s = np.zeros(lead + (X.shape[-2], spec.n_cells))
    for t in reversed(range(X.shape[-2])):
        rec = steps[t]
        s_prev = steps[t - 1]["s"] if t > 0 else np.zeros_like(rec["s"])
        y = rec["y"]
        d_y = (y - D[..., t, :]) * y * (1.0 - y) * m[..., t, None]             # dE/dnet_k
        _output_layer(g, p, rec, X[..., t, :], d_y)
        dy_c = d_y @ p["W_k"] + fut["y_c"]
        ds = dy_c * _cells(rec["y_out"], spec) * rec["h_prime"] + fut_s          # into the CEC
        nets = {"in": (_blocks(ds * rec["g"], spec) + fut.get("y_in", 0.0))
                * rec["y_in"] * (1.0 - rec["y_in"]),
                "c": ds * _cells(rec["y_in"], spec) * rec["g_prime"]}
        if spec.output_gate:
            nets["out"] = (_blocks(dy_c * rec["h"], spec) + fut.get("y_out", 0.0)) * rec["y_out"] * (1.0 - rec["y_out"])
        keep = 1.0
        if spec.forget:
            y_f = rec["y_f"]
            nets["f"] = (_blocks(ds * s_prev, spec) + fut.get("y_f", 0.0)) * y_f * (1.0 - y_f)
            keep = _cells(y_f, spec)
        _into_weights(g, rec, nets)
        dz = sum(nets[n] @ p["W_" + n] for n in nets)
        fut = _split_back(dz * (0.0 if truncate else 1.0), spec)               # 1997: cut here
        fut_s = ds * keep                                                       # CEC: weight 1.0
        delta_s[..., t, :] = ds
    return {"grads": g, "E": lstm_loss(steps, D, m), "delta_s": delta_s}
