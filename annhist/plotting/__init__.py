"""Figures for the chapters and experiments.

All functions return a matplotlib ``Figure`` and never call ``plt.show``; the chapters
display them, the CLI saves them. :func:`new_figure` gives the house style.
"""

from annhist.plotting.style import COLORS, new_figure
from annhist.plotting.timeline import plot_timeline

__all__ = ["COLORS", "new_figure", "plot_timeline"]
