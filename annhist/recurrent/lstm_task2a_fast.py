"""The Task 2a rule of :mod:`annhist.recurrent.lstm_task2a` with its arrays allocated once.

Why it is fast: Task 2a's arrays are tiny (``K`` nets of one cell, ~50 outputs), so a step costs
what its numpy calls cost, and that cost depends on the operands' layout. Measured on a 2-core
machine: an elementwise call on contiguous arrays of the same shape with ``out=`` takes ~0.3 us; the
same call on a strided view or with broadcasting goes through numpy's iterator and takes
~1.5-2 us, and a call that allocates its result, or takes a Python float, a little more. So
here every quantity has a contiguous buffer made before the loop, a broadcast is done as a copy
into a buffer of the full shape (``buf[...] = column``, ~0.2 us), and the arithmetic is ufuncs
writing into those buffers: about 45 cheap calls a step instead of 55 dearer ones.

The numbers do not change: each element goes through the same IEEE operations, in the same
order, as in :func:`~annhist.recurrent.lstm_task2a.run_online_task2a` (an elementwise result
does not depend on where the operands lie in memory); the two sums stay ``np.einsum`` on the
same operands (its fused multiply-adds are not what ``matmul`` or ``sum`` compute); a product
with 1.0 (``eta``) is skipped, as there. The tests compare the two with ``==``.

Layout: ``z (K, M + 1)`` is the input, ``s(t-1)``, ``y_in(t-1)`` and a constant 1; ``W`` and
``tr`` ``(K, 2, M + 1)`` hold ``W_in``, ``W_c`` and their ``ds/dw``, the last column ``b_in`` and
``ds/db_in`` -- the trace of the constant input, ``f * 1.0 = f`` -- so one call changes both
(the cell's last column is computed and never read: the cell has no bias). ``a (K, 2)`` is
``y_in, g``; ``ss (K, 2)`` is ``s`` twice, so that ``s += y_in g`` is ``ss += a * a[:, ::-1]``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from annhist.recurrent.lstm import LSTMSpec
from annhist.recurrent.lstm_task2a import _columns, run_online_task2a

__all__ = ["run_online_task2a_fast"]


def _sigmoid_into(shape: tuple[int, ...]) -> Callable[[np.ndarray, np.ndarray], None]:
    """``sigmoid(net, out)``: :func:`~annhist.recurrent.lstm_task2a._sigmoid`'s numbers, in five calls.

    ``copysign(a, -1)`` is ``min(a, -a)`` (both ``-|a|``; at 0 the sign of the zero may differ,
    and ``exp`` of either is 1), one call instead of two; both exponentials are one ``exp`` call
    over a ``(2, *shape)`` buffer; the constants have the full shape (a 0-d operand costs more).
    """
    q = np.empty((2, *shape))
    q0, q1 = q
    minus_one, zero, one = np.full(shape, -1.0), np.zeros(shape), np.ones(shape)
    copysign, minimum, exp, add, divide = np.copysign, np.minimum, np.exp, np.add, np.divide

    def sigmoid(net: np.ndarray, out: np.ndarray) -> None:
        copysign(net, minus_one, q0)             # -|a|
        minimum(net, zero, out=q1)
        exp(q, q)                                # exp(-|a|), exp(min(a, 0))
        add(q0, one, q0)
        divide(q1, q0, out)
    return sigmoid


def _buffers(p: dict[str, np.ndarray], cols: np.ndarray, K: int, n_in: int) -> dict:
    """Every array a step reads or writes, made once (see the module docstring for the layout)."""
    M, n_out = n_in + 2, cols.shape[1]
    W = np.zeros((K, 2, M + 1))
    W[:, 0, :M], W[:, 1, :M], W[:, 0, M] = p["W_in"][:, 0], p["W_c"][:, 0], p["b_in"][:, 0, 0]
    z = np.zeros((K, M + 1))
    z[:, M] = 1.0
    out_layer = np.stack([p["W_k"][:, :, 0], p["b_k"][:, 0, :], np.zeros((K, n_out))])
    e = {name: np.zeros((K, n_out)) for name in ("net_y", "e_k", "tmp", "s_full", "m_full")}
    t = {name: np.zeros((K, 2, M + 1)) for name in ("tr", "f_full", "z_full", "es_full", "tmp3")}
    g = {name: np.zeros((K, 2)) for name in ("net_g", "bias", "a", "a_rev", "f", "prod", "ss")}
    return {"W": W, "z": z, "out_layer": out_layer, "delta": np.zeros((3, K, n_out)), **e, **t, **g,
            "e_s": np.zeros(K), "one_g": np.ones((K, 2)), "one_y": np.ones((K, n_out)),
            "sig_g": _sigmoid_into((K, 2)), "sig_y": _sigmoid_into((K, n_out))}


def _gate_step(b: dict, n_in: int) -> Callable[[np.ndarray], None]:
    """``gate(x)``: the input gate and the cell of one step, ``ds/dw``, and ``s``; then ``z`` holds
    ``s(t), y_in(t)`` for the next step (nothing after this reads ``s(t-1)`` or ``y_in(t-1)``)."""
    M = n_in + 2
    W, z, tr, ss, a, a_rev, f, net_g, bias, prod = (b[k] for k in ("W", "z", "tr", "ss", "a", "a_rev", "f", "net_g",
                                                                    "bias", "prod"))
    WM, zM, zx, z3, f3 = W[:, :, :M], z[:, :M], z[:, :n_in], z[:, None], f[..., None]
    z_s, z_y = z[:, n_in], z[:, n_in + 1]
    bias0, b_in, s_col, s0, y_in = bias[:, 0], W[:, 0, M], ss[:, :1], ss[:, 0], a[:, 0]
    f_full, z_full, tmp3, s_full, one, sigmoid = (b[k] for k in ("f_full", "z_full", "tmp3", "s_full", "one_g",
                                                                 "sig_g"))
    mul, add, sub, einsum = np.multiply, np.add, np.subtract, np.einsum

    def gate(x: np.ndarray) -> None:
        zx[...] = x
        einsum("kjm,km->kj", WM, zM, out=net_g)
        bias0[...] = b_in
        add(net_g, bias, net_g)
        sigmoid(net_g, a)                                    # y_in, g
        a_rev[...] = a[:, ::-1]
        sub(one, a, f)
        mul(a, f, f)
        mul(a_rev, f, f)                                     # g y_in (1 - y_in), y_in g (1 - g)
        f_full[...], z_full[...] = f3, z3
        mul(f_full, z_full, tmp3)
        add(tr, tmp3, tr)                                    # ds/dW_in, ds/dW_c, ds/db_in
        mul(a, a_rev, prod)
        add(ss, prod, ss)                                    # s += y_in g
        z_s[...], z_y[...], s_full[...] = s0, y_in, s_col
    return gate


def _output_step(b: dict, cols: np.ndarray, eta: float,
                 lk: np.ndarray | None) -> Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None], None]:
    """``output(d, y, rows, mask)``: the output layer, its error, and every weight change of one step;
    ``y`` receives the outputs, ``mask`` is ``(K, 1)`` or None (all 1)."""
    W, tr, out_layer, delta, e_s = b["W"], b["tr"], b["out_layer"], b["delta"], b["e_s"]
    (w_k, b_k, direct), d_wk, d_bias, es3 = out_layer, delta[0], delta[1:], e_s[:, None, None]
    net_y, e_k, tmp, s_full, m_full, es_full, tmp3, one, sigmoid = (
        b[k] for k in ("net_y", "e_k", "tmp", "s_full", "m_full", "es_full", "tmp3", "one_y", "sig_y"))
    mul, add, sub, einsum = np.multiply, np.add, np.subtract, np.einsum
    scale = None if eta == 1.0 else np.array(float(eta))       # 1.0 * x is x: skipped

    def output(d: np.ndarray, y: np.ndarray, r: np.ndarray, m: np.ndarray | None) -> None:
        cols.take(r, 0, direct, "clip")                      # W_kx x: the input's column
        mul(w_k, s_full, net_y)
        add(net_y, direct, net_y)
        add(net_y, b_k, net_y)
        sigmoid(net_y, y)
        sub(d, y, e_k)
        mul(e_k, y, e_k)
        sub(one, y, tmp)
        mul(e_k, tmp, e_k)                                   # e_k = (d - y) y (1 - y)
        if m is not None:
            m_full[...] = m
            mul(e_k, m_full, e_k)
        einsum("ko,ko->k", e_k, w_k, out=e_s)
        mul(e_k, s_full, d_wk)
        d_bias[...] = e_k
        if scale is not None:
            mul(scale, d_wk, d_wk)
            mul(scale, d_bias, d_bias)
        if lk is not None:
            mul(d_wk, lk, d_wk)
        add(out_layer, delta, out_layer)                     # w_k, b_k, the column of W_kx
        cols[r] = direct
        es_full[...] = es3
        mul(es_full, tr, tmp3)
        if scale is not None:
            mul(scale, tmp3, tmp3)
        add(W, tmp3, W)                                      # W_in, W_c, b_in
    return output


def run_online_task2a_fast(p: dict[str, np.ndarray], spec: LSTMSpec, X: np.ndarray, Y: np.ndarray,
                           reset: np.ndarray, mask: np.ndarray, eta: float,
                           learn_k: np.ndarray | None = None) -> np.ndarray:
    """:func:`~annhist.recurrent.lstm_task2a.run_online_task2a` (same arguments, the same numbers),
    with preallocated contiguous buffers; inputs that are not one-hot go to that function."""
    cols, rows = _columns(p["W_kx"], X)
    if cols is None:
        return run_online_task2a(p, spec, X, Y, reset, mask, eta, learn_k)
    K, L, n_in = X.shape
    lk = None
    if learn_k is not None and not np.all(np.asarray(learn_k) == 1.0):
        lk = np.repeat(np.asarray(learn_k, float).reshape(K, 1), Y.shape[2], axis=1)
    b = _buffers(p, cols, K, n_in)
    out = np.zeros((L, K, Y.shape[2]))
    gate, output = _gate_step(b, n_in), _output_step(b, cols, eta, lk)
    masks = [None if on else mask[:, t:t + 1] for t, on in enumerate(np.all(mask == 1.0, axis=0).tolist())]
    starts, z, ss, tr = reset.any(axis=0).tolist(), b["z"], b["ss"], b["tr"]
    with np.errstate(under="ignore"):            # as in run_online_task2a
        for t, (x, d, y, r) in enumerate(zip(X.transpose(1, 0, 2).copy(), Y.transpose(1, 0, 2).copy(), out, rows)):
            if starts[t]:
                keep = (~reset[:, t]).astype(float)[:, None]
                z[:, n_in:n_in + 2] *= keep
                ss *= keep
                tr *= keep[:, :, None]
            gate(x)
            output(d, y, r, masks[t])
    M, W = n_in + 2, b["W"]
    p["W_in"][:, 0, :], p["W_c"][:, 0, :], p["b_in"][:, 0, 0] = W[:, 0, :M], W[:, 1, :M], W[:, 0, M]
    p["W_k"][:, :, 0], p["b_k"][:, 0, :] = b["out_layer"][0], b["out_layer"][1]
    p["W_kx"][...] = cols.reshape(K, n_in, -1).transpose(0, 2, 1)
    return np.ascontiguousarray(out.transpose(1, 0, 2))
