"""Convolutional networks, 1989-1998: convolution, pooling, subsampling and two historical nets.

- :mod:`~annhist.cnn.im2col`: ``conv_output_size``, ``im2col``/``col2im`` (gather index maps).
- :mod:`~annhist.cnn.conv`: :class:`Conv2d` (stride, padding, connection tables, shared or
  per-unit biases).
- :mod:`~annhist.cnn.pooling`: :class:`MaxPool2d`, :class:`AvgPool2d`, LeNet's trainable
  :class:`Subsampling`, :class:`Flatten`.
- :mod:`~annhist.cnn.rbf`: LeNet-5's Euclidean :class:`RBF` output on fixed 7x12 bitmaps.
- :mod:`~annhist.cnn.network`: :class:`Sequential` (fit/predict/score, LeCun's counts, save/load).
- :mod:`~annhist.cnn.nets`: :func:`lecun1989` and :func:`lenet5`.
- :mod:`~annhist.cnn.receptive_field`: the receptive field of every layer of a ``Sequential``.
- :mod:`~annhist.cnn.sdlm`: LeCun's stochastic diagonal Levenberg-Marquardt step (:class:`SDLM`).
- :mod:`~annhist.cnn.experiments`: the registered experiments ``lecun1989`` and ``lenet5``.
"""

from annhist.cnn.conv import Conv2d
from annhist.cnn.im2col import col2im, conv_output_size, im2col
from annhist.cnn.nets import C3_TABLE, H2_TABLE, build, lecun1989, lenet5, lenet5_input, load_network
from annhist.cnn.network import Sequential
from annhist.cnn.pooling import AvgPool2d, Flatten, MaxPool2d, Subsampling
from annhist.cnn.rbf import RBF, digit_bitmaps
from annhist.cnn.sdlm import SDLM, diagonal_hessian

__all__ = ["Conv2d", "MaxPool2d", "AvgPool2d", "Subsampling", "Flatten", "RBF", "Sequential",
           "lecun1989", "lenet5", "lenet5_input", "H2_TABLE", "C3_TABLE", "digit_bitmaps",
           "conv_output_size", "im2col", "col2im", "SDLM", "diagonal_hessian", "build", "load_network"]
