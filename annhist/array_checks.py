"""The checks that turn an array-like into a numpy array of real numbers, naming the parameter when they cannot.

:func:`check_array` is the full check for data at a public boundary; :func:`as_real_array` the light one
for inner functions. Both are re-exported by :mod:`annhist.validation`, where the rest of annhist imports
them from, with the other checks.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_FLOATS = (np.dtype(np.float64), np.dtype(np.float32))        # in native byte order

__all__ = ["as_real_array", "check_array"]


def as_real_array(x: Any, name: str, *, owner: str = "", floating: bool = False) -> np.ndarray:
    """``x`` as an array of real numbers, never copied needlessly (the light check for inner functions).

    Ragged lists are a ``ValueError``; strings, objects and complex numbers a ``TypeError``, both
    naming ``name``. With ``floating=True`` float32 and float64 are kept and any other real dtype
    becomes float64. :func:`check_array` is the full check for data at a public boundary.
    """
    if type(x) is np.ndarray and x.dtype in _FLOATS:
        return x                                  # the common case first: inner loops call this per step
    where = f" of {owner}" if owner else ""
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:                   # ragged nested lists
        raise ValueError(f"The '{name}' parameter{where} could not be read as an array: {exc}") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"The '{name}' parameter{where} must hold real numbers. Got an array of dtype "
                        f"{arr.dtype} instead.")
    if floating and arr.dtype not in (np.float64, np.float32):
        return arr.astype(np.float64)
    return arr


def _all_finite(arr: np.ndarray) -> bool:
    """Whether every entry of ``arr`` is finite: a finite sum proves it (a NaN or an infinity makes the sum NaN or
    infinite), in one pass without a boolean array (6.4 million numbers: 2.2 against 4.5 ms); else entry-wise."""
    with np.errstate(over="ignore", invalid="ignore"):
        return bool(np.isfinite(arr.sum())) or bool(np.all(np.isfinite(arr)))


def check_array(X: Any, name: str = "X", *, ndim: int | tuple[int, ...] = 2, owner: str = "", min_samples: int = 1,
                dtype: type = np.float64, allow_nonfinite: bool = False, copy: bool = True) -> np.ndarray:
    """Convert ``X`` to a float array of the given rank (a new one unless ``copy=False``), refusing what cannot be data.

    Refused with a message naming ``name``: strings, objects, complex numbers, booleans mixed
    with objects, ragged lists, masked arrays, the wrong rank, fewer than ``min_samples`` rows, NaN or inf.
    The input is never modified. ``copy=False``, for a caller that only reads it: ``X`` itself if it is an
    array of ``dtype`` (no copy of a training set at every ``fit``: 51 MB, 12 ms for 8,192 MNIST-sized cases)."""
    where = f" of {owner}" if owner else ""
    if X is None:
        raise TypeError(f"The '{name}' parameter{where} must be an array-like of numbers. Got None instead.")
    if isinstance(X, (str, bytes)):
        raise TypeError(f"The '{name}' parameter{where} must be an array-like of numbers. Got a string instead.")
    if isinstance(X, np.ma.MaskedArray):       # np.asarray would drop the mask and read the hidden values
        raise TypeError(f"The '{name}' parameter{where} must not be a masked array: its mask would be ignored. "
                        f"Fill or drop the masked values first (X.filled(value) or X.compressed()).")
    try:
        arr = np.asarray(X)
    except (ValueError, TypeError) as exc:  # ragged nested lists
        raise ValueError(f"The '{name}' parameter{where} could not be read as an array: {exc}") from None
    if arr.dtype.kind in "OUSVMm":
        raise TypeError(
            f"The '{name}' parameter{where} must contain real numbers. Got an array of dtype "
            f"{arr.dtype} instead."
        )
    if arr.dtype.kind == "c":
        raise TypeError(f"The '{name}' parameter{where} must contain real numbers. Got complex values instead.")
    ndims = ndim if isinstance(ndim, tuple) else (ndim,)
    if arr.ndim not in ndims:
        shapes = " or ".join(f"{d}-D" for d in ndims)
        one_row = arr.ndim == 1 and 2 in ndims
        hint = " Reshape your data with X.reshape(1, -1) if it holds a single sample." if one_row else ""
        raise ValueError(
            f"The '{name}' parameter{where} must be a {shapes} array. Got an array of shape "
            f"{arr.shape} instead.{hint}"
        )
    if arr.ndim >= 1 and arr.shape[0] < min_samples:
        raise ValueError(
            f"The '{name}' parameter{where} must have at least {min_samples} sample(s). Got shape {arr.shape} instead."
        )
    if arr.ndim >= 2 and 0 in arr.shape[1:]:
        raise ValueError(f"The '{name}' parameter{where} has an empty dimension: shape {arr.shape}. "
                         f"It has 0 feature(s) (shape={arr.shape}) while a minimum of 1 is required.")
    with np.errstate(under="ignore"):        # tiny values cast to float32 flush to 0: their limit
        arr = np.array(arr, dtype=dtype, copy=True) if copy else np.asarray(arr, dtype=dtype)
    if not allow_nonfinite and not _all_finite(arr):
        n_bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"The '{name}' parameter{where} contains {n_bad} NaN or infinite value(s).")
    return arr
