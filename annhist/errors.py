"""annhist's own exceptions and warning: not fitted, not converged, diverged.

:class:`NotFittedError` subclasses scikit-learn's ``NotFittedError``, so code written for
scikit-learn catches it too. Importing scikit-learn takes seconds (it loads much of SciPy), and
most of annhist -- the threshold units, the nets, the command line, the book's first chapters --
never needs it, so the class is made on first use: ``from annhist.errors import NotFittedError``
(or ``annhist.NotFittedError``) imports scikit-learn then, through this module's
``__getattr__`` (PEP 562), and every later use gets the same class.
"""

from __future__ import annotations

import threading

__all__ = ["NotFittedError", "ConvergenceWarning", "DivergenceError"]   # noqa: F822 (NotFittedError: __getattr__)


class ConvergenceWarning(UserWarning):
    """A learning rule stopped at its epoch limit without reaching its goal."""


class DivergenceError(ArithmeticError):
    """Training diverged: the weights grew without bound or became non-finite.

    A subclass of :class:`ArithmeticError`; the message gives the step size and,
    where known, the stability limit.
    """


_LOCK = threading.Lock()


def _not_fitted_error() -> type:
    from sklearn.exceptions import NotFittedError as SkNotFittedError

    class NotFittedError(SkNotFittedError):
        """Raised when ``predict`` (or similar) is called before ``fit``.

        A ``ValueError`` and an ``AttributeError``, and a subclass of scikit-learn's
        ``NotFittedError``, so code written for scikit-learn catches it too.
        """

    NotFittedError.__qualname__ = "NotFittedError"
    NotFittedError.__module__ = __name__
    return NotFittedError


def __getattr__(name: str) -> type:
    if name != "NotFittedError":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    with _LOCK:                                   # one class, even when two threads ask first
        if "NotFittedError" not in globals():
            globals()["NotFittedError"] = _not_fitted_error()
    return globals()["NotFittedError"]
