"""Figures a reader can read: counts legible on their cells, legends off the data (a page review found both)."""

from __future__ import annotations

import matplotlib.colors as mcolors
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from annhist.cnn.figures import plot_confusion
from annhist.mlp.landscapes import LANDSCAPES, descend
from annhist.mlp.path_figures import plot_optimizer_paths
from annhist.optimizers import SGD, Adam


def test_confusion_counts_are_white_on_the_darkest_cells_and_black_on_the_pale_ones():
    y_true = np.array([3] * 7 + [0] + list(range(10)))
    y_pred = np.array([8] * 7 + [1] + list(range(10)))
    fig = plot_confusion(y_true, y_pred)
    colors = {tuple(t.get_position()): mcolors.to_hex(t.get_color()) for t in fig.axes[0].texts}   # (column, row)
    assert colors[(8, 3)] == "#ffffff"       # the 7 is the darkest red: black there could not be read
    assert colors[(1, 0)] == "#000000"       # a single error on a pale cell


def test_the_optimizer_paths_legend_sits_beside_the_axes_not_on_the_paths():
    f, grad, _ = LANDSCAPES["rosenbrock"]
    paths = {name: descend(opt, grad, [-1.5, 2.0], 50) for name, opt in (("SGD", SGD(eta=0.001)),
                                                                       ("Adam", Adam(eta=0.05)))}
    fig = plot_optimizer_paths(f, paths, (-2, 2, -1, 3), minimum=(1, 1))
    FigureCanvasAgg(fig).draw()              # lays the figure out (constrained layout) as saving it does
    ax = fig.axes[0]
    legend, axes = ax.get_legend().get_window_extent(), ax.get_window_extent()
    assert legend.x0 >= axes.x1 and legend.x1 <= fig.bbox.x1
