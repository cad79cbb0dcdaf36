"""Weight initializers: the historical ones and the modern ones, side by side.

Each returns a new ``(fan_in, fan_out)`` array (or any shape, with the fans given) drawn
from ``rng``: a ``np.random.Generator`` (used as it is), an int seed or None, as
:func:`~annhist.validation.check_random_state` takes them. A fan that the rule divides by
must be an int >= 1, and ``r`` a finite number > 0: anything else is a ``ValueError`` or
``TypeError`` naming the parameter. A shape holds at most ``MAX_WEIGHTS`` numbers.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from annhist.validation import check_random_state, check_scalar, short_repr

__all__ = ["uniform", "lecun_uniform", "xavier_uniform", "he_normal", "initialize", "MAX_WEIGHTS"]

#: The largest weight array annhist draws, and a layer may allocate: a guard against absurd sizes (2**27 float64 =
#: 1 GiB). Defined here, below annhist.layers (which imports it), so that the initializers hold to it too:
#: uniform(rng, (10**6, 10**6), 0.3) asked numpy for 7.28 TiB.
MAX_WEIGHTS = 2**27


def _checked(owner: str, rng: Any, shape: Any, **fans: Any) -> tuple[np.random.Generator, tuple[int, ...]]:
    """``rng`` as a Generator and ``shape`` as a tuple of ints >= 0; each fan an int >= 1 (it is divided by)."""
    try:
        gen = check_random_state(rng, owner=owner, name="rng")
    except (TypeError, ValueError) as exc:                   # the parameter is called 'rng' here
        raise type(exc)(str(exc).replace("'random_state'", "'rng'")) from None
    dims = (shape,) if isinstance(shape, numbers.Integral) else shape
    if not isinstance(dims, tuple):
        raise TypeError(f"The 'shape' parameter of {owner} must be a tuple of ints >= 0. Got {short_repr(shape)} "
                        f"instead.")
    for n in dims:
        check_scalar(n, "shape", owner=owner, kind=numbers.Integral, min_val=0)
    if (size := math.prod(int(n) for n in dims)) > MAX_WEIGHTS:          # Python ints: numpy int64 products wrap
        raise ValueError(f"The 'shape' parameter of {owner} asks for {size:,} weights (shape {short_repr(shape)}), "
                         f"more than MAX_WEIGHTS = {MAX_WEIGHTS:,}.")
    for name, fan in fans.items():
        check_scalar(fan, name, owner=owner, kind=numbers.Integral, min_val=1)
    return gen, tuple(int(n) for n in dims)


def uniform(rng: np.random.Generator, shape: tuple[int, ...], r: float) -> np.ndarray:
    """Uniform in [-r, r]: Rumelhart, Hinton & Williams (1986) used r = 0.3."""
    rng, shape = _checked("uniform", rng, shape)
    check_scalar(r, "r", owner="uniform", min_val=0, include_min=False)
    return rng.uniform(-r, r, size=shape)


def lecun_uniform(rng: np.random.Generator, shape: tuple[int, ...], fan_in: int) -> np.ndarray:
    """Uniform in [-2.4/F, 2.4/F], F the fan-in: LeCun et al. (1989)."""
    rng, shape = _checked("lecun_uniform", rng, shape, fan_in=fan_in)
    r = 2.4 / fan_in
    return rng.uniform(-r, r, size=shape)


def xavier_uniform(rng: np.random.Generator, shape: tuple[int, ...], fan_in: int, fan_out: int) -> np.ndarray:
    """Glorot & Bengio (2010), eq. (16): uniform in +-sqrt(6 / (fan_in + fan_out))."""
    rng, shape = _checked("xavier_uniform", rng, shape, fan_in=fan_in, fan_out=fan_out)
    r = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-r, r, size=shape)


def he_normal(rng: np.random.Generator, shape: tuple[int, ...], fan_in: int) -> np.ndarray:
    """He et al. (2015): normal with standard deviation sqrt(2 / fan_in), for ReLU nets."""
    rng, shape = _checked("he_normal", rng, shape, fan_in=fan_in)
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
