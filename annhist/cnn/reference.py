"""The textbook formula of a convolution layer and its gradients, one kernel offset at a time.

What the tests hold :class:`~annhist.cnn.conv.Conv2d` to: the sum as LeCun et al. (1989, section
5.1) write it, with no column matrix, no blocks and no sparse product, so that a fast path can be
compared with something too plain to be wrong.
"""

from __future__ import annotations

import numpy as np

__all__ = ["conv2d_reference", "conv2d_reference_grads"]


def conv2d_reference(x: np.ndarray, W: np.ndarray, b: np.ndarray | None = None, stride: int = 1, padding: int = 0,
                     pad_value: float = 0.0) -> np.ndarray:
    """The textbook formula, one kernel offset at a time: what the tests hold :class:`~annhist.cnn.conv.Conv2d` to.

    ``a[n, o, i, j] = sum_{c, u, v} W[o, c, u, v] x_p[n, c, s*i + u, s*j + v] + b``, with ``x_p``
    the input padded by ``p`` pixels of ``pad_value`` (LeCun et al. 1989, section 5.1).
    """
    n, _, h, w = x.shape
    co, _, kh, kw = W.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)), constant_values=pad_value)
    oh, ow = (h + 2 * padding - kh) // stride + 1, (w + 2 * padding - kw) // stride + 1
    a = np.zeros((n, co, oh, ow), dtype=np.result_type(x, W))
    for u in range(kh):
        for v in range(kw):                        # every unit's input at kernel offset (u, v)
            a += np.einsum("oc,ncij->noij", W[:, :, u, v], xp[:, :, u:u + stride * oh:stride, v:v + stride * ow:stride])
    return a if b is None else a + (b if b.ndim == 3 else b[:, None, None])


def conv2d_reference_grads(x: np.ndarray, W: np.ndarray, g: np.ndarray, stride: int = 1, padding: int = 0,
                           pad_value: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """``(dE/dx, dE/dW)`` of :func:`conv2d_reference` for ``g = dE/da``, by the chain rule term by term."""
    h, w = x.shape[2:]
    kh, kw = W.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)), constant_values=pad_value)
    oh, ow = g.shape[2:]
    dxp, dW = np.zeros_like(xp), np.zeros_like(W)
    for u in range(kh):
        for v in range(kw):
            window = (slice(None), slice(None), slice(u, u + stride * oh, stride), slice(v, v + stride * ow, stride))
            dW[:, :, u, v] = np.einsum("noij,ncij->oc", g, xp[window])   # shared weight: summed over positions
            dxp[window] += np.einsum("oc,noij->ncij", W[:, :, u, v], g)
    return dxp[:, :, padding:padding + h, padding:padding + w], dW
