"""Weight initializers: the historical ones and the modern ones, side by side.

Each returns a new ``(fan_in, fan_out)`` array (or any shape, with the fans given) drawn
from a ``np.random.Generator``.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = ["uniform", "lecun_uniform", "xavier_uniform", "he_normal", "initialize"]


def uniform(rng: np.random.Generator, shape: tuple[int, ...], r: float) -> np.ndarray:
    """Uniform in [-r, r]: Rumelhart, Hinton & Williams (1986) used r = 0.3."""
    return rng.uniform(-r, r, size=shape)


def lecun_uniform(rng: np.random.Generator, shape: tuple[int, ...], fan_in: int) -> np.ndarray:
    """Uniform in [-2.4/F, 2.4/F], F the fan-in: LeCun et al. (1989)."""
    r = 2.4 / fan_in
    return rng.uniform(-r, r, size=shape)


def xavier_uniform(rng: np.random.Generator, shape: tuple[int, ...], fan_in: int, fan_out: int) -> np.ndarray:
    """Glorot & Bengio (2010), eq. (16): uniform in +-sqrt(6 / (fan_in + fan_out))."""
    r = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-r, r, size=shape)


def he_normal(rng: np.random.Generator, shape: tuple[int, ...], fan_in: int) -> np.ndarray:
    """He et al. (2015): normal with standard deviation sqrt(2 / fan_in), for ReLU nets."""
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)


def initialize(init: Any, rng: np.random.Generator, shape: tuple[int, ...], fan_in: int, fan_out: int,
               *, owner: str = "") -> np.ndarray:
    """Draw weights by name: ``("uniform", r)``, ``"lecun"``, ``"xavier"`` (or ``"glorot"``) or ``"he"``."""
    where = f" of {owner}" if owner else ""
    if isinstance(init, tuple) and len(init) == 2 and init[0] == "uniform":
        r = init[1]
        if isinstance(r, bool) or not isinstance(r, numbers.Real) or not np.isfinite(r) or r <= 0:
            raise ValueError(f"The 'init' parameter{where}: the range r of ('uniform', r) must be a finite "
                             f"number > 0. Got {r!r} instead.")
        return uniform(rng, shape, float(r))
    if init == "lecun":
        return lecun_uniform(rng, shape, fan_in)
    if init in ("xavier", "glorot"):
        return xavier_uniform(rng, shape, fan_in, fan_out)
    if init == "he":
        return he_normal(rng, shape, fan_in)
    raise ValueError(f"The 'init' parameter{where} must be ('uniform', r), 'lecun', 'xavier', 'glorot' or 'he'. "
                     f"Got {init!r} instead.")
