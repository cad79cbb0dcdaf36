"""Figures of the Hopfield chapter: recall of letters, energy descent, capacity curve, encoder codes."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from annhist.hopfield.checks import check_pm1, check_weights
from annhist.hopfield.rule import async_update, energy
from annhist.plotting import checks
from annhist.plotting.style import COLORS, new_figure
from annhist.validation import check_random_state, check_scalar

__all__ = ["plot_capacity", "plot_encoder", "plot_energy_descent", "plot_recall"]


def plot_recall(stored: np.ndarray, noisy: np.ndarray, recalled: np.ndarray, labels: str = "") -> Figure:
    """Three rows of 10x10 pictures: stored letters, noisy cues, what the net recalled."""
    stored = checks.check_shaped(stored, "stored", ((1, 26), 100), owner="plot_recall", min_val=-1, max_val=1)
    noisy, recalled = (checks.check_shaped(X, name, stored.shape, owner="plot_recall", min_val=-1, max_val=1)
                       for name, X in (("noisy", noisy), ("recalled", recalled)))
    if labels:
        checks.check_names(list(labels) if isinstance(labels, str) else labels, stored.shape[0], owner="plot_recall",
                           name="labels")
    n = stored.shape[0]
    fig, axes = new_figure(3, n, figsize=(1.4 * n, 4.4))
    axes = np.asarray(axes).reshape(3, n)
    for row, (title, X) in enumerate((("stored", stored), ("cue", noisy), ("recalled", recalled))):
        for j in range(n):
            ax = axes[row, j]
            ax.imshow(X[j].reshape(10, 10), cmap="gray_r", vmin=-1, vmax=1)   # (100,) -> (10, 10)
            ax.set_xticks([])
            ax.set_yticks([])
            if j == 0:
                ax.set_ylabel(title)
            if row == 0 and labels:
                ax.set_title(labels[j])
    return fig


def plot_energy_descent(net: Any, start: np.ndarray, random_state: Any = 0, sweeps: int = 3) -> Figure:
    """The energy after every single-unit asynchronous update from ``start``, for a few sweeps."""
    if not isinstance(getattr(net, "weights_", None), np.ndarray):
        raise TypeError(f"The 'net' parameter of plot_energy_descent must be a Hopfield net that stored patterns. "
                        f"Got {net!r:.60} instead.")
    n = check_weights(net.weights_, "net", owner="plot_energy_descent").shape[0]
    if n > 256:                                  # a sweep is N updates of O(N^2) each: 0.15 s at N = 256
        raise ValueError(f"The 'net' parameter of plot_energy_descent must have at most 256 units. Got {n} instead.")
    s = check_pm1(start, "start", owner="plot_energy_descent", ndim=1, n_units=n)
    check_scalar(sweeps, "sweeps", owner="plot_energy_descent", kind=numbers.Integral, min_val=1, max_val=20)
    rng = check_random_state(random_state, owner="plot_energy_descent")
    E = [energy(net.weights_, s)]
    for _ in range(sweeps):
        for i in rng.permutation(s.size):
            s = async_update(net.weights_, s, int(i))
            E.append(energy(net.weights_, s))
    fig, ax = new_figure(figsize=(5.0, 3.0))
    ax.plot(np.arange(len(E)) / s.size, E, color=COLORS[0])
    ax.set_xlabel("sweeps (N single-unit updates each)")
    ax.set_ylabel("energy E")
    return fig


def plot_capacity(results: dict[str, Any]) -> Figure:
    """Fraction of patterns recalled (< 5 errors) against the load P/N, with 0.138 and 0.15 marked."""
    checks.check_record(results, ("n100", "n400", "n100_zero_one"), owner="plot_capacity", name="results")
    for key in ("n100", "n400", "n100_zero_one"):
        checks.check_history(results[key], ("alpha", "recalled"), owner=f"plot_capacity (entry {key!r})",
                             name="results", min_val=0)
    fig, ax = new_figure(figsize=(5.5, 3.4))
    for key, label, color in (("n100", "N = 100", COLORS[0]), ("n400", "N = 400", COLORS[2]),
                              ("n100_zero_one", "N = 100, 0/1 units", COLORS[1])):
        c = results[key]
        ax.plot(c["alpha"], c["recalled"], "o-", color=color, label=label, markersize=3)
    ax.axvline(0.138, color=COLORS[7], linestyle="--", linewidth=1)
    ax.axvline(0.15, color=COLORS[4], linestyle=":", linewidth=1)
    ax.text(0.139, 0.05, "0.138", fontsize=8)
    ax.text(0.151, 0.15, "0.15", fontsize=8)
    ax.set_xlabel("load P / N")
    ax.set_ylabel("fraction recalled")
    ax.legend(frameon=False, fontsize=8)
    return fig


def plot_encoder(out: dict[str, Any]) -> Figure:
    """Left: when each machine first had a good code. Right: one machine's hidden codes."""
    cols = checks.check_history(out, ("first_good", "good_at_end"), owner="plot_encoder", name="out", min_val=-1)
    codes = checks.check_shaped(out.get("codes"), "out", (cols["first_good"].size, (1, 64), 2), owner="plot_encoder",
                                key="codes", min_val=0, max_val=1)
    fig, (a, b) = new_figure(1, 2, figsize=(8.0, 3.0))
    first = np.asarray(out["first_good"])
    found = np.sort(first[first > 0])
    n = first.size
    a.step(found, np.arange(1, found.size + 1) / n, where="post", color=COLORS[0])
    a.set_xlabel("learning cycles")
    a.set_ylabel("fraction with a good code")
    a.set_ylim(0, 1)
    a.set_xlim(0, None)
    k = int(np.argmax(out["good_at_end"])) if np.any(out["good_at_end"]) else 0
    b.imshow(codes[k], cmap="gray_r", vmin=0, vmax=1)
    b.set_xticks([0, 1], ["H1", "H2"])
    b.set_yticks(range(codes.shape[1]), [f"pattern {i + 1}" for i in range(codes.shape[1])])
    b.set_title("hidden code (black = on)")
    return fig
