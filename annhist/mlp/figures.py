"""Figures for the backpropagation and training chapters (1986 and the modern toolkit).

Hinton diagrams (a square per weight, its area the magnitude, white positive and black
negative, on grey -- the way Rumelhart, Hinton & Williams drew their weights), error curves,
sweep counts, hidden codes, the family-tree person encoding. The optimizers' paths on 2-D test functions
are in :mod:`annhist.mlp.path_figures`.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

import numpy as np

from annhist.plotting import checks
from annhist.plotting.style import COLORS, new_figure
from annhist.validation import check_choice, check_scalar

__all__ = ["HINTON_MAX", "hinton", "plot_error_curves", "plot_sweeps", "plot_symmetry_net", "plot_hidden_codes",
           "plot_person_encoding", "plot_layer_gradients", "plot_bump_approximation", "plot_learning_curves"]


#: The most squares a side of a Hinton diagram (rows or columns).
HINTON_MAX = 128


def hinton(ax: Any, W: Any, *, max_weight: float | None = None,
           labels: tuple[Sequence[str], Sequence[str]] | None = None) -> Any:
    """Draw the matrix ``W`` (rows top to bottom) as a Hinton diagram on ``ax``; return ``ax``.

    ``W``: a vector (one row) or a matrix of finite numbers, at most ``HINTON_MAX`` squares a side (a diagram
    larger than that is unreadable on a page). ``max_weight`` (> 0) is the magnitude drawn as a full square
    (default: the largest in ``W``); ``labels`` names the rows and the columns."""
    if not callable(getattr(ax, "add_patch", None)):
        raise TypeError(f"The 'ax' parameter of hinton must be a matplotlib Axes. Got {type(ax).__name__} instead.")
    side = (1, HINTON_MAX)
    W = np.atleast_2d(checks.check_shaped(W, "W", (side,) if np.ndim(W) == 1 else (side, side), owner="hinton"))
    if max_weight is not None:
        check_scalar(max_weight, "max_weight", owner="hinton", min_val=0, include_min=False)
    if labels is not None:
        if not isinstance(labels, (tuple, list)) or len(labels) != 2:
            raise TypeError(f"The 'labels' parameter of hinton must be a pair (row names, column names). Got "
                            f"{checks.short_repr(labels)} instead.")
        labels = (checks.check_names(labels[0], W.shape[0], owner="hinton", name="labels[0]"),
                  checks.check_names(labels[1], W.shape[1], owner="hinton", name="labels[1]"))
    top = max_weight or (float(np.max(np.abs(W))) or 1.0)
    ax.set_facecolor("0.55")
    for (i, j), w in np.ndenumerate(W):
        side = 0.92 * np.sqrt(min(abs(w) / top, 1.0))
        ax.add_patch(_square(j - side / 2, i - side / 2, side, "white" if w > 0 else "black"))
    ax.set_xlim(-0.5, W.shape[1] - 0.5)
    ax.set_ylim(W.shape[0] - 0.5, -0.5)
    ax.set_aspect("equal")
    ax.set_xticks(range(W.shape[1]))
    ax.set_yticks(range(W.shape[0]))
    if labels is not None:
        ax.set_yticklabels(labels[0], fontsize=7)
        ax.set_xticklabels(labels[1], fontsize=7)
    else:
        ax.set_xticklabels([])
        ax.set_yticklabels([])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return ax


def _square(x: float, y: float, side: float, color: str) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), side, side, facecolor=color, edgecolor=color, lw=0.5)


def plot_error_curves(curves: Mapping[str, Sequence[float]], *, title: str = "", ylabel: str = "error E",
                      xlabel: str = "sweep", logy: bool = True, marks: Mapping[str, float] | None = None) -> Any:
    """One line per labelled curve (E per sweep or epoch); ``marks`` adds dashed reference levels."""
    curves = checks.check_curves(curves, owner="plot_error_curves")
    checks.check_flag(logy, owner="plot_error_curves", name="logy")
    checks.check_curves(marks or {}, owner="plot_error_curves", name="marks", shape=(), min_count=0)
    fig, ax = new_figure(figsize=(6.0, 3.4))
    for k, (label, y) in enumerate(curves.items()):
        ax.plot(np.arange(len(y)), y, label=label, color=COLORS[k % len(COLORS)], lw=1.4)
    for label, level in (marks or {}).items():
        ax.axhline(level, color="0.5", ls="--", lw=0.8)
        ax.text(0, level, f" {label}", va="bottom", fontsize=8, color="0.4")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(frameon=False, fontsize=8)
    return fig


def plot_sweeps(sweeps: Mapping[str, Any], converged: Mapping[str, Any], *, paper: Mapping[str, float] | None = None,
                title: str = "") -> Any:
    """Sweeps to the criterion over seeds, one histogram per net; failed seeds counted in the legend."""
    runs = checks.check_curves(sweeps, owner="plot_sweeps", name="sweeps", min_val=0)
    flags = checks.check_record(converged, list(runs), owner="plot_sweeps", name="converged")
    for k, s in runs.items():                                       # a 0/1 flag per run
        checks.check_vector(flags[k], "converged", owner="plot_sweeps", key=k, size=s.size, min_val=0, max_val=1,
                            integral=True)
    checks.check_curves(paper or {}, owner="plot_sweeps", name="paper", shape=(), min_val=1, min_count=0)
    fig, ax = new_figure(figsize=(6.0, 3.4))
    done = np.concatenate([np.asarray(sweeps[k], dtype=float)[np.asarray(converged[k], bool)] for k in sweeps])
    lo, hi = (done.min(), done.max()) if done.size else (1.0, 10.0)
    bins = np.geomspace(max(lo, 1.0) / 1.05, max(hi, 2.0) * 1.05, 24)
    for k, label in enumerate(sweeps):
        s, c = np.asarray(sweeps[label]), np.asarray(converged[label], bool)
        ax.hist(s[c], bins=bins, alpha=0.6, color=COLORS[k % len(COLORS)],
                label=f"{label}: {c.sum()}/{c.size} learned, median {np.median(s[c]) if c.any() else float('nan'):.0f}")
    ax.set_ylim(0, ax.get_ylim()[1] * 1.35)                       # room for the legend
    for label, value in (paper or {}).items():
        ax.axvline(value, color="0.2", ls="--", lw=1, label=f"paper: {label}")
    ax.set_xscale("log")
    nice = [t for t in (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000) if bins[0] <= t <= bins[-1]]
    ax.set_xticks(nice, [f"{t:,}" for t in nice])
    ax.set_xticks([], minor=True)
    ax.set_xlabel("sweeps to criterion (log scale)")
    ax.set_ylabel("seeds")
    ax.set_title(title)
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return fig


def plot_symmetry_net(W1: Any, b1: Any, W2: Any, b2: Any) -> Any:
    """The symmetry net's weights as in the Nature paper's Fig. 1: one panel per hidden unit.

    Bars are the weights from the six input positions (value written on each), the panel
    title gives the unit's bias and its weight to the output unit.
    """
    W1 = checks.check_shaped(W1, "W1", ((1, 64), (1, 12)), owner="plot_symmetry_net")
    b1, W2, b2 = (checks.check_shaped(a, name, shape, owner="plot_symmetry_net") for a, name, shape in
                  ((b1, "b1", (W1.shape[1],)), (W2, "W2", (W1.shape[1], None)), (b2, "b2", (None,))))
    n_in, n_h = W1.shape
    fig, axes = new_figure(1, n_h, figsize=(3.3 * n_h, 3.0), sharey=True)
    top = float(np.max(np.abs(W1)))
    for j, ax in enumerate(np.atleast_1d(axes)):
        w = W1[:, j]
        ax.bar(np.arange(1, n_in + 1), w, color=[COLORS[0] if v > 0 else COLORS[1] for v in w], width=0.7)
        for i, v in enumerate(w):
            ax.text(i + 1, v + (0.04 if v > 0 else -0.04) * top, f"{v:.1f}", ha="center",
                    va="bottom" if v > 0 else "top", fontsize=8)
        ax.axhline(0, color="0.3", lw=0.8)
        ax.set_xticks(range(1, n_in + 1))
        ax.set_xlabel("input position")
        ax.set_ylim(-1.3 * top, 1.3 * top)
        ax.set_title(f"hidden unit {j + 1}: bias {b1[j]:.1f}, to output {W2[j, 0]:.1f}", fontsize=9)
    np.atleast_1d(axes)[0].set_ylabel("weight")
    fig.suptitle(f"Symmetry net: input weights of the two hidden units (output bias {b2[0]:.1f})", fontsize=10)
    return fig


def plot_hidden_codes(codes: Any, *, row_labels: Sequence[str] | None = None, title: str = "") -> Any:
    """Hidden-unit activities (rows: input patterns, columns: hidden units), 0 white to 1 black."""
    codes = checks.check_shaped(codes, "codes", ((1, 64), (1, 32)), owner="plot_hidden_codes")
    if row_labels is not None:
        checks.check_names(row_labels, codes.shape[0], owner="plot_hidden_codes", name="row_labels")
    fig, ax = new_figure(figsize=(max(3.8, 1.4 + 0.6 * codes.shape[1]), 0.8 + 0.32 * codes.shape[0]))
    ax.imshow(codes, cmap="Greys", vmin=0, vmax=1, aspect="auto")
    for (i, j), v in np.ndenumerate(codes):
        ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=7, color="white" if v > 0.5 else "black")
    ax.set_xticks(range(codes.shape[1]), [f"h{j + 1}" for j in range(codes.shape[1])])
    ax.set_yticks(range(codes.shape[0]), row_labels or [f"{i}" for i in range(codes.shape[0])], fontsize=7)
    ax.set_title(title, fontsize=10)
    return fig


def plot_person_encoding(W: Any, people: Sequence[str], *, title: str = "") -> Any:
    """The weights from the 24 person units to each of the 6 encoding units (Nature Fig. 4).

    One Hinton diagram per encoding unit: English people on the top row, their Italian
    counterparts directly below, in the order of ``annhist.datasets.family_trees.PEOPLE``.
    """
    W = checks.check_shaped(W, "W", ((2, 128), (1, 12)), owner="plot_person_encoding")
    if W.shape[0] % 2:                                              # English people, then Italian
        raise ValueError(f"The 'W' parameter of plot_person_encoding must have even rows. Got shape {W.shape} instead.")
    checks.check_names(people, W.shape[0], owner="plot_person_encoding", name="people")
    n_units = W.shape[1]
    fig, axes = new_figure(n_units, 1, figsize=(7.2, 0.95 * n_units + 0.6))
    top = float(np.max(np.abs(W)))
    half = len(people) // 2
    for k, ax in enumerate(np.atleast_1d(axes)):
        grid = W[:, k].reshape(2, half)                     # (24,) -> (2, 12): English row, Italian row
        hinton(ax, grid, max_weight=top)
        ax.set_ylabel(f"unit {k + 1}", rotation=0, ha="right", va="center", fontsize=8)
        if k == n_units - 1:
            ax.set_xticks(range(half), [f"{a}\n{b}" for a, b in zip(people[:half], people[half:])], fontsize=6,
                          rotation=90)
    fig.suptitle(title or "Weights from each person to the six person-encoding units", fontsize=10)
    return fig


def plot_layer_gradients(norms: Mapping[str, Sequence[float]], *, title: str = "") -> Any:
    """Size of dE/dW per layer (layer 1 = nearest the input), one line per net, log scale."""
    checks.check_curves(norms, owner="plot_layer_gradients", name="norms", min_val=0)
    fig, ax = new_figure(figsize=(5.6, 3.2))
    for k, (label, v) in enumerate(norms.items()):
        ax.plot(np.arange(1, len(v) + 1), v, "o-", label=label, color=COLORS[k % len(COLORS)])
    ax.set_yscale("log")
    ax.set_xlabel("layer (1 = next to the input)")
    ax.set_ylabel("RMS of dE/dw")
    ax.set_title(title)
    ax.legend(frameon=False, fontsize=8)
    return fig


def plot_bump_approximation(f: Callable[[np.ndarray], np.ndarray], a: float, b: float, nets: Mapping[str, Any]) -> Any:
    """``f`` on ``[a, b]`` (grey) and the outputs of the bump networks ``nets`` ({label: MLP})."""
    checks.check_callable(f, owner="plot_bump_approximation")
    check_scalar(b, "b", owner="plot_bump_approximation", min_val=check_scalar(a, "a", owner="plot_bump_approximation"),
                 include_min=False)
    checks.check_labelled(nets, owner="plot_bump_approximation", name="nets", what="nets of one input (MLPs)",
                          test=lambda n: callable(getattr(n, "predict", None)) and getattr(n, "sizes", [1])[0] == 1)
    x = np.linspace(a, b, 801)
    fig, ax = new_figure(figsize=(5.6, 3.4))
    ax.plot(x, f(x), color="0.6", lw=3, label="$f$")
    for k, (label, net) in enumerate(nets.items()):
        ax.plot(x, net.predict(x[:, None])[:, 0], color=COLORS[k % len(COLORS)], lw=1.2, label=label)
    ax.set_xlabel("$x$")
    ax.set_ylabel("output")
    ax.legend(fontsize=8, frameon=False, loc="best")
    return fig


def plot_learning_curves(curves: Mapping[str, Mapping[str, Any]], *, key: str = "error") -> Any:
    """Training (dashed) and validation (solid) ``key`` ('error' or 'loss') per epoch, one colour per run;
    a dot marks each run's epoch of lowest validation loss (early stopping)."""
    key = check_choice(key, "key", ("error", "loss"), owner="plot_learning_curves")
    for label, c in checks.check_labelled(curves, owner="plot_learning_curves", name="curves", what="dicts").items():
        owner = f"plot_learning_curves (run {label!r})"
        epochs = checks.check_history(c, ("epoch", f"train_{key}", f"val_{key}"), owner=owner, name="curves")["epoch"]
        if c.get("best_epoch") not in list(epochs):
            raise ValueError(f"The 'best_epoch' entry of the 'curves' parameter of {owner} must be one of its epochs. "
                             f"Got {c.get('best_epoch')!r} instead.")
    fig, ax = new_figure(figsize=(5.8, 3.6))
    for k, (label, c) in enumerate(curves.items()):
        color = COLORS[k % len(COLORS)]
        ax.plot(c["epoch"], c[f"train_{key}"], ls="--", color=color, lw=1.2, label=f"{label}: training")
        ax.plot(c["epoch"], c[f"val_{key}"], color=color, lw=1.6, label=f"{label}: validation")
        i = list(c["epoch"]).index(c["best_epoch"])
        ax.plot(c["epoch"][i], c[f"val_{key}"][i], "o", color=color, ms=6)
    ax.set_xlabel("epoch")
    ax.set_ylabel("misclassification rate" if key == "error" else "loss")
    ax.legend(fontsize=7, frameon=False, loc="upper right")
    return fig
