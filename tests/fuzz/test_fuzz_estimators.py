"""Fuzz the scikit-learn face of the estimators: MLPClassifier/MLPRegressor, and every ``load``."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from annhist import ConvergenceWarning
from annhist.adaline import Adaline, Madaline
from annhist.mcculloch_pitts import MPNetwork
from annhist.mlp import MLPClassifier, MLPRegressor
from annhist.perceptron import MarkI, Perceptron, Pocket

from .strategies import FUZZ, bad_arrays, bad_labels, check_call, good_arrays, hyper

pytestmark = pytest.mark.fuzz

X4 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y4 = np.array([0, 1, 1, 0])
MLPS = {"MLPClassifier": MLPClassifier, "MLPRegressor": MLPRegressor}
with warnings.catch_warnings():                  # 20 epochs do not learn XOR: the classifier says so, rightly
    warnings.simplefilter("ignore", ConvergenceWarning)
    FITTED = {name: cls(hidden_layer_sizes=(2,), epochs=20, random_state=0).fit(X4, Y4) for name, cls in MLPS.items()}


@FUZZ
@given(name=st.sampled_from(sorted(MLPS)), X=st.one_of(bad_arrays(), good_arrays(n_samples=4)),
       y=st.one_of(bad_labels(4), st.just(Y4)),
       hidden=hyper(st.lists(st.integers(1, 3), min_size=1, max_size=2).map(tuple)),
       eta=hyper(st.floats(1e-3, 1)), alpha=hyper(st.floats(0, 0.95)), epochs=hyper(st.integers(1, 20), max_int=20),
       batch_size=st.one_of(st.none(), hyper(st.integers(1, 4), max_int=10)),
       stop_within=st.one_of(st.none(), hyper(st.floats(0.01, 1))))
def test_mlp_estimators_fit(name, X, y, hidden, eta, alpha, epochs, batch_size, stop_within):
    est = MLPS[name](hidden_layer_sizes=hidden, eta=eta, alpha=alpha, epochs=epochs, batch_size=batch_size,
                     stop_within=stop_within, random_state=0)
    out = check_call(f"{name}.fit", lambda: est.fit(X, y).predict(X),
                     names=("X", "y", "hidden_layer_sizes", "eta", "alpha", "epochs", "batch_size", "stop_within"),
                     finite_result=False)
    if isinstance(out, np.ndarray):
        assert out.shape[0] == np.asarray(X).shape[0]


@FUZZ
@given(name=st.sampled_from(sorted(MLPS)), X=st.one_of(bad_arrays(n_features=2), good_arrays(n_features=2)),
       method=st.sampled_from(["predict", "decision_function", "score"]))
def test_mlp_estimators_predict(name, X, method):
    est = FITTED[name]
    if not hasattr(est, method):
        method = "predict"
    call = (lambda: est.score(X, Y4)) if method == "score" else (lambda: getattr(est, method)(X))
    check_call(f"{name}.{method}", call, names=("X", "y"))


LOADERS = {"Perceptron": Perceptron, "Pocket": Pocket, "Adaline": Adaline, "Madaline": Madaline, "MarkI": MarkI,
           "MLPClassifier": MLPClassifier, "MPNetwork": MPNetwork}


@FUZZ
@given(name=st.sampled_from(sorted(LOADERS)), data=st.binary(max_size=300),
       config=st.one_of(st.none(), st.binary(max_size=80), st.sampled_from([b"{}", b"[]", b'{"class": 1}',
                                                                              b'{"lines": 5}', b"null"])))
def test_load_refuses_garbage(tmp_path_factory, name, data, config):
    path = tmp_path_factory.mktemp("load") / "garbage.npz"
    if config is None:
        path.write_bytes(data)                                # not even an .npz
    else:
        np.savez(path, config=np.frombuffer(config, dtype=np.uint8),
                 __annhist_kind__=np.array(f"annhist.{name}"), __annhist_version__=np.array(1))
    out = check_call(f"{name}.load", lambda: LOADERS[name].load(path), finite_result=False)
    assert isinstance(out, Exception) and str(path) in str(out)
