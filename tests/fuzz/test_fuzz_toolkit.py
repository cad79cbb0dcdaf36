"""Fuzz the shared toolkit: activations, losses, optimizers, initializers, layers, io, validation, experiments."""

from __future__ import annotations

import io
import numbers
import zipfile

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from annhist import activations, experiments, initializers, losses, optimizers
from annhist import validation as V
from annhist.io import load_arrays, save_arrays
from annhist.layers import ActivationLayer, Dense

from .strategies import FUZZ, bad_arrays, check_call, finite, good_arrays, hyper, moderate, weird_scalar

pytestmark = pytest.mark.fuzz

LAYER_MESSAGE = r"expects (input|grad_out) (of shape|as a numpy array)"
ANY_ARRAY = st.one_of(bad_arrays(), good_arrays(), st.lists(finite, max_size=5))


ACTIVATION_FUNCTIONS = {**{n: a.f for n, a in activations.ACTIVATIONS.items()},
                        **{f"{n}_prime": a.f_prime for n, a in activations.ACTIVATIONS.items()},
                        "step": activations.step, "sign": activations.sign}


@FUZZ
@given(a=st.one_of(bad_arrays(), good_arrays(low=-1e4, high=1e4), st.lists(finite, max_size=5)),
       name=st.sampled_from(sorted(ACTIVATION_FUNCTIONS)))
def test_activations_refuse_or_stay_finite(a, name):
    # Numeric kernels: real arrays of any shape work (finite from finite input within +-1e4, and
    # from 1e300 too for the squashing functions); strings, objects, complex numbers are refused.
    fn = ACTIVATION_FUNCTIONS[name]
    ok = moderate(a)
    out = check_call(f"activations.{name}", lambda: fn(a), finite_result=ok, strict_fp=ok, names=("a",))
    if isinstance(out, np.ndarray):
        assert out.shape == np.shape(a)


@FUZZ
@given(name=st.one_of(weird_scalar, st.text(max_size=12), st.sampled_from(sorted(activations.ACTIVATIONS))),
       kind=st.sampled_from(["activation", "derivative", "loss", "optimizer", "layer"]))
def test_lookups_by_name(name, kind):
    fn = {"activation": lambda: activations.get_activation(name, owner="X").name,
          "derivative": lambda: activations.derivative_from_output(name)(np.linspace(-1, 1, 5)),
          "loss": lambda: losses.get_loss(name).name,
          "optimizer": lambda: optimizers.get_optimizer(name).eta,
          "layer": lambda: ActivationLayer(name).activation.name}[kind]
    check_call(f"lookup.{kind}", fn, names=("activation", "loss", "optimizer"))


@FUZZ
@given(y=ANY_ARRAY, d=ANY_ARRAY, name=st.sampled_from(["half_sse", "half_sse_grad", "mse", "mse_grad"]),
       reduction=hyper(st.sampled_from(["sum", "mean"])))
def test_squared_losses_refuse_mismatched_or_malformed(y, d, name, reduction):
    fn = getattr(losses, name)
    ok = moderate(y, d)          # NaN/inf/1e300 in, NaN/inf out is allowed; from moderate values never
    out = check_call(f"losses.{name}", lambda: fn(y, d, reduction=reduction), names=("y", "d", "reduction"),
                     finite_result=ok, strict_fp=ok)
    if not isinstance(out, Exception):                 # it worked: y and d had the same number of values
        assert np.size(y) == np.size(d)


@FUZZ
@given(z=st.one_of(bad_arrays(n_features=3), good_arrays(n_features=3)),
       d=st.one_of(bad_arrays(n_features=3), st.lists(st.integers(-2, 4), max_size=8),
                   st.lists(st.floats(allow_nan=True), max_size=8)),
       name=st.sampled_from(["softmax_cross_entropy", "softmax_cross_entropy_grad",
                             "softmax_cross_entropy_value_and_grad"]),
       reduction=hyper(st.sampled_from(["sum", "mean"])))
def test_cross_entropy_refuses_bad_targets(z, d, name, reduction):
    fn = getattr(losses, name)

    def call():
        out = fn(z, d, reduction=reduction)
        return out[1] if isinstance(out, tuple) else out
    ok = moderate(z, d)
    check_call(f"losses.{name}", call, names=("z", "d", "reduction"), finite_result=ok, strict_fp=ok)


@FUZZ
@given(eta=weird_scalar, name=st.sampled_from(sorted(optimizers.OPTIMIZERS)))
def test_optimizers_validate_hyperparameters(eta, name):
    cls = optimizers.OPTIMIZERS[name]

    def call():
        opt = cls(eta=eta)
        w = np.ones(3)
        opt.step([w], [np.full(3, 0.5)])
        return w
    check_call(f"optimizers.{name}", call, names=("eta",))


@FUZZ
@given(name=st.sampled_from(sorted(optimizers.OPTIMIZERS)), data=st.data())
def test_optimizer_extra_hyperparameters(name, data):
    cls = optimizers.OPTIMIZERS[name]
    extra = {"momentum": ("alpha",), "nesterov": ("alpha",), "adagrad": ("epsilon",),
             "rmsprop": ("rho", "epsilon"), "adam": ("beta1", "beta2", "epsilon")}.get(name, ())
    kwargs = {k: data.draw(hyper(st.floats(0.0, 0.999)), label=k) for k in extra}

    def call():
        opt = cls(eta=0.1, **kwargs)
        w = np.ones(3)
        for _ in range(3):
            opt.step([w], [np.full(3, 0.5)])
        return w
    check_call(f"optimizers.{name}.hyper", call, names=extra or ("eta",))


@FUZZ
@given(params=st.lists(st.one_of(good_arrays(), bad_arrays()), max_size=3),
       grads=st.lists(st.one_of(good_arrays(), bad_arrays()), max_size=3),
       name=st.sampled_from(sorted(optimizers.OPTIMIZERS)))
def test_optimizer_step_refuses_mismatched_lists(params, grads, name):
    opt = optimizers.OPTIMIZERS[name]()

    before = [np.array(p, copy=True) if isinstance(p, np.ndarray) else None for p in params]

    def call():
        opt.step(params, grads)
        return [p for p in params if isinstance(p, np.ndarray)]
    ok = all(moderate(a) for a in (*params, *grads))
    out = check_call(f"optimizers.{name}.step", call, names=("params", "grads"), finite_result=False,
                     strict_fp=ok)
    if isinstance(out, Exception):                      # a refused step changes nothing
        for p, b in zip(params, before):
            if b is not None:
                np.testing.assert_array_equal(p, b)


@FUZZ
@given(init=st.one_of(weird_scalar, st.sampled_from(["he", "xavier", "glorot", "lecun", "x"]),
                      st.tuples(st.just("uniform"), weird_scalar)),
       shape=st.tuples(st.integers(1, 5), st.integers(1, 5)))
def test_initialize(init, shape):
    rng = np.random.default_rng(0)
    check_call("initializers.initialize", lambda: initializers.initialize(init, rng, shape, shape[0], shape[1]),
               names=("init",))


@FUZZ
@given(n_in=weird_scalar, n_out=weird_scalar, init=st.one_of(weird_scalar, st.sampled_from(["he", "xavier", "x"]),
                                                             st.tuples(st.just("uniform"), weird_scalar)),
       random_state=hyper(st.integers(0, 10)), bias=weird_scalar)
def test_dense_constructor(n_in, n_out, init, random_state, bias):
    check_call("layers.Dense", lambda: Dense(n_in, n_out, init=init, random_state=random_state,
                                             bias=bias).params["W"],
               names=("n_in", "n_out", "init", "random_state", "bias"))


@FUZZ
@given(x=st.one_of(bad_arrays(n_features=3), good_arrays(n_features=3)),
       g=st.one_of(bad_arrays(n_features=2), good_arrays(n_features=2)))
def test_dense_forward_backward_refuse_bad_shapes(x, g):
    layer = Dense(3, 2, random_state=0)

    def call():
        y = layer.forward(x)
        return layer.backward(g) if isinstance(g, np.ndarray) and y.shape == g.shape else y
    check_call("layers.Dense", call, message=LAYER_MESSAGE, finite_result=False, strict_fp=moderate(x, g))


@FUZZ
@given(x=st.one_of(bad_arrays(), good_arrays()), g=st.one_of(bad_arrays(), good_arrays()),
       name=st.sampled_from(sorted(activations.ACTIVATIONS)))
def test_activation_layer_refuses_bad_input(x, g, name):
    layer = ActivationLayer(name)

    def call():
        layer.forward(x)
        return layer.backward(g)
    ok = moderate(x, g)
    check_call("layers.Activation", call, message=LAYER_MESSAGE, finite_result=ok, strict_fp=ok)


def test_backward_before_forward_is_an_order_error():
    # Not malformed input but a misuse of the layer protocol: a RuntimeError, as in every layer.
    for layer in (Dense(2, 2, random_state=0), ActivationLayer("tanh")):
        with pytest.raises(RuntimeError, match="before forward"):
            layer.backward(np.ones((1, 2)))


@FUZZ
@given(data=st.binary(max_size=400))
def test_io_never_crashes_on_garbage(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fz") / "x.npz"
    path.write_bytes(data)
    check_call("io.load_arrays.garbage", lambda: load_arrays(path, kind="annhist.X"))


def _valid_npz() -> bytes:
    buf = io.BytesIO()
    np.savez(buf, __annhist_kind__=np.array("annhist.X"), __annhist_version__=np.array(1),
             W=np.arange(12.0).reshape(3, 4), b=np.arange(4))
    return buf.getvalue()


VALID_NPZ = _valid_npz()


@FUZZ
@given(cut=st.integers(0, len(VALID_NPZ)), flips=st.lists(st.tuples(st.integers(0, len(VALID_NPZ) - 1),
                                                                    st.integers(1, 255)), max_size=4))
def test_io_refuses_truncated_or_corrupted_files(tmp_path_factory, cut, flips):
    data = bytearray(VALID_NPZ[:cut] if not flips else VALID_NPZ)
    for pos, xor in flips:
        data[pos] ^= xor
    path = tmp_path_factory.mktemp("fz") / "x.npz"
    path.write_bytes(bytes(data))

    def call():
        arrays = load_arrays(path, kind="annhist.X", required=("W", "b"), shapes={"W": (3, 4), "b": (4,)})
        # If it loads at all, it loads exactly what a valid file of this kind holds.
        assert set(arrays) == {"W", "b"} and arrays["W"].shape == (3, 4) and arrays["b"].shape == (4,)
        return arrays
    check_call("io.load_arrays.corrupted", call, finite_result=False)


@FUZZ
@given(names=st.lists(st.one_of(st.text(max_size=6), st.sampled_from(["__annhist_kind__", "W"])),
                      min_size=1, max_size=3),
       values=st.lists(st.one_of(good_arrays(), bad_arrays()), min_size=1, max_size=3),
       kind=st.one_of(st.text(max_size=8), weird_scalar))
def test_io_save_refuses_what_cannot_be_loaded_back(tmp_path_factory, names, values, kind):
    folder = tmp_path_factory.mktemp("fz")
    arrays = dict(zip(names, values))

    def call():
        path = save_arrays(folder / "m", arrays, kind=kind)
        back = load_arrays(path, kind=str(kind), required=tuple(arrays))
        for k, v in arrays.items():                        # the round trip is exact
            np.testing.assert_array_equal(back[k], np.asarray(v))
            assert back[k].dtype == np.asarray(v).dtype
        return back
    out = check_call("io.save_arrays", call, finite_result=False, names=("arrays", "kind", "path"))
    leftovers = [p.name for p in folder.iterdir() if p.name != "m.npz"]
    assert not leftovers, f"save_arrays left {leftovers} behind"
    if isinstance(out, Exception):
        assert not (folder / "m.npz").exists(), "a refused save wrote a file"


@FUZZ
@given(X=st.one_of(bad_arrays(), good_arrays(), weird_scalar), ndim=st.sampled_from([1, 2, 3, (1, 2), (2, 3)]),
       min_samples=st.integers(0, 3))
def test_check_array(X, ndim, min_samples):
    out = check_call("validation.check_array", lambda: V.check_array(X, "X", ndim=ndim, min_samples=min_samples),
                     names=("X",))
    if isinstance(out, np.ndarray):
        assert out.dtype == np.float64 and out.ndim in (ndim if isinstance(ndim, tuple) else (ndim,))


@FUZZ
@given(value=weird_scalar, kind=st.sampled_from([numbers.Real, numbers.Integral]),
       lo=st.one_of(st.none(), finite), hi=st.one_of(st.none(), finite))
def test_check_scalar(value, kind, lo, hi):
    out = check_call("validation.check_scalar",
                     lambda: V.check_scalar(value, "eta", kind=kind, min_val=lo, max_val=hi), names=("eta",))
    if not isinstance(out, Exception):
        assert (lo is None or out >= lo) and (hi is None or out <= hi)


@FUZZ
@given(rs=weird_scalar, choice=st.one_of(weird_scalar, st.sampled_from(["a", "b"])))
def test_check_random_state_and_choice(rs, choice):
    check_call("validation.check_random_state", lambda: V.check_random_state(rs).integers(10), names=("random_state",))
    check_call("validation.check_choice", lambda: V.check_choice(choice, "mode", ("a", "b")), names=("mode",))


@FUZZ
@given(X=st.one_of(bad_arrays(), good_arrays(n_samples=4)),
       y=st.one_of(st.just([0, 1, 0, 1]), st.just(["a", "b", "a", "a"]), weird_scalar,
                   st.lists(st.one_of(st.integers(0, 2), st.text(max_size=1), st.floats()), max_size=5)))
def test_check_X_y_and_binary_labels(X, y):
    def call():
        X2, y2 = V.check_X_y(X, y)
        classes, ypm = V.check_binary_labels(y2)
        assert set(np.unique(ypm)) == {-1.0, 1.0} and len(ypm) == len(X2)
        return ypm
    check_call("validation.check_X_y", call, names=("X", "y"))


@FUZZ
@given(obj=st.recursive(st.one_of(weird_scalar, st.just(np.arange(3)), st.just(np.float32(np.nan))),
                        lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(st.text(max_size=3), c,
                                                                                      max_size=3)),
                        max_leaves=6))
def test_to_jsonable_gives_strict_json_or_a_type_error(obj):
    import json

    def call():
        out = experiments.to_jsonable(obj)
        json.dumps(out, allow_nan=False)                   # strict JSON: NaN/inf became null
        return out
    check_call("experiments.to_jsonable", call, finite_result=False)


@FUZZ
@given(seed=weird_scalar, name=st.sampled_from(["timeline", "heat-cold", "mp-compile"]))
def test_experiments_validate_seed(seed, name):
    check_call("experiments.run.seed", lambda: experiments.run(name, seed=seed).to_dict(), finite_result=False,
               names=("seed",))


def _bad_option_values(opt: experiments.Option) -> st.SearchStrategy:
    """Values the registry must refuse before an experiment starts (never a valid run)."""
    wrong_type = st.sampled_from([None, [], {}, object(), 1j, b"x", True])
    if opt.type is str:
        return st.one_of(wrong_type.filter(lambda v: v is not True), st.integers(), finite)
    cases = [wrong_type, st.text(max_size=5)]
    if opt.type is int:
        cases.append(st.floats(allow_nan=True).filter(lambda v: v != int(v) if np.isfinite(v) else True))
    else:
        cases.append(st.sampled_from([np.nan, np.inf, -np.inf]))
    if opt.min_value is not None:
        lo = opt.min_value
        below = st.floats(-1e6, lo, exclude_max=True, allow_nan=False).filter(lambda v: v < lo)   # never -0.0
        cases.append(st.integers(-10**6, int(np.ceil(lo)) - 1) if opt.type is int else below)
    return st.one_of(cases)


@FUZZ
@given(data=st.data())
def test_every_experiment_option_refuses_bad_values_before_running(data):
    exp = data.draw(st.sampled_from([e for e in experiments.all_experiments() if e.options]), label="experiment")
    opt = data.draw(st.sampled_from(exp.options), label="option")
    if opt.type is str:
        value = data.draw(st.one_of(_bad_option_values(opt), st.text(max_size=8).map(lambda s: s + " !?")),
                          label="value")
    else:
        value = data.draw(_bad_option_values(opt), label="value")
    out = check_call(f"experiments.options.{exp.name}", lambda: exp(seed=0, **{opt.name: value}).to_dict(),
                     finite_result=False, names=(opt.name, opt.name.replace("_", "-"), "formula"))
    assert isinstance(out, Exception), f"{exp.name} accepted {opt.name}={value!r}"


@FUZZ
@given(layer_in=st.sampled_from(["sigmoid", "tanh", "relu", "identity", "lecun_tanh"]),
       scale=st.floats(min_value=-1e4, max_value=1e4, allow_nan=False))
def test_activation_layer_backward_is_finite_under_raise(layer_in, scale):
    layer = ActivationLayer(layer_in)
    x = np.linspace(-1, 1, 12).reshape(3, 4) * scale
    with np.errstate(all="raise"):
        y = layer.forward(x)
        g = layer.backward(np.ones_like(y))
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(g))


def test_zipfile_members_are_never_unpickled(tmp_path):
    # A file whose member is a pickle (not an .npy) is refused, and nothing is unpickled.
    path = tmp_path / "p.npz"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("W.npy", b"\x80\x04\x95" + b"cos\nsystem\n")
    with pytest.raises(ValueError):
        load_arrays(path, kind="annhist.X")
