"""Registered experiments: ``annhist run heat-cold`` and ``annhist run mp-compile --formula "..."``."""

from __future__ import annotations

from typing import Any

import numpy as np

from annhist.mcculloch_pitts.compiler import compile_formula
from annhist.mcculloch_pitts.evaluate import evaluate_formula
from annhist.mcculloch_pitts.formula import atoms_of, true_when_silent
from annhist.mcculloch_pitts.nets import heat_cold_illusion
from annhist.mcculloch_pitts.parser import parse_formula
from annhist.mcculloch_pitts.table import MAX_COLUMNS
from annhist.results import ExperimentResult, Option, register
from annhist.validation import check_random_state, short_repr

__all__ = ["heat_cold_experiment", "mp_compile_experiment", "HEAT_FORMULA", "COLD_FORMULA", "STIMULI"]

HEAT_FORMULA = "heat[t-1] or (cold[t-3] and not cold[t-2])"    # N3(t), McCulloch & Pitts 1943, Fig. 1e
COLD_FORMULA = "cold[t-2] and cold[t-1]"                       # N4(t)
STIMULI: dict[str, dict[str, list[int]]] = {
    "brief cold": {"heat": [0, 0, 0, 0, 0, 0, 0], "cold": [1, 0, 0, 0, 0, 0, 0]},
    "cold held 3 steps": {"heat": [0, 0, 0, 0, 0, 0, 0], "cold": [1, 1, 1, 0, 0, 0, 0]},
    "brief heat": {"heat": [1, 0, 0, 0, 0, 0, 0], "cold": [0, 0, 0, 0, 0, 0, 0]},
}


def _first(train: np.ndarray) -> int | None:
    hits = np.flatnonzero(train)
    return int(hits[0]) if hits.size else None


def heat_cold_experiment(seed: int = 0) -> ExperimentResult:
    """Fig. 1e on three stimuli; the hand-built net is checked against the paper's two formulas.

    The seed draws 200 random stimuli of 12 steps for the check; the three named stimuli are fixed.
    """
    from annhist.mcculloch_pitts.figures import plot_mp_net, plot_spike_raster

    net = heat_cold_illusion()
    rows = {}
    for name, stim in STIMULI.items():
        out = net.run(stim)
        rows[name] = {"feel_heat": out["feel_heat"].tolist(), "feel_cold": out["feel_cold"].tolist(),
                      "first_feel_heat": _first(out["feel_heat"]), "first_feel_cold": _first(out["feel_cold"])}
    rng = check_random_state(seed)
    agree = True
    for _ in range(200):
        stim = {"heat": rng.integers(0, 2, 12), "cold": rng.integers(0, 2, 12)}
        out = net.run(stim, steps=12)
        agree &= bool(np.array_equal(out["feel_heat"], evaluate_formula(HEAT_FORMULA, stim))
                      and np.array_equal(out["feel_cold"], evaluate_formula(COLD_FORMULA, stim)))
    brief = rows["brief cold"]
    report = "\n".join([
        "heat-cold: McCulloch & Pitts (1943), Fig. 1e -- a brief cold touch is felt as heat",
        f"  net: {len(net.neuron_names)} neurons (a, b, feel_heat, feel_cold), depth {net.depth}",
        *(f"  {name:<18} feel_heat {r['feel_heat']}  feel_cold {r['feel_cold']}" for name, r in rows.items()),
        f"  brief cold at t=0 -> felt as heat at t={brief['first_feel_heat']}, never felt as cold",
        f"  agrees with the paper's formulas on 200 random stimuli: {agree}",
    ])
    return ExperimentResult(
        experiment="heat-cold",
        settings={"seed": seed, "stimuli": STIMULI, "random_stimuli": 200, "random_length": 12},
        results={"stimuli": rows, "n_neurons": len(net.neuron_names), "depth": net.depth,
                 "agrees_with_formulas": agree},
        paper={"feel_heat": "N3(t) = N1(t-1) or [N2(t-3) and not N2(t-2)]",
               "feel_cold": "N4(t) = N2(t-2) and N2(t-1)",
               "claim": "a cold object held briefly to the skin is felt as hot"},
        notes="N1 = heat receptor, N2 = cold receptor; time in synaptic delays. The seed only drives the check.",
        report=report,
        figures={"heat-cold-net": lambda: plot_mp_net(net, show_labels=True, title="Fig. 1e: heat/cold illusion"),
                 "heat-cold-raster": lambda: plot_spike_raster(net.run(STIMULI["brief cold"]), inputs=("heat", "cold"),
                                                               highlight=("feel_heat",),
                                                               title="A brief cold pulse is felt as heat")},
    )


def mp_compile_experiment(seed: int = 0, formula: str = "(a and b) or (c and not d)") -> ExperimentResult:
    """Compile ``formula`` into a net; report its size, depth and truth table; check it on random inputs."""
    from annhist.mcculloch_pitts.figures import plot_mp_net, plot_spike_raster

    _check_formula(formula)
    net = compile_formula(formula)
    table = net.truth_table()
    expected = [int(v) for v in _table_expected(net, table.X)]
    rng = check_random_state(seed)
    stim = {name: rng.integers(0, 2, 16) for name in net.input_names}
    verdict = net.evaluate(stim)
    truth = evaluate_formula(net.tree, stim)
    lines = [f"mp-compile: {formula}", f"  {len(net.neuron_names)} neurons, {len(net.input_names)} input lines, "
             f"depth {net.depth} (out fires at t + {net.depth} iff the formula holds at t)"]
    lines += [f"  {r['neuron']:<6} threshold {r['threshold']}  excitatory {sorted(r['excitatory'])}  "
              f"inhibitory {sorted(r['inhibitory'])}  computes {r['computes']}" for r in net.describe()]
    lines += ["", *("  " + row for row in str(table).splitlines())]
    return ExperimentResult(
        experiment="mp-compile",
        settings={"seed": seed, "formula": formula, "random_length": 16},
        results={"n_neurons": len(net.neuron_names), "inputs": net.input_names, "depth": net.depth,
                 "neurons": net.describe(), "truth_table": {"columns": list(table.inputs),
                                                            "rows": table.X.tolist(), "out": table.Y[:, 0].tolist()},
                 "truth_table_matches_formula": table.Y[:, 0].tolist() == expected,
                 "random_inputs_match_formula": bool(np.array_equal(verdict, truth))},
        paper={"theorem": "II: every temporal propositional expression false on silence is realized by a net "
                          "without circles; III: one true on silence is not"},
        notes="Theorem II made executable; the seed draws the random input trains of the check.",
        report="\n".join(lines),
        figures={"mp-compile-net": lambda: plot_mp_net(net, show_labels=len(net.neuron_names) <= 6, title=formula),
                 "mp-compile-raster": lambda: plot_spike_raster(net.run(stim), inputs=net.input_names,
                                                                highlight=(net.output,), title=formula)},
    )


def _check_formula(formula: str) -> None:
    """Refuse, naming mp-compile's 'formula' option, a formula no 1943 net realizes (true on silence) and one
    whose truth table is too large to print; a malformed one is left to ``compile_formula``'s parser."""
    tree = parse_formula(formula, owner="compile_formula")
    if true_when_silent(tree):
        raise ValueError(f"The 'formula' option of mp-compile must be false when all its atoms are false: no net of "
                         f"McCulloch-Pitts neurons realizes one that is true on silence (McCulloch & Pitts 1943, "
                         f"Theorem III). Got {short_repr(formula)} instead. Outside the 1943 calculus, Python's "
                         f"annhist.mcculloch_pitts.compile_formula(formula, drive=True) adds an always-on input line.")
    n_atoms = len(atoms_of(tree))
    if n_atoms > MAX_COLUMNS:
        raise ValueError(f"The 'formula' option of mp-compile must have at most {MAX_COLUMNS} distinct atoms (its "
                         f"truth table has 2**atoms rows). Got {n_atoms} atoms in {short_repr(formula)} instead.")


def _table_expected(net: Any, X: np.ndarray) -> np.ndarray:
    """The formula itself on each truth-table row (atoms at their delays, formula time K)."""
    K = max(a.delay for a in net.atoms)
    out = []
    for row in X:
        trains = {name: np.zeros(K + 1, dtype=int) for name in net.input_names}
        for atom, v in zip(net.atoms, row):
            trains[atom.name][K - atom.delay] = v
        out.append(evaluate_formula(net.tree, trains)[K])
    return np.array(out)


register("heat-cold", module="mcculloch_pitts",
         summary="McCulloch & Pitts 1943, Fig. 1e: a brief cold touch felt as heat, with the timing diagram.")(
    heat_cold_experiment)
register("mp-compile", module="mcculloch_pitts",
         summary="Compile a temporal propositional expression into a McCulloch-Pitts net (Theorem II).",
         options=(Option("formula", str, "(a and b) or (c and not d)",
                         "the formula: and, or, not, parentheses, atoms x or x[t-k]"),))(mp_compile_experiment)
