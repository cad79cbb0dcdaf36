"""Timing harness: warm-up, repeats, median and spread, ratio against the reference.

A :class:`Case` is one piece of work done two ways: by annhist and by a reference
(scikit-learn, PyTorch on CPU, numpy's matmul). Both are timed in the same process with the
same threads, alternately, after a warm-up call of each.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Any, Callable

__all__ = ["Case", "time_case"]


@dataclass
class Case:
    """One comparison. ``annhist`` and ``reference`` are zero-argument callables doing the same work.

    ``flops`` (optional) is the floating-point work of one call, to report GFLOP/s.
    ``reference`` may be None when the reference library is missing (then the row says why).
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


def _times(fn: Callable[[], Any], repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def time_case(case: Case) -> dict[str, Any]:
    """Warm up both sides, then time them alternately; return one result row."""
    case.annhist()
    if case.reference is not None:
        case.reference()
    a_times: list[float] = []
    r_times: list[float] = []
    for _ in range(case.repeats):
        a_times += _times(case.annhist, 1)
        if case.reference is not None:
            r_times += _times(case.reference, 1)
    row: dict[str, Any] = {
        "name": case.name,
        "reference": case.reference_name,
        "repeats": case.repeats,
        "annhist_median_s": statistics.median(a_times),
        "annhist_spread_s": max(a_times) - min(a_times),
    }
    if r_times:
        ref = statistics.median(r_times)
        row.update(reference_median_s=ref, reference_spread_s=max(r_times) - min(r_times),
                   speedup=ref / row["annhist_median_s"])
    else:
        row.update(reference_median_s=None, reference_spread_s=None, speedup=None,
                   skipped_reason=case.skipped_reason or "no reference")
    if case.flops:
        row["annhist_gflops"] = case.flops / row["annhist_median_s"] / 1e9
        if r_times:
            row["reference_gflops"] = case.flops / row["reference_median_s"] / 1e9
    if case.note:
        row["note"] = case.note
    row.update(case.extra)
    return row
