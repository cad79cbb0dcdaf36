"""A large mini-batch trained as two halves, on two cores when there are two.

A LeNet-5 training step at batch 64 is many small products and element-wise passes: on a two-thread
BLAS each product is too small to keep both cores busy, and numpy's element-wise functions use one.
So the batch is cut in two: each half goes forward and backward through its own copy of the layers
(:meth:`annhist.layers.Layer.shard_copy`: the very same weight arrays, its own caches and
gradients), the loss and its gradient are computed on the whole batch's output, and each weight's
gradient is the first half's plus the second's -- the same sum over the patterns as one batch's, added
in another order (so it agrees with the one-batch gradient to rounding, not bit for bit).
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from annhist.layers import Layer
from annhist.threads import blas_limited, blas_threads, run_pair

__all__ = ["SHARD_MIN", "shard_min", "twins_of", "halves_step"]

#: The halves run at once on two threads, each with a one-thread BLAS, when numpy's BLAS has two or
#: more threads, and one after the other otherwise: the same numbers either way, only the time changes.
#: A half needs SHARD_MIN patterns in float64 and twice as many in float32 (the same bytes: float32
#: work is twice as fast, the Python between the numpy calls is not). Measured on two cores (an
#: AVX-512 Xeon, 2026-12-04), a LeNet-5 step as two halves against one batch on a two-thread BLAS:
#: float64 batch 128 13.8 against 21.5 ms, batch 64 7.9 against 10.7 ms, batch 32 5.1 against 4.7 ms
#: (so not split); float32 batch 128 7.2 against 9.5 ms, batch 64 5.1 against 4.6 ms (not split).
SHARD_MIN = 32


def shard_min(dtype: Any) -> int:
    """The fewest patterns per half for a mini-batch of ``dtype`` to be split (see ``SHARD_MIN``)."""
    return SHARD_MIN * 8 // np.dtype(dtype).itemsize


def twins_of(layers: Sequence[Layer]) -> list[Layer] | None:
    """Copies of ``layers`` for the second half of a batch, or None when one of them may not be
    copied (``shardable`` False: e.g. Dropout, whose two copies would draw from one generator in an
    order the threads decide)."""
    if not all(getattr(layer, "shardable", False) for layer in layers):
        return None
    return [layer.shard_copy() for layer in layers]


def halves_step(layers: Sequence[Layer], twins: Sequence[Layer], x: np.ndarray,
                loss: Callable[[np.ndarray], tuple[float, np.ndarray]]) -> float:
    """Forward and backward of the batch ``x`` as two halves (``layers`` the first, ``twins`` the
    second); ``loss(output)`` gives the loss value and dE/d(output) for the whole batch. Afterwards
    ``layers[i].grads`` hold the whole batch's gradients; returns the loss value."""
    h, parallel = x.shape[0] // 2, blas_threads() >= 2
    with blas_limited(1):                           # each half's products on its own core
        out = np.concatenate(run_pair(_forward, (layers, x[:h]), (twins, x[h:]), parallel))
        value, g = loss(out)
        run_pair(_backward, (layers, g[:h]), (twins, g[h:]), parallel)
    for layer, twin in zip(layers, twins):
        for k in layer.params:
            layer.grads[k] = layer.grads[k] + twin.grads[k]      # first half + second half
    return value


def _forward(layers: Sequence[Layer], x: np.ndarray) -> np.ndarray:
    for layer in layers:
        x = layer.forward(x, True)
    return x


def _backward(layers: Sequence[Layer], grad: np.ndarray) -> Any:
    for layer in reversed(layers):
        grad = layer.backward(grad)
    return grad
