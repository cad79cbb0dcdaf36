"""``annhist xor``: the XOR experiment from the command line.

::

    annhist xor                                          # the report, in seconds
    annhist xor --seed 3 --seeds 100 --out results/ --json

``--json`` prints exactly ``ExperimentResult.to_dict`` of ``annhist.xor.xor_experiment``;
``--out DIR`` writes ``xor.json`` and the figures (PNG). A bad value is a one-line error with
exit status 2 (:class:`annhist.cli.UsageError`).
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from annhist.cli.common import UsageError, int_option, prepare_out_dir, seed_option

__all__ = ["add_command", "cmd_xor"]


def cmd_xor(args: argparse.Namespace) -> int:
    """Run ``annhist.xor.xor_experiment`` and print (and optionally save) its report."""
    from annhist.experiments.xor import MAX_RUN_SWEEPS, xor_experiment  # here: the registry imports scikit-learn

    if args.seeds * args.max_sweeps > MAX_RUN_SWEEPS:
        raise UsageError(f"annhist xor: --seeds x --max-sweeps must be <= {MAX_RUN_SWEEPS:,} (every run's history is "
                         f"kept), got {args.seeds} x {args.max_sweeps}")
    out = prepare_out_dir(args.out, force=args.force)
    start = time.perf_counter()
    try:
        result = xor_experiment(seed=args.seed, seeds=args.seeds, max_sweeps=args.max_sweeps)
    except (ValueError, TypeError) as exc:
        raise UsageError(f"annhist xor: {exc}") from None
    elapsed = time.perf_counter() - start
    print(result.to_json() if args.json else result.text())
    if out is not None:
        paths = result.save(out)
        if not args.json:
            print(f"\nwrote {len(paths)} file(s) to {out}/")
    if not args.json:
        print(f"\n(computed in {elapsed:.1f} s)", file=sys.stderr)
    return 0


def add_command(subparsers: Any) -> None:
    """Add the ``xor`` subcommand to ``annhist``'s parser (called by ``annhist.cli``)."""

    p = subparsers.add_parser(
        "xor", help="the XOR experiment: why one threshold unit fails and hidden units succeed",
        description="Reproduce the XOR limitation (Minsky & Papert 1969) and its way out (Rumelhart, Hinton & "
                    "Williams 1986): an LP with an exact certificate, the perceptron's cycle, the pocket and "
                    "ADALINE, parity order, a McCulloch-Pitts net, and backpropagation over many seeds.")
    p.add_argument("--seed", type=seed_option, default=0, help="random seed (integer >= 0; default 0)")
    p.add_argument("--seeds", type=int_option("--seeds", 1, 100_000), default=100,
                   help="backpropagation runs per net (integer 1 to 100000; default 100)")
    p.add_argument("--max-sweeps", dest="max_sweeps", type=int_option("--max-sweeps", 1, 1_000_000), default=10_000,
                   help="sweeps after which an unsolved run counts as stuck (1 to 1000000; default 10000; "
                        "--seeds x --max-sweeps at most 20000000)")
    p.add_argument("--out", metavar="DIR", help="write xor.json and the figures (PNG) into DIR")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--force", action="store_true", help="allow writing into a non-empty --out directory")
    p.set_defaults(func=cmd_xor)
