"""The timeline figure, drawn from :data:`annhist.history.MILESTONES` and ``EVENTS``."""

from __future__ import annotations

from typing import Any

from annhist.history import EVENTS, MILESTONES
from annhist.plotting.style import COLORS, new_figure

__all__ = ["plot_timeline"]


def plot_timeline(*, until: int = 2020, events: bool = True) -> Any:
    """A horizontal timeline: reconstructed milestones above the axis, context below."""
    fig, ax = new_figure(figsize=(10, 4.6))
    ax.axhline(0, color="0.3", lw=1.2, zorder=1)
    ax.axvspan(1969, 1982, color="0.85", zorder=0, lw=0)
    ax.text(1975.5, -1.95, "the 'winter' after\nPerceptrons (1969)", ha="center", va="bottom", fontsize=8, color="0.35")
    levels = [0.6, 1.2, 1.8]
    for i, m in enumerate(MILESTONES):
        h = levels[i % 3]
        ax.plot([m.year, m.year], [0, h], color=COLORS[0], lw=1, zorder=2)
        ax.scatter([m.year], [0], s=36, color=COLORS[0], zorder=3)
        ax.text(m.year, h + 0.05, f"{m.year}\n{m.key.replace('-', ' ')}\n{m.authors.split(',')[0]}",
                ha="center", va="bottom", fontsize=8, color=COLORS[0])
    if events:
        for i, e in enumerate(ev for ev in EVENTS if ev.year <= until):
            h = -levels[i % 3] * 0.85
            color = {"modern": COLORS[1], "winter": "0.4"}.get(e.kind, COLORS[2])
            ax.plot([e.year, e.year], [0, h], color=color, lw=0.8, zorder=2)
            ax.scatter([e.year], [0], s=16, color=color, zorder=3)
            label = e.label if len(e.label) < 26 else e.label[:24] + "..."
            ax.text(e.year, h - 0.05, f"{e.year}\n{label}", ha="center", va="top", fontsize=6.5, color=color)
    ax.set_xlim(1938, until + 6)
    ax.set_ylim(-2.6, 2.9)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlabel("year")
    ax.set_title("Milestones reconstructed in annhist (above) and context (below)")
    return fig
