"""The 1986 experiments of Rumelhart, Hinton & Williams, rerun with their own settings.

XOR (with and without direct input->output connections), the 8-3-8 encoder, mirror
symmetry and 4-bit parity from PDP vol. 1 ch. 8 and the Nature paper; the family trees are
in :mod:`annhist.mlp.family_trees`. All use logistic units, E = 1/2 sum (y - d)^2 over the whole
set, Delta w(t) = -eps dE/dw + alpha Delta w(t-1) and initial weights uniform in +-0.3; one
weight change per sweep, except parity, whose weights change after every pattern as PDP
ch. 8 writes the rule (eq. 16; :mod:`annhist.mlp.pattern`). Each experiment trains
``--seeds`` nets at once (:func:`~annhist.mlp.many.train_many`) and reports how many learned
and how fast: some seeds fail, as they did in 1986.

Stopping rule: the sources we follow do not state one; a net has "learned" when every
output is within ``--stop-within`` (default 0.1) of its target, so the sweep counts are
comparable to, not identical with, the paper's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from annhist.datasets import parity, symmetry, xor
from annhist.mlp.many import ManyResult, train_many
from annhist.mlp.network import MLP
from annhist.mlp.pattern import train_by_pattern
from annhist.mlp.rhw_options import check_runs, rhw_options
from annhist.optimizers import Momentum
from annhist.results import ExperimentResult, Option, plural, register
from annhist.validation import check_array, check_scalar, short_repr

__all__ = ["seed_statistics", "weight_ratio", "counts_bits", "rhw_xor", "rhw_encoder", "rhw_symmetry",
           "rhw_parity"]


def seed_statistics(res: ManyResult) -> dict[str, Any]:
    """How many seeds learned, and the sweeps they needed (median, range)."""
    done = res.n_epochs[res.converged]
    return {"n_seeds": int(res.seeds.size), "learned": int(res.converged.sum()), "success_rate": res.success_rate,
            "median_sweeps": float(np.median(done)) if done.size else None,
            "min_sweeps": int(done.min()) if done.size else None, "max_sweeps": int(done.max()) if done.size else None,
            "failed_seeds": [int(s) for s in res.seeds[~res.converged]]}


def weight_ratio(w: Any) -> list[float]:
    """A hidden unit's input-weight magnitudes, sorted and divided by the smallest (1:2:4 in the paper).

    ``w``: a non-empty 1-D array of finite weights, none 0 (there is no ratio to a zero weight).
    """
    mags = np.sort(np.abs(check_array(w, "w", ndim=1, owner="weight_ratio")))
    if mags[0] == 0:
        raise ValueError(f"The 'w' parameter of weight_ratio holds a zero weight: no ratio to it. "
                         f"Got {short_repr(np.asarray(w).tolist())} instead.")
    return (mags / mags[0]).round(3).tolist()


def _run(sizes: list[int], X: np.ndarray, Y: np.ndarray, seed: int, options: dict[str, Any], **net: Any
         ) -> tuple[ManyResult, MLP]:
    """Statistics over ``seeds`` nets, and the single net of ``seed`` (with its history).

    The single net is the stack's first: ``train_many`` makes exactly ``MLP.fit``'s updates, so
    it is the net ``MLP(sizes, random_state=seed).fit(...)`` returns, without training it twice.
    """
    res = train_many(sizes, X, Y, range(seed, seed + options["seeds"]), optimizer=Momentum(options["eta"],
                     options["alpha"]), epochs=options["epochs"], stop_within=options["stop_within"],
                     record_history=True, **net)
    return res, res.net(0)


def _settings(seed: int, options: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"seed": seed, "seeds": list(range(seed, seed + options["seeds"])), "eta": options["eta"],
            "alpha": options["alpha"], "init": "uniform +-0.3", "epochs": options["epochs"],
            "stop_within": options["stop_within"], "update": "full batch (one change per sweep)", **extra}


def _report(title: str, rows: dict[str, dict[str, Any]], paper: str, epochs: int) -> str:
    """The title, one line per net (seeds learned; the median and range of their sweeps) and the paper's result."""
    lines = [title]
    for name, st in rows.items():
        learned = f"  {name:<14} learned {st['learned']}/{plural(st['n_seeds'], 'seed')}"
        if st["median_sweeps"] is None:                  # no seed learned: no median, no range
            lines.append(f"{learned}; none within {plural(epochs, 'sweep')}")
            continue
        med = f"{st['median_sweeps']:.0f}"
        lines.append(f"{learned}; median {med} sweep{'' if med == '1' else 's'} "
                     f"(range {st['min_sweeps']}-{st['max_sweeps']})")
    lines.append(f"  paper: {paper}")
    return "\n".join(lines)


@register("rhw-xor", module="mlp", summary="XOR by backpropagation: 2-2-1, and 2-1-1 with direct connections "
          "(PDP ch. 8).", options=rhw_options(100, 10000, 0.5))
def rhw_xor(seed: int = 0, **options: Any) -> ExperimentResult:
    """XOR with the 2-2-1 net and PDP ch. 8's 2-1-1 net with direct input->output connections."""
    options = {"seeds": 100, "epochs": 10000, "eta": 0.5, "alpha": 0.9, "stop_within": 0.1, **options}
    check_runs("rhw_xor", options["seeds"], options["epochs"])  # the histories kept
    X, y = xor()
    Y = y[:, None]
    nets = {"2-2-1": ([2, 2, 1], False), "2-1-1 + skip": ([2, 1, 1], True)}
    stats, singles = {}, {}
    for name, (sizes, skip) in nets.items():
        res, singles[name] = _run(sizes, X, Y, seed, options, skip=skip)
        stats[name] = {**seed_statistics(res), "sweeps": res.n_epochs.tolist(), "learned_mask": res.converged.tolist()}
    results = {name: {k: v for k, v in st.items() if k not in ("sweeps", "learned_mask")} for name, st in stats.items()}
    for name, net in singles.items():
        results[name]["seed_run"] = {"sweeps": net.n_epochs_, "learned": net.converged_,
                                     "outputs": net.predict(X).ravel().round(3).tolist()}

    def draw_sweeps() -> Any:
        from annhist.mlp.figures import plot_sweeps
        return plot_sweeps({k: v["sweeps"] for k, v in stats.items()}, {k: v["learned_mask"] for k, v in stats.items()},
                           paper={"2-1-1 + skip, 558 sweeps": 558}, title="XOR: sweeps to learn, over seeds")

    def draw_error() -> Any:
        from annhist.mlp.figures import plot_error_curves
        return plot_error_curves({k: n.history_["loss"] for k, n in singles.items()}, title=f"XOR, seed {seed}")

    paper = {"2-1-1 + skip sweeps (eta 0.5)": 558,
             "2-2-1 local minima": "two cases in hundreds of runs; one after 6,587 presentations at eta 0.25"}
    return ExperimentResult(
        experiment="rhw-xor", settings=_settings(seed, options, nets=list(nets)), results=results, paper=paper,
        notes="The paper reports one run of the 2-1-1 net; our median over seeds is the comparable number.",
        report=_report("rhw-xor: XOR by backpropagation", results, "2-1-1 + skip in 558 sweeps; 2-2-1 rarely "
                       "stuck", options["epochs"]),
        figures={"rhw-xor-sweeps": draw_sweeps, "rhw-xor-error": draw_error})


@register("rhw-encoder", module="mlp", summary="The 8-3-8 encoder: eight patterns through three hidden units "
          "(PDP ch. 8).", options=rhw_options(20, 10000, 0.25))
def rhw_encoder(seed: int = 0, **options: Any) -> ExperimentResult:
    """8-3-8 encoder: each one-of-eight input must come back out through 3 hidden units."""
    options = {"seeds": 20, "epochs": 10000, "eta": 0.25, "alpha": 0.9, "stop_within": 0.1, **options}
    check_runs("rhw_encoder", options["seeds"], options["epochs"])  # the histories kept
    X = np.eye(8)
    res, net = _run([8, 3, 8], X, X, seed, options)
    codes = net.layer_outputs(X)[1]                                  # (8 patterns, 3 hidden units)
    binary = (codes > 0.5).astype(int)
    results = {**seed_statistics(res), "seed_run": {"sweeps": net.n_epochs_, "learned": net.converged_,
               "hidden_codes": codes.round(3).tolist(), "binary_codes": ["".join(map(str, r)) for r in binary],
               "distinct_binary_codes": int(len({tuple(r) for r in binary}))}}

    def draw() -> Any:
        from annhist.mlp.figures import plot_hidden_codes
        return plot_hidden_codes(codes, row_labels=[f"pattern {i + 1}" for i in range(8)],
                                 title=f"8-3-8 encoder hidden codes (seed {seed})")

    return ExperimentResult(
        experiment="rhw-encoder", settings=_settings(seed, options, net="8-3-8"), results=results,
        paper={"finding": "the hidden units learn a (nearly) binary code for the eight patterns"},
        notes="Our sources give no step size for this run; eps = 0.25 is our choice (at 0.5 most seeds stall).",
        report=_report("rhw-encoder: the 8-3-8 encoder", {"8-3-8": results}, "a binary-like 3-bit code",
                       options["epochs"]) +
        f"\n  seed {seed} codes: {' '.join(results['seed_run']['binary_codes'])}", figures={"rhw-encoder-codes": draw})


def _is_124(ratio: list[float], tol: float = 0.15) -> bool:
    return bool(np.all(np.abs(np.asarray(ratio) / np.array([1, 1, 2, 2, 4, 4]) - 1) < tol))


@register("rhw-symmetry", module="mlp", summary="Mirror symmetry of 6 bits with 2 hidden units: the 1:2:4 weights "
          "(Nature Fig. 1).", options=rhw_options(20, 20000, 0.1))
def rhw_symmetry(seed: int = 0, **options: Any) -> ExperimentResult:
    """6-2-1 net on all 64 patterns, eps = 0.1, alpha = 0.9, init +-0.3 (Nature, Fig. 1)."""
    options = {"seeds": 20, "epochs": 20000, "eta": 0.1, "alpha": 0.9, "stop_within": 0.1, **options}
    check_runs("rhw_symmetry", options["seeds"], options["epochs"])  # the histories kept
    X, y = symmetry(6)
    res, net = _run([6, 2, 1], X, y[:, None], seed, options)
    W1, b1 = net.params_[0], net.params_[1]
    W2, b2 = net.params_[2], net.params_[3]
    ratios = [weight_ratio(W1[:, j]) for j in range(2)]
    anti = [float(np.max(np.abs(W1[:, j] + W1[::-1, j])) / np.max(np.abs(W1[:, j]))) for j in range(2)]
    n_124 = sum(bool(res.converged[s]) and all(_is_124(weight_ratio(res.params[0][s][:, j])) for j in range(2))
                for s in range(res.seeds.size))                  # learned seeds only: a diverged one has no ratios
    results = {"sweeps": net.n_epochs_, "converged": net.converged_, "weight_ratio": ratios,
               "mirror_antisymmetric": bool(max(anti) < 0.05), "hidden_biases": b1.round(2).tolist(),
               "output_bias": float(b2[0]), "hidden_to_output": W2.ravel().round(2).tolist(),
               "input_weights": W1.T.round(2).tolist(), **seed_statistics(res),
               "learned_with_1_2_4_ratio": int(n_124)}

    def draw() -> Any:
        from annhist.mlp.figures import plot_symmetry_net
        return plot_symmetry_net(W1, b1, W2, b2)

    paper = {"sweeps": 1425, "weight_ratio": "1:2:4, mirror-antisymmetric", "hidden_biases": "negative",
             "output_bias": "positive", "eta": 0.1, "alpha": 0.9, "init": "+-0.3"}
    return ExperimentResult(
        experiment="rhw-symmetry", settings=_settings(seed, options, net="6-2-1", patterns=64), results=results,
        paper=paper, notes="learned_with_1_2_4_ratio counts learned seeds whose two hidden units both have "
        "magnitude ratios within 15% of 1:1:2:2:4:4; the others found a different (also symmetric) solution.",
        report=_report("rhw-symmetry: mirror symmetry, 6-2-1", {"6-2-1": results}, "1,425 sweeps; weights 1:2:4",
                       options["epochs"]) +
        f"\n  seed {seed}: {plural(net.n_epochs_, 'sweep')}, weight ratios {ratios[0]} and {ratios[1]}"
        f"\n  {n_124} of {plural(res.seeds.size, 'seed')} learned with the 1:2:4 pattern",
        figures={"rhw-symmetry-net": draw})


_UPDATES = ("pattern", "sweep")


def counts_bits(net: MLP, X: np.ndarray, tol: float = 0.1) -> bool:
    """Whether every hidden unit's activity depends only on how many inputs are on (to within ``tol``).

    The parity solution of PDP vol. 1 ch. 8 (p. 335): hidden unit k comes on when at least k
    inputs are on, so patterns with the same number of bits on give the same hidden code. ``net`` is an
    :class:`~annhist.mlp.MLP` with a hidden layer, ``X`` its 0/1 inputs and ``tol`` > 0.
    """
    if not isinstance(net, MLP) or len(net.sizes) < 3:
        error = ValueError if isinstance(net, MLP) else TypeError
        raise error(f"The 'net' parameter of counts_bits must be an MLP with a hidden layer. "
                    f"Got {short_repr(net)} instead.")
    X = check_array(X, "X", owner="counts_bits")
    check_scalar(tol, "tol", owner="counts_bits", min_val=0, include_min=False)
    hidden, count = net.layer_outputs(X)[1], X.sum(axis=1)
    return bool(all(np.ptp(hidden[count == k], axis=0).max() < tol for k in np.unique(count)))


def _hidden_by_bits_on(n: MLP, X: np.ndarray) -> list[list[float]]:
    """Mean hidden activity per number of bits on (0 to 4)."""
    count = X.sum(axis=1).astype(int)
    hidden = n.layer_outputs(X)[1]
    return [hidden[count == k].mean(axis=0).round(2).tolist() for k in range(5)]


def _parity_example(res: ManyResult, learned: np.ndarray, X: np.ndarray) -> dict[str, Any] | None:
    """The first learned seed's hidden codes, patterns sorted by the number of bits on (None if none learned)."""
    if not learned.size:
        return None
    order = np.argsort(X.sum(axis=1).astype(int), kind="stable")
    first = res.net(int(learned[0]))
    return {"seed": int(res.seeds[learned[0]]), "sweeps": int(res.n_epochs[learned[0]]),
            "hidden_by_bits_on": _hidden_by_bits_on(first, X),
            "patterns": ["".join(map(str, r)) for r in X[order].astype(int)],
            "hidden_codes": first.layer_outputs(X)[1][order].round(2).tolist()}


@register("rhw-parity", module="mlp", summary="4-bit parity with 4 hidden units (PDP ch. 8).",
          options=rhw_options(20, 6000, 0.5) + (Option("update", str, "pattern", "'pattern' (a weight change after "
                                                    "every pattern, PDP eq. 16) or 'sweep' (one per sweep)"),))
def rhw_parity(seed: int = 0, **options: Any) -> ExperimentResult:
    """4-4-1 net on the 16 patterns of 4-bit parity, eps = 0.5, alpha = 0.9.

    PDP ch. 8 writes its momentum rule per pattern presentation (eq. 16), and with a weight
    change after every pattern (in a fixed order) our nets find the paper's counting solution;
    with one change per sweep (``update='sweep'``) fewer seeds learn, and those that do find
    another solution. "Presentations" in the paper's 2,825 are sweeps through the 16 patterns.
    """
    options = {"seeds": 20, "epochs": 6000, "eta": 0.5, "alpha": 0.9, "stop_within": 0.1, "update": "pattern",
               **options}
    check_runs("rhw_parity", options["seeds"], options["epochs"])  # no history: the time
    if options["update"] not in _UPDATES:
        raise ValueError(f"The 'update' option of rhw-parity must be one of {', '.join(map(repr, _UPDATES))}. "
                         f"Got {options['update']!r} instead.")
    X, y = parity(4)
    seeds = range(seed, seed + options["seeds"])
    if options["update"] == "pattern":
        res = train_by_pattern([4, 4, 1], X, y[:, None], seeds, eta=options["eta"], alpha=options["alpha"],
                               epochs=options["epochs"], stop_within=options["stop_within"])
    else:
        res = train_many([4, 4, 1], X, y[:, None], seeds, optimizer=Momentum(options["eta"], options["alpha"]),
                         epochs=options["epochs"], stop_within=options["stop_within"])
    net = res.net(0)                                                  # the run of --seed itself
    learned = np.flatnonzero(res.converged)
    example = _parity_example(res, learned, X)
    n_counting = sum(counts_bits(res.net(int(i)), X) for i in learned)
    results = {**seed_statistics(res), "counting_solutions": int(n_counting),
               "seed_run": {"sweeps": net.n_epochs_, "learned": net.converged_,
                            "hidden_by_bits_on": _hidden_by_bits_on(net, X)},
               "first_learned": example}

    def draw() -> Any:
        from annhist.mlp.figures import plot_hidden_codes
        if example is None:
            return plot_hidden_codes(np.array(results["seed_run"]["hidden_by_bits_on"]), title=f"Parity: mean "
                                     f"hidden activity by bits on (seed {seed}, not learned)")
        return plot_hidden_codes(np.array(example["hidden_codes"]), row_labels=example["patterns"],
                                 title=f"Parity: hidden activity per pattern (seed {example['seed']})")

    update = ("after every pattern, in a fixed order, as PDP eq. 16" if options["update"] == "pattern"
              else "once per sweep, full batch")
    return ExperimentResult(
        experiment="rhw-parity", settings=_settings(seed, options, net="4-4-1", patterns=16, update=update),
        results=results, paper={"presentations": 2825, "eta": 0.5,
                                "finding": "hidden units count the bits that are on"},
        notes="The paper's 2,825 presentations (sweeps through the 16 patterns) is one run; the others here "
              "sit on a long plateau (not a local minimum: given more sweeps most of them learn). "
              "counting_solutions counts learned seeds whose hidden code depends only on the number of bits on.",
        report=_report(f"rhw-parity: 4-bit parity, 4-4-1 (weights changed {update})", {"4-4-1": results},
                       "2,825 presentations (one run)", options["epochs"]) +
        f"\n  {n_counting} of {learned.size} learned seeds count the bits that are on, as in the paper",
        figures={"rhw-parity-hidden": draw})


