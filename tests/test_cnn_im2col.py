"""im2col / col2im and the one output-size formula."""


import importlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annhist.cnn.im2col import (
    col2im,
    col2im_kn,
    col2im_last,
    conv_output_size,
    gather_index,
    im2col,
    im2col_last,
    scatter_matrix,
)


def test_output_size_hand_examples():
    # LeCun 1989 H1: 16 + 2*2 = 20 padded, (20 - 5) // 2 + 1 = 7 + 1 = 8
    assert conv_output_size(16, 5, 2, 2) == 8
    # H2: 8 + 4 = 12, (12 - 5) // 2 + 1 = 3 + 1 = 4
    assert conv_output_size(8, 5, 2, 2) == 4
    # LeNet-5 C1: 32 - 5 + 1 = 28; S2: (28 - 2) // 2 + 1 = 14; C5: 5 - 5 + 1 = 1
    assert conv_output_size(32, 5) == 28
    assert conv_output_size(28, 2, 2) == 14
    assert conv_output_size(5, 5) == 1


def test_output_size_refuses_bad_geometry():
    with pytest.raises(ValueError, match=r"'kernel_size'.*\(7\).*larger than the padded input \(4 \+ 2\*1 = 6\)"):
        conv_output_size(4, 7, 1, 1)
    with pytest.raises(ValueError, match="'stride'.*>= 1. Got 0"):
        conv_output_size(16, 5, 0, 2)
    with pytest.raises(TypeError, match="'input size'.*an int. Got 16.5"):
        conv_output_size(16.5, 5)
    with pytest.raises(ValueError, match="'padding'.*>= 0. Got -1"):
        conv_output_size(16, 5, 1, -1)


def test_gather_index_points_padding_at_the_extra_element():
    idx = gather_index(1, 3, 3, 3, 3, 1, 1)           # 3x3 image, 3x3 kernel, pad 1 -> 3x3 output
    assert idx.shape == (9, 9)
    # output (0, 0) reads rows -1..1 and cols -1..1: its first kernel row is all padding (index 9)
    assert idx[:3, 0].tolist() == [9, 9, 9]
    # centre output (1, 1) reads the whole image in order
    assert idx[:, 4].tolist() == list(range(9))
    assert not idx.flags.writeable


def _naive_im2col(x, kh, kw, s, p, pad_value):
    n, c, h, w = x.shape
    xp = np.full((n, c, h + 2 * p, w + 2 * p), float(pad_value))
    xp[:, :, p:p + h, p:p + w] = x
    oh, ow = (h + 2 * p - kh) // s + 1, (w + 2 * p - kw) // s + 1
    out = np.zeros((n, c * kh * kw, oh * ow))
    for b in range(n):
        for i in range(oh):
            for j in range(ow):
                out[b, :, i * ow + j] = xp[b, :, s * i:s * i + kh, s * j:s * j + kw].ravel()
    return out


@pytest.mark.parametrize("geom", [(2, 3, 7, 6, 3, 2, 1, 1, 0.0), (1, 1, 16, 16, 5, 5, 2, 2, -1.0),
                                  (3, 2, 5, 5, 2, 3, 3, 0, 0.0)])
def test_im2col_matches_a_naive_loop(geom):
    n, c, h, w, kh, kw, s, p, pv = geom
    x = np.random.default_rng(0).normal(size=(n, c, h, w))
    np.testing.assert_array_equal(im2col(x, kh, kw, s, p, pv), _naive_im2col(x, kh, kw, s, p, pv))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 3), c=st.integers(1, 3), h=st.integers(1, 9), w=st.integers(1, 9),
       kh=st.integers(1, 4), kw=st.integers(1, 4), s=st.integers(1, 3), p=st.integers(0, 2),
       seed=st.integers(0, 2**16))
def test_im2col_and_col2im_are_adjoint(n, c, h, w, kh, kw, s, p, seed):
    """<im2col(x), y> == <x, col2im(y)> for every x and y (zero padding)."""
    if kh > h + 2 * p or kw > w + 2 * p:
        return
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, c, h, w))
    cols = im2col(x, kh, kw, s, p)
    y = rng.normal(size=cols.shape)
    lhs = np.sum(cols * y)
    rhs = np.sum(x * col2im(y, x.shape, kh, kw, s, p))
    assert np.isclose(lhs, rhs, rtol=1e-10, atol=1e-10)
    # the (K, N*P) layout used by Conv2d is the same operator
    y_kn = y.transpose(1, 0, 2).reshape(y.shape[1], -1)              # (N, K, P) -> (K, N*P)
    np.testing.assert_allclose(col2im_kn(y_kn, x.shape, kh, kw, s, p), col2im(y, x.shape, kh, kw, s, p))


def test_col2im_counts_how_often_each_pixel_is_read():
    # 4x4 image, 2x2 windows, stride 1 -> 3x3 windows; a corner pixel is read once, an
    # edge pixel twice, an inner pixel four times.
    ones = np.ones((1, 4, 9))
    counts = col2im(ones, (1, 1, 4, 4), 2, 2, 1, 0)[0, 0]
    assert counts.tolist() == [[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]]


def test_im2col_and_col2im_refuse_wrong_shapes():
    with pytest.raises(ValueError, match=r"4-D array \(N, C, H, W\). Got shape \(16, 16\)"):
        im2col(np.zeros((16, 16)), 5, 5)
    with pytest.raises(ValueError, match=r"'cols'.*shape \(1, 25, 64\)"):
        col2im(np.zeros((1, 25, 63)), (1, 1, 16, 16), 5, 5, 2, 2)


@pytest.mark.parametrize("shape, k, s, p", [((64, 6, 14, 14), 5, 1, 0), ((200, 12, 8, 8), 5, 2, 2)])
def test_large_batches_take_the_offset_loop_path_and_agree(shape, k, s, p):
    """Above 30,000 entries per offset col2im_kn adds offset by offset; it must equal the scatter."""
    n, c, h, w = shape
    oh = (h + 2 * p - k) // s + 1
    assert c * n * oh * oh >= 30_000
    cols = np.random.default_rng(0).normal(size=(n, c * k * k, oh * oh))
    kn = cols.transpose(1, 0, 2).reshape(c * k * k, -1)                 # (N, K, P) -> (K, N*P)
    np.testing.assert_allclose(col2im_kn(kn, shape, k, k, s, p), col2im(cols, shape, k, k, s, p), atol=1e-12)


# ----------------------------------------------------------------------------- the batch-last fast path
def _last(cols_nkp):
    """(N, K, P) columns of im2col -> the (K, P*N) layout of im2col_last."""
    n, k, p = cols_nkp.shape
    return cols_nkp.transpose(1, 2, 0).reshape(k, p * n)


def _batch_last_copy(x):
    """The same batch, stored (C, H, W, N) in memory as a Conv2d output is."""
    return np.ascontiguousarray(x.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 4), c=st.integers(1, 3), h=st.integers(1, 9), w=st.integers(1, 9),
       kh=st.integers(1, 4), kw=st.integers(1, 4), s=st.integers(1, 3), p=st.integers(0, 2),
       dtype=st.sampled_from(["float64", "float32"]), seed=st.integers(0, 2**16))
def test_im2col_last_and_col2im_last_equal_the_reference_bit_for_bit(n, c, h, w, kh, kw, s, p, dtype, seed):
    """The strided copy and the sparse col2im_last against im2col/col2im.

    The columns are copies, so they must be equal; col2im_last sums each pixel's entries in
    the order of the reference's np.bincount (offset u, then v), so in float64 it must be equal
    too. In float32 it stays float32 (np.bincount sums in float64: equal to within float32).
    """
    if kh > h + 2 * p or kw > w + 2 * p:
        return
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, c, h, w)).astype(dtype)
    ref = im2col(x, kh, kw, s, p, -1.0)                                  # (N, K, P)
    y = rng.normal(size=ref.shape).astype(dtype)
    for xin in (x, _batch_last_copy(x)):
        np.testing.assert_array_equal(im2col_last(xin, kh, kw, s, p, -1.0), _last(ref))
    buf = np.full((c * kh * kw, ref.shape[2] * n), np.nan, dtype=dtype)
    assert im2col_last(x, kh, kw, s, p, -1.0, out=buf) is buf
    np.testing.assert_array_equal(buf, _last(ref))
    dx = col2im_last(_last(y), x.shape, kh, kw, s, p)
    assert dx.dtype == dtype
    if dtype == "float64":
        np.testing.assert_array_equal(dx, col2im(y, x.shape, kh, kw, s, p))
    else:
        np.testing.assert_allclose(dx, col2im(y.astype(float), x.shape, kh, kw, s, p), rtol=1e-5, atol=1e-5)


def test_col2im_last_returns_a_batch_last_view():
    d = np.random.default_rng(0).normal(size=(6 * 25, 10 * 10 * 64))
    dx = col2im_last(d, (64, 6, 14, 14), 5, 5)
    assert dx.shape == (64, 6, 14, 14)
    assert dx.transpose(1, 2, 3, 0).flags.c_contiguous                 # memory (C, H, W, N): no copy for the layer below


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("shape, k, s, p", [((64, 1, 16, 16), 5, 2, 2), ((64, 12, 8, 8), 5, 2, 2),
                                            ((3, 2, 9, 7), 3, 1, 1), ((1, 6, 14, 14), 5, 1, 0)])
def test_col2im_last_calls_scipys_routine_with_the_bits_of_its_public_product(shape, k, s, p, dtype, monkeypatch):
    """col2im_last calls scipy's compiled ``Y += A X`` itself (skipping the checks of ``A @ X``): the
    same numbers, bit for bit, as the public product it replaces, and that product where the routine
    is missing (another scipy) or the columns are not one C-ordered block."""
    im2col_module = importlib.import_module("annhist.cnn.im2col")   # (annhist.cnn.im2col is also the function)

    n, c, h, w = shape
    oh, ow = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
    d = np.random.default_rng(3).normal(size=(c * k * k, oh * ow * n)).astype(dtype)
    public = scatter_matrix(c, h, w, k, k, s, p, dtype) @ d.reshape(-1, n)          # (C*H*W, N)
    expected = public.reshape(c, h, w, n).transpose(3, 0, 1, 2)
    calls = []
    routine = im2col_module.csr_matvecs
    monkeypatch.setattr(im2col_module, "csr_matvecs", lambda *a: (calls.append(1), routine(*a))[1])
    np.testing.assert_array_equal(col2im_last(d, shape, k, k, s, p), expected)
    assert calls == [1]
    np.testing.assert_array_equal(col2im_last(np.asfortranarray(d), shape, k, k, s, p), expected)   # not C-ordered
    monkeypatch.setattr(im2col_module, "csr_matvecs", None)
    np.testing.assert_array_equal(col2im_last(d, shape, k, k, s, p), expected)
    assert calls == [1]
