"""A convolution layer's input gradient, ``dE/dx = col2im(W^T g)``, made a block of positions at a time.

:meth:`Conv2d.backward <annhist.cnn.conv.Conv2d.backward>` computes ``dcols = W^T g``, shape
``(K, P*N)`` -- as large as the column matrix: 10 MB for LeNet-5's C1 at batch 64 in float64 --
and its col2im, one sparse product that reads it back (:func:`~annhist.cnn.im2col.col2im_last`).
Written out and read back, those megabytes pass through the processor's caches between the
layer's other large arrays. :func:`input_gradient` makes ``dcols`` for ``B`` positions at a time
(``K*B*N`` entries, about ``BLOCK_ENTRIES``) and adds them into the pixels at once, while they are in
the cache, with the part of :func:`~annhist.cnn.im2col.scatter_matrix` those positions use.
Measured on this project's machine (C1, float64, one thread): alone, the two steps took 1.39 ms
and the blocks 1.22 ms; in the benchmark's forward and backward pass (``make bench``), where the
layer's other arrays pass through the caches too, the layer's speed against numpy's three plain
GEMMs went from 0.69x to 1.12x (C3: 0.70x to 0.82x; float32 C1 on two threads: 0.72x to 0.99x).

The same numbers:

* every entry of a block is the dot product it is in the whole product (a column of ``W^T g``
  depends on no other column). With at least two images and two kernel entries, a block is a
  matrix product as the whole is, not a matrix-vector one. The BLAS may still round a product
  of another shape differently in the last bit: on an AMD EPYC (OpenBLAS 0.3.31, its Haswell
  kernels) about one entry in ten of a float32 product made a block of columns at a time
  differed so from the whole product, and in float64 some did at some block widths. The tests
  compare the products with the whole one to rounding, and the additions below bit for bit;
* the sparse product adds each pixel's entries into the pixel one by one, in the order of the
  scatter matrix's columns (kernel offset first, then position). Here the blocks are taken from
  the last positions to the first, and in a convolution a pixel's entry for a later kernel offset
  comes from an earlier position, so each pixel still gets its entries in that order. This is
  checked for each geometry when its blocks are made (``_blocks``); where it does not hold,
  or the arrays are small (the per-pattern training of chapter 09), the layer keeps the two steps.

The additions into the pixels use scipy's compiled routine for ``Y += A X`` with a sparse ``A``
(``scipy.sparse._sparsetools.csr_matvecs``, which ``A @ X`` itself calls): the public product
returns a new array, and adding the blocks' results afterwards would round in another order.
Without that routine the layer keeps the two steps. The blocks are made on one thread (their
products are too small for OpenBLAS to share); even on two BLAS threads, where the two steps'
whole product runs on both, the layer's forward and backward pass was as fast or faster with
the blocks (rounds of the two interleaved, batch 64: C1 1.45x faster in float64, 1.21x in
float32; C3 1.07x / 1.02x; H2 0.98x / 1.32x; on one thread 1.10-1.38x). Splitting the batch in
two halves on two threads was slower (C1, float64: 1.84 ms against 1.02 ms for the two steps),
the halves of ``g`` being strided.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from annhist.cnn.blocked import wide_matmul
from annhist.cnn.im2col import col2im_last, csr_matvecs, gather_index  # (csr_matvecs: None in another scipy)

__all__ = ["BLOCK_ENTRIES", "MIN_BYTES", "input_gradient"]

BLOCK_ENTRIES = 1 << 16   # a block of dcols, 64K numbers (512 KiB in float64, 256 KiB in float32), in a core's L2
                          # cache with its part of g. Whole layers, rounds alternating with numpy's three products:
                          # float64 1.03-1.06x as fast as with 256 KiB (1 MiB: 0.87-0.98x), float32 0.84-1.0x with
                          # 512 KiB (C1 1.08x): the best block held about 64K numbers in either dtype
MIN_BYTES = 1 << 18       # a smaller dcols (256 KiB) stays in cache anyway: two steps. (1 MiB before: LeCun 1989
                          # H1 at batch 64, 800 KB, then took two steps, 0.61-0.63x of its GEMMs in float64 on
                          # one thread against 0.66-0.67x by blocks, alternating make bench -k H1 runs)


@lru_cache(maxsize=32)
def _blocks(channels: int, height: int, width: int, kh: int, kw: int, stride: int, padding: int, per_block: int,
            dtype: str) -> tuple[tuple[int, int, np.ndarray, np.ndarray, np.ndarray], ...] | None:
    """The scatter matrix's columns of each block of ``per_block`` positions, last block first, as CSR
    arrays ``(p0, p1, indptr, indices, data)`` over the block's ``(k, p)`` columns; None when
    taking them in this order would change the order of a pixel's additions."""
    idx = gather_index(channels, height, width, kh, kw, stride, padding)         # (K, P): pixel or pad slot
    k, p = idx.shape
    size = channels * height * width
    out, order = [], []
    for p0 in range(((p - 1) // per_block) * per_block, -1, -per_block):       # the last block first
        p1 = min(p, p0 + per_block)
        sub = idx[:, p0:p1].ravel()                                              # columns (k, p) of the block
        inside = np.flatnonzero(sub < size)
        order.append((sub[inside], (inside // (p1 - p0)) * p + p0 + inside % (p1 - p0)))   # pixel, global column
        counts = np.bincount(sub[inside], minlength=size)
        indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.intp)
        rank = np.argsort(sub[inside], kind="stable")                            # by pixel, columns ascending
        out.append((p0, p1, indptr, inside[rank].astype(np.intp), np.ones(inside.size, dtype)))
    pixel = np.concatenate([o[0] for o in order])
    column = np.concatenate([o[1] for o in order])
    by_pixel = np.argsort(pixel, kind="stable")                                  # each pixel's visits, in order
    same = pixel[by_pixel][1:] == pixel[by_pixel][:-1]
    if np.any(np.diff(column[by_pixel])[same] <= 0):
        return None
    return tuple(out)


def input_gradient(Wt: np.ndarray, g: np.ndarray, x_shape: tuple[int, int, int, int], kh: int, kw: int,
                   stride: int, padding: int, dcols: np.ndarray) -> np.ndarray:
    """``col2im_last(Wt @ g, x_shape, ...)``, the same additions in the same order: ``Wt (K, C_out)``,
    ``g (C_out, P*N)`` batch-last; ``dcols`` a ``(K, P*N)`` scratch array for the two-step path.
    Returns ``(N, C, H, W)``."""
    n, c, h, w = x_shape
    k, m = Wt.shape[0], g.shape[1]
    dtype = np.result_type(Wt, g)
    per_block = max(1, BLOCK_ENTRIES // (k * n))
    blocks = None
    if csr_matvecs is not None and dtype.kind == "f" and k * m * dtype.itemsize >= MIN_BYTES and m // n >= 2 \
            and min(n, k) >= 2:
        blocks = _blocks(c, h, w, kh, kw, stride, padding, per_block, dtype.name)
    if blocks is None:
        return col2im_last(wide_matmul(Wt, g, dcols), x_shape, kh, kw, stride, padding)
    size = c * h * w
    g3 = g.reshape(g.shape[0], -1, n)                                   # (C_out, P, N): a view
    dx = np.zeros((size, n), dtype)
    buf = np.empty(k * per_block * n, dtype)
    for p0, p1, indptr, indices, data in blocks:
        part = buf[:k * (p1 - p0) * n].reshape(k, -1)                   # (K, B*N), contiguous
        np.matmul(Wt, g3[:, p0:p1].reshape(g.shape[0], -1), out=part)  # this block's columns of W^T g
        csr_matvecs(size, k * (p1 - p0), n, indptr, indices, data, part.ravel(), dx.ravel())   # dx += S_b part
    return dx.reshape(c, h, w, n).transpose(3, 0, 1, 2)
