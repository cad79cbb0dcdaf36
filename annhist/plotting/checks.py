"""The explorables' parameters, checked before anything is trained or drawn.

A reader calls ``xor_training(sweeps=...)`` or ``digit_maps(net, X, y, indices=...)`` with values of their
own. A bad one is a ``TypeError`` (wrong type) or ``ValueError`` (wrong value) naming the parameter and the
value, raised before the explorable trains anything. It is never an ``IndexError`` from inside a render
function, a ``MemoryError`` from a history of ``10**12`` sweeps, or a figure that silently leaves out a
row. The bounds keep the static form (every setting rendered once, :mod:`annhist.plotting.explorable`)
and the live one to what a laptop renders in seconds.
"""

from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np

from annhist.validation import check_scalar

__all__ = ["MAX_SWEEPS", "DPI_RANGE", "check_dpi", "check_sweeps", "check_indices", "check_names"]

#: The most sweeps (epochs) an explorable trains for: a few seconds for the nets of chapters 05 and 07.
MAX_SWEEPS = 100_000

#: The resolutions a frame may be drawn at (matplotlib's dots per inch).
DPI_RANGE = (20, 600)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_dpi(dpi: Any, *, owner: str) -> int:
    """``dpi``, an int in ``DPI_RANGE``."""
    return int(check_scalar(dpi, "dpi", owner=owner, kind=numbers.Integral, min_val=DPI_RANGE[0],
                            max_val=DPI_RANGE[1]))


def _ints(values: Any, name: str, owner: str, what: str) -> list[int]:
    """``values`` as a non-empty list of Python ints (not bools, not strings), or a ``ValueError`` naming ``name``."""
    items = None
    if not isinstance(values, (str, bytes, dict)) and not (isinstance(values, np.ndarray) and values.ndim != 1):
        try:
            items = list(values)
        except TypeError:                                  # not iterable: a single number
            items = None
    if not items or not all(isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_)) for v in items):
        raise ValueError(f"The '{name}' parameter of {owner} must be a non-empty sequence of {what}. "
                         f"Got {_short(values)} instead.")
    return [int(v) for v in items]


def check_sweeps(sweeps: Any, *, owner: str, name: str = "sweeps", max_val: int = MAX_SWEEPS,
                 min_last: int = 1) -> tuple[int, ...]:
    """A strictly increasing, non-empty sequence of ints in ``[0, max_val]`` whose last is at least ``min_last``
    (1 for an explorable: its error curve runs from sweep 1 to the last)."""
    what = f"increasing ints from 0 to {max_val:,}" + (f", the last at least {min_last}" if min_last else "")
    values = _ints(sweeps, name, owner, what)
    if values[0] < 0 or values[-1] < min_last or values[-1] > max_val or \
            any(b <= a for a, b in zip(values, values[1:])):
        raise ValueError(f"The '{name}' parameter of {owner} must be a non-empty sequence of {what}. "
                         f"Got {_short(sweeps)} instead.")
    return tuple(values)


def check_indices(indices: Any, n: int, *, owner: str, name: str = "indices") -> tuple[int, ...]:
    """A non-empty sequence of distinct ints in ``[0, n)`` (the rows of a data set of ``n``)."""
    what = f"distinct ints from 0 to {n - 1} (rows of the data)"
    values = _ints(indices, name, owner, what)
    if min(values) < 0 or max(values) >= n or len(set(values)) != len(values):
        raise ValueError(f"The '{name}' parameter of {owner} must be a non-empty sequence of {what}. "
                         f"Got {_short(indices)} instead.")
    return tuple(values)


def check_names(names: Any, count: int, *, owner: str, name: str = "names") -> tuple[str, ...]:
    """Exactly ``count`` strings (one label per row, axis or map of a figure)."""
    ok = isinstance(names, Sequence) and not isinstance(names, (str, bytes)) and len(names) == count \
        and all(isinstance(s, str) for s in names)
    if not ok:
        raise ValueError(f"The '{name}' parameter of {owner} must be a sequence of {count} strings. "
                         f"Got {_short(names)} instead.")
    return tuple(names)
