"""Bad input to the 1943 milestone is refused naming the parameter; good input gives the same spike trains."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import within

from annhist.mcculloch_pitts import (
    And,
    Atom,
    Not,
    Or,
    and_gate,
    atoms_of,
    compile_formula,
    evaluate_formula,
    latch,
    random_network,
    to_text,
    true_when_silent,
)
from annhist.mcculloch_pitts.dynamics import SynapseMatrix
from annhist.mcculloch_pitts.explore import neuron_response
from annhist.mcculloch_pitts.formula import shift
from annhist.mcculloch_pitts.graph import layers, longest_chain, reachable
from annhist.mcculloch_pitts.table import all_combinations

NET = and_gate()                                   # lines a, b; neuron out = a AND b


@pytest.mark.parametrize("call, exc, param", [
    # item 9: run() checked 0/1, run_batch did not (2.0 fired the gate, 0.5 and NaN were silence)
    (lambda: NET.run_batch(np.full((1, 3, 2), 2.0)), ValueError, "'U'"),
    (lambda: NET.run_batch(np.full((1, 3, 2), 0.5)), ValueError, "'U'"),
    (lambda: NET.run_batch(np.full((1, 3, 2), np.nan)), ValueError, "'U'"),
    (lambda: NET.run_batch(np.ones((1, 3, 2)), initial=np.full((1, 1), 0.5)), ValueError, "'initial'"),
    (lambda: NET.run_batch(np.ones((1, 3, 2)), initial=np.ones((1, 7))), ValueError, "'initial'"),
    (lambda: NET.run_batch(np.ones((1, 3, 5))), ValueError, "'U'"),
    (lambda: NET.run_batch(np.ones((3, 2))), ValueError, "'U'"),
    (lambda: NET.run_batch("ab"), TypeError, "'U'"),
    # item 27: zero steps was an IndexError
    (lambda: NET.run_batch(np.ones((1, 0, 2))), ValueError, "'U'"),
    # item 24: MemoryError
    (lambda: NET.run({"a": [1], "b": [1]}, steps=10**12), ValueError, "'steps'"),
    (lambda: NET.truth_table(time=10**12), ValueError, "'time'"),
    (lambda: latch().truth_table(time=10**9), ValueError, "'time'"),
    (lambda: compile_formula(" or ".join(f"x{i}" for i in range(15)) + " or y[t-1000]").truth_table(), ValueError,
     "'formula'"),
    # item 5: an unknown method was sparse; item 27-like: an index out of range was an IndexError
    (lambda: SynapseMatrix([0], [0], [1.0], (1, 1), method="foo"), ValueError, "'method'"),
    (lambda: SynapseMatrix([0], [5], [1.0], (1, 1)), ValueError, "'cols'"),
    (lambda: SynapseMatrix([0, 1], [0], [1.0], (1, 1)), ValueError, "'rows'"),
    # item 28: AttributeError ('str' object has no attribute 'args')
    (lambda: to_text("a and b"), TypeError, "'node'"),
    (lambda: atoms_of("a and b"), TypeError, "'node'"),
    (lambda: true_when_silent("a"), TypeError, "'node'"),
    (lambda: true_when_silent(None), TypeError, "'node'"),
    (lambda: to_text(And((Atom("a"), "b"))), TypeError, "'node'"),
    (lambda: shift(Atom("a"), 1.5), TypeError, "'steps'"),
    # item 18: a length mismatch was truncated, an unknown kind ignored
    (lambda: neuron_response(("excitatory", "inhibitory"), 1, (1,)), ValueError, "'active'"),
    (lambda: neuron_response(("exc", "inh"), 1, (1, 1)), ValueError, "'kinds'"),
    (lambda: neuron_response("excitatory", 1, (1,) * 10), ValueError, "'kinds'"),
    # leftovers: "repeat argument cannot be negative", "'float' object cannot be interpreted as an integer",
    # "'>' not supported between instances of 'str' and 'int'"
    (lambda: all_combinations(-1), ValueError, "'n'"),
    (lambda: all_combinations(2.5), TypeError, "'n'"),
    (lambda: all_combinations("a"), TypeError, "'n'"),
    # AttributeError ('str' object has no attribute 'get' / 'items'); a string start was read letter by letter
    (lambda: reachable("abc", ["a"]), TypeError, "'targets'"),
    (lambda: reachable({"a": ["b"]}, "abc"), TypeError, "'start'"),
    (lambda: longest_chain("abc", ["a"], ["b"]), TypeError, "'targets'"),
    (lambda: layers({"a": ["b"]}, "ab", ["a"]), TypeError, "'nodes'"),
    # a negative delay was a numpy broadcast error on evaluation and 'a[t--1]' as text; 'x' a TypeError
    # ('<' not supported ...); 1.5 "slice indices must be integers"
    (lambda: Atom("a", -1), ValueError, "'delay'"),
    (lambda: Atom("a", "x"), TypeError, "'delay'"),
    (lambda: Atom("a", 1.5), TypeError, "'delay'"),
    (lambda: Atom(5), TypeError, "'name'"),
    (lambda: shift(Atom("a", 1), -2), ValueError, "'steps'"),
    # And(()) was the text '' and the value 1 at every step (Or(()): 0); one operand is not a conjunction
    (lambda: And(()), ValueError, "'args'"),
    (lambda: Or(()), ValueError, "'args'"),
    (lambda: And((Atom("a"),)), ValueError, "'args'"),
    (lambda: And(Atom("a")), TypeError, "'args'"),
])
def test_bad_input_is_refused_naming_the_parameter(call, exc, param):
    with pytest.raises(exc, match=param):
        call()


def test_run_batch_takes_a_list_and_gives_the_same_trains():
    # item 28: a nested list was an AttributeError ('list' object has no attribute 'shape')
    U = [[[1, 1], [1, 0], [0, 1]]]
    np.testing.assert_array_equal(NET.run_batch(U), NET.run_batch(np.array(U, dtype=float)))
    assert NET.run_batch(U)[0, :, 0].tolist() == [0, 1, 0]
    assert NET.run_batch(np.array(U, dtype=bool))[0, :, 0].tolist() == [0, 1, 0]


def test_good_input_gives_the_same_answers():
    assert NET.run({"a": [1, 0], "b": [1, 1]})["out"].tolist() == [0, 1, 0]
    assert NET.truth_table().Y[:, 0].tolist() == [0, 0, 0, 1]
    assert latch().truth_table(time=1).Y[:, 0].tolist() == [0, 0, 1, 0]
    net = random_network(30, n_inputs=0, random_state=0)            # no input lines: U has 0 columns
    out = net.run(steps=5, initial={"n0": 1})
    assert set(out) == set(net.neuron_names) and all(len(v) == 5 for v in out.values())
    dense = net.run_batch(np.zeros((2, 5, 0)), method="dense")
    np.testing.assert_array_equal(dense, net.run_batch(np.zeros((2, 5, 0)), method="sparse"))
    assert to_text(And((Atom("a"), Not(Atom("b", 2))))) == "a and not b[t-2]"
    assert atoms_of(And((Atom("b"), Atom("a", 1)))) == [Atom("a", 1), Atom("b")]
    assert not true_when_silent(Atom("a")) and true_when_silent(Not(Atom("a")))
    assert shift(Atom("a", 1), np.int64(2)) == Atom("a", 3)
    assert shift(Atom("a", 3), -3) == Atom("a", 0)
    assert Atom("a", np.int64(2)) == Atom("a", 2) and hash(Atom("a", np.int64(2))) == hash(Atom("a", 2))
    assert And([Atom("a"), Atom("b")]) == And((Atom("a"), Atom("b")))
    assert evaluate_formula(Or((Atom("a", 1), Atom("b"))), {"a": [1, 0, 0], "b": [0, 0, 1]}).tolist() == [0, 1, 1]
    assert all_combinations(2).tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert all_combinations(np.int64(1)).tolist() == [[0], [1]] and all_combinations(0).shape == (1, 0)
    assert reachable({"a": ["b"], "b": ["c"]}, ["a"]) == {"a", "b", "c"}
    assert reachable({"a": {"b"}}, ("b",)) == {"b"}
    assert longest_chain({"a": ["n1"], "n1": ["n2"]}, ["a"], ["n2"]) == 2
    assert layers({"a": ["n1"], "n1": ["n2"]}, ["a", "n1", "n2"], ["a"]) == {"a": 0, "n1": 1, "n2": 2}
    assert neuron_response(("excitatory", "inhibitory"), 1, (1, 0)) == {"excitation": 1, "inhibited": False,
                                                                         "fires": 1}


def test_a_formula_longer_than_max_length_is_refused_before_parsing():
    # A 16,000-atom 'or' (148,886 characters) took 12 s to compile (time quadratic in the atoms) before
    # anything was said; formulas are held to MAX_LENGTH characters.
    from annhist.mcculloch_pitts import compile_formula, evaluate_formula
    from annhist.mcculloch_pitts.parser import MAX_LENGTH

    long = " or ".join(f"a{i}" for i in range(16000))
    for call in (compile_formula, lambda f: evaluate_formula(f, {})):
        with within(2), pytest.raises(ValueError, match=r"'formula' parameter of \w+ has 148,886 characters; at "
                                                        r"most 10,000"):
            call(long)
    fits = " or ".join(f"a{i}" for i in range(1200))
    assert len(fits) <= MAX_LENGTH and compile_formula(fits).depth == 1


def test_random_network_refuses_more_synapses_than_it_can_draw(monkeypatch):
    # 10**6 neurons x 1,002 synapses would draw a billion named synapses: hours and far more memory
    # than a laptop has; it is refused before anything is drawn, naming the three counts.
    from annhist.mcculloch_pitts import random_net
    with pytest.raises(ValueError, match=r"n_neurons=1000000 with n_excitatory=1000 and n_inhibitory=2 "
                                         r"makes 1,002,000,000 synapses.*MAX_SYNAPSES = 16,777,216"):
        random_network(10**6, n_excitatory=1000)
    with pytest.raises(ValueError, match="makes 18,000,000 synapses"):
        random_network(10**6, n_excitatory=16)
    monkeypatch.setattr(random_net, "MAX_SYNAPSES", 120)        # the boundary, at a size a test can draw
    assert len(random_network(10, random_state=0).neuron_names) == 10         # 10 x 12 = 120: drawn
    with pytest.raises(ValueError, match="makes 132 synapses"):
        random_network(11, random_state=0)


def test_network_files_cap_their_json_configuration(tmp_path, monkeypatch):
    # the same MAX_CONFIG_BYTES as the estimators' files: a small deflated file may hold a huge JSON document
    from annhist.io import load_arrays
    from annhist.mcculloch_pitts import MPNetwork
    path = random_network(5, random_state=0).save(tmp_path / "net")
    size = load_arrays(path, kind="annhist.MPNetwork")["config"].size
    monkeypatch.setattr("annhist.io.MAX_CONFIG_BYTES", size)
    assert len(MPNetwork.load(path).neuron_names) == 5                          # at the cap
    monkeypatch.setattr("annhist.io.MAX_CONFIG_BYTES", size - 1)
    with pytest.raises(ValueError, match=rf"not a valid MPNetwork file: it holds {size:,} bytes, more than "
                                         rf"MAX_CONFIG_BYTES = {size - 1:,}"):
        MPNetwork.load(path)
