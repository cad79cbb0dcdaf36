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
    e = np.exp(np.minimum(a, -a))                # exp(-|a|), one call fewer
    num = np.maximum(e, np.sign(a))              # exp(min(a, 0)), bit for bit (see sigmoid)
    e += 1.0
    num /= e
    return num


def is_task2a_cell(spec: LSTMSpec) -> bool:
    """Whether ``spec`` is the one-cell, input-gate-only net this fast path computes."""
    return (spec.n_blocks == 1 and spec.block_size == 1 and not spec.output_gate and spec.squash == "2a"
            and not spec.forget and spec.recurrent == "hidden" and spec.skip and spec.output_bias
            and not spec.cell_bias)


def _columns(w_kx: np.ndarray, X: np.ndarray) -> tuple[np.ndarray, np.ndarray] | tuple[None, None]:
    """For one-hot inputs, ``W_kx``'s columns as the rows of one ``(K * n_in, n_out)`` array, and the
    row that each step's input picks in each net ``(L, K)``; ``(None, None)`` for other inputs.

    Task 2a's inputs are one-hot: then ``W_kx x`` is one column of ``W_kx`` and its change touches
    only that column -- the same numbers as the dense products (the other terms are exact zeros) --
    and taking ``K`` rows of one array costs a fifth of indexing a column in each net.
    """
    if not (np.all(np.sum(X != 0, axis=-1) == 1) and np.all(X.max(axis=-1) == 1)):
        return None, None
    K, _, n_in = X.shape
    cols = np.ascontiguousarray(w_kx.transpose(0, 2, 1)).reshape(K * n_in, -1)
    return cols, (np.arange(K)[:, None] * n_in + X.argmax(axis=-1)).T.copy()


def run_online_task2a(p: dict[str, np.ndarray], spec: LSTMSpec, X: np.ndarray, Y: np.ndarray, reset: np.ndarray,
                      mask: np.ndarray, eta: float, learn_k: np.ndarray | None = None) -> np.ndarray:
    """:func:`~annhist.recurrent.lstm_online.run_online` for :func:`is_task2a_cell` nets (same arguments;
    ``learn_k (K,)`` is ``learn["W_k"]``); updates ``p`` in place and returns the outputs.

    A step costs what its numpy calls cost, not their size; so the input gate and the cell go side
    by side -- ``W[:, 0]`` is ``W_in``, ``W[:, 1]`` is ``W_c``, ``tr`` their ``ds/dw`` -- one
    (elementwise, so the same numbers) call for the two. A product with 1.0 (``mask``, ``learn_k``)
    is skipped: it changes nothing.
    """
    K, L, n_in = X.shape
    w_k, b_in, b_k = p["W_k"][:, :, 0], p["b_in"][:, 0, :], p["b_k"][:, 0, :]
    lk = None if learn_k is None or np.all(np.asarray(learn_k) == 1.0) else np.asarray(learn_k, float).reshape(K, 1)
    W = np.stack([p["W_in"][:, 0, :], p["W_c"][:, 0, :]], axis=1)   # (K, 2, M): W_in, W_c
    bias = np.zeros((K, 2))                                     # b_in, and 0 for the cell (no bias)
    z = np.zeros((K, n_in + 2))                                 # input, y_c(t-1) = s(t-1), y_in(t-1)
    s = z[:, n_in:n_in + 1]                                     # the state is z's slot: s(t-1) until s +=
    tr, tib = np.zeros((K, 2, n_in + 2)), np.zeros((K, 1))      # ds/dW_in, ds/dW_c; ds/db_in
    outputs = np.zeros(Y.shape)
    cols, rows = _columns(p["W_kx"], X)
    starts, all_on = reset.any(axis=0).tolist(), np.all(mask == 1.0, axis=0).tolist()
    with np.errstate(under="ignore"):            # see _sigmoid
        for t in range(L):
            if starts[t]:
                keep = (~reset[:, t]).astype(float)[:, None]
                z[:, n_in:] *= keep
                tr *= keep[:, :, None]
                tib *= keep
            z[:, :n_in] = X[:, t]
            bias[:, :1] = b_in
            a = _sigmoid(np.einsum("kjm,km->kj", W, z) + bias)  # (K, 2): y_in, g
            y_in = a[:, :1]
            f = a[:, ::-1] * (a * (1.0 - a))                     # g y_in (1 - y_in), y_in g (1 - g)
            tr += f[:, :, None] * z[:, None, :]
            tib += f[:, :1]
            s += y_in * a[:, 1:]
            direct = np.einsum("kon,kn->ko", p["W_kx"], X[:, t]) if cols is None else cols.take(rows[t], axis=0)
            y = _sigmoid(w_k * s + direct + b_k)
            outputs[:, t] = y
            e_k = (Y[:, t] - y) * y * (1.0 - y)
            if not all_on[t]:
                e_k *= mask[:, t:t + 1]
            e_s = np.einsum("ko,ko->k", e_k, w_k)[:, None]
            w_k += eta * (e_k * s) if lk is None else eta * (e_k * s) * lk
            eta_e = eta * e_k
            b_k += eta_e
            if cols is None:
                p["W_kx"] += eta_e[:, :, None] * X[:, t][:, None, :]
            else:
                direct += eta_e                                  # the K columns, changed
                cols[rows[t]] = direct
            W += eta * (e_s[:, :, None] * tr)
            b_in += eta * (e_s * tib)
            z[:, n_in + 1] = y_in[:, 0]
    p["W_in"][:, 0, :], p["W_c"][:, 0, :] = W[:, 0], W[:, 1]
    if cols is not None:
        p["W_kx"][...] = cols.reshape(K, n_in, -1).transpose(0, 2, 1)
    return outputs
