"""The shared plotting toolkit: the house style, the offline animation player and generic figures.

All functions return a matplotlib ``Figure`` and never call ``plt.show``; the chapters display
them, the CLI saves them. Each milestone's own figures live in its package
(``annhist.perceptron.figures``, ``annhist.cnn.figures``, ...); this package imports no milestone.
"""

from annhist.plotting.anatomy import plot_activations, plot_losses, plot_network
from annhist.plotting.animation import animation_html
from annhist.plotting.style import COLORS, new_figure
from annhist.plotting.timeline import plot_timeline

__all__ = ["COLORS", "new_figure", "animation_html", "plot_activations", "plot_losses", "plot_network",
           "plot_timeline"]
