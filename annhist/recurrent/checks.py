"""Checks for sequence data at the public boundary, and the one transpose helper.

Sequences are ``(n_sequences, n_steps, n_features)`` float arrays; a stream (one long sequence)
is ``(n_steps, n_features)``. Messages name the parameter and what was received.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np

from annhist.layers import MAX_WEIGHTS
from annhist.validation import as_real_array, check_array, check_scalar, checked_by, short_repr

__all__ = ["MAX_CHUNK", "MAX_INIT", "check_counts", "check_init", "check_mask", "check_params", "check_run",
           "check_sequences", "check_shape", "check_step_mask", "check_stream", "check_targets", "checked_by", "swap"]

#: The largest initial weight scale ``init`` (weights uniform in ``[-init, init]``). The trainers call
#: weights beyond 1e150 diverged and blame ``eta``; starting far below that bound, a divergence is
#: learning's (``init=1e300`` was reported as "eta=0.1 is too large").
MAX_INIT = 1e100

#: The most sequences the trials take between two tests (``n_trials * eval_every``): each is drawn at
#: once, and for the Reber grammar laid out as a stream of about 12 steps x 7 units in three arrays,
#: so 2**18 sequences are about half a gigabyte (the paper's setting: 30 x 100).
MAX_CHUNK = 2**18


def swap(a: np.ndarray) -> np.ndarray:
    """The transpose of the last two axes: ``(..., m, n) -> (..., n, m)`` (a stack of ``W.T``)."""
    return a.swapaxes(-1, -2)           # the method: np.swapaxes's dispatch cost as much as the view


def check_stream(X: Any, name: str, *, owner: str, ndim: int = 3, like: np.ndarray | None = None,
                 n_features: int | None = None) -> np.ndarray:
    """A float64 copy of ``X`` with ``ndim`` axes (3: sequences, steps, features; 2: steps, features).

    ``like``: another checked array whose leading axes (sequences and steps) ``X`` must match.
    ``n_features``: the size the last axis must have.
    """
    arr = check_array(X, name, ndim=ndim, owner=owner)
    what = "(n_sequences, n_steps, n_features)" if ndim == 3 else "(n_steps, n_features)"
    if like is not None and arr.shape[:-1] != like.shape[:-1]:
        raise ValueError(f"The '{name}' parameter of {owner} must have shape {what} with the same sequences "
                         f"and steps as the inputs {like.shape[:-1]}. Got shape {arr.shape} instead.")
    if n_features is not None and arr.shape[-1] != n_features:
        raise ValueError(f"The '{name}' parameter of {owner} must have {n_features} features (last axis of "
                         f"{what}). Got shape {arr.shape} instead.")
    return arr


def check_mask(mask: Any, X: np.ndarray, *, owner: str) -> np.ndarray:
    """A boolean ``(n_sequences, n_steps)`` mask of the real steps: each sequence a non-empty prefix."""
    if mask is None:
        return np.ones(X.shape[:2], dtype=bool)
    arr = np.asarray(mask)
    if arr.dtype != bool:
        raise TypeError(f"The 'mask' parameter of {owner} must be a boolean array. Got dtype {arr.dtype} instead.")
    if arr.shape != X.shape[:2]:
        raise ValueError(f"The 'mask' parameter of {owner} must have shape (n_sequences, n_steps) = "
                         f"{X.shape[:2]}. Got shape {arr.shape} instead.")
    lengths = arr.sum(axis=1)
    if np.any(lengths == 0) or np.any(arr != (np.arange(arr.shape[1]) < lengths[:, None])):
        raise ValueError(f"The 'mask' parameter of {owner} must mark a non-empty prefix of each sequence "
                         f"(True then False). Got lengths {lengths.tolist()[:8]} with gaps or zeros instead.")
    return arr


def check_counts(owner: str, *, eta: Any, **counts: Any) -> None:
    """Counts (trials, sequences, ...) must be ints >= 1; ``eta`` a finite number > 0 (None is refused too)."""
    for name, value in counts.items():
        check_scalar(value, name, owner=owner, kind=numbers.Integral, min_val=1)
    check_scalar(eta, "eta", owner=owner, min_val=0, include_min=False)


def check_init(init: Any, *, owner: str) -> float:
    """A weight scale in ``[0, MAX_INIT]``; ``-0.0`` becomes ``0.0`` (``uniform(0.0, -0.0)`` is refused by numpy)."""
    check_scalar(init, "init", owner=owner, min_val=0)
    if float(init) > MAX_INIT:
        raise ValueError(f"The 'init' parameter of {owner} must be <= {MAX_INIT:g} (larger starting weights "
                         f"are taken for a divergence). Got {init} instead.")
    return abs(init)


def check_sequences(X: Any, name: str, *, owner: str, n_features: int | None = None,
                    finite: bool = True) -> np.ndarray:
    """Real sequences ``(..., N, T, n_features)`` (at least 3 axes; finite unless told), read without a copy."""
    arr = as_real_array(X, name, owner=owner)
    if arr.ndim < 3 or 0 in arr.shape:
        raise ValueError(f"The '{name}' parameter of {owner} must be sequences of shape (..., n_sequences, n_steps, "
                         f"n_features), none empty. Got shape {arr.shape} instead.")
    if n_features is not None and arr.shape[-1] != n_features:
        raise ValueError(f"The '{name}' parameter of {owner} must have {n_features} features (last axis). "
                         f"Got shape {arr.shape} instead.")
    if finite and not np.isfinite(arr.sum()) and not np.all(np.isfinite(arr)):
        raise ValueError(f"The '{name}' parameter of {owner} contains NaN or infinite values.")
    return arr


def check_params(p: Any, shapes: Mapping[str, tuple[int, ...]], *, owner: str, lead: tuple[int, ...] | None = None,
                 optional: tuple[str, ...] = ()) -> tuple[int, ...]:
    """The weights ``p``: a dict holding a real array for every name of ``shapes`` (those of ``optional`` may be
    missing), each ``(..., *shape)`` with the same leading axes (``lead`` when given); returns those axes."""
    if not isinstance(p, Mapping):
        raise TypeError(f"The 'p' parameter of {owner} must be a dict of weight arrays. Got {short_repr(p)} instead.")
    missing = [k for k in shapes if k not in p and k not in optional]
    if missing:
        raise ValueError(f"The 'p' parameter of {owner} must hold the weights {sorted(shapes)}. "
                         f"Missing {sorted(missing)}.")
    for k, shape in shapes.items():
        if k not in p:
            continue
        v = p[k]
        if not isinstance(v, np.ndarray) or v.dtype.kind not in "biuf" or v.shape[v.ndim - len(shape):] != shape:
            got = v.shape if isinstance(v, np.ndarray) else type(v).__name__
            raise ValueError(f"The 'p' parameter of {owner} must hold {k!r} of shape (..., "
                             f"{', '.join(map(str, shape))}). Got {got} instead.")
        here = v.shape[:v.ndim - len(shape)]
        lead = here if lead is None else lead
        if here != lead:
            raise ValueError(f"The 'p' parameter of {owner} must hold weights with the same leading (net) axes. "
                             f"Got {lead} and {here} ({k!r}) instead.")
    return lead or ()


def check_targets(D: Any, shape: tuple[int, ...], *, owner: str, name: str = "D") -> np.ndarray:
    """Real, finite targets of ``shape`` (leading axes may broadcast; the steps and outputs may not)."""
    arr = as_real_array(D, name, owner=owner)
    ok = arr.ndim >= 2 and arr.shape[-2:] == shape[-2:]
    try:
        ok = ok and np.broadcast_shapes(arr.shape, shape) == shape
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"The '{name}' parameter of {owner} must have the shape of the outputs {shape} (leading "
                         f"axes may broadcast). Got shape {arr.shape} instead.")
    if not np.isfinite(arr.sum()) and not np.all(np.isfinite(arr)):
        raise ValueError(f"The '{name}' parameter of {owner} contains NaN or infinite values.")
    return arr


def check_run(lead: tuple[int, ...], steps: int, per_step: int, *, owner: str) -> None:
    """A run of the nets over sequences keeps ``per_step`` numbers a sequence and step: the nets' and the
    sequences' axes ``lead`` x ``steps`` x ``per_step`` at most ``MAX_WEIGHTS`` (1,000 nets broadcast against
    1,000 sequences of 1,000 steps were a 74.5 GiB MemoryError)."""
    total = math.prod(lead) * int(steps) * int(per_step)
    if total > MAX_WEIGHTS:
        raise ValueError(f"The 'X' and 'p' parameters of {owner} ask for a run of nets x sequences {lead} over {steps} "
                         f"steps, {per_step} numbers kept a step: {total:,} in all; at most {MAX_WEIGHTS:,}. "
                         f"Run fewer nets or sequences at a time.")


def check_step_mask(mask: Any, shape: tuple[int, ...], *, owner: str) -> None:
    """``None`` or real weights of the steps, broadcasting to ``shape`` = (..., N, T) with all T steps."""
    if mask is None:
        return
    arr = as_real_array(mask, "mask", owner=owner)
    try:
        ok = arr.ndim >= 1 and arr.shape[-1] == shape[-1] and np.broadcast_shapes(arr.shape, shape) == shape
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"The 'mask' parameter of {owner} must broadcast to the steps {shape}. "
                         f"Got shape {arr.shape} instead.")
    if not np.all(np.isfinite(arr)):                    # NaN weights made every gradient NaN
        raise ValueError(f"The 'mask' parameter of {owner} must hold finite weights. Got "
                         f"{short_repr(arr[~np.isfinite(arr)][:3].tolist())} among them.")


def check_shape(shape: Any, *, owner: str) -> tuple[int, ...]:
    """The leading (net) axes of a stack of weights: a tuple of ints >= 1 (``()`` for one net)."""
    if not isinstance(shape, tuple):
        raise TypeError(f"The 'shape' parameter of {owner} must be a tuple of ints (the leading axes). "
                        f"Got {short_repr(shape)} instead.")
    for n in shape:
        check_scalar(n, "shape", owner=owner, kind=numbers.Integral, min_val=1)
    return shape
