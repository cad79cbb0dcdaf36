"""The published numbers annhist recomputes: one :class:`Claim` per number, with its source.

Each claim names a number from a primary source (its citation key in ``book/references.bib``),
the registered experiment that recomputes it, the path of the value in that experiment's
``to_dict()["results"]`` and how to judge the two. :mod:`annhist.experiments.reproductions`
runs the experiments and builds the "What we reproduced" page from these claims.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from annhist.buildkeys import PAGE_RUNS

__all__ = ["Claim", "CLAIMS", "CHAPTER_RUNS", "PAGE_RUNS"]


@dataclass(frozen=True)
class Claim:
    """One published number and how annhist recomputes it.

    ``check`` judges annhist's value against the paper's: ``"equal"`` (exactly), ``"close"``
    (relative tolerance ``tol``), ``"at_most"`` / ``"at_least"`` (annhist's value must not
    exceed / fall below the paper's), ``"true"`` (annhist's value must be true) or
    ``"report"`` (the values differ by design; the note says why). ``on_data`` names the
    data set of the paper's value when the value depends on the data (e.g. ``"USPS"``).
    ``design`` marks a value the reconstruction is built from (a machine's published dimensions,
    the rule as the paper states it): meeting it checks annhist's code, not a result of the paper,
    and the page says *built in* instead of *reproduced*.
    """

    source: str                     # citation key in book/references.bib
    quantity: str
    paper: Any
    experiment: str
    key: str                        # dotted path inside to_dict()["results"]
    check: str = "equal"
    tol: float = 0.0
    options: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    on_data: str = ""
    design: bool = False


CLAIMS: tuple[Claim, ...] = (
    Claim("mcculloch1943", "Fig. 1e: a brief cold pulse at t=0 is felt as heat at t", 3, "heat-cold",
          "stimuli.brief cold.first_feel_heat",
          note="N3(t) = N1(t-1) or [N2(t-3) and not N2(t-2)]"),
    Claim("mcculloch1943", "Fig. 1e: the brief cold pulse is felt as cold at t", None, "heat-cold",
          "stimuli.brief cold.first_feel_cold", note="never: N4(t) = N2(t-2) and N2(t-1)"),
    Claim("mcculloch1943", "Fig. 1e: cold held 3 steps is first felt as cold at t", 2, "heat-cold",
          "stimuli.cold held 3 steps.first_feel_cold"),
    Claim("mcculloch1943", "Fig. 1e: heat at t=0 is felt as heat at t", 1, "heat-cold",
          "stimuli.brief heat.first_feel_heat"),
    Claim("novikoff1962", "corrections <= (R/gamma)^2 on every separable data set (60 random sets)", True,
          "novikoff", "all_within_bound", check="true"),
    Claim("novikoff1962", "largest corrections / (R/gamma)^2 over the 60 sets", 1.0, "novikoff",
          "max_updates_over_bound", check="at_most", note="the bound is an upper bound; 1 would be tight"),
    Claim("rosenblatt1958", "the error-correction rule equals scikit-learn's Perceptron weights (Iris)", True,
          "perceptron-iris", "same_weights_as_sklearn", check="true", design=True,
          note="the rule as the paper states it, against another implementation of it: no number of the paper"),
    Claim("hay1960", "Mark I dimensions: 400 S-units, 512 A-units, 8 R-units", [400, 512, 8], "mark1",
          "dimensions", note="20x20 photocells; read off the wired simulation, which is built to them",
          design=True),
    Claim("hay1960", "each S-unit feeds at most 40 A-units", 40, "mark1", "max_a_units_per_s_unit",
          check="at_most", design=True, note="counted in the random wiring, which is drawn under this limit"),
    Claim("cover1965", "fraction of random dichotomies of N = 2d points separable by a hyperplane (d = 5)", 0.5,
          "cover-capacity", "fraction_at_2d", check="close", tol=0.18,
          note="annhist: 300 random dichotomies decided by LP; tolerance 0.09 = about 3 binomial standard errors"),
    Claim("minsky1969", "no single threshold unit computes XOR (LP feasibility)", False, "xor", "lp_feasible",
          note="infeasible, with an exactly checked Farkas certificate"),
    Claim("minsky1969", "Boolean functions of 2 inputs that one threshold unit computes", 14, "xor",
          "separable_functions.count", note="all but XOR and XNOR"),
    Claim("minsky1969", "order of parity on 2 points (XOR)", 2, "xor", "parity_order.0.order"),
    Claim("minsky1969", "order of parity on 6 points", 6, "xor", "parity_order.4.order"),
    Claim("minsky1969", "the perceptron rule converges on XOR", False, "xor", "perceptron_converged",
          note="within 100 epochs; it cycles"),
    Claim("block1970", "largest weight norm of the perceptron on XOR over 100 epochs", "bounded", "xor",
          "perceptron_max_weight_norm", check="report",
          note="the weights cycle through 4 states; the largest has norm sqrt(3)"),
    Claim("hopfield1982", "asynchronous updates never raise the energy (letters HTLX, 15 of 100 units flipped)",
          True, "hopfield-recall", "energy_never_rises", check="true"),
    Claim("hopfield1982", "N=100, 15 memories: fraction recalled with fewer than 5 errors", "about half",
          "hopfield-capacity", "recalled_n100_p15_zero_one", check="report",
          note="Hopfield's 0/1 units with threshold 0, 20 nets; the +-1 coding recalls more (recalled_n100_p15)"),
    Claim("hopfield1982", "load P/N at which half the memories are recalled (N=100, +-1 units)", 0.15,
          "hopfield-capacity", "alpha_half_recalled_n100", check="report",
          note="'about 0.15 N states can be simultaneously remembered before error in recall is severe'"),
    Claim("amit1985", "critical load alpha_c (N -> infinity); annhist: half recalled at N=400", 0.138,
          "hopfield-capacity", "alpha_half_recalled_n400", check="close", tol=0.25,
          note="finite N retrieves beyond alpha_c; the measured load falls towards 0.138 as N grows"),
    Claim("amit1985", "symmetric 3-mixtures are stable at low load (N=200, 5 patterns)", True,
          "hopfield-capacity", "spurious_n200_p5.mixture_stable", check="report",
          note="fraction of nets in which sgn(xi1+xi2+xi3) is a fixed point; overlaps about 0.5 each"),
    Claim("ackley1985", "4-2-4 encoder: runs that found a good code", "250 of 250", "boltzmann-encoder",
          "found_good_code", check="report",
          note="annhist: fraction of 20 machines that had a good code at some test within 400 learning cycles; "
               "many lose it again (kept_good_code); the settings annhist had to choose are listed in the chapter"),
    Claim("ackley1985", "4-2-4 encoder: median learning cycles to a good code", 110, "boltzmann-encoder",
          "median_cycles_to_good_code", check="report", note="annhist: tested every 10 cycles"),
    Claim("rumelhart1986pdp", "sweeps to learn XOR, 1 hidden unit + direct connections, eta=0.5", 558, "xor",
          "mlp.2-1-1+skip.sweeps_median", check="report",
          note="paper: one reported run; annhist: median over 100 seeds, criterion: outputs within 0.1"),
    Claim("rumelhart1986pdp", "2-2-1 XOR runs that stall (the paper's 'local minima'; of 100)", "rare", "xor",
          "mlp.2-2-1.stuck", check="report",
          note="paper: 'only two cases' in hundreds of runs, one at eta=0.25 (a footnote: escaped at eta >= 0.5); "
               "annhist: eta=0.5, alpha=0.9, 10,000-sweep limit"),
    Claim("rumelhart1986", "symmetry net 6-2-1: sweeps to learn (eps=0.1, alpha=0.9, init +-0.3)", 1425,
          "rhw-symmetry", "median_sweeps", check="report",
          note="paper: one run; annhist: median over 10 seeds, criterion: outputs within 0.1"),
    Claim("rumelhart1986", "symmetry net: hidden weight magnitudes, middle pair / smallest", 2.0, "rhw-symmetry",
          "weight_ratio.0.2", check="close", tol=0.02, note="the 1:2:4 ratio"),
    Claim("rumelhart1986", "symmetry net: hidden weight magnitudes, largest pair / smallest", 4.0, "rhw-symmetry",
          "weight_ratio.0.5", check="close", tol=0.02, note="the 1:2:4 ratio"),
    Claim("rumelhart1986", "symmetry net: the two hidden units' weights are mirror-antisymmetric", True,
          "rhw-symmetry", "mirror_antisymmetric", check="true"),
    Claim("rumelhart1986pdp", "8-3-8 encoder: distinct binary hidden codes for the 8 patterns", 8, "rhw-encoder",
          "seed_run.distinct_binary_codes"),
    Claim("rumelhart1986pdp", "4-bit parity, 4 hidden units: sweeps to learn (eta=0.5, alpha=0.9)", 2825,
          "rhw-parity", "median_sweeps", check="report",
          note="paper: one run; annhist: median of the seeds that learned within 6,000 sweeps (per-pattern updates)"),
    Claim("rumelhart1986pdp", "4-bit parity: runs whose hidden units count the bits that are on (of 20)",
          "the solution found", "rhw-parity", "counting_solutions", check="report",
          note="every run that learned found the counting solution"),
    Claim("rumelhart1986", "family trees: seeds (of 2) that learn the 100 training triples in 1,500 sweeps",
          "all", "rhw-family-trees", "learned_training_set_0.5",
          note="0.5 rule; with the paper's step size and 0.2% decay per sweep the net gives one answer to every "
               "question: the decay outweighs the gradient (see the chapter on backpropagation)"),
    Claim("lecun1989", "zip-code net: units", 1256, "lecun1989", "units"),
    Claim("lecun1989", "zip-code net: connections", 64660, "lecun1989", "connections"),
    Claim("lecun1989", "zip-code net: independent parameters", 9760, "lecun1989", "parameters"),
    Claim("lecun1989", "zip-code net: test error (the paper: after 23 passes)", 0.05, "lecun1989", "test_error",
          check="report", on_data="USPS",
          note="plain per-pattern SGD, eta=0.03, 10 passes as in the chapter (annhist run lecun1989: 23); the paper "
               "used a diagonal-Hessian step (--optimizer sdlm)"),
    Claim("lecun1989", "zip-code net: training error (the paper: after 23 passes)", 0.0014, "lecun1989",
          "train_error", check="report", on_data="USPS",
          note="10 passes as in the chapter (annhist run lecun1989: 23)"),
    Claim("lecun1998", "LeNet-5: trainable parameters", 60000, "lenet5", "parameters"),
    Claim("lecun1998", "LeNet-5: connections", 340908, "lenet5", "connections"),
    Claim("lecun1998", "LeNet-5: test error", 0.0095, "lenet5", "test_error", check="report",
          note="paper: MNIST; annhist: the data set named beside the value, 1 pass (annhist run lenet5: 10)",
          on_data="MNIST"),
    Claim("elman1990", "temporal XOR: the prediction error is lowest on every third (XOR) bit, in every net",
          True, "elman-xor", "all_trials_lowest_on_xor_bit", check="true",
          note="Fig. 3; 3 nets, 30 passes as in the chapter (annhist run elman-xor: 6 nets, 100 passes; "
               "the paper: 600 passes, one net)"),
    Claim("elman1990", "temporal XOR: RMS error predicting the XOR bit (mean of the nets)", "low (Fig. 3)",
          "elman-xor", "mean_rms_by_phase.2", check="report",
          note="the two unpredictable bits stay near 0.5 (chance)"),
    Claim("hochreiter1997", "embedded Reber, LSTM 3 blocks of 2 cells: trainable weights", 276, "lstm-reber",
          "weights"),
    Claim("hochreiter1997", "embedded Reber, LSTM 3x2, eta=0.5: fraction of trials solved", 1.0, "lstm-reber",
          "success_rate", check="at_least",
          note="paper: 30 trials; annhist on this page: 3 trials, at most 3,000 sequences each (annhist run "
               "lstm-reber: 6 and 10,000; --trials 30 --max-sequences 100000 for the full setting)"),
    Claim("hochreiter1997", "embedded Reber, LSTM 3x2, eta=0.5: mean sequences until success", 8440,
          "lstm-reber", "mean_sequences_successful", check="report",
          note="over the trials that succeeded ('never' if none did)"),
    Claim("hochreiter1997", "embedded Reber: predictions of the symbol before last that are right (mean)", 1.0,
          "lstm-reber", "mean_before_last_accuracy", check="report",
          note="1.0 in every successful trial; 0.5 is chance: the net has not kept the second symbol"),
    Claim("hochreiter1991", "plain tanh RNN, recurrent weights of radius 0.5: error shrinks over 40 steps back",
          True, "rnn-vanishing", "vanishes_radius_0.5", check="true",
          note="the error flow at q = 40 is below 1e-6 of its value at q = 0"),
    Claim("hochreiter1997", "LSTM carrousel: error carried 40 steps back unchanged (1997 truncation)", 1.0,
          "rnn-vanishing", "flow_ratio_lag40.LSTM carrousel (1997 truncation)", check="close", tol=1e-9),
    Claim("hochreiter1997", "Task 2a: LSTM solves at least as many trials as the plain RNN at every delay, "
          "more at some", True, "rnn-vanishing", "lstm_never_worse_and_sometimes_better", check="true",
          note="annhist on this page: delays 4, 10, 20, 3 trials, at most 1,500 sequences each"),
    Claim("hochreiter1997", "Task 2a: delays at which LSTM solves trials and the plain RNN none",
          "p = 100 (RTRL fails at 10)", "rnn-vanishing", "delays_only_lstm_solves", check="report",
          note="paper: LSTM 100% at p=100 after 5,040 sequences, RTRL 78% at p=4 after 1,043,000, BPTT 0% at "
               "p=100 within 5,000,000; annhist on this page: a budget of 1,500 sequences"),
    Claim("hochreiter1997", "Task 2a, LSTM: fraction of trials solved (paper: p = 100; here p = 50)", 1.0,
          "lstm-long-lag", "success_rate", check="report",
          note="paper: p = 100, 18 trials, budget 5,000,000 sequences; annhist on this page: half the lag, p = 50, "
               "4 trials, at most 8,000 sequences each, the cell added when the error stops decreasing: another "
               "setting, so reported, not a reproduction (annhist run lstm-long-lag: p = 100, seed 0 solved 4 of "
               "4; --trials 18 for the paper's count)"),
    Claim("hochreiter1997", "Task 2a, LSTM: mean sequences until success (paper: p = 100; here p = 50)", 5040,
          "lstm-long-lag", "mean_sequences_successful", check="report",
          note="over the trials that succeeded; tested every 200 sequences"),
    Claim("widrow1990", "LMS (batch) at 0.9 x 2/lambda_max(R) diverges", False, "lms-stability",
          "runs.0.9x.diverged",
          note="the stability analysis behind Widrow & Lehr's working range 0 < mu < 1/tr R (p. 1429); the sharp "
               "limit 2/lambda_max(R) is chapter 5's theorem, not a number of Widrow & Hoff (1960)"),
    Claim("widrow1990", "LMS (batch) diverges at 1.1 x 2/lambda_max(R)", True, "lms-stability",
          "runs.1.1x.diverged", check="true"),
)


# The chapters run these experiments at smaller settings than `annhist run`'s defaults; the rows
# use the chapters' settings, so that the book build reads the chapters' runs from its result
# cache instead of repeating them (the table shows every row's settings; `annhist run NAME`
# with those options gives the same values).
CHAPTER_RUNS: dict[str, dict[str, Any]] = {
    "hopfield-capacity": {"trials": 20},                     # chapter 06b
    "boltzmann-encoder": {"machines": 20, "cycles": 400},    # chapter 06b
    "rhw-encoder": {"seeds": 8},                             # chapter 07
    "rhw-symmetry": {"seeds": 10},                           # chapter 07
    "rhw-family-trees": {"seeds": 2},                        # chapter 07
    "lecun1989": {"epochs": 10},                             # chapter 09 (default: the paper's 23 passes)
    "elman-xor": {"epochs": 30, "trials": 3},                # chapter 09b
    "rnn-vanishing": {"trials": 3, "max_sequences": 1500},   # chapter 09b
    "lstm-long-lag": {"delay": 50},                          # chapter 09b (default: the paper's p = 100)
}
# PAGE_RUNS (annhist.buildkeys): the page's own runs, of experiments no chapter runs (LeNet-5 for
# one pass, the embedded Reber grammar for 3 trials of at most 3,000 sequences), with the reasons.
CLAIMS = tuple(replace(c, options={**CHAPTER_RUNS.get(c.experiment, {}), **PAGE_RUNS.get(c.experiment, {}),
                                   **c.options}) for c in CLAIMS)
