"""Saving and loading a McCulloch-Pitts net as ``.npz``: its wiring as JSON, never pickle.

A net is names (input lines, neurons) and whole numbers (thresholds, synapse counts), so the
file holds one ``uint8`` array, ``config``: a JSON document of the lines, the neurons with their
thresholds, synapses and initial activity, the outputs, labels and drawing layout (as
:mod:`annhist.mlp.io` stores the MLP's structure). :func:`annhist.io.save_arrays` writes it
atomically; :func:`load_network` rebuilds the net with ``add_input``/``add_neuron``, so a
corrupt file is refused by the same checks as a bad hand-built net, with a ``ValueError``
naming the file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from annhist.io import load_arrays, read_config, save_arrays

if TYPE_CHECKING:  # pragma: no cover
    from annhist.mcculloch_pitts.network import MPNetwork

__all__ = ["save_network", "load_network", "NetworkFile", "KIND"]

KIND = "annhist.MPNetwork"


def _config(net: "MPNetwork") -> dict[str, Any]:
    return {"lines": {k: net.constant_lines().get(k) for k in net.line_names},
            "neurons": [{"name": k, **net.neuron(k)} for k in net.neuron_names],
            "outputs": list(net.outputs), "labels": dict(net.labels),
            "layout": None if net.layout is None else {k: list(v) for k, v in net.layout.items()}}


def save_network(net: "MPNetwork", path: str | os.PathLike) -> Path:
    """Write ``net`` (a plain or compiled net, saved as a plain one) to ``path`` atomically."""
    config = np.frombuffer(json.dumps(_config(net)).encode(), dtype=np.uint8)
    return save_arrays(path, {"config": config}, kind=KIND)


def load_network(cls: type, path: str | os.PathLike) -> "MPNetwork":
    """Rebuild the net saved in ``path`` as a ``cls`` (an :class:`MPNetwork`); no pickle."""
    arrays = load_arrays(path, kind=KIND, required=("config",))
    try:
        net = cls()
    except TypeError:
        raise TypeError(f"{cls.__name__}.load cannot rebuild a {cls.__name__}: a saved net loads as a plain "
                        f"one with MPNetwork.load.") from None
    try:
        cfg = read_config(arrays["config"])
        for name, constant in cfg["lines"].items():
            net.add_input(name, constant=constant)
        for n in cfg["neurons"]:
            net.add_neuron(n["name"], n["threshold"], n["excitatory"], n["inhibitory"], initial=n["initial"])
        if not all(isinstance(o, str) and o in net.neuron_names for o in cfg["outputs"]):
            raise ValueError(f"outputs {cfg['outputs']!r} are not all neurons")
        net.outputs = list(cfg["outputs"])
        net.labels = {str(k): str(v) for k, v in cfg["labels"].items()}
        layout = cfg["layout"]
        net.layout = None if layout is None else {k: (x, y) for k, (x, y) in layout.items()}
        net.synapses()                               # every synapse comes from a line or a neuron
    except (ValueError, TypeError, KeyError, AttributeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{str(path)!r} is not a valid MPNetwork file: {exc}") from None
    return net


class NetworkFile:
    """``save`` and ``load`` for :class:`~annhist.mcculloch_pitts.MPNetwork` (a mixin)."""

    def save(self, path: str | os.PathLike) -> Path:
        """Write the net to an ``.npz`` file (atomic, no pickle; a compiled net is saved as a plain one)."""
        return save_network(self, path)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: str | os.PathLike) -> Any:
        """Read a net written by :meth:`save`; a foreign or corrupt file raises ``ValueError``."""
        return load_network(cls, path)
