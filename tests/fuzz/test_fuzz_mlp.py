"""Fuzz the 1986 milestone: the MLP (construction, fit, predict, save/load), train_many, gradient_check."""

from __future__ import annotations

import contextlib
import tempfile

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from annhist.mlp import MLP
from annhist.mlp.gradcheck import gradient_check
from annhist.mlp.many import train_many
from annhist.optimizers import SGD, Momentum

from .strategies import FUZZ, bad_arrays, bad_labels, check_call, good_arrays, hyper, weird_scalar

pytestmark = pytest.mark.fuzz

X_XOR = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y_XOR = np.array([[0.0], [1.0], [1.0], [0.0]])
NET = MLP([2, 2, 1], random_state=0).fit(X_XOR, Y_XOR, epochs=50, verbose=False)
SOFTMAX = MLP([2, 3, 2], loss="cross_entropy", random_state=0).fit(X_XOR, np.array([0, 1, 1, 0]), epochs=20,
                                                                    verbose=False)
CONSTRUCTOR = ("sizes", "activation", "output_activation", "loss", "reduction", "init", "skip", "masks", "dtype",
               "random_state", "masks[0]", "masks[1]")

sizes_st = st.one_of(st.lists(st.integers(1, 4), min_size=2, max_size=4), weird_scalar,
                     st.lists(st.one_of(st.integers(-2, 3), weird_scalar), max_size=4),
                     st.just([10**6, 10**6]), st.just((2, 2, 1)), st.just(np.array([2, 3, 1])))


@FUZZ
@given(sizes=sizes_st, activation=hyper(st.sampled_from(["sigmoid", "tanh", "relu", "identity", "lecun_tanh"])),
       output_activation=st.one_of(st.none(), hyper(st.sampled_from(["sigmoid", "softmax", "identity"]))),
       loss=hyper(st.sampled_from(["mse", "cross_entropy"])), reduction=st.one_of(st.none(), hyper(st.just("mean"))),
       init=hyper(st.sampled_from([("uniform", 0.3), "he", "xavier", "lecun"])), skip=hyper(st.booleans()),
       masks=st.one_of(st.none(), st.dictionaries(st.one_of(st.integers(-1, 3),
                                                            st.sampled_from([None, "0", 1.5, True])),
                                                  st.one_of(bad_arrays(), st.just(np.ones((2, 2)))), max_size=2)),
       dtype=hyper(st.sampled_from([np.float64, np.float32, "float32", np.float16, int])),
       random_state=hyper(st.integers(0, 5)))
def test_constructor(sizes, activation, output_activation, loss, reduction, init, skip, masks, dtype, random_state):
    def call():
        net = MLP(sizes, activation=activation, output_activation=output_activation, loss=loss, reduction=reduction,
                  init=init, skip=skip, masks=masks, dtype=dtype, random_state=random_state)
        assert all(np.all(np.isfinite(p)) for p in net.params_)
        return net.predict(np.zeros((1, net.sizes[0])))
    check_call("MLP.__init__", call, names=CONSTRUCTOR)


@st.composite
def inputs_and_targets(draw):
    what = draw(st.sampled_from(["X", "Y", "both", "none", "labels"]))
    X = draw(good_arrays(n_samples=draw(st.integers(1, 6)), n_features=2, low=-5, high=5))
    n = X.shape[0]
    Y = draw(good_arrays(n_samples=n, n_features=1, low=0, high=1))
    if what == "labels":
        Y = draw(st.one_of(bad_labels(n), st.lists(st.integers(-1, 3), min_size=n, max_size=n).map(np.array)))
    if what in ("X", "both"):
        X = draw(bad_arrays())
    if what in ("Y", "both"):
        Y = draw(st.one_of(bad_arrays(), bad_labels(n)))
    return X, Y


@FUZZ
@given(XY=inputs_and_targets(), softmax=st.booleans(),
       method=st.sampled_from(["fit", "predict", "error", "gradients", "layer_outputs"]))
def test_data_of_every_method(XY, softmax, method):
    X, Y = XY
    net = MLP([2, 3, 2], loss="cross_entropy", random_state=1) if softmax else MLP([2, 2, 1], random_state=1)

    def call():
        if method == "fit":
            net.fit(X, Y, epochs=3, verbose=False)
            assert all(np.all(np.isfinite(p)) for p in net.params_)
            return net.predict(X)
        if method in ("predict", "layer_outputs"):
            out = getattr(net, method)(X)
            return out if method == "predict" else out[-1]
        out = getattr(net, method)(X, Y)
        return out if method == "error" else out[0]
    out = check_call(f"MLP.{method}", call, names=("X", "Y"))
    if method == "predict" and isinstance(out, np.ndarray):
        assert out.shape == (np.asarray(X).shape[0], net.sizes[-1])


@FUZZ
@given(optimizer=st.one_of(st.none(), st.sampled_from(["sgd", "adam", "momentum", "rprop"]), weird_scalar),
       epochs=hyper(st.integers(1, 5), max_int=5), batch_size=st.one_of(st.none(), hyper(st.integers(1, 6))),
       weight_decay=hyper(st.floats(0, 0.5)), stop_within=st.one_of(st.none(), hyper(st.floats(0.01, 1))),
       dead_zone=hyper(st.floats(0, 0.2)), shuffle=hyper(st.booleans()), warm_start=hyper(st.booleans()),
       verbose=hyper(st.booleans()))
def test_fit_options(optimizer, epochs, batch_size, weight_decay, stop_within, dead_zone, shuffle, warm_start,
                     verbose):
    net = MLP([2, 2, 1], random_state=0)
    kw = dict(optimizer=optimizer, epochs=epochs, batch_size=batch_size, weight_decay=weight_decay,
              stop_within=stop_within, dead_zone=dead_zone, shuffle=shuffle, warm_start=warm_start, verbose=verbose)

    def call():
        net.fit(X_XOR, Y_XOR, **kw)
        assert all(np.all(np.isfinite(p)) for p in net.params_) and len(net.history_["loss"]) >= 1
        return net.predict(X_XOR)
    check_call("MLP.fit.options", call, names=tuple(kw))


@FUZZ
@given(eta=st.floats(50, 1e300), opt=st.sampled_from(["sgd", "momentum"]), scale=st.floats(1, 1e3))
def test_huge_steps_diverge_with_a_clear_error_and_restore_the_weights(eta, opt, scale):
    net = MLP([2, 4, 1], activation="identity", random_state=0)
    before = [p.copy() for p in net.params_]
    optimizer = SGD(eta=eta) if opt == "sgd" else Momentum(eta=eta, alpha=0.9)
    out = check_call("MLP.fit.divergence", lambda: net.fit(X_XOR * scale, Y_XOR, optimizer=optimizer, epochs=50,
                                                           verbose=False).params_[0], finite_result=False)
    if isinstance(out, Exception):
        assert "eta=" in str(out) and "restored" in str(out)
        for p, b in zip(net.params_, before):
            np.testing.assert_array_equal(p, b)
    else:
        assert all(np.all(np.isfinite(p)) for p in net.params_)


@FUZZ
@given(cut=st.integers(0, 4000), flips=st.lists(st.tuples(st.integers(0, 3999), st.integers(1, 255)), max_size=3),
       softmax=st.booleans())
def test_load_refuses_truncated_or_corrupted_files(tmp_path_factory, cut, flips, softmax):
    folder = tmp_path_factory.mktemp("mlp")
    good = (SOFTMAX if softmax else NET).save(folder / "net.npz")
    data = bytearray(good.read_bytes())
    data = data[:cut] if not flips else data
    for pos, x in flips:
        if pos < len(data):
            data[pos] ^= x
    bad = folder / "bad.npz"
    bad.write_bytes(bytes(data))

    def call():
        net = MLP.load(bad)                      # if it loads, it is the very same net
        ref = SOFTMAX if softmax else NET
        assert net.sizes == ref.sizes and all(np.array_equal(a, b) for a, b in zip(net.params_, ref.params_))
        return net.predict(X_XOR)
    check_call("MLP.load.corrupted", call)


@FUZZ
@given(arrays=st.dictionaries(st.sampled_from(["config", "W0", "b0", "W1", "b1", "W_skip", "mask0", "history_loss",
                                               "history_max_error", "extra"]),
                              st.one_of(good_arrays(), st.just(np.zeros(0)), st.just(np.arange(5, dtype=np.uint8)),
                                        st.just(np.frombuffer(b'{"sizes": [2, 2, 1]}', dtype=np.uint8))),
                              max_size=9))
def test_load_refuses_files_with_missing_extra_or_misshapen_arrays(tmp_path_factory, arrays):
    from annhist.io import save_arrays

    path = save_arrays(tmp_path_factory.mktemp("mlp") / "m.npz", arrays, kind="annhist.MLP")
    out = check_call("MLP.load.arrays", lambda: MLP.load(path).predict(X_XOR))
    assert isinstance(out, Exception)           # no such dictionary is a valid MLP file


@FUZZ
@given(sizes=st.one_of(st.just([2, 2, 1]), sizes_st), X=st.one_of(st.just(X_XOR), bad_arrays()),
       Y=st.one_of(st.just(Y_XOR), bad_arrays(), bad_labels(4)),
       seeds=st.one_of(st.lists(st.integers(0, 50), min_size=1, max_size=4), st.just([]), st.just([-1, 2]),
                       st.just(["a"]), weird_scalar, st.just(np.array([1.5]))),
       epochs=hyper(st.integers(1, 20), max_int=20), stop_within=st.one_of(st.none(), hyper(st.floats(0.01, 1))),
       weight_decay=hyper(st.floats(0, 0.5)), record_history=st.booleans())
def test_train_many(sizes, X, Y, seeds, epochs, stop_within, weight_decay, record_history):
    def call():
        res = train_many(sizes, X, Y, seeds, epochs=epochs, stop_within=stop_within, weight_decay=weight_decay,
                         record_history=record_history)
        assert res.loss.shape == (len(seeds),) and np.all(np.isfinite(res.loss))
        return res.max_error
    check_call("train_many", call, names=("sizes", "X", "Y", "seeds", "epochs", "stop_within", "weight_decay"))


@FUZZ
@given(h=hyper(st.floats(1e-6, 1e-2)), X=st.one_of(st.just(X_XOR), bad_arrays()),
       Y=st.one_of(st.just(Y_XOR), bad_arrays()))
def test_gradient_check(h, X, Y):
    out = check_call("gradient_check", lambda: gradient_check(NET, X, Y, h=h), names=("h", "X", "Y"),
                     finite_result=False)
    if not isinstance(out, Exception):
        assert np.isfinite(out) and (out < 1e-4 or not 1e-6 <= h <= 1e-2)   # an absurd h may give a poor answer


@FUZZ
@given(path=st.one_of(weird_scalar, st.sampled_from(["", "/no/such/dir/net", "/dev/null/net"])))
def test_save_to_bad_paths(path):
    # A relative name among the weird values ("abc") is a good path: write it in a scratch folder, not the
    # folder pytest runs in (an abc.npz was left in the repository).
    with tempfile.TemporaryDirectory() as scratch, contextlib.chdir(scratch):
        check_call("MLP.save", lambda: NET.save(path), finite_result=False, names=("path",))


def test_save_load_round_trip_is_exact(tmp_path):
    for net in (NET, SOFTMAX, MLP([3, 2, 2], skip=True, masks={0: np.array([[1, 0], [0, 1], [1, 1]])},
                                  dtype=np.float32, random_state=4)):
        back = MLP.load(net.save(tmp_path / "n"))
        assert back.sizes == net.sizes and back.history_ == net.history_
        for a, b in zip(back.params_, net.params_):
            assert a.dtype == b.dtype and a.tobytes() == b.tobytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.npz"]
