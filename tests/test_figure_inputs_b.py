"""The figures of the McCulloch-Pitts, XOR, backpropagation, Hopfield and recurrent chapters, and the shared
anatomy and timeline figures, refuse bad input at the top: a ``TypeError`` or ``ValueError`` naming the
parameter, never an ``IndexError``/``KeyError``/``AttributeError`` from inside matplotlib, a hang on a huge
count, or a silently wrong picture. Good input still draws (the pictures themselves are compared with the
previous code's, pixel for pixel, outside this suite)."""

import functools
import itertools
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from annhist.datasets.glyphs import letters_10x10
from annhist.hopfield import figures as hop
from annhist.hopfield.network import Hopfield
from annhist.mcculloch_pitts import MPNetwork, heat_cold_illusion
from annhist.mcculloch_pitts import figures as mp
from annhist.mlp import MLP
from annhist.mlp import figures as mlpf
from annhist.mlp import path_figures as pathf
from annhist.perceptron.cycling import perceptron_cycle
from annhist.plotting import anatomy, timeline
from annhist.recurrent import figures as rec
from annhist.xor import figures as xorf
from annhist.xor.parts import X_XOR, Y_XOR
from annhist.xor.separability import separate

MODULES = (mlpf, pathf, xorf, hop, rec, mp, anatomy, timeline)
NAN, INF = float("nan"), float("inf")

# ----------------------------------------------------------------------------- small good inputs
SEP = separate(X_XOR, [0, 1, 1, 1])                       # OR: the best lines get 3 of the 4 XOR points
CYCLE = perceptron_cycle(X_XOR, Y_XOR)
NET, SKIP = MLP([2, 2, 1], random_state=0), MLP([2, 1, 1], skip=True, random_state=0)
LETTERS = letters_10x10("HT")
HOPFIELD = Hopfield(n_units=100).store(LETTERS)
MPN = heat_cold_illusion()
TRAINS = MPN.run({"heat": [0, 0, 0], "cold": [1, 0, 0]})
RUN = SimpleNamespace(history=np.array([[0.5, 0.2, NAN], [0.5, 0.45, 0.4]]), converged=np.array([True, False]),
                      n_epochs=np.array([2, 3]))
LC = {"epoch": [1, 2, 3], "train_error": [0.5, 0.3, 0.2], "val_error": [0.5, 0.4, 0.45], "best_epoch": 2}
CAP = {k: {"alpha": [0.02, 0.1, 0.2], "recalled": [1.0, 0.5, 0.0]} for k in ("n100", "n400", "n100_zero_one")}
ENC = {"first_good": np.array([-1, 30]), "good_at_end": np.array([False, True]), "codes": np.zeros((2, 4, 2))}
ROWS = [{"delay": 4, "rnn_success": 0.0, "lstm_success": 1.0}, {"delay": 10, "rnn_success": 0.0, "lstm_success": 0.5}]
PATHS = {"a": np.array([[-1.0, 1.0], [0.0, 0.5], [0.1, 0.1]])}
PICS = np.zeros((4, 3, 5))
LAYOUT = {k: (float(i), 0.0) for i, k in enumerate([*MPN.line_names, *MPN.neuron_names])}


def bowl(w):
    return w[0] ** 2 + w[1] ** 2


VALID = [
    (mlpf.plot_error_curves, ({"a": [1.0, 0.5, 0.2], "b": np.array([2.0, 1.0])},), {"marks": {"paper": 0.3}}),
    (mlpf.plot_sweeps, ({"a": [10, 20, 30]}, {"a": [True, False, True]}), {"paper": {"paper": 15}}),
    (mlpf.plot_symmetry_net, (np.ones((6, 2)), [1.0, -1.0], np.ones((2, 1)), [0.5]), {}),
    (mlpf.plot_hidden_codes, (np.full((3, 2), 0.5),), {"row_labels": ["a", "b", "c"]}),
    (mlpf.plot_person_encoding, (np.ones((4, 2)), ["A", "B", "C", "D"]), {}),
    (mlpf.plot_layer_gradients, ({"a": [1e-3, 1e-2]},), {}),
    (pathf.plot_optimizer_paths, (bowl, PATHS, (-2, 2, -2, 2)), {"minimum": (0, 0)}),
    (mlpf.plot_bump_approximation, (np.sin, 0.0, 1.0, {"net": MLP([1, 2, 1], random_state=0)}), {}),
    (mlpf.plot_learning_curves, ({"run": LC},), {}),
    (xorf.plot_xor_lines, (X_XOR, Y_XOR, [SEP]), {"pocket": ([1.0, 1.0], -0.5)}),
    (xorf.plot_perceptron_cycle, (CYCLE, X_XOR, Y_XOR), {"turns": 1}),
    (xorf.plot_mlp_solution, (NET, X_XOR, Y_XOR), {"skip_net": SKIP}),
    (xorf.plot_xor_learning_curves, ({"2-2-1": RUN},), {"max_sweeps": 3, "paper_sweeps": 2}),
    (xorf.plot_switch_figures, (PICS, [0, 1, 1, 0]), {"window": 3}),
    (hop.plot_recall, (LETTERS, LETTERS, LETTERS), {"labels": "HT"}),
    (hop.plot_energy_descent, (HOPFIELD, LETTERS[0]), {"sweeps": 1}),
    (hop.plot_capacity, ({**CAP, "other": 1.0},), {}),
    (hop.plot_encoder, (ENC,), {}),
    (rec.plot_elman_error, (np.full((2, 12), 0.3), np.full((2, 3), 0.3)), {}),
    (rec.plot_reber_curve, ([0.0, 0.5, 1.0], 100, {"sequences": 200, "success": 0.5}), {}),
    (rec.plot_error_flow, ({"rnn": [1.0, 0.5, 0.0]},), {}),
    (rec.plot_lag_success, (ROWS,), {}),
    (rec.plot_unfolded, (3,), {}),
    (mp.plot_mp_net, (MPN,), {"layout": LAYOUT, "show_labels": True}),
    (mp.plot_spike_raster, (TRAINS,), {"inputs": ["heat", "cold"], "highlight": ("feel_heat",)}),
    (anatomy.plot_network, ((2, 3, 1),), {"labels": ("in", "out")}),
    (anatomy.plot_activations, (["tanh"],), {"lim": 3}),
    (anatomy.plot_losses, (), {}),
    (timeline.plot_timeline, (), {"until": 1990, "events": False}),
]

_count = itertools.count()


def bad(fn, param, *args, **kwargs):
    return pytest.param(functools.partial(fn, *args, **kwargs), param, id=f"{fn.__name__}-{param}-{next(_count)}")


BAD = [
    # --------------------------------------------------------------------------- annhist.mlp.figures
    bad(mlpf.plot_error_curves, "curves", [1.0, 2.0]),                          # not a dict
    bad(mlpf.plot_error_curves, "curves", {}),                                  # nothing to draw
    bad(mlpf.plot_error_curves, "curves", {1: [1.0, 2.0]}),                     # a label that is not a str
    bad(mlpf.plot_error_curves, "curves", {"a": [[1.0, 2.0], [3.0, 4.0]]}),     # 2-D
    bad(mlpf.plot_error_curves, "curves", {"a": [1.0, NAN]}),
    bad(mlpf.plot_error_curves, "curves", {"a": ["x", "y"]}),
    bad(mlpf.plot_error_curves, "logy", {"a": [1.0]}, logy="no"),
    bad(mlpf.plot_error_curves, "marks", {"a": [1.0]}, marks={"m": "high"}),
    bad(mlpf.plot_sweeps, "sweeps", [10, 20], {"a": [True, True]}),
    bad(mlpf.plot_sweeps, "sweeps", {"a": [-10, 20]}, {"a": [True, True]}),
    bad(mlpf.plot_sweeps, "converged", {"a": [10], "b": [20]}, {"a": [True]}),          # a label missing
    bad(mlpf.plot_sweeps, "converged", {"a": [10, 20]}, {"a": [True]}),                 # one flag per run
    bad(mlpf.plot_sweeps, "converged", {"a": [10, 20]}, {"a": [0.5, 1.0]}),             # not 0/1
    bad(mlpf.plot_sweeps, "paper", {"a": [10]}, {"a": [True]}, paper={"p": -5}),        # on a log axis
    bad(mlpf.plot_symmetry_net, "W1", np.ones(6), [1.0], np.ones((1, 1)), [0.5]),
    bad(mlpf.plot_symmetry_net, "W1", np.full((6, 2), NAN), [1.0, 1.0], np.ones((2, 1)), [0.5]),
    bad(mlpf.plot_symmetry_net, "W1", np.ones((6, 13)), np.ones(13), np.ones((13, 1)), [0.5]),   # 13 panels
    bad(mlpf.plot_symmetry_net, "b1", np.ones((6, 2)), [1.0], np.ones((2, 1)), [0.5]),
    bad(mlpf.plot_symmetry_net, "W2", np.ones((6, 2)), [1.0, 1.0], np.ones((1, 1)), [0.5]),
    bad(mlpf.plot_symmetry_net, "b2", np.ones((6, 2)), [1.0, 1.0], np.ones((2, 1)), []),
    bad(mlpf.plot_hidden_codes, "codes", [0.1, 0.2]),
    bad(mlpf.plot_hidden_codes, "codes", np.zeros((65, 2))),                   # a figure 21 inches tall
    bad(mlpf.plot_hidden_codes, "row_labels", np.zeros((3, 2)), row_labels=["a", "b"]),
    bad(mlpf.plot_hidden_codes, "row_labels", np.zeros((3, 2)), row_labels="abc"),
    bad(mlpf.plot_person_encoding, "W", np.ones((3, 2)), ["A", "B", "C"]),     # English and Italian pairs
    bad(mlpf.plot_person_encoding, "W", np.ones((4, 13)), ["A", "B", "C", "D"]),
    bad(mlpf.plot_person_encoding, "people", np.ones((4, 2)), ["A", "B"]),
    bad(mlpf.plot_person_encoding, "people", np.ones((4, 2)), [1, 2, 3, 4]),
    bad(mlpf.plot_layer_gradients, "norms", [1e-3, 1e-2]),
    bad(mlpf.plot_layer_gradients, "norms", {"a": []}),
    bad(mlpf.plot_layer_gradients, "norms", {"a": [-1.0, 1.0]}),
    bad(pathf.plot_optimizer_paths, "f", 3, PATHS, (-2, 2, -2, 2)),
    bad(pathf.plot_optimizer_paths, "paths", bowl, {"a": [1.0, 2.0, 3.0]}, (-2, 2, -2, 2)),
    bad(pathf.plot_optimizer_paths, "paths", bowl, {"a": np.zeros((3, 3))}, (-2, 2, -2, 2)),
    bad(pathf.plot_optimizer_paths, "extent", bowl, PATHS, (-2, 2, -2)),
    bad(pathf.plot_optimizer_paths, "extent", bowl, PATHS, (2, -2, -2, 2)),
    bad(pathf.plot_optimizer_paths, "minimum", bowl, PATHS, (-2, 2, -2, 2), minimum=(0, 0, 0)),
    bad(pathf.plot_optimizer_paths, "f", lambda w: w, PATHS, (-2, 2, -2, 2)),                 # (2, ...) -> (2, ...)
    bad(pathf.plot_optimizer_paths, "f", lambda w: np.where(w[0] > 0, NAN, 1.0), PATHS, (-2, 2, -2, 2)),   # NaN
    bad(pathf.plot_optimizer_paths, "title", bowl, PATHS, (-2, 2, -2, 2), title=3),
    bad(mlpf.plot_bump_approximation, "f", "sin", 0.0, 1.0, {"net": NET}),
    bad(mlpf.plot_bump_approximation, "a", np.sin, NAN, 1.0, {"net": NET}),
    bad(mlpf.plot_bump_approximation, "b", np.sin, 1.0, 0.0, {"net": NET}),
    bad(mlpf.plot_bump_approximation, "nets", np.sin, 0.0, 1.0, {"net": 3}),
    bad(mlpf.plot_bump_approximation, "nets", np.sin, 0.0, 1.0, {"net": NET}),                # two inputs
    bad(mlpf.plot_bump_approximation, "nets", np.sin, 0.0, 1.0, {}),
    bad(mlpf.plot_learning_curves, "key", {"run": LC}, key="accuracy"),
    bad(mlpf.plot_learning_curves, "curves", [LC]),
    bad(mlpf.plot_learning_curves, "curves", {"run": {**LC, "val_error": None}}),
    bad(mlpf.plot_learning_curves, "curves", {"run": {k: v for k, v in LC.items() if k != "val_error"}}),
    bad(mlpf.plot_learning_curves, "curves", {"run": {**LC, "val_error": [0.5, 0.4]}}),
    bad(mlpf.plot_learning_curves, "curves", {"run": {**LC, "best_epoch": 7}}),
    # --------------------------------------------------------------------------- annhist.xor.figures
    bad(xorf.plot_xor_lines, "X", X_XOR[:, 0], Y_XOR, [SEP]),
    bad(xorf.plot_xor_lines, "y", X_XOR, [0, 1, 2, 0], [SEP]),
    bad(xorf.plot_xor_lines, "y", X_XOR, [0, 1, 1], [SEP]),
    bad(xorf.plot_xor_lines, "separators", X_XOR, Y_XOR, SEP),
    bad(xorf.plot_xor_lines, "separators", X_XOR, [0, 1, 1, 1], [SEP]),             # gets every point right
    bad(xorf.plot_xor_lines, "separators", X_XOR, Y_XOR, [SimpleNamespace(weights=np.zeros(2), bias=1.0)]),
    bad(xorf.plot_xor_lines, "pocket", X_XOR, Y_XOR, [SEP], pocket=np.array([1.0, 1.0])),
    bad(xorf.plot_perceptron_cycle, "cycle", "cycle", X_XOR, Y_XOR),
    bad(xorf.plot_perceptron_cycle, "cycle", CYCLE, X_XOR[:2], Y_XOR[:2]),            # not the points it ran on
    bad(xorf.plot_perceptron_cycle, "X", CYCLE, X_XOR.T, Y_XOR),
    bad(xorf.plot_perceptron_cycle, "turns", CYCLE, X_XOR, Y_XOR, turns=2.5),
    bad(xorf.plot_perceptron_cycle, "turns", CYCLE, X_XOR, Y_XOR, turns=101),
    bad(xorf.plot_mlp_solution, "net", None, X_XOR, Y_XOR),
    bad(xorf.plot_mlp_solution, "net", MLP([2, 3, 1], random_state=0), X_XOR, Y_XOR),
    bad(xorf.plot_mlp_solution, "skip_net", NET, X_XOR, Y_XOR, skip_net=MLP([3, 1, 1], random_state=0)),
    bad(xorf.plot_mlp_solution, "y", NET, X_XOR, [0.5, 1.0, 1.0, 0.0]),
    bad(xorf.plot_xor_learning_curves, "runs", {}, max_sweeps=3),
    bad(xorf.plot_xor_learning_curves, "runs", {"a": SimpleNamespace(history=None, converged=RUN.converged,
                                                                     n_epochs=RUN.n_epochs)}, max_sweeps=3),
    bad(xorf.plot_xor_learning_curves, "runs", {"a": SimpleNamespace(history=RUN.history, converged=np.array([1, 0]),
                                                                     n_epochs=RUN.n_epochs)}, max_sweeps=3),
    bad(xorf.plot_xor_learning_curves, "runs", {"a": SimpleNamespace(history=np.full((2, 3), INF),
                                                                     converged=RUN.converged, n_epochs=RUN.n_epochs)},
        max_sweeps=3),
    bad(xorf.plot_xor_learning_curves, "runs", {str(k): RUN for k in range(9)}, max_sweeps=3),   # 8 colours
    bad(xorf.plot_xor_learning_curves, "max_sweeps", {"a": RUN}, max_sweeps=0),
    bad(xorf.plot_xor_learning_curves, "max_sweeps", {"a": RUN}, max_sweeps=2.5),
    bad(xorf.plot_xor_learning_curves, "paper_sweeps", {"a": RUN}, max_sweeps=3, paper_sweeps=-1),
    bad(xorf.plot_switch_figures, "images", np.zeros((3, 5)), [0, 1, 1]),
    bad(xorf.plot_switch_figures, "images", np.zeros((5, 3, 5)), [0, 1, 1, 0, 1]),     # four names: AA .. BB
    bad(xorf.plot_switch_figures, "labels", PICS, [0, 1]),
    bad(xorf.plot_switch_figures, "window", PICS, [0, 1, 1, 0], window=0),
    bad(xorf.plot_switch_figures, "window", PICS, [0, 1, 1, 0], window=6),
    bad(xorf.plot_switch_figures, "window", PICS, [0, 1, 1, 0], window=2.5),
    # --------------------------------------------------------------------------- annhist.hopfield.figures
    bad(hop.plot_recall, "stored", LETTERS[:, :99], LETTERS[:, :99], LETTERS[:, :99]),    # 10 x 10 pictures
    bad(hop.plot_recall, "stored", np.ones((27, 100)), np.ones((27, 100)), np.ones((27, 100))),
    bad(hop.plot_recall, "noisy", LETTERS, LETTERS[:1], LETTERS),
    bad(hop.plot_recall, "recalled", LETTERS, LETTERS, np.full((2, 100), NAN)),
    bad(hop.plot_recall, "labels", LETTERS, LETTERS, LETTERS, labels="H"),
    bad(hop.plot_energy_descent, "net", Hopfield(n_units=100), LETTERS[0]),               # nothing stored
    bad(hop.plot_energy_descent, "start", HOPFIELD, LETTERS[0, :50]),
    bad(hop.plot_energy_descent, "start", HOPFIELD, np.full(100, 0.5)),
    bad(hop.plot_energy_descent, "sweeps", HOPFIELD, LETTERS[0], sweeps=2.5),
    bad(hop.plot_energy_descent, "sweeps", HOPFIELD, LETTERS[0], sweeps=10**9),
    bad(hop.plot_energy_descent, "random_state", HOPFIELD, LETTERS[0], random_state="x"),
    bad(hop.plot_capacity, "results", [CAP]),
    bad(hop.plot_capacity, "results", {k: v for k, v in CAP.items() if k != "n400"}),
    bad(hop.plot_capacity, "results", {**CAP, "n400": {"alpha": [0.1]}}),
    bad(hop.plot_capacity, "results", {**CAP, "n400": {"alpha": [0.1, 0.2], "recalled": [1.0]}}),
    bad(hop.plot_encoder, "out", {k: v for k, v in ENC.items() if k != "codes"}),
    bad(hop.plot_encoder, "out", {**ENC, "codes": np.zeros((2, 4, 3))}),                  # two hidden units
    bad(hop.plot_encoder, "out", {**ENC, "codes": np.zeros((1, 4, 2))}),                  # one per machine
    bad(hop.plot_encoder, "out", {**ENC, "first_good": np.array([NAN, 30.0])}),
    # --------------------------------------------------------------------------- annhist.recurrent.figures
    bad(rec.plot_elman_error, "rms_12", np.full((2, 11), 0.3), np.full((2, 3), 0.3)),
    bad(rec.plot_elman_error, "rms_12", np.full((2, 12), -0.3), np.full((2, 3), 0.3)),
    bad(rec.plot_elman_error, "rms_12", np.full((2, 12), NAN), np.full((2, 3), 0.3)),
    bad(rec.plot_elman_error, "rms_phase", np.full((2, 12), 0.3), np.full((2, 4), 0.3)),
    bad(rec.plot_reber_curve, "curve", [0.0, 1.5], 100, None),
    bad(rec.plot_reber_curve, "curve", [], 100, None),
    bad(rec.plot_reber_curve, "eval_every", [0.0, 1.0], 0, None),
    bad(rec.plot_reber_curve, "eval_every", [0.0, 1.0], 10**30, None),
    bad(rec.plot_reber_curve, "row", [0.0, 1.0], 100, {"sequences": 200}),
    bad(rec.plot_reber_curve, "row", [0.0, 1.0], 100, {"sequences": 200, "success": "all"}),
    bad(rec.plot_error_flow, "flows", [[1.0, 0.5]]),
    bad(rec.plot_error_flow, "flows", {"rnn": [0.0, 0.5]}),                                # relative to flow[0]
    bad(rec.plot_error_flow, "flows", {"rnn": [1.0, -0.5]}),
    bad(rec.plot_error_flow, "flows", {"rnn": np.ones((2, 3))}),
    bad(rec.plot_lag_success, "rows", []),
    bad(rec.plot_lag_success, "rows", ROWS[0]),
    bad(rec.plot_lag_success, "rows", [{"delay": 4, "rnn_success": 0.0}]),
    bad(rec.plot_lag_success, "rows", [{"delay": 0, "rnn_success": 0.0, "lstm_success": 1.0}]),   # log axis
    bad(rec.plot_lag_success, "rows", [{"delay": 4, "rnn_success": 0.0, "lstm_success": 1.5}]),
    bad(rec.plot_unfolded, "T", 0),
    bad(rec.plot_unfolded, "T", 2.5),
    bad(rec.plot_unfolded, "T", 10**9),
    # --------------------------------------------------------------------------- annhist.mcculloch_pitts.figures
    bad(mp.plot_mp_net, "net", "net"),
    bad(mp.plot_mp_net, "net", MPNetwork()),                                               # nothing to draw
    bad(mp.plot_mp_net, "layout", MPN, layout={k: v for k, v in LAYOUT.items() if k != "heat"}),
    bad(mp.plot_mp_net, "layout", MPN, layout={**LAYOUT, "ghost": (9.0, 9.0)}),
    bad(mp.plot_mp_net, "layout", MPN, layout={**LAYOUT, "heat": (0.0, NAN)}),
    bad(mp.plot_mp_net, "layout", MPN, layout={**LAYOUT, "heat": (0.0, 1.0, 2.0)}),
    bad(mp.plot_mp_net, "show_labels", MPN, show_labels="yes"),
    bad(mp.plot_mp_net, "legend", MPN, legend="no"),
    bad(mp.plot_mp_net, "ax", MPN, ax="ax"),
    bad(mp.plot_spike_raster, "trains", [[0, 1]]),
    bad(mp.plot_spike_raster, "trains", {"a": [0, 1, 0], "b": [0, 1]}),
    bad(mp.plot_spike_raster, "trains", {"a": [0, 2, 0]}),
    bad(mp.plot_spike_raster, "trains", {"a": [0, 0.5, 0]}),
    bad(mp.plot_spike_raster, "names", TRAINS, names="heat"),
    bad(mp.plot_spike_raster, "names", TRAINS, names=[]),
    bad(mp.plot_spike_raster, "inputs", TRAINS, inputs="heat"),
    bad(mp.plot_spike_raster, "highlight", TRAINS, highlight=5),
    bad(mp.plot_spike_raster, "ax", TRAINS, ax="ax"),
    # --------------------------------------------------------------------------- annhist.plotting
    bad(anatomy.plot_network, "layer_sizes", (3,)),
    bad(anatomy.plot_network, "layer_sizes", (3, True)),
    bad(anatomy.plot_network, "layer_sizes", (3, 65)),                                    # 65 circles in 3.4 in
    bad(anatomy.plot_network, "layer_sizes", (2,) * 13),
    bad(anatomy.plot_network, "labels", (3, 4, 2), labels=("input",)),
    bad(anatomy.plot_network, "labels", (3, 4, 2), labels=(1, 2, 3)),
    bad(anatomy.plot_activations, "names", "relu"),
    bad(anatomy.plot_activations, "names", ("swish",)),
    bad(anatomy.plot_activations, "names", ()),
    bad(anatomy.plot_activations, "lim", ("relu",), lim=-1.0),
    bad(anatomy.plot_activations, "lim", ("relu",), lim=INF),
    bad(timeline.plot_timeline, "until", until="2020"),
    bad(timeline.plot_timeline, "until", until=10**6),
    bad(timeline.plot_timeline, "events", events="no"),
]


def _plot_functions():
    return sorted(f"{m.__name__}.{name}" for m in MODULES for name in m.__all__ if name.startswith("plot_"))


def test_every_plot_function_has_a_good_and_a_bad_case():
    named = {f"{fn.__module__}.{fn.__name__}" for fn, _, _ in VALID}
    refused = {f"{p.values[0].func.__module__}.{p.values[0].func.__name__}" for p in BAD}
    assert sorted(named) == _plot_functions()
    assert sorted(refused | {"annhist.plotting.anatomy.plot_losses"}) == _plot_functions()   # plot_losses: no input


@pytest.mark.parametrize(("fn", "args", "kwargs"), [pytest.param(*v, id=v[0].__name__) for v in VALID])
def test_good_input_still_draws(fn, args, kwargs):
    try:
        assert isinstance(fn(*args, **kwargs), Figure)
    finally:
        plt.close("all")


@pytest.mark.parametrize(("call", "param"), BAD)
def test_bad_input_is_refused_naming_the_parameter(call, param):
    try:
        with pytest.raises((ValueError, TypeError), match=f"'{param}'"):
            call()
    finally:
        plt.close("all")
