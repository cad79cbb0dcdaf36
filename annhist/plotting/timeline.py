"""The timeline figure, drawn from ``annhist.history.MILESTONES`` and ``EVENTS``.

The time axis runs down the page, so the figure is drawn for the book's content column
(about 7 inches wide) with its text at the size of the page's own small print: the
milestones are labelled on the left of the axis, the context on the right, and labels that
would overlap are moved down and joined to their year by a short leader line.
"""

from __future__ import annotations

import numbers
from typing import Any, Sequence

from annhist.history import EVENTS, MILESTONES
from annhist.plotting.checks import check_flag
from annhist.plotting.style import COLORS, new_figure
from annhist.validation import check_scalar

__all__ = ["plot_timeline", "dodge"]


def dodge(years: Sequence[float], *, gap: float) -> list[float]:
    """Label positions for ``years`` (in any order): each label at its year or, when that is
    closer than ``gap`` to the label above it (in year order), just ``gap`` below it."""
    if gap <= 0:
        raise ValueError(f"The 'gap' parameter of dodge must be > 0. Got {gap!r} instead.")
    order = sorted(range(len(years)), key=lambda i: years[i])
    placed = [0.0] * len(years)
    last = float("-inf")
    for i in order:
        last = max(float(years[i]), last + gap)
        placed[i] = last
    return placed


def _side(ax: Any, items: Sequence[tuple[int, str, Any, bool]], *, right: bool, gap: float) -> None:
    """Draw one side's labels: (year, text, colour, bold) each, with leader lines."""
    sign = 1 if right else -1
    for (year, text, color, bold), y in zip(items, dodge([it[0] for it in items], gap=gap)):
        ax.plot([0, sign * 0.18, sign * 0.32], [year, year, y], color=color, lw=0.9, zorder=2)
        ax.scatter([0], [year], s=34 if bold else 18, color=color, zorder=3)
        ax.text(sign * 0.36, y, f"{year}  {text}", ha="left" if right else "right", va="center",
                fontsize=10.5 if bold else 10, color=color, fontweight="bold" if bold else "normal")


def plot_timeline(*, until: int = 2020, events: bool = True) -> Any:
    """A vertical timeline: the milestones annhist reconstructs on the left, the context on the
    right, time running down; the grey band marks the lean years after *Perceptrons* (1969)."""
    check_scalar(until, "until", owner="plot_timeline", kind=numbers.Integral, min_val=1900, max_val=2100)
    check_flag(events, owner="plot_timeline", name="events")
    shown = [e for e in EVENTS if e.year <= until] if events else []
    fig, ax = new_figure(figsize=(7.2, 8.0))
    first = min([m.year for m in MILESTONES] + [e.year for e in shown])
    last = max([m.year for m in MILESTONES] + [e.year for e in shown])
    ax.axvline(0, color="0.3", lw=1.4, zorder=1)
    ax.axhspan(1969, 1982, color="0.9", zorder=0, lw=0)
    ax.text(-1.0, 1975.5, "the lean years\nafter Perceptrons", ha="center", va="center", fontsize=9.5,
            color="0.3", style="italic")
    gap = 2.2 * (last - first + 8) / 80            # one line of 10 pt text, in years
    _side(ax, [(m.year, m.name, COLORS[0], True) for m in MILESTONES], right=False, gap=gap)
    colors = {"modern": COLORS[1], "winter": "0.3"}
    _side(ax, [(e.year, e.label, colors.get(e.kind, "#00795A"), False) for e in shown], right=True, gap=gap)
    ax.set_xlim(-2.0, 2.0)
    ax.set_ylim(last + 4, first - 4)                 # time runs down the page
    ax.set_axis_off()
    ax.set_title("Milestones reconstructed in annhist (left, blue)\nand their context (right)", fontsize=11)
    return fig
