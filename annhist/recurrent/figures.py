"""Figures of the recurrent milestone; each function returns a matplotlib Figure."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from annhist.plotting import checks
from annhist.plotting.style import COLORS, new_figure
from annhist.validation import check_array, check_scalar

__all__ = ["plot_elman_error", "plot_error_flow", "plot_lag_success", "plot_reber_curve", "plot_unfolded"]


def _check_rows(X: Any, name: str, width: int) -> None:
    """One row or a stack of rows of ``width`` finite errors >= 0 (the RMS errors of one net per row)."""
    arr = check_array(X, name, ndim=(1, 2), owner="plot_elman_error", copy=False)
    if arr.shape[-1] != width or np.any(arr < 0):
        raise ValueError(f"The '{name}' parameter of plot_elman_error must hold RMS errors >= 0, shape ({width},) or "
                         f"(n_nets, {width}). Got shape {arr.shape}, values from {arr.min():g} instead.")


def plot_elman_error(rms_12: np.ndarray, rms_phase: np.ndarray) -> Figure:
    """Elman's Fig. 3: RMS error over 12 consecutive predictions, one thin line per net, and the mean."""
    _check_rows(rms_12, "rms_12", 12)
    _check_rows(rms_phase, "rms_phase", 3)
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
    checks.check_vector(curve, "curve", owner="plot_reber_curve", min_val=0, max_val=1)
    check_scalar(eval_every, "eval_every", owner="plot_reber_curve", kind=numbers.Integral, min_val=1, max_val=10**9)
    if row:
        checks.check_record(row, ("sequences", "success"), owner="plot_reber_curve", name="row")
        check_scalar(row["sequences"], "row", owner="plot_reber_curve", min_val=0, include_min=False)
        check_scalar(row["success"], "row", owner="plot_reber_curve", min_val=0, max_val=1)
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
    for name, flow in checks.check_curves(flows, owner="plot_error_flow", name="flows", min_val=0).items():
        if flow[0] <= 0:                                    # the curves are drawn relative to it
            raise ValueError(f"The '{name}' entry of the 'flows' parameter of plot_error_flow must start with a norm "
                             f"> 0. Got {flow[0]:g} instead.")
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
    owner, keys = "plot_lag_success", ("delay", "rnn_success", "lstm_success")
    if not isinstance(rows, (list, tuple)) or not rows:
        raise (ValueError if isinstance(rows, (list, tuple)) else TypeError)(
            f"The 'rows' parameter of {owner} must be a non-empty list of dicts with the keys {keys}. Got {rows!r:.60} "
            f"instead.")
    for r in rows:
        checks.check_record(r, keys, owner=owner, name="rows")
    for k in keys:                                          # delays on a log axis, success rates from 0 to 1
        checks.check_vector([r[k] for r in rows], "rows", owner=owner, key=k, min_val=0, include_min=k != "delay",
                            max_val=None if k == "delay" else 1)
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
    check_scalar(T, "T", owner="plot_unfolded", kind=numbers.Integral, min_val=1, max_val=20)
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
