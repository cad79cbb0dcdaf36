"""annhist.cnn.lowered: a one-map convolution from its input rows gives the column matrix's numbers."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import annhist.cnn.lowered as lowered
from annhist.cnn import Conv2d
from annhist.cnn.im2col import im2col_last
from annhist.cnn.lowered import lower_rows, rows_gram, rows_matmul, rows_shape, rows_to_cols
from annhist.cnn.reference import conv2d_reference, conv2d_reference_grads

TOL = {"float64": 1e-12, "float32": 2e-5}


@settings(max_examples=80, deadline=None)
@given(h=st.integers(1, 14), w=st.integers(1, 14), kh=st.integers(1, 5), kw=st.integers(1, 5),
       stride=st.integers(1, 3), padding=st.integers(0, 3), n=st.integers(1, 5),
       pad_value=st.sampled_from([0.0, -1.0, 0.5]), dtype=st.sampled_from(["float64", "float32"]),
       batch_last=st.booleans(), seed=st.integers(0, 2**16))
def test_the_rows_hold_the_column_matrix_entries(h, w, kh, kw, stride, padding, n, pad_value, dtype, batch_last,
                                                 seed):
    """Every geometry: the stack is im2col_last's matrix cut by output row, bit for bit (a copy), and the
    products made from it agree with the column matrix's."""
    if kh > h + 2 * padding or kw > w + 2 * padding:
        return
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 1, h, w)).astype(dtype)
    if batch_last:                                    # the layout a layer below hands over
        x = np.ascontiguousarray(x.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)
    cols = im2col_last(x, kh, kw, stride, padding, pad_value)
    out = np.full(rows_shape(h, w, kh, kw, stride, padding, n), np.nan, dtype)
    stack = lower_rows(x, kh, kw, stride, padding, pad_value, out=out)
    oh = (h + 2 * padding - kh) // stride + 1
    assert stack.shape == (oh, kh * kw, cols.shape[1] // oh)
    np.testing.assert_array_equal(rows_to_cols(stack), cols)
    W = rng.normal(size=(3, kh * kw)).astype(dtype)
    a = np.empty((3, cols.shape[1]), dtype)
    rows_matmul(W, stack, a)
    tol = TOL[dtype]
    np.testing.assert_allclose(a, W @ cols, rtol=tol, atol=tol * max(1.0, np.abs(W @ cols).max()))
    g = rng.normal(size=a.shape).astype(dtype)
    ref = g @ cols.T
    np.testing.assert_allclose(rows_gram(g, stack), ref, rtol=tol * 10, atol=tol * 10 * max(1.0, np.abs(ref).max()))


def test_more_than_one_input_map_is_refused():
    with pytest.raises(ValueError, match="one input map.*Got 2"):
        lower_rows(np.zeros((4, 2, 8, 8)), 3, 3, 1, 0, 0.0)


BENCH_LAYERS = [
    ("LeNet-5 C1", lambda: Conv2d(1, 6, 5, random_state=0), (64, 1, 32, 32)),
    ("LeNet-5 C1, a half batch", lambda: Conv2d(1, 6, 5, random_state=0), (32, 1, 32, 32)),
    ("LeCun-1989 H1", lambda: Conv2d(1, 12, 5, stride=2, padding=2, pad_value=-1.0, bias="unshared",
                                     input_size=(16, 16), random_state=0), (64, 1, 16, 16)),
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name, make, shape", BENCH_LAYERS)
def test_one_map_layers_take_the_rows_and_give_the_column_matrix_numbers(name, make, shape, dtype, monkeypatch):
    """C1 and H1 at batch 64 (and C1 at LeNet-5's half batch) go by rows: the forward pass has the bits of
    the column matrix's product as this machine's BLAS makes it, the gradients agree with it to rounding
    and with the textbook formula, and ``_cols`` (read by sdlm) is the same matrix."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=shape).astype(dtype)
    by_rows, by_cols = make(), make()
    by_rows.params = {k: (v + rng.normal(size=v.shape)).astype(dtype) if k == "b" else v.astype(dtype)
                      for k, v in by_rows.params.items()}
    by_cols.params = {k: v.copy() for k, v in by_rows.params.items()}
    a = by_rows.forward(x)
    monkeypatch.setattr(lowered, "MIN_BYTES", np.inf)     # the same layer, on the column matrix
    a_cols = by_cols.forward(x)
    assert by_rows._stack is not None and by_rows._cols_last is None, f"{name}: not by rows"
    assert by_cols._stack is None and by_cols._cols_last is not None
    W = by_rows.params["W"]
    np.testing.assert_array_equal(a, a_cols)               # the same dot products, in the same order
    g = rng.normal(size=a.shape).astype(dtype)
    dx, dx_cols = by_rows.backward(g), by_cols.backward(g)
    np.testing.assert_array_equal(dx, dx_cols)              # the input gradient does not read the columns
    tol = TOL[dtype]
    ref = by_cols.grads["W"]
    np.testing.assert_allclose(by_rows.grads["W"], ref, rtol=tol * 10, atol=tol * 10 * np.abs(ref).max())
    np.testing.assert_array_equal(by_rows.grads["b"], by_cols.grads["b"])
    np.testing.assert_array_equal(by_rows._cols, by_cols._cols)
    x64 = x.astype(np.float64)
    W64 = W.astype(np.float64)
    _, dW_ref = conv2d_reference_grads(x64, W64, g.astype(np.float64), by_rows.stride, by_rows.padding,
                                       by_rows.pad_value)
    ref_a = conv2d_reference(x64, W64, by_rows.params["b"].astype(np.float64), by_rows.stride, by_rows.padding,
                             by_rows.pad_value)
    loose = {"float64": 1e-10, "float32": 1e-3}[dtype]
    np.testing.assert_allclose(a, ref_a, rtol=loose, atol=loose * np.abs(ref_a).max())
    np.testing.assert_allclose(by_rows.grads["W"], dW_ref, rtol=loose, atol=loose * np.abs(dW_ref).max())


def test_small_batches_many_maps_and_wide_windows_keep_the_column_matrix():
    """One pattern of the 1989 net (chapter 09's per-pattern SGD), C3 (six maps) and a geometry whose rows
    would outnumber the column matrix's (stride 5 on a 5x5 kernel) are not lowered by rows."""
    cases = [(Conv2d(1, 12, 5, stride=2, padding=2, pad_value=-1.0, random_state=0), (1, 1, 16, 16)),
             (Conv2d(6, 16, 5, random_state=0), (64, 6, 14, 14)),
             (Conv2d(1, 4, 5, stride=5, random_state=0), (64, 1, 40, 40))]
    for layer, shape in cases:
        layer.forward(np.zeros(shape))
        assert layer._stack is None and layer._cols_last is not None, (layer, shape)


def test_an_evaluation_pass_by_rows_leaves_the_kept_rows_alone():
    """forward(training=False) between a training forward and its backward (a validation pass) must not
    overwrite the rows backward reads."""
    rng = np.random.default_rng(4)
    x1, x2 = rng.normal(size=(64, 1, 32, 32)), rng.normal(size=(64, 1, 32, 32))
    conv, fresh = Conv2d(1, 6, 5, random_state=0), Conv2d(1, 6, 5, random_state=0)
    conv.forward(x1)
    conv.forward(x2, training=False)
    g = rng.normal(size=(64, 6, 28, 28))
    conv.backward(g)
    fresh.forward(x1)
    fresh.backward(g)
    np.testing.assert_array_equal(conv.grads["W"], fresh.grads["W"])
    np.testing.assert_array_equal(rows_to_cols(conv._stack), im2col_last(x1, 5, 5))   # x1's rows, not x2's
