"""The timeline figure, drawn from ``annhist.history.MILESTONES`` and ``EVENTS``."""

from __future__ import annotations

from typing import Any, Sequence

from annhist.history import EVENTS, MILESTONES
from annhist.plotting.style import COLORS, new_figure

__all__ = ["plot_timeline", "stagger"]


def stagger(years: Sequence[float], widths: Sequence[float], *, n_levels: int) -> list[int]:
    """Give each centred label (in year order) the lowest level where it does not overlap the
    previous label on that level; ``widths`` are the labels' widths in years."""
    last = [(-10_000.0, 0.0)] * n_levels          # (centre, width) of the last label per level
    levels = []
    for y, w in zip(years, widths):
        free = [k for k in range(n_levels) if y - last[k][0] >= (w + last[k][1]) / 2 + 0.5]
        level = free[0] if free else min(range(n_levels), key=lambda k: last[k][0])
        last[level] = (y, w)
        levels.append(level)
    return levels


def plot_timeline(*, until: int = 2020, events: bool = True) -> Any:
    """A horizontal timeline: the milestones annhist reconstructs above the axis, context below."""
    fig, ax = new_figure(figsize=(11, 5.2))
    ax.axhline(0, color="0.3", lw=1.2, zorder=1)
    ax.axvspan(1969, 1982, color="0.9", zorder=0, lw=0)
    ax.text(1975.5, 3.25, "the lean years after\nPerceptrons (1969)", ha="center", va="top", fontsize=8, color="0.35")
    widths = [0.62 * max(len(m.name), 4) for m in MILESTONES]      # ~0.62 years per bold 8.5 pt character
    for m, level in zip(MILESTONES, stagger([m.year for m in MILESTONES], widths, n_levels=3)):
        h = 0.55 + 0.8 * level
        ax.plot([m.year, m.year], [0, h], color=COLORS[0], lw=1, zorder=2)
        ax.scatter([m.year], [0], s=40, color=COLORS[0], zorder=3)
        ax.text(m.year, h + 0.05, f"{m.year}\n{m.name}", ha="center", va="bottom", fontsize=8.5,
                color=COLORS[0], fontweight="bold")
    if events:
        shown = [e for e in EVENTS if e.year <= until]
        widths = [0.5 * (len(e.label) + 5) for e in shown]            # ~0.5 years per 7 pt character
        for e, level in zip(shown, stagger([e.year for e in shown], widths, n_levels=4)):
            h = -(0.45 + 0.62 * level)
            color = {"modern": COLORS[1], "winter": "0.35"}.get(e.kind, COLORS[2])
            ax.plot([e.year, e.year], [0, h], color=color, lw=0.8, zorder=2)
            ax.scatter([e.year], [0], s=18, color=color, zorder=3)
            ax.text(e.year, h - 0.04, f"{e.year} {e.label}", ha="center", va="top", fontsize=7, color=color)
    ax.set_xlim(1935, until + 8)
    ax.set_ylim(-3.2, 3.3)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlabel("year")
    ax.set_title("Milestones reconstructed in annhist (above, blue) and their context (below)")
    return fig
