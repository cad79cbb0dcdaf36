"""Registered experiments: ``annhist run elman-xor``, ``lstm-reber``, ``lstm-long-lag`` and ``rnn-vanishing``.

Each trains several independent nets side by side (one numpy loop, a leading axis of trials).
Defaults are sized to run in seconds to a minute on two cores; the papers' full settings are one
option away (``--epochs 600`` for Elman; ``--trials 30 --max-sequences 100000`` for the Reber grammar,
``--trials 18`` for Task 2a) and the
report says which ran.
"""

from __future__ import annotations

import numbers

import numpy as np

from annhist.layers import MAX_WEIGHTS
from annhist.recurrent.checks import MAX_CHUNK
from annhist.recurrent.lags import error_flows, lag_trial_numbers, train_lstm_lag, train_rnn_lag
from annhist.recurrent.lstm import count_weights
from annhist.recurrent.reber import train_reber
from annhist.recurrent.srn import run_elman, train_elman
from annhist.recurrent.tasks import MAX_LAG, temporal_xor
from annhist.results import ExperimentResult, Option, plural, register
from annhist.validation import check_scalar

__all__ = ["PAPER_ELMAN", "PAPER_LAGS", "PAPER_REBER", "elman_xor", "lstm_long_lag", "lstm_reber", "rnn_vanishing",
           "MAX_TRIALS", "MAX_PASSES", "MAX_SEQUENCES", "MAX_BLOCKS", "MAX_BLOCK_SIZE", "MAX_TESTS", "MAX_ETA"]

PAPER_ELMAN = {"stream_bits": 3000, "passes": 600, "hidden": 2, "context": 2, "context_init": 0.5,
               "claim": "error drops at those points where a correct prediction is possible (every third bit)"}
PAPER_REBER = [  # Hochreiter & Schmidhuber (1997), Table 1, LSTM rows (means of 30 trials)
    {"blocks": 4, "size": 1, "weights": 264, "eta": 0.1, "success": 1.00, "sequences": 39740},
    {"blocks": 3, "size": 2, "weights": 276, "eta": 0.1, "success": 1.00, "sequences": 21730},
    {"blocks": 3, "size": 2, "weights": 276, "eta": 0.2, "success": 0.97, "sequences": 14060},
    {"blocks": 4, "size": 1, "weights": 264, "eta": 0.5, "success": 0.97, "sequences": 9500},
    {"blocks": 3, "size": 2, "weights": 276, "eta": 0.5, "success": 1.00, "sequences": 8440},
]
PAPER_LAGS = {"rtrl_p4_success": 0.78, "rtrl_p4_sequences": 1043000, "rtrl_p10_success": 0.0,
              "bptt_p100_success": 0.0, "lstm_p100_success": 1.0, "lstm_p100_sequences": 5040,
              "budget_sequences": 5_000_000}

#: The most nets of an experiment, trained side by side: 33 times the papers' most (30 trials on the Reber
#: grammar, 18 on Task 2a). Time grows with them: 1000 Elman nets make 100 passes in about a minute.
MAX_TRIALS = 1000
#: The most passes of elman-xor through its 3,000-bit stream: 17 times Elman's 600 (some 8 minutes for 6 nets;
#: one MSE per pass and net is kept, 80 MB for 1000 nets).
MAX_PASSES = 10_000
#: The most training sequences of a trial: the 1997 paper's budget (a trial not solved within 5,000,000 failed).
MAX_SEQUENCES = PAPER_LAGS["budget_sequences"]
#: The most memory cell blocks, and cells per block, of lstm-reber: four and eight times the paper's (4 blocks of
#: 1 cell, 3 of 2: 264 and 276 weights); 16 blocks of 16 cells have 86,784 weights a net.
MAX_BLOCKS = MAX_BLOCK_SIZE = 16
#: The most success tests of an lstm-reber run, ``max_sequences / eval_every``: the learning curve keeps a number
#: per test and goes into the results (the paper's 100,000 sequences tested every 100 make 1,000).
MAX_TESTS = 100_000
#: The largest learning rate (the papers' are 0.1 to 0.5): every weight change hundreds of times the error
#: gradient, and the nets learn nothing (1e12 was accepted).
MAX_ETA = 100.0


def _check_counts(owner: str, **counts: tuple[int, int]) -> None:
    """Each count ``name=(value, most)`` an int from 1 to ``most`` (a delay from 2)."""
    for name, (value, most) in counts.items():
        check_scalar(value, name, owner=owner, kind=numbers.Integral, min_val=2 if name == "delay" else 1,
                     max_val=most)


def _check_lag_trials(owner: str, trials: int, delay: int, delay_name: str) -> None:
    """``trials`` Task 2a nets at ``delay``: at most ``MAX_WEIGHTS`` numbers in all (train_lstm_lag's bound)."""
    if trials * lag_trial_numbers(delay) > MAX_WEIGHTS:
        raise ValueError(f"The 'trials' and '{delay_name}' parameters of {owner} ask for {trials} nets of "
                         f"{lag_trial_numbers(delay):,} numbers each at delay {delay}; at most {MAX_WEIGHTS:,} in all. "
                         f"Got trials={trials} and {delay_name}={delay} instead.")


def _phase_rms(sq: np.ndarray) -> np.ndarray:
    """RMS error by the target's place in its triple (0, 1: random bits; 2: the XOR bit)."""
    return np.sqrt(np.stack([sq[:, k::3].mean(axis=1) for k in range(3)], axis=1))   # (K, 3)


@register("elman-xor", module="recurrent",
          summary="Elman 1990: a 1-2-1 SRN with 2 context units predicts the next bit of the temporal XOR stream.",
          options=(Option("epochs", int, 100, "passes through the 3,000-bit stream (the paper: 600)", min_value=1,
                          max_value=MAX_PASSES),
                   Option("eta", float, 0.5, "learning rate (not stated in the paper)", min_value=1e-12,
                          max_value=MAX_ETA),
                   Option("trials", int, 6, "independent nets, each on its own stream", min_value=1,
                          max_value=MAX_TRIALS)))
def elman_xor(seed: int = 0, epochs: int = 100, eta: float = 0.5, trials: int = 6) -> ExperimentResult:
    """Train SRNs as Elman did; test on fresh streams; the error by place in the triple."""
    rng = np.random.default_rng(seed)
    streams = np.stack([temporal_xor(1000, rng) for _ in range(trials)])[..., None]      # (K, 3000, 1)
    p, history = train_elman(streams[:, :-1], streams[:, 1:], n_hidden=2, eta=eta, epochs=epochs,
                             init=0.5, random_state=rng)
    test = np.stack([temporal_xor(1201, rng) for _ in range(trials)])[..., None]        # 1,200 cycles
    run = run_elman(p, test[:, :-1])
    sq = (run["output"][..., 0] - test[:, 1:, 0]) ** 2                                    # (K, T)
    sq = sq[:, 2:]                        # start at a target that is a triple's first bit
    rms = _phase_rms(sq)
    lowest = rms.argmin(axis=1) == 2
    first12 = np.sqrt(sq[:, :12 * 300].reshape(trials, 300, 12).mean(axis=1))           # Fig. 3 layout
    results = {"rms_by_phase": rms.tolist(), "mean_rms_by_phase": rms.mean(axis=0).tolist(),
               "xor_bit_lowest_error": int(lowest.sum()), "trials": trials,
               "all_trials_lowest_on_xor_bit": bool(lowest.all()),
               "rms_12_steps": first12.mean(axis=0).tolist(), "final_mse": history[-1].tolist()}
    full = ("the paper's 600 passes" if epochs >= 600
            else f"{plural(epochs, 'pass', 'passes')} (the paper: 600; --epochs 600)")
    report = "\n".join([
        f"elman-xor: {plural(trials, 'SRN')} (1 input, 2 hidden, 2 context, 1 output), eta={eta:g}, {full}",
        "  RMS error predicting   bit 1     bit 2     XOR bit",
        *(f"  trial {k:<15} {r[0]:8.3f}  {r[1]:8.3f}  {r[2]:8.3f}" for k, r in enumerate(rms)),
        f"  trials whose error is lowest on the XOR bit: {int(lowest.sum())} of {trials}",
        "  paper (Fig. 3): the error falls at every third bit, where a correct prediction is possible"])
    from annhist.recurrent import figures

    return ExperimentResult(
        experiment="elman-xor",
        settings={"seed": seed, "epochs": epochs, "eta": eta, "trials": trials, "stream_bits": 3000,
                  "n_hidden": 2, "init": 0.5, "context_init": 0.5, "test_cycles": 1200,
                  "learning": "one step of backprop per bit; context = copy of hidden (not differentiated)"},
        results=results, paper=PAPER_ELMAN,
        notes="Elman (1990) does not give the learning rate or the initial weights; eta=0.5 and "
              "uniform [-0.5, 0.5] are our choices.",
        report=report,
        figures={"elman-xor-error": lambda: figures.plot_elman_error(first12, rms)},
    )


@register("lstm-reber", module="recurrent",
          summary="Hochreiter & Schmidhuber 1997, Exp. 1: LSTM (3 blocks of 2 cells) learns the embedded "
                  "Reber grammar.",
          options=(Option("trials", int, 6, "independent nets (the paper: 30)", min_value=1, max_value=MAX_TRIALS),
                   Option("eta", float, 0.5, "learning rate (the paper: 0.1, 0.2, 0.5)", min_value=1e-12,
                          max_value=MAX_ETA),
                   Option("blocks", int, 3, "memory cell blocks (3 or 4)", min_value=1, max_value=MAX_BLOCKS),
                   Option("block_size", int, 2, "cells per block (2 or 1)", min_value=1, max_value=MAX_BLOCK_SIZE),
                   Option("max_sequences", int, 10000, "training sequences before a trial counts as failed",
                          min_value=1, max_value=MAX_SEQUENCES),
                   Option("eval_every", int, 100, "sequences between success tests", min_value=1,
                          max_value=MAX_CHUNK),
                   Option("targets", str, "next", "'next' (the next symbol, as the paper says) or 'allowed' "
                                                  "(every possible next symbol on)", choices=("next", "allowed"))))
def lstm_reber(seed: int = 0, trials: int = 6, eta: float = 0.5, blocks: int = 3, block_size: int = 2,
               max_sequences: int = 10000, eval_every: int = 100, targets: str = "next") -> ExperimentResult:
    """Experiment 1 at the paper's settings (row chosen by blocks/size/eta), fewer trials by default.

    ``trials * eval_every <= MAX_CHUNK`` sequences drawn at once, ``max_sequences <= MAX_TESTS * eval_every``."""
    _check_counts("lstm_reber", trials=(trials, MAX_TRIALS), eval_every=(eval_every, MAX_CHUNK),
                  max_sequences=(max_sequences, MAX_SEQUENCES))
    if trials * eval_every > MAX_CHUNK:
        raise ValueError(f"The 'trials' and 'eval_every' parameters of lstm_reber ask for {trials * eval_every:,} "
                         f"sequences drawn at once; at most {MAX_CHUNK:,}. Got {trials} and {eval_every} instead.")
    if max_sequences > MAX_TESTS * eval_every:
        raise ValueError(f"The 'max_sequences' and 'eval_every' parameters of lstm_reber ask for up to "
                         f"{-(-max_sequences // eval_every):,} success tests; at most {MAX_TESTS:,}. "
                         f"Got {max_sequences} and {eval_every} instead.")
    out = train_reber(n_trials=trials, n_blocks=blocks, block_size=block_size, eta=eta,
                      max_sequences=max_sequences, eval_every=eval_every, targets=targets, random_state=seed)
    seqs = out["sequences"]
    solved = seqs[~np.isnan(seqs)]
    row = next((r for r in PAPER_REBER if (r["blocks"], r["size"], r["eta"]) == (blocks, block_size, eta)), None)
    results = {"success_rate": float(out["success"].mean()), "successes": int(out["success"].sum()),
               "trials": trials, "mean_sequences_successful": float(solved.mean()) if solved.size else None,
               "sequences": seqs.tolist(), "weights": count_weights(out["spec"]), "curve": out["curve"],
               "symbol_accuracy": out["symbol_accuracy"].tolist(),
               "before_last_accuracy": out["before_last_accuracy"].tolist(),
               "mean_symbol_accuracy": float(out["symbol_accuracy"].mean()),
               "mean_before_last_accuracy": float(out["before_last_accuracy"].mean())}
    ran = "paper's 30 trials" if trials >= 30 else f"{plural(trials, 'trial')} (the paper: 30; --trials 30)"
    report = "\n".join([
        (f"lstm-reber: {blocks} blocks of {block_size} cells ({results['weights']} weights), eta={eta:g}, {ran}, "
         f"at most {max_sequences:,} sequences each, targets={targets}"),
        (f"  ours : {results['successes']} of {trials} succeeded"
         + (f", mean {results['mean_sequences_successful']:,.0f} sequences" if solved.size else "")),
        (f"  after training: {results['mean_symbol_accuracy']:.1%} of all predictions right, "
         f"{results['mean_before_last_accuracy']:.1%} of the symbol before last (needs the 2nd symbol)"),
        f"  paper: {row['success']:.0%} of 30, mean {row['sequences']:,} sequences" if row else
        "  paper: no row of Table 1 with these settings"])
    from annhist.recurrent import figures

    return ExperimentResult(
        experiment="lstm-reber",
        settings={"seed": seed, "trials": trials, "eta": eta, "blocks": blocks, "block_size": block_size,
                  "max_sequences": max_sequences, "eval_every": eval_every, "train_strings": 256,
                  "test_strings": 256, "set_pairs": 3, "init": 0.2, "output_gate_bias": [-(b + 1) for b in
                                                                                      range(blocks)],
                  "learning": "1997 truncated gradient, weights changed every step", "targets": targets},
        results=results, paper={"table1": PAPER_REBER, "row": row},
        notes="Success: every next symbol of all 256 training and 256 test strings among the most active "
              "outputs. Tested every eval_every sequences for trials that made no mistake while learning.",
        report=report,
        figures={"lstm-reber-curve": lambda: figures.plot_reber_curve(out["curve"], eval_every, row)},
    )


@register("rnn-vanishing", module="recurrent",
          summary="Hochreiter 1991 / Bengio et al. 1994: error flow against lag; plain RNN vs LSTM on Task 2a delays.",
          options=(Option("delays", str, "4,10,20", "Task 2a delays p, comma-separated (the paper: 4, 10, 100)"),
                   Option("trials", int, 4, "nets per delay and method (the paper: 18)", min_value=1,
                          max_value=MAX_TRIALS),
                   Option("max_sequences", int, 3000, "sequences per trial, in blocks of 200 (the paper: 5,000,000)",
                          min_value=1, max_value=MAX_SEQUENCES)))
def rnn_vanishing(seed: int = 0, delays: str = "4,10,20", trials: int = 4,
                  max_sequences: int = 3000) -> ExperimentResult:
    """Measure the error flow; then train both nets on growing delays and count successes."""
    want = f"The 'delays' option of rnn-vanishing must be comma-separated ints from 2 to {MAX_LAG}."
    try:
        ps = [int(d) for d in delays.split(",")]
    except ValueError:
        raise ValueError(f"{want} Got {delays!r} instead.") from None
    if not ps or min(ps) < 2 or max(ps) > MAX_LAG:                        # 1000000 was a MemoryError
        raise ValueError(f"{want} Got {delays!r} instead.")
    _check_counts("rnn_vanishing", trials=(trials, MAX_TRIALS), max_sequences=(max_sequences, MAX_SEQUENCES))
    _check_lag_trials("rnn_vanishing", trials, max(ps), "delays")
    flows = error_flows(seed)
    rows = []
    for p in ps:
        rnn = train_rnn_lag(p, n_trials=trials, max_sequences=max_sequences, random_state=seed)
        lstm = train_lstm_lag(p, n_trials=trials, max_sequences=max_sequences, random_state=seed)
        rows.append({"delay": p, "rnn_success": float(rnn["success"].mean()),
                     "lstm_success": float(lstm["success"].mean()),
                     "lstm_mean_sequences": float(np.nanmean(lstm["sequences"])) if lstm["success"].any() else None,
                     "rnn_mean_sequences": float(np.nanmean(rnn["sequences"])) if rnn["success"].any() else None})
    ratio = {k: float(v[min(40, len(v) - 1)] / v[0]) for k, v in flows.items()}
    results = {"error_flow": {k: v.tolist() for k, v in flows.items()}, "flow_ratio_lag40": ratio, "lags": rows,
               "vanishes_radius_0.5": ratio["tanh W_hh radius 0.5"] < 1e-6,
               "delays_only_lstm_solves": [r["delay"] for r in rows if r["lstm_success"] > 0 and r["rnn_success"] == 0],
               "lstm_never_worse_and_sometimes_better": (all(r["lstm_success"] >= r["rnn_success"] for r in rows)
                                                         and any(r["lstm_success"] > r["rnn_success"] for r in rows))}
    report = "\n".join([
        "rnn-vanishing: error flow |dE/dnet(t-q)| / |dE/dnet(t)| at q = 40",
        *(f"  {k:<36} {v:10.3g}" for k, v in ratio.items()),
        f"Task 2a, {plural(trials, 'trial')} per cell, at most {max_sequences:,} sequences (the paper: 5,000,000):",
        "  delay p   plain RNN (BPTT)   LSTM (1997 rule)",
        *(f"  {r['delay']:7d}   {r['rnn_success']:16.0%}   {r['lstm_success']:16.0%}"
          + (f"  (mean {r['lstm_mean_sequences']:,.0f} sequences)" if r["lstm_mean_sequences"] else "")
          for r in rows),
        "  paper: RTRL 78% at p=4 (1,043,000 sequences), 0% at p=10; LSTM 100% at p=100 (5,040)"])
    from annhist.recurrent import figures

    return ExperimentResult(
        experiment="rnn-vanishing",
        settings={"seed": seed, "delays": ps, "trials": trials, "max_sequences": max_sequences,
                  "rnn": "4 logistic hidden units + direct input-output connections, BPTT, eta=1.0, per sequence",
                  "lstm": "1 cell with an input gate, no output gate, g logistic, h identity (the paper's Task 2a "
                          "cell) + direct input-output connections, 1997 rule, eta=1.0, per step"},
        results=results, paper=PAPER_LAGS,
        notes="The paper's RTRL net had 1 hidden unit; its LSTM cell was added by sequential construction "
              "once the error stopped decreasing. Ours are the fixed nets in the settings.",
        report=report,
        figures={"rnn-error-flow": lambda: figures.plot_error_flow(flows),
                 "rnn-lag-success": lambda: figures.plot_lag_success(rows)},
    )


@register("lstm-long-lag", module="recurrent",
          summary="Hochreiter & Schmidhuber 1997, Exp. 2a: LSTM bridges a time lag of 100 steps (Task 2a).",
          options=(Option("delay", int, 100, "time lag p (the paper: 100 for LSTM)", min_value=2, max_value=MAX_LAG),
                   Option("trials", int, 4, "independent nets (the paper: 18)", min_value=1, max_value=MAX_TRIALS),
                   Option("max_sequences", int, 8000, "training sequences before a trial counts as failed, in "
                                                      "blocks of 200 (the paper's budget: 5,000,000)", min_value=1,
                          max_value=MAX_SEQUENCES),
                   Option("construction", str, "sequential", "'sequential' (the paper: the cell is added when "
                                                             "the error stops decreasing) or 'fixed'",
                          choices=("sequential", "fixed"))))
def lstm_long_lag(seed: int = 0, delay: int = 100, trials: int = 4, max_sequences: int = 8000,
                  construction: str = "sequential") -> ExperimentResult:
    """Task 2a at the paper's lag: one memory cell (input gate only), the 1997 rule, eta = 1.0.

    ``trials * lag_trial_numbers(delay)`` is at most ``MAX_WEIGHTS`` numbers."""
    _check_counts("lstm_long_lag", delay=(delay, MAX_LAG), trials=(trials, MAX_TRIALS),
                  max_sequences=(max_sequences, MAX_SEQUENCES))
    _check_lag_trials("lstm_long_lag", trials, delay, "delay")
    out = train_lstm_lag(delay, n_trials=trials, max_sequences=max_sequences, construction=construction,
                         random_state=seed)
    seqs, added = out["sequences"], out["cell_added_at"][~np.isnan(out["cell_added_at"])]
    solved = seqs[~np.isnan(seqs)]
    results = {"success_rate": float(out["success"].mean()), "successes": int(out["success"].sum()),
               "trials": trials, "sequences": seqs.tolist(), "cell_added_at": out["cell_added_at"].tolist(),
               "mean_sequences_successful": float(solved.mean()) if solved.size else None}
    paper = {"delay": 100, "success": PAPER_LAGS["lstm_p100_success"], "sequences": PAPER_LAGS["lstm_p100_sequences"],
             "trials": 18, "bptt_p100_success": PAPER_LAGS["bptt_p100_success"]}
    report = "\n".join([
        f"lstm-long-lag: Task 2a, p = {delay}, {plural(trials, 'trial')} (the paper: 18), at most "
        f"{max_sequences:,} sequences each, construction={construction}",
        f"  ours : {results['successes']} of {trials} solved"
        + (f", mean {results['mean_sequences_successful']:,.0f} sequences" if solved.size else "")
        + (f" (cell added after {added.mean():,.0f} on average)" if added.size else " (no cell was added)"),
        f"  paper: LSTM 100% at p = 100, mean {paper['sequences']:,} sequences; BPTT 0%, RTRL 0% from p = 10"])
    return ExperimentResult(
        experiment="lstm-long-lag",
        settings={"seed": seed, "delay": delay, "trials": trials, "max_sequences": max_sequences,
                  "construction": construction, "eta": 1.0, "init": 0.2, "eval_every": 200, "tol": 0.01,
                  "net": "1 cell, input gate only, g logistic, h identity, direct input-output connections",
                  "learning": "1997 truncated gradient, weights changed every step"},
        results=results, paper=paper,
        notes="Success: every output within 0.25 of its target at every step of both sequences, tested "
              "every 200 sequences. The cell is added when the error on the two sequences falls by less "
              "than 1% over 200 sequences.",
        report=report)
