"""Figures for the chapter "1960: ADALINE": the MSE bowl, the letters, the knobs, MADALINE on XOR."""

from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np

from annhist.adaline.lms import least_squares, mse_surface
from annhist.adaline.madaline import Madaline
from annhist.plotting.checks import check_history, check_labels, check_names, check_slice, check_text, check_vector
from annhist.plotting.style import COLORS, new_figure
from annhist.validation import check_array, check_binary_labels, check_scalar, check_X_y

__all__ = ["plot_lms_trajectories", "plot_letters", "plot_adaline_weights", "plot_learning_curve",
           "plot_boundary_drift", "plot_madaline_xor", "plot_noise_cancelling"]


def _fmt(v: float) -> str:
    """A signed number with two decimals, never "-0.00"."""
    return f"{(0.0 if abs(v) < 0.005 else float(v)):+.2f}"


def _check_runs(runs: Any, owner: str, *, lms: bool) -> None:
    """``runs``: a non-empty sequence of ``(label, weights (T, 2), diverged)`` (``lms``) or ``(label, weights (T, 2),
    bias (T,))``, with finite numbers."""
    what = "(label, weights (T, 2), diverged)" if lms else "(label, weights (T, 2), bias (T,))"
    for run in runs if isinstance(runs, (list, tuple)) and runs else [runs]:
        ok = isinstance(run, (tuple, list)) and len(run) == 3 and isinstance(run[0], str) and run is not runs
        if ok:
            W = check_array(run[1], "runs", ndim=2, owner=owner, copy=False)
            last = isinstance(run[2], (bool, np.bool_)) if lms else \
                check_array(run[2], "runs", ndim=1, owner=owner, copy=False).shape == W.shape[:1]
            ok = W.shape[1] == 2 and last
        if not ok:
            raise ValueError(f"The 'runs' parameter of {owner} must be a non-empty list of {what}. "
                             f"Got {' '.join(repr(run).split())[:100]} instead.")


def plot_lms_trajectories(X: np.ndarray, d: np.ndarray, runs: Sequence[tuple[str, np.ndarray, bool]], *,
                          margin: float = 1.0, max_steps: int = 20) -> Any:
    """Left: contours of the MSE over (w1, w0) with LMS weight trajectories; right: MSE per epoch.

    ``X`` has one feature, so the folded weights are (w0, w1).  ``runs`` holds
    ``(label, weights, diverged)`` with ``weights`` of shape (T, 2), bias first (an
    ``Adaline.history_["weights"]``); ``diverged`` marks a run stopped by
    :class:`~annhist.DivergenceError`.  Paths show at most ``max_steps`` epochs and stop where
    they leave the frame (the start and ``w*`` plus ``margin``); the learning curves show all.
    """
    owner = "plot_lms_trajectories"
    X = check_array(X, "X", ndim=2, owner=owner)
    if X.shape[1] != 1:
        raise ValueError(f"The 'X' parameter of {owner} must have one feature. Got shape {X.shape} instead.")
    d = check_vector(d, "d", owner=owner, size=X.shape[0], like="one per row of 'X'")
    _check_runs(runs, owner, lms=True)
    margin = check_scalar(margin, "margin", owner=owner, min_val=0, include_min=False)
    max_steps = check_scalar(max_steps, "max_steps", owner=owner, kind=numbers.Integral, min_val=1)
    w_ls, b_ls = least_squares(X, d)
    start = np.asarray(runs[0][1])[0]                        # (w0, w1) where the runs begin
    c0, c1 = (b_ls + start[0]) / 2, (w_ls[0] + start[1]) / 2
    half = max(abs(start[0] - b_ls), abs(start[1] - w_ls[0])) / 2 + margin
    fig, (ax, ax2) = new_figure(1, 2, figsize=(10, 4.3), width_ratios=(1.1, 1))
    g1 = np.linspace(c1 - half, c1 + half, 201)
    g0 = np.linspace(c0 - half, c0 + half, 201)
    B, W = np.meshgrid(g0, g1, indexing="xy")              # (201, 201) each
    Z = mse_surface(X, d, np.stack([B, W], axis=-1))        # (201, 201, 2) -> (201, 201)
    levels = np.quantile(Z, [0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9])
    cs = ax.contour(W, B, Z, levels=np.unique(levels), colors="0.6", linewidths=0.8)
    ax.clabel(cs, fmt="%.2g", fontsize=7)
    ax.scatter([w_ls[0]], [b_ls], marker="*", s=160, color="k", zorder=5, label="least squares $w^*$")
    for i, (label, weights, diverged) in enumerate(runs):
        path = np.asarray(weights)[: max_steps + 1]
        outside = np.flatnonzero(np.max(np.abs(path - [c0, c1]), axis=1) > half)
        path = path[: outside[0] + 1] if outside.size else path        # stop once it leaves the frame
        color = COLORS[i % len(COLORS)]
        ax.plot(path[:, 1], path[:, 0], "-o", ms=3, lw=1.2, color=color, label=label, zorder=3)
        mse = mse_surface(X, d, np.asarray(weights))
        ax2.semilogy(np.arange(mse.size), mse, color=color, lw=1.6,
                     label=label + (" (stopped: DivergenceError)" if diverged else ""))
        if diverged:
            ax2.scatter([mse.size - 1], [mse[-1]], marker="x", s=60, color=color, zorder=4)
    ax.scatter([start[1]], [start[0]], marker="s", s=40, color="k", zorder=4, label="start")
    ax.set_xlim(g1[0], g1[-1])
    ax.set_ylim(g0[0], g0[-1])
    ax.set_aspect("equal")
    ax.set_xlabel("weight $w_1$")
    ax.set_ylabel("bias weight $w_0$")
    ax.set_title("MSE contours and LMS paths")
    ax.legend(loc="upper right", fontsize=7.5, framealpha=0.9)
    ax2.axhline(float(mse_surface(X, d, np.array([b_ls, w_ls[0]]))), color="k", ls=":", lw=1, label="minimum MSE")
    ax2.set_xlabel("epoch")
    ax2.set_ylabel("mean squared error")
    ax2.set_title("Learning curves")
    ax2.legend(fontsize=7.5, frameon=False)
    return fig


def plot_letters(X: np.ndarray, labels: Sequence[Any], *, outputs: Sequence[float] | None = None,
                 ncols: int | None = None) -> Any:
    """Patterns on the 4x4 switch grid (+1 dark, -1 light), titled by label (and ADALINE output)."""
    X = check_array(X, "X", ndim=2, owner="plot_letters")
    n = X.shape[0]
    if X.shape[1] != 16:
        raise ValueError(f"The 'X' parameter of plot_letters must have 16 columns (a 4x4 grid). Got shape {X.shape} "
                         f"instead.")
    check_labels(labels, n, owner="plot_letters")
    if outputs is not None:
        check_vector(outputs, "outputs", owner="plot_letters", size=n, like="one per row of 'X'")
    if ncols is not None:
        check_scalar(ncols, "ncols", owner="plot_letters", kind=numbers.Integral, min_val=1, max_val=100)
    ncols = ncols or n
    nrows = int(np.ceil(n / ncols))
    fig, axes = new_figure(nrows, ncols, figsize=(1.35 * ncols, 1.6 * nrows), squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        ax.set_xticks([])
        ax.set_yticks([])
        if k >= n:
            ax.set_axis_off()
            continue
        ax.imshow(X[k].reshape(4, 4), cmap="Greys", vmin=-1.5, vmax=1.2)   # (16,) -> (4, 4)
        ax.set_xticks(np.arange(-0.5, 4), minor=True)
        ax.set_yticks(np.arange(-0.5, 4), minor=True)
        ax.grid(which="minor", color="0.75", lw=0.6)
        ax.tick_params(which="minor", length=0)
        ax.spines[["left", "bottom"]].set_visible(False)
        title = str(labels[k]) if outputs is None else f"{labels[k]}: s = {_fmt(outputs[k])}"
        ax.set_title(title, fontsize=8)
    return fig


def plot_adaline_weights(weights: np.ndarray, bias: float, *, knobs: np.ndarray | None = None,
                         title: str = "learned weights") -> Any:
    """The 16 weights of a letters ADALINE as a 4x4 map, each cell labelled (knob position if given)."""
    owner = "plot_adaline_weights"
    w = check_array(weights, "weights", ndim=(1, 2), owner=owner)
    if w.size != 16:
        raise ValueError(f"The 'weights' parameter of {owner} must hold 16 weights. Got shape {w.shape} instead.")
    w = w.reshape(4, 4)                                     # (16,) -> (4, 4)
    check_scalar(bias, "bias", owner=owner)
    if knobs is not None:
        knobs = check_vector(knobs, "knobs", owner=owner, size=17, like="bias first", integral=True)
    check_text(title, owner=owner, name="title")
    fig, ax = new_figure(figsize=(3.3, 3.2))
    lim = float(np.max(np.abs(w))) or 1.0
    ax.imshow(w, cmap="RdBu_r", vmin=-lim, vmax=lim)
    cells = np.asarray(knobs)[1:].reshape(4, 4) if knobs is not None else w   # knobs: bias first
    for (r, c), v in np.ndenumerate(cells):
        ax.text(c, r, f"{int(v):+d}" if knobs is not None else _fmt(v), ha="center", va="center", fontsize=8,
                color="white" if abs(w[r, c]) > 0.6 * lim else "black")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.spines[["left", "bottom"]].set_visible(False)
    b = f"{int(knobs[0]):+d}" if knobs is not None else _fmt(bias)
    ax.set_title(f"{title}\n(bias {b})", fontsize=9)
    return fig


def plot_learning_curve(history: dict[str, np.ndarray], *, title: str = "") -> Any:
    """MSE (left axis, log scale) and misclassified patterns (right axis) per epoch."""
    history = check_history(history, ("mse", "errors"), owner="plot_learning_curve", min_val=0)
    check_text(title, owner="plot_learning_curve", name="title")
    fig, ax = new_figure(figsize=(5.6, 3.2))
    epochs = np.arange(len(history["mse"]))
    ax.semilogy(epochs, history["mse"], color=COLORS[0], lw=2, label="mean squared error")
    ax.set_xlabel("epoch")
    ax.set_ylabel("mean squared error", color=COLORS[0])
    ax2 = ax.twinx()
    ax2.step(epochs, history["errors"], where="post", color=COLORS[1], lw=1.5)
    ax2.set_ylabel("misclassified patterns", color=COLORS[1])
    ax2.set_ylim(bottom=0)
    ax2.spines["top"].set_visible(False)
    ax.set_title(title)
    return fig


def plot_boundary_drift(X: np.ndarray, y: np.ndarray, runs: Sequence[tuple[str, np.ndarray, np.ndarray]], *,
                        last: int = 10, axis_labels: tuple[str, str] = ("$x_1$", "$x_2$")) -> Any:
    """Where two-input linear units put their boundary, epoch after epoch.

    ``runs`` holds ``(label, weights, bias)`` with ``weights`` (T, 2) and ``bias`` (T,) at the
    end of each epoch.  Left: the data and each run's boundaries ``w . x + b = 0`` over its
    ``last`` epochs; right: the angle of each boundary's normal ``w`` per epoch.
    """
    owner = "plot_boundary_drift"
    X, y = check_X_y(X, y, owner=owner)
    if X.shape[1] != 2:
        raise ValueError(f"The 'X' parameter of {owner} must have two features. Got shape {X.shape} instead.")
    check_binary_labels(y, owner=owner)
    _check_runs(runs, owner, lms=False)
    last = check_scalar(last, "last", owner=owner, kind=numbers.Integral, min_val=1)
    axis_labels = check_names(axis_labels, 2, owner=owner, name="axis_labels")
    fig, (ax, ax2) = new_figure(1, 2, figsize=(10, 4.2))
    for cls, marker, color in zip(np.unique(y), ("o", "s"), ("0.55", "0.15")):
        pts = X[np.asarray(y) == cls]
        ax.scatter(pts[:, 0], pts[:, 1], marker=marker, s=18, facecolor="none", edgecolor=color, label=str(cls))
    lo, hi = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    t = np.linspace(-1.0, 1.0, 2) * 10 * float(np.max(np.abs([lo, hi])))
    for i, (label, weights, bias) in enumerate(runs):
        W, b = np.asarray(weights, dtype=float), np.asarray(bias, dtype=float)
        color = COLORS[i % len(COLORS)]
        for k in range(max(0, len(b) - last), len(b)):
            w = W[k]
            if not np.any(w):
                continue
            point = -b[k] * w / (w @ w)                       # the boundary's point nearest the origin
            direction = np.array([-w[1], w[0]]) / np.linalg.norm(w)
            line = point + t[:, None] * direction              # (2, 2): two far points on the line
            ax.plot(line[:, 0], line[:, 1], color=color, lw=1, alpha=0.8,
                    label=f"{label}: last {last} epochs" if k == len(b) - 1 else None)
        ax2.plot(np.arange(1, len(b) + 1), np.degrees(np.arctan2(W[:, 1], W[:, 0])), color=color, lw=1.4,
                 label=label)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel(axis_labels[0])
    ax.set_ylabel(axis_labels[1])
    ax.legend(fontsize=7.5, loc="upper left", framealpha=0.9)
    ax.set_title("Decision boundaries at the end of each epoch")
    ax2.set_xlabel("epoch")
    ax2.set_ylabel("direction of $w$ (degrees)")
    ax2.set_title("Does the boundary settle?")
    ax2.legend(fontsize=7.5, frameon=False)
    return fig


def plot_madaline_xor(net: Any, X: np.ndarray, y: np.ndarray, *, lim: float = 1.8) -> Any:
    """The input plane of a two-input MADALINE: each ADALINE's line and the logic unit's regions."""
    owner = "plot_madaline_xor"
    if not isinstance(net, Madaline):
        raise TypeError(f"The 'net' parameter of {owner} must be a Madaline. Got {type(net).__name__} instead.")
    n_in = getattr(net, "n_features_in_", None) if getattr(net, "weights_", None) is not None else None
    if n_in != 2:
        fitted = f"one fitted on {n_in} inputs" if n_in is not None else "an unfitted one"
        raise ValueError(f"The 'net' parameter of {owner} must be fitted on two inputs. Got {fitted} instead.")
    X, y = check_X_y(X, y, owner=owner)
    if X.shape[1] != 2:
        raise ValueError(f"The 'X' parameter of {owner} must have two features. Got shape {X.shape} instead.")
    unknown = set(y.tolist()) - set(net.classes_.tolist())
    if unknown:
        raise ValueError(f"The 'y' parameter of {owner} must hold the net's classes {net.classes_.tolist()}. Got "
                         f"{sorted(unknown, key=repr)[:5]} instead.")
    lim = check_scalar(lim, "lim", owner=owner, min_val=0, include_min=False)
    fig, ax = new_figure(figsize=(4.4, 4.2))
    g = np.linspace(-lim, lim, 301)
    G0, G1 = np.meshgrid(g, g)                               # (301, 301) each
    grid = np.column_stack([G0.ravel(), G1.ravel()])        # (301*301, 2)
    Z = net.decision_function(grid).reshape(G0.shape)
    ax.contourf(G0, G1, Z, levels=[-2, 0, 2], colors=["#f2f2f2", "#cfe3f1"])
    for i, (w, b) in enumerate(zip(net.weights_, net.bias_)):
        s = grid @ w + b
        ax.contour(G0, G1, s.reshape(G0.shape), levels=[0], colors=[COLORS[(i + 1) % len(COLORS)]], linewidths=1.8)
        ax.plot([], [], color=COLORS[(i + 1) % len(COLORS)], label=f"ADALINE {i + 1}: $s_{i + 1} = 0$")
    for cls, marker in zip(net.classes_, ("o", "s")):
        pts = X[np.asarray(y) == cls]
        ax.scatter(pts[:, 0], pts[:, 1], marker=marker, s=80, edgecolor="k", facecolor="white" if marker == "o"
                   else COLORS[0], zorder=4, label=f"class {cls}")
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(f"MADALINE ({net.output.upper()} output): shaded = class {net.classes_[1]}", fontsize=9)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=7.5, frameon=False)
    return fig


def plot_noise_cancelling(signal: Any, primary: Any, output: Any, *, window: slice = slice(0, 200)) -> Any:
    """Three stacked traces over ``window``: the clean signal, the primary input, the canceller's output."""
    owner = "plot_noise_cancelling"
    n = check_vector(signal, "signal", owner=owner).size
    for name, trace in (("primary", primary), ("output", output)):
        check_vector(trace, name, owner=owner, size=n, like="as many as 'signal'")
    check_slice(window, n, owner=owner)
    fig, axes = new_figure(3, 1, figsize=(6.0, 4.6), sharex=True)
    t = np.arange(len(signal))[window]
    for ax, y, title, color in zip(axes, (signal, primary, output),
                                   ("signal $s$", "primary input $d = s + n_0$", "canceller output $e$"),
                                   ("0.3", COLORS[1], COLORS[0])):
        ax.plot(t, np.asarray(y)[window], color=color, lw=1.0)
        ax.set_title(title, fontsize=9, loc="left")
    axes[-1].set_xlabel("sample $t$")
    return fig
