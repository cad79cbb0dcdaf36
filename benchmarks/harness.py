"""Timing harness: warm-up, repeats, median and spread, ratio against the reference.

A :class:`Case` is one piece of work done two ways: by annhist and by a reference
(scikit-learn, PyTorch on CPU, numpy's matmul). Both are timed in the same process with the
same threads: one warm-up call of each, then ``repeats`` rounds, each timing annhist and then
the reference, so that a change in the machine's load (it is shared) hits both sides alike.

A row reports, for each side, the median, fastest and slowest of the repeats and the spread
``(upper quartile - lower quartile) / median`` (robust to the odd round that the machine's
other work delays); the ratio ``speedup = reference median / annhist median`` (> 1: annhist
is faster); and the quartiles and extremes of the per-round ratios (the two calls of one round
run back to back, so these show how much the load moved the ratio).

When a case runs on several threads, each timed call comes right after untimed calls of the
same side, made for at least ``SETTLE_S`` (at least one call): the thread pools of the side that
ran just before (OpenBLAS's workers, PyTorch's OpenMP threads) still spin for some milliseconds
after a call, taking the cores that the other side's threads need, and the side's own threads may
be asleep. Measured on LeNet-5 (2 threads, float64, one step each, alternating): annhist 17.3 ms
and PyTorch 13.9 ms; each timed alone, 100 calls in a row, 10.8 ms and 11.8 ms. (A pause of 20 ms
instead gave 11.9 and 12.7 ms for LeNet-5, but made the sub-millisecond convolution rows pay for
waking the threads: 10x slower, both sides.) One untimed call was not always enough: after a
PyTorch LeNet-5 step its OpenMP threads (libgomp, 300,000 spins by default) used 10-11 ms of CPU
during a 10 ms sleep, longer than annhist's float32 step (~5 ms), so they still held a core in
annhist's timed call; OpenBLAS's workers spin 2**24 cycles (~6.5 ms here) in the benchmark's child.
"""

from __future__ import annotations

import json
import os
import statistics
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

__all__ = ["Case", "time_case", "failed_row", "blas_threads", "thread_info", "match_threads", "single_thread"]


@dataclass
class Case:
    """One comparison. ``annhist`` and ``reference`` are zero-argument callables doing the same work.

    ``flops`` (optional) is the floating-point work of one call, to report GFLOP/s; with
    ``extra["peak_matmul_gflops"]`` (the machine's GEMM rate, measured in the same run) the row
    also gets each side's ``roofline_fraction``, its GFLOP/s over that rate.
    ``reference`` may be None: with a ``skipped_reason`` (the reference library is missing) the
    row is reported as skipped, without timings; without one, annhist is timed alone.
    ``extra`` is copied into the row (sizes, ``same_*`` checks that both sides agree, ...).
    """

    name: str
    annhist: Callable[[], Any]
    reference: Callable[[], Any] | None
    reference_name: str
    repeats: int = 5
    flops: float | None = None
    note: str = ""
    skipped_reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


SETTLE_S = 0.015      # longer than either side's idle threads spin (see above)


def _timed(fn: Callable[[], Any], settle: bool = False) -> float:
    if settle:                             # the other side's threads stop spinning, this side's wake up
        end = time.perf_counter() + SETTLE_S
        fn()
        while time.perf_counter() < end:
            fn()
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _quartiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return values[0], values[0]
    q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q3


def _stats(prefix: str, times: list[float]) -> dict[str, Any]:
    med = statistics.median(times)
    q1, q3 = _quartiles(times)
    return {f"{prefix}_median_s": med, f"{prefix}_min_s": min(times), f"{prefix}_max_s": max(times),
            f"{prefix}_spread": (q3 - q1) / med if med > 0 else 0.0, f"{prefix}_times_s": times}


def blas_threads() -> int:
    """The number of threads of numpy's BLAS (threadpoolctl), or the CPU count without it."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return os.cpu_count() or 1
    counts = [d["num_threads"] for d in threadpool_info() if d.get("user_api") == "blas"]
    return max(counts) if counts else 1


def match_threads(limit: int | None = None) -> int | None:
    """Give PyTorch as many intra-op threads as numpy's BLAS has; return that number (None: no torch).

    With ``limit``, first limit every BLAS and OpenMP pool loaded so far to ``limit`` threads
    (threadpoolctl; a library loaded later needs another call).
    """
    if limit is not None:
        from threadpoolctl import threadpool_limits
        threadpool_limits(limits=limit)
    try:
        import torch
    except ImportError:
        return None
    n = blas_threads()
    torch.set_num_threads(n)
    return n


def single_thread(fn: Callable[[], Any], torch: Any = None) -> Callable[[], Any]:
    """``fn`` run with numpy's BLAS (and PyTorch, if given) limited to one thread: a comparison that a
    shared, loaded machine disturbs far less than a multi-threaded one."""
    from threadpoolctl import ThreadpoolController

    controller = ThreadpoolController()

    def run() -> Any:
        with controller.limit(limits=1, user_api="blas"):
            if torch is None:
                return fn()
            n = torch.get_num_threads()
            torch.set_num_threads(1)
            try:
                return fn()
            finally:
                torch.set_num_threads(n)

    return run


def thread_info() -> dict[str, Any]:
    """What runs the linear algebra: threadpoolctl's view of every pool, and PyTorch's threads."""
    info: dict[str, Any] = {"cpu_count": os.cpu_count(), "usable_cpus": len(os.sched_getaffinity(0))}
    try:
        from threadpoolctl import threadpool_info
        keys = ("user_api", "internal_api", "prefix", "version", "architecture", "threading_layer", "num_threads")
        info["threadpools"] = [{k: d.get(k) for k in keys} for d in threadpool_info()]
    except ImportError:  # pragma: no cover
        info["threadpools"] = None
    try:
        import torch
        info.update(torch=torch.__version__, torch_threads=torch.get_num_threads(),
                    torch_interop_threads=torch.get_num_interop_threads())
    except ImportError:
        info["torch"] = None
    return info


def _current_threads() -> dict[str, Any]:
    out: dict[str, Any] = {"blas": blas_threads()}
    try:
        import torch
        out["torch"] = torch.get_num_threads()
    except ImportError:
        out["torch"] = None
    return out


def failed_row(name: str, exc: BaseException, *, module: str = "", reference: str = "") -> dict[str, Any]:
    """The row for a case (or a whole module) that raised: the error instead of timings."""
    tb = traceback.format_exception(type(exc), exc, exc.__traceback__)
    return {"module": module, "name": name, "reference": reference, "status": "failed",
            "error": f"{type(exc).__name__}: {exc}", "traceback": "".join(tb[-6:])}


def time_case(case: Case, *, min_seconds: float = 1.0, max_rounds: int = 200) -> dict[str, Any]:
    """Warm up both sides, then time them alternately; return one result row.

    At least ``case.repeats`` rounds are run, and more -- up to ``max_rounds`` -- while the
    rounds so far took less than ``min_seconds`` in all: a fast case gets enough samples for
    its median to mean something on a loaded machine, a slow one is not made slower.

    A row's ``status`` is ``"ok"`` (both sides timed), ``"annhist only"`` (no reference to
    compare with) or ``"skipped"`` (the reference is missing; ``skipped_reason`` says why).
    Exceptions propagate: the runner turns them into a ``"failed"`` row.
    """
    row: dict[str, Any] = {"name": case.name, "reference": case.reference_name, "repeats": case.repeats}
    if case.reference is None and case.skipped_reason:
        row.update({"status": "skipped", "skipped_reason": case.skipped_reason,
                    **({"note": case.note} if case.note else {}), **case.extra})
        return row
    # {"blas": n, "torch": m} around the case; a case may limit its own (the "1 thread" rows do)
    row["threads_in_effect"] = _current_threads()
    load0 = os.getloadavg()[0]
    case.annhist()                                           # warm-up: imports, caches, allocations
    if case.reference is not None:
        case.reference()
    a_times: list[float] = []
    r_times: list[float] = []
    threads = row["threads_in_effect"]
    settle = max(threads["blas"], threads["torch"] or 1) > 1      # an untimed call first (see above)
    while len(a_times) < max(1, case.repeats) or (sum(a_times) + sum(r_times) < min_seconds
                                                   and len(a_times) < max_rounds):
        a_times.append(_timed(case.annhist, settle))
        if case.reference is not None:
            r_times.append(_timed(case.reference, settle))
    row["repeats"] = len(a_times)
    row["untimed_call_before_each"] = settle
    row["untimed_calls_for_s"] = SETTLE_S if settle else 0.0
    row.update(_stats("annhist", a_times))
    if r_times:
        row.update(_stats("reference", r_times))
        pairs = [r / a for a, r in zip(a_times, r_times) if a > 0]
        q1, q3 = _quartiles(pairs)
        row.update(status="ok", speedup=row["reference_median_s"] / row["annhist_median_s"],
                   speedup_q1=q1, speedup_q3=q3, speedup_min=min(pairs), speedup_max=max(pairs))
    else:
        row.update(status="annhist only", reference_median_s=None, speedup=None)
    if case.flops:
        row["annhist_gflops"] = case.flops / row["annhist_median_s"] / 1e9
        if r_times:
            row["reference_gflops"] = case.flops / row["reference_median_s"] / 1e9
        peak = case.extra.get("peak_matmul_gflops")
        if peak:                        # the roofline: the machine's GEMM rate, measured in the same run
            row["roofline_fraction"] = row["annhist_gflops"] / peak
            if r_times:
                row["reference_roofline_fraction"] = row["reference_gflops"] / peak
    row["load_avg_1min"] = [round(load0, 2), round(os.getloadavg()[0], 2)]    # before, after
    if case.note:
        row["note"] = case.note
    row.update(case.extra)
    return row


def write_json(path: Path, payload: dict[str, Any]) -> None:
    """Write ``payload`` to ``path`` through a temporary file beside it, so a run cut short leaves the old file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    os.replace(tmp, path)
