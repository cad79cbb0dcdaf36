"""What a :class:`~annhist.cnn.network.Sequential` needs to know of its layers: shapes and LeCun's counts.

:func:`layer_info` gives a layer's output shape, its units and its connections, counted as
LeCun et al. (1989, section 5.1) count them; :func:`dtype_name` and :func:`one_blas_thread` are
small helpers of the network.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from annhist.layers import MAX_WEIGHTS, ActivationLayer, Dense, Layer
from annhist.threads import blas_limited

__all__ = ["layer_info", "dtype_name", "one_blas_thread", "patterns_at_once"]


def dtype_name(dtype: Any) -> Any:
    """``np.dtype(dtype).name`` for anything numpy reads as a dtype; the value itself otherwise (to be refused)."""
    try:
        return np.dtype(dtype).name if isinstance(dtype, (str, type, np.dtype)) else dtype
    except TypeError:
        return dtype


def one_blas_thread() -> Any:
    """A context that limits numpy's BLAS to one thread (a no-op without threadpoolctl)."""
    return blas_limited(1)


def layer_info(layer: Layer, shape: tuple[int, ...]) -> tuple[tuple[int, ...], int, int]:
    """(output shape, units, connections) of ``layer`` on inputs of ``shape`` (no batch axis)."""
    if isinstance(layer, Dense):
        if shape != (layer.n_in,):
            raise ValueError(f"Dense expects input of shape (N, {layer.n_in}). Got (N, {', '.join(map(str, shape))}).")
        return (layer.n_out,), layer.n_out, layer.n_in * layer.n_out + ("b" in layer.params) * layer.n_out
    if isinstance(layer, ActivationLayer):
        return shape, 0, 0
    if not hasattr(layer, "output_shape"):
        raise TypeError(f"The 'layers' parameter of Sequential holds a {type(layer).__name__}, which cannot "
                        "report its output shape.")
    out = tuple(layer.output_shape(shape))
    if math.prod(out) > MAX_WEIGHTS:              # Conv2d(1, 4096, 1) on 512 x 512 inputs: 8 GiB for one pattern
        raise ValueError(f"The 'layers' parameter of Sequential holds a {type(layer).__name__} whose output for one "
                         f"pattern, of shape {out}, holds {math.prod(out):,} numbers; at most {MAX_WEIGHTS:,}.")
    units = int(np.prod(out)) if getattr(layer, "has_units", False) else 0
    return out, units, int(layer.count_connections(shape))


def patterns_at_once(shapes: list[tuple[int, ...]], most: int = 128) -> int:
    """How many patterns a network with layer outputs of ``shapes`` runs at once when it only predicts: ``most``,
    or fewer so that the widest layer's output for all of them holds at most ``MAX_WEIGHTS`` numbers."""
    return max(1, min(most, MAX_WEIGHTS // max(math.prod(s) for s in shapes)))
