"""The three matrix products of a convolution layer, cut into blocks of columns.

A convolution layer's products are *wide*: ``W (C_out, K) @ cols (K, M)`` with ``M`` the
number of positions times the batch (LeNet-5's C1 at batch 64: ``6 x 25 @ 25 x 50,176``).
numpy hands such a product to its BLAS (OpenBLAS) as one call, and OpenBLAS is slow at it
when ``C_out`` and ``K`` are small: measured on this project's machine (one thread, float32),
C1's forward product took 0.67 ms as one call and 0.22 ms as 98 calls of 512 columns, its
weight gradient ``g @ cols^T`` 1.05 ms against 0.19 ms. The blocks are one batched
``np.matmul`` (a stack of views: nothing is copied), so the blocking costs one Python call;
blocks this small run on one BLAS thread, so with two BLAS threads and at least ``2 * MIN_SPLIT``
blocks (C1 from a batch of about 84) the stack is cut in two halves computed on two threads
(``annhist.threads.split_run``).

Only the order of a sum changes, never the arithmetic: a forward or input-gradient block
computes whole columns, each with all of its ``K`` terms, and the weight gradient adds the
blocks' partial sums (for the weight gradient that is another rounding of the same sum).
Products with fewer than ``MIN_BLOCKS`` whole blocks of columns, or ``C_out * K`` above ``MAX_SMALL``, are one call.
"""

from __future__ import annotations

import numpy as np

from annhist.threads import split_run

__all__ = ["BLOCK", "blocked", "wide_matmul", "wide_gram"]

BLOCK = 512          # columns per block: 256-1024 measured alike; 512 keeps a block of K = 150 rows in L2
MIN_BLOCKS = 4       # fewer blocks than this: one call
MAX_SMALL = 1024     # C_out * K above this (e.g. LeNet-5's C5, 120 x 400): one call is as fast
MIN_SPLIT = 64       # blocks per thread, at least, before the blocks are shared by two threads
                     # (16 split C1 at batch 64, and the step was slower: see annhist.threads)


def blocked(small: int, m: int) -> int:
    """How many whole blocks to cut ``m`` columns into (0: do not block)."""
    blocks = m // BLOCK
    return blocks if small <= MAX_SMALL and blocks >= MIN_BLOCKS else 0


def _stack(a: np.ndarray, blocks: int) -> np.ndarray:
    """(R, M) -> (blocks, R, BLOCK): the first ``blocks * BLOCK`` columns as a stack of views."""
    return a[:, :blocks * BLOCK].reshape(a.shape[0], blocks, BLOCK).transpose(1, 0, 2)


def wide_matmul(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``out[...] = a @ b`` for ``a (R, K)``, ``b (K, M)``, ``out (R, M)``, by blocks of columns."""
    blocks = blocked(a.shape[0] * a.shape[1], b.shape[1])
    if not blocks:
        return np.matmul(a, b, out=out)
    sb, so = _stack(b, blocks), _stack(out, blocks)
    split_run(lambda lo, hi: np.matmul(a, sb[lo:hi], out=so[lo:hi]), blocks, MIN_SPLIT)
    head = blocks * BLOCK
    if head < b.shape[1]:
        np.matmul(a, b[:, head:], out=out[:, head:])           # the last, partial block
    return out


def wide_gram(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``x @ y.T`` for ``x (P, M)``, ``y (Q, M)`` (a weight gradient: a sum over ``M``), by blocks.

    Unblocked, it is the transpose of ``y @ x.T``, the order in which OpenBLAS was faster in
    float32 (0.43 against 0.75 ms for C3's ``g @ cols^T``, one thread) and for short sums.
    """
    blocks = blocked(x.shape[0] * y.shape[0], x.shape[1])
    if not blocks:
        if x.dtype == np.float64 and x.shape[1] >= MIN_BLOCKS * BLOCK:
            return x @ y.T                 # long float64 sums (C3): this order was faster (1.03 against 1.22 ms)
        return (y @ x.T).T
    head = blocks * BLOCK
    sy, sx = _stack(y, blocks), _stack(x, blocks).transpose(0, 2, 1)
    partial = np.empty((blocks, y.shape[0], x.shape[0]), np.result_type(x, y))       # (blocks, Q, P)
    split_run(lambda lo, hi: np.matmul(sy[lo:hi], sx[lo:hi], out=partial[lo:hi]), blocks, MIN_SPLIT)
    total = partial.sum(axis=0)
    if head < x.shape[1]:
        total += y[:, head:] @ x[:, head:].T
    return total.T
