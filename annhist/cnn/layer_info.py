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

__all__ = ["layer_info", "check_batch_numbers", "dtype_name", "one_blas_thread", "pattern_numbers",
           "patterns_at_once"]


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


def pattern_numbers(layer: Layer, shape: tuple[int, ...], out: tuple[int, ...]) -> int:
    """The numbers one pattern of ``shape`` takes in ``layer``'s forward pass: its output ``out``, or, for a
    convolution or a pooling layer, the windows it reads if more (im2col's columns, ``C x KH x KW x OH x OW``)."""
    k = getattr(layer, "kernel_size", None)
    if k is None or len(out) != 3:
        return math.prod(out)
    kh, kw = k if isinstance(k, tuple) else (k, k)
    return max(math.prod(out), shape[0] * kh * kw * out[1] * out[2])


def _widest(layers: list[Layer], shapes: list[tuple[int, ...]]) -> int:
    return max([math.prod(shapes[0])] + [pattern_numbers(*args) for args in zip(layers, shapes, shapes[1:])])


def check_batch_numbers(layers: list[Layer], shapes: list[tuple[int, ...]], batch: int, *, name: str = "batch_size",
                        owner: str = "Sequential") -> None:
    """Refuse ``batch`` patterns at once (training's mini-batches, :func:`~annhist.cnn.sdlm.diagonal_hessian`'s X)
    when the network's widest layer would take more than ``MAX_WEIGHTS`` numbers for them."""
    widest = _widest(layers, shapes)
    if batch * widest > MAX_WEIGHTS:
        raise ValueError(f"The '{name}' parameter of {owner} asks for {batch} patterns at once; the network's widest "
                         f"layer takes {widest:,} numbers a pattern, {batch * widest:,} in all: at most "
                         f"{MAX_WEIGHTS:,}. Use at most {max(1, MAX_WEIGHTS // widest)} patterns.")


def patterns_at_once(layers: list[Layer], shapes: list[tuple[int, ...]], most: int = 128) -> int:
    """How many patterns a network runs at once when it only predicts: ``most``, or fewer so that what the
    widest layer takes for all of them (:func:`pattern_numbers`; ``shapes`` are the input's and every layer's
    output's) holds at most ``MAX_WEIGHTS`` numbers."""
    return max(1, min(most, MAX_WEIGHTS // _widest(layers, shapes)))
