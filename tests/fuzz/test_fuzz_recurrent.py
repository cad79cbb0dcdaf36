"""Fuzz the recurrent milestone: the tasks, Elman's SRN, the lag and Reber trainers, the experiments."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from annhist import experiments
from annhist.recurrent import (
    ElmanSRN,
    LSTMSpec,
    allowed_next,
    bptt,
    init_lstm,
    init_rnn,
    lag_sequences,
    lstm_bptt,
    reber_batch,
    reber_string,
    rnn_loss,
    run_elman,
    temporal_xor,
    train_elman,
    train_lstm_lag,
    train_reber,
    train_rnn_lag,
)

from .strategies import FUZZ, bad_arrays, check_call, hyper, moderate, weird_scalar

pytestmark = pytest.mark.fuzz

BITS = temporal_xor(10, random_state=0)


@st.composite
def streams(draw, n_features: int = 1):
    """A stream ``(T, n_features)``, a wrong one, or something that is not a stream at all."""
    kind = draw(st.sampled_from(["good", "good", "bad", "3d", "wide", "scaled", "short"]))
    if kind == "bad":
        return draw(bad_arrays())
    if kind == "3d":
        return BITS[None, :, None]
    if kind == "wide":
        return np.ones((len(BITS), n_features + 2))
    x = BITS[:, None].repeat(n_features, axis=1)
    if kind == "short":
        return x[:5]
    return x * (1e4 if kind == "scaled" else 1.0)


@FUZZ
@given(X=streams(), Y=streams(), n_hidden=hyper(st.integers(1, 3), max_int=8),
       eta=hyper(st.floats(1e-3, 2.0)), epochs=hyper(st.integers(1, 2), max_int=2),
       init=hyper(st.floats(0, 1)), random_state=hyper(st.integers(0, 5)))
def test_elman_srn_fit_predict(X, Y, n_hidden, eta, epochs, init, random_state):
    def call():
        net = ElmanSRN(n_hidden=n_hidden, eta=eta, epochs=epochs, init=init, random_state=random_state)
        return net.fit(X, Y).predict(X)
    ok = moderate(X, Y)
    check_call("ElmanSRN.fit_predict", call, names=("X", "Y", "n_hidden", "eta", "epochs", "init", "random_state"),
               finite_result=ok, strict_fp=ok)


@FUZZ
@given(X=st.one_of(bad_arrays(), st.just(np.zeros((2, 4, 1))), st.just(np.zeros((3, 4, 1))),
                   st.just(np.zeros((2, 4, 2)))), context_init=hyper(st.floats(0, 1)))
def test_run_elman_refuses_streams_that_do_not_fit(X, context_init):
    p, _ = train_elman(np.zeros((2, 3, 1)), np.zeros((2, 3, 1)), epochs=1, random_state=0)
    check_call("run_elman", lambda: run_elman(p, X, context_init)["output"], names=("X", "context_init"),
               finite_result=moderate(X) if isinstance(context_init, float) else False,
               strict_fp=moderate(X))


@FUZZ
@given(n=weird_scalar, p=weird_scalar, random_state=hyper(st.integers(0, 5)))
def test_task_generators(n, p, random_state):
    check_call("temporal_xor", lambda: temporal_xor(n, random_state=random_state) if not isinstance(n, int)
               or n < 10**5 else temporal_xor(3), names=("n_triples", "random_state"))
    check_call("lag_sequences", lambda: lag_sequences(p)[0] if not isinstance(p, int) or p < 500
               else lag_sequences(3)[0], names=("p",))


@FUZZ
@given(strings=st.one_of(st.lists(st.text(alphabet="BTPSXVE", max_size=12), max_size=3),
                         st.just(["BTBTXSETE", "BPBPVVEPE"]), weird_scalar, st.just("BTBTXSETE")))
def test_reber_batch_and_allowed_next(strings):
    check_call("reber_batch", lambda: reber_batch(strings)["X"], names=("strings", "string"))
    if isinstance(strings, list) and strings:
        check_call("allowed_next", lambda: len(allowed_next(strings[0])), names=("string",), finite_result=False)


@FUZZ
@given(which=st.sampled_from(["rnn", "lstm", "reber"]), delay=hyper(st.integers(2, 4), max_int=6),
       trials=hyper(st.integers(1, 2), max_int=2), eta=hyper(st.floats(0.1, 1.0)),
       budget=hyper(st.integers(1, 40), max_int=40), targets=hyper(st.sampled_from(["next", "allowed"])),
       construction=hyper(st.sampled_from(["sequential", "fixed"])), tol=hyper(st.floats(0.0, 0.5)))
def test_trainers_refuse_absurd_settings(which, delay, trials, eta, budget, targets, construction, tol):
    def call():
        if which == "rnn":
            out = train_rnn_lag(delay, n_trials=trials, eta=eta, max_sequences=budget, eval_every=20)
        elif which == "lstm":
            out = train_lstm_lag(delay, n_trials=trials, eta=eta, max_sequences=budget, eval_every=20,
                                 construction=construction, tol=tol)
        else:
            out = train_reber(n_trials=trials, eta=eta, max_sequences=budget, eval_every=20, targets=targets,
                              n_pairs=1)
        return out["success"]
    check_call(f"recurrent.train_{which}", call, finite_result=False,
               names=("delay", "n_trials", "eta", "max_sequences", "eval_every", "targets", "construction", "tol"))


@FUZZ
@given(name=st.sampled_from(["elman-xor", "lstm-reber", "rnn-vanishing", "lstm-long-lag"]),
       option=st.sampled_from(["epochs", "trials", "eta", "max_sequences", "delays", "targets", "blocks", "delay",
                               "construction"]),
       value=weird_scalar)
def test_experiments_refuse_absurd_options(name, option, value):
    exp = experiments.get(name)
    if option not in {o.name for o in exp.options}:
        option = exp.options[0].name
    opt = next(o for o in exp.options if o.name == option)
    number = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))
    accepted = (opt.type is str and isinstance(value, str) and option not in ("targets", "construction")
                or opt.type is int and number and float(value).is_integer() and isinstance(value, (int, np.integer))
                and value >= opt.min_value
                or opt.type is float and number and np.isfinite(value) and value >= opt.min_value)
    if accepted and not (option == "delays" and value in ("", "abc")):
        return                                         # a valid value starts a real run: not a fuzz case
    check_call(f"experiment.{name}", lambda: exp(seed=0, **{option: value}).to_dict(), finite_result=False,
               names=(option,))


@FUZZ
@given(shape=st.one_of(st.just(()), st.just((2,)), weird_scalar), n_hidden=hyper(st.integers(1, 4), max_int=10**7),
       init=hyper(st.floats(0, 1)), rng=hyper(st.integers(0, 5)), n_blocks=hyper(st.integers(1, 3), max_int=10**6),
       squash=hyper(st.sampled_from(["1997", "tanh", "2a"])), forget=hyper(st.booleans()))
def test_initializers_and_spec(shape, n_hidden, init, rng, n_blocks, squash, forget):
    check_call("init_rnn", lambda: init_rnn(shape, 2, n_hidden, 1, init, rng)["W_hh"],
               names=("shape", "n_hidden", "init", "rng"))

    def lstm():
        spec = LSTMSpec(2, n_blocks, 1, 1, squash=squash, forget=forget)
        return init_lstm(spec, rng, init=init, shape=shape)["W_in"]
    check_call("init_lstm", lstm, names=("n_blocks", "squash", "forget", "init", "shape", "rng", "spec"))
    check_call("reber_string", lambda: len(reber_string(rng)), names=("rng",), finite_result=False)


P_RNN = init_rnn((), 2, 3, 1, 0.5, np.random.default_rng(0))
SPEC = LSTMSpec(2, 2, 1, 1)
P_LSTM = init_lstm(SPEC, np.random.default_rng(0))
X_SEQ = np.random.default_rng(1).normal(size=(3, 4, 2))


@FUZZ
@given(X=st.one_of(st.just(X_SEQ), bad_arrays(), st.just(X_SEQ[:, :, :1])),
       D=st.one_of(st.just(np.full((3, 4, 1), 0.5)), st.just(np.zeros((3, 1, 1))), bad_arrays()),
       mask=st.one_of(st.none(), st.just(np.ones((3, 4))), st.just(np.ones(7)), bad_arrays()),
       fn=st.sampled_from(["bptt", "lstm_bptt", "rnn_loss"]))
def test_gradients_and_losses(X, D, mask, fn):
    calls = {"bptt": lambda: bptt(X, D, P_RNN, mask=mask)["grads"]["W_hh"],
             "lstm_bptt": lambda: lstm_bptt(X, D, P_LSTM, SPEC, mask=mask)["grads"]["W_in"],
             "rnn_loss": lambda: rnn_loss(X, D, mask)}
    check_call(f"recurrent.{fn}", calls[fn], names=("X", "D", "mask", "Y"), finite_result=moderate(X, D),
               strict_fp=moderate(X, D))
