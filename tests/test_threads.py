"""annhist.threads: element-wise work cut into parts on a thread pool gives the same bits as one call."""

import numpy as np
import pytest

from annhist import threads


@pytest.fixture
def three_parts(monkeypatch):
    """Force three parts even for small arrays."""
    monkeypatch.setattr(threads, "blas_threads", lambda: 3)
    monkeypatch.setattr(threads, "_MIN_PART", 1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("layout", ["C", "transposed", "strided"])
def test_apply_inplace_equals_one_call_bit_for_bit(three_parts, dtype, layout):
    base = (5 * np.random.default_rng(0).normal(size=(7, 6, 5, 4))).astype(dtype)
    a = {"C": base.copy(), "transposed": base.copy().transpose(3, 0, 2, 1),
         "strided": base.copy()[:, ::2]}[layout]                  # the last one has gaps: one call
    expected = np.tanh(a)
    out = threads.apply_inplace(np.tanh, a)
    assert out is a
    np.testing.assert_array_equal(a, expected)
    np.testing.assert_array_equal(threads.apply_inplace(np.multiply, a, 2.0), 2.0 * expected)


def test_apply_inplace_keeps_the_callers_errstate_in_every_part(three_parts):
    a = np.array([4.0, 1.0, -1.0, 9.0, 16.0, 25.0])
    with np.errstate(invalid="raise"), pytest.raises(FloatingPointError):
        threads.apply_inplace(np.sqrt, a)


def test_blas_threads_follows_threadpool_limits():
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        assert threads.blas_threads() == 1
    assert threads.blas_threads() >= 1


def test_split_run_covers_every_index_once_in_two_halves_or_one_call():
    def record(n, min_size=2):
        calls = []
        threads.split_run(lambda lo, hi: calls.append((lo, hi)), n, min_size)
        return sorted(calls)

    two = threads.blas_threads() >= 2
    assert record(9) == ([(0, 4), (4, 9)] if two else [(0, 9)])     # the caller's thread takes the first half
    assert record(3) == [(0, 3)]                                    # fewer than 2 * min_size: one call
    assert record(9, min_size=5) == [(0, 9)]
    with threads.blas_limited(1):
        assert record(9) == [(0, 9)]                                # one BLAS thread: one call
