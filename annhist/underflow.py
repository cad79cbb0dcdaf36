"""Underflow to 0 allowed, at the cost of one check when numpy's error handling is at its defaults.

A result that underflows (``exp(-800)``, the product of two tiny numbers) becomes 0, its exact limit.
annhist's numerical functions must say so even when a user runs them under
``np.errstate(all="raise")``, where numpy would raise ``FloatingPointError`` instead: they run under
``np.errstate(under="ignore")``. Entering and leaving that state costs about a microsecond per call,
which was a quarter of a small net's step (a 2-2-1 net, a one-cell LSTM) and about 1.5 s of the book's
chapters. Numpy's default state already ignores underflow, and so do the ``errstate`` blocks that
annhist's training loops enter once around many steps; so :func:`allow_underflow` looks at the
current state first (one ``ContextVar.get``) and enters ``errstate`` only when the state does not
ignore underflow (a user's ``np.errstate(all="raise")``, ``np.seterr``). Either way the function
computes the same numbers.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

__all__ = ["allow_underflow"]

F = TypeVar("F", bound=Callable[..., Any])


def _numpy_default_state() -> tuple[Any, Any] | tuple[None, None]:
    """Numpy's error-state variable and its default value, when that default ignores underflow.

    The variable is private to numpy (``numpy._core._ufunc_config``, numpy 2); without it, or with
    defaults that do not ignore underflow, ``(None, None)``: then every call enters ``errstate``.
    """
    try:
        from numpy._core._ufunc_config import _extobj_contextvar as state
    except ImportError:
        return None, None
    fresh = contextvars.Context()                # no errstate, no seterr: the variable's default
    default = fresh.run(state.get)
    if fresh.run(np.geterr).get("under") != "ignore":
        return None, None
    return state, default


_STATE, _DEFAULT = _numpy_default_state()


def allow_underflow(func: F) -> F:
    """``func`` run under ``np.errstate(under="ignore")``, entered only when the state is not numpy's default.

    ``__wrapped__`` is ``func`` itself (as with ``functools.wraps``), for callers that have already
    set the error state around a loop.
    """
    guarded = np.errstate(under="ignore")(func)
    if _STATE is None:
        return guarded  # type: ignore[return-value]
    state, default = _STATE, _DEFAULT
    ignoring = [default]                         # the last state seen that ignores underflow (kept alive)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        current = state.get()
        if current is default or current is ignoring[0]:
            return func(*args, **kwargs)         # underflow is already ignored
        if np.geterr()["under"] == "ignore":     # a new state (an errstate block around a loop)
            ignoring[0] = current
            return func(*args, **kwargs)
        return guarded(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
