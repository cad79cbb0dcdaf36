"""1969: the XOR limitation -- one reproducible experiment from the linear program to backpropagation.

Minsky and Papert (1969) showed what a single layer of threshold units cannot do; the
smallest example is XOR (parity on two points). ``xor_experiment`` reproduces, each by a
real computation (``annhist.xor.parts``):

- no threshold unit computes XOR (a linear program, with a certificate checked exactly);
- one unit computes 14 of the 16 Boolean functions of two inputs -- all but XOR and XNOR;
- Rosenblatt's rule never converges on XOR, and its weights cycle, bounded (Block & Levin 1970);
- the best single unit gets 3 of 4 points (exhaustive search), and the pocket algorithm finds one;
- the least-squares ADALINE gives every point the output 0 (2 of 4 right);
- parity on n points needs order n (Minsky & Papert, ch. 3), n = 2..6, by linear programming;
- two layers of McCulloch-Pitts neurons compute XOR, two steps after the input;
- backpropagation (Rumelhart, Hinton & Williams 1986) trains hidden units that make XOR
  separable -- over ``seeds`` runs of the 2-2-1 net and of the 2-1-1 net with direct connections.

``annhist xor`` (``annhist.cli.xor``) and ``annhist run xor`` print the same report.

References
----------
M. Minsky and S. Papert, *Perceptrons*, MIT Press, 1969 (expanded ed. 1988). D. E. Rumelhart,
G. E. Hinton, R. J. Williams, "Learning internal representations by error propagation", in
*Parallel Distributed Processing*, vol. 1, ch. 8, MIT Press, 1986.
"""

from __future__ import annotations

import numbers
import os
from pathlib import Path
from typing import Any, Callable

import numpy as np

from annhist.mlp.rhw_options import MAX_EPOCHS, MAX_RUN_SWEEPS
from annhist.mlp.xor import mlp_part
from annhist.results import ExperimentResult, Option, register
from annhist.validation import check_scalar
from annhist.xor.parts import (
    RHW_SETTINGS,
    X_XOR,
    Y_XOR,
    adaline_part,
    best_linear_part,
    functions_part,
    lp_part,
    mp_part,
    parity_part,
    perceptron_part,
)

__all__ = ["xor_experiment", "FigureSet", "PAPER", "MAX_SEEDS", "MAX_SWEEPS", "MAX_RUN_SWEEPS"]

#: The most backpropagation runs per net.
MAX_SEEDS = 100_000
#: The most sweeps of one run (the paper's runs took hundreds; a stalled run is judged long before this): the
#: 1986 experiments' ``MAX_EPOCHS``, one rule for both.
MAX_SWEEPS = MAX_EPOCHS
# MAX_RUN_SWEEPS, the most ``seeds * max_sweeps`` (the 1986 experiments' bound): every run's E and largest error
# per sweep are kept for both nets, 32 bytes a run and sweep, so this is 640 MB (the defaults take 32 MB).

# Published numbers beside ours (see the chapter for what each refers to).
PAPER = {
    "rumelhart1986pdp": "Rumelhart, Hinton & Williams, PDP vol. 1 ch. 8 (1986)",
    "2-1-1+skip_sweeps": 558,
    "2-1-1+skip_eta": 0.5,
    "2-1-1+skip_note": "one reported run, the solution shown in PDP ch. 8, not a statistic over seeds",
    "2-2-1_local_minima": "rare: two cases reported in hundreds of runs, one after 6,587 presentations "
                          "at eta = 0.25",
    "momentum_alpha": "about 0.9 in most of the paper's simulations",
    "minsky1969_parity_order": "n (Perceptrons, ch. 3: parity on a retina of n points has order n)",
    "block1970": "the perceptron rule's weights stay bounded on any finite data set",
}


class FigureSet(dict):
    """The experiment's figures: ``{stem: draw_function}``; calling it with a folder writes the PNGs.

    ``report.figures(out_dir)`` returns the written paths; as a dict it is what
    ``annhist.experiments.ExperimentResult.save_figures`` draws.
    """

    def __call__(self, out_dir: str | os.PathLike) -> list[Path]:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for stem, draw in self.items():
            fig = draw()
            path = out / f"{stem}.png"
            fig.savefig(path, dpi=120, bbox_inches="tight", metadata={"Software": None})
            paths.append(path)
        return paths


@register("xor", module="xor", summary="XOR: the LP certificate, the perceptron's cycle, parity order, "
                                       "and backpropagation over many seeds",
          options=(Option("seeds", int, 100, "backpropagation runs per net", min_value=1, max_value=MAX_SEEDS),
                   Option("max_sweeps", int, 10_000, f"sweep limit of a backpropagation run; --seeds x --max-sweeps "
                          f"at most {MAX_RUN_SWEEPS} (every run's history is kept)", min_value=1,
                          max_value=MAX_SWEEPS)))
def xor_experiment(seed: int = 0, seeds: int = 100, *, max_sweeps: int = 10_000,
                   perceptron_epochs: int = 100) -> ExperimentResult:
    """Run every XOR computation and return the report (``to_dict()``, ``text()``, ``figures(out_dir)``).

    Parameters
    ----------
    seed : int, default=0
        Seeds the pocket algorithm and the first backpropagation run; run ``i`` of a net starts
        from the initial weights of ``MLP(sizes, random_state=seed + i)``.
    seeds : int, default=100
        Backpropagation runs per net (>= 1).
    max_sweeps : int, default=10000
        A run not solved within this many sweeps counts as stalled (the 1986 authors' "local
        minimum"; later analyses showed these stalls are not strict local minima -- see the XOR chapter).
    perceptron_epochs : int, default=100
        Passes of Rosenblatt's rule.

    Returns
    -------
    ExperimentResult
        ``results`` holds ``lp_feasible``, ``separable_functions``, ``perceptron_converged``,
        ``perceptron_cycle_period``, ``perceptron_max_weight_norm``, ``best_linear_accuracy``,
        ``adaline_accuracy``, ``parity_order``, ``mp_two_layer`` and ``mlp`` (and details beside
        them); ``paper`` the published numbers. The same arguments give the same dictionary.
    """
    check_scalar(seed, "seed", owner="xor_experiment", kind=numbers.Integral, min_val=0)
    check_scalar(seeds, "seeds", owner="xor_experiment", kind=numbers.Integral, min_val=1, max_val=MAX_SEEDS)
    check_scalar(max_sweeps, "max_sweeps", owner="xor_experiment", kind=numbers.Integral, min_val=1,
                 max_val=MAX_SWEEPS)
    if seeds * max_sweeps > MAX_RUN_SWEEPS:
        raise ValueError(f"The 'seeds' and 'max_sweeps' parameters of xor_experiment must have a product <= "
                         f"{MAX_RUN_SWEEPS:,} (every run's history is kept: {32 * seeds * max_sweeps / 1e9:.3g} GB). "
                         f"Got {seeds} x {max_sweeps} instead.")
    check_scalar(perceptron_epochs, "perceptron_epochs", owner="xor_experiment", kind=numbers.Integral, min_val=1)
    seed, seeds = int(seed), int(seeds)
    results: dict[str, Any] = {}
    lp, _ = lp_part()
    results.update(lp)
    results["separable_functions"] = functions_part()
    perc, cycle = perceptron_part(perceptron_epochs)
    results.update(perc)
    best, (lines, pocket) = best_linear_part(seed)
    results.update(best)
    results.update(adaline_part())
    results["parity_order"] = parity_part(6)
    results["mp_two_layer"] = mp_part()
    mlp, runs = mlp_part(seed, seeds, max_sweeps)
    results["mlp"] = mlp
    settings = {"seed": seed, "seeds": seeds, "run_seeds": f"{seed}..{seed + seeds - 1}",
                "run_seed_rule": "run i of a net starts from the initial weights of MLP(sizes, random_state=seed + i)",
                "max_sweeps": max_sweeps,
                "perceptron": {"eta": 1.0, "initial_weights": 0, "order": "fixed (0,0), (0,1), (1,0), (1,1)",
                               "epochs": perceptron_epochs},
                "pocket": {"eta": 1.0, "ratchet": True, "epochs": 1000},
                "adaline": {"targets": "+-1", "quantizer": "sign, sign(0) = +1", "mode": "batch LMS from w = 0"},
                "mlp": {**RHW_SETTINGS,
                        "solved": "every output within 0.1 of its target (checked before each sweep's update)",
                        "stuck": f"not solved within {max_sweeps} sweeps"}}
    figures = FigureSet(_figures(lines, pocket, cycle, runs, max_sweeps))
    result = ExperimentResult(experiment="xor", settings=settings, results=results, paper=dict(PAPER),
                              figures=figures)
    from annhist.xor.report import report_text

    result.report = report_text(result.to_dict())
    return result


def _figures(lines: Any, pocket: Any, cycle: Any, runs: dict[str, Any], max_sweeps: int
             ) -> dict[str, Callable[[], Any]]:
    """Draw functions for the four figures (plotting is imported only when a figure is drawn)."""

    def first_solved(res: Any) -> Any:
        return res.net(int(np.flatnonzero(res.converged)[0])) if res.converged.any() else None

    def lines_fig() -> Any:
        from annhist.xor.figures import plot_xor_lines
        return plot_xor_lines(X_XOR, Y_XOR, lines, pocket=(pocket.weights_, pocket.bias_))

    def cycle_fig() -> Any:
        from annhist.xor.figures import plot_perceptron_cycle
        return plot_perceptron_cycle(cycle, X_XOR, Y_XOR)

    def mlp_fig() -> Any:
        from annhist.xor.figures import plot_mlp_solution
        return plot_mlp_solution(first_solved(runs["2-2-1"]), X_XOR, Y_XOR, skip_net=first_solved(runs["2-1-1+skip"]))

    def curves_fig() -> Any:
        from annhist.xor.figures import plot_xor_learning_curves
        return plot_xor_learning_curves(runs, max_sweeps=max_sweeps, paper_sweeps=PAPER["2-1-1+skip_sweeps"])

    figs = {"xor-best-lines": lines_fig, "xor-perceptron-cycle": cycle_fig, "xor-mlp-hidden-space": mlp_fig,
            "xor-learning-curves": curves_fig}
    if not runs["2-2-1"].converged.any():      # no solved 2-2-1 run (few seeds): no hidden space to draw
        del figs["xor-mlp-hidden-space"]
    return figs
