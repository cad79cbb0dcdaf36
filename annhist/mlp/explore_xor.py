"""Explorable for the chapter "1969: XOR": a 2-2-1 net trained by backpropagation, scrubbed through time.

The reader picks a seed (one of them stalls) and a sweep; the picture shows the two hidden
units' lines ``w . x + b = 0``, the output unit's answer over the input square and the error
curve. Every state is a :func:`~annhist.mlp.train_many` run with Rumelhart, Hinton & Williams'
settings (``RHW_SETTINGS``: eta 0.5, momentum 0.9, initial weights uniform in +-0.3; 1986, PDP
vol. 1 ch. 8), stopped at that sweep.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from annhist.mlp.many import ManyResult, check_seeds, train_many
from annhist.mlp.network import MLP
from annhist.mlp.rhw_options import MAX_RUN_SWEEPS
from annhist.optimizers import Momentum
from annhist.plotting.checks import MAX_SWEEPS, check_dpi, check_sweeps
from annhist.plotting.explorable import Control, Explorable, Frame, FrameCanvas, check_mode
from annhist.plotting.style import COLORS, new_figure
from annhist.xor.boolean_functions import BOOLEAN_FUNCTIONS
from annhist.xor.parts import RHW_SETTINGS, X_XOR, Y_XOR

__all__ = ["XOR_SEEDS", "XOR_SWEEPS", "xor_states", "xor_explorable", "xor_training"]

XOR_SEEDS = (0, 2, 11)          # seed 11 stalls at E ~ 0.25 (see chapter 06: the stuck runs of seeds 0-99)
XOR_SWEEPS = (0, 50, 150, 300, 500, 750, 1000, 1500)


def _train(seeds: Sequence[int], sweeps: int, record_history: bool = False) -> ManyResult:
    return train_many([2, 2, 1], X_XOR, Y_XOR[:, None], np.asarray(seeds), init=tuple(RHW_SETTINGS["init"]),
                      optimizer=Momentum(eta=RHW_SETTINGS["eta"], alpha=RHW_SETTINGS["alpha"]), epochs=sweeps,
                      record_history=record_history)


def xor_states(seeds: Sequence[int] = XOR_SEEDS, sweeps: Sequence[int] = XOR_SWEEPS) -> dict[str, Any]:
    """The nets after each of ``sweeps`` sweeps from each seed, and every seed's error curve.

    Returns ``{"nets": {(seed, sweep): MLP}, "curves": {seed: E per sweep}}``; sweep 0 is the
    initial net ``MLP([2, 2, 1], init=("uniform", 0.3), random_state=seed)``. ``seeds``: distinct ints >= 0;
    ``sweeps``: increasing ints from 0 (:func:`~annhist.plotting.checks.check_sweeps`). Each state is trained from
    sweep 0, so the sum of ``sweeps`` is at most :data:`annhist.plotting.checks.MAX_SWEEPS` (one run's) and the seeds
    times it at most :data:`annhist.mlp.rhw_options.MAX_RUN_SWEEPS`.
    """
    seeds, sweeps = _check_settings(seeds, sweeps, "xor_states")
    nets: dict[tuple[int, int], Any] = {}
    for s in sweeps:
        if s == 0:
            for seed in seeds:
                nets[(seed, 0)] = MLP([2, 2, 1], init=tuple(RHW_SETTINGS["init"]), random_state=seed)
            continue
        res = _train(seeds, s, record_history=s == max(sweeps))
        for i, seed in enumerate(seeds):
            nets[(seed, s)] = res.net(i)
        if s == max(sweeps):
            curves = {seed: res.history[i] for i, seed in enumerate(seeds)}
    return {"nets": nets, "curves": curves}


def _check_settings(seeds: Any, sweeps: Any, owner: str) -> tuple[list[int], tuple[int, ...]]:
    values = check_seeds(seeds, owner=owner).tolist()
    if len(set(values)) != len(values):
        raise ValueError(f"The 'seeds' parameter of {owner} must hold distinct seeds. Got {seeds!r:.80} instead.")
    sweeps = check_sweeps(sweeps, owner=owner)
    # Each state is trained from sweep 0: 3 seeds at every 1000th sweep up to 100,000 ran for minutes, every sweep
    # up to 100,000 for days. In all, at most one run's sweeps, and seeds x sweeps as an rhw-* experiment's.
    total = sum(sweeps)
    if total > MAX_SWEEPS or len(values) * total > MAX_RUN_SWEEPS:
        raise ValueError(f"The 'seeds' and 'sweeps' parameters of {owner} ask for {total:,} sweeps in all (each state "
                         f"is trained from sweep 0) for {len(values):,} seeds; at most MAX_SWEEPS = {MAX_SWEEPS:,} "
                         f"sweeps and MAX_RUN_SWEEPS = {MAX_RUN_SWEEPS:,} seeds x sweeps. Give fewer seeds or sweeps.")
    return values, sweeps


def _describe(net: Any, seed: int, sweep: int) -> tuple[str, dict[str, Any]]:
    H, Y = net.layer_outputs(X_XOR)[1:]
    E = 0.5 * float(np.sum((Y[:, 0] - Y_XOR) ** 2))
    funcs = [BOOLEAN_FUNCTIONS[tuple(int(v) for v in col > 0.5)] for col in H.T]
    text = (f"seed {seed}, after {sweep} sweeps: E = {E:.4f}\n"
            f"outputs on (0,0) (0,1) (1,0) (1,1): {', '.join(f'{y:.3f}' for y in Y[:, 0])}  (targets 0 1 1 0)\n"
            f"hidden units read at 0.5 compute: {funcs[0]}, {funcs[1]}")
    return text, {"E": E, "outputs": Y[:, 0].tolist(), "hidden": funcs}


def _canvas(last: int, dpi: int) -> Any:
    fig, (ax, ax2) = new_figure(1, 2, figsize=(7.4, 3.2))
    g = np.linspace(-0.3, 1.3, 65)
    grid = np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)
    image = ax.imshow(np.zeros((g.size, g.size)), origin="lower", extent=(g[0], g[-1], g[0], g[-1]),
                      cmap="RdBu_r", vmin=0, vmax=1, alpha=0.55)
    points = [ax.scatter(*X_XOR[Y_XOR == yv].T, s=50, marker=m, color="k" if yv else "w", edgecolors="k", zorder=4)
              for yv, m in ((0, "o"), (1, "s"))]
    lines = [ax.plot([], [], color=c, lw=1.8)[0] for c in (COLORS[7], COLORS[4])]     # hidden units 1, 2
    ax.set(xlim=(g[0], g[-1]), ylim=(g[0], g[-1]), xlabel="$x_1$", ylabel="$x_2$")
    ax.set_title("hidden lines, output (red = 1)", fontsize=9)
    curve = ax2.plot([], [], color=COLORS[0], lw=1.4)[0]
    mark = ax2.plot([], [], "o", color=COLORS[1])[0]
    ax2.axhline(0.25, color="0.5", ls=":", lw=1)
    ax2.set(xlabel="sweep", ylabel="error E", xlim=(0, last), ylim=(0, 0.6), title="error curve")
    canvas = FrameCanvas(fig, [image, *points, *lines, curve, mark], dpi=dpi)

    def draw(net: Any, curve_E: np.ndarray, sweep: int, E: float) -> bytes:
        image.set_data(net.predict(grid)[:, 0].reshape(g.size, g.size))
        W, b = net.params_[0], net.params_[1]                 # (2, 2) inputs x hidden, (2,)
        for j, line in enumerate(lines):
            w = W[:, j]
            if abs(w[1]) > 1e-12:
                line.set_data(g, -(w[0] * g + b[j]) / w[1])
            else:
                line.set_data([-b[j] / w[0]] * 2, [g[0], g[-1]])
        curve.set_data(np.arange(1, curve_E.size + 1), curve_E)
        mark.set_data([sweep], [E])
        return canvas.png()

    return draw


def xor_explorable(seeds: Sequence[int] = XOR_SEEDS, sweeps: Sequence[int] = XOR_SWEEPS, *,
                   dpi: int = 70) -> Explorable:
    """The explorable behind :func:`xor_training`."""
    seeds, sweeps = _check_settings(seeds, sweeps, "xor_explorable")
    dpi = check_dpi(dpi, owner="xor_explorable")
    states = xor_states(seeds, sweeps)
    draw = _canvas(max(sweeps), dpi)

    def render(seed: int, sweep: int) -> Frame:
        net = states["nets"].get((seed, sweep))
        if net is None:                                # a setting typed in live: train it now
            net = _train([seed], sweep).net(0) if sweep else MLP([2, 2, 1], random_state=seed)
        curve = states["curves"].get(seed)
        if curve is None or curve.size < sweep:
            curve = _train([seed], max(max(sweeps), sweep), record_history=True).history[0]
        text, numbers = _describe(net, seed, sweep)
        return Frame(text=text, png=draw(net, curve, sweep, numbers["E"]), numbers=numbers)

    stalls = {seed: bool(np.nanmin(c) > 0.2) for seed, c in states["curves"].items()}   # still near E = 0.25
    labels = tuple(f"{s} (stalls)" if stalls[s] else str(s) for s in seeds)
    controls = [Control("seed", "seed", tuple(seeds), labels=labels, kind="buttons", live=(0, max(99, *seeds), 1)),
                Control("sweep", "sweeps of training", tuple(sweeps), live=(0, max(3000, sweeps[-1]), 50))]
    return Explorable("explore-xor", "XOR with a 2-2-1 net: pick a seed, scrub through training", controls,
                      render, start=[0, len(sweeps) - 1])


def xor_training(mode: str = "auto", seeds: Sequence[int] = XOR_SEEDS, sweeps: Sequence[int] = XOR_SWEEPS) -> Any:
    """XOR 2-2-1 by backpropagation: choose a seed and a sweep; hidden lines, output region, error curve.

    ``mode``: ``"auto"`` (static HTML in the book, ipywidgets in a live kernel), ``"static"``,
    ``"widgets"`` (see :mod:`annhist.plotting.explorable`).
    """
    check_mode(mode, "xor_training")
    return xor_explorable(seeds, sweeps).show(mode)
