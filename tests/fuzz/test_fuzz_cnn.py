"""Fuzz the 1989/1998 milestone: conv/pool/RBF layers, Sequential, the two nets, save/load, USPS files."""

from __future__ import annotations

import gzip
import importlib
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from annhist.cnn import (
    RBF,
    SDLM,
    AvgPool2d,
    Conv2d,
    Flatten,
    MaxPool2d,
    Sequential,
    Subsampling,
    col2im,
    conv_output_size,
    im2col,
    lecun1989,
    lenet5,
    lenet5_input,
)
from annhist.cnn.nets import build, load_network
from annhist.layers import ActivationLayer, Dense

from .strategies import FUZZ, bad_arrays, bad_labels, check_call, finite, hyper, moderate, weird_scalar

pytestmark = pytest.mark.fuzz
usps_mod = importlib.import_module("annhist.datasets.usps")     # the package exports a function of that name

LAYER_MESSAGE = (r"expects (input|grad_out) (of shape|as a numpy array)|'(x|grad_out)' parameter|"
                 r"'input (height|width) size'|larger than the padded input")
small_int = st.integers(1, 4)


def tiny_net(**kw) -> Sequential:
    """A 1x6x6 -> 2 maps 4x4 -> 2x2x2 -> 3 classes net: quick to build, fit and save."""
    layers = [Conv2d(1, 2, 3, random_state=0), ActivationLayer("tanh"), AvgPool2d(2), Flatten(), Dense(8, 3, random_state=1)]
    return Sequential(layers, input_shape=(1, 6, 6), **kw)


X6 = np.linspace(-1, 1, 4 * 36).reshape(4, 1, 6, 6)
Y6 = np.array([0, 1, 2, 1])


@st.composite
def batches(draw, shape: tuple[int, ...]):
    """A batch of the right shape, a wrong one, or something that is not an image batch at all."""
    kind = draw(st.sampled_from(["good", "good", "wrong_shape", "bad", "scaled"]))
    n = draw(st.integers(1, 3))
    if kind == "bad":
        return draw(bad_arrays())
    if kind == "wrong_shape":
        return np.zeros(tuple(draw(st.lists(st.integers(0, 7), min_size=1, max_size=5))))
    x = np.linspace(-1, 1, n * int(np.prod(shape))).reshape(n, *shape)
    return x * (1e4 if kind == "scaled" else 1.0)


@FUZZ
@given(in_c=hyper(small_int, max_int=10**6), out_c=hyper(small_int, max_int=10**6),
       kernel=st.one_of(hyper(st.integers(1, 5), max_int=64), st.tuples(small_int, small_int), st.just((1, 2, 3))),
       stride=hyper(st.integers(1, 3), max_int=64), padding=hyper(st.integers(0, 2), max_int=64),
       pad_value=hyper(finite), bias=hyper(st.sampled_from(["shared", "unshared", "none"])),
       input_size=st.one_of(st.none(), st.tuples(st.integers(1, 9), st.integers(1, 9)), weird_scalar),
       table=st.one_of(st.none(), st.just(np.ones((2, 2), int)), st.just(np.zeros((2, 2), int)), bad_arrays()),
       init=hyper(st.sampled_from(["lecun", "he", ("uniform", 0.5)])), random_state=hyper(st.integers(0, 5)))
def test_conv2d_constructor(in_c, out_c, kernel, stride, padding, pad_value, bias, input_size, table, init,
                            random_state):
    def call():
        layer = Conv2d(in_c, out_c, kernel, stride=stride, padding=padding, pad_value=pad_value, table=table,
                       bias=bias, input_size=input_size, init=init, random_state=random_state)
        return layer.params["W"]
    check_call("Conv2d.__init__", call, names=("in_channels", "out_channels", "kernel_size", "stride", "padding",
                                               "pad_value", "bias", "input_size", "table", "init", "random_state",
                                               "input height", "input width", "input height size",
                                               "input width size"))


@FUZZ
@given(which=st.sampled_from(["MaxPool2d", "AvgPool2d", "Subsampling", "RBF"]),
       kernel=hyper(st.integers(1, 3), max_int=64), stride=st.one_of(st.none(), hyper(st.integers(1, 3), max_int=64)),
       channels=hyper(small_int, max_int=64), centres=st.one_of(st.none(), bad_arrays(), st.just(np.eye(3))))
def test_pool_and_rbf_constructors(which, kernel, stride, channels, centres):
    fn = {"MaxPool2d": lambda: MaxPool2d(kernel, stride), "AvgPool2d": lambda: AvgPool2d(kernel, stride),
          "Subsampling": lambda: Subsampling(channels, kernel, random_state=0),
          "RBF": lambda: RBF(centres)}[which]
    check_call(f"{which}.__init__", lambda: fn().params, finite_result=False,
               names=("kernel_size", "stride", "channels", "centres"))


LAYERS = {
    "Conv2d": (lambda: Conv2d(2, 3, 3, stride=2, padding=1, pad_value=-1.0, random_state=0), (2, 7, 7)),
    "Conv2d-unshared-table": (lambda: Conv2d(2, 2, 3, bias="unshared", input_size=(5, 5),
                                             table=np.array([[1, 0], [1, 1]]), random_state=0), (2, 5, 5)),
    "MaxPool2d": (lambda: MaxPool2d(2), (2, 6, 6)),
    "AvgPool2d-overlap": (lambda: AvgPool2d(3, 2), (2, 7, 7)),
    "Subsampling": (lambda: Subsampling(2, 2, random_state=0), (2, 6, 6)),
    "Flatten": (lambda: Flatten(), (2, 3, 3)),
    "RBF": (lambda: RBF(np.eye(4)), (4,)),
}


@FUZZ
@given(name=st.sampled_from(sorted(LAYERS)), data=st.data())
def test_layers_forward_backward_refuse_malformed_input(name, data):
    make, shape = LAYERS[name]
    layer = make()
    x = data.draw(batches(shape), label="x")

    def call():
        y = layer.forward(x, training=True)
        wrong = bad_arrays().filter(lambda a: moderate(a) or not (isinstance(a, np.ndarray) and a.dtype.kind in "biuf"))
        g = data.draw(st.one_of(st.just(np.ones_like(y)), wrong, st.just(np.ones(y.shape[:-1] + (9,))),
                                st.just(np.ones((y.shape[0] + 1,) + y.shape[1:]))), label="grad_out")
        dx = layer.backward(g)
        assert dx.shape == x.shape
        return dx
    ok = moderate(x)
    check_call(f"{name}.forward_backward", call, message=LAYER_MESSAGE, finite_result=ok, strict_fp=ok)


@FUZZ
@given(size=weird_scalar, kernel=hyper(st.integers(1, 5)), stride=hyper(st.integers(1, 3)),
       padding=hyper(st.integers(0, 2)), x=st.one_of(bad_arrays(), st.just(np.ones((2, 1, 5, 5)))),
       cols=st.one_of(bad_arrays(), st.just(np.ones((2, 9, 9)))))
def test_im2col_col2im_and_output_size(size, kernel, stride, padding, x, cols):
    names = ("input size", "kernel_size", "stride", "padding", "x", "cols")
    check_call("im2col.conv_output_size", lambda: conv_output_size(size, kernel, stride, padding), names=names,
               finite_result=False)
    check_call("im2col.im2col", lambda: im2col(x, kernel, kernel, stride, padding), names=names,
               message=r"'(x|cols|kernel_size|stride|padding)'|expects")
    check_call("im2col.col2im", lambda: col2im(cols, (2, 1, 5, 5), kernel, kernel, stride, padding), names=names,
               message=r"'(x|cols|kernel_size|stride|padding|x_shape)'|expects")


@FUZZ
@given(X=st.one_of(batches((1, 6, 6)), st.just(X6[:, 0])), y=st.one_of(st.just(Y6), bad_labels(4),
                                                                     st.just(np.array([0, 1, 5, 1]))),
       method=st.sampled_from(["fit", "predict", "decision_function", "score", "evaluate"]))
def test_sequential_methods_refuse_bad_data(X, y, method):
    net = tiny_net(epochs=1)

    def call():
        if method == "fit":
            net.fit(X, y)
            return net.predict(X)
        if method in ("score", "evaluate"):
            out = getattr(net, method)(X, y)
            return out["loss"] if method == "evaluate" else out
        return getattr(net, method)(X)
    check_call(f"Sequential.{method}", call, names=("X", "y"), strict_fp=moderate(X), finite_result=moderate(X))


@FUZZ
@given(layers=st.one_of(st.none(), st.just([]), st.just([Flatten(), "relu"]), st.just("layers")),
       input_shape=st.one_of(st.just((1, 6, 6)), st.just((2, 6, 6)), st.just((1, 2, 2)), weird_scalar,
                             st.lists(weird_scalar, max_size=3)),
       loss=hyper(st.sampled_from(["mse", "cross_entropy", "rbf_map"])),
       optimizer=st.one_of(st.none(), st.sampled_from(["sgd", "adam", "nope"]), weird_scalar),
       eta=hyper(st.floats(1e-4, 1)), batch_size=hyper(small_int, max_int=100),
       epochs=hyper(st.integers(0, 2), max_int=2),
       dtype=hyper(st.sampled_from(["float64", "float32", np.float32, "float16", "int8"])))
def test_sequential_constructor(layers, input_shape, loss, optimizer, eta, batch_size, epochs, dtype):
    def call():
        made = [Conv2d(1, 2, 3, random_state=0), ActivationLayer("tanh"), AvgPool2d(2), Flatten(),
                Dense(8, 3, random_state=1)] if layers is None else layers
        net = Sequential(made, input_shape=input_shape, loss=loss, optimizer=optimizer, eta=eta,
                         batch_size=batch_size, epochs=epochs, dtype=dtype)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            net.fit(X6, Y6)
        return net.predict(X6)
    check_call("Sequential.__init__", call, finite_result=False,
               names=("layers", "input_shape", "loss", "optimizer", "eta", "batch_size", "epochs", "dtype"),
               message=r"'(layers|input_shape|loss|optimizer|eta|batch_size|epochs|dtype|X|y|kernel_size)'|"
                       r"expects input|diverged|'net' parameter of diagonal_hessian")


@FUZZ
@given(which=st.sampled_from(["lecun1989", "lenet5"]), random_state=hyper(st.integers(0, 3)),
       option=st.sampled_from(["init", "head", "activation", "eta", "epochs", "batch_size", "shuffle", "dtype"]),
       value=st.one_of(weird_scalar, st.sampled_from(["paper", "karpathy", "rbf", "softmax", "tanh", "float32"])))
def test_the_two_nets_refuse_absurd_settings(which, random_state, option, value):
    factory = lecun1989 if which == "lecun1989" else lenet5
    if option == "head" and which == "lecun1989":
        option = "init"
    if option == "init" and which == "lenet5" or option == "batch_size" and which == "lecun1989":
        option = "activation"

    def call():
        net = factory(random_state, **{option: value})
        return net.count_parameters()
    check_call(f"cnn.{which}", call, finite_result=False, names=(option, "random_state"))


@FUZZ
@given(spec=st.one_of(st.text(max_size=20), st.sampled_from([
    "lecun1989", "lecun1989;init=karpathy", "lecun1989;init=bogus", "lenet5;head=softmax;dtype=float32",
    "lenet5;dtype=float16", "lenet5;head", "lenet5;epochs=3", "lecun1989;activation=relu;;", "mlp;x=1"])))
def test_build_from_spec(spec):
    check_call("cnn.build", lambda: build(spec).count_parameters(), finite_result=False,
               names=("spec", "init", "head", "activation", "dtype"))


@FUZZ
@given(X=st.one_of(bad_arrays(), st.just(np.zeros((2, 16, 16))), st.just(np.zeros((2, 1, 16, 16))),
                   st.just(np.zeros((2, 16, 15)))))
def test_lenet5_input(X):
    out = check_call("cnn.lenet5_input", lambda: lenet5_input(X), names=("X",))
    if isinstance(out, np.ndarray):
        assert out.shape == (np.shape(X)[0], 1, 32, 32)


@FUZZ
@given(cut=st.integers(0, 60_000), flips=st.lists(st.tuples(st.integers(0, 59_999), st.integers(1, 255)),
                                                  max_size=3))
def test_sequential_load_refuses_corrupted_files(tmp_path_factory, cut, flips):
    folder = tmp_path_factory.mktemp("cnn")
    net = lecun1989(random_state=0)
    good = net.save(folder / "net.npz")
    data = bytearray(good.read_bytes())
    data = data[:cut] if not flips else data
    for pos, x in flips:
        if pos < len(data):
            data[pos] ^= x
    bad = folder / "bad.npz"
    bad.write_bytes(bytes(data))

    def call():
        back = load_network(bad)                 # if it loads at all, it is the very same net
        for (k, a), b in zip(back.get_weights().items(), net.get_weights().values()):
            assert a.tobytes() == b.tobytes(), k
        return back.count_parameters()
    check_call("Sequential.load.corrupted", call, finite_result=False)


@FUZZ
@given(eps=hyper(st.floats(1e-5, 1e-2)), mu=hyper(st.floats(1e-3, 1)), n_patterns=hyper(small_int, max_int=100),
       random_state=hyper(st.integers(0, 3)))
def test_sdlm(eps, mu, n_patterns, random_state):
    def call():
        opt = SDLM(eps=eps, mu=mu, n_patterns=n_patterns, random_state=random_state)
        layers = [Conv2d(1, 2, 3, random_state=0), ActivationLayer("tanh"), Subsampling(2, 2, random_state=0), Flatten(),
                  Dense(8, 3, random_state=1)]           # the layers SDLM's curvature rule knows
        net = Sequential(layers, input_shape=(1, 6, 6), optimizer=opt, epochs=1)
        net.fit(X6, Y6)
        return net.predict(X6)
    check_call("cnn.SDLM", call, names=("eps", "eta", "mu", "n_patterns", "random_state"))


# ----------------------------------------------------------------------------- USPS files and `annhist data`
@st.composite
def usps_files(draw):
    """Contents of a would-be zip.train file: good lines, wrong field counts, non-numbers, binary junk."""
    kind = draw(st.sampled_from(["good", "fields", "nan", "label", "range", "junk", "empty", "gzip-junk"]))
    good = "6.0000 " + " ".join(["-1.0000"] * 256) + "\n"
    if kind == "good":
        return (good * draw(st.integers(1, 3))).encode()
    if kind == "fields":
        return ("6.0 " + " ".join(["0"] * draw(st.integers(0, 300))) + "\n").encode()
    if kind == "nan":
        return ("6.0 " + " ".join(["nan"] * 256) + "\n").encode()
    if kind == "label":
        return (draw(st.sampled_from(["10", "-1", "2.5", "x"])) + " " + " ".join(["0"] * 256) + "\n").encode()
    if kind == "range":
        return ("3 " + " ".join(["7.5"] * 256) + "\n").encode()
    if kind == "empty":
        return b""
    if kind == "gzip-junk":
        return gzip.compress(draw(st.binary(max_size=50)))[: draw(st.integers(0, 80))]
    return draw(st.binary(max_size=200))


@FUZZ
@given(train=usps_files(), test=usps_files(), npz=st.binary(max_size=300), which=st.sampled_from(["text", "npz"]))
def test_usps_readers_refuse_bad_files(tmp_path_factory, train, test, npz, which):
    folder = tmp_path_factory.mktemp("usps")
    (folder / "zip.train").write_bytes(train)
    (folder / "zip.test").write_bytes(test)
    (folder / "usps.npz").write_bytes(b"PK" + npz)

    def call():
        if which == "text":
            X, y = usps_mod.read_usps_text(folder / "zip.train")
            assert X.shape[1:] == (16, 16) and np.all(np.abs(X) <= 1) and set(np.unique(y)) <= set(range(10))
            return X
        return usps_mod.read_usps_npz(folder / "usps.npz")[0][0]
    check_call(f"usps.read_{which}", call, message=r"zip\.train|usps\.npz")


@FUZZ
@given(train=usps_files(), test=usps_files(), names=st.sampled_from([("zip.train", "zip.test"), ("a", "b"),
                                                                     ("train.txt", "train2.txt")]))
def test_data_import_refuses_bad_downloads_and_writes_nothing(tmp_path_factory, train, test, names):
    src, dest = tmp_path_factory.mktemp("src"), tmp_path_factory.mktemp("dest")
    (src / names[0]).write_bytes(train)
    (src / names[1]).write_bytes(test)
    # A bad download is named by its path (the value of 'files'), as annhist.io names a bad file.
    out = check_call("usps.import_usps", lambda: usps_mod.import_usps([src / names[0], src / names[1]],
                                                                       folder=dest, expected=None),
                     finite_result=False,
                     message=r"'files' parameter|" + "|".join(names))
    if isinstance(out, Exception):
        assert not list(dest.iterdir()), "a refused import wrote into the data folder"
    else:
        assert sorted(p.name for p in dest.iterdir()) == sorted(p.name for p in out)
