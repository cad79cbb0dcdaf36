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

import functools
import math
import numbers
from typing import Any, Callable

import numpy as np

from annhist.mlp.checks import check_rows
from annhist.mlp.network import MLP
from annhist.validation import check_scalar, short_repr

__all__ = ["bump_network", "sup_error", "MAX_POINTS"]

#: The most points :func:`sup_error` evaluates: 10 million, 80 MB an array and seconds of the net's forward pass.
MAX_POINTS = 10_000_000


def _check_interval(a: float, b: float, owner: str) -> None:
    check_scalar(a, "a", owner=owner)
    check_scalar(b, "b", owner=owner)
    if not a < b:
        raise ValueError(f"The 'a' and 'b' parameters of {owner} must satisfy a < b. Got a={a!r}, b={b!r}.")


def _values(f: Callable[[np.ndarray], Any], x: np.ndarray, owner: str) -> np.ndarray:
    """``f(x)`` as a float array of the shape of ``x``, every value finite; else an error naming 'f'."""
    out = f(x)
    try:
        values = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"The 'f' parameter of {owner} must return real numbers. Got {short_repr(out)} "
                        f"instead.") from None
    if values.size != x.size:
        raise ValueError(f"The 'f' parameter of {owner} must return one value per point: given {x.size} points it "
                         f"returned shape {values.shape}.")
    values = values.reshape(x.shape)
    if not np.all(np.isfinite(values)):
        i = int(np.flatnonzero(~np.isfinite(values))[0])
        raise ValueError(f"The 'f' parameter of {owner} must be finite on the interval. f({float(x.flat[i])!r}) = "
                         f"{values.flat[i]} instead.")
    return values


def _check_bump(build: Callable[..., MLP]) -> Callable[..., MLP]:
    """:func:`bump_network`'s checks, made before its construction (which the book prints, checks aside).

    Besides the types: the hidden weights ``s = steepness / w`` and biases ``-s t`` (``w = (b - a) / n_bumps``,
    edges ``t`` from ``a - w`` to ``b + w``) must be finite, and ``f`` must give a finite number at every cell
    centre (the net's output weights): else NaN weights.
    """
    @functools.wraps(build)
    def bump_network(f: Callable[[np.ndarray], np.ndarray], a: float, b: float, n_bumps: int,
                     steepness: float = 20.0) -> MLP:
        owner = "bump_network"
        _check_interval(a, b, owner)
        check_scalar(n_bumps, "n_bumps", owner=owner, kind=numbers.Integral, min_val=1, max_val=100_000)
        check_scalar(steepness, "steepness", owner=owner, min_val=0, include_min=False)
        if not callable(f):
            raise TypeError(f"The 'f' parameter of {owner} must be callable. Got {f!r} instead.")
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):    # w and s as the construction has them
            w = (b - a) / n_bumps
            s = steepness / w if 0 < w < math.inf else math.inf
        edge = max(abs(float(a) - float(w)), abs(float(b) + float(w)))
        if not math.isfinite(float(s) * edge):
            raise ValueError(f"The 'steepness', 'a' and 'b' parameters of {owner} give hidden weights beyond float64's "
                             f"range: s = steepness / ((b - a) / n_bumps) and the biases -s t, |t| up to {edge:.3g}. "
                             f"Got steepness={steepness!r}, a={a!r}, b={b!r}, n_bumps={n_bumps}.")
        return build(lambda x: _values(f, x, owner), a, b, n_bumps, steepness)
    return bump_network


@_check_bump
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
    """``max |net(x) - f(x)|`` over ``n_points`` evenly spaced ``x`` in ``[a, b]`` (the uniform error).

    ``net`` is an :class:`~annhist.mlp.MLP` with one input and one output unit; ``f`` must be finite on
    ``[a, b]``; ``n_points`` is at most ``MAX_POINTS``, and times the net's hidden and output units at most
    ``annhist.layers.MAX_WEIGHTS`` (:func:`~annhist.mlp.checks.check_rows`).
    """
    owner = "sup_error"
    if not isinstance(net, MLP) or net.sizes[0] != 1 or net.sizes[-1] != 1:
        error = ValueError if isinstance(net, MLP) else TypeError
        raise error(f"The 'net' parameter of {owner} must be an MLP with one input and one output unit. "
                    f"Got {short_repr(net)} instead.")
    if not callable(f):
        raise TypeError(f"The 'f' parameter of {owner} must be callable. Got {short_repr(f)} instead.")
    _check_interval(a, b, owner)
    check_scalar(n_points, "n_points", owner=owner, kind=numbers.Integral, min_val=2, max_val=MAX_POINTS)
    check_rows(n_points, net.sizes, owner=owner, name="n_points")     # 10**7 points x 101 units: 7.5 GiB at once
    x = np.linspace(a, b, n_points)
    y = net.predict(x[:, None])[:, 0]
    if not np.all(np.isfinite(y)):
        raise ValueError(f"The 'net' parameter of {owner} gives non-finite outputs on [a, b]: its weights are not "
                         f"finite or are too large for these inputs.")
    return float(np.max(np.abs(y - _values(f, x, owner))))
