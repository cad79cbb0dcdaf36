"""A one-map convolution without the column matrix: its input rows, each copied once.

A layer that reads one map (LeNet-5's C1, the 1989 net's H1) has column-matrix rows ``(u, v)``
(kernel offsets) and columns ``(i, j, n)`` (output row, output column, pattern). Output row ``i``
reads the rows ``s*i .. s*i + KH - 1`` of the (padded) input, so :func:`~annhist.cnn.im2col.im2col_last`
copies each input row up to ``KH`` times, once for every output row that reads it: 25 numbers per
output unit, 10 MB for C1 at batch 64 in float64. Following Cho and Brand's "memory-efficient
convolution" (MEC, 2017), :func:`lower_rows` copies only the kernel *columns* out: ``L[r, v, (j, n)] =
x_p[r, s*j + v, n]``, one block of ``KW`` rows for each padded input row ``r``. The ``KH * KW`` rows
that output row ``i`` reads are then ``KH`` consecutive blocks, rows ``s*i*KW .. (s*i + KH)*KW - 1`` of
``L``: a plain matrix inside it, in the order ``(u, v)`` of the column matrix. A stack of these views
(nothing copied) makes the layer's products one ``np.matmul`` each:

* forward, ``a[:, i] = W @ L_i`` for every output row ``i`` (:func:`rows_matmul`): every output
  unit is the dot product of its kernel with its ``KH * KW`` inputs in the column matrix's order;
* weight gradient, ``dE/dW = sum_i g_i @ L_i^T`` (:func:`rows_gram`): the sum over positions taken
  one output row at a time, then over the rows (another rounding of the same sum).

``L`` is ``(H + 2p) / (KH * OH)`` of the column matrix: 0.23 of it for C1 (32 rows against 5 x 28),
0.5 for H1 (20 against 5 x 8), so the copy writes that much less, and the products read each input row
from the cache as the stack moves down one row at a time. Measured on this project's machine (an
AVX-512 Xeon, 2 cores; copy, forward and weight gradient of C1 at batch 64, float64): 1.07 against
1.52 ms on two BLAS threads, 1.04 against 1.56 ms on one (float32: 0.44 against 0.76 ms). With more
than one input map the rows would be ordered ``(u, c, v)``, not the column matrix's ``(c, u, v)``:
the layer keeps the column matrix there (C3, H2), so that its sums keep their order.

Reference: Cho, M., Brand, D. (2017). MEC: memory-efficient convolution for deep neural network.
Proceedings of the 34th International Conference on Machine Learning (ICML 2017); arXiv:1706.06873.
"""

from __future__ import annotations

import numpy as np

from annhist.cnn.im2col import _batch_last

__all__ = ["MIN_BYTES", "takes_rows", "rows_shape", "lower_rows", "row_stack", "rows_matmul", "rows_gram",
           "rows_to_cols"]


#: From this many bytes of column matrix on, a one-map layer goes by rows; below it (one pattern of the 1989
#: net, as chapter 09 trains it) the one product of the column matrix is faster.
MIN_BYTES = 1 << 18


def takes_rows(x_shape: tuple[int, ...], kh: int, stride: int, padding: int, cols_bytes: int) -> bool:
    """Whether a layer goes by rows for a batch of ``x_shape``: one input map, at least ``MIN_BYTES`` of
    column matrix, and fewer padded input rows than the column matrix has blocks of rows (``H + 2p < KH * OH``)."""
    n, c, h = x_shape[:3]
    if c != 1 or cols_bytes < MIN_BYTES:
        return False
    return h + 2 * padding < kh * ((h + 2 * padding - kh) // stride + 1)


def rows_shape(height: int, width: int, kh: int, kw: int, stride: int, padding: int, n: int) -> tuple[int, int, int]:
    """The shape ``(H + 2p, KW, OW * N)`` of :func:`lower_rows`'s array for one input map."""
    ow = (width + 2 * padding - kw) // stride + 1
    return height + 2 * padding, kw, ow * n


def row_stack(rows: np.ndarray, kh: int, stride: int, oh: int) -> np.ndarray:
    """``(H_p, KW, OW*N)`` -> ``(OH, KH*KW, OW*N)``: output row ``i``'s inputs as a matrix, a view."""
    hp, kw, m = rows.shape
    it = rows.itemsize
    return np.lib.stride_tricks.as_strided(rows, (oh, kh * kw, m), (stride * kw * m * it, m * it, it),
                                           writeable=False)


def lower_rows(x: np.ndarray, kh: int, kw: int, stride: int, padding: int, pad_value: float,
               out: np.ndarray | None = None) -> np.ndarray:
    """The inputs of every output row of a one-map convolution, ``(N, 1, H, W) -> (OH, KH*KW, OW*N)``.

    Entry ``[i, (u, v), (j, n)]`` is ``x[n, 0, s*i + u - p, s*j + v - p]`` (the pad value outside the
    image): column ``(i, j, n)`` of :func:`~annhist.cnn.im2col.im2col_last`'s matrix, output row ``i`` at
    a time. The result is a read-only view of ``out`` (shape :func:`rows_shape`), which holds each input
    row's ``KW`` shifted copies once.
    """
    n, c, h, w = x.shape
    if c != 1:
        raise ValueError(f"lower_rows reads one input map. Got {c} in an input of shape {x.shape} instead.")
    oh = (h + 2 * padding - kh) // stride + 1
    shape = rows_shape(h, w, kh, kw, stride, padding, n)
    xp = _batch_last(x, padding, pad_value)[0]                              # (H_p, W_p, N)
    sh, sw, sn = xp.strides
    ow = shape[2] // n
    view = np.lib.stride_tricks.as_strided(xp, (shape[0], kw, ow, n), (sh, sw, stride * sw, sn), writeable=False)
    if out is None:
        out = np.empty(shape, dtype=xp.dtype)
    np.copyto(out.reshape(shape[0], kw, ow, n), view)                     # row r, offset v: x_p[r, s*j + v, n]
    return row_stack(out, kh, stride, oh)


def rows_matmul(W: np.ndarray, stack: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``out (C_out, OH*OW*N) = W (C_out, KH*KW) @ cols``, from :func:`lower_rows`'s stack: one row at a time."""
    oh, _, m = stack.shape
    np.matmul(W, stack, out=out.reshape(out.shape[0], oh, m).transpose(1, 0, 2))   # (OH, C_out, OW*N) views
    return out


def rows_gram(g: np.ndarray, stack: np.ndarray) -> np.ndarray:
    """``g (C_out, OH*OW*N) @ cols^T -> (C_out, KH*KW)``: the sum over each output row's positions, then
    over the rows."""
    oh, _, m = stack.shape
    per_row = np.matmul(g.reshape(g.shape[0], oh, m).transpose(1, 0, 2), stack.transpose(0, 2, 1))
    return per_row.sum(axis=0)                                                # (OH, C_out, K) -> (C_out, K)


def rows_to_cols(stack: np.ndarray) -> np.ndarray:
    """The column matrix ``(KH*KW, OH*OW*N)`` of :func:`~annhist.cnn.im2col.im2col_last`, copied from the stack."""
    oh, k, m = stack.shape
    return np.ascontiguousarray(stack.transpose(1, 0, 2)).reshape(k, oh * m)
