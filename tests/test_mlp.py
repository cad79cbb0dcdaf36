"""Tests of annhist.mlp: backpropagation, training, persistence, bad input, train_many."""

from __future__ import annotations

import copy
import io
import itertools
import json
import math
import zipfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import annhist.mlp.flat as flat
import annhist.mlp.gradcheck as gradcheck
from annhist import DivergenceError
from annhist.activations import ACTIVATIONS, derivative_from_output
from annhist.layers import Dense
from annhist.layers import Dense as LayersDense
from annhist.losses import softmax_cross_entropy, softmax_cross_entropy_grad, softmax_cross_entropy_value_and_grad
from annhist.mlp import MLP, gradient_check, train_many
from annhist.mlp.delta_rule import forward, loss_and_delta
from annhist.mlp.fit import progress_mode
from annhist.mlp.flat import flat_base
from annhist.optimizers import OPTIMIZERS, SGD, Adam, Momentum, Optimizer

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR_Y = np.array([[0], [1], [1], [0]], dtype=float)


def _data(n=5, n_in=3, n_out=3, seed=0, classes=False):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_in))
    Y = rng.integers(0, n_out, size=n) if classes else rng.uniform(0.05, 0.95, size=(n, n_out))
    return X, Y


# ------------------------------------------------------------------------------ gradients
@pytest.mark.parametrize("skip", [False, True], ids=["no-skip", "skip"])
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_gradient_check_every_activation_loss_and_skip(activation, loss, skip):
    net = MLP([3, 4, 3], activation=activation, loss=loss, skip=skip, init="xavier", random_state=1)
    for seed in range(100):           # finite differences are only valid away from ReLU's kink at 0
        X, Y = _data(classes=loss == "cross_entropy", seed=seed)
        if _min_net_input(net, X) > 0.02:
            break
    assert gradient_check(net, X, Y) < 1e-6


def _min_net_input(net, X):
    """The smallest |x_j| (total input) of any hidden or output unit on any case."""
    outs = net.layer_outputs(X)
    a = [o @ layer.params["W"] + layer.params["b"] for o, layer in zip(outs[:-1], net.layers_)]
    if net.skip:
        a[-1] = a[-1] + X @ net.skip_layer_.params["W"]
    return min(float(np.min(np.abs(x))) for x in a)


def test_gradient_check_two_hidden_layers_with_mask_and_mean_reduction():
    X, Y = _data(n=6, n_in=4, n_out=2, seed=5)
    mask = np.array([[1, 0, 1], [1, 1, 0], [0, 1, 1], [1, 1, 1]])
    net = MLP([4, 3, 3, 2], activation="tanh", reduction="mean", masks={0: mask}, skip=True, random_state=2)
    assert gradient_check(net, X, Y) < 1e-6
    assert np.all(net.gradients(X, Y)[0][mask == 0] == 0)          # absent connections get no gradient


def test_gradient_check_detects_a_wrong_backward_pass(monkeypatch):
    from annhist import activations
    X, Y = _data(seed=4)
    net = MLP([3, 4, 3], random_state=0)
    monkeypatch.setitem(activations.ACTIVATIONS, "sigmoid", activations.ACTIVATIONS["sigmoid"]._replace(f_prime_out=lambda o: o))   # wrong: o, not o(1 - o)
    assert gradient_check(net, X, Y) > 1e-2


def test_gradient_check_with_absurd_steps_and_inputs_is_a_number_or_a_clear_error(monkeypatch):
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    with np.errstate(all="raise", under="ignore"):       # no overflow escapes (once a RuntimeWarning in the matmul)
        poor = gradient_check(MLP([2, 2, 1], random_state=0), np.full((4, 2), 1e300), Y, h=1e300)
    assert np.isfinite(poor)                              # a poor answer for an absurd h, but a number
    linear = MLP([2, 2, 1], activation="identity", output_activation="identity", random_state=0)
    with pytest.raises(ValueError, match="'h' parameter of gradient_check .1e\\+300. moves a weight"):
        gradient_check(linear, np.ones((4, 2)), Y, h=1e300)
    # a NaN from backpropagation would drop out of max() and read as agreement
    monkeypatch.setattr(gradcheck, "backward", lambda *a: [np.full_like(p, np.nan) for p in a[0]])
    with pytest.raises(ValueError, match="'X' parameter of gradient_check gives a non-finite gradient"):
        gradient_check(linear, np.ones((4, 2)), Y)


def test_hand_worked_one_step():
    # A 2-1-1 net, input (1, 0), desired output 1, weights w_h = (0.5, -0.5), w_o = 1, biases 0.
    net = MLP([2, 1, 1], random_state=0)
    W1, b1, W2, b2 = net.params_
    W1[:] = [[0.5], [-0.5]]
    b1[:] = 0.0
    W2[:] = [[1.0]]
    b2[:] = 0.0
    # forward:  x_h = 0.5*1 - 0.5*0 + 0 = 0.5;          y_h = 1/(1+e^-0.5)      = 0.6224593312018546
    #           x_o = 1.0*0.6224593312 + 0 = 0.62246;    y_o = 1/(1+e^-0.62246)  = 0.6507776782147005
    #           E = 1/2 (0.6507776782 - 1)^2 = 0.06097811501655765
    # backward: delta_o = (y_o - d) y_o (1 - y_o) = (-0.3492223218)(0.6507776782)(0.3492223218) = -0.0793663922247687
    #           dE/dw_o = delta_o y_h = -0.0793663922 * 0.6224593312 = -0.04940235142413359;  dE/db_o = delta_o
    #           delta_h = delta_o w_o y_h (1 - y_h) = -0.0793663922 * 1 * 0.6224593312 * 0.3775406688
    #                   = -0.01865139679686841
    #           dE/dw_h = delta_h * (1, 0) = (-0.0186513968, 0);  dE/db_h = delta_h
    X, Y = [[1.0, 0.0]], [[1.0]]
    assert net.error(X, Y) == pytest.approx(0.06097811501655765, abs=1e-15)
    g = net.gradients(X, Y)
    assert g[2][0, 0] == pytest.approx(-0.04940235142413359, abs=1e-15)
    assert g[3][0] == pytest.approx(-0.0793663922247687, abs=1e-15)
    assert g[0][:, 0] == pytest.approx([-0.01865139679686841, 0.0], abs=1e-15)
    # one step of Delta w = -eps dE/dw with eps = 0.5 (momentum's first step is the same):
    #   w_o = 1 + 0.5*0.0494023514 = 1.0247011757120668;  b_o = 0 + 0.5*0.0793663922 = 0.03968319611238435
    #   w_h1 = 0.5 + 0.5*0.0186513968 = 0.5093256983984342; w_h2 = -0.5 (its input was 0); b_h = 0.009325698398434204
    net.fit(X, Y, optimizer=Momentum(eta=0.5, alpha=0.9), epochs=1, warm_start=True, verbose=False)
    assert W2[0, 0] == pytest.approx(1.0247011757120668, abs=1e-15)
    assert b2[0] == pytest.approx(0.03968319611238435, abs=1e-15)
    assert W1[:, 0] == pytest.approx([0.5093256983984342, -0.5], abs=1e-15)
    assert b1[0] == pytest.approx(0.009325698398434204, abs=1e-15)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("loss,skip", list(itertools.product(["mse", "cross_entropy"], [False, True])))
def test_gradients_match_pytorch_autograd(activation, loss, skip):
    torch = pytest.importorskip("torch", reason="PyTorch is the reference for autograd (make bench installs it)")
    X, Y = _data(n=7, n_in=4, n_out=3, seed=11, classes=loss == "cross_entropy")
    net = MLP([4, 5, 3], activation=activation, loss=loss, skip=skip, init="xavier", random_state=3)
    acts = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu, "identity": lambda a: a,
            "lecun_tanh": lambda a: 1.7159 * torch.tanh(2.0 * a / 3.0)}
    P = [torch.tensor(p, requires_grad=True) for p in net.params_]
    x = torch.tensor(X)
    h = acts[activation](x @ P[0] + P[1])
    z = h @ P[2] + P[3] + (x @ P[4] if skip else 0)
    if loss == "mse":
        E = 0.5 * ((acts[activation](z) - torch.tensor(Y)) ** 2).sum()      # the paper's E, summed over cases
    else:
        E = torch.nn.functional.cross_entropy(z, torch.tensor(Y))            # mean over cases
    E.backward()
    assert net.error(X, Y) == pytest.approx(E.item(), rel=1e-12)
    for mine, ref in zip(net.gradients(X, Y), P):
        np.testing.assert_allclose(mine, ref.grad.numpy(), rtol=1e-10, atol=1e-13)


def test_float32_gradients_match_pytorch_float32():
    torch = pytest.importorskip("torch", reason="PyTorch is the reference for autograd")
    X, y = _data(n=16, n_in=6, n_out=4, seed=2, classes=True)
    net = MLP([6, 8, 4], activation="relu", loss="cross_entropy", init="he", dtype=np.float32, random_state=0)
    P = [torch.tensor(p, requires_grad=True) for p in net.params_]
    z = torch.relu(torch.tensor(X, dtype=torch.float32) @ P[0] + P[1]) @ P[2] + P[3]
    torch.nn.functional.cross_entropy(z, torch.tensor(y)).backward()
    for mine, ref in zip(net.gradients(X, y), P):
        assert mine.dtype == np.float32
        np.testing.assert_allclose(mine, ref.grad.numpy(), rtol=2e-5, atol=1e-6)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(sorted(ACTIVATIONS)), st.floats(-30, 30))
def test_derivative_from_output_equals_f_prime(name, a):
    act = ACTIVATIONS[name]
    x = np.array([a, a / 3, -a])
    np.testing.assert_allclose(derivative_from_output(name)(act.f(x)), act.f_prime(x), atol=1e-12)


def test_softmax_cross_entropy_value_and_grad_equals_the_separate_functions():
    z, y = _data(n=6, n_in=4, n_out=4, seed=1)[0], np.array([0, 3, 1, 2, 2, 0])
    value, grad, p = softmax_cross_entropy_value_and_grad(z, y)
    assert value == pytest.approx(softmax_cross_entropy(z, y), rel=1e-14)
    np.testing.assert_allclose(grad, softmax_cross_entropy_grad(z, y), atol=1e-16)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)


def test_dead_zone_counts_near_outputs_as_right():
    net = MLP([2, 2, 2], random_state=0)
    y = np.array([[0.85, 0.1], [0.7, 0.3]])                 # row 0: both within 0.2 of (1, 0); row 1: neither
    D = np.array([[1.0, 0.0], [1.0, 0.0]])
    E, delta, _ = loss_and_delta(y, D, net.spec, dead_zone=0.2)
    assert E == pytest.approx(0.5 * (0.3 ** 2 + 0.3 ** 2))   # only row 1 counts
    assert np.all(delta[0] == 0) and np.all(delta[1] != 0)


# ------------------------------------------------------------------------------ training
def test_xor_is_solved_for_most_seeds():
    learned = [MLP([2, 2, 1], random_state=s).fit(XOR_X, XOR_Y, optimizer=Momentum(0.5, 0.9), epochs=3000,
                                                    stop_within=0.1, verbose=False) for s in range(10)]
    assert sum(net.converged_ for net in learned) >= 8
    for net in learned:
        if net.converged_:
            assert np.all(np.abs(net.predict(XOR_X) - XOR_Y) < 0.1)
            assert net.history_["max_error"][-1] < 0.1 <= net.history_["max_error"][-2]
            assert len(net.history_["loss"]) == net.n_epochs_ + 1    # E of every sweep, the last one unchanged


def test_fit_is_deterministic_and_refit_starts_over():
    a = MLP([2, 3, 1], random_state=7).fit(XOR_X, XOR_Y, epochs=200, batch_size=2, verbose=False)
    b = MLP([2, 3, 1], random_state=7).fit(XOR_X, XOR_Y, epochs=200, batch_size=2, verbose=False)
    for p, q in zip(a.params_, b.params_):
        assert np.array_equal(p, q)
    assert a.history_ == b.history_
    before = [p.copy() for p in a.params_]
    a.fit(XOR_X, XOR_Y, epochs=200, batch_size=2, verbose=False)        # no warm start: same run again
    assert all(np.array_equal(p, q) for p, q in zip(a.params_, before))


def test_batch_size_at_least_n_is_full_batch_and_stochastic_learns():
    full = MLP([2, 2, 1], random_state=1).fit(XOR_X, XOR_Y, epochs=50, verbose=False)
    big = MLP([2, 2, 1], random_state=1).fit(XOR_X, XOR_Y, epochs=50, batch_size=10, verbose=False)
    assert all(np.array_equal(p, q) for p, q in zip(full.params_, big.params_))
    sgd = MLP([2, 3, 1], random_state=2).fit(XOR_X, XOR_Y, optimizer=SGD(eta=0.5), batch_size=1, epochs=4000,
                                               stop_within=0.4, verbose=False)
    assert sgd.converged_ and len(sgd.history_["loss"]) == sgd.n_epochs_


def test_warm_start_continues_and_weight_decay_is_multiplicative():
    net = MLP([2, 2, 1], random_state=0)
    W = [p.copy() for p in net.params_]
    g = net.gradients(XOR_X, XOR_Y)
    net.fit(XOR_X, XOR_Y, optimizer=SGD(eta=0.1), epochs=1, weight_decay=0.01, warm_start=True, verbose=False)
    for w, gw, new in zip(W, g, net.params_):           # w(t+1) = (w - eps g)(1 - decay)
        np.testing.assert_allclose(new, (w - 0.1 * gw) * 0.99, rtol=1e-14)
    net.fit(XOR_X, XOR_Y, epochs=5, warm_start=True, verbose=False)
    assert net.n_epochs_ == 6 and len(net.history_["loss"]) == 6


def test_cross_entropy_on_digits_learns():
    from annhist.datasets import digits
    X, y = digits()
    X = X.reshape(len(X), -1)[:600] / 16.0                 # (600, 8, 8) -> (600, 64)
    net = MLP([64, 32, 10], activation="tanh", loss="cross_entropy", init="xavier", random_state=0)
    net.fit(X, y[:600], optimizer=Adam(eta=0.01), epochs=15, batch_size=32, verbose=False)
    assert np.mean(net.predict(X).argmax(axis=1) == y[:600]) > 0.95
    assert net.history_["loss"][-1] < net.history_["loss"][0] / 5
    np.testing.assert_allclose(net.predict(X).sum(axis=1), 1.0)


def test_float32_training_stays_float32():
    net = MLP([2, 2, 1], dtype=np.float32, random_state=0).fit(XOR_X, XOR_Y, epochs=300, verbose=False)
    ref = MLP([2, 2, 1], random_state=0).fit(XOR_X, XOR_Y, epochs=300, verbose=False)
    assert all(p.dtype == np.float32 for p in net.params_) and net.predict(XOR_X).dtype == np.float32
    np.testing.assert_allclose(net.predict(XOR_X), ref.predict(XOR_X), atol=1e-3)


def test_divergence_raises_and_restores_the_weights():
    X, Y = _data(n=8, n_in=2, n_out=1, seed=0)
    net = MLP([2, 8, 1], activation="relu", output_activation="identity", random_state=0)
    before = [p.copy() for p in net.params_]
    with pytest.raises(DivergenceError, match=r"diverged at epoch \d+.*eta=1000.*restored"):
        net.fit(X * 100, Y, optimizer=SGD(eta=1e3), epochs=100, warm_start=True, verbose=False)
    assert all(np.array_equal(p, q) for p, q in zip(net.params_, before))


def test_progress_bar_only_when_wanted_and_interactive(monkeypatch):
    assert progress_mode(False) is None
    assert progress_mode(True) is None                     # pytest captures stderr: not a terminal

    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stderr", Tty())
    assert progress_mode(True) == "terminal" and progress_mode(False) is None


# ------------------------------------------------------------------------------ train_many
@pytest.mark.parametrize("options", [dict(), dict(skip=True, sizes=[2, 1, 1]),
                                     dict(weight_decay=0.001, dead_zone=0.05, optimizer=Adam(eta=0.05))])
def test_train_many_reproduces_single_nets_exactly(options):
    options = dict(options)
    sizes = options.pop("sizes", [2, 2, 1])
    opt = options.pop("optimizer", None)
    res = train_many(sizes, XOR_X, XOR_Y, seeds=range(6), epochs=1500, stop_within=0.1, optimizer=opt,
                     record_history=True, **options)
    for i in range(6):
        single = MLP(sizes, skip=options.get("skip", False), random_state=i).fit(
            XOR_X, XOR_Y, optimizer=opt or Momentum(0.5, 0.9), epochs=1500, stop_within=0.1, verbose=False,
            weight_decay=options.get("weight_decay", 0.0), dead_zone=options.get("dead_zone", 0.0))
        assert res.n_epochs[i] == single.n_epochs_ and res.converged[i] == single.converged_
        for p, q in zip(res.net(i).params_, single.params_):
            assert np.array_equal(p, q)
        assert res.net(i).history_ == single.history_          # E and max |y - d| per sweep, bit for bit
    assert res.success_rate == np.mean(res.converged)


class _QuarterSGD(Optimizer):
    """A rule of the user's own: train_many steps it array by array (only the built-in rules are flattened)."""

    def __init__(self):
        super().__init__(eta=0.25)

    def update(self, w, g, s):
        w -= self.eta * g


def test_train_many_steps_a_users_optimizer_like_mlp_fit():
    res = train_many([2, 2, 1], XOR_X, XOR_Y, seeds=range(3), optimizer=_QuarterSGD(), epochs=300, stop_within=0.3)
    for i in range(3):
        single = MLP([2, 2, 1], random_state=i).fit(XOR_X, XOR_Y, optimizer=_QuarterSGD(), epochs=300,
                                                    stop_within=0.3, verbose=False)
        assert res.n_epochs[i] == single.n_epochs_
        assert all(np.array_equal(p, q) for p, q in zip(res.net(i).params_, single.params_))


def test_warm_start_with_another_nets_optimizer_is_refused_before_any_change():
    opt = Momentum(0.5, 0.9)
    MLP([2, 3, 1], random_state=0).fit(XOR_X, XOR_Y, optimizer=opt, epochs=2, verbose=False)
    net = MLP([2, 2, 1], random_state=1).fit(XOR_X, XOR_Y, epochs=2, verbose=False)
    before, history = [p.copy() for p in net.params_], json.dumps(net.history_)
    with pytest.raises(ValueError, match="'params' parameter of Momentum.step does not match this optimizer"):
        net.fit(XOR_X, XOR_Y, optimizer=opt, epochs=3, warm_start=True, verbose=False)
    assert all(np.array_equal(p, q) for p, q in zip(net.params_, before)) and json.dumps(net.history_) == history


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam", _QuarterSGD])
def test_fit_steps_packed_and_unpacked_weights_alike(optimizer):
    # A new net's arrays are views of one flat array, stepped at once; a copied net's are not (array by array).
    net = MLP([2, 3, 1], skip=True, masks={0: np.array([[1, 0, 1], [1, 1, 0]])}, random_state=5)
    copied = copy.deepcopy(net)
    assert flat_base(net.params_) is not None and flat_base(copied.params_) is None
    make = (lambda: optimizer()) if isinstance(optimizer, type) else (lambda: optimizer)
    for n in (net, copied):
        n.fit(XOR_X, XOR_Y, optimizer=make(), epochs=50, weight_decay=0.01, batch_size=2, verbose=False,
              warm_start=True)
    assert all(np.array_equal(p, q) for p, q in zip(net.params_, copied.params_))
    assert net.history_ == copied.history_


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_a_flat_step_in_blocks_gives_the_same_numbers(name, dtype, monkeypatch):
    """A flat array longer than flat.BLOCK is stepped a block at a time (the same operations on every weight),
    a block inside one gradient array reading it there, one across arrays from a packed copy: the 15 weights
    (arrays of 6, 3, 3, 1, 2) in blocks of 3 (all but the last inside one array) or 4 (three across) end
    training with the same bits as in one block, and as array by array, for every built-in rule."""
    net = MLP([2, 3, 1], skip=True, random_state=5, dtype=dtype)
    assert [p.size for p in net.params_] == [6, 3, 3, 1, 2] and flat_base(net.params_).size == 15
    results = []
    for block in (3, 4, flat.BLOCK):
        monkeypatch.setattr(flat, "BLOCK", block)
        for n in (copy.deepcopy(net), MLP([2, 3, 1], skip=True, random_state=5, dtype=dtype)):
            n.fit(XOR_X, XOR_Y, optimizer=OPTIMIZERS[name](), epochs=30, batch_size=2, verbose=False)
            results.append((n.params_, n.history_["loss"]))
    for params, loss in results[1:]:
        assert all(np.array_equal(p, q) for p, q in zip(params, results[0][0])) and loss == results[0][1]


def test_fit_reads_the_callers_data_without_copying_or_changing_it(monkeypatch):
    """MLP reads a float array of its dtype in place (no copy of the training set per fit) and leaves it as
    it was, in fit, predict and score; another dtype is converted. The numbers are those of a copy."""
    X, Y = _data(n=40, n_in=3, n_out=2, seed=3)
    X0, seen = X.copy(), []
    real = forward

    def spy(params, Xb, spec):
        seen.append(np.shares_memory(Xb, X))
        return real(params, Xb, spec)

    import annhist.mlp.fit as fit_module
    import annhist.mlp.network as network_module
    monkeypatch.setattr(fit_module, "forward", spy)
    monkeypatch.setattr(network_module, "forward", spy)
    net = MLP([3, 4, 2], random_state=0).fit(X, Y, epochs=5, verbose=False)     # full-batch sweeps read X itself
    net.predict(X)
    assert any(seen) and np.array_equal(X, X0)
    again = MLP([3, 4, 2], random_state=0).fit(X.copy(), Y, epochs=5, verbose=False)
    assert all(np.array_equal(p, q) for p, q in zip(net.params_, again.params_))
    as32 = MLP([3, 4, 2], random_state=0, dtype=np.float32)._check_X(X)
    assert as32.dtype == np.float32 and not np.shares_memory(as32, X)


def test_train_many_marks_divergent_seeds():
    res = train_many([2, 4, 1], XOR_X * 50, XOR_Y, seeds=[0, 1], output_activation="identity", activation="relu",
                     optimizer=SGD(eta=50.0), epochs=200)
    assert res.diverged.all() and not res.converged.any()
    for i in range(2):                                      # the initial weights, as MLP.fit restores them
        assert all(np.array_equal(p, q) for p, q in zip(res.net(i).params_,
                                                        MLP([2, 4, 1], activation="relu", output_activation="identity",
                                                            random_state=i).params_))


# ------------------------------------------------------------------------------ persistence
@pytest.mark.parametrize("kwargs", [dict(), dict(skip=True, dtype=np.float32, init="he", activation="relu"),
                                    dict(loss="cross_entropy", masks={0: np.eye(3)})])
def test_save_load_round_trip_is_exact(tmp_path, kwargs):
    net = MLP([3, 3, 2], random_state=4, **kwargs)
    X, Y = _data(n=6, n_in=3, n_out=2, seed=2, classes=net.loss == "cross_entropy")
    net.fit(X, Y, epochs=20, verbose=False)
    path = net.save(tmp_path / "net")
    assert path.suffix == ".npz"
    back = MLP.load(path)
    assert repr(back) == repr(net) and back.dtype == net.dtype and back.n_epochs_ == net.n_epochs_
    for p, q in zip(net.params_, back.params_):
        assert p.dtype == q.dtype and np.array_equal(p, q)
    assert np.array_equal(net.predict(X), back.predict(X))
    assert back.history_ == net.history_


def test_load_refuses_corrupt_foreign_and_tampered_files(tmp_path):
    net = MLP([2, 2, 1], random_state=0)
    good = net.save(tmp_path / "good.npz")
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(good.read_bytes()[:100])
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, W0=np.zeros((2, 2)))
    with pytest.raises(ValueError, match="not a readable"):
        MLP.load(truncated)
    with pytest.raises(ValueError, match="was not saved by annhist .it has no annhist kind tag.; expected an annhist.MLP file"):
        MLP.load(foreign)
    with pytest.raises(ValueError, match="No such file"):
        MLP.load(tmp_path / "missing.npz")
    with zipfile.ZipFile(good) as z:                        # a file whose config lies about the sizes
        members = {n: z.read(n) for n in z.namelist()}
    cfg = json.loads(np.load(io.BytesIO(members["config.npy"])).tobytes().decode())
    cfg["sizes"] = [2, 3, 1]
    buf = io.BytesIO()
    np.save(buf, np.frombuffer(json.dumps(cfg).encode(), dtype=np.uint8))
    members["config.npy"] = buf.getvalue()
    tampered = tmp_path / "tampered.npz"
    with zipfile.ZipFile(tampered, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    with pytest.raises(ValueError, match="has shape"):
        MLP.load(tampered)


# ------------------------------------------------------------------------------ bad input
def test_bad_structure_is_refused_with_the_valid_choices():
    with pytest.raises(ValueError, match="'activation'.*'sigmoid'.*'relu'.*Got 'swish'"):
        MLP([2, 1], activation="swish")
    with pytest.raises(ValueError, match="'loss'.*'mse'.*'cross_entropy'.*Got 'hinge'"):
        MLP([2, 1], loss="hinge")
    with pytest.raises(ValueError, match="'init' parameter of MLP.*'xavier'.*Got 'zeros'"):
        MLP([2, 1], init="zeros")
    with pytest.raises(ValueError, match="'sizes'"):
        MLP([2])
    with pytest.raises(ValueError, match="'sizes' parameter of MLP must be >= 1. Got 0"):
        MLP([2, 0, 1])
    with pytest.raises(ValueError, match="softmax"):
        MLP([2, 3], output_activation="softmax")
    with pytest.raises(ValueError, match="'dtype'"):
        MLP([2, 1], dtype=np.int64)
    with pytest.raises(ValueError, match=r"masks\[0\].*\(2, 3\)"):
        MLP([2, 3, 1], masks={0: np.ones((3, 3))})


def test_bad_data_and_options_name_the_parameter_and_value():
    net = MLP([2, 2, 1], random_state=0)
    with pytest.raises(ValueError, match="'X'.*3 columns.*sizes\\[0\\] = 2"):
        net.fit(np.zeros((4, 3)), XOR_Y, verbose=False)
    with pytest.raises(ValueError, match="'Y'.*\\(n_samples, 1\\).*\\(4, 2\\)"):
        net.fit(XOR_X, np.zeros((4, 2)), verbose=False)
    with pytest.raises(ValueError, match="same number of rows. Got 4 and 3"):
        net.fit(XOR_X, XOR_Y[:3], verbose=False)
    with pytest.raises(ValueError, match="'X'.*NaN"):
        net.fit(np.where(XOR_X == 1, np.nan, 0), XOR_Y, verbose=False)
    with pytest.raises(ValueError, match="'Y'.*NaN or infinite"):
        net.fit(XOR_X, np.full((4, 1), np.inf), verbose=False)
    with pytest.raises(ValueError, match="'eta' parameter of Momentum must be > 0. Got 0"):
        net.fit(XOR_X, XOR_Y, optimizer=Momentum(eta=0), verbose=False)
    with pytest.raises(ValueError, match="'eta' parameter of SGD must be > 0. Got -1"):
        SGD(eta=-1)
    with pytest.raises(ValueError, match="'batch_size' parameter of MLP must be >= 1. Got 0"):
        net.fit(XOR_X, XOR_Y, batch_size=0, verbose=False)
    with pytest.raises(ValueError, match="'epochs' parameter of MLP must be >= 1. Got 0"):
        net.fit(XOR_X, XOR_Y, epochs=0, verbose=False)
    with pytest.raises(ValueError, match="'weight_decay'.*< 1. Got 1"):
        net.fit(XOR_X, XOR_Y, weight_decay=1.0, verbose=False)
    with pytest.raises(ValueError, match="'stop_within'.*> 0. Got -0.1"):
        net.fit(XOR_X, XOR_Y, stop_within=-0.1, verbose=False)
    with pytest.raises(ValueError, match="'optimizer'.*'adam'.*Got 'lbfgs'"):
        net.fit(XOR_X, XOR_Y, optimizer="lbfgs", verbose=False)
    with pytest.raises(ValueError, match="class indices outside 0..2"):
        MLP([2, 3], loss="cross_entropy").fit(XOR_X, [0, 1, 2, 3], verbose=False)
    with pytest.raises(TypeError, match="'batch_size'.*int.*2.5"):
        net.fit(XOR_X, XOR_Y, batch_size=2.5, verbose=False)


def test_structure_helpers():
    net = MLP([3, 4, 2], skip=True, random_state=0)
    assert Dense is LayersDense and isinstance(net.layers_[0], Dense)
    assert net.count_parameters() == 3 * 4 + 4 + 4 * 2 + 2 + 3 * 2
    outs = net.layer_outputs(np.ones((5, 3)))
    assert [o.shape for o in outs] == [(5, 3), (5, 4), (5, 2)]
    assert all(abs(w) <= 0.3 for p in net.params_ for w in p.ravel())      # uniform +-0.3, biases included
    assert math.isfinite(net.error(np.ones((5, 3)), np.zeros((5, 2))))
    assert list(itertools.chain(*[p.shape for p in net.params_])) == [3, 4, 4, 4, 2, 2, 3, 2]
    out = forward(net.params_, np.ones((1, 3)), net.spec)
    assert np.array_equal(out[-1], net.predict(np.ones((1, 3))))


def test_fit_callback_and_validation_data_match_a_hand_written_epoch_loop():
    # The training chapter once wrote this loop by hand: 5 fits of one epoch with warm_start.
    X, y = np.random.default_rng(3).normal(size=(40, 4)), np.random.default_rng(4).integers(0, 3, 40)
    Y = np.eye(3)[y]
    Xv, Yv = X[:10] + 0.1, Y[:10]
    by_hand = MLP([4, 6, 3], random_state=0)
    seen_by_hand, opt = [], Momentum(0.1, 0.5)          # one optimizer: its momentum carries over
    for epoch in range(5):
        by_hand.fit(X, Y, optimizer=opt, batch_size=8, epochs=1, warm_start=epoch > 0, verbose=False)
        seen_by_hand.append(by_hand.error(Xv, Yv))
    net = MLP([4, 6, 3], random_state=0)
    seen = []
    net.fit(X, Y, optimizer=Momentum(0.1, 0.5), batch_size=8, epochs=5, verbose=False, validation_data=(Xv, Yv),
            callback=lambda n, epoch: seen.append((epoch, n.error(Xv, Yv))))
    assert [e for e, _ in seen] == [1, 2, 3, 4, 5]
    np.testing.assert_array_equal([v for _, v in seen], seen_by_hand)        # the same numbers, bit for bit
    np.testing.assert_array_equal(net.history_["val_loss"], seen_by_hand)
    for p, q in zip(net.params_, by_hand.params_):
        np.testing.assert_array_equal(p, q)


def test_fit_refuses_bad_validation_data_and_callback():
    X, Y = np.zeros((4, 2)), np.zeros((4, 1))
    with pytest.raises(TypeError, match="'validation_data' parameter of MLP"):
        MLP([2, 2, 1], random_state=0).fit(X, Y, epochs=1, validation_data=[X, Y], verbose=False)
    with pytest.raises(ValueError, match="must have 2 columns|sizes"):
        MLP([2, 2, 1], random_state=0).fit(X, Y, epochs=1, validation_data=(np.zeros((4, 3)), Y), verbose=False)
    with pytest.raises(TypeError, match="'callback' parameter of MLP"):
        MLP([2, 2, 1], random_state=0).fit(X, Y, epochs=1, callback=3, verbose=False)


@pytest.mark.parametrize("method", ["error", "gradients"])
def test_targets_whose_error_overflows_are_refused_naming_Y(method):
    # (y - 1e300)^2 overflows float64: was an inf with a RuntimeWarning (an error under np.errstate(all="raise")).
    net = MLP([2, 2, 1], random_state=1)
    with np.errstate(all="raise"), pytest.raises(ValueError, match="'Y'.*overflows"):
        getattr(net, method)(np.zeros((3, 2)), np.full((3, 1), 1e300))
    assert np.isfinite(net.error(np.zeros((3, 2)), np.full((3, 1), 1e150)))     # large but finite: a number


@pytest.mark.parametrize("batch_size", [None, 2])
def test_fit_on_targets_whose_error_overflows_blames_Y_not_eta(batch_size):
    # It was a DivergenceError telling the reader to lower eta, which cannot help; the weights stay as they were.
    net = MLP([2, 2, 1], random_state=1)
    start = [p.copy() for p in net.params_]
    with pytest.raises(ValueError, match="'Y' parameter of MLP.*overflows"):
        net.fit(np.zeros((4, 2)), np.full((4, 1), 1e200), epochs=5, batch_size=batch_size, verbose=False)
    assert all(np.array_equal(p, q) for p, q in zip(net.params_, start))
    with pytest.raises(DivergenceError, match="eta"):                  # a step size that is too large still is
        MLP([2, 2, 1], random_state=1).fit(np.eye(2), np.eye(2)[:, :1], optimizer=SGD(eta=1e200), epochs=5,
                                           verbose=False)
