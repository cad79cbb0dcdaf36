"""1989: universal approximation, built by hand from sigmoid "bumps".

Cybenko (1989) and Hornik, Stinchcombe & White (1989) proved that one hidden layer of
sigmoid units and a linear output unit can approximate any continuous function on a
compact set uniformly, as closely as we like, given enough hidden units. Their proofs are
existence proofs; in one dimension the approximation can be written down directly.

A steep sigmoid ``sigma(s (x - t))`` is nearly a step at ``t``; the difference of two such
steps at ``t_j < t_{j+1}`` is nearly the indicator of ``[t_j, t_{j+1}]`` -- a *bump*.
:func:`bump_network` cuts ``[a, b]`` into ``n_bumps`` equal cells and sets

    y(x) = sum_j f(c_j) [sigma(s (x - t_j)) - sigma(s (x - t_{j+1}))],

``c_j`` the centre of cell ``j``: a 1-(2 n_bumps)-1 :class:`~annhist.mlp.MLP` whose weights
are set by this construction, not learned. As the cells shrink the staircase follows any
continuous ``f`` more closely (:func:`sup_error`).

References
----------
G. Cybenko, "Approximation by superpositions of a sigmoidal function", Mathematics of
Control, Signals and Systems 2:303-314 (1989). K. Hornik, M. Stinchcombe and H. White,
"Multilayer feedforward networks are universal approximators", Neural Networks
2(5):359-366 (1989).
"""

from __future__ import annotations

import numbers
from typing import Callable

import numpy as np

from annhist.mlp.network import MLP
from annhist.validation import check_scalar

__all__ = ["bump_network", "sup_error"]


def _check_interval(a: float, b: float, owner: str) -> None:
    check_scalar(a, "a", owner=owner)
    check_scalar(b, "b", owner=owner)
    if not a < b:
        raise ValueError(f"The 'a' and 'b' parameters of {owner} must satisfy a < b. Got a={a!r}, b={b!r}.")


def bump_network(f: Callable[[np.ndarray], np.ndarray], a: float, b: float, n_bumps: int,
                 steepness: float = 20.0) -> MLP:
    """A 1-(2 n_bumps)-1 sigmoid MLP approximating ``f`` on ``[a, b]``, weights set by construction.

    Parameters
    ----------
    f : callable
        Vectorised function of one variable (continuous on ``[a, b]``).
    a, b : float
        The interval, ``a < b``.
    n_bumps : int
        Number of equal cells; each is one bump made of two hidden units.
    steepness : float
        Slope of each step times the cell width ``w = (b - a) / n_bumps``: the weight into a
        hidden unit is ``s = steepness / w``. Larger is closer to a true step.

    Returns
    -------
    MLP
        ``MLP([1, 2 n_bumps, 1], activation="sigmoid", output_activation="identity")``;
        hidden unit ``2j`` is the rising step at ``t_j``, unit ``2j + 1`` the step at ``t_{j+1}``,
        joined to the output with weights ``+f(c_j)`` and ``-f(c_j)``. The outer edges are moved
        one cell outwards so that no bump is cut in half at ``a`` or ``b``.

    Examples
    --------
    >>> net = bump_network(np.sin, 0.0, np.pi, n_bumps=50)
    >>> bool(sup_error(net, np.sin, 0.0, np.pi) < 0.1)
    True
    """
    owner = "bump_network"
    _check_interval(a, b, owner)
    check_scalar(n_bumps, "n_bumps", owner=owner, kind=numbers.Integral, min_val=1, max_val=100_000)
    check_scalar(steepness, "steepness", owner=owner, min_val=0, include_min=False)
    if not callable(f):
        raise TypeError(f"The 'f' parameter of {owner} must be callable. Got {f!r} instead.")
    w = (b - a) / n_bumps
    t = a + w * np.arange(n_bumps + 1, dtype=float)          # cell edges t_0 .. t_n
    t[0], t[-1] = a - w, b + w                                # no half bump at the ends
    c = a + w * (np.arange(n_bumps) + 0.5)                    # cell centres
    height = np.asarray(f(c), dtype=float).reshape(n_bumps)
    s = steepness / w
    net = MLP([1, 2 * n_bumps, 1], activation="sigmoid", output_activation="identity", random_state=0)
    W1, b1, W2, b2 = net.params_
    edges = np.stack([t[:-1], t[1:]], axis=1).reshape(-1)     # (t_0, t_1, t_1, t_2, ...): two per bump
    W1[0, :] = s                                              # sigma(s x - s t): a step at t
    b1[:] = -s * edges
    W2[:, 0] = np.stack([height, -height], axis=1).reshape(-1)   # +f(c_j) rise, -f(c_j) fall
    b2[:] = 0.0
    return net


def sup_error(net: MLP, f: Callable[[np.ndarray], np.ndarray], a: float, b: float, n_points: int = 2001) -> float:
    """``max |net(x) - f(x)|`` over ``n_points`` evenly spaced ``x`` in ``[a, b]`` (the uniform error)."""
    _check_interval(a, b, "sup_error")
    check_scalar(n_points, "n_points", owner="sup_error", kind=numbers.Integral, min_val=2)
    x = np.linspace(a, b, n_points)
    y = net.predict(x[:, None])[:, 0]
    return float(np.max(np.abs(y - np.asarray(f(x), dtype=float))))
