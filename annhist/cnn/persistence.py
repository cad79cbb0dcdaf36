"""Saving, loading and setting the weights of a :class:`~annhist.cnn.network.Sequential`.

Files are ``.npz`` written by :func:`annhist.io.save_arrays` (atomic, never pickled): one
array per parameter, named ``"<layer index>.<name>"``, and the architecture as ASCII bytes (a historical
net's ``spec``, or a hand-built net's JSON description, :mod:`annhist.cnn.architecture`) so that
:func:`annhist.cnn.nets.load_network` can rebuild the network.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from annhist.io import load_arrays, save_arrays

__all__ = ["WeightsIO", "read_network_file"]

_KIND = "annhist.cnn.Sequential"


class WeightsIO:
    """Mixin of :class:`~annhist.cnn.network.Sequential`: weights in and out."""

    layers: list
    spec: str

    def get_weights(self) -> dict[str, np.ndarray]:
        """Copies of all parameters, named ``"<layer index>.<name>"``."""
        return {f"{i}.{k}": v.copy() for i, layer in enumerate(self.layers) for k, v in layer.params.items()}

    def set_weights(self, weights: dict[str, np.ndarray]) -> None:
        """Set all parameters from :meth:`get_weights`-style names; nothing changes unless all fit."""
        own = self.get_weights()
        if set(weights) != set(own):
            raise ValueError(f"The 'weights' parameter must name exactly {sorted(own)}. Got {sorted(weights)}.")
        for name, value in weights.items():
            value = np.asarray(value, dtype=float)
            if value.shape != own[name].shape or not np.all(np.isfinite(value)):
                raise ValueError(f"Weight {name!r} must be finite with shape {own[name].shape}. Got {value.shape}.")
        for i, layer in enumerate(self.layers):
            for k in layer.params:
                layer.params[k][...] = weights[f"{i}.{k}"]
                if k == "W" and getattr(layer, "mask", None) is not None:
                    layer.params[k] *= layer.mask                  # a table's missing connections stay zero

    def save(self, path: Any) -> Any:
        """Write the weights and the architecture to an ``.npz`` file, atomically.

        The architecture is the ``spec`` of a historical net (:func:`annhist.cnn.nets.build`) or, for a
        network built from layers, their description (:func:`annhist.cnn.architecture.describe`); the
        optimizer is not saved (a warning says so when it is not the default SGD)."""
        from annhist.cnn.architecture import describe

        text = self.spec or describe(self)
        optimizer = getattr(self, "optimizer", None)
        if type(optimizer).__name__ != "SGD" or getattr(optimizer, "eta", None) != getattr(self, "eta", None):
            warnings.warn(f"save() does not keep the optimizer ({type(optimizer).__name__}): the loaded network "
                          f"trains with SGD(eta={getattr(self, 'eta', None)}) until you assign net.optimizer.",
                          UserWarning, stacklevel=2)
        spec = np.frombuffer(text.encode("ascii"), dtype=np.uint8)         # text as bytes: npz without pickle
        return save_arrays(path, {"spec": spec, **self.get_weights()}, kind=_KIND)


def read_network_file(path: Any) -> tuple[str, dict[str, np.ndarray]]:
    """The ``spec`` and the weights of a file written by :meth:`WeightsIO.save` (checked, never unpickled)."""
    arrays = load_arrays(path, kind=_KIND)
    spec = arrays.pop("spec", None)
    if spec is None or spec.dtype != np.uint8 or spec.ndim != 1:
        raise ValueError(f"{str(path)!r} lacks a valid 'spec' array.")
    return bytes(spec.tobytes()).decode("ascii", errors="replace"), arrays
