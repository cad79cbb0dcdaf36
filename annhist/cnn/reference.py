"""The textbook formula of a convolution layer and its gradients, one kernel offset at a time.

What the tests hold :class:`~annhist.cnn.conv.Conv2d` to: the sum as LeCun et al. (1989, section
5.1) write it, with no column matrix, no blocks and no sparse product, so that a fast path can be
compared with something too plain to be wrong.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from annhist.validation import as_real_array, check_scalar

__all__ = ["conv2d_reference", "conv2d_reference_grads"]


def _check(x: Any, W: Any, stride: Any, padding: Any, pad_value: Any, owner: str
           ) -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
    """``x (N, C, H, W)`` and ``W (C_out, C, KH, KW)`` as float arrays, the geometry checked; returns them and
    ``(OH, OW)``. A bad argument is a ``TypeError`` or ``ValueError`` naming it."""
    x, W = as_real_array(x, "x", owner=owner, floating=True), as_real_array(W, "W", owner=owner, floating=True)
    for name, a in (("x", x), ("W", W)):
        if a.ndim != 4 or a.size == 0 or not np.all(np.isfinite(a)):
            raise ValueError(f"The '{name}' parameter of {owner} must be a finite 4-D array with no empty axis. "
                             f"Got shape {a.shape} instead.")
    check_scalar(stride, "stride", owner=owner, kind=numbers.Integral, min_val=1)
    check_scalar(padding, "padding", owner=owner, kind=numbers.Integral, min_val=0)
    check_scalar(pad_value, "pad_value", owner=owner)
    h, w = x.shape[2] + 2 * padding, x.shape[3] + 2 * padding
    if W.shape[1] != x.shape[1] or W.shape[2] > h or W.shape[3] > w:
        raise ValueError(f"The 'W' parameter of {owner} must have shape (C_out, {x.shape[1]}, <= {h}, <= {w}) for "
                         f"'x' of shape {x.shape} padded by {padding}. Got {W.shape} instead.")
    return x, W, ((h - W.shape[2]) // stride + 1, (w - W.shape[3]) // stride + 1)


def conv2d_reference(x: np.ndarray, W: np.ndarray, b: np.ndarray | None = None, stride: int = 1, padding: int = 0,
                     pad_value: float = 0.0) -> np.ndarray:
    """The textbook formula, one kernel offset at a time: what the tests hold :class:`~annhist.cnn.conv.Conv2d` to.

    ``a[n, o, i, j] = sum_{c, u, v} W[o, c, u, v] x_p[n, c, s*i + u, s*j + v] + b``, with ``x_p``
    the input padded by ``p`` pixels of ``pad_value`` (LeCun et al. 1989, section 5.1).
    """
    x, W, (oh, ow) = _check(x, W, stride, padding, pad_value, "conv2d_reference")
    n, (co, _, kh, kw) = x.shape[0], W.shape
    if b is not None:
        b = as_real_array(b, "b", owner="conv2d_reference")
        if b.shape not in ((co,), (co, oh, ow)):
            raise ValueError(f"The 'b' parameter of conv2d_reference must have shape ({co},) or ({co}, {oh}, {ow}). "
                             f"Got {b.shape} instead.")
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)), constant_values=pad_value)
    a = np.zeros((n, co, oh, ow), dtype=np.result_type(x, W))
    for u in range(kh):
        for v in range(kw):                        # every unit's input at kernel offset (u, v)
            a += np.einsum("oc,ncij->noij", W[:, :, u, v], xp[:, :, u:u + stride * oh:stride, v:v + stride * ow:stride])
    return a if b is None else a + (b if b.ndim == 3 else b[:, None, None])


def conv2d_reference_grads(x: np.ndarray, W: np.ndarray, g: np.ndarray, stride: int = 1, padding: int = 0,
                           pad_value: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """``(dE/dx, dE/dW)`` of :func:`conv2d_reference` for ``g = dE/da``, by the chain rule term by term."""
    x, W, (oh, ow) = _check(x, W, stride, padding, pad_value, "conv2d_reference_grads")
    g = as_real_array(g, "g", owner="conv2d_reference_grads", floating=True)
    if g.shape != (x.shape[0], W.shape[0], oh, ow):
        raise ValueError(f"The 'g' parameter of conv2d_reference_grads must have the output's shape "
                         f"{(x.shape[0], W.shape[0], oh, ow)}. Got {g.shape} instead.")
    h, w = x.shape[2:]
    kh, kw = W.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)), constant_values=pad_value)
    dxp, dW = np.zeros_like(xp), np.zeros_like(W)
    for u in range(kh):
        for v in range(kw):
            window = (slice(None), slice(None), slice(u, u + stride * oh, stride), slice(v, v + stride * ow, stride))
            dW[:, :, u, v] = np.einsum("noij,ncij->oc", g, xp[window])   # shared weight: summed over positions
            dxp[window] += np.einsum("oc,noij->ncij", W[:, :, u, v], g)
    return dxp[:, :, padding:padding + h, padding:padding + w], dW
