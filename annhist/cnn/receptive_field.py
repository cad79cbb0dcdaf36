"""Receptive fields: how much of the input one unit of a layer can see.

For a stack of convolutions and poolings, let ``r_l`` be the receptive field of a unit of
layer ``l`` (in input pixels, along one axis), ``j_l`` the *jump* -- the distance in input
pixels between two neighbouring units of layer ``l`` -- and ``start_l`` the input
coordinate of the centre of the first unit. With kernel ``k_l``, stride ``s_l`` and padding
``p_l`` (``r_0 = 1``, ``j_0 = 1``, ``start_0 = 0``):

    r_l = r_{l-1} + (k_l - 1) j_{l-1}
    j_l = j_{l-1} s_l
    start_l = start_{l-1} + ((k_l - 1) / 2 - p_l) j_{l-1}

Each of the ``k_l`` inputs of a unit is ``j_{l-1}`` input pixels from the next and each sees
``r_{l-1}`` pixels, so together they see ``(k_l - 1) j_{l-1} + r_{l-1}``. A fully connected
layer (and LeNet-5's RBF output) is a convolution whose kernel covers its whole input map; activations and
``Flatten`` change nothing. :func:`receptive_field` applies the recursion to the layers of a
:class:`~annhist.cnn.network.Sequential`. ``r`` counts padded positions too: where it
exceeds the input size, part of what a unit "sees" is the padding.

References
----------
Y. LeCun et al., "Backpropagation applied to handwritten zip code recognition", Neural
Computation 1(4):541-551 (1989); Y. LeCun, L. Bottou, Y. Bengio and P. Haffner,
"Gradient-based learning applied to document recognition", Proc. IEEE 86(11):2278-2324 (1998).
"""

from __future__ import annotations

import numbers
from typing import Any

from annhist.cnn.conv import Conv2d
from annhist.cnn.network import Sequential
from annhist.cnn.pooling import AvgPool2d, Flatten, MaxPool2d, Subsampling
from annhist.cnn.rbf import RBF
from annhist.layers import ActivationLayer, Dense
from annhist.validation import check_scalar

__all__ = ["receptive_field", "receptive_field_step"]


def receptive_field_step(r: int, j: int, start: float, k: int, s: int, p: int = 0) -> tuple[int, int, float]:
    """One layer of the recursion: ``(r, j, start)`` of the layer below -> those of this layer."""
    for name, value, low in (("r", r, 1), ("j", j, 1), ("k", k, 1), ("s", s, 1), ("p", p, 0)):
        check_scalar(value, name, owner="receptive_field_step", kind=numbers.Integral, min_val=low)
    check_scalar(start, "start", owner="receptive_field_step")
    return r + (k - 1) * j, j * s, start + ((k - 1) / 2 - p) * j


def _geometry(layer: Any, size: tuple[int, int]) -> tuple[tuple[int, int], int, int] | None:
    """Kernel (per axis), stride and padding of ``layer`` on a map of ``size``; None: changes nothing."""
    if isinstance(layer, Conv2d):
        return layer.kernel_size, layer.stride, layer.padding
    if isinstance(layer, (MaxPool2d, AvgPool2d, Subsampling)):
        return (layer.kernel_size, layer.kernel_size), layer.stride, 0
    if isinstance(layer, (Dense, RBF)):
        return size, 1, 0                         # a kernel over the whole map -> one 1x1 map
    if isinstance(layer, (ActivationLayer, Flatten)):
        return None
    raise TypeError(f"receptive_field does not know the geometry of a {type(layer).__name__} layer.")


def receptive_field(net: Sequential) -> list[dict[str, Any]]:
    """The receptive field of a unit of every layer of ``net``, by the recursion above.

    Parameters
    ----------
    net : Sequential
        A network whose input shape is (C, H, W) -- e.g. ``lecun1989()`` or ``lenet5()``.

    Returns
    -------
    list of dict
        One row per layer that changes the geometry (activations and ``Flatten`` are skipped):
        ``layer`` (its class name), ``index`` (position in ``net.layers``), ``output`` (shape),
        ``r`` and ``jump`` (height, width) in input pixels, and ``start`` (the input
        coordinate of the first unit's centre, height and width).

    Examples
    --------
    >>> from annhist.cnn import lecun1989
    >>> [row["r"][0] for row in receptive_field(lecun1989(0))]
    [5, 13, 25, 25]
    """
    if not isinstance(net, Sequential):
        raise TypeError(f"The 'net' parameter of receptive_field must be a Sequential. Got {type(net).__name__}.")
    if len(net.input_shape) != 3:
        raise ValueError(f"The 'net' parameter of receptive_field must take (C, H, W) images. "
                         f"Got input_shape={net.input_shape}.")
    state = [(1, 1, 0.0), (1, 1, 0.0)]             # (r, j, start) along height and width
    size = net.input_shape[1:]
    rows = []
    for i, (layer, out) in enumerate(zip(net.layers, net.shapes_[1:])):
        geo = _geometry(layer, size)
        if geo is None:
            continue
        kernel, stride, pad = geo
        state = [receptive_field_step(r, j, st, k, stride, pad) for (r, j, st), k in zip(state, kernel)]
        size = out[1:] if len(out) == 3 else (1, 1)
        rows.append({"layer": type(layer).__name__, "index": i, "output": tuple(out),
                     "r": (state[0][0], state[1][0]), "jump": (state[0][1], state[1][1]),
                     "start": (state[0][2], state[1][2])})
    return rows
