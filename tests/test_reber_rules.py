"""train_reber's two learning rules: the paper's truncated online rule and the exact gradient by BPTT."""

from __future__ import annotations

import numpy as np
import pytest

from annhist.recurrent import reber
from annhist.recurrent.lstm import LSTMSpec, init_lstm
from annhist.recurrent.lstm_grad import lstm_bptt


def _setup(n_trials=3, seed=0):
    rng = np.random.default_rng(seed)
    sets = [reber.reber_sets(rng, 12, 4) for _ in range(2)]
    train, _ = reber._encode_sets(sets, np.arange(n_trials) % 2)
    spec = LSTMSpec(n_in=7, n_blocks=2, block_size=2, n_out=7)
    p = init_lstm(spec, rng, init=0.2, shape=(n_trials,), out_gate_bias=[-1.0, -2.0])
    return rng, train, spec, p


def test_exact_rule_makes_one_gradient_step_per_string_and_leaves_inactive_nets_alone():
    rng, train, spec, p = _setup()
    picks = rng.integers(0, train["X"].shape[1], size=(3, 2))
    active = np.array([True, False, True])
    expected = {k: v.copy() for k, v in p.items()}
    for j in range(2):                                    # by hand: string j of each net, then the next
        for n in np.flatnonzero(active):
            i = picks[n, j]
            one = {k: v[n] for k, v in expected.items()}
            g = lstm_bptt(train["X"][n, i][None], train["allowed"][n, i][None], one, spec,
                          mask=train["mask"][n, i][None])["grads"]
            for k in expected:
                expected[k][n] -= 0.5 * g[k].reshape(expected[k][n].shape)
    before = {k: v.copy() for k, v in p.items()}
    tested = reber._learn(p, spec, train, picks, active, 0.5, "allowed", "exact")
    np.testing.assert_array_equal(tested, [0, 2])
    for k in p:
        np.testing.assert_allclose(p[k], expected[k], rtol=1e-12, atol=1e-15)
        np.testing.assert_array_equal(p[k][1], before[k][1])          # the inactive net did not learn
        assert not np.array_equal(p[k][0], before[k][0])                 # an active one did


def test_the_two_rules_train_differently_from_the_same_start_and_each_is_deterministic():
    kw = dict(n_trials=2, max_sequences=200, eval_every=100, random_state=3)
    a, b = reber.train_reber(**kw), reber.train_reber(**kw, rule="exact")
    assert not np.array_equal(a["symbol_accuracy"], b["symbol_accuracy"])
    again = reber.train_reber(**kw, rule="exact")
    np.testing.assert_array_equal(b["symbol_accuracy"], again["symbol_accuracy"])
    np.testing.assert_array_equal(a["symbol_accuracy"], reber.train_reber(**kw, rule="1997")["symbol_accuracy"])


@pytest.mark.parametrize("rule", ["bptt", "", None, 1997])
def test_an_unknown_rule_is_refused_naming_it(rule):
    with pytest.raises((ValueError, TypeError), match="'rule'"):
        reber.train_reber(n_trials=1, max_sequences=1, rule=rule)
