"""Bad input to the recurrent milestone is refused naming the parameter; good input gives the same numbers."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from annhist import experiments
from annhist.recurrent import (
    ElmanSRN,
    LSTMSpec,
    bptt,
    count_weights,
    embedded_reber_string,
    init_lstm,
    init_rnn,
    lag_sequences,
    lstm_bptt,
    lstm_forward,
    lstm_loss,
    reber_string,
    rnn_forward,
    rnn_loss,
    run_elman,
    temporal_xor,
    train_elman,
    train_lstm_lag,
    train_reber,
    train_rnn_lag,
)
from annhist.recurrent.lstm_online import run_online
from annhist.recurrent.reber import predictions_correct, reber_sets
from annhist.recurrent.srn import init_elman

RNG = np.random.default_rng(0)
X = RNG.normal(size=(3, 4, 2))
D = RNG.uniform(size=(3, 4, 1))
P_RNN = init_rnn((), 2, 3, 1, 0.5, np.random.default_rng(1))
SPEC = LSTMSpec(2, 1, 1, 1)
P_LSTM = init_lstm(SPEC, np.random.default_rng(2))
BITS = temporal_xor(20, random_state=0)[:, None]
P_ELMAN = train_elman(BITS[None, :-1], BITS[None, 1:], epochs=1, random_state=0)[0]


@pytest.mark.parametrize("call, exc, param", [
    # item 5: an unknown squash or recurrent ran as something else, n_in=-1 counted 64 weights
    (lambda: LSTMSpec(2, 1, 1, 1, squash="relu"), ValueError, "squash"),
    (lambda: LSTMSpec(2, 1, 1, 1, recurrent="foo"), ValueError, "recurrent"),
    (lambda: LSTMSpec(-1, 2, 2, 1), ValueError, "n_in"),
    (lambda: LSTMSpec(2, 0, 2, 1), ValueError, "n_blocks"),
    (lambda: LSTMSpec(True, 1, 1, 1), TypeError, "n_in"),
    (lambda: LSTMSpec(2, 1, 1, 1, forget="yes"), TypeError, "forget"),
    (lambda: count_weights("spec"), TypeError, "spec"),
    # item 24: MemoryErrors
    (lambda: temporal_xor(10 ** 12, 0), ValueError, "n_triples"),
    (lambda: lag_sequences(10 ** 6), ValueError, "p"),
    (lambda: train_rnn_lag(10 ** 6), ValueError, "delay"),
    (lambda: train_lstm_lag(10 ** 6), ValueError, "delay"),
    (lambda: train_rnn_lag(4, n_hidden=10 ** 6), ValueError, "n_trials"),
    (lambda: train_lstm_lag(1000, n_trials=20), ValueError, "n_trials"),
    (lambda: train_rnn_lag(4, eval_every=10 ** 12), ValueError, "eval_every"),
    (lambda: train_reber(n_blocks=10 ** 6), ValueError, "n_blocks"),
    (lambda: train_reber(eval_every=10 ** 9), ValueError, "eval_every"),
    (lambda: ElmanSRN(n_hidden=10 ** 7, epochs=1).fit(np.ones((3, 1)), np.ones((3, 1))), ValueError, "n_hidden"),
    (lambda: experiments.run("lstm-long-lag", delay=10 ** 6), ValueError, "delay"),
    (lambda: experiments.run("rnn-vanishing", delays="4,1000000"), ValueError, "delays"),
    (lambda: init_rnn((), 2, 10 ** 6, 1, 0.5, 0), ValueError, "n_hidden"),
    (lambda: init_elman(10 ** 5, 2, 100, 1, 0.5, 0), ValueError, "n_hidden"),
    (lambda: init_lstm(LSTMSpec(2, 10 ** 5, 1, 1), 0), ValueError, "spec"),
    # item 25: a start with huge weights was blamed on eta
    (lambda: ElmanSRN(init=1e300, epochs=5).fit(np.ones((10, 1)), np.ones((10, 1))), ValueError, "init"),
    (lambda: train_rnn_lag(4, init=1e300), ValueError, "init"),
    # item 27: IndexError and KeyError
    (lambda: bptt(X, D[:, :1], P_RNN), ValueError, "D"),
    (lambda: bptt(X, D, P_RNN, mask=np.ones((2, 2))), ValueError, "mask"),
    (lambda: bptt(X, D, P_RNN, cache={"H": 0}), ValueError, "cache"),
    (lambda: bptt(X.tolist(), D, P_RNN), TypeError, "X"),
    (lambda: lstm_bptt(X, D[:, :1], P_LSTM, SPEC), ValueError, "D"),
    (lambda: lstm_bptt(X, D, P_LSTM, SPEC, truncate="yes"), TypeError, "truncate"),
    (lambda: lstm_forward(X, {}, SPEC), ValueError, "p"),
    (lambda: lstm_forward(X, P_LSTM, "spec"), TypeError, "spec"),
    (lambda: lstm_forward(X[..., :1], P_LSTM, SPEC), ValueError, "X"),
    (lambda: lstm_forward(X * np.nan, P_LSTM, SPEC), ValueError, "X"),
    (lambda: run_elman({}, BITS[None, :-1]), ValueError, "p"),
    (lambda: run_elman({"W_xh": P_ELMAN["W_xh"], "W_hy": P_ELMAN["W_hy"]}, BITS[None, :-1]), ValueError, "p"),
    (lambda: rnn_forward(X, {}), ValueError, "p"),
    (lambda: rnn_forward(X[0], P_RNN), ValueError, "X"),
    (lambda: rnn_forward(RNG.normal(size=(3, 4, 5)), P_RNN), ValueError, "X"),
    # item 28: an int seed or None was an AttributeError; now refused only when not a seed
    (lambda: reber_string("a"), TypeError, "rng"),
    (lambda: init_lstm(SPEC, "a"), TypeError, "rng"),
    (lambda: init_rnn((), 2, 3, 1, 0.5, 1.5), TypeError, "rng"),
    (lambda: init_elman(1, 2, 2, 1, 0.5, "a"), TypeError, "rng"),
    (lambda: init_rnn((), 2, -3, 1, 0.5, 0), ValueError, "n_hidden"),
    (lambda: init_rnn(2, 2, 3, 1, 0.5, 0), TypeError, "shape"),
    (lambda: init_elman(-1, 2, 2, 1, 0.5, 0), ValueError, "n_trials"),
    (lambda: init_lstm(SPEC, 0, init=-1.0), ValueError, "init"),
    (lambda: init_lstm(SPEC, 0, init=np.nan), ValueError, "init"),
    (lambda: init_lstm(LSTMSpec(2, 3, 1, 1), 0, out_gate_bias=[1, 2]), ValueError, "out_gate_bias"),
    (lambda: init_lstm(SPEC, 0, out_gate_bias="a"), TypeError, "out_gate_bias"),
    # item 29: an AxisError
    (lambda: rnn_loss(np.ones(3), np.zeros(3)), ValueError, "Y"),
    (lambda: rnn_loss(np.ones((3, 4, 1)), np.zeros((3, 5, 1))), ValueError, "D"),
    (lambda: rnn_loss(np.ones((3, 4, 1)), np.zeros((3, 4, 1)), mask=np.ones(7)), ValueError, "mask"),
    (lambda: lstm_loss(lstm_forward(X, P_LSTM, SPEC), D[:, :3]), ValueError, "D"),
    (lambda: lstm_loss([], D), TypeError, "steps"),
])
def test_bad_input_is_refused_naming_the_parameter(call, exc, param):
    with pytest.raises(exc, match=f"'{param}'"):
        call()


def test_an_int_seed_or_none_is_accepted_where_a_generator_was_required():
    # item 28: reber_string(0), init_lstm(spec, 0), init_rnn(..., None), init_elman(..., 0) were AttributeErrors
    assert reber_string(0) == reber_string(np.random.default_rng(0))
    assert embedded_reber_string(5) == embedded_reber_string(np.random.default_rng(5))
    assert set(reber_string(None)) <= set("BTPSXVE")
    for a, b in ((init_lstm(SPEC, 0), init_lstm(SPEC, np.random.default_rng(0))),
                 (init_rnn((2,), 2, 3, 1, 0.5, 3), init_rnn((2,), 2, 3, 1, 0.5, np.random.default_rng(3))),
                 (init_elman(2, 1, 2, 1, 0.5, 0), init_elman(2, 1, 2, 1, 0.5, np.random.default_rng(0)))):
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])
    assert init_rnn((), 2, 3, 1, 0.5, None)["W_hh"].shape == (3, 3)


def test_init_of_minus_zero_is_zero():
    # item 29: ElmanSRN(init=-0.0) was numpy's "high - low < 0"
    a = ElmanSRN(init=-0.0, epochs=2, random_state=0).fit(BITS[:-1], BITS[1:])
    b = ElmanSRN(init=0.0, epochs=2, random_state=0).fit(BITS[:-1], BITS[1:])
    for k in a.params_:
        np.testing.assert_array_equal(a.params_[k], b.params_[k])
    assert np.all(init_rnn((), 2, 3, 1, -0.0, 0)["W_xh"] == 0.0)


def test_good_input_gives_the_same_numbers():
    assert count_weights(LSTMSpec(7, 3, 2, 7)) == 276 and count_weights(LSTMSpec(7, 4, 1, 7)) == 264
    assert count_weights(LSTMSpec(2, 2, 2, 1, cell_bias=True, output_bias=True)) == 93
    out = bptt(X, D, P_RNN)
    assert out["E"] == pytest.approx(float(rnn_loss(rnn_forward(X, P_RNN)["Y"], D)))
    assert float(lstm_bptt(X, D, P_LSTM, SPEC)["E"]) == pytest.approx(float(lstm_loss(lstm_forward(X, P_LSTM, SPEC), D)))
    assert rnn_loss(np.ones((3, 4, 1)), np.zeros((1, 4, 1))) == 6.0                  # targets broadcast over sequences
    assert lag_sequences(1000)[0].shape == (2, 1000, 1001) and temporal_xor(3, 0).shape == (9,)
    q = init_lstm(LSTMSpec(2, 3, 1, 1), 0, out_gate_bias=-np.arange(1.0, 4.0))
    np.testing.assert_array_equal(q["b_out"], [[-1.0, -2.0, -3.0]])


# Leftovers of the second audit: reber_sets, predictions_correct, run_online, train_elman's history
def _online_args(K=2, L=5):
    spec = LSTMSpec(n_in=7, n_blocks=2, block_size=1, n_out=7)
    p = init_lstm(spec, np.random.default_rng(0), init=0.2, shape=(K,))
    rng = np.random.default_rng(1)
    X, Y = rng.random((K, L, 7)), rng.random((K, L, 7))
    reset = np.zeros((K, L), dtype=bool)
    reset[:, 0] = True
    return p, spec, X, Y, reset, np.ones((K, L))


def _online(**change):
    p, spec, X, Y, reset, mask = _online_args()
    args = {"p": p, "spec": spec, "X": X, "Y": Y, "reset": reset, "mask": mask, "eta": 0.1, **change}
    return run_online(**args)


@pytest.mark.parametrize("call, exc, param", [
    # reber_sets(rng, 5, 10**6) ran for hours; -1 strings gave an empty set, 2.5 a numpy TypeError
    (lambda: reber_sets(np.random.default_rng(0), 5, 10 ** 6), ValueError, "n_test"),
    (lambda: reber_sets(np.random.default_rng(0), -1, 5), ValueError, "n_train"),
    (lambda: reber_sets(np.random.default_rng(0), 2.5, 5), TypeError, "n_train"),
    (lambda: reber_sets(np.random.default_rng(0), 5, 2.5), TypeError, "n_test"),
    (lambda: reber_sets("a", 5, 5), TypeError, "rng"),
    # predictions_correct: a float mask was numpy's "ufunc 'invert' not supported", other shapes a broadcast error
    (lambda: predictions_correct(np.ones((2, 3, 7)), np.ones((2, 3, 7)), np.ones((2, 3))), TypeError, "mask"),
    (lambda: predictions_correct(np.ones((2, 3, 7)), np.ones((2, 2, 7)), np.ones((2, 3), bool)), ValueError,
     "allowed"),
    (lambda: predictions_correct(np.ones((2, 3, 7)), np.ones((2, 3, 7)), np.ones((2, 2), bool)), ValueError, "mask"),
    (lambda: predictions_correct(np.ones(7), np.ones(7), np.ones(1, bool)), ValueError, "Y"),
    # run_online checked nothing: eta=-1 and NaN inputs ran, other shapes were IndexErrors or broadcast errors
    (lambda: _online(eta=-1.0), ValueError, "eta"),
    (lambda: _online(eta=np.nan), ValueError, "eta"),
    (lambda: _online(spec=None), TypeError, "spec"),
    (lambda: _online(p={}), ValueError, "p"),
    (lambda: _online(X=np.full((2, 5, 7), np.nan)), ValueError, "X"),
    (lambda: _online(X=np.ones((2, 5, 3))), ValueError, "X"),
    (lambda: _online(X=np.ones((2, 5, 7)).tolist()), TypeError, "X"),
    (lambda: _online(Y=np.ones((2, 4, 7))), ValueError, "Y"),
    (lambda: _online(reset=np.zeros((2, 2), dtype=bool)), ValueError, "reset"),
    (lambda: _online(reset=np.zeros((2, 5))), ValueError, "reset"),
    (lambda: _online(mask=np.ones((2, 4))), ValueError, "mask"),
    (lambda: _online(X=np.ones((1, 5, 7)), Y=np.ones((1, 5, 7)), reset=np.ones((1, 5), bool), mask=np.ones((1, 5))),
     ValueError, "p"),
    (lambda: _online(learn={"zzz": np.ones(2)}), ValueError, "learn"),
    (lambda: _online(learn={"W_k": np.ones(3)}), ValueError, "learn"),
    # train_elman kept an MSE per pass and net: epochs=10**12 was a MemoryError
    (lambda: train_elman(BITS[None, :-1], BITS[None, 1:], epochs=10 ** 12), ValueError, "epochs"),
])
def test_leftovers_are_refused_naming_the_parameter(call, exc, param):
    with pytest.raises(exc, match=f"'{param}'"):
        call()


def test_leftovers_give_the_same_results_for_good_input():
    rng = np.random.default_rng(4)
    train = [embedded_reber_string(rng) for _ in range(20)]
    test = [s for s in (embedded_reber_string(rng) for _ in range(200)) if s not in set(train)][:15]
    assert reber_sets(np.random.default_rng(4), 20, 15) == (train, test)
    assert reber_sets(4, 20, 15) == (train, test)                      # an int seed: the generator it seeds
    Y = np.random.default_rng(5).random((2, 4, 3, 7))
    allowed = (np.random.default_rng(6).random((2, 4, 3, 7)) > 0.6).astype(float)
    mask = np.ones((2, 4, 3), dtype=bool)
    mask[:, :, 2] = False
    expected = (np.where(allowed > 0, Y, np.inf).min(-1) > np.where(allowed > 0, -np.inf, Y).max(-1)) | ~mask
    np.testing.assert_array_equal(predictions_correct(Y, allowed, mask), expected)
    np.testing.assert_array_equal(predictions_correct(Y, allowed[0], mask[0]),             # leading axes broadcast
                                  predictions_correct(Y, np.stack([allowed[0]] * 2), np.stack([mask[0]] * 2)))
    p, spec, X, D, reset, m = _online_args()
    q = {k: v.copy() for k, v in p.items()}
    np.testing.assert_array_equal(run_online(p, spec, X, D, reset, m, 0.1),
                                  run_online.__wrapped__(q, spec, X, D, reset, m, 0.1))
    for k in p:
        np.testing.assert_array_equal(p[k], q[k])


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_a_step_mask_with_nan_or_inf_is_refused(bad):
    # Found by make fuzz (seed 5012): mask [[nan, 1, 1, 1]] gave NaN gradients.
    X = np.random.default_rng(1).normal(size=(3, 4, 2))
    p = init_rnn((), 2, 3, 1, 0.5, np.random.default_rng(0))
    with pytest.raises(ValueError, match="'mask' parameter of bptt must hold finite weights"):
        bptt(X, np.full((3, 4, 1), 0.5), p, mask=np.array([[bad, 1.0, 1.0, 1.0]]))
    assert np.isfinite(bptt(X, np.full((3, 4, 1), 0.5), p, mask=np.ones((1, 4)))["grads"]["W_hh"]).all()


def test_long_lag_report_with_no_cell_added_says_so_without_a_warning():
    # A run too short for the cell to be added printed "(cell added after nan on average)" and a RuntimeWarning
    # (mean of an empty slice); counts of 1 are singular.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = experiments.run("lstm-long-lag", trials=1, max_sequences=100, delay=2)
    assert "(no cell was added)" in r.report and "1 trial (" in r.report and "nan" not in r.report


def test_train_reber_holds_its_strings_and_one_run_to_max_weights_and_tests_a_few_trials_at_a_time(monkeypatch):
    # The success test ran every trial over its 512 strings at once and kept each step's record: 100 trials of the
    # paper's net took 2.2 GB, and lstm-reber accepted --trials 1000 (some 22 GB, with 5 GB of encoded strings).
    # Now the trials are tested as many at a time as one MAX_WEIGHTS of records holds (the same numbers: each
    # trial's are its own), and the encoded strings and one trial's run are each held to MAX_WEIGHTS.
    import re

    from annhist.recurrent import reber

    with pytest.raises(ValueError, match=r"The 'n_trials' parameter of train_reber asks for 1000 trials' encoded "
                                         r"strings, 768 of up to \d+ steps each \([\d,]+ numbers\); at most 134,217,728"):
        reber.train_reber(n_trials=1000, max_sequences=1, eval_every=1)
    monkeypatch.setattr(reber, "MAX_WEIGHTS", 10_000)
    with pytest.raises(ValueError, match=r"asks for 1 trials' encoded strings, 768 of up to \d+ steps each") as info:
        reber.train_reber(n_trials=1, max_sequences=1, eval_every=1)
    steps = int(re.search(r"up to (\d+) steps", str(info.value)).group(1))
    monkeypatch.setattr(reber, "MAX_WEIGHTS", 2 * 768 * steps * 21)        # two trials' strings ...
    with pytest.raises(ValueError, match=rf"'n_blocks' and 'block_size' parameters of train_reber ask for a net whose "
                                         rf"run over its strings keeps {512 * steps * 74:,} numbers"):
        reber.train_reber(n_trials=2, max_sequences=1, eval_every=1)
    monkeypatch.setattr(reber, "MAX_WEIGHTS", 512 * steps * 74)              # ... and one trial's run at a time
    runs = []
    forward = reber.lstm_forward
    monkeypatch.setattr(reber, "lstm_forward", lambda X, p, spec: runs.append(len(X)) or forward(X, p, spec))
    assert reber.train_reber(n_trials=2, max_sequences=1, eval_every=1)["presented"] == 1
    assert runs and set(runs) == {1}


def test_a_run_of_many_nets_over_many_sequences_is_held_to_max_weights(monkeypatch):
    # The nets' axes broadcast against the sequences': 1,000 small nets over 1,000 sequences of 1,000 steps made
    # rnn_forward ask numpy for 74.5 GiB, and lstm_forward kept records of 0.1 GB a step until the memory ran out.
    # Nets x sequences x steps x the numbers kept a step are held to MAX_WEIGHTS.
    from annhist.recurrent import checks, init_lstm, init_rnn, lstm_bptt, lstm_forward, rnn_forward
    from annhist.recurrent.bptt import bptt
    from annhist.recurrent.lstm import LSTMSpec, step_numbers

    X = np.zeros((1000, 1000, 1))
    with pytest.raises(ValueError, match=r"'X' and 'p' parameters of rnn_forward ask for a run of nets x sequences "
                                         r"\(1000, 1000\) over 1000 steps, 11 numbers kept a step: 11,000,000,000 in "
                                         r"all; at most 134,217,728\."):
        rnn_forward(X, init_rnn((1000,), 1, 10, 1, 0.1, 0))
    spec = LSTMSpec(n_in=1, n_blocks=1, block_size=1, n_out=1)
    with pytest.raises(ValueError, match=r"parameters of lstm_forward ask for a run of nets x sequences \(1000, 1000\)"):
        lstm_forward(X, init_lstm(spec, 0, shape=(1000,)), spec)
    p, q, x = init_rnn((3,), 1, 4, 1, 0.1, 0), init_lstm(spec, 0, shape=(3,)), np.zeros((2, 5, 1))
    for cap, ok in ((3 * 2 * 5 * 5 - 1, False), (3 * 2 * 5 * 5, True)):          # 3 nets x 2 sequences x 5 steps x 5
        monkeypatch.setattr(checks, "MAX_WEIGHTS", cap)
        for call in (lambda: rnn_forward(x, p), lambda: bptt(x, np.zeros((3, 2, 5, 1)), p)):
            if ok:
                call()
            else:
                with pytest.raises(ValueError, match=rf"over 5 steps, 5 numbers kept a step: 150 in all; at most {cap}"):
                    call()
    monkeypatch.setattr(checks, "MAX_WEIGHTS", 3 * 2 * 5 * step_numbers(spec))
    assert len(lstm_forward(x, q, spec)) == 5
    assert lstm_bptt(x, np.zeros((3, 2, 5, 1)), q, spec)["delta_s"].shape == (3, 2, 5, 1)
    monkeypatch.setattr(checks, "MAX_WEIGHTS", 3 * 2 * 5 * step_numbers(spec) - 1)
    with pytest.raises(ValueError, match=r"parameters of lstm_bptt ask for a run of nets x sequences \(3, 2\)"):
        lstm_bptt(x, np.zeros((3, 2, 5, 1)), q, spec)


def test_sizes_given_as_numpy_ints_do_not_wrap_around():
    # LSTMSpec(n_blocks=3, block_size=np.int64(6148914691236517206)) had n_cells = 2 (int64 arithmetic wraps), so
    # count_weights said 23 and init_lstm built the weights; train_elman's epochs * K wrapped to 0 and passed its cap
    from annhist.recurrent import LSTMSpec, count_weights, init_lstm, train_elman

    spec = LSTMSpec(n_in=1, n_blocks=3, block_size=np.int64(6148914691236517206), n_out=1)
    assert spec.n_cells == 3 * 6148914691236517206 and count_weights(spec) > 2 ** 64
    with pytest.raises(ValueError, match=r"'spec' and 'shape' parameters of init_lstm ask for [\d,]{30,} weights"):
        init_lstm(spec, 0)
    X = np.zeros((4, 10, 1))
    with pytest.raises(ValueError, match=r"'epochs' parameter of train_elman asks for 4,611,686,018,427,387,904 "
                                         r"passes of 4 nets"):
        train_elman(X, X, epochs=np.int64(2 ** 62))


def test_the_sequence_budget_help_names_the_block_it_is_rounded_up_to():
    # Task 2a trials train in blocks of eval_every sequences, each followed by the success test, so
    # --max-sequences 1 still presents one block; the help says so with the block the runs use.
    import inspect

    from annhist.recurrent.lags import train_lstm_lag, train_rnn_lag
    blocks = {inspect.signature(f).parameters["eval_every"].default for f in (train_rnn_lag, train_lstm_lag)}
    run = experiments.run("lstm-long-lag", delay=2, trials=1, max_sequences=1)
    assert blocks == {200} and run.settings["eval_every"] == 200
    for name in ("lstm-long-lag", "rnn-vanishing"):
        opt = next(o for o in experiments.get(name).options if o.name == "max_sequences")
        assert "in blocks of 200" in opt.help, name
    assert "rounded up to whole blocks" in train_rnn_lag.__doc__
