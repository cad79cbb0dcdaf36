"""Figures of the perceptron chapter: boundaries, the learning animation, Novikoff, the Mark I."""

from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np
from matplotlib.animation import FuncAnimation

from annhist.perceptron.rule import fold_bias, replay_corrections, rosenblatt_epoch
from annhist.plotting.animation import animation_html, fix_layout
from annhist.plotting.checks import check_dpi, check_indices, check_labels, check_names, check_text, check_vector
from annhist.plotting.style import COLORS, new_figure
from annhist.validation import check_array, check_binary_labels, check_scalar, check_X_y

__all__ = ["perceptron_path", "plot_boundary", "animate_perceptron", "animation_html", "plot_novikoff",
           "plot_retina", "plot_wiring", "plot_shift_generalization", "plot_pocket", "plot_cover", "MAX_PATH_STATES"]

#: The most states :func:`perceptron_path` records, one dict per correction (XOR makes four an epoch for ever:
#: ``epochs=10**9`` never finished).
MAX_PATH_STATES = 100_000


def _line(ax: Any, w: np.ndarray, b: float, xlim: tuple[float, float], **kw: Any) -> Any:
    """Draw w[0] x + w[1] y + b = 0 inside ``xlim`` (vertical if w[1] == 0); return the artist."""
    xs = np.array(xlim)
    if w[1] != 0:
        return ax.plot(xs, -(w[0] * xs + b) / w[1], **kw)[0]
    x0 = -b / w[0] if w[0] != 0 else np.nan
    return ax.plot([x0, x0], ax.get_ylim(), **kw)[0]


def _scatter_classes(ax: Any, X: np.ndarray, y: np.ndarray, names: Sequence[str]) -> None:
    classes = np.unique(y)
    for k, (cls, marker) in enumerate(zip(classes, "os")):
        pts = X[y == cls]
        ax.scatter(pts[:, 0], pts[:, 1], s=18, marker=marker, color=COLORS[k], label=str(cls), zorder=3)
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])


def _limits(X: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]]:
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.08 * (hi - lo)
    return (lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1])


def perceptron_path(X: Any, y: Any, *, eta: float = 1.0, epochs: int = 100) -> list[dict[str, Any]]:
    """Every correction of Rosenblatt's rule from w = 0 (samples in order), for plotting.

    Returns one dict per state: ``{"epoch", "sample", "weights", "bias"}`` -- the first is the
    start (``sample = -1``), then one after each correction (computed by
    :func:`annhist.perceptron.rosenblatt_epoch`). At most ``MAX_PATH_STATES`` states are kept: more is refused.
    """
    X, y = check_X_y(X, y, owner="perceptron_path")
    _, y_pm = check_binary_labels(y, owner="perceptron_path")
    check_scalar(epochs, "epochs", owner="perceptron_path", kind=numbers.Integral, min_val=1)
    Xa = fold_bias(X)
    w = np.zeros(Xa.shape[1])
    path = [{"epoch": 0, "sample": -1, "weights": w[:-1].copy(), "bias": 0.0}]
    for epoch in range(1, epochs + 1):
        w_end, updated = rosenblatt_epoch(Xa, y_pm, w, eta=eta)
        for i, w_i in zip(updated, replay_corrections(Xa, y_pm, w, updated, eta)):   # one by one
            path.append({"epoch": epoch, "sample": int(i), "weights": w_i[:-1].copy(), "bias": float(w_i[-1])})
        w = w_end
        if updated.size == 0:
            break
        if len(path) > MAX_PATH_STATES:
            raise ValueError(f"The 'epochs' parameter of perceptron_path ({epochs}) lets the rule make more than "
                             f"MAX_PATH_STATES = {MAX_PATH_STATES} corrections (by epoch {epoch}; the data are far "
                             f"from linearly separable). Lower epochs.")
    return path


def plot_boundary(X: Any, y: Any, weights: np.ndarray, bias: float, *, feature_names: Sequence[str] = ("x1", "x2"),
                  title: str = "") -> Any:
    """Two-feature data and the line ``weights . x + bias = 0``."""
    owner = "plot_boundary"
    X, y = check_X_y(X, y, owner=owner)
    if X.shape[1] != 2:
        raise ValueError(f"The 'X' parameter of {owner} must have two features. Got shape {X.shape} instead.")
    check_binary_labels(y, owner=owner)
    weights = check_vector(weights, "weights", owner=owner, size=2, like="one per feature")
    check_scalar(bias, "bias", owner=owner)
    feature_names = check_names(feature_names, 2, owner=owner, name="feature_names")
    check_text(title, owner=owner, name="title")
    fig, ax = new_figure(figsize=(4.4, 3.4))
    xlim, ylim = _limits(X)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    _scatter_classes(ax, X, y, feature_names)
    _line(ax, np.asarray(weights, dtype=float), float(bias), xlim, color="0.2", lw=1.5)
    ax.legend(loc="best", fontsize=8, frameon=False)
    ax.set_title(title)
    return fig


def animate_perceptron(X: Any, y: Any, *, feature_names: Sequence[str] = ("x1", "x2"), eta: float = 1.0,
                       epochs: int = 100, max_frames: int = 40, figsize: tuple[float, float] = (4.6, 3.4),
                       dpi: int = 100) -> FuncAnimation:
    """An animation of the decision line after each correction (at most ``max_frames`` frames).

    Each frame circles the sample that caused the correction. Embed it with
    ``animation_html(anim)``.
    """
    owner = "animate_perceptron"
    X, y = check_X_y(X, y, owner=owner)
    if X.shape[1] != 2:
        raise ValueError(f"The 'X' parameter of {owner} must have 2 features (the plane drawn). Got {X.shape[1]}.")
    feature_names, dpi = check_names(feature_names, 2, owner=owner, name="feature_names"), check_dpi(dpi, owner=owner)
    check_scalar(max_frames, "max_frames", owner=owner, kind=numbers.Integral, min_val=1, max_val=1000)
    check_vector(figsize, "figsize", owner=owner, size=2, min_val=0.5, max_val=50)
    path = perceptron_path(X, y, eta=eta, epochs=epochs)
    keep = np.unique(np.linspace(0, len(path) - 1, min(max_frames, len(path))).round().astype(int))
    frames = [path[k] for k in keep]
    fig, ax = new_figure(figsize=figsize)
    fig.set_dpi(dpi)
    xlim, ylim = _limits(X)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    _scatter_classes(ax, X, y, feature_names)
    ax.legend(loc="upper left", fontsize=9, frameon=False)
    line = ax.plot([], [], color="0.2", lw=1.5)[0]
    ring = ax.scatter([], [], s=110, facecolors="none", edgecolors="k", lw=1.2, zorder=4)
    label = ax.set_title("", fontsize=10)

    def draw(k: int) -> tuple[Any, ...]:
        st = frames[k]
        w, b = st["weights"], st["bias"]
        xs = np.array(xlim)
        if w[1] != 0:
            line.set_data(xs, -(w[0] * xs + b) / w[1])
        elif w[0] != 0:
            line.set_data([-b / w[0]] * 2, list(ylim))
        else:
            line.set_data([], [])
        ring.set_offsets(X[st["sample"]][None, :] if st["sample"] >= 0 else np.empty((0, 2)))
        text = "start: w = 0" if st["sample"] < 0 else f"epoch {st['epoch']}: correction on sample {st['sample']}"
        label.set_text(text)
        return line, ring, label

    fix_layout(fig, lambda: draw(0))
    return FuncAnimation(fig, draw, frames=len(frames), interval=600, blit=False, repeat=False)


def plot_novikoff(updates: Any, bounds: Any, margins: Any | None = None) -> Any:
    """Actual corrections against Novikoff's bound (R/gamma)^2, log-log, one point per data set."""
    updates = check_vector(updates, "updates", owner="plot_novikoff", min_val=0)
    same = {"owner": "plot_novikoff", "size": updates.size, "like": "as many as 'updates'", "min_val": 0,
            "include_min": False}                      # both drawn on log scales
    bounds = check_vector(bounds, "bounds", **same)
    if margins is not None:
        margins = check_vector(margins, "margins", **same)
    fig, ax = new_figure(figsize=(4.8, 3.8))
    color = np.log10(margins) if margins is not None else COLORS[0]
    sc = ax.scatter(bounds, np.maximum(updates, 1), c=color, s=22, cmap="viridis", zorder=3)
    lim = [min(bounds.min(), np.maximum(updates, 1).min()) * 0.7, bounds.max() * 1.5]
    ax.plot(lim, lim, color="0.3", lw=1, ls="--", label="corrections = bound")
    ax.fill_between(lim, lim, [lim[1] * 10] * 2, color="0.92", zorder=0, lw=0)
    ax.text(lim[0] * 1.5, lim[1] * 0.3, "ruled out by\nthe theorem", fontsize=8, color="0.4", va="top")
    ax.set_ylim(0.7, lim[1] * 1.2)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"Novikoff's bound $(R/\gamma)^2$")
    ax.set_ylabel("corrections made")
    if margins is not None:
        fig.colorbar(sc, ax=ax, label=r"$\log_{10}$ of the gap in the data")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return fig


def plot_retina(images: Any, labels: Any, *, ncols: int = 6, title: str = "") -> Any:
    """A grid of 20 x 20 retina images with their labels."""
    shape = check_array(images, "images", ndim=(2, 3), owner="plot_retina", copy=False).shape
    if shape[1:] not in ((400,), (20, 20)):
        raise ValueError(f"The 'images' parameter of plot_retina must be (n, 400) or (n, 20, 20) retina images. "
                         f"Got shape {shape} instead.")
    check_labels(labels, shape[0], owner="plot_retina")
    check_scalar(ncols, "ncols", owner="plot_retina", kind=numbers.Integral, min_val=1, max_val=100)
    check_text(title, owner="plot_retina", name="title")
    images = np.asarray(images).reshape(-1, 20, 20)           # (n, 400) or (n, 20, 20) -> (n, 20, 20)
    n = images.shape[0]
    nrows = int(np.ceil(n / ncols))
    fig, axes = new_figure(nrows, ncols, figsize=(1.2 * ncols, 1.3 * nrows + (0.3 if title else 0)), squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        ax.set_axis_off()
        if k < n:
            ax.imshow(images[k], cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
            ax.set_title(str(np.asarray(labels)[k]), fontsize=8)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def plot_wiring(connections: np.ndarray, *, units: Sequence[int] = (0, 1, 2, 3), max_fan_out: int = 40) -> Any:
    """The retina cells wired to a few A-units (+1 excitatory, -1 inhibitory), and the fan-out."""
    from matplotlib.colors import ListedColormap

    C = check_array(connections, "connections", ndim=2, owner="plot_wiring", copy=False)
    if C.shape[1] != 400 or not np.all(np.isin(C, (-1, 0, 1))):
        raise ValueError(f"The 'connections' parameter of plot_wiring must be an (A-units, 400) array of -1, 0 and +1. "
                         f"Got shape {C.shape} with values {np.unique(C)[:6].tolist()} instead.")
    units = check_indices(units, C.shape[0], owner="plot_wiring", name="units")
    check_scalar(max_fan_out, "max_fan_out", owner="plot_wiring", kind=numbers.Integral, min_val=1, max_val=10_000)
    C = np.asarray(connections)
    cmap = ListedColormap([COLORS[1], "0.93", COLORS[0]])      # -1, 0, +1
    fig, axes = new_figure(1, len(units) + 1, figsize=(1.75 * (len(units) + 1) + 0.8, 2.5))
    for ax, a in zip(axes, units):
        ax.imshow(C[a].reshape(20, 20), cmap=cmap, vmin=-1.5, vmax=1.5, interpolation="nearest")
        ax.set_title(f"A-unit {a}", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(True)
    fan_out = np.count_nonzero(C, axis=0)
    axes[-1].hist(fan_out, bins=np.arange(max_fan_out + 3) - 0.5, color="0.45")
    axes[-1].axvline(max_fan_out, color="k", ls="--", lw=1)
    axes[-1].set_xlabel("A-units fed by one S-unit", fontsize=8)
    axes[-1].set_ylabel("S-units", fontsize=8)
    axes[-1].tick_params(labelsize=7)
    fig.suptitle("S-units wired to each A-unit: blue excitatory (+1), orange inhibitory (-1); "
                 f"limit {max_fan_out} per S-unit (dashed)", fontsize=8)
    return fig


def plot_shift_generalization(shifts: Any, accuracy: Any, *, chance: float, trained_at: str = "centre") -> Any:
    """Test accuracy against the displacement of the figures from where they were learned."""
    owner = "plot_shift_generalization"
    n = check_vector(shifts, "shifts", owner=owner).size
    check_vector(accuracy, "accuracy", owner=owner, size=n, like="one per shift", min_val=0, max_val=1)
    check_scalar(chance, "chance", owner=owner, min_val=0, max_val=1)
    check_text(trained_at, owner=owner, name="trained_at")
    fig, ax = new_figure(figsize=(4.4, 3.0))
    ax.plot(shifts, accuracy, marker="o", color=COLORS[0], label="Mark I simulation")
    ax.axhline(chance, color="0.5", ls=":", label="chance")
    ax.set_ylim(0, 1.05)
    ax.set_xlabel(f"displacement from the {trained_at} (cells)")
    ax.set_ylabel("test accuracy")
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    return fig


def plot_pocket(perceptron_mistakes: Any, pocket_mistakes: Any, n_samples: int) -> Any:
    """Training errors per epoch: the perceptron's current weights against the pocket's."""
    n_samples = check_scalar(n_samples, "n_samples", owner="plot_pocket", kind=numbers.Integral, min_val=1)
    counts = {"owner": "plot_pocket", "min_val": 0, "max_val": n_samples, "integral": True}
    n = check_vector(pocket_mistakes, "pocket_mistakes", **counts).size
    check_vector(perceptron_mistakes, "perceptron_mistakes", size=n, like="as many as 'pocket_mistakes'", **counts)
    fig, ax = new_figure(figsize=(4.6, 3.0))
    epochs = np.arange(1, len(pocket_mistakes) + 1)
    ax.plot(epochs, np.asarray(perceptron_mistakes) / n_samples, color=COLORS[1], lw=1,
            label="perceptron (last weights)")
    ax.plot(epochs, np.asarray(pocket_mistakes) / n_samples, color=COLORS[0], lw=2, label="pocket (Gallant 1990)")
    ax.set_xlabel("epoch")
    ax.set_ylabel("training error")
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    return fig


def plot_cover(N: Any, measured: Any, theory: Any, dim: int) -> Any:
    """Fraction of separable random dichotomies against N: measured (dots) and C(N, d)/2^N (line)."""
    n = check_vector(N, "N", owner="plot_cover", min_val=1, integral=True).size
    for name, fraction in (("measured", measured), ("theory", theory)):
        check_vector(fraction, name, owner="plot_cover", size=n, like="one per entry of 'N'", min_val=0, max_val=1)
    check_scalar(dim, "dim", owner="plot_cover", kind=numbers.Integral, min_val=1)
    N = np.asarray(N)
    fig, ax = new_figure(figsize=(5.0, 3.4))
    ax.plot(N, theory, color=COLORS[0], lw=1.5, label=r"Cover: $C(N, d)/2^N$")
    ax.plot(N, measured, "o", color=COLORS[1], ms=4, label="measured (LP)")
    ax.axvline(2 * dim, color="0.5", lw=0.8, ls="--")
    ax.axhline(0.5, color="0.5", lw=0.8, ls=":")
    ax.text(2 * dim + 0.3, 0.9, f"$N = 2d = {2 * dim}$", fontsize=8, color="0.3")
    ax.set_xlabel("number of points $N$")
    ax.set_ylabel("fraction separable")
    ax.set_title(f"d = {dim}", fontsize=9)
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    return fig
