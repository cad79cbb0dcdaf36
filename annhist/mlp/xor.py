"""Backpropagation on XOR (1986): the 2-2-1 net and the 2-1-1 net with direct connections, many seeds.

The part of the XOR experiment (:mod:`annhist.experiments.xor`) that needs the 1986 learning
rule: with Rumelhart, Hinton and Williams' settings (``RHW_SETTINGS`` of
:mod:`annhist.xor.parts`), how often each net learns XOR, in how many sweeps, which Boolean
functions its hidden units compute, and which runs stall.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from annhist.mlp.many import train_many
from annhist.optimizers import Momentum
from annhist.xor.boolean_functions import BOOLEAN_FUNCTIONS
from annhist.xor.parts import RHW_SETTINGS, X_XOR, Y_XOR

__all__ = ["mlp_part"]


def _hidden_functions(res: Any) -> dict[str, int]:
    """What the hidden units of the solved runs compute, read at 0.5: ``{"NOR": 17, "OR": 16, ...}``.

    Each hidden unit's outputs on the four points, thresholded at 0.5, are one of the 16
    Boolean functions of two inputs; a run's entry joins its units' names with " + ".
    """
    counts: dict[str, int] = {}
    for i in np.flatnonzero(res.converged):
        H = res.net(int(i)).layer_outputs(X_XOR)[1] > 0.5              # (4, n_hidden) hidden codes
        key = " + ".join(sorted(BOOLEAN_FUNCTIONS[tuple(int(v) for v in col)] for col in H.T))
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _sweep_stats(res: Any) -> dict[str, Any]:
    """Success rate, sweeps to solve (median, quartiles, range) and the stuck runs of one net."""
    ok = res.converged
    sweeps = res.n_epochs[ok]
    q1, med, q3 = (float(v) for v in np.percentile(sweeps, [25, 50, 75])) if ok.any() else (None,) * 3
    stuck = ~ok & ~res.diverged
    # The classic local minimum: two patterns share a hidden code, so the best the output can do
    # for them is 0.5 each (E = 1/2 (0.5^2 + 0.5^2) = 0.25).
    half = [int(np.sum(np.abs(res.net(int(i)).predict(X_XOR)[:, 0] - 0.5) < 0.05)) for i in np.flatnonzero(stuck)]
    return {"runs": int(ok.size), "solved": int(ok.sum()), "success_rate": float(ok.mean()),
            "sweeps_median": med, "sweeps_q1": q1, "sweeps_q3": q3,
            "sweeps_min": int(sweeps.min()) if ok.any() else None,
            "sweeps_max": int(sweeps.max()) if ok.any() else None,
            "stuck": int(stuck.sum()), "diverged": int(res.diverged.sum()),
            "stuck_E": [round(float(e), 4) for e in res.loss[stuck]],
            "stuck_two_outputs_at_half": sum(h == 2 for h in half),
            "stuck_seeds": res.seeds[stuck].tolist(), "hidden_functions": _hidden_functions(res)}


def mlp_part(seed: int, seeds: int, max_sweeps: int = 10_000) -> tuple[dict[str, Any], dict[str, Any]]:
    """Backpropagation with RHW's settings on the 2-2-1 net and the 2-1-1 net with direct connections.

    Run ``i`` uses the initial weights of ``MLP(sizes, random_state=seed + i)``; all runs of a
    net are trained at once (``annhist.mlp.train_many``). A run is *solved* when every
    output is within 0.1 of its target (checked before each sweep's update); a run not solved
    within ``max_sweeps`` sweeps is counted as *stuck*.
    """
    run_seeds = [seed + i for i in range(seeds)]                       # Python ints: any seed >= 0 (no int64 overflow)
    out, raw = {}, {}
    for key, sizes, skip in (("2-2-1", [2, 2, 1], False), ("2-1-1+skip", [2, 1, 1], True)):
        res = train_many(sizes, X_XOR, Y_XOR[:, None], run_seeds, skip=skip, init=("uniform", 0.3),
                         optimizer=Momentum(eta=RHW_SETTINGS["eta"], alpha=RHW_SETTINGS["alpha"]),
                         epochs=max_sweeps, stop_within=RHW_SETTINGS["stop_within"], record_history=True)
        out[key] = _sweep_stats(res)
        raw[key] = res
    return out, raw
