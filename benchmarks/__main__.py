"""``python -m benchmarks`` (``make bench``): every benchmark in one run, one table, results.json.

Every ``benchmarks/bench_*.py`` module exposes ``cases() -> list[Case]``; each case is timed by
``benchmarks.harness.time_case`` (a warm-up of each side, then alternating repeats; median, spread and the
ratio). A module that fails to import, a ``cases()`` that raises or a case that raises becomes a "failed"
row; the run goes on. With ``--book`` the book is measured too (``benchmarks.book``: cold and warm build
times, each chapter's time and peak memory).

Exits 0 whatever the ratios are: benchmarks report, tests judge correctness (non-zero only for a bad
command line). Only ``make bench``'s run writes ``results.json``; any other, ``results-partial.json``.

OpenBLAS: this machine sets OPENBLAS_CORETYPE (and OPENBLAS_L2_SIZE) for the sake of older
OpenBLAS builds; they make a current numpy run an older, slower kernel (Haswell instead of
SkylakeX here). And OpenBLAS's worker threads busy-wait for 2**28 cycles (~0.1 s) after each
call: in one process that alternates numpy and PyTorch, they hold the cores that PyTorch's
OpenMP threads need next (PyTorch's two-thread rows then ran ~1.5-2x slower than with the wait
shortened, and slower than its own one-thread rows). Unless ``--keep-openblas-env`` is given,
the runner re-runs itself in a child process without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE and
with OPENBLAS_THREAD_TIMEOUT=24 (a 2**24-cycle wait, ~6 ms: still long enough for the BLAS calls of one
training step, short enough to free the cores between rounds), unless that is set already.

glibc's malloc: the child also gets MALLOC_MMAP_THRESHOLD_=32 MiB and MALLOC_TRIM_THRESHOLD_=1 GiB
(unless set), so that memory freed by one training step is reused by the next instead of being handed
back to the kernel and faulted in again, page by page. On this machine (a virtual machine, where a page
fault costs microseconds) a LeNet-5 float32 step otherwise took ~600 page faults on annhist's side and
~500 on PyTorch's (``resource.getrusage``: 0-15 and 0-10 with the settings), about 1 ms of a 6 ms step.
Both sides run in the same process with the same settings.

Nothing else is changed -- tests and CI keep the machine's environment -- and the JSON records
what was changed and which kernel threadpoolctl reports.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OPENBLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
THREAD_TIMEOUT = ("OPENBLAS_THREAD_TIMEOUT", "24")
MALLOC_ENV = (("MALLOC_MMAP_THRESHOLD_", str(32 << 20)), ("MALLOC_TRIM_THRESHOLD_", str(1 << 30)))
CHILD_FLAG = "ANNHIST_BENCH_CHILD"


def _reexec_with_benchmark_env(argv: list[str]) -> int | None:
    """Run this same command in a child with the OpenBLAS environment for timing; None if it is that already."""
    if os.environ.get(CHILD_FLAG):
        return None
    changed: dict[str, str | None] = {k: os.environ[k] for k in OPENBLAS_VARS if k in os.environ}   # old values
    for key, _ in (THREAD_TIMEOUT, *MALLOC_ENV):
        if key not in os.environ:
            changed[key] = None                                         # None: was not set
    if not changed:
        return None
    from benchmarks.book import ORIGINAL_ENV

    env = {k: v for k, v in os.environ.items() if k not in OPENBLAS_VARS}
    for key, value in (THREAD_TIMEOUT, *MALLOC_ENV):
        env.setdefault(key, value)
    env.update({CHILD_FLAG: "1", ORIGINAL_ENV: json.dumps(changed),
                "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))})
    what = [f"without {k}={v}" for k, v in changed.items() if v is not None]
    what += [f"with {k}={env[k]}" for k, v in changed.items() if v is None]
    print(f"benchmarks: timing in a child process {', '.join(what)} (--keep-openblas-env: as set)",
          file=sys.stderr, flush=True)
    return subprocess.run([sys.executable, "-m", "benchmarks", *argv], cwd=ROOT, env=env).returncode


def _machine() -> dict[str, Any]:
    from benchmarks.harness import thread_info

    cpu = ""
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    except OSError:
        pass
    versions = {}
    for name in ("numpy", "scipy", "sklearn"):
        try:
            versions[name] = importlib.import_module(name).__version__
        except ImportError:
            versions[name] = None
    from benchmarks.book import ORIGINAL_ENV

    changed = json.loads(os.environ.get(ORIGINAL_ENV, "{}"))
    return {"python": sys.version.split()[0], "platform": platform.platform(), "cpu": cpu, **versions,
            "openblas_env": {"removed_for_this_run": {k: v for k, v in changed.items() if v is not None},
                             "set_for_this_run": [k for k, v in changed.items() if v is None],
                             "in_effect": {k: os.environ.get(k) for k in (*OPENBLAS_VARS, THREAD_TIMEOUT[0])}},
            "malloc_env": {k: os.environ.get(k) for k, _ in MALLOC_ENV},
            "load_avg_1_5_15min_at_start": [round(x, 2) for x in os.getloadavg()], **thread_info()}


def _selected(text: str, terms: list[str]) -> bool:
    return not terms or any(t in text.lower() for t in terms)


def run_speed(terms: list[str], progress, *, min_seconds: float = 1.0,
              threads: int | None = None) -> list[dict[str, Any]]:
    """Every case of every ``bench_*.py`` module (those matching ``terms``, if any)."""
    from benchmarks.harness import failed_row, match_threads, time_case

    rows: list[dict[str, Any]] = []
    stems = [p.stem for p in sorted(HERE.glob("bench_*.py"))]
    # When every -k term names a module, the other modules are not even imported.
    by_module_only = bool(terms) and all(any(t in s.lower() for s in stems) for t in terms)
    for stem in stems:
        whole = _selected(stem, terms)
        if by_module_only and not whole:
            continue
        try:
            module = importlib.import_module(f"benchmarks.{stem}")
            match_threads(threads)               # torch threads = BLAS threads, before the module builds its cases
            cases = module.cases()
        except Exception as exc:                 # noqa: BLE001 - a broken module is a failed row, not a crash
            rows.append(failed_row(f"{stem}: could not build its cases", exc, module=stem))
            continue
        for case in cases:
            if not whole and not _selected(case.name, terms):
                continue
            progress(f"running {case.name} ...")
            try:
                match_threads(threads)
                rows.append({"module": stem, **time_case(case, min_seconds=min_seconds)})
            except Exception as exc:             # noqa: BLE001
                rows.append(failed_row(case.name, exc, module=stem, reference=case.reference_name))
    return rows


def _fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}" if seconds / scale < 100 else f"{seconds / scale:.0f} {unit}"
    return f"{seconds * 1e9:.0f} ns"


def _checks(r: dict[str, Any]) -> str:
    parts = [("same" if r[k] else "DIFFERENT") + " " + k[5:].replace("_", " ") for k in r if k.startswith("same_")]
    if r.get("annhist_gflops"):
        g = f"{r['annhist_gflops']:.1f}"
        if r.get("reference_gflops"):
            g += f" vs {r['reference_gflops']:.1f}"
        parts.append(g + " GFLOP/s")
    if r.get("roofline_fraction") is not None:       # of the same run's 1024x1024 matmul rate
        parts.append(f"{100 * r['roofline_fraction']:.0f}% vs {100 * r.get('reference_roofline_fraction', 0):.0f}% "
                     "of the GEMM peak")
    if r.get("torch_of_gemms"):                       # bench_cnn_layers: PyTorch against the three GEMMs alone
        parts.append(f"PyTorch {r['torch_of_gemms']:.2f}x the 3 GEMMs' speed")
    if r.get("layer_gemms_s"):                        # the layer's own (blocked) GEMM calls alone
        parts.append(f"its own GEMMs alone {_fmt_time(r['layer_gemms_s'])}")
    return "; ".join(parts)


def format_rows(rows: list[dict[str, Any]], *, markdown: bool = False) -> str:
    """One table: annhist and the reference side by side, the ratio, and what each row checked."""
    head = ["benchmark", "annhist", "spread", "reference", "ref. time", "spread", "speedup", "middle half", "checks"]
    body = []
    for r in rows:
        if r.get("status") in ("failed", "skipped"):
            why = r.get("error") or r.get("skipped_reason", "")
            body.append([r["name"], r["status"].upper(), "", r.get("reference", ""), "", "", "", "", why[:90]])
            continue
        has_ref = r.get("speedup") is not None
        body.append([r["name"], _fmt_time(r["annhist_median_s"]), f"{100 * r['annhist_spread']:.0f}%",
                     r.get("reference", ""), _fmt_time(r.get("reference_median_s")),
                     f"{100 * r['reference_spread']:.0f}%" if has_ref else "-",
                     f"{r['speedup']:.2f}x" if has_ref else "-",
                     f"{r['speedup_q1']:.2f}-{r['speedup_q3']:.2f}" if has_ref else "-", _checks(r)])
    from benchmarks.book import _table

    return "\n".join(_table(head, body, markdown, left=(0, 3, 8)))


LEGEND = ("times are medians of the repeats after a warm-up; spread = interquartile range / median; "
          "speedup = reference median / annhist median (> 1: annhist is faster); middle half = the quartiles "
          "of the ratios of the individual rounds (annhist and the reference timed back to back)")


def _default_out(args: argparse.Namespace, terms: list[str]) -> Path:
    """``results.json`` for ``make bench``'s run (all of it, ``--book``); else ``results-partial.json``."""
    whole = args.book and not (terms or args.threads or args.chapters or args.no_build or args.keep_openblas_env)
    return HERE / ("results.json" if whole else "results-partial.json")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-k", dest="select", action="append", default=[],
                        help="only modules or cases whose name contains this (any case; repeat it or use commas)")
    parser.add_argument("--book", action="store_true",
                        help="also measure the book: chapter times and peak memory, cold and warm build (slow)")
    parser.add_argument("--book-only", action="store_true", help="only the book measurements")
    parser.add_argument("--chapters", default="", help="with --book: only chapters whose file name contains this")
    parser.add_argument("--no-build", action="store_true", help="with --book: chapters only, no cold/warm build")
    parser.add_argument("--keep-openblas-env", action="store_true",
                        help="time with the environment as set (default: a child without OPENBLAS_CORETYPE / "
                             "OPENBLAS_L2_SIZE, with OPENBLAS_THREAD_TIMEOUT=24 and the MALLOC_* settings above)")
    parser.add_argument("--threads", type=int, default=None,
                        help="limit numpy's BLAS/OpenMP pools (threadpoolctl) and torch to N threads "
                             "(default: as the machine sets them; torch always gets as many as the BLAS)")
    parser.add_argument("--min-time", type=float, default=1.0,
                        help="repeat a case beyond its own repeats until its rounds took this many seconds "
                             "(at most 200 rounds; default 1.0)")
    parser.add_argument("--out", help="the JSON results file (default: benchmarks/results.json, the README's, for "
                        "make bench's run; results-partial.json beside it for any other)")
    parser.add_argument("--markdown", metavar="FILE", help="also write the tables as Markdown to FILE")
    parser.add_argument("--report", metavar="JSON", help="run nothing: print the tables of an earlier results file")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(argv)
    if args.report:
        payload = json.loads(Path(args.report).read_text())
        _print_tables(payload)
        if args.markdown:
            _write_markdown(Path(args.markdown), payload)
        return 0
    if not args.keep_openblas_env:
        rc = _reexec_with_benchmark_env(argv)
        if rc is not None:
            return rc
    terms = [t.strip().lower() for s in args.select for t in s.split(",") if t.strip()]
    progress = lambda msg: print(msg, file=sys.stderr, flush=True)   # noqa: E731
    started = time.time()
    from benchmarks.harness import match_threads, write_json

    if args.threads is not None:
        # Load the BLAS/OpenMP libraries first: threadpoolctl limits the ones loaded.
        for name in ("numpy", "scipy.linalg", "sklearn.linear_model", "torch"):
            try:
                importlib.import_module(name)
            except ImportError:
                pass
    match_threads(args.threads)                  # torch threads = BLAS threads, recorded in "machine"
    payload: dict[str, Any] = {"command": "python -m benchmarks " + " ".join(argv), "machine": _machine(),
                               "threads_option": args.threads,
                               "started": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)), "rows": []}
    if not args.book_only:
        payload["rows"] = run_speed(terms, progress, min_seconds=args.min_time, threads=args.threads)
    if args.book or args.book_only:
        from benchmarks.book import measure_book

        payload["book"] = measure_book(chapters=args.chapters, build=not args.no_build, progress=progress)
    payload["machine"]["load_avg_1_5_15min_at_end"] = [round(x, 2) for x in os.getloadavg()]
    payload["elapsed_s"] = round(time.time() - started, 1)
    _print_tables(payload)
    out = Path(args.out) if args.out else _default_out(args, terms)
    write_json(out, payload)
    if args.markdown:
        _write_markdown(Path(args.markdown), payload)
    print(f"\nwrote {out}")
    return 0


def _print_tables(payload: dict[str, Any]) -> None:
    from benchmarks.book import format_book

    rows, m = payload.get("rows") or [], payload["machine"]
    if rows:
        print(format_rows(rows))
        counts = {st: sum(r.get("status") == st for r in rows) for st in ("ok", "skipped", "failed")}
        print(f"\n{len(rows)} rows: {counts['ok']} compared, {counts['skipped']} skipped, "
              f"{counts['failed']} failed (see 'error' in the JSON).")
        print(f"{LEGEND}.")
        blas = "; ".join(f"{p['internal_api']} {p.get('version')} {p.get('architecture') or ''} x{p['num_threads']}"
                         for p in m.get("threadpools") or [] if p["user_api"] == "blas")
        env = m["openblas_env"]
        print(f"threads: BLAS {blas}; torch {m.get('torch_threads')}; OpenBLAS environment: removed "
              f"{env['removed_for_this_run'] or 'nothing'}, in effect {env['in_effect']}; load average (1, 5, 15 min) at start "  # noqa: E501
              f"{m['load_avg_1_5_15min_at_start']}, at end {m.get('load_avg_1_5_15min_at_end')}")
    if "book" in payload:
        print("\nThe book (each chapter in a fresh kernel; peak RSS = the kernel's ru_maxrss)")
        print(format_book(payload["book"]))


def _write_markdown(path: Path, payload: dict[str, Any]) -> None:
    from benchmarks.book import format_book

    md = [format_rows(payload["rows"], markdown=True)] if payload.get("rows") else []
    if "book" in payload:
        md.append(format_book(payload["book"], markdown=True))
    path.write_text("\n".join(md) + "\n")


if __name__ == "__main__":
    sys.exit(main())
