"""Two-dimensional test functions for watching optimizers move, and a driver that records paths.

Every function takes ``w`` of shape (2, ...) -- one point, or a grid of points for contour
plots -- and has its gradient written beside it. ``w`` and the constants must be finite (the
functions refuse anything else with a ``ValueError`` or ``TypeError`` naming the parameter). :func:`descend` runs any
:class:`~annhist.optimizers.Optimizer` from a starting point and returns the path.
"""

from __future__ import annotations

import numbers
from typing import Callable

import numpy as np

from annhist.optimizers import Optimizer
from annhist.validation import as_real_array, check_array, check_scalar, short_repr

__all__ = ["rosenbrock", "rosenbrock_grad", "ravine", "ravine_grad", "LANDSCAPES", "descend"]


def _xy(w: object, owner: str, **constants: float) -> np.ndarray:
    """``w`` (shape (2, ...), finite) as a float64 array, after checking the function's constants."""
    for name, value in constants.items():
        check_scalar(value, name, owner=owner)
    arr = as_real_array(w, "w", owner=owner)
    if arr.ndim == 0 or arr.shape[0] != 2:
        raise ValueError(f"The 'w' parameter of {owner} must have shape (2, ...): a point (x, y) or a grid of them. "
                         f"Got shape {arr.shape} instead.")
    arr = np.asarray(arr, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"The 'w' parameter of {owner} must be finite. Got {short_repr(arr.tolist())} instead.")
    return arr


def rosenbrock(w: np.ndarray, a: float = 1.0, b: float = 100.0) -> np.ndarray:
    """Rosenbrock's (1960) banana valley f = (a - x)^2 + b (y - x^2)^2; minimum 0 at (a, a^2)."""
    x, y = _xy(w, "rosenbrock", a=a, b=b)
    return (a - x) ** 2 + b * (y - x * x) ** 2


def rosenbrock_grad(w: np.ndarray, a: float = 1.0, b: float = 100.0) -> np.ndarray:
    """df/dx = -2 (a - x) - 4 b x (y - x^2);  df/dy = 2 b (y - x^2)."""
    x, y = _xy(w, "rosenbrock_grad", a=a, b=b)
    return np.array([-2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)])


def ravine(w: np.ndarray, k: float = 20.0) -> np.ndarray:
    """An elongated bowl f = (x^2 + k y^2) / 2: curvatures 1 and k, minimum 0 at the origin."""
    x, y = _xy(w, "ravine", k=k)
    return 0.5 * (x * x + k * y * y)


def ravine_grad(w: np.ndarray, k: float = 20.0) -> np.ndarray:
    """df/dx = x;  df/dy = k y."""
    x, y = _xy(w, "ravine_grad", k=k)
    return np.array([x, k * y])


# name -> (f, gradient, location of the minimum)
LANDSCAPES: dict[str, tuple[Callable, Callable, tuple[float, float]]] = {
    "rosenbrock": (rosenbrock, rosenbrock_grad, (1.0, 1.0)),
    "ravine": (ravine, ravine_grad, (0.0, 0.0)),
}


def descend(optimizer: Optimizer, grad: Callable[[np.ndarray], np.ndarray], w0: object, steps: int) -> np.ndarray:
    """Run ``optimizer`` on a 2-D function from ``w0``; return the path, shape (steps + 1, 2).

    The optimizer is reset first. A path that leaves the finite numbers stops there (the
    rest of the rows repeat the last finite point), so a too-large step shows as a path
    that flies off rather than as an error.
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"The 'optimizer' parameter of descend must be an Optimizer. Got {optimizer!r} instead.")
    check_scalar(steps, "steps", owner="descend", kind=numbers.Integral, min_val=1)
    w = check_array(w0, "w0", ndim=1, owner="descend").copy()
    if w.shape != (2,):
        raise ValueError(f"The 'w0' parameter of descend must hold 2 numbers. Got shape {w.shape} instead.")
    optimizer.reset()
    path = np.empty((steps + 1, 2))
    path[0] = w
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            optimizer.step([w], [grad(w)])
            if not np.all(np.isfinite(w)) or np.max(np.abs(w)) > 1e6:
                path[t:] = path[t - 1]
                break
            path[t] = w
    return path
