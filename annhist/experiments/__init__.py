"""The experiment registry: every reproducible experiment of annhist, by name.

Each milestone declares its experiments with :func:`annhist.results.register` in its own
``experiments`` module; this package imports those modules (plainly, at the top: no
``importlib``) and collects them. It sits above the milestones and below the CLI.

While the book is built, :func:`run` also writes each result to a JSON cache and
:func:`run_dict` reads it back (see :mod:`annhist.experiments.cache`); otherwise -- ``annhist
run``, the tests -- nothing is cached.
"""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

from annhist.adaline import experiments as adaline_experiments
from annhist.cnn import experiments as cnn_experiments
from annhist.experiments import cache, timeline
from annhist.experiments import xor as xor_experiment
from annhist.hopfield import experiments as hopfield_experiments
from annhist.mcculloch_pitts import experiments as mp_experiments
from annhist.mlp import family_trees, rhw
from annhist.perceptron import experiments as perceptron_experiments
from annhist.recurrent import experiments as recurrent_experiments
from annhist.results import Experiment, ExperimentResult, Option, register, to_jsonable

__all__ = ["Option", "Experiment", "ExperimentResult", "register", "get", "names", "run", "run_dict",
           "all_experiments", "to_jsonable", "EXPERIMENT_MODULES"]

# The modules that declare experiments, in the book's order.
EXPERIMENT_MODULES: tuple[ModuleType, ...] = (
    timeline, mp_experiments, perceptron_experiments, adaline_experiments, xor_experiment, hopfield_experiments,
    rhw, family_trees, cnn_experiments, recurrent_experiments,
)


def _collect(modules: tuple[ModuleType, ...]) -> dict[str, Experiment]:
    registry: dict[str, Experiment] = {}
    for module in modules:
        for obj in vars(module).values():
            exp = getattr(obj, "experiment", None)
            if not isinstance(exp, Experiment):
                continue
            if exp.name in registry and registry[exp.name].func is not exp.func:
                raise RuntimeError(f"Experiment {exp.name!r} is registered twice.")
            registry[exp.name] = exp
    return registry


_REGISTRY: dict[str, Experiment] = _collect(EXPERIMENT_MODULES)


def names() -> list[str]:
    """All registered experiment names, sorted."""
    return sorted(_REGISTRY)


def all_experiments() -> list[Experiment]:
    """All registered experiments, sorted by name."""
    return [_REGISTRY[n] for n in sorted(_REGISTRY)]


def get(name: str) -> Experiment:
    """The experiment called ``name``; an unknown name raises ``ValueError`` listing the valid ones."""
    if not isinstance(name, str) or name not in _REGISTRY:
        valid = ", ".join(sorted(_REGISTRY)) or "(none registered)"
        raise ValueError(f"Unknown experiment {name!r}. Valid experiments: {valid}.")
    return _REGISTRY[name]


def run(name: str, seed: int = 0, **options: Any) -> ExperimentResult:
    """Run the experiment ``name`` with ``seed`` and its options.

    When the book build asks for it (``ANNHIST_RESULT_CACHE`` names a folder),
    the result's ``to_dict()`` is also written to that folder for :func:`run_dict`.
    """
    exp = get(name)
    result = exp(seed=seed, **options)
    folder = cache.cache_dir()
    if folder is not None:
        try:
            cache.store(folder, cache.cache_key(exp, seed, options), result.to_dict())
        except (OSError, TypeError, ValueError):
            pass                                         # an unwritable cache only costs a re-run later
    return result


def run_dict(name: str, seed: int = 0, **options: Any) -> dict[str, Any]:
    """``run(name, seed, **options).to_dict()``, read from the book build's result cache when
    this very run (same name, seed, options and annhist sources) is there; else it runs."""
    exp = get(name)
    folder = cache.cache_dir()
    if folder is not None:
        try:
            key = cache.cache_key(exp, seed, options)
        except (TypeError, ValueError):
            key = None                                   # a bad option: the run below reports it
        hit = cache.load(folder, key) if key is not None else None
        if hit is not None:
            return hit
    # The same JSON round trip as a cached entry, so a hit and a miss give identical dicts.
    return json.loads(json.dumps(run(name, seed, **options).to_dict()))
