"""The 1997 online rule of :mod:`annhist.recurrent.lstm_online` with its arrays allocated once.

Why it is fast: :func:`~annhist.recurrent.lstm_online.run_online` spends a step of Experiment 1
(3 nets of 3 blocks of 2 cells) mostly on the fixed cost of over a hundred small numpy calls and on
Python: a record dictionary, a dictionary of weight changes, a new array for every result, the
per-call checks of :func:`annhist.activations.sigmoid`. Here every quantity has a buffer made
before the loop and each call writes into one (``out=``); a broadcast is a copy into a buffer of
the full shape (a broadcasting ufunc costs ~5x a contiguous one); the weights are views into one
flat array, and so are their changes, so ``w += eta dw`` is two calls for all six weights.

The numbers do not change: every matrix product is the same ``matmul`` on operands of the same
shape and memory layout (so the same BLAS call), every elementwise result goes through the same
IEEE operations in the same order (whatever the memory layout), the sums over a block's cells
are the same ``sum`` on the same shapes, and ``-|a|`` is ``copysign(a, -1)``. The tests compare
the two with ``==``. It serves the nets of Experiment 1 (:func:`is_buffered_cell`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from annhist.recurrent.lstm import LSTMSpec
from annhist.recurrent.lstm_task2a_fast import _sigmoid_into

__all__ = ["is_buffered_cell", "run_online_buffered"]

_NAMES = ("W_in", "b_in", "W_out", "b_out", "W_c", "W_k")


def is_buffered_cell(spec: LSTMSpec) -> bool:
    """The 1997 cell with input and output gates and nothing else (Experiment 1's nets)."""
    return (spec.output_gate and spec.squash == "1997" and spec.recurrent == "hidden" and not spec.forget
            and not spec.cell_bias and not spec.output_bias and not spec.skip)


def _flat(p: dict[str, np.ndarray]) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray, dict[str, np.ndarray]]:
    """The weights copied into one flat array, and views of it shaped like them; the same for their changes."""
    sizes = np.cumsum([0] + [p[n].size for n in _NAMES])
    flat, delta = np.concatenate([p[n].ravel() for n in _NAMES]), np.zeros(sizes[-1])
    views = {n: flat[a:b].reshape(p[n].shape) for n, a, b in zip(_NAMES, sizes[:-1], sizes[1:])}
    changes = {n: delta[a:b].reshape(p[n].shape) for n, a, b in zip(_NAMES, sizes[:-1], sizes[1:])}
    return flat, views, delta, changes


def _buffers(spec: LSTMSpec, K: int) -> dict[str, np.ndarray]:
    """Every activation, slope, error and trace of one step, zeros, for ``K`` nets."""
    B, C, M, O = spec.n_blocks, spec.n_cells, spec.n_z, spec.n_out
    shapes = {"z": (K, 1, M), "state": (K, 1, C + 2 * B), "mm_in": (K, 1, B), "mm_out": (K, 1, B), "mm_c": (K, 1, C),
              "net": (K, 1, 2 * B + C), "sig": (K, 1, 2 * B + C), "zero_c": (K, 1, C), "zero_k": (K, 1, O),
              "s": (K, 1, C), "g": (K, 1, C), "g_prime": (K, 1, C), "sig_s": (K, 1, C), "h": (K, 1, C),
              "h_prime": (K, 1, C), "in_rep": (K, 1, C), "out_rep": (K, 1, C), "tmp_c": (K, 1, C), "tmp_b": (K, 1, B),
              "y_c": (K, 1, C), "net_k": (K, 1, O), "e_k": (K, 1, O), "tmp_k": (K, 1, O), "m_full": (K, 1, O),
              "e_c": (K, 1, C), "e_s": (K, 1, C), "blk": (K, 1, B), "new": (2, K, 1, C), "tr": (2, K, C, M),
              "tr_b": (2, K, 1, C), "tmp_tr": (2, K, C, M), "f_full": (2, K, C, M), "z_full": (2, K, C, M),
              "e_full": (K, O, C), "yc_full": (K, O, C), "eo_full": (K, B, M), "zb_full": (K, B, M)}
    b = {k: np.zeros(v) for k, v in shapes.items()}
    b.update(one_c=np.ones((K, 1, C)), one_b=np.ones((K, 1, B)), one_k=np.ones((K, 1, O)), two=np.full((K, 1, C), 2.0),
             four=np.full((K, 1, C), 4.0))
    return b


def _forward_step(b: dict[str, np.ndarray], w: dict[str, np.ndarray], spec: LSTMSpec,
                  K: int) -> Callable[[np.ndarray, np.ndarray], None]:
    """``forward(x, y)``: :func:`~annhist.recurrent.lstm.lstm_step`'s operations for one step;
    ``y`` receives the outputs; ``b["s"]`` is the new state, ``b["z"]`` still the old inputs."""
    B, S, n_in = spec.n_blocks, spec.block_size, spec.n_in
    z, net, sig, s, g, g_prime, sig_s, h, h_prime, y_c, net_k = (b[k] for k in (
        "z", "net", "sig", "s", "g", "g_prime", "sig_s", "h", "h_prime", "y_c", "net_k"))
    mm_in, mm_out, mm_c, zero_c, zero_k, tmp_c, one_c, two, four = (b[k] for k in (
        "mm_in", "mm_out", "mm_c", "zero_c", "zero_k", "tmp_c", "one_c", "two", "four"))
    zx, net_in, net_out, net_c = z[..., :n_in], net[..., :B], net[..., B:2 * B], net[..., 2 * B:]
    sig_c = sig[..., 2 * B:]
    in_rep, out_rep = b["in_rep"].reshape(K, 1, B, S), b["out_rep"].reshape(K, 1, B, S)
    y_in, y_out, in_rep_c, out_rep_c = sig[..., :B, None], sig[..., B:2 * B, None], b["in_rep"], b["out_rep"]
    w_in, w_out, w_c, w_k, b_in, b_out = (w[n].swapaxes(-1, -2) if n[0] == "W" else w[n] for n in (
        "W_in", "W_out", "W_c", "W_k", "b_in", "b_out"))
    sigmoid, sigmoid_s, sigmoid_k = _sigmoid_into(net.shape), _sigmoid_into(s.shape), _sigmoid_into(net_k.shape)
    matmul, mul, add, sub = np.matmul, np.multiply, np.add, np.subtract

    def squash(k: np.ndarray, sig: np.ndarray, half_k: np.ndarray, out: np.ndarray, slope: np.ndarray) -> None:
        mul(k, sig, out)
        sub(out, half_k, out)                                # k sigma - k/2
        mul(k, sig, slope)
        sub(one_c, sig, tmp_c)
        mul(slope, tmp_c, slope)                             # k sigma (1 - sigma)

    def forward(x: np.ndarray, y: np.ndarray) -> None:
        zx[...] = x
        matmul(z, w_in, out=mm_in)
        add(mm_in, b_in, net_in)                             # eq. (7)
        matmul(z, w_out, out=mm_out)
        add(mm_out, b_out, net_out)                          # eq. (8)
        matmul(z, w_c, out=mm_c)
        add(mm_c, zero_c, net_c)                             # eq. (9), + 0.0 as in lstm_step (no cell bias)
        sigmoid(net, sig)
        squash(four, sig_c, two, g, g_prime)                 # g = 4 sigma - 2, g' = 4 sigma (1 - sigma)
        in_rep[...] = y_in
        mul(in_rep_c, g, tmp_c)
        add(s, tmp_c, s)                                     # the carrousel (1.0 * s is s)
        sigmoid_s(s, sig_s)
        squash(two, sig_s, one_c, h, h_prime)                # h = 2 sigma - 1, h' = 2 sigma (1 - sigma)
        out_rep[...] = y_out
        mul(out_rep_c, h, y_c)
        matmul(y_c, w_k, out=net_k)
        add(net_k, zero_k, net_k)                            # + 0.0 as in lstm_step (no output bias)
        sigmoid_k(net_k, y)
    return forward


def _carry_step(b: dict[str, np.ndarray], spec: LSTMSpec, K: int) -> Callable[[], None]:
    """``carry()``: :func:`~annhist.recurrent.lstm_online._carry` -- ``ds/dw`` one step on (eqs. 25, 27)
    -- after ``forward`` (``b["in_rep"]`` is then free: it is overwritten here)."""
    B, C, S = spec.n_blocks, spec.n_cells, spec.block_size
    z, sig, g, g_prime, new, tr, tr_b, tmp_b, tmp_tr, one_b, in_rep, f_full, z_full = (b[k] for k in (
        "z", "sig", "g", "g_prime", "new", "tr", "tr_b", "tmp_b", "tmp_tr", "one_b", "in_rep", "f_full", "z_full"))
    y_in, new_c, new_in, f_cm, z_1m = sig[..., :B], new[0], new[1], new.reshape(2, K, C, 1), z[None]
    in_rep4, tmp_b4 = in_rep.reshape(K, 1, B, S), tmp_b[..., None]
    mul, add, sub = np.multiply, np.add, np.subtract

    def carry() -> None:
        mul(in_rep, g_prime, new_c)                          # g'(net_c) y_in            (27)
        sub(one_b, y_in, tmp_b)
        mul(y_in, tmp_b, tmp_b)
        in_rep4[...] = tmp_b4
        mul(g, in_rep, new_in)                               # g f'_in                   (25)
        f_full[...], z_full[...] = f_cm, z_1m
        mul(f_full, z_full, tmp_tr)
        add(tr, tmp_tr, tr)                                  # ds/dW_c, ds/dW_in
        add(tr_b, new, tr_b)                                 # ds/db_c, ds/db_in
    return carry


def _learn_step(b: dict[str, np.ndarray], w: dict[str, np.ndarray], dw: dict[str, np.ndarray], spec: LSTMSpec,
                K: int) -> Callable[[np.ndarray, np.ndarray, np.ndarray], None]:
    """``learn(d, y, m)``: :func:`~annhist.recurrent.lstm_online.truncated_step`'s weight changes for
    one step (into ``dw``), after ``forward`` and ``carry``; ``m`` is the mask ``(K, 1, 1)``."""
    B, C, S, M = spec.n_blocks, spec.n_cells, spec.block_size, spec.n_z
    z, sig, h, h_prime, y_c, e_k, e_c, e_s, blk, tr, tr_b = (b[k] for k in (
        "z", "sig", "h", "h_prime", "y_c", "e_k", "e_c", "e_s", "blk", "tr", "tr_b"))
    tmp_c, tmp_b, tmp_k, tmp_tr, m_full, one_b, one_k, out_rep = (b[k] for k in (
        "tmp_c", "tmp_b", "tmp_k", "tmp_tr", "m_full", "one_b", "one_k", "out_rep"))
    f_full, e_full, yc_full, eo_full, zb_full = (b[k] for k in ("f_full", "e_full", "yc_full", "eo_full", "zb_full"))
    y_out, e_kT, e_s4 = sig[..., B:2 * B], e_k.swapaxes(-1, -2), e_s.reshape(K, C, 1)
    d_outT = dw["b_out"].swapaxes(-1, -2)
    tmp_c_blocks, es_full, tmp_in = tmp_c.reshape(K, 1, B, S), f_full[0], tmp_tr[1].reshape(K, B, S, M)
    w_k, dw_k, dw_out, db_out, dw_c, dw_in, db_in = w["W_k"], *(dw[n] for n in ("W_k", "W_out", "b_out", "W_c", "W_in",
                                                                                  "b_in"))
    matmul, mul, sub = np.matmul, np.multiply, np.subtract

    def learn(d: np.ndarray, y: np.ndarray, m: np.ndarray) -> None:
        sub(d, y, e_k)
        mul(e_k, y, e_k)
        sub(one_k, y, tmp_k)
        mul(e_k, tmp_k, e_k)
        m_full[...] = m
        mul(e_k, m_full, e_k)                                # (19)
        matmul(e_k, w_k, out=e_c)                            # sum_k w_kc e_k
        mul(out_rep, h_prime, e_s)
        mul(e_s, e_c, e_s)                                   # (23)
        e_full[...], yc_full[...] = e_kT, y_c
        mul(e_full, yc_full, dw_k)                           # (22)
        sub(one_b, y_out, tmp_b)
        mul(y_out, tmp_b, tmp_b)
        mul(h, e_c, tmp_c)
        tmp_c_blocks.sum(axis=-1, out=blk)
        mul(tmp_b, blk, db_out)                              # (21)
        eo_full[...], zb_full[...] = d_outT, z
        mul(eo_full, zb_full, dw_out)                        # (22)
        es_full[...] = e_s4
        mul(es_full, tr[0], dw_c)                            # (28)
        mul(es_full, tr[1], tmp_tr[1])
        tmp_in.sum(axis=2, out=dw_in)                        # (26), one gate per block
        mul(e_s, tr_b[1], tmp_c)
        tmp_c_blocks.sum(axis=-1, out=db_in)
    return learn


def run_online_buffered(p: dict[str, np.ndarray], spec: LSTMSpec, X: np.ndarray, Y: np.ndarray, reset: np.ndarray,
                        mask: np.ndarray, eta: float) -> np.ndarray:
    """:func:`~annhist.recurrent.lstm_online.run_online` for :func:`is_buffered_cell` nets without a
    ``learn`` mask (same arguments, the same numbers); updates ``p`` in place, returns the outputs."""
    K, L, _ = X.shape
    flat, w, delta, dw = _flat(p)
    b = _buffers(spec, K)
    forward, carry, learn = _forward_step(b, w, spec, K), _carry_step(b, spec, K), _learn_step(b, w, dw, spec, K)
    z, s, tr, tr_b, y_c, sig = b["z"], b["s"], b["tr"], b["tr_b"], b["y_c"], b["sig"]
    C, B, n_in = spec.n_cells, spec.n_blocks, spec.n_in
    z_back, z_c, z_gates, gates = z[..., n_in:], z[..., n_in:n_in + C], z[..., n_in + C:], sig[..., :2 * B]
    out = np.zeros((L, K, 1, Y.shape[2]))
    scale, starts = np.array(float(eta)), reset.any(axis=0).tolist()
    steps = zip(X.transpose(1, 0, 2)[:, :, None].copy(), Y.transpose(1, 0, 2)[:, :, None].copy(), out,
                mask.T[:, :, None, None].astype(float))
    with np.errstate(under="ignore"):            # as activations.sigmoid: exp may underflow to 0
        for t, (x, d, y, m) in enumerate(steps):
            if starts[t]:
                keep = (~reset[:, t]).astype(float)[:, None, None]
                z_back *= keep
                s *= keep
                tr *= keep[None]
                tr_b *= keep[None]
            forward(x, y)
            carry()
            learn(d, y, m)
            np.multiply(scale, delta, delta)
            np.add(flat, delta, flat)                        # every weight: w += eta dw (17)
            z_c[...], z_gates[...] = y_c, gates              # y_c, y_in, y_out one step late
    for name, view in w.items():
        p[name][...] = view
    return np.ascontiguousarray(out[:, :, 0].transpose(1, 0, 2))
