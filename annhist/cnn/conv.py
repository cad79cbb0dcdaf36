"""The convolution layer: local receptive fields, shared weights, connection tables.

LeCun et al. (1989), section 5.1: the units of a *feature map* all apply the same 5x5
kernel to different places of the layer below ("weight sharing"), so the map detects one
feature wherever it occurs; a unit "takes input on a 5 by 5 neighborhood" and units one
apart read fields ``stride`` pixels apart. In 1989 each unit kept its own bias ("units do
not share their biases"); LeNet-5 (LeCun et al. 1998, section II.B) shares one bias per map
and lets each map read only some of the maps below (Table I, the C3 connection table).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from annhist.cnn import lowered
from annhist.cnn.blocked import wide_gram, wide_matmul
from annhist.cnn.fused import input_gradient
from annhist.cnn.im2col import conv_output_size, im2col_last
from annhist.initializers import initialize
from annhist.layers import MAX_WEIGHTS, Layer, check_batch
from annhist.underflow import allow_underflow
from annhist.validation import check_choice, check_random_state, check_scalar

__all__ = ["Conv2d", "check_input_shape", "pair"]


def pair(value: Any, name: str, owner: str, *, min_val: int) -> tuple[int, int]:
    """An int or a pair of ints -> ``(rows, cols)``, each checked to be an int >= ``min_val``."""
    values = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(values) != 2:
        raise ValueError(f"The '{name}' parameter of {owner} must be an int or a pair of ints. Got {value!r} instead.")
    for v in values:
        check_scalar(v, name, owner=owner, kind=numbers.Integral, min_val=min_val)
    return int(values[0]), int(values[1])


def check_input_shape(x: Any, expected: tuple[int | None, ...], owner: str) -> np.ndarray:
    """Refuse a batch whose shape is not ``(N, *expected)`` (``None`` = any); name the expected shape.

    Anything but a numpy array of real numbers is a ``TypeError`` (:func:`annhist.layers.check_batch`);
    an empty batch (a zero in the shape) is a ``ValueError``.
    """
    check_batch(x, owner, "input", (None, *expected))
    if x.size == 0:
        raise ValueError(f"{owner} expects input of shape (N, ...) with no empty dimension. Got {x.shape} instead.")
    return x


class Conv2d(Layer):
    """A bank of feature maps: ``a[o] = sum_c W[o, c] (*) x[c] + b[o]`` (cross-correlation).

    Parameters
    ----------
    in_channels, out_channels : int
        Number of input and output feature maps.
    kernel_size : int or (int, int)
        Receptive field ``(KH, KW)``; 5 in both of LeCun's nets.
    stride : int, default 1
        Distance between the receptive fields of neighbouring units (2 in 1989).
    padding : int, default 0
        Pixels added on every side; they read ``pad_value``. At most the kernel size - 1.
    pad_value : float, default 0.0
        The "virtual background plane" of LeCun et al. (1989): -1 for their input.
    table : array-like of bool, shape (in_channels, out_channels), optional
        ``table[c, o]`` is True when output map ``o`` reads input map ``c`` (LeNet-5's Table
        I has this orientation). Weights outside the table are held at exactly zero and get
        no gradient; they are not counted as parameters. Default: every map reads every map.
    bias : {"shared", "unshared", "none"}, default "shared"
        One bias per map (modern, LeNet-5), one bias per *unit* (LeCun et al. 1989), or none.
    input_size : (int, int), optional
        ``(H, W)`` of the input maps; required for ``bias="unshared"``, which needs the size
        of the output maps. When given, ``forward`` checks it.
    init : initializer name or ``("uniform", r)``, default "lecun"
        ``"lecun"`` is uniform in +-2.4/F with F the fan-in of the *output map's* units
        (``n_inputs_read * KH * KW``), as in LeCun et al. (1989). Biases start at zero.
    random_state : None, int or numpy.random.Generator

    Attributes
    ----------
    params : {"W": (out_channels, in_channels, KH, KW), "b": (out_channels,) or (out_channels, OH, OW)}
    mask : ndarray of shape ``W.shape`` (1.0 where connected), or None without a table.

    Notes
    -----
    :func:`~annhist.cnn.reference.conv2d_reference` is the formula as written. The layer computes the same numbers
    fast: :func:`~annhist.cnn.im2col.im2col_last` lays every receptive field out as a column ``(C*KH*KW,
    OH*OW*N)`` and one GEMM (:mod:`annhist.cnn.blocked`) gives every unit's net input. Backward, from
    ``g = dE/da``: ``dE/dW = g cols^T`` (weight sharing sums the gradient over the positions:
    LeCun 1989, "the partial derivative ... is the sum of the partial derivatives with
    respect to all the connections that share it"), ``dE/db`` its sum over the batch (and
    positions, for a shared bias) and ``dE/dx = col2im(W^T g)`` (a block of positions at a time,
    :mod:`annhist.cnn.fused`), all laid out batch-last (:mod:`annhist.cnn.im2col`). A connection table:
    one GEMM on weights held at zero (one GEMM per map was 1.2-1.8x slower for C3 and H2, measured).
    With a large batch the layer skips the column matrix: it copies each input row's ``KW`` shifts once
    and multiplies by views of them, one output row at a time (:mod:`annhist.cnn.lowered`: a quarter of
    C1's copy; for one map the same forward sums in the same order, for several the same terms in the
    order ``(u, c, v)``), and, where its rows are wide, makes ``dE/dx`` by input rows: one product sums over
    the maps and kernel rows, a sparse product adds the kernel columns
    (:func:`~annhist.cnn.lowered.rows_input_gradient`; the same terms in another order).

    References
    ----------
    LeCun, Y. et al. (1989). Backpropagation applied to handwritten zip code recognition.
    Neural Computation 1(4), 541-551.
    LeCun, Y., Bottou, L., Bengio, Y., Haffner, P. (1998). Gradient-based learning applied to
    document recognition. Proc. IEEE 86(11), 2278-2324.
    """

    has_units, shardable, _scratch = True, True, ("_cols_last", "_rows_last", "_rows_border", "_stack", "_dcols",
                                                           "_drows")

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | tuple[int, int], *, stride: int = 1,
                 padding: int = 0, pad_value: float = 0.0, table: Any = None, bias: str = "shared",
                 input_size: tuple[int, int] | None = None, init: Any = "lecun", random_state: Any = None) -> None:
        super().__init__()
        owner = "Conv2d"
        self.in_channels = check_scalar(in_channels, "in_channels", owner=owner, kind=numbers.Integral, min_val=1)
        self.out_channels = check_scalar(out_channels, "out_channels", owner=owner, kind=numbers.Integral, min_val=1)
        self.kernel_size = pair(kernel_size, "kernel_size", owner, min_val=1)
        self.stride = int(check_scalar(stride, "stride", owner=owner, kind=numbers.Integral, min_val=1))
        self.padding = int(check_scalar(padding, "padding", owner=owner, kind=numbers.Integral, min_val=0,   # a unit
                                        max_val=max(self.kernel_size) - 1))      # reads at least one pixel
        self.pad_value = float(check_scalar(pad_value, "pad_value", owner=owner))
        self.bias = check_choice(bias, "bias", ("shared", "unshared", "none"), owner=owner)
        self.input_size = None if input_size is None else pair(input_size, "input_size", owner, min_val=1)
        if self.input_size is not None:
            self.output_size = tuple(conv_output_size(n, k, self.stride, self.padding, owner=owner,
                                                      name=f"input {axis}")
                                     for n, k, axis in zip(self.input_size, self.kernel_size, ("height", "width")))
        elif bias == "unshared":
            raise ValueError("The 'input_size' parameter of Conv2d is required with bias='unshared' "
                             "(one bias per unit needs the size of the output maps). Got None instead.")
        self.table = self._check_table(table)
        kh, kw = self.kernel_size
        if (n_w := int(out_channels) * int(in_channels) * kh * kw) > MAX_WEIGHTS:   # Python ints: int64s wrap
            raise ValueError(f"Conv2d({in_channels}, {out_channels}, {self.kernel_size}) would hold "
                             f"{n_w:,} weights; the 'in_channels' x 'out_channels' "
                             f"x 'kernel_size' product must be <= {MAX_WEIGHTS:,}.")
        self.mask = None if self.table is None else \
            np.broadcast_to(self.table.T[:, :, None, None], (out_channels, in_channels, kh, kw)).astype(float)
        rng = check_random_state(random_state, owner=owner)
        W = np.zeros((out_channels, in_channels, kh, kw))
        reads = np.ones((in_channels, out_channels), bool) if self.table is None else self.table
        for o in range(out_channels):                         # each map's fan-in: maps read x KH x KW
            fan_in = int(reads[:, o].sum()) * kh * kw
            W[o, reads[:, o]] = initialize(init, rng, (int(reads[:, o].sum()), kh, kw), fan_in,
                                           out_channels * kh * kw, owner=owner)
        self.params["W"] = W
        if bias == "shared":
            self.params["b"] = np.zeros(out_channels)
        elif bias == "unshared":
            if (n_b := out_channels * self.output_size[0] * self.output_size[1]) > MAX_WEIGHTS:   # one per unit
                raise ValueError(f"Conv2d with bias='unshared' and 'padding' {self.padding} would hold {n_b:,} biases "
                                 f"(one per unit of {self.output_size} maps); at most {MAX_WEIGHTS:,}.")
            self.params["b"] = np.zeros((out_channels, *self.output_size))
        self.propagate = True      # False: backward skips dE/dx (the network's first layer needs none)
        # Kept from the last training batch for backward: its im2col (_cols_last) or, by rows, its input rows
        # (_rows_last, annhist.cnn.lowered) and the view of them the products read (_stack); scratch for W^T g
        # (_dcols) or for its rows' sums (_drows).
        self._cols_last = self._rows_last = self._stack = self._dcols = self._drows = None
        self._rows_border: tuple | None = None         # (that buffer, pad value) once its pad entries are written
        self._x_shape = self._a_shape = None           # that batch's (N, C, H, W) and (N, C_out, OH, OW)

    def _check_table(self, table: Any) -> np.ndarray | None:
        if table is None:
            return None
        try:
            t = np.asarray(table)
        except (ValueError, TypeError):                       # ragged nested lists
            t = np.asarray(None)
        shape = (self.in_channels, self.out_channels)
        if t.dtype.kind not in "biu" or t.shape != shape or not np.isin(t, (0, 1)).all():
            raise ValueError(f"The 'table' parameter of Conv2d must be a 0/1 array of shape (in_channels, "
                             f"out_channels) = ({self.in_channels}, {self.out_channels}). Got dtype {t.dtype}, "
                             f"shape {t.shape} instead.")
        empty = np.flatnonzero(~t.astype(bool).any(axis=0))
        if empty.size:
            raise ValueError(f"The 'table' parameter of Conv2d leaves output map(s) {empty.tolist()} with no input.")
        return t.astype(bool)

    # ------------------------------------------------------------------ shapes and counts
    def output_shape(self, input_shape: tuple[int, int, int]) -> tuple[int, int, int]:
        """``(C, H, W) -> (C_out, OH, OW)``, checking the channels and the kernel size."""
        if len(input_shape) != 3:
            raise ValueError(f"Conv2d expects input of shape (N, C, H, W). Got (N, {', '.join(map(str, input_shape))}) "
                             f"instead.")
        c, h, w = input_shape
        if c != self.in_channels or (self.input_size is not None and (h, w) != self.input_size):
            hw = self.input_size or ("H", "W")
            raise ValueError(f"Conv2d expects input of shape (N, {self.in_channels}, {hw[0]}, {hw[1]}). "
                             f"Got (N, {c}, {h}, {w}) instead.")
        oh = conv_output_size(h, self.kernel_size[0], self.stride, self.padding, name="input height")
        ow = conv_output_size(w, self.kernel_size[1], self.stride, self.padding, name="input width")
        return self.out_channels, oh, ow

    def count_parameters(self) -> int:
        """Independent parameters: the kernels' connected weights (shared: counted once) and the biases."""
        n_w = self.params["W"].size if self.mask is None else int(self.mask.sum())
        return n_w + (self.params["b"].size if "b" in self.params else 0)

    def count_connections(self, input_shape: tuple[int, int, int]) -> int:
        """Connections as LeCun counts them: per unit, its inputs (padding included) plus one bias line."""
        c_out, oh, ow = self.output_shape(input_shape)
        reads = self.in_channels * np.ones(c_out, int) if self.table is None else self.table.sum(axis=0)
        per_map = reads * self.kernel_size[0] * self.kernel_size[1] + (self.bias != "none")
        return int(per_map.sum()) * oh * ow

    # ------------------------------------------------------------------ forward / backward
    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        """Every unit's net input, ``(N, C, H, W) -> (N, C_out, OH, OW)``, laid out batch-last.

        The fast path of :func:`~annhist.cnn.reference.conv2d_reference`: the columns of
        :func:`im2col_last` and one GEMM, or, for a large batch, the input rows and one GEMM per
        output row (:mod:`annhist.cnn.lowered`). The ``(C_out, OH*OW*N)`` product
        is returned as a transposed view, so the next layer reads it in the order the GEMM wrote it.
        """
        hw = self.input_size or (None, None)
        check_input_shape(x, (self.in_channels, *hw), "Conv2d")
        n, c, h, w = x.shape
        kh, kw = self.kernel_size
        oh, ow = (self.output_size if self.input_size is not None
                  else self.output_shape((c, h, w))[1:])
        k = c * kh * kw
        W = self.params["W"].reshape(self.out_channels, -1)              # (C_out, K)
        a = np.empty((self.out_channels, oh * ow * n), np.result_type(W, x))
        cols = stack = None
        if lowered.takes_rows(x.shape, kh, self.stride, self.padding, k * oh * ow * n * x.dtype.itemsize):
            buf = self._buffer("_rows_last", lowered.rows_shape(c, h, w, kw, self.stride, self.padding, n), x.dtype) \
                if training else None
            kept, pad = self._rows_border or (None, None), float(self.pad_value).hex()
            stack = lowered.lower_rows(x, kh, kw, self.stride, self.padding, self.pad_value, buf,   # (OH, K, OW*N)
                                       border=training and kept[0] is buf and kept[1] == pad)  # pixels only
            if training:
                self._rows_border = (buf, pad)                           # its pad entries hold pad_value now
            lowered.rows_matmul(lowered.rows_weights(self.params["W"]), stack, a)   # a[:, i] = W @ (row i's columns)
        else:
            buf = self._buffer("_cols_last", (k, oh * ow * n), x.dtype) if training else None   # reused per shape
            cols = im2col_last(x, kh, kw, self.stride, self.padding, self.pad_value, out=buf)   # (K, P*N)
            wide_matmul(W, cols, a)                                      # (C_out, K) @ (K, P*N) -> (C_out, P*N)
        if self.bias == "shared":
            a += self.params["b"][:, None]                               # one bias per map
        elif self.bias == "unshared":
            units = a.reshape(self.out_channels, oh * ow, n)             # a view: (C_out, P, N)
            units += self.params["b"].reshape(self.out_channels, -1, 1)  # one bias per unit
        if training:                                                     # kept for backward
            self._cols_last, self._stack = cols, stack
            self._x_shape, self._a_shape = x.shape, (n, self.out_channels, oh, ow)
        return a.reshape(self.out_channels, oh, ow, n).transpose(3, 0, 1, 2)   # -> (N, C_out, OH, OW) view

    def _buffer(self, name: str, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
        """The layer's own scratch array ``name``, reallocated only when the shape or dtype changes."""
        buf = getattr(self, name, None)
        if buf is None or buf.shape != shape or buf.dtype != dtype:
            buf = np.empty(shape, dtype=dtype)
        setattr(self, name, buf)
        return buf

    @property
    def _cols(self) -> np.ndarray | None:
        """The last training batch's columns, positions ordered (n, i, j) as sdlm.diagonal_hessian reads them."""
        if self._x_shape is None or (self._cols_last is None and self._stack is None):
            return None
        cols = self._cols_last if self._stack is None else \
            lowered.rows_to_cols(self._stack, self.kernel_size[0], self.in_channels)
        k, n = cols.shape[0], self._x_shape[0]
        return cols.reshape(k, -1, n).transpose(0, 2, 1).reshape(k, -1)   # (K, P*N) -> (K, N*P)

    def backward(self, grad_out: np.ndarray) -> np.ndarray | None:
        """``dE/dW = g cols^T``, ``dE/db`` summed over positions, ``dE/dx = col2im(W^T g)`` (batch-last)."""
        if self._x_shape is None or (self._cols_last is None and self._stack is None):
            raise RuntimeError("Conv2d.backward called before forward(training=True).")
        check_batch(grad_out, "Conv2d.backward", "grad_out", self._a_shape)
        n, c_out = grad_out.shape[:2]
        g = np.ascontiguousarray(grad_out.transpose(1, 2, 3, 0)).reshape(c_out, -1)   # (C_out, P*N); free if batch-last
        W = self.params["W"]
        dW = (wide_gram(g, self._cols_last).reshape(W.shape) if self._stack is None   # (C_out, P*N) @ (P*N, K)
              else lowered.rows_gram(g, self._stack, self.kernel_size[0], self.in_channels))   # -> (C_out, C, KH, KW)
        if self.mask is not None:
            dW *= self.mask                                              # no gradient outside the table
        self.grads["W"] = dW
        if self.bias == "shared":
            self.grads["b"] = g.sum(axis=1)                               # (C_out, P*N) -> (C_out,)
        elif self.bias == "unshared":
            self.grads["b"] = np.einsum("un->u", g.reshape(-1, n)).reshape(self.params["b"].shape)  # 2-3x .sum's speed
        if not self.propagate:
            return None
        c, h, w = self._x_shape[1:]
        ow = self._a_shape[3]
        if self._stack is not None and lowered.gradient_by_rows(c, self.kernel_size[1], ow, n):   # by input rows
            drows = self._buffer("_drows", (h, c * self.kernel_size[1], ow * n), np.result_type(W, g))
            return lowered.rows_input_gradient(W, g, self._x_shape, self.stride, self.padding, drows)
        dcols = self._buffer("_dcols", (W[0].size, g.shape[1]), np.result_type(W, g))   # if made in two steps
        return input_gradient(W.reshape(c_out, -1).T, g, self._x_shape, *self.kernel_size, self.stride,
                              self.padding, dcols)

    forward = allow_underflow(forward)     # tiny products may underflow to 0, even under errstate(all="raise")
    backward = allow_underflow(backward)
