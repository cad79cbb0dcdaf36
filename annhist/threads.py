"""Element-wise work on as many threads as numpy's matrix products use.

numpy runs its matrix products on several threads (its BLAS, OpenBLAS), but every element-wise
function (a "ufunc" such as ``np.tanh``) on one. In a LeNet-5 training step in float64 the
squashing function's ``np.tanh`` alone takes about a third of the time on one thread, and on
two threads it is what the second core waits for. :func:`apply_inplace` cuts a large array's
memory into one part per BLAS thread and runs the ufunc on each part in a thread of a small pool
(numpy releases Python's GIL inside the ufunc's loop, so the parts run at the same time).
Each element still goes through the very same operation, so the result is bit for bit the one
of a single call; only the time changes. Limiting the BLAS (``threadpoolctl.threadpool_limits``)
limits this too: on one BLAS thread everything runs on the caller's thread.
"""

from __future__ import annotations

import contextlib
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Iterator

import numpy as np

__all__ = ["blas_threads", "apply_inplace", "split_run", "blas_limited", "run_pair"]

# Below this many elements per part, handing work to another thread costs more than it saves.
# A LeNet-5 training step on two BLAS threads (rounds interleaved), with this at 2**18 and
# annhist.cnn's splits from 64 blocks per thread (blocked.MIN_SPLIT) and 2**22 window entries
# (im2col._SPLIT_MIN), against 2**15, 16 and 2**20: at batch 64 (C1: 301,056 activations, now one
# part) 9 % faster in float32 and 6 % in float64; at batch 256 (split) 2 % and 6 %.
_MIN_PART = 1 << 18

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
    if flat.size < 2 * _MIN_PART:                   # one part: no need to ask the BLAS (~2 us a call)
        return ufunc(a, *args, out=a)
    parts = min(blas_threads(), flat.size // _MIN_PART)
    if parts < 2 or not np.may_share_memory(flat, a):     # (a copy: a has gaps)
        return ufunc(a, *args, out=a)
    chunks = np.array_split(flat, parts)
    err = np.geterr()

    def run(chunk: np.ndarray) -> None:
        with np.errstate(**err):
            ufunc(chunk, *args, out=chunk)

    futures = [_pool(parts - 1).submit(run, c) for c in chunks[1:]]
    run(chunks[0])                                  # the caller's thread does the first part
    for f in futures:
        f.result()
    return a


def split_run(work: Callable[[int, int], Any], n: int, min_size: int = 2) -> None:
    """``work(lo, hi)`` over ``range(n)``: as two halves on two threads when the BLAS has two or more
    (and ``n >= 2 * min_size``), else as one call ``work(0, n)``. ``work`` must release the GIL
    (numpy's matmul and copies, scipy's sparse products do) and write disjoint parts."""
    if n < 2 * min_size or blas_threads() < 2:
        work(0, n)
        return
    half = n // 2
    future = _pool(1).submit(work, half, n)
    work(0, half)                                   # the caller's thread does the first half
    future.result()


@contextlib.contextmanager
def blas_limited(threads: int) -> Iterator[None]:
    """Hold numpy's BLAS to ``threads`` threads inside the block (threadpoolctl's controller, read
    once per process: ~1 us to switch, where ``threadpool_limits`` looks the libraries up each time)."""
    blas_threads()                                  # reads the controllers once
    libs = _state["blas"]
    before = [lib.num_threads for lib in libs]
    for lib in libs:
        lib.set_num_threads(threads)
    try:
        yield
    finally:
        for lib, n in zip(libs, before):
            lib.set_num_threads(n)


def run_pair(work: Callable[..., Any], first: tuple[Any, ...], second: tuple[Any, ...],
             parallel: bool) -> tuple[Any, Any]:
    """``(work(*first), work(*second))``: the second on a pooled thread at the same time when
    ``parallel``, else after the first. ``work`` should spend its time where numpy releases the
    GIL; numpy's error settings (thread-local) are carried over to the pooled thread."""
    if not parallel:
        return work(*first), work(*second)
    err = np.geterr()

    def run() -> Any:
        with np.errstate(**err):
            return work(*second)

    future = _pool(1).submit(run)
    try:
        a = work(*first)                            # the caller's thread does the first
    finally:
        b = future.result()                         # (waits even when the first raised)
    return a, b
