"""A hand-built :class:`~annhist.cnn.network.Sequential` written down as data, and rebuilt from it.

The two historical nets are saved by name (their ``spec``, e.g. ``"lenet5;head=rbf;..."``); a network a
reader builds from layers has none, so :meth:`~annhist.cnn.persistence.WeightsIO.save` writes its
*architecture* instead: the network's settings and, for every layer, its type and the arguments that
rebuild it, as JSON text. :func:`read` reads it back with a fixed table of the layer types it knows
(nothing in a file can name a function to call: no pickle, no import by name). A layer's weights are
saved beside it as before; arrays that are part of the architecture rather than trained (a connection
table, the RBF centres) go into the JSON as lists, and int seeds (the shuffling's, a Dropout's) as ints (a
Generator cannot be written down: None). The optimizer is not saved: a loaded network trains with plain
SGD at its ``eta`` (``save`` warns when it had another).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from annhist.cnn.conv import Conv2d
from annhist.cnn.pooling import AvgPool2d, Flatten, MaxPool2d, Subsampling
from annhist.cnn.rbf import RBF
from annhist.layers import ActivationLayer, Dense, Dropout
from annhist.validation import check_random_state

__all__ = ["describe", "read", "LAYERS"]

#: The layer types an architecture may name.
LAYERS: dict[str, type] = {cls.__name__: cls for cls in (Dense, ActivationLayer, Dropout, Conv2d, MaxPool2d,
                                                           AvgPool2d, Subsampling, Flatten, RBF)}
# Each type's constructor arguments, read off a layer (its weights are saved apart).
_ARGS: dict[str, Any] = {
    "Dense": lambda l: {"n_in": l.n_in, "n_out": l.n_out, "bias": "b" in l.params},
    "ActivationLayer": lambda l: {"activation": l.activation.name},
    "Dropout": lambda l: {"rate": l.rate, "random_state": _seed(l.random_state)},
    "Conv2d": lambda l: {
        "in_channels": l.in_channels, "out_channels": l.out_channels, "kernel_size": list(l.kernel_size),
        "stride": l.stride, "padding": l.padding, "pad_value": l.pad_value, "bias": l.bias,
        "input_size": None if l.input_size is None else list(l.input_size),
        "table": None if l.table is None else l.table.astype(int).tolist()},
    "MaxPool2d": lambda l: {"kernel_size": l.kernel_size, "stride": l.stride},
    "AvgPool2d": lambda l: {"kernel_size": l.kernel_size, "stride": l.stride},
    "Subsampling": lambda l: {"channels": l.channels, "kernel_size": l.kernel_size},
    "Flatten": lambda l: {},
    "RBF": lambda l: {"centres": l.centres.tolist()},
}
_NET = ("input_shape", "loss", "eta", "batch_size", "epochs", "shuffle", "dtype", "random_state")


def _seed(random_state: Any) -> int | None:
    """An int seed as it is (the loaded layer draws the same numbers from its start); a Generator or None: None."""
    return int(random_state) if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool) \
        else None


def describe(net: Any) -> str:
    """The JSON text of ``net``'s architecture; a ``ValueError`` names a layer of a type :data:`LAYERS` lacks."""
    layers = []
    for i, layer in enumerate(net.layers):
        name = type(layer).__name__
        if LAYERS.get(name) is not type(layer):
            raise ValueError(f"Layer {i} of this Sequential is a {name}, which save() cannot write down; it knows "
                             f"{', '.join(LAYERS)}. Save its get_weights() with annhist.io.save_arrays instead.")
        layers.append({"type": name, "args": _ARGS[name](layer)})
    settings = {k: getattr(net, k) for k in _NET}
    settings.update(input_shape=list(net.input_shape), dtype=net.dtype.name, eta=float(net.eta),
                    batch_size=int(net.batch_size), epochs=int(net.epochs), random_state=_seed(net.random_state))
    return json.dumps({"format": "annhist.cnn.Sequential/1", "settings": settings, "layers": layers})


def read(text: str) -> tuple[list[Any], dict[str, Any]]:
    """The layers (with fresh weights) and the ``Sequential`` settings that :func:`describe` wrote down;
    :func:`annhist.cnn.nets.rebuild` makes the network of them. Anything else is a ``ValueError``."""
    try:
        arch = json.loads(text)
        if arch.get("format") != "annhist.cnn.Sequential/1":
            raise ValueError(f"unknown format {arch.get('format')!r}")
        layers = []
        for entry in arch["layers"]:
            if entry["type"] not in LAYERS:
                raise ValueError(f"unknown layer type {entry['type']!r}")
            args = dict(entry["args"])
            if "table" in args and args["table"] is not None:
                args["table"] = np.asarray(args["table"], dtype=int)
            if "centres" in args:
                args["centres"] = np.asarray(args["centres"], dtype=float)
            layers.append(LAYERS[entry["type"]](**args))
        settings = {k: arch["settings"][k] for k in _NET}
        if not isinstance(settings["shuffle"], bool):
            raise ValueError(f"'shuffle' must be true or false, not {settings['shuffle']!r}")
        if settings["random_state"] is not None:                # an int seed, as describe() writes it
            check_random_state(settings["random_state"], owner="Sequential")
        return layers, {**settings, "input_shape": tuple(settings["input_shape"])}
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:    # deep nesting: json recursed
        raise ValueError(f"The architecture in this file cannot be rebuilt: {exc}") from None
