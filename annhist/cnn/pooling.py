"""Pooling, LeNet's trainable subsampling, and Flatten.

Pooling layers treat every feature map on its own: the channels are folded into the batch
(``(N, C, H, W) -> (N*C, 1, H, W)``) and :func:`~annhist.cnn.im2col.im2col` lays out each
window as a column, so one reduction over the window axis does the work, and
:func:`~annhist.cnn.im2col.col2im` sends the gradient back.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from annhist.cnn.conv import check_input_shape
from annhist.cnn.im2col import col2im, conv_output_size, im2col
from annhist.initializers import initialize
from annhist.layers import MAX_WEIGHTS, Layer, check_batch
from annhist.validation import check_random_state, check_scalar

__all__ = ["MaxPool2d", "AvgPool2d", "Subsampling", "Flatten"]


class _Pool(Layer):
    """Shared machinery: square windows of ``kernel_size`` every ``stride`` pixels, no padding."""

    has_units = True
    shardable = True
    bias_lines = 0       # connections from a bias unit, per output unit

    def __init__(self, kernel_size: int = 2, stride: int | None = None) -> None:
        super().__init__()
        owner = type(self).__name__
        self.kernel_size = int(check_scalar(kernel_size, "kernel_size", owner=owner, kind=numbers.Integral,
                                            min_val=1))
        self.stride = self.kernel_size if stride is None else \
            int(check_scalar(stride, "stride", owner=owner, kind=numbers.Integral, min_val=1))
        self._x_shape: tuple[int, ...] | None = None
        self._shapes: dict[tuple[int, ...], tuple[int, int, int]] = {}

    def output_shape(self, input_shape: tuple[int, int, int]) -> tuple[int, int, int]:
        """``(C, H, W) -> (C, OH, OW)`` with ``OH = floor((H - k) / stride) + 1`` (cached per shape)."""
        input_shape = tuple(input_shape)
        if len(input_shape) != 3:
            raise ValueError(f"{type(self).__name__} expects input of shape (N, C, H, W). "
                             f"Got (N, {', '.join(map(str, input_shape))}) instead.")
        if input_shape not in self._shapes:
            c, h, w = input_shape
            owner = type(self).__name__
            k, s = self.kernel_size, self.stride
            self._shapes[input_shape] = (c, conv_output_size(h, k, s, 0, owner=owner, name="input height"),
                                         conv_output_size(w, k, s, 0, owner=owner, name="input width"))
        return self._shapes[input_shape]

    def count_connections(self, input_shape: tuple[int, int, int]) -> int:
        """Every output unit reads its ``k*k`` window (plus a bias line for :class:`Subsampling`)."""
        c, oh, ow = self.output_shape(input_shape)
        return c * oh * ow * (self.kernel_size ** 2 + self.bias_lines)

    def _windows(self, x: np.ndarray) -> np.ndarray:
        """(N, C, H, W) -> (N*C, k*k, OH*OW): one column per window, channels folded into the batch."""
        check_input_shape(x, (None, None, None), type(self).__name__)
        n, c, h, w = x.shape
        self.output_shape((c, h, w))
        k = self.kernel_size
        return im2col(x.reshape(n * c, 1, h, w), k, k, self.stride, 0)   # (N, C, H, W) -> (N*C, 1, H, W)

    def _unwindow(self, dcols: np.ndarray) -> np.ndarray:
        """(N*C, k*k, OH*OW) -> (N, C, H, W): the adjoint of :meth:`_windows`."""
        n, c, h, w = self._x_shape
        k = self.kernel_size
        return col2im(dcols, (n * c, 1, h, w), k, k, self.stride, 0).reshape(n, c, h, w)

    def _block_sum(self, x: np.ndarray) -> np.ndarray:
        """Sums over non-overlapping windows (stride == kernel): ``(N, C, H, W) -> (N, C, OH, OW)``.

        One strided view per window offset ``(u, v)``: ``k*k`` whole-array additions, no copy
        of the windows; rows and columns past the last whole window are ignored. The sums keep
        the memory layout of ``x`` (batch-last after a :class:`~annhist.cnn.conv.Conv2d`), so the
        additions run over contiguous runs of patterns.
        """
        c, h, w = x.shape[1:]
        _, oh, ow = self.output_shape((c, h, w))
        k = self.kernel_size
        s = x[:, :, 0:oh * k:k, 0:ow * k:k].copy(order="K")
        for u in range(k):
            for v in range(k):
                if u or v:
                    s += x[:, :, u:oh * k:k, v:ow * k:k]                  # pixel (k*i + u, k*j + v) of window (i, j)
        return s

    def _unblock(self, g: np.ndarray) -> np.ndarray:
        """Adjoint of :meth:`_block_sum` for a per-window gradient ``g`` of shape (N, C, OH, OW).

        Each window's value is copied onto its ``k*k`` pixels, in the memory layout of ``g``.
        """
        c, h, w = self._x_shape[1:]
        _, oh, ow = self.output_shape((c, h, w))
        k = self.kernel_size
        whole = (oh * k, ow * k) == (h, w)
        dx = np.empty_like(g, shape=self._x_shape) if whole else np.zeros_like(g, shape=self._x_shape)
        for u in range(k):
            for v in range(k):
                dx[:, :, u:oh * k:k, v:ow * k:k] = g                       # pixel (k*i + u, k*j + v) gets g[i, j]
        return dx

    def _check_grad(self, grad_out: Any) -> None:
        """Refuse a ``grad_out`` of another shape than the last forward's output (N, C, OH, OW)."""
        n, c, h, w = self._x_shape
        check_batch(grad_out, f"{type(self).__name__}.backward", "grad_out", (n, *self.output_shape((c, h, w))))

    def _out(self, v: np.ndarray) -> np.ndarray:
        n, c, h, w = self._x_shape
        _, oh, ow = self.output_shape((c, h, w))
        return v.reshape(n, c, oh, ow)                                   # (N*C, OH*OW) -> (N, C, OH, OW)


class MaxPool2d(_Pool):
    """Max pooling: each unit outputs the largest input of its window (no parameters).

    Not in LeNet-5 (which subsamples by averaging); it became the usual choice later.
    Backward routes each output's gradient to the input that won its window (the first one
    on a tie).
    """

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        cols = self._windows(x)                                          # (N*C, k*k, P)
        self._x_shape = x.shape
        arg = np.argmax(cols, axis=1)                                    # (N*C, P)
        if training:
            self._arg = arg
        return self._out(np.take_along_axis(cols, arg[:, None, :], axis=1)[:, 0, :])

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        if self._x_shape is None:
            raise RuntimeError("MaxPool2d.backward called before forward.")
        self._check_grad(grad_out)
        n, c = self._x_shape[:2]
        k2 = self.kernel_size ** 2
        g = grad_out.reshape(n * c, 1, -1)                               # (N, C, OH, OW) -> (N*C, 1, P)
        dcols = np.zeros((n * c, k2, g.shape[2]), dtype=grad_out.dtype)
        np.put_along_axis(dcols, self._arg[:, None, :], g, axis=1)       # the winner takes the gradient
        return self._unwindow(dcols)


class AvgPool2d(_Pool):
    """Average pooling: each unit outputs the mean of its window (no parameters)."""

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        if self.stride == self.kernel_size:                               # non-overlapping: a reshape suffices
            check_input_shape(x, (None, None, None), "AvgPool2d")
            self._x_shape = x.shape
            return self._block_sum(x) / self.kernel_size ** 2             # (N, C, H, W) -> (N, C, OH, OW)
        cols = self._windows(x)
        self._x_shape = x.shape
        return self._out(cols.mean(axis=1))                              # (N*C, k*k, P) -> (N*C, P)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        if self._x_shape is None:
            raise RuntimeError("AvgPool2d.backward called before forward.")
        self._check_grad(grad_out)
        k2 = self.kernel_size ** 2
        if self.stride == self.kernel_size:
            return self._unblock(grad_out / k2)                           # each input gets 1/(k*k) of the gradient
        n, c = self._x_shape[:2]
        g = grad_out.reshape(n * c, 1, -1) / k2                          # (N, C, OH, OW) -> (N*C, 1, P)
        return self._unwindow(np.broadcast_to(g, (n * c, k2, g.shape[2])))


class Subsampling(_Pool):
    """LeNet-5's subsampling layer: ``a[c] = coef[c] * (sum of a k x k window of x[c]) + b[c]``.

    LeCun et al. (1998), section II.B, layer S2: "The four inputs to a unit in S2 are added,
    then multiplied by a trainable coefficient, and added to a trainable bias"; the squashing
    function follows as a separate :class:`annhist.layers.ActivationLayer`. Windows do not
    overlap (``stride = kernel_size``). Two parameters per map: S2 has 6 x 2 = 12.

    Parameters
    ----------
    channels : int
        Number of feature maps (each gets its own coefficient and bias); at most ``MAX_WEIGHTS``.
    kernel_size : int, default 2
    init : default "lecun"
        The coefficients are drawn like weights of fan-in ``k*k`` (uniform +-2.4/4 for
        ``"lecun"``); the biases start at zero.
    random_state : None, int or numpy.random.Generator

    Notes
    -----
    With ``s`` the window sums: ``dE/dcoef[c] = sum g[c] s[c]``, ``dE/db[c] = sum g[c]`` and
    ``dE/dx`` spreads ``coef[c] g[c]`` over each window.
    """

    bias_lines = 1

    def __init__(self, channels: int, kernel_size: int = 2, *, init: Any = "lecun",
                 random_state: Any = None) -> None:
        super().__init__(kernel_size, None)
        self.channels = int(check_scalar(channels, "channels", owner="Subsampling", kind=numbers.Integral,
                                         min_val=1, max_val=MAX_WEIGHTS))        # 2 parameters a map
        rng = check_random_state(random_state, owner="Subsampling")
        k2 = self.kernel_size ** 2
        self.params["coef"] = initialize(init, rng, (self.channels,), k2, 1, owner="Subsampling")
        self.params["b"] = np.zeros(self.channels)

    def output_shape(self, input_shape: tuple[int, int, int]) -> tuple[int, int, int]:
        if len(input_shape) != 3 or input_shape[0] != self.channels:
            raise ValueError(f"Subsampling expects input of shape (N, {self.channels}, H, W). "
                             f"Got (N, {', '.join(map(str, input_shape))}) instead.")
        return super().output_shape(input_shape)

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        check_input_shape(x, (self.channels, None, None), "Subsampling")
        s = self._block_sum(x)                                            # (N, C, H, W) -> (N, C, OH, OW) window sums
        self._x_shape = x.shape
        if training:
            self._s = s
        return s * self.params["coef"][:, None, None] + self.params["b"][:, None, None]   # a = coef * sum + b

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        if self._x_shape is None:
            raise RuntimeError("Subsampling.backward called before forward.")
        self._check_grad(grad_out)
        g = grad_out
        self.grads["coef"] = np.einsum("nchw,nchw->c", g, self._s)        # dE/dcoef = sum g * s
        self.grads["b"] = g.sum(axis=(0, 2, 3))                           # dE/db = sum g
        return self._unblock(g * self.params["coef"][:, None, None])     # every input of a window: coef * g


class Flatten(Layer):
    """``(N, C, H, W) -> (N, C*H*W)``: the maps laid end to end for a fully connected layer."""

    has_units = False
    shardable = True

    def __init__(self) -> None:
        super().__init__()
        self._shape: tuple[int, ...] | None = None

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int]:
        return (math.prod(input_shape),)            # Python ints: np.prod wrapped (3, 6148914691236517206) to 2

    def count_connections(self, input_shape: tuple[int, ...]) -> int:
        return 0

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        check_batch(x, "Flatten", "input")
        if x.ndim < 2:
            raise ValueError(f"Flatten expects input of shape (N, ...). Got {x.shape} instead.")
        self._shape = x.shape
        return x.reshape(x.shape[0], math.prod(x.shape[1:]))             # (N, C, H, W) -> (N, C*H*W)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        if self._shape is None:
            raise RuntimeError("Flatten.backward called before forward.")
        check_batch(grad_out, "Flatten.backward", "grad_out", (self._shape[0], math.prod(self._shape[1:])))
        return grad_out.reshape(self._shape)                             # (N, C*H*W) -> (N, C, H, W)
