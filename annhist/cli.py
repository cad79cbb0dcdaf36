"""The ``annhist`` command line (also ``python -m annhist``).

Exit status: 0 on success, 2 for a usage error (unknown name, bad option, unwritable
output folder), 1 when a run fails. A user error never prints a traceback; set
``ANNHIST_DEBUG=1`` to see one for an internal error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from pathlib import Path
from typing import Any, Callable, Sequence

__all__ = ["main", "UsageError"]


class UsageError(Exception):
    """A mistake in the command line: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and exit with status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


# ----------------------------------------------------------------------------- helpers
def int_option(flag: str, min_value: int) -> Callable[[str], int]:
    """An argparse type for an integer option >= ``min_value``, with a one-line message."""
    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < min_value:
            raise argparse.ArgumentTypeError(f"{flag} must be an integer >= {min_value}, got {text!r}")
        return value
    return convert


_seed = int_option("--seed", 0)


def _typed(opt_type: type, flag: str, min_value: float | None) -> Callable[[str], Any]:
    if opt_type is int and min_value is not None:
        return int_option(flag, int(min_value))

    def convert(text: str) -> Any:
        try:
            value = opt_type(text)
        except ValueError:
            kind = {int: "an integer", float: "a number"}.get(opt_type, "a value")
            raise argparse.ArgumentTypeError(f"{flag} must be {kind}, got {text!r}") from None
        if min_value is not None and value < min_value:
            raise argparse.ArgumentTypeError(f"{flag} must be >= {min_value:g}, got {text!r}")
        return value
    return convert


def prepare_out_dir(out: str | None, *, force: bool) -> Path | None:
    """Create ``out`` (or check it is usable); refuse to overwrite a non-empty one without --force."""
    if out is None:
        return None
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise UsageError(f"--out {out!r} exists and is not a directory")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise UsageError(f"--out {out!r} is not empty; pass --force to overwrite its files")
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".annhist-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"--out {out!r} is not writable: {exc.strerror or exc}") from None
    return path


def _emit(result: Any, *, as_json: bool, out: Path | None) -> None:
    if as_json:
        print(result.to_json())
    else:
        print(result.text())
    if out is not None:
        paths = result.save(out)
        if not as_json:
            print(f"\nwrote {len(paths)} file(s) to {out}/")


# ----------------------------------------------------------------------------- commands
def cmd_list(args: argparse.Namespace) -> int:
    from annhist import experiments
    from annhist.history import MILESTONES

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


def _experiment_parser(exp: Any) -> _Parser:
    p = _Parser(prog=f"annhist run {exp.name}", description=exp.summary)
    p.add_argument("--seed", type=_seed, default=0, help="random seed (integer >= 0; default 0)")
    p.add_argument("--out", metavar="DIR", help="write the results JSON and figures (PNG) into DIR")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--force", action="store_true", help="allow writing into a non-empty --out directory")
    for opt in exp.options:
        flag = "--" + opt.name.replace("_", "-")
        p.add_argument(flag, dest=opt.name, type=_typed(opt.type, flag, opt.min_value), default=opt.default,
                       help=f"{opt.help} (default {opt.default!r})")
    return p


def cmd_run(args: argparse.Namespace) -> int:
    from annhist import experiments

    name = args.name
    if name == "all":
        p = _Parser(prog="annhist run all", description="Run every registered experiment.")
        p.add_argument("--seed", type=_seed, default=0)
        p.add_argument("--out", metavar="DIR")
        p.add_argument("--json", action="store_true")
        p.add_argument("--force", action="store_true")
        opts = p.parse_args(args.rest)
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
    try:
        exp = experiments.get(name)
    except ValueError:
        valid = ", ".join(["all", *experiments.names()])
        raise UsageError(f"annhist run: unknown experiment {name!r}; valid: {valid}") from None
    p = _experiment_parser(exp)
    opts = vars(p.parse_args(args.rest))
    seed, out, as_json, force = opts.pop("seed"), opts.pop("out"), opts.pop("json"), opts.pop("force")
    out_path = prepare_out_dir(out, force=force)
    try:
        result = exp(seed=seed, **opts)
    except (ValueError, TypeError) as exc:
        raise UsageError(f"annhist run {name}: {exc}") from None
    _emit(result, as_json=as_json, out=out_path)
    return 0


def cmd_book(args: argparse.Namespace) -> int:
    from annhist.bookbuild import build_book

    return build_book(force=args.force, root=args.root)


# ----------------------------------------------------------------------------- parser
def build_parser() -> _Parser:
    parser = _Parser(
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
    from annhist import __version__
    parser.add_argument("--version", action="version", version=f"annhist {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

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
    p.set_defaults(func=cmd_book)

    for register in _EXTRA_COMMANDS:
        register(sub)
    return parser


# Milestone modules add their own subcommands (e.g. ``annhist xor``) through this list:
# each entry takes the subparsers object and adds a parser with ``func`` set.
_EXTRA_COMMANDS: list[Callable[[Any], None]] = []


def _load_extra_commands() -> None:
    for module in ("annhist.xor_cli", "annhist.data_cli"):
        try:
            mod = __import__(module, fromlist=["add_command"])
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        if mod.add_command not in _EXTRA_COMMANDS:
            _EXTRA_COMMANDS.append(mod.add_command)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        _load_extra_commands()
        parser = build_parser()
        if argv and argv[0] == "run" and (len(argv) == 1 or argv[1] in ("-h", "--help")):
            sub = parser._subparsers._group_actions[0].choices["run"]  # type: ignore[union-attr]
            from annhist import experiments
            sub.print_help()
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
