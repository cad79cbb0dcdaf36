"""Reproducibility: the same seed gives bit-identical results, for every experiment and estimator.

- Every registered experiment (``annhist.experiments.names()``; none is skipped) run twice with
  the same seed gives the same ``to_json()`` text, byte for byte. Slow ones run here with their
  smallest meaningful options; the settings the book shows them with run in the tests marked ``slow``.
- The JSON does not depend on the interpreter's string hashing (``PYTHONHASHSEED``): no result
  comes from iterating over a set or a dict keyed by hash order.
- Every estimator and random data set given the same ``random_state`` gives bit-identical
  weights and arrays; an int seed and a Generator seeded with it give the same thing.

(The chapters' text outputs against the book build are compared in ``tests/test_chapters.py``.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest
from conftest import built_result, fresh_result

from annhist import ConvergenceWarning, experiments
from annhist.adaline import Adaline, Madaline
from annhist.datasets import flip_pixels, letters, linearly_separable, retina_left_right, retina_letters, retina_shapes
from annhist.experiments.claims import CHAPTER_RUNS, PAGE_RUNS
from annhist.layers import Dense
from annhist.mcculloch_pitts import random_network
from annhist.perceptron import Perceptron, Pocket
from annhist.perceptron.mark1 import MarkI

# The smallest meaningful settings of the experiments that take more than a second at their defaults.
SMALL: dict[str, dict] = {
    "lecun1989": {"epochs": 1},
    "lenet5": {"epochs": 1},
    "rhw-xor": {"seeds": 2},
    "rhw-encoder": {"seeds": 2},
    "rhw-symmetry": {"seeds": 1, "epochs": 2000},
    "rhw-parity": {"seeds": 1, "epochs": 2000},
    "rhw-family-trees": {"seeds": 1, "sweeps": 50},
    "xor": {"seeds": 2, "max_sweeps": 2000},
    "madaline-xor": {"n_seeds": 5},
    "mark1": {"train": 30, "epochs": 5},
    "novikoff": {"datasets": 5},
    "cover-capacity": {"trials": 40, "curve_trials": 5},
    "adaline-letters": {"epochs": 5},
    "hopfield-capacity": {"trials": 4},
    "boltzmann-encoder": {"machines": 4, "cycles": 20},
    "elman-xor": {"epochs": 2, "trials": 2},
    "lstm-reber": {"trials": 2, "max_sequences": 200},
    "rnn-vanishing": {"delays": "4", "trials": 2, "max_sequences": 200},
    "lstm-long-lag": {"delay": 6, "trials": 2, "max_sequences": 400},
}
NAMES = experiments.names()


def _options(name: str) -> dict:
    """The SMALL options the experiment actually has (an option renamed later is simply not passed)."""
    known = {o.name for o in experiments.get(name).options}
    return {k: v for k, v in SMALL.get(name, {}).items() if k in known}


def _json(name: str, seed: int, **options) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")                  # ConvergenceWarning, DataFallbackWarning: not the point here
        return experiments.run(name, seed=seed, **options).to_json()


@pytest.mark.parametrize("name", NAMES)
def test_every_experiment_is_bit_identical_for_the_same_seed(name):
    opts = _options(name)
    first, second = _json(name, 1, **opts), _json(name, 1, **opts)
    assert first == second
    assert json.loads(first)["experiment"] == name


# The settings the book shows each experiment with (a chapter's, or the reproductions page's own).
BOOK_SETTINGS: dict[str, dict] = {**CHAPTER_RUNS, **PAGE_RUNS}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(n for n in NAMES if n in SMALL))
def test_every_experiment_is_bit_identical_at_the_books_settings(name, session_results):
    """Two runs with seed 0 agree, at the settings the book shows (``BOOK_SETTINGS``; else the
    experiment's defaults). When the book build ran this very run with the current sources, that
    run -- another process -- is the first of the two, and this session's run (made once, shared
    with the other tests that need it, e.g. the reproductions table's) the second; else it runs
    twice here. (``annhist run``'s larger defaults of the few experiments the book shows smaller --
    LeNet-5's 10 passes, the LSTM runs -- repeat the same steps for longer: a run twice at those
    would cost minutes per test and add no other code path; SMALL above covers the tiny end.)"""
    options = BOOK_SETTINGS.get(name, {})
    built = built_result(name, 0, **options)
    if built is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert fresh_result(session_results, name, 0, **options) == built
    else:
        assert _json(name, 0, **options) == _json(name, 0, **options)


FAST = ["timeline", "heat-cold", "mp-compile", "lms-stability", "perceptron-iris", "novikoff", "madaline-xor",
        "adaline-letters"]
_SCRIPT = """
import json, sys, warnings
warnings.simplefilter("ignore")
from annhist import experiments
small = json.loads(sys.argv[1])
print(json.dumps({n: experiments.run(n, seed=2, **small.get(n, {})).to_dict() for n in sys.argv[2:]}, sort_keys=True))
"""


def test_results_do_not_depend_on_string_hashing():
    names = [n for n in FAST if n in NAMES]
    small = {n: _options(n) for n in names}
    outs = []
    for hashseed in ("0", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=hashseed, MPLBACKEND="Agg")
        proc = subprocess.run([sys.executable, "-c", _SCRIPT, json.dumps(small), *names], capture_output=True,
                              text=True, env=env, timeout=300)
        assert proc.returncode == 0, proc.stderr
        outs.append(proc.stdout)
    assert outs[0] == outs[1]
    here = {n: json.loads(json.dumps(experiments.run(n, seed=2, **small[n]).to_dict())) for n in names}
    assert json.loads(outs[0]) == here                  # and a fresh interpreter agrees with this one


# ----------------------------------------------------------------------------- estimators and data
def same(a, b) -> None:
    """Bit-identical arrays: same dtype, same shape, same bytes."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


X_IRIS = np.array([[5.1, 1.4], [4.9, 1.4], [7.0, 4.7], [6.4, 4.5], [6.3, 6.0], [5.8, 5.1], [5.5, 4.0], [6.5, 4.6]])
Y_IRIS = np.array([0, 0, 1, 1, 1, 1, 0, 0])


def _fits(make, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return make(7).fit(X, y), make(7).fit(X, y), make(np.random.default_rng(7)).fit(X, y)


@pytest.mark.parametrize("make", [
    lambda rs: Perceptron(shuffle=True, epochs=30, random_state=rs),
    lambda rs: Pocket(epochs=10, random_state=rs),
    lambda rs: Adaline(eta=0.01, epochs=20, mode="online", shuffle=True, random_state=rs),
    lambda rs: Madaline(n_adalines=3, epochs=20, random_state=rs),
], ids=["Perceptron", "Pocket", "Adaline", "Madaline"])
def test_estimators_are_bit_identical_for_the_same_random_state(make):
    a, b, c = _fits(make, X_IRIS, Y_IRIS)
    for other in (b, c):                                 # int 7 twice, and a Generator seeded with 7
        same(a.weights_, other.weights_)
        same(a.bias_, other.bias_)
        for key in a.history_:
            same(a.history_[key], other.history_[key])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        a.fit(X_IRIS, Y_IRIS)                            # refitting with an int seed starts over
    same(a.weights_, b.weights_)


def test_mark1_wiring_and_weights_are_bit_identical():
    images, labels = retina_shapes(24, noise=0.1, random_state=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        a = MarkI(random_state=5, epochs=3).fit(images, labels)
        b = MarkI(random_state=5, epochs=3).fit(images, labels)
    same(a.connections, b.connections)
    same(a.weights_, b.weights_)
    same(a.bias_, b.bias_)
    assert not np.array_equal(MarkI(random_state=6).connections, a.connections)   # the seed matters


@pytest.mark.parametrize("make", [
    lambda rs: linearly_separable(40, 3, margin=0.05, random_state=rs),
    lambda rs: retina_shapes(9, shift=3, noise=0.1, random_state=rs),
    lambda rs: retina_letters(9, letters="CEX", shift=2, noise=0.05, random_state=rs),
    lambda rs: retina_left_right(9, noise=0.05, random_state=rs),
    lambda rs: (flip_pixels(letters(("T", "J"), shifts=True)[0], 3, random_state=rs),),
    lambda rs: (Dense(4, 3, init="he", random_state=rs).params["W"],),
    lambda rs: random_network(12, n_inputs=3, random_state=rs).weights(),
], ids=["linearly_separable", "retina_shapes", "retina_letters", "retina_left_right", "flip_pixels", "Dense",
        "random_network"])
def test_random_data_and_initial_weights_are_bit_identical(make):
    for x, y, z in zip(make(11), make(11), make(np.random.default_rng(11))):
        same(x, y)
        same(x, z)


# ----------------------------------------------------------------------------- the MLP (1986)
X_XOR = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y_XOR = np.array([[0.0], [1.0], [1.0], [0.0]])


@pytest.mark.parametrize("options", [
    {},                                                                   # the paper: full batch, momentum
    {"batch_size": 1, "shuffle": True, "optimizer": "adam"},              # stochastic, shuffled every epoch
    {"batch_size": 2, "weight_decay": 0.01, "optimizer": "rmsprop"},
], ids=["full-batch", "stochastic-adam", "minibatch-rmsprop"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_mlp_is_bit_identical_for_the_same_random_state(options, dtype):
    from annhist.mlp import MLP

    def fitted(rs):
        return MLP([2, 3, 1], dtype=dtype, random_state=rs).fit(X_XOR, Y_XOR, epochs=40, verbose=False, **options)

    # An int seed twice; two Generators seeded alike (a Generator advances: the constructor's draw and
    # fit's re-initialization use successive numbers, so it is compared with its twin, not with the int).
    nets = [fitted(9), fitted(9)]
    twins = [fitted(np.random.default_rng(9)), fitted(np.random.default_rng(9))]
    for first, other in ((nets[0], nets[1]), (twins[0], twins[1])):
        for a, b in zip(first.params_, other.params_):
            same(a, b)
        assert first.history_ == other.history_
    refit = nets[0].fit(X_XOR, Y_XOR, epochs=40, verbose=False, **options)   # an int seed: fit starts over
    for a, b in zip(refit.params_, nets[1].params_):
        same(a, b)


def test_train_many_is_bit_identical_for_the_same_seeds():
    from annhist.mlp.many import train_many

    a, b = (train_many([2, 2, 1], X_XOR, Y_XOR, seeds=[3, 1, 4], epochs=300, stop_within=0.4, record_history=True)
            for _ in range(2))
    for x, y in zip(a.params + [a.loss, a.n_epochs, a.history], b.params + [b.loss, b.n_epochs, b.history]):
        same(x, y)


# ----------------------------------------------------------------------------- the CNNs (1989, 1998)
@pytest.mark.parametrize("which", ["lecun1989", "lenet5-rbf", "lenet5-softmax-float32"])
def test_cnns_are_bit_identical_for_the_same_random_state(which):
    from annhist.cnn import lecun1989, lenet5

    def trained(rs):
        if which == "lecun1989":
            net, X = lecun1989(random_state=rs, epochs=1, shuffle=True), np.resize(np.linspace(-1, 1, 97), (12, 16, 16))
        else:
            head, *dtype = which.split("-")[1:]
            net = lenet5(random_state=rs, head=head, epochs=1, batch_size=4, shuffle=True,
                         dtype=dtype[0] if dtype else "float64")
            X = np.resize(np.linspace(-0.1, 1.175, 89), (12, 1, 32, 32))
        return net.fit(X, np.arange(12) % 10)

    a, b, c = trained(4), trained(4), trained(np.random.default_rng(4))
    for other in (b, c):
        wa, wo = a.get_weights(), other.get_weights()
        assert list(wa) == list(wo)
        for k in wa:
            same(wa[k], wo[k])
        assert a.history_ == other.history_
