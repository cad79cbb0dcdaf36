"""The registered experiments of the 1960 milestone: ``adaline-letters``, ``lms-stability``, ``madaline-xor``.

Run them with ``annhist run NAME [--seed N] [--json] [--out DIR]``.  Every number they report
is computed here from ``annhist.adaline`` and ``annhist.adaline.madaline``; nothing is copied in.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from annhist.adaline.estimator import Adaline
from annhist.adaline.lms import input_correlation, least_squares, lms_stability_limit
from annhist.adaline.madaline import MAX_ADALINES, Madaline
from annhist.datasets import TGF_TARGETS, flip_pixels, iris, letters
from annhist.results import ExperimentResult, Option, register
from annhist.validation import ConvergenceWarning, DivergenceError, check_scalar, to_pm1

__all__ = ["adaline_letters", "lms_stability", "madaline_xor", "stability_runs", "STABILITY_FACTORS",
           "STABILITY_START", "MAX_SEEDS", "MAX_EPOCHS", "MAX_SEED_EPOCHS", "MAX_LMS_EPOCHS", "MAX_LETTERS_ETA",
           "MAX_SEED_ADALINES"]

_PAPER = {"source": "Widrow & Hoff (1960), Adaptive switching circuits",
          "note": "the exact 1960 patterns and presentation counts are not verified; the letters are reconstructions"}
STABILITY_FACTORS = (0.5, 0.9, 1.1)
STABILITY_START = (1.0, 0.5)   # (w0, w1): where every lms-stability run starts
#: The most initializations madaline-xor tries: each is four fits, about 18 ms, so this is 3 minutes (n_seeds=0
#: was an IndexError: no run to take the median of).
MAX_SEEDS = 10_000
#: The most passes of one madaline-xor run: 0/1 inputs in a fixed order fail three runs in four, which then run to
#: the limit (0.15-0.25 ms a pass: 2 s a run at this bound).
MAX_EPOCHS = 10_000
#: The most ``n_seeds * epochs``: four runs a seed, so at most 4 million passes, about 15 minutes (the defaults:
#: 100 x 100).
MAX_SEED_EPOCHS = 1_000_000
#: The most ``n_seeds * n_adalines`` of madaline-xor: each seed's four fits cost about 0.06 ms per ADALINE even when
#: they converge at once (20 seeds of 10,000 took 12 s), so this is about 2 minutes (the defaults: 100 x 2).
MAX_SEED_ADALINES = 2_000_000
#: The most LMS passes of adaline-letters and lms-stability (and of :func:`stability_runs`; the defaults are 30 and
#: 60): at this bound adaline-letters takes about 20 s, lms-stability 6 s, and the weight history keeps a row a
#: pass. 10**12 hung.
MAX_LMS_EPOCHS = 100_000
#: The largest adaline-letters step size: 2 is the alpha-LMS bound, the largest step any LMS variant here accepts.
#: The letters' inputs have ``|x|^2 = 17`` (16 +-1 switches and the bias), so every eta above 2/17 already diverges,
#: and the run says so.
MAX_LETTERS_ETA = 2.0


@register("adaline-letters", module="adaline", summary="An ADALINE learns 4x4 letters: T vs J, T/G/F at +60/0/-60, "
          "knob-quantized weights, noisy copies.",
          options=(Option("epochs", int, 30, "passes over the patterns", min_value=1, max_value=MAX_LMS_EPOCHS),
                   Option("eta", float, 0.05, "LMS step size (2/tr(R) = 2/17 for 16 +-1 switches)", min_value=0,
                          max_value=MAX_LETTERS_ETA)))
def adaline_letters(seed: int = 0, epochs: int = 30, eta: float = 0.05) -> ExperimentResult:
    """Online LMS on the letter patterns, their least-squares solution, knobs and noisy copies.

    ``epochs`` is at most ``MAX_LMS_EPOCHS``, ``eta`` at most ``MAX_LETTERS_ETA`` (and > 0, checked by
    :class:`~annhist.adaline.Adaline`).
    """
    check_scalar(epochs, "epochs", owner="adaline_letters", kind=numbers.Integral, min_val=1, max_val=MAX_LMS_EPOCHS)
    check_scalar(eta, "eta", owner="adaline_letters", min_val=0, max_val=MAX_LETTERS_ETA)
    X, y = letters(("T", "J"), shifts=True)
    ada = Adaline(eta=eta, epochs=epochs, mode="online", random_state=seed).fit(X, y)
    w_ls, b_ls = least_squares(X, to_pm1(y, ada.classes_[1]))
    knobby = Adaline(eta=eta, epochs=epochs, weight_levels=10, weight_step=0.05, random_state=seed).fit(X, y)
    noisy = {}
    for flips in (1, 2, 3):
        Xn = flip_pixels(np.repeat(X, 50, axis=0), flips, random_state=seed + flips)   # 200 noisy copies
        noisy[f"{flips}_switch"] = ada.score(Xn, np.repeat(y, 50))
    X3, y3 = letters(("T", "G", "F"), shifts=True)
    d3 = np.array([TGF_TARGETS[c] for c in y3])
    meter = Adaline(eta=eta, epochs=2 * epochs, mode="online", random_state=seed).fit(X3, d3)
    results = {
        "t_vs_j": {"stability_limit": lms_stability_limit(X),
                   "safe_bound_2_over_trR": lms_stability_limit(X, bound="trace"),
                   "final_mse": ada.history_["mse"][-1], "training_accuracy": ada.score(X, y),
                   "distance_to_least_squares": float(np.linalg.norm(np.r_[ada.bias_ - b_ls, ada.weights_ - w_ls])),
                   "accuracy_on_noisy_copies": noisy},
        "t_vs_j_knobs": {"knob_range": [-10, 10], "knob_step": 0.05, "final_mse": knobby.history_["mse"][-1],
                         "training_accuracy": knobby.score(X, y), "knobs_bias_first": knobby.knobs_},
        "t_g_f_meter": {"targets": TGF_TARGETS, "outputs": dict(zip([f"{c}{i % 2}" for i, c in enumerate(y3)],
                                                                    np.round(meter.decision_function(X3), 3) + 0.0)),
                        "final_mse": meter.history_["mse"][-1], "training_accuracy": meter.score(X3, d3)},
    }
    from annhist.adaline.figures import plot_adaline_weights, plot_letters

    return ExperimentResult(
        experiment="adaline-letters", settings={"seed": seed, "epochs": epochs, "eta": eta, "mode": "online"},
        results=results, paper=_PAPER,
        notes="Letters 3 switches wide in two positions on the 4x4 grid (reconstruction); targets T=+1, J=-1 "
              "after coding ('J' < 'T' sorts first). Noisy copies: 200 per switch count.",
        figures={"adaline-letters": lambda: plot_letters(X3, y3, outputs=meter.decision_function(X3)),
                 "adaline-tj-weights": lambda: plot_adaline_weights(ada.weights_, ada.bias_)})


def stability_runs(epochs: int = 60, factors: tuple[float, ...] = STABILITY_FACTORS
                   ) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """Batch LMS on Iris setosa vs versicolor (petal width) at ``factors`` x the stability limit.

    Returns ``X``, the +-1 targets ``d`` and one record per factor with the weight history
    (bias first) up to the end of the run or the :class:`DivergenceError` that stopped it.
    ``epochs`` is at most ``MAX_LMS_EPOCHS``.
    """
    check_scalar(epochs, "epochs", owner="stability_runs", kind=numbers.Integral, min_val=1, max_val=MAX_LMS_EPOCHS)
    X, labels = iris(("setosa", "versicolor"), (3,))
    d = to_pm1(labels, "versicolor")
    limit = lms_stability_limit(X)
    runs = []
    for f in factors:
        ada = Adaline(eta=f * limit, epochs=epochs, mode="batch")
        try:
            ada.fit(X, d, weights_init=[STABILITY_START[1]], bias_init=STABILITY_START[0])
            error = ""
        except DivergenceError as exc:
            error = str(exc)
        runs.append({"factor": f, "eta": f * limit, "diverged": bool(error), "error": error,
                     "weights": ada.history_["weights"], "mse": ada.history_["mse"]})
    return X, d, runs


@register("lms-stability", module="adaline", summary="Batch LMS at 0.5x, 0.9x and 1.1x the limit 2/lambda_max(R): "
          "smooth, oscillating, diverging.",
          options=(Option("epochs", int, 60, "batch steps per run", min_value=1, max_value=MAX_LMS_EPOCHS),))
def lms_stability(seed: int = 0, epochs: int = 60) -> ExperimentResult:
    """The stability limit shown on Iris (setosa vs versicolor, petal width); deterministic (seed unused).

    ``epochs`` is at most ``MAX_LMS_EPOCHS``.
    """
    check_scalar(epochs, "epochs", owner="lms_stability", kind=numbers.Integral, min_val=1, max_val=MAX_LMS_EPOCHS)
    X, d, runs = stability_runs(epochs)
    w_ls, b_ls = least_squares(X, d)
    w_star = np.r_[b_ls, w_ls]
    rows = {f"{r['factor']}x": {"eta": r["eta"], "diverged": r["diverged"], "epochs_run": len(r["mse"]) - 1,
                                "final_mse": r["mse"][-1],
                                "distance_to_least_squares": float(np.linalg.norm(r["weights"][-1] - w_star)),
                                "error": r["error"]} for r in runs}
    from annhist.adaline.figures import plot_lms_trajectories

    return ExperimentResult(
        experiment="lms-stability", settings={"seed": seed, "epochs": epochs, "mode": "batch",
                                              "data": "Iris setosa (-1) vs versicolor (+1), petal width",
                                              "start_w0_w1": STABILITY_START},
        results={"stability_limit": lms_stability_limit(X), "eigenvalues_R": np.linalg.eigvalsh(input_correlation(X)),
                 "least_squares_w0_w1": w_star, "runs": rows},
        paper={"claim": "batch descent on the MSE converges iff 0 < eta < 2/lambda_max(R) (eigen-analysis of the "
                        "quadratic bowl); Widrow & Lehr 1990, eq. (34): 0 < mu < 1/tr R, eta = 2 mu"},
        notes="Batch mode is deterministic; the seed is unused.",
        figures={"lms-stability": lambda: plot_lms_trajectories(
            X, d, [(f"{r['factor']}x limit", r["weights"], r["diverged"]) for r in runs])})


def _xor_rate(X: np.ndarray, y: np.ndarray, seeds: range, **params) -> dict:
    solved, epochs = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for s in seeds:
            net = Madaline(random_state=s, **params).fit(X, y)
            solved.append(net.converged_)
            epochs.append(net.n_epochs_)
    ok = np.asarray(epochs)[np.asarray(solved)]
    return {"success_rate": float(np.mean(solved)), "n_solved": int(np.sum(solved)),
            "median_epochs_when_solved": float(np.median(ok)) if ok.size else None,
            "max_epochs_when_solved": int(ok.max()) if ok.size else None}


@register("madaline-xor", module="adaline", summary="MADALINE rule I (minimal disturbance) learns XOR: success rate "
          "over seeds.",
          options=(Option("n_seeds", int, 100, "random initializations tried", min_value=1, max_value=MAX_SEEDS),
                   Option("n_adalines", int, 2, "ADALINEs in the layer", min_value=1, max_value=MAX_ADALINES),
                   Option("output", str, "or", "fixed logic unit: and, or, majority",
                          choices=("and", "or", "majority")),
                   Option("epochs", int, 100, "maximum passes per run", min_value=1, max_value=MAX_EPOCHS)))
def madaline_xor(seed: int = 0, n_seeds: int = 100, n_adalines: int = 2, output: str = "or",
                 epochs: int = 100) -> ExperimentResult:
    """Rule I on XOR from ``n_seeds`` initializations (seeds ``seed .. seed + n_seeds - 1``).

    ``n_seeds`` is 1 to ``MAX_SEEDS``, ``epochs`` 1 to ``MAX_EPOCHS``, their product at most ``MAX_SEED_EPOCHS``;
    ``n_seeds * n_adalines`` is at most ``MAX_SEED_ADALINES``; the other options are checked by
    :class:`~annhist.adaline.Madaline`.
    """
    check_scalar(seed, "seed", owner="madaline_xor", kind=numbers.Integral, min_val=0)
    check_scalar(n_seeds, "n_seeds", owner="madaline_xor", kind=numbers.Integral, min_val=1, max_val=MAX_SEEDS)
    check_scalar(epochs, "epochs", owner="madaline_xor", kind=numbers.Integral, min_val=1, max_val=MAX_EPOCHS)
    if n_seeds * epochs > MAX_SEED_EPOCHS:
        raise ValueError(f"The 'n_seeds' and 'epochs' parameters of madaline_xor ask for {n_seeds} x {epochs} "
                         f"passes per setting, more than MAX_SEED_EPOCHS = {MAX_SEED_EPOCHS:,}. Lower one of them.")
    check_scalar(n_adalines, "n_adalines", owner="madaline_xor", kind=numbers.Integral, min_val=1, max_val=MAX_ADALINES)
    if n_seeds * n_adalines > MAX_SEED_ADALINES:
        raise ValueError(f"The 'n_seeds' and 'n_adalines' parameters of madaline_xor ask for {n_seeds} x {n_adalines} "
                         f"ADALINEs to train, more than MAX_SEED_ADALINES = {MAX_SEED_ADALINES:,}. Lower one of them.")
    X01 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 1, 1, 0])
    Xpm = 2 * X01 - 1                                       # Widrow's +-1 coding
    seeds = range(seed, seed + n_seeds)
    params = {"n_adalines": n_adalines, "output": output, "epochs": epochs}
    results = {f"{coding}_{order}": _xor_rate(Xc, y, seeds, shuffle=(order == "shuffled"), **params)
               for coding, Xc in (("pm1_inputs", Xpm), ("01_inputs", X01)) for order in ("shuffled", "fixed_order")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        net = Madaline(random_state=seed, **params).fit(Xpm, y)
    from annhist.adaline.figures import plot_madaline_xor

    return ExperimentResult(
        experiment="madaline-xor", settings={"seed": seed, "n_seeds": n_seeds, **params, "alpha": 1.0},
        results=results, paper={"source": "Widrow (1962); rule I as described by Widrow & Lehr (1990), sec. IV-A"},
        notes="A run succeeds when a whole pass makes no error within the epoch limit.",
        figures={"madaline-xor": lambda: plot_madaline_xor(net, Xpm, y)})
