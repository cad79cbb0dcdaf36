"""Figures for the chapters and experiments.

All functions return a matplotlib ``Figure`` and never call ``plt.show``; the chapters
display them, the CLI saves them. :func:`new_figure` gives the house style.
"""

from annhist.plotting.adaline import (plot_adaline_weights, plot_boundary_drift, plot_learning_curve, plot_letters,
                                      plot_lms_trajectories, plot_madaline_xor)
from annhist.plotting.cnn import (plot_cnn_learning_curve, plot_confusion, plot_connection_table, plot_conv_pool_demo,
                                 plot_feature_maps, plot_kernels, plot_misclassified, plot_rbf_bitmaps)
from annhist.plotting.anatomy import plot_activations, plot_losses, plot_network
from annhist.plotting.mp import mp_layout, plot_mp_net, plot_spike_raster
from annhist.plotting.mlp import (animate_optimizer_paths, hinton, plot_error_curves, plot_hidden_codes,
                                 plot_layer_gradients, plot_optimizer_paths, plot_person_encoding, plot_sweeps,
                                 plot_symmetry_net)
from annhist.plotting.perceptron import (animate_perceptron, animation_html, plot_boundary, plot_novikoff, plot_pocket,
                                         plot_retina, plot_shift_generalization, plot_wiring)
from annhist.plotting.style import COLORS, new_figure
from annhist.plotting.timeline import plot_timeline
from annhist.plotting.xor import plot_mlp_solution, plot_perceptron_cycle, plot_xor_learning_curves, plot_xor_lines

__all__ = ["COLORS", "new_figure", "plot_activations", "plot_losses", "plot_network", "plot_timeline"]
__all__ += ["plot_adaline_weights", "plot_boundary_drift", "plot_learning_curve", "plot_letters",
            "plot_lms_trajectories", "plot_madaline_xor"]
__all__ += ["animate_perceptron", "animation_html", "plot_boundary", "plot_novikoff", "plot_pocket", "plot_retina",
            "plot_shift_generalization", "plot_wiring"]
__all__ += ["mp_layout", "plot_mp_net", "plot_spike_raster"]
__all__ += ["plot_cnn_learning_curve", "plot_confusion", "plot_connection_table", "plot_conv_pool_demo",
            "plot_feature_maps", "plot_kernels", "plot_misclassified", "plot_rbf_bitmaps"]
__all__ += ["animate_optimizer_paths", "hinton", "plot_error_curves", "plot_hidden_codes", "plot_layer_gradients",
            "plot_optimizer_paths", "plot_person_encoding", "plot_sweeps", "plot_symmetry_net"]
__all__ += ["plot_mlp_solution", "plot_perceptron_cycle", "plot_xor_learning_curves", "plot_xor_lines"]
