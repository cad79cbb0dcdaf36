"""Long short-term memory as published in 1997: memory cell blocks with input and output gates.

Hochreiter & Schmidhuber, "Long short-term memory", Neural Computation 9(8):1735-1780 (1997),
Section 4 and Appendix A.1. A block ``j`` of ``S`` memory cells shares an input gate ``in_j`` and
an output gate ``out_j``. Every gate and cell reads the current input and, one step late, the
whole hidden layer (cell outputs *and* gate activations, "the hidden layer is fully connected").
The internal state is the constant error carrousel (CEC), a linear unit with self-weight 1.0::

    s(t) = s(t-1) + y_in(t) g(net_c(t))            # eq. (9): no forget gate in 1997
    y_c(t) = y_out(t) h(s(t))

with ``g(x) = 4 sigma(x) - 2`` (range [-2, 2], eq. 5) and ``h(x) = 2 sigma(x) - 1`` (range
[-1, 1], eq. 4). The output units read the cells (``y = sigma(W_k y_c)``), not the gates.

The later variant with a forget gate (Gers, Schmidhuber & Cummins 2000) multiplies the old state
by a gate ``y_phi(t)``: ``s(t) = y_phi(t) s(t-1) + y_in(t) g(net_c(t))``; it is ``spec.forget``.
``spec.squash="tanh"`` and ``spec.recurrent="cells"`` give the modern cell of ``torch.nn.LSTM``;
``spec.output_gate=False, spec.squash="2a"`` (``g`` logistic, ``h`` the identity) the cell of the
paper's Experiment 2a.

This module is the exact forward pass and its exact gradient by BPTT (for gradient checks and
for measuring what the 1997 truncation leaves out); :mod:`annhist.recurrent.lstm_online` is the
paper's own truncated, online learning rule.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from annhist.activations import sigmoid, tanh
from annhist.layers import MAX_WEIGHTS
from annhist.recurrent.checks import check_init, check_params, check_run, check_sequences, check_shape, swap
from annhist.validation import as_real_array, check_choice, check_random_state, check_scalar, short_repr

__all__ = ["LSTMSpec", "count_weights", "g_1997", "h_1997", "init_lstm", "lstm_forward", "lstm_step",
           "squash_and_slope", "step_numbers"]


def g_1997(x: np.ndarray) -> np.ndarray:
    """The cell input squashing function, eq. (5): ``4 / (1 + exp(-x)) - 2``, range [-2, 2]."""
    return 4.0 * sigmoid(x) - 2.0


def h_1997(x: np.ndarray) -> np.ndarray:
    """The cell output squashing function, eq. (4): ``2 / (1 + exp(-x)) - 1``, range [-1, 1]."""
    return 2.0 * sigmoid(x) - 1.0


def squash_and_slope(a: np.ndarray, scale: float, spec: LSTMSpec) -> tuple[np.ndarray, np.ndarray]:
    """``(g(a), g'(a))`` for ``scale=4`` or ``(h(a), h'(a))`` for ``scale=2``; ``tanh`` when ``spec.squash="tanh"``.

    The 1997 functions are ``scale * sigma(a) - scale / 2``, so their slope is
    ``scale * sigma(a) (1 - sigma(a))``: one logistic serves both (eqs. 4 and 5).
    """
    if spec.squash == "tanh":
        t = tanh(a)
        return t, 1.0 - t * t
    if spec.squash == "2a":                      # Experiment 2a: g logistic, h the identity
        if scale == 2.0:
            return a, np.ones_like(a)
        sig = sigmoid(a)
        return sig, sig * (1.0 - sig)
    sig = sigmoid(a)
    return scale * sig - scale / 2.0, scale * sig * (1.0 - sig)


@dataclass(frozen=True)
class LSTMSpec:
    """The shape of an LSTM net: ``n_blocks`` blocks of ``block_size`` cells between ``n_in`` and ``n_out``.

    ``recurrent``: what gates and cells read one step late -- ``"hidden"`` (1997: cell outputs and
    gate activations) or ``"cells"`` (cell outputs only, as ``torch.nn.LSTM``). ``skip``: direct
    input-to-output connections (Experiment 2a). Biases: gates always; cells and outputs optional.
    """

    n_in: int
    n_blocks: int
    block_size: int
    n_out: int
    forget: bool = False
    squash: str = "1997"
    recurrent: str = "hidden"
    cell_bias: bool = False
    output_bias: bool = False
    skip: bool = False
    output_gate: bool = True

    def __post_init__(self) -> None:
        for name in ("n_in", "n_blocks", "block_size", "n_out"):      # Python ints: numpy's int64 products wrap
            object.__setattr__(self, name, int(check_scalar(getattr(self, name), name, owner="LSTMSpec",
                                                            kind=numbers.Integral, min_val=1)))
        for name in ("forget", "cell_bias", "output_bias", "skip", "output_gate"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise TypeError(f"The '{name}' parameter of LSTMSpec must be a bool. "
                                f"Got {short_repr(getattr(self, name))} instead.")
        check_choice(self.squash, "squash", ("1997", "tanh", "2a"), owner="LSTMSpec")        # 'relu' ran as 1997
        check_choice(self.recurrent, "recurrent", ("hidden", "cells"), owner="LSTMSpec")     # 'foo' ran as cells

    @property
    def n_cells(self) -> int:
        """Memory cells in all: ``n_blocks * block_size``."""
        return self.n_blocks * self.block_size

    @property
    def n_gates(self) -> int:
        """Gate units in all: per block an input gate, plus an output gate and a forget gate if the spec has them."""
        return self.n_blocks * (1 + self.output_gate + self.forget)

    @property
    def n_z(self) -> int:
        """Units each gate and cell reads: inputs plus the hidden layer one step late."""
        back = self.n_cells + (self.n_gates if self.recurrent == "hidden" else 0)
        return self.n_in + back


def weight_shapes(spec: LSTMSpec) -> dict[str, tuple[int, int]]:
    """The shape of every weight array of one net of ``spec`` (gate and cell weights read ``spec.n_z`` units)."""
    B, C, M = spec.n_blocks, spec.n_cells, spec.n_z
    shapes = {"W_in": (B, M), "b_in": (1, B), "W_c": (C, M), "W_k": (spec.n_out, C)}
    if spec.output_gate:
        shapes.update(W_out=(B, M), b_out=(1, B))
    if spec.forget:
        shapes.update(W_f=(B, M), b_f=(1, B))
    if spec.cell_bias:
        shapes["b_c"] = (1, C)
    if spec.output_bias:
        shapes["b_k"] = (1, spec.n_out)
    if spec.skip:
        shapes["W_kx"] = (spec.n_out, spec.n_in)
    return shapes


def check_spec(spec: Any, owner: str) -> LSTMSpec:
    """``spec`` itself when it is an :class:`LSTMSpec` (which checks its fields when made); else a TypeError."""
    if not isinstance(spec, LSTMSpec):
        raise TypeError(f"The 'spec' parameter of {owner} must be an LSTMSpec. Got {short_repr(spec)} instead.")
    return spec


def _check_bias(value: Any, name: str, B: int) -> None:
    if value is None:
        return
    arr = as_real_array(value, name, owner="init_lstm")
    if arr.ndim > 1 or arr.size not in (1, B) or not np.all(np.isfinite(arr)):
        raise ValueError(f"The '{name}' parameter of init_lstm must be one finite number or one per block ({B}). "
                         f"Got {short_repr(value)} instead.")


def init_lstm(spec: LSTMSpec, rng: Any, *, init: float = 0.2, shape: tuple[int, ...] = (),
              out_gate_bias: Any = None, in_gate_bias: Any = None) -> dict[str, np.ndarray]:
    """Weights uniform in ``[-init, init]``; gate biases optionally set per block (Experiment 1:
    output gate biases -1, -2, -3, "see abuse problem, solution (2)"). ``rng``: None, an int seed or a
    Generator; at most ``MAX_WEIGHTS`` weights in all."""
    check_spec(spec, "init_lstm")
    init = check_init(init, owner="init_lstm")
    check_shape(shape, owner="init_lstm")
    _check_bias(out_gate_bias, "out_gate_bias", spec.n_blocks)
    _check_bias(in_gate_bias, "in_gate_bias", spec.n_blocks)
    total = math.prod(int(n) for n in shape) * count_weights(spec)
    if total > MAX_WEIGHTS:
        raise ValueError(f"The 'spec' and 'shape' parameters of init_lstm ask for {total:,} weights; at most "
                         f"{MAX_WEIGHTS:,}. Got {spec.n_blocks} blocks of {spec.block_size}, shape={shape} instead.")
    rng = check_random_state(rng, owner="init_lstm", name="rng")
    B = spec.n_blocks
    p = {k: rng.uniform(-init, init, (*shape, *s)) for k, s in weight_shapes(spec).items()}
    for name, value in (("b_out", out_gate_bias), ("b_in", in_gate_bias)):
        if value is not None and name in p:
            p[name][...] = np.broadcast_to(np.asarray(value, dtype=float), (B,))
    return p


def count_weights(spec: LSTMSpec) -> int:
    """The number of trainable weights (Experiment 1: 276 for 3 blocks of 2, 264 for 4 blocks of 1)."""
    check_spec(spec, "count_weights")
    return sum(int(a) * int(b) for a, b in weight_shapes(spec).values())


def _cells(a: np.ndarray, spec: LSTMSpec) -> np.ndarray:
    """A per-block quantity repeated for each cell of its block: ``(..., B) -> (..., C)``."""
    return a.repeat(spec.block_size, axis=-1)      # the method: np.repeat's dispatch costs as much


def _blocks(a: np.ndarray, spec: LSTMSpec) -> np.ndarray:
    """A per-cell quantity summed over each block: ``(..., C) -> (..., B)``."""
    return a.reshape(*a.shape[:-1], spec.n_blocks, spec.block_size).sum(axis=-1)


def lstm_step(x: np.ndarray, prev: dict[str, np.ndarray], p: dict[str, np.ndarray],
              spec: LSTMSpec) -> dict[str, np.ndarray]:
    """One time step (eqs. 7-9 of Appendix A.1); ``prev`` holds ``s, y_c, y_in, y_out (, y_f)`` at t-1.

    The record also keeps ``g, g_prime, h, h_prime`` (at ``net_c`` and ``s``) for the backward passes.
    The inner loop of :func:`lstm_forward` and of the online rule: unchecked, its callers check.
    """
    gates = ["y_in"] + (["y_out"] if spec.output_gate else []) + (["y_f"] if spec.forget else [])
    back = [prev["y_c"]] + ([prev[k] for k in gates] if spec.recurrent == "hidden" else [])
    lead = back[0].shape[:-1]
    z = np.concatenate([x if x.shape[:-1] == lead else np.broadcast_to(x, (*lead, x.shape[-1]))] + back, axis=-1)
    B = spec.n_blocks
    net_in = z @ swap(p["W_in"]) + p["b_in"]                       # eq. (7)
    net_c = z @ swap(p["W_c"]) + p.get("b_c", 0.0)                 # eq. (9)
    if not spec.output_gate:                                       # Experiment 2a: no output gate
        y_in, y_out = sigmoid(net_in), np.ones_like(net_in)
        g, g_prime = squash_and_slope(net_c, 4.0, spec)
    elif spec.squash == "1997":                                    # one logistic for gates and g (speed)
        net_out = z @ swap(p["W_out"]) + p["b_out"]                # eq. (8)
        sig = sigmoid(np.concatenate([net_in, net_out, net_c], axis=-1))
        y_in, y_out, sig_c = sig[..., :B], sig[..., B:2 * B], sig[..., 2 * B:]
        g, g_prime = 4.0 * sig_c - 2.0, 4.0 * sig_c * (1.0 - sig_c)   # eq. (5) and its slope
    else:
        y_in, y_out = sigmoid(net_in), sigmoid(z @ swap(p["W_out"]) + p["b_out"])
        g, g_prime = squash_and_slope(net_c, 4.0, spec)
    out = {"z": z, "net_c": net_c, "y_in": y_in, "y_out": y_out, "g": g, "g_prime": g_prime}
    keep = 1.0
    if spec.forget:                                                # Gers et al. (2000)
        out["y_f"] = sigmoid(z @ swap(p["W_f"]) + p["b_f"])
        keep = _cells(out["y_f"], spec)
    s = keep * prev["s"] + _cells(out["y_in"], spec) * out["g"]   # the constant error carrousel
    out["h"], out["h_prime"] = squash_and_slope(s, 2.0, spec)
    y_c = _cells(out["y_out"], spec) * out["h"]                    # the gated cell output
    net_k = y_c @ swap(p["W_k"]) + p.get("b_k", 0.0)
    if spec.skip:
        net_k = net_k + x @ swap(p["W_kx"])
    out.update(s=s, y_c=y_c, y=sigmoid(net_k))
    return out


def _zeros_state(lead: tuple[int, ...], spec: LSTMSpec) -> dict[str, np.ndarray]:
    state = {"s": np.zeros((*lead, spec.n_cells)), "y_c": np.zeros((*lead, spec.n_cells)),
             "y_in": np.zeros((*lead, spec.n_blocks)), "y_out": np.zeros((*lead, spec.n_blocks))}
    if spec.forget:
        state["y_f"] = np.zeros((*lead, spec.n_blocks))
    return state


def step_numbers(spec: LSTMSpec) -> int:
    """The numbers of one :func:`lstm_step` record a sequence: ``z``, seven per cell (``net_c, g, g', h, h', s,
    y_c``), the gates' ``y_in, y_out`` (and ``y_f``) and the outputs ``y``."""
    return spec.n_z + 7 * spec.n_cells + spec.n_blocks * (2 + spec.forget) + spec.n_out


def check_lstm(X: Any, p: Any, spec: Any, owner: str) -> tuple[np.ndarray, tuple[int, ...]]:
    """``spec``, ``X (..., N, T, n_in)`` and the weights of :func:`init_lstm`; returns X and the axes (..., N).

    The records of all steps (:func:`step_numbers` a sequence and step) are at most ``MAX_WEIGHTS`` numbers."""
    check_spec(spec, owner)
    X = check_sequences(X, "X", owner=owner, n_features=spec.n_in)
    net = check_params(p, weight_shapes(spec), owner=owner)
    try:
        lead = np.broadcast_shapes(X.shape[:-3], net) + X.shape[-3:-2]
    except ValueError:
        raise ValueError(f"The 'X' parameter of {owner} must have leading axes that broadcast against the nets' "
                         f"{net}. Got shape {X.shape} instead.") from None
    check_run(lead, X.shape[-2], step_numbers(spec), owner=owner)
    return X, lead


def lstm_forward(X: np.ndarray, p: dict[str, np.ndarray], spec: LSTMSpec) -> list[dict[str, np.ndarray]]:
    """Run over ``X (..., N, T, n_in)`` from zero activations; returns one record per step.

    Leading axes of the weights (independent nets) broadcast against those of ``X``.
    """
    X, lead = check_lstm(X, p, spec, "lstm_forward")
    prev = _zeros_state(lead, spec)
    steps = []
    for t in range(X.shape[-2]):
        prev = lstm_step(X[..., t, :], prev, p, spec)
        steps.append(prev)
    return steps
