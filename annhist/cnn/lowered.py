"""A convolution without the column matrix: its input rows, each copied once.

The column matrix of :func:`~annhist.cnn.im2col.im2col_last` has rows ``(c, u, v)`` (input map, kernel
offset) and columns ``(i, j, n)`` (output row, output column, pattern). Output row ``i`` reads the
rows ``s*i .. s*i + KH - 1`` of the (padded) input, so the column matrix holds each input row up to
``KH`` times, once for every output row that reads it: 25 numbers per output unit and input map, 10 MB
for LeNet-5's C1 at batch 64 in float64. Following Cho and Brand's "memory-efficient convolution"
(MEC, 2017), :func:`lower_rows` copies only the kernel *columns* out: ``L[r, (c, v), (j, n)] =
x_p[c, r, s*j + v, n]``, one block of ``C * KW`` rows for each padded input row ``r``. The rows that
output row ``i`` reads are then ``KH`` consecutive blocks of ``L``, rows ``s*i*C*KW .. (s*i + KH)*C*KW
- 1``: a plain matrix inside it, its rows in the order ``(u, c, v)``. A stack of these views (nothing
copied) makes the layer's products one ``np.matmul`` each, with the kernels' columns put in that order
(:func:`rows_weights`):

* forward, ``a[:, i] = W @ L_i`` for every output row ``i`` (:func:`rows_matmul`): every output
  unit is the dot product of its kernel with its ``C * KH * KW`` inputs. For one input map (C1, H1) the
  order ``(u, c, v)`` is the column matrix's ``(c, u, v)``: the same sums in the same order (bit for bit
  on this project's machine, tested); for several maps (C3, H2) the same terms in another order;
* weight gradient, ``dE/dW = sum_i g_i @ L_i^T`` (:func:`rows_gram`): the sum over positions taken
  one output row at a time, then over the rows (another rounding of the same sum); each row's product
  is taken transposed, ``(L_i @ g_i^T)^T``, faster here, except in float64 for a layer reading several
  maps into other than a multiple of ``GRAM_MAPS`` output maps (H2).

``L`` is ``(H + 2p) / (KH * OH)`` of the column matrix: 0.23 of it for C1 (32 rows against 5 x 28),
0.28 for C3, 0.5 for H1 (20 against 5 x 8), 0.6 for H2, so the copy writes that much less, and the
products read each input row from the cache as the stack moves down one row at a time. Measured on
this project's machine (an AVX-512 Xeon, 2 cores; copy, forward and weight gradient of C1 at batch 64,
float64): 1.07 against 1.52 ms on two BLAS threads, 1.04 against 1.56 ms on one (float32: 0.44 against
0.76 ms); the whole layer's forward and backward pass, alternating rounds, float64 one thread C3 3.19
against 3.52 ms, H2 0.95 against 1.15 ms, two threads as fast (C3 2.56 against 2.60 ms, H2 1.00 against
1.00 ms). A layer reading several maps in float32 went by rows only once its weight gradient took the
transposed order: in the first order it was slower on two BLAS threads (C3 1.58 against 1.45 ms); with
it, whole layer against the column matrix, rounds alternating with numpy's three products as in ``make
bench``, C3 1.46 against 1.64 ms on two threads and 1.59 against 1.89 ms on one, H2 0.52 against 0.63 ms
and 0.52 against 0.61 ms.

The input gradient goes by rows too (:func:`rows_input_gradient`). Input pixel ``(c, y, x)`` receives
``W[o, c, u, v] g[o, i, j]`` from every output unit ``(o, i, j)`` whose field covers it, ``s*i + u = y + p``
and ``s*j + v = x + p``. For input row ``y`` the output rows that read it are consecutive, so their
gradients, laid out ``(OH, C_out, OW*N)``, are one matrix (a view), and one product sums over maps and
kernel rows at once: ``D[y, (c, v), (j, n)] = sum_(u, o) W[o, c, u, v] g[o, i, j, n]`` with ``i = (y + p -
u) / s``. The kernel columns remain: ``dE/dx[c, y, s*j + v - p, n] += D[y, (c, v), (j, n)]``, one sparse
product that adds ``D``'s numbers into the pixels (the col2im of :mod:`~annhist.cnn.im2col`, on ``D``). ``D``
has ``H / (KH * OH)`` of the column matrix's entries (C3: 0.28), so the product writes that much and the
sparse product adds that many numbers instead of every entry of ``W^T g``. Measured on this project's
machine, whole layers against the blocks of :mod:`annhist.cnn.fused`, in rounds alternating with numpy's
three products as in ``make bench`` (two runs, the layer's speed as a fraction of the products'): float64
on two threads C1 0.80 -> 0.82 and 0.76 -> 0.86, C3 0.64 -> 0.70 and 0.64 -> 0.68, H2 0.58 -> 0.61 and 0.57
-> 0.57; on one thread C1 1.21 -> 1.23, C3 1.00 -> 1.02, H2 0.85 -> 0.87; float32 on two threads C1 1.28
-> 1.49, C3 0.82 -> 0.82, H2 0.77 -> 0.80. A layer reading one map into narrow rows was slower this way
(H1, 5 x 512 numbers a row: 0.62 -> 0.51; a product with 5 rows keeps little of the BLAS busy), so a layer
makes its input gradient by rows only from ``GRADIENT_MIN`` numbers a row. The LeNet-5 training step is
as fast either way (its halves of 32 patterns run on one BLAS thread each: 7.8-8.2 ms in float64).

Reference: Cho, M., Brand, D. (2017). MEC: memory-efficient convolution for deep neural network.
Proceedings of the 34th International Conference on Machine Learning (ICML 2017); arXiv:1706.06873.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from annhist.cnn.im2col import csr_matvecs  # (csr_matvecs: None in another scipy)

__all__ = ["MIN_BYTES", "GRAM_MAPS", "GRADIENT_MIN", "takes_rows", "rows_shape", "lower_rows", "row_stack",
           "rows_weights", "rows_matmul", "rows_gram", "rows_to_cols", "gradient_by_rows", "rows_gradient_products",
           "rows_input_gradient"]


#: From this many bytes of column matrix on, a layer goes by rows; below it (one pattern of the 1989 net, as
#: chapter 09 trains it) the one product of the column matrix is faster.
MIN_BYTES = 1 << 18

#: The weight gradient takes each output row's product as ``L_i @ g_i^T`` rather than ``g_i @ L_i^T``, except
#: in float64 for a layer reading several maps into other than a multiple of this many output maps. Measured
#: on this project's machine (OpenBLAS 0.3.31, its SkylakeX kernels), whole layers in rounds alternating with
#: numpy's three products: in float32 the transposed order was faster for every layer (C3 1.20x as fast, C1
#: 1.03-1.06x, H1 1.02x, H2 1.20x on two threads); in float64 for C3's 16 maps (1.06x on two threads, 1.09x
#: on one; its per-row products alone 505 against 668 us), for the one-map C1 and H1 (1.01-1.02x and
#: 1.02-1.03x on two threads, 1.02x and 1.04x on one), slower for H2, 12 maps reading 12 (0.95-0.97x).
GRAM_MAPS = 16

#: A layer going by rows makes its input gradient by rows (:func:`rows_input_gradient`) when each input row's
#: part of it, ``C * KW * OW * N`` numbers, is at least this many (C1 at batch 64: 8,960, C3 19,200, H2
#: 15,360; H1, 2,560, keeps the blocks of :mod:`annhist.cnn.fused`).
GRADIENT_MIN = 1 << 13


def takes_rows(x_shape: tuple[int, ...], kh: int, stride: int, padding: int, cols_bytes: int) -> bool:
    """Whether a layer goes by rows for a batch of ``x_shape``: at least ``MIN_BYTES`` of column matrix and fewer
    padded input rows than the column matrix has blocks of rows (``H + 2p < KH * OH``)."""
    h = x_shape[2]
    if cols_bytes < MIN_BYTES:
        return False
    return h + 2 * padding < kh * ((h + 2 * padding - kh) // stride + 1)


def rows_shape(channels: int, height: int, width: int, kw: int, stride: int, padding: int,
               n: int) -> tuple[int, int, int]:
    """The shape ``(H + 2p, C * KW, OW * N)`` of :func:`lower_rows`'s array."""
    ow = (width + 2 * padding - kw) // stride + 1
    return height + 2 * padding, channels * kw, ow * n


def row_stack(rows: np.ndarray, kh: int, stride: int, oh: int) -> np.ndarray:
    """``(H_p, C*KW, OW*N)`` -> ``(OH, KH*C*KW, OW*N)``: output row ``i``'s inputs as a matrix, a view."""
    if not rows.flags.c_contiguous:            # KH blocks of rows are one matrix only in a C-contiguous array
        raise ValueError(f"The 'rows' parameter of row_stack must be C-contiguous (as lower_rows writes it). "
                         f"Got strides {rows.strides} for shape {rows.shape} instead.")
    hp, ckw, m = rows.shape
    if oh < 1 or stride * (oh - 1) + kh > hp:
        raise ValueError(f"row_stack: {oh} output rows of a {kh}-row kernel at stride {stride} read rows up to "
                         f"{stride * (oh - 1) + kh - 1}; the 'rows' parameter has {hp}.")
    it = rows.itemsize
    return _view(rows, (oh, kh * ckw, m), (stride * ckw * m * it, m * it, it))


def _view(base: np.ndarray, shape: tuple[int, ...], strides: tuple[int, ...]) -> np.ndarray:
    """A read-only strided view of the C-contiguous ``base``: ``np.ndarray`` on its buffer, which checks that the
    view stays inside it (0.4 us against ``as_strided``'s 3 us)."""
    view = np.ndarray(shape, base.dtype, base, 0, strides)
    view.flags.writeable = False
    return view


def lower_rows(x: np.ndarray, kh: int, kw: int, stride: int, padding: int, pad_value: float,
               out: np.ndarray | None = None, border: bool = False) -> np.ndarray:
    """The inputs of every output row, ``(N, C, H, W) -> (OH, KH*C*KW, OW*N)``, rows ordered ``(u, c, v)``.

    Entry ``[i, (u, c, v), (j, n)]`` is ``x[n, c, s*i + u - p, s*j + v - p]`` (the pad value outside the
    image): column ``(i, j, n)`` of :func:`~annhist.cnn.im2col.im2col_last`'s matrix, output row ``i`` at a
    time, its rows in the order ``(u, c, v)`` (the column matrix's ``(c, u, v)`` for one map). The result
    is a read-only view of ``out`` (shape :func:`rows_shape`), which holds each input row's ``KW`` shifted
    copies once. With padding, the image's pixels are copied straight into ``out``, one copy per kernel
    column, and the entries outside the image are set to ``pad_value``, unless ``border`` says that ``out``
    holds them already (a layer's own buffer, written by an earlier call with the same pad value). No
    padded copy of the input is made, and the padding is written once: for H2 of the 1989 net, a third of
    whose rows are padding, 105 -> 34 us a call (float64, batch 64).
    """
    n, c, h, w = x.shape
    oh = (h + 2 * padding - kh) // stride + 1
    shape = rows_shape(c, h, w, kw, stride, padding, n)
    ow = shape[2] // n
    if out is None:
        out = np.empty(shape, dtype=x.dtype)
    out5 = out.reshape(shape[0], c, kw, ow, n)                              # row r, map c, offset v, column j
    xb = np.ascontiguousarray(x.transpose(1, 2, 3, 0))                      # (C, H, W, N): free if batch-last
    if not padding:
        sc, sh, sw, sn = xb.strides
        np.copyto(out5, _view(xb, (shape[0], c, kw, ow, n), (sh, sc, sw, stride * sw, sn)))
        return row_stack(out, kh, stride, oh)
    xt = xb.transpose(1, 0, 2, 3)                                           # (H, C, W, N)
    if not border:
        out5[:padding] = out5[padding + h:] = pad_value                     # the pad rows
    for v in range(kw):                                                     # x_p[c, r, s*j + v, n], j in j0 .. j1
        j0, j1 = max(0, -((v - padding) // stride)), min(ow - 1, (w - 1 + padding - v) // stride)
        if not border:
            out5[padding:padding + h, :, v, :j0] = pad_value
            out5[padding:padding + h, :, v, max(j1 + 1, j0):] = pad_value
        if j1 >= j0:
            x0 = stride * j0 + v - padding
            np.copyto(out5[padding:padding + h, :, v, j0:j1 + 1], xt[:, :, x0:x0 + stride * (j1 - j0) + 1:stride])
    return row_stack(out, kh, stride, oh)


def rows_weights(W: np.ndarray) -> np.ndarray:
    """``W (C_out, C, KH, KW)`` as the ``(C_out, KH*C*KW)`` matrix whose columns follow the stack's rows."""
    return W.transpose(0, 2, 1, 3).reshape(W.shape[0], -1)                 # a view for one map, else a copy


def rows_matmul(W: np.ndarray, stack: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``out (C_out, OH*OW*N) = W (C_out, KH*C*KW) @ cols``, from :func:`lower_rows`'s stack: one row at a time."""
    oh, _, m = stack.shape
    np.matmul(W, stack, out=out.reshape(out.shape[0], oh, m).transpose(1, 0, 2))   # (OH, C_out, OW*N) views
    return out


def rows_gram(g: np.ndarray, stack: np.ndarray, kh: int, channels: int) -> np.ndarray:
    """``dE/dW (C_out, C, KH, KW)`` from ``g (C_out, OH*OW*N)``: the sum over each output row's positions, then
    over the rows. Each row's product is taken transposed, ``L_i @ g_i^T`` (the same sums, faster here), but
    in float64 with several input maps and other than a multiple of ``GRAM_MAPS`` output maps (see there)."""
    oh, _, m = stack.shape
    co = g.shape[0]
    per_row_g = g.reshape(co, oh, m).transpose(1, 0, 2)                       # (OH, C_out, OW*N) views
    if channels > 1 and co % GRAM_MAPS and np.result_type(g, stack) == np.float64:
        total = np.matmul(per_row_g, stack.transpose(0, 2, 1)).sum(axis=0)   # g_i @ L_i^T: (OH, C_out, K) summed
    else:
        total = np.matmul(stack, per_row_g.transpose(0, 2, 1)).sum(axis=0).T  # L_i @ g_i^T: (OH, K, C_out) summed
    return np.ascontiguousarray(total.reshape(co, kh, channels, -1).transpose(0, 2, 1, 3))


def rows_to_cols(stack: np.ndarray, kh: int, channels: int) -> np.ndarray:
    """The column matrix ``(C*KH*KW, OH*OW*N)`` of :func:`~annhist.cnn.im2col.im2col_last`, copied from the stack."""
    oh, k, m = stack.shape
    return np.ascontiguousarray(stack.reshape(oh, kh, channels, -1, m)                   # (OH, KH, C, KW, OW*N)
                                .transpose(2, 1, 3, 0, 4)).reshape(k, oh * m)


def gradient_by_rows(channels: int, kw: int, ow: int, n: int) -> bool:
    """Whether a layer going by rows makes its input gradient by rows: ``C * KW * OW * N >= GRADIENT_MIN``
    (and scipy's sparse routine is there)."""
    return csr_matvecs is not None and channels * kw * ow * n >= GRADIENT_MIN


@lru_cache(maxsize=32)
def _gradient_plan(channels: int, height: int, width: int, kh: int, kw: int, stride: int, padding: int,
                   oh: int, ow: int) -> tuple[tuple, tuple, np.ndarray, np.ndarray]:
    """The products and the sparse sum of :func:`rows_input_gradient` for one geometry.

    ``products``: ``(rho, t0, t1, m0, count)``, one stacked product each: the input rows ``y = s*m + rho - p``
    for ``m = m0 .. m0 + count - 1`` read the kernel rows ``u = rho + s*t`` for ``t`` in ``t1 - 1 .. t0`` (all
    inside the output). ``empty``: rows no output row reads. ``indptr, indices``: the pixels' CSR rows over
    ``D``'s rows ``(y, c, v, j)``, each pixel's entries in ascending order."""
    products, empty = [], []
    for y in sorted(range(height), key=lambda y: ((y + padding) % stride, y)):      # rows of one residue in a run
        rho, m = (y + padding) % stride, (y + padding) // stride
        t0, t1 = max(0, m - oh + 1), min(m + 1, (kh - rho + stride - 1) // stride)   # output row i = m - t
        if t0 >= t1:
            empty.append(y)
        elif products and products[-1][:3] == (rho, t0, t1) and products[-1][3] + products[-1][4] == m:
            products[-1][4] += 1
        else:
            products.append([rho, t0, t1, m, 1])
    y, c, v, j = np.meshgrid(np.arange(height), np.arange(channels), np.arange(kw), np.arange(ow), indexing="ij")
    x = (stride * j + v - padding).ravel()
    inside = (x >= 0) & (x < width)
    pixel = ((c * height + y).ravel() * width + x)[inside]
    order = np.argsort(pixel, kind="stable")
    indptr = np.concatenate([[0], np.cumsum(np.bincount(pixel, minlength=channels * height * width))])
    return (tuple(map(tuple, products)), tuple(empty), indptr.astype(np.intp),
            np.flatnonzero(inside)[order].astype(np.intp))


def rows_gradient_products(W: np.ndarray, g: np.ndarray, x_shape: tuple[int, int, int, int], stride: int,
                           padding: int, out: np.ndarray) -> np.ndarray:
    """The products of :func:`rows_input_gradient`: ``out[y, (c, v), (j, n)]``, input row ``y``'s sums over the
    maps and kernel rows, one product for each run of rows that read the same kernel rows; ``out`` has the
    shape ``(H, C*KW, OW*N)`` and is returned."""
    n, c, h, w = x_shape
    co, _, kh, kw = W.shape
    oh, ow = (h + 2 * padding - kh) // stride + 1, (w + 2 * padding - kw) // stride + 1
    products, empty, _, _ = _gradient_plan(c, h, w, kh, kw, stride, padding, oh, ow)
    m = ow * n
    gr = np.ascontiguousarray(g.reshape(co, oh, m).transpose(1, 0, 2))   # (OH, C_out, OW*N): output row i's g
    Wv = W.transpose(1, 3, 2, 0)                                          # (C, KW, KH, C_out)
    by_residue = {}                                                       # kernel rows rho + s*t, t descending
    it = gr.itemsize
    for rho, t0, t1, m0, count in products:
        if rho not in by_residue:
            by_residue[rho] = np.ascontiguousarray(Wv[:, :, rho::stride][:, :, ::-1]).reshape(c * kw, -1)
        T = (kh - rho + stride - 1) // stride
        Wr = by_residue[rho][:, (T - t1) * co:(T - t0) * co]             # t = t1 - 1 .. t0: i = m - t ascending
        i0 = m0 - t1 + 1                                                  # the first output row read
        view = np.ndarray((count, (t1 - t0) * co, m), gr.dtype, gr, i0 * co * m * it, (co * m * it, m * it, it))
        y0 = stride * m0 + rho - padding
        np.matmul(Wr, view, out=out[y0:y0 + stride * (count - 1) + 1:stride])
    out[list(empty)] = 0
    return out


def rows_input_gradient(W: np.ndarray, g: np.ndarray, x_shape: tuple[int, int, int, int], stride: int,
                        padding: int, out: np.ndarray) -> np.ndarray:
    """``dE/dx (N, C, H, W)`` from ``W (C_out, C, KH, KW)`` and ``g (C_out, OH*OW*N)`` batch-last, by input
    rows (module docstring): the products of :func:`rows_gradient_products` into ``out`` (scratch of shape
    ``(H, C*KW, OW*N)``), then one sparse sum over the kernel columns."""
    n, c, h, w = x_shape
    kh, kw = W.shape[2:]
    oh, ow = (h + 2 * padding - kh) // stride + 1, (w + 2 * padding - kw) // stride + 1
    _, _, indptr, indices = _gradient_plan(c, h, w, kh, kw, stride, padding, oh, ow)
    rows_gradient_products(W, g, x_shape, stride, padding, out)
    dx = np.zeros((c * h * w, n), out.dtype)
    csr_matvecs(dx.shape[0], out.size // n, n, indptr, indices, np.ones(indices.size, out.dtype), out.ravel(),
                dx.ravel())                                               # dx += S D, pixel by pixel
    return dx.reshape(c, h, w, n).transpose(3, 0, 1, 2)
