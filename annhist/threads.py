"""Element-wise work on as many threads as numpy's matrix products use.

numpy runs its matrix products on several threads (its BLAS, OpenBLAS), but every element-wise
function (a "ufunc" such as ``np.tanh``) on one. In a LeNet-5 training step in float64 the
squashing function's ``np.tanh`` alone takes about a third of the time on one thread, and on
two threads it is what the second core waits for. :func:`apply_inplace` cuts a large array's
memory into parts and runs the ufunc on them in the caller's thread and the threads of a small
pool, one per BLAS thread (numpy releases Python's GIL inside the ufunc's loop, so the parts run
at the same time); :func:`parallel_ranges` does the same for any work that splits into disjoint
ranges (the copies of im2col, the additions of col2im). Each element still goes through the very
same operations in the same order, so the result is bit for bit the one of a single call; only
the time changes. Limiting the BLAS (``threadpoolctl.threadpool_limits``) limits this too: on one
BLAS thread everything runs on the caller's thread, and small arrays (one pattern) never leave it.

On a machine whose cores are busy with other work, the second thread (like OpenBLAS's own)
may not get a core in time, and the split can cost more than it saves.
"""

from __future__ import annotations

import itertools
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

import numpy as np

__all__ = ["blas_threads", "apply_inplace", "parallel_ranges"]

# Below this many elements per part, handing work to another thread costs more than it saves.
_MIN_PART = 1 << 15

_state: dict[str, Any] = {"pid": None, "pool": None, "workers": 0, "blas": None}


def blas_threads() -> int:
    """The number of threads numpy's BLAS uses now (threadpoolctl; 1 if it cannot tell)."""
    if _state["blas"] is None:
        try:
            from threadpoolctl import ThreadpoolController
            _state["blas"] = ThreadpoolController().select(user_api="blas").lib_controllers
        except Exception:          # noqa: BLE001 - no threadpoolctl, or a BLAS it cannot read: one thread
            _state["blas"] = []
    return max((lib.num_threads for lib in _state["blas"]), default=1)


def _pool(workers: int) -> ThreadPoolExecutor:
    """The process's pool (a new one after a fork: a pool's threads do not survive it)."""
    pool = _state["pool"]
    if _state["pid"] != os.getpid() or pool is None or _state["workers"] < workers:
        pool = _state["pool"] = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="annhist")
        _state.update(pid=os.getpid(), workers=workers)
    return pool


def apply_inplace(ufunc: np.ufunc, a: np.ndarray, *args: Any) -> np.ndarray:
    """``ufunc(a, *args, out=a)`` (``args``: scalars), on parts of ``a`` in parallel; returns ``a``.

    ``a`` must own a block of memory without gaps (any axis order, e.g. a fresh array or a
    transposed view of one); otherwise, for small arrays and on one BLAS thread, this is a
    single call. The caller's ``np.errstate`` holds in every part.
    """
    flat = a.ravel(order="K")
    if not np.may_share_memory(flat, a):            # a copy: a's memory has gaps
        return ufunc(a, *args, out=a)

    def part(lo: int, hi: int) -> None:
        ufunc(flat[lo:hi], *args, out=flat[lo:hi])

    parallel_ranges(part, flat.size, flat.size)
    return a

def parallel_ranges(fn: Callable[[int, int], None], n: int, work: int, per_thread: int = 4) -> None:
    """``fn(lo, hi)`` on consecutive ranges covering ``range(n)``, on every BLAS thread in parallel.

    ``work`` is the number of elements the whole job touches (fewer than ``_MIN_PART`` per
    thread: one call, ``fn(0, n)``). ``fn`` must write only what its range owns (no two ranges
    may add to the same element); the caller's ``np.errstate`` holds in every range.
    The ranges (``per_thread`` per thread) are claimed one at a time by the caller and the pool's threads,
    and the caller waits only for threads that claimed one: on a machine whose other cores are
    busy, a thread that does not get a core in time leaves its share to the caller.
    """
    parts = min(blas_threads(), n, work // _MIN_PART)
    if parts < 2:
        fn(0, n)
        return
    chunks = min(n, per_thread * parts)
    bounds = np.linspace(0, n, chunks + 1).round().astype(int).tolist()
    err = np.geterr()
    claim = itertools.count()                       # next() on it is atomic under the GIL
    started = [False] * parts

    def run(worker: int) -> None:
        started[worker] = True                      # before claiming: the caller waits for this one
        with np.errstate(**err):
            for i in iter(claim.__next__, chunks):
                if i > chunks:
                    break
                fn(bounds[i], bounds[i + 1])

    futures = [(w, _pool(parts - 1).submit(run, w)) for w in range(1, parts)]
    run(0)                                          # the caller claims ranges too
    for w, f in futures:
        if started[w]:
            f.result()
