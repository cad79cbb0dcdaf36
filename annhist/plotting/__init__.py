"""Figures for the chapters and experiments.

All functions return a matplotlib ``Figure`` and never call ``plt.show``; the chapters
display them, the CLI saves them. :func:`new_figure` gives the house style.
"""

from annhist.plotting.adaline import (plot_adaline_weights, plot_learning_curve, plot_letters, plot_lms_trajectories,
                                      plot_madaline_xor)
from annhist.plotting.anatomy import plot_activations, plot_losses, plot_network
from annhist.plotting.style import COLORS, new_figure
from annhist.plotting.timeline import plot_timeline

__all__ = ["COLORS", "new_figure", "plot_activations", "plot_losses", "plot_network", "plot_timeline"]
__all__ += ["plot_adaline_weights", "plot_learning_curve", "plot_letters", "plot_lms_trajectories",
            "plot_madaline_xor"]
