"""The recurrent milestone: tasks, Elman's SRN, BPTT, the 1997 LSTM and its truncated rule."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annhist import NotFittedError, experiments
from annhist.recurrent import (
    ElmanSRN,
    LSTMSpec,
    allowed_next,
    bptt,
    count_weights,
    elman_deltas,
    elman_step,
    embedded_reber_string,
    error_flow_lstm,
    error_flow_rnn,
    init_lstm,
    init_rnn,
    lag_sequences,
    lstm_bptt,
    lstm_forward,
    lstm_loss,
    reber_batch,
    rnn_forward,
    rnn_loss,
    run_elman,
    run_online,
    temporal_xor,
    train_elman,
    train_lstm_lag,
    train_rnn_lag,
    truncated_step,
)
from annhist.recurrent.checks import check_mask, check_stream
from annhist.recurrent.lags import error_flows, lag_success
from annhist.recurrent.lstm import _zeros_state
from annhist.recurrent.lstm_online import zero_traces
from annhist.recurrent.reber import predictions_correct, reber_sets, train_reber
from annhist.recurrent.tasks import REBER_GRAPH


def central_difference(loss, params, eps=1e-6):
    grads = {}
    for name, v in params.items():
        g = np.zeros_like(v)
        for i in np.ndindex(v.shape):
            old = v[i]
            v[i] = old + eps
            up = loss()
            v[i] = old - eps
            down = loss()
            v[i] = old
            g[i] = (up - down) / (2 * eps)
        grads[name] = g
    return grads


# ---------------------------------------------------------------------------------------------- tasks
def test_temporal_xor_every_third_bit_is_the_xor_of_the_two_before():
    bits = temporal_xor(500, random_state=1)
    assert bits.shape == (1500,)
    triples = bits.reshape(-1, 3).astype(int)
    assert np.array_equal(triples[:, 2], triples[:, 0] ^ triples[:, 1])
    assert set(np.unique(bits)) == {0.0, 1.0}


def test_embedded_reber_strings_follow_the_grammar():
    rng = np.random.default_rng(0)
    for _ in range(200):
        s = embedded_reber_string(rng)
        assert s[0] == "B" and s[-1] == "E" and s[1] == s[-2] and s[1] in "TP"
        assert len(s) >= 9                               # "as few as 9 steps": B T BTXSE T E
        sets = allowed_next(s)
        assert len(sets) == len(s) - 1
        assert all(nxt in allowed for nxt, allowed in zip(s[1:], sets))
        assert sets[-2] == {s[1]}                        # the symbol before last must repeat the second
    assert "BTBTXSETE" == "B" + "T" + "BTXSE" + "T" + "E" and allowed_next("BTBTXSETE")[2] == {"T", "P"}
    assert {s for s, _ in REBER_GRAPH[2]} == {"S", "X"}


def test_reber_batch_shapes_targets_and_mask():
    b = reber_batch(["BTBTXSETE", "BPBPVVEPE"])
    assert b["X"].shape == (2, 8, 7) and b["mask"].sum() == 16
    assert np.array_equal(b["X"][:, 1:], b["Y"][:, :-1])  # the target of step t is the input of t+1
    assert np.all(b["Y"] <= b["allowed"])              # the next symbol is always allowed


def test_lag_sequences_differ_only_in_the_first_input_and_last_target():
    X, Y = lag_sequences(5)
    assert X.shape == Y.shape == (2, 5, 6)
    assert np.array_equal(X[0, 1:], X[1, 1:]) and not np.array_equal(X[0, 0], X[1, 0])
    assert np.array_equal(Y[0, :-1], Y[1, :-1]) and np.array_equal(Y[0, -1], X[0, 0])
    assert np.array_equal(Y[1, -1], X[1, 0])


# ---------------------------------------------------------------------------------------------- Elman
def test_elman_step_by_hand():
    # 1 input, 1 hidden, 1 output; all weights 1, biases 0: net_h = 1*1 + 1*0.5 = 1.5, h = s(1.5);
    # y = s(h); delta_y = (1 - y) y (1 - y); delta_h = delta_y * 1 * h (1 - h).
    p = {k: np.ones((1, 1, 1)) for k in ("W_xh", "W_ch", "W_hy")}
    p.update(b_h=np.zeros((1, 1, 1)), b_y=np.zeros((1, 1, 1)))
    h, y = elman_step(np.ones((1, 1, 1)), np.full((1, 1, 1), 0.5), p)
    s = lambda a: 1 / (1 + np.exp(-a))
    assert h.item() == pytest.approx(s(1.5)) and y.item() == pytest.approx(s(s(1.5)))
    d_y, d_h = elman_deltas(h, y, np.ones((1, 1, 1)), p["W_hy"])
    assert d_y.item() == pytest.approx((1 - y.item()) ** 2 * y.item())
    assert d_h.item() == pytest.approx(d_y.item() * h.item() * (1 - h.item()))


def test_elman_trials_side_by_side_equal_one_at_a_time():
    bits = np.stack([temporal_xor(20, random_state=k) for k in range(3)])[..., None]
    together, _ = train_elman(bits[:, :-1], bits[:, 1:], epochs=2, random_state=7)
    rng = np.random.default_rng(7)
    from annhist.recurrent.srn import init_elman
    init = init_elman(3, 1, 2, 1, 0.5, rng)
    for k in range(3):              # the same initial weights, trained alone, end the same
        alone = {n: v[k:k + 1].copy() for n, v in init.items()}
        from annhist.recurrent.srn import _learn_step
        c = np.full((1, 1, 2), 0.5)
        for _ in range(2):
            for t in range(bits.shape[1] - 1):
                c, _ = _learn_step(alone, bits[k:k + 1, t:t + 1], c, bits[k:k + 1, t + 1:t + 2], 0.1)
        for n in alone:
            np.testing.assert_allclose(alone[n][0], together[n][k], atol=1e-12)


def test_elman_learns_the_xor_bit_better_than_the_others():
    rng = np.random.default_rng(0)
    bits = np.stack([temporal_xor(1000, rng) for _ in range(3)])[..., None]
    p, hist = train_elman(bits[:, :-1], bits[:, 1:], eta=0.5, epochs=30, random_state=1)
    test = np.stack([temporal_xor(301, rng) for _ in range(3)])[..., None]
    sq = (run_elman(p, test[:, :-1])["output"][..., 0] - test[:, 1:, 0]) ** 2
    sq = sq[:, 2:]
    xor_err, other = sq[:, 2::3].mean(), np.r_[sq[:, 0::3].ravel(), sq[:, 1::3].ravel()].mean()
    assert xor_err < other - 0.02
    assert hist.shape == (30, 3)


def test_elman_estimator_fit_predict_and_errors():
    bits = temporal_xor(50, random_state=0)
    net = ElmanSRN(epochs=3, random_state=0)
    with pytest.raises(NotFittedError):
        net.predict(bits[:, None])
    net.fit(bits[:-1, None], bits[1:, None])
    assert net.predict(bits[:10, None]).shape == (10, 1) and len(net.history_["mse"]) == 3
    with pytest.raises(ValueError, match="'eta'.*Got -1"):
        ElmanSRN(eta=-1).fit(bits[:-1, None], bits[1:, None])
    with pytest.raises(ValueError, match="'Y'"):
        net.fit(bits[:-1, None], bits[2:, None])
    with pytest.raises(ValueError, match="'X'.*1 features"):
        net.predict(np.ones((4, 2)))


# ---------------------------------------------------------------------------------------------- BPTT
@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
@pytest.mark.parametrize("skip", [False, True])
def test_bptt_matches_central_differences(activation, skip):
    rng = np.random.default_rng(3)
    X, D = rng.normal(size=(2, 3, 6, 2)), rng.uniform(size=(2, 3, 6, 2))   # 2 nets, 3 sequences each
    mask = np.ones((2, 3, 6))
    mask[:, 1, 4:] = 0                                                       # a shorter sequence
    p = init_rnn((2,), 2, 3, 2, 0.9, rng, skip=skip)
    out = bptt(X, D, p, activation, mask=mask)
    num = central_difference(lambda: float(rnn_loss(rnn_forward(X, p, activation)["Y"], D, mask).sum()), p)
    for name in p:
        np.testing.assert_allclose(out["grads"][name], num[name], atol=1e-7, rtol=1e-6)


def test_error_flow_obeys_hochreiters_bound_for_logistic_units():
    # |w| <= w_max < 4/n: the error q steps back is at most (n w_max / 4)^q of the error now (eq. 2 bound).
    rng = np.random.default_rng(0)
    n, w_max = 6, 0.5
    p = init_rnn((), 1, n, 1, w_max, rng)
    flow = error_flow_rnn(p, rng.uniform(-1, 1, (10, 30, 1)), "sigmoid")
    tau = n * w_max / 4
    assert np.all(flow[1:] / flow[0] <= tau ** np.arange(1, 30) + 1e-15)
    assert flow[20] / flow[0] < 1e-3


# ---------------------------------------------------------------------------------------------- LSTM
SPECS = [LSTMSpec(2, 2, 2, 3), LSTMSpec(2, 3, 1, 2, forget=True),
         LSTMSpec(2, 2, 1, 2, forget=True, squash="tanh", recurrent="cells", cell_bias=True, output_bias=True,
                  skip=True),
         LSTMSpec(2, 2, 1, 3, output_gate=False, squash="2a", output_bias=True, skip=True)]


def test_weight_counts_of_experiment_1():
    assert count_weights(LSTMSpec(7, 3, 2, 7)) == 276            # Table 1, "3 blocks, size 2"
    assert count_weights(LSTMSpec(7, 4, 1, 7)) == 264            # Table 1, "4 blocks, size 1"
    # Experiment 4: 2 inputs, 2 blocks of 2, 1 output, all non-input units biased:
    # gates 4 x (2 + 4 + 4 + 1) + cells 4 x (2 + 4 + 4 + 1) + output (4 + 1) = 44 + 44 + 5 = 93.
    assert count_weights(LSTMSpec(2, 2, 2, 1, cell_bias=True, output_bias=True)) == 93


@pytest.mark.parametrize("spec", SPECS, ids=["1997", "1997+forget", "modern", "task2a"])
def test_lstm_bptt_matches_central_differences(spec):
    rng = np.random.default_rng(4)
    p = init_lstm(spec, rng, init=0.6)
    X, D = rng.normal(size=(3, 5, 2)), rng.uniform(size=(3, 5, spec.n_out))
    out = lstm_bptt(X, D, p, spec)
    num = central_difference(lambda: float(lstm_loss(lstm_forward(X, p, spec), D)), p)
    for name in p:
        np.testing.assert_allclose(out["grads"][name], num[name], atol=1e-7, rtol=1e-6)


@pytest.mark.parametrize("spec", [SPECS[0], SPECS[1], SPECS[3]], ids=["1997", "1997+forget", "task2a"])
def test_online_rule_sums_to_the_truncated_gradient(spec):
    rng = np.random.default_rng(5)
    K, T = 3, 7
    p = init_lstm(spec, rng, init=0.5, shape=(K,))
    X, D = rng.normal(size=(K, 1, T, 2)), rng.uniform(size=(K, 1, T, spec.n_out))
    truncated = lstm_bptt(X, D, p, spec, truncate=True)["grads"]
    exact = lstm_bptt(X, D, p, spec)["grads"]
    state, traces, total = _zeros_state((K, 1), spec), zero_traces(K, spec), {}
    for t in range(T):
        rec, dw = truncated_step(p, state, traces, X[:, :, t], D[:, :, t], np.ones(K), spec)
        total = {k: total.get(k, 0) + v for k, v in dw.items()}
        state = {k: rec[k] for k in state}
    for name in p:                                               # -dE/dw summed over the steps (eq. 17)
        np.testing.assert_allclose(-total[name], truncated[name], atol=1e-12)
    assert max(np.abs(truncated[n] - exact[n]).max() for n in p) > 1e-4   # the truncation is real


def test_truncation_is_exact_without_recurrent_weights():
    spec = SPECS[0]
    rng = np.random.default_rng(6)
    p = init_lstm(spec, rng, init=0.5)
    for name in ("W_in", "W_out", "W_c"):
        p[name][:, spec.n_in:] = 0.0                             # gates and cells read only the input
    X, D = rng.normal(size=(2, 6, 2)), rng.uniform(size=(2, 6, 3))
    a, b = lstm_bptt(X, D, p, spec, truncate=True)["grads"], lstm_bptt(X, D, p, spec)["grads"]
    for name in ("W_k", "b_in", "b_out"):
        np.testing.assert_allclose(a[name], b[name], atol=1e-12)


def test_constant_error_carrousel():
    spec = LSTMSpec(1, 2, 2, 1)
    rng = np.random.default_rng(0)
    p = init_lstm(spec, rng)
    flow = error_flow_lstm(p, spec, rng.uniform(-1, 1, (5, 50, 1)))
    np.testing.assert_allclose(flow / flow[0], 1.0, rtol=1e-12)  # nothing scales the trapped error
    forget = LSTMSpec(1, 2, 2, 1, forget=True)
    shrunk = error_flow_lstm(init_lstm(forget, rng), forget, rng.uniform(-1, 1, (5, 50, 1)))
    assert shrunk[30] < 1e-3 * shrunk[0]                         # a half-open forget gate lets it decay


def test_predictions_correct_needs_every_allowed_symbol_on_top():
    allowed = np.array([[[1, 1, 0, 0]]], float)
    mask = np.ones((1, 1), bool)
    assert predictions_correct(np.array([[[0.6, 0.5, 0.4, 0.1]]]), allowed, mask).all()
    assert not predictions_correct(np.array([[[0.6, 0.3, 0.4, 0.1]]]), allowed, mask).any()


def test_reber_sets_keep_test_strings_out_of_training():
    train, test = reber_sets(np.random.default_rng(2))
    assert len(train) == len(test) == 256 and not set(train) & set(test)


def test_lstm_matches_torch_with_forget_gate():
    torch = pytest.importorskip("torch", reason="PyTorch is the reference for the modern LSTM cell")
    spec = LSTMSpec(3, 4, 1, 2, forget=True, squash="tanh", recurrent="cells", cell_bias=True)
    rng = np.random.default_rng(8)
    p = init_lstm(spec, rng, init=0.5)
    X, D = rng.normal(size=(2, 5, 3)), rng.uniform(size=(2, 5, 2))
    lstm = torch.nn.LSTM(3, 4, batch_first=True, dtype=torch.float64)
    # torch's gate order is (input, forget, cell, output); it reads [x, h(t-1)] with h = cell outputs.
    W = np.concatenate([p["W_in"], p["W_f"], p["W_c"], p["W_out"]])
    b = np.concatenate([p["b_in"], p["b_f"], p["b_c"], p["b_out"]], axis=1)[0]
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(torch.tensor(W[:, :3]))
        lstm.weight_hh_l0.copy_(torch.tensor(W[:, 3:]))
        lstm.bias_ih_l0.copy_(torch.tensor(b))
        lstm.bias_hh_l0.zero_()
    W_k = torch.tensor(p["W_k"], requires_grad=True)
    h, _ = lstm(torch.tensor(X))
    y = torch.sigmoid(h @ W_k.T)
    E = 0.5 * ((y - torch.tensor(D)) ** 2).sum()
    E.backward()
    ours = lstm_bptt(X, D, p, spec)
    steps = lstm_forward(X, p, spec)
    np.testing.assert_allclose(np.stack([r["y_c"] for r in steps], axis=1), h.detach().numpy(), atol=1e-12)
    assert float(ours["E"]) == pytest.approx(E.item(), abs=1e-12)
    g = ours["grads"]
    ours_ih = np.concatenate([g["W_in"], g["W_f"], g["W_c"], g["W_out"]])
    np.testing.assert_allclose(ours_ih[:, :3], lstm.weight_ih_l0.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(ours_ih[:, 3:], lstm.weight_hh_l0.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(g["W_k"], W_k.grad.numpy(), atol=1e-10)


# ---------------------------------------------------------------------------------------------- input checks
@pytest.mark.parametrize("bad, exc, match", [
    (np.ones((3, 2)), ValueError, "3-D"), ("abc", TypeError, "string"), (np.full((1, 2, 2), np.nan), ValueError, "NaN"),
    (np.array([[["a"]]]), TypeError, "dtype"), (np.zeros((1, 0, 2)), ValueError, "empty"), (None, TypeError, "None")])
def test_check_stream_refuses_bad_sequences(bad, exc, match):
    with pytest.raises(exc, match=match) as info:
        check_stream(bad, "X", owner="test")
    assert "'X'" in str(info.value)


def test_check_stream_and_mask_shapes():
    X = np.zeros((2, 4, 3))
    with pytest.raises(ValueError, match="same sequences and steps"):
        check_stream(np.zeros((2, 5, 1)), "Y", owner="t", like=X)
    with pytest.raises(TypeError, match="'mask'.*boolean"):
        check_mask(np.ones((2, 4)), X, owner="t")
    with pytest.raises(ValueError, match="'mask'.*prefix"):
        check_mask(np.array([[True, False, True, False], [True] * 4]), X, owner="t")
    assert check_mask(None, X, owner="t").all()


@settings(max_examples=20, deadline=None)
@given(p=st.integers(2, 12))
def test_lag_sequences_property(p):
    X, Y = lag_sequences(p)
    assert X.shape == (2, p, p + 1) and np.all(X.sum(-1) == 1) and np.all(Y.sum(-1) == 1)


def test_bad_counts_and_choices():
    with pytest.raises(ValueError, match="'p'.*Got 1"):
        lag_sequences(1)
    with pytest.raises(TypeError, match="'n_triples'"):
        temporal_xor(2.5)
    with pytest.raises(ValueError, match="'targets'"):
        train_reber(targets="maybe")


# ---------------------------------------------------------------------------------------------- Task 2a, sequential construction
def test_learn_mask_freezes_a_weight_in_the_chosen_nets_only():
    spec = LSTMSpec(n_in=3, n_blocks=1, block_size=1, n_out=3, output_bias=True, skip=True, output_gate=False,
                    squash="2a")
    X, D = lag_sequences(2)                                   # (2, 2, 3)
    rng = np.random.default_rng(0)
    p = init_lstm(spec, rng, shape=(2,))
    free = {k: v.copy() for k, v in p.items()}
    reset = np.array([[True, False], [True, False]])
    run_online(p, spec, X, D, reset, np.ones((2, 2)), 1.0, learn={"W_k": np.array([0.0, 1.0])})
    run_online(free, spec, X, D, reset, np.ones((2, 2)), 1.0)
    start = init_lstm(spec, np.random.default_rng(0), shape=(2,))
    np.testing.assert_array_equal(p["W_k"][0], start["W_k"][0])          # frozen in net 0 ...
    assert not np.array_equal(p["W_k"][1], start["W_k"][1])              # ... learning in net 1,
    for name in p:                                                        # which is the unmasked run, bit for bit
        np.testing.assert_array_equal(p[name][1], free[name][1])


def test_sequential_construction_adds_the_cell_after_the_error_stalls():
    out = train_lstm_lag(4, n_trials=3, max_sequences=3000, eval_every=100, random_state=0)
    added = out["cell_added_at"]
    assert np.all(added >= 200) and np.all(added % 100 == 0)             # never before two error readings
    assert out["success"].all()
    assert np.all(out["sequences"] >= added)                              # the last symbol needs the cell
    fixed = train_lstm_lag(4, n_trials=3, max_sequences=200, eval_every=100, construction="fixed",
                           random_state=0)
    assert np.all(fixed["cell_added_at"] == 0)


def test_long_lag_experiment_reports_against_the_paper():
    res = experiments.run("lstm-long-lag", seed=0, delay=8, trials=2, max_sequences=3000)
    r = res.results
    assert r["trials"] == 2 and 0 <= r["successes"] <= 2 and res.paper["sequences"] == 5040
    assert len(r["sequences"]) == 2 and "p = 8" in res.report
    with pytest.raises(ValueError, match="'construction'"):
        experiments.run("lstm-long-lag", construction="later")


@pytest.mark.parametrize("train", [lambda **kw: train_rnn_lag(2, **kw), lambda **kw: train_lstm_lag(2, **kw),
                                   lambda **kw: train_reber(**kw)], ids=["rnn", "lstm", "reber"])
@pytest.mark.parametrize("eta, exc", [(None, TypeError), ("0.5", TypeError), (0.0, ValueError),
                                      (float("nan"), ValueError)])
def test_trainers_refuse_a_learning_rate_that_is_not_a_positive_number(train, eta, exc):
    with pytest.raises(exc, match="'eta'"):                   # (None once reached the update: a TypeError inside)
        train(eta=eta, n_trials=1, max_sequences=1)


def test_train_lstm_lag_refuses_bad_options():
    with pytest.raises(ValueError, match="'construction'"):
        train_lstm_lag(4, construction="grow")
    with pytest.raises(ValueError, match="'tol'"):
        train_lstm_lag(4, tol=float("nan"))
    with pytest.raises(ValueError, match="'tol' parameter of train_lstm_lag must be <= 1. Got 1.5"):
        train_lstm_lag(4, tol=1.5)


def test_tol_1_adds_the_cell_at_the_second_error_reading_without_nan():
    # tol=1 once multiplied the first reading's infinite "last error" by 0: a NaN comparison
    with np.errstate(all="raise", under="ignore"):
        out = train_lstm_lag(2, n_trials=2, max_sequences=60, eval_every=20, tol=1, random_state=0)
    assert out["cell_added_at"].tolist() == [40.0, 40.0]


@pytest.mark.parametrize("delay, one_hot", [(3, False), (12, False), (12, True)])
def test_fused_task2a_rule_equals_the_general_rule(delay, one_hot):
    spec = LSTMSpec(n_in=delay + 1, n_blocks=1, block_size=1, n_out=delay + 1, output_bias=True, skip=True,
                    output_gate=False, squash="2a")
    rng = np.random.default_rng(delay)
    K = 3
    p = init_lstm(spec, rng, init=0.5, shape=(K,))
    q = {k: v.copy() for k, v in p.items()}
    X = rng.normal(size=(K, 5 * delay, delay + 1))               # not one-hot: the dense products
    if one_hot:                                                   # one-hot: the column shortcut
        X = np.eye(delay + 1)[rng.integers(0, delay + 1, size=(K, 5 * delay))]
    D = rng.uniform(size=X.shape)
    reset = np.zeros(X.shape[:2], dtype=bool)
    reset[:, ::delay] = True
    mask = np.ones(X.shape[:2])
    mask[1, 2 * delay:] = 0.0
    learn = {"W_k": np.array([1.0, 0.0, 1.0])}
    fast = run_online(p, spec, X, D, reset, mask, 0.7, learn=learn)
    slow = run_online(q, spec, X, D, reset, mask, 0.7, learn=learn, fast=False)
    np.testing.assert_allclose(fast, slow, rtol=1e-10, atol=1e-12)
    for name in p:
        np.testing.assert_allclose(p[name], q[name], rtol=1e-10, atol=1e-12)
    assert np.array_equal(p["W_k"][1], init_lstm(spec, np.random.default_rng(delay), init=0.5, shape=(K,))["W_k"][1])


@pytest.mark.parametrize("delay, K, eta, learn_k", [(3, 3, 0.7, [1.0, 0.0, 1.0]), (12, 2, 1.0, None),
                                                    (20, 4, 1.0, [0.0, 1.0, 1.0, 0.0]), (5, 1, 2.0, [1.0])])
def test_buffered_task2a_rule_gives_the_fused_rules_numbers_exactly(delay, K, eta, learn_k):
    from annhist.recurrent.lstm_task2a import run_online_task2a
    from annhist.recurrent.lstm_task2a_fast import run_online_task2a_fast

    spec = LSTMSpec(n_in=delay + 1, n_blocks=1, block_size=1, n_out=delay + 1, output_bias=True, skip=True,
                    output_gate=False, squash="2a")
    rng = np.random.default_rng(delay)
    p = init_lstm(spec, rng, init=0.5, shape=(K,))
    q = {k: v.copy() for k, v in p.items()}
    X = np.eye(delay + 1)[rng.integers(0, delay + 1, size=(K, 20 * delay))]   # one-hot, as in Task 2a
    D = rng.uniform(-1.0, 2.0, size=X.shape)
    reset = rng.uniform(size=X.shape[:2]) < 1.0 / delay                      # sequences of any length
    reset[:, 0] = True
    mask = np.ones(X.shape[:2])
    mask[0, 2 * delay:], mask[:, 3] = 0.0, 0.5
    lk = None if learn_k is None else np.array(learn_k)
    fast = run_online_task2a_fast(p, spec, X, D, reset, mask, eta, lk)
    ref = run_online_task2a(q, spec, X, D, reset, mask, eta, lk)
    assert fast.tobytes() == ref.tobytes()                                    # bit for bit
    for name in p:
        assert p[name].tobytes() == q[name].tobytes(), name


@pytest.mark.parametrize("n_blocks, block_size, K, eta, one_hot", [(3, 2, 3, 0.5, True), (4, 1, 2, 0.1, False),
                                                                   (2, 3, 1, 1.0, True)])
def test_buffered_1997_rule_gives_the_general_rules_numbers_exactly(n_blocks, block_size, K, eta, one_hot):
    spec = LSTMSpec(n_in=7, n_blocks=n_blocks, block_size=block_size, n_out=5)
    rng = np.random.default_rng(n_blocks)
    p = init_lstm(spec, rng, init=0.5, shape=(K,), out_gate_bias=-np.arange(1.0, n_blocks + 1))
    q = {k: v.copy() for k, v in p.items()}
    X = np.eye(7)[rng.integers(0, 7, size=(K, 200))] if one_hot else rng.normal(size=(K, 200, 7))
    D = rng.uniform(-1.0, 2.0, size=(K, 200, 5))
    reset = rng.uniform(size=(K, 200)) < 0.1                                  # strings of any length
    reset[:, 0] = True
    mask = np.ones((K, 200))
    mask[0, 120:], mask[:, 7] = 0.0, 0.5
    fast = run_online(p, spec, X, D, reset, mask, eta)                        # run_online_buffered
    ref = run_online(q, spec, X, D, reset, mask, eta, fast=False)             # truncated_step, apply_step
    assert fast.tobytes() == ref.tobytes()                                    # bit for bit
    for name in p:
        assert p[name].tobytes() == q[name].tobytes(), name


@pytest.mark.parametrize("K, n_in, n_hidden, n_out, eta", [(3, 1, 2, 1, 0.5), (2, 3, 4, 2, 0.1)])
def test_buffered_elman_pass_gives_learn_steps_numbers_exactly(K, n_in, n_hidden, n_out, eta):
    from annhist.recurrent.srn import _learn_step, init_elman

    rng = np.random.default_rng(n_in)
    X, Y = rng.normal(size=(K, 300, n_in)), rng.uniform(size=(K, 300, n_out))
    p, history = train_elman(X, Y, n_hidden=n_hidden, eta=eta, epochs=2, init=0.5, random_state=7)
    q = init_elman(K, n_in, n_hidden, n_out, 0.5, np.random.default_rng(7))   # the reference: one step at a time
    c, ref = np.full((K, 1, n_hidden), 0.5), np.zeros((2, K))
    for epoch in range(2):
        for t in range(300):
            c, y = _learn_step(q, X[:, t:t + 1], c, Y[:, t:t + 1], eta)
            ref[epoch] += ((Y[:, t:t + 1] - y) ** 2).sum(axis=(1, 2))
    assert history.tobytes() == (ref / (300 * n_out)).tobytes()               # bit for bit
    for name in p:
        assert p[name].tobytes() == q[name].tobytes(), name


@pytest.mark.parametrize("delay, K", [(4, 3), (10, 2)])
def test_buffered_lag_gradients_are_bptts_exactly(delay, K):
    from annhist.recurrent.bptt_fast import lag_gradients

    rng = np.random.default_rng(delay)
    X2, D2 = lag_sequences(delay)
    p = init_rnn((K,), delay + 1, 4, delay + 1, 2.0, rng, skip=True)
    grads = lag_gradients(p, X2, D2)
    for _ in range(4):                                         # p changes between calls, as in training
        which = rng.integers(0, 2, K)
        fast = grads(which)
        ref = bptt(X2[which][:, None], D2[which][:, None], p, "sigmoid")["grads"]
        for name in ref:
            assert fast[name].tobytes() == ref[name].tobytes(), name   # bit for bit
            p[name] -= 0.7 * ref[name]


@pytest.mark.parametrize("call, param", [
    (lambda: error_flows(T=0), "T"),                    # was an IndexError
    (lambda: error_flows(T=-1), "T"),                   # was "negative dimensions are not allowed"
    (lambda: error_flows(T=10 ** 12), "T"),             # was a MemoryError
    (lambda: error_flows(T=2.5), "T"),
    (lambda: lag_success(np.ones((2, 2)), np.ones((2, 2))), "Y"),          # was a numpy AxisError
    (lambda: lag_success(np.ones((1, 2, 3, 1)), np.ones((1, 2, 4, 1))), "D"),   # was a broadcast error
])
def test_lag_helpers_refuse_bad_input_naming_it(call, param):
    with pytest.raises((ValueError, TypeError), match=f"'{param}'"):
        call()


def test_lag_success_is_every_output_within_a_quarter():
    D = np.zeros((2, 1, 3, 1))
    Y = D.copy()
    Y[1, 0, 2, 0] = 0.25                                # exactly 0.25 off: not within
    assert lag_success(Y, D).tolist() == [True, False]


def test_lag_success_reads_targets_shared_by_the_nets():
    D = np.zeros((2, 3, 1))                             # one set of targets for every net
    Y = np.stack([D, D + 0.5])                          # net 0 right, net 1 half off everywhere
    assert lag_success(Y, D).tolist() == [True, False]
    with pytest.raises(ValueError, match="'D'"):
        lag_success(D, Y)                               # more nets in the targets than in the outputs
