"""``python -m benchmarks`` (``make bench``): every benchmark in one run, one table, results.json.

Exits 0 whatever the ratios are: benchmarks report, tests judge correctness.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
from pathlib import Path

from benchmarks.harness import time_case

HERE = Path(__file__).resolve().parent


def _threads() -> dict:
    info = {"cpu_count": os.cpu_count()}
    try:
        from threadpoolctl import threadpool_info
        info["blas"] = [{k: d.get(k) for k in ("internal_api", "num_threads", "architecture")} for d in threadpool_info()]
    except ImportError:
        pass
    try:
        import torch
        info["torch_threads"] = torch.get_num_threads()
        info["torch"] = torch.__version__
    except ImportError:
        info["torch"] = None
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("-k", dest="select", help="only benchmark modules whose name contains this")
    parser.add_argument("--out", default=str(HERE / "results.json"), help="where to write the JSON results")
    args = parser.parse_args(argv)
    rows = []
    for path in sorted(HERE.glob("bench_*.py")):
        if args.select and args.select not in path.stem:
            continue
        module = importlib.import_module(f"benchmarks.{path.stem}")
        for case in module.cases():
            print(f"running {case.name} ...", file=sys.stderr, flush=True)
            rows.append({"module": path.stem, **time_case(case)})
    header = f"{'benchmark':<44} {'annhist':>10} {'reference':>22} {'ref time':>10} {'speedup':>8}"
    print(header)
    print("-" * len(header))
    for r in rows:
        ref_t = f"{r['reference_median_s'] * 1e3:9.1f}ms" if r.get("reference_median_s") else "       -  "
        sp = f"{r['speedup']:7.2f}x" if r.get("speedup") else "      - "
        print(f"{r['name']:<44} {r['annhist_median_s'] * 1e3:8.1f}ms {r['reference']:>22} {ref_t} {sp}")
    payload = {"machine": {"python": sys.version.split()[0], "platform": platform.platform(), **_threads()},
               "rows": rows}
    Path(args.out).write_text(json.dumps(payload, indent=2) + "\n")
    print(f"\nwrote {args.out}  (speedup = reference time / annhist time; > 1 means annhist is faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
