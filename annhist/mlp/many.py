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
from annhist.layers import MAX_WEIGHTS
from annhist.mlp.checks import check_sizes, check_stop_within
from annhist.mlp.delta_rule import backward, dead_zone_targets, forward
from annhist.mlp.flat import FlatStep, finite_and_small, pack
from annhist.mlp.network import MLP
from annhist.optimizers import Momentum, Optimizer, get_optimizer
from annhist.validation import check_array, check_scalar

__all__ = ["ManyResult", "NetStack", "train_many", "MAX_NETS"]

#: The most nets trained at once (the XOR experiments' most runs, annhist.experiments.xor.MAX_SEEDS), and at most
#: annhist.layers.MAX_WEIGHTS weights over all of them: 10**9 seeds hung building 10**9 MLP objects.
MAX_NETS = 100_000


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
    - ``error_history``: (S, epochs) the largest ``abs(y - d)`` per sweep when ``history`` is
      recorded with a ``stop_within``, else None.
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
    error_history: np.ndarray | None = None

    @property
    def success_rate(self) -> float:
        """Fraction of seeds that met the criterion."""
        return float(np.mean(self.converged))

    def net(self, i: int) -> Any:
        """The trained net of the ``i``-th seed as an :class:`~annhist.mlp.MLP`.

        With a recorded ``history`` its ``history_`` is filled too: the net is then the one
        ``MLP.fit`` would return (the same weights, sweeps and history, bit for bit).
        """
        net = MLP(**self.net_options, random_state=int(self.seeds[i]))
        for p, stacked in zip(net.params_, self.params):
            p[...] = stacked[i]
        net.n_epochs_, net.converged_ = int(self.n_epochs[i]), bool(self.converged[i])
        if self.history is not None:
            seen = ~np.isnan(self.history[i])                         # NaN: after the net stopped
            errors = [] if self.error_history is None else self.error_history[i][seen].tolist()
            net.history_ = {"loss": self.history[i][seen].tolist(), "max_error": errors}
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
    when it meets ``stop_within`` (or diverges) and the rest go on without it. With ``record_history``,
    seeds times ``epochs`` is at most :data:`annhist.initializers.MAX_WEIGHTS` (the histories are allocated up front).

    Examples
    --------
    >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]; Y = [[0], [1], [1], [0]]
    >>> res = train_many([2, 2, 1], X, Y, seeds=range(20), epochs=3000, stop_within=0.4)
    >>> res.success_rate >= 0.8
    True
    """
    sizes = check_sizes(sizes)
    seeds = check_seeds(seeds, owner="train_many", per_net=_n_weights(sizes, skip))
    check_scalar(epochs, "epochs", owner="train_many", kind=numbers.Integral, min_val=1)
    if record_history and seeds.size * int(epochs) > MAX_WEIGHTS:   # 10**5 x 10**5: two 75 GiB arrays
        raise ValueError(f"train_many with record_history=True keeps E per net and sweep: {seeds.size:,} seeds x "
                         f"epochs={epochs:,} is more than MAX_WEIGHTS = {MAX_WEIGHTS:,} numbers. Record fewer.")
    check_scalar(weight_decay, "weight_decay", owner="train_many", min_val=0, max_val=1, include_max=False)
    check_scalar(dead_zone, "dead_zone", owner="train_many", min_val=0)
    if stop_within is not None:
        check_scalar(stop_within, "stop_within", owner="train_many", min_val=0, include_min=False)
    options = dict(sizes=list(sizes), activation=activation, output_activation=output_activation, loss="mse",
                   init=init, skip=skip, masks=masks)
    nets = [MLP(**options, random_state=int(s)) for s in seeds]
    X = nets[0]._check_X(X, copies=len(seeds))                       # all nets at once
    D = nets[0]._check_Y(check_array(Y, "Y", owner="train_many", ndim=(1, 2)), X.shape[0])
    check_stop_within(stop_within, D, nets[0].output_activation, owner="train_many")
    opt: Optimizer = Momentum(eta=0.5, alpha=0.9) if optimizer is None else get_optimizer(optimizer, owner="train_many")
    opt.reset()
    stack = NetStack(nets, opt, epochs, record_history)
    opt.check(stack.P)                          # its gradients come from backward: checked once, here
    with np.errstate(over="ignore", invalid="ignore", under="ignore", divide="ignore"):
        _sweeps(stack, X, D, epochs, weight_decay, stop_within, dead_zone)
    return stack.result(seeds, X, D, stop_within, options)


def _n_weights(sizes: Sequence[int], skip: bool = False) -> int:
    """The weights and biases of one net of ``sizes`` (with direct input -> output connections if ``skip``)."""
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:])) + (sizes[0] * sizes[-1] if skip else 0)


def check_seeds(seeds: Any, *, owner: str, per_net: int = 0) -> np.ndarray:
    """The seeds as an int64 array, or an array of Python ints when one is too large for int64
    (``random_state`` takes any int >= 0; ``np.asarray`` would round such a list to floats).
    At most ``MAX_NETS`` of them, and ``per_net`` weights each at most ``MAX_WEIGHTS`` in all."""
    n = seeds.size if isinstance(seeds, np.ndarray) else len(seeds) if hasattr(seeds, "__len__") else None
    if n is not None and (n > MAX_NETS or n * per_net > MAX_WEIGHTS):
        raise ValueError(f"The 'seeds' parameter of {owner} asks for {n:,} nets of {per_net:,} weights; at most "
                         f"MAX_NETS = {MAX_NETS:,} nets and MAX_WEIGHTS = {MAX_WEIGHTS:,} weights in all are trained.")
    if isinstance(seeds, np.ndarray):
        values = seeds.tolist() if seeds.ndim == 1 else None
    else:
        try:
            values = list(seeds)
        except TypeError:                            # not iterable
            values = None
    if not values or not all(isinstance(s, numbers.Integral) and not isinstance(s, (bool, np.bool_)) and s >= 0
                             for s in values):
        raise ValueError(f"The 'seeds' parameter of {owner} must be a non-empty sequence of ints >= 0. "
                         f"Got {repr(seeds):.80} instead.")
    return np.array(values, dtype=np.int64 if max(values) <= np.iinfo(np.int64).max else object)


class NetStack:
    """The weights of all still-training nets stacked on a leading axis, and what retired nets left."""

    def __init__(self, nets: list[MLP], opt: Optimizer, epochs: int, record_history: bool) -> None:
        self.spec, self.opt = nets[0].spec, opt
        self.bias = [k % 2 == 1 and k < 2 * self.spec.n_layers for k in range(len(nets[0].params_))]
        P = [np.stack([net.params_[k] for net in nets]) for k in range(len(self.bias))]
        self.P = [p[:, None, :] if is_b else p for p, is_b in zip(P, self.bias)]   # b: (S, n) -> (S, 1, n)
        self.initial = [p.copy() for p in self.P]
        self.final = [p.copy() for p in self.P]
        self.w: np.ndarray | None = None           # the flat weights, see packed()
        self.stepper: FlatStep | None = None
        S = len(nets)
        self.active = np.arange(S)
        self.n_epochs = np.full(S, epochs)
        self.converged = np.zeros(S, dtype=bool)
        self.diverged = np.zeros(S, dtype=bool)
        self.history = np.full((S, epochs), np.nan) if record_history else None
        self.error_history = np.full((S, epochs), np.nan) if record_history else None

    def retire(self, stop: np.ndarray, source: list[np.ndarray]) -> None:
        """Nets ``stop`` leave the stack with the weights ``source`` (the stack's, or their initial ones)."""
        for k in range(len(self.P)):
            self.final[k][self.active[stop]] = source[k][stop]
        keep = ~stop
        self.P = [p[keep] for p in self.P]
        self.opt.state = [{name: v[keep] for name, v in s.items()} for s in self.opt.state]   # state follows
        self.active = self.active[keep]
        self.w = None

    def packed(self) -> np.ndarray:
        """The weights of all layers in one flat array (``self.P`` are its views), for one optimizer
        call per step and one look for the divergence test (see :mod:`annhist.mlp.flat`)."""
        if self.w is None:
            self.w, self.P = pack(self.P)
            self.stepper = FlatStep(self.opt, self.w, self.P)
        return self.w

    def step(self, grads: list[np.ndarray]) -> None:
        """The optimizer's step (checked once by ``opt.check``) on the whole stack."""
        self.packed()
        self.stepper(grads)

    def result(self, seeds: np.ndarray, X: np.ndarray, D: np.ndarray, stop_within: float | None,
               options: dict[str, Any]) -> ManyResult:
        if self.active.size:
            for k in range(len(self.P)):
                self.final[k][self.active] = self.P[k]
        outs = forward(self.final, X, self.spec)
        err = np.max(np.abs(outs[-1] - D), axis=(-2, -1))
        if stop_within is not None:
            self.converged |= (err < stop_within) & ~self.diverged
        loss = 0.5 * np.sum((outs[-1] - D) ** 2, axis=(-2, -1))
        final = [p[:, 0, :] if is_b else p for p, is_b in zip(self.final, self.bias)]
        return ManyResult(seeds=seeds, n_epochs=self.n_epochs, converged=self.converged, diverged=self.diverged,
                          loss=loss, max_error=err, params=final, history=self.history, net_options=options,
                          error_history=self.error_history if stop_within is not None else None)


def _sweeps(st: NetStack, X: np.ndarray, D: np.ndarray, epochs: int, weight_decay: float,
            stop_within: float | None, dead_zone: float) -> None:
    """Full-batch sweeps of every net in the stack at once (the generalized delta rule, eqs. 4-5)."""
    f_prime = ACTIVATIONS[st.spec.output].f_prime_out
    keep_factor = 1.0 - weight_decay
    axes = [tuple(range(1, p.ndim)) for p in st.P]                       # all but the net's axis
    for epoch in range(epochs):
        outs = forward(st.P, X, st.spec)                                 # outs[l]: (S, N, n_l)
        y = outs[-1]
        target = dead_zone_targets(y, D, dead_zone)
        r = y - target                                                   # dE/dy = y - d   (eq. 4)
        if st.history is not None:
            st.history[st.active, epoch] = 0.5 * np.sum(r * r, axis=(-2, -1))
        if stop_within is not None:
            err = np.abs(r if target is D else y - D).max(axis=(-2, -1))   # r is y - D without a dead zone
            if st.error_history is not None:
                st.error_history[st.active, epoch] = err
            done = err < stop_within
            if done.any():
                st.n_epochs[st.active[done]] = epoch
                st.converged[st.active[done]] = True
                keep = ~done
                outs = [o if o.ndim == 2 else o[keep] for o in outs]
                y, r = outs[-1], r[keep]
                st.retire(done, st.P)
                if st.active.size == 0:
                    return
        delta = r * f_prime(y)                                           # dE/dx = dE/dy f'(x)   (eq. 5)
        st.step(backward(st.P, outs, delta, st.spec))
        if weight_decay:
            st.packed()[...] *= keep_factor                              # every weight of every net
        if finite_and_small(st.packed(), st.active.size):
            continue                                                     # no net can have diverged
        total = sum(p.sum(axis=a) for p, a in zip(st.P, axes))          # per net: inf/NaN if any weight is
        bad = ~np.isfinite(total) | (np.abs(total) > 1e150)
        if bad.any():
            st.n_epochs[st.active[bad]] = epoch + 1
            st.diverged[st.active[bad]] = True
            st.retire(bad, [p[st.active] for p in st.initial])
            if st.active.size == 0:
                return
