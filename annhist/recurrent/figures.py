"""Figures of the recurrent milestone; each function returns a matplotlib Figure."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from annhist.plotting.style import COLORS, new_figure

__all__ = ["plot_elman_error", "plot_error_flow", "plot_lag_success", "plot_reber_curve", "plot_unfolded"]


def plot_elman_error(rms_12: np.ndarray, rms_phase: np.ndarray) -> Figure:
    """Elman's Fig. 3: RMS error over 12 consecutive predictions, one thin line per net, and the mean."""
    fig, ax = new_figure(1, 1, figsize=(6.0, 3.2))
    steps = np.arange(1, 13)
    for k, row in enumerate(np.atleast_2d(rms_12)):
        ax.plot(steps, row, color=COLORS[0], alpha=0.3, lw=1, label="one net" if k == 0 else None)
    ax.plot(steps, np.atleast_2d(rms_12).mean(axis=0), color=COLORS[1], lw=2.5, marker="o", label="mean")
    for s in steps[2::3]:
        ax.axvline(s, color="0.85", lw=6, zorder=0)
    ax.set_xticks(steps)
    ax.set_xlabel("prediction (shaded: the target is the XOR of the two bits before)")
    ax.set_ylabel("RMS error")
    ax.set_ylim(0, max(0.6, float(np.max(rms_12)) + 0.05))
    ax.legend(frameon=False, loc="lower left")
    ax.set_title("Temporal XOR: the error falls on every third bit")
    return fig


def plot_reber_curve(curve: list[float], eval_every: int, row: dict[str, Any] | None) -> Figure:
    """Fraction of trials solved against training sequences, with the paper's mean sequences."""
    fig, ax = new_figure(1, 1, figsize=(6.0, 3.2))
    x = eval_every * np.arange(1, len(curve) + 1)
    ax.step(x, curve, where="post", color=COLORS[0], lw=2, label="ours: trials solved")
    if row:
        ax.axvline(row["sequences"], color=COLORS[1], ls="--",
                   label=f"paper: mean {row['sequences']:,} sequences ({row['success']:.0%})")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("training sequences per trial")
    ax.set_ylabel("fraction of trials solved")
    ax.legend(frameon=False, loc="upper left")
    ax.set_title("Embedded Reber grammar, LSTM (1997 rule)")
    return fig


def plot_error_flow(flows: dict[str, np.ndarray]) -> Figure:
    """Norm of the back-propagated error against the number of steps back, log scale."""
    fig, ax = new_figure(1, 1, figsize=(6.0, 3.4))
    for k, (name, flow) in enumerate(flows.items()):
        flow = np.asarray(flow)
        ax.semilogy(np.arange(len(flow)), np.maximum(flow / flow[0], 1e-300), color=COLORS[k % len(COLORS)],
                    lw=2.5 if "LSTM" in name else 1.5, label=name)
    ax.set_xlabel("steps back in time q")
    ax.set_ylabel("error norm (relative to q = 0)")
    ax.legend(frameon=False, fontsize=8)
    ax.set_title("Error flow back in time")
    return fig


def plot_lag_success(rows: list[dict[str, Any]]) -> Figure:
    """Success rate against the delay of Task 2a for the plain RNN and LSTM."""
    fig, ax = new_figure(1, 1, figsize=(5.0, 3.0))
    delays = [r["delay"] for r in rows]
    ax.plot(delays, [r["rnn_success"] for r in rows], marker="s", color=COLORS[0], label="plain RNN (BPTT)")
    ax.plot(delays, [r["lstm_success"] for r in rows], marker="o", color=COLORS[1], label="LSTM (1997)")
    ax.set_xscale("log", base=2)
    ax.set_xticks(delays, [str(d) for d in delays])
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlabel("delay p (steps the first symbol must be kept)")
    ax.set_ylabel("fraction of trials solved")
    ax.legend(frameon=False)
    return fig


def plot_unfolded(T: int = 4) -> Figure:
    """The unfolded net of RHW (1986): one layer per step, the same weights in every layer."""
    fig, ax = new_figure(1, 1, figsize=(6.0, 2.6))
    for t in range(T):
        for y, name in ((0, f"x{t + 1}"), (1, f"h{t + 1}"), (2, f"y{t + 1}")):
            ax.add_patch(_circle(t, y))
            ax.text(t, y, name, ha="center", va="center", fontsize=9)
        ax.annotate("", (t, 0.8), (t, 0.2), arrowprops={"arrowstyle": "->", "color": COLORS[0]})
        ax.annotate("", (t, 1.8), (t, 1.2), arrowprops={"arrowstyle": "->", "color": COLORS[2]})
        if t + 1 < T:
            ax.annotate("", (t + 0.8, 1), (t + 0.2, 1), arrowprops={"arrowstyle": "->", "color": COLORS[1]})
    ax.text(-0.6, 0.5, "W_xh", color=COLORS[0], fontsize=8)
    ax.text(0.35, 1.1, "W_hh", color=COLORS[1], fontsize=8)
    ax.text(-0.6, 1.5, "W_hy", color=COLORS[2], fontsize=8)
    ax.set_xlim(-0.8, T - 0.4)
    ax.set_ylim(-0.5, 2.5)
    ax.axis("off")
    return fig


def _circle(x: float, y: float) -> Any:
    from matplotlib.patches import Circle

    return Circle((x, y), 0.22, fill=False, lw=1.2)
