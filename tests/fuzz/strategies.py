"""Strategies for malformed input, and the check every public entry point must pass."""

from __future__ import annotations

import re
import warnings
from typing import Any, Callable, Sequence

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st

from annhist import ConvergenceWarning, DivergenceError, NotFittedError

from .conftest import CASES, OUTCOMES, PROFILE

# Errors a user may see: a ValueError/TypeError naming the parameter, or the package's own.
ALLOWED = (ValueError, TypeError, NotFittedError, DivergenceError)

# The profile's settings, applied per test (``@FUZZ``) rather than loaded globally, so the fuzz
# suite never changes the settings of the other hypothesis tests in the same pytest session.
FUZZ = settings.get_profile(PROFILE)

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False, width=64)
weird_float = st.sampled_from([np.nan, np.inf, -np.inf, 1e308, -1e308, 5e-324, 0.0, -0.0])
weird_scalar = st.one_of(
    st.sampled_from([None, True, False, "", "abc", b"x", [], {}, (), 1j, object(), np.nan, np.inf, -np.inf,
                     -1, 0, 1e300, -1e-300, 2**63, -(2**63), np.float32(1.5), np.int64(-7)]),
    st.integers(min_value=-10**9, max_value=10**9),
    finite,
)


def hyper(valid: st.SearchStrategy, *, max_int: int | None = None) -> st.SearchStrategy:
    """A hyperparameter: usually valid (so the others get tested too), sometimes absurd.

    ``max_int`` drops absurd whole numbers above it (a count of epochs of 2**63 is valid and would
    only take forever).
    """
    weird = weird_scalar
    if max_int is not None:
        weird = weird.filter(lambda v: not (isinstance(v, (int, np.integer)) and not isinstance(v, bool)
                                            and v > max_int))
    return st.one_of(valid, valid, valid, valid, weird)


@st.composite
def bad_arrays(draw, n_features: int | None = None) -> Any:
    """Arrays that are wrong in one way: rank, emptiness, dtype, non-finite values, raggedness."""
    kind = draw(st.sampled_from(["scalar", "1d", "3d", "empty", "empty_cols", "nan", "inf", "strings", "objects",
                                 "complex", "ragged", "bool", "huge", "wrong_cols", "none", "list_of_str"]))
    n = draw(st.integers(1, 6))
    m = n_features or draw(st.integers(1, 4))
    if kind == "scalar":
        return draw(finite)
    if kind == "1d":
        return np.zeros(n)
    if kind == "3d":
        return np.zeros((n, m, 2))
    if kind == "empty":
        return np.zeros((0, m))
    if kind == "empty_cols":
        return np.zeros((n, 0))
    if kind in ("nan", "inf"):
        X = np.ones((n, m))
        X[draw(st.integers(0, n - 1)), draw(st.integers(0, m - 1))] = np.nan if kind == "nan" else -np.inf
        return X
    if kind == "strings":
        return np.full((n, m), "a")
    if kind == "objects":
        return np.array([[object()] * m] * n, dtype=object)
    if kind == "complex":
        return np.ones((n, m)) * (1 + 1j)
    if kind == "ragged":
        return [[1.0] * m, [1.0] * (m + 1)]
    if kind == "bool":
        return np.ones((n, m), dtype=bool)
    if kind == "huge":
        return np.full((n, m), 1e300)
    if kind == "wrong_cols":
        return np.ones((n, m + 3))
    if kind == "none":
        return None
    return [["x"] * m] * n


@st.composite
def good_arrays(draw, n_samples: int | None = None, n_features: int | None = None, *,
                low: float = -10.0, high: float = 10.0) -> np.ndarray:
    """A small, valid, finite float design matrix."""
    n = n_samples or draw(st.integers(1, 8))
    m = n_features or draw(st.integers(1, 4))
    values = draw(st.lists(st.floats(low, high, allow_nan=False, allow_infinity=False, width=64),
                           min_size=n * m, max_size=n * m))
    return np.asarray(values, dtype=float).reshape(n, m)


@st.composite
def bad_labels(draw, n: int) -> Any:
    """Labels for ``n`` samples that are wrong in one way: kind, count of classes, length, rank, dtype."""
    kind = draw(st.sampled_from(["one_class", "three_classes", "nan", "inf", "complex", "objects", "mixed",
                                 "short", "long", "2d", "none", "string", "empty", "ragged", "bytes",
                                 "dict", "scalar"]))
    if kind == "one_class":
        return np.zeros(n)
    if kind == "three_classes":
        return np.arange(max(n, 3))[:n] % 3 if n >= 3 else np.array([0, 1, 2])
    if kind == "nan":
        y = np.r_[np.zeros(n - n // 2), np.ones(n // 2)]
        y[0] = np.nan
        return y
    if kind == "inf":
        y = np.r_[np.zeros(n - n // 2), np.ones(n // 2)]
        y[-1] = np.inf
        return y
    if kind == "complex":
        return (np.arange(n) % 2) * 1j
    if kind == "objects":
        return np.array([object() for _ in range(n)], dtype=object)
    if kind == "mixed":
        return np.array([("a" if i % 2 else 1) for i in range(n)], dtype=object)
    if kind == "short":
        return np.arange(max(n - 1, 0)) % 2
    if kind == "long":
        return np.arange(n + 2) % 2
    if kind == "2d":
        return (np.arange(2 * n) % 2).reshape(n, 2)
    if kind == "none":
        return None
    if kind == "string":
        return "ab" * n
    if kind == "empty":
        return np.array([])
    if kind == "ragged":
        return [[0], [1, 1]] + [[0]] * max(n - 2, 0)
    if kind == "bytes":
        return b"\x00\x01" * n
    if kind == "dict":
        return {i: i % 2 for i in range(n)}
    return draw(finite)


def names_parameter(message: str) -> bool:
    """A good message names a parameter or value: a quoted name, a shape, 'Got ...' or ``eta=2``."""
    return bool(re.search(r"'[^']+'|\"[^\"]+\"|Got |shape|expected|must|fitted|\b[a-z_]+=\S", message))


def check_call(target: str, fn: Callable[[], Any], *, finite_result: bool = True,
               names: Sequence[str] | None = None, message: str | None = None, strict_fp: bool = True) -> Any:
    """Run ``fn``: it either works (with a finite numeric result) or raises an allowed, clear error.

    ``names``: when given, an error message must quote one of these parameter names
    (``'X'``, ``'eta'``, ...) -- the parameter the caller got wrong; ``message``: a regular
    expression the message must match instead (layers say "Dense expects input of shape ..."). Floating-point trouble
    that escapes as a ``RuntimeWarning`` (overflow, invalid value, division by zero, the mean
    of an empty slice) is a finding, not a result: nothing may silently turn into NaN. Numeric
    kernels fed non-finite or huge values on purpose are run with ``strict_fp=False``.
    """
    CASES[target] += 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error" if strict_fp else "ignore", RuntimeWarning)
            warnings.simplefilter("ignore", ConvergenceWarning)   # documented: a fit that ran out of epochs
            fp = "warn" if strict_fp else "ignore"
            with np.errstate(over=fp, invalid=fp, divide=fp, under="ignore"):
                out = fn()
    except ALLOWED as exc:
        OUTCOMES[type(exc).__name__] += 1
        msg = str(exc)
        assert msg and names_parameter(msg), f"{target}: unclear message {type(exc).__name__}: {msg!r}"
        if message is not None and not isinstance(exc, (NotFittedError, DivergenceError)):
            assert re.search(message, msg), f"{target}: the message does not match {message!r}: {msg!r}"
        elif names is not None and not isinstance(exc, (NotFittedError, DivergenceError)):
            assert any(f"'{n}'" in msg or f"'{n}[" in msg or f"{n}=" in msg or f"--{n}" in msg for n in names), (
                f"{target}: the message does not name any of {list(names)}: {type(exc).__name__}: {msg!r}")
        return exc
    except Exception as exc:  # noqa: BLE001 - anything else is a finding
        raise AssertionError(f"{target}: raised {type(exc).__name__}: {exc}") from exc
    OUTCOMES["ok"] += 1
    if finite_result:
        assert_finite(target, out)
    return out


def assert_finite(target: str, out: Any) -> None:
    """Float arrays, floats and the values of a dict of them must be finite."""
    values = out.values() if isinstance(out, dict) else (out,)
    for v in values:
        if isinstance(v, (float, np.floating)):
            assert np.isfinite(v), f"{target}: returned a non-finite value {v!r}"
        elif isinstance(v, np.ndarray) and v.dtype.kind == "f":
            assert np.all(np.isfinite(v)), f"{target}: returned non-finite values"


def moderate(*arrays: Any) -> bool:
    """True when every argument is a real array of finite values within +-1e4 (the kernels' range)."""
    for a in arrays:
        try:
            arr = np.asarray(a)
        except (ValueError, TypeError):
            return False
        if arr.dtype.kind not in "biuf" or (arr.size and not np.all(np.abs(arr.astype(float)) <= 1e4)):
            return False
    return True
