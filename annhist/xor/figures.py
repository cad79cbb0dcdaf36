"""Figures of the XOR chapter: the best lines, the perceptron's cycle, hidden units, learning curves."""

from __future__ import annotations

import numbers
from typing import Any, Mapping, Sequence

import numpy as np

from annhist.perceptron.cycling import PerceptronCycle
from annhist.plotting import checks
from annhist.plotting.style import COLORS, new_figure
from annhist.validation import check_scalar

__all__ = ["plot_xor_lines", "plot_perceptron_cycle", "plot_mlp_solution", "plot_xor_learning_curves",
           "plot_switch_figures"]

_LIM = (-0.35, 1.35)


def _rgb(color: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(color)


def _points(ax: Any, X: np.ndarray, y: np.ndarray, *, xlabel: str = "$x_1$", ylabel: str = "$x_2$") -> None:
    """The XOR points: filled discs for 1, open squares for 0, each labelled with its target."""
    for cls, marker, face in ((1, "o", COLORS[0]), (0, "s", "white")):
        pts = X[y == cls]
        ax.scatter(pts[:, 0], pts[:, 1], s=90, marker=marker, facecolor=face, edgecolor=COLORS[0], lw=1.8,
                   zorder=4, label=f"XOR = {cls}")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_aspect("equal")


def _line(ax: Any, w: Sequence[float], b: float, **kw: Any) -> Any:
    """Draw ``w[0] x + w[1] y + b = 0`` across the axes (vertical when ``w[1] == 0``)."""
    xs = np.array(_LIM)
    if abs(w[1]) > 1e-12:
        return ax.plot(xs, -(w[0] * xs + b) / w[1], **kw)[0]
    return ax.plot([-b / w[0]] * 2, _LIM, **kw)[0]


def _check_points(X: Any, y: Any, owner: str) -> tuple[np.ndarray, np.ndarray]:
    """The points, shape (n, 2), at most 64 (each is drawn and labelled), and their 0/1 targets as ints."""
    X = checks.check_shaped(X, "X", ((1, 64), 2), owner=owner)
    y = checks.check_vector(y, "y", owner=owner, size=X.shape[0], like="one per row of 'X'", min_val=0, max_val=1,
                            integral=True)
    return X, y.astype(int)


def _check_line(line: Any, name: str, owner: str) -> tuple[np.ndarray, float]:
    """``(w, b)``, the line ``w . x + b = 0`` as :func:`_line` draws it: finite, ``w`` not 0."""
    if not isinstance(line, (tuple, list)) or len(line) != 2:
        raise TypeError(f"The '{name}' parameter of {owner} must be a (weights, bias) pair. Got {line!r:.60} instead.")
    w, b = checks.check_shaped(line[0], name, (2,), owner=owner), check_scalar(line[1], name, owner=owner)
    if not (abs(w[1]) > 1e-12 or w[0] != 0):
        raise ValueError(f"The '{name}' parameter of {owner} must give a line: weights not 0. Got {w} instead.")
    return w, b


def _check_net(net: Any, name: str, sizes: tuple[int, ...] | None) -> None:
    """An MLP (known by its attributes: annhist.xor sits below annhist.mlp) of ``sizes``, else 2 inputs, 1 output."""
    got = tuple(getattr(net, "sizes", ())) if callable(getattr(net, "predict", None)) else ()
    if got[:1] + got[-1:] != (2, 1) or sizes not in (None, got):
        raise (ValueError if got else TypeError)(f"The '{name}' parameter of plot_mlp_solution must be an MLP of sizes "
                                                 f"{sizes or '(2, ..., 1)'}. Got {net!r:.40} of sizes {got} instead.")


def _has_history(res: Any) -> bool:
    """Whether ``res`` is a ManyResult with its history: (S, sweeps) floats, S bools converged, S ints n_epochs."""
    h, c, n = (getattr(res, k, None) for k in ("history", "converged", "n_epochs"))
    return all(isinstance(a, np.ndarray) for a in (h, c, n)) and h.ndim == 2 and h.size > 0 and c.dtype == bool \
        and n.dtype.kind in "iu" and c.shape == n.shape == h.shape[:1]


def plot_xor_lines(X: np.ndarray, y: np.ndarray, separators: Sequence[Any], *,
                   pocket: tuple[Sequence[float], float] | None = None) -> Any:
    """The four XOR points and the best single lines: each gets 3 of 4 points right.

    ``separators`` are :class:`~annhist.xor.separability.LinearSeparation` answers for the best
    separable labellings; ``pocket`` optionally adds the pocket algorithm's ``(weights, bias)``.
    """
    owner = "plot_xor_lines"
    X, y = _check_points(X, y, owner)
    if not isinstance(separators, (list, tuple)):
        raise TypeError(f"The 'separators' parameter of {owner} must be a list. Got {separators!r:.60} instead.")
    for sep in separators:
        w, b = _check_line((getattr(sep, "weights", None), getattr(sep, "bias", None)), "separators", owner)
        if np.array_equal(X @ w + b > 0, y):
            raise ValueError(f"The 'separators' parameter of {owner} must be lines that each get a point wrong. "
                             f"Got one with none wrong (weights {w}, bias {b}) instead.")
    if pocket is not None:
        _check_line(pocket, "pocket", owner)
    fig, ax = new_figure(figsize=(4.8, 4.2))
    for k, sep in enumerate(separators):
        pred = (X @ sep.weights + sep.bias > 0).astype(int)
        wrong = X[pred != y][0]
        _line(ax, sep.weights, sep.bias, color=COLORS[(k + 1) % len(COLORS)], lw=1.6,
              label=f"wrong on ({wrong[0]:.0f}, {wrong[1]:.0f})")
    if pocket is not None:
        _line(ax, pocket[0], pocket[1], color="0.3", lw=1.2, ls=":", label="pocket algorithm")
    _points(ax, X, y)
    ax.set_xlim(*_LIM)
    ax.set_ylim(*_LIM)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.set_title("No line gets all four: the best get 3 of 4")
    return fig


def plot_perceptron_cycle(cycle: Any, X: np.ndarray, y: np.ndarray, *, turns: int = 3) -> Any:
    """Rosenblatt's rule on XOR: the weights after every correction, repeating with a fixed period.

    Top: ``w1``, ``w2`` and ``b`` against the correction number for ``turns`` turns of the cycle
    (the rule is deterministic, so each turn repeats the first). Bottom: each state of one turn
    as the line it draws over the four points (the shaded side answers 1), with the point
    whose mistake causes the next correction circled.
    """
    owner = "plot_perceptron_cycle"
    if not isinstance(cycle, PerceptronCycle):
        raise TypeError(f"The 'cycle' parameter of {owner} must be a PerceptronCycle. Got {cycle!r:.60} instead.")
    X, y = _check_points(X, y, owner)
    check_scalar(turns, "turns", owner=owner, kind=numbers.Integral, min_val=1, max_val=100)
    if cycle.cycle_start is None or cycle.period_updates > 16 or cycle.states.shape[1] != 3 \
            or cycle.samples.max(initial=0) >= X.shape[0]:
        raise ValueError(f"The 'cycle' parameter of {owner} must have found a cycle of at most 16 corrections on the "
                         f"2-D points 'X'. Got period {cycle.period_updates}, states of shape {cycle.states.shape} on "
                         f"{X.shape[0]} points instead.")
    loop = cycle.cycle_states
    k = loop.shape[0]
    traj = np.vstack([cycle.states[:cycle.cycle_start], np.tile(loop, (turns, 1)), loop[:1]])  # (n, 3): w1, w2, b
    fig, axes = new_figure(2, k, figsize=(2.4 * max(k, 4), 5.6), gridspec_kw={"height_ratios": [1.1, 1]})
    gs = axes[0, 0].get_gridspec()
    for a in axes[0]:
        a.remove()
    top = fig.add_subplot(gs[0, :])
    top.spines["top"].set_visible(False)
    top.spines["right"].set_visible(False)
    steps = np.arange(traj.shape[0])
    for j, (name, ls) in enumerate((("$w_1$", "-"), ("$w_2$", "--"), ("$b$", ":"))):
        top.step(steps, traj[:, j] + 0.03 * (j - 1), where="post", ls=ls, lw=1.8, color=COLORS[j], label=name)
    for t in range(turns + 1):
        top.axvline(cycle.cycle_start + t * cycle.period_updates, color="0.8", lw=0.8, zorder=0)
    passes = "pass" if cycle.period_epochs == 1 else "passes"
    top.set_xlabel("correction number")
    top.set_ylabel("weight")
    top.set_title(f"Never converges: the weights repeat every {cycle.period_updates} corrections "
                  f"({cycle.period_epochs} {passes}); largest norm {cycle.max_norm:.3g}")
    top.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    g = np.linspace(*_LIM, 121)
    G = np.stack(np.meshgrid(g, g), axis=-1)                         # (121, 121, 2)
    nxt = cycle.samples[cycle.cycle_start:cycle.cycle_start + k]     # the mistake each state makes next
    for i, (ax, s) in enumerate(zip(axes[1], loop)):
        act = G @ s[:2] + s[2]                                        # (121, 121) activation w . x + b
        ax.contourf(g, g, (act > 0).astype(float), levels=[-0.5, 0.5, 1.5], colors=["white", "#cfe3f3"])
        if np.any(s[:2]):
            _line(ax, s[:2], s[2], color="0.3", lw=1.2)
        _points(ax, X, y)
        ax.scatter(*X[nxt[i]], s=420, facecolor="none", edgecolor=COLORS[1], lw=1.6, zorder=5)
        ax.set_xlim(*_LIM)
        ax.set_ylim(*_LIM)
        ax.set_title(f"#{i}: w = ({s[0]:g}, {s[1]:g}), b = {s[2]:g}", fontsize=9)
        if i:
            ax.set_ylabel("")
    return fig


def _region(ax: Any, net: Any, X: np.ndarray, y: np.ndarray, title: str) -> Any:
    g = np.linspace(*_LIM, 161)
    G = np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)          # (161*161, 2) grid of inputs
    out = net.predict(G)[:, 0].reshape(g.size, g.size)
    im = ax.contourf(g, g, out, levels=np.linspace(0, 1, 11), cmap="RdBu", alpha=0.5)
    ax.contour(g, g, out, levels=[0.5], colors="k", linewidths=1.4)
    _points(ax, X, y)
    ax.set_title(title)
    return im


def plot_mlp_solution(net: Any, X: np.ndarray, y: np.ndarray, *, skip_net: Any = None) -> Any:
    """A solved 2-2-1 net: its decision region, and the four points in hidden-unit space.

    Left: the output over the input square (0.5 contour in black) with the hidden units'
    lines (dashed). Middle: the points at their hidden activities ``(h1, h2)``: there one line --
    the output unit's -- separates them. Right (if ``skip_net`` is given): the region of the
    net with one hidden unit and direct input-to-output connections.
    """
    X, y = _check_points(X, y, "plot_mlp_solution")
    _check_net(net, "net", (2, 2, 1))
    if skip_net is not None:
        _check_net(skip_net, "skip_net", None)
    ncols = 3 if skip_net is not None else 2
    fig, axes = new_figure(1, ncols, figsize=(4.0 * ncols, 3.9))
    im = _region(axes[0], net, X, y, "2-2-1: decision region")
    W1, b1 = net.layers_[0].params["W"], net.layers_[0].params["b"]
    for j in range(W1.shape[1]):
        _line(axes[0], W1[:, j], b1[j], color=COLORS[2 + j], ls="--", lw=1.3, label=f"hidden unit {j + 1} = 0.5")
    axes[0].set_xlim(*_LIM)
    axes[0].set_ylim(*_LIM)
    axes[0].legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False)
    H = net.layer_outputs(X)[1]                                       # (4, 2): hidden activities
    ax = axes[1]
    done: set[int] = set()
    for i, h in enumerate(H):                                         # one label per distinct hidden code
        if i in done:
            continue
        same = [j for j in range(len(H)) if np.max(np.abs(H[j] - h)) < 0.05]
        done.update(same)
        text = " = ".join(f"({X[j, 0]:.0f},{X[j, 1]:.0f})" for j in same)
        ax.annotate(text, h, textcoords="offset points", xytext=(-10, 10), fontsize=8)
    _points(ax, H, y, xlabel="hidden unit 1", ylabel="hidden unit 2")
    W2, b2 = net.layers_[1].params["W"][:, 0], net.layers_[1].params["b"][0]
    _line(ax, W2, b2, color="k", lw=1.4, label="output = 0.5")
    ax.set_xlim(*_LIM)
    ax.set_ylim(*_LIM)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False)
    ax.set_title("Hidden-unit space: now separable")
    if skip_net is not None:
        _region(axes[2], skip_net, X, y, "2-1-1 + direct connections")
    fig.colorbar(im, ax=axes[-1], shrink=0.8, label="output")
    return fig


def plot_xor_learning_curves(runs: Mapping[str, Any], *, max_sweeps: int, paper_sweeps: float | None = None) -> Any:
    """Backpropagation on XOR over many seeds: E per sweep, and the fraction solved by each sweep.

    ``runs`` maps a net's name to its :class:`~annhist.mlp.many.ManyResult` (with history).
    """
    from matplotlib.collections import LineCollection

    owner = "plot_xor_learning_curves"
    checks.check_labelled(runs, owner=owner, name="runs", what="ManyResults with a history", test=_has_history,
                          max_count=len(COLORS))
    for name, res in runs.items():     # E per sweep, NaN after a run stopped
        checks.check_shaped(res.history, "runs", (None, None), owner=owner, key=name, allow_nan=True, min_val=0)
    check_scalar(max_sweeps, "max_sweeps", owner=owner, kind=numbers.Integral, min_val=1, max_val=10**9)
    if paper_sweeps is not None:
        check_scalar(paper_sweeps, "paper_sweeps", owner=owner, min_val=0, include_min=False)
    fig, (ax1, ax2) = new_figure(1, 2, figsize=(9.0, 3.5))
    for k, (name, res) in enumerate(runs.items()):
        hist = res.history                                            # (S, sweeps), NaN after a run stopped
        grid = np.unique(np.geomspace(1, hist.shape[1], 300).astype(int)) - 1   # log-spaced sweep indices
        lines = []
        for row in hist:
            last = int(np.sum(~np.isnan(row)))                        # sweeps this run recorded
            idx = np.unique(np.r_[grid[grid < last], last - 1]) if last else grid[:0]
            lines.append(np.column_stack([idx + 1, row[idx]]))        # (points, 2): sweep, E
        alphas = np.where(res.converged, 0.25, 0.9)
        ax1.add_collection(LineCollection(lines, colors=[(*_rgb(COLORS[k]), a) for a in alphas], linewidths=0.6))
        ax1.plot([], [], color=COLORS[k], label=name)
        solved = np.sort(res.n_epochs[res.converged])
        frac = np.arange(1, solved.size + 1) / res.converged.size
        ax2.step(np.r_[1, solved, max_sweeps], np.r_[0, frac, frac[-1] if frac.size else 0], where="post",
                 color=COLORS[k], lw=1.8, label=f"{name}: {res.converged.mean():.0%} solved")
    right = max(max_sweeps, 2)                                        # a log axis needs two distinct ends
    ax1.set_xscale("log")
    ax1.set_xlim(1, right)
    ax1.set_ylim(0, 0.55)
    ax1.set_xlabel("sweep")
    ax1.set_ylabel("E = ½ Σ (y − d)²")
    ax1.set_title("Error per sweep, one line per seed (dark: unsolved)")
    ax1.legend(fontsize=8, frameon=False, loc="lower left")
    if paper_sweeps is not None:
        ax2.axvline(paper_sweeps, color="0.4", ls=":", lw=1.2)
        ax2.annotate(f" PDP ch. 8: {paper_sweeps:g}", (paper_sweeps, 0.05), fontsize=8, color="0.3")
    ax2.set_xscale("log")
    ax2.set_xlim(10 if max_sweeps > 10 else 1, right)                 # (from 10: a fraction this early is 0)
    ax2.set_ylim(0, 1.02)
    ax2.set_xlabel("sweeps")
    ax2.set_ylabel("fraction of seeds solved")
    ax2.set_title(f"Solved by each sweep (limit {max_sweeps:,})")
    ax2.legend(fontsize=8, frameon=False, loc="upper left")
    return fig


def plot_switch_figures(images: Any, labels: Any, *, window: int | None = None) -> Any:
    """The pictures side by side (black = on), titled connected / not connected; ``window`` draws
    a frame of that many columns at the left of each picture (a diameter-limited predicate's view)."""
    from matplotlib.patches import Rectangle

    owner = "plot_switch_figures"
    shape = checks.check_shaped(images, "images", ((1, 4), (1, 256), (1, 256)), owner=owner, min_val=0, max_val=1).shape
    checks.check_vector(labels, "labels", owner=owner, size=shape[0], like="one per picture", min_val=0, max_val=1,
                        integral=True)
    if window is not None:
        check_scalar(window, "window", owner=owner, kind=numbers.Integral, min_val=1, max_val=shape[2])
    images = np.asarray(images)
    n = images.shape[0]
    fig, axes = new_figure(1, n, figsize=(2.2 * n, 1.5), squeeze=False)
    for ax, im, lab, name in zip(axes[0], images, labels, ("AA", "AB", "BA", "BB")):
        ax.imshow(im, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(f"{name}: {'connected' if lab else 'not connected'}", fontsize=8)
        if window is not None:
            ax.add_patch(Rectangle((-0.5, -0.5), window, im.shape[0], fill=False, edgecolor=COLORS[1], lw=2))
        ax.set_xticks([])
        ax.set_yticks([])
    return fig
