"""The ``annhist`` command line (also ``python -m annhist``).

Exit status: 0 on success, 2 for a usage error (unknown name, bad option, unwritable
output folder), 1 when a run fails. A user error never prints a traceback; set
``ANNHIST_DEBUG=1`` to see one for an internal error.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
import textwrap
import warnings
from typing import Any, Sequence

from annhist import __version__
from annhist.cli import data, xor
from annhist.cli.common import Parser, UsageError, bounds_text, emit, prepare_out_dir, seed_option, typed_option
from annhist.history import MILESTONES

__all__ = ["main", "build_parser"]


# ----------------------------------------------------------------------------- commands
# The commands import the experiment registry when they need it: it loads every milestone and
# scikit-learn, seconds that `annhist --help`, `annhist book` and `annhist data` do not need.
def cmd_list(args: argparse.Namespace) -> int:
    from annhist import experiments

    by_module: dict[str, list[str]] = {}
    for exp in experiments.all_experiments():
        by_module.setdefault(exp.module, []).append(exp.name)

    def exps_of(m):
        names = by_module.get(m.module, [])
        return [n for n in names if n in m.only] if m.only else names
    if args.json:
        rows = [{"key": m.key, "year": m.year, "authors": m.authors, "title": m.title, "module": f"annhist.{m.module}",
                 "chapter": f"chapters/{m.chapter}.md", "citation": m.citation,
                 "experiments": exps_of(m)} for m in MILESTONES]
        print(json.dumps({"milestones": rows, "other_experiments": by_module.get("history", [])}, indent=2))
        return 0
    for m in MILESTONES:
        exps = ", ".join(exps_of(m)) or "-"
        print(f"{m.year}  {m.authors}")
        print(f"      {m.title}")
        print(f"      module: annhist.{m.module}   chapter: chapters/{m.chapter}.md")
        print(f"      experiments: {exps}")
    others = by_module.get("history", [])
    if others:
        print(f"\nother experiments: {', '.join(others)}")
    print("\nRun one with: annhist run NAME [--seed N] [--out DIR] [--json]")
    return 0


def _shared_options(p: Parser) -> None:
    """--seed, --out, --json and --force: the options of every ``annhist run NAME`` and of ``annhist run all``."""
    p.add_argument("--seed", type=seed_option, default=0, help="random seed (integer >= 0; default 0)")
    p.add_argument("--out", metavar="DIR", help="write the results JSON and figures (PNG) into DIR")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--force", action="store_true", help="allow writing into a non-empty --out directory")


def _experiment_parser(exp: Any) -> Parser:
    p = Parser(prog=f"annhist run {exp.name}", description=exp.summary)
    _shared_options(p)
    for opt in exp.options:
        flag = "--" + opt.name.replace("_", "-")
        bounds = bounds_text(opt.min_value, opt.max_value, max_exclusive=opt.max_exclusive)
        p.add_argument(flag, dest=opt.name, default=opt.default, help=f"{opt.help} (default {opt.default!r}{bounds})",
                       type=typed_option(opt.type, flag, opt.min_value, opt.max_value, max_exclusive=opt.max_exclusive))
    return p


def _run_all(rest: list[str]) -> int:
    from annhist import experiments

    p = Parser(prog="annhist run all", description="Run every registered experiment, each with its default options.")
    _shared_options(p)
    opts = p.parse_args(rest)
    out = prepare_out_dir(opts.out, force=opts.force)
    collected = []
    for exp in experiments.all_experiments():
        if not opts.json:
            print(f"== {exp.name}", flush=True)
        result = exp(seed=opts.seed)
        collected.append(result.to_dict())
        if out is not None:
            result.save(out / exp.name)
        if not opts.json:
            print(result.text(), flush=True)
    if opts.json:
        print(json.dumps({"seed": opts.seed, "experiments": collected}, indent=2, allow_nan=False))
    return 0


def _unknown_experiment(name: str, valid: list[str]) -> UsageError:
    """The usage error for an unknown experiment name, with the closest valid names when some are close."""
    close = difflib.get_close_matches(name, valid, n=3)
    hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    return UsageError(f"annhist run: unknown experiment {name!r}; {hint}valid: {', '.join(valid)}")


def cmd_run(args: argparse.Namespace) -> int:
    from annhist import experiments

    name = args.name
    if name == "all":
        return _run_all(args.rest)
    try:
        exp = experiments.get(name)
    except ValueError:
        raise _unknown_experiment(name, ["all", *experiments.names()]) from None
    p = _experiment_parser(exp)
    opts = vars(p.parse_args(args.rest))
    seed, out, as_json, force = opts.pop("seed"), opts.pop("out"), opts.pop("json"), opts.pop("force")
    out_path = prepare_out_dir(out, force=force)
    try:
        result = exp(seed=seed, **opts)
    except (ValueError, TypeError) as exc:
        raise UsageError(f"annhist run {name}: {exc}") from None
    emit(result, as_json=as_json, out=out_path)
    return 0


def cmd_book(args: argparse.Namespace) -> int:
    from annhist.bookbuild import build_book, build_pdf, find_root

    if args.root is not None:
        try:
            find_root(args.root)
        except FileNotFoundError as exc:
            raise UsageError(f"annhist book: {exc}") from None
    status = build_book(force=args.force, root=args.root)
    if status == 0 and args.pdf:
        status = build_pdf(root=args.root)
    return status


# ----------------------------------------------------------------------------- parser
def build_parser() -> Parser:
    parser = Parser(
        prog="annhist",
        description="annhist: the history of neural networks as runnable, tested code.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=textwrap.dedent("""\
            examples:
              annhist list
              annhist run heat-cold --json
              annhist xor --seeds 100 --out results/
              annhist book
            """),
    )
    parser.add_argument("--version", action="version", version=f"annhist {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    p = sub.add_parser("list", help="print the milestones and their experiments",
                       description="Print the milestones: year, authors, title, module, chapter, experiments.")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("run", help="run a registered experiment (or 'all')", add_help=False,
                       description="Run a registered experiment: annhist run NAME [--seed N] [--out DIR] [--json]. "
                                   "'annhist run NAME --help' lists the experiment's own options.")
    p.add_argument("name", nargs="?", help="experiment name, or 'all'")
    p.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("book", help="build the executed book into book/_build/html",
                       description="Execute every chapter and build the book (Jupyter Book 1.x, offline). "
                                   "Chapters are re-executed when their code or annhist's sources change.")
    p.add_argument("--force", action="store_true", help="re-execute every chapter, ignoring the cache")
    p.add_argument("--root", metavar="DIR", help="the project folder holding book/ (default: found automatically)")
    p.add_argument("--pdf", action="store_true",
                   help="then print the whole book as one PDF, book/_build/html/annhist.pdf (needs Chromium)")
    p.set_defaults(func=cmd_book)

    for add_command in (xor.add_command, data.add_command):   # the commands of milestones and data
        add_command(sub)
    return parser


def _show_warning(message: Any, category: type, filename: str, lineno: int, file: Any = None,
                  line: str | None = None) -> None:
    """A warning as one line on stderr, ``warning: ...`` (not Python's file, line number and source line)."""
    print(f"warning: {message}", file=sys.stderr if file is None else file)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        return _main(list(sys.argv[1:] if argv is None else argv))


def _main(argv: list[str]) -> int:
    try:
        parser = build_parser()
        if argv and argv[0] == "run" and (len(argv) == 1 or argv[1] in ("-h", "--help")):
            sub = parser._subparsers._group_actions[0].choices["run"]  # type: ignore[union-attr]
            sub.print_help()
            from annhist import experiments

            print("\nexperiments: " + ", ".join(["all", *experiments.names()]))
            return 0 if len(argv) > 1 else 2
        args = parser.parse_args(argv)
        if getattr(args, "func", None) is None:
            parser.print_help()
            return 2
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except MemoryError as exc:
        detail = f" ({exc})" if str(exc) else ""
        print(f"error: the run needs more memory than this machine has{detail}: ask for fewer runs, epochs or "
              f"units (see the command's --help)", file=sys.stderr)
        return 1
    except ArithmeticError as exc:  # DivergenceError and friends: a failed run, not a usage error
        print(f"error: the run failed: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if os.environ.get("ANNHIST_DEBUG"):
            raise
        print(f"error: {type(exc).__name__}: {exc} (set ANNHIST_DEBUG=1 for a traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
