"""Fuzz the shared toolkit: activations, losses, optimizers, layers, io, validation, experiments."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annhist import activations, experiments, losses, optimizers
from annhist.io import load_arrays
from annhist.layers import Activation, Dense

from .conftest import PROFILE
from .strategies import bad_arrays, check_call, finite, weird_scalar

pytestmark = pytest.mark.fuzz
settings.load_profile(PROFILE)


@given(a=st.one_of(bad_arrays(), st.lists(finite, max_size=5)), name=st.sampled_from(sorted(activations.ACTIVATIONS)))
def test_activations_refuse_or_stay_finite(a, name):
    spec = activations.ACTIVATIONS[name]

    def call():
        arr = np.asarray(a, dtype=float)  # the toolkit's functions are numeric kernels: convert first
        return spec.f(np.nan_to_num(arr, nan=0.0, posinf=1e4, neginf=-1e4)) if arr.size else spec.f(arr)
    check_call(f"activations.{name}", call)


@given(y=bad_arrays(n_features=2), reduction=st.one_of(st.sampled_from(["sum", "mean"]), weird_scalar))
def test_losses_refuse_bad_reduction(y, reduction):
    check_call("losses.half_sse", lambda: losses.half_sse(np.ones((2, 2)), np.zeros((2, 2)), reduction=reduction))


@given(eta=weird_scalar, name=st.sampled_from(sorted(optimizers.OPTIMIZERS)))
def test_optimizers_validate_hyperparameters(eta, name):
    cls = optimizers.OPTIMIZERS[name]

    def call():
        opt = cls(eta=eta)
        w = np.ones(3)
        opt.step([w], [np.full(3, 0.5)])
        return w
    check_call(f"optimizers.{name}", call)


@given(n_in=weird_scalar, n_out=weird_scalar, init=st.one_of(weird_scalar, st.sampled_from(["he", "xavier", "x"]),
                                                             st.tuples(st.just("uniform"), weird_scalar)))
def test_dense_constructor(n_in, n_out, init):
    check_call("layers.Dense", lambda: Dense(n_in, n_out, init=init, random_state=0).params["W"])


@given(x=bad_arrays(n_features=3))
def test_dense_forward_refuses_bad_shapes(x):
    layer = Dense(3, 2, random_state=0)

    def call():
        arr = np.asarray(x)
        if arr.dtype.kind not in "fiub":
            raise TypeError(f"input of dtype {arr.dtype} must be numeric (Got {arr.dtype})")
        return layer.forward(arr.astype(float))
    check_call("layers.Dense.forward", call, finite_result=False)


@given(data=st.binary(max_size=400))
def test_io_never_crashes_on_garbage(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fz") / "x.npz"
    path.write_bytes(data)
    check_call("io.load_arrays", lambda: load_arrays(path, kind="annhist.X"))


@given(seed=weird_scalar, name=st.sampled_from(["timeline"]))
def test_experiments_validate_seed(seed, name):
    check_call("experiments.run", lambda: experiments.run(name, seed=seed).to_dict(), finite_result=False)


@given(layer_in=st.sampled_from(["sigmoid", "tanh", "relu", "identity", "lecun_tanh"]),
       scale=st.floats(min_value=-1e4, max_value=1e4, allow_nan=False))
def test_activation_layer_backward_is_finite_under_raise(layer_in, scale):
    layer = Activation(layer_in)
    x = np.linspace(-1, 1, 12).reshape(3, 4) * scale
    with np.errstate(all="raise"):
        y = layer.forward(x)
        g = layer.backward(np.ones_like(y))
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(g))
