"""Tests of annhist.mcculloch_pitts: neurons, nets, circles, the formula compiler, experiments.

The compiler is checked against an evaluator written here from scratch (Python booleans over
a nested-tuple formula), not against the package's own evaluator.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annhist import experiments
from annhist.datasets import logic_gate
from annhist.mcculloch_pitts import (
    And,
    Atom,
    FormulaError,
    MPNetwork,
    MPNeuron,
    Not,
    Or,
    and_gate,
    and_not_gate,
    atoms_of,
    compile_formula,
    evaluate_formula,
    every_k,
    heat_cold_illusion,
    latch,
    or_gate,
    parse_formula,
    pulse_counter,
    random_network,
    to_text,
    xor_net,
)
from annhist.mcculloch_pitts.dynamics import DENSE_LIMIT, SynapseMatrix, choose_method, signed_weights
from annhist.mcculloch_pitts.parser import MAX_DELAY

# ----------------------------------------------------------------------------- a reference evaluator
# A formula is ("atom", name, k) | ("not", f) | ("and", f, g) | ("or", f, g).


def ref_value(f: tuple, trains: dict[str, list[int]], t: int) -> bool:
    """F(t) with x[t-k] = trains[x][t-k], every line silent before time 0."""
    op = f[0]
    if op == "atom":
        return t - f[2] >= 0 and trains[f[1]][t - f[2]] == 1
    if op == "not":
        return not ref_value(f[1], trains, t)
    a, b = ref_value(f[1], trains, t), ref_value(f[2], trains, t)
    return (a and b) if op == "and" else (a or b)


def render(f: tuple) -> str:
    if f[0] == "atom":
        return f[1] if f[2] == 0 else f"{f[1]}[t-{f[2]}]"
    if f[0] == "not":
        return f"not ({render(f[1])})"
    return f"({render(f[1])}) {f[0]} ({render(f[2])})"


def ref_names(f: tuple) -> set[str]:
    return {f[1]} if f[0] == "atom" else set().union(*(ref_names(g) for g in f[1:]))


VARS = ["a", "b", "c", "d", "e", "f"]


def formulas(max_delay: int) -> st.SearchStrategy:
    atom = st.tuples(st.just("atom"), st.sampled_from(VARS), st.integers(0, max_delay))
    return st.recursive(atom, lambda sub: st.one_of(
        st.tuples(st.just("not"), sub),
        st.tuples(st.sampled_from(["and", "or"]), sub, sub)), max_leaves=7)


def ref_silent(f: tuple) -> bool:
    return ref_value(f, {v: [0] for v in VARS}, 0)


# ----------------------------------------------------------------------------- the neuron
def test_neuron_hand_examples():
    n = MPNeuron(threshold=2)
    assert n.fire(excitatory=[1, 1], inhibitory=[0]) == 1    # 1 + 1 = 2 >= 2, no inhibition
    assert n.fire(excitatory=[1, 0], inhibitory=[0]) == 0    # 1 < 2
    assert n.fire(excitatory=[1, 1, 1], inhibitory=[0, 1]) == 0   # absolute inhibition: 3 >= 2 but vetoed
    assert MPNeuron(1).fire([1]) == 1 and MPNeuron(1).fire([]) == 0
    assert MPNeuron(0).fire([], []) == 1 and MPNeuron(0).fire([], [1]) == 0
    assert MPNeuron(threshold=2.0).threshold == 2


@pytest.mark.parametrize("bad", [-1, 1.5, float("nan")])
def test_neuron_bad_threshold_value(bad):
    with pytest.raises(ValueError, match="threshold.*" + ("-1" if bad == -1 else "1.5" if bad == 1.5 else "nan")):
        MPNeuron(threshold=bad)


@pytest.mark.parametrize("bad", ["2", None, True])
def test_neuron_bad_threshold_type(bad):
    with pytest.raises(TypeError, match="threshold"):
        MPNeuron(threshold=bad)


@pytest.mark.parametrize("bad", [[2, 0], [0.5], [-1]])
def test_neuron_bad_spikes(bad):
    with pytest.raises(ValueError, match="excitatory.*only 0 and 1"):
        MPNeuron(1).fire(excitatory=bad)


# ----------------------------------------------------------------------------- gates, exhaustive
@pytest.mark.parametrize("make, gate", [(and_gate, "and"), (or_gate, "or"), (xor_net, "xor")])
def test_gate_truth_tables(make, gate):
    X, y = logic_gate(gate)                 # rows (0,0), (0,1), (1,0), (1,1)
    table = make().truth_table()
    assert table.inputs == ("a", "b") and table.outputs == ("out",)
    np.testing.assert_array_equal(table.X, X)
    np.testing.assert_array_equal(table.Y[:, 0], y)


def test_and_not_gate_and_compiled_gates():
    # a and not b: only (a, b) = (1, 0) fires
    assert and_not_gate().truth_table().Y[:, 0].tolist() == [0, 0, 1, 0]
    for formula, expected in [("a and b", [0, 0, 0, 1]), ("a or b", [0, 1, 1, 1]),
                              ("a and not b", [0, 0, 1, 0]), ("(a or b) and not (a and b)", [0, 1, 1, 0])]:
        assert compile_formula(formula).truth_table().Y[:, 0].tolist() == expected, formula


def test_xor_needs_two_layers():
    # No single neuron: search every threshold 0..3 and every exc/inh assignment of a and b.
    X, y = logic_gate("xor")
    found = False
    for theta in range(4):
        for roles in [(r1, r2) for r1 in "eiu" for r2 in "eiu"]:      # excitatory, inhibitory, unused
            n = MPNeuron(theta)
            out = [n.fire([x[i] for i in range(2) if roles[i] == "e"], [x[i] for i in range(2) if roles[i] == "i"])
                   for x in X.astype(int)]
            found |= out == y.tolist()
    assert not found
    assert xor_net().depth == 2


# ----------------------------------------------------------------------------- timing and circles
def test_one_step_synaptic_delay_and_padding():
    out = and_gate().run({"a": [1, 1, 0], "b": [1, 0, 1]})
    # out(t) = a(t-1) and b(t-1): t=1 -> 1 and 1; t=2 -> 1 and 0; t=3 -> 0 and 1 (input padded with 0 after t=2)
    assert out["out"].tolist() == [0, 1, 0, 0]
    assert out["a"].tolist() == [1, 1, 0, 0]
    assert and_gate().run({"a": [1], "b": [1]}, steps=3)["out"].tolist() == [0, 1, 0]


def test_latch_remembers_until_reset():
    out = latch().run({"set": [0, 1, 0, 0, 0, 0, 0], "reset": [0, 0, 0, 0, 1, 0, 0]})
    # set at 1 -> memory fires from 2; the circle keeps it on; reset at 4 silences it from 5
    assert out["memory"].tolist() == [0, 0, 1, 1, 1, 0, 0]
    assert latch().depth is None


def test_pulse_counter_counts():
    net = pulse_counter(3)
    pulses = [1, 0, 0, 1, 1, 0, 0, 0]
    out = net.run({"pulse": pulses})
    for t in range(len(pulses)):
        n_before = sum(pulses[:t])                           # pulses at times 0 .. t-1
        assert [out[f"c{i}"][t] for i in (1, 2, 3)] == [int(n_before >= i) for i in (1, 2, 3)], t


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_every_k_fires_with_period_k(k):
    out = every_k(k).run({"start": [1] + [0] * 20})
    assert np.flatnonzero(out["tick"]).tolist() == list(range(1, 21, k))


def test_initial_state_and_net_without_inputs():
    net = MPNetwork().add_neuron("x", 1, ["y"]).add_neuron("y", 1, ["x"])   # two neurons exciting each other
    out = net.run(steps=5, initial={"x": 1})
    assert out["x"].tolist() == [1, 0, 1, 0, 1] and out["y"].tolist() == [0, 1, 0, 1, 0]


# ----------------------------------------------------------------------------- vectorized step
def _python_loop(net: MPNetwork, trains: dict[str, np.ndarray], steps: int) -> dict[str, list[int]]:
    """Assumptions 1-4 neuron by neuron with MPNeuron.fire: the reference for the matrix step."""
    state = {k: 0 for k in net.neuron_names}
    hist = {k: [0] for k in net.neuron_names}
    for t in range(1, steps):
        act = {**{k: int(v[t - 1]) for k, v in trains.items()}, **state}
        state = {}
        for k in net.neuron_names:
            spec = net.neuron(k)
            exc = [act[s] for s, c in spec["excitatory"].items() for _ in range(c)]
            inh = [act[s] for s, c in spec["inhibitory"].items() for _ in range(c)]
            state[k] = MPNeuron(spec["threshold"]).fire(exc, inh)
            hist[k].append(state[k])
    return hist


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matrix_step_equals_neuron_by_neuron_loop(seed):
    net = random_network(40, n_inputs=4, n_excitatory=5, n_inhibitory=2, random_state=seed)
    rng = np.random.default_rng(seed)
    trains = {k: rng.integers(0, 2, 25) for k in net.input_names}
    ref = _python_loop(net, trains, 25)
    dense, sparse = net.run(trains, method="dense"), net.run(trains, method="sparse")
    for k in net.neuron_names:
        assert dense[k].tolist() == ref[k] == sparse[k].tolist(), k
    assert 0 < np.mean([dense[k].mean() for k in net.neuron_names]) < 1    # a busy net, not a silent one


def test_signed_weights_hand_example():
    E = np.array([[2.0, 1.0, 0.0]])    # two synapses from source 0, one from source 1
    I = np.array([[0.0, 0.0, 1.0]])
    # M = 1 + (2 + 1) = 4: W = [2, 1, -4]; with all three active the sum is 2 + 1 - 4 = -1 < any threshold >= 0
    np.testing.assert_array_equal(signed_weights(E, I), [[2.0, 1.0, -4.0]])


def test_batch_sparse_matches_dense():
    net = random_network(30, n_inputs=3, random_state=5)
    U = np.random.default_rng(5).integers(0, 2, (4, 12, 3)).astype(float)
    np.testing.assert_array_equal(net.run_batch(U, method="dense"), net.run_batch(U, method="sparse"))


def test_sparse_handles_neurons_without_synapses():
    # x: threshold 0, no synapses -> fires from t=1 on; z: threshold 0, vetoed by y
    net = MPNetwork().add_input("a").add_neuron("x", 0).add_neuron("y", 1, ["a"]).add_neuron("z", 0, [], ["y"])
    dense, sparse = (net.run({"a": [1, 0, 1, 0]}, steps=6, method=m) for m in ("dense", "sparse"))
    assert dense["x"].tolist() == sparse["x"].tolist() == [0, 1, 1, 1, 1, 1]
    # y(t) = a(t-1) = [0, 1, 0, 1, 0, 0]; z(t) = not y(t-1) for t >= 1
    assert dense["z"].tolist() == sparse["z"].tolist() == [0, 1, 0, 1, 0, 1]


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 400), n_inputs=st.integers(0, 6), n_exc=st.integers(0, 15), n_inh=st.integers(0, 4),
       max_threshold=st.integers(1, 4), batch=st.integers(1, 3), seed=st.integers(0, 2**16))
def test_sparse_csr_and_dense_paths_agree_on_random_nets(n, n_inputs, n_exc, n_inh, max_threshold, batch, seed):
    # The CSR product and the dense product sum the same small integers in float64 (exact), so
    # the spike trains must be identical bit for bit -- for one run and for a batch of runs.
    net = random_network(n, n_inputs=n_inputs, n_excitatory=n_exc, n_inhibitory=n_inh,
                         max_threshold=max_threshold, random_state=seed)
    rng = np.random.default_rng(seed)
    U = rng.integers(0, 2, (batch, 15, n_inputs)).astype(float)
    init = rng.integers(0, 2, (batch, n)).astype(float)
    dense = net.run_batch(U, initial=init, method="dense")
    sparse = net.run_batch(U, initial=init, method="sparse")
    np.testing.assert_array_equal(dense, sparse)
    np.testing.assert_array_equal(dense, net.run_batch(U, initial=init, method="auto"))
    assert net._matrix("sparse")[0].csr is not None and net._matrix("dense")[0].dense is not None


def test_large_random_net_sparse_equals_dense_and_auto_picks_csr():
    net = random_network(1500, random_state=3)       # 1500 x 1510 entries, 12 synapses per neuron
    rng = np.random.default_rng(3)
    trains = {k: rng.integers(0, 2, 60) for k in net.input_names}
    auto, dense = net.run(trains), net.run(trains, method="dense")
    for k in net.neuron_names:
        assert np.array_equal(auto[k], dense[k]), k
    assert net._matrix("auto")[0].method == "sparse"
    assert 0 < np.mean([auto[k].mean() for k in net.neuron_names]) < 1   # a busy net


def test_choose_method_thresholds():
    assert choose_method((3, 5), 6) == "dense"                  # a gate: 15 entries
    assert choose_method((150, 160), 1800) == "dense"           # 24,000 entries: too small for CSR to pay
    assert choose_method((300, 310), 3600) == "sparse"          # 93,000 entries, density 3.9% <= 10%
    assert choose_method((300, 310), 93_000) == "dense"         # fully connected: density 100%
    assert choose_method((2001, 2001), 4_004_001) == "sparse"   # 4,004,001 > DENSE_LIMIT entries: never dense
    assert 2001 * 2001 > DENSE_LIMIT


def test_synapse_matrix_sums_duplicate_synapses_in_both_storages():
    # two entries for (0, 1): weights 2 and 3 add up to 5; z = [1, 1, 0] -> neuron 0 gets 5, neuron 1 gets -1
    rows, cols, w = np.array([0, 0, 1]), np.array([1, 1, 0]), np.array([2.0, 3.0, -1.0])
    for method in ("dense", "sparse"):
        W = SynapseMatrix(rows, cols, w, (2, 3), method=method)
        np.testing.assert_array_equal(W.dot(np.array([[1.0, 1.0, 0.0]])), [[5.0, -1.0]])
        np.testing.assert_array_equal(W.dot(np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 0.0]])), [[5.0, -1.0], [5.0, 0.0]])


def test_depth_is_cached_but_follows_changes():
    net = MPNetwork().add_input("a").add_neuron("x", 1, ["a"], output=True).add_neuron("y", 1, ["x"])
    assert net.depth == 1 and net.depth == 1        # a -> x; the second call is served from the cache
    net.outputs.append("y")                         # outputs is a public list: the cache must notice
    assert net.depth == 2                           # a -> x -> y
    net.add_neuron("z", 1, ["y"])
    net.outputs.append("z")
    assert net.depth == 3
    net.connect("z", "x")                           # a circle x -> y -> z -> x on the chain
    assert net.depth is None


def test_weights_describe_and_random_network():
    net = heat_cold_illusion()
    E, I, theta = net.weights()       # columns: heat, cold, a, b, feel_heat, feel_cold
    assert E.shape == I.shape == (4, 6) and theta.tolist() == [1, 1, 1, 2]
    assert E[3].tolist() == [0, 1, 1, 0, 0, 0] and I[1].tolist() == [0, 1, 0, 0, 0, 0]   # feel_cold; b
    # excitatory: cold->a, a->b, heat->feel_heat, b->feel_heat, a->feel_cold, cold->feel_cold; inhibitory: cold-|b
    assert E.sum() == 6 and I.sum() == 1
    rows = {r["neuron"]: r for r in net.describe()}
    assert rows["b"]["inhibitory"] == {"cold": 1} and rows["feel_cold"]["threshold"] == 2
    n1, n2 = random_network(20, random_state=3), random_network(20, random_state=3)
    assert n1.describe() == n2.describe() and n1.describe() != random_network(20, random_state=4).describe()
    assert sum(sum(r["excitatory"].values()) for r in n1.describe()) == 20 * 10


def test_truth_table_needs_time_for_circles_and_valid_outputs():
    with pytest.raises(ValueError, match="circles.*'time'"):
        latch().truth_table()
    # set held on, reset off: memory fires at 1; reset held on: never
    assert latch().truth_table(time=1).Y[:, 0].tolist() == [0, 0, 1, 0]
    net = and_gate()
    net.outputs = ["a"]
    with pytest.raises(ValueError, match=r"outputs.*\['a'\]"):
        net.truth_table()
    with pytest.raises(ValueError, match=r"unknown input.*\['on'\]"):
        compile_formula("not a", drive=True).run({"a": [0], "on": [1]})


# ----------------------------------------------------------------------------- heat and cold, Fig. 1e
def test_heat_cold_brief_cold_is_felt_as_heat():
    out = heat_cold_illusion().run({"heat": [0, 0, 0, 0, 0], "cold": [1, 0, 0, 0, 0]})
    # feel_heat(3) = cold(0) and not cold(1) = 1; feel_cold(t) = cold(t-2) and cold(t-1) = 0 always
    assert out["feel_heat"].tolist() == [0, 0, 0, 1, 0, 0, 0, 0]
    assert out["feel_cold"].tolist() == [0] * 8
    assert out["a"].tolist()[:3] == [0, 1, 0] and out["b"].tolist()[:4] == [0, 0, 1, 0]


def test_heat_cold_other_timings():
    net = heat_cold_illusion()
    out = net.run({"heat": [0] * 6, "cold": [1, 1, 0, 0, 0, 0]})
    # feel_cold(2) = cold(0) and cold(1) = 1; feel_heat(4) = cold(1) and not cold(2) = 1 (the cold stops)
    assert np.flatnonzero(out["feel_cold"]).tolist() == [2]
    assert np.flatnonzero(out["feel_heat"]).tolist() == [4]
    out = net.run({"heat": [1, 0, 0], "cold": [0, 0, 0]})
    assert np.flatnonzero(out["feel_heat"]).tolist() == [1]          # heat(0) -> felt at 1
    assert net.depth == 3 and net.input_names == ["heat", "cold"] and net.outputs == ["feel_heat", "feel_cold"]


def test_heat_cold_equals_compiled_formulas():
    net = heat_cold_illusion()
    heat = compile_formula("heat[t-1] or (cold[t-3] and not cold[t-2])")
    cold = compile_formula("cold[t-2] and cold[t-1]")
    assert heat.depth == 0 and cold.depth == 0               # written as the paper writes them: no extra delay
    assert len(heat.neuron_names) == 3 and len(cold.neuron_names) == 2   # a, b, N3 and a', N4
    rng = np.random.default_rng(0)
    for _ in range(30):
        stim = {"heat": rng.integers(0, 2, 10), "cold": rng.integers(0, 2, 10)}
        out = net.run(stim, steps=10)
        assert out["feel_heat"].tolist() == heat.run({"cold": stim["cold"], "heat": stim["heat"]})["out"].tolist()
        assert out["feel_cold"].tolist() == cold.run({"cold": stim["cold"]})["out"].tolist()


# ----------------------------------------------------------------------------- the parser
def test_parser_precedence_and_forms():
    assert parse_formula("a or b and not c") == Or((Atom("a"), And((Atom("b"), Not(Atom("c"))))))
    assert parse_formula("a & ~b | c") == parse_formula("(a and not b) or c")
    assert parse_formula("x[t]") == parse_formula("x[t-0]") == parse_formula(" x ") == Atom("x", 0)
    assert parse_formula("y[ t - 12 ]") == Atom("y", 12)
    f = parse_formula("not (a or b[t-2]) and c_1")
    assert parse_formula(to_text(f)) == f
    assert atoms_of(f) == [Atom("a"), Atom("b", 2), Atom("c_1")]


@pytest.mark.parametrize("text, position", [
    ("(a and ) or b", 7), ("a b", 2), ("a[t+1]", 3), ("a[t-x]", 4), ("", 0), ("not", 3), ("(a", 2),
    ("a[s-1]", 2), ("a $ b", 2), ("a[t-1", 5), ("1a", 0), ("and a", 0), ("__import__('os')", 0), ("a or", 4),
    (f"a[t-{MAX_DELAY + 1}]", 4)])
def test_malformed_formula_gives_position(text, position):
    with pytest.raises(FormulaError) as info:
        compile_formula(text)
    assert info.value.position == position
    assert isinstance(info.value, ValueError)
    assert f"position {position}" in str(info.value) and "compile_formula" in str(info.value)
    assert str(info.value).splitlines()[-1] == "    " + " " * position + "^"


def test_parser_refuses_deep_nesting_and_non_strings():
    with pytest.raises(FormulaError, match="nested"):
        parse_formula("not " * 500 + "a")
    with pytest.raises(TypeError, match="formula"):
        compile_formula(42)


def test_evaluate_formula_hand_example():
    # x[t-1] and not y: t=0 -> x(-1) = 0; t=1 -> x(0)=1, y(1)=1 -> 0; t=2 -> x(1)=1, y(2)=0 -> 1
    assert evaluate_formula("x[t-1] and not y", {"x": [1, 1, 0], "y": [0, 1, 0]}).tolist() == [0, 0, 1]


# ----------------------------------------------------------------------------- Theorems II and III
def test_depth_and_timing_documented():
    net = compile_formula("(a and b) or (c and not d)")
    assert net.depth == 2 and net.output == "out" and net.outputs == ["out"]
    out = net.run({"a": [1, 0, 1], "b": [1, 1, 0], "c": [0, 0, 1], "d": [0, 0, 0]})
    # F(0) = a and b = 1, F(1) = 0, F(2) = c and not d = 1, answered at t + 2
    assert out["out"].tolist() == [0, 0, 1, 0, 1]
    assert net.evaluate({"a": [1, 0, 1], "b": [1, 1, 0], "c": [0, 0, 1], "d": [0, 0, 0]}).tolist() == [1, 0, 1]
    assert compile_formula("a").depth == 1 and compile_formula("a[t-3]").depth == 0


def test_delayed_truth_table_columns_are_atoms():
    table = compile_formula("x[t-1] or (y[t-3] and not y[t-2])").truth_table()
    assert table.inputs == ("x[t-1]", "y[t-2]", "y[t-3]")
    for row, out in zip(table.X, table.Y[:, 0]):
        x1, y2, y3 = row
        assert out == int(x1 or (y3 and not y2))


@pytest.mark.parametrize("formula", ["not a", "a or not b", "not (a and b)", "not a[t-2] and not b"])
def test_theorem_iii_refuses(formula):
    with pytest.raises(ValueError, match="Theorem III") as info:
        compile_formula(formula)
    assert formula in str(info.value) and "drive=True" in str(info.value)


def test_drive_option_realizes_negation():
    net = compile_formula("not a", drive=True)
    assert net.drive and net.constant_lines() == {"on": 1} and net.input_names == ["a"]
    # F(t) = not a(t), answered at t + 1; before anything happens "not a" is true, so out(0) = 1
    assert net.run({"a": [0, 1, 0, 0]})["out"].tolist() == [1, 1, 0, 1, 1]
    assert compile_formula("nand_demo_a and b", drive=True).constant_lines() == {}   # not needed: no drive line


@settings(max_examples=150, deadline=None)
@given(f=formulas(max_delay=0), data=st.data())
def test_compiled_net_matches_formula_without_delays(f, data):
    _check_compiled(f, data)


@settings(max_examples=150, deadline=None)
@given(f=formulas(max_delay=3), data=st.data())
def test_compiled_net_matches_formula_with_delays(f, data):
    _check_compiled(f, data)


def _check_compiled(f: tuple, data: st.DataObject) -> None:
    text = render(f)
    names = sorted(ref_names(f))
    if ref_silent(f):                                       # Theorem III: refused, and realizable with drive
        with pytest.raises(ValueError, match="Theorem III"):
            compile_formula(text)
        net = compile_formula(text, drive=True)
    else:
        net = compile_formula(text)
        silent = net.run({k: [0] * 6 for k in names}, steps=6 + net.depth)     # no net fires on silence
        assert not any(v.any() for k, v in silent.items() if k in net.neuron_names)
    # every assignment of the atoms (the truth table) ...
    table = net.truth_table()
    K = max(a.delay for a in net.atoms)
    for row, out in zip(table.X, table.Y[:, 0]):
        trains = {k: [0] * (K + 1) for k in names}
        for atom, v in zip(net.atoms, row):
            trains[atom.name][K - atom.delay] = int(v)
        assert out == int(ref_value(f, trains, K)), (text, row)
    # ... and random input sequences, at every time step
    T = data.draw(st.integers(1, 12))
    trains = {k: data.draw(st.lists(st.integers(0, 1), min_size=T, max_size=T)) for k in names}
    assert net.evaluate(trains).tolist() == [int(ref_value(f, trains, t)) for t in range(T)], text


# ----------------------------------------------------------------------------- bad input
def test_run_bad_inputs():
    net = and_gate()
    with pytest.raises(ValueError, match=r"unknown input.*\['z'\]"):
        net.run({"a": [1], "b": [0], "z": [1]})
    with pytest.raises(ValueError, match=r"lacks.*\['b'\]"):
        net.run({"a": [1]})
    with pytest.raises(ValueError, match="same length.*'a': 2.*'b': 3"):
        net.run({"a": [1, 0], "b": [1, 0, 1]})
    with pytest.raises(ValueError, match=r"inputs\['a'\].*only 0 and 1.*Got 2"):
        net.run({"a": [1, 2], "b": [0, 0]})
    with pytest.raises(ValueError, match="steps.*>= 2. Got 1"):
        net.run({"a": [1, 0], "b": [0, 0]}, steps=1)
    with pytest.raises(ValueError, match="initial.*'q'"):
        net.run({"a": [1], "b": [1]}, initial={"q": 1})
    with pytest.raises(ValueError, match="method.*'fast'"):
        net.run({"a": [1], "b": [1]}, method="fast")
    with pytest.raises(TypeError, match="inputs.*mapping"):
        net.run([[1], [1]])


def test_building_bad_input():
    net = MPNetwork().add_input("a")
    with pytest.raises(ValueError, match="'a' is already used"):
        net.add_neuron("a", 1, ["a"])
    with pytest.raises(ValueError, match="threshold.*-2"):
        net.add_neuron("n", -2, ["a"])
    with pytest.raises(ValueError, match=r"excitatory\['a'\].*>= 1. Got 0"):
        net.add_neuron("n", 1, {"a": 0})
    net.add_neuron("n", 1, ["ghost"])
    with pytest.raises(ValueError, match="'n'.*'ghost'.*neither"):
        net.run({"a": [1]})
    with pytest.raises(ValueError, match="target.*'a'"):
        net.connect("n", "a")
    with pytest.raises(ValueError, match="variable 'out'.*'output' parameter"):
        compile_formula("out and a")
    with pytest.raises(TypeError, match="drive"):
        compile_formula("a", drive="yes")


# ----------------------------------------------------------------------------- experiments, figures
def test_heat_cold_experiment():
    res = experiments.run("heat-cold", seed=0)
    d = res.to_dict()
    assert d["results"]["stimuli"]["brief cold"]["first_feel_heat"] == 3
    assert d["results"]["stimuli"]["brief cold"]["first_feel_cold"] is None
    assert d["results"]["agrees_with_formulas"] is True
    assert json.loads(res.to_json()) == d and experiments.run("heat-cold", seed=0).to_dict() == d


def test_mp_compile_experiment():
    d = experiments.run("mp-compile", seed=3, formula="x[t-1] or (y[t-3] and not y[t-2])").to_dict()
    assert d["results"]["depth"] == 0 and d["results"]["n_neurons"] == 3
    assert d["results"]["truth_table_matches_formula"] and d["results"]["random_inputs_match_formula"]
    with pytest.raises(ValueError, match="Theorem III"):
        experiments.run("mp-compile", formula="not a")


def test_figures_draw_every_neuron():
    from matplotlib.patches import Circle, Rectangle

    from annhist.mcculloch_pitts.figures import plot_mp_net, plot_spike_raster

    net = heat_cold_illusion()
    fig = plot_mp_net(net, show_labels=True)
    patches = fig.axes[0].patches
    assert sum(isinstance(p, Circle) for p in patches) == 4 and sum(isinstance(p, Rectangle) for p in patches) == 2
    out = net.run({"heat": [0, 0, 0], "cold": [1, 0, 0]})
    fig = plot_spike_raster(out, inputs=["heat", "cold"])
    n_spikes = sum(int(v.sum()) for v in out.values())       # cold, a, b, feel_heat: one spike each
    assert n_spikes == 4 and len(fig.axes[0].patches) == n_spikes
    fig = plot_mp_net(compile_formula("(a and b) or (c and not d)"))
    assert sum(isinstance(p, Circle) for p in fig.axes[0].patches) == 3
