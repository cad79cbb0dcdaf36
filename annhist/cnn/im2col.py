"""im2col and col2im: convolution as one matrix product, and its adjoint.

A 2-D convolution layer (in the machine-learning sense: a cross-correlation, the kernel is
not flipped) computes, for output map ``o`` at position ``(i, j)``,

.. math::  a_{o,i,j} = \\sum_{c} \\sum_{u,v} W_{o,c,u,v}\\, x_{c,\\, s i + u - p,\\, s j + v - p} + b_{o(,i,j)},

with stride ``s`` and padding ``p`` (LeCun et al. 1989, section 5.1: the "feature map"
with shared weights). Copying every receptive field into a column ("im2col") turns the
sum into a single matrix product ``W (C_out, C*KH*KW) @ cols (C*KH*KW, positions)``.
"col2im" is the adjoint: it adds each column back onto the pixels it came from, which is
exactly the gradient of im2col.

Every copy is a gather through a precomputed index map (:func:`gather_index`), cached per
geometry, so the per-pattern training of the 1989 net pays no Python loop. Padding is
handled without ``np.pad``: the flattened image gets one extra element holding the pad
value, and every index that falls outside the image points at it. These are the
reference functions (the pooling layers use them); :class:`~annhist.cnn.conv.Conv2d` runs on
:func:`im2col_last` and :func:`col2im_last`, the same operators on batch-last memory: a
strided copy and one sparse product (see the comment above them); with a large batch its
forward product and weight gradient read the input rows instead of the column matrix
(:mod:`annhist.cnn.lowered`, which pads through ``_batch_last`` here).

:func:`conv_output_size` is the one place where the output size is computed.
"""

from __future__ import annotations

import numbers
from functools import lru_cache

import numpy as np
from scipy import sparse

try:
    from scipy.sparse._sparsetools import csr_matvecs
except ImportError:                      # another scipy: its public sparse product
    csr_matvecs = None

from annhist.layers import MAX_WEIGHTS
from annhist.threads import split_run
from annhist.validation import as_real_array, check_scalar

# Above this many entries per kernel offset, summing offset by offset through strided views
# (col2im_kn) beats one np.bincount through an index array.
_LOOP_MIN = 30_000
# From this many column entries on, im2col_last copies on two threads (when the BLAS has two).
_SPLIT_MIN = 1 << 22              # not LeNet-5's C1 at batch 64: its step was faster without

__all__ = ["conv_output_size", "gather_index", "batch_gather_index", "im2col", "col2im", "col2im_kn",
           "im2col_last", "col2im_last", "scatter_matrix"]


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0, *,
                     owner: str = "Conv2d", name: str = "input") -> int:
    """Output length of a convolution along one axis: ``floor((size + 2p - k) / s) + 1``.

    The floor is taken as in LeCun et al.'s 1989 net, where a 16-pixel row padded by 2 on
    each side (20 pixels) and read by 5-pixel windows two pixels apart gives 8 units: the
    last padded column is never read.

    Raises ``ValueError`` when the kernel is larger than the padded input, ``TypeError``
    for a non-integer size.
    """
    big = 2**31 - 1                     # beyond this, index arithmetic would overflow a C long
    check_scalar(size, f"{name} size", owner=owner, kind=numbers.Integral, min_val=1, max_val=big)
    check_scalar(kernel, "kernel_size", owner=owner, kind=numbers.Integral, min_val=1, max_val=big)
    check_scalar(stride, "stride", owner=owner, kind=numbers.Integral, min_val=1, max_val=big)
    check_scalar(padding, "padding", owner=owner, kind=numbers.Integral, min_val=0, max_val=big)
    padded = size + 2 * padding
    if kernel > padded:
        raise ValueError(f"The 'kernel_size' parameter of {owner} ({kernel}) is larger than the padded "
                         f"{name} ({size} + 2*{padding} = {padded}).")
    return (padded - kernel) // stride + 1


@lru_cache(maxsize=64)
def gather_index(channels: int, height: int, width: int, kh: int, kw: int, stride: int,
                 padding: int) -> np.ndarray:
    """Index map of shape ``(C*KH*KW, OH*OW)`` into an image flattened to ``C*H*W + 1``.

    Row ``(c, u, v)`` (in C order), column ``(i, j)``, holds the flat index of pixel
    ``(c, s*i + u - p, s*j + v - p)``, or ``C*H*W`` -- the extra pad element -- when that
    pixel lies in the padding. The array is cached and read-only.
    """
    oh = conv_output_size(height, kh, stride, padding, name="input height")
    ow = conv_output_size(width, kw, stride, padding, name="input width")
    if channels * kh * kw * oh * ow > MAX_WEIGHTS:
        raise ValueError(f"The 'kernel_size' and 'padding' parameters ({kh}x{kw}, {padding}) on {channels} maps of "
                         f"{height}x{width} ask for {channels * kh * kw * oh * ow:,} receptive-field entries per "
                         f"image; at most {MAX_WEIGHTS:,} are allowed.")
    c = np.arange(channels)[:, None, None, None, None]                  # (C, 1, 1, 1, 1)
    rows = stride * np.arange(oh)[None, None, None, :, None] + np.arange(kh)[None, :, None, None, None] - padding
    cols = stride * np.arange(ow)[None, None, None, None, :] + np.arange(kw)[None, None, :, None, None] - padding
    inside = (rows >= 0) & (rows < height) & (cols >= 0) & (cols < width)   # (1, KH, KW, OH, OW)
    flat = (c * height + rows) * width + cols                              # (C, KH, KW, OH, OW)
    flat = np.where(inside, flat, channels * height * width)
    idx = np.ascontiguousarray(flat.reshape(channels * kh * kw, oh * ow), dtype=np.intp)
    idx.setflags(write=False)
    return idx


@lru_cache(maxsize=8)           # entries are as large as the column matrices: keep few
def batch_gather_index(n: int, channels: int, height: int, width: int, kh: int, kw: int, stride: int,
                       padding: int) -> np.ndarray:
    """The :func:`gather_index` for a batch of ``n`` images, laid out ``(C*KH*KW, n, OH*OW)``.

    Image ``k`` of the batch occupies flat positions ``k*(C*H*W + 1)`` onwards (its pixels,
    then its pad element), so one gather builds the matrix that a single GEMM consumes.
    """
    idx = gather_index(channels, height, width, kh, kw, stride, padding)
    offsets = np.arange(n, dtype=np.intp)[None, :, None] * (channels * height * width + 1)
    out = np.ascontiguousarray(idx[:, None, :] + offsets)                    # (K, n, P)
    out.setflags(write=False)
    return out


def _extend(x: np.ndarray, pad_value: float) -> np.ndarray:
    """(N, C, H, W) -> (N, C*H*W + 1): each image flattened, plus one pad element."""
    n = x.shape[0]
    ext = np.empty((n, int(np.prod(x.shape[1:])) + 1), dtype=x.dtype)
    ext[:, :-1] = x.reshape(n, -1)                                             # (N, C, H, W) -> (N, C*H*W)
    ext[:, -1] = pad_value
    return ext


def _check_geometry(x_shape: object, kh: object, kw: object, stride: object, padding: object, owner: str) -> None:
    """Refuse a batch shape or window that is not made of whole numbers (before the cached index maps)."""
    if not isinstance(x_shape, tuple) or len(x_shape) != 4:
        raise ValueError(f"The 'x_shape' parameter of {owner} must be a tuple (N, C, H, W). Got {x_shape!r} instead.")
    for name, v in zip(("N", "C"), x_shape[:2]):
        check_scalar(v, f"x_shape {name}", owner=owner, kind=numbers.Integral, min_val=0)
    check_scalar(kw, "kernel_size", owner=owner, kind=numbers.Integral, min_val=1)
    conv_output_size(x_shape[2], kh, stride, padding, owner=owner, name="input height")
    conv_output_size(x_shape[3], kw, stride, padding, owner=owner, name="input width")


def im2col(x: np.ndarray, kh: int, kw: int, stride: int = 1, padding: int = 0,
           pad_value: float = 0.0) -> np.ndarray:
    """Receptive fields as columns: ``(N, C, H, W) -> (N, C*KH*KW, OH*OW)``.

    Padding pixels read ``pad_value`` (LeCun et al. 1989 pad with the background, -1).
    """
    x = as_real_array(x, "x", owner="im2col")
    if x.ndim != 4:
        raise ValueError(f"The 'x' parameter of im2col must be a 4-D array (N, C, H, W). Got shape {x.shape}.")
    n, c, h, w = x.shape
    _check_geometry((n, c, h, w), kh, kw, stride, padding, "im2col")
    idx = gather_index(c, h, w, kh, kw, stride, padding)
    return np.take(_extend(x, pad_value), idx, axis=1)                        # (N, C*H*W+1) -> (N, K, P)


def col2im(cols: np.ndarray, x_shape: tuple[int, int, int, int], kh: int, kw: int, stride: int = 1,
           padding: int = 0) -> np.ndarray:
    """Adjoint of :func:`im2col` (with ``pad_value=0``): sum every column entry back onto its pixel.

    ``cols`` has shape ``(N, C*KH*KW, OH*OW)``; the result has ``x_shape``. Entries that
    came from the padding are dropped. For all ``x`` and ``cols``,
    ``sum(im2col(x) * cols) == sum(x * col2im(cols))``.
    """
    _check_geometry(x_shape, kh, kw, stride, padding, "col2im")
    n, c, h, w = x_shape
    idx = gather_index(c, h, w, kh, kw, stride, padding)
    cols = as_real_array(cols, "cols", owner="col2im")
    if cols.shape != (n,) + idx.shape:
        raise ValueError(f"The 'cols' parameter of col2im must have shape {(n,) + idx.shape}. Got {cols.shape}.")
    full = batch_gather_index(n, c, h, w, kh, kw, stride, padding).transpose(1, 0, 2)   # (K, N, P) -> (N, K, P)
    return _scatter(full, cols, n, c * h * w).reshape(x_shape)


def col2im_kn(cols: np.ndarray, x_shape: tuple[int, int, int, int], kh: int, kw: int, stride: int = 1,
              padding: int = 0) -> np.ndarray:
    """:func:`col2im` for columns laid out ``(C*KH*KW, N*OH*OW)``, the layout of one big GEMM.

    Small problems (per-pattern training) use one ``np.bincount`` through the cached index map;
    large batches add each kernel offset's ``(C, N, OH, OW)`` block onto a strided view of the
    padded image instead, ``KH*KW`` vectorized additions that need no index array.
    """
    n, c, h, w = x_shape
    oh, ow = (h + 2 * padding - kh) // stride + 1, (w + 2 * padding - kw) // stride + 1
    if c * n * oh * ow < _LOOP_MIN:
        full = batch_gather_index(n, c, h, w, kh, kw, stride, padding)       # (K, N, P)
        return _scatter(full, cols, n, c * h * w).reshape(x_shape)
    d = cols.reshape(c, kh, kw, n, oh, ow)                                    # (K, N*P) -> (C, KH, KW, N, OH, OW)
    out = np.zeros((n, c, h + 2 * padding, w + 2 * padding), dtype=cols.dtype)
    view = out.transpose(1, 0, 2, 3)                                          # (N, C, Hp, Wp) -> (C, N, Hp, Wp)
    for u in range(kh):
        for v in range(kw):                                                   # offset (u, v) of every window
            view[:, :, u:u + stride * oh:stride, v:v + stride * ow:stride] += d[:, u, v]
    return out[:, :, padding:padding + h, padding:padding + w]                # drop the padding


def _scatter(index: np.ndarray, values: np.ndarray, n: int, size: int) -> np.ndarray:
    """Sum ``values`` into ``n`` images of ``size`` pixels (+1 pad slot) by ``index``; drop the pad slot."""
    summed = np.bincount(index.ravel(), weights=values.ravel(), minlength=n * (size + 1))
    return summed.reshape(n, size + 1)[:, :size].astype(values.dtype, copy=False)   # (N, C*H*W)


# ----------------------------------------------------------------------------- the fast path of Conv2d
# Conv2d keeps its maps "batch last": an (N, C, H, W) array whose memory is laid out
# (C, H, W, N). The N patterns of one pixel then sit side by side, so that
#   * a receptive-field row of the column matrix is a strided view whose innermost run is
#     OW*N (stride 1) or N (stride 2) contiguous numbers: copying it costs a memcpy per run,
#     where a gather reads an index per number and a (C, N, H, W) layout copies runs of OW;
#   * the GEMM's output (C_out, OH*OW*N) *is* the next layer's input in that layout (no copy);
#   * col2im is one sparse product: the (C*KH*KW*OH*OW, N) column matrix, each row holding
#     the N patterns of one entry, summed onto the (C*H*W, N) pixels by a fixed 0/1 matrix
#     (scipy CSR, cached per geometry). Each pixel is written once and each entry read once;
#     KH*KW strided additions (the previous way) read and wrote every pixel KH*KW times and
#     took 2.5-5x longer (LeNet-5 C3, batch 64, float64: 0.67 against 0.24 ms, one thread).
# A CSR row sums its entries in the order of their columns, (c, u, v, i, j): the order of
# col2im's np.bincount (offset by offset, u then v), so in float64 both give the same numbers
# bit for bit.


def _batch_last(x: np.ndarray, padding: int, pad_value: float) -> np.ndarray:
    """(N, C, H, W) -> (C, H + 2p, W + 2p, N), contiguous; free when ``x`` is batch-last and unpadded."""
    xt = x.transpose(1, 2, 3, 0)                                               # (N, C, H, W) -> (C, H, W, N)
    if not padding:
        return np.ascontiguousarray(xt)
    c, h, w, n = xt.shape
    xp = np.empty((c, h + 2 * padding, w + 2 * padding, n), dtype=x.dtype)
    xp[:, :padding] = xp[:, h + padding:] = pad_value                          # the border: pad rows ...
    xp[:, :, :padding] = xp[:, :, w + padding:] = pad_value                    # ... and pad columns
    xp[:, padding:h + padding, padding:w + padding] = xt
    return xp


def im2col_last(x: np.ndarray, kh: int, kw: int, stride: int = 1, padding: int = 0,
                pad_value: float = 0.0, out: np.ndarray | None = None) -> np.ndarray:
    """Receptive fields for one GEMM, positions batch-last: ``(N, C, H, W) -> (C*KH*KW, OH*OW*N)``.

    Row ``(c, u, v)``, column ``(i, j, n)`` holds ``x[n, c, s*i + u - p, s*j + v - p]`` (the
    pad value outside the image): :func:`im2col` with the columns in another order. One copy
    of a strided view of the (padded) batch-last input; no index array is read. ``out``, a
    C-contiguous array of the result's shape and dtype, receives the copy (a layer reuses its
    buffer: writing into memory already mapped is cheaper than into a fresh allocation).
    """
    n, c, h, w = x.shape
    oh, ow = (h + 2 * padding - kh) // stride + 1, (w + 2 * padding - kw) // stride + 1
    xp = _batch_last(x, padding, pad_value)                                    # (C, Hp, Wp, N)
    sc, sh, sw, sn = xp.strides
    shape = (c, kh, kw, oh, ow, n)
    view = np.ndarray(shape, xp.dtype, xp, 0, (sc, sh, sw, stride * sh, stride * sw, sn))   # windows, no copy
    if out is None:
        out = np.empty((c * kh * kw, oh * ow * n), dtype=xp.dtype)
    dst = out.reshape(shape)                                   # (K, P*N) -> (C, KH, KW, OH, OW, N), a view
    if out.size < _SPLIT_MIN:
        np.copyto(dst, view)
    else:                                                      # output rows lo:hi on each thread
        split_run(lambda lo, hi: np.copyto(dst[:, :, :, lo:hi], view[:, :, :, lo:hi]), oh, 1)
    return out


@lru_cache(maxsize=32)
def scatter_matrix(channels: int, height: int, width: int, kh: int, kw: int, stride: int, padding: int,
                   dtype: str = "float64") -> sparse.csr_array:
    """col2im as a sparse 0/1 matrix ``(C*H*W, C*KH*KW*OH*OW)``: entry ``(c, u, v, i, j)`` -> its pixel.

    Column ``k*P + p`` of row ``(c, s*i + u - p, s*j + v - p)`` is 1 (``k = (c, u, v)``, ``p =
    (i, j)``); entries that read the padding have no pixel. Cached per geometry and dtype; do not
    modify the matrix.
    """
    idx = gather_index(channels, height, width, kh, kw, stride, padding).ravel()   # (K*P,): pixel or the pad slot
    size = channels * height * width
    entries = np.flatnonzero(idx < size)                                           # those inside the image
    ones = np.ones(entries.size, dtype=dtype)
    return sparse.csr_array((ones, (idx[entries], entries)), shape=(size, idx.size))


def col2im_last(dcols: np.ndarray, x_shape: tuple[int, int, int, int], kh: int, kw: int, stride: int = 1,
                padding: int = 0) -> np.ndarray:
    """Adjoint of :func:`im2col_last`: ``(C*KH*KW, OH*OW*N) -> (N, C, H, W)``, laid out batch-last.

    One sparse product (:func:`scatter_matrix`) of the columns seen as ``(C*KH*KW*OH*OW, N)``
    rows: every pixel gets the sum of its entries, the padding's are dropped. The result is a
    view of a ``(C, H, W, N)`` array (no copy for the layer below). The product is scipy's own
    routine called directly: ``A @ X`` calls it too, with the same bits, after checks that took a
    fifth of the time for LeCun 1989's H1 at batch 64 (31 against 25 us, one thread).
    """
    n, c, h, w = x_shape
    dtype = dcols.dtype if dcols.dtype.kind == "f" else np.dtype(np.float64)
    S = scatter_matrix(c, h, w, kh, kw, stride, padding, dtype.name)
    if csr_matvecs is not None and dcols.dtype == dtype and dcols.flags.c_contiguous:
        dx = np.zeros((c * h * w, n), dtype)
        csr_matvecs(S.shape[0], S.shape[1], n, S.indptr, S.indices, S.data, dcols.ravel(), dx.ravel())
    else:
        dx = S @ dcols.reshape(-1, n)                          # (K, P*N) -> (K*P, N) rows -> (C*H*W, N)
    return dx.reshape(c, h, w, n).transpose(3, 0, 1, 2)        # (C, H, W, N) -> (N, C, H, W)
