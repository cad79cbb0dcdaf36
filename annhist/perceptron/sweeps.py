"""The sweeps behind the 1958 milestone's experiments: :func:`novikoff_sweep` (corrections against Novikoff's
bound on random separable data) and :func:`shift_sweep` (a fitted Mark I on displaced shapes).

:mod:`annhist.perceptron.experiments` runs them, re-exports them, and is where the API pages list them.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from annhist.base import check_fitted
from annhist.datasets.retina import retina_shapes
from annhist.datasets.separable import linearly_separable
from annhist.perceptron.estimator import Perceptron
from annhist.perceptron.mark1 import MarkI
from annhist.perceptron.novikoff import novikoff_bound
from annhist.validation import check_random_state, check_scalar, short_repr

__all__ = ["novikoff_sweep", "shift_sweep", "MAX_DATASETS"]

#: The most data sets :func:`novikoff_sweep` draws: each is a margin program and a perceptron run (1.4 ms at the
#: experiment's 100 points in 2-D, so this is minutes at most; its default is 60). 10**12 was a MemoryError.
MAX_DATASETS = 100_000


def novikoff_sweep(n_datasets: int = 60, n_samples: int = 100, n_features: int = 2, *,
                   random_state: Any = None) -> dict[str, np.ndarray]:
    """Corrections made by the perceptron against Novikoff's bound on random separable data.

    Each data set has its own gap (log-uniform in [0.002, 0.2]) around a random hyperplane.
    Returns arrays ``gap``, ``R``, ``gamma``, ``bound`` and ``updates`` (one entry per data set);
    ``n_datasets`` is at most ``MAX_DATASETS``.
    """
    check_scalar(n_datasets, "n_datasets", owner="novikoff_sweep", kind=numbers.Integral, min_val=0,
                 max_val=MAX_DATASETS)
    rng = check_random_state(random_state, owner="novikoff_sweep")
    gaps = np.exp(rng.uniform(np.log(0.002), np.log(0.2), size=n_datasets))
    out: dict[str, list] = {"gap": [], "R": [], "gamma": [], "bound": [], "updates": []}
    for gap in gaps:
        X, y = linearly_separable(n_samples, n_features, margin=float(gap), random_state=rng)
        R, gamma, bound = novikoff_bound(X, y)
        clf = Perceptron(epochs=int(bound) + 2).fit(X, y)      # cannot fail to converge
        for key, value in zip(out, (gap, R, gamma, bound, clf.n_updates_)):
            out[key].append(value)
    return {key: np.asarray(value) for key, value in out.items()}


def shift_sweep(model: MarkI, shifts: Any, *, n_test: int = 150, noise: float = 0.0,
                random_state: Any = None) -> np.ndarray:
    """Accuracy of a fitted Mark I on shapes displaced by each shift, over the four directions.

    ``shifts``: a 1-D sequence of whole numbers of cells; ``n_test`` shapes per direction and shift.
    """
    if not isinstance(model, MarkI):
        raise TypeError(f"The 'model' parameter of shift_sweep must be a fitted MarkI. Got {short_repr(model)} "
                        f"of type {type(model).__name__} instead.")
    check_fitted(model)
    try:
        arr = np.asarray(shifts) if isinstance(shifts, (list, tuple, range, np.ndarray)) else None
    except ValueError:                                         # ragged nested lists
        arr = None
    if arr is None or arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iu"):
        raise TypeError(f"The 'shifts' parameter of shift_sweep must be a 1-D sequence of whole numbers of cells. "
                        f"Got {short_repr(shifts)} instead.")
    check_scalar(n_test, "n_test", owner="shift_sweep", kind=numbers.Integral, min_val=1)
    rng = check_random_state(random_state, owner="shift_sweep")
    acc = []
    for s in arr.tolist():                    # Python ints: -s of an unsigned array would wrap
        scores = [model.score(*retina_shapes(n_test, offset=off, noise=noise, random_state=rng))
                  for off in ((0, s), (0, -s), (s, 0), (-s, 0))]
        acc.append(float(np.mean(scores)))
    return np.asarray(acc)
