"""The explorables' and figures' parameters, checked before anything is trained or drawn.

A reader calls ``xor_training(sweeps=...)`` or ``digit_maps(net, X, y, indices=...)`` with values of their
own. A bad one is a ``TypeError`` (wrong type) or ``ValueError`` (wrong value) naming the parameter and the
value, raised before the explorable trains anything. It is never an ``IndexError`` from inside a render
function, a ``MemoryError`` from a history of ``10**12`` sweeps, or a figure that silently leaves out a
row. The bounds keep the static form (every setting rendered once, :mod:`annhist.plotting.explorable`)
and the live one to what a laptop renders in seconds. The milestones' ``plot_*`` functions check their data
(arrays, labels, training histories, named curves) with the helpers below the explorables' in the same way,
so a lecturer's own numbers get a message rather than a traceback from inside matplotlib.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any, Sequence

import numpy as np

from annhist.validation import check_array, check_scalar, short_repr

__all__ = ["MAX_SWEEPS", "DPI_RANGE", "check_dpi", "check_sweeps", "check_indices", "check_names", "check_text",
           "check_vector", "check_labels", "check_history", "check_slice", "check_flag", "check_callable",
           "check_record", "check_labelled", "check_shaped", "check_curves", "check_extent"]

#: The most sweeps (epochs) an explorable trains for: a few seconds for the nets of chapters 05 and 07.
MAX_SWEEPS = 100_000

#: The resolutions a frame may be drawn at (matplotlib's dots per inch).
DPI_RANGE = (20, 600)


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
                         f"Got {short_repr(values)} instead.")
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
                         f"Got {short_repr(sweeps)} instead.")
    return tuple(values)


def check_indices(indices: Any, n: int, *, owner: str, name: str = "indices") -> tuple[int, ...]:
    """A non-empty sequence of distinct ints in ``[0, n)`` (the rows of a data set of ``n``)."""
    what = f"distinct ints from 0 to {n - 1} (rows of the data)"
    values = _ints(indices, name, owner, what)
    if min(values) < 0 or max(values) >= n or len(set(values)) != len(values):
        raise ValueError(f"The '{name}' parameter of {owner} must be a non-empty sequence of {what}. "
                         f"Got {short_repr(indices)} instead.")
    return tuple(values)


def check_names(names: Any, count: int, *, owner: str, name: str = "names") -> tuple[str, ...]:
    """Exactly ``count`` strings (one label per row, axis or map of a figure)."""
    ok = isinstance(names, Sequence) and not isinstance(names, (str, bytes)) and len(names) == count \
        and all(isinstance(s, str) for s in names)
    if not ok:
        raise ValueError(f"The '{name}' parameter of {owner} must be a sequence of {count} strings. "
                         f"Got {short_repr(names)} instead.")
    return tuple(names)


# ----------------------------------------------------------------------------- the figures' data
def _subject(name: str, owner: str, key: str = "") -> str:
    return f"The '{key}' entry of the '{name}' parameter of {owner}" if key else f"The '{name}' parameter of {owner}"


def check_text(value: Any, *, owner: str, name: str) -> str:
    """``value``, a string (a title or an axis label)."""
    if not isinstance(value, str):
        raise TypeError(f"{_subject(name, owner)} must be a string. Got {short_repr(value)} of type "
                        f"{type(value).__name__} instead.")
    return value


def check_vector(values: Any, name: str, *, owner: str, key: str = "", size: int | None = None, like: str = "",
                 min_val: float | None = None, max_val: float | None = None, include_min: bool = True,
                 integral: bool = False) -> np.ndarray:
    """``values`` as a non-empty 1-D float array of finite numbers: of ``size`` entries if given (``like`` says
    why, e.g. "one per row of 'X'"), in ``[min_val, max_val]`` (``(min_val, ...`` with ``include_min=False``), whole
    numbers if ``integral``. ``key`` names the entry of a dict parameter ``name`` that ``values`` is."""
    subject = _subject(name, owner, key)
    try:
        arr = check_array(values, name, ndim=1, owner=owner, copy=False)
    except (TypeError, ValueError) as exc:
        raise type(exc)(str(exc).replace(_subject(name, owner), subject, 1)) from None
    if size is not None and arr.shape[0] != size:
        raise ValueError(f"{subject} must have {size} entries{f' ({like})' if like else ''}. "
                         f"Got shape {arr.shape} instead.")
    low = min_val is not None and bool(np.any(arr < min_val if include_min else arr <= min_val))
    if low or (max_val is not None and bool(np.any(arr > max_val))):
        bounds = f"{'[' if include_min else '('}{'-inf' if min_val is None else min_val}, " \
                 f"{'inf' if max_val is None else max_val}]"
        raise ValueError(f"{subject} must hold values in {bounds}. Got values from {arr.min():g} to {arr.max():g} "
                         f"instead.")
    if integral and not np.array_equal(arr, np.round(arr)):
        raise ValueError(f"{subject} must hold whole numbers. Got {short_repr(arr[arr != np.round(arr)][:3].tolist())} "
                         f"instead.")
    return arr


def check_labels(labels: Any, count: int, *, owner: str, name: str = "labels") -> np.ndarray:
    """``labels`` as a 1-D array of ``count`` labels (strings or finite real numbers), for titles and legends."""
    if labels is None or isinstance(labels, (str, bytes)):
        raise TypeError(f"{_subject(name, owner)} must be a sequence of {count} labels. "
                        f"Got {short_repr(labels)} instead.")
    try:
        arr = np.asarray(labels)
    except (TypeError, ValueError):                        # ragged nested lists
        raise ValueError(f"{_subject(name, owner)} must be a sequence of {count} labels. Got {short_repr(labels)} "
                         f"instead.") from None
    if arr.dtype.kind not in "biufUS":
        raise TypeError(f"{_subject(name, owner)} must hold strings or real numbers. Got an array of dtype "
                        f"{arr.dtype} instead.")
    if arr.ndim != 1 or arr.shape[0] != count:
        raise ValueError(f"{_subject(name, owner)} must be a 1-D sequence of {count} labels. Got shape {arr.shape} "
                         f"instead.")
    if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        raise ValueError(f"{_subject(name, owner)} contains NaN or infinite values.")
    return arr


def check_history(history: Any, keys: Sequence[str], *, owner: str, name: str = "history",
                  optional: Sequence[str] = (), min_val: float | None = None,
                  max_val: float | None = None) -> dict[str, np.ndarray]:
    """The curves ``keys`` of a training history (a dict), each a 1-D float array of finite numbers in
    ``[min_val, max_val]``, all of one length; an ``optional`` key counts when it is present and not None or empty."""
    if not isinstance(history, Mapping):
        raise TypeError(f"{_subject(name, owner)} must be a dict. Got {short_repr(history)} of type "
                        f"{type(history).__name__} instead.")
    missing = [k for k in keys if k not in history]
    if missing:
        raise ValueError(f"{_subject(name, owner)} must have the key(s) {', '.join(map(repr, keys))}. Got the keys "
                         f"{short_repr(sorted(map(str, history)))} instead.")
    present = [k for k in optional if history.get(k) is not None and np.size(np.asarray(history[k], object)) > 0]
    curves: dict[str, np.ndarray] = {}
    for k in (*keys, *present):
        size = len(curves[keys[0]]) if curves else None
        curves[k] = check_vector(history[k], name, owner=owner, key=k, size=size, like=f"as many as '{keys[0]}'",
                                 min_val=min_val, max_val=max_val)
    return curves


def check_slice(window: Any, n: int, *, owner: str, name: str = "window") -> slice:
    """``window``, a slice that picks at least one of ``n`` samples."""
    if not isinstance(window, slice):
        raise TypeError(f"{_subject(name, owner)} must be a slice. Got {short_repr(window)} of type "
                        f"{type(window).__name__} instead.")
    try:
        picked = len(range(n)[window])
    except (TypeError, ValueError):                      # float bounds, step 0
        picked = -1
    if picked < 1:
        raise ValueError(f"{_subject(name, owner)} must be a slice of ints that picks at least one of the {n} "
                         f"samples. Got {window} instead.")
    return window


# ----------------------------------------------------------------------------- named curves, records, switches
def check_flag(value: Any, *, owner: str, name: str) -> bool:
    """``value``, True or False (a figure's switch): a truthy string or number is refused, not read as one."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{_subject(name, owner)} must be True or False. Got {short_repr(value)} instead.")
    return bool(value)


def check_callable(f: Any, *, owner: str, name: str = "f") -> Any:
    """``f``, a function (the one a figure draws)."""
    if not callable(f):
        raise TypeError(f"{_subject(name, owner)} must be a function. Got {short_repr(f)} instead.")
    return f


def check_record(record: Any, keys: Sequence[str], *, owner: str, name: str) -> Any:
    """``record``, a mapping that holds every key of ``keys`` (one experiment's results, a paper's row)."""
    if not isinstance(record, Mapping) or any(k not in record for k in keys):
        got = f"the keys {short_repr(sorted(map(str, record)))}" if isinstance(record, Mapping) else short_repr(record)
        raise (ValueError if isinstance(record, Mapping) else TypeError)(
            f"{_subject(name, owner)} must be a dict with the key(s) {', '.join(map(repr, keys))}. Got {got} instead.")
    return record


def check_labelled(mapping: Any, *, owner: str, name: str, what: str, test: Any = None, min_count: int = 1,
                   max_count: int = 10_000) -> dict[str, Any]:
    """``mapping``, a dict of ``min_count`` to ``max_count`` str labels (legend entries) to ``what``, each value
    passing ``test`` if given; a wrong type is a ``TypeError``, too few or too many entries a ``ValueError``."""
    want = f"{_subject(name, owner)} must be a dict of {min_count} to {max_count} str labels to {what}."
    if not isinstance(mapping, Mapping):
        raise TypeError(f"{want} Got {short_repr(mapping)} instead.")
    if not min_count <= len(mapping) <= max_count:
        raise ValueError(f"{want} Got {len(mapping)} entries instead.")
    bad = [(k, v) for k, v in mapping.items() if not isinstance(k, str) or (test is not None and not test(v))]
    if bad:
        raise TypeError(f"{want} Got the entry {short_repr(bad[0][0])}: {short_repr(bad[0][1])} instead.")
    return dict(mapping)


def check_shaped(X: Any, name: str, shape: tuple, *, owner: str, key: str = "", allow_nan: bool = False,
                 min_val: float | None = None, max_val: float | None = None) -> np.ndarray:
    """``X`` as a float array (``annhist.validation.check_array``, not copied) of ``shape``: per axis an int (that
    size), None (any size >= 1) or ``(lo, hi)`` (a size from lo to hi: a figure growing with the data stays on a
    page); finite (NaN too with ``allow_nan``, never inf), in ``[min_val, max_val]``. ``key``: as check_vector."""
    subject = _subject(name, owner, key)
    try:
        arr = check_array(X, name, ndim=len(shape), owner=owner, allow_nonfinite=allow_nan, copy=False)
    except (TypeError, ValueError) as exc:
        raise type(exc)(str(exc).replace(_subject(name, owner), subject, 1)) from None
    if not all(n == s if isinstance(s, int) else s is None or s[0] <= n <= s[1] for n, s in zip(arr.shape, shape)):
        want = ", ".join("nmk"[i] if s is None else str(s) if isinstance(s, int) else f"{s[0]} to {s[1]}"
                         for i, s in enumerate(shape))
        raise ValueError(f"{subject} must have shape ({want}{',' * (len(shape) == 1)}). Got shape {arr.shape} instead.")
    seen = arr[~np.isnan(arr)] if allow_nan else arr
    low, high = -np.inf if min_val is None else min_val, np.inf if max_val is None else max_val
    if seen.size and (seen.min() < low or seen.max() > high or np.isinf(seen).any()):
        raise ValueError(f"{subject} must hold {'NaN or ' * allow_nan}values in [{low:g}, {high:g}]. Got values "
                         f"from {seen.min():g} to {seen.max():g} instead.")
    return arr


def check_curves(curves: Any, *, owner: str, name: str = "curves", shape: tuple = (None,), allow_nan: bool = False,
                 min_val: float | None = None, max_val: float | None = None,
                 min_count: int = 1) -> dict[str, np.ndarray]:
    """``curves``, a dict of at least ``min_count`` str labels to arrays of ``shape`` as :func:`check_shaped` checks
    them: 1-D curves by default, ``(None, 2)`` for paths in the plane, ``()`` for single numbers."""
    what = f"{len(shape)}-D arrays of numbers" if shape else "numbers"
    return {k: check_shaped(v, name, shape, owner=owner, key=k, allow_nan=allow_nan, min_val=min_val, max_val=max_val)
            for k, v in check_labelled(curves, owner=owner, name=name, what=what, min_count=min_count).items()}


def check_extent(extent: Any, *, owner: str, name: str = "extent") -> tuple[float, ...]:
    """``extent``, four finite numbers ``(x_lo, x_hi, y_lo, y_hi)`` with lo < hi: the window a figure shows."""
    arr = check_shaped(extent, name, (4,), owner=owner)
    if not (arr[0] < arr[1] and arr[2] < arr[3]):
        raise ValueError(f"{_subject(name, owner)} must be (x_lo, x_hi, y_lo, y_hi) with lo < hi. Got "
                         f"{short_repr(arr.tolist())} instead.")
    return tuple(float(v) for v in arr)
