"""The perceptron rule on data no line separates: its weights cycle and stay bounded.

On XOR, Rosenblatt's error-correction rule never finds a separating line, because there is
none. It does not wander off either: with a fixed presentation order the rule is a
deterministic map from the weights at the start of one pass to the weights at the start of
the next, and on integer data with ``eta = 1`` the weights stay on the integer lattice. When a
state comes back, everything after it repeats: the trajectory is a cycle, and its largest
norm bounds the weights forever. Block and Levin (1970) proved the general fact (the
*perceptron cycling theorem*): for any finite data the weights stay bounded, separable or not.

``perceptron_cycle`` runs ``annhist.perceptron.rosenblatt_epoch`` pass by pass,
records the weights after every single correction, and detects the first repeated state at a
pass boundary (an exact comparison: equal weights give equal futures).

References
----------
H. D. Block and S. A. Levin, "On the boundedness of an iterative procedure for solving a system
of linear inequalities", Proc. AMS 26(2):229-235, 1970. M. Minsky and S. Papert, *Perceptrons*,
1969, ch. 11.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from annhist.perceptron.rule import fold_bias, replay_corrections, rosenblatt_epoch
from annhist.validation import check_binary_labels, check_scalar, check_X_y

__all__ = ["PerceptronCycle", "perceptron_cycle"]


@dataclass(frozen=True)
class PerceptronCycle:
    """The trajectory of the perceptron rule, update by update, and its cycle if it has one.

    Parameters
    ----------
    states : ndarray of shape (n_updates + 1, n_features + 1)
        The weights (bias last) at the start and after every correction, in order.
    samples : ndarray of int, shape (n_updates,)
        The sample that caused each correction.
    epoch_ends : ndarray of int, shape (n_epochs + 1,)
        Index into ``states`` of the weights at the start and at the end of every pass.
    converged : bool
        A pass made no correction (then there is no cycle).
    cycle_start : int or None
        Index into ``states`` where the cycle begins (the first state that comes back).
    period_updates, period_epochs : int or None
        The cycle's length in corrections and in passes.
    max_norm : float
        The largest Euclidean norm of the weights (bias included) ever reached.
    """

    states: np.ndarray
    samples: np.ndarray
    epoch_ends: np.ndarray
    converged: bool
    cycle_start: int | None
    period_updates: int | None
    period_epochs: int | None
    max_norm: float

    @property
    def cycle_states(self) -> np.ndarray:
        """The states of one turn of the cycle, shape (period_updates, n_features + 1) (empty if none)."""
        if self.cycle_start is None:
            return self.states[:0]
        return self.states[self.cycle_start:self.cycle_start + self.period_updates]

    @property
    def n_epochs(self) -> int:
        """Passes made."""
        return len(self.epoch_ends) - 1


def perceptron_cycle(X: Any, y: Any, *, eta: float = 1.0, epochs: int = 100,
                     order: Any = None) -> PerceptronCycle:
    """Run Rosenblatt's rule from ``w = 0`` in a fixed order and detect when its weights repeat.

    Parameters
    ----------
    X : array of shape (n_samples, n_features)
    y : array of shape (n_samples,)
        Two classes; the larger label is the positive class (+1).
    eta : float, default=1.0
        Step size.
    epochs : int, default=100
        Most passes. The run stops at the first pass without a mistake or the first repeat.
    order : array of int, optional
        The fixed presentation order (default ``0, 1, ..., n - 1``).

    Notes
    -----
    A pass is the map :math:`w \\mapsto F(w)` of ``annhist.perceptron.rosenblatt_epoch``;
    if :math:`F^{e}(0) = F^{e'}(0)` with :math:`e' < e`, the weights repeat with period
    :math:`e - e'` passes from then on, so :math:`\\max \\|w\\|` over the cycle bounds them for
    ever (the perceptron cycling theorem of Block & Levin 1970, seen directly).

    Examples
    --------
    >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
    >>> cyc = perceptron_cycle(X, [0, 1, 1, 0])          # XOR
    >>> cyc.converged, cyc.period_updates, cyc.period_epochs
    (False, 4, 1)
    >>> cyc.cycle_states.tolist()
    [[0.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0], [1.0, 1.0, 1.0]]
    """
    X, y = check_X_y(X, y, owner="perceptron_cycle")
    _, y_pm = check_binary_labels(y, owner="perceptron_cycle")
    check_scalar(eta, "eta", owner="perceptron_cycle", min_val=0, include_min=False)
    check_scalar(epochs, "epochs", owner="perceptron_cycle", kind=numbers.Integral, min_val=1)
    n = X.shape[0]
    try:
        order = np.arange(n) if order is None else np.asarray(order)
    except (ValueError, TypeError):                    # ragged nested lists
        order = np.asarray(None)
    if order.ndim != 1 or order.dtype.kind not in "iu" or sorted(order.tolist()) != list(range(n)):
        raise ValueError(f"The 'order' parameter of perceptron_cycle must be a permutation of 0..{n - 1}. "
                         f"Got {order.tolist()!r} instead.")
    Xa = fold_bias(X)                                  # (n, d) -> (n, d + 1), bias last
    w = np.zeros(Xa.shape[1])
    states, samples, ends = [w.copy()], [], [0]
    seen = {w.tobytes(): 0}                            # weights at a pass boundary -> pass number
    converged, start, period_e = False, None, None
    for epoch in range(1, epochs + 1):
        w_next, updated = rosenblatt_epoch(Xa, y_pm, w, eta=eta, order=order, method="loop")
        replayed = replay_corrections(Xa, y_pm, w, updated, eta)   # each correction, one by one
        states.extend(replayed)
        samples.extend(int(i) for i in updated)
        w = replayed[-1] if replayed else w
        assert np.array_equal(w, w_next), "the replayed corrections must give the pass's weights"
        ends.append(len(states) - 1)
        if updated.size == 0:
            converged = True
            break
        key = w.tobytes()
        if key in seen:
            first = seen[key]
            start, period_e = ends[first], epoch - first
            break
        seen[key] = epoch
    S = np.asarray(states)
    return PerceptronCycle(states=S, samples=np.asarray(samples, dtype=np.intp), epoch_ends=np.asarray(ends),
                           converged=converged, cycle_start=start,
                           period_updates=None if start is None else ends[-1] - start,
                           period_epochs=period_e, max_norm=_max_norm(S))


def _max_norm(S: np.ndarray) -> float:
    """The largest row norm, computed without overflow for huge weights (scaled by the largest entry)."""
    top = float(np.max(np.abs(S)))
    return top * float(np.max(np.linalg.norm(S / top, axis=1))) if top > 0 else 0.0
