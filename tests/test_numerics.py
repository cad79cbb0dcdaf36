"""Numerical safety: no overflow, no NaN, no warning for inputs up to +-1e4; divergence is an error.

Every activation, loss and layer is run under ``np.errstate(all="raise")`` -- an overflow, an
invalid operation, a division by zero or an underflow anywhere inside raises
``FloatingPointError`` -- on inputs spanning +-1e4 (and on the extremes themselves), and must
return finite values. Training that runs away stops with :class:`annhist.DivergenceError`
naming the step size, and leaves no NaN behind.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from annhist import ConvergenceWarning, DivergenceError, activations, losses
from annhist.adaline import Adaline, lms_stability_limit
from annhist.datasets import letters, retina_shapes
from annhist.layers import ActivationLayer, Dense
from annhist.perceptron import Perceptron, Pocket, rosenblatt_epoch
from annhist.perceptron.mark1 import MarkI

# Inputs spanning the range: the extremes, zero, tiny values, and a log-spaced sweep of both signs.
SWEEP = np.concatenate([[-1e4, -1e3, -745.0, -710.0, -50.0, -1.0, -1e-300, -0.0, 0.0, 5e-324, 1e-8, 1.0, 36.0,
                         710.0, 1e4], -np.logspace(-8, 4, 25), np.logspace(-8, 4, 25)])
GRID = SWEEP.reshape(-1, 5)                                             # (13, 5): a batch of 13 cases


def finite(*arrays) -> bool:
    return all(np.all(np.isfinite(np.asarray(a))) for a in arrays)


# ----------------------------------------------------------------------------- activations
@pytest.mark.parametrize("name", sorted(activations.ACTIVATIONS))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_activations_and_derivatives_are_finite_under_raise(name, dtype):
    act = activations.ACTIVATIONS[name]
    a = SWEEP.astype(dtype)
    with np.errstate(all="raise"):
        f, fp = act.f(a), act.f_prime(a)
        from_out = activations.derivative_from_output(name)(f)
    assert f.dtype == dtype and fp.dtype == dtype
    assert finite(f, fp, from_out)
    if name != "relu":      # relu'(0) is a subgradient choice; elsewhere f'(a) computed from f(a) agrees
        np.testing.assert_allclose(from_out, fp, atol=1e-6 if dtype == np.float32 else 1e-12)


def test_squashing_functions_stay_in_range_at_the_extremes():
    with np.errstate(all="raise"):
        s = activations.sigmoid(SWEEP)
        t = activations.tanh(SWEEP)
        lt = activations.lecun_tanh(SWEEP)
    assert np.all((s >= 0) & (s <= 1)) and np.all(np.abs(t) <= 1) and np.all(np.abs(lt) <= activations.LECUN_A)
    # sigmoid(-1e4) is exactly 0 (underflow to its limit), sigmoid(1e4) exactly 1; nothing overflowed
    assert activations.sigmoid(np.array([-1e4]))[0] == 0.0 and activations.sigmoid(np.array([1e4]))[0] == 1.0


def test_step_and_sign_under_raise():
    with np.errstate(all="raise"):
        assert set(activations.step(SWEEP)) <= {0.0, 1.0} and set(activations.sign(SWEEP)) <= {-1.0, 1.0}


# ----------------------------------------------------------------------------- losses
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_squared_losses_are_finite_under_raise(reduction):
    y, d = GRID, GRID[::-1].copy()
    with np.errstate(all="raise"):
        values = [losses.half_sse(y, d, reduction), losses.mse(y, d, reduction)]
        grads = [losses.half_sse_grad(y, d, reduction), losses.mse_grad(y, d, reduction)]
    assert finite(values, *grads)
    # |y - d| <= 2e4 per entry, 65 entries: E <= 0.5 * 65 * 4e8
    assert values[0] <= 0.5 * 65 * 4e8


@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_softmax_cross_entropy_is_finite_under_raise(reduction):
    z = GRID
    labels = np.arange(z.shape[0]) % z.shape[1]
    onehot = np.eye(z.shape[1])[labels]
    with np.errstate(all="raise"):
        p, logp = losses.softmax(z), losses.log_softmax(z)
        v1 = losses.softmax_cross_entropy(z, labels, reduction)
        v2 = losses.softmax_cross_entropy(z, onehot, reduction)
        g = losses.softmax_cross_entropy_grad(z, labels, reduction)
        v3, g3, p3 = losses.softmax_cross_entropy_value_and_grad(z, labels, reduction)
    assert finite(p, logp, v1, v2, g, v3, g3, p3)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert v1 == v2 == v3 and np.array_equal(g, g3)
    # Logits 2e4 apart: the loss is about 2e4 per case, not inf (log-sum-exp, no exp overflow)
    assert losses.softmax_cross_entropy(np.array([[1e4, -1e4]]), np.array([1]), "sum") == pytest.approx(2e4)


# ----------------------------------------------------------------------------- layers
@pytest.mark.parametrize("init", [("uniform", 0.3), "lecun", "xavier", "he"])
def test_dense_forward_backward_are_finite_under_raise(init):
    layer = Dense(5, 3, init=init, random_state=0)
    with np.errstate(all="raise"):
        y = layer.forward(GRID)
        gx = layer.backward(np.ones_like(y) * 1e4)
    assert finite(y, gx, layer.grads["W"], layer.grads["b"])
    assert y.shape == (13, 3) and gx.shape == GRID.shape
    np.testing.assert_array_equal(layer.grads["b"], np.full(3, 13 * 1e4))   # dE/db = sum over the batch


@pytest.mark.parametrize("name", sorted(activations.ACTIVATIONS))
def test_activation_layers_are_finite_under_raise(name):
    layer = ActivationLayer(name)
    with np.errstate(all="raise"):
        y = layer.forward(GRID)
        g = layer.backward(np.full_like(GRID, 1e4))
    assert finite(y, g)


def test_a_dense_activation_stack_is_finite_under_raise():
    stack = [Dense(5, 8, random_state=1), ActivationLayer("tanh"), Dense(8, 8, random_state=2), ActivationLayer("sigmoid"),
             Dense(8, 2, random_state=3)]
    with np.errstate(all="raise"):
        h = GRID
        for layer in stack:
            h = layer.forward(h)
        g = np.ones_like(h)
        for layer in reversed(stack):
            g = layer.backward(g)
    assert finite(h, g, *(v for layer in stack for v in layer.grads.values()))


# ----------------------------------------------------------------------------- divergence is an error
X_TJ, D_TJ = letters(("T", "J"), shifts=True)                           # 4 patterns of 16 +-1 switches


@pytest.mark.parametrize("mode", ["online", "batch"])
@pytest.mark.parametrize("factor", [3.0, 1e3, 1e300])
def test_adaline_at_a_huge_step_stops_with_divergence_error(mode, factor):
    limit = lms_stability_limit(X_TJ)
    ada = Adaline(eta=factor * limit, epochs=200, mode=mode, shuffle=False)
    with pytest.raises(DivergenceError, match=r"eta=\S+ exceeds the stability limit") as info:
        ada.fit(X_TJ, D_TJ)
    assert "Lower eta" in str(info.value)
    assert ada.weights_ is None                                        # nothing half-learned is left to use
    assert ada.history_["mse"].size >= 2                               # the run up to the divergence is kept


def test_adaline_below_the_limit_converges_without_warnings():
    limit = lms_stability_limit(X_TJ)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ada = Adaline(eta=0.5 * limit, epochs=100, mode="batch").fit(X_TJ, D_TJ)
    assert finite(ada.weights_, ada.history_["mse"]) and ada.score(X_TJ, D_TJ) == 1.0


@pytest.mark.parametrize("cls", [Perceptron, Pocket])
def test_perceptron_overflow_is_a_divergence_error(cls):
    X = np.array([[1e300, 1e300], [-1e300, 1e300], [1e300, -1e300], [-1e300, -1e300]])
    y = np.array([0, 1, 1, 0])                                             # XOR: never converges
    est = cls(epochs=20, random_state=0) if cls is Pocket else cls(epochs=20)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)                     # and no silent overflow warning
        with pytest.raises(DivergenceError, match="overflowed.*Rescale X"):
            est.fit(X, y)


def test_rosenblatt_epoch_overflow_is_a_divergence_error():
    Xa = np.array([[1.0, 1.0], [1.0, -1.0]])
    with pytest.raises(DivergenceError, match=r"eta=1e\+308"):
        rosenblatt_epoch(Xa, np.array([1.0, -1.0]), np.array([1e308, 1e308]), eta=1e308)


def test_mark1_at_a_huge_step_stops_with_divergence_error():
    images, labels = retina_shapes(30, noise=0.2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        with pytest.raises(DivergenceError, match=r"MarkI diverged at epoch \d+.*eta=1e\+308"):
            MarkI(eta=1e308, random_state=0, epochs=30).fit(images, labels)


# ----------------------------------------------------------------------------- the MLP (1986)
@pytest.mark.parametrize("name", sorted(activations.ACTIVATIONS))
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_mlp_forward_and_backward_are_finite_under_raise(name, loss, dtype):
    from annhist.mlp import MLP

    net = MLP([5, 4, 3, 2], activation=name, loss=loss, skip=True, dtype=dtype, random_state=0)
    Y = np.eye(2)[np.arange(GRID.shape[0]) % 2]
    with np.errstate(all="raise"):
        outs = net.layer_outputs(GRID)
        grads = net.gradients(GRID, Y)
        E = net.error(GRID, Y)
    assert finite(*outs, *grads, E)
    assert [g.dtype for g in grads] == [p.dtype for p in net.params_]


def test_mlp_at_a_huge_step_stops_with_divergence_error_and_restores_its_weights():
    from annhist.mlp import MLP
    from annhist.optimizers import SGD

    X, Y = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]) * 100, np.array([[0.0], [1], [1], [0]])
    net = MLP([2, 3, 1], activation="identity", random_state=0)
    before = [p.copy() for p in net.params_]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(DivergenceError, match=r"MLP diverged at epoch \d+.*eta=1e\+06.*restored"):
            net.fit(X, Y, optimizer=SGD(eta=1e6), epochs=200, verbose=False)
    for p, b in zip(net.params_, before):
        np.testing.assert_array_equal(p, b)


def test_train_many_marks_diverging_seeds_and_keeps_the_rest_finite():
    from annhist.mlp.many import train_many
    from annhist.optimizers import SGD

    X, Y = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]) * 100, np.array([[0.0], [1], [1], [0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        res = train_many([2, 3, 1], X, Y, seeds=range(4), activation="identity", optimizer=SGD(eta=1e6),
                         epochs=50)
    assert res.diverged.all()
    assert all(np.all(np.isfinite(p)) for p in res.params)            # the initial weights, restored


# ----------------------------------------------------------------------------- the CNNs (1989, 1998)
IMAGES = np.resize(SWEEP, 2 * 2 * 7 * 7).reshape(2, 2, 7, 7)            # the sweep's values as two 2-map images


def _cnn_layers():
    from annhist.cnn import RBF, AvgPool2d, Conv2d, Flatten, MaxPool2d, Subsampling

    return {
        "Conv2d": (Conv2d(2, 3, 3, stride=2, padding=1, pad_value=-1.0, random_state=0), IMAGES),
        "Conv2d-unshared-table": (Conv2d(2, 2, 3, bias="unshared", input_size=(7, 7),
                                         table=np.array([[1, 0], [1, 1]]), random_state=0), IMAGES),
        "MaxPool2d": (MaxPool2d(2), IMAGES),
        "AvgPool2d": (AvgPool2d(2), IMAGES),
        "AvgPool2d-overlapping": (AvgPool2d(3, 2), IMAGES),
        "Subsampling": (Subsampling(2, 2, random_state=0), IMAGES),
        "Flatten": (Flatten(), IMAGES),
        "RBF": (RBF(np.resize(SWEEP, (3, 98)) / 1e2), IMAGES.reshape(2, 98)),
    }


@pytest.mark.parametrize("name", sorted(_cnn_layers()))
def test_cnn_layers_forward_and_backward_are_finite_under_raise(name):
    layer, x = _cnn_layers()[name]
    with np.errstate(all="raise"):
        y = layer.forward(x, training=True)
        dx = layer.backward(np.ones_like(y))
    assert finite(y, dx, *layer.grads.values()) and dx.shape == x.shape


@pytest.mark.parametrize("which", ["lecun1989", "lenet5-rbf", "lenet5-softmax"])
def test_the_two_nets_are_finite_under_raise(which):
    from annhist.cnn import lecun1989, lenet5
    from annhist.cnn.network import LOSSES, pm1_targets

    net = lecun1989(random_state=0) if which == "lecun1989" else lenet5(random_state=0, head=which.split("-")[1])
    X = np.resize(SWEEP, (2, *net.input_shape))                           # pixels from -1e4 to 1e4
    labels = np.array([3, 7])
    value, grad, _ = LOSSES[net.loss]
    with np.errstate(all="raise"):
        out = net.forward(X, training=True)
        loss = value(out, labels, pm1_targets(labels, 10))
        net.backward(grad(out, labels, pm1_targets(labels, 10)))
    assert finite(out, loss, *(g for layer in net.layers for g in layer.grads.values()))


def test_a_cnn_at_a_huge_step_stops_with_divergence_error():
    from annhist.cnn import lecun1989

    net = lecun1989(random_state=0, activation="identity", eta=1e6, epochs=3)   # linear: nothing saturates
    X = np.resize(np.linspace(-1, 1, 256), (20, 16, 16))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)                     # no overflow warning on the way
        with pytest.raises(DivergenceError, match=r"Sequential diverged at epoch 1.*eta=1e\+06"):
            net.fit(X, np.arange(20) % 10)


# ----------------------------------------------------------------------------- allow_underflow
def test_allow_underflow_ignores_underflow_in_every_error_state_and_nothing_else():
    import threading

    from annhist.underflow import allow_underflow

    def tiny_product(x):
        return np.exp(x) * np.exp(x)                     # exp(-400)^2 underflows to 0

    guarded = allow_underflow(tiny_product)
    x = np.array([-400.0, 0.0])
    assert guarded.__wrapped__ is tiny_product
    expected = np.array([0.0, 1.0])
    np.testing.assert_array_equal(guarded(x), expected)                   # numpy's defaults
    for state in ({"all": "raise"}, {"under": "raise"}, {"under": "ignore", "over": "raise"},
                  {"all": "raise"}):                                       # raising after an ignoring state
        with np.errstate(**state):
            np.testing.assert_array_equal(guarded(x), expected)
            if state.get("under", state.get("all")) == "raise":
                with pytest.raises(FloatingPointError):
                    tiny_product(x)                                       # the plain function would raise
    with np.errstate(all="raise"), pytest.raises(FloatingPointError):
        allow_underflow(lambda v: np.exp(v))(np.array([1000.0]))         # an overflow still raises
    old = np.seterr(under="raise")                                        # a global setting, not a block
    try:
        np.testing.assert_array_equal(guarded(x), expected)
        seen = []
        thread = threading.Thread(target=lambda: seen.append(guarded(x)))  # a new thread: numpy's defaults
        thread.start()
        thread.join()
        np.testing.assert_array_equal(seen[0], expected)
    finally:
        np.seterr(**old)
