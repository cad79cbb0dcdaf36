"""The 1997 online rule for the Task 2a cell, fused into a few array operations per step.

:func:`annhist.recurrent.lstm_online.run_online` is the readable rule for any cell: a record of
the step, a dictionary of contributions, then the weight change -- some 80 small numpy calls a
step, whose fixed cost (microseconds each) is most of the time when the net has one cell. Task 2a
(Hochreiter & Schmidhuber 1997, Experiment 2a) trains exactly that net for ~10^6 steps: one cell,
an input gate, no output gate, ``g`` logistic and ``h`` the identity, direct input-output
connections and output biases. With one cell everything per block is a vector over the ``K``
nets, the output gate is 1, ``h'(s) = 1``, so the rule shrinks to::

    y_in = sigma(W_in z + b_in),  g = sigma(W_c z),  s += y_in g,  y = sigma(w_k s + W_kx x + b_k)
    ds/dW_c += y_in g (1 - g) z,   ds/dW_in += g y_in (1 - y_in) z          # eqs. (27), (25)
    e_k = (d - y) y (1 - y),   e_s = sum_k w_k e_k                          # eqs. (19), (23)
    W_c += eta e_s ds/dW_c,  W_in += eta e_s ds/dW_in,  w_k += eta e_k s,  W_kx += eta e_k x

with the same products in the same order as the general rule, so both give the same numbers
(the tests compare them). ``z`` is the input and, one step late, the cell output and the gate.
"""

from __future__ import annotations

import numpy as np

from annhist.recurrent.lstm import LSTMSpec

__all__ = ["is_task2a_cell", "run_online_task2a"]


def _sigmoid(a: np.ndarray) -> np.ndarray:
    """:func:`annhist.activations.sigmoid`'s operations, in its order (the same numbers), without its
    per-call input check and error-state switch: at ~10^6 calls they were a third of the run. The
    caller lets ``exp`` underflow to 0 (its exact limit) once, around the whole loop."""
    e = np.exp(-np.abs(a))
    num = np.exp(np.minimum(a, 0))
    e += 1.0
    num /= e
    return num


def is_task2a_cell(spec: LSTMSpec) -> bool:
    """Whether ``spec`` is the one-cell, input-gate-only net this fast path computes."""
    return (spec.n_blocks == 1 and spec.block_size == 1 and not spec.output_gate and spec.squash == "2a"
            and not spec.forget and spec.recurrent == "hidden" and spec.skip and spec.output_bias
            and not spec.cell_bias)


def run_online_task2a(p: dict[str, np.ndarray], spec: LSTMSpec, X: np.ndarray, Y: np.ndarray, reset: np.ndarray,
                      mask: np.ndarray, eta: float, learn_k: np.ndarray | None = None) -> np.ndarray:
    """:func:`~annhist.recurrent.lstm_online.run_online` for :func:`is_task2a_cell` nets (same arguments;
    ``learn_k (K,)`` is ``learn["W_k"]``); updates ``p`` in place and returns the outputs."""
    K, L, n_in = X.shape
    w_in, w_c = p["W_in"][:, 0, :], p["W_c"][:, 0, :]          # (K, M) views: updated in place
    w_k, b_in, b_k, w_kx = p["W_k"][:, :, 0], p["b_in"][:, 0, :], p["b_k"][:, 0, :], p["W_kx"]
    lk = np.ones((K, 1)) if learn_k is None else np.asarray(learn_k, dtype=float).reshape(K, 1)
    z = np.zeros((K, n_in + 2))                                 # input, y_c(t-1), y_in(t-1)
    s = np.zeros((K, 1))
    tc, ti = np.zeros((K, n_in + 2)), np.zeros((K, n_in + 2))   # ds/dW_c, ds/dW_in
    tib = np.zeros((K, 1))                                      # ds/db_in (the cell has no bias)
    outputs = np.zeros(Y.shape)
    # Task 2a's inputs are one-hot: then W_kx x is one column of W_kx and its change touches only
    # that column -- the same numbers as the dense products (the other terms are exact zeros).
    hot = X.argmax(axis=-1) if np.all(np.sum(X != 0, axis=-1) == 1) and np.all(X.max(axis=-1) == 1) else None
    nets = np.arange(K)
    with np.errstate(under="ignore"):            # see _sigmoid
        for t, any_reset in enumerate(reset.any(axis=0).tolist()):
            if any_reset:
                keep = (~reset[:, t]).astype(float)[:, None]
                z[:, n_in:] *= keep
                for a in (s, tc, ti, tib):
                    a *= keep
            z[:, :n_in] = X[:, t]
            net = np.einsum("km,km->k", z, w_in)[:, None] + b_in
            y_in = _sigmoid(net)
            g = _sigmoid(np.einsum("km,km->k", z, w_c)[:, None])
            fc, fi = y_in * (g * (1.0 - g)), g * (y_in * (1.0 - y_in))
            tc += fc * z
            ti += fi * z
            tib += fi
            s += y_in * g
            direct = w_kx[nets, :, hot[:, t]] if hot is not None else np.einsum("kon,kn->ko", w_kx, X[:, t])
            y = _sigmoid(w_k * s + direct + b_k)
            outputs[:, t] = y
            e_k = (Y[:, t] - y) * y * (1.0 - y) * mask[:, t:t + 1]
            e_s = np.einsum("ko,ko->k", e_k, w_k)[:, None]
            w_k += eta * (e_k * s) * lk
            b_k += eta * e_k
            if hot is not None:
                w_kx[nets, :, hot[:, t]] += eta * e_k
            else:
                w_kx += (eta * e_k)[:, :, None] * X[:, t][:, None, :]
            w_c += eta * (e_s * tc)
            w_in += eta * (e_s * ti)
            b_in += eta * (e_s * tib)
            z[:, n_in], z[:, n_in + 1] = s[:, 0], y_in[:, 0]
    return outputs
