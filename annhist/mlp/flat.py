"""A net's weights as views of one flat array, so that an optimizer steps all of them in one call.

Why it is fast: the built-in rules of :mod:`annhist.optimizers` act weight by weight (each weight's
new value depends only on its own gradient and state), so one update of flat arrays -- the
weights, their gradients, the rule's state -- makes the same floating-point operations on every
weight as one update per array: the same numbers, in one call instead of one per array (a
step of the family-tree net's 8 arrays with Adam: 8 calls of 13 numpy operations each). The
same flat array lets one look at all weights clear the divergence test (:func:`finite_and_small`).
:class:`~annhist.mlp.MLP` keeps its weights this way; :class:`~annhist.mlp.many.NetStack` its stack.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from annhist.optimizers import OPTIMIZERS, Optimizer

__all__ = ["pack", "views", "flat_base", "finite_and_small", "FlatStep", "ELEMENTWISE"]

# The rules that update each weight from its own gradient and state alone (exact types: a
# subclass may redefine ``update``).
ELEMENTWISE = tuple(OPTIMIZERS.values())


def views(flat: np.ndarray, like: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Consecutive parts of ``flat``, one view in the shape of each array of ``like``."""
    ends = np.cumsum([a.size for a in like]).tolist()
    return [flat[e - a.size:e].reshape(a.shape) for a, e in zip(like, ends)]


def pack(arrays: Sequence[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """The arrays copied into one flat array, and views of it in their shapes."""
    flat = np.concatenate([a.ravel() for a in arrays])
    return flat, views(flat, arrays)


def flat_base(params: Sequence[np.ndarray]) -> np.ndarray | None:
    """The flat array whose consecutive parts ``params`` are (as :func:`pack` makes them), else None."""
    base = params[0].base if len(params) else None
    if not isinstance(base, np.ndarray) or base.ndim != 1 or not base.flags.c_contiguous \
            or base.size != sum(p.size for p in params):
        return None
    address = base.__array_interface__["data"][0]
    for p in params:
        if p.base is not base or not p.flags.c_contiguous or p.__array_interface__["data"][0] != address:
            return None
        address += p.nbytes
    return base


def finite_and_small(w: np.ndarray, n_nets: int = 1) -> bool:
    """True if no net's weights can fail the divergence test (their sum non-finite or above 1e150).

    A screen: two reductions over all weights instead of one per array (and net). With every
    weight finite and ``abs(w) < 1e140 / n`` (n weights per net), each net's sum is below 1e141
    whatever the order of its additions; NaN fails both comparisons. When the screen fails,
    the test itself is made.
    """
    limit = 1e140 / (w.size // n_nets)
    return bool(w.max() < limit) and bool(w.min() > -limit)


class FlatStep:
    """The steps of ``opt`` on ``params``, views of the flat array ``w``; call it with the gradients.

    A built-in rule (a class in ``ELEMENTWISE``) updates ``w`` from the gradients packed in one flat
    array, its state packed likewise (``opt.state`` then holds views of it, as ``step`` would
    have made it); any other rule steps array by array. Either way the checks of ``step`` are
    the caller's, made once (:meth:`~annhist.optimizers.Optimizer.check`).
    """

    def __init__(self, opt: Optimizer, w: np.ndarray | None, params: Sequence[np.ndarray]) -> None:
        self.opt, self.params, self.weights = opt, list(params), w       # weights: the flat array, or None
        self.w = w if type(opt) in ELEMENTWISE else None                  # w: the flat array updated at once
        self.g = np.empty_like(w) if self.w is not None else None
        self.state: dict[str, np.ndarray] | None = None

    def __call__(self, grads: Sequence[np.ndarray]) -> None:
        opt = self.opt
        if self.w is None:
            opt._apply(self.params, grads)
            return
        state = self.flat_state()
        np.concatenate([g.ravel() for g in grads], out=self.g)
        opt.t += 1
        opt.update(self.w, self.g, state)

    def flat_state(self) -> dict[str, np.ndarray]:
        """The optimizer's state in one flat array per name (``opt.state``: views of them)."""
        if self.state is None or not self.opt.state:          # first step, or the state was reset
            self.state = self._pack_state()
        return self.state

    def _pack_state(self) -> dict[str, np.ndarray]:
        opt = self.opt
        if not opt.state:
            opt.state = [opt._init_state(p) for p in self.params]
        flat: dict[str, np.ndarray] = {}
        for name in opt.state[0]:
            flat[name], parts = pack([s[name] for s in opt.state])
            for s, v in zip(opt.state, parts):
                s[name] = v
        return flat
