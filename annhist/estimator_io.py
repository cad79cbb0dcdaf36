"""Saving and loading a fitted estimator as ``.npz``: hyperparameters and learned state, never pickle.

The hyperparameters (``get_params``) and a description of each saved attribute travel as a
small JSON document stored as a ``uint8`` array (as :mod:`annhist.mlp.io` does for the MLP); the
learned arrays are stored as themselves. :func:`annhist.io.save_arrays` writes atomically and
:func:`annhist.io.load_arrays` refuses a file of another kind, a truncated one or one holding
pickles. Loading rebuilds the estimator with its class, sets the attributes back, and checks
that the file holds exactly the arrays the description lists; every failure is a ``ValueError``
naming the file.

Each attribute is saved as one of:

- ``"array"``: a numeric array (the weights), restored bit for bit with its dtype;
- ``"scalar"``: a number or a bool (``bias_``, ``n_epochs_``, ``converged_``), restored as a Python one;
- ``"labels"``: ``classes_`` (numbers or strings), restored with its dtype;
- ``"dict"``: a dict of arrays (``history_``), one array per key;
- ``"none"``: an attribute that is None (``knobs_`` without knobs).

``feature_names_in_`` (set by ``fit`` on a DataFrame) is saved too, as a list of str in the JSON document
(exact for every name, where a numpy str array would drop trailing NULs, and :func:`annhist.io.save_arrays`
keeps to numbers), so that a loaded model refuses reordered or renamed columns as the fitted one does; a file
without it (written before it was saved, or by a model fitted on an array) loads without it.
"""

from __future__ import annotations

import json
import numbers
import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from annhist.io import load_arrays, read_config, save_arrays

__all__ = ["save_estimator", "load_estimator", "encode_param", "decode_param"]


def encode_param(value: Any) -> Any:
    """A hyperparameter as JSON: tuples tagged, numpy scalars as Python ones, a Generator as None."""
    if isinstance(value, np.random.Generator):       # a Generator's state cannot be saved without pickle
        return None
    if isinstance(value, tuple):
        return {"__tuple__": [encode_param(v) for v in value]}
    if isinstance(value, list):
        return [encode_param(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, str, numbers.Number)):
        return value
    raise TypeError(f"The hyperparameter value {value!r} cannot be saved: only numbers, strings, bools, None, "
                    f"tuples and lists are.")


def decode_param(value: Any) -> Any:
    """The inverse of :func:`encode_param`."""
    if isinstance(value, dict) and set(value) == {"__tuple__"}:
        return tuple(decode_param(v) for v in value["__tuple__"])
    if isinstance(value, list):
        return [decode_param(v) for v in value]
    return value


def _kind(cls: type) -> str:
    return f"annhist.{cls.__name__}"


def save_estimator(est: Any, path: str | os.PathLike, *, extra: dict[str, np.ndarray] | None = None) -> Path:
    """Write ``est``'s hyperparameters and its ``_saved_attributes`` to ``path`` atomically."""
    arrays: dict[str, np.ndarray] = dict(extra or {})
    spec: dict[str, Any] = {}
    for name in est._saved_attributes:
        value = getattr(est, name)
        if value is None:
            spec[name] = {"type": "none"}
        elif name == "classes_":
            spec[name] = {"type": "labels", "dtype": value.dtype.str, "values": value.tolist()}
        elif isinstance(value, dict):
            spec[name] = {"type": "dict", "keys": list(value)}
            arrays.update({f"{name}.{k}": np.asarray(v) for k, v in value.items()})
        elif isinstance(value, np.ndarray):
            spec[name], arrays[name] = {"type": "array"}, value
        else:
            spec[name], arrays[name] = {"type": "scalar"}, np.asarray(value)
    names = getattr(est, "feature_names_in_", None)
    raw = est.get_params(deep=False)
    for k in (k for k, v in raw.items() if isinstance(v, np.random.Generator)):
        warnings.warn(f"{type(est).__name__}.save: the '{k}' parameter is a numpy Generator, whose state cannot be "
                      f"saved without pickle; the file records {k}=None, so refitting the loaded model draws other "
                      f"random numbers (the fitted weights are saved exactly). Pass an int seed to keep refits "
                      f"reproducible.", UserWarning, stacklevel=3)
    params = {k: encode_param(v) for k, v in raw.items()}
    config = {"class": type(est).__name__, "params": params, "attributes": spec, "extra": sorted(extra or {}),
              "feature_names_in_": None if names is None else [str(n) for n in names]}
    arrays["config"] = np.frombuffer(json.dumps(config).encode(), dtype=np.uint8)
    return save_arrays(path, arrays, kind=_kind(type(est)))


def _restore(est: Any, arrays: dict[str, np.ndarray], spec: dict[str, Any]) -> set[str]:
    """Set the attributes of ``spec`` on ``est``; return the array names used."""
    used: set[str] = set()
    for name, s in spec.items():
        kind = s["type"]
        needed = [f"{name}.{k}" for k in s["keys"]] if kind == "dict" else [name] if kind in ("array", "scalar") else []
        missing = [n for n in needed if n not in arrays]
        if missing:
            raise ValueError(f"it lacks the array(s) {missing}")
        if kind == "none":
            value = None
        elif kind == "labels":
            value = np.array(s["values"], dtype=np.dtype(s["dtype"]))
        elif kind == "dict":
            value = {k: arrays[f"{name}.{k}"] for k in s["keys"]}
            used.update(f"{name}.{k}" for k in s["keys"])
        elif kind in ("array", "scalar"):
            value = arrays[name] if kind == "array" else arrays[name].item()
            used.add(name)
        else:
            raise ValueError(f"unknown attribute type {kind!r}")
        setattr(est, name, value)
    return used


def _restore_feature_names(est: Any, names: Any) -> None:
    """``feature_names_in_`` back as scikit-learn holds it (an object array of str), one name per feature."""
    if names is None:
        return
    if not isinstance(names, list) or len(names) != est.n_features_in_ or not all(isinstance(n, str) for n in names):
        raise ValueError(f"its feature_names_in_ must be a list of {est.n_features_in_} str; got {names!r:.80}")
    est.feature_names_in_ = np.array(names, dtype=object)


def load_estimator(cls: type, path: str | os.PathLike) -> Any:
    """Rebuild the ``cls`` estimator saved in ``path``; exact arrays, no pickle."""
    arrays = load_arrays(path, kind=_kind(cls), required=("config",), allow_extra=True)
    where = f"{str(path)!r} is not a valid {cls.__name__} file"
    try:
        config = read_config(arrays["config"])
        if config["class"] != cls.__name__:
            raise ValueError(f"it holds a {config['class']!r}")
        est = cls(**{k: decode_param(v) for k, v in config["params"].items()})
        spec = config["attributes"]
        if set(spec) != set(cls._saved_attributes):
            raise ValueError(f"it describes the attributes {sorted(spec)}")
        used = _restore(est, arrays, spec) | {"config"} | set(config["extra"])
        _restore_feature_names(est, config.get("feature_names_in_"))   # no key: a file saved before it was saved
    except (ValueError, TypeError, KeyError, AttributeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{where}: its configuration is bad or incomplete ({exc}).") from None
    if set(arrays) != used:
        raise ValueError(f"{where}: it holds arrays {sorted(arrays)}, expected {sorted(used)}.")
    try:
        est._check_loaded({k: arrays[k] for k in config["extra"]})
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise ValueError(f"{where}: {exc}") from None
    return est
