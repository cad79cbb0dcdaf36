"""annhist's own exceptions and warning: not fitted, not converged, diverged."""

from __future__ import annotations

from sklearn.exceptions import NotFittedError as SkNotFittedError

__all__ = ["NotFittedError", "ConvergenceWarning", "DivergenceError"]


class NotFittedError(SkNotFittedError):
    """Raised when ``predict`` (or similar) is called before ``fit``.

    A ``ValueError`` and an ``AttributeError``, and a subclass of scikit-learn's
    ``NotFittedError``, so code written for scikit-learn catches it too.
    """


class ConvergenceWarning(UserWarning):
    """A learning rule stopped at its epoch limit without reaching its goal."""


class DivergenceError(ArithmeticError):
    """Training diverged: the weights grew without bound or became non-finite.

    A subclass of :class:`ArithmeticError`; the message gives the step size and,
    where known, the stability limit.
    """
