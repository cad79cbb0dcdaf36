"""annhist.cnn.fused: the input gradient made a block of positions at a time has the two-step path's bits."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import annhist.cnn.fused as fused
import annhist.cnn.lowered as lowered
from annhist.cnn import Conv2d
from annhist.cnn.blocked import wide_matmul
from annhist.cnn.im2col import col2im_last, conv_output_size

needs_routine = pytest.mark.skipif(fused.csr_matvecs is None,
                                   reason="this scipy has no scipy.sparse._sparsetools.csr_matvecs: two steps only")


def _two_steps(Wt, g, x_shape, kh, kw, stride, padding):
    return col2im_last(wide_matmul(Wt, g, np.empty((Wt.shape[0], g.shape[1]), g.dtype)), x_shape, kh, kw, stride,
                       padding)


def _two_steps_of_the_blocks_products(Wt, g, x_shape, kh, kw, stride, padding):
    """The two steps, with ``W^T g`` made of the blocks' products as ``input_gradient`` makes them.

    A block's entries are the dot products of the whole product's, but a BLAS may round a matrix
    product differently with its shape (e.g. OpenBLAS 0.3.31's float32 kernels on an AMD EPYC: about
    one entry in ten differs in its last bit between ``Wt @ g`` and the same product made a block of
    columns at a time). The bits that ``input_gradient`` promises are those of col2im, the order in which
    each pixel gets its entries; its products are compared with the whole one to rounding."""
    n = x_shape[0]
    per_block = max(1, fused.BLOCK_ENTRIES // (Wt.shape[0] * n))
    dcols = np.empty((Wt.shape[0], g.shape[1]), np.result_type(Wt, g))
    for c0 in range(0, g.shape[1], per_block * n):
        dcols[:, c0:c0 + per_block * n] = Wt @ g[:, c0:c0 + per_block * n]
    return col2im_last(dcols, x_shape, kh, kw, stride, padding)


def _assert_same_gradient(got, Wt, g, x_shape, kh, kw, stride, padding, blocked=True):
    """By blocks: the blocks' products scattered in col2im's order, bit for bit, and the plain two
    steps to rounding. Not by blocks: the plain two steps, bit for bit."""
    two = _two_steps(Wt, g, x_shape, kh, kw, stride, padding)
    if not blocked:
        np.testing.assert_array_equal(got, two)
        return
    np.testing.assert_array_equal(got, _two_steps_of_the_blocks_products(Wt, g, x_shape, kh, kw, stride, padding))
    tol = {"float64": 1e-12, "float32": 2e-5}[got.dtype.name]
    np.testing.assert_allclose(got, two, rtol=tol, atol=tol * np.abs(two).max())


@needs_routine
@settings(max_examples=80, deadline=None)
@given(c=st.integers(1, 4), h=st.integers(3, 13), w=st.integers(3, 13), kh=st.integers(1, 5), kw=st.integers(1, 5),
       stride=st.integers(1, 3), padding=st.integers(0, 2), c_out=st.integers(1, 7), n=st.integers(1, 9),
       block_entries=st.integers(1, 1024), dtype=st.sampled_from(["float64", "float32"]), seed=st.integers(0, 2**16))
def test_blocks_of_positions_give_the_bits_of_the_two_steps(c, h, w, kh, kw, stride, padding, c_out, n, block_entries,
                                                            dtype, seed):
    """Any geometry, any block size (down to one position a block): each pixel gets the same
    products in the same order as in the two steps (bit for bit; the products are compared with the
    whole product to rounding: see _two_steps_of_the_blocks_products), or, where the order of a
    pixel's additions would change, the two steps themselves."""
    assume(kh <= h + 2 * padding and kw <= w + 2 * padding)
    oh, ow = conv_output_size(h, kh, stride, padding), conv_output_size(w, kw, stride, padding)
    rng = np.random.default_rng(seed)
    Wt = rng.normal(size=(c * kh * kw, c_out)).astype(dtype)
    g = rng.normal(size=(c_out, oh * ow * n)).astype(dtype)
    calls = []
    routine = fused.csr_matvecs
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fused, "MIN_BYTES", 0)                       # always by blocks where it may
        mp.setattr(fused, "BLOCK_ENTRIES", block_entries)
        mp.setattr(fused, "csr_matvecs", lambda *a: (calls.append(1), routine(*a))[1])
        got = fused.input_gradient(Wt, g, (n, c, h, w), kh, kw, stride, padding,
                                   np.empty((Wt.shape[0], g.shape[1]), dtype))
        assert got.shape == (n, c, h, w) and got.dtype == np.dtype(dtype)
        _assert_same_gradient(got, Wt, g, (n, c, h, w), kh, kw, stride, padding, blocked=bool(calls))


@needs_routine
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name, conv, shape", [
    ("LeNet-5 C1", lambda: Conv2d(1, 6, 5, random_state=0), (64, 1, 32, 32)),
    ("12 maps on 12, as H2", lambda: Conv2d(12, 12, 5, stride=2, padding=2, pad_value=-1.0, random_state=0),
     (64, 12, 8, 8)),
    ("LeCun-1989 H1", lambda: Conv2d(1, 12, 5, stride=2, padding=2, pad_value=-1.0, random_state=0), (64, 1, 16, 16)),
])
def test_the_layers_of_the_benchmark_take_the_blocks_and_keep_their_bits(name, conv, shape, dtype, monkeypatch):
    """At batch 64 these layers' dcols are over MIN_BYTES: the blocked path runs, adding what the two steps add
    in their order. (C1 and the H2-like layer make their input gradient by rows unless told not to:
    ``lowered.GRADIENT_MIN``; H1 takes the blocks as it is.)"""
    if name != "LeCun-1989 H1":
        monkeypatch.setattr(lowered, "GRADIENT_MIN", np.inf)
    layer = conv()
    layer.params["W"] = layer.params["W"].astype(dtype)
    rng = np.random.default_rng(0)
    out = layer.forward(rng.normal(size=shape).astype(dtype))
    g = rng.normal(size=out.shape).astype(dtype)
    calls = []
    routine = fused.csr_matvecs
    monkeypatch.setattr(fused, "csr_matvecs", lambda *a: (calls.append(1), routine(*a))[1])
    dx = layer.backward(g)
    assert calls, f"{name}: the blocked path did not run"
    gm = np.ascontiguousarray(g.transpose(1, 2, 3, 0)).reshape(layer.out_channels, -1)
    Wt = layer.params["W"].reshape(layer.out_channels, -1).T
    _assert_same_gradient(dx, Wt, gm, shape, 5, 5, layer.stride, layer.padding)


def test_small_arrays_take_the_two_steps(monkeypatch):
    """One pattern of the 1989 net (chapter 09's per-pattern training) is below MIN_BYTES: no blocks are made."""
    calls = []
    monkeypatch.setattr(fused, "_blocks", lambda *a: calls.append(a))
    rng = np.random.default_rng(0)
    Wt, g = rng.normal(size=(25, 12)), rng.normal(size=(12, 64))
    dx = fused.input_gradient(Wt, g, (1, 1, 16, 16), 5, 5, 2, 2, np.empty((25, 64)))
    assert calls == [] and dx.shape == (1, 1, 16, 16)
    np.testing.assert_array_equal(dx, _two_steps(Wt, g, (1, 1, 16, 16), 5, 5, 2, 2))
