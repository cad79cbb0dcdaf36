"""Conv2d, pooling, subsampling, Flatten and RBF: forward against references, gradient checks."""

import numpy as np
import pytest
from scipy.signal import correlate2d

from annhist.cnn import AvgPool2d, Conv2d, Flatten, MaxPool2d, Subsampling
from annhist.cnn.rbf import RBF, digit_bitmaps, rbf_map_loss, rbf_map_loss_grad
from annhist.cnn.reference import conv2d_reference, conv2d_reference_grads


def numeric_grad(f, a, eps=1e-6):
    """Central differences of the scalar f() with respect to every entry of a (modified in place, restored)."""
    g = np.zeros_like(a)
    it = np.nditer(a, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = a[i]
        a[i] = old + eps
        up = f()
        a[i] = old - eps
        down = f()
        a[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


def check_layer_gradients(layer, x, seed=0, rtol=1e-6, atol=1e-8):
    """Backward of E = sum(R * layer(x)) must match central differences for x and every parameter."""
    rng = np.random.default_rng(seed)
    out = layer.forward(x, training=True)
    R = rng.normal(size=out.shape)
    dx = layer.backward(R)

    def E():
        return float(np.sum(R * layer.forward(x, training=False)))

    np.testing.assert_allclose(dx, numeric_grad(E, x), rtol=rtol, atol=atol)
    for name, p in layer.params.items():
        numeric = numeric_grad(E, p)
        if name == "W" and getattr(layer, "mask", None) is not None:
            numeric = numeric * layer.mask          # weights outside a connection table are not parameters
        np.testing.assert_allclose(layer.grads[name], numeric, rtol=rtol, atol=atol, err_msg=name)


def naive_conv(x, W, b, stride, pad, pad_value):
    """Four nested loops over the definition a[o,i,j] = sum_c,u,v W[o,c,u,v] x[c, s*i+u-p, s*j+v-p] + b."""
    n, c, h, w = x.shape
    co, _, kh, kw = W.shape
    xp = np.full((n, c, h + 2 * pad, w + 2 * pad), float(pad_value))
    xp[:, :, pad:pad + h, pad:pad + w] = x
    oh, ow = (h + 2 * pad - kh) // stride + 1, (w + 2 * pad - kw) // stride + 1
    out = np.zeros((n, co, oh, ow))
    for b_ in range(n):
        for o in range(co):
            for i in range(oh):
                for j in range(ow):
                    patch = xp[b_, :, stride * i:stride * i + kh, stride * j:stride * j + kw]
                    out[b_, o, i, j] = np.sum(patch * W[o])
    return out + (b if b.ndim == 3 else b[:, None, None])


def test_conv_hand_example():
    # 3x3 image 1..9, 2x2 kernel [[1, 0], [0, -1]], bias 0.5:
    # out[0,0] = 1*1 + 5*(-1) + 0.5 = -3.5, and every window gives x[i,j] - x[i+1,j+1] = -4, +0.5.
    conv = Conv2d(1, 1, 2)
    conv.params["W"][...] = np.array([[1.0, 0.0], [0.0, -1.0]])
    conv.params["b"][...] = 0.5
    x = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    np.testing.assert_array_equal(conv.forward(x), np.full((1, 1, 2, 2), -3.5))


@pytest.mark.parametrize("kw", [dict(stride=1, padding=0), dict(stride=2, padding=2, pad_value=-1.0),
                                dict(stride=3, padding=1)])
def test_conv_forward_matches_naive_loop(kw):
    rng = np.random.default_rng(1)
    conv = Conv2d(3, 4, (3, 2), random_state=0, **kw)
    conv.params["b"][...] = rng.normal(size=4)
    x = rng.normal(size=(2, 3, 9, 8))
    expected = naive_conv(x, conv.params["W"], conv.params["b"], kw["stride"], kw["padding"], kw.get("pad_value", 0))
    np.testing.assert_allclose(conv.forward(x), expected, rtol=1e-12, atol=1e-12)


def test_conv_forward_matches_scipy_correlate2d():
    rng = np.random.default_rng(2)
    conv = Conv2d(2, 3, 5, random_state=1)
    x = rng.normal(size=(1, 2, 12, 10))
    out = conv.forward(x)
    for o in range(3):   # a 'valid' cross-correlation summed over the input maps
        ref = sum(correlate2d(x[0, c], conv.params["W"][o, c], mode="valid") for c in range(2))
        np.testing.assert_allclose(out[0, o], ref, rtol=1e-12, atol=1e-12)
    # padding 2 = scipy's 'same' for a 5x5 kernel
    conv_p = Conv2d(2, 3, 5, padding=2, random_state=1)
    out = conv_p.forward(x)
    ref = sum(correlate2d(x[0, c], conv_p.params["W"][0, c], mode="same") for c in range(2))
    np.testing.assert_allclose(out[0, 0], ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kw", [
    dict(stride=1, padding=0, bias="shared"),
    dict(stride=2, padding=2, pad_value=-1.0, bias="unshared", input_size=(7, 6)),
    dict(stride=2, padding=1, bias="none"),
    dict(stride=1, padding=1, table=[[1, 0, 1], [1, 1, 0]], bias="shared"),
    dict(stride=2, padding=2, pad_value=-1.0, table=[[1, 0, 1], [0, 1, 1]], bias="unshared", input_size=(7, 6)),
])
def test_conv_gradients(kw):
    rng = np.random.default_rng(3)
    conv = Conv2d(2, 3, 3, random_state=4, **kw)
    if "b" in conv.params:
        conv.params["b"][...] = rng.normal(size=conv.params["b"].shape)
    check_layer_gradients(conv, rng.normal(size=(2, 2, 7, 6)))


def test_table_weights_stay_zero_and_are_not_counted():
    table = np.array([[1, 0, 1], [0, 1, 1]])
    conv = Conv2d(2, 3, 3, table=table, random_state=0)
    W = conv.params["W"]
    assert np.all(W[0, 1] == 0) and np.all(W[1, 0] == 0) and np.all(W[2] != 0)
    conv.forward(np.ones((1, 2, 5, 5)))
    conv.backward(np.ones((1, 3, 3, 3)))
    assert np.all(conv.grads["W"][0, 1] == 0) and np.all(conv.grads["W"][1, 0] == 0)
    # 4 connected (in, out) pairs x 9 weights + 3 shared biases = 39
    assert conv.count_parameters() == 4 * 9 + 3
    # each of the 3x3 units of map 0 reads 1 map (9 lines + bias), map 2 reads 2 (18 + 1): 9 * (10 + 10 + 19)
    assert conv.count_connections((2, 5, 5)) == 9 * (10 + 10 + 19)


def test_lecun_init_uses_each_maps_fan_in():
    table = np.array([[1, 1], [0, 1], [0, 1], [0, 1]])          # map 0 reads 1 input, map 1 reads 4
    conv = Conv2d(4, 2, 5, table=table, random_state=0)
    W = conv.params["W"]
    assert np.abs(W[0]).max() <= 2.4 / 25 and np.abs(W[0]).max() > 2.4 / 100   # F = 25
    assert np.abs(W[1]).max() <= 2.4 / 100                                      # F = 100
    assert np.all(conv.params["b"] == 0)


@pytest.mark.parametrize("layer, shape", [
    (MaxPool2d(2), (2, 3, 6, 6)), (MaxPool2d(3, 2), (1, 2, 7, 7)),
    (AvgPool2d(2), (2, 3, 6, 6)), (AvgPool2d(2), (1, 2, 5, 7)), (AvgPool2d(3, 2), (1, 2, 7, 7)),
    (Subsampling(3, 2, random_state=0), (2, 3, 6, 6)), (Subsampling(2, 2, random_state=0), (1, 2, 5, 7)),
])
def test_pool_gradients(layer, shape):
    x = np.random.default_rng(5).normal(size=shape)   # continuous values: no ties in the max
    if "b" in layer.params:
        layer.params["b"][...] = [0.3, -0.2, 0.1][:layer.params["b"].size]
    check_layer_gradients(layer, x)


def test_pooling_hand_example():
    x = np.array([[1.0, 2.0, 5.0, 0.0],
                  [3.0, 4.0, 1.0, 1.0],
                  [0.0, 0.0, 2.0, 2.0],
                  [0.0, 8.0, 2.0, 6.0]]).reshape(1, 1, 4, 4)
    # max of each 2x2 block: [[4, 5], [8, 6]]; mean: [[10/4, 7/4], [8/4, 12/4]]
    np.testing.assert_array_equal(MaxPool2d(2).forward(x)[0, 0], [[4, 5], [8, 6]])
    np.testing.assert_array_equal(AvgPool2d(2).forward(x)[0, 0], [[2.5, 1.75], [2.0, 3.0]])
    # LeNet subsampling, coefficient 0.5 and bias 1: 0.5 * [[10, 7], [8, 12]] + 1
    sub = Subsampling(1, 2)
    sub.params["coef"][...] = 0.5
    sub.params["b"][...] = 1.0
    np.testing.assert_array_equal(sub.forward(x)[0, 0], [[6.0, 4.5], [5.0, 7.0]])
    # max pooling sends the gradient to each block's winner only
    mp = MaxPool2d(2)
    mp.forward(x)
    dx = mp.backward(np.ones((1, 1, 2, 2)))[0, 0]
    assert dx.tolist() == [[0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 1, 0, 1]]


def test_flatten_round_trip():
    x = np.arange(24.0).reshape(2, 3, 2, 2)
    f = Flatten()
    y = f.forward(x)
    assert y.shape == (2, 12) and y[1, 0] == 12.0
    np.testing.assert_array_equal(f.backward(y), x)


def test_rbf_forward_and_gradients():
    rng = np.random.default_rng(6)
    centres = rng.choice([-1.0, 1.0], size=(4, 5))
    rbf = RBF(centres)
    x = rng.normal(size=(3, 5))
    out = rbf.forward(x)
    np.testing.assert_allclose(out, ((x[:, None, :] - centres[None]) ** 2).sum(-1))   # eq. (7)
    check_layer_gradients(rbf, x)
    assert rbf.count_parameters() == 0 and rbf.count_connections((5,)) == 20


def test_rbf_map_loss_gradient():
    rng = np.random.default_rng(7)
    y = rng.uniform(0, 5, size=(4, 10))
    labels = np.array([0, 3, 9, 3])
    g = rbf_map_loss_grad(y, labels, j=2.0)
    np.testing.assert_allclose(g, numeric_grad(lambda: rbf_map_loss(y, labels, j=2.0), y), rtol=1e-6, atol=1e-9)
    # with every penalty huge the loss is y_D - j: log(e^-j + ~0) = -j
    big = np.full((1, 10), 500.0)
    assert np.isclose(rbf_map_loss(big, np.array([2]), j=2.0), 500.0 - 2.0)


def test_digit_bitmaps_are_84_pixel_pm1_and_distinct():
    c = digit_bitmaps()
    assert c.shape == (10, 84) and set(np.unique(c)) == {-1.0, 1.0}
    d = ((c[:, None] - c[None]) ** 2).sum(-1)
    assert np.all(d[~np.eye(10, dtype=bool)] >= 4 * 7)       # any two glyphs differ in at least 7 pixels


def test_bad_inputs_name_the_expected_shape():
    conv = Conv2d(12, 12, 5, stride=2, padding=2, bias="unshared", input_size=(8, 8))
    with pytest.raises(ValueError, match=r"Conv2d expects input of shape \(N, 12, 8, 8\). Got \(1, 3, 8, 8\)"):
        conv.forward(np.zeros((1, 3, 8, 8)))
    with pytest.raises(ValueError, match=r"Conv2d expects input of shape \(N, 1, \?, \?\). Got \(16, 16\)"):
        Conv2d(1, 2, 3).forward(np.zeros((16, 16)))
    with pytest.raises(ValueError, match="'kernel_size'.*larger than the padded input height"):
        Conv2d(1, 2, 7).forward(np.zeros((1, 1, 5, 5)))
    with pytest.raises(ValueError, match="'stride' parameter of Conv2d must be >= 1. Got 0"):
        Conv2d(1, 2, 3, stride=0)
    with pytest.raises(TypeError, match="'kernel_size' parameter of Conv2d must be an int. Got 2.5"):
        Conv2d(1, 2, 2.5)
    with pytest.raises(ValueError, match="'input_size' parameter of Conv2d is required with bias='unshared'"):
        Conv2d(1, 2, 3, bias="unshared")
    with pytest.raises(ValueError, match=r"'table'.*shape \(in_channels, out_channels\) = \(2, 3\)"):
        Conv2d(2, 3, 3, table=np.ones((3, 2), int))
    with pytest.raises(ValueError, match=r"leaves output map\(s\) \[1\] with no input"):
        Conv2d(2, 2, 3, table=[[1, 0], [1, 0]])
    with pytest.raises(ValueError, match="'bias' parameter of Conv2d must be one of"):
        Conv2d(1, 2, 3, bias="per-unit")
    with pytest.raises(ValueError, match=r"Subsampling expects input of shape \(N, 6, \?, \?\)"):
        Subsampling(6).forward(np.zeros((1, 4, 8, 8)))
    with pytest.raises(ValueError, match="'kernel_size'.*larger than the padded input"):
        MaxPool2d(4).forward(np.zeros((1, 1, 3, 3)))
    with pytest.raises(RuntimeError, match="before forward"):
        Conv2d(1, 1, 3).backward(np.zeros((1, 1, 1, 1)))


# ----------------------------------------------------------------------------- the fast path against the formula
def _batch_last_copy(x):
    """The same batch, stored (C, H, W, N) in memory, as a Conv2d passes its output on."""
    return np.ascontiguousarray(x.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)


def test_conv2d_reference_is_the_naive_loop():
    rng = np.random.default_rng(5)
    x, W, b = rng.normal(size=(2, 3, 9, 8)), rng.normal(size=(4, 3, 3, 2)), rng.normal(size=4)
    np.testing.assert_allclose(conv2d_reference(x, W, b, 2, 1, -1.0), naive_conv(x, W, b, 2, 1, -1.0), rtol=1e-12,
                               atol=1e-12)


@pytest.mark.parametrize("block", [None, 8])
@pytest.mark.parametrize("kw", [dict(stride=1, padding=0), dict(stride=2, padding=2, pad_value=-1.0),
                                dict(stride=1, padding=1, table=[[1, 0, 1], [1, 1, 0]]),
                                dict(stride=2, padding=2, pad_value=-1.0, table=[[1, 0, 1], [0, 1, 1]],
                                     bias="unshared", input_size=(7, 6))])
def test_conv_fast_path_matches_the_reference_formula(kw, block, monkeypatch):
    """Forward and every gradient of Conv2d against conv2d_reference(_grads), on C-order and batch-last input;
    with ``block`` the thin products run in blocks of that many columns (and a partial last block)."""
    import annhist.cnn.blocked

    if block is not None:
        monkeypatch.setattr(annhist.cnn.blocked, "BLOCK", block)
    rng = np.random.default_rng(6)
    conv = Conv2d(2, 3, 3, random_state=7, **kw)
    conv.params["b"][...] = rng.normal(size=conv.params["b"].shape)
    x = rng.normal(size=(5, 2, 7, 6))
    a_ref = conv2d_reference(x, conv.params["W"], conv.params["b"], conv.stride, conv.padding, conv.pad_value)
    g = rng.normal(size=a_ref.shape)
    dx_ref, dW_ref = conv2d_reference_grads(x, conv.params["W"], g, conv.stride, conv.padding, conv.pad_value)
    if conv.mask is not None:
        dW_ref = dW_ref * conv.mask
    db_ref = g.sum(axis=0) if conv.bias == "unshared" else g.sum(axis=(0, 2, 3))
    for xin, gin in ((x, g), (_batch_last_copy(x), _batch_last_copy(g))):
        np.testing.assert_allclose(conv.forward(xin, training=True), a_ref, rtol=1e-12, atol=1e-12)
        dx = conv.backward(gin)
        np.testing.assert_allclose(dx, dx_ref, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(conv.grads["W"], dW_ref, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(conv.grads["b"], db_ref, rtol=1e-12, atol=1e-12)


def test_unshared_bias_gradient_is_the_sum_over_the_batch():
    """One bias per unit (LeCun 1989): its gradient is dE/da summed over the patterns. For one pattern
    (the book's per-pattern training) it is dE/da itself, bit for bit; for a batch it agrees with
    numpy's sum to rounding (np.einsum adds in another order, 2-3x as fast)."""
    conv = Conv2d(1, 12, 5, stride=2, padding=2, pad_value=-1.0, bias="unshared", input_size=(16, 16), random_state=0)
    rng = np.random.default_rng(0)
    for n, dtype in ((1, "float64"), (64, "float64"), (1, "float32"), (64, "float32")):
        conv.params = {k: v.astype(dtype) for k, v in conv.params.items()}
        out = conv.forward(rng.normal(size=(n, 1, 16, 16)).astype(dtype))
        g = rng.normal(size=out.shape).astype(dtype)
        conv.backward(g)
        assert conv.grads["b"].dtype == dtype and conv.grads["b"].shape == (12, 8, 8)
        if n == 1:
            np.testing.assert_array_equal(conv.grads["b"], g[0])
        else:
            tol = {"float64": 1e-12, "float32": 1e-5}[dtype]
            np.testing.assert_allclose(conv.grads["b"], g.astype(float).sum(axis=0), rtol=tol, atol=tol)


def test_conv_buffers_never_leak_between_calls():
    """The layer reuses its column buffer: an evaluation pass between forward and backward must not
    change the gradient, and an output already returned must not change on the next forward."""
    rng = np.random.default_rng(8)
    x1, x2 = rng.normal(size=(64, 2, 12, 12)), rng.normal(size=(64, 2, 12, 12))
    conv, fresh = Conv2d(2, 4, 5, random_state=0), Conv2d(2, 4, 5, random_state=0)
    out1 = conv.forward(x1, training=True)
    kept = out1.copy()
    conv.forward(x2, training=False)                         # e.g. a validation pass
    g = rng.normal(size=out1.shape)
    dx = conv.backward(g)
    fresh.forward(x1, training=True)
    np.testing.assert_array_equal(dx, fresh.backward(g))
    np.testing.assert_array_equal(conv.grads["W"], fresh.grads["W"])
    conv.forward(x2, training=True)
    np.testing.assert_array_equal(out1, kept)


def test_conv_cols_keep_the_pattern_major_order_sdlm_reads():
    """``_cols`` (read by sdlm.diagonal_hessian with g laid out (C_out, N*P)) is im2col in (K, N*P) order."""
    from annhist.cnn.im2col import im2col

    x = np.random.default_rng(9).normal(size=(40, 3, 9, 9))
    conv = Conv2d(3, 2, 3, stride=2, padding=1, pad_value=-1.0, random_state=0)
    conv.forward(x, training=True)
    ref = im2col(x, 3, 3, 2, 1, -1.0)                                   # (N, K, P)
    np.testing.assert_array_equal(conv._cols, ref.transpose(1, 0, 2).reshape(ref.shape[1], -1))


@pytest.mark.parametrize("layer", [Subsampling(3, 2, random_state=0), AvgPool2d(2)])
def test_subsampling_gives_the_same_numbers_in_either_memory_layout(layer):
    rng = np.random.default_rng(10)
    x = rng.normal(size=(4, 3, 9, 8))                                   # 9 rows: the last row is in no window
    out = layer.forward(x)
    g = rng.normal(size=out.shape)
    dx = layer.backward(g)
    grads = {k: v.copy() for k, v in layer.grads.items()}
    out_t = layer.forward(_batch_last_copy(x))
    dx_t = layer.backward(_batch_last_copy(g))
    np.testing.assert_array_equal(out_t, out)
    np.testing.assert_array_equal(dx_t, dx)
    assert not dx_t[:, :, 8].any()                                      # no gradient for the unread row
    assert dx_t.transpose(1, 2, 3, 0).flags.c_contiguous                # the layout is passed on
    for k, v in grads.items():
        np.testing.assert_allclose(layer.grads[k], v, rtol=1e-13, atol=1e-13)


def test_conv2d_reference_grads_are_the_derivatives_of_the_formula():
    rng = np.random.default_rng(11)
    x, W = rng.normal(size=(2, 2, 6, 5)), rng.normal(size=(3, 2, 3, 3))
    g = rng.normal(size=conv2d_reference(x, W, None, 2, 2, -1.0).shape)

    def E():
        return float(np.sum(g * conv2d_reference(x, W, None, 2, 2, -1.0)))

    dx, dW = conv2d_reference_grads(x, W, g, 2, 2, -1.0)
    np.testing.assert_allclose(dx, numeric_grad(E, x), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(dW, numeric_grad(E, W), rtol=1e-6, atol=1e-8)
