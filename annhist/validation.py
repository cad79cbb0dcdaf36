"""Input validation shared by every estimator, layer and experiment.

Every user error becomes a ``ValueError`` or ``TypeError`` whose message names the
parameter and the value received, in scikit-learn's phrasing::

    The 'eta' parameter of Perceptron must be > 0. Got -1 instead.

Nothing here mutates its arguments. The array checks (:func:`check_array`, :func:`as_real_array`) live in
:mod:`annhist.array_checks` and are imported from here.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Mapping
from typing import Any, Callable

import numpy as np

from annhist import errors
from annhist.array_checks import as_real_array, check_array
from annhist.errors import ConvergenceWarning, DivergenceError  # NotFittedError: __getattr__ (end)

__all__ = ["NotFittedError", "ConvergenceWarning", "DivergenceError", "check_random_state",  # noqa: F822
           "check_scalar", "check_choice", "check_array", "check_X_y", "check_binary_labels", "check_is_fitted",
           "check_n_features", "check_finite_weights", "lookup", "as_real_array", "to_pm1", "short_repr",
           "check_sample_weight", "checked_by"]


def short_repr(value: Any, limit: int = 60) -> str:
    """``repr(value)``, cut to ``limit`` characters: how a message quotes the value it refuses."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_random_state(random_state: Any, *, owner: str = "", name: str = "random_state") -> np.random.Generator:
    """Turn ``None``, an int or a ``np.random.Generator`` into a Generator.

    An int seeds a new ``np.random.default_rng``; a Generator is used as it is (and so
    advances); ``None`` draws fresh entropy.  The global ``np.random`` state is never used.
    ``name`` is the parameter's name in messages (``rng``, ``seed``, ...).
    """
    if random_state is None or isinstance(random_state, np.random.Generator):
        return np.random.default_rng(random_state)
    where = f" of {owner}" if owner else ""
    if isinstance(random_state, (bool, np.bool_)) or not isinstance(random_state, numbers.Integral):
        raise TypeError(f"The '{name}' parameter{where} must be None, an int >= 0 or a "
                        f"numpy.random.Generator. Got {short_repr(random_state)} instead.")
    if random_state < 0:
        raise ValueError(f"The '{name}' parameter{where} must be >= 0. Got {random_state} instead.")
    return np.random.default_rng(int(random_state))


def _finite_float(value: Any) -> bool:
    """Whether ``value`` converts to a finite float64 (10**400 does not: ``float`` overflows)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def check_scalar(
    value: Any,
    name: str,
    *,
    owner: str = "",
    kind: type | tuple[type, ...] = numbers.Real,
    min_val: float | None = None,
    max_val: float | None = None,
    include_min: bool = True,
    include_max: bool = True,
) -> Any:
    """Check a scalar hyperparameter's type and range and return it.

    ``kind`` is ``numbers.Integral`` or ``numbers.Real`` (or a tuple of types). Booleans are
    refused for both; NaN, infinities and ints beyond float64's range are refused for reals, and so are
    reals that are not ints or floats (``Fraction``: numpy would compute with them as Python objects).
    """
    where = f" of {owner}" if owner else ""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    integral = all(k is numbers.Integral for k in kinds)
    wanted = "an int" if integral else "a real number"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, kinds):
        raise TypeError(
            f"The '{name}' parameter{where} must be {wanted}. Got {short_repr(value)} "
            f"of type {type(value).__name__} instead."
        )
    if not integral and not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"The '{name}' parameter{where} must be an int or a float. Got {short_repr(value)} "
                        f"of type {type(value).__name__} instead.")
    if not integral and not _finite_float(value):
        raise ValueError(f"The '{name}' parameter{where} must be finite. Got {short_repr(value)} instead.")
    x = value if integral else float(value)        # a float32 against a bound beyond its range: no overflow
    if min_val is not None:
        bad = x < min_val if include_min else x <= min_val
        if bad:
            op = ">=" if include_min else ">"
            raise ValueError(f"The '{name}' parameter{where} must be {op} {min_val}. Got {value} instead.")
    if max_val is not None:
        bad = x > max_val if include_max else x >= max_val
        if bad:
            op = "<=" if include_max else "<"
            raise ValueError(f"The '{name}' parameter{where} must be {op} {max_val}. Got {value} instead.")
    return value


def checked_by(check: Callable[..., None]) -> Callable[[Callable], Callable]:
    """A decorator: ``kernel`` behind ``check``, which takes the kernel's arguments and raises on bad ones.

    For the functions the book prints: their bodies stay as printed, the public name checks first.
    ``__wrapped__`` is the kernel itself (``functools.wraps``), for callers that have checked already.
    """
    def wrap(kernel: Callable) -> Callable:
        @functools.wraps(kernel)
        def checked(*args: Any, **kwargs: Any) -> Any:
            check(*args, **kwargs)
            return kernel(*args, **kwargs)
        return checked
    return wrap


def check_choice(value: Any, name: str, choices: list | tuple, *, owner: str = "") -> Any:
    """Check that ``value`` is one of ``choices`` and return it; the message lists them."""
    where = f" of {owner}" if owner else ""
    try:
        ok = value in choices
    except TypeError:  # unhashable or incomparable
        ok = False
    if not ok:
        valid = ", ".join(repr(c) for c in choices)
        raise ValueError(f"The '{name}' parameter{where} must be one of {valid}. Got {short_repr(value)} instead.")
    return value


def lookup(value: Any, table: Mapping[str, Any], name: str, *, owner: str = "", kind: type | None = None,
           kind_name: str = "") -> Any:
    """``table[value]`` for a name of ``table`` (an activation, a loss, an optimizer ...).

    An instance of ``kind`` is returned as it is; anything else raises ``ValueError`` naming the
    parameter ``name`` and listing the valid names. The one lookup-by-name of annhist.
    """
    if kind is not None and isinstance(value, kind):
        return value
    if isinstance(value, str) and value in table:
        return table[value]
    where = f" of {owner}" if owner else ""
    either = f"{kind_name} or " if kind_name else ""
    valid = ", ".join(repr(k) for k in table)
    raise ValueError(f"The '{name}' parameter{where} must be {either}one of {valid}. Got {short_repr(value)} instead.")


def check_X_y(X: Any, y: Any, *, owner: str = "", y_name: str = "y", y_ndim: int | tuple[int, ...] = 1,
              y_numeric: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Validate a design matrix and its targets together (same number of rows).

    ``y`` keeps its own dtype unless ``y_numeric`` is set (labels may be strings); it is
    refused when it holds NaN/inf, objects of mixed kinds, or has the wrong length.
    """
    where = f" of {owner}" if owner else ""
    X = check_array(X, "X", owner=owner)
    if y is None:
        raise TypeError(f"The '{y_name}' parameter{where} must be an array-like. Got None instead.")
    if isinstance(y, (str, bytes)):
        raise TypeError(f"The '{y_name}' parameter{where} must be an array-like. Got a string instead.")
    if y_numeric:
        y = check_array(y, y_name, ndim=y_ndim, owner=owner)
    else:
        try:
            y = np.asarray(y)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"The '{y_name}' parameter{where} could not be read as an array: {exc}") from None
        ndims = y_ndim if isinstance(y_ndim, tuple) else (y_ndim,)
        if y.ndim not in ndims:
            raise ValueError(f"The '{y_name}' parameter{where} must be {' or '.join(f'{d}-D' for d in ndims)}. "
                             f"Got an array of shape {y.shape} instead.")
        if y.dtype.kind == "c":
            raise TypeError(f"The '{y_name}' parameter{where} must not be complex.")
        if y.dtype.kind == "O":
            kinds = {type(v) for v in y.ravel()}
            if len(kinds) > 1 or not kinds <= {str, int, float, bool, np.str_}:
                raise TypeError(f"The '{y_name}' parameter{where} must hold labels of one kind. "
                                f"Got values of types {sorted(k.__name__ for k in kinds)} instead.")
        if y.dtype.kind == "f" and not np.all(np.isfinite(y)):
            raise ValueError(f"The '{y_name}' parameter{where} contains NaN or infinite values.")
    if y.shape[0] != X.shape[0]:
        raise ValueError(
            f"The 'X' and '{y_name}' parameters{where} must have the same number of samples. "
            f"Got {X.shape[0]} and {y.shape[0]} instead."
        )
    return X, y


def check_sample_weight(sample_weight: Any, n_samples: int, *, owner: str = "") -> np.ndarray | None:
    """``sample_weight`` of a ``score``: None, or n_samples finite weights >= 0 with a positive, finite sum.

    Returned as float64 (what ``np.average`` and scikit-learn's metrics compute in, so the score is unchanged).
    """
    if sample_weight is None:
        return None
    where = f" of {owner}" if owner else ""
    w = check_array(sample_weight, "sample_weight", ndim=1, owner=owner, allow_nonfinite=True)   # strings, shape
    if not np.all(np.isfinite(w)):
        raise ValueError(f"The 'sample_weight' parameter{where} must hold finite numbers. Got "
                         f"{short_repr(sample_weight)} instead.")
    if w.shape[0] != n_samples:
        raise ValueError(f"The 'sample_weight' parameter{where} must hold one weight per sample: {n_samples}. "
                         f"Got {w.shape[0]} weight(s) instead: {short_repr(sample_weight)}.")
    if np.any(w < 0):
        raise ValueError(f"The 'sample_weight' parameter{where} must be >= 0. Got {short_repr(sample_weight)} "
                         f"instead.")
    total = float(np.sum(w))
    if not 0 < total < np.inf:
        raise ValueError(f"The 'sample_weight' parameter{where} must have a positive, finite sum. Got sum {total} "
                         f"for {short_repr(sample_weight)} instead.")
    return w


def to_pm1(y: np.ndarray, positive: Any) -> np.ndarray:
    """The label coder of the threshold units: ``+1.0`` where ``y == positive``, ``-1.0`` elsewhere."""
    return np.where(y == positive, 1.0, -1.0)


def check_binary_labels(y: np.ndarray, *, owner: str = "", name: str = "y",
                        hint: str = "") -> tuple[np.ndarray, np.ndarray]:
    """Map two-class labels to ``-1``/``+1``; return ``(classes, y_pm)``.

    ``classes[0]`` maps to -1 and ``classes[1]`` to +1 (sorted order, as scikit-learn).
    One class or more than two is refused; ``hint`` is added to the message for more than two (what to use).
    """
    where = f" of {owner}" if owner else ""
    classes = np.unique(y)
    if classes.size != 2:
        shown = short_repr(classes.tolist())
        extra = f" Only binary classification is supported.{' ' + hint if hint else ''}" if classes.size > 2 else ""
        raise ValueError(f"The '{name}' parameter{where} must contain exactly two classes. "
                         f"Got {classes.size} class(es): {shown}.{extra}")
    y_pm = to_pm1(y, classes[1])
    return classes, y_pm


def check_is_fitted(estimator: Any, attribute: str) -> None:
    """Raise :class:`NotFittedError` when ``estimator`` lacks the learned ``attribute``."""
    if getattr(estimator, attribute, None) is None:
        raise errors.NotFittedError(
            f"This {type(estimator).__name__} instance is not fitted yet. Call 'fit' with "
            f"appropriate arguments before using this estimator."
        )


def check_n_features(X: np.ndarray, expected: int, *, owner: str = "") -> None:
    """Refuse a design matrix whose column count differs from the one seen in ``fit`` (or that is not 2-D)."""
    where = f" of {owner}" if owner else ""
    if np.ndim(X) != 2:
        raise ValueError(f"The 'X' parameter{where} must be a 2-D array. Got shape {np.shape(X)} instead.")
    if X.shape[1] != expected:
        raise ValueError(f"The 'X' parameter{where} has {X.shape[1]} features, but the estimator was "
                         f"fitted with {expected} features.")


def check_finite_weights(*arrays: np.ndarray, eta: float | None = None, limit: float | None = None,
                         owner: str = "", epoch: int | None = None, bound: float = 1e150) -> None:
    """Raise :class:`DivergenceError` when any weight is non-finite or beyond ``bound``."""
    for arr in arrays:
        if not np.all(np.isfinite(arr)) or (arr.size and float(np.max(np.abs(arr))) > bound):
            parts = [f"{owner or 'Training'} diverged"]
            if epoch is not None:
                parts.append(f"at epoch {epoch}")
            msg = " ".join(parts) + ": the weights grew without bound."
            if eta is not None:
                msg += f" The step size eta={eta:g}"
                too_large = limit is not None and eta > limit
                msg += f" exceeds the stability limit {limit:g}." if too_large else " is too large."
            msg += " Lower eta."
            raise DivergenceError(msg)


def __getattr__(name: str) -> Any:  # NotFittedError, made on first use: it imports scikit-learn (annhist.errors)
    if name == "NotFittedError":
        return errors.NotFittedError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
