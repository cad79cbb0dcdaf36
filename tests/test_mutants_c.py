"""Mutation audit, round 2: the MLP's training loops, the recurrent nets, the Mark I, the
McCulloch-Pitts compiler, Minsky & Papert's invariance and the data generators.

Each test fails on a small wrong version of the code that the rest of the suite let pass; the
mutant it kills is named in its docstring, the arithmetic is in the comments.
"""

import itertools

import numpy as np

from annhist.datasets import linearly_separable, logic_gate, retina_left_right, symmetry
from annhist.mcculloch_pitts import compile_formula
from annhist.mcculloch_pitts.evaluate import evaluate_formula
from annhist.mlp import MLP, train_many
from annhist.optimizers import SGD, Momentum
from annhist.perceptron import MarkI
from annhist.perceptron.plugboard import response_codes
from annhist.recurrent import g_1997, h_1997
from annhist.recurrent.lstm import LSTMSpec, squash_and_slope
from annhist.recurrent.reber import predictions_correct
from annhist.recurrent.tasks import REBER_SYMBOLS
from annhist.xor.invariance import computes

# Inputs all 0 and weights of 1e-300: every unit's net input rounds to 0, every output is exactly 0.5.
# Against targets 1 and 0 the largest error is exactly 0.5, and the two patterns' gradients cancel, so
# the weights never move: a stopping rule "error < 0.5" must never hold, and "error <= 0.5" would.
TIE_X, TIE_Y = np.zeros((4, 1)), np.array([[1.0], [0.0], [1.0], [0.0]])
TINY = ("uniform", 1e-300)
XOR_X, XOR_Y = [[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]]


# ----------------------------------------------------------------------------- MLP.fit and train_many
def test_stop_within_is_a_strict_bound_in_every_loop():
    """Kills: ``err < stop_within`` -> ``<=`` in the full-sweep loop, the mini-batch loop and train_many."""
    for batch_size in (None, 2):                         # batches (1, 0) and (1, 0): still no gradient
        net = MLP([1, 2, 1], init=TINY, random_state=0)
        net.fit(TIE_X, TIE_Y, epochs=3, batch_size=batch_size, stop_within=0.5, shuffle=False, verbose=False)
        assert not net.converged_ and net.n_epochs_ == 3
        assert net.history_["max_error"][-1] == 0.5
    res = train_many([1, 2, 1], TIE_X, TIE_Y, seeds=[0, 1], init=TINY, epochs=3, stop_within=0.5)
    assert not res.converged.any() and res.n_epochs.tolist() == [3, 3]


def test_full_sweeps_judge_the_weights_after_the_last_update():
    """Kills: the full-sweep loop not judging its final weights (a net that reaches ``stop_within``
    with its last update reported as not converged)."""
    net = MLP([2, 2, 1], random_state=0).fit(XOR_X, XOR_Y, optimizer=Momentum(eta=0.5, alpha=0.9), epochs=5000,
                                             stop_within=0.4, verbose=False)
    assert net.converged_
    n = net.n_epochs_                                   # the rule held before sweep n + 1: after n updates
    again = MLP([2, 2, 1], random_state=0).fit(XOR_X, XOR_Y, optimizer=Momentum(eta=0.5, alpha=0.9), epochs=n,
                                               stop_within=0.4, verbose=False)
    assert again.n_epochs_ == n and again.converged_


def test_minibatch_max_error_is_the_largest_error_of_the_final_weights():
    """Kills: the mini-batch stopping rule judged on the mean error instead of the largest."""
    net = MLP([2, 2, 1], random_state=0).fit(XOR_X, XOR_Y, batch_size=1, epochs=3, stop_within=0.01, verbose=False)
    assert net.history_["max_error"][-1] == np.max(np.abs(net.predict(XOR_X) - np.array(XOR_Y)))


def test_minibatch_loss_and_weight_decay_per_batch():
    """Kills: the mini-batch loop's E for ``reduction="mean"`` (each batch's mean not weighted by its size,
    or the total not divided by n), and its weight decay dropped."""
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.5, -1.0]])
    Y = np.eye(2)[[0, 1, 1, 0]]
    net = MLP([2, 3, 2], loss="cross_entropy", random_state=0)
    E0 = net.error(X, Y)                                   # the mean over the 4 cases
    net.fit(X, Y, optimizer=SGD(eta=1e-12), epochs=1, batch_size=2, shuffle=False, verbose=False)
    np.testing.assert_allclose(net.history_["loss"][0], E0, rtol=1e-9)
    # Decay after every update: 4 batches of 1 shrink each weight by 0.9^4 (the steps are ~1e-300).
    W0 = [p.copy() for p in MLP([2, 3, 2], random_state=0).params_]
    net = MLP([2, 3, 2], random_state=0).fit(X, Y, optimizer=SGD(eta=1e-300), epochs=1, batch_size=1,
                                             weight_decay=0.1, verbose=False)
    for p, p0 in zip(net.params_, W0):
        np.testing.assert_allclose(p, p0 * 0.9 ** 4, rtol=1e-12)


def test_minibatch_shuffle_changes_the_order():
    """Kills: ``shuffle=True`` ignored by the mini-batch loop."""
    fits = [MLP([2, 2, 1], random_state=0).fit(XOR_X, XOR_Y, batch_size=1, epochs=2, shuffle=s, verbose=False)
            for s in (True, False)]
    assert not np.array_equal(fits[0].params_[0], fits[1].params_[0])


def test_refit_starts_a_new_history():
    """Kills: a second ``fit`` (not ``warm_start``) keeping the first fit's history."""
    net = MLP([2, 2, 1], random_state=0)
    for _ in range(2):
        net.fit(XOR_X, XOR_Y, epochs=3, verbose=False)
        assert len(net.history_["loss"]) == 3 and net.n_epochs_ == 3


def test_train_many_counts_the_update_that_diverged():
    """Kills: a diverged net's ``n_epochs`` one short: the sweep that made its weights explode was made."""
    # eta = 1e200: the first update makes the weights ~1e198 > 1e150, the divergence bound.
    res = train_many([1, 2, 1], [[0.0], [1.0]], [[1.0], [0.0]], seeds=[0], optimizer=SGD(eta=1e200), epochs=5)
    assert res.diverged.tolist() == [True] and res.n_epochs.tolist() == [1]


# ----------------------------------------------------------------------------- the Mark I
def test_mark1_stops_after_an_epoch_without_mistakes():
    """Kills: the Mark I training on after a clean epoch (then n_epochs_ = epochs, a tail of zeros)."""
    X, y = retina_left_right(40, random_state=0)
    m = MarkI(random_state=0, epochs=30).fit(X, y)
    mistakes = m.history_["mistakes"]
    assert m.converged_ and m.n_epochs_ == len(mistakes) < 30
    assert mistakes[-1] == 0 and (mistakes[:-1] > 0).all()


def test_binary_response_codes_use_ceil_log2_units():
    """Kills: ``floor(log2 k) + 1`` bits (one R-unit too many when k is a power of 2)."""
    for k, bits in [(2, 1), (3, 2), (4, 2), (5, 3), (8, 3)]:
        codes = response_codes(k, "binary")
        assert codes.shape == (k, bits) and len({tuple(c) for c in codes}) == k


# ----------------------------------------------------------------------------- McCulloch & Pitts
def test_compiled_net_applies_de_morgan_inside_a_negation():
    """Kills: ``not (b or not c)`` read as ``not b and not c`` (the negated negation's atom sent to the
    inhibitory synapses instead of the excitatory ones)."""
    f = "a and not (b or not c)"
    net = compile_formula(f)
    for a, b, c in itertools.product((0, 1), repeat=3):
        trains = {"a": [a], "b": [b], "c": [c]}
        assert net.evaluate(trains).tolist() == evaluate_formula(f, trains).tolist(), (a, b, c)


def test_double_negation_costs_no_neuron():
    """Kills: ``not not b`` kept as two negations (a net of 6 neurons and depth 3 for ``a and b``'s one)."""
    for f in ("a and not not b", "not not (a and b)"):
        net = compile_formula(f)
        assert net.depth == 1 and len(net.neuron_names) == 1


# ----------------------------------------------------------------------------- Minsky & Papert
def test_a_zero_sum_decides_nothing():
    """Kills: ``computes`` accepting ``Phi @ alpha == 0`` as a "no" (the threshold is strict both ways)."""
    assert not computes([0.0], [[1.0]], [-1])               # s = 0: no decision, not "no"
    assert not computes([1.0], [[1.0], [0.0]], [1, -1])
    assert computes([1.0], [[1.0], [-1.0]], [1, -1])


# ----------------------------------------------------------------------------- data
def test_linearly_separable_leaves_a_gap_of_two_margins():
    """Kills: points kept within ``margin`` of the plane (the margin halved), also for the redrawn point
    of a tiny sample. Each class lies beyond ``margin`` on its side of a plane (|u| = 1), so points of
    different classes are at least 2 * margin apart."""
    for seed in range(3):
        X, y = linearly_separable(400, margin=0.1, random_state=seed)
        gap = np.sqrt(((X[y > 0][:, None] - X[y < 0][None]) ** 2).sum(-1)).min()
        assert gap >= 0.2
    for seed in range(60):                                  # two points on a line: about half need the redraw
        X, y = linearly_separable(2, 1, margin=0.3, random_state=seed)
        assert y[0] != y[1] and abs(X[0, 0] - X[1, 0]) >= 0.6


def test_gates_and_symmetry_against_their_definitions():
    """Kills: NOR computed as NAND, and ``symmetry`` comparing the rows instead of each string reversed
    (before, only the RHW reproduction noticed that one, through its 1-2-4 weights)."""
    X, y = logic_gate("nor")
    np.testing.assert_array_equal(y, [1 - (a or b) for a, b in X.astype(int)])
    X, y = symmetry(4)
    np.testing.assert_array_equal(y, [float(list(x) == list(x[::-1])) for x in X])
    assert y.sum() == 4                                     # 2**(4/2) palindromes


# ----------------------------------------------------------------------------- LSTM 1997 and the Reber task
def test_lstm_squashing_functions_of_1997():
    """Kills: ``g(x) = 4 sigma(x) - 1`` and ``h(x) = 2 sigma(x) - 2`` (ranges [-2, 2] and [-1, 1], eqs. 4-5)."""
    assert g_1997(0.0) == 0.0 and h_1997(0.0) == 0.0
    np.testing.assert_allclose(g_1997(np.array([-50.0, 50.0])), [-2.0, 2.0])
    np.testing.assert_allclose(h_1997(np.array([-50.0, 50.0])), [-1.0, 1.0])
    x = np.linspace(-3, 3, 13)
    spec = LSTMSpec(n_in=1, n_blocks=1, block_size=1, n_out=1)
    np.testing.assert_allclose(g_1997(x), squash_and_slope(x, 4.0, spec)[0])   # the cell's own g and h
    np.testing.assert_allclose(h_1997(x), squash_and_slope(x, 2.0, spec)[0])


def test_a_tie_with_a_forbidden_symbol_is_a_wrong_prediction():
    """Kills: the Reber criterion ``lowest allowed > highest other`` taken as ``>=``."""
    allowed, mask = np.array([[[1.0, 0.0, 0.0]]]), np.array([[True]])
    assert not predictions_correct(np.array([[[0.5, 0.5, 0.1]]]), allowed, mask)[0, 0]
    assert predictions_correct(np.array([[[0.6, 0.5, 0.1]]]), allowed, mask)[0, 0]


def test_train_reber_biases_the_output_gates_minus_one_two_three(monkeypatch):
    """Kills: the output gate biases -0, -1, -2 (Hochreiter & Schmidhuber 1997, 5.1: -1, -2, -3)."""
    from annhist.recurrent import reber
    seen = []
    real = reber.init_lstm
    monkeypatch.setattr(reber, "init_lstm", lambda *a, **k: seen.append(k["out_gate_bias"]) or real(*a, **k))
    reber.train_reber(n_trials=1, n_pairs=1, max_sequences=1, eval_every=1, random_state=0)
    np.testing.assert_array_equal(seen, [[-1.0, -2.0, -3.0]])


def test_before_last_accuracy_reads_the_prediction_of_the_branch_symbol(monkeypatch):
    """Kills: ``before_last_accuracy`` reading the last prediction (of ``E``, which needs no memory)
    instead of the one before it (of the second ``T``/``P``, which needs the second symbol)."""
    from annhist.recurrent import reber

    def not_e(Y, allowed, mask):                 # right everywhere but where E is the symbol to predict
        return (allowed[..., REBER_SYMBOLS.index("E")] == 0) | ~np.asarray(mask, bool)

    monkeypatch.setattr(reber, "predictions_correct", type("Fake", (), {"__wrapped__": staticmethod(not_e)}))
    res = reber.train_reber(n_trials=1, n_pairs=1, max_sequences=1, eval_every=1, random_state=0)
    assert res["before_last_accuracy"].tolist() == [1.0] and res["symbol_accuracy"][0] < 1.0
