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

__all__ = ["pack", "views", "flat_base", "finite_and_small", "FlatStep", "ELEMENTWISE", "BLOCK"]

# The rules that update each weight from its own gradient and state alone (exact types: a
# subclass may redefine ``update``).
ELEMENTWISE = tuple(OPTIMIZERS.values())

#: A flat array longer than this is updated a block of this many weights at a time: a rule makes
#: several passes over its arrays (Momentum four, Adam fourteen), and a block's passes find it in
#: the processor's cache where the whole arrays would not fit. The same operations on every weight,
#: so the same numbers. Measured on this project's machine (an AVX-512 Xeon, 2 MiB of L2 cache per
#: core) for the 784-256-10 net's 203,530 float64 weights: Momentum 232 against 408 us, Adam 981
#: against 1,362 us, SGD 121 against 213 us (blocks of 16K and 64K weights were no faster).
BLOCK = 1 << 15


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

    A built-in rule (a class in ``ELEMENTWISE``) updates ``w`` from the gradients as one flat array,
    its state packed likewise (``opt.state`` then holds views of it, as ``step`` would have made it);
    any other rule steps array by array. Either way the checks of ``step`` are the caller's, made once
    (:meth:`~annhist.optimizers.Optimizer.check`). A long ``w`` goes ``BLOCK`` weights at a time, and a
    block inside one gradient array of ``w``'s dtype reads it there (the rules only read the gradient)
    instead of a packed copy: the 784-256-10 net's step skips copying 200,704 of its 203,530 gradients.
    """

    def __init__(self, opt: Optimizer, w: np.ndarray | None, params: Sequence[np.ndarray]) -> None:
        self.opt, self.params, self.weights = opt, list(params), w       # weights: the flat array, or None
        self.w = w if type(opt) in ELEMENTWISE else None                  # w: the flat array updated at once
        self.g = np.empty_like(w) if self.w is not None else None
        self.state: dict[str, np.ndarray] | None = None
        ends = np.cumsum([p.size for p in self.params]).tolist()
        self._spans = list(zip([0, *ends[:-1]], ends))                   # where each array sits in w

    def __call__(self, grads: Sequence[np.ndarray]) -> None:
        opt = self.opt
        if self.w is None:
            opt._apply(self.params, grads)
            return
        state = self.flat_state()
        opt.t += 1
        w, n = self.w, self.w.size
        if n <= BLOCK:
            np.concatenate([g.ravel() for g in grads], out=self.g)
            opt.update(w, self.g, state)
            return
        for lo in range(0, n, BLOCK):                 # each block's passes while it is in the cache
            part = slice(lo, min(n, lo + BLOCK))
            opt.update(w[part], self._gradient(grads, part), {name: v[part] for name, v in state.items()})

    def _gradient(self, grads: Sequence[np.ndarray], part: slice) -> np.ndarray:
        """The gradients of ``w[part]``: a view of the one array holding them all, if of ``w``'s dtype, else
        copied into that part of the packed array (cast to ``w``'s dtype, as the whole packed array is)."""
        for (a, b), g in zip(self._spans, grads):
            if a <= part.start and part.stop <= b and g.dtype == self.w.dtype:
                return g.reshape(-1)[part.start - a:part.stop - a]
        for (a, b), g in zip(self._spans, grads):
            if a < part.stop and part.start < b:
                lo, hi = max(a, part.start), min(b, part.stop)
                self.g[lo:hi] = g.reshape(-1)[lo - a:hi - a]
        return self.g[part]

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
