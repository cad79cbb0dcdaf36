"""Fuzz the 1943 milestone: neurons, nets, the formula parser, the compiler, random nets."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from annhist.mcculloch_pitts import (
    FormulaError,
    MPNetwork,
    MPNeuron,
    compile_formula,
    evaluate_formula,
    heat_cold_illusion,
    latch,
    parse_formula,
    random_network,
    to_text,
)
from annhist.mcculloch_pitts.nets import every_k, pulse_counter

from .strategies import FUZZ, bad_arrays, check_call, hyper, weird_scalar

pytestmark = pytest.mark.fuzz

spikes = st.lists(st.integers(0, 1), min_size=1, max_size=8)
bad_train = st.one_of(bad_arrays(), st.lists(st.integers(-2, 3), max_size=6), weird_scalar,
                      st.lists(st.floats(allow_nan=True), min_size=1, max_size=4))
names = st.one_of(st.sampled_from(["a", "b", "c", "x", "m", "heat", "cold"]), st.text(max_size=4), weird_scalar)


@FUZZ
@given(threshold=hyper(st.integers(0, 5)), exc=st.one_of(spikes, bad_train),
       inh=st.one_of(spikes, bad_train, st.just([])))
def test_neuron(threshold, exc, inh):
    def call():
        out = MPNeuron(threshold).fire(exc, inh)
        assert out in (0, 1)
        return out
    check_call("MPNeuron.fire", call, names=("threshold", "excitatory", "inhibitory"))


SOURCES = st.one_of(st.lists(names, max_size=3), weird_scalar,
                    st.dictionaries(names.filter(lambda v: isinstance(v, str)), hyper(st.integers(1, 3)), max_size=2))


@FUZZ
@given(ops=st.lists(st.tuples(st.sampled_from(["input", "neuron", "connect"]), names, names,
                              hyper(st.integers(0, 3)), SOURCES, hyper(st.integers(0, 1))), max_size=6))
def test_building_a_net(ops):
    net = MPNetwork()
    for op, name, other, k, sources, flag in ops:
        if op == "input":
            fn = lambda: net.add_input(name, constant=flag if k == 0 else None)  # noqa: E731
        elif op == "neuron":
            fn = lambda: net.add_neuron(name, k, sources, (), initial=flag)  # noqa: E731
        else:
            fn = lambda: net.connect(name, other, inhibitory=bool(flag), synapses=k)  # noqa: E731
        check_call(f"MPNetwork.{op}", fn, finite_result=False,
                   names=("name", "threshold", "excitatory", "constant", "initial", "target", "source", "synapses"))

    def run():
        if not net.neuron_names:
            return None
        trains = {name: [1, 0, 1] for name in net.input_names}
        out = net.run(trains, steps=4)
        assert all(v.shape == (4,) and set(np.unique(v)) <= {0, 1} for v in out.values())
        return out
    check_call("MPNetwork.run.built", run, finite_result=False, names=("inputs", "steps", "excitatory"))


@FUZZ
@given(inputs=st.one_of(st.dictionaries(st.sampled_from(["heat", "cold", "warm", "x"]), st.one_of(spikes, bad_train),
                                        max_size=3), weird_scalar),
       steps=st.one_of(st.none(), hyper(st.integers(1, 12), max_int=10**4)),
       initial=st.one_of(st.none(), st.dictionaries(st.sampled_from(["a", "b", "nope"]), weird_scalar, max_size=2),
                         weird_scalar),
       method=hyper(st.sampled_from(["auto", "dense", "sparse"])))
def test_run_refuses_bad_trains(inputs, steps, initial, method):
    net = heat_cold_illusion()

    def call():
        out = net.run(inputs, steps=steps, initial=initial, method=method)
        T = len(next(iter(out.values())))
        assert all(len(v) == T and set(np.unique(v)) <= {0, 1} for v in out.values())
        return out
    check_call("MPNetwork.run", call, finite_result=False,
               names=("inputs", "steps", "initial", "method", "inputs['heat']", "inputs['cold']"))


@FUZZ
@given(time=st.one_of(st.none(), hyper(st.integers(0, 10), max_int=10**4)), which=st.sampled_from(["heat", "latch"]))
def test_truth_table(time, which):
    net = heat_cold_illusion() if which == "heat" else latch()

    def call():
        table = net.truth_table(time=time)
        assert table.Y.shape == (2 ** len(net.input_names), len(table.outputs))
        return table.Y
    check_call("MPNetwork.truth_table", call, names=("time",))


ATOMS = st.sampled_from(["a", "b", "c", "x[t-1]", "y[t-3]", "z[t]", "w[t-0]"])
TOKENS = st.sampled_from(["and", "or", "not", "(", ")", "&", "|", "~", "[", "]", "t", "-", "+", "1", "x", "a",
                          "[t-", "[t+1]", "[t-1001]", " ", "!", "2x", "_", "é", "\x00", "on", "out"])


@st.composite
def formula_texts(draw):
    """Formulas that are valid, almost valid, or noise."""
    kind = draw(st.sampled_from(["valid", "tokens", "text"]))
    if kind == "text":
        return draw(st.text(max_size=30))
    if kind == "tokens":
        return " ".join(draw(st.lists(st.one_of(TOKENS, ATOMS), max_size=10)))
    parts = [draw(ATOMS)]
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["and", "or", "and not"]))
        parts.append(f"{op} {draw(ATOMS)}")
    text = " ".join(parts)
    return f"({text})" if draw(st.booleans()) else text


@FUZZ
@given(text=st.one_of(formula_texts(), weird_scalar), drive=hyper(st.booleans()),
       output=hyper(st.sampled_from(["out", "o2"])))
def test_parse_compile_evaluate(text, drive, output):
    tree = check_call("parse_formula", lambda: parse_formula(text), finite_result=False, names=("formula",))
    if isinstance(tree, Exception):
        if isinstance(tree, FormulaError):
            assert "^" in str(tree) and 0 <= tree.position <= len(text)
        return
    assert parse_formula(to_text(tree)) == tree or to_text(parse_formula(to_text(tree))) == to_text(tree)
    net = check_call("compile_formula", lambda: compile_formula(text, output=output, drive=drive),
                     finite_result=False, names=("formula", "output", "drive"))
    if isinstance(net, Exception):
        return
    rng = np.random.default_rng(0)
    trains = {name: rng.integers(0, 2, 6) for name in net.input_names}
    verdict = check_call("CompiledNetwork.evaluate", lambda: net.evaluate(trains), finite_result=False)
    truth = evaluate_formula(text, trains)
    if not net.drive:                         # the compiled net agrees with the formula (Theorem II)
        np.testing.assert_array_equal(verdict, truth)


@FUZZ
@given(text=formula_texts(), inputs=st.one_of(st.dictionaries(st.sampled_from(["a", "b", "c", "x", "y", "z", "w", 7]),
                                                              st.one_of(spikes, bad_train), max_size=4), weird_scalar))
def test_evaluate_formula_refuses_bad_trains(text, inputs):
    check_call("evaluate_formula", lambda: evaluate_formula(text, inputs), finite_result=False,
               names=("formula", "inputs") + tuple(f"inputs[{k!r}]" for k in "abcxyzw"))


@FUZZ
@given(n=hyper(st.integers(1, 30), max_int=2000), n_inputs=hyper(st.integers(0, 5), max_int=2000),
       n_exc=hyper(st.integers(0, 5), max_int=50), n_inh=hyper(st.integers(0, 3), max_int=50),
       max_threshold=hyper(st.integers(1, 4), max_int=10**6), random_state=hyper(st.integers(0, 5)),
       method=st.sampled_from(["dense", "sparse"]))
def test_random_network(n, n_inputs, n_exc, n_inh, max_threshold, random_state, method):
    def call():
        net = random_network(n, n_inputs=n_inputs, n_excitatory=n_exc, n_inhibitory=n_inh,
                             max_threshold=max_threshold, random_state=random_state)
        trains = {name: [1, 0, 1, 1] for name in net.input_names}
        return net.run(trains or None, steps=5, method=method)
    check_call("random_network", call, finite_result=False,
               names=("n_neurons", "n_inputs", "n_excitatory", "n_inhibitory", "max_threshold", "random_state"))


@FUZZ
@given(k=weird_scalar, which=st.sampled_from(["pulse_counter", "every_k"]))
def test_parametrized_nets(k, which):
    if isinstance(k, int) and not isinstance(k, bool) and k > 64:
        k = -k
    fn = pulse_counter if which == "pulse_counter" else every_k
    check_call(f"nets.{which}", lambda: fn(k).run({"pulse" if which == "pulse_counter" else "start": [1, 0, 0]}),
               finite_result=False, names=("n", "k"))
