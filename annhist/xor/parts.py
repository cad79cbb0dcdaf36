"""The computations behind ``annhist.xor.xor_experiment``, one function per question.

Each function answers one question about XOR with a real computation and returns a JSON-ready
dictionary (and, where a figure needs it, the raw object):

- ``lp_part`` -- is there any threshold unit for XOR? (LP + exact Farkas certificate);
- ``functions_part`` -- which of the 16 two-input Boolean functions does one unit compute?
- ``perceptron_part`` -- what does Rosenblatt's rule do on XOR? (no convergence, a cycle);
- ``best_linear_part`` -- the best one unit can do (3 of 4), and the pocket algorithm;
- ``adaline_part`` -- the least-squares ADALINE (all outputs exactly 0);
- ``parity_part`` -- the Minsky-Papert order of parity, n = 2..6;
- ``mp_part`` -- a hand-wired two-layer McCulloch-Pitts net computes XOR, two steps late;
- ``mlp_part`` -- backpropagation on the 2-2-1 net and on the 2-1-1 net with skip connections.
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np

from annhist.datasets.classic import xor
from annhist.validation import ConvergenceWarning, check_scalar

__all__ = ["XOR_LABELS", "lp_part", "functions_part", "perceptron_part", "best_linear_part", "adaline_part",
           "parity_part", "mp_part", "RHW_SETTINGS"]

X_XOR, Y_XOR = xor()                                   # X (4, 2) in {0, 1}, y (4,) = [0, 1, 1, 0]
XOR_LABELS = [f"({int(a)}, {int(b)}) -> {int(t)}" for (a, b), t in zip(X_XOR, Y_XOR)]

# Rumelhart, Hinton & Williams (1986; PDP vol. 1 ch. 8): logistic units, E = 1/2 sum (y - d)^2,
# one weight change per sweep through the four cases, momentum, initial weights uniform in +-0.3.
RHW_SETTINGS = {"eta": 0.5, "alpha": 0.9, "init": ["uniform", 0.3], "activation": "sigmoid",
                "loss": "E = 1/2 sum over cases (y - d)^2", "updates": "full batch, one per sweep",
                "stop_within": 0.1}


def lp_part() -> tuple[dict[str, Any], Any]:
    """The margin LP for XOR: infeasible, with the verified Farkas multipliers and their sum in words."""
    from annhist.xor.separability import separate

    sep = separate(X_XOR, Y_XOR)
    return {"lp_feasible": sep.feasible, "lp_certificate": list(sep.multipliers) if sep.multipliers else None,
            "lp_certificate_words": sep.in_words(XOR_LABELS)}, sep


def functions_part() -> dict[str, Any]:
    """One LP per Boolean function of two inputs: how many are linearly separable, and which not."""
    from annhist.xor.boolean_functions import separable_functions

    rows = separable_functions(2)
    return {"count": sum(r["feasible"] for r in rows), "total": len(rows),
            "not_separable": [r["name"] for r in rows if not r["feasible"]],
            "functions": [{"name": r["name"], "outputs": r["outputs"], "separable": r["feasible"]} for r in rows]}


def perceptron_part(epochs: int) -> tuple[dict[str, Any], Any]:
    """Rosenblatt's rule on XOR (w = 0, eta = 1, fixed order): it never converges; its weights cycle."""
    from annhist.perceptron.cycling import perceptron_cycle
    from annhist.perceptron.estimator import Perceptron

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)        # not converging is the point here
        clf = Perceptron(eta=1.0, epochs=epochs, shuffle=False).fit(X_XOR, Y_XOR)
    cyc = perceptron_cycle(X_XOR, Y_XOR, eta=1.0, epochs=epochs)
    return {"perceptron_converged": bool(clf.converged_), "perceptron_epochs": int(clf.n_epochs_),
            "perceptron_mistakes_per_epoch": sorted(set(clf.history_["mistakes"].tolist())),
            "perceptron_cycle_period": {"updates": cyc.period_updates, "epochs": cyc.period_epochs},
            "perceptron_cycle_states": cyc.cycle_states.tolist(),
            "perceptron_max_weight_norm": cyc.max_norm}, cyc


def best_linear_part(seed: int, pocket_epochs: int = 1000) -> tuple[dict[str, Any], Any]:
    """The best single threshold unit on XOR, by exhaustive search over labellings, and the pocket's result."""
    from annhist.perceptron.pocket import Pocket
    from annhist.xor.boolean_functions import best_linear_accuracy
    from annhist.xor.separability import separate

    acc, best = best_linear_accuracy(X_XOR, Y_XOR)
    pocket = Pocket(eta=1.0, epochs=pocket_epochs, ratchet=True, random_state=seed).fit(X_XOR, Y_XOR)
    mistakes = pocket.history_["mistakes"]
    reached = np.flatnonzero(mistakes == mistakes.min())
    lines = [separate(X_XOR, np.asarray(z)) for z in best]
    return {"best_linear_accuracy": acc, "best_linear_labelings": best,
            "pocket_accuracy": pocket.score(X_XOR, Y_XOR),
            "pocket_weights": pocket.weights_.tolist(), "pocket_bias": pocket.bias_,
            "pocket_epoch_reached": int(reached[0]) + 1, "pocket_epochs": int(pocket.n_epochs_)}, (lines, pocket)


def adaline_part() -> dict[str, Any]:
    """Least-squares ADALINE on XOR with +-1 targets: the solution is w = 0, b = 0, every output 0.

    The normal equations ``X1^T X1 w = X1^T d`` have right side exactly 0 (integer arithmetic)
    and ``X1`` has full column rank, so ``w = 0`` is the unique least-squares solution. The
    sign quantizer (``sign(0) = +1``) then answers +1 on all four points: 2 of 4 right -- and
    since all outputs are equal, any rule for 0 gives 2 of 4. Batch LMS from ``w = 0`` never
    moves: its first gradient is that same zero vector.
    """
    from annhist.adaline.estimator import Adaline
    from annhist.adaline.lms import least_squares
    from annhist.perceptron.rule import fold_bias

    d = np.where(Y_XOR > 0, 1, -1)                                  # +-1 targets
    X1 = fold_bias(X_XOR, position="first").astype(int)                                # (4, 3), bias column first
    rhs = X1.T @ d                                                  # exact integers
    w_ls, b_ls = least_squares(X_XOR, d.astype(float))
    ada = Adaline(eta=0.1, epochs=100, mode="batch").fit(X_XOR, d)
    return {"adaline_accuracy": ada.score(X_XOR, d), "adaline_weights": ada.weights_.tolist(),
            "adaline_bias": ada.bias_, "adaline_outputs": ada.decision_function(X_XOR).tolist(),
            "adaline_predictions": ada.predict(X_XOR).tolist(),
            "adaline_normal_equations_rhs": rhs.tolist(), "adaline_full_rank": bool(np.linalg.matrix_rank(X1) == 3),
            "adaline_least_squares_max_abs": float(max(np.max(np.abs(w_ls)), abs(b_ls)))}


def parity_part(n_max: int = 6) -> list[dict[str, Any]]:
    """The Minsky-Papert order of n-bit parity for n = 2..n_max (at most 10), each found by LP."""
    from annhist.xor.minsky_papert import parity_order

    check_scalar(n_max, "n_max", owner="parity_part", kind=numbers.Integral, min_val=2, max_val=10)   # before any LP

    return [parity_order(n).to_dict() for n in range(2, n_max + 1)]


def mp_part() -> dict[str, Any]:
    """A hand-wired two-layer McCulloch-Pitts net for XOR, checked on every input and in time.

    ``h1 = a and not b``, ``h2 = b and not a`` (threshold 1, absolute inhibition), ``out = h1 or h2``.
    Each synapse delays by one step, so ``out(t) = XOR(a(t-2), b(t-2))``.
    """
    from annhist.mcculloch_pitts import MPNetwork

    net = MPNetwork().add_input("a").add_input("b")
    net.add_neuron("h1", 1, excitatory=["a"], inhibitory=["b"])        # a AND NOT b
    net.add_neuron("h2", 1, excitatory=["b"], inhibitory=["a"])        # b AND NOT a
    net.add_neuron("out", 1, excitatory=["h1", "h2"], output=True)     # h1 OR h2
    net.labels = {"h1": "a AND NOT b", "h2": "b AND NOT a", "out": "h1 OR h2"}
    table = net.truth_table(time=net.depth)
    early = net.truth_table(time=net.depth - 1)
    a = np.array([0, 0, 1, 1, 0, 1, 1, 0])                              # a stream of changing inputs
    b = np.array([0, 1, 0, 1, 1, 1, 0, 0])
    out = net.run({"a": a, "b": b})["out"]
    stream_ok = bool(np.array_equal(out[net.depth:net.depth + a.size], a ^ b))
    return {"correct": bool(np.array_equal(table.Y[:, 0], Y_XOR)) and stream_ok,
            "outputs": table.Y[:, 0].tolist(), "delay_steps": int(net.depth),
            "correct_one_step_early": bool(np.array_equal(early.Y[:, 0], Y_XOR)),
            "stream_correct": stream_ok, "neurons": net.describe()}
