"""Fuzz the 1949-1985 milestone: Hebb's rule, the Hopfield net, its energy and updates, the Boltzmann machine."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from annhist.hopfield import (
    BoltzmannMachine,
    Hopfield,
    async_update,
    boltzmann_learning_cycle,
    boltzmann_weight_change,
    energy,
    hebb_weights,
    local_field,
    sync_update,
    unit_on_probability,
)
from annhist.hopfield.boltzmann import full_connectivity
from annhist.hopfield.capacity import capacity_at, mixture_states, recall_statistics, spurious_statistics
from annhist.hopfield.encoder import train_encoders

from .strategies import FUZZ, bad_arrays, check_call, hyper, weird_scalar

pytestmark = pytest.mark.fuzz

PM1 = np.array([[1.0, -1.0, 1.0, -1.0], [1.0, 1.0, -1.0, -1.0]])
STORED = Hopfield(n_units=4, random_state=0).store(PM1)
FITTED_BM = BoltzmannMachine(n_visible=2, n_hidden=1, cycles=2, random_state=0).fit([[1, 0], [0, 1]])


@st.composite
def pm1_arrays(draw, max_rows: int = 6, max_cols: int = 6):
    """+-1 arrays of random shape (sometimes with more rows than columns), now and then with one bad value."""
    n, m = draw(st.integers(1, max_rows)), draw(st.integers(1, max_cols))
    X = np.array(draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=n * m, max_size=n * m))).reshape(n, m)
    if draw(st.booleans()):
        X[draw(st.integers(0, n - 1)), draw(st.integers(0, m - 1))] = draw(st.sampled_from([0.0, 0.5, 2.0, -3.0]))
    return X


@st.composite
def weight_matrices(draw):
    """Symmetric zero-diagonal matrices, asymmetric ones, ones with a diagonal, and malformed arrays."""
    kind = draw(st.sampled_from(["good", "asym", "diag", "bad", "rect"]))
    if kind == "bad":
        return draw(bad_arrays())
    n = draw(st.integers(1, 5))
    A = np.array(draw(st.lists(st.floats(-3, 3), min_size=n * n, max_size=n * n))).reshape(n, n)
    if kind == "rect":
        return A[:, :-1] if n > 1 else np.zeros((1, 2))
    W = (A + A.T) / 2
    np.fill_diagonal(W, 0.0)
    if kind == "asym" and n > 1:
        W[0, 1] += 1.0
    if kind == "diag":
        W[0, 0] = 1.0
    return W


@FUZZ
@given(patterns=st.one_of(pm1_arrays(), bad_arrays()))
def test_hebb_weights(patterns):
    out = check_call("hebb_weights", lambda: hebb_weights(patterns), names=("patterns",))
    if isinstance(out, np.ndarray):
        assert np.array_equal(out, out.T) and np.all(np.diag(out) == 0)


@FUZZ
@given(n_units=hyper(st.integers(1, 6), max_int=10**4), update=hyper(st.sampled_from(["async", "sync"])),
       random_state=hyper(st.integers(0, 5)), patterns=st.one_of(pm1_arrays(), bad_arrays()),
       state=st.one_of(pm1_arrays(max_rows=1).map(lambda a: a[0]), bad_arrays(), weird_scalar),
       steps=hyper(st.integers(1, 5), max_int=20))
def test_hopfield_store_and_recall(n_units, update, random_state, patterns, state, steps):
    net = Hopfield(n_units=n_units, update=update, random_state=random_state)

    def call():
        traj = net.store(patterns).recall(state, steps=steps)
        assert traj.ndim == 2 and set(np.unique(traj)) <= {-1.0, 1.0}
        if update == "async":
            assert np.all(np.diff(net.energy(traj)) <= 1e-9)
        return traj
    check_call("Hopfield.store.recall", call,
               names=("n_units", "update", "random_state", "patterns", "state", "steps"))


@FUZZ
@given(W=weight_matrices(), s=st.one_of(pm1_arrays(max_rows=1).map(lambda a: a[0]), pm1_arrays(), bad_arrays()),
       i=hyper(st.integers(0, 4)), fn=st.sampled_from(["energy", "local_field", "async_update", "sync_update"]))
def test_energy_and_updates(W, s, i, fn):
    calls = {"energy": lambda: energy(W, s), "local_field": lambda: local_field(W, s),
             "async_update": lambda: async_update(W, s, i), "sync_update": lambda: sync_update(W, s)}
    out = check_call(f"hopfield.{fn}", calls[fn], names=("W", "s", "i"))
    if fn == "async_update" and isinstance(out, np.ndarray):
        assert energy(W, out) <= energy(W, s) + 1e-9


@FUZZ
@given(W=weight_matrices())
def test_set_weights(W):
    n = np.asarray(W).shape[0] if isinstance(W, np.ndarray) and np.asarray(W).ndim >= 1 else 1
    check_call("Hopfield.set_weights", lambda: Hopfield(n_units=max(n, 1)).set_weights(W).weights_,
               names=("W", "n_units"))


@FUZZ
@given(n_visible=hyper(st.integers(1, 3), max_int=6), n_hidden=hyper(st.integers(0, 2), max_int=4),
       cycles=hyper(st.integers(1, 2), max_int=2), n_chains=hyper(st.integers(1, 3), max_int=3),
       epsilon=hyper(st.floats(0.01, 5)), rule=hyper(st.sampled_from(["sign", "linear"])),
       stat_temperature=hyper(st.floats(0.1, 20)), stat_sweeps=hyper(st.integers(1, 3), max_int=3),
       noise=st.one_of(st.tuples(st.floats(0, 0.49), st.floats(0, 0.49)), weird_scalar),
       schedule=st.one_of(st.just(((1, 10.0),)), st.just(()), st.just(((0, 1.0),)), st.just(((1, -1.0),)),
                          weird_scalar),
       patterns=st.one_of(st.just(np.array([[1.0, 0.0, 1.0]])), bad_arrays()))
def test_boltzmann_fit(n_visible, n_hidden, cycles, n_chains, epsilon, rule, stat_temperature, stat_sweeps,
                       noise, schedule, patterns):
    bm = BoltzmannMachine(n_visible=n_visible, n_hidden=n_hidden, cycles=cycles, n_chains=n_chains,
                          epsilon=epsilon, rule=rule, stat_temperature=stat_temperature, stat_sweeps=stat_sweeps,
                          noise=noise, schedule=schedule, random_state=0)

    def call():
        bm.fit(patterns if not isinstance(patterns, np.ndarray) or patterns.shape != (1, 3)
               else patterns[:, :n_visible] if isinstance(n_visible, int) else patterns)
        assert np.all(np.isfinite(bm.weights_)) and np.array_equal(bm.weights_, bm.weights_.T)
        return bm.weights_
    check_call("BoltzmannMachine.fit", call,
               names=("n_visible", "n_hidden", "cycles", "n_chains", "epsilon", "rule", "stat_temperature",
                      "stat_sweeps", "noise", "schedule", "X"))


@FUZZ
@given(visible=st.one_of(st.just(np.array([1.0, 0.0])), bad_arrays(), weird_scalar),
       clamped=st.one_of(st.just([True, False]), st.just([True]), weird_scalar),
       n_samples=hyper(st.integers(1, 5), max_int=10))
def test_boltzmann_complete(visible, clamped, n_samples):
    def call():
        p = FITTED_BM.complete(visible, clamped, n_samples=n_samples)
        assert p.shape == (3,) and np.all((p >= 0) & (p <= 1))
        return p
    check_call("BoltzmannMachine.complete", call, names=("visible", "clamped", "n_samples"))


@FUZZ
@given(n_units=hyper(st.integers(1, 12), max_int=40), n_patterns=hyper(st.integers(1, 5), max_int=8),
       n_trials=hyper(st.integers(1, 3), max_int=4), coding=hyper(st.sampled_from(["pm1", "01"])),
       max_sweeps=hyper(st.integers(1, 5), max_int=10), rng=hyper(st.integers(0, 5)),
       fn=st.sampled_from(["recall", "spurious"]))
def test_capacity_statistics(n_units, n_patterns, n_trials, coding, max_sweeps, rng, fn):
    def call():
        if fn == "recall":
            return recall_statistics(n_units, n_patterns, n_trials, rng, coding=coding, max_sweeps=max_sweeps)
        return {k: v for k, v in spurious_statistics(n_units, n_patterns, n_trials, rng,
                                                     max_sweeps=max_sweeps).items() if k != "mixture_overlaps"}
    check_call(f"hopfield.capacity.{fn}", call,
               names=("n_units", "n_patterns", "n_trials", "coding", "max_sweeps", "rng"))


@FUZZ
@given(alpha=st.one_of(st.just([0.05, 0.1, 0.2]), st.just([]), st.just([0.1]), weird_scalar),
       recalled=st.one_of(st.just([1.0, 0.8, 0.4]), st.just([np.nan, 1, 1]), weird_scalar),
       key=hyper(st.just("recalled")), level=hyper(st.floats(0, 1)), k=hyper(st.integers(1, 3)))
def test_capacity_at_and_mixtures(alpha, recalled, key, level, k):
    check_call("hopfield.capacity_at", lambda: capacity_at({"alpha": alpha, "recalled": recalled}, key, level),
               names=("curve", "level"))
    xi = np.array([[1.0, 1, -1, -1], [1, -1, 1, -1], [-1, -1, 1, 1]])
    check_call("hopfield.mixture_states", lambda: mixture_states(xi, k), names=("k",))


@FUZZ
@given(dE=st.one_of(st.just(np.array([0.0, 2.0, -1e6])), bad_arrays(), weird_scalar), T=weird_scalar,
       p=st.one_of(st.just(np.array([0.5, 0.2])), bad_arrays(), weird_scalar), epsilon=hyper(st.floats(0.1, 3)),
       rule=hyper(st.sampled_from(["sign", "linear"])))
def test_boltzmann_rule(dE, T, p, epsilon, rule):
    check_call("hopfield.unit_on_probability", lambda: unit_on_probability(dE, T), names=("delta_E", "T"))
    check_call("hopfield.boltzmann_weight_change",
               lambda: boltzmann_weight_change(p, np.array([0.25, 0.2]), epsilon, rule),
               names=("p_clamped", "p_free", "epsilon", "rule"))


@FUZZ
@given(W=st.one_of(st.just(np.zeros((2, 4, 4))), bad_arrays(), weird_scalar),
       patterns=st.one_of(st.just(np.array([[1.0, 0.0], [0.0, 1.0]])), bad_arrays()),
       n_chains=hyper(st.integers(1, 3), max_int=4), stat_sweeps=hyper(st.integers(1, 3), max_int=4),
       noise=st.one_of(st.just([0.1, 0.05]), weird_scalar), rng=hyper(st.integers(0, 5)),
       epsilon=hyper(st.floats(0.1, 3)))
def test_boltzmann_learning_cycle(W, patterns, n_chains, stat_sweeps, noise, rng, epsilon):
    check_call("hopfield.boltzmann_learning_cycle",
               lambda: boltzmann_learning_cycle(W, patterns, full_connectivity(3), rng, n_chains=n_chains,
                                                stat_sweeps=stat_sweeps, noise=noise, epsilon=epsilon),
               names=("W", "patterns", "n_chains", "stat_sweeps", "noise", "rng", "epsilon"))


@FUZZ
@given(n_machines=hyper(st.integers(1, 2), max_int=3), cycles=hyper(st.integers(1, 3), max_int=3),
       check_every=hyper(st.integers(1, 3), max_int=3), epsilon=hyper(st.floats(0.1, 3)),
       rule=hyper(st.sampled_from(["sign", "linear"])), rng=hyper(st.integers(0, 5)))
def test_train_encoders(n_machines, cycles, check_every, epsilon, rule, rng):
    check_call("hopfield.train_encoders",
               lambda: train_encoders(n_machines, cycles, rng, check_every=check_every, epsilon=epsilon, rule=rule,
                                      n_chains=1)["weights"],
               names=("n_machines", "cycles", "check_every", "epsilon", "rule", "rng"))
