"""The Hopfield network as an object: store memories with Hebb's rule, recall them by descent.

:class:`Hopfield` holds the weights; every step it takes is :func:`annhist.hopfield.rule.async_update`
or :func:`~annhist.hopfield.rule.sync_update`.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator

from annhist.errors import NotFittedError
from annhist.hopfield.checks import MAX_UNITS, check_pm1, check_weights
from annhist.hopfield.hebb import hebb_weights
from annhist.hopfield.rule import async_update, energy, sync_update
from annhist.validation import check_choice, check_random_state, check_scalar

__all__ = ["Hopfield"]


class Hopfield(BaseEstimator):
    """A content-addressable memory of ``n_units`` binary (+-1) units (Hopfield 1982).

    As in scikit-learn, ``set_params`` changes the parameters, not the memory: after
    ``set_params(n_units=60)`` a network stored with 50 units still recalls 50-unit states with
    its 50 x 50 weights, and a 60-unit state is refused saying so, until :meth:`store` or
    :meth:`set_weights` is called again. ``update`` and ``random_state`` act on the next recall.

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
        check_scalar(self.n_units, "n_units", owner="Hopfield", kind=numbers.Integral, min_val=1, max_val=MAX_UNITS)
        check_choice(self.update, "update", ("async", "sync"), owner="Hopfield")
        check_random_state(self.random_state, owner="Hopfield")

    def store(self, patterns: Any) -> Hopfield:
        """Store ``patterns`` (n_patterns, n_units) of +-1 with Hebb's rule; return ``self``.

        Each call **replaces** what an earlier :meth:`store` or :meth:`set_weights` left: the
        weights are Hebb's rule over exactly these patterns. To add memories, store the old and
        the new ones together, e.g. ``net.store(np.vstack([net.patterns_, new]))``.
        """
        self._check_params()
        xi = check_pm1(patterns, "patterns", owner="Hopfield", n_units=self.n_units)
        self.weights_ = hebb_weights(xi)
        self.patterns_ = xi
        return self

    def set_weights(self, W: Any) -> Hopfield:
        """Use a given symmetric, zero-diagonal weight matrix instead of stored patterns (replaces them)."""
        self._check_params()
        self.weights_ = check_weights(W, owner="Hopfield", n_units=self.n_units)
        self.patterns_ = None
        return self

    def energy(self, state: Any) -> float | np.ndarray:
        """The energy ``E = -1/2 s.T W s`` of a state (n_units,) or a batch (B, n_units)."""
        self._check_stored()
        return energy(self.weights_, self._check_state(state, (1, 2)))

    def recall(self, state: Any, steps: int = 10) -> np.ndarray:
        """Run the dynamics from ``state`` for up to ``steps`` sweeps; return the trajectory.

        A sweep is ``n_units`` asynchronous single-unit updates in a random order, or one
        synchronous update. The run stops early at a fixed point (a sweep that changes nothing).

        Returns
        -------
        trajectory : array of shape (n_sweeps + 1, n_units)
            ``trajectory[0]`` is the start, ``trajectory[-1]`` the last state.
        """
        self._check_stored()
        s = self._check_state(state, 1)
        check_scalar(steps, "steps", owner="Hopfield", kind=numbers.Integral, min_val=1)
        check_choice(self.update, "update", ("async", "sync"), owner="Hopfield")
        rng = check_random_state(self.random_state, owner="Hopfield")
        trajectory = [s]
        for _ in range(steps):
            if self.update == "sync":
                new = sync_update(self.weights_, s)
            else:
                new = s
                for i in rng.permutation(len(s)):        # the weights were checked when stored: N steps of O(N)
                    new = async_update.__wrapped__(self.weights_, new, int(i))
            trajectory.append(new)
            if np.array_equal(new, s):
                break
            s = new
        return np.array(trajectory)

    def overlaps(self, state: Any) -> np.ndarray:
        """``m_mu = (1/N) sum_i xi_i^mu s_i``: the overlap of ``state`` with each stored pattern."""
        self._check_stored()
        if self.patterns_ is None:
            raise NotFittedError("This Hopfield instance has weights from 'set_weights' but no stored patterns to "
                                 "compare with. Call 'store' with the patterns first.")
        s = self._check_state(state, (1, 2))
        return s @ self.patterns_.T / s.shape[-1]        # (..., N) @ (N, P) -> (..., P)

    def _check_stored(self) -> None:
        """Refuse a network that holds no weights yet (Hopfield has no 'fit': 'store' or 'set_weights')."""
        if getattr(self, "weights_", None) is None:
            raise NotFittedError("This Hopfield instance holds no memories yet. Call 'store' with the patterns "
                                 "(or 'set_weights' with a weight matrix) before using it.")

    def _check_state(self, state: Any, ndim: int | tuple[int, ...]) -> np.ndarray:
        """A +-1 state as wide as the stored weights, whatever ``n_units`` was set to since."""
        s = check_pm1(state, "state", owner="Hopfield", ndim=ndim)
        n = self.weights_.shape[0]
        if s.shape[-1] != n:
            note = (f" (n_units was set to {self.n_units} since: call 'store' or 'set_weights' again to use "
                    f"{self.n_units} units)" if self.n_units != n else "")
            raise ValueError(f"The 'state' parameter of Hopfield must have {n} units on its last axis: the weights "
                             f"were stored for {n} units{note}. Got shape {s.shape} instead.")
        return s
