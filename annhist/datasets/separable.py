"""Random linearly separable data with a guaranteed gap around the separating hyperplane."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from annhist.validation import check_random_state, check_scalar

__all__ = ["linearly_separable", "MAX_VALUES"]

#: The most numbers (``n_samples * n_features``) a data set may hold: 2**24, 128 MB of float64, drawn about
#: twice over while the points inside the margin are rejected. 10**12 samples was a MemoryError.
MAX_VALUES = 2**24


def linearly_separable(n_samples: int = 100, n_features: int = 2, *, margin: float = 0.1,
                       random_state: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Points in the cube [-1, 1]^d labelled by a random hyperplane, none closer than ``margin``.

    A unit normal ``u`` (uniform direction) and an offset ``c`` in [-0.3, 0.3] are drawn; points
    are drawn uniformly and kept when their distance ``|u . x + c|`` to the plane is at least
    ``margin``; the label is ``+1`` on the side ``u . x + c > 0`` and ``-1`` on the other.
    Both classes are always present. At most ``MAX_VALUES`` numbers (``n_samples * n_features``).

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of int, shape (n_samples,), values -1/+1
    """
    owner = "linearly_separable"
    check_scalar(n_samples, "n_samples", owner=owner, kind=numbers.Integral, min_val=2)
    check_scalar(n_features, "n_features", owner=owner, kind=numbers.Integral, min_val=1)
    check_scalar(margin, "margin", owner=owner, min_val=0, max_val=0.5, include_max=False)
    n_samples, n_features = int(n_samples), int(n_features)        # Python ints: numpy int64 products wrap around
    if n_samples * n_features > MAX_VALUES:
        raise ValueError(f"The 'n_samples' and 'n_features' parameters of {owner} ask for {n_samples} x {n_features} "
                         f"numbers; at most MAX_VALUES = {MAX_VALUES:,} are allowed.")
    rng = check_random_state(random_state, owner=owner)
    u = rng.normal(size=n_features)
    u /= np.linalg.norm(u)
    c = rng.uniform(-0.3, 0.3)
    kept: list[np.ndarray] = []
    count = 0
    while count < n_samples:
        X = rng.uniform(-1.0, 1.0, size=(2 * n_samples, n_features))
        X = X[np.abs(X @ u + c) >= margin]
        kept.append(X)
        count += X.shape[0]
    X = np.concatenate(kept)[:n_samples]
    y = np.where(X @ u + c > 0, 1, -1)
    while np.unique(y).size < 2:        # both classes, even for tiny n_samples: redraw the last point
        cand = rng.uniform(-1.0, 1.0, size=(64, n_features))     # on the other side, in the cube, past the gap
        dist = cand @ u + c
        ok = np.flatnonzero((np.abs(dist) >= margin) & (np.where(dist > 0, 1, -1) != y[0]))
        if ok.size:
            X[-1], y[-1] = cand[ok[0]], -y[0]
    return X, y
