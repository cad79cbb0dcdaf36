"""Bad input to the 1949-1985 milestone is refused naming the parameter; good input gives the same numbers."""

from __future__ import annotations

import numpy as np
import pytest

from annhist import experiments
from annhist.hopfield import (
    BoltzmannMachine,
    boltzmann_energy,
    boltzmann_learning_cycle,
    boltzmann_weight_change,
    unit_on_probability,
)
from annhist.hopfield.boltzmann import full_connectivity
from annhist.hopfield.capacity import (
    capacity_at,
    capacity_curve,
    mixture_states,
    recall_statistics,
    spurious_statistics,
)
from annhist.hopfield.encoder import encoder_patterns, train_encoders
from annhist.hopfield.experiments import hopfield_recall_experiment

PAT = np.array([[1.0, 0.0], [0.0, 1.0]])
W0 = np.zeros((1, 4, 4))
MASK = full_connectivity(3)
XI = np.array([[[1, 1, 1, -1], [1, -1, -1, -1], [-1, 1, -1, -1]]], dtype=float)
G = np.random.default_rng(0)
CURVE = {"alpha": [0.05, 0.1, 0.2], "recalled": [1.0, 0.8, 0.4]}


def cycle(**kwargs):
    args = {"rng": np.random.default_rng(0), **kwargs}
    return boltzmann_learning_cycle(W0, PAT, MASK, args.pop("rng"), **args)


def bm(**kwargs):
    return BoltzmannMachine(**{"n_visible": 2, "n_hidden": 1, "cycles": 2, "random_state": 0, **kwargs})


@pytest.mark.parametrize("call, exc, param", [
    # item 4: an unknown rule was the linear rule
    (lambda: boltzmann_weight_change(np.array([.5, .2]), np.array([.25, .2]), 2.0, "sgn"), ValueError, "rule"),
    (lambda: cycle(rule="foo"), ValueError, "rule"),
    (lambda: boltzmann_weight_change(np.array([5.0]), np.array([0.2]), 1.0), ValueError, "p_clamped"),
    (lambda: boltzmann_weight_change(np.array([.5]), np.array([.5, .5]), 1.0), ValueError, "p_free"),
    (lambda: boltzmann_weight_change(np.array([.5]), np.array([.2]), np.nan), ValueError, "epsilon"),
    # item 19: T = 0 gave NaN, T < 0 inverted the probabilities, NaN was accepted
    (lambda: unit_on_probability(np.array([0.0]), 0.0), ValueError, "T"),
    (lambda: unit_on_probability(np.array([1.0]), -1.0), ValueError, "T"),
    (lambda: unit_on_probability(np.array([1.0]), np.nan), ValueError, "T"),
    (lambda: unit_on_probability(np.array([np.nan]), 1.0), ValueError, "delta_E"),
    # fuzz seed 5016: a float32 gap divides in float32, where 2T below ~1e-45 is 0: 0 / 0 was NaN
    (lambda: unit_on_probability(np.float32(0.0), 1e-60), ValueError, "T"),
    (lambda: unit_on_probability(np.array([0.0, 1.5], dtype=np.float32), 4.3e-217), ValueError, "T"),
    (lambda: unit_on_probability(np.float16(0.0), 1e-9), ValueError, "T"),
    # item 29: an einsum error
    (lambda: boltzmann_energy(np.zeros((3, 3)), np.ones(2)), ValueError, "s"),
    (lambda: boltzmann_energy(np.ones((3, 3)), np.ones(3)), ValueError, "W"),
    # items 22, 27, 28: NaN weights, an IndexError, an AttributeError, numpy errors
    (lambda: cycle(n_chains=0), ValueError, "n_chains"),
    (lambda: cycle(stat_sweeps=0), ValueError, "stat_sweeps"),
    (lambda: cycle(noise=(2.0,)), ValueError, "noise"),
    (lambda: cycle(epsilon=np.nan), ValueError, "epsilon"),
    (lambda: cycle(schedule=()), ValueError, "schedule"),
    (lambda: cycle(stat_temperature=0.0), ValueError, "stat_temperature"),
    (lambda: cycle(rng="a"), TypeError, "rng"),
    (lambda: boltzmann_learning_cycle(np.zeros((4, 4)), PAT, MASK, G), ValueError, "W"),
    (lambda: boltzmann_learning_cycle(W0, np.ones((2, 5)), MASK, G), ValueError, "patterns"),
    (lambda: boltzmann_learning_cycle(W0, PAT, MASK.astype(int), G), ValueError, "mask"),
    # item 20: epsilon=1e308 left -inf in the weights
    (lambda: bm(cycles=5, epsilon=1e308).fit(PAT), ValueError, "epsilon"),
    (lambda: bm(cycles=5, epsilon=1e300, rule="linear").fit(PAT), ValueError, "epsilon"),
    # item 24: a MemoryError
    (lambda: BoltzmannMachine(2, 10 ** 6).fit(PAT), ValueError, "n_hidden"),
    (lambda: bm(n_chains=10 ** 9).fit(PAT), ValueError, "n_chains"),
    (lambda: bm(noise=(False, 0.1)).fit(PAT), ValueError, "noise"),
    # item 26: a ZeroDivisionError and an UnboundLocalError
    (lambda: train_encoders(1, 2, np.random.default_rng(0), check_every=0), ValueError, "check_every"),
    (lambda: train_encoders(1, 0, np.random.default_rng(0)), ValueError, "cycles"),
    (lambda: train_encoders(10 ** 9, 1, G), ValueError, "n_machines"),
    (lambda: train_encoders(1, 5, G, epsilon=1e308), ValueError, "epsilon"),
    (lambda: encoder_patterns(-1), ValueError, "n"),
    # items 5, 22, 28: an unknown coding was pm1, 0 units or patterns gave NaN, an int rng an AttributeError
    (lambda: recall_statistics(20, 2, 2, G, coding="xx"), ValueError, "coding"),
    (lambda: recall_statistics(0, 2, 2, G), ValueError, "n_units"),
    (lambda: recall_statistics(20, 0, 2, G), ValueError, "n_patterns"),
    (lambda: recall_statistics(20, 2, 0, G), ValueError, "n_trials"),
    (lambda: recall_statistics(20.5, 2, 2, G), TypeError, "n_units"),
    (lambda: recall_statistics(20, 2, 2, G, max_sweeps=0), ValueError, "max_sweeps"),
    (lambda: recall_statistics(10 ** 6, 2, 2, G), ValueError, "n_units"),
    (lambda: capacity_curve(20, [], 2, G), ValueError, "loads"),
    (lambda: capacity_curve(20, [2, 0], 2, G), ValueError, "loads"),
    # item 10: "3-mixtures" of fewer than 3 patterns; even or non-positive k
    (lambda: spurious_statistics(20, 1, 2, G), ValueError, "n_patterns"),
    (lambda: spurious_statistics(20, 2, 2, G), ValueError, "n_patterns"),
    (lambda: mixture_states(XI, k=2), ValueError, "k"),
    (lambda: mixture_states(XI, k=0), ValueError, "k"),
    (lambda: mixture_states(XI, k=-1), ValueError, "k"),
    (lambda: mixture_states(XI, k=5), ValueError, "k"),
    (lambda: mixture_states(XI * 0.5, k=3), ValueError, "xi"),
    # item 27: an IndexError, a KeyError
    (lambda: capacity_at({"alpha": [], "recalled": []}), ValueError, "curve"),
    (lambda: capacity_at({"alpha": [0.1], "recalled": [1.0]}, key="x"), ValueError, "curve"),
    (lambda: capacity_at({"recalled": [1.0]}), ValueError, "curve"),
    (lambda: capacity_at({"alpha": [0.1], "recalled": [1.0, 0.2]}), ValueError, "curve"),
    (lambda: capacity_at([0.1, 0.2]), TypeError, "curve"),
    (lambda: capacity_at(CURVE, level=np.nan), ValueError, "level"),
    # items 14, 29: flips=-1 was a numpy error, 2.5 became 2, 10**6 became 100
    (lambda: hopfield_recall_experiment(flips=-1), ValueError, "flips"),
    (lambda: hopfield_recall_experiment(flips=2.5), TypeError, "flips"),
    (lambda: hopfield_recall_experiment(flips=101), ValueError, "flips"),
    (lambda: experiments.run("hopfield-recall", flips=10 ** 6), ValueError, "flips"),
])
def test_bad_input_is_refused_naming_the_parameter(call, exc, param):
    with pytest.raises(exc, match=f"'{param}'"):
        call()


def test_numpy_scalars_and_lists_are_valid_schedules_and_noise():
    # item 31: these were refused; they are the same numbers as the floats and the tuple
    ref = bm(schedule=((2, 1.0),), noise=(0.1, 0.1)).fit(PAT).weights_
    for kwargs in ({"schedule": ((2, np.float32(1.0)),), "noise": [0.1, 0.1]},
                   {"schedule": [(np.int64(2), 1)], "noise": (np.float64(0.1), 0.1)}):
        np.testing.assert_array_equal(bm(**kwargs).fit(PAT).weights_, ref)


def test_an_int_seed_is_the_generator_it_seeds():
    # item 28: rng=0 was an AttributeError
    np.testing.assert_array_equal(cycle(rng=0), cycle(rng=np.random.default_rng(0)))
    assert recall_statistics(20, 3, 2, 5) == recall_statistics(20, 3, 2, np.random.default_rng(5))
    assert spurious_statistics(30, 3, 2, 1) == spurious_statistics(30, 3, 2, np.random.default_rng(1))


def test_good_input_gives_the_same_numbers():
    assert unit_on_probability(0.0, 10.0) == 0.5 and unit_on_probability(np.inf, 1.0) == 1.0
    assert unit_on_probability(0.0, 5e-324) == 0.5 and unit_on_probability(np.float32(0.0), 1e-45) == 0.5
    assert unit_on_probability(np.float32(2.0), 1.0) == np.float32(0.5) * (1 + np.tanh(np.float32(1.0)))
    np.testing.assert_array_equal(boltzmann_weight_change(np.array([.5, .2]), np.array([.25, .2]), 2.0, "sign"),
                                  [2.0, 0.0])
    np.testing.assert_array_equal(mixture_states(XI), [[1, 1, -1, -1]])
    assert capacity_at(CURVE) == pytest.approx(0.175)
    assert capacity_at({"alpha": [0.1, 0.2], "recalled": [0.9, 0.8]}) == 0.2          # never below: the last
    assert hopfield_recall_experiment(flips=100).settings["flips"] == 100
    out = train_encoders(2, 3, np.random.default_rng(0), check_every=2)
    assert out["weights"].shape == (2, 11, 11) and np.all(np.isfinite(out["weights"]))
    assert BoltzmannMachine(2, 1, cycles=2, epsilon=1e150 / 2, random_state=0).fit(PAT).weights_.max() <= 1e150


@pytest.mark.parametrize("clamped, exc", [
    (["a", "b"], TypeError),                  # was read as all True
    (np.array(["x", ""]), TypeError),
    ([1, 2], ValueError),                     # 2 was True
    ([0.5, 1.0], ValueError),
    (None, TypeError),
    ([[True], [True, False]], TypeError),     # ragged
    ([True, False, True], ValueError),        # n_visible = 2
])
def test_complete_refuses_a_clamped_that_is_not_a_mask(clamped, exc):
    fitted = BoltzmannMachine(2, 1, cycles=1, random_state=0).fit(PAT)
    with pytest.raises(exc, match="'clamped'"):
        fitted.complete([1, 0], clamped, n_samples=2)
    with pytest.raises(ValueError, match="'n_samples'"):       # the samples' states: (n_samples, N) numbers
        fitted.complete([1, 0], [True, False], n_samples=10 ** 12)


def test_complete_reads_a_bool_or_0_1_mask_as_before():
    fitted = BoltzmannMachine(2, 1, cycles=3, random_state=0).fit(PAT)
    ref = fitted.complete([1, 0], [True, False], n_samples=5)
    for same in ([1, 0], np.array([1.0, 0.0]), np.array([True, False])):
        np.testing.assert_array_equal(fitted.complete([1, 0], same, n_samples=5), ref)
    assert ref.shape == (3,) and ref[0] == 1.0                # the clamped unit is on in every sample
