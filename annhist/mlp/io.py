"""Saving and loading an :class:`~annhist.mlp.MLP` as ``.npz``: weights, structure, history; never pickle.

The structure travels as a small JSON document stored as a ``uint8`` array, so the file
holds numbers only and :func:`annhist.io.load_arrays` can refuse anything else. Loading
rebuilds the net from that structure and then checks that the file holds exactly the
arrays it should, with the right shapes and dtypes; every failure is a ``ValueError``
naming the file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from annhist.io import load_arrays, read_config, save_arrays
from annhist.mlp.checks import DTYPES

if TYPE_CHECKING:  # pragma: no cover
    from annhist.mlp.network import MLP

__all__ = ["save_mlp", "load_mlp", "KIND"]

KIND = "annhist.MLP"


def _config(net: "MLP") -> dict[str, Any]:
    return {"sizes": list(net.sizes), "activation": net.activation, "output_activation": net.output_activation,
            "loss": net.loss, "reduction": net.reduction, "skip": net.skip,
            "init": list(net.init) if isinstance(net.init, tuple) else net.init,
            "dtype": np.dtype(net.dtype).name, "n_epochs": net.n_epochs_, "converged": net.converged_,
            "masked_layers": [l for l, m in enumerate(net.masks) if m is not None]}


def save_mlp(net: "MLP", path: str | os.PathLike) -> Path:
    """Write ``net`` to ``path`` (``.npz`` added when missing) atomically; return the path."""
    arrays = {"config": np.frombuffer(json.dumps(_config(net)).encode(), dtype=np.uint8)}
    for l, layer in enumerate(net.layers_):
        arrays[f"W{l}"], arrays[f"b{l}"] = layer.params["W"], layer.params["b"]
        if net.masks[l] is not None:
            arrays[f"mask{l}"] = net.masks[l]
    if net.skip_layer_ is not None:
        arrays["W_skip"] = net.skip_layer_.params["W"]
    arrays["history_loss"] = np.asarray(net.history_["loss"], dtype=np.float64)
    arrays["history_max_error"] = np.asarray(net.history_["max_error"], dtype=np.float64)
    return save_arrays(path, arrays, kind=KIND)


def load_mlp(cls: type, path: str | os.PathLike) -> "MLP":
    """Rebuild the net saved in ``path`` (an instance of ``cls``); exact weights, no pickle."""
    arrays = load_arrays(path, kind=KIND, required=("config",), allow_extra=True)
    where = f"{str(path)!r} is not a valid MLP file"
    try:
        cfg = read_config(arrays["config"])
        init = tuple(cfg["init"]) if isinstance(cfg["init"], list) else cfg["init"]
        masks = {int(l): arrays[f"mask{l}"] for l in cfg["masked_layers"]}
        net = cls(cfg["sizes"], activation=cfg["activation"], output_activation=cfg["output_activation"],
                  loss=cfg["loss"], reduction=cfg["reduction"], init=init, skip=cfg["skip"], masks=masks,
                  dtype=DTYPES[cfg["dtype"]], random_state=0)
        n_epochs, converged = int(cfg["n_epochs"]), bool(cfg["converged"])
    except (ValueError, TypeError, KeyError, AttributeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{where}: its configuration is bad or incomplete ({exc}).") from None
    names = [f"{k}{l}" for l in range(len(net.layers_)) for k in ("W", "b")] + (["W_skip"] if net.skip else [])
    expected = {"config", "history_loss", "history_max_error", *names, *(f"mask{l}" for l in masks)}
    if set(arrays) != expected:
        raise ValueError(f"{where}: it holds arrays {sorted(arrays)}, expected {sorted(expected)}.")
    for name, p in zip(names, net.params_):
        if arrays[name].shape != p.shape or arrays[name].dtype != p.dtype:
            raise ValueError(f"{where}: array {name!r} has shape {arrays[name].shape} and dtype "
                             f"{arrays[name].dtype}; expected {p.shape} and {p.dtype}.")
        p[...] = arrays[name]
    for l, m in masks.items():
        if np.any(net.layers_[l].params["W"][m == 0] != 0):
            raise ValueError(f"{where}: layer {l} has weights on connections its mask removes.")
    net.history_ = {"loss": arrays["history_loss"].tolist(), "max_error": arrays["history_max_error"].tolist()}
    net.n_epochs_, net.converged_ = n_epochs, converged
    return net
