"""Figures for the chapter "Anatomy of a neural network"."""

from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np

from annhist.activations import ACTIVATIONS
from annhist.losses import half_sse, softmax_cross_entropy
from annhist.plotting.checks import check_names
from annhist.plotting.style import COLORS, new_figure
from annhist.validation import check_scalar, lookup

__all__ = ["plot_network", "plot_activations", "plot_losses"]


def plot_network(layer_sizes: Sequence[int] = (3, 4, 2), *, labels: Sequence[str] = ("input", "hidden", "output")
                 ) -> Any:
    """A layered network drawn as circles (units) and lines (weights), layer names below."""
    ok = isinstance(layer_sizes, (Sequence, np.ndarray)) and not isinstance(layer_sizes, str) and \
        2 <= len(layer_sizes) <= 12 and all(isinstance(s, numbers.Integral) and not isinstance(s, (bool, np.bool_))
                                            and 1 <= s <= 64 for s in layer_sizes)
    if not ok:
        raise ValueError(f"The 'layer_sizes' parameter of plot_network must list 2 to 12 ints from 1 to 64. Got "
                         f"{layer_sizes!r:.60} instead.")
    check_names(labels, 2 if isinstance(labels, Sequence) and len(labels) == 2 else 3, owner="plot_network",
                name="labels")
    sizes = list(layer_sizes)
    fig, ax = new_figure(figsize=(1.9 * len(sizes) + 1, 3.4))
    top = max(sizes)
    pos = [[(i, (n - 1) / 2 - j) for j in range(n)] for i, n in enumerate(sizes)]
    for left, right in zip(pos, pos[1:]):
        for (x0, y0) in left:
            for (x1, y1) in right:
                ax.plot([x0, x1], [y0, y1], color="0.7", lw=0.8, zorder=1)
    for i, layer in enumerate(pos):
        color = COLORS[0] if i == 0 else COLORS[1] if i == len(pos) - 1 else COLORS[2]
        for (x, y) in layer:
            ax.scatter([x], [y], s=420, color="white", edgecolor=color, linewidth=2, zorder=2)
        name = labels[0] if i == 0 else labels[-1] if i == len(pos) - 1 else labels[1] if len(labels) > 2 else ""
        ax.text(i, -(top / 2) - 0.35, f"{name}\n({sizes[i]} units)", ha="center", va="top", fontsize=9)
    ax.set_xlim(-0.6, len(sizes) - 0.4)
    ax.set_ylim(-(top / 2) - 1.3, top / 2 + 0.2)
    ax.set_axis_off()
    return fig


def plot_activations(names: Sequence[str] = ("sigmoid", "tanh", "relu"), *, lim: float = 5.0) -> Any:
    """Each activation f(a) (solid) and its derivative f'(a) (dashed), on -lim..lim."""
    if isinstance(names, (str, bytes)) or not isinstance(names, Sequence) or not 1 <= len(names) <= 6:
        raise ValueError(f"The 'names' parameter of plot_activations must be a sequence of 1 to 6 activation names. "
                         f"Got {names!r:.60} instead.")
    for name in names:
        lookup(name, ACTIVATIONS, "names", owner="plot_activations")
    check_scalar(lim, "lim", owner="plot_activations", min_val=0, include_min=False, max_val=100)
    fig, axes = new_figure(1, len(names), figsize=(3.3 * len(names), 2.9), sharey=True)
    axes = np.atleast_1d(axes)
    a = np.linspace(-lim, lim, 401)
    for ax, name in zip(axes, names):
        act = ACTIVATIONS[name]
        ax.axhline(0, color="0.8", lw=0.8)
        ax.axvline(0, color="0.8", lw=0.8)
        ax.plot(a, act.f(a), color=COLORS[0], lw=2, label="f(a)")
        ax.plot(a, act.f_prime(a), color=COLORS[1], lw=1.6, ls="--", label="f'(a)")
        ax.set_title(name)
        ax.set_xlabel("net input a")
        ax.set_ylim(-1.3, 2.2)
    axes[0].legend(loc="upper left", frameon=False)
    return fig


def plot_losses() -> Any:
    """For one output and target 1: the squared error 1/2 (y - 1)^2 of a sigmoid unit, and the
    cross-entropy of a two-class softmax, both against the net input z."""
    fig, ax = new_figure(figsize=(5.2, 3.2))
    z = np.linspace(-6, 6, 241)
    y = 1.0 / (1.0 + np.exp(-z))
    sse = [half_sse(np.array([[yi]]), np.array([[1.0]])) for yi in y]
    ce = [softmax_cross_entropy(np.array([[zi, 0.0]]), np.array([0])) for zi in z]
    ax.plot(z, sse, color=COLORS[0], lw=2, label=r"squared error $\frac{1}{2}(\sigma(z)-1)^2$")
    ax.plot(z, ce, color=COLORS[1], lw=2, label=r"cross-entropy $-\log \mathrm{softmax}(z, 0)_0$")
    ax.set_xlabel("net input z (the right answer is class 0 / target 1)")
    ax.set_ylabel("loss")
    ax.legend(frameon=False)
    return fig
