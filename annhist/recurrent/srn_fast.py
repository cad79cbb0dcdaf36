"""One pass of Elman's training (``annhist.recurrent.srn._learn_step`` at every bit) with its
arrays allocated once.

Why it is fast: the nets are tiny (1 input, 2 hidden, 1 output), so a step costs what its ~35
numpy calls cost, not their arithmetic; ``_learn_step`` also allocates
every result and calls :func:`annhist.activations.sigmoid`, whose input check and error-state
guard cost more than its arithmetic. Here each result is written into a buffer made before the
pass (``out=``), the logistic is its five operations on buffers, the learning rate a 0-d array
(a Python float operand costs a conversion per call), and the context and hidden buffers trade
places each step instead of ``context = hidden`` making a new array.

The numbers do not change: every product is the same ``matmul`` on operands of the same shapes
(``eta * swap(delta) @ h`` is ``(eta * swap(delta)) @ h``, as Python groups it), every
elementwise result the same IEEE operations in the same order, the error of a step the same
``sum``; ``-|a|`` is ``copysign(a, -1)``. The tests compare the two with ``==``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from annhist.recurrent.lstm_task2a_fast import _sigmoid_into

__all__ = ["elman_pass"]


def _buffers(p: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The step's results, zeros: ``(K, 1, units)`` activations and errors, ``(K, out, in)`` changes."""
    (K, H, n_in), O = p["W_xh"].shape, p["W_hy"].shape[1]
    shapes = {"h": (K, 1, H), "a_x": (K, 1, H), "a_c": (K, 1, H), "net_h": (K, 1, H), "net_y": (K, 1, O),
              "y": (K, 1, O), "d_y": (K, 1, O), "tmp_y": (K, 1, O), "d_h": (K, 1, H), "tmp_h": (K, 1, H),
              "tmp_h2": (K, 1, H), "ed_y": (K, O, 1), "ed_h": (K, H, 1), "dw_hy": (K, O, H), "dw_xh": (K, H, n_in),
              "dw_ch": (K, H, H), "db_y": (K, 1, O), "db_h": (K, 1, H), "sq": (K,)}
    b = {k: np.zeros(v) for k, v in shapes.items()}
    b.update(one_y=np.ones((K, 1, O)), one_h=np.ones((K, 1, H)))
    return b


def elman_pass(p: dict[str, np.ndarray], context: np.ndarray,
               eta: float) -> Callable[[np.ndarray, np.ndarray, np.ndarray], None]:
    """``run(X, Y, sq)``: one pass of :func:`~annhist.recurrent.srn.train_elman` over ``X (T, K, 1, n_in)``
    -> ``Y (T, K, 1, n_out)`` (steps first, each contiguous), changing ``p`` in place and adding each
    step's squared error per net to ``sq (K,)``; the context carries over from pass to pass."""
    b = _buffers(p)
    (w_xh, w_ch, w_hy, b_h, b_y), swap = (p[k] for k in ("W_xh", "W_ch", "W_hy", "b_h", "b_y")), np.swapaxes
    a_x, a_c, net_h, net_y, y, d_y, tmp_y, d_h, tmp_h, tmp_h2, ed_y, ed_h, one_y, one_h, sq_t = (b[k] for k in (
        "a_x", "a_c", "net_h", "net_y", "y", "d_y", "tmp_y", "d_h", "tmp_h", "tmp_h2", "ed_y", "ed_h", "one_y",
        "one_h", "sq"))
    dw_hy, dw_xh, dw_ch, db_y, db_h = b["dw_hy"], b["dw_xh"], b["dw_ch"], b["db_y"], b["db_h"]
    w_xh_t, w_ch_t, w_hy_t, d_y_t, d_h_t = (swap(a, -1, -2) for a in (w_xh, w_ch, w_hy, d_y, d_h))
    sigmoid_h, sigmoid_y = _sigmoid_into(net_h.shape), _sigmoid_into(net_y.shape)
    buffers, scale = [np.array(context, dtype=float), b["h"]], np.array(float(eta))   # context, hidden: trade places
    matmul, mul, add, sub = np.matmul, np.multiply, np.add, np.subtract

    def run(X: np.ndarray, Y: np.ndarray, sq: np.ndarray) -> None:
        c, h = buffers
        with np.errstate(under="ignore"):                      # as activations.sigmoid
            for x, d in zip(X, Y):
                matmul(x, w_xh_t, out=a_x)
                matmul(c, w_ch_t, out=a_c)
                add(a_x, a_c, net_h)
                add(net_h, b_h, net_h)
                sigmoid_h(net_h, h)                            # input + context -> hidden
                matmul(h, w_hy_t, out=net_y)
                add(net_y, b_y, net_y)
                sigmoid_y(net_y, y)                            # hidden -> output
                sub(d, y, d_y)
                mul(d_y, d_y, tmp_y)
                tmp_y.sum(axis=(1, 2), out=sq_t)
                add(sq, sq_t, sq)                              # the squared error (d - y)^2
                mul(d_y, y, d_y)
                sub(one_y, y, tmp_y)
                mul(d_y, tmp_y, d_y)                           # delta_y = (d - y) y (1 - y)
                matmul(d_y, w_hy, out=tmp_h)
                mul(tmp_h, h, d_h)
                sub(one_h, h, tmp_h2)
                mul(d_h, tmp_h2, d_h)                          # delta_h = (delta_y W_hy) h (1 - h)
                mul(scale, d_y_t, ed_y)
                matmul(ed_y, h, out=dw_hy)
                add(w_hy, dw_hy, w_hy)
                mul(scale, d_y, db_y)
                add(b_y, db_y, b_y)
                mul(scale, d_h_t, ed_h)
                matmul(ed_h, x, out=dw_xh)
                add(w_xh, dw_xh, w_xh)
                matmul(ed_h, c, out=dw_ch)
                add(w_ch, dw_ch, w_ch)
                mul(scale, d_h, db_h)
                add(b_h, db_h, b_h)
                c, h = h, c                                    # the copy-back: context <- hidden
        buffers[:] = c, h
    return run
