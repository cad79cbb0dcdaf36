"""The blocked products of annhist.cnn.blocked: the same numbers as one matmul, whatever the blocks."""

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import annhist.cnn.blocked as blocked


@settings(max_examples=60, deadline=None)
@given(r=st.integers(1, 7), k=st.integers(1, 9), m=st.integers(1, 200), block=st.integers(1, 40),
       dtype=st.sampled_from(["float64", "float32"]), seed=st.integers(0, 2**16))
def test_blocked_products_equal_one_matmul(r, k, m, block, dtype, seed):
    """Forward/input-gradient blocks compute whole columns (equal to one matmul to within rounding of the
    same K terms); the weight gradient adds the blocks' partial sums (another rounding of the same sum)."""
    rng = np.random.default_rng(seed)
    a, b, y = rng.normal(size=(r, k)).astype(dtype), rng.normal(size=(k, m)).astype(dtype), \
        rng.normal(size=(r, m)).astype(dtype)
    tol = 1e-12 if dtype == "float64" else 1e-4
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(blocked, "BLOCK", block)
        out = np.full((r, m), np.nan, dtype=dtype)
        assert blocked.wide_matmul(a, b, out) is out
        np.testing.assert_allclose(out, a @ b, rtol=tol, atol=tol * k)
        gram = blocked.wide_gram(y, b)                       # (r, m) @ (m, k)
        assert gram.shape == (r, k) and gram.dtype == dtype
        np.testing.assert_allclose(gram, y @ b.T, rtol=tol, atol=tol * m)


def test_only_thin_products_with_enough_columns_are_blocked():
    assert blocked.blocked(6 * 25, 50_176) == 50_176 // blocked.BLOCK        # LeNet-5 C1 at batch 64
    assert blocked.blocked(16 * 150, 6_400) == 0                              # C3: wide enough for one call
    assert blocked.blocked(12 * 25, 64) == 0                                  # one pattern of the 1989 net
    assert blocked.blocked(12 * 25, blocked.MIN_BLOCKS * blocked.BLOCK) == blocked.MIN_BLOCKS


def test_two_thread_paths_give_the_same_numbers(monkeypatch):
    """With two BLAS threads the blocks and the window copy are split between two threads: the same
    numbers, bit for bit, as the same blocks on one thread. (Against one unblocked product they agree
    to rounding only -- test_blocked_products_equal_one_matmul: a BLAS may round a product of another
    shape otherwise, as OpenBLAS's float32 kernels did on an AMD EPYC without AVX-512.)"""
    import annhist.threads
    from annhist.cnn import Conv2d
    from annhist.cnn.im2col import im2col_last

    rng = np.random.default_rng(3)
    x, g = rng.normal(size=(16, 2, 12, 12)), rng.normal(size=(16, 3, 8, 8))
    conv = Conv2d(2, 3, 5, random_state=0)
    monkeypatch.setattr(blocked, "BLOCK", 16)                  # 1024 columns: 64 blocks, 32 per thread
    monkeypatch.setattr(blocked, "MIN_SPLIT", 16)
    monkeypatch.setattr(annhist.threads, "blas_threads", lambda: 1)
    calls = []
    real_pool = annhist.threads._pool
    monkeypatch.setattr(annhist.threads, "_pool", lambda n: (calls.append(n), real_pool(n))[1])
    one = (conv.forward(x).copy(), conv.backward(g).copy(), conv.grads["W"].copy())
    cols = im2col_last(x, 5, 5, 1, 0)
    assert calls == []                                          # one thread: nothing handed over
    monkeypatch.setattr(annhist.threads, "blas_threads", lambda: 2)
    monkeypatch.setattr(sys.modules["annhist.cnn.im2col"], "_SPLIT_MIN", 0)
    np.testing.assert_array_equal(im2col_last(x, 5, 5, 1, 0), cols)
    two = (conv.forward(x).copy(), conv.backward(g).copy(), conv.grads["W"].copy())
    assert calls                                                # two threads: the halves were shared
    for got, expected in zip(two, one):                        # the same blocks, the same sums
        np.testing.assert_array_equal(got, expected)
    plain = Conv2d(2, 3, 5, random_state=0)
    monkeypatch.setattr(blocked, "BLOCK", 512)                 # 2 blocks: fewer than MIN_BLOCKS, one product
    np.testing.assert_allclose(plain.forward(x), one[0], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(plain.backward(g), one[1], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(plain.grads["W"], one[2], rtol=1e-12)
