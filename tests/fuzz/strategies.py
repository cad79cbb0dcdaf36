"""Strategies for malformed input, and the check every public entry point must pass."""

from __future__ import annotations

import re
from typing import Any, Callable

import numpy as np
from hypothesis import strategies as st

from annhist import DivergenceError, NotFittedError

from .conftest import CASES, OUTCOMES

# Errors a user may see: a ValueError/TypeError naming the parameter, or the package's own.
ALLOWED = (ValueError, TypeError, NotFittedError, DivergenceError)

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False, width=64)
weird_float = st.sampled_from([np.nan, np.inf, -np.inf, 1e308, -1e308, 5e-324, 0.0, -0.0])
weird_scalar = st.one_of(
    st.sampled_from([None, True, False, "", "abc", b"x", [], {}, (), 1j, object(), np.nan, np.inf, -np.inf,
                     -1, 0, 1e300, -1e-300, 2**63, -(2**63), np.float32(1.5), np.int64(-7)]),
    st.integers(min_value=-10**9, max_value=10**9),
    finite,
)


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


def names_parameter(message: str) -> bool:
    """A good message names a parameter or value: a quoted name, a shape, or 'Got ...'."""
    return bool(re.search(r"'[^']+'|\"[^\"]+\"|Got |shape|expected|must|fitted", message))


def check_call(target: str, fn: Callable[[], Any], *, finite_result: bool = True) -> Any:
    """Run ``fn``: it either works (with a finite numeric result) or raises an allowed, clear error."""
    CASES[target] += 1
    try:
        with np.errstate(all="ignore"):
            out = fn()
    except ALLOWED as exc:
        OUTCOMES[type(exc).__name__] += 1
        msg = str(exc)
        assert msg and names_parameter(msg), f"{target}: unclear message {type(exc).__name__}: {msg!r}"
        return exc
    except Exception as exc:  # noqa: BLE001 - anything else is a finding
        raise AssertionError(f"{target}: raised {type(exc).__name__}: {exc}") from exc
    OUTCOMES["ok"] += 1
    if finite_result and isinstance(out, np.ndarray) and out.dtype.kind == "f":
        assert np.all(np.isfinite(out)), f"{target}: returned non-finite values"
    return out
