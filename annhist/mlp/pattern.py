"""Many small nets trained with a weight change after every pattern (PDP vol. 1, ch. 8, eq. 16).

The PDP chapter writes the generalized delta rule with momentum for one pattern ``p`` at a
time (Rumelhart, Hinton & Williams 1986, "Learning internal representations by error
propagation", in *Parallel Distributed Processing* vol. 1, p. 330, eq. 16)::

    Delta w_ji(n + 1) = eta (delta_pj o_pi) + alpha Delta w_ji(n)

"where the subscript n indexes the presentation number": the weights change after every
presentation of a pattern, not after a sweep through all of them (the *Nature* letter's
form, which :func:`annhist.mlp.many.train_many` implements). This module trains S seeds at
once in that per-pattern form, presenting the patterns in a fixed order every sweep.
Net ``s`` starts from the weights of ``MLP(sizes, random_state=seeds[s])`` and makes exactly
the updates of ``MLP.fit(X, Y, optimizer=Momentum(eta, alpha), batch_size=1, shuffle=False)``.
"""

from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np

from annhist.activations import ACTIVATIONS
from annhist.mlp.delta_rule import backward, forward
from annhist.mlp.many import ManyResult
from annhist.mlp.network import MLP
from annhist.optimizers import Momentum
from annhist.validation import check_scalar

__all__ = ["train_by_pattern"]


def train_by_pattern(sizes: Sequence[int], X: Any, Y: Any, seeds: Any, *, eta: float = 0.5, alpha: float = 0.9,
                     init: Any = ("uniform", 0.3), epochs: int = 1000, stop_within: float = 0.1) -> ManyResult:
    """Train one logistic net per seed, changing the weights after each pattern (PDP eq. 16).

    Parameters
    ----------
    sizes : sequence of int
        Layer sizes, as for :class:`~annhist.mlp.MLP` (logistic units, E = 1/2 sum (y - d)^2).
    X, Y : array-like
        The patterns (one per row) and their targets; presented in this order every sweep.
    seeds : sequence of int
        One net per seed.
    eta, alpha : float
        The step size and momentum of eq. (16); the momentum carries over from pattern to pattern.
    init : tuple or str
        The initial weights, as for :class:`~annhist.mlp.MLP`.
    epochs : int
        Most sweeps through the patterns.
    stop_within : float
        A net stops (and counts as learned) at the end of the first sweep after which every
        output is within ``stop_within`` of its target.

    Returns
    -------
    ManyResult
        As :func:`~annhist.mlp.many.train_many` returns it; ``n_epochs`` counts sweeps, each of
        ``len(X)`` weight changes. A net whose weights become infinite or NaN stops, is marked
        ``diverged`` and keeps its initial weights.
    """
    check_scalar(epochs, "epochs", owner="train_by_pattern", kind=numbers.Integral, min_val=1)
    check_scalar(stop_within, "stop_within", owner="train_by_pattern", min_val=0, include_min=False)
    given = seeds
    try:
        seeds = np.asarray(list(seeds), dtype=int)
    except (TypeError, ValueError):                     # not iterable, or not ints
        seeds = np.asarray([-1])
    if seeds.ndim != 1 or seeds.size == 0 or seeds.min() < 0:
        raise ValueError(f"The 'seeds' parameter of train_by_pattern must be a non-empty sequence of ints >= 0. "
                         f"Got {given!r} instead.")
    options = dict(sizes=list(sizes), activation="sigmoid", loss="mse", init=init)
    nets = [MLP(**options, random_state=int(s)) for s in seeds]
    X = nets[0]._check_X(X)
    D = nets[0]._check_Y(Y, X.shape[0])
    spec = nets[0].spec
    P = [np.stack([n.params_[k] for n in nets]) for k in range(len(nets[0].params_))]
    P = [p[:, None, :] if k % 2 else p for k, p in enumerate(P)]          # biases (S, n) -> (S, 1, n)
    initial = [p.copy() for p in P]
    final = [p.copy() for p in P]
    opt = Momentum(eta=eta, alpha=alpha)
    f_prime = ACTIVATIONS[spec.output].f_prime_out
    active = np.arange(seeds.size)
    n_epochs = np.full(seeds.size, epochs)
    converged = np.zeros(seeds.size, dtype=bool)
    diverged = np.zeros(seeds.size, dtype=bool)
    rows = [(X[i:i + 1], D[i]) for i in range(X.shape[0])]
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        for epoch in range(epochs):
            for x, d in rows:                                           # one pattern p, then change the weights
                outs = forward(P, x, spec)
                y = outs[-1]
                opt.step(P, backward(P, outs, (y - d) * f_prime(y), spec))   # eq. (16), delta_pj = (y - d) f'
            bad = ~np.isfinite(sum(p.sum(axis=tuple(range(1, p.ndim))) for p in P))   # per net
            done = (np.max(np.abs(forward(P, X, spec)[-1] - D), axis=(-2, -1)) < stop_within) | bad
            if done.any():
                for k, p in enumerate(P):
                    final[k][active[done]] = np.where(bad[done, None, None], initial[k][active[done]], p[done])
                n_epochs[active[done]] = epoch + 1
                converged[active[done & ~bad]], diverged[active[bad]] = True, True
                P = [p[~done] for p in P]
                opt.state = [{name: v[~done] for name, v in s.items()} for s in opt.state]
                active = active[~done]
                if active.size == 0:
                    break
    for k, p in enumerate(P):
        final[k][active] = p
    y = forward(final, X, spec)[-1]
    r = y - D
    return ManyResult(seeds=seeds, n_epochs=n_epochs, converged=converged, diverged=diverged,
                      loss=0.5 * np.sum(r * r, axis=(-2, -1)), max_error=np.max(np.abs(r), axis=(-2, -1)),
                      params=[p[:, 0, :] if k % 2 else p for k, p in enumerate(final)], history=None,
                      net_options=options)
