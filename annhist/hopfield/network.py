"""The Hopfield network as an object: store memories with Hebb's rule, recall them by descent.

:class:`Hopfield` holds the weights; every step it takes is :func:`annhist.hopfield.rule.async_update`
or :func:`~annhist.hopfield.rule.sync_update`.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator

from annhist.hopfield.checks import check_pm1, check_weights
from annhist.hopfield.hebb import hebb_weights
from annhist.hopfield.rule import async_update, energy, sync_update
from annhist.validation import (
    check_choice,
    check_is_fitted,
    check_random_state,
    check_scalar,
)

__all__ = ["Hopfield"]


class Hopfield(BaseEstimator):
    """A content-addressable memory of ``n_units`` binary (+-1) units (Hopfield 1982).

    Parameters
    ----------
    n_units : int, default 100
        Number of units ``N``.
    update : {"async", "sync"}, default "async"
        ``"async"``: one unit at a time, in a fresh random order every sweep (Hopfield's
        asynchronous dynamics; the energy never rises). ``"sync"``: all units at once (Little's
        dynamics; may cycle with period 2).
    random_state : None, int or numpy.random.Generator
        Drives the order of the asynchronous updates. An int gives the same order on every call.

    Attributes
    ----------
    weights_ : array of shape (n_units, n_units)
        Symmetric, zero diagonal.
    patterns_ : array of shape (n_patterns, n_units) or None
        The stored memories (None after :meth:`set_weights`).

    References
    ----------
    J. J. Hopfield, "Neural networks and physical systems with emergent collective computational
    abilities", PNAS 79(8):2554-2558, 1982.

    Examples
    --------
    >>> xi = np.array([[1, -1, 1, -1, 1, -1], [1, 1, 1, -1, -1, -1]])
    >>> net = Hopfield(n_units=6, random_state=0).store(xi)
    >>> net.recall([1, -1, 1, -1, 1, 1])[-1]        # one wrong unit is corrected
    array([ 1., -1.,  1., -1.,  1., -1.])
    """

    def __init__(self, n_units: int = 100, *, update: str = "async", random_state: Any = None) -> None:
        self.n_units = n_units
        self.update = update
        self.random_state = random_state

    def _check_params(self) -> None:
        check_scalar(self.n_units, "n_units", owner="Hopfield", kind=numbers.Integral, min_val=1)
        check_choice(self.update, "update", ("async", "sync"), owner="Hopfield")
        check_random_state(self.random_state, owner="Hopfield")

    def store(self, patterns: Any) -> Hopfield:
        """Store ``patterns`` (n_patterns, n_units) of +-1 with Hebb's rule; return ``self``."""
        self._check_params()
        xi = check_pm1(patterns, "patterns", owner="Hopfield", n_units=self.n_units)
        self.weights_ = hebb_weights(xi)
        self.patterns_ = xi
        return self

    def set_weights(self, W: Any) -> Hopfield:
        """Use a given symmetric, zero-diagonal weight matrix instead of stored patterns."""
        self._check_params()
        self.weights_ = check_weights(W, owner="Hopfield", n_units=self.n_units)
        self.patterns_ = None
        return self

    def energy(self, state: Any) -> float | np.ndarray:
        """The energy ``E = -1/2 s.T W s`` of a state (n_units,) or a batch (B, n_units)."""
        check_is_fitted(self, "weights_")
        return energy(self.weights_, state)

    def recall(self, state: Any, steps: int = 10) -> np.ndarray:
        """Run the dynamics from ``state`` for up to ``steps`` sweeps; return the trajectory.

        A sweep is ``n_units`` asynchronous single-unit updates in a random order, or one
        synchronous update. The run stops early at a fixed point (a sweep that changes nothing).

        Returns
        -------
        trajectory : array of shape (n_sweeps + 1, n_units)
            ``trajectory[0]`` is the start, ``trajectory[-1]`` the last state.
        """
        check_is_fitted(self, "weights_")
        s = check_pm1(state, "state", owner="Hopfield", ndim=1, n_units=self.n_units)
        check_scalar(steps, "steps", owner="Hopfield", kind=numbers.Integral, min_val=1)
        rng = check_random_state(self.random_state, owner="Hopfield")
        trajectory = [s]
        for _ in range(steps):
            if self.update == "sync":
                new = sync_update(self.weights_, s)
            else:
                new = s
                for i in rng.permutation(self.n_units):
                    new = async_update(self.weights_, new, int(i))
            trajectory.append(new)
            if np.array_equal(new, s):
                break
            s = new
        return np.array(trajectory)

    def overlaps(self, state: Any) -> np.ndarray:
        """``m_mu = (1/N) sum_i xi_i^mu s_i``: the overlap of ``state`` with each stored pattern."""
        check_is_fitted(self, "patterns_")
        s = check_pm1(state, "state", owner="Hopfield", ndim=(1, 2), n_units=self.n_units)
        return s @ self.patterns_.T / self.n_units       # (..., N) @ (N, P) -> (..., P)
