"""Registered experiments: ``annhist run hopfield-recall``, ``hopfield-capacity``, ``boltzmann-encoder``."""

from __future__ import annotations

import numbers

import numpy as np

from annhist.datasets.glyphs import letters_10x10
from annhist.hopfield.capacity import (
    capacity_at,
    capacity_curve,
    recall_statistics,
    spurious_statistics,
)
from annhist.hopfield.encoder import train_encoders
from annhist.hopfield.network import Hopfield
from annhist.layers import MAX_WEIGHTS
from annhist.results import ExperimentResult, Option, register
from annhist.validation import check_random_state, check_scalar

__all__ = ["boltzmann_encoder_experiment", "hopfield_capacity_experiment", "hopfield_recall_experiment",
           "MAX_CAPACITY_TRIALS", "MAX_MACHINES", "MAX_CYCLES", "MAX_CHAINS", "MAX_MACHINE_CHAINS"]

#: The most nets per load in hopfield-capacity (Hopfield 1982 does not say how many he ran): the default 40 take
#: 2 seconds, this about a minute; its largest array, 1000 nets of 200 units for the spurious states, is 320 MB of
#: weights (from 3,356 on those nets pass annhist.layers.MAX_WEIGHTS).
MAX_CAPACITY_TRIALS = 1000
#: The most Boltzmann machines trained at once: 40 times the paper's 250 runs (the default 40 machines, 500 cycles
#: and 5 chains take 4 seconds; time grows with machines x cycles x chains).
MAX_MACHINES = 10_000
#: The most learning cycles: about 1,000 times the paper's median of 110 (some 15 minutes at the other defaults).
MAX_CYCLES = 100_000
#: The most annealings per pattern and phase behind each statistic (the default 5; 1000 take some 15 minutes).
MAX_CHAINS = 1000
#: Each machine anneals ``4 patterns x chains`` states of 11 units at once: ``machines * chains`` at most this (the
#: bound :func:`~annhist.hopfield.boltzmann.check_cycle` sets, annhist.layers.MAX_WEIGHTS numbers, 1 GB).
MAX_MACHINE_CHAINS = MAX_WEIGHTS // (4 * 11)

HOPFIELD_1982 = {"capacity": "about 0.15 N states can be remembered before error in recall is severe",
                 "n100_n15": "N = 100, 15 memories: about half recalled with fewer than 5 errors"}
AGS_1985 = {"alpha_c": 0.138, "abstract": "associative memory for alpha < alpha_c, alpha_c ~ 0.14"}


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _noisy(x: np.ndarray, n_flips: int, rng: np.random.Generator) -> np.ndarray:
    out = x.copy()
    idx = rng.choice(x.size, size=n_flips, replace=False)
    out[idx] = -out[idx]
    return out


@register("hopfield-recall", module="hopfield",
          summary="Hopfield 1982: letters on a 10x10 retina recalled from noisy copies; the energy never rises.",
          options=(Option("flips", int, 15, "units flipped in each noisy copy (of 100)", min_value=0, max_value=100),))
def hopfield_recall_experiment(seed: int = 0, flips: int = 15) -> ExperimentResult:
    """Store H, T, L, X; recall each from a copy with ``flips`` units reversed (asynchronous updates).

    ``flips``: an int from 0 to 100, the letters' units (more was clamped to 100, 2.5 truncated to 2).
    """
    from annhist.hopfield.figures import plot_energy_descent, plot_recall

    flips = int(check_scalar(flips, "flips", owner="hopfield_recall_experiment", kind=numbers.Integral, min_val=0,
                             max_val=100))
    rng = check_random_state(seed)
    X = letters_10x10("HTLX")
    net = Hopfield(n_units=100, update="async", random_state=seed).store(X)
    noisy = np.array([_noisy(x, flips, rng) for x in X])
    runs = [net.recall(s, steps=20) for s in noisy]
    finals = np.array([r[-1] for r in runs])
    energies = [net.energy(r).tolist() for r in runs]
    never_rises = all(np.all(np.diff(e) <= 1e-12) for e in energies)
    recalled = [bool(np.array_equal(f, x)) for f, x in zip(finals, X)]
    report = "\n".join([f"hopfield-recall: letters HTLX on a 10x10 retina, {flips} of 100 units flipped",
                        *(f"  {c}: recalled {ok}, {len(r) - 1} sweeps, energy {e[0]:.2f} -> {e[-1]:.2f}"
                          for c, ok, r, e in zip("HTLX", recalled, runs, energies)),
                        f"  energy never rose: {never_rises}"])
    return ExperimentResult(
        experiment="hopfield-recall", settings={"seed": seed, "letters": "HTLX", "n_units": 100, "flips": flips},
        results={"recalled": recalled, "sweeps": [len(r) - 1 for r in runs], "energies": energies,
                 "energy_never_rises": never_rises},
        paper={"claim": "a content-addressable memory yields an entire memory from any subpart of sufficient size"},
        notes="Hebb's outer-product weights (1/N, zero diagonal); asynchronous updates in random order.",
        report=report,
        figures={"hopfield-recall": lambda: plot_recall(X, noisy, finals, labels="HTLX"),
                 "hopfield-energy": lambda: plot_energy_descent(net, noisy[0], random_state=seed)})


@register("hopfield-capacity", module="hopfield",
          summary="Storage capacity by simulation against Hopfield 1982 (~0.15 N) and Amit et al. 1985 (0.138 N).",
          options=(Option("trials", int, 40, "independent nets per load (N = 100)", min_value=1,
                          max_value=MAX_CAPACITY_TRIALS),))
def hopfield_capacity_experiment(seed: int = 0, trials: int = 40) -> ExperimentResult:
    """Capacity curves at N = 100 (+-1 and Hopfield's 0/1 coding) and N = 400; spurious states."""
    from annhist.hopfield.figures import plot_capacity

    check_scalar(trials, "trials", owner="hopfield_capacity_experiment", kind=numbers.Integral, min_val=1,
                 max_val=MAX_CAPACITY_TRIALS)        # the nets of 200 units are made after the other curves
    rng = check_random_state(seed)
    loads = list(range(2, 31, 2))
    pm1 = capacity_curve(100, loads, trials, rng)
    zero_one = capacity_curve(100, [5, 10, 15, 20], trials, rng, coding="01")
    big = capacity_curve(400, [40, 48, 56, 64, 72, 80], max(1, trials // 10), rng)
    n15 = recall_statistics(100, 15, trials, rng)
    spurious = spurious_statistics(200, 5, trials, rng)
    results = {"n100": pm1, "n100_zero_one": zero_one, "n400": big,
               "alpha_half_recalled_n100": capacity_at(pm1), "alpha_half_recalled_n400": capacity_at(big),
               "alpha_half_recalled_n100_zero_one": capacity_at(zero_one),
               "recalled_n100_p15": n15["recalled"], "recalled_n100_p15_zero_one": zero_one["recalled"][2],
               "spurious_n200_p5": spurious}
    report = "\n".join([
        "hopfield-capacity: random +-1 patterns, Hebb's rule, asynchronous recall from each stored pattern",
        (f"  N=100, 15 patterns: {n15['recalled']:.2f} recalled with < 5 errors; with Hopfield's 0/1 units "
         f"{results['recalled_n100_p15_zero_one']:.2f} (Hopfield 1982: about half)"),
        (f"  load where half are recalled: N=100 {results['alpha_half_recalled_n100']:.3f}, "
         f"N=400 {results['alpha_half_recalled_n400']:.3f}; Hopfield's 0/1 units, N=100: "
         f"{results['alpha_half_recalled_n100_zero_one']:.3f}  (Amit et al. 1985: 0.138 as N -> infinity)"),
        (f"  spurious (N=200, 5 patterns): reversed pattern stable iff pattern stable: "
         f"{spurious['reversed_stable_iff_pattern_stable']:.2f}; 3-mixtures stable: "
         f"{spurious['mixture_stable']:.2f}, overlaps {np.round(spurious['mixture_overlaps'], 2).tolist()}")])
    return ExperimentResult(
        experiment="hopfield-capacity", settings={"seed": seed, "trials_n100": trials,
                                                  "trials_n400": max(1, trials // 10), "max_errors": 5},
        results=results, paper={"hopfield1982": HOPFIELD_1982, "amit1985": AGS_1985},
        notes="Each trial is a fresh net; all trials and start states of a load run in one array. 'Recalled': "
              "the fixed point reached from the pattern differs from it in fewer than 5 units.",
        report=report, figures={"hopfield-capacity": lambda: plot_capacity(results)})


@register("boltzmann-encoder", module="hopfield",
          summary="Ackley, Hinton & Sejnowski 1985: the 4-2-4 encoder learned by a Boltzmann machine.",
          options=(Option("machines", int, 40, "independent machines trained at once", min_value=1,
                          max_value=MAX_MACHINES),
                   Option("cycles", int, 500, "learning cycles", min_value=1, max_value=MAX_CYCLES),
                   Option("chains", int, 5, "annealings per pattern (and per phase) behind each statistic",
                          min_value=1, max_value=MAX_CHAINS)))
def boltzmann_encoder_experiment(seed: int = 0, machines: int = 40, cycles: int = 500,
                                 chains: int = 5) -> ExperimentResult:
    """Train ``machines`` 4-2-4 encoders from zero weights; how many find a good code, and when?

    ``machines`` x ``chains`` is at most ``MAX_MACHINE_CHAINS``.
    """
    from annhist.hopfield.figures import plot_encoder

    own = "boltzmann_encoder_experiment"
    for name, value, most in (("machines", machines, MAX_MACHINES), ("cycles", cycles, MAX_CYCLES),
                              ("chains", chains, MAX_CHAINS)):
        check_scalar(value, name, owner=own, kind=numbers.Integral, min_val=1, max_val=most)
    if machines * chains > MAX_MACHINE_CHAINS:
        raise ValueError(f"The 'machines' and 'chains' parameters of {own} must have a product <= "
                         f"{MAX_MACHINE_CHAINS:,} (each machine anneals 4 x chains states at once). "
                         f"Got {machines} x {chains} instead.")
    rng = check_random_state(seed)
    out = train_encoders(machines, cycles, rng, n_chains=chains)
    first = out["first_good"]
    found = first > 0
    results = {"found_good_code": float(np.mean(found)), "good_at_end": float(np.mean(out["good_at_end"])),
               "median_cycles_to_good_code": float(np.median(first[found])) if found.any() else None,
               "kept_good_code": float(np.mean(out["good_fraction"][found])) if found.any() else None,
               "largest_weight": float(np.max(np.abs(out["weights"]))), "first_good": first.tolist()}
    report = "\n".join([
        (f"boltzmann-encoder: {machines} machines, {cycles} learning cycles, schedule 2@20 2@15 2@12 4@10, "
         "statistics 10 time units at T=10, weight steps of 2, noisy clamping 0.15/0.05"),
        (f"  found a good code (4 distinct hidden codes, V2 = V1): {results['found_good_code']:.2f} of machines; "
         f"median first cycle {results['median_cycles_to_good_code'] or '-'}"),
        (f"  good code after the last cycle: {results['good_at_end']:.2f}; after finding one, machines had it at "
         f"{_fmt(results['kept_good_code'])} of the later tests; largest |w| {results['largest_weight']:.0f}"),
        "  paper (as reported): a global minimum in all 250 runs, median 110 learning cycles"])
    return ExperimentResult(
        experiment="boltzmann-encoder", settings={"seed": seed, "machines": machines, "cycles": cycles,
                                                  "chains_per_pattern": chains, "check_every": 10},
        results=results,
        paper={"runs": 250, "found_global_minimum": 250, "median_learning_cycles": 110},
        notes=(f"Chosen where the paper was not available to us: {chains} annealings per pattern in each phase "
               "(--chains), a time unit = one sweep in random order, zero initial weights, V1-V1, V2-V2, H-H and "
               "V-H links, tested every 10 cycles."),
        report=report, figures={"boltzmann-encoder": lambda: plot_encoder(out)})
