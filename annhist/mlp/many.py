"""Many small networks trained at once: one stack of weights, one seed per slice.

Statistics over seeds ("how often does the 2-2-1 XOR net get stuck?") need hundreds of
runs of a tiny net, and a Python loop over them spends its time in overhead. Here the S
nets' weights are stacked -- ``W`` of shape (S, n_in, n_out), ``b`` of shape (S, 1, n_out) --
and the pure passes of :mod:`annhist.mlp.delta_rule` run on the whole stack with batched matrix
products. Net ``s`` starts from exactly the weights of ``MLP(sizes, random_state=seeds[s])``
and follows exactly the updates :meth:`annhist.mlp.MLP.fit` would make (full-batch sweeps,
the paper's E), so each slice reproduces the single-net run.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from annhist.activations import ACTIVATIONS
from annhist.mlp.checks import check_sizes
from annhist.mlp.delta_rule import backward, forward
from annhist.mlp.network import MLP
from annhist.optimizers import Momentum, Optimizer, get_optimizer
from annhist.validation import check_array, check_scalar

__all__ = ["ManyResult", "train_many"]


@dataclass
class ManyResult:
    """The outcome of :func:`train_many`, one entry per seed (S seeds).

    - ``seeds``: (S,) ints.
    - ``n_epochs``: (S,) sweeps (weight updates) made before stopping.
    - ``converged``: (S,) bools, the ``stop_within`` criterion was met.
    - ``diverged``: (S,) bools, the weights became non-finite (``params`` then holds that net's
      initial weights, as :meth:`annhist.mlp.MLP.fit` restores them).
    - ``loss``: (S,) E = 1/2 sum (y - d)^2 at the final weights.
    - ``max_error``: (S,) the largest ``abs(y - d)`` at the final weights.
    - ``params``: the final weights, stacked: ``W`` (S, n_in, n_out), ``b`` (S, n_out).
    - ``history``: (S, epochs) E per sweep (NaN after a net stopped), or None.
    - ``net_options``: the keyword arguments that rebuild one net as an ``MLP``.
    """

    seeds: np.ndarray
    n_epochs: np.ndarray
    converged: np.ndarray
    diverged: np.ndarray
    loss: np.ndarray
    max_error: np.ndarray
    params: list[np.ndarray]
    history: np.ndarray | None
    net_options: dict[str, Any]

    @property
    def success_rate(self) -> float:
        """Fraction of seeds that met the criterion."""
        return float(np.mean(self.converged))

    def net(self, i: int) -> Any:
        """The trained net of the ``i``-th seed as an :class:`~annhist.mlp.MLP`."""
        net = MLP(**self.net_options, random_state=int(self.seeds[i]))
        for p, stacked in zip(net.params_, self.params):
            p[...] = stacked[i]
        net.n_epochs_, net.converged_ = int(self.n_epochs[i]), bool(self.converged[i])
        return net


def train_many(sizes: Sequence[int], X: Any, Y: Any, seeds: Any, *, activation: str = "sigmoid",
               output_activation: str | None = None, init: Any = ("uniform", 0.3), skip: bool = False,
               masks: dict[int, Any] | None = None, optimizer: Any = None, epochs: int = 1000,
               weight_decay: float = 0.0, stop_within: float | None = None, dead_zone: float = 0.0,
               record_history: bool = False) -> ManyResult:
    """Train one net per seed, all at once, by full-batch sweeps on the paper's E.

    The arguments mean what they mean for :class:`~annhist.mlp.MLP` and its ``fit``
    (loss ``'mse'`` summed over cases; full batch only). ``optimizer`` (default
    ``Momentum(eta=0.5, alpha=0.9)``) is reset and then steps the whole stack. A net stops
    when it meets ``stop_within`` (or diverges) and the rest go on without it.

    Examples
    --------
    >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]; Y = [[0], [1], [1], [0]]
    >>> res = train_many([2, 2, 1], X, Y, seeds=range(20), epochs=3000, stop_within=0.4)
    >>> res.success_rate >= 0.8
    True
    """
    sizes = check_sizes(sizes)
    try:
        seeds = np.asarray(list(seeds) if not isinstance(seeds, np.ndarray) else seeds)
    except (TypeError, ValueError):                  # not iterable, or ragged
        seeds = np.asarray(None)
    if seeds.ndim != 1 or seeds.size == 0 or seeds.dtype.kind not in "iu" or seeds.min() < 0:
        raise ValueError(f"The 'seeds' parameter of train_many must be a non-empty sequence of ints >= 0. "
                         f"Got {seeds!r} instead.")
    check_scalar(epochs, "epochs", owner="train_many", kind=numbers.Integral, min_val=1)
    check_scalar(weight_decay, "weight_decay", owner="train_many", min_val=0, max_val=1, include_max=False)
    check_scalar(dead_zone, "dead_zone", owner="train_many", min_val=0)
    if stop_within is not None:
        check_scalar(stop_within, "stop_within", owner="train_many", min_val=0, include_min=False)
    options = dict(sizes=list(sizes), activation=activation, output_activation=output_activation, loss="mse",
                   init=init, skip=skip, masks=masks)
    nets = [MLP(**options, random_state=int(s)) for s in seeds]
    X = nets[0]._check_X(X)
    D = nets[0]._check_Y(check_array(Y, "Y", owner="train_many", ndim=(1, 2)), X.shape[0])
    spec = nets[0].spec
    opt: Optimizer = Momentum(eta=0.5, alpha=0.9) if optimizer is None else get_optimizer(optimizer, owner="train_many")
    opt.reset()
    bias = [k % 2 == 1 and k < 2 * spec.n_layers for k in range(len(nets[0].params_))]
    P = [np.stack([net.params_[k] for net in nets]) for k in range(len(bias))]
    P = [p[:, None, :] if is_b else p for p, is_b in zip(P, bias)]          # b: (S, n) -> (S, 1, n)
    initial = [p.copy() for p in P]
    final = [p.copy() for p in P]
    S = seeds.size
    active = np.arange(S)
    n_epochs = np.full(S, epochs)
    converged = np.zeros(S, dtype=bool)
    diverged = np.zeros(S, dtype=bool)
    history = np.full((S, epochs), np.nan) if record_history else None
    f_prime = ACTIVATIONS[spec.output].f_prime_out
    keep_factor = 1.0 - weight_decay

    def retire(stop: np.ndarray, source: list[np.ndarray]) -> None:
        nonlocal P, active
        for k in range(len(P)):
            final[k][active[stop]] = source[k][stop]
        keep = ~stop
        P = [p[keep] for p in P]
        opt.state = [{name: v[keep] for name, v in s.items()} for s in opt.state]   # state follows the stack
        active = active[keep]

    with np.errstate(over="ignore", invalid="ignore", under="ignore", divide="ignore"):
        for epoch in range(epochs):
            outs = forward(P, X, spec)                                       # outs[l]: (S, N, n_l)
            y = outs[-1]
            target = D if dead_zone == 0 else np.where(np.abs(y - D) < dead_zone, y, D)
            r = y - target                                                   # dE/dy = y - d   (eq. 4)
            if history is not None:
                history[active, epoch] = 0.5 * np.sum(r * r, axis=(-2, -1))
            if stop_within is not None:
                done = np.max(np.abs(y - D), axis=(-2, -1)) < stop_within
                if done.any():
                    n_epochs[active[done]] = epoch
                    converged[active[done]] = True
                    keep = ~done
                    outs = [o if o.ndim == 2 else o[keep] for o in outs]
                    y, r = outs[-1], r[keep]
                    retire(done, P)
                    if active.size == 0:
                        break
            delta = r * f_prime(y)                                           # dE/dx = dE/dy f'(x)   (eq. 5)
            opt.step(P, backward(P, outs, delta, spec))
            if weight_decay:
                for p in P:
                    p *= keep_factor
            total = sum(p.sum(axis=tuple(range(1, p.ndim))) for p in P)     # per net: inf/NaN if any weight is
            bad = ~np.isfinite(total) | (np.abs(total) > 1e150)
            if bad.any():
                n_epochs[active[bad]] = epoch + 1
                diverged[active[bad]] = True
                retire(bad, [p[active] for p in initial])
                if active.size == 0:
                    break
        if active.size:
            for k in range(len(P)):
                final[k][active] = P[k]
    outs = forward(final, X, spec)
    err = np.max(np.abs(outs[-1] - D), axis=(-2, -1))
    if stop_within is not None:
        converged |= (err < stop_within) & ~diverged
    loss = 0.5 * np.sum((outs[-1] - D) ** 2, axis=(-2, -1))
    final = [p[:, 0, :] if is_b else p for p, is_b in zip(final, bias)]
    return ManyResult(seeds=seeds, n_epochs=n_epochs, converged=converged, diverged=diverged, loss=loss,
                      max_error=err, params=final, history=history, net_options=options)
