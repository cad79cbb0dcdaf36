"""annhist.cnn.lowered: a convolution from its input rows gives the column matrix's numbers."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import annhist.cnn.lowered as lowered
from annhist.cnn import C3_TABLE, H2_TABLE, Conv2d
from annhist.cnn.im2col import col2im_last, im2col_last
from annhist.cnn.lowered import (
    lower_rows,
    rows_gram,
    rows_input_gradient,
    rows_matmul,
    rows_shape,
    rows_to_cols,
    rows_weights,
)
from annhist.cnn.reference import conv2d_reference, conv2d_reference_grads

TOL = {"float64": 1e-12, "float32": 2e-5}


@settings(max_examples=100, deadline=None)
@given(c=st.integers(1, 3), h=st.integers(1, 14), w=st.integers(1, 14), kh=st.integers(1, 5), kw=st.integers(1, 5),
       stride=st.integers(1, 3), padding=st.integers(0, 3), n=st.integers(1, 5),
       pad_value=st.sampled_from([0.0, -1.0, 0.5]), dtype=st.sampled_from(["float64", "float32"]),
       batch_last=st.booleans(), maps=st.sampled_from([3, lowered.GRAM_MAPS]), seed=st.integers(0, 2**16))
def test_the_rows_hold_the_column_matrix_entries(c, h, w, kh, kw, stride, padding, n, pad_value, dtype, batch_last,
                                                 maps, seed):
    """Every geometry: the stack is im2col_last's matrix cut by output row, its rows in the order (u, c, v),
    bit for bit (a copy), and the products made from it agree with the column matrix's (the weight gradient
    in both of its orders: in float64 with 3 output maps from several input maps its rows' products are
    g_i @ L_i^T, otherwise L_i @ g_i^T)."""
    if kh > h + 2 * padding or kw > w + 2 * padding:
        return
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, c, h, w)).astype(dtype)
    if batch_last:                                    # the layout a layer below hands over
        x = np.ascontiguousarray(x.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)
    cols = im2col_last(x, kh, kw, stride, padding, pad_value)
    out = np.full(rows_shape(c, h, w, kw, stride, padding, n), np.nan, dtype)
    stack = lower_rows(x, kh, kw, stride, padding, pad_value, out=out)
    oh = (h + 2 * padding - kh) // stride + 1
    assert stack.shape == (oh, c * kh * kw, cols.shape[1] // oh)
    np.testing.assert_array_equal(rows_to_cols(stack, kh, c), cols)
    x2 = rng.normal(size=x.shape).astype(dtype)                # a layer's next batch, into the same buffer:
    again = lower_rows(x2, kh, kw, stride, padding, pad_value, out=out, border=True)   # only the pixels are copied
    np.testing.assert_array_equal(rows_to_cols(again, kh, c), im2col_last(x2, kh, kw, stride, padding, pad_value))
    stack = lower_rows(x, kh, kw, stride, padding, pad_value, out=out, border=True)
    W = rng.normal(size=(maps, c, kh, kw)).astype(dtype)
    a = np.empty((maps, cols.shape[1]), dtype)
    rows_matmul(rows_weights(W), stack, a)
    ref = W.reshape(maps, -1) @ cols
    tol = TOL[dtype]
    np.testing.assert_allclose(a, ref, rtol=tol * 10, atol=tol * 10 * max(1.0, np.abs(ref).max()))
    g = rng.normal(size=a.shape).astype(dtype)
    ref = (g @ cols.T).reshape(W.shape)
    np.testing.assert_allclose(rows_gram(g, stack, kh, c), ref, rtol=tol * 10,
                               atol=tol * 10 * max(1.0, np.abs(ref).max()))


def test_the_stack_of_rows_not_laid_out_in_order_is_refused():
    """row_stack reads KH blocks of rows as one matrix, which only a C-contiguous array holds: a slice is refused
    with a ValueError naming the parameter; the C-contiguous copy gives read-only views of its rows."""
    rows = np.arange(2 * 12 * 10 * 7, dtype=float).reshape(12, 20, 7)[:, ::2]      # (12, 10, 7), every other row
    with pytest.raises(ValueError, match="'rows' parameter of row_stack must be C-contiguous"):
        lowered.row_stack(rows, 3, 2, 5)
    stack = lowered.row_stack(np.ascontiguousarray(rows), 3, 2, 5)
    assert not stack.flags.writeable
    np.testing.assert_array_equal(stack[1], np.ascontiguousarray(rows)[2:5].reshape(30, 7))   # rows 2-4: output row 1
    with pytest.raises(ValueError, match="read rows up to 12; the 'rows' parameter has 12"):   # past its last row
        lowered.row_stack(np.ascontiguousarray(rows), 3, 2, 6)


BENCH_LAYERS = [
    ("LeNet-5 C1", lambda: Conv2d(1, 6, 5, random_state=0), (64, 1, 32, 32), False),
    ("LeNet-5 C1, a half batch", lambda: Conv2d(1, 6, 5, random_state=0), (32, 1, 32, 32), False),
    ("LeCun-1989 H1", lambda: Conv2d(1, 12, 5, stride=2, padding=2, pad_value=-1.0, bias="unshared",
                                     input_size=(16, 16), random_state=0), (64, 1, 16, 16), False),
    ("LeNet-5 C3", lambda: Conv2d(6, 16, 5, table=C3_TABLE, random_state=0), (64, 6, 14, 14), True),
    ("LeCun-1989 H2", lambda: Conv2d(12, 12, 5, stride=2, padding=2, pad_value=-1.0, table=H2_TABLE, bias="unshared",
                                     input_size=(8, 8), random_state=0), (64, 12, 8, 8), True),
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name, make, shape, maps", BENCH_LAYERS)
def test_the_benchmark_layers_by_rows_give_the_column_matrix_numbers(name, make, shape, maps, dtype, monkeypatch):
    """C1, H1, C3 and H2 at batch 64 (and C1 at LeNet-5's half batch) go by rows, in both dtypes: the forward
    pass agrees with the column matrix's product (for one map: its bits, the same dot products in the same
    order, on this machine's BLAS), the gradients agree with it to rounding and with the textbook formula, the
    input gradient and ``_cols`` (read by sdlm) are the same."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=shape).astype(dtype)
    if maps:                                                # batch-last, as the layer below hands it over
        x = np.ascontiguousarray(x.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)
    by_rows, by_cols = make(), make()
    by_rows.params = {k: (v + rng.normal(size=v.shape)).astype(dtype) if k == "b" else v.astype(dtype)
                      for k, v in by_rows.params.items()}
    by_cols.params = {k: v.copy() for k, v in by_rows.params.items()}
    if by_rows.mask is not None:
        by_rows.mask = by_cols.mask = by_rows.mask.astype(dtype)
    a = by_rows.forward(x)
    assert by_rows._stack is not None, f"{name} in {dtype} did not go by rows"
    monkeypatch.setattr(lowered, "MIN_BYTES", np.inf)     # the same layer, on the column matrix
    a_cols = by_cols.forward(x)
    assert by_cols._stack is None and by_cols._cols_last is not None
    tol = TOL[dtype]
    if maps:                                                # rows (u, c, v) against (c, u, v): another order
        np.testing.assert_allclose(a, a_cols, rtol=tol, atol=tol * np.abs(a_cols).max())
    else:
        np.testing.assert_array_equal(a, a_cols)
    g = rng.normal(size=a.shape).astype(dtype)
    dx, dx_cols = by_rows.backward(g), by_cols.backward(g)
    by_input_rows = name in ("LeNet-5 C1", "LeNet-5 C3", "LeCun-1989 H2")     # C*KW*OW*N >= GRADIENT_MIN
    assert (by_rows._drows is not None) == by_input_rows and by_cols._drows is None
    if by_input_rows:                                       # the same sums, in another order
        np.testing.assert_allclose(dx, dx_cols, rtol=tol * 10, atol=tol * 10 * np.abs(dx_cols).max())
    else:                                                   # the blocks of annhist.cnn.fused, as on the columns
        np.testing.assert_array_equal(dx, dx_cols)
    ref = by_cols.grads["W"]
    np.testing.assert_allclose(by_rows.grads["W"], ref, rtol=tol * 10, atol=tol * 10 * np.abs(ref).max())
    np.testing.assert_array_equal(by_rows.grads["W"] == 0, ref == 0)    # nothing outside the table
    np.testing.assert_array_equal(by_rows.grads["b"], by_cols.grads["b"])
    np.testing.assert_array_equal(by_rows._cols, by_cols._cols)
    x64, W64 = x.astype(np.float64), by_rows.params["W"].astype(np.float64)
    s, p, pv = by_rows.stride, by_rows.padding, by_rows.pad_value
    dx_ref, dW_ref = conv2d_reference_grads(x64, W64, g.astype(np.float64), s, p, pv)
    if by_rows.mask is not None:
        dW_ref *= by_rows.mask
    ref_a = conv2d_reference(x64, W64, by_rows.params["b"].astype(np.float64), s, p, pv)
    loose = {"float64": 1e-10, "float32": 1e-3}[dtype]
    np.testing.assert_allclose(a, ref_a, rtol=loose, atol=loose * np.abs(ref_a).max())
    np.testing.assert_allclose(by_rows.grads["W"], dW_ref, rtol=loose, atol=loose * np.abs(dW_ref).max())
    np.testing.assert_allclose(dx, dx_ref, rtol=loose, atol=loose * np.abs(dx_ref).max())


def test_small_batches_and_wide_windows_keep_the_column_matrix():
    """One pattern of the 1989 net (chapter 09's per-pattern SGD) and a geometry whose rows would outnumber the
    column matrix's (stride 5 on a 5x5 kernel) are not lowered by rows; H2 and C3 at batch 64 are, in float32 too."""
    cases = [(Conv2d(1, 12, 5, stride=2, padding=2, pad_value=-1.0, random_state=0), np.zeros((1, 1, 16, 16))),
             (Conv2d(1, 4, 5, stride=5, random_state=0), np.zeros((64, 1, 40, 40)))]
    for layer, x in cases:
        layer.forward(x)
        assert layer._stack is None and layer._cols_last is not None, (layer, x.shape)
    h2 = Conv2d(12, 12, 5, stride=2, padding=2, table=H2_TABLE, random_state=0)
    c3 = Conv2d(6, 16, 5, table=C3_TABLE, random_state=0)
    for layer, shape in ((h2, (64, 12, 8, 8)), (c3, (64, 6, 14, 14))):
        layer.params = {k: v.astype(np.float32) for k, v in layer.params.items()}
        layer.forward(np.zeros(shape, np.float32))
        assert layer._stack is not None and layer._cols_last is None, shape


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
    np.testing.assert_array_equal(rows_to_cols(conv._stack, 5, 1), im2col_last(x1, 5, 5))   # x1's rows, not x2's


def test_the_pad_entries_a_layer_keeps_follow_its_pad_value_buffer_and_copies():
    """A layer writes the pad entries of its rows buffer once and then copies only the pixels: a changed
    pad_value, a batch of another size (a new buffer) and a shard copy each write them again."""
    rng = np.random.default_rng(5)
    conv = Conv2d(12, 12, 5, stride=2, padding=2, pad_value=-1.0, table=H2_TABLE, random_state=0)

    def check(layer, x):
        layer.forward(x)
        cols = im2col_last(x, 5, 5, 2, 2, layer.pad_value)
        np.testing.assert_array_equal(rows_to_cols(layer._stack, 5, 12), cols)

    for pad, n in ((-1.0, 64), (-1.0, 64), (0.5, 64), (0.5, 32), (-0.0, 32), (0.0, 32), (0.5, 64)):
        conv.pad_value = pad
        check(conv, rng.normal(size=(n, 12, 8, 8)))
    twin = conv.shard_copy()
    twin.pad_value = -1.0
    check(twin, rng.normal(size=(64, 12, 8, 8)))
    conv.pad_value = 0.5                                       # the original's buffer still holds 0.5
    conv.forward(rng.normal(size=(64, 12, 8, 8)), training=False)
    check(conv, rng.normal(size=(64, 12, 8, 8)))


@settings(max_examples=150, deadline=None)
@given(c=st.integers(1, 3), c_out=st.integers(1, 4), h=st.integers(1, 12), w=st.integers(1, 12),
       kh=st.integers(1, 5), kw=st.integers(1, 5), stride=st.integers(1, 4), padding=st.integers(0, 3),
       n=st.integers(1, 4), dtype=st.sampled_from(["float64", "float32"]), seed=st.integers(0, 2**16))
def test_the_input_gradient_by_rows_is_col2im_of_w_transposed_g(c, c_out, h, w, kh, kw, stride, padding, n, dtype,
                                                                seed):
    """Every geometry, strides wider than the kernel (pixels no field reads: zero) and input rows that no output
    row reads included: ``rows_input_gradient`` is ``col2im(W^T g)`` to rounding and the textbook formula's
    input gradient; it writes every entry of its scratch that it reads (a scratch full of NaN leaves none)."""
    if kh > h + 2 * padding or kw > w + 2 * padding:
        return
    oh, ow = (h + 2 * padding - kh) // stride + 1, (w + 2 * padding - kw) // stride + 1
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(c_out, c, kh, kw)).astype(dtype)
    g4 = rng.normal(size=(n, c_out, oh, ow)).astype(dtype)
    g = np.ascontiguousarray(g4.transpose(1, 2, 3, 0)).reshape(c_out, -1)          # batch-last, as backward has it
    scratch = np.full((h, c * kw, ow * n), np.nan, dtype)
    dx = rows_input_gradient(W, g, (n, c, h, w), stride, padding, scratch)
    assert dx.shape == (n, c, h, w) and dx.dtype == np.dtype(dtype) and np.isfinite(dx).all()
    two = col2im_last(W.reshape(c_out, -1).T @ g, (n, c, h, w), kh, kw, stride, padding)
    tol = TOL[dtype]
    np.testing.assert_allclose(dx, two, rtol=tol * 10, atol=tol * 10 * max(1.0, np.abs(two).max()))
    ref, _ = conv2d_reference_grads(np.zeros((n, c, h, w)), W.astype(np.float64), g4.astype(np.float64), stride,
                                    padding)
    np.testing.assert_allclose(dx, ref, rtol=tol * 10, atol=tol * 10 * max(1.0, np.abs(ref).max()))


def test_the_input_gradient_by_rows_by_hand():
    """A 3x3 kernel whose middle row is ``[1, 10, 100]`` (the others 0) at stride 2 on a 1x5 image padded by 1:
    one output row, units at padded columns 0, 2, 4; pixel x gets ``W[1, v] g[j]`` for ``2j + v = x + 1``, i.e.
    ``[10 g0, 100 g0 + g1, 10 g1, 100 g1 + g2, 10 g2]``. With a 1x3 kernel the two output rows read only the
    padding rows, so no pixel gets anything."""
    W = np.zeros((1, 1, 3, 3))
    W[0, 0, 1] = [1.0, 10.0, 100.0]
    g = np.array([[1.0, 2.0, 3.0]])                                               # (C_out, OH*OW*N), N = 1
    dx = rows_input_gradient(W, g, (1, 1, 1, 5), 2, 1, np.full((1, 3, 3), np.nan))
    np.testing.assert_array_equal(dx.ravel(), [10.0, 100.0 + 2.0, 20.0, 200.0 + 3.0, 30.0])
    dx = rows_input_gradient(W[:, :, 1:2], np.ones((1, 6)), (1, 1, 1, 5), 2, 1, np.full((1, 3, 3), np.nan))
    np.testing.assert_array_equal(dx, np.zeros((1, 1, 1, 5)))
