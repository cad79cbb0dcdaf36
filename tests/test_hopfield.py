"""Tests for annhist.hopfield: Hebb's rule, Hopfield's energy and dynamics, capacity, the Boltzmann machine."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annhist.datasets import letters_10x10
from annhist.hopfield import (
    BoltzmannMachine,
    Hopfield,
    async_update,
    boltzmann_energy,
    boltzmann_weight_change,
    correlation_matrix,
    energy,
    hebb_weights,
    local_field,
    sync_update,
    unit_on_probability,
)
from annhist.hopfield.annealing import PAPER_SCHEDULE, gibbs_sweeps
from annhist.hopfield.capacity import (
    capacity_at,
    mixture_states,
    recall_statistics,
    spurious_statistics,
)
from annhist.hopfield.dynamics import (
    async_sweeps_batch,
    hebb_weights_batch,
    random_patterns,
)
from annhist.hopfield.encoder import (
    encoder_connectivity,
    encoder_patterns,
    train_encoders,
)

SWAP = np.array([[0.0, 1.0], [1.0, 0.0]])


# --- Hebb's rule -------------------------------------------------------------------------------------
def test_hebb_one_pattern_by_hand():
    # xi = (1, -1, 1), N = 3: w_ij = xi_i xi_j / 3 off the diagonal, 0 on it.
    W = hebb_weights([[1, -1, 1]])
    third = 1 / 3
    np.testing.assert_allclose(W, [[0, -third, third], [-third, 0, -third], [third, -third, 0]])


def test_hebb_two_patterns_by_hand():
    # xi1 = (1, 1, -1, -1), xi2 = (1, -1, 1, -1): w_01 = (1*1 + 1*(-1)) / 4 = 0, w_03 = (-1 - 1) / 4 = -0.5
    W = hebb_weights([[1, 1, -1, -1], [1, -1, 1, -1]])
    assert W[0, 1] == 0.0 and W[0, 3] == -0.5 and W[1, 2] == -0.5 and W[0, 2] == 0.0
    assert np.all(np.diag(W) == 0) and np.array_equal(W, W.T)


def test_hebb_is_the_correlation_matrix_without_its_diagonal():
    xi = random_patterns(np.random.default_rng(0), 7, 30)
    P, N = xi.shape
    np.testing.assert_allclose(hebb_weights(xi), P / N * (correlation_matrix(xi) - np.eye(N)), atol=1e-12)


# --- energy and updates ------------------------------------------------------------------------------
def test_energy_and_updates_by_hand():
    # E(1, -1) = -1/2 (w_01 s_0 s_1 + w_10 s_1 s_0) = -1/2 (-1 - 1) = 1
    assert energy(SWAP, [1, -1]) == 1.0
    assert energy(SWAP, [1, 1]) == -1.0
    np.testing.assert_array_equal(local_field(SWAP, [1, -1]), [-1, 1])
    np.testing.assert_array_equal(async_update(SWAP, [1, -1], 0), [-1, -1])   # h_0 = -1
    np.testing.assert_array_equal(sync_update(SWAP, [1, -1]), [-1, 1])        # both flip


def test_tie_keeps_the_state():
    W = np.zeros((3, 3))
    np.testing.assert_array_equal(async_update(W, [1, -1, 1], 1), [1, -1, 1])


def test_sync_cycles_with_period_two_async_does_not():
    net = Hopfield(n_units=2, update="sync").set_weights(SWAP)
    traj = net.recall([1, -1], steps=6)
    assert len(traj) == 7                                   # never a fixed point
    np.testing.assert_array_equal(traj[0], traj[2])
    np.testing.assert_array_equal(traj[1], traj[3])
    assert not np.array_equal(traj[0], traj[1])
    assert np.all(net.energy(traj) == 1.0)                  # the energy does not fall
    a = Hopfield(n_units=2, update="async", random_state=0).set_weights(SWAP).recall([1, -1], steps=6)
    assert abs(a[-1].sum()) == 2 and energy(SWAP, a[-1]) == -1.0      # settles in (1,1) or (-1,-1)


def test_sync_cycle_on_stored_patterns():
    # Two stored patterns on 4 units; the state (1, 1, 1, 1) flips between two states under sync updates.
    xi = np.array([[1, 1, -1, -1], [1, -1, 1, -1]])
    net = Hopfield(n_units=4, update="sync").store(xi)
    traj = net.recall(np.ones(4), steps=10)
    assert len(traj) == 11 and np.array_equal(traj[1], traj[3]) and np.array_equal(traj[2], traj[4])


@st.composite
def symmetric_nets(draw):
    n = draw(st.integers(2, 9))
    vals = draw(st.lists(st.floats(-5, 5, allow_nan=False), min_size=n * n, max_size=n * n))
    A = np.array(vals).reshape(n, n)
    W = (A + A.T) / 2
    np.fill_diagonal(W, 0.0)
    s = np.array(draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=n, max_size=n)))
    return W, s, draw(st.integers(0, n - 1))


@settings(max_examples=300, deadline=None)
@given(case=symmetric_nets())
def test_async_update_never_raises_the_energy(case):
    W, s, i = case
    new = async_update(W, s, i)
    dE = energy(W, new) - energy(W, s)
    assert dE <= 1e-9
    # and the change is exactly -(s_i' - s_i) h_i (the proof's identity)
    assert dE == pytest.approx(-(new[i] - s[i]) * (W[i] @ s), abs=1e-9)


def test_asymmetric_weights_can_raise_the_energy_so_they_are_refused():
    A = np.array([[0.0, 1.0], [-1.0, 0.0]])
    with pytest.raises(ValueError, match="'W'.*symmetric"):
        async_update(A, [1, 1], 0)
    with pytest.raises(ValueError, match="symmetric"):
        Hopfield(n_units=2).set_weights(A)


# --- the network -------------------------------------------------------------------------------------
def test_recall_noisy_letters_and_energy_never_rises():
    X = letters_10x10("HTLX")
    net = Hopfield(n_units=100, random_state=0).store(X)
    rng = np.random.default_rng(1)
    for x in X:
        cue = x.copy()
        cue[rng.choice(100, 15, replace=False)] *= -1
        traj = net.recall(cue, steps=20)
        np.testing.assert_array_equal(traj[-1], x)
        assert np.all(np.diff(net.energy(traj)) <= 1e-12)
    np.testing.assert_allclose(net.overlaps(X[0])[0], 1.0)


def test_recall_is_deterministic_for_an_int_random_state():
    X = letters_10x10("HT")
    cue = X[0].copy()
    cue[:30] *= -1
    a = Hopfield(100, random_state=3).store(X).recall(cue)
    b = Hopfield(100, random_state=3).store(X).recall(cue)
    np.testing.assert_array_equal(a, b)


def test_clone_and_params():
    from sklearn.base import clone
    net = Hopfield(n_units=10, update="sync", random_state=2)
    assert clone(net).get_params() == {"n_units": 10, "update": "sync", "random_state": 2}


@pytest.mark.parametrize("call, match", [
    (lambda: Hopfield(4).store([[1, 0, 1, -1]]), "'patterns'.*-1 and \\+1.*Got the value 0"),
    (lambda: Hopfield(4).store([[1, -1, 1]]), "'patterns'.*4 units"),
    (lambda: hebb_weights(np.ones((5, 4))), "more patterns than units.*Got 5 patterns of 4 units"),
    (lambda: Hopfield(4).store([1, -1, 1, -1]), "'patterns'.*2-D"),
    (lambda: Hopfield(2).set_weights(np.eye(2)), "zero diagonal"),
    (lambda: Hopfield(3).set_weights(SWAP), "'W'.*3 x 3"),
    (lambda: Hopfield(2, update="fast").store([[1, -1]]), "'update'.*'async', 'sync'.*'fast'"),
    (lambda: Hopfield(0).store([[1]]), "'n_units'.*>= 1"),
    (lambda: Hopfield(2).store([[1, -1]]).recall([1, 2]), "'state'.*-1 and \\+1"),
    (lambda: Hopfield(2).store([[1, -1]]).recall([1, -1], steps=0), "'steps'.*>= 1"),
    (lambda: energy(SWAP, [1, -1, 1]), "'s'.*2 units"),
    (lambda: async_update(SWAP, [1, -1], 5), "'i'.*0..1.*Got 5"),
])
def test_clear_errors(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_not_stored_is_an_error():
    from annhist import NotFittedError
    with pytest.raises(NotFittedError):
        Hopfield(3).recall([1, 1, 1])


# --- the fast path and capacity ----------------------------------------------------------------------
def test_batched_sweeps_equal_the_plain_rule():
    rng = np.random.default_rng(0)
    K, B, N = 3, 2, 7
    A = rng.normal(size=(K, N, N))
    W = (A + A.transpose(0, 2, 1)) / 2
    W[:, np.arange(N), np.arange(N)] = 0
    S = random_patterns(rng, K, B, N)
    orders = [rng.permutation(N) for _ in range(20)]
    fast, n = async_sweeps_batch(W, S, rng, max_sweeps=20, orders=orders)
    for k, b in itertools.product(range(K), range(B)):
        s = S[k, b]
        for sweep in range(n):
            for i in orders[sweep]:
                s = async_update(W[k], s, int(i))
        np.testing.assert_array_equal(fast[k, b], s)


def test_batch_hebb_equals_plain():
    xi = random_patterns(np.random.default_rng(1), 2, 3, 12)
    W = hebb_weights_batch(xi)
    for k in range(2):
        np.testing.assert_allclose(W[k], hebb_weights(xi[k]))


def test_capacity_low_and_high_load():
    rng = np.random.default_rng(0)
    low = recall_statistics(100, 5, 10, rng)
    high = recall_statistics(100, 40, 5, rng)
    assert low["stable"] == 1.0 and low["recalled"] == 1.0
    assert high["recalled"] < 0.3 and high["overlap"] < 0.8
    # Hopfield's own 0/1 units store fewer: at 15 patterns far fewer recalls than with +-1 units
    pm1 = recall_statistics(100, 15, 20, rng)["recalled"]
    zero_one = recall_statistics(100, 15, 20, rng, coding="01")["recalled"]
    assert zero_one < pm1 - 0.3


def test_capacity_at_interpolates():
    # recalled falls from 0.8 at alpha 0.1 to 0.4 at alpha 0.2: half at 0.1 + 0.3/0.4 * 0.1 = 0.175
    assert capacity_at({"alpha": [0.05, 0.1, 0.2], "recalled": [1.0, 0.8, 0.4]}) == pytest.approx(0.175)


def test_spurious_states():
    xi = np.array([[[1, 1, 1, -1], [1, -1, -1, -1], [-1, 1, -1, -1]]], dtype=float)
    np.testing.assert_array_equal(mixture_states(xi), [[1, 1, -1, -1]])   # sign of the column sums
    out = spurious_statistics(200, 5, 30, np.random.default_rng(0))
    assert out["reversed_stable_iff_pattern_stable"] == 1.0               # E(-s) = E(s)
    assert out["mixture_stable"] > 0.8
    assert all(0.4 < m < 0.6 for m in out["mixture_overlaps"])            # 1/2 each, as in Amit et al.


# --- the Boltzmann machine ---------------------------------------------------------------------------
def test_boltzmann_equations_by_hand():
    assert unit_on_probability(0.0, 10.0) == 0.5
    assert unit_on_probability(2.0, 1.0) == pytest.approx(1 / (1 + np.exp(-2.0)))
    assert unit_on_probability(1e6, 1.0) == 1.0 and unit_on_probability(-1e6, 1.0) == 0.0
    W = np.array([[0, 1, -2], [1, 0, 3], [-2, 3, 0]], dtype=float)
    assert boltzmann_energy(W, np.array([1.0, 1.0, 1.0])) == -(1 - 2 + 3)      # -sum_{i<j} w_ij
    np.testing.assert_allclose(boltzmann_weight_change(np.array([0.3]), np.array([0.1]), 2.0, "linear"), [0.4])


def test_gibbs_sampling_reaches_the_boltzmann_distribution():
    # 3 free units plus the always-on unit 0; compare visit frequencies with exp(-E/T) / Z.
    rng = np.random.default_rng(0)
    W = np.array([[0, -1, 0.5, 0.2], [-1, 0, 2, -1], [0.5, 2, 0, 0.5], [0.2, -1, 0.5, 0]])
    T = 1.0
    S = np.zeros((1, 4000, 4))
    S[:, :, 0] = 1
    S = gibbs_sweeps(W[None], S, np.arange(1, 4), T, 30, rng)
    states = np.array(list(itertools.product([0, 1], repeat=3)), dtype=float)
    full = np.hstack([np.ones((8, 1)), states])
    p = np.exp(-boltzmann_energy(W, full) / T)
    p /= p.sum()
    codes = S[0, :, 1:] @ [4, 2, 1]
    freq = np.bincount(codes.astype(int), minlength=8) / S.shape[1]
    np.testing.assert_allclose(freq, p, atol=0.03)


def test_boltzmann_machine_learns_a_correlation():
    # Two visible units, on together or off together: the learned weight between them becomes positive.
    bm = BoltzmannMachine(n_visible=2, n_hidden=0, cycles=40, schedule=((2, 1.0),), stat_temperature=1.0,
                          epsilon=1.0, rule="linear", noise=(0.0, 0.0), n_chains=20, random_state=0)
    bm.fit([[1, 1], [0, 0]])
    assert bm.weights_[1, 2] > 1.0
    assert len(bm.history_["weight_norm"]) == 40
    p = bm.complete([1, 0], [True, False], n_samples=50)
    assert p[1] > 0.6                                      # unit 2 follows unit 1


def test_encoder_connectivity_and_patterns():
    mask = encoder_connectivity()
    assert mask.shape == (11, 11) and not mask[1:5, 5:9].any()      # no V1-V2 links
    assert mask[0, 1:].all() and mask[1:5, 9:].all() and mask[5:9, 9:].all() and mask[9, 10]
    assert int(mask.sum()) // 2 == 10 + 6 + 6 + 1 + 8 + 8           # thresholds, V1, V2, H, V1-H, V2-H
    np.testing.assert_array_equal(encoder_patterns()[2], [0, 0, 1, 0, 0, 0, 1, 0])
    assert PAPER_SCHEDULE == ((2, 20.0), (2, 15.0), (2, 12.0), (4, 10.0))


def test_encoders_learn_codes():
    out = train_encoders(16, 120, np.random.default_rng(0))
    assert np.mean(out["first_good"] > 0) >= 0.25
    assert np.all(out["weights"] == out["weights"].transpose(0, 2, 1))


@pytest.mark.parametrize("kwargs, match", [
    ({"rule": "cubic"}, "'rule'"), ({"noise": (0.6, 0.1)}, "'noise'"), ({"schedule": ((0, 1.0),)}, "'schedule'"),
    ({"epsilon": -1}, "'epsilon'"), ({"connectivity": np.ones((3, 3), dtype=bool)}, "'connectivity'"),
])
def test_boltzmann_errors(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        BoltzmannMachine(n_visible=2, n_hidden=1, cycles=1, **kwargs).fit([[1, 0]])
    with pytest.raises(ValueError, match="'X'.*0 and 1"):
        BoltzmannMachine(n_visible=2, n_hidden=1, cycles=1).fit([[1, -1]])


def test_experiments_are_registered():
    from annhist import experiments
    assert {"hopfield-recall", "hopfield-capacity", "boltzmann-encoder"} <= set(experiments.names())
    r = experiments.run("hopfield-recall", seed=0).to_dict()["results"]
    assert r["energy_never_rises"] is True and all(r["recalled"])


def test_logistic_draw_is_the_on_probability_of_eq3():
    # P(Delta E / T > L) for logistic L must equal unit_on_probability(Delta E, T).
    from annhist.hopfield.annealing import logistic_noise
    L = logistic_noise(np.random.default_rng(0), (200_000,))
    for gap, T in ((0.0, 1.0), (3.0, 2.0), (-5.0, 10.0), (20.0, 10.0)):
        assert np.mean(gap > T * L) == pytest.approx(unit_on_probability(gap, T), abs=0.005)
    u = np.random.default_rng(0).random(200_000)                  # worked in place: the formula's very bits
    with np.errstate(divide="ignore"):
        np.testing.assert_array_equal(L, np.log(u) - np.log1p(-u))
    u = np.array([0.0, 0.25, 0.5, 1.0])                              # and its ends: u = 0 is -inf (always on)
    rng = type("Fixed", (), {"random": lambda self, shape: u.copy().reshape(shape)})()
    np.testing.assert_array_equal(logistic_noise(rng, (4,)), [-np.inf, np.log(0.25) - np.log1p(-0.25), 0.0, np.inf])
