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

from annhist.activations import sigmoid
from annhist.mlp.checks import check_sizes, check_stop_within
from annhist.mlp.delta_rule import forward
from annhist.mlp.flat import views
from annhist.mlp.many import ManyResult, NetStack, _n_weights, check_seeds
from annhist.mlp.network import MLP
from annhist.optimizers import Momentum, momentum_update
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
    seeds = check_seeds(seeds, owner="train_by_pattern", per_net=_n_weights(check_sizes(sizes)))
    options = dict(sizes=list(sizes), activation="sigmoid", loss="mse", init=init)
    nets = [MLP(**options, random_state=int(s)) for s in seeds]
    X = nets[0]._check_X(X, copies=len(seeds))                       # all nets at once
    D = nets[0]._check_Y(Y, X.shape[0])
    check_stop_within(stop_within, D, nets[0].output_activation, owner="train_by_pattern")
    st = NetStack(nets, Momentum(eta=eta, alpha=alpha), epochs, record_history=False)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        for epoch in range(epochs):
            _pattern_sweep(st, X, D)
            bad = ~np.isfinite(sum(p.sum(axis=tuple(range(1, p.ndim))) for p in st.P))   # per net
            done = (np.max(np.abs(forward(st.P, X, st.spec)[-1] - D), axis=(-2, -1)) < stop_within) | bad
            if done.any():
                st.n_epochs[st.active[done]] = epoch + 1
                st.converged[st.active[done & ~bad]], st.diverged[st.active[bad]] = True, True
                source = [np.where(bad[:, None, None], p0[st.active], p) for p0, p in zip(st.initial, st.P)]
                st.retire(done, source)                   # a diverged net keeps its initial weights
                if st.active.size == 0:
                    break
    return st.result(seeds, X, D, None, options)


def _pattern_sweep(st: NetStack, X: np.ndarray, D: np.ndarray) -> None:
    """One sweep: after each pattern p, change the weights (PDP eq. 16), for every net of the stack.

    The operations of :func:`~annhist.mlp.delta_rule.forward`, :func:`~annhist.mlp.delta_rule.backward`
    (logistic units, one pattern) and :class:`~annhist.optimizers.Momentum` in their order, so the
    same numbers; written out because a pattern's step is ~40 numpy calls on arrays of a few dozen
    numbers, where the general functions' Python (error-state switches, checks, one momentum update
    per array) cost some two thirds as much again (rhw-parity's 20 seeds: 6.9 s before, 3.9-4.5 s
    written out). The weights, their gradients and Delta w each sit in one flat array (views per
    layer): one momentum update changes all of them.
    """
    w = st.packed()
    P, g, v = st.P, st.stepper.g, st.stepper.flat_state()["delta"]
    G = views(g, P)                                                        # dE/dw, layer by layer
    sig = sigmoid.__wrapped__                    # the error state is the caller's (train_by_pattern's)
    eta, alpha, L = st.opt.eta, st.opt.alpha, st.spec.n_layers
    for i in range(X.shape[0]):
        outs = [X[i:i + 1]]
        for l in range(L):                                        # forward: x_j = sum_i y_i w_ji + b, y = f(x)
            a = outs[-1] @ P[2 * l]
            a += P[2 * l + 1]
            outs.append(sig(a))
        y = outs[-1]
        delta = (y - D[i]) * (y * (1.0 - y))                       # delta_pj = (y - d) f'   (eqs. 4-5)
        for l in range(L - 1, -1, -1):                             # backward (eqs. 6-7, 5)
            o_in = outs[l]
            np.matmul(o_in.swapaxes(-1, -2), delta, out=G[2 * l])
            np.add.reduce(delta, axis=-2, keepdims=True, out=G[2 * l + 1])    # the bias: its input is 1
            if l > 0:
                delta = delta @ P[2 * l].swapaxes(-1, -2)
                delta *= o_in * (1.0 - o_in)
        momentum_update(w, g, v, eta, alpha)                       # Delta w(n+1) = -eta g + alpha Delta w(n)
    st.opt.t += X.shape[0]
